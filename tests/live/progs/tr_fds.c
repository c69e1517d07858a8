/* tr_fds — fds that are gone by the time the tracer publishes.
 *   Each round opens a directory, opens a file relative to it, maps a
 *   program executable, then closes everything at once: the events must
 *   still name /etc/hostname and /bin/true (the tracer describes the fds
 *   while the process is stopped, not after it ran on).
 */
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

int main(void)
{
	for (int i = 0; i < 200; i++) {
		int d = open("/etc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		int f = openat(d, "hostname", O_RDONLY | O_CLOEXEC);
		close(d);
		if (f >= 0)
			close(f);
		int x = open("/bin/true", O_RDONLY | O_CLOEXEC);
		void *p = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, x, 0);
		close(x);
		if (p != MAP_FAILED)
			munmap(p, 4096);
	}
	return 0;
}

/* workload_b — 100,000 opens of one file and 200 fork+exec of /bin/true:
 * the traced-syscall case. */
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	for (int i = 0; i < 100000; i++) {
		int fd = open("/etc/hostname", O_RDONLY);
		if (fd < 0)
			return 1;
		close(fd);
	}
	for (int i = 0; i < 200; i++) {
		pid_t p = fork();
		if (p == 0) {
			execl("/bin/true", "true", (char *)0);
			_exit(127);
		}
		int st;
		waitpid(p, &st, 0);
	}
	return 0;
}

/* tr_magic — paths through the kernel's magic links must be named by
 * where they lead: /proc/self/root/etc/hostname is /etc/hostname,
 * /dev/fd/N/hostname with N a dirfd of /etc is /etc/hostname,
 * /proc/self/cwd/magic-x is the cwd's magic-x.
 */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	int fd = open("/proc/self/root/etc/hostname", O_RDONLY | O_CLOEXEC);
	if (fd >= 0)
		close(fd);
	int d = open("/etc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	char p[64];
	snprintf(p, sizeof(p), "/dev/fd/%d/hostname", d);
	fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd >= 0)
		close(fd);
	close(d);
	if (chdir("/tmp") == 0)
		fd = open("/proc/self/cwd/magic-x", O_RDONLY | O_CLOEXEC);
	return 0;
}

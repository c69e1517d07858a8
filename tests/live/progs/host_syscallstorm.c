/* Hostile target: a syscall storm.  64 processes make traced calls as fast
 * as they can: read-only opens (seccomp notifications), creating opens
 * and unlinks (ptrace stops), for ever.  argv[1] is the test's marker. */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	for (int i = 0; i < 63; i++)
		if (fork() == 0)
			break;
	char name[64];
	snprintf(name, sizeof(name), "/tmp/storm.%d", (int)getpid());
	for (;;) {
		int fd = open("/etc/passwd", O_RDONLY);
		if (fd >= 0)
			close(fd);
		fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd >= 0)
			close(fd);
		unlink(name);
	}
}

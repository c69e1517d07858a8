/* tr_hostile MODE — a target that fights the audit.
 *   killall   kill(-1, SIGKILL): kills everything it can (run it in its own
 *             pid namespace only!)
 *   closefds  closes every fd, then opens and execs
 *   fault     open() of a path that runs into an unmapped page
 *   ptrace    tries to attach to its parent (the init) and to itself
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "fault";
	if (strcmp(mode, "killall") == 0) {
		if (fork() == 0) {
			pause();
			_exit(0);
		}
		kill(-1, SIGKILL);
		return 3;
	}
	if (strcmp(mode, "closefds") == 0) {
		for (int fd = 0; fd < 1024; fd++)
			close(fd);
		int fd = open("/etc/hostname", O_RDONLY);
		(void)fd;
		execl("/bin/true", "true", (char *)NULL);
		return 4;
	}
	if (strcmp(mode, "fault") == 0) {
		char *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (m == MAP_FAILED)
			return 5;
		munmap(m + 4096, 4096);
		char *s = m + 4096 - 9;
		memcpy(s, "/tr_fault", 9); /* no NUL: the next page is unmapped */
		int r = open(s, O_RDONLY);
		return (r == -1 && errno == EFAULT) ? 0 : 6;
	}
	if (strcmp(mode, "ptrace") == 0) {
		long r1 = ptrace(PTRACE_ATTACH, getppid(), 0, 0);
		long r2 = ptrace(PTRACE_TRACEME, 0, 0, 0);
		return (r1 == -1 && r2 == -1) ? 0 : 7;
	}
	return 8;
}

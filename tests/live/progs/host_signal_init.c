/* Hostile target: signals pid 1 (the namespace's init) with kill() and
 * through a pidfd (pidfd_open + pidfd_send_signal), which names no pid in
 * the call itself.  SIGURG: ignored by default, harmless if delivered. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	const char *how = argc > 1 ? argv[1] : "pidfd";
	long rc;
	if (strcmp(how, "kill") == 0) {
		rc = kill(1, SIGURG);
	} else {
		int pfd = (int)syscall(SYS_pidfd_open, 1, 0);
		rc = syscall(SYS_pidfd_send_signal, pfd, SIGURG, NULL, 0);
	}
	printf("%s(1, SIGURG) = %ld\n", how, rc);
	return 0;
}

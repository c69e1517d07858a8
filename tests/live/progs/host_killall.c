/* Hostile target: kill(-1, SIGKILL), signals to pid 1 and to random pids,
 * ptrace attempts on the same: nothing of it may reach dynaudit or the host. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <unistd.h>

int main(void)
{
	printf("kill(-1, SIGKILL) = %d\n", kill(-1, SIGKILL));
	printf("kill(1, SIGKILL) = %d (%s)\n", kill(1, SIGKILL), strerror(errno));
	printf("kill(1, SIGTERM) = %d\n", kill(1, SIGTERM));
	printf("ptrace attach 1 = %ld (%s)\n", ptrace(PTRACE_ATTACH, 1, 0, 0), strerror(errno));
	printf("ptrace seize 1 = %ld (%s)\n", ptrace(PTRACE_SEIZE, 1, 0, 0), strerror(errno));
	srand((unsigned)getpid());
	int hits = 0;
	for (int i = 0; i < 2000; i++) {
		pid_t p = 2 + rand() % 4000000;
		if (p == getpid())
			continue;
		if (kill(p, SIGKILL) == 0)
			hits++;
		if (ptrace(PTRACE_ATTACH, p, 0, 0) == 0)
			hits++;
	}
	printf("random signals delivered: %d\n", hits);
	printf("survived\n");
	return 0;
}

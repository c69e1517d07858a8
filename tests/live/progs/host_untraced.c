/* Hostile target: clone(CLONE_UNTRACED) to escape the tracer; the untraced
 * child lives on after the parent exits. */
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
	long p = syscall(SYS_clone, CLONE_UNTRACED | SIGCHLD, 0, 0, 0, 0);
	if (p == 0) {
		for (;;)
			sleep(1);
	}
	printf("clone(CLONE_UNTRACED) = %ld\n", p);
	return 0;
}

/* Hostile target: stops its children and itself with SIGSTOP, so nothing
 * ever runs again; the audit must still end and kill them. */
#include <signal.h>
#include <unistd.h>

int main(void)
{
	pid_t kids[3];
	for (int i = 0; i < 3; i++) {
		kids[i] = fork();
		if (kids[i] == 0) {
			if (i == 0)
				raise(SIGSTOP);
			for (;;)
				pause();
		}
	}
	sleep(1);
	for (int i = 0; i < 3; i++)
		kill(kids[i], SIGSTOP);
	raise(SIGSTOP);
	for (;;)
		pause();
}

/* Hostile target: a double-forked setsid daemon that outlives the main
 * process (and a second one in its own process group). */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(void)
{
	for (int d = 0; d < 2; d++) {
		pid_t p = fork();
		if (p == 0) {
			if (d == 0)
				setsid();
			else
				setpgid(0, 0);
			if (fork() != 0)
				_exit(0);
			for (;;)
				sleep(1);
		}
	}
	printf("parent leaves\n");
	return 0;
}

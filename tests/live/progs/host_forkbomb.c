/* Hostile target: a fork bomb.  Every process forks for ever; failures
 * (the sandbox's process limit) are retried.  argv[1] is the test's marker. */
#include <unistd.h>

int main(void)
{
	for (;;) {
		if (fork() < 0)
			usleep(1000);
	}
}

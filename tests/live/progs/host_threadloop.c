/* Hostile target: a thread bomb that stops at the task limit.  Threads
 * that only wait are created until pthread_create fails (EAGAIN at the
 * sandbox's task limit), a few more attempts follow, then it exits.
 * argv[1] is the test's marker. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t never = PTHREAD_COND_INITIALIZER;

/* waits for ever on a condition nobody signals (no sleep call) */
static void *idle(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&lock);
	for (;;)
		pthread_cond_wait(&never, &lock);
	return NULL;
}

int main(void)
{
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 64 * 1024);
	int made = 0, failed = 0, err = 0;
	while (made < 4096 && failed < 8) {
		pthread_t t;
		int rc = pthread_create(&t, &attr, idle, NULL);
		if (rc == 0)
			made++;
		else {
			err = rc;
			failed++;
			usleep(10000);
		}
	}
	printf("threads %d, failures %d (%s)\n", made, failed, strerror(err));
	fflush(stdout);
	_exit(0);
}

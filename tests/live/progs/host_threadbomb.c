/* Hostile target: a thread bomb.  Every thread creates threads for ever
 * (small stacks, so the process limit is what stops it, not memory); a
 * thread whose creation failed forks instead, so the bomb also spreads
 * over processes whose address spaces many threads keep locked.
 * argv[1] is the test's marker. */
#include <pthread.h>
#include <sched.h>
#include <unistd.h>

static pthread_attr_t attr;

static void *spawn(void *arg)
{
	(void)arg;
	for (;;) {
		pthread_t t;
		if (pthread_create(&t, &attr, spawn, NULL) != 0)
			fork();
	}
	return NULL;
}

int main(void)
{
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 64 * 1024);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	spawn(NULL);
}

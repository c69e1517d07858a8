/* Hostile target: a thread bomb.  Every process grows to 2 threads (small
 * stacks, so the process limit is what stops it, not memory), and every
 * thread then forks for ever: the new process does the same.  (More
 * threads per process make fewer processes under the same limit: fewer
 * /proc reads to stall a snapshot.)  At the
 * limit, many threads of each process keep failing forks, each holding
 * their shared address space's mmap lock while it is copied.
 * argv[1] is the test's marker. */
#include <pthread.h>
#include <unistd.h>

#define THREADS 2

static pthread_attr_t attr;
static int threads = 1; /* of this process; a fork's child starts at 1 */

static void *spawn(void *arg)
{
	(void)arg;
	for (;;) {
		pthread_t t;
		if (__atomic_load_n(&threads, __ATOMIC_RELAXED) < THREADS &&
		    pthread_create(&t, &attr, spawn, NULL) == 0) {
			__atomic_add_fetch(&threads, 1, __ATOMIC_RELAXED);
			continue;
		}
		if (fork() == 0)
			threads = 1;
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

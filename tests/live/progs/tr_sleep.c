/* tr_sleep — the waits the tracer reports with their length:
 *   a child asks nanosleep for 100 s (killed at once by the parent), then
 *   clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME) for an end 200 s ahead
 *   (killed too), then a relative clock_nanosleep of 1 ns.
 */
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void in_child(void (*wait_fn)(void))
{
	pid_t p = fork();
	if (p == 0) {
		wait_fn();
		_exit(0);
	}
	usleep(100 * 1000);
	kill(p, SIGKILL);
	waitpid(p, NULL, 0);
}

static void long_relative(void)
{
	struct timespec t = { 100, 0 };
	syscall(SYS_nanosleep, &t, NULL); /* glibc's nanosleep() is clock_nanosleep */
}

static void long_absolute(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	t.tv_sec += 200;
	clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL);
}

int main(void)
{
	in_child(long_relative);
	in_child(long_absolute);
	struct timespec t = { 0, 1 };
	clock_nanosleep(CLOCK_MONOTONIC, 0, &t, NULL);
	return 0;
}

/*
 * host_timebomb.c — a time bomb: waits far past any audit window, then runs
 * its payload (sh -c id).  argv[1] says how it waits:
 *   nanosleep SECS     nanosleep(SECS)
 *   absolute SECS      clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, now + SECS)
 *   alarm SECS         alarm(SECS), pause(); the payload runs in the handler
 *   itimer SECS        setitimer(ITIMER_REAL, SECS), pause()
 *   timerfd SECS       timerfd_settime(SECS, absolute), read() until it fires
 *   posixtimer SECS    timer_create + timer_settime(SECS), pause()
 * Then it prints "payload" and execs sh -c id (what the audit must see).
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

static void payload(void)
{
	static const char msg[] = "payload\n";
	if (write(1, msg, sizeof(msg) - 1) < 0)
		_exit(3);
	execl("/bin/sh", "sh", "-c", "id", (char *)NULL);
	_exit(4);
}

static void on_alarm(int sig)
{
	(void)sig;
	payload(); /* execl is async-signal-safe */
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	const char *how = argv[1];
	long secs = argc > 2 ? atol(argv[2]) : 3600;
	printf("waiting %ld s (%s)\n", secs, how);
	fflush(stdout);
	signal(SIGALRM, on_alarm);
	if (strcmp(how, "nanosleep") == 0) {
		struct timespec ts = { secs, 0 };
		nanosleep(&ts, NULL);
	} else if (strcmp(how, "absolute") == 0) {
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_sec += secs;
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
	} else if (strcmp(how, "alarm") == 0) {
		alarm((unsigned)secs);
		for (;;)
			pause();
	} else if (strcmp(how, "itimer") == 0) {
		struct itimerval v = { { 0, 0 }, { secs, 0 } };
		setitimer(ITIMER_REAL, &v, NULL);
		for (;;)
			pause();
	} else if (strcmp(how, "timerfd") == 0) {
		int fd = timerfd_create(CLOCK_MONOTONIC, 0);
		struct itimerspec v;
		memset(&v, 0, sizeof(v));
		clock_gettime(CLOCK_MONOTONIC, &v.it_value);
		v.it_value.tv_sec += secs;
		timerfd_settime(fd, TFD_TIMER_ABSTIME, &v, NULL);
		uint64_t n;
		if (read(fd, &n, sizeof(n)) != (ssize_t)sizeof(n))
			return 5;
	} else if (strcmp(how, "posixtimer") == 0) {
		timer_t id;
		struct sigevent se;
		memset(&se, 0, sizeof(se));
		se.sigev_notify = SIGEV_SIGNAL;
		se.sigev_signo = SIGALRM;
		if (timer_create(CLOCK_MONOTONIC, &se, &id) < 0)
			return 6;
		struct itimerspec v;
		memset(&v, 0, sizeof(v));
		v.it_value.tv_sec = secs;
		timer_settime(id, 0, &v, NULL);
		for (;;)
			pause();
	} else {
		return 2;
	}
	payload();
	return 0;
}

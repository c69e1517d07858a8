/*
 * tracer_bench.c — runs one command under the live tracer, without the
 * sandbox: a stand-in init (child subreaper) is seized, forks the command
 * with the tracer's seccomp filter installed, and the tracer is driven the
 * way the live run loop drives it (SIGCHLD through a signalfd, then
 * tracer_dispatch).  Events go to one counting subscriber.
 *
 *   tracer_bench [-k all|proc|none] [-n] [-f] [-p] -- command [args...]
 *     -k  event kinds subscribed (all: every kind; proc: process, network,
 *         privilege kinds and file opens; none: only the deny policy)
 *     -n  no deny policy
 *     -f  fast_notify: read-only opens and stats through seccomp notifications
 *     -p  the init in a new pid namespace (as the sandbox's; needs root)
 * Prints "events=N stops=N syscalls=N maxrss_kb=N" on stderr and exits
 * with the command's exit status.  Built by bench/run.sh.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "engine/bus.h"
#include "live/tracer.h"

static struct timespec t0;

static double since_start(void *ctx)
{
	(void)ctx;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t0.tv_sec) + (double)(now.tv_nsec - t0.tv_nsec) / 1e9;
}

static int count_event(void *ctx, const struct da_event *ev)
{
	(void)ev;
	(*(unsigned long long *)ctx)++;
	return 0;
}

int main(int argc, char **argv)
{
	const char *kinds = "all";
	bool deny = true, fast = false, pidns = false;
	int opt;
	while ((opt = getopt(argc, argv, "+k:nfp")) != -1) {
		if (opt == 'k')
			kinds = optarg;
		else if (opt == 'n')
			deny = false;
		else if (opt == 'f')
			fast = true;
		else if (opt == 'p')
			pidns = true;
		else
			return 2;
	}
	if (optind >= argc) {
		fprintf(stderr, "usage: tracer_bench [-k all|proc|none] [-n] -- command [args...]\n");
		return 2;
	}
	char **cmd = argv + optind;

	uint64_t mask[DA_EVMASK_WORDS] = { 0 };
	if (strcmp(kinds, "all") == 0) {
		for (uint32_t k = 1; k < DA_EV_KIND_MAX; k++)
			DA_EVMASK_SET(mask, k);
	} else if (strcmp(kinds, "proc") == 0) {
		static const uint32_t some[] = {
			DA_EV_PROC_EXEC, DA_EV_PROC_FORK, DA_EV_PROC_EXIT, DA_EV_PROC_SIGNAL,
			DA_EV_FILE_OPEN, DA_EV_NET_SOCKET, DA_EV_NET_CONNECT, DA_EV_NET_BIND,
			DA_EV_NET_LISTEN, DA_EV_NET_ACCEPT, DA_EV_PRIV_ID, DA_EV_PRIV_NS,
			DA_EV_PRIV_MOUNT, DA_EV_PRIV_PTRACE, DA_EV_PRIV_KERNEL,
		};
		for (size_t i = 0; i < sizeof(some) / sizeof(some[0]); i++)
			DA_EVMASK_SET(mask, some[i]);
	}
	unsigned long long events = 0;
	struct bus *bus = bus_new();
	bus_subscribe(bus, mask, count_event, &events);
	char cwd[4096], err[256];
	if (!getcwd(cwd, sizeof(cwd)))
		strcpy(cwd, "/");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct tracer_options topt = { .bus = bus, .workdir = cwd, .clock = since_start,
				       .deny_dangerous = deny, .fast_notify = fast };
	struct tracer *t;
	if (tracer_new(&t, &topt, err, sizeof(err)) < 0) {
		fprintf(stderr, "tracer_bench: %s\n", err);
		return 3;
	}
	sigset_t chld;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, NULL);
	int sfd = signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK);
	int go[2];
	if (sfd < 0 || pipe2(go, O_CLOEXEC) < 0)
		return 3;
	/* -p: the init in a new pid namespace, as the sandbox's */
	pid_t init = pidns ? (pid_t)syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, 0, 0, 0, 0) : fork();
	if (init == 0) {
		char c;
		prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
		if (read(go[0], &c, 1) != 1)
			_exit(100);
		int status = 0;
		pid_t target = fork();
		if (target == 0) {
			sigset_t none;
			sigemptyset(&none);
			sigprocmask(SIG_SETMASK, &none, NULL);
			if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || tracer_install_filter(t) < 0)
				_exit(101);
			execvp(cmd[0], cmd);
			_exit(127);
		}
		for (;;) {
			int st;
			pid_t p = wait(&st);
			if (p == target)
				status = st;
			if (p < 0 && errno != EINTR)
				break;
		}
		_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	}
	if (getenv("PIN_SELF")) {
		cpu_set_t one;
		CPU_ZERO(&one);
		CPU_SET(sched_getcpu(), &one);
		sched_setaffinity(0, sizeof(one), &one);
	}
	if (tracer_seize_init(t, init, err, sizeof(err)) < 0) {
		fprintf(stderr, "tracer_bench: %s\n", err);
		return 3;
	}
	if (write(go[1], "g", 1) != 1)
		return 3;
	close(go[1]);
	close(go[0]);

	int code = 0, sig = 0, stuck = 0;
	for (;;) {
		struct signalfd_siginfo ssi[16];
		while (read(sfd, ssi, sizeof(ssi)) > 0)
			;
		if (tracer_dispatch(t) < 0)
			break;
		if (tracer_target_exited(t, &code, &sig, NULL) && tracer_alive(t) == 0) {
			siginfo_t si;
			if (waitid(P_ALL, 0, &si, WEXITED | WNOHANG | WNOWAIT | __WALL) < 0 && errno == ECHILD)
				break;
		}
		struct pollfd pfd[1 + TRACER_POLL_FDS_MAX] = { { .fd = sfd, .events = POLLIN } };
		int fds[TRACER_POLL_FDS_MAX];
		int nfds = tracer_notify_fds(t, fds, TRACER_POLL_FDS_MAX);
		for (int i = 0; i < nfds; i++)
			pfd[1 + i] = (struct pollfd){ .fd = fds[i], .events = POLLIN };
		poll(pfd, (nfds_t)(1 + nfds), 100);
		if (getenv("TB_DEBUG") && tracer_target_exited(t, NULL, NULL, NULL) && ++stuck == 20)
			fprintf(stderr, "tracer_bench: target done, %d processes still counted alive\n",
				tracer_alive(t));
	}
	const struct tracer_stats *s = tracer_get_stats(t);
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	fprintf(stderr, "events=%llu stops=%llu syscalls=%llu notified=%llu maxrss_kb=%ld\n", events,
		(unsigned long long)s->stops, (unsigned long long)s->syscalls,
		(unsigned long long)s->notified, ru.ru_maxrss);
	tracer_free(t);
	bus_free(bus);
	return sig ? 128 + sig : code;
}

/*
 * test_scale.c — resources of replay on hostile or huge logs (issue 13 §3):
 * one dup2 to fd 1048000 followed by forks must not copy a million-slot fd
 * table per fork, and per-process bookkeeping must stay O(1) with 80k
 * children.  The address space is capped, so a regression fails fast
 * instead of swapping the machine.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "common/procstate.h"
#include "common/procstate_stdio.h"
#include "engine/bus.h"
#include "recorded/source_strace.h"

/* ASan reserves terabytes of address space: no cap, and slower code. */
#ifdef __SANITIZE_ADDRESS__
#define SANITIZED 1
#else
#define SANITIZED 0
#endif
#define CPU_SLACK (SANITIZED ? 10.0 : 1.0)

static void cap_memory(rlim_t bytes)
{
	if (SANITIZED)
		return;
	struct rlimit rl = {bytes, bytes};
	cr_assert_eq(setrlimit(RLIMIT_AS, &rl), 0);
}

static double cpu_seconds(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
	       ru.ru_stime.tv_usec / 1e6;
}

Test(scale, high_fd_then_forks_shares_the_table)
{
	cap_memory(1u << 30);
	struct procstate *ps = procstate_new("/app");
	procstate_fd_set(ps, 1, 1, "pipe:[7]", false);
	procstate_fd_dup(ps, 1, 1, 1048000, false);
	for (int child = 2; child < 20002; child++) {
		procstate_fork(ps, 1, child, false, false, false);
		cr_assert_str_eq(procstate_fd_get(ps, child, 1048000), "pipe:[7]", "child %d", child);
		/* a write of the child's own makes its copy private: O(open fds) */
		if (child % 2)
			procstate_fd_set(ps, child, 3, "/tmp/x", false);
	}
	cr_assert_str_eq(procstate_fd_get(ps, 3, 3), "/tmp/x");
	cr_assert_null(procstate_fd_get(ps, 2, 3), "an even child did not open fd 3");
	cr_assert_null(procstate_fd_get(ps, 1, 3), "the parent did not open fd 3");
	cr_assert_eq(procstate_fd_limit(ps, 3), 1048001);
	procstate_free(ps);
}

Test(scale, copy_on_write_keeps_fork_semantics)
{
	struct procstate *ps = procstate_new("/app");
	procstate_fd_set(ps, 1, 5, "/etc/hosts", false);
	procstate_fd_set(ps, 1, 2000, "socket:inet/stream->10.0.0.1:80", true);
	cr_assert_eq(procstate_fd_mark(ps, 1, 5, 1), 0);
	procstate_fork(ps, 1, 2, false, false, false);
	procstate_fork(ps, 1, 3, true, false, false); /* a thread: same table */
	/* the child starts without the parent's marks */
	cr_assert_eq(procstate_fd_mark(ps, 2, 5, 2), 0);
	cr_assert_eq(procstate_fd_mark(ps, 1, 5, 4), 1);
	/* changes on one side of a fork stay there */
	procstate_fd_close(ps, 1, 5);
	cr_assert_str_eq(procstate_fd_get(ps, 2, 5), "/etc/hosts");
	cr_assert_null(procstate_fd_get(ps, 3, 5), "the thread shares the parent's close");
	procstate_fd_close(ps, 2, 2000);
	cr_assert_str_eq(procstate_fd_get(ps, 1, 2000), "socket:inet/stream->10.0.0.1:80");
	/* close_range over a wide range touches only open fds */
	procstate_fd_close_range(ps, 1, 3, 0x7fffffff, false);
	cr_assert_null(procstate_fd_get(ps, 3, 2000));
	cr_assert_str_eq(procstate_fd_get(ps, 1, 0), "unknown");
	/* exec drops close-on-exec fds of the high part too */
	procstate_fd_set(ps, 2, 4000, "/x", true);
	procstate_fd_set(ps, 2, 4001, "/y", false);
	procstate_exec(ps, 2);
	cr_assert_null(procstate_fd_get(ps, 2, 4000));
	cr_assert_str_eq(procstate_fd_get(ps, 2, 4001), "/y");
	procstate_free(ps);
}

static char *write_log(void (*fill)(FILE *, void *), void *arg)
{
	static char path[] = "/tmp/dynaudit-scale.XXXXXX";
	char *p = strdup(path);
	int fd = mkstemp(p);
	cr_assert(fd >= 0);
	FILE *f = fdopen(fd, "w");
	fill(f, arg);
	fclose(f);
	return p;
}

static void fill_fd_bomb(FILE *f, void *arg)
{
	int forks = *(int *)arg;
	fprintf(f, "100 execve(\"/bin/sh\", [\"sh\"], 0x7ffc /* 10 vars */) = 0\n");
	fprintf(f, "100 dup2(1, 1048000) = 1048000\n");
	for (int i = 0; i < forks; i++)
		fprintf(f, "100 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|SIGCHLD, "
			   "child_tidptr=0x7f) = %d\n%d write(1048000, \"hi\\n\", 3) = 3\n",
			1000 + i, 1000 + i);
	fprintf(f, "100 exit_group(0) = ?\n100 +++ exited with 0 +++\n");
}

static void fill_kids(FILE *f, void *arg)
{
	int kids = *(int *)arg;
	fprintf(f, "100 execve(\"/bin/sh\", [\"sh\"], 0x7ffc /* 10 vars */) = 0\n");
	for (int i = 0; i < kids; i++)
		fprintf(f, "100 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|SIGCHLD, "
			   "child_tidptr=0x7f) = %d\n",
			1000 + i);
	for (int i = 0; i < kids; i++)
		fprintf(f, "%d write(1, \"part\", 4) = 4\n", 1000 + i);
	for (int i = 0; i < kids; i++)
		fprintf(f, "%d exit_group(0) = ?\n%d +++ exited with 0 +++\n", 1000 + i, 1000 + i);
	fprintf(f, "100 exit_group(0) = ?\n100 +++ exited with 0 +++\n");
}

static int count_output(void *ctx, const struct da_event *ev)
{
	if (ev->kind == DA_EV_OUTPUT)
		++*(size_t *)ctx;
	return 0;
}

static void replay(const char *path, size_t *outputs)
{
	struct bus *bus = bus_new();
	bus_subscribe(bus, NULL, count_output, outputs);
	struct strace_replay_result res;
	char err[256];
	cr_assert_eq(source_strace_replay(path, "/app", bus, &res, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(res.warnings, 0, "%s", res.first_warning);
	strace_replay_result_free(&res);
	bus_free(bus);
}

Test(scale, fd_bomb_log_replays_in_bounded_memory, .timeout = 60)
{
	cap_memory(1u << 30);
	int forks = 2000;
	char *path = write_log(fill_fd_bomb, &forks);
	size_t outputs = 0;
	double t0 = cpu_seconds();
	replay(path, &outputs);
	cr_assert_lt(cpu_seconds() - t0, 5.0 * CPU_SLACK, "2000 forks of a wide fd table");
	cr_assert_eq(outputs, (size_t)forks, "each child's fd 1048000 is still the original stdout");
	unlink(path);
	free(path);
}

Test(scale, eighty_thousand_children_cost_constant_time_each, .timeout = 120)
{
	cap_memory(1u << 30);
	int kids = 80000;
	char *path = write_log(fill_kids, &kids);
	size_t outputs = 0;
	double t0 = cpu_seconds();
	replay(path, &outputs);
	double spent = cpu_seconds() - t0;
	cr_assert_eq(outputs, (size_t)kids, "each child's partial line is published at its end");
	cr_assert_lt(spent, 4.0 * CPU_SLACK, "80k children took %.1f s of CPU", spent);
	unlink(path);
	free(path);
}

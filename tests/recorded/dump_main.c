/*
 * dump_main.c — developer tool: replay a strace log (or ss listing with
 * --ss) and print every event, the warnings and the line rate.  Also the
 * throughput benchmark (tests/recorded/bench.sh).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "collect.h"
#include "recorded/source_strace.h"

static int count_only(void *ctx, const struct da_event *ev)
{
	(void)ev;
	++*(unsigned long *)ctx;
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s [--quiet|--ss] LOG [CWD]\n", argv[0]);
		return 2;
	}
	int quiet = !strcmp(argv[1], "--quiet"), ss = !strcmp(argv[1], "--ss");
	const char *log = argv[1 + (quiet || ss)];
	const char *cwd = argc > 2 + (quiet || ss) ? argv[2 + (quiet || ss)] : "/home/auditor/app";
	char err[256];
	if (ss) {
		struct collect c;
		struct ss_replay_result r;
		collect_init(&c);
		int rc = source_ss_replay(log, 0, c.bus, &r, err, sizeof(err));
		collect_dump(&c);
		printf("rc=%d sockets=%llu warnings=%llu %s\n", rc, (unsigned long long)r.sockets,
		       (unsigned long long)r.warnings, r.first_warning);
		collect_fini(&c);
		return rc < 0;
	}
	struct strace_replay_result res;
	struct timespec a, b;
	int rc;
	clock_gettime(CLOCK_MONOTONIC, &a);
	if (quiet) {
		unsigned long n = 0;
		struct bus *bus = bus_new();
		bus_subscribe(bus, NULL, count_only, &n);
		rc = source_strace_replay(log, cwd, bus, &res, err, sizeof(err));
		bus_free(bus);
	} else {
		struct collect c;
		collect_init(&c);
		rc = source_strace_replay(log, cwd, c.bus, &res, err, sizeof(err));
		collect_dump(&c);
		collect_fini(&c);
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	double s = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
	printf("rc=%d %s lines=%llu events=%llu warnings=%llu first=%s main=%d last_time=%.6f cmd0=%s seconds=%.3f lines/s=%.0f\n",
	       rc, rc ? err : "", (unsigned long long)res.lines, (unsigned long long)res.events,
	       (unsigned long long)res.warnings, res.first_warning, res.main_pid, res.last_time_s,
	       res.command && res.command[0] ? res.command[0] : "-", s, s > 0 ? (double)res.lines / s : 0);
	strace_replay_result_free(&res);
	return rc < 0;
}

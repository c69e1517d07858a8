/*
 * test_rules_alloc.c — evaluation allocates nothing.
 *
 * The test binary interposes malloc/calloc/realloc with counting versions
 * (glibc's __libc_* do the work); the count is kept per thread and only
 * while `counting` is set, so Criterion's own threads do not disturb it.
 * A rule set using every operator, lists, macros, templates and a
 * sequence runs over many events: the count must stay 0.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "helpers.h"

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);

static __thread volatile int counting;
static __thread volatile long allocations;

void *malloc(size_t n)
{
	if (counting)
		allocations++;
	return __libc_malloc(n);
}

void *calloc(size_t a, size_t b)
{
	if (counting)
		allocations++;
	return __libc_calloc(a, b);
}

void *realloc(void *p, size_t n)
{
	if (counting)
		allocations++;
	return __libc_realloc(p, n);
}

static const char RULES[] =
	"lists:\n  shells: [sh, bash, dash]\n"
	"macros:\n  spawned: kind = exec and not initial_exec\n"
	"rules:\n"
	"  - id: a\n    severity: high\n    message: \"%{name} %{cmdline} %{ancestor.name} %{addr.host}\"\n"
	"    condition: spawned and name in shells and argv glob \"-*\" and ancestor.name = python3\n"
	"  - id: b\n    severity: low\n    message: \"%{path} %{mode}\"\n"
	"    condition: (kind = open and access hasbits write and path.persistence != none) or "
	"(path glob \"/tmp/*\" and path.sensitive = false and path.in_workdir = false)\n"
	"  - id: c\n    severity: medium\n    message: \"%{addr}\"\n"
	"    condition: addr cidr (10.0.0.0/8, 127.0.0.0/8) or addr endpoint (\"*:443\", localhost) "
	"or addr.host contains 203\n"
	"  - id: d\n    severity: critical\n    message: seq\n    within: 5s\n"
	"    sequence: [kind = connect, spawned and name.shell and stdin startswith socket:inet]\n";

static void count_fire(void *arg, struct rrule *r, const char *const *ev, size_t n)
{
	(void)r;
	(void)ev;
	(void)n;
	(*(long *)arg)++;
}

Test(alloc, evaluation_allocates_nothing)
{
	struct fixture fx;
	cr_assert_eq(fx_load(&fx, RULES), 0, "%s", fx.err.msg);
	const char *argv[] = {"/bin/sh", "-c", "id"};
	char msg[RULES_MSG_LEN];
	long matched = 0, fired = 0;
	counting = 1;
	for (int i = 0; i < 20000; i++) {
		int32_t pid = 100 + i % 500;
		struct da_event ev[4];
		ev[0] = fx_event(DA_EV_PROC_FORK, pid, 99);
		ev[0].target_pid = pid + 1000;
		ev[1] = fx_event(DA_EV_NET_CONNECT, pid, 99);
		ev[1].addr = i % 2 ? "127.0.0.1:4444" : "[::ffff:203.0.113.9]:443";
		ev[1].stdio[0] = NULL;
		ev[2] = fx_event(DA_EV_PROC_EXEC, pid + 1000, pid);
		ev[2].path = "/bin/sh";
		ev[2].argv = argv;
		ev[2].argc = 3;
		ev[2].stdio[0] = "socket:inet/stream->127.0.0.1:4444";
		ev[3] = fx_event(DA_EV_FILE_OPEN, pid, 99);
		ev[3].path = i % 3 ? "/home/auditor/.bashrc" : "/tmp/x";
		ev[3].access = DA_ACC_WRITE;
		for (int e = 0; e < 4; e++) {
			fx.ctx.ev = &ev[e];
			fx.ctx.filled = 0;
			rproc_prepare(&fx.procs, &ev[e], &fx.ctx);
			for (size_t r = 0; r < fx.rs.n_rules; r++)
				if (fx.rs.rules[r].n_steps > 1)
					rules_seq_advance(&fx.rs, &fx.rs.rules[r], &fx.ctx, count_fire, &fired);
			for (size_t r = 0; r < fx.rs.n_rules; r++)
				for (int s = 0; s < fx.rs.rules[r].n_steps; s++)
					if (rules_eval(&fx.rs, &fx.rs.rules[r].steps[s], &fx.ctx)) {
						matched++;
						rules_render(&fx.rs.rules[r].message, &fx.ctx, msg, sizeof(msg));
					}
			rproc_update(&fx.procs, &ev[e]);
		}
	}
	counting = 0;
	cr_assert_gt(matched, 20000, "the rules did run (%ld matches)", matched);
	cr_assert_gt(fired, 1000, "the sequence completed (%ld times)", fired);
	cr_assert_eq(allocations, 0, "%ld allocations while evaluating", allocations);
	fx_free(&fx);
}

Test(alloc, the_counter_counts)
{
	counting = 1;
	void *volatile p = malloc(10);
	counting = 0;
	free(p);
	cr_assert_eq(allocations, 1, "the interposed malloc is the one called");
}

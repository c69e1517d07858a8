/*
 * test_rules_seq.c — sequences: order, window, process tree vs process,
 * one open sequence per anchor, and the bound on open sequences.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "helpers.h"

static int fired;
static char last_evidence[2][RULES_EVIDENCE_LEN];

static void on_fire(void *arg, struct rrule *r, const char *const *ev, size_t n)
{
	(void)arg;
	(void)r;
	fired++;
	for (size_t i = 0; i < n && i < 2; i++)
		snprintf(last_evidence[i], sizeof(last_evidence[i]), "%s", ev[i]);
}

static void feed(struct fixture *fx, struct da_event ev)
{
	fx->ctx.ev = &ev;
	fx->ctx.filled = 0;
	rproc_prepare(&fx->procs, &ev, &fx->ctx);
	for (size_t i = 0; i < fx->rs.n_rules; i++)
		rules_seq_advance(&fx->rs, &fx->rs.rules[i], &fx->ctx, on_fire, NULL);
	rproc_update(&fx->procs, &ev);
}

static struct da_event at(uint32_t kind, int32_t pid, int32_t ppid, double t, const char *text)
{
	struct da_event ev = fx_event(kind, pid, ppid);
	ev.time_s = t;
	ev.text = text;
	return ev;
}

static void load(struct fixture *fx, const char *by)
{
	char text[512];
	snprintf(text, sizeof(text),
		 "rules:\n  - id: s\n    severity: high\n    message: m\n    within: 5s\n"
		 "    by: %s\n    sequence: [kind = connect, kind = exec]\n", by);
	cr_assert_eq(fx_load(fx, text), 0, "%s", fx->err.msg);
	fired = 0;
}

static void fork_of(struct fixture *fx, int32_t parent, int32_t child, double t)
{
	struct da_event f = at(DA_EV_PROC_FORK, parent, 1, t, "clone()");
	f.target_pid = child;
	feed(fx, f);
}

Test(seq, tree_descendant_fires_sibling_does_not)
{
	struct fixture fx;
	load(&fx, "tree");
	fork_of(&fx, 10, 11, 0);
	fork_of(&fx, 10, 12, 0);
	fork_of(&fx, 11, 13, 0);
	feed(&fx, at(DA_EV_NET_CONNECT, 11, 10, 1, "connect(3, ...)"));
	feed(&fx, at(DA_EV_PROC_EXEC, 12, 10, 2, "execve(sibling)"));
	cr_assert_eq(fired, 0, "a sibling is not in the tree");
	feed(&fx, at(DA_EV_PROC_EXEC, 13, 11, 3, "execve(child)"));
	cr_assert_eq(fired, 1);
	cr_assert_str_eq(last_evidence[0], "connect(3, ...)");
	cr_assert_str_eq(last_evidence[1], "execve(child)");
	feed(&fx, at(DA_EV_PROC_EXEC, 13, 11, 3.5, "execve(again)"));
	cr_assert_eq(fired, 1, "a completed sequence does not fire again by itself");
	fx_free(&fx);
}

Test(seq, order_window_and_process_scope)
{
	struct fixture fx;
	load(&fx, "process");
	feed(&fx, at(DA_EV_PROC_EXEC, 20, 1, 0, "exec first"));
	feed(&fx, at(DA_EV_NET_CONNECT, 20, 1, 1, "connect"));
	fork_of(&fx, 20, 21, 1.5);
	feed(&fx, at(DA_EV_PROC_EXEC, 21, 20, 2, "exec child"));
	cr_assert_eq(fired, 0, "by: process: a child does not count");
	feed(&fx, at(DA_EV_PROC_EXEC, 20, 1, 7, "exec late"));
	cr_assert_eq(fired, 0, "outside the 5 s window");
	feed(&fx, at(DA_EV_NET_CONNECT, 20, 1, 8, "connect 2"));
	feed(&fx, at(DA_EV_NET_CONNECT, 20, 1, 12, "connect 3 restarts the window"));
	feed(&fx, at(DA_EV_PROC_EXEC, 20, 1, 16, "exec in time"));
	cr_assert_eq(fired, 1);
	cr_assert_str_eq(last_evidence[0], "connect 3 restarts the window");
	fx_free(&fx);
}

Test(seq, open_sequences_are_bounded)
{
	struct fixture fx;
	load(&fx, "process");
	for (int i = 0; i < RULES_MAX_PARTIALS + 8; i++)
		feed(&fx, at(DA_EV_NET_CONNECT, 100 + i, 1, i * 0.01, "connect"));
	cr_assert_eq(fx.rs.rules[0].evicted, 8, "the oldest are dropped and counted");
	int used = 0;
	for (int i = 0; i < RULES_MAX_PARTIALS; i++)
		used += fx.rs.rules[0].partials[i].used;
	cr_assert_eq(used, RULES_MAX_PARTIALS);
	feed(&fx, at(DA_EV_PROC_EXEC, 100, 1, 1, "exec of a dropped anchor"));
	cr_assert_eq(fired, 0);
	feed(&fx, at(DA_EV_PROC_EXEC, 100 + RULES_MAX_PARTIALS + 7, 1, 1, "exec of a kept one"));
	cr_assert_eq(fired, 1);
	fx_free(&fx);
}

/*
 * rules_seq.c — sequences: rules whose steps must match in order, within
 * a window, in one process tree (or one process).
 *
 * An open sequence is anchored at the process that matched the first
 * step; a later step counts when its process is the anchor or (by: tree)
 * a descendant of it, and the window is measured from the first step.
 * State is bounded: at most one open sequence per anchor and rule (a
 * repeat of the first step restarts its window), at most
 * RULES_MAX_PARTIALS per rule (the oldest is dropped and counted in
 * `evicted`), each with a fixed evidence buffer per step, all allocated
 * at init.
 */
#include <stdio.h>

#include "rules.h"

static void keep_text(char *dst, const struct da_event *ev)
{
	snprintf(dst, RULES_EVIDENCE_LEN, "%s", ev->text ? ev->text : "");
}

void rules_seq_advance(const struct ruleset *rs, struct rrule *r, struct rctx *ctx,
		       rules_fire_fn fire, void *arg)
{
	const struct da_event *ev = ctx->ev;
	for (int i = 0; i < RULES_MAX_PARTIALS; i++) {
		struct rpartial *p = &r->partials[i];
		if (!p->used)
			continue;
		if (ev->time_s - p->t0 > r->within) {
			p->used = false;
			continue;
		}
		bool related = r->scope == SCOPE_PROCESS ? ev->pid == p->anchor
							 : rproc_descends(ctx->procs, ev->pid, p->anchor);
		if (!related || !rules_eval(rs, &r->steps[p->next], ctx))
			continue;
		keep_text(p->evidence[p->next], ev);
		if (++p->next < r->n_steps)
			continue;
		const char *lines[RULES_MAX_STEPS];
		for (int s = 0; s < r->n_steps; s++)
			lines[s] = p->evidence[s];
		fire(arg, r, lines, (size_t)r->n_steps);
		p->used = false;
	}
	if (!DA_EVMASK_HAS(r->kinds, ev->kind % DA_EV_KIND_MAX) ||
	    !rules_eval(rs, &r->steps[0], ctx))
		return;
	/* one open sequence per anchor: a repeat restarts its window */
	struct rpartial *slot = NULL, *oldest = NULL;
	for (int i = 0; i < RULES_MAX_PARTIALS && !slot; i++) {
		struct rpartial *p = &r->partials[i];
		if (p->used && p->anchor == ev->pid && p->next == 1)
			slot = p;
		else if (!p->used)
			slot = p;
		else if (!oldest || p->t0 < oldest->t0)
			oldest = p;
	}
	if (!slot) {
		slot = oldest;
		r->evicted++;
	}
	slot->used = true;
	slot->anchor = ev->pid;
	slot->next = 1;
	slot->t0 = ev->time_s;
	keep_text(slot->evidence[0], ev);
}


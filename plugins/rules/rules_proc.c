/*
 * rules_proc.c — the process tree the rules see (parent.*, ancestor.*,
 * exe/name, sequences "in the same tree").
 *
 * A fixed open-addressing table of RULES_MAX_PROCS processes, allocated at
 * init: a fork storm fills it and later processes are simply not known
 * (their parent.* fields are absent, counted in `dropped`), it never
 * grows.  Entries are not removed at exit: a child may outlive its parent
 * and still name it, and a pid is reused only when a new fork or exec says
 * so, which overwrites the entry.
 */
#include <stdlib.h>
#include <string.h>

#include "rules.h"

int rproc_init(struct rproc_table *t)
{
	memset(t, 0, sizeof(*t));
	t->slots = calloc(RULES_MAX_PROCS, sizeof(*t->slots));
	return t->slots ? 0 : -1;
}

void rproc_free(struct rproc_table *t)
{
	free(t->slots);
	t->slots = NULL;
}

static size_t slot_of(int32_t pid)
{
	return ((uint32_t)pid * 2654435761u) % RULES_MAX_PROCS;
}

struct rproc *rproc_find(const struct rproc_table *t, int32_t pid)
{
	if (pid <= 0 || !t->slots)
		return NULL;
	for (size_t i = 0, s = slot_of(pid); i < RULES_MAX_PROCS; i++, s = (s + 1) % RULES_MAX_PROCS) {
		if (t->slots[s].pid == pid)
			return &t->slots[s];
		if (t->slots[s].pid == 0)
			return NULL;
	}
	return NULL;
}

/* The entry of pid, made (inheriting the parent's program) when new. */
static struct rproc *proc_add(struct rproc_table *t, int32_t pid, int32_t ppid)
{
	struct rproc *p = rproc_find(t, pid);
	if (p)
		return p;
	if (pid <= 0 || !t->slots || t->used >= RULES_MAX_PROCS * 3 / 4) {
		t->dropped++;
		return NULL;
	}
	size_t s = slot_of(pid);
	while (t->slots[s].pid != 0)
		s = (s + 1) % RULES_MAX_PROCS;
	p = &t->slots[s];
	t->used++;
	p->pid = pid;
	p->ppid = ppid;
	const struct rproc *parent = ppid > 0 && ppid != pid ? rproc_find(t, ppid) : NULL;
	if (parent)
		memcpy(p->exe, parent->exe, sizeof(p->exe));
	return p;
}

static int phase_of(const struct da_event *ev)
{
	return ev->phase && strcmp(ev->phase, "setup") == 0;
}

void rproc_prepare(struct rproc_table *t, const struct da_event *ev, struct rctx *ctx)
{
	int ph = phase_of(ev);
	if (t->first_pid[ph] == 0 && ev->pid > 0)
		t->first_pid[ph] = ev->pid;
	struct rproc *p = proc_add(t, ev->pid, ev->ppid);
	if (p && p->ppid == 0 && ev->ppid > 0)
		p->ppid = ev->ppid;
	ctx->proc = p;
	/* The target's own exec (target.command, or target.setup's command
	 * in the setup phase) is dynaudit's doing, not the submission's: the
	 * first exec of the phase's first process. */
	ctx->initial_exec = ev->kind == DA_EV_PROC_EXEC && !t->first_exec_seen[ph] &&
			    ev->pid == t->first_pid[ph] && (!p || p->execs == 0);
}

void rproc_update(struct rproc_table *t, const struct da_event *ev)
{
	if (ev->kind == DA_EV_PROC_FORK && ev->target_pid > 0 &&
	    !(ev->detail && strcmp(ev->detail, "thread") == 0)) {
		struct rproc *c = rproc_find(t, ev->target_pid);
		if (c) { /* a reused pid: a new process */
			c->ppid = ev->pid;
			c->execs = 0;
			const struct rproc *parent = rproc_find(t, ev->pid);
			memcpy(c->exe, parent ? parent->exe : "", parent ? sizeof(c->exe) : 1);
		} else {
			proc_add(t, ev->target_pid, ev->pid);
		}
	} else if (ev->kind == DA_EV_PROC_EXEC && ev->err == 0) {
		if (ev->pid == t->first_pid[phase_of(ev)])
			t->first_exec_seen[phase_of(ev)] = true;
		struct rproc *p = rproc_find(t, ev->pid);
		const char *exe = ev->path ? ev->path
			       : (ev->argc > 0 && ev->argv && ev->argv[0]) ? ev->argv[0] : "";
		if (p) {
			p->execs++;
			strncpy(p->exe, exe, sizeof(p->exe) - 1);
			p->exe[sizeof(p->exe) - 1] = '\0';
		}
	}
}

bool rproc_descends(const struct rproc_table *t, int32_t pid, int32_t anchor)
{
	for (int depth = 0; pid > 0 && depth < 64; depth++) {
		if (pid == anchor)
			return true;
		const struct rproc *p = rproc_find(t, pid);
		if (!p || p->ppid == pid)
			return false;
		pid = p->ppid;
	}
	return false;
}

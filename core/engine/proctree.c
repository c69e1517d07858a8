/*
 * proctree.c — see proctree.h.
 */
#include "engine/proctree.h"

#include <stdlib.h>
#include <string.h>

/* The live record of pid (the newest one with that pid). */
static struct proc_rec *find(struct report_input *in, int pid)
{
	for (size_t i = in->n_procs; i-- > 0;)
		if (in->procs[i].pid == pid)
			return &in->procs[i];
	return NULL;
}

static struct proc_rec *add(struct report_input *in, int pid, int ppid, double t, const char *phase)
{
	if (in->n_procs >= PROCTREE_MAX) {
		in->procs_dropped++;
		return NULL;
	}
	struct proc_rec *n = realloc(in->procs, (in->n_procs + 1) * sizeof(*n));
	if (!n) {
		in->procs_dropped++;
		return NULL;
	}
	in->procs = n;
	struct proc_rec *p = &n[in->n_procs++];
	memset(p, 0, sizeof(*p));
	p->pid = pid;
	p->ppid = ppid;
	p->start_s = t;
	p->end_s = -1;
	p->setup = phase && strcmp(phase, "setup") == 0;
	return p;
}

/* The record an exec or exit of pid belongs to, created when unseen. */
static struct proc_rec *current(struct report_input *in, const struct da_event *ev)
{
	struct proc_rec *p = find(in, ev->pid);
	if (p && !p->ended)
		return p;
	return add(in, ev->pid, ev->ppid > 0 ? ev->ppid : 0, ev->time_s, ev->phase);
}

static void set_argv(struct proc_rec *p, const struct da_event *ev)
{
	char **v = calloc((size_t)(ev->argc > 0 ? ev->argc : 0) + 1, sizeof(*v));
	if (!v)
		return;
	for (int i = 0; i < ev->argc; i++)
		if (!(v[i] = strdup(ev->argv && ev->argv[i] ? ev->argv[i] : ""))) {
			for (int j = 0; j < i; j++)
				free(v[j]);
			free(v);
			return;
		}
	for (size_t i = 0; p->argv && p->argv[i]; i++)
		free(p->argv[i]);
	free(p->argv);
	p->argv = v;
	free(p->exe);
	p->exe = ev->path ? strdup(ev->path) : NULL;
}

static int on_event(void *ctx, const struct da_event *ev)
{
	struct report_input *in = ctx;
	struct proc_rec *p;
	switch (ev->kind) {
	case DA_EV_PROC_FORK:
		if (ev->target_pid <= 0 || (ev->detail && strcmp(ev->detail, "thread") == 0))
			break;
		if (!find(in, ev->pid))
			add(in, ev->pid, ev->ppid > 0 ? ev->ppid : 0, ev->time_s, ev->phase);
		p = find(in, ev->target_pid);
		if (!p || p->ended)
			add(in, ev->target_pid, ev->pid, ev->time_s, ev->phase);
		else if (!p->ppid)
			p->ppid = ev->pid; /* seen before its parent's fork returned */
		break;
	case DA_EV_PROC_EXEC:
		if (!(p = current(in, ev)))
			break;
		p->execs++;
		if (!ev->err)
			set_argv(p, ev);
		break;
	case DA_EV_PROC_EXIT:
		if (!(p = current(in, ev)))
			break;
		p->ended = true;
		p->end_s = ev->time_s;
		p->exit_code = (int)ev->arg[0];
		free(p->signal);
		p->signal = ev->detail ? strdup(ev->detail) : NULL;
		break;
	default:
		break;
	}
	return 0;
}

int proctree_subscribe(struct bus *bus, struct report_input *in)
{
	uint64_t mask[DA_EVMASK_WORDS] = {0};
	DA_EVMASK_SET(mask, DA_EV_PROC_FORK);
	DA_EVMASK_SET(mask, DA_EV_PROC_EXEC);
	DA_EVMASK_SET(mask, DA_EV_PROC_EXIT);
	return bus_subscribe(bus, mask, on_event, in);
}

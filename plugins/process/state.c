/*
 * state.c — the run's tables: processes, created paths, small sets, report()
 */
#include "process.h"

/* ---- small helpers -------------------------------------------------- */

bool in_list(const char *word, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(word, *list) == 0)
			return true;
	return false;
}

/* "python3.11" is a versioned "python3": same program for allow rules. */
bool same_program(const char *base, const char *want)
{
	size_t n = strlen(want);
	if (!*want || strncmp(base, want, n) != 0)
		return false;
	return strspn(base + n, "0123456789.-") == strlen(base + n);
}

bool created_has(const struct state *st, const char *path)
{
	return path && da_strset_has(st->created, path);
}

void created_add(struct state *st, const char *path)
{
	if (path && da_strset_add(st->created, path) < 0)
		st->created_dropped++;
}

struct proc *proc_find(struct state *st, int pid)
{
	for (size_t i = st->n_procs; i-- > 0;)
		if (st->procs[i].pid == pid)
			return &st->procs[i];
	return NULL;
}

struct proc *proc_get(struct state *st, int pid, int ppid)
{
	struct proc *p = proc_find(st, pid);
	if (p)
		return p;
	if (st->n_procs >= MAX_PROCS) {
		st->procs_dropped++;
		return NULL;
	}
	p = &st->procs[st->n_procs++];
	memset(p, 0, sizeof(*p));
	p->pid = pid;
	p->ppid = ppid;
	p->alive = true;
	p->orphaned_at = -1;
	/* a child starts as a copy of its parent (a strace log may show the
	 * child's exec before the clone that made it returns) */
	const struct proc *parent = ppid > 0 ? proc_find(st, ppid) : NULL;
	if (parent) {
		p->setup = parent->setup;
		p->builder = parent->builder;
		p->driver = parent->driver;
		p->session = parent->session;
		if (parent->image)
			p->image = strdup(parent->image);
		if (parent->cover)
			p->cover = strdup(parent->cover);
	}
	return p;
}

void set_str(char **slot, const char *value)
{
	free(*slot);
	*slot = value ? strdup(value) : NULL;
}

__attribute__((format(printf, 6, 7)))
void report(struct state *st, const char *rule, enum da_severity sev,
	    const struct da_event *ev, const char *recommendation, const char *fmt, ...)
{
	char message[512];
	const char *evidence[1] = {ev ? ev->text : NULL};
	struct da_finding f = {.rule = rule, .severity = sev, .pid = ev ? ev->pid : 0,
			       .time_s = ev ? ev->time_s : -1, .evidence = evidence,
			       .n_evidence = evidence[0] ? 1 : 0, .recommendation = recommendation};
	va_list ap;
	va_start(ap, fmt);
	da_emit_findingv(st->host, &f, message, sizeof(message), fmt, ap);
	va_end(ap);
	if (sev >= DA_SEV_LOW && st->n_flagged++ == 0) {
		snprintf(st->first_flagged, sizeof(st->first_flagged), "%.199s", message);
		st->first_is_recon = strcmp(rule, "process.recon") == 0;
	}
}

/* "name arg1 arg2", bounded, for messages.  name is the program really run:
 * argv[0] may be truncated by strace -s or be anything the caller chose. */
void join_argv(const struct da_event *ev, const char *name, char *out, size_t outlen)
{
	int first = snprintf(out, outlen, "%s", name);
	size_t used = first > 0 ? (size_t)first : 0;
	for (int i = 1; i < ev->argc && ev->argv && used + 1 < outlen; i++) {
		const char *a = ev->argv[i] ? ev->argv[i] : "";
		int n = snprintf(out + used, outlen - used, " %s", a);
		if (n < 0)
			break;
		used += (size_t)n;
	}
	if (used >= outlen && outlen > 4)
		memcpy(out + outlen - 4, "...", 4);
}

/* The primary path of ev: the core's resolution (cwd, dirfd, symlinks),
 * or the path as written when the core had none. */
const char *event_path(const struct da_event *ev)
{
	return ev->path ? ev->path : ev->raw_path;
}

/* ---- what a program is ----------------------------------------------- */

/* Shells: libdynaudit-sdk's class (da_prog_is_shell), the one backdoor and
 * file ask too. */

/* ---- small sets ------------------------------------------------------- */

bool int_in(const int *set, size_t n, int v)
{
	for (size_t i = 0; i < n; i++)
		if (set[i] == v)
			return true;
	return false;
}

void note_activity(struct state *st, double t)
{
	if (!st->activity_seen || t < st->first_activity_s)
		st->first_activity_s = t;
	if (!st->activity_seen || t > st->last_activity_s)
		st->last_activity_s = t;
	st->activity_seen = true;
}

/* ---- rules -------------------------------------------------------------- */


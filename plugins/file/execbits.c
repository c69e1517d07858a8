/*
 * execbits.c — file.exec_created: executables made outside the workdir,
 * judged once it is known what became of them.
 *
 * A file created executable (or chmod +x) outside the workdir is
 * remembered, not reported at once, because what follows tells a dropped
 * program from a tool's own bookkeeping:
 *   - executed (any exec attempt of its path, after renames): reported at
 *     once, high, saying it ran;
 *   - its exec bits taken away again by a later chmod: a mode probe (git
 *     init tests core.filemode by chmod +x and back on .git/config), not
 *     an executable: forgotten;
 *   - never run, and either created exclusively (O_EXCL) owner-only (0700:
 *     a private temporary file, clamd's scan files) under a name that is
 *     not hidden, or one of git's sample hooks (.git/hooks/NAME.sample,
 *     copied from the templates; git never runs them, file.persistence
 *     skips them too): forgotten at the end;
 *   - anything else is reported at the end, high, as before (a 0755 file
 *     in /tmp, a hidden 0700 file in /dev/shm).
 * At most MAX_PENDING files wait; past that they are reported at once.
 */
#include "file.h"

#define MAX_PENDING 256
#define O_EXCL_FLAG 0200 /* Linux O_EXCL, spelled out like O_CLOEXEC_FLAG */

struct pending_exec {
	char *path;       /* where it is now (renames followed) */
	char *text;       /* the evidence: the create or chmod line */
	char *via;        /* the name the program used, when judged through a link */
	bool via_shipped;
	int pid;
	double time_s;
	int kind;         /* DA_EV_FILE_OPEN or DA_EV_FILE_CHMOD */
	uint32_t mode;
	bool private_tmp; /* O_EXCL, 0700-like (owner exec only), not hidden */
	int err;
	char errname[24];
};

struct exec_pending {
	struct pending_exec e[MAX_PENDING];
	size_t n;
};

static void entry_free(struct pending_exec *p)
{
	free(p->path);
	free(p->text);
	free(p->via);
	memset(p, 0, sizeof(*p));
}

static void entry_drop(struct state *st, size_t i)
{
	struct exec_pending *q = st->exec_pending;
	entry_free(&q->e[i]);
	/* kept in order: the findings come out as the files were made */
	memmove(&q->e[i], &q->e[i + 1], (q->n - i - 1) * sizeof(q->e[0]));
	q->n--;
	memset(&q->e[q->n], 0, sizeof(q->e[q->n]));
}

static struct pending_exec *entry_find(const struct state *st, const char *path)
{
	struct exec_pending *q = st->exec_pending;
	for (size_t i = 0; q && i < q->n; i++)
		if (strcmp(q->e[i].path, path) == 0)
			return &q->e[i];
	return NULL;
}

/* The one place the finding is written.  ran: what an exec of it did
 * (", and runs it"), "" when none was seen. */
static void emit(struct state *st, const struct da_event *ev, const char *path, const char *ran)
{
	char rbuf[64];
	if (!seen_once(st, 'x', path))
		return; /* reported before */
	st->n_exec_hits++;
	report(st, "file.exec_created", DA_SEV_HIGH, ev,
	       "Find out what the dropped executable is and whether it was run.",
	       "%s executable file %s outside the workdir (mode %04llo)%s%s",
	       ev->kind == DA_EV_FILE_CHMOD ? "Makes" : "Creates", path,
	       (unsigned long long)(ev->mode & 07777), result_text(ev, rbuf, sizeof(rbuf)), ran);
}

/* Writes the remembered finding of entry i and forgets it. */
static void emit_entry(struct state *st, size_t i, const char *ran)
{
	struct pending_exec *p = &st->exec_pending->e[i];
	struct da_event ev = {0};
	ev.kind = p->kind;
	ev.pid = p->pid;
	ev.time_s = p->time_s;
	ev.mode = p->mode;
	ev.path = p->path;
	ev.text = p->text;
	ev.err = p->err;
	ev.errname = p->errname[0] ? p->errname : NULL;
	ev.result = p->err ? -1 : 0;
	const char *via = st->via;
	bool via_shipped = st->via_shipped;
	st->via = p->via;
	st->via_shipped = p->via_shipped;
	emit(st, &ev, p->path, ran);
	st->via = via;
	st->via_shipped = via_shipped;
	entry_drop(st, i);
}

static bool git_sample_hook(const char *path)
{
	const char *hooks = strstr(path, "/.git/hooks/");
	return hooks && !strchr(hooks + 12, '/') && da_str_ends_with(path, ".sample");
}

void judge_exec_bits(struct state *st, const struct da_event *ev, const char *path)
{
	/* /dev holds device nodes, but /dev/shm is a tmpfs anyone can drop files in */
	bool device = da_path_under(path, "/dev") && !da_path_under(path, "/dev/shm");
	if (da_path_under(path, st->host->run->workdir) || device || strstr(path, "/__pycache__"))
		return;
	struct pending_exec *p = entry_find(st, path);
	if (!(ev->mode & 0111)) {
		/* the bits taken away again before it ran: a mode probe */
		if (p && ev->kind == DA_EV_FILE_CHMOD && !ev->err)
			entry_drop(st, (size_t)(p - st->exec_pending->e));
		return;
	}
	if (p) {
		if (ev->kind == DA_EV_FILE_CHMOD)
			p->private_tmp = false; /* made executable on purpose, again */
		return;
	}
	char key[PATH_MAX_LEN + 4];
	snprintf(key, sizeof(key), "d:%s", path);
	if (seen_has(st, key))
		return; /* a directory the target made: x bit means "enter" */
	snprintf(key, sizeof(key), "x:%s", path);
	if (seen_has(st, key))
		return; /* reported before (emit remembers it) */
	struct exec_pending *q = st->exec_pending;
	if (!q || q->n >= MAX_PENDING) {
		emit(st, ev, path, "");
		return;
	}
	p = &q->e[q->n];
	p->path = strdup(path);
	p->text = ev->text ? strdup(ev->text) : ev->detail ? strdup(ev->detail) : NULL;
	p->via = st->via ? strdup(st->via) : NULL;
	if (!p->path || (!p->text && (ev->text || ev->detail)) || (!p->via && st->via)) {
		entry_free(p);
		emit(st, ev, path, "");
		return;
	}
	p->via_shipped = st->via_shipped;
	p->pid = ev->pid;
	p->time_s = ev->time_s;
	p->kind = ev->kind;
	p->mode = ev->mode;
	p->err = ev->err;
	if (ev->errname)
		da_copy_text(p->errname, sizeof(p->errname), ev->errname);
	p->private_tmp = ev->kind == DA_EV_FILE_OPEN && (ev->flags & O_EXCL_FLAG) &&
			 (ev->mode & 0111) == 0100 && !da_path_has_hidden(path);
	q->n++;
}

void exec_bits_renamed(struct state *st, const char *from, const char *to)
{
	struct pending_exec *p = entry_find(st, from);
	char *moved = p ? strdup(to) : NULL;
	if (!moved)
		return;
	free(p->path);
	p->path = moved;
	if (da_path_has_hidden(to))
		p->private_tmp = false;
}

void exec_bits_ran(struct state *st, const struct da_event *ev)
{
	char path[PATH_MAX_LEN];
	const char *raw = ev->path ? ev->path : ev->raw_path;
	if (!raw || !*raw || !st->exec_pending)
		return;
	da_path_normalize(raw, st->host->run->workdir, path, sizeof(path));
	struct pending_exec *p = entry_find(st, path);
	if (p)
		emit_entry(st, (size_t)(p - st->exec_pending->e),
			   ev->err ? ", and tries to run it" : ", and runs it");
}

void exec_bits_finish(struct state *st)
{
	struct exec_pending *q = st->exec_pending;
	while (q && q->n > 0) {
		struct pending_exec *p = &q->e[0];
		if (p->private_tmp || git_sample_hook(p->path))
			entry_drop(st, 0);
		else
			emit_entry(st, 0, "");
	}
}

struct exec_pending *exec_pending_new(void)
{
	return calloc(1, sizeof(struct exec_pending));
}

void exec_pending_free(struct exec_pending *q)
{
	for (size_t i = 0; q && i < q->n; i++)
		entry_free(&q->e[i]);
	free(q);
}

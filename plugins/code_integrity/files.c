/*
 * files.c — small helpers, emit() and the table of workdir files
 */
#include "code_integrity.h"

/* ---- small helpers ---------------------------------------------------- */

/* "0.34" / "4.2" / "37": short seconds for messages. */
void fmt_seconds(double t, char *buf, size_t len)
{
	if (t <= 0) {
		snprintf(buf, len, "0"); /* also a log without timestamps */
		return;
	}
	snprintf(buf, len, t < 1 ? "%.2f" : t < 10 ? "%.1f" : "%.0f", t);
}

void emit(struct code_integrity *st, const char *rule, enum da_severity sev, int pid, double t,
	  const char *const *evidence, size_t n_ev, const char *recommendation, const char *fmt, ...)
{
	char msg[1536]; /* the longest message: an error line and its context (crashes.c) */
	struct da_finding f = {.rule = rule, .severity = sev, .pid = pid, .time_s = t,
			       .evidence = evidence, .n_evidence = n_ev, .recommendation = recommendation};
	va_list ap;
	va_start(ap, fmt);
	/* emit only refuses malformed findings, which this file never builds */
	(void)da_emit_findingv(st->host, &f, msg, sizeof(msg), fmt, ap);
	va_end(ap);
}

/* ---- the workdir file table -------------------------------------------- */

bool under_workdir(const struct code_integrity *st, const char *path)
{
	return path && st->workdir_len > 0 && strncmp(path, st->workdir, st->workdir_len) == 0 &&
	       path[st->workdir_len] == '/';
}

/* Files whose change says nothing about the submission's integrity. */
static bool is_generated(const char *path)
{
	static const char *const suffixes[] = {".pyc", ".pyo", ".o", ".obj", ".a", ".so",
					       ".d", ".gch", ".class", ".swp", "~"};
	if (strstr(path, "/__pycache__/") || strcmp(da_prog_base_name(path), "a.out") == 0)
		return true;
	/* git keeps its index, locks and objects itself (`git describe --dirty`
	 * refreshes the index); its hooks and config decide what runs */
	if (strstr(path, "/.git/") && !strstr(path, "/.git/hooks/") && !da_str_ends_with(path, "/.git/config"))
		return true;
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++)
		if (da_str_ends_with(path, suffixes[i]))
			return true;
	return false;
}

static bool is_source(const struct code_integrity *st, const char *path)
{
	static const char *const exts[] = {
		".py", ".pyw", ".c", ".h", ".cc", ".cpp", ".cxx", ".hh", ".hpp", ".hxx", ".js",
		".mjs", ".cjs", ".ts", ".java", ".go", ".rs", ".rb", ".pl", ".pm", ".php", ".sh",
		".bash", ".zsh", ".lua", ".r", ".R", ".jl", ".kt", ".scala", ".swift", ".cs",
		".ex", ".exs", ".erl", ".hs", ".ml", ".jar", ".ipynb"};
	static const char *const names[] = {"Makefile", "makefile", "GNUmakefile", "CMakeLists.txt",
					    "Dockerfile", "requirements.txt", "pyproject.toml",
					    "package.json", "Cargo.toml", "go.mod", "meson.build"};
	const char *base = da_prog_base_name(path);
	if (st->script && strcmp(base, st->script) == 0)
		return true;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(base, names[i]) == 0)
			return true;
	for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++)
		if (da_str_ends_with(base, exts[i]))
			return true;
	return false;
}

static size_t hash_path(const char *s)
{
	return (size_t)(da_hash_str(s) % PATH_SLOTS);
}

/* The record of path, created when absent; NULL when the table is full. */
static struct file_rec *file_get(struct code_integrity *st, const char *path)
{
	size_t i = hash_path(path);
	while (st->slots[i].path) {
		if (strcmp(st->slots[i].path, path) == 0)
			return &st->slots[i];
		i = (i + 1) % PATH_SLOTS;
	}
	if (st->n_paths >= MAX_PATHS) {
		st->paths_dropped++;
		return NULL;
	}
	st->slots[i].path = strdup(path);
	if (!st->slots[i].path) {
		st->paths_dropped++;
		return NULL;
	}
	st->n_paths++;
	return &st->slots[i];
}

/* Records the change ev makes to r, unless one is recorded already; a
 * syscall's line replaces an inotify line (better evidence).  Returns true
 * when ev is now the recorded change. */
static bool touch(struct file_rec *r, const struct da_event *ev, const char *op)
{
	bool from_monitor = ev->kind == DA_EV_FS_MONITOR;
	if ((r->flags & F_TOUCHED) && (from_monitor || !(r->flags & F_MON_TOUCH)))
		return false;
	r->flags = (r->flags | F_TOUCHED) & ~(unsigned)(F_MON_TOUCH | F_RENAMED_ONTO);
	if (from_monitor)
		r->flags |= F_MON_TOUCH;
	r->op = op;
	r->pid = ev->pid;
	r->time_s = ev->time_s;
	free(r->evidence);
	r->evidence = ev->text ? strndup(ev->text, LINE_MAX_KEPT) : NULL;
	r->outcome[0] = '\0';
	if (ev->err)
		snprintf(r->outcome, sizeof(r->outcome), " (failed: %s)",
			 ev->errname ? ev->errname : "error");
	return true;
}

/* A successful look at a file (a read-only open, a probe) with a known
 * result, before it is changed, proves it was there.  (A live run's
 * read-only opens have none: programs probe names they are about to
 * create, e.g. dbm before it makes its database.) */
static void note_look(struct file_rec *r, bool proven)
{
	if (proven && !(r->flags & (F_CREATED | F_CREAT_OPEN | F_TOUCHED | F_SETUP)))
		r->flags |= F_EXISTED;
}

/* rename(old, new) with new under the workdir: new's content is replaced. */
static void on_rename_onto(struct code_integrity *st, const struct da_event *ev)
{
	bool failed = ev->err != 0 || ev->result < 0;
	struct file_rec *dst = file_get(st, ev->path2);
	if (!dst || (failed && ev->err == ENOENT))
		return;
	if (ev->phase) {
		dst->flags |= F_SETUP; /* the build moves its outputs into place */
		return;
	}
	if (failed && !(dst->flags & F_EXISTED))
		return; /* nothing was replaced, maybe nothing was there */
	if (touch(dst, ev, "replaces"))
		dst->flags |= F_RENAMED_ONTO;
	if (!failed && !(dst->flags & F_EXISTED))
		dst->flags |= F_CREATED; /* without inotify: a new name */
}

void on_file_event(struct code_integrity *st, const struct da_event *ev)
{
	const char *path = ev->path;
	if (ev->kind == DA_EV_FILE_WRITE && !path && ev->fd_desc && ev->fd_desc[0] == '/')
		path = ev->fd_desc;
	if (ev->kind == DA_EV_FILE_RENAME && under_workdir(st, ev->path2) &&
	    !is_generated(ev->path2))
		on_rename_onto(st, ev);
	if (!under_workdir(st, path) || is_generated(path))
		return;
	bool failed = ev->err != 0 || ev->result < 0;
	if (failed && ev->err == ENOENT)
		return; /* nothing there to modify */
	/* The live tracer sees some calls at entry only ("= ?"): such a call
	 * proves nothing about whether the file was there. */
	bool unknown = !failed && ev->text && strstr(ev->text, ") = ?") != NULL;
	struct file_rec *r = file_get(st, path);
	if (!r)
		return;
	bool writes = ev->kind != DA_EV_FILE_OPEN ||
		      (ev->access & (DA_ACC_WRITE | DA_ACC_TRUNC | DA_ACC_CREATE));
	if (ev->kind == DA_EV_FILE_STAT) {
		if (!failed)
			note_look(r, !unknown);
		return;
	}
	if (ev->phase) {
		/* the build writes, moves and cleans its outputs: only remember them
		 * (a chmod +x of a shipped script does not make it one) */
		if (!writes) {
			if (!failed)
				note_look(r, !unknown);
		} else if (ev->kind != DA_EV_FILE_CHMOD && !failed) {
			r->flags |= F_SETUP;
		}
		return;
	}
	bool fresh = !(r->flags & (F_CREATED | F_CREAT_OPEN | F_SETUP)) && !unknown;
	switch (ev->kind) {
	case DA_EV_FILE_OPEN:
		if (!(ev->access & (DA_ACC_WRITE | DA_ACC_TRUNC))) {
			if (!failed)
				note_look(r, fresh);
			return;
		}
		if (!(ev->access & DA_ACC_CREATE)) {
			if (fresh)
				r->flags |= F_EXISTED; /* opened for writing without O_CREAT */
		} else if ((ev->flags & O_EXCL) && !failed && !(r->flags & F_EXISTED)) {
			r->flags |= F_CREATED;
			return;
		} else if (!(r->flags & F_EXISTED)) {
			r->flags |= F_CREAT_OPEN;
		}
		touch(r, ev, (ev->access & DA_ACC_TRUNC) ? "overwrites" : "writes to");
		return;
	case DA_EV_FILE_WRITE:
		touch(r, ev, "writes to");
		return;
	case DA_EV_FILE_UNLINK:
	case DA_EV_FILE_RENAME:
	case DA_EV_FILE_CHMOD:
		/* these only succeed (or fail other than ENOENT) on a file that exists */
		if (fresh)
			r->flags |= F_EXISTED;
		touch(r, ev, ev->kind == DA_EV_FILE_UNLINK ? "deletes"
			     : ev->kind == DA_EV_FILE_RENAME ? "renames"
							     : "changes the mode of");
		return;
	default:
		return;
	}
}

/* inotify: the first event on a path says whether it appeared while the
 * workdir copy was watched (CREATE: made by the build or the run) or was
 * there from the start (any change first: shipped).  Events come late and
 * out of step with the syscalls, so they are only noted here. */
void on_fs_monitor(struct code_integrity *st, const struct da_event *ev)
{
	if (!under_workdir(st, ev->path) || is_generated(ev->path) || !ev->detail ||
	    strstr(ev->detail, "ISDIR"))
		return;
	struct file_rec *r = file_get(st, ev->path);
	if (!r)
		return;
	bool first = !(r->flags & (F_MON_NEW | F_MON_MOVED_IN | F_MON_OLD));
	if (strstr(ev->detail, "CREATE")) {
		if (first)
			r->flags |= F_MON_NEW;
		return;
	}
	if (strstr(ev->detail, "MOVED_TO")) {
		if (first)
			r->flags |= F_MON_MOVED_IN;
		return;
	}
	if (first)
		r->flags |= F_MON_OLD;
	/* The change itself is the evidence only where no syscall says more (a
	 * replayed log without syscalls).  The build's changes are not the
	 * target's; a bare ATTRIB (a timestamp) changes no content. */
	bool deleted = strstr(ev->detail, "DELETE") || strstr(ev->detail, "MOVED_FROM");
	bool changed = strstr(ev->detail, "MODIFY") || strstr(ev->detail, "CLOSE_WRITE");
	if (!st->setup_running && (deleted || changed))
		touch(r, ev, deleted ? "deletes" : "modifies");
}

/* Was r shipped with the submission, rather than made by the build or by
 * the run itself? */
static bool shipped(const struct code_integrity *st, const struct file_rec *r)
{
	if (r->flags & F_SETUP)
		return false; /* a build output, even one the build overwrote */
	/* inotify watched from before the setup: trust its first word */
	if (r->flags & F_MON_OLD)
		return true;
	if (r->flags & F_MON_NEW)
		return false;
	if (r->flags & F_MON_MOVED_IN) {
		/* a rename onto a name leaves no trace of what was there: a source
		 * name was (programs save new data files that way, not new code) */
		return (r->flags & F_RENAMED_ONTO) && is_source(st, r->path);
	}
	/* no inotify (a strace log, monitors.fs off): the syscalls alone */
	if (r->flags & F_CREATED)
		return false;
	if (r->flags & F_EXISTED)
		return true;
	/* an O_CREAT open of a file never seen before: assume the run made it,
	 * unless it is the very script that was run */
	return st->script && strcmp(da_prog_base_name(r->path), st->script) == 0;
}

void report_modifications(struct code_integrity *st)
{
	for (size_t i = 0; i < PATH_SLOTS; i++) {
		struct file_rec *r = &st->slots[i];
		if (!r->path || !(r->flags & F_TOUCHED) || !shipped(st, r))
			continue;
		bool source = is_source(st, r->path);
		const char *ev[1] = {r->evidence};
		emit(st, source ? "code_integrity.modifies_source" : "code_integrity.modifies_file",
		     source ? DA_SEV_MEDIUM : DA_SEV_INFO, r->pid, r->time_s, ev, r->evidence ? 1 : 0,
		     source ? "A program must not rewrite its own code at run time; review what it writes and why"
			    : NULL,
		     "%s its own %s %s%s", r->op, source ? "source" : "file", r->path, r->outcome);
		if (source && st->n_source_mods++ == 0)
			snprintf(st->first_source_mod, sizeof(st->first_source_mod), "%s",
				 da_prog_base_name(r->path));
		if (!source)
			st->n_file_mods++;
	}
}


/*
 * code_integrity.c — detector "code_integrity" (category "Code Integrity").
 *
 * Did the submission run as written, for the whole window, without
 * rewriting itself?  A crash is not a security issue by itself, but it
 * limits what the audit could observe, so the report must say so and tell
 * the author what to fix.  All crash findings are info: they explain the
 * audit, they do not accuse the program.
 *
 * Rules (id, severity, trigger; what is deliberately ignored):
 *   code_integrity.error_output  info  a crash signature in the target's
 *        stdout/stderr: a Python exception line closing a traceback or a
 *        `File "...", line N` frame (SyntaxError, IndentationError and
 *        TabError mean the code did not even start), "Fatal Python error",
 *        shell crash notes (Segmentation fault, Aborted, Bus error, Illegal
 *        instruction, Floating point exception, core dumped), sanitizer
 *        reports (AddressSanitizer, LeakSanitizer, ThreadSanitizer,
 *        MemorySanitizer, UBSan "runtime error:"), uncaught exceptions of
 *        Java, Node (the error line and location before its "Node.js vN"
 *        trailer), Go, Rust and C++, the JVM's own fatal reports ("# There is
 *        insufficient memory for the Java Runtime Environment", "# A fatal
 *        error has been detected by the Java Runtime Environment", an
 *        hs_err_pid*.log line, "Error occurred during initialization of VM";
 *        one finding per report), and compiler errors
 *        ("file.c:3:5: error: ...").  When the error says memory ran out
 *        (OutOfMemoryError, MemoryError, bad_alloc, "insufficient memory"),
 *        the message says the sandbox memory limit (sandbox.limits.memory)
 *        may be the cause and the recommendation how to raise it.  Ignored: an exception-like line that is
 *        not part of a traceback (a program may print "ValueError: ..." as
 *        ordinary output).  At most MAX_OUTPUT_FINDINGS distinct lines.
 *   code_integrity.crash         info  the target ended on SIGSEGV, SIGBUS,
 *        SIGILL, SIGFPE, SIGABRT, SIGSYS, SIGTRAP or dumped core; other
 *        killing signals are reported as "terminated by".
 *   code_integrity.exit_status   info  the target exited with a nonzero code.
 *        Ignored: exit 0, and a target still running when the window closed.
 *   code_integrity.early_exit    info  the target crashed or failed within
 *        the first quarter of the window: the audit saw only part of it.
 *        "an early crash" only with a crash signal, a core or an error in the
 *        output; a plain nonzero exit (a usage message) "exited early with
 *        status N", quoting its last stderr line; a non-crash signal
 *        "was terminated by SIGKILL".
 *   code_integrity.not_run       info  the submission's code never ran: the
 *        target ended nonzero after a SyntaxError/IndentationError/TabError,
 *        or after its interpreter said it could not load the program it was
 *        given (python "can't open file", java "Could not find or load main
 *        class" / "Unable to access jarfile", perl "Can't open perl script",
 *        ruby "No such file or directory -- x").  The engine reads this
 *        finding to set the report's coverage to none (coverage.c), so a
 *        program that never ran is an inconclusive PASS, never the safest.
 *   code_integrity.modifies_source medium  writes, truncation, renames over,
 *        unlinks or chmods of a source file (.py, .c, .js, Makefile, the
 *        command's own script or binary ...) under the workdir that was
 *        shipped with the submission, i.e. there before the run.  Decided at
 *        finish, since inotify reports late: with inotify events for the
 *        path, the first one decides (CREATE: appeared while watched, so
 *        made by the build or the run; any change first: shipped; MOVED_TO
 *        first, from a rename onto it: shipped when a source name, since
 *        programs save new data files that way).  Without them (a strace
 *        log, monitors.fs off) the syscalls decide: a successful look or a
 *        change that needs the file proves it was there; an O_CREAT open of
 *        a file never seen counts as new (a live read-only open has no
 *        result and proves nothing).
 *   code_integrity.modifies_file  info  the same for other pre-existing files
 *        of the submission (data files shipped with it).
 *        Both ignore: files the run created (see above), __pycache__ and
 *        *.pyc, git's own files under .git/ (not its hooks or config),
 *        build outputs (*.o, *.a, *.so, *.d, *.class, a.out, and
 *        every file the setup phase wrote, moved or deleted: the run may
 *        rewrite or delete them), everything done during the setup phase,
 *        inotify changes while it runs, a bare inotify ATTRIB, and failed
 *        attempts on files that do not exist (ENOENT).
 *   code_integrity.setup_failed  info  the setup phase's root process (the
 *        target.setup command, e.g. make) exited nonzero or was killed, so
 *        the target was not run: names the command, its status and the
 *        first error line it printed on stderr (a compiler diagnostic, a
 *        traceback's exception, any "error" line, else make's "*** ...
 *        Error N").  Setup-phase output never counts as the target's:
 *        it raises no error_output, crash or early_exit finding.
 *
 * Summary: "Setup failed" / "The setup command ... failed: the target was not
 * run" when it did; "<error> crash" / "Code halted early, not a runtime security
 * issue by itself" (the other categories judge what it did before; "The program ran
 * out of memory: ..." when it said so); "Exit status N" / "Exited early with
 * status N, not a runtime security issue" for a plain exit; "Modifies its
 * own source" when it did; "None" / "Ran to completion without crashing" or
 * "Still running at the end of the window".
 *
 * Options: none (any key is rejected).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dynaudit/event.h"
#include "dynaudit/plugin.h"

#define KIND_BIT(k) ((uint64_t)1 << ((k) % 64))
#define MAX_PATHS 4096          /* remembered workdir files */
#define PATH_SLOTS 8192         /* hash slots, twice MAX_PATHS */
#define RING_LINES 5            /* recent output lines kept as evidence */
#define LINE_MAX_KEPT 512
#define MAX_OUTPUT_FINDINGS 20
#define TRACEBACK_REACH 12      /* lines an exception may follow its frame */

/* What is known about one file under the workdir.  Two witnesses speak:
 * the traced syscalls (in order, but a live run's read-only opens carry no
 * result, so they never prove a file was there) and inotify on the workdir
 * copy (late and asynchronous, but it sees every file that appears).  Whether
 * a changed file was shipped with the submission is decided at finish, when
 * both have spoken (see shipped()). */
enum {
	/* from syscalls */
	F_EXISTED = 1 << 0,      /* proven present before the run changed it */
	F_CREATED = 1 << 1,      /* made by the run (O_EXCL, renamed to a new name) */
	F_CREAT_OPEN = 1 << 2,   /* first written by an O_CREAT open: may be new */
	F_TOUCHED = 1 << 3,      /* written, renamed over, unlinked or chmod'ed */
	F_SETUP = 1 << 4,        /* written, replaced or deleted by the setup: a build output */
	F_RENAMED_ONTO = 1 << 5, /* the recorded change is a rename onto it */
	/* from inotify: the first event on the path decides */
	F_MON_NEW = 1 << 6,      /* CREATE: appeared while watched */
	F_MON_MOVED_IN = 1 << 7, /* MOVED_TO: renamed onto, whatever was there */
	F_MON_OLD = 1 << 8,      /* a change: it was there when watching began */
	F_MON_TOUCH = 1 << 9,    /* the recorded change is an inotify line */
};

struct file_rec {
	char *path;
	unsigned flags;
	char *evidence;      /* text of the first modifying event */
	const char *op;      /* "writes", "deletes" ... (static strings) */
	char outcome[40];
	int pid;
	double time_s;
};

/* One output stream (stdout or stderr) being read line by line. */
struct stream {
	char ring[RING_LINES][LINE_MAX_KEPT];
	unsigned n_lines;               /* lines seen on this stream */
	unsigned frame_line;            /* n_lines at the last File "..." frame */
	bool in_traceback;              /* "Traceback (most recent call last):" open */
	char frame_file[LINE_MAX_KEPT]; /* file of the innermost frame, app preferred */
	long frame_lineno;
	bool frame_is_app;
	char last_error[LINE_MAX_KEPT]; /* last "TypeError: ..."-like line (Node) */
	char js_location[LINE_MAX_KEPT];/* last "/app/srv.js:3" line (Node) */
};

struct code_integrity {
	const struct da_host *host;
	const char *workdir;
	size_t workdir_len;
	const char *script; /* base name of the command's script ("server.py") */

	struct file_rec *slots; /* PATH_SLOTS, open addressing */
	size_t n_paths, paths_dropped;

	struct stream out[2]; /* [0] stdout, [1] stderr */
	size_t n_output_findings, output_dropped;

	char crash_label[128];  /* "IndentationError", "SIGSEGV", "AddressSanitizer" */
	char crash_file[256];   /* base name of the file the error points at */
	bool syntax_error;      /* the code did not even start */
	char load_error[LINE_MAX_KEPT]; /* the interpreter could not load the program: its line */
	bool saw_exit, still_running;
	double exit_time_s;
	double last_time_s;
	size_t n_source_mods, n_file_mods;
	char first_source_mod[256];

	/* the setup phase (target.setup, a build) */
	int setup_pid;                   /* its root process, 0 before its exec */
	char setup_cmd[128];             /* "make" */
	bool setup_in_traceback;         /* "Traceback ..." seen on its stderr */
	int setup_error_rank;            /* how telling setup_error is (0: none) */
	char setup_error[LINE_MAX_KEPT]; /* first most telling error line */
	bool setup_failed;
	char setup_status[64];           /* "exit 2", "SIGKILL" */
	bool setup_running;              /* setup events seen, the target's not yet */

	/* the JVM's own fatal reports ("# There is insufficient memory ...") */
	bool jvm_reported;               /* one finding per report block */
	bool memory_hint;                /* the runtime said it ran out of memory */
};

/* ---- small helpers ---------------------------------------------------- */

static const char *base_name(const char *path)
{
	const char *slash = path ? strrchr(path, '/') : NULL;
	return slash ? slash + 1 : (path ? path : "");
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* "0.34" / "4.2" / "37": short seconds for messages. */
static void fmt_seconds(double t, char *buf, size_t len)
{
	if (t <= 0) {
		snprintf(buf, len, "0"); /* also a log without timestamps */
		return;
	}
	snprintf(buf, len, t < 1 ? "%.2f" : t < 10 ? "%.1f" : "%.0f", t);
}

static void emit(struct code_integrity *st, const char *rule, enum da_severity sev,
		 const char *msg, int pid, double t, const char *const *evidence, size_t n_ev,
		 const char *recommendation)
{
	struct da_finding f = {
		.struct_size = sizeof(f),
		.rule = rule,
		.severity = sev,
		.message = msg,
		.pid = pid,
		.time_s = t,
		.evidence = n_ev ? evidence : NULL,
		.n_evidence = n_ev,
		.recommendation = recommendation,
	};
	/* emit only refuses malformed findings, which this file never builds */
	(void)st->host->emit(st->host, &f);
}

/* ---- the workdir file table -------------------------------------------- */

static bool under_workdir(const struct code_integrity *st, const char *path)
{
	return path && st->workdir_len > 0 && strncmp(path, st->workdir, st->workdir_len) == 0 &&
	       path[st->workdir_len] == '/';
}

/* Files whose change says nothing about the submission's integrity. */
static bool is_generated(const char *path)
{
	static const char *const suffixes[] = {".pyc", ".pyo", ".o", ".obj", ".a", ".so",
					       ".d", ".gch", ".class", ".swp", "~"};
	if (strstr(path, "/__pycache__/") || strcmp(base_name(path), "a.out") == 0)
		return true;
	/* git keeps its index, locks and objects itself (`git describe --dirty`
	 * refreshes the index); its hooks and config decide what runs */
	if (strstr(path, "/.git/") && !strstr(path, "/.git/hooks/") && !has_suffix(path, "/.git/config"))
		return true;
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++)
		if (has_suffix(path, suffixes[i]))
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
	const char *base = base_name(path);
	if (st->script && strcmp(base, st->script) == 0)
		return true;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(base, names[i]) == 0)
			return true;
	for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++)
		if (has_suffix(base, exts[i]))
			return true;
	return false;
}

static size_t hash_path(const char *s)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return (size_t)(h % PATH_SLOTS);
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

static void on_file_event(struct code_integrity *st, const struct da_event *ev)
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
static void on_fs_monitor(struct code_integrity *st, const struct da_event *ev)
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
	return st->script && strcmp(base_name(r->path), st->script) == 0;
}

static void report_modifications(struct code_integrity *st)
{
	for (size_t i = 0; i < PATH_SLOTS; i++) {
		struct file_rec *r = &st->slots[i];
		if (!r->path || !(r->flags & F_TOUCHED) || !shipped(st, r))
			continue;
		bool source = is_source(st, r->path);
		char msg[768];
		snprintf(msg, sizeof(msg), "%s its own %s %s%s", r->op,
			 source ? "source" : "file", r->path, r->outcome);
		const char *ev[1] = {r->evidence};
		emit(st, source ? "code_integrity.modifies_source" : "code_integrity.modifies_file",
		     source ? DA_SEV_MEDIUM : DA_SEV_INFO, msg, r->pid, r->time_s, ev,
		     r->evidence ? 1 : 0,
		     source ? "A program must not rewrite its own code at run time; review what it writes and why"
			    : NULL);
		if (source && st->n_source_mods++ == 0)
			snprintf(st->first_source_mod, sizeof(st->first_source_mod), "%s",
				 base_name(r->path));
		if (!source)
			st->n_file_mods++;
	}
}

/* ---- crash signatures in the output ------------------------------------ */

/* `  File "/home/auditor/app/server.py", line 10, in main` */
static bool parse_frame(const char *line, char *file, size_t len, long *lineno)
{
	while (*line == ' ')
		line++;
	if (!starts_with(line, "File \""))
		return false;
	line += 6;
	const char *end = strstr(line, "\", line ");
	if (!end)
		return false;
	snprintf(file, len, "%.*s", (int)(end - line), line);
	*lineno = strtol(end + 8, NULL, 10);
	return true;
}

/* "IndentationError: expected ..." or "KeyboardInterrupt" at column 0: a
 * dotted identifier whose last part names an error.  Returns the length of
 * the exception name, 0 when line is not one. */
static size_t exception_name_len(const char *line)
{
	static const char *const endings[] = {"Error", "Exception", "Interrupt", "Exit",
					      "Warning", "Iteration", "Group"};
	size_t n = 0;
	if (!((line[0] >= 'A' && line[0] <= 'Z') || (line[0] >= 'a' && line[0] <= 'z') ||
	      line[0] == '_'))
		return 0;
	while (line[n] && (line[n] == '_' || line[n] == '.' || (line[n] >= '0' && line[n] <= '9') ||
			   (line[n] >= 'A' && line[n] <= 'Z') || (line[n] >= 'a' && line[n] <= 'z')))
		n++;
	if (line[n] != '\0' && line[n] != ':')
		return 0;
	char name[128];
	snprintf(name, sizeof(name), "%.*s", (int)n, line);
	for (size_t i = 0; i < sizeof(endings) / sizeof(endings[0]); i++)
		if (has_suffix(name, endings[i]))
			return n;
	return 0;
}

/* "main.c:12:5: error: expected ';'" — a compiler diagnostic. */
static bool is_compiler_error(const char *line)
{
	const char *p = strstr(line, ": error: ");
	if (!p)
		p = strstr(line, ": fatal error: ");
	if (!p || p == line)
		return false;
	const char *colon = memchr(line, ':', (size_t)(p - line));
	if (!colon || colon == line || memchr(line, ' ', (size_t)(colon - line)))
		return false;
	return colon[1] >= '0' && colon[1] <= '9';
}

/* Which runtime-agnostic crash line is this?  Returns a short label or NULL. */
static const char *crash_signature(const char *line)
{
	static const struct {
		const char *needle;
		bool prefix;  /* must start the line */
		const char *label;
	} sigs[] = {
		{"Segmentation fault", false, "Segmentation fault"},
		{"Bus error", true, "Bus error"},
		{"Illegal instruction", false, "Illegal instruction"},
		{"Floating point exception", false, "Floating point exception"},
		{"Aborted (core dumped)", false, "Aborted"},
		{"core dumped", false, "core dump"},
		{"Fatal Python error: ", false, "Fatal Python error"},
		{"ERROR: AddressSanitizer", false, "AddressSanitizer report"},
		{"ERROR: LeakSanitizer", false, "LeakSanitizer report"},
		{"WARNING: ThreadSanitizer", false, "ThreadSanitizer report"},
		{"MemorySanitizer:", false, "MemorySanitizer report"},
		{": runtime error: ", false, "UBSan runtime error"},
		{"Exception in thread \"", true, "Java uncaught exception"},
		{"Uncaught ", true, "Node uncaught exception"},
		{"[UnhandledPromiseRejection", false, "Node unhandled rejection"},
		{"panic: ", true, "Go panic"},
		{"fatal error: ", true, "Go fatal error"},
		{"' panicked at", false, "Rust panic"},
		{"terminate called after throwing", true, "C++ uncaught exception"},
		{"terminate called without an active exception", true, "C++ terminate"},
	};
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		bool hit = sigs[i].prefix ? starts_with(line, sigs[i].needle)
					  : strstr(line, sigs[i].needle) != NULL;
		if (hit)
			return sigs[i].label;
	}
	if (strcmp(line, "Aborted") == 0 || has_suffix(line, " Aborted"))
		return "Aborted";
	if (is_compiler_error(line))
		return "compiler error";
	return NULL;
}

/* `Exception in thread "main" java.lang.NullPointerException: ...` names its
 * exception; the short class name labels the crash better than the runtime.
 * Writes it to out and returns true, or false for any other line. */
static bool java_exception(const char *line, char *out, size_t len)
{
	const char *q = starts_with(line, "Exception in thread \"") ? strstr(line + 21, "\" ") : NULL;
	if (!q || !q[2] || strchr(": ", q[2]))
		return false;
	q += 2;
	size_t n = strcspn(q, ": ");
	const char *dot = memrchr(q, '.', n);
	if (dot && (size_t)(dot - q) + 1 < n) {
		n -= (size_t)(dot - q) + 1;
		q = dot + 1;
	}
	snprintf(out, len, "%.*s", (int)n, q);
	return true;
}

/* Does an error line say the program ran out of memory? */
static bool mentions_memory(const char *line)
{
	static const char *const words[] = {"OutOfMemoryError", "MemoryError", "bad_alloc",
					    "Cannot allocate memory", "out of memory",
					    "Out of memory", "Out of Memory", "insufficient memory",
					    "Not enough space"};
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strstr(line, words[i]))
			return true;
	return false;
}

#define MEMORY_CAUSE "the sandbox memory limit (sandbox.limits.memory) may be the cause"
#define MEMORY_FIX "Raise sandbox.limits.memory (e.g. --set sandbox.limits.memory=2G) or make the program need less (for Java: a smaller -Xmx)"

static void output_finding(struct code_integrity *st, const struct da_event *ev,
			   const struct stream *s, const char *msg, const char *rec)
{
	if (st->n_output_findings >= MAX_OUTPUT_FINDINGS) {
		st->output_dropped++;
		return;
	}
	st->n_output_findings++;
	const char *evidence[RING_LINES];
	size_t n = s->n_lines < RING_LINES ? s->n_lines : RING_LINES;
	for (size_t i = 0; i < n; i++)
		evidence[i] = s->ring[(s->n_lines - n + i) % RING_LINES];
	emit(st, "code_integrity.error_output", DA_SEV_INFO, msg, ev->pid, ev->time_s, evidence, n,
	     rec);
}

static void on_python_exception(struct code_integrity *st, const struct da_event *ev,
				struct stream *s, const char *line, size_t name_len)
{
	char name[128];
	snprintf(name, sizeof(name), "%.*s", (int)name_len, line);
	const char *short_name = strrchr(name, '.') ? strrchr(name, '.') + 1 : name;
	bool syntax = strcmp(short_name, "SyntaxError") == 0 ||
		      strcmp(short_name, "IndentationError") == 0 ||
		      strcmp(short_name, "TabError") == 0;
	bool memory = strcmp(short_name, "MemoryError") == 0;
	const char *why = syntax ? ": the code did not even start" : memory ? ": " MEMORY_CAUSE : "";
	char msg[1536];
	if (s->frame_file[0])
		snprintf(msg, sizeof(msg), "Python %s: \"%.400s\" in %.400s, line %ld%s", short_name,
			 line, s->frame_file, s->frame_lineno, why);
	else
		snprintf(msg, sizeof(msg), "Python %s: \"%.400s\"%s", short_name, line, why);
	st->memory_hint = st->memory_hint || memory;
	char rec[512];
	const char *where = s->frame_file[0] ? base_name(s->frame_file) : "the program";
	if (memory)
		snprintf(rec, sizeof(rec), "%s", MEMORY_FIX);
	else if (syntax)
		snprintf(rec, sizeof(rec),
			 "Fix the syntax issue (%s) in %s to allow full runtime evaluation", short_name,
			 where);
	else
		snprintf(rec, sizeof(rec), "Handle or fix the %s raised in %s", short_name, where);
	output_finding(st, ev, s, msg, rec);

	/* the last exception of a chain is the one that ends the program */
	snprintf(st->crash_label, sizeof(st->crash_label), "%s", short_name);
	if (s->frame_file[0])
		snprintf(st->crash_file, sizeof(st->crash_file), "%s", base_name(s->frame_file));
	st->syntax_error = st->syntax_error || syntax;
	s->in_traceback = false;
	s->frame_file[0] = '\0';
	s->frame_is_app = false;
}

/* "/home/auditor/app/srv.js:3": where Node says an uncaught error was thrown. */
static bool is_js_location(const char *line)
{
	const char *colon = strrchr(line, ':');
	if (line[0] != '/' || !colon || strchr(line, ' ') || !colon[1])
		return false;
	for (const char *p = colon + 1; *p; p++)
		if (*p < '0' || *p > '9')
			return false;
	size_t n = (size_t)(colon - line);
	return (n > 3 && memcmp(colon - 3, ".js", 3) == 0) || (n > 4 && memcmp(colon - 4, ".mjs", 4) == 0) ||
	       (n > 4 && memcmp(colon - 4, ".cjs", 4) == 0) || (n > 3 && memcmp(colon - 3, ".ts", 3) == 0);
}

/* Node ends an uncaught exception with its version ("Node.js v18.19.0")
 * after the location, the source line, the error and its stack. */
static void on_node_crash(struct code_integrity *st, const struct da_event *ev, struct stream *s)
{
	const char *error = s->last_error[0] ? s->last_error : "an uncaught exception";
	size_t name_len = exception_name_len(error);
	char name[128], file[LINE_MAX_KEPT] = "", msg[1536], rec[512];
	snprintf(name, sizeof(name), "%.*s", (int)(name_len ? name_len : 5),
		 name_len ? error : "Error");
	if (s->js_location[0])
		snprintf(file, sizeof(file), "%.*s", (int)(strrchr(s->js_location, ':') - s->js_location),
			 s->js_location);
	snprintf(msg, sizeof(msg), "Node uncaught %s: \"%.400s\"%s%.400s", name, error,
		 file[0] ? " thrown at " : "", file[0] ? s->js_location : "");
	snprintf(rec, sizeof(rec), "Handle or fix the %s thrown in %s", name,
		 file[0] ? base_name(file) : "the program");
	output_finding(st, ev, s, msg, rec);
	snprintf(st->crash_label, sizeof(st->crash_label), "%s", name);
	if (file[0])
		snprintf(st->crash_file, sizeof(st->crash_file), "%s", base_name(file));
}

/* HotSpot reports its own death in a block of '#' lines, on stdout:
 *   # There is insufficient memory for the Java Runtime Environment to continue.
 *   # Native memory allocation (mmap) failed to map 6225920 bytes. ...
 *   # An error report file with more information is saved as:
 *   # /home/auditor/app/hs_err_pid2.log
 * or "# A fatal error has been detected by the Java Runtime Environment:"
 * (a crash inside the VM); a VM that cannot even start says "Error occurred
 * during initialization of VM" and why.  One finding per report: its first
 * telling line names it; a later line only adds that memory ran out.
 * Returns true when line belongs to such a report. */
static bool on_jvm_line(struct code_integrity *st, const struct da_event *ev,
			const struct stream *s, const char *line)
{
	static const struct {
		const char *prefix;
		const char *label;
		bool memory;
	} reports[] = {
		{"# There is insufficient memory for the Java Runtime Environment", "JVM out of memory", true},
		{"# Out of Memory Error", "JVM out of memory", true},
		{"# Native memory allocation", "JVM out of memory", true},
		{"Could not reserve enough space for", "JVM out of memory", true},
		{"# A fatal error has been detected by the Java Runtime Environment", "JVM fatal error", false},
		{"Error occurred during initialization of VM", "JVM start-up error", false},
	};
	size_t i = 0, n = sizeof(reports) / sizeof(reports[0]);
	while (i < n && !starts_with(line, reports[i].prefix))
		i++;
	/* the report's file names the crash even when its header went elsewhere */
	bool hs_err = i == n && line[0] == '#' && strstr(line, "/hs_err_pid") && has_suffix(line, ".log");
	if (i == n && !hs_err)
		return false;
	bool memory = i < n && reports[i].memory;
	if (st->jvm_reported && !(memory && !st->memory_hint))
		return true;
	st->jvm_reported = true;
	const char *label = i < n ? reports[i].label : "JVM fatal error";
	char msg[768], rec[320];
	if (memory) {
		snprintf(msg, sizeof(msg), "%s: the Java runtime stopped: \"%.400s\": " MEMORY_CAUSE,
			 label, line);
		snprintf(rec, sizeof(rec), "%s, and re-run the audit", MEMORY_FIX);
	} else if (i < n && strcmp(label, "JVM start-up error") == 0) {
		snprintf(msg, sizeof(msg), "%s: the Java runtime could not start: \"%.400s\"", label, line);
		snprintf(rec, sizeof(rec), "Check the JVM options and limits the command uses, and re-run the audit");
	} else {
		snprintf(msg, sizeof(msg), "%s: the Java runtime itself crashed: \"%.400s\"", label, line);
		snprintf(rec, sizeof(rec), "Read the JVM's error report (hs_err_pid*.log) for the failing frame, fix it and re-run the audit");
	}
	output_finding(st, ev, s, msg, rec);
	st->memory_hint = st->memory_hint || memory;
	if (!st->crash_label[0] || memory)
		snprintf(st->crash_label, sizeof(st->crash_label), "%s", label);
	return true;
}

/* What an interpreter prints when it cannot load the program it was
 * given at all (before any of its code runs). */
static bool is_load_error(const char *line)
{
	static const char *const said[] = {
		"can't open file '",                  /* python */
		"Could not find or load main class ", /* java */
		"Unable to access jarfile ",          /* java -jar */
		"Can't open perl script \"",          /* perl */
		": No such file or directory -- ",    /* ruby */
	};
	for (size_t i = 0; i < sizeof(said) / sizeof(said[0]); i++)
		if (strstr(line, said[i]))
			return true;
	return false;
}

static void on_output(struct code_integrity *st, const struct da_event *ev)
{
	if (!ev->detail || (ev->fd != 1 && ev->fd != 2))
		return;
	struct stream *s = &st->out[ev->fd == 2 ? 1 : 0];
	const char *line = ev->detail;
	snprintf(s->ring[s->n_lines % RING_LINES], LINE_MAX_KEPT, "%s", line);
	s->n_lines++;

	char file[LINE_MAX_KEPT];
	long lineno = 0;
	if (starts_with(line, "Traceback (most recent call last)")) {
		s->in_traceback = true;
		s->frame_file[0] = '\0';
		s->frame_is_app = false;
		return;
	}
	if (line[0] == ' ' && parse_frame(line, file, sizeof(file), &lineno)) {
		bool app = under_workdir(st, file) || file[0] != '/';
		if (app || !s->frame_is_app) {
			snprintf(s->frame_file, sizeof(s->frame_file), "%s", file);
			s->frame_lineno = lineno;
			s->frame_is_app = app;
		}
		s->frame_line = s->n_lines;
		return;
	}
	if (ev->fd == 2 && !st->load_error[0] && is_load_error(line))
		snprintf(st->load_error, sizeof(st->load_error), "%s", line);
	size_t name_len = exception_name_len(line);
	bool near_frame = s->frame_line > 0 && s->n_lines - s->frame_line <= TRACEBACK_REACH;
	if (name_len > 0 && (s->in_traceback || near_frame)) {
		on_python_exception(st, ev, s, line, name_len);
		s->frame_line = 0;
		return;
	}
	if (name_len > 0)
		snprintf(s->last_error, sizeof(s->last_error), "%s", line);
	else if (is_js_location(line))
		snprintf(s->js_location, sizeof(s->js_location), "%s", line);
	if (starts_with(line, "Node.js v") && line[9] >= '0' && line[9] <= '9') {
		on_node_crash(st, ev, s);
		return;
	}
	if (on_jvm_line(st, ev, s, line))
		return;
	const char *label = crash_signature(line);
	if (!label)
		return;
	bool memory = mentions_memory(line);
	st->memory_hint = st->memory_hint || memory;
	char msg[768];
	snprintf(msg, sizeof(msg), "%s: \"%.500s\"%s", label, line, memory ? ": " MEMORY_CAUSE : "");
	char rec[320];
	if (memory)
		snprintf(rec, sizeof(rec), "%s, and re-run the audit", MEMORY_FIX);
	else
		snprintf(rec, sizeof(rec), "Fix the %s reported in the output and re-run the audit", label);
	output_finding(st, ev, s, msg, rec);
	if (!st->crash_label[0] && !java_exception(line, st->crash_label, sizeof(st->crash_label)))
		snprintf(st->crash_label, sizeof(st->crash_label), "%s", label);
}

/* ---- the setup phase --------------------------------------------------- */

/* How telling an error line of the setup's stderr is: 3 a compiler
 * diagnostic, a traceback's exception or a crash signature; 2 any other
 * line saying "error"; 1 make's own "*** [...] Error N" (it only repeats
 * that a recipe failed); 0 not an error line. */
static int setup_error_rank(struct code_integrity *st, const char *line)
{
	if (starts_with(line, "Traceback (most recent call last)")) {
		st->setup_in_traceback = true;
		return 0;
	}
	if (st->setup_in_traceback && line[0] != ' ' && exception_name_len(line) > 0) {
		st->setup_in_traceback = false;
		return 3;
	}
	if (is_compiler_error(line) || crash_signature(line))
		return 3;
	if (strstr(line, "*** ") && strstr(line, "Error "))
		return 1;
	if (strstr(line, "error") || strstr(line, "Error") || strstr(line, "ERROR"))
		return 2;
	return 0;
}

static void on_setup_output(struct code_integrity *st, const struct da_event *ev)
{
	if (ev->fd != 2 || !ev->detail)
		return;
	int rank = setup_error_rank(st, ev->detail);
	if (rank > st->setup_error_rank) {
		st->setup_error_rank = rank;
		snprintf(st->setup_error, sizeof(st->setup_error), "%s", ev->detail);
	}
}

/* The first exec of the setup phase is the setup command (target.setup). */
static void on_setup_exec(struct code_integrity *st, const struct da_event *ev)
{
	if (st->setup_pid || ev->err != 0 || ev->pid <= 0)
		return;
	st->setup_pid = ev->pid;
	size_t used = 0;
	for (int i = 0; ev->argv && i < ev->argc && used + 1 < sizeof(st->setup_cmd); i++) {
		const char *arg = ev->argv[i] ? ev->argv[i] : "";
		int n = snprintf(st->setup_cmd + used, sizeof(st->setup_cmd) - used, "%s%s",
				 i ? " " : "", i ? arg : base_name(arg));
		if (n < 0)
			break;
		used += (size_t)n;
	}
}

static void on_setup_exit(struct code_integrity *st, const struct da_event *ev)
{
	if (!st->setup_pid || ev->pid != st->setup_pid || st->setup_failed)
		return;
	st->setup_running = false;
	if (ev->arg[0] == 0 && !ev->detail)
		return; /* the build worked */
	st->setup_failed = true;
	if (ev->detail)
		snprintf(st->setup_status, sizeof(st->setup_status), "was killed by %s", ev->detail);
	else
		snprintf(st->setup_status, sizeof(st->setup_status), "failed with exit %lld",
			 (long long)ev->arg[0]);
	const char *cmd = st->setup_cmd[0] ? st->setup_cmd : "the setup command";
	char msg[1024];
	if (st->setup_error[0])
		snprintf(msg, sizeof(msg), "the setup command `%s` %s, so the target was not run: \"%.500s\"",
			 cmd, st->setup_status, st->setup_error);
	else
		snprintf(msg, sizeof(msg), "the setup command `%s` %s, so the target was not run", cmd,
			 st->setup_status);
	const char *evidence[2];
	size_t n_ev = 0;
	if (st->setup_error[0])
		evidence[n_ev++] = st->setup_error;
	if (ev->text)
		evidence[n_ev++] = ev->text;
	emit(st, "code_integrity.setup_failed", DA_SEV_INFO, msg, ev->pid, ev->time_s, evidence,
	     n_ev, "Fix the build error and re-run the audit");
}

/* ---- the end of the target ---------------------------------------------- */

static bool is_crash_signal(const char *sig)
{
	static const char *const crash[] = {"SIGSEGV", "SIGBUS", "SIGILL", "SIGFPE",
					    "SIGABRT", "SIGSYS", "SIGTRAP", "SIGIOT"};
	for (size_t i = 0; sig && i < sizeof(crash) / sizeof(crash[0]); i++)
		if (strcmp(sig, crash[i]) == 0)
			return true;
	return false;
}

/* Name of the file to fix: the one the error points at, else the script. */
static const char *file_to_fix(const struct code_integrity *st)
{
	if (st->crash_file[0])
		return st->crash_file;
	return st->script ? st->script : "the program";
}

/* The last non-empty line of the target's stderr (a usage message, an
 * error), or NULL. */
static const char *last_stderr_line(const struct code_integrity *st)
{
	const struct stream *s = &st->out[1];
	unsigned kept = s->n_lines < RING_LINES ? s->n_lines : RING_LINES;
	for (unsigned i = 1; i <= kept; i++) {
		const char *line = s->ring[(s->n_lines - i) % RING_LINES];
		if (line[0])
			return line;
	}
	return NULL;
}

/* How the target ended, for the early_exit finding. */
enum end_kind {
	END_CRASH,      /* a crash signal, a core, or an error in the output */
	END_STATUS,     /* a plain nonzero exit: no crash signal, no traceback */
	END_TERMINATED, /* killed by a signal that is not a crash (SIGKILL, SIGTERM) */
};

/* Tell how little of the window was seen when the target stopped early.
 * why: what to fix (for END_CRASH: "IndentationError", "crash (SIGSEGV)");
 * how: for END_STATUS "status 2", for END_TERMINATED the signal name. */
static void report_early_end(struct code_integrity *st, double t, int pid, enum end_kind kind,
			     const char *why, const char *how)
{
	double window = st->host->run->duration_s;
	if (window <= 0 || t >= 0.25 * window)
		return;
	char ts[32], ws[32], msg[1024], rec[512];
	fmt_seconds(t, ts, sizeof(ts));
	snprintf(ws, sizeof(ws), "%g", window);
	const char *last = last_stderr_line(st);
	if (kind == END_STATUS) {
		/* a deliberate exit (a usage message, a missing input) is no crash */
		snprintf(msg, sizeof(msg),
			 "the target exited early with %s after %ss%s%.300s%s: the audit observed only "
			 "%ss of the %ss window",
			 how, ts, last ? " (last error output: \"" : "", last ? last : "", last ? "\")" : "",
			 ts, ws);
		snprintf(rec, sizeof(rec),
			 "Check why %s exits with %s (a usage message? missing arguments or input?) and "
			 "re-run the audit with a command that keeps it running",
			 file_to_fix(st), how);
	} else if (kind == END_TERMINATED) {
		snprintf(msg, sizeof(msg),
			 "the target was terminated by %s after %ss: the audit observed only %ss of the "
			 "%ss window",
			 how, ts, ts, ws);
		snprintf(rec, sizeof(rec),
			 st->memory_hint ? MEMORY_FIX ", and re-run the audit"
					 : "Find out what sent %s (a limit of the sandbox?) and re-run the audit",
			 how);
	} else {
		snprintf(msg, sizeof(msg),
			 "the audit observed only %ss of the %ss window: an early crash limits what could be seen",
			 ts, ws);
		if (st->memory_hint)
			snprintf(rec, sizeof(rec), "%s, and re-run the audit to observe the full runtime behaviour",
				 MEMORY_FIX);
		else
			snprintf(rec, sizeof(rec),
				 "Fix the %s in %s and re-run the audit to observe the full runtime behaviour",
				 why, file_to_fix(st));
	}
	emit(st, "code_integrity.early_exit", DA_SEV_INFO, msg, pid, t, NULL, 0, rec);
}

/* The code never ran (a syntax error, a program its interpreter could not
 * load): say so, so the verdict reads as inconclusive (coverage none). */
static void report_not_run(struct code_integrity *st, const struct da_event *ev)
{
	char msg[1024], rec[512];
	if (st->syntax_error) {
		snprintf(msg, sizeof(msg), "Python %s%s%s: the interpreter rejected the code before any of it ran",
			 st->crash_label, st->crash_file[0] ? " in " : "", st->crash_file);
		snprintf(rec, sizeof(rec),
			 "Re-run the audit once %s starts: nothing of the submission's own behaviour was observed",
			 file_to_fix(st));
	} else if (st->load_error[0]) {
		snprintf(msg, sizeof(msg), "the interpreter could not load the program: \"%.400s\"", st->load_error);
		snprintf(rec, sizeof(rec),
			 "Check the target command (target.command) names the submission's entry point, and re-run the audit");
	} else {
		return;
	}
	const char *evidence[1] = {st->load_error[0] ? st->load_error : NULL};
	emit(st, "code_integrity.not_run", DA_SEV_INFO, msg, ev->pid, ev->time_s, evidence,
	     st->load_error[0] ? 1 : 0, rec);
}

static void on_target_exit(struct code_integrity *st, const struct da_event *ev)
{
	st->saw_exit = true;
	st->exit_time_s = ev->time_s;
	if (ev->arg[2] == 1) {
		st->still_running = true;
		return;
	}
	const char *sig = ev->detail;
	bool core = ev->arg[1] != 0;
	char ts[32], msg[768], why[160], how[64] = "";
	fmt_seconds(ev->time_s, ts, sizeof(ts));
	const char *evidence[2] = {ev->text, NULL};
	size_t n_ev = ev->text ? 1 : 0;
	enum end_kind kind = END_CRASH;

	if (is_crash_signal(sig) || core) {
		snprintf(msg, sizeof(msg), "the target crashed after %ss (%s%s)", ts,
			 sig ? sig : "core dumped", sig && core ? ", core dumped" : "");
		emit(st, "code_integrity.crash", DA_SEV_INFO, msg, ev->pid, ev->time_s, evidence,
		     n_ev, "Fix the crash and re-run the audit");
		if (!st->crash_label[0] || strcmp(st->crash_label, "core dump") == 0)
			snprintf(st->crash_label, sizeof(st->crash_label), "%s",
				 sig ? sig : "core dump");
		snprintf(why, sizeof(why), "crash (%s)", sig ? sig : "core dump");
	} else if (sig) {
		snprintf(msg, sizeof(msg), "the target was terminated by %s after %ss%s", sig, ts,
			 st->memory_hint ? ": it had reported running out of memory, " MEMORY_CAUSE : "");
		emit(st, "code_integrity.exit_status", DA_SEV_INFO, msg, ev->pid, ev->time_s,
		     evidence, n_ev, NULL);
		snprintf(why, sizeof(why), "early termination (%s)", sig);
		snprintf(how, sizeof(how), "%s", sig);
		/* an error printed before the kill still names the fix */
		if (!st->crash_label[0])
			kind = END_TERMINATED;
	} else if (ev->arg[0] != 0) {
		/* a plain exit: the error output that came before it is the best
		 * evidence (a usage message, "error: ..."), unless a crash names it */
		const char *last = st->crash_label[0] ? NULL : last_stderr_line(st);
		if (last)
			evidence[n_ev++] = last;
		snprintf(msg, sizeof(msg), "the target exited with status %lld after %ss%s%s%s",
			 (long long)ev->arg[0], ts, st->crash_label[0] ? " (after " : "",
			 st->crash_label, st->crash_label[0] ? ")" : "");
		emit(st, "code_integrity.exit_status", DA_SEV_INFO, msg, ev->pid, ev->time_s,
		     evidence, n_ev, NULL);
		snprintf(how, sizeof(how), "status %lld", (long long)ev->arg[0]);
		if (!st->crash_label[0]) {
			snprintf(st->crash_label, sizeof(st->crash_label), "Exit status %lld",
				 (long long)ev->arg[0]);
			kind = END_STATUS;
		}
		snprintf(why, sizeof(why), "error that ends it with status %lld",
			 (long long)ev->arg[0]);
	} else {
		return; /* a clean exit 0 */
	}
	/* a known error ("IndentationError") names the fix better than a status */
	if (!sig && !core && kind == END_CRASH && st->crash_label[0])
		snprintf(why, sizeof(why), "%s", st->crash_label);
	report_early_end(st, ev->time_s, ev->pid, kind, why, how);
	report_not_run(st, ev);
}

/* ---- lifecycle ------------------------------------------------------------ */

static int ci_init(const struct da_host *host, const struct da_cfg *cfg, void **state, char *err,
		   size_t errlen)
{
	const char *key = host->cfg_key_at(host, cfg, 0);
	if (key) {
		snprintf(err, errlen, "%s: %s: unknown option (code_integrity takes no options)",
			 host->cfg_where(host, cfg, key), key);
		return -EINVAL;
	}
	struct code_integrity *st = calloc(1, sizeof(*st));
	if (st)
		st->slots = calloc(PATH_SLOTS, sizeof(*st->slots));
	if (!st || !st->slots) {
		free(st);
		snprintf(err, errlen, "code_integrity: out of memory");
		return -ENOMEM;
	}
	st->host = host;
	/* Stats only count with a result ("it was there"), and the live
	 * tracer publishes them at entry, without one: live, they would only
	 * stop the target for nothing (python start-up: 860 of 1050 events). */
	if (host->run->live) {
		uint64_t stats[DA_EVMASK_WORDS] = { KIND_BIT(DA_EV_FILE_STAT), 0 };
		host->unsubscribe(host, stats);
	}
	st->workdir = host->run->workdir ? host->run->workdir : "";
	st->workdir_len = strlen(st->workdir);
	while (st->workdir_len > 1 && st->workdir[st->workdir_len - 1] == '/')
		st->workdir_len--;
	/* The script: first argument after the interpreter that is not an
	 * option ("python3 -u server.py" -> server.py), else the command. */
	const char *const *cmd = host->run->command;
	if (cmd && cmd[0]) {
		st->script = base_name(cmd[0]);
		for (size_t i = 1; cmd[i]; i++)
			if (cmd[i][0] != '-') {
				st->script = base_name(cmd[i]);
				break;
			}
	}
	*state = st;
	return 0;
}

static int ci_on_event(void *state, const struct da_event *ev, char *err, size_t errlen)
{
	struct code_integrity *st = state;
	if (ev->time_s > st->last_time_s)
		st->last_time_s = ev->time_s;
	bool setup = ev->phase && strcmp(ev->phase, "setup") == 0;
	/* inotify events carry no phase: they are the build's while it runs */
	if (setup)
		st->setup_running = true;
	else if (ev->syscall)
		st->setup_running = false;
	switch (ev->kind) {
	case DA_EV_OUTPUT:
		if (setup)
			on_setup_output(st, ev);
		else
			on_output(st, ev);
		break;
	case DA_EV_PROC_EXEC:
		if (setup)
			on_setup_exec(st, ev);
		break;
	case DA_EV_PROC_EXIT:
		if (setup)
			on_setup_exit(st, ev);
		break;
	case DA_EV_TARGET_EXIT: on_target_exit(st, ev); break;
	case DA_EV_FS_MONITOR: on_fs_monitor(st, ev); break;
	default: on_file_event(st, ev); break;
	}
	return 0;
}

static int ci_finish(void *state, char *err, size_t errlen)
{
	struct code_integrity *st = state;
	const struct da_host *host = st->host;
	report_modifications(st);
	if (st->output_dropped > 0) {
		char msg[128];
		snprintf(msg, sizeof(msg), "%zu more error lines in the output were not listed",
			 st->output_dropped);
		emit(st, "code_integrity.error_output", DA_SEV_INFO, msg, 0, -1, NULL, 0, NULL);
	}
	if (st->paths_dropped > 0)
		host->log(host, 1, "code_integrity: %zu workdir files not tracked (table full)",
			  st->paths_dropped);

	/* A log without a recorded end but with a fatal error still ended early. */
	if (!st->saw_exit && st->crash_label[0])
		report_early_end(st, st->last_time_s, 0, END_CRASH, st->crash_label, NULL);

	char obs[192], remarks[320];
	if (st->setup_failed) {
		snprintf(obs, sizeof(obs), "Setup failed");
		snprintf(remarks, sizeof(remarks), "The setup command (%.150s) %s: the target was not run",
			 st->setup_cmd[0] ? st->setup_cmd : "target.setup", st->setup_status);
	} else if (st->n_source_mods > 0) {
		snprintf(obs, sizeof(obs), "Modifies its own source");
		snprintf(remarks, sizeof(remarks), "Rewrites %s while running", st->first_source_mod);
	} else if (st->still_running) {
		snprintf(obs, sizeof(obs), "%s", st->crash_label[0] ? "Errors printed" : "None");
		snprintf(remarks, sizeof(remarks), "Still running at the end of the window");
	} else if (st->crash_label[0]) {
		bool label_is_status = strncmp(st->crash_label, "Exit status", 11) == 0;
		snprintf(obs, sizeof(obs), label_is_status ? "%s" : "%s crash", st->crash_label);
		double window = host->run->duration_s;
		double end = st->saw_exit ? st->exit_time_s : st->last_time_s;
		bool early = window > 0 && end < 0.25 * window;
		if (st->memory_hint)
			snprintf(remarks, sizeof(remarks),
				 "The program ran out of memory: %s; not a runtime security issue by itself",
				 MEMORY_CAUSE);
		else if (label_is_status)
			/* "Exit status 2": a deliberate exit, no crash signal, no traceback */
			snprintf(remarks, sizeof(remarks), "%s with %s, not a runtime security issue by itself",
				 early ? "Exited early" : "Exited", st->crash_label + 5);
		else
			snprintf(remarks, sizeof(remarks), "%s",
				 /* "by itself": what the program did before it
				  * stopped is judged by the other categories; a
				  * malicious program's crash is still a crash */
				 early ? "Code halted early, not a runtime security issue by itself"
				       : "Code stopped on an error, not a runtime security issue by itself");
	} else {
		snprintf(obs, sizeof(obs), "None");
		snprintf(remarks, sizeof(remarks), "Ran to completion without crashing");
	}
	host->set_summary(host, obs, remarks);
	return 0;
}

static void ci_destroy(void *state)
{
	struct code_integrity *st = state;
	if (!st)
		return;
	for (size_t i = 0; st->slots && i < PATH_SLOTS; i++) {
		free(st->slots[i].path);
		free(st->slots[i].evidence);
	}
	free(st->slots);
	free(st);
}

static const struct da_plugin code_integrity_plugin = {
	DA_PLUGIN_HEADER,
	.name = "code_integrity",
	.version = "1.0.0",
	.description = "crashes, early exits and changes to the submission's own files",
	.category_id = "code_integrity",
	.category_title = "Code Integrity",
	.subscriptions = {
		KIND_BIT(DA_EV_FILE_OPEN) | KIND_BIT(DA_EV_FILE_UNLINK) | KIND_BIT(DA_EV_FILE_RENAME) |
		KIND_BIT(DA_EV_FILE_CHMOD) | KIND_BIT(DA_EV_FILE_WRITE) | KIND_BIT(DA_EV_FILE_STAT) |
		KIND_BIT(DA_EV_PROC_EXEC) | KIND_BIT(DA_EV_PROC_EXIT), /* setup phase only */
		/* kinds 64..95 live in the second word */
		KIND_BIT(DA_EV_OUTPUT) | KIND_BIT(DA_EV_TARGET_EXIT) | KIND_BIT(DA_EV_FS_MONITOR),
	},
	.init = ci_init,
	.on_event = ci_on_event,
	.finish = ci_finish,
	.destroy = ci_destroy,
};

DYNAUDIT_PLUGIN(code_integrity_plugin)

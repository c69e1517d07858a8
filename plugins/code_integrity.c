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
 *        trailer), Go, Rust and C++, and compiler errors
 *        ("file.c:3:5: error: ...").  Ignored: an exception-like line that is
 *        not part of a traceback (a program may print "ValueError: ..." as
 *        ordinary output).  At most MAX_OUTPUT_FINDINGS distinct lines.
 *   code_integrity.crash         info  the target ended on SIGSEGV, SIGBUS,
 *        SIGILL, SIGFPE, SIGABRT, SIGSYS, SIGTRAP or dumped core; other
 *        killing signals are reported as "terminated by".
 *   code_integrity.exit_status   info  the target exited with a nonzero code.
 *        Ignored: exit 0, and a target still running when the window closed.
 *   code_integrity.early_exit    info  the target crashed or failed within
 *        the first quarter of the window: the audit saw only part of it.
 *   code_integrity.modifies_source low  writes, truncation, renames over,
 *        unlinks or chmods of a source file (.py, .c, .js, Makefile, the
 *        command's own script ...) under the workdir that existed before the
 *        run.
 *   code_integrity.modifies_file  info  the same for other pre-existing files
 *        of the submission (data files shipped with it).
 *        Both ignore: files the run created (O_EXCL, inotify CREATE, an
 *        O_CREAT open of a file never seen before), __pycache__ and *.pyc,
 *        build outputs (*.o, *.a, *.so, *.d, *.class, a.out), everything
 *        done during the setup phase (the build), and failed attempts on
 *        files that do not exist (ENOENT).
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
 * issue" (or "... by itself" when it ran most of the window); "Modifies its
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

/* What is known about one file under the workdir. */
enum {
	F_EXISTED = 1 << 0,   /* seen present before the run wrote to it */
	F_CREATED = 1 << 1,   /* created by the run (or written during setup) */
	F_CREAT_OPEN = 1 << 2,/* opened with O_CREAT: may have been created */
	F_TOUCHED = 1 << 3,   /* written, renamed over, unlinked or chmod'ed */
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

static void touch(struct file_rec *r, const struct da_event *ev, const char *op)
{
	if (r->flags & F_TOUCHED)
		return;
	r->flags |= F_TOUCHED;
	r->op = op;
	r->pid = ev->pid;
	r->time_s = ev->time_s;
	r->evidence = ev->text ? strndup(ev->text, LINE_MAX_KEPT) : NULL;
	if (ev->err)
		snprintf(r->outcome, sizeof(r->outcome), " (failed: %s)",
			 ev->errname ? ev->errname : "error");
}

/* A successful look at an untouched file proves it was there before. */
static void note_present(struct code_integrity *st, const char *path)
{
	struct file_rec *r = file_get(st, path);
	if (r && !(r->flags & (F_CREATED | F_CREAT_OPEN | F_TOUCHED)))
		r->flags |= F_EXISTED;
}

static void on_file_event(struct code_integrity *st, const struct da_event *ev)
{
	const char *path = ev->path;
	if (ev->kind == DA_EV_FILE_WRITE && !path && ev->fd_desc && ev->fd_desc[0] == '/')
		path = ev->fd_desc;
	if (ev->kind == DA_EV_FILE_RENAME && under_workdir(st, ev->path2) &&
	    !is_generated(ev->path2)) {
		/* renaming onto an existing file replaces its content */
		struct file_rec *dst = file_get(st, ev->path2);
		if (dst && ev->phase)
			dst->flags |= F_CREATED;
		else if (dst && (dst->flags & F_EXISTED) && !(dst->flags & F_CREATED))
			touch(dst, ev, "replaces");
		else if (dst && ev->err == 0)
			dst->flags |= F_CREATED;
	}
	if (!under_workdir(st, path) || is_generated(path))
		return;
	bool failed = ev->err != 0 || ev->result < 0;
	if (failed && ev->err == ENOENT)
		return; /* nothing there to modify */
	/* The live tracer sees some calls at entry only ("= ?"): such a call
	 * proves nothing about whether the file was there. */
	bool unknown = !failed && ev->text && strstr(ev->text, ") = ?") != NULL;

	if (ev->kind == DA_EV_FILE_STAT) {
		if (!failed && !unknown)
			note_present(st, path);
		return;
	}
	struct file_rec *r = file_get(st, path);
	if (!r)
		return;
	if (ev->phase) {
		/* the build writes its outputs; only remember them */
		if (ev->kind != DA_EV_FILE_OPEN || (ev->access & DA_ACC_WRITE))
			r->flags |= F_CREATED;
		else if (!failed && !unknown && !(r->flags & (F_CREATED | F_CREAT_OPEN)))
			r->flags |= F_EXISTED;
		return;
	}
	bool fresh = !(r->flags & (F_CREATED | F_CREAT_OPEN)) && !unknown;
	switch (ev->kind) {
	case DA_EV_FILE_OPEN:
		if (!(ev->access & (DA_ACC_WRITE | DA_ACC_TRUNC))) {
			if (!failed && fresh)
				r->flags |= F_EXISTED;
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

/* inotify: CREATE/MOVED_TO mark new files; a change to a file the tracer
 * never saw being created means it was there before. */
static void on_fs_monitor(struct code_integrity *st, const struct da_event *ev)
{
	if (!under_workdir(st, ev->path) || is_generated(ev->path) || !ev->detail)
		return;
	struct file_rec *r = file_get(st, ev->path);
	if (!r)
		return;
	if (strstr(ev->detail, "ISDIR"))
		return;
	if (strstr(ev->detail, "CREATE") || strstr(ev->detail, "MOVED_TO")) {
		if (!(r->flags & F_EXISTED))
			r->flags |= F_CREATED;
		return;
	}
	if (r->flags & (F_CREATED | F_CREAT_OPEN))
		return;
	if (strstr(ev->detail, "MODIFY") || strstr(ev->detail, "CLOSE_WRITE") ||
	    strstr(ev->detail, "DELETE") || strstr(ev->detail, "ATTRIB") ||
	    strstr(ev->detail, "MOVED_FROM")) {
		r->flags |= F_EXISTED;
		touch(r, ev, strstr(ev->detail, "DELETE") ? "deletes" : "modifies");
	}
}

static void report_modifications(struct code_integrity *st)
{
	for (size_t i = 0; i < PATH_SLOTS; i++) {
		struct file_rec *r = &st->slots[i];
		if (!r->path || !(r->flags & F_TOUCHED) || (r->flags & F_CREATED))
			continue;
		bool source = is_source(st, r->path);
		/* An O_CREAT open of a file never seen before: assume the run made
		 * it, unless it is the very script that was run. */
		if (!(r->flags & F_EXISTED) &&
		    !(st->script && strcmp(base_name(r->path), st->script) == 0))
			continue;
		char msg[768];
		snprintf(msg, sizeof(msg), "%s its own %s %s%s", r->op,
			 source ? "source" : "file", r->path, r->outcome);
		const char *ev[1] = {r->evidence};
		emit(st, source ? "code_integrity.modifies_source" : "code_integrity.modifies_file",
		     source ? DA_SEV_LOW : DA_SEV_INFO, msg, r->pid, r->time_s, ev,
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
	char msg[1536];
	if (s->frame_file[0])
		snprintf(msg, sizeof(msg), "Python %s: \"%.400s\" in %.400s, line %ld%s", short_name,
			 line, s->frame_file, s->frame_lineno,
			 syntax ? ": the code did not even start" : "");
	else
		snprintf(msg, sizeof(msg), "Python %s: \"%.400s\"%s", short_name, line,
			 syntax ? ": the code did not even start" : "");
	char rec[512];
	const char *where = s->frame_file[0] ? base_name(s->frame_file) : "the program";
	if (syntax)
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
	const char *label = crash_signature(line);
	if (!label)
		return;
	char msg[768];
	snprintf(msg, sizeof(msg), "%s: \"%.500s\"", label, line);
	char rec[256];
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

/* Tell how little of the window was seen when the target stopped early. */
static void report_early_end(struct code_integrity *st, double t, int pid, const char *why)
{
	double window = st->host->run->duration_s;
	if (window <= 0 || t >= 0.25 * window)
		return;
	char ts[32], ws[32], msg[256], rec[512];
	fmt_seconds(t, ts, sizeof(ts));
	snprintf(ws, sizeof(ws), "%g", window);
	snprintf(msg, sizeof(msg),
		 "the audit observed only %ss of the %ss window: an early crash limits what could be seen",
		 ts, ws);
	snprintf(rec, sizeof(rec),
		 "Fix the %s in %s and re-run the audit to observe the full runtime behaviour", why,
		 file_to_fix(st));
	emit(st, "code_integrity.early_exit", DA_SEV_INFO, msg, pid, t, NULL, 0, rec);
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
	char ts[32], msg[512], why[160];
	fmt_seconds(ev->time_s, ts, sizeof(ts));
	const char *evidence[1] = {ev->text};
	size_t n_ev = ev->text ? 1 : 0;

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
		snprintf(msg, sizeof(msg), "the target was terminated by %s after %ss", sig, ts);
		emit(st, "code_integrity.exit_status", DA_SEV_INFO, msg, ev->pid, ev->time_s,
		     evidence, n_ev, NULL);
		snprintf(why, sizeof(why), "early termination (%s)", sig);
	} else if (ev->arg[0] != 0) {
		snprintf(msg, sizeof(msg), "the target exited with status %lld after %ss%s%s%s",
			 (long long)ev->arg[0], ts, st->crash_label[0] ? " (after " : "",
			 st->crash_label, st->crash_label[0] ? ")" : "");
		emit(st, "code_integrity.exit_status", DA_SEV_INFO, msg, ev->pid, ev->time_s,
		     evidence, n_ev, NULL);
		if (!st->crash_label[0])
			snprintf(st->crash_label, sizeof(st->crash_label), "Exit status %lld",
				 (long long)ev->arg[0]);
		snprintf(why, sizeof(why), "error that ends it with status %lld",
			 (long long)ev->arg[0]);
	} else {
		return; /* a clean exit 0 */
	}
	/* a known error ("IndentationError") names the fix better than a status */
	if (!sig && !core && st->crash_label[0] && strncmp(st->crash_label, "Exit status", 11) != 0)
		snprintf(why, sizeof(why), "%s", st->crash_label);
	report_early_end(st, ev->time_s, ev->pid, why);
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
		report_early_end(st, st->last_time_s, 0, st->crash_label);

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
		snprintf(remarks, sizeof(remarks), "%s",
			 early ? "Code halted early, not a runtime security issue"
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

/*
 * code_integrity.h — the inside of the "code_integrity" detector, for its
 * own files.
 *
 * One state (struct code_integrity, below) fed event by event:
 *   code_integrity.c  the rules (top comment), the descriptor and the
 *                     lifecycle (init, dispatch by kind, the summary).
 *   files.c           small helpers, emit() (the one emit site) and the table
 *                     of workdir files: which were shipped, read, changed.
 *   crashes.c         crash signatures in the output: tracebacks, JVM and
 *                     node errors, compiler and loader errors, memory.
 *   ending.c          the setup phase and the end of the target: early ends,
 *                     crash signals, a target that never ran.
 */
#ifndef DA_PLUGIN_CODE_INTEGRITY_H
#define DA_PLUGIN_CODE_INTEGRITY_H

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dynaudit/detector.h"
#include "dynaudit/progclass.h"
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

/* Said wherever running out of memory may explain an end. */
#define MEMORY_CAUSE "the sandbox memory limit (sandbox.limits.memory) may be the cause"
#define MEMORY_FIX "Raise sandbox.limits.memory (e.g. --set sandbox.limits.memory=2G) or make the program need less (for Java: a smaller -Xmx)"

/* How the target ended, for the early_exit finding. */
enum end_kind {
	END_CRASH,      /* a crash signal, a core, or an error in the output */
	END_STATUS,     /* a plain nonzero exit: no crash signal, no traceback */
	END_TERMINATED, /* killed by a signal that is not a crash (SIGKILL, SIGTERM) */
};

/* ---- files.c: small helpers, emit() and the table of workdir files */
void fmt_seconds(double t, char *buf, size_t len);
/* The one emit site: the message is fmt and its arguments (libdynaudit-sdk's
 * da_emit_findingv), cut at 1535 bytes. */
void emit(struct code_integrity *st, const char *rule, enum da_severity sev, int pid, double t,
	  const char *const *evidence, size_t n_ev, const char *recommendation, const char *fmt, ...)
	__attribute__((format(printf, 9, 10)));
bool under_workdir(const struct code_integrity *st, const char *path);
void on_file_event(struct code_integrity *st, const struct da_event *ev);
/* inotify: the first event on a path says whether it appeared while the
 * workdir copy was watched (CREATE: made by the build or the run) or was
 * there from the start (any change first: shipped).  Events come late and
 * out of step with the syscalls, so they are only noted here. */
void on_fs_monitor(struct code_integrity *st, const struct da_event *ev);
void report_modifications(struct code_integrity *st);

/* ---- crashes.c: crash signatures in the output: tracebacks, JVM, node, compilers */
size_t exception_name_len(const char *line);
/* "main.c:12:5: error: expected ';'" — a compiler diagnostic. */
bool is_compiler_error(const char *line);
/* Which runtime-agnostic crash line is this?  Returns a short label or NULL. */
const char *crash_signature(const char *line);
void on_output(struct code_integrity *st, const struct da_event *ev);

/* ---- ending.c: the setup phase and the end of the target */
void on_setup_output(struct code_integrity *st, const struct da_event *ev);
/* The first exec of the setup phase is the setup command (target.setup). */
void on_setup_exec(struct code_integrity *st, const struct da_event *ev);
void on_setup_exit(struct code_integrity *st, const struct da_event *ev);
/* Tell how little of the window was seen when the target stopped early.
 * why: what to fix (for END_CRASH: "IndentationError", "crash (SIGSEGV)");
 * how: for END_STATUS "status 2", for END_TERMINATED the signal name. */
void report_early_end(struct code_integrity *st, double t, int pid, enum end_kind kind,
		      const char *why, const char *how);
void on_target_exit(struct code_integrity *st, const struct da_event *ev);

#endif /* DA_PLUGIN_CODE_INTEGRITY_H */

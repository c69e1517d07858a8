/*
 * audit.h — one audit: the pipeline from events to reports.
 *
 *   audit_open()    load and init the configured detector plugins, subscribe
 *                   them and the output writers (events.jsonl, trace.log,
 *                   stdout.log, stderr.log, sockets.txt, processes.txt,
 *                   fs-events.log) to a new bus.
 *   audit_bus()     sources (strace log, events.jsonl, the live tracer and
 *                   monitors) publish here.
 *   audit_set_*()   sources say what the report overview needs.
 *   audit_close()   end of input: plugins finish, findings are aggregated
 *                   and scored, the reports of report.formats (report.json,
 *                   report.md, report.html, report.junit.xml, report.sarif)
 *                   are written atomically into the output directory.
 *
 * The engine never prints (except through the log hook) and never exits;
 * errors come back as negative errno with a message in err[errlen].
 * audit_open() returns -EINVAL for configuration errors (plugin rejected
 * its config: exit status 2) and other negatives when the audit cannot run.
 */
#ifndef DYNAUDIT_AUDIT_H
#define DYNAUDIT_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/config.h"
#include "engine/bus.h"

struct audit;

struct audit_options {
	const char *outdir;          /* the output directory as shown to the user; NULL = write nothing */
	int outdir_fd;               /* ... and its fd (outdir_open), used when outdir is set */
	bool live;                   /* run (true) or replay (false) */
	bool write_artifacts;        /* write stdout.log etc. from events (default true) */
	int verbosity;               /* 0 quiet, 1 warnings, 2 info, 3 debug */
	const char *builtin_plugin_dir; /* override of the built-in plugin dir (tests) */
	bool fail_on_warn;           /* --fail-on warn / inconclusive: those fail the */
	bool fail_on_inconclusive;   /* testcases of report.junit.xml too */
};

int audit_open(struct audit **out, const struct audit_config *cfg, const struct audit_options *opt,
	       char *err, size_t errlen);

struct bus *audit_bus(struct audit *a);
/* The output directory's fd (-1 when nothing is written): for files the
 * live run writes itself (driver.log), through atomic_file_begin. */
int audit_outdir_fd(const struct audit *a);

/* Overview facts, shown in report.md "Overview" and report.json "sandbox":
 * e.g. ("network", "own namespace, loopback only").  Copied; order kept. */
void audit_set_sandbox_fact(struct audit *a, const char *key, const char *value);
/* An input or monitor that fed the bus: "strace log: x.log", "inotify". */
void audit_add_source(struct audit *a, const char *description);
/* A note shown in the report (parser warnings summary, fallbacks). */
void audit_add_note(struct audit *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The audit was cut short (SIGINT, window not reached...). */
void audit_mark_incomplete(struct audit *a, const char *why);
/* Target command when not configured (replay takes it from the first exec). */
void audit_set_command(struct audit *a, char *const *argv);
/* The target was never started (its target.setup failed): why.  Also
 * marks the audit incomplete: nothing of the target was seen. */
void audit_set_not_started(struct audit *a, const char *why);
/* Seconds observed; default: time of the last event. */
void audit_set_observed(struct audit *a, double seconds);
/* The files a live run's target left behind (live/left_behind.c):
 * audit_left_behind_listed says the list was taken (report.json then has
 * "left_behind", maybe empty); each file is copied in.  sha256: 64 hex
 * digits or NULL when the file was not hashed. */
void audit_left_behind_listed(struct audit *a);
void audit_add_left_behind(struct audit *a, const char *path, uint64_t size, const char *sha256,
			   bool executable);
/* Extra numeric statistics for report.json "stats" (parse_warnings...). */
void audit_set_stat(struct audit *a, const char *name, double value);

/* The events.jsonl being replayed says its writer cut it (event_json.h):
 * events_left_out events left out (kinds: "open 123, stat 4"), strings
 * shortened.  The report is marked incomplete; events left out also give
 * the run's flood finding (code_integrity.output_flood), as the original
 * audit had. */
void audit_input_cut(struct audit *a, uint64_t events_left_out, uint64_t strings_shortened,
		     const char *kinds);


/* SIGINT or SIGTERM ended the audit early: marks it incomplete ("interrupted
 * by SIGINT") and keeps the signal for audit_outcome.interrupted_by. */
void audit_mark_interrupted(struct audit *a, int signo);

/* What the command line needs to choose the exit status and its summary. */
struct audit_outcome {
	bool pass;                 /* the verdict */
	double score;
	const char *risk;          /* "low" ... "critical" (static) */
	const char *coverage;      /* "full" | "partial" | "none" (static) */
	char coverage_reason[512];
	unsigned n_fail, n_warn;   /* categories with that status */
	int interrupted_by;        /* the SIGINT/SIGTERM that cut the audit short, 0 */
};

/* Finish, score, write reports; *out receives the outcome.  Returns 0 or
 * negative errno (reports could not be written). */
int audit_close(struct audit *a, struct audit_outcome *out, char *err, size_t errlen);
void audit_free(struct audit *a);

/* An fd whose close can take milliseconds (an inotify fd waits for the
 * kernel to free its watches): the audit keeps it and closes it in
 * audit_free(), after the reports are written, so that wait overlaps
 * with them.  Ownership passes to the audit. */
void audit_close_late(struct audit *a, int fd);

#endif /* DYNAUDIT_AUDIT_H */

/*
 * report.h — findings, scoring and the report writers.
 *
 * The engine (audit.c) fills a struct report_input while the audit runs:
 * findings_add() for every finding a detector emits (copied, de-duplicated
 * by (rule, message) with a count, the first occurrence's pid, time and
 * evidence kept), plus the overview facts.  At the end score_compute()
 * derives category statuses, the 0-100 score, the verdict and the risk,
 * and report_write_json()/report_write_md() write the files atomically
 * (temp file + rename).  Output is deterministic: categories in report
 * order, findings sorted by severity (worst first), then rule, then
 * message.
 *
 * Nothing here prints or exits; errors are negative errno + err text.
 */
#ifndef DYNAUDIT_REPORT_H
#define DYNAUDIT_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dynaudit/plugin.h"

enum category_status { STATUS_SAFE, STATUS_INFO, STATUS_WARN, STATUS_FAIL };
const char *category_status_name(enum category_status s);   /* "safe" ... */
const char *category_status_label(enum category_status s);  /* "Safe", "Info", "Warn", "Fail" */

struct finding_rec {
	char *rule;
	enum da_severity severity;
	char *message;
	int pid;             /* 0: none */
	double time_s;       /* < 0: none */
	char **evidence;     /* n_evidence lines, at most FINDING_MAX_EVIDENCE kept */
	size_t n_evidence;
	char *recommendation;/* may be NULL */
	unsigned count;      /* occurrences merged into this record */
};
#define FINDING_MAX_EVIDENCE 8

struct category_rec {
	char *id;            /* "process" */
	char *title;         /* "Process Spawning" */
	char *plugin;        /* detector name that fills it */
	char *observation;   /* from set_summary, NULL: derived */
	char *remarks;       /* from set_summary, NULL: derived */
	char *error;         /* detector failed (init/on_event/finish): text; NULL ok */
	struct finding_rec *findings;
	size_t n_findings;
	/* filled by score_compute */
	enum category_status status;
	/* what was observed in this area, whatever the verdict (activity.c) */
	char **activity;
	size_t n_activity;
};

struct kv { char *key; char *value; };

/* One process of the audit (proctree.c): who started it and what it ran,
 * for report.html's process tree.  Threads are not processes here. */
struct proc_rec {
	int pid;
	int ppid;            /* the parent's pid, 0: a root (the target, or unknown) */
	char **argv;         /* the last successful exec's argv, NULL-terminated; NULL: none seen */
	char *exe;           /* its resolved path, or NULL */
	double start_s;      /* fork (or first sight) time */
	double end_s;        /* exit time, < 0 while running */
	bool ended;
	int exit_code;       /* valid when ended && !signal */
	char *signal;        /* killing signal name, or NULL */
	unsigned execs;      /* exec attempts (failed ones included) */
	bool setup;          /* part of target.setup */
};

/* Events over time (timeline.c): counts per class in equal buckets of
 * bucket_s seconds from 0, for report.html's timeline. */
enum tl_class { TL_PROCESS, TL_FILE, TL_NETWORK, TL_PRIVILEGE, TL_OUTPUT, TL_OTHER, TL_N };
#define TIMELINE_BUCKETS 256
struct timeline_rec {
	double bucket_s;     /* 0: no event recorded */
	size_t n_buckets;    /* buckets in use (<= TIMELINE_BUCKETS) */
	unsigned long count[TL_N][TIMELINE_BUCKETS];
	unsigned long total;
};
struct named_stat { char *name; double value; };

/*
 * OWNERSHIP (report_input_free): the struct owns every non-const pointer —
 * command and its strings, sandbox keys/values, sources, notes, the
 * categories with all their strings and findings, stats names — which must
 * therefore be malloc'd.  The const char * members (tool_version, title,
 * config_source, workdir, exit_signal, incomplete) are borrowed and must
 * outlive the report writers.
 */
/* A file the target left in its private /tmp or HOME (live/left_behind.c):
 * report.json "left_behind", the batch's cohort view of shared payloads. */
struct left_behind_rec {
	char *path;          /* as the target saw it: "/tmp/.x" */
	uint64_t size;
	char sha256[65];     /* lowercase hex, "" when not hashed (too large) */
	bool executable;     /* any x bit */
};

struct report_input {
	const char *tool_version;
	const char *title;          /* report.title or NULL */
	const char *config_source;  /* config file or "<embedded default>" */
	bool live;
	char **command;             /* NULL-terminated (may be empty) */
	const char *workdir;
	double duration_s;          /* configured window */
	double observed_s;
	bool exited;                /* the first process ended */
	int exit_code;              /* valid when exited && !exit_signal */
	const char *exit_signal;    /* "SIGSEGV" or NULL */
	bool core_dumped;
	const char *not_started;    /* why the target never ran (failed setup), or NULL */
	struct kv *sandbox;  size_t n_sandbox;   /* overview facts, in order */
	char **sources;      size_t n_sources;
	char **notes;        size_t n_notes;
	const char *incomplete;     /* reason, NULL when complete */
	struct category_rec *categories; size_t n_categories;  /* report order */
	uint64_t events, processes, events_lost;
	struct named_stat *stats; size_t n_stats;   /* extra stats */
	double weights[5];          /* per severity */
	double pass_score;
	/* filled by the engine before the writers run (coverage_compute) */
	const char *coverage;       /* "full" | "partial" | "none" (static) */
	const char *coverage_reason;/* borrowed, NULL before */
	/* for report.html, report.junit.xml and report.sarif (owned, may be empty) */
	struct proc_rec *procs; size_t n_procs;
	unsigned long procs_dropped;/* processes not kept (PROCTREE_MAX) */
	struct timeline_rec timeline;
	const char *run_workdir;    /* the workdir as the target saw it (borrowed), NULL: workdir */
	bool fail_on_warn;          /* --fail-on warn / inconclusive: report.junit.xml */
	bool fail_on_inconclusive;  /* fails those testcases too (exit status 1 agrees) */
	/* live runs: the files left behind, in walk order (owned) */
	bool left_behind_listed;    /* the list was taken (else report.json has none) */
	struct left_behind_rec *left_behind; size_t n_left_behind;
};

/* Coverage: how much of the target's own behaviour the audit saw (see
 * coverage.c).  none: the submission's code never ran (not_started, or a
 * code_integrity.not_run finding); partial: the audit was cut short, or
 * the target crashed or was ended early; full otherwise.  The reason
 * ("the submission's code never ran: Python IndentationError ...") goes
 * to reason[len].  Call after the findings are complete. */
enum coverage { COVERAGE_FULL, COVERAGE_PARTIAL, COVERAGE_NONE };
enum coverage coverage_compute(const struct report_input *in, char *reason, size_t len);
const char *coverage_name(enum coverage c);

/* Add a finding to category cat (copied; merged when (rule, message) is
 * already there).  Returns 0 or -EINVAL (missing rule/message, bad
 * severity) or -ENOMEM. */
int findings_add(struct category_rec *cat, const struct da_finding *f);
/* Sort every category's findings into report order. */
void findings_sort(struct report_input *in);
void report_input_free(struct report_input *in);   /* frees everything it owns */

struct score_result {
	double score;               /* 0..100, 100 = no risk observed */
	bool pass;
	const char *risk;           /* "low" | "medium" | "high" | "critical" */
	char **explanation;         /* lines: how the score was reached */
	size_t n_explanation;
	char **recommendations;     /* de-duplicated, in order */
	size_t n_recommendations;
};

/* Sorts the findings (findings_sort), sets categories[i].status, fills a
 * category's observation/remarks when its detector never set them
 * ("None"/"No findings" when safe, else from the worst finding), appends a
 * detector's error to its remarks, and fills out (caller frees with
 * score_free).  A category whose detector failed is at least "warn".
 * Returns 0 or -ENOMEM.
 * Score = max(0, 100 - sum over findings of weights[severity] * min(count, 3))
 * — documented in README; verdict FAIL on any fail category or score <
 * pass_score; risk: score >= 85 low, >= 60 medium, >= 30 high, else critical,
 * raised to at least "high" when any category fails. */
int score_compute(struct report_input *in, struct score_result *out);
void score_free(struct score_result *r);

/* Both writers return 0, or negative errno with "path: what" in err; the
 * file name (relative to dirfd: the output directory's fd, or AT_FDCWD) is
 * replaced atomically (write_file_atomic). */
int report_write_json(const struct report_input *in, const struct score_result *s,
		      int dirfd, const char *path, char *err, size_t errlen);
int report_write_md(const struct report_input *in, const struct score_result *s,
		    int dirfd, const char *path, char *err, size_t errlen);

/* The other formats (report.formats: html, junit, sarif), same contract:
 * report.html (self-contained, no script), report.junit.xml, report.sarif
 * (SARIF 2.1.0).  See report_html.c, report_junit.c, report_sarif.c. */
int report_write_html(const struct report_input *in, const struct score_result *s,
		      int dirfd, const char *path, char *err, size_t errlen);
int report_write_junit(const struct report_input *in, const struct score_result *s,
		       int dirfd, const char *path, char *err, size_t errlen);
int report_write_sarif(const struct report_input *in, const struct score_result *s,
		       int dirfd, const char *path, char *err, size_t errlen);

/* Escapers shared by the XML-like writers (report_markup.c): text for HTML
 * or XML element content and attribute values.  Valid UTF-8 is kept
 * (minus characters XML forbids), & < > " ' become entities, and control
 * characters and bytes that are not valid UTF-8 are shown as \xNN, so a
 * hostile string can neither open markup nor make the file invalid. */
struct json_buf;
void markup_text(struct json_buf *b, const char *s);
/* At most max bytes of s (cut on a character boundary, "…" appended). */
void markup_text_max(struct json_buf *b, const char *s, size_t max);

/* Write data to path (relative to dirfd) atomically: ".NAME.tmp" created
 * with O_EXCL | O_NOFOLLOW next to it, rename (no fsync: atomic_file.c).  A directory part
 * of path is followed (it is the caller's), the file name never is.  On
 * failure the temp file is removed and an existing file is untouched. */
int write_file_atomic(int dirfd, const char *path, const char *data, size_t len, char *err,
		      size_t errlen);

/* The writers' last step: write the built buffer b (json.h) atomically
 * to path (as write_file_atomic) and free it; a buffer whose building
 * ran out of memory is not written (-ENOMEM).  Returns 0 or -errno. */
struct json_buf;
int report_buf_write(struct json_buf *b, int dirfd, const char *path, char *err, size_t errlen);

/* The same in steps, for files written as a stream (artifacts.c):
 * begin creates ".NAME.tmp" in dirfd (a stale one, or a link planted
 * under that name, is removed first, never followed) and returns its fd;
 * commit closes and renames it to NAME; abort closes (fd >= 0)
 * and removes it.  NAME is a plain file name. */
int atomic_file_begin(int dirfd, const char *name, char *err, size_t errlen);
int atomic_file_commit(int dirfd, const char *name, int fd, char *err, size_t errlen);
void atomic_file_abort(int dirfd, const char *name, int fd);

#endif /* DYNAUDIT_REPORT_H */

/*
 * summary_row.h — one row of the summary, as summary_load.c reads it from
 * an audit directory and summary.c ranks and writes it (internal to
 * core/batch/).
 */
#ifndef DYNAUDIT_SUMMARY_ROW_H
#define DYNAUDIT_SUMMARY_ROW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SUMMARY_N_CATS 6
#define SUMMARY_TOP 5
#define SUMMARY_MAX_BEHAVIOURS 256

extern const char *const summary_cat_ids[SUMMARY_N_CATS];

enum row_group { GROUP_FAIL = 0, GROUP_NOT_AUDITED = 1, GROUP_RERUN = 2, GROUP_PASS = 3 };

struct row_finding {
	char *rule;
	char *severity;
	int64_t count;
	int sev_rank;          /* 0 critical .. 4 info, 5 unknown */
};

struct behaviour {
	char *kind;            /* exec, connect, bind, listen, write, rule, dropped */
	char *value;           /* dropped: the file's sha256 */
	char *detail;          /* dropped: the first path it was left at, else NULL */
	size_t shown_by;       /* filled by summary.c: submissions showing it */
};

struct summary_row {
	char *name;
	char *dir;             /* the audit directory as found */
	bool has_report;
	bool has_html;         /* the audit wrote report.html (html among report.formats) */
	bool interrupted;
	char *reason;          /* why not audited / interrupted, or NULL */
	char *verdict;         /* PASS / FAIL or NULL */
	double score;
	bool has_score;
	char *risk, *coverage, *coverage_reason;
	char *cats[SUMMARY_N_CATS];   /* status or NULL */
	size_t n_cat_fail, n_cat_warn;
	struct row_finding top[SUMMARY_TOP];
	size_t n_top;
	size_t n_findings;     /* sum of counts */
	int exit_status;       /* the batch child's, -1 unknown */
	struct behaviour *beh;
	size_t n_beh;
	bool events_cut;       /* events.jsonl bigger than read */
	enum row_group group;
	bool needs_review;
};

/* Fill row from the audit directory dir (never fails: problems become
 * the row's reason).  Returns 0 or -ENOMEM. */
int summary_row_load(const char *dir, struct summary_row *row);
void summary_row_free(struct summary_row *row);

/* Shared by the writers of summary.c and summary_html.c (rows ranked and
 * counted by summary.c first). */
struct json_buf;
struct summary_totals;
const char *summary_status_text(const struct summary_row *r);
bool summary_is_outlier(const struct behaviour *b, size_t threshold);
void summary_outlier_text(char *buf, size_t len, const struct summary_row *rows, size_t n,
			  const struct summary_row *self, const struct behaviour *b, size_t audited);
/* index.html (summary_html.c) into b. */
void summary_write_html(struct json_buf *b, const struct summary_row *rows, size_t n,
			const struct summary_totals *t, size_t audited, size_t threshold);

#endif /* DYNAUDIT_SUMMARY_ROW_H */

/*
 * summary.h — the ranked summary of many audits (dynaudit batch and
 * dynaudit summarize): summary.json (schema dynaudit.summary/1, JSON
 * Schema in tests/schema/summary.schema.json), summary.md, summary.csv.
 *
 * INPUT.  Audit directories, each holding report.json written by
 * `dynaudit run` and, when a batch made it, batch.json (the submission's
 * name, hashes, the child's exit status and, for a submission that could
 * not be audited, the reason).  Both are read bounded and with the
 * project's strict JSON reader; a missing or broken report becomes a row
 * "not audited" with the reason, never an abort.  events.jsonl is read
 * (bounded) for the cohort view only.
 *
 * RANKING, worst first: FAIL; then "not audited" (no report); then
 * "needs re-run" (coverage short of full or the audit was interrupted: its
 * PASS proves nothing, so it is never ranked among the safest); then
 * PASS.  Within a group: lower score first, then needs-review first, then
 * name.  needs_review: any category fail or warn, coverage short of full,
 * interrupted, or not audited.
 *
 * COHORT (advisory, never changes a verdict or the rank).  Behaviours of
 * each audited submission: programs executed (base name), endpoints
 * connected to, bound or listened on, paths opened for writing outside the
 * workdir (the private /tmp, /dev and /proc left out: their names are
 * random or shared by every run), rule ids reported, and the files left
 * in the private /tmp and HOME (report.json "left_behind"), named by
 * their SHA-256 so the same payload under two names is one behaviour.  A
 * behaviour is an outlier when at most T submissions show it, T = min(3,
 * audited / 10): at most 10% of the batch and at most three, so what most
 * submissions do is never one, and a batch under ten submissions has no
 * outliers.  A left file is one only when at least two submissions left
 * it ("shares a dropped file (sha256 ..., /tmp/.x) with 1 other
 * submission: B"): one submission's own scratch file is nobody's pattern.
 *
 * DETERMINISM.  The output depends only on the audits' contents and names:
 * rows are sorted, there is no timestamp and no absolute path (a row's
 * link is NAME/report.md, relative to the batch directory holding the
 * audit), so the same audits give byte-identical files however they were
 * gathered: shards merged by summarize equal the one batch.
 */
#ifndef DYNAUDIT_SUMMARY_H
#define DYNAUDIT_SUMMARY_H

#include <stdbool.h>
#include <stddef.h>

#define SUMMARY_BATCH_FILE "batch.json"

struct summary_totals {
	size_t rows;
	size_t fail;          /* verdict FAIL */
	size_t not_audited;   /* no usable report */
	size_t needs_rerun;   /* coverage short of full or interrupted, not FAIL */
	size_t needs_review;
	size_t warn;          /* rows with at least one category warn */
};

/* Expand the paths the user named into audit directories: a directory
 * holding report.json or batch.json is one audit; any other directory
 * contributes its subdirectories that are audits (one level: a batch's
 * OUTDIR).  Symbolic links are not followed into.  Returns 0 with a
 * malloc'd array of malloc'd paths, sorted and without duplicates, or a
 * negative errno with the reason in err. */
int summary_expand(const char *const *paths, size_t n, char ***out, size_t *n_out, char *err,
		   size_t errlen);
void summary_paths_free(char **paths, size_t n);

/* Read the audits and write BASE.json, BASE.md and BASE.csv (base: NULL
 * for "summary") atomically into the directory open as outfd.  Returns 0
 * (totals filled) or a negative errno with the reason in err. */
int summary_write(int outfd, const char *base, char *const *audit_dirs, size_t n,
		  struct summary_totals *totals, char *err, size_t errlen);

#endif /* DYNAUDIT_SUMMARY_H */

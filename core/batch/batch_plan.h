/*
 * batch_plan.h — the submissions of a batch (internal to core/batch/):
 * their names, order and shares (batch_plan.c), the resume record
 * OUTDIR/NAME/batch.json and the hashes it compares (also batch_plan.c).
 * batch.c runs them.
 */
#ifndef DYNAUDIT_BATCH_PLAN_H
#define DYNAUDIT_BATCH_PLAN_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "batch/batch.h"

#define REASON_MAX 512

enum { ST_QUEUED, ST_SKIPPED, ST_RUNNING, ST_DONE };

struct sub {
	char *path;                 /* real path */
	char name[NAME_MAX + 1];
	char tree[65];              /* "" when the tree is over the bounds */
	int state;
	pid_t pid;
	int err_fd;                 /* the child's stderr, -1 once closed */
	char tail[REASON_MAX];      /* last bytes of its stderr */
	size_t tail_len;
	double started, elapsed;
	int exit;                   /* exit status, 128+sig when killed */
};

/* Resolve, name, de-duplicate and sort o->paths (see batch.c's top).
 * Returns 0, -EINVAL (reported on stderr) or -ENOMEM. */
int batch_plan(const struct batch_options *o, struct sub **out, size_t *n_out);

/* SHA-256 of the merged, normalized config and the version; validates the
 * config (reported on stderr).  Returns 0 or -EINVAL. */
int batch_config_hash(const struct batch_options *o, char hex[65]);

/* Did an earlier batch complete this audit with the same hashes? */
bool batch_already_done(int outfd, const struct sub *s, const char *cfg_hex);

/* "completed" (exit 0/1), "interrupted" (130/143) or "not_audited". */
const char *batch_state_of(int exit_status);

/* The last non-empty line of the child's stderr, without "dynaudit: ". */
void batch_last_line(const struct sub *s, char *out, size_t len);

/* Write OUTDIR/NAME/batch.json (and the audit marker when the child never
 * made the directory); problems are reported on stderr. */
void batch_write_entry(int outfd, const struct sub *s, const char *cfg_hex);

#endif /* DYNAUDIT_BATCH_PLAN_H */

/*
 * batch.h — `dynaudit batch` and `dynaudit summarize`, command-line layer
 * (they print progress and choose the exit status, like main.c).
 */
#ifndef DYNAUDIT_BATCH_H
#define DYNAUDIT_BATCH_H

#include <stdbool.h>
#include <stddef.h>

struct batch_options {
	const char *config;        /* -c, or NULL: the embedded default */
	const char *const *sets;   /* --set KEY=VALUE, in order */
	size_t n_sets;
	const char *outdir;        /* -o, or NULL: the default */
	bool force;                /* re-audit unchanged submissions; write into a foreign dir */
	unsigned jobs;             /* -j, 0: chosen from cores and memory */
	unsigned shard_k, shard_n; /* --shard K/N; n == 0: no sharding */
	unsigned fail_on;          /* bits: 1 fail, 2 warn, 4 inconclusive */
	int verbosity;             /* -1 quiet */
	char *const *paths;        /* the submission (batch) or audit (summarize) directories */
	size_t n_paths;
};

int batch_main(const struct batch_options *o);
int summarize_main(const struct batch_options *o);

/* The default -j: see batch.c (4 x cores, capped by available memory /
 * 1.5 GiB, between 1 and 64). */
unsigned batch_default_jobs(void);

#endif /* DYNAUDIT_BATCH_H */

/*
 * scenario.h — the detector test kit's scenario files (`dynaudit test`).
 *
 * A scenario is a YAML file saying what to audit and what the audit must
 * find:
 *
 *     name: a miner reaches a pool              # optional; default: the file name
 *     config: {plugins: {crypto_miner: {}}}     # inline config, or a file: config: miner.yaml
 *     input:                                    # exactly one of strace, events, command
 *       strace: miner.strace.log                # (ss: FILE may go with strace)
 *       # events: run/events.jsonl
 *       # command: [sh, -c, "xmrig -o pool:3333"]   (workdir: DIR, default the scenario's dir)
 *     timeout: 2m                               # optional, default 5m, at most 1h
 *     expect:
 *       verdict: FAIL                           # optional: PASS or FAIL
 *       findings:                               # rule id: exact count, or {min: N} / {count: N}
 *         crypto_miner.pool_port: 1
 *         crypto_miner.miner_exec: {min: 1}
 *       must_not_fire: [process.shell]          # rules with no finding at all
 *
 * Relative paths (config file, inputs, workdir, and relative paths inside
 * an inline config such as plugin_path) are resolved against the scenario
 * file's directory.  A count is the sum of the `count` of the report's
 * findings of that rule (the report de-duplicates findings).
 *
 * Hostile input: the file is read up to SCENARIO_MAX_BYTES; at most
 * SCENARIO_MAX_RULES expectations; counts 0..1000000; anything unknown or
 * malformed is an error with file:line.  Nothing here prints.
 */
#ifndef DYNAUDIT_SCENARIO_H
#define DYNAUDIT_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>

#include "config/config.h"

#define SCENARIO_MAX_BYTES (1u << 20)
#define SCENARIO_MAX_RULES 256
#define SCENARIO_DEFAULT_TIMEOUT 300.0
#define SCENARIO_MAX_TIMEOUT 3600.0

struct scenario_count {
	char *rule;
	long long count;   /* expected count, or the minimum */
	bool at_least;     /* {min: N} */
	int line;
};

struct scenario {
	char *path;                 /* the file as named */
	char *name;
	struct cfg_node *tree;      /* the parsed file (owned) */
	struct cfg_node *config;    /* the inline config, detached from tree (owned), or NULL */
	char *config_path;          /* config: FILE, resolved, or NULL (with no config at all:
	                               the embedded default) */
	char *strace, *ss, *events; /* resolved input paths, NULL when not given */
	char **command;             /* live command argv, NULL-terminated, or NULL */
	char *workdir;              /* live: the submission dir */
	double timeout_s;
	char *verdict;              /* "PASS", "FAIL" or NULL (not checked) */
	struct scenario_count *findings;
	size_t n_findings;
	struct scenario_count *absent; /* must_not_fire (count 0) */
	size_t n_absent;
};

/* Parse path into out.  Returns 0, or -EINVAL/-ENOENT/-ENOMEM with
 * "file:line: key: what is wrong" in err. */
int scenario_load(const char *path, struct scenario *out, char *err, size_t errlen);
void scenario_free(struct scenario *s);

/* Judge a report.json (text[0..len)) against s's expectations.  Returns 1
 * when every expectation holds, 0 when one does not (why lists each miss,
 * "; "-separated), -EINVAL when the report cannot be read (why says so). */
int scenario_judge(const struct scenario *s, const char *text, size_t len, char *why,
		   size_t whylen);

#endif /* DYNAUDIT_SCENARIO_H */

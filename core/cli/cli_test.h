/*
 * cli_test.h — `dynaudit test SCENARIO...`, the detector test kit's runner.
 *
 * Every scenario file is loaded first (a malformed one: its file:line on
 * stderr and exit 2, nothing runs).  Then each runs in a child process of
 * its own, bounded by its timeout, as `dynaudit replay` or `dynaudit run`
 * would with the scenario's config, into a directory of its own; its
 * report.json is judged against the expectations (testkit/scenario.h).
 *
 * Output: one line per scenario on stdout ("ok   NAME (FILE)" or
 * "not ok NAME (FILE): why"), or with tap a TAP version 13 stream; with
 * junit a JUnit XML file as well.  Exit status: 0 every scenario holds,
 * 1 one does not (or its audit could not run), 2 a scenario is malformed
 * (also: its config is invalid).
 */
#ifndef DYNAUDIT_CLI_TEST_H
#define DYNAUDIT_CLI_TEST_H

#include <stdbool.h>
#include <stddef.h>

#include "testkit/scenario.h"

/* Runs one scenario's audit into outdir (an empty directory) in the child
 * process and returns the exit status `replay`/`run` would. */
typedef int (*cli_test_audit_fn)(const struct scenario *s, const char *outdir, void *ctx);

struct cli_test_options {
	char *const *files;     /* the scenario files */
	size_t n_files;
	bool tap;               /* --tap */
	const char *junit;      /* --junit FILE, or NULL */
	const char *keep;       /* -o DIR: keep each audit in DIR/NNN/, or NULL (a temp dir) */
};

int cli_test_main(const struct cli_test_options *o, cli_test_audit_fn audit, void *ctx);

#endif /* DYNAUDIT_CLI_TEST_H */

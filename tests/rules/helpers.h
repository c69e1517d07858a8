/* helpers.h — a compiled rule set and a fake process tree for the rules
 * detector's unit tests. */
#ifndef TESTS_RULES_HELPERS_H
#define TESTS_RULES_HELPERS_H

#include <errno.h>
#include <stdio.h>

#include "rules.h"

struct fixture {
	struct ruleset rs;
	struct rproc_table procs;
	struct rctx ctx;
	struct da_run_info run;
	struct rerr err;
};

/* Load text as "t.rules.yaml"; the return code of ruleset_load_text. */
int fx_load(struct fixture *fx, const char *text);
void fx_free(struct fixture *fx);
/* Does rule i match ev (plain rules: step 0)?  Updates the tree after. */
bool fx_match(struct fixture *fx, size_t i, const struct da_event *ev);
/* An event of kind for pid (ppid), no other members. */
struct da_event fx_event(uint32_t kind, int32_t pid, int32_t ppid);

#endif

/*
 * harness.h — drive one detector plugin through the real bus in a unit
 * test, without ptrace: load build/plugins/<name>.so, init it with a
 * config given as YAML text, publish hand-built events, finish, and look at
 * what it emitted.
 */
#ifndef DYNAUDIT_TEST_HARNESS_H
#define DYNAUDIT_TEST_HARNESS_H

#include <stddef.h>
#include <stdint.h>

#include "dynaudit/event.h"
#include "dynaudit/plugin.h"

struct harness;

/* plugin: built-in name ("process"); yaml: the plugin's config subtree as
 * YAML text ("allow_exec: [python3, make]\n") or NULL for {}.
 * workdir/home default to /home/auditor/app and /home/auditor; command to
 * {"python3", "server.py"}.  Aborts the test (cr_assert) on load failure.
 * init_rc receives init's return code (may be NULL: then init must succeed). */
struct harness *harness_new(const char *plugin, const char *yaml, int *init_rc);
struct harness *harness_new_run(const char *plugin, const char *yaml, const char *workdir,
				const char *home, const char *const *command, int *init_rc);
/* As harness_new with no options, for a live run (run->live = 1). */
struct harness *harness_new_live(const char *plugin, const char *yaml);
void harness_free(struct harness *h);
/* What the plugin is subscribed to on the bus (after init). */
void harness_mask(const struct harness *h, uint64_t mask[DA_EVMASK_WORDS]);
/* The host handle the plugin was given. */
const struct da_host *harness_host(const struct harness *h);

/* Publish through the real bus (fills seq/struct_size).  Returns on_event's rc. */
int harness_publish(struct harness *h, struct da_event *ev);
/* Calls finish (once). */
int harness_finish(struct harness *h);

/* Findings so far (after de-duplication by rule+message). */
size_t harness_count(const struct harness *h, const char *rule);   /* NULL: all */
/* Highest severity among findings of rule (NULL: all); -1 when none. */
int harness_max_severity(const struct harness *h, const char *rule);
/* A finding as the core recorded it (after de-duplication). */
struct harness_finding {
	char *rule;
	int severity;          /* enum da_severity */
	char *message;
	int pid;
	char **evidence;
	size_t n_evidence;
	char *recommendation;
	unsigned count;        /* occurrences merged */
};
/* First finding of rule (NULL: any), or NULL.  Valid until the next call. */
const struct harness_finding *harness_get(const struct harness *h, const char *rule);
/* First finding of rule (NULL: any) whose message contains text, or NULL. */
const struct harness_finding *harness_find(const struct harness *h, const char *rule,
					   const char *text);
/* "safe" / "info" / "warn" / "fail" from the worst severity. */
const char *harness_status(const struct harness *h);
/* Last set_summary observation/remarks (NULL when never called). */
const char *harness_observation(const struct harness *h);
const char *harness_remarks(const struct harness *h);
/* Init error text (when init_rc was negative). */
const char *harness_error(const struct harness *h);
/* Print every finding to stderr (debugging a failing test). */
void harness_dump(const struct harness *h);

/* Publish every event kind twice, first with empty members, then with
 * hostile ones (20 kB strings, fds and ids out of range, negative errno,
 * an empty argv[0]) and finish: asserts the plugin neither crashes nor
 * reports an error.  Every detector's tests run it. */
void harness_publish_hostile_events(struct harness *h);

/* Event builders: zeroed event of kind with pid/time and fd = -1. */
struct da_event ev_make(enum da_event_kind kind, int pid, double t);

#endif /* DYNAUDIT_TEST_HARNESS_H */

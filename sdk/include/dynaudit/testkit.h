/*
 * dynaudit/testkit.h — unit tests of a detector at the on_event level
 * (libdynaudit-sdk), with no dynaudit core, no tracer and no config file.
 *
 * The kit is a small host: it holds the detector's options, checks them
 * against the descriptor's declared .options as the core does (the same
 * parsers, dynaudit/options.h), calls init, delivers the events a test
 * builds to on_event (only the kinds the detector subscribes to, as the
 * bus would), calls finish, and records what the detector reported the way
 * the core records it: findings of one (rule, message) merged with a
 * count, emit() of a rule the detector does not declare refused with
 * -EINVAL and counted.
 *
 *     struct da_testkit *tk = da_testkit_new(dynaudit_plugin());
 *     da_testkit_set(tk, "pool_ports", "3333,4444");
 *     assert(da_testkit_init(tk, err, sizeof(err)) == 0);
 *     struct da_event ev = da_testkit_event(DA_EV_NET_CONNECT, 7, 1.5);
 *     ev.addr = "203.0.113.9:3333"; ev.port = 3333;
 *     da_testkit_send(tk, &ev);
 *     da_testkit_finish(tk);
 *     assert(da_testkit_count(tk, "crypto_miner.pool_connect") == 1);
 *     da_testkit_free(tk);
 *
 * Options: a value set with da_testkit_set is a scalar; one holding commas
 * reads as a list too (as in INI), da_testkit_set_list sets a list.  Maps
 * (DA_OPT_MAP) are not modelled: cfg_child returns NULL.  cfg_where
 * answers "testkit:KEY".
 *
 * Ownership: the kit owns everything it returns; strings stay valid until
 * da_testkit_free.  Threading: one kit per thread; the detector's
 * callbacks run on the calling thread.  Every function that returns int
 * returns 0 or a negative errno.
 */
#ifndef DYNAUDIT_TESTKIT_H
#define DYNAUDIT_TESTKIT_H

#include <stdbool.h>
#include <stddef.h>

#include "dynaudit/plugin.h"

#ifdef __cplusplus
extern "C" {
#endif

struct da_testkit;

/* One recorded finding (after merging by rule and message). */
struct da_testkit_finding {
	const char *rule;
	enum da_severity severity;  /* the worst of the merged ones */
	const char *message;
	int pid;                    /* the first one's */
	unsigned count;             /* emits merged into it */
	const char *first_evidence; /* the first evidence line, or NULL */
};

/*
 * da_testkit_new — a kit for the detector whose descriptor is plugin
 *   (dynaudit_plugin() of the detector linked into the test, or of a .so
 *   the test dlopen()ed).
 * Returns: the kit, or NULL when out of memory or plugin is NULL.
 */
struct da_testkit *da_testkit_new(const struct da_plugin *plugin);

/* da_testkit_set — option key = value (a copy).  Before init. */
int da_testkit_set(struct da_testkit *tk, const char *key, const char *value);
/* da_testkit_set_list — option key = items (NULL-terminated; copied). */
int da_testkit_set_list(struct da_testkit *tk, const char *key, const char *const *items);
/* da_testkit_set_run — what the host says about the run (copied; NULL keeps
 *   the default: /home/auditor/app, /home/auditor, {"python3", "app.py"},
 *   live 0). */
int da_testkit_set_run(struct da_testkit *tk, const char *workdir, const char *home,
		       const char *const *command, int live);

/*
 * da_testkit_init — check the options against the declared ones (unknown
 *   key or wrong type: -EINVAL, init not called), then call init.
 * Returns: init's return code; err[errlen] holds the message.
 */
int da_testkit_init(struct da_testkit *tk, char *err, size_t errlen);

/*
 * da_testkit_event — a zeroed event of kind with pid (also tid), time and
 *   fd/target_fd -1; the test fills the members the kind carries.
 */
struct da_event da_testkit_event(enum da_event_kind kind, int pid, double time_s);

/*
 * da_testkit_send — deliver ev (struct_size and seq are filled in) when the
 *   detector subscribes to its kind.
 * Returns: on_event's return code (0 as well for a kind not delivered);
 *   -EPERM before a successful init or after finish.
 */
int da_testkit_send(struct da_testkit *tk, struct da_event *ev);
/* da_testkit_delivered — events on_event saw so far. */
size_t da_testkit_delivered(const struct da_testkit *tk);

/* da_testkit_finish — call finish (once).  Returns its return code. */
int da_testkit_finish(struct da_testkit *tk);

/* da_testkit_count — occurrences (emits) of rule, NULL: of every rule. */
size_t da_testkit_count(const struct da_testkit *tk, const char *rule);
/* da_testkit_n_findings / da_testkit_finding — the merged findings. */
size_t da_testkit_n_findings(const struct da_testkit *tk);
const struct da_testkit_finding *da_testkit_finding(const struct da_testkit *tk, size_t i);
/* da_testkit_find — the first finding of rule (NULL: any) whose message
 *   contains text (NULL: any), or NULL. */
const struct da_testkit_finding *da_testkit_find(const struct da_testkit *tk, const char *rule,
						 const char *text);
/* da_testkit_emit_errors — emits refused (undeclared rule, no message...). */
size_t da_testkit_emit_errors(const struct da_testkit *tk);
/* da_testkit_observation / da_testkit_remarks — the last set_summary, or NULL. */
const char *da_testkit_observation(const struct da_testkit *tk);
const char *da_testkit_remarks(const struct da_testkit *tk);

/* da_testkit_free — destroy (when init was called) and free the kit. */
void da_testkit_free(struct da_testkit *tk);

#ifdef __cplusplus
}
#endif
#endif /* DYNAUDIT_TESTKIT_H */

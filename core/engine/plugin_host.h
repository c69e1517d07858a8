/*
 * plugin_host.h — one running detector: its loaded .so, the struct da_host
 * the core hands it, its state, and where its findings go.
 *
 * The host keeps a failing detector from taking the audit down: an init
 * that fails, or an on_event/finish that returns an error, is recorded in
 * the category's `error` and the detector stops receiving events; the
 * report says it did not (fully) run.  A detector that declares its rules
 * may report only those: emit() of another id is -EINVAL, the finding is
 * dropped and the category's error says so (the detector keeps running).
 */
#ifndef DYNAUDIT_PLUGIN_HOST_H
#define DYNAUDIT_PLUGIN_HOST_H

#include <stdbool.h>
#include <stdint.h>

#include "config/config.h"
#include "engine/bus.h"
#include "engine/plugin_loader.h"
#include "engine/report.h"

struct plugin_instance {
	struct loaded_plugin lp;
	struct da_host host;
	const struct cfg_node *cfg;   /* plugins.NAME subtree (borrowed), may be NULL */
	struct category_rec *cat;     /* findings land here (borrowed) */
	void *state;
	bool init_called;
	bool running;                 /* init succeeded and no error since */
	bool in_init;                 /* host->unsubscribe and declare_rule are allowed */
	uint64_t mask[DA_EVMASK_WORDS]; /* subscriptions: the descriptor's, less unsubscribe() */
	uint64_t emit_errors;
	/* rules: overrides of the config (borrowed; may be NULL): host_emit
	 * drops a finding of a rule set off and records another severity for
	 * one given {severity: S}. */
	const struct rule_override *rules;
	size_t n_rules;
	uint64_t rules_dropped;       /* findings dropped by an `off` override */
	/* The audit's detectors (borrowed), so declare_rule can refuse an id
	 * another one owns. */
	const struct plugin_instance *peers;
	size_t n_peers;
	struct da_rule_decl *extra_rules; /* host->declare_rule copies (owned) */
	size_t n_extra_rules;
	uint64_t undeclared_emits;    /* findings of ids the detector does not declare */
};

/* Does the instance declare rules (in its descriptor or with declare_rule)?
 * Without, any "<category>.<rule>" id goes (ABI 1.1). */
bool plugin_instance_has_rules(const struct plugin_instance *pi);
/* The declaration of id among the instance's rules, or NULL. */
const struct da_rule_decl *plugin_instance_rule(const struct plugin_instance *pi, const char *id);
/* The i-th rule of the instance (descriptor's, then declared), NULL past the end. */
const struct da_rule_decl *plugin_instance_rule_at(const struct plugin_instance *pi, size_t i);

/* Detector log lines up to this level reach stderr (0 errors only, 1 +
 * warnings (default), 2 + info, 3 + debug): the audit's verbosity. */
void plugin_host_set_verbosity(int verbosity);

/* Calls the plugin's init (after checking its subtree against its declared
 * options: a mismatch is -EINVAL and init is not called).  Returns init's
 * result; on -EINVAL err holds the config error text, on other failures the
 * category records the error. */
int plugin_instance_init(struct plugin_instance *pi, const struct da_run_info *run,
			 const struct cfg_node *cfg, struct category_rec *cat, char *err,
			 size_t errlen);

/* Subscribe the instance to bus with the plugin's mask (its descriptor's
 * subscriptions less what it unsubscribed in init). */
int plugin_instance_subscribe(struct plugin_instance *pi, struct bus *bus);

/* End of input: finish (when running). */
void plugin_instance_finish(struct plugin_instance *pi);

/* destroy (when init was called) and unload. */
void plugin_instance_release(struct plugin_instance *pi);

#endif /* DYNAUDIT_PLUGIN_HOST_H */

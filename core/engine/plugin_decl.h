/*
 * plugin_decl.h — what a detector declares in its descriptor (ABI 1.2):
 * the kinds it subscribes to, the rules it reports, the options of its
 * config subtree.
 *
 * A member is read only when the plugin's struct_size covers it, so a 1.1
 * descriptor (shorter) never has its tail read: for it the mask is its
 * .subscriptions words and it declares no rules or options.
 *
 * The checks here are the loader's (one descriptor at a time):
 *   kinds    every entry < DA_EV_KIND_MAX, the list ends within
 *            DECL_MAX_KINDS entries; it replaces .subscriptions.
 *   rules    ids "<category_id>.<rule>" (rule [a-z][a-z0-9_]*), each once,
 *            a severity in range and a summary; at most DECL_MAX_RULES.
 *   options  keys [a-z][a-z0-9_]*, each once, a known type and a help line;
 *            at most DECL_MAX_OPTIONS.
 * Across detectors (two loaded detectors declaring one id) see
 * plugin_rules.h.
 */
#ifndef DYNAUDIT_PLUGIN_DECL_H
#define DYNAUDIT_PLUGIN_DECL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dynaudit/plugin.h"

#define DECL_MAX_KINDS 256
#define DECL_MAX_RULES 1024
#define DECL_MAX_OPTIONS 256

/* Does descriptor d (of its own struct_size) have member m? */
#define DECL_HAS(d, m)                                                                   \
	((d)->struct_size >= offsetof(struct da_plugin, m) + sizeof(((struct da_plugin *)0)->m))

/* The declarations of one descriptor, as the core uses them. */
struct plugin_decl {
	uint64_t mask[DA_EVMASK_WORDS];     /* subscriptions */
	const struct da_rule_decl *rules;   /* NULL: none declared (any id goes) */
	size_t n_rules;
	const struct da_option_decl *options; /* NULL: init() checks its subtree */
	size_t n_options;
	/* The category it reports under: the descriptor's, unless the config
	 * sets the detector's declared category_id / category_title options
	 * (plugin_options_category).  Borrowed from the .so or the config. */
	const char *category_id;
	const char *category_title;
};

/* Read and check d's declarations into out.  Returns 0, or -EINVAL with
 * the reason in err ("kind 130 in .kinds is not one this dynaudit knows"). */
int plugin_decl_read(const struct da_plugin *d, struct plugin_decl *out, char *err, size_t errlen);

/* Is id a well-formed rule id of category ("network.dns" for network)? */
bool plugin_rule_id_ok(const char *category, const char *id);

#endif /* DYNAUDIT_PLUGIN_DECL_H */

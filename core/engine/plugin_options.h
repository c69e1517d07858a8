/*
 * plugin_options.h — a detector's config subtree checked against the
 * options it declares (struct da_plugin.options, ABI 1.2), before init().
 *
 * Every key of plugins.NAME must be declared, and its value must have the
 * declared type (parsed by libdynaudit-sdk's parsers, dynaudit/options.h,
 * the ones the detector reads it with):
 *   string    a scalar
 *   bool/int/duration  a scalar that parses as one
 *   list      a scalar (one item) or a list of scalars
 *   map       a map
 * An empty value (YAML `key:`) counts as absent.  The first mismatch is
 * -EINVAL with "file:line: plugins.NAME.KEY: what is wrong" in err; an
 * unknown key's message lists the declared ones.
 */
#ifndef DYNAUDIT_PLUGIN_OPTIONS_H
#define DYNAUDIT_PLUGIN_OPTIONS_H

#include <stddef.h>

#include "config/config.h"
#include "dynaudit/plugin.h"

/* subtree may be NULL (no settings).  Returns 0 or -EINVAL. */
int plugin_options_check(const char *plugin, const struct da_option_decl *decls,
			 const struct cfg_node *subtree, char *err, size_t errlen);

/*
 * A detector that declares a string option named category_id and/or
 * category_title (the rules detector does) lets the config choose the
 * category it reports under: set in subtree, they replace decl's (which
 * plugin_decl_read took from the descriptor).  The id must be a category id
 * as a descriptor's ([a-z][a-z0-9_]*, at most 64 bytes); the title
 * non-empty, at most 120 bytes, without control characters.  Runs when the
 * detector is loaded, before categories are made.  Returns 0 or -EINVAL
 * ("file:line: plugins.NAME.category_id: ...").  decl keeps pointers into
 * subtree.
 */
struct plugin_decl;
int plugin_options_category(const char *plugin, struct plugin_decl *decl,
			    const struct cfg_node *subtree, char *err, size_t errlen);

#endif /* DYNAUDIT_PLUGIN_OPTIONS_H */

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

#endif /* DYNAUDIT_PLUGIN_OPTIONS_H */

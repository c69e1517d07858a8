/*
 * plugin_rules.h — rule ids across the loaded detectors.
 *
 * One id has one owner: two loaded detectors declaring the same id is a
 * configuration error (which one's severity would an override change?).
 * A `rules:` override names a rule some loaded detector declares; when the
 * detector owning the prefix declares no rules at all (an ABI 1.1 one), only
 * the prefix (its name or category id) can be checked.  An unknown id is an
 * error at the override's file:line that suggests the closest declared id.
 */
#ifndef DYNAUDIT_PLUGIN_RULES_H
#define DYNAUDIT_PLUGIN_RULES_H

#include <stddef.h>

#include "config/config.h"
#include "engine/plugin_host.h"

/* Rules the core itself files into a detector's category (the output
 * caps' code_integrity.output_flood), ending with {0}: overrides of them
 * are valid whichever detectors are loaded. */
extern const struct da_rule_decl plugin_rules_core[];

/* -EINVAL with "rule 'ID' is declared by both 'A' and 'B'" when two of the
 * n instances declare one id. */
int plugin_rules_check_unique(const struct plugin_instance *p, size_t n, char *err,
			      size_t errlen);

/* Every override of cfg names a rule of a loaded detector; otherwise
 * -EINVAL with "file:line: rules.ID: ..." in err. */
int plugin_rules_check_overrides(const struct plugin_instance *p, size_t n,
				 const struct audit_config *cfg, char *err, size_t errlen);

/* The declared id closest to id (edit distance, at most 1/3 of its
 * length), or NULL: "did you mean ...". */
const char *plugin_rules_closest(const struct plugin_instance *p, size_t n, const char *id);

#endif /* DYNAUDIT_PLUGIN_RULES_H */

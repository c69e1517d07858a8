/*
 * config_rules.c — `rules:`, the per-rule overrides of an assignment:
 *
 *     rules:                                 [rules]
 *       process.shell: {severity: medium}    process.shell = medium
 *       network.dns: off                     network.dns = off
 *
 * A rule id is DETECTOR.RULE; its value is `off` (the detector's findings
 * of that rule are dropped where the engine records them) or a severity
 * (info, low, medium, high, critical), written `{severity: S}` or, the
 * only form INI has, the severity word alone.  A bad id or value is an
 * error here, at the file:line of the entry.  Whether the id is one a
 * loaded detector declares (struct da_plugin.rules, ABI 1.2, or
 * host->declare_rule from init) is known only once the detectors are
 * loaded and started: engine/plugin_rules.c checks it then, with the same
 * file:line and the closest declared id, because an override that
 * silently matches nothing would make an assignment believe a rule is off
 * when it is not.  (For an ABI 1.1 detector, which declares no ids, only
 * the DETECTOR part, its name or category id, can be checked.)
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config/config_internal.h"

static const char *const severities[] = {"info", "low", "medium", "high", "critical"};

static int severity_of(const char *word)
{
	for (int i = 0; word && i < 5; i++)
		if (strcmp(word, severities[i]) == 0)
			return i;
	return -1;
}

/* One entry: fill o or fail at the entry's file:line. */
static int parse_entry(const struct cfg_node *e, struct rule_override *o, struct cfg_error *err)
{
	char key[300];
	snprintf(key, sizeof(key), "rules.%s", e->key);
	const char *dot = strchr(e->key, '.');
	if (!dot || dot == e->key || !dot[1])
		return cfg_fail(err, -EINVAL, e->file, e->line, key,
				"not a rule id (DETECTOR.RULE, e.g. process.shell)");
	const char *word = cfg_scalar(e);
	if (e->type == CFG_MAP) {
		for (size_t i = 0; i < e->n_children; i++)
			if (strcmp(e->children[i]->key, "severity") != 0)
				return cfg_fail(err, -EINVAL, e->children[i]->file, e->children[i]->line,
						key, "unknown key '%s' (known: severity)",
						e->children[i]->key);
		const struct cfg_node *s = cfg_map_get(e, "severity");
		word = s ? cfg_scalar(s) : NULL;
		if (!word)
			return cfg_fail(err, -EINVAL, e->file, e->line, key,
					"expected {severity: info|low|medium|high|critical}");
	}
	o->rule = strdup(e->key);
	if (!o->rule)
		return cfg_fail(err, -ENOMEM, NULL, 0, NULL, "out of memory");
	o->file = e->file;
	o->line = e->line;
	if (word && e->type != CFG_MAP && strcmp(word, "off") == 0) {
		o->off = true;
		o->severity = -1;
		return 0;
	}
	o->severity = severity_of(word);
	if (o->severity < 0)
		return cfg_fail(err, -EINVAL, e->file, e->line, key,
				"'%s' is neither off nor a severity (info, low, medium, high, critical)",
				word ? word : "");
	return 0;
}

int config_rules_resolve(const struct cfg_node *root, struct audit_config *out,
			 struct cfg_error *err)
{
	const struct cfg_node *n = cfg_map_get(root, "rules");
	if (!n || n->type == CFG_NULL)
		return 0;
	if (n->type != CFG_MAP)
		return cfg_fail(err, -EINVAL, n->file, n->line, "rules",
				"expected a map of rule ids (process.shell: off)");
	out->rules = calloc(n->n_children ? n->n_children : 1, sizeof(*out->rules));
	if (!out->rules)
		return cfg_fail(err, -ENOMEM, NULL, 0, NULL, "out of memory");
	for (size_t i = 0; i < n->n_children; i++) {
		int rc = parse_entry(n->children[i], &out->rules[out->n_rules], err);
		if (out->rules[out->n_rules].rule)
			out->n_rules++;
		if (rc)
			return rc;
	}
	return 0;
}

const struct rule_override *config_rule_override(const struct rule_override *rules, size_t n,
						 const char *rule)
{
	for (size_t i = 0; rule && i < n; i++)
		if (strcmp(rules[i].rule, rule) == 0)
			return &rules[i];
	return NULL;
}

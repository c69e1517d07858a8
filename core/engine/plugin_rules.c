/*
 * plugin_rules.c — see plugin_rules.h.
 */
#include "engine/plugin_rules.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

const struct da_rule_decl plugin_rules_core[] = {
	{"code_integrity.output_flood", DA_SEV_LOW,
	 "an output file hit its report.limits cap (raised by the core)"},
	{0},
};

static bool core_rule(const char *id)
{
	for (size_t i = 0; plugin_rules_core[i].id; i++)
		if (strcmp(plugin_rules_core[i].id, id) == 0)
			return true;
	return false;
}

int plugin_rules_check_unique(const struct plugin_instance *p, size_t n, char *err,
			      size_t errlen)
{
	for (size_t a = 0; a < n; a++) {
		const struct da_rule_decl *r;
		for (size_t i = 0; (r = plugin_instance_rule_at(&p[a], i)); i++)
			for (size_t b = a + 1; b < n; b++)
				if (plugin_instance_rule(&p[b], r->id)) {
					snprintf(err, errlen,
						 "rule '%s' is declared by both detector '%s' (%s) and "
						 "detector '%s' (%s): one id, one owner",
						 r->id, p[a].lp.desc->name, p[a].lp.path,
						 p[b].lp.desc->name, p[b].lp.path);
					return -EINVAL;
				}
	}
	return 0;
}

/* Levenshtein distance of two short strings (ids are bounded to 127
 * characters here; longer ones are "far"). */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 127 || lb > 127)
		return (size_t)-1;
	size_t row[128];
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

const char *plugin_rules_closest(const struct plugin_instance *p, size_t n, const char *id)
{
	const char *best = NULL;
	size_t best_d = strlen(id) / 3 + 1;
	for (size_t a = 0; a < n; a++) {
		const struct da_rule_decl *r;
		for (size_t i = 0; (r = plugin_instance_rule_at(&p[a], i)); i++) {
			size_t d = distance(id, r->id);
			if (d < best_d) {
				best_d = d;
				best = r->id;
			}
		}
	}
	return best;
}

/* The detector whose name or category id is the first len bytes of id. */
static const struct plugin_instance *prefix_owner(const struct plugin_instance *p, size_t n,
						  const char *id, size_t len)
{
	for (size_t a = 0; a < n; a++) {
		const struct da_plugin *d = p[a].lp.desc;
		const char *category = p[a].lp.decl.category_id;
		if ((strlen(d->name) == len && strncmp(d->name, id, len) == 0) ||
		    (strlen(category) == len && strncmp(category, id, len) == 0))
			return &p[a];
	}
	return NULL;
}

static bool declared_anywhere(const struct plugin_instance *p, size_t n, const char *id)
{
	for (size_t a = 0; a < n; a++)
		if (plugin_instance_rule(&p[a], id))
			return true;
	return false;
}

int plugin_rules_check_overrides(const struct plugin_instance *p, size_t n,
				 const struct audit_config *cfg, char *err, size_t errlen)
{
	for (size_t i = 0; i < cfg->n_rules; i++) {
		const struct rule_override *o = &cfg->rules[i];
		if (declared_anywhere(p, n, o->rule) || core_rule(o->rule))
			continue;
		size_t len = strcspn(o->rule, ".");
		const struct plugin_instance *owner = prefix_owner(p, n, o->rule, len);
		if (owner && !plugin_instance_has_rules(owner))
			continue; /* an ABI 1.1 detector: its ids are not known */
		const char *near = plugin_rules_closest(p, n, o->rule);
		char hint[200] = "";
		if (near)
			snprintf(hint, sizeof(hint), " (did you mean %s?)", near);
		/* "file:line", or "--set" alone (it has no line) */
		char where[600];
		if (o->line > 0)
			snprintf(where, sizeof(where), "%s:%d", o->file ? o->file : cfg->source, o->line);
		else
			snprintf(where, sizeof(where), "%s", o->file ? o->file : cfg->source);
		if (owner)
			snprintf(err, errlen, "%s: rules.%s: detector '%s' declares no such rule%s", where,
				 o->rule, owner->lp.desc->name, hint);
		else
			snprintf(err, errlen, "%s: rules.%s: no loaded detector '%.*s' reports this rule%s",
				 where, o->rule, (int)len, o->rule, hint);
		return -EINVAL;
	}
	return 0;
}

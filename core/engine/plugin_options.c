/*
 * plugin_options.c — see plugin_options.h.
 */
#include "engine/plugin_options.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "dynaudit/options.h"
#include "engine/plugin_decl.h"

static int fail(char *err, size_t errlen, const struct cfg_node *at, const char *plugin,
		const char *key, const char *what)
{
	snprintf(err, errlen, "%s: plugins.%s.%s: %s", cfg_where(at), plugin, key, what);
	return -EINVAL;
}

static int unknown_key(const char *plugin, const struct da_option_decl *decls,
		       const struct cfg_node *c, char *err, size_t errlen)
{
	char known[512] = "";
	size_t used = 0;
	for (size_t i = 0; decls[i].key && used < sizeof(known); i++) {
		int w = snprintf(known + used, sizeof(known) - used, "%s%s", i ? ", " : "",
				 decls[i].key);
		if (w < 0)
			break;
		used += (size_t)w;
	}
	char what[700];
	snprintf(what, sizeof(what), "unknown key (known: %s)", known[0] ? known : "none");
	return fail(err, errlen, c, plugin, c->key, what);
}

static const char *type_expectation(enum da_option_type t)
{
	switch (t) {
	case DA_OPT_BOOL: return "a boolean (true/false, yes/no, on/off, 1/0)";
	case DA_OPT_INT: return "an integer";
	case DA_OPT_DURATION: return "a duration (\"5\", \"1.5s\", \"500ms\", \"2m\")";
	case DA_OPT_LIST: return "a list of values";
	case DA_OPT_MAP: return "a map";
	case DA_OPT_STRING: break;
	}
	return "a single value";
}

static bool scalar_parses(enum da_option_type t, const char *v)
{
	bool b;
	long long i;
	double d;
	switch (t) {
	case DA_OPT_BOOL: return da_parse_bool(v, &b) == 0;
	case DA_OPT_INT: return da_parse_int(v, &i) == 0;
	case DA_OPT_DURATION: return da_parse_duration(v, &d) == 0;
	case DA_OPT_STRING:
	case DA_OPT_LIST: return true;
	case DA_OPT_MAP: break;
	}
	return false;
}

static int check_value(const char *plugin, const struct da_option_decl *d,
		       const struct cfg_node *c, char *err, size_t errlen)
{
	char what[400];
	if (c->type == CFG_NULL)
		return 0;
	if (d->type == DA_OPT_MAP && c->type == CFG_MAP)
		return 0;
	if (c->type == CFG_SCALAR) {
		if (scalar_parses(d->type, c->value))
			return 0;
		snprintf(what, sizeof(what), "'%.100s' is not %s", c->value, type_expectation(d->type));
		return fail(err, errlen, c, plugin, c->key, what);
	} else if (d->type == DA_OPT_LIST && c->type == CFG_LIST) {
		for (size_t i = 0; i < c->n_children; i++)
			if (c->children[i]->type != CFG_SCALAR)
				return fail(err, errlen, c->children[i], plugin, c->key,
					    "expected a list of values (an item is a list or a map)");
		return 0;
	}
	snprintf(what, sizeof(what), "expected %s (%s), got a %s", type_expectation(d->type),
		 da_option_type_name(d->type), c->type == CFG_MAP ? "map" : "list");
	return fail(err, errlen, c, plugin, c->key, what);
}

int plugin_options_check(const char *plugin, const struct da_option_decl *decls,
			 const struct cfg_node *subtree, char *err, size_t errlen)
{
	if (!subtree || subtree->type == CFG_NULL)
		return 0;
	if (subtree->type != CFG_MAP) {
		snprintf(err, errlen, "%s: plugins.%s: expected a map of options", cfg_where(subtree),
			 plugin);
		return -EINVAL;
	}
	for (size_t i = 0; i < subtree->n_children; i++) {
		const struct cfg_node *c = subtree->children[i];
		const struct da_option_decl *d = da_opt_find(decls, c->key);
		int rc = d ? check_value(plugin, d, c, err, errlen)
			   : unknown_key(plugin, decls, c, err, errlen);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static bool category_id_ok(const char *s)
{
	if (!s || !(*s >= 'a' && *s <= 'z') || strlen(s) > 64)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

static bool category_title_ok(const char *s)
{
	if (!s || !*s || strlen(s) > 120)
		return false;
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

int plugin_options_category(const char *plugin, struct plugin_decl *decl,
			    const struct cfg_node *subtree, char *err, size_t errlen)
{
	if (!subtree || subtree->type != CFG_MAP || !decl->options)
		return 0; /* not a map: plugin_options_check says so */
	const struct cfg_node *c;
	const char *v;
	if (da_opt_find(decl->options, "category_id") &&
	    (c = cfg_map_get(subtree, "category_id")) != NULL && (v = cfg_scalar(c)) != NULL) {
		if (!category_id_ok(v)) {
			char what[200];
			snprintf(what, sizeof(what),
				 "'%.100s' is not a category id ([a-z][a-z0-9_]*, at most 64 bytes)", v);
			return fail(err, errlen, c, plugin, "category_id", what);
		}
		decl->category_id = v;
		decl->category_title = v; /* until a title is set */
	}
	if (da_opt_find(decl->options, "category_title") &&
	    (c = cfg_map_get(subtree, "category_title")) != NULL && (v = cfg_scalar(c)) != NULL) {
		if (!category_title_ok(v))
			return fail(err, errlen, c, plugin, "category_title",
				    "expected a title of 1 to 120 characters, no control characters");
		decl->category_title = v;
	}
	return 0;
}

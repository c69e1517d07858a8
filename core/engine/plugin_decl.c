/*
 * plugin_decl.c — reading and checking a descriptor's declarations.  See
 * plugin_decl.h.
 */
#include "engine/plugin_decl.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static bool word_ok(const char *s)
{
	if (!s || !(*s >= 'a' && *s <= 'z'))
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

bool plugin_rule_id_ok(const char *category, const char *id)
{
	size_t n = category ? strlen(category) : 0;
	return id && n && strncmp(id, category, n) == 0 && id[n] == '.' && word_ok(id + n + 1);
}

static int read_kinds(const uint16_t *kinds, uint64_t mask[DA_EVMASK_WORDS], char *err,
		      size_t errlen)
{
	memset(mask, 0, sizeof(uint64_t) * DA_EVMASK_WORDS);
	for (size_t i = 0; i < DECL_MAX_KINDS; i++) {
		if (kinds[i] == DA_EV_NONE)
			return 0;
		if (kinds[i] >= DA_EV_KIND_MAX) {
			snprintf(err, errlen,
				 "event kind %u in .kinds is not one this dynaudit knows (kinds are < %d; "
				 "built against a newer event.h?)",
				 kinds[i], DA_EV_KIND_MAX);
			return -EINVAL;
		}
		DA_EVMASK_SET(mask, kinds[i]);
	}
	snprintf(err, errlen, ".kinds has no end (DA_EV_NONE) within %d entries: use DA_KINDS(...)",
		 DECL_MAX_KINDS);
	return -EINVAL;
}

static int read_rules(const struct da_plugin *d, struct plugin_decl *out, char *err,
		      size_t errlen)
{
	const struct da_rule_decl *r = d->rules;
	size_t n = 0;
	for (; n < DECL_MAX_RULES && r[n].id; n++) {
		if (!plugin_rule_id_ok(d->category_id, r[n].id)) {
			snprintf(err, errlen,
				 "rule id '%.80s' in .rules is not '%s.<rule>' (rule: [a-z][a-z0-9_]*)",
				 r[n].id, d->category_id);
			return -EINVAL;
		}
		if ((unsigned)r[n].severity > DA_SEV_CRITICAL || !r[n].summary || !*r[n].summary) {
			snprintf(err, errlen, "rule '%s' in .rules needs a severity and a summary",
				 r[n].id);
			return -EINVAL;
		}
		for (size_t j = 0; j < n; j++)
			if (strcmp(r[j].id, r[n].id) == 0) {
				snprintf(err, errlen, "rule '%s' is declared twice in .rules", r[n].id);
				return -EINVAL;
			}
	}
	if (n == DECL_MAX_RULES) {
		snprintf(err, errlen, ".rules has no end ({0}) within %d entries", DECL_MAX_RULES);
		return -EINVAL;
	}
	out->rules = r;
	out->n_rules = n;
	return 0;
}

static int read_options(const struct da_plugin *d, struct plugin_decl *out, char *err,
			size_t errlen)
{
	const struct da_option_decl *o = d->options;
	size_t n = 0;
	for (; n < DECL_MAX_OPTIONS && o[n].key; n++) {
		if (!word_ok(o[n].key)) {
			snprintf(err, errlen, "option key '%.80s' in .options is not [a-z][a-z0-9_]*",
				 o[n].key);
			return -EINVAL;
		}
		if (o[n].type < DA_OPT_STRING || o[n].type > DA_OPT_MAP || !o[n].help) {
			snprintf(err, errlen, "option '%s' in .options needs a known type and a help line",
				 o[n].key);
			return -EINVAL;
		}
		for (size_t j = 0; j < n; j++)
			if (strcmp(o[j].key, o[n].key) == 0) {
				snprintf(err, errlen, "option '%s' is declared twice in .options", o[n].key);
				return -EINVAL;
			}
	}
	if (n == DECL_MAX_OPTIONS) {
		snprintf(err, errlen, ".options has no end ({0}) within %d entries", DECL_MAX_OPTIONS);
		return -EINVAL;
	}
	out->options = o;
	out->n_options = n;
	return 0;
}

int plugin_decl_read(const struct da_plugin *d, struct plugin_decl *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	memcpy(out->mask, d->subscriptions, sizeof(out->mask));
	out->category_id = d->category_id;
	out->category_title = d->category_title ? d->category_title : d->category_id;
	int rc = 0;
	if (DECL_HAS(d, kinds) && d->kinds)
		rc = read_kinds(d->kinds, out->mask, err, errlen);
	if (rc == 0 && DECL_HAS(d, rules) && d->rules)
		rc = read_rules(d, out, err, errlen);
	if (rc == 0 && DECL_HAS(d, options) && d->options)
		rc = read_options(d, out, err, errlen);
	return rc;
}

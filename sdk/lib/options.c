/*
 * options.c — typed readers of a detector's options (dynaudit/options.h).
 *
 * The core checks a declared option's value with the same parsers before
 * init() (core/engine/plugin_options.c), so the two never disagree.  All
 * parsers see untrusted text: exactly the documented forms (surrounding
 * blanks allowed), no overflow, no locale.
 */
#include "dynaudit/options.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* text without surrounding blanks into buf; -EINVAL when it does not fit */
static int trim_into(const char *text, char *buf, size_t len)
{
	if (!text)
		return -EINVAL;
	while (isspace((unsigned char)*text))
		text++;
	size_t n = strlen(text);
	while (n > 0 && isspace((unsigned char)text[n - 1]))
		n--;
	if (n == 0 || n >= len)
		return -EINVAL;
	memcpy(buf, text, n);
	buf[n] = '\0';
	return 0;
}

int da_parse_bool(const char *text, bool *out)
{
	static const char *const yes[] = {"true", "yes", "on", "1"};
	static const char *const no[] = {"false", "no", "off", "0"};
	char t[16];
	if (trim_into(text, t, sizeof(t)) < 0)
		return -EINVAL;
	for (size_t i = 0; i < 4; i++) {
		if (strcasecmp(t, yes[i]) == 0) {
			*out = true;
			return 0;
		}
		if (strcasecmp(t, no[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	return -EINVAL;
}

int da_parse_int(const char *text, long long *out)
{
	char t[32];
	if (trim_into(text, t, sizeof(t)) < 0)
		return -EINVAL;
	const char *p = t;
	bool neg = *p == '-';
	if (*p == '-' || *p == '+')
		p++;
	if (!isdigit((unsigned char)*p))
		return -EINVAL;
	unsigned long long v = 0;
	for (; isdigit((unsigned char)*p); p++) {
		unsigned d = (unsigned)(*p - '0');
		if (v > ((unsigned long long)LLONG_MAX - d) / 10)
			return -EINVAL;
		v = v * 10 + d;
	}
	if (*p)
		return -EINVAL;
	*out = neg ? -(long long)v : (long long)v;
	return 0;
}

int da_parse_duration(const char *text, double *seconds)
{
	char t[64];
	if (trim_into(text, t, sizeof(t)) < 0)
		return -EINVAL;
	const char *p = t;
	size_t digits = 0;
	while (isdigit((unsigned char)*p))
		p++, digits++;
	if (*p == '.')
		for (p++; isdigit((unsigned char)*p); p++)
			digits++;
	if (digits == 0)
		return -EINVAL;
	char num[64];
	memcpy(num, t, (size_t)(p - t));
	num[p - t] = '\0';
	double v = strtod(num, NULL), scale;
	if (*p == '\0' || strcmp(p, "s") == 0)
		scale = 1;
	else if (strcmp(p, "ms") == 0)
		scale = 0.001;
	else if (strcmp(p, "m") == 0)
		scale = 60;
	else if (strcmp(p, "h") == 0)
		scale = 3600;
	else
		return -EINVAL;
	if (!isfinite(v * scale))
		return -EINVAL;
	*seconds = v * scale;
	return 0;
}

const char *da_option_type_name(enum da_option_type type)
{
	switch (type) {
	case DA_OPT_STRING: return "string";
	case DA_OPT_BOOL: return "bool";
	case DA_OPT_INT: return "int";
	case DA_OPT_DURATION: return "duration";
	case DA_OPT_LIST: return "list";
	case DA_OPT_MAP: return "map";
	}
	return "?";
}

/* The scalar of key, or NULL when absent; -EINVAL (with err) when the key
 * is present but not a scalar. */
static int scalar_of(const struct da_host *host, const struct da_cfg *node, const char *key,
		     const char **text, char *err, size_t errlen)
{
	*text = host->cfg_string(host, node, key);
	if (*text)
		return 0;
	/* absent, or a list/map: cfg_where names the key only when present */
	const char *const *items = NULL;
	bool present = host->cfg_child(host, node, key) ||
		       host->cfg_list(host, node, key, &items) > 0;
	if (!present)
		return 0;
	snprintf(err, errlen, "%s: %s: expected a single value", host->cfg_where(host, node, key),
		 key);
	return -EINVAL;
}

static int malformed(const struct da_host *host, const struct da_cfg *node, const char *key,
		     const char *text, const char *what, char *err, size_t errlen)
{
	snprintf(err, errlen, "%s: %s: '%s' is not %s", host->cfg_where(host, node, key), key, text,
		 what);
	return -EINVAL;
}

int da_opt_bool(const struct da_host *host, const struct da_cfg *node, const char *key,
		bool def, bool *out, char *err, size_t errlen)
{
	const char *t;
	if (scalar_of(host, node, key, &t, err, errlen) < 0)
		return -EINVAL;
	if (!t) {
		*out = def;
		return 0;
	}
	if (da_parse_bool(t, out) < 0)
		return malformed(host, node, key, t, "a boolean (true/false, yes/no, on/off, 1/0)",
				 err, errlen);
	return 0;
}

int da_opt_int(const struct da_host *host, const struct da_cfg *node, const char *key,
	       long long def, long long *out, char *err, size_t errlen)
{
	const char *t;
	if (scalar_of(host, node, key, &t, err, errlen) < 0)
		return -EINVAL;
	if (!t) {
		*out = def;
		return 0;
	}
	if (da_parse_int(t, out) < 0)
		return malformed(host, node, key, t, "an integer", err, errlen);
	return 0;
}

int da_opt_duration(const struct da_host *host, const struct da_cfg *node, const char *key,
		    double def, double *out, char *err, size_t errlen)
{
	const char *t;
	if (scalar_of(host, node, key, &t, err, errlen) < 0)
		return -EINVAL;
	if (!t) {
		*out = def;
		return 0;
	}
	if (da_parse_duration(t, out) < 0)
		return malformed(host, node, key, t, "a duration (\"5\", \"1.5s\", \"500ms\", \"2m\")",
				 err, errlen);
	return 0;
}

const char *da_opt_string(const struct da_host *host, const struct da_cfg *node,
			  const char *key, const char *def)
{
	const char *t = host->cfg_string(host, node, key);
	return t ? t : def;
}

size_t da_opt_list(const struct da_host *host, const struct da_cfg *node, const char *key,
		   const char *const **items)
{
	return host->cfg_list(host, node, key, items);
}

const struct da_option_decl *da_opt_find(const struct da_option_decl *decls, const char *key)
{
	for (size_t i = 0; decls && key && decls[i].key && i < 1024; i++)
		if (strcmp(decls[i].key, key) == 0)
			return &decls[i];
	return NULL;
}

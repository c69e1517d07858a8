/*
 * scenario_load.c — a scenario file into struct scenario.  See scenario.h.
 */
#include "testkit/scenario.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/file_read.h"
#include "config/config_internal.h"

static int fail(char *err, size_t errlen, const struct cfg_node *n, const char *key,
		const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int fail(char *err, size_t errlen, const struct cfg_node *n, const char *key,
		const char *fmt, ...)
{
	char what[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	snprintf(err, errlen, "%s: %s%s%s", cfg_where(n), key ? key : "", key ? ": " : "", what);
	return -EINVAL;
}

/* Every key of map is one of known (NULL-terminated); prefix names map. */
static int known_keys(const struct cfg_node *map, const char *prefix, const char *const *known,
		      char *err, size_t errlen)
{
	for (size_t i = 0; i < map->n_children; i++) {
		const struct cfg_node *c = map->children[i];
		bool ok = false;
		char list[256] = "";
		for (size_t k = 0; known[k]; k++) {
			ok = ok || strcmp(c->key, known[k]) == 0;
			snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s", k ? ", " : "",
				 known[k]);
		}
		if (!ok) {
			char key[300];
			snprintf(key, sizeof(key), "%s%s%s", prefix, *prefix ? "." : "", c->key);
			return fail(err, errlen, c, key, "unknown key (known: %s)", list);
		}
	}
	return 0;
}

static int read_scenario(const char *path, char **text, size_t *len, char *err, size_t errlen)
{
	int rc = file_read_bounded(path, SCENARIO_MAX_BYTES, false, text, len);
	if (rc == 0)
		return 0;
	if (rc == -EFBIG)
		snprintf(err, errlen, "%s: larger than %u bytes", path, SCENARIO_MAX_BYTES);
	else
		snprintf(err, errlen, "%s: %s", path,
			 rc == -EINVAL ? "not a regular file" : strerror(-rc));
	return rc == -ENOENT ? -ENOENT : -EINVAL;
}

/* rel against the directory of the scenario file (a copy). */
static char *beside(const char *scenario_path, const char *rel)
{
	const char *slash = strrchr(scenario_path, '/');
	char *out = NULL;
	if (rel[0] == '/' || !slash)
		return strdup(rel);
	if (asprintf(&out, "%.*s/%s", (int)(slash - scenario_path), scenario_path, rel) < 0)
		return NULL;
	return out;
}

static int path_value(const struct scenario *s, const struct cfg_node *n, const char *key,
		      char **out, char *err, size_t errlen)
{
	const char *v = cfg_scalar(n);
	if (!v || !*v)
		return fail(err, errlen, n, key, "expected a file name");
	*out = beside(s->path, v);
	return *out ? 0 : -ENOMEM;
}

static int parse_count(const struct cfg_node *n, const char *key, struct scenario_count *c,
		       char *err, size_t errlen)
{
	const struct cfg_node *v = n;
	if (n->type == CFG_MAP) {
		static const char *const keys[] = {"min", "count", NULL};
		if (known_keys(n, key, keys, err, errlen) < 0)
			return -EINVAL;
		const struct cfg_node *mn = cfg_map_get(n, "min"), *ct = cfg_map_get(n, "count");
		if (!!mn == !!ct)
			return fail(err, errlen, n, key, "give one of {min: N} or {count: N}");
		c->at_least = mn != NULL;
		v = mn ? mn : ct;
	}
	const char *t = cfg_scalar(v);
	char *end = NULL;
	long long x = t ? strtoll(t, &end, 10) : -1;
	if (!t || !*t || *end || x < 0 || x > 1000000)
		return fail(err, errlen, v, key, "expected a count from 0 to 1000000, {min: N} or {count: N}");
	c->count = x;
	c->line = n->line;
	return 0;
}

static int parse_findings(struct scenario *s, const struct cfg_node *n, char *err, size_t errlen)
{
	if (n->type != CFG_MAP)
		return fail(err, errlen, n, "expect.findings", "expected a map of rule id: count");
	if (n->n_children > SCENARIO_MAX_RULES)
		return fail(err, errlen, n, "expect.findings", "more than %d rules", SCENARIO_MAX_RULES);
	s->findings = calloc(n->n_children + 1, sizeof(*s->findings));
	if (!s->findings)
		return -ENOMEM;
	for (size_t i = 0; i < n->n_children; i++) {
		const struct cfg_node *c = n->children[i];
		char key[300];
		snprintf(key, sizeof(key), "expect.findings.%s", c->key);
		if (!strchr(c->key, '.'))
			return fail(err, errlen, c, key, "not a rule id (CATEGORY.RULE)");
		struct scenario_count *sc = &s->findings[s->n_findings];
		if (parse_count(c, key, sc, err, errlen) < 0)
			return -EINVAL;
		if (!(sc->rule = strdup(c->key)))
			return -ENOMEM;
		s->n_findings++;
	}
	return 0;
}

static int parse_absent(struct scenario *s, const struct cfg_node *n, char *err, size_t errlen)
{
	const char *const *items = NULL;
	size_t k = cfg_list_strings(n, &items);
	if (n->type == CFG_MAP || (n->type == CFG_LIST && k != n->n_children))
		return fail(err, errlen, n, "expect.must_not_fire", "expected a list of rule ids");
	if (k > SCENARIO_MAX_RULES)
		return fail(err, errlen, n, "expect.must_not_fire", "more than %d rules",
			    SCENARIO_MAX_RULES);
	s->absent = calloc(k + 1, sizeof(*s->absent));
	if (!s->absent)
		return -ENOMEM;
	for (size_t i = 0; i < k; i++) {
		if (!strchr(items[i], '.'))
			return fail(err, errlen, n, "expect.must_not_fire", "'%s' is not a rule id",
				    items[i]);
		s->absent[i].rule = strdup(items[i]);
		s->absent[i].line = n->type == CFG_LIST ? n->children[i]->line : n->line;
		if (!s->absent[i].rule)
			return -ENOMEM;
		s->n_absent++;
	}
	return 0;
}

static int parse_expect(struct scenario *s, const struct cfg_node *n, char *err, size_t errlen)
{
	static const char *const keys[] = {"verdict", "findings", "must_not_fire", NULL};
	if (n->type != CFG_MAP)
		return fail(err, errlen, n, "expect", "expected a map (verdict, findings, must_not_fire)");
	if (known_keys(n, "expect", keys, err, errlen) < 0)
		return -EINVAL;
	const struct cfg_node *v = cfg_map_get(n, "verdict");
	if (v) {
		const char *t = cfg_scalar(v);
		if (!t || (strcmp(t, "PASS") != 0 && strcmp(t, "FAIL") != 0))
			return fail(err, errlen, v, "expect.verdict", "expected PASS or FAIL");
		if (!(s->verdict = strdup(t)))
			return -ENOMEM;
	}
	const struct cfg_node *f = cfg_map_get(n, "findings");
	if (f && f->type != CFG_NULL && parse_findings(s, f, err, errlen) < 0)
		return -EINVAL;
	const struct cfg_node *a = cfg_map_get(n, "must_not_fire");
	if (a && a->type != CFG_NULL && parse_absent(s, a, err, errlen) < 0)
		return -EINVAL;
	if (!s->verdict && !s->n_findings && !s->n_absent)
		return fail(err, errlen, n, "expect", "expects nothing (give verdict, findings or must_not_fire)");
	return 0;
}

static int parse_command(struct scenario *s, const struct cfg_node *n, char *err, size_t errlen)
{
	const char *const *items = NULL;
	size_t k = cfg_list_strings(n, &items);
	if (n->type == CFG_SCALAR)
		return cfg_split_command(n->value, &s->command) == 0 && s->command && s->command[0]
			       ? 0
			       : fail(err, errlen, n, "input.command", "cannot split '%s' into words",
				      n->value);
	if (k == 0 || k != n->n_children)
		return fail(err, errlen, n, "input.command", "expected a command: a list of words");
	s->command = calloc(k + 1, sizeof(*s->command));
	for (size_t i = 0; s->command && i < k; i++)
		if (!(s->command[i] = strdup(items[i])))
			return -ENOMEM;
	return s->command ? 0 : -ENOMEM;
}

static int parse_input(struct scenario *s, const struct cfg_node *n, char *err, size_t errlen)
{
	static const char *const keys[] = {"strace", "ss", "events", "command", "workdir", NULL};
	if (!n || n->type != CFG_MAP)
		return fail(err, errlen, n ? n : s->tree, "input",
			    "expected a map with one of strace, events, command");
	if (known_keys(n, "input", keys, err, errlen) < 0)
		return -EINVAL;
	const struct cfg_node *st = cfg_map_get(n, "strace"), *ev = cfg_map_get(n, "events"),
			      *cmd = cfg_map_get(n, "command"), *ss = cfg_map_get(n, "ss"),
			      *wd = cfg_map_get(n, "workdir");
	if (!!st + !!ev + !!cmd != 1)
		return fail(err, errlen, n, "input", "give exactly one of strace, events, command");
	if (ss && !st)
		return fail(err, errlen, ss, "input.ss", "goes with strace");
	if (wd && !cmd)
		return fail(err, errlen, wd, "input.workdir", "goes with command");
	int rc = 0;
	if (st)
		rc = path_value(s, st, "input.strace", &s->strace, err, errlen);
	if (rc == 0 && ss)
		rc = path_value(s, ss, "input.ss", &s->ss, err, errlen);
	if (rc == 0 && ev)
		rc = path_value(s, ev, "input.events", &s->events, err, errlen);
	if (rc == 0 && cmd)
		rc = parse_command(s, cmd, err, errlen);
	if (rc == 0 && cmd)
		rc = wd ? path_value(s, wd, "input.workdir", &s->workdir, err, errlen)
			: ((s->workdir = beside(s->path, ".")) ? 0 : -ENOMEM);
	return rc;
}

static int parse_top(struct scenario *s, char *err, size_t errlen)
{
	static const char *const keys[] = {"name", "config", "input", "timeout", "expect", NULL};
	if (known_keys(s->tree, "", keys, err, errlen) < 0)
		return -EINVAL;
	const struct cfg_node *name = cfg_map_get(s->tree, "name");
	const char *base = strrchr(s->path, '/');
	if (name && !cfg_scalar(name))
		return fail(err, errlen, name, "name", "expected one line of text");
	s->name = strdup(name ? cfg_scalar(name) : base ? base + 1 : s->path);
	if (!s->name)
		return -ENOMEM;
	s->timeout_s = SCENARIO_DEFAULT_TIMEOUT;
	const struct cfg_node *t = cfg_map_get(s->tree, "timeout");
	if (t && (cfg_parse_duration(cfg_scalar(t), &s->timeout_s) != 0 || s->timeout_s <= 0 ||
		  s->timeout_s > SCENARIO_MAX_TIMEOUT))
		return fail(err, errlen, t, "timeout", "expected a duration up to 1h (\"90s\", \"2m\")");
	const struct cfg_node *c = cfg_map_get(s->tree, "config");
	if (c && c->type == CFG_SCALAR) {
		if (path_value(s, c, "config", &s->config_path, err, errlen) < 0)
			return -EINVAL;
	} else if (c && c->type == CFG_MAP) {
		if (cfg_map_get(c, "extends"))
			return fail(err, errlen, cfg_map_get(c, "extends"), "config.extends",
				    "an inline config cannot extend a file (use config: FILE)");
	} else if (c && c->type != CFG_NULL) {
		return fail(err, errlen, c, "config", "expected a config (a map) or a file name");
	}
	int rc = parse_input(s, cfg_map_get(s->tree, "input"), err, errlen);
	if (rc < 0)
		return rc;
	const struct cfg_node *e = cfg_map_get(s->tree, "expect");
	if (!e)
		return fail(err, errlen, s->tree, "expect", "missing: what must the audit find?");
	rc = parse_expect(s, e, err, errlen);
	if (rc == 0 && c && c->type == CFG_MAP)
		s->config = cfg_map_take(s->tree, "config");
	return rc;
}

int scenario_load(const char *path, struct scenario *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	char *text = NULL;
	size_t len = 0;
	if (!(out->path = strdup(path)))
		return -ENOMEM;
	int rc = read_scenario(path, &text, &len, err, errlen);
	if (rc < 0)
		return rc;
	struct cfg_error e;
	memset(&e, 0, sizeof(e));
	rc = cfg_yaml_parse(text, len, path, &out->tree, &e);
	free(text);
	if (rc < 0) {
		cfg_error_format(&e, err, errlen);
		return rc;
	}
	rc = parse_top(out, err, errlen);
	if (rc == -ENOMEM)
		snprintf(err, errlen, "%s: out of memory", path);
	return rc;
}

static void free_counts(struct scenario_count *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(c[i].rule);
	free(c);
}

void scenario_free(struct scenario *s)
{
	config_free(s->tree);
	config_free(s->config);
	free(s->path);
	free(s->name);
	free(s->config_path);
	free(s->strace);
	free(s->ss);
	free(s->events);
	cfg_strv_free(s->command);
	free(s->workdir);
	free(s->verdict);
	free_counts(s->findings, s->n_findings);
	free_counts(s->absent, s->n_absent);
	memset(s, 0, sizeof(*s));
}

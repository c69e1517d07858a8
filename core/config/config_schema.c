/*
 * config_schema.c — the schema: which keys exist, what type each has, its
 * default; config_resolve() checks a merged tree against it and fills the
 * typed struct audit_config.
 *
 * Two passes: first every key is checked to exist (so a typo is reported
 * as "unknown key" with its file:line before anything else), then each
 * known key is parsed into its typed field.  A null value means "the
 * default".  plugins.NAME subtrees are not looked into: each detector
 * validates its own options.
 *
 * When `plugins` is absent altogether the six built-in detectors are
 * loaded with no options, so a config that only sets the target still
 * audits everything (so does `plugins: null`); `plugins: {}` loads none.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/config_internal.h"

/* ---- the key tree ------------------------------------------------------ */

enum key_kind {
	KEY_VALUE,   /* scalar or list; typed when extracted */
	KEY_MAP,     /* fixed sub-keys */
	KEY_STRMAP,  /* any keys, string values (target.env) */
	KEY_PLUGINS, /* any keys, free-form map values */
};

struct key_spec {
	const char *name;
	enum key_kind kind;
	const struct key_spec *sub; /* KEY_MAP: NULL-name terminated */
};

static const struct key_spec target_keys[] = {
	{"command", KEY_VALUE, NULL}, {"workdir", KEY_VALUE, NULL}, {"duration", KEY_VALUE, NULL},
	{"env", KEY_STRMAP, NULL},    {"setup", KEY_VALUE, NULL},   {"stdin", KEY_VALUE, NULL},
	{"files", KEY_VALUE, NULL},   {NULL, KEY_VALUE, NULL},
};
static const struct key_spec limits_keys[] = {
	{"processes", KEY_VALUE, NULL}, {"file_size", KEY_VALUE, NULL},
	{"memory", KEY_VALUE, NULL},    {"open_files", KEY_VALUE, NULL},
	{"tmpfs", KEY_VALUE, NULL},     {NULL, KEY_VALUE, NULL},
};
static const struct key_spec deception_keys[] = {
	{"honeytokens", KEY_VALUE, NULL}, {"dns", KEY_VALUE, NULL}, {"connect", KEY_VALUE, NULL},
	{NULL, KEY_VALUE, NULL},
};
static const struct key_spec time_keys[] = {
	{"skip_sleeps", KEY_VALUE, NULL}, {NULL, KEY_VALUE, NULL},
};
static const struct key_spec sandbox_keys[] = {
	{"network", KEY_VALUE, NULL},      {"user", KEY_VALUE, NULL},
	{"home", KEY_VALUE, NULL},         {"no_new_privs", KEY_VALUE, NULL},
	{"ro_paths", KEY_VALUE, NULL},
	{"drop_caps", KEY_VALUE, NULL},    {"seccomp", KEY_VALUE, NULL},
	{"limits", KEY_MAP, limits_keys},  {"deception", KEY_MAP, deception_keys},
	{"time", KEY_MAP, time_keys},
	{NULL, KEY_VALUE, NULL},
};
static const struct key_spec monitors_keys[] = {
	{"fs", KEY_VALUE, NULL}, {"snapshot_interval", KEY_VALUE, NULL}, {NULL, KEY_VALUE, NULL},
};
static const struct key_spec report_limits_keys[] = {
	{"events", KEY_VALUE, NULL},    {"trace", KEY_VALUE, NULL}, {"fs_events", KEY_VALUE, NULL},
	{"snapshots", KEY_VALUE, NULL}, {"text", KEY_VALUE, NULL},  {NULL, KEY_VALUE, NULL},
};
static const struct key_spec report_keys[] = {
	{"formats", KEY_VALUE, NULL},             {"title", KEY_VALUE, NULL},
	{"limits", KEY_MAP, report_limits_keys},  {NULL, KEY_VALUE, NULL},
};
static const struct key_spec weights_keys[] = {
	{"info", KEY_VALUE, NULL}, {"low", KEY_VALUE, NULL},      {"medium", KEY_VALUE, NULL},
	{"high", KEY_VALUE, NULL}, {"critical", KEY_VALUE, NULL}, {NULL, KEY_VALUE, NULL},
};
static const struct key_spec scoring_keys[] = {
	{"pass_score", KEY_VALUE, NULL}, {"weights", KEY_MAP, weights_keys}, {NULL, KEY_VALUE, NULL},
};
static const struct key_spec driver_keys[] = {
	{"command", KEY_VALUE, NULL}, {"wait_for", KEY_VALUE, NULL}, {"mined", KEY_VALUE, NULL},
	{NULL, KEY_VALUE, NULL},
};
static const struct key_spec replay_keys[] = {
	{"cwd", KEY_VALUE, NULL}, {"home", KEY_VALUE, NULL}, {"user", KEY_VALUE, NULL},
	{NULL, KEY_VALUE, NULL},
};
static const struct key_spec top_keys[] = {
	{"target", KEY_MAP, target_keys},     {"sandbox", KEY_MAP, sandbox_keys},
	{"monitors", KEY_MAP, monitors_keys}, {"plugins", KEY_PLUGINS, NULL},
	{"plugin_path", KEY_VALUE, NULL},     {"report", KEY_MAP, report_keys},
	{"scoring", KEY_MAP, scoring_keys},   {"rules", KEY_VALUE, NULL}, /* config_rules.c */
	{"driver", KEY_MAP, driver_keys},     {"replay", KEY_MAP, replay_keys},
	{NULL, KEY_VALUE, NULL},
};

static const char *const builtin_plugins[] = {
	"process", "network", "file", "privilege", "code_integrity", "backdoor",
};
static const char *const severity_names[] = {"info", "low", "medium", "high", "critical"};
static const double default_weights[] = {0, 5, 15, 40, 60};

static const char *type_name(const struct cfg_node *n)
{
	switch (n->type) {
	case CFG_NULL: return "null";
	case CFG_SCALAR: return "a single value";
	case CFG_LIST: return "a list";
	case CFG_MAP: return "a map";
	}
	return "?";
}

static void join_path(char *buf, size_t len, const char *parent, const char *key)
{
	snprintf(buf, len, "%s%s%s", parent, parent[0] ? "." : "", key);
}

static bool valid_plugin_name(const char *name)
{
	/* It becomes a file name (NAME.so): no paths, no hidden files. */
	if (!name[0] || name[0] == '.' || name[0] == '-')
		return false;
	for (const char *p = name; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-' && *p != '.')
			return false;
	return true;
}

static int check_keys(const struct cfg_node *map, const struct key_spec *spec, const char *path,
		      struct cfg_error *err)
{
	for (size_t i = 0; i < map->n_children; i++) {
		const struct cfg_node *c = map->children[i];
		char sub[256];
		join_path(sub, sizeof(sub), path, c->key);
		const struct key_spec *k = spec;
		while (k->name && strcmp(k->name, c->key) != 0)
			k++;
		if (!k->name && strcmp(c->key, "extends") == 0)
			return cfg_fail(err, -EINVAL, c->file, c->line, sub,
					"extends is only allowed at the top of a configuration file");
		if (!k->name)
			return cfg_fail(err, -EINVAL, c->file, c->line, sub, "unknown key");
		if (k->kind == KEY_VALUE || c->type == CFG_NULL)
			continue;
		if (c->type != CFG_MAP)
			return cfg_fail(err, -EINVAL, c->file, c->line, sub,
					"expected a map of keys, got %s", type_name(c));
		int rc = 0;
		if (k->kind == KEY_MAP) {
			rc = check_keys(c, k->sub, sub, err);
		} else if (k->kind == KEY_STRMAP) {
			for (size_t j = 0; rc == 0 && j < c->n_children; j++) {
				const struct cfg_node *e = c->children[j];
				char ek[256];
				join_path(ek, sizeof(ek), sub, e->key);
				if (strchr(e->key, '=') || !e->key[0])
					rc = cfg_fail(err, -EINVAL, e->file, e->line, ek,
						      "not a valid environment variable name");
				else if (e->type != CFG_NULL && !cfg_scalar(e))
					rc = cfg_fail(err, -EINVAL, e->file, e->line, ek,
						      "expected a single value, got %s",
						      type_name(e));
			}
		} else if (k->kind == KEY_PLUGINS) {
			for (size_t j = 0; rc == 0 && j < c->n_children; j++) {
				const struct cfg_node *p = c->children[j];
				char pk[256];
				join_path(pk, sizeof(pk), sub, p->key);
				if (!valid_plugin_name(p->key))
					rc = cfg_fail(err, -EINVAL, p->file, p->line, pk,
						      "not a valid detector name (letters, digits, "
						      "'_', '-', '.')");
				else if (p->type != CFG_MAP && p->type != CFG_NULL)
					rc = cfg_fail(err, -EINVAL, p->file, p->line, pk,
						      "expected a map of detector options (or {}), "
						      "got %s",
						      type_name(p));
			}
		}
		if (rc != 0)
			return rc;
	}
	return 0;
}

/* ---- typed extraction --------------------------------------------------- */

struct resolver {
	const struct cfg_node *root;
	struct cfg_error *err;
	struct audit_config *out;
};

/* The node at a dotted path, NULL when absent or null. */
static const struct cfg_node *at(const struct cfg_node *root, const char *path)
{
	char buf[256];
	snprintf(buf, sizeof(buf), "%s", path);
	const struct cfg_node *n = root;
	for (char *seg = buf, *dot; n; seg = dot + 1) {
		dot = strchr(seg, '.');
		if (dot)
			*dot = '\0';
		n = cfg_map_get(n, seg);
		if (!dot)
			break;
	}
	return n && n->type != CFG_NULL ? n : NULL;
}

static int oom(struct resolver *r)
{
	return cfg_fail(r->err, -ENOMEM, NULL, 0, NULL, "out of memory");
}

/* Scalar text at path into *text (NULL when absent); error if a list/map. */
static int scalar_at(struct resolver *r, const char *path, const struct cfg_node **node,
		     const char **text)
{
	const struct cfg_node *n = at(r->root, path);
	*node = n;
	*text = NULL;
	if (!n)
		return 0;
	*text = cfg_scalar(n);
	if (!*text)
		return cfg_fail(r->err, -EINVAL, n->file, n->line, path,
				"expected a single value, got %s", type_name(n));
	return 0;
}

static int get_duration(struct resolver *r, const char *path, double def, double *out)
{
	const struct cfg_node *n;
	const char *t;
	int rc = scalar_at(r, path, &n, &t);
	*out = def;
	if (rc != 0 || !t)
		return rc;
	if (cfg_parse_duration(t, out) != 0 || *out <= 0)
		return cfg_fail(r->err, -EINVAL, n->file, n->line, path,
				"invalid duration '%s' (a positive number of seconds, or with a "
				"unit: 500ms, 90s, 2m, 1h)",
				t);
	return 0;
}

/* sandbox.time.skip_sleeps: a duration, or off (0). */
static int get_skip_sleeps(struct resolver *r, double def, double *out)
{
	const char *path = "sandbox.time.skip_sleeps";
	const struct cfg_node *n;
	const char *t;
	int rc = scalar_at(r, path, &n, &t);
	*out = def;
	if (rc != 0 || !t)
		return rc;
	bool on;
	if (cfg_parse_bool(t, &on) == 0 && !on) {
		*out = 0;
		return 0;
	}
	if (cfg_parse_duration(t, out) != 0 || *out <= 0)
		return cfg_fail(r->err, -EINVAL, n->file, n->line, path,
				"invalid value '%s' (off, or a duration: 2s, 500ms, 1m)", t);
	return 0;
}

static int get_size(struct resolver *r, const char *path, long long def, long long *out)
{
	const struct cfg_node *n;
	const char *t;
	int rc = scalar_at(r, path, &n, &t);
	*out = def;
	if (rc != 0 || !t)
		return rc;
	if (cfg_parse_size(t, out) != 0 || *out <= 0)
		return cfg_fail(r->err, -EINVAL, n->file, n->line, path,
				"invalid size '%s' (a positive number of bytes, or with a unit: "
				"512K, 64M, 1G)",
				t);
	return 0;
}

/* A cap on one output file (report.limits.*): a size, at least 64K so
 * that its head, its kept events and its tail each get room. */
static int get_output_cap(struct resolver *r, const char *path, long long def, long long *out)
{
	int rc = get_size(r, path, def, out);
	if (rc == 0 && *out < (64LL << 10)) {
		const struct cfg_node *n = at(r->root, path);
		return cfg_fail(r->err, -EINVAL, n ? n->file : NULL, n ? n->line : 0, path,
				"a cap of %lld bytes is too small (at least 64K)", *out);
	}
	return rc;
}

static int get_bool(struct resolver *r, const char *path, bool def, bool *out)
{
	const struct cfg_node *n;
	const char *t;
	int rc = scalar_at(r, path, &n, &t);
	*out = def;
	if (rc != 0 || !t)
		return rc;
	if (cfg_parse_bool(t, out) != 0)
		return cfg_fail(r->err, -EINVAL, n->file, n->line, path,
				"invalid boolean '%s' (true or false)", t);
	return 0;
}

static int get_count(struct resolver *r, const char *path, long def, long *out)
{
	const struct cfg_node *n;
	const char *t;
	int rc = scalar_at(r, path, &n, &t);
	*out = def;
	if (rc != 0 || !t)
		return rc;
	char *end;
	errno = 0;
	long v = strtol(t, &end, 10);
	while (isspace((unsigned char)*end))
		end++;
	if (!isdigit((unsigned char)t[strspn(t, " \t")]) || *end || errno || v <= 0 ||
	    v > INT_MAX)
		return cfg_fail(r->err, -EINVAL, n->file, n->line, path,
				"invalid count '%s' (a whole number from 1 to %d)", t, INT_MAX);
	*out = v;
	return 0;
}

static int get_number(struct resolver *r, const char *path, double def, double min, double max,
		      double *out)
{
	const struct cfg_node *n;
	const char *t;
	int rc = scalar_at(r, path, &n, &t);
	*out = def;
	if (rc != 0 || !t)
		return rc;
	char *end;
	double v = strtod(t, &end);
	while (isspace((unsigned char)*end))
		end++;
	if (end == t || *end || !isfinite(v) || v < min || v > max)
		return cfg_fail(r->err, -EINVAL, n->file, n->line, path,
				"invalid number '%s' (from %g to %g)", t, min, max);
	*out = v;
	return 0;
}

/* Index of the value at path in choices (NULL-terminated); def if absent. */
static int get_choice(struct resolver *r, const char *path, const char *const *choices, int def,
		      int *out)
{
	const struct cfg_node *n;
	const char *t;
	int rc = scalar_at(r, path, &n, &t);
	*out = def;
	if (rc != 0 || !t)
		return rc;
	for (int i = 0; choices[i]; i++) {
		if (strcmp(t, choices[i]) == 0) {
			*out = i;
			return 0;
		}
	}
	char allowed[128] = "";
	for (int i = 0; choices[i]; i++) {
		size_t used = strlen(allowed);
		snprintf(allowed + used, sizeof(allowed) - used, "%s%s", i ? " or " : "", choices[i]);
	}
	return cfg_fail(r->err, -EINVAL, n->file, n->line, path, "invalid value '%s' (%s)", t,
			allowed);
}

static int get_string(struct resolver *r, const char *path, const char *def, char **out)
{
	const struct cfg_node *n;
	const char *t;
	int rc = scalar_at(r, path, &n, &t);
	*out = NULL;
	if (rc != 0)
		return rc;
	if (!t)
		t = def;
	if (t && !(*out = strdup(t)))
		return oom(r);
	return 0;
}

/* ---- paths -------------------------------------------------------------- */

/* Absolute, lexically normalized path of rel, relative to the directory of
 * the file that set it (the current directory for --set and the default). */
static char *absolute_path(const struct cfg_node *setter, const char *rel)
{
	char *joined = NULL;
	if (rel[0] == '/') {
		joined = strdup(rel);
	} else {
		char *cwd = getcwd(NULL, 0);
		if (!cwd)
			return NULL;
		const char *file = setter->file;
		bool from_file = file && file[0] && strcmp(file, CFG_FILE_SET) != 0 &&
				 strcmp(file, CFG_FILE_DEFAULT) != 0;
		const char *slash = from_file ? strrchr(file, '/') : NULL;
		int rc;
		if (slash && file[0] == '/')
			rc = asprintf(&joined, "%.*s/%s", (int)(slash - file), file, rel);
		else if (slash)
			rc = asprintf(&joined, "%s/%.*s/%s", cwd, (int)(slash - file), file, rel);
		else
			rc = asprintf(&joined, "%s/%s", cwd, rel);
		free(cwd);
		if (rc < 0)
			return NULL;
	}
	if (!joined)
		return NULL;

	/* Normalize in place: drop "", ".", and resolve ".." lexically. */
	size_t len = strlen(joined);
	char *out = malloc(len + 2);
	if (!out) {
		free(joined);
		return NULL;
	}
	size_t used = 0;
	for (char *seg = joined, *next; seg; seg = next) {
		char *slash = strchr(seg, '/');
		next = slash ? slash + 1 : NULL;
		if (slash)
			*slash = '\0';
		if (seg[0] == '\0' || strcmp(seg, ".") == 0)
			continue;
		if (strcmp(seg, "..") == 0) {
			while (used > 0 && out[used - 1] != '/')
				used--;
			if (used > 0)
				used--;
			continue;
		}
		out[used++] = '/';
		size_t n = strlen(seg);
		memcpy(out + used, seg, n);
		used += n;
	}
	if (used == 0)
		out[used++] = '/';
	out[used] = '\0';
	free(joined);
	return out;
}

/* ---- lists and commands ------------------------------------------------- */

static char **strv_new(size_t n)
{
	return calloc(n + 1, sizeof(char *));
}

/* A command: a list is taken word by word, a single text is split like a
 * shell would.  *argv NULL when absent; an empty command is an error
 * unless allow_empty (then *argv stays NULL). */
static int get_command(struct resolver *r, const char *path, bool allow_empty, char ***argv)
{
	const struct cfg_node *n = at(r->root, path);
	*argv = NULL;
	if (!n)
		return 0;
	char **v = NULL;
	if (n->type == CFG_SCALAR) {
		int rc = cfg_split_command(n->value, &v);
		if (rc == -ENOMEM)
			return oom(r);
		if (rc != 0)
			return cfg_fail(r->err, -EINVAL, n->file, n->line, path,
					"cannot split '%s' into words: unterminated quote or "
					"trailing backslash",
					n->value);
	} else if (n->type == CFG_LIST) {
		v = strv_new(n->n_children);
		if (!v)
			return oom(r);
		for (size_t i = 0; i < n->n_children; i++) {
			const struct cfg_node *it = n->children[i];
			if (it->type != CFG_SCALAR) {
				cfg_strv_free(v);
				return cfg_fail(r->err, -EINVAL, it->file, it->line, path,
						"command words must be single values, got %s",
						type_name(it));
			}
			if (!(v[i] = strdup(it->value))) {
				cfg_strv_free(v);
				return oom(r);
			}
		}
	} else {
		return cfg_fail(r->err, -EINVAL, n->file, n->line, path,
				"expected a command (a list of words or one string), got %s",
				type_name(n));
	}
	if (!v[0]) {
		cfg_strv_free(v);
		if (allow_empty)
			return 0;
		return cfg_fail(r->err, -EINVAL, n->file, n->line, path, "empty command");
	}
	*argv = v;
	return 0;
}

/* The items of a list of single values (a single value is a one-item
 * list) and their nodes (for file:line and relative paths). */
static int list_items(struct resolver *r, const char *path, const struct cfg_node *n,
		      size_t *count)
{
	if (n->type == CFG_SCALAR) {
		*count = 1;
		return 0;
	}
	if (n->type != CFG_LIST)
		return cfg_fail(r->err, -EINVAL, n->file, n->line, path,
				"expected a list, got %s", type_name(n));
	for (size_t i = 0; i < n->n_children; i++)
		if (n->children[i]->type != CFG_SCALAR)
			return cfg_fail(r->err, -EINVAL, n->children[i]->file,
					n->children[i]->line, path,
					"list items must be single values, got %s",
					type_name(n->children[i]));
	*count = n->n_children;
	return 0;
}

static const struct cfg_node *item_node(const struct cfg_node *n, size_t i)
{
	return n->type == CFG_SCALAR ? n : n->children[i];
}

static int get_plugin_path(struct resolver *r)
{
	const struct cfg_node *n = at(r->root, "plugin_path");
	size_t count = 0;
	int rc = n ? list_items(r, "plugin_path", n, &count) : 0;
	if (rc != 0)
		return rc;
	char **v = strv_new(count);
	if (!v)
		return oom(r);
	r->out->plugin_path = v;
	for (size_t i = 0; i < count; i++) {
		const struct cfg_node *it = item_node(n, i);
		if (!it->value[0])
			return cfg_fail(r->err, -EINVAL, it->file, it->line, "plugin_path",
					"empty directory name");
		if (!(v[i] = absolute_path(it, it->value)))
			return oom(r);
	}
	return 0;
}

/* target.stdin: one file fed to the target's standard input; relative to
 * the config that sets it, like target.workdir.  Opened (and checked) when
 * the sandbox starts the target: a config may be checked on another host. */
static int get_stdin(struct resolver *r)
{
	char *s = NULL;
	int rc = get_string(r, "target.stdin", NULL, &s);
	if (rc == 0 && s) {
		const struct cfg_node *n = at(r->root, "target.stdin");
		if (!s[0])
			rc = cfg_fail(r->err, -EINVAL, n ? n->file : NULL, n ? n->line : 0,
				      "target.stdin", "empty file name");
		else if (!(r->out->stdin_path = absolute_path(n, s)))
			rc = oom(r);
	}
	free(s);
	return rc;
}

/* target.files: course files or directories copied into the workdir copy
 * before the setup; each relative to the config that names it. */
static int get_files(struct resolver *r)
{
	const struct cfg_node *n = at(r->root, "target.files");
	size_t count = 0;
	int rc = n ? list_items(r, "target.files", n, &count) : 0;
	if (rc != 0)
		return rc;
	char **v = strv_new(count);
	if (!v)
		return oom(r);
	r->out->files = v;
	for (size_t i = 0; i < count; i++) {
		const struct cfg_node *it = item_node(n, i);
		if (!it->value[0])
			return cfg_fail(r->err, -EINVAL, it->file, it->line, "target.files",
					"empty file name");
		if (!(v[i] = absolute_path(it, it->value)))
			return oom(r);
	}
	return 0;
}

/* driver.wait_for: "A.B.C.D:PORT" (the target listens there) or a
 * duration into the window; checked here so a typo is a config error. */
static int get_wait_for(struct resolver *r)
{
	int rc = get_string(r, "driver.wait_for", NULL, &r->out->driver_wait_for);
	const char *w = r->out->driver_wait_for;
	if (rc != 0 || !w)
		return rc;
	unsigned a, b, c, d, port;
	char tail;
	double secs;
	bool addr = sscanf(w, "%u.%u.%u.%u:%u%c", &a, &b, &c, &d, &port, &tail) == 5 && a < 256 &&
		    b < 256 && c < 256 && d < 256 && port > 0 && port < 65536;
	if (addr || (cfg_parse_duration(w, &secs) == 0 && secs >= 0))
		return 0;
	const struct cfg_node *n = at(r->root, "driver.wait_for");
	return cfg_fail(r->err, -EINVAL, n ? n->file : NULL, n ? n->line : 0, "driver.wait_for",
			"'%s' is neither an address the target listens on (127.0.0.1:5555) nor a "
			"duration (2s)", w);
}

/* sandbox.ro_paths: extra host paths the target may read (a course
 * toolchain under /srv or a pyenv root).  Never the places that hold
 * secrets or the host's live state, and never what the sandbox builds
 * itself: those are refused with the entry's line. */
static int get_ro_paths(struct resolver *r)
{
	static const char *const refused[] = {"/root", "/home", "/proc", "/sys", "/dev", "/run",
					      "/var/run", "/boot", "/tmp", "/var/tmp", "/etc",
					      "/var/lib/sudo", "/var/spool", "/var/log", "/var/backups",
					      "/var/mail", "/mnt", "/media", NULL};
	const struct cfg_node *n = at(r->root, "sandbox.ro_paths");
	size_t count = 0;
	int rc = n ? list_items(r, "sandbox.ro_paths", n, &count) : 0;
	if (rc != 0)
		return rc;
	char **v = strv_new(count);
	if (!v)
		return oom(r);
	r->out->ro_paths = v;
	for (size_t i = 0; i < count; i++) {
		const struct cfg_node *it = item_node(n, i);
		const char *p = it->value;
		size_t len = strlen(p);
		if (p[0] != '/' || strstr(p, "/../") || strstr(p, "/./") || strstr(p, "//") ||
		    (len >= 3 && strcmp(p + len - 3, "/..") == 0) || (len >= 2 && strcmp(p + len - 2, "/.") == 0) ||
		    (len > 1 && p[len - 1] == '/'))
			return cfg_fail(r->err, -EINVAL, it->file, it->line, "sandbox.ro_paths",
					"'%s' is not a plain absolute path", p);
		if (len == 1)
			return cfg_fail(r->err, -EINVAL, it->file, it->line, "sandbox.ro_paths",
					"'/' would show the whole host");
		for (size_t k = 0; refused[k]; k++) {
			size_t kl = strlen(refused[k]);
			bool below = strncmp(p, refused[k], kl) == 0 && (p[kl] == '\0' || p[kl] == '/');
			bool above = strncmp(refused[k], p, len) == 0 && refused[k][len] == '/';
			if (below || above)
				return cfg_fail(r->err, -EINVAL, it->file, it->line, "sandbox.ro_paths",
						"'%s' would show %s, which holds secrets or the host's live state",
						p, refused[k]);
		}
		if (!(v[i] = strdup(p)))
			return oom(r);
	}
	return 0;
}

static int get_formats(struct resolver *r)
{
	static const char *const known[] = {"markdown", "json", "html", "junit", "sarif", NULL};
	const struct cfg_node *n = at(r->root, "report.formats");
	size_t count = n ? 0 : 2;
	int rc = n ? list_items(r, "report.formats", n, &count) : 0;
	if (rc != 0)
		return rc;
	char **v = strv_new(count);
	if (!v)
		return oom(r);
	r->out->report_formats = v;
	for (size_t i = 0; i < count; i++) {
		const char *name = n ? item_node(n, i)->value : known[i];
		bool ok = false;
		for (size_t k = 0; known[k]; k++)
			ok = ok || strcmp(name, known[k]) == 0;
		if (!ok) {
			const struct cfg_node *it = item_node(n, i);
			return cfg_fail(r->err, -EINVAL, it->file, it->line, "report.formats",
					"unknown report format '%s' (markdown, json, html, junit or sarif)", name);
		}
		if (!(v[i] = strdup(name)))
			return oom(r);
	}
	return 0;
}

static int get_env(struct resolver *r)
{
	const struct cfg_node *n = at(r->root, "target.env");
	size_t count = n ? n->n_children : 0;
	char **v = strv_new(count);
	if (!v)
		return oom(r);
	r->out->env = v;
	for (size_t i = 0; i < count; i++) {
		const struct cfg_node *e = n->children[i];
		const char *val = e->type == CFG_NULL ? "" : cfg_scalar(e);
		if (asprintf(&v[i], "%s=%s", e->key, val ? val : "") < 0) {
			v[i] = NULL;
			return oom(r);
		}
	}
	return 0;
}

/* A plugin with no options still gets a map, so detectors can always
 * look keys up.  Never modified: cfg_where() of a node without a file
 * does not cache. */
static struct cfg_node no_options = {.type = CFG_MAP};

/* Fill the on-demand caches of a plugin subtree now, so detectors reading
 * their options later (possibly from several threads) only ever read. */
static void warm_caches(const struct cfg_node *n)
{
	cfg_where(n);
	cfg_list_strings(n, NULL);
	for (size_t i = 0; i < n->n_children; i++)
		warm_caches(n->children[i]);
}

static int get_plugins(struct resolver *r)
{
	const struct cfg_node *n = at(r->root, "plugins");
	size_t count = n ? n->n_children : sizeof(builtin_plugins) / sizeof(builtin_plugins[0]);
	r->out->plugins = calloc(count ? count : 1, sizeof(*r->out->plugins));
	if (!r->out->plugins)
		return oom(r);
	for (size_t i = 0; i < count; i++) {
		const struct cfg_node *p = n ? n->children[i] : NULL;
		struct plugin_config *pc = &r->out->plugins[i];
		pc->name = strdup(p ? p->key : builtin_plugins[i]);
		if (!pc->name)
			return oom(r);
		pc->node = p && p->type == CFG_MAP ? p : &no_options;
		warm_caches(pc->node);
		r->out->n_plugins++;
	}
	return 0;
}

int config_resolve(const struct cfg_node *root, struct audit_config *out, struct cfg_error *err)
{
	static const char *const networks[] = {"none", "host", NULL};
	static const char *const seccomps[] = {"default", "off", NULL};
	if (!out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	if (!root || root->type != CFG_MAP)
		return cfg_fail(err, -EINVAL, NULL, 0, NULL, "no configuration");
	struct resolver r = {.root = root, .err = err, .out = out};
	out->source = root->file && root->file[0] ? root->file : CFG_FILE_DEFAULT;

	int rc = check_keys(root, top_keys, "", err);
	int choice = 0;
	char *workdir = NULL;
	if (rc == 0)
		rc = get_command(&r, "target.command", false, &out->command);
	if (rc == 0)
		rc = get_string(&r, "target.workdir", NULL, &workdir);
	if (rc == 0 && workdir) {
		const struct cfg_node *w = at(root, "target.workdir");
		if (!workdir[0])
			rc = cfg_fail(err, -EINVAL, w ? w->file : NULL, w ? w->line : 0, "target.workdir",
				      "empty directory name");
		else if (!(out->workdir = absolute_path(w, workdir)))
			rc = oom(&r);
	}
	free(workdir);
	if (rc == 0)
		rc = get_duration(&r, "target.duration", 60, &out->duration_s);
	if (rc == 0)
		rc = get_env(&r);
	if (rc == 0)
		rc = get_command(&r, "target.setup", true, &out->setup);
	if (rc == 0)
		rc = get_stdin(&r);
	if (rc == 0)
		rc = get_files(&r);

	if (rc == 0)
		rc = get_choice(&r, "sandbox.network", networks, 0, &choice);
	out->network = choice == 1 ? NETWORK_HOST : NETWORK_NONE;
	if (rc == 0)
		rc = get_string(&r, "sandbox.user", "nobody", &out->user);
	if (rc == 0 && !out->user[0]) {
		const struct cfg_node *u = at(root, "sandbox.user");
		rc = cfg_fail(err, -EINVAL, u ? u->file : NULL, u ? u->line : 0, "sandbox.user",
			      "empty user name (a name or a uid)");
	}
	if (rc == 0)
		rc = get_string(&r, "sandbox.home", "/home/auditor", &out->home);
	if (rc == 0 && out->home[0] != '/') {
		const struct cfg_node *h = at(root, "sandbox.home");
		rc = cfg_fail(err, -EINVAL, h ? h->file : NULL, h ? h->line : 0, "sandbox.home",
			      "'%s' is not an absolute path", out->home);
	}
	/* replay: where a strace log was recorded (null: inferred from the log) */
	if (rc == 0)
		rc = get_string(&r, "replay.cwd", NULL, &out->replay_cwd);
	if (rc == 0)
		rc = get_string(&r, "replay.home", NULL, &out->replay_home);
	if (rc == 0)
		rc = get_string(&r, "replay.user", NULL, &out->replay_user);
	for (int i = 0; rc == 0 && i < 2; i++) {
		const char *key = i ? "replay.home" : "replay.cwd";
		const char *v = i ? out->replay_home : out->replay_cwd;
		if (v && v[0] != '/') {
			const struct cfg_node *h = at(root, key);
			rc = cfg_fail(err, -EINVAL, h ? h->file : NULL, h ? h->line : 0, key,
				      "'%s' is not an absolute path", v);
		}
	}
	if (rc == 0)
		rc = get_ro_paths(&r);
	if (rc == 0)
		rc = get_bool(&r, "sandbox.no_new_privs", true, &out->no_new_privs);
	if (rc == 0)
		rc = get_bool(&r, "sandbox.drop_caps", true, &out->drop_caps);
	if (rc == 0)
		rc = get_choice(&r, "sandbox.seccomp", seccomps, 0, &choice);
	out->seccomp = choice == 0;
	if (rc == 0)
		rc = get_count(&r, "sandbox.limits.processes", 256, &out->limit_processes);
	if (rc == 0)
		rc = get_size(&r, "sandbox.limits.file_size", 64LL << 20, &out->limit_file_size);
	if (rc == 0)
		rc = get_size(&r, "sandbox.limits.memory", 1LL << 30, &out->limit_memory);
	if (rc == 0)
		rc = get_count(&r, "sandbox.limits.open_files", 1024, &out->limit_open_files);
	if (rc == 0)
		rc = get_size(&r, "sandbox.limits.tmpfs", 64LL << 20, &out->limit_tmpfs);

	if (rc == 0)
		rc = get_bool(&r, "sandbox.deception.honeytokens", true, &out->honeytokens);
	if (rc == 0) {
		static const char *const dns_modes[] = {"off", "sink", NULL};
		rc = get_choice(&r, "sandbox.deception.dns", dns_modes, 0, &choice);
		out->dns_sink = choice == 1;
	}
	if (rc == 0) {
		static const char *const connect_modes[] = {"off", "sink", NULL};
		rc = get_choice(&r, "sandbox.deception.connect", connect_modes, 0, &choice);
		out->connect_sink = choice == 1;
	}
	if (rc == 0)
		rc = get_skip_sleeps(&r, 10, &out->skip_sleeps_s);

	if (rc == 0)
		rc = get_bool(&r, "monitors.fs", true, &out->monitor_fs);
	if (rc == 0)
		rc = get_duration(&r, "monitors.snapshot_interval", 1, &out->snapshot_interval);

	if (rc == 0)
		rc = get_command(&r, "driver.command", true, &out->driver_command);
	if (rc == 0)
		rc = get_wait_for(&r);
	if (rc == 0)
		rc = get_bool(&r, "driver.mined", false, &out->driver_mined);

	if (rc == 0)
		rc = get_plugins(&r);
	if (rc == 0)
		rc = get_plugin_path(&r);
	if (rc == 0)
		rc = config_rules_resolve(root, out, err);

	if (rc == 0)
		rc = get_formats(&r);
	if (rc == 0)
		rc = get_string(&r, "report.title", NULL, &out->report_title);
	if (rc == 0)
		rc = get_output_cap(&r, "report.limits.events", 64LL << 20, &out->limit_events);
	if (rc == 0)
		rc = get_output_cap(&r, "report.limits.trace", 16LL << 20, &out->limit_trace);
	if (rc == 0)
		rc = get_output_cap(&r, "report.limits.fs_events", 8LL << 20, &out->limit_fs_events);
	if (rc == 0)
		rc = get_output_cap(&r, "report.limits.snapshots", 8LL << 20, &out->limit_snapshots);
	if (rc == 0)
		rc = get_count(&r, "report.limits.text", 1024, &out->limit_text);
	if (rc == 0 && (out->limit_text < 128 || out->limit_text > (1L << 20))) {
		const struct cfg_node *n = at(root, "report.limits.text");
		rc = cfg_fail(err, -EINVAL, n ? n->file : NULL, n ? n->line : 0, "report.limits.text",
			      "%ld is out of range (128 to 1048576 bytes)", out->limit_text);
	}

	if (rc == 0)
		rc = get_number(&r, "scoring.pass_score", 70, 0, 100, &out->pass_score);
	for (size_t i = 0; rc == 0 && i < 5; i++) {
		char path[64];
		snprintf(path, sizeof(path), "scoring.weights.%s", severity_names[i]);
		rc = get_number(&r, path, default_weights[i], 0, 1e9, &out->weights[i]);
	}

	if (rc != 0)
		audit_config_free(out);
	return rc;
}

void audit_config_free(struct audit_config *cfg)
{
	if (!cfg)
		return;
	cfg_strv_free(cfg->command);
	free(cfg->workdir);
	cfg_strv_free(cfg->env);
	cfg_strv_free(cfg->setup);
	free(cfg->stdin_path);
	cfg_strv_free(cfg->driver_command);
	free(cfg->driver_wait_for);
	cfg_strv_free(cfg->files);
	free(cfg->user);
	free(cfg->home);
	free(cfg->replay_cwd);
	free(cfg->replay_home);
	free(cfg->replay_user);
	cfg_strv_free(cfg->ro_paths);
	for (size_t i = 0; i < cfg->n_plugins; i++)
		free(cfg->plugins[i].name);
	free(cfg->plugins);
	cfg_strv_free(cfg->plugin_path);
	cfg_strv_free(cfg->report_formats);
	free(cfg->report_title);
	for (size_t i = 0; i < cfg->n_rules; i++)
		free(cfg->rules[i].rule);
	free(cfg->rules);
	memset(cfg, 0, sizeof(*cfg));
}

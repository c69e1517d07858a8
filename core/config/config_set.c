/*
 * config_set.c — values that arrive as plain text (INI values, --set
 * assignments) and the --set override itself.
 */
#include <ctype.h>
#include <stdbool.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config/config_internal.h"

/* Keys whose value is a list even when the text cannot say so. */
static bool is_list_capable(const char *path)
{
	return strcmp(path, "report.formats") == 0 || strcmp(path, "plugin_path") == 0 ||
	       strcmp(path, "target.files") == 0 ||
	       (strncmp(path, "plugins.", 8) == 0 && strchr(path + 8, '.') != NULL);
}

static struct cfg_node *list_from_text(const char *key, const char *text, const char *file,
				       int line)
{
	struct cfg_node *list = cfg_node_new(CFG_LIST, key, file, line);
	if (!list)
		return NULL;
	const char *p = text;
	while (*p) {
		const char *comma = strchr(p, ',');
		const char *end = comma ? comma : p + strlen(p);
		const char *b = p, *e = end;
		while (b < e && isspace((unsigned char)*b))
			b++;
		while (e > b && isspace((unsigned char)e[-1]))
			e--;
		if (e > b) {
			struct cfg_node *item = cfg_scalar_new(NULL, b, (size_t)(e - b), file, line);
			if (!item || cfg_node_append(list, item) != 0) {
				config_free(item);
				config_free(list);
				return NULL;
			}
		}
		p = comma ? comma + 1 : end;
	}
	return list;
}

struct cfg_node *cfg_node_from_text(const char *path, const char *key, const char *text,
				    const char *file, int line)
{
	if (is_list_capable(path) && (text[0] == '\0' || strchr(text, ',')))
		return list_from_text(key, text, file, line);
	return cfg_scalar_new(key, text, strlen(text), file, line);
}

/* ---- --set ------------------------------------------------------------- */

static bool valid_key_path(const char *path)
{
	if (!path[0] || path[0] == '.' || path[strlen(path) - 1] == '.' || strstr(path, ".."))
		return false;
	for (const char *p = path; *p; p++)
		if (isspace((unsigned char)*p) || (unsigned char)*p < 0x20)
			return false;
	return true;
}

/* The map that should hold the last segment of path (creating maps on the
 * way; a null on the way becomes a map).  path is modified while walking
 * and restored; *last points at its last segment. */
static int walk_to_parent(struct cfg_node *root, char *path, struct cfg_node **parent,
			  const char **last, struct cfg_error *err)
{
	struct cfg_node *map = root;
	char *seg = path;
	for (char *dot; (dot = strchr(seg, '.')) != NULL; seg = dot + 1) {
		*dot = '\0';
		struct cfg_node *next = cfg_map_get_mut(map, seg);
		if (next && next->type == CFG_NULL) {
			/* plugins: {x: null} then --set plugins.x.k=v */
			next->type = CFG_MAP;
		} else if (next && next->type != CFG_MAP) {
			/* path now ends at the offending key: name just that. */
			return cfg_fail(err, -EINVAL, CFG_FILE_SET, 0, path,
					"cannot set a key inside it: it is not a map (set at %s)",
					cfg_where(next));
		} else if (!next) {
			next = cfg_node_new(CFG_MAP, seg, CFG_FILE_SET, 0);
			if (!next || cfg_node_append(map, next) != 0) {
				config_free(next);
				return cfg_fail(err, -ENOMEM, CFG_FILE_SET, 0, NULL, "out of memory");
			}
		}
		map = next;
		*dot = '.';
	}
	*parent = map;
	*last = seg;
	return 0;
}

static int put_or_fail(struct cfg_node *map, struct cfg_node *node, struct cfg_error *err)
{
	if (!node || cfg_map_put(map, node) != 0) {
		config_free(node);
		return cfg_fail(err, -ENOMEM, CFG_FILE_SET, 0, NULL, "out of memory");
	}
	return 0;
}

/* *out: the map of key in map, created (or made of a null) when absent;
 * -EINVAL when key holds something else (what names it). */
static int child_map(struct cfg_node *map, const char *key, const char *what,
		     struct cfg_node **out, struct cfg_error *err)
{
	struct cfg_node *m = cfg_map_get_mut(map, key);
	if (m && m->type == CFG_NULL)
		m->type = CFG_MAP;
	if (m && m->type != CFG_MAP)
		return cfg_fail(err, -EINVAL, CFG_FILE_SET, 0, what,
				"cannot set a key inside it: it is not a map (set at %s)",
				cfg_where(m));
	if (!m) {
		m = cfg_node_new(CFG_MAP, key, CFG_FILE_SET, 0);
		if (!m || cfg_node_append(map, m) != 0) {
			config_free(m);
			return cfg_fail(err, -ENOMEM, CFG_FILE_SET, 0, NULL, "out of memory");
		}
	}
	*out = m;
	return 0;
}

/* --set rules.ID=VALUE and rules.ID.severity=VALUE.  A rule id has a dot
 * of its own (process.shell), so the rest of the key after "rules." is the
 * id, unless it ends with a sub-key an entry knows (severity) and what
 * comes before is still an id.  The sub-key form replaces an entry that
 * was a word (off, high) with {severity: VALUE}. */
static int set_rule_override(struct cfg_node *root, const char *path, const char *value,
			     struct cfg_error *err)
{
	static const char sub_key[] = ".severity";
	char id[256];
	const char *rest = path + strlen("rules.");
	size_t n = strlen(rest), sub = strlen(sub_key);
	bool has_sub = n > sub && strcmp(rest + n - sub, sub_key) == 0 &&
		       memchr(rest, '.', n - sub) != NULL;
	if (has_sub)
		n -= sub;
	if (n >= sizeof(id))
		return cfg_fail(err, -EINVAL, CFG_FILE_SET, 0, path, "rule id too long");
	memcpy(id, rest, n);
	id[n] = '\0';
	struct cfg_node *rules, *entry;
	int rc = child_map(root, "rules", "rules", &rules, err);
	if (rc)
		return rc;
	if (!has_sub) {
		struct cfg_node *node = strcmp(value, "null") == 0
						? cfg_node_new(CFG_NULL, id, CFG_FILE_SET, 0)
						: cfg_scalar_new(id, value, strlen(value), CFG_FILE_SET, 0);
		return put_or_fail(rules, node, err);
	}
	entry = cfg_map_get_mut(rules, id);
	if (entry && entry->type != CFG_MAP) /* process.shell: off, then ...severity=low */
		config_free(cfg_map_take(rules, id));
	rc = child_map(rules, id, path, &entry, err);
	if (rc)
		return rc;
	return put_or_fail(entry, cfg_scalar_new("severity", value, strlen(value), CFG_FILE_SET, 0),
			   err);
}

int config_set(struct cfg_node *root, const char *assignment, struct cfg_error *err)
{
	if (!root || root->type != CFG_MAP || !assignment)
		return cfg_fail(err, -EINVAL, CFG_FILE_SET, 0, NULL, "no configuration to override");
	const char *eq = strchr(assignment, '=');
	char *path = eq ? strndup(assignment, (size_t)(eq - assignment)) : NULL;
	if (eq && !path)
		return cfg_fail(err, -ENOMEM, CFG_FILE_SET, 0, NULL, "out of memory");
	/* Blanks before '=' are a typo, not part of the key: "a.b = c". */
	if (path) {
		size_t n = strlen(path);
		while (n > 0 && isspace((unsigned char)path[n - 1]))
			path[--n] = '\0';
	}
	if (!path || !valid_key_path(path)) {
		free(path);
		return cfg_fail(err, -EINVAL, CFG_FILE_SET, 0, NULL,
				"bad assignment '%s': expected KEY=VALUE with a dotted key "
				"such as sandbox.network=host",
				assignment);
	}
	const char *value = eq + 1;
	if (strncmp(path, "rules.", 6) == 0) {
		int rrc = set_rule_override(root, path, value, err);
		free(path);
		return rrc;
	}
	struct cfg_node *map;
	const char *key;
	int rc = walk_to_parent(root, path, &map, &key, err);
	if (rc == 0) {
		bool plugin_itself = strncmp(path, "plugins.", 8) == 0 && !strchr(path + 8, '.');
		struct cfg_node *node;
		if (strcmp(value, "null") == 0 || (plugin_itself && value[0] == '\0'))
			node = cfg_node_new(CFG_NULL, key, CFG_FILE_SET, 0);
		else
			node = cfg_node_from_text(path, key, value, CFG_FILE_SET, 0);
		rc = put_or_fail(map, node, err);
	}
	free(path);
	return rc;
}

int config_set_list(struct cfg_node *root, const char *key, const char *const *items,
		    struct cfg_error *err)
{
	if (!root || root->type != CFG_MAP || !key || !items)
		return cfg_fail(err, -EINVAL, CFG_FILE_SET, 0, NULL, "no configuration to override");
	if (!valid_key_path(key))
		return cfg_fail(err, -EINVAL, CFG_FILE_SET, 0, NULL,
				"bad key '%s': expected a dotted key such as target.command", key);
	char *path = strdup(key);
	if (!path)
		return cfg_fail(err, -ENOMEM, CFG_FILE_SET, 0, NULL, "out of memory");
	struct cfg_node *map;
	const char *last;
	int rc = walk_to_parent(root, path, &map, &last, err);
	struct cfg_node *list = rc == 0 ? cfg_node_new(CFG_LIST, last, CFG_FILE_SET, 0) : NULL;
	if (rc == 0 && !list)
		rc = cfg_fail(err, -ENOMEM, CFG_FILE_SET, 0, NULL, "out of memory");
	for (size_t i = 0; rc == 0 && items[i]; i++) {
		struct cfg_node *item = cfg_scalar_new(NULL, items[i], strlen(items[i]),
						       CFG_FILE_SET, 0);
		if (!item || cfg_node_append(list, item) != 0) {
			config_free(item);
			rc = cfg_fail(err, -ENOMEM, CFG_FILE_SET, 0, NULL, "out of memory");
		}
	}
	if (rc == 0) {
		rc = put_or_fail(map, list, err);
		list = NULL;
	}
	config_free(list);
	free(path);
	return rc;
}

/*
 * config_model.c — the format-neutral tree: construction, lookup, merging,
 * and the read accessors the engine and plugins use.
 *
 * Equivalence rule (what makes a YAML file and its INI twin the same
 * config): a scalar and a one-item list are the same value, so
 * cfg_scalar() of a one-item list gives the item and cfg_list_strings() of
 * a scalar gives one item.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config_internal.h"

struct cfg_node *cfg_node_new(enum cfg_type type, const char *key, const char *file, int line)
{
	struct cfg_node *n = calloc(1, sizeof(*n));
	if (!n)
		return NULL;
	n->type = type;
	n->line = line;
	n->key = key ? strdup(key) : NULL;
	n->file = strdup(file ? file : "");
	if ((key && !n->key) || !n->file) {
		config_free(n);
		return NULL;
	}
	return n;
}

struct cfg_node *cfg_scalar_new(const char *key, const char *value, size_t len, const char *file,
				int line)
{
	struct cfg_node *n = cfg_node_new(CFG_SCALAR, key, file, line);
	if (!n)
		return NULL;
	n->value = strndup(value, len);
	if (!n->value) {
		config_free(n);
		return NULL;
	}
	return n;
}

int cfg_node_append(struct cfg_node *parent, struct cfg_node *child)
{
	struct cfg_node **grown = realloc(parent->children,
					  (parent->n_children + 1) * sizeof(*grown));
	if (!grown)
		return -ENOMEM;
	parent->children = grown;
	parent->children[parent->n_children++] = child;
	return 0;
}

struct cfg_node *cfg_map_get_mut(struct cfg_node *map, const char *key)
{
	if (!map || map->type != CFG_MAP || !key)
		return NULL;
	for (size_t i = 0; i < map->n_children; i++)
		if (strcmp(map->children[i]->key, key) == 0)
			return map->children[i];
	return NULL;
}

int cfg_map_put(struct cfg_node *map, struct cfg_node *child)
{
	for (size_t i = 0; i < map->n_children; i++) {
		if (strcmp(map->children[i]->key, child->key) == 0) {
			config_free(map->children[i]);
			map->children[i] = child;
			return 0;
		}
	}
	return cfg_node_append(map, child);
}

struct cfg_node *cfg_map_take(struct cfg_node *map, const char *key)
{
	if (!map || map->type != CFG_MAP)
		return NULL;
	for (size_t i = 0; i < map->n_children; i++) {
		struct cfg_node *c = map->children[i];
		if (strcmp(c->key, key) == 0) {
			memmove(&map->children[i], &map->children[i + 1],
				(map->n_children - i - 1) * sizeof(*map->children));
			map->n_children--;
			return c;
		}
	}
	return NULL;
}

int cfg_merge(struct cfg_node *dst, struct cfg_node *src)
{
	int rc = 0;
	for (size_t i = 0; i < src->n_children; i++) {
		struct cfg_node *s = src->children[i];
		struct cfg_node *d = cfg_map_get_mut(dst, s->key);
		if (rc == 0 && d && d->type == CFG_MAP && s->type == CFG_MAP) {
			src->children[i] = NULL;
			rc = cfg_merge(d, s);
		} else if (rc == 0) {
			rc = cfg_map_put(dst, s);
			if (rc == 0)
				src->children[i] = NULL;
		}
	}
	config_free(src);
	return rc;
}

void config_free(struct cfg_node *root)
{
	if (!root)
		return;
	for (size_t i = 0; i < root->n_children; i++)
		config_free(root->children[i]);
	free(root->children);
	free(root->key);
	free(root->value);
	free(root->file);
	free(root->list_cache);
	free(root->where_cache);
	free(root);
}

void cfg_strv_free(char **strv)
{
	if (!strv)
		return;
	for (char **p = strv; *p; p++)
		free(*p);
	free(strv);
}

int cfg_fail(struct cfg_error *err, int code, const char *file, int line, const char *key,
	     const char *fmt, ...)
{
	if (!err)
		return code;
	snprintf(err->file, sizeof(err->file), "%s", file ? file : "");
	err->line = line;
	snprintf(err->key, sizeof(err->key), "%s", key ? key : "");
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return code;
}

const char *cfg_error_format(const struct cfg_error *err, char *buf, size_t len)
{
	if (!buf || len == 0)
		return "";
	size_t used = 0;
	buf[0] = '\0';
#define CFG_APPEND(...)                                                            \
	do {                                                                       \
		if (used < len) {                                                  \
			int w = snprintf(buf + used, len - used, __VA_ARGS__);     \
			used = w < 0 ? len : used + (size_t)w;                     \
		}                                                                  \
	} while (0)
	if (err->file[0] && err->line > 0)
		CFG_APPEND("%s:%d: ", err->file, err->line);
	else if (err->file[0])
		CFG_APPEND("%s: ", err->file);
	if (err->key[0])
		CFG_APPEND("%s: ", err->key);
	CFG_APPEND("%s", err->msg[0] ? err->msg : "invalid configuration");
#undef CFG_APPEND
	return buf;
}

/* ---- read accessors ---------------------------------------------------- */

const struct cfg_node *cfg_map_get(const struct cfg_node *map, const char *key)
{
	return cfg_map_get_mut((struct cfg_node *)map, key);
}

const char *cfg_scalar(const struct cfg_node *node)
{
	if (!node)
		return NULL;
	if (node->type == CFG_SCALAR)
		return node->value;
	if (node->type == CFG_LIST && node->n_children == 1 &&
	    node->children[0]->type == CFG_SCALAR)
		return node->children[0]->value;
	return NULL;
}

size_t cfg_list_strings(const struct cfg_node *node, const char *const **items)
{
	/* The cache is derived data; building it does not change the value,
	 * which is why a const node may fill it. */
	struct cfg_node *n = (struct cfg_node *)node;
	if (items)
		*items = NULL;
	if (!n || (n->type != CFG_SCALAR && n->type != CFG_LIST))
		return 0;
	size_t count = n->type == CFG_SCALAR ? 1 : n->n_children;
	for (size_t i = 0; n->type == CFG_LIST && i < count; i++)
		if (n->children[i]->type != CFG_SCALAR)
			return 0;
	if (!n->list_cache) {
		const char **cache = calloc(count + 1, sizeof(*cache));
		if (!cache)
			return 0;
		for (size_t i = 0; i < count; i++)
			cache[i] = n->type == CFG_SCALAR ? n->value : n->children[i]->value;
		n->list_cache = cache;
	}
	if (items)
		*items = n->list_cache;
	return count;
}

const char *cfg_map_key_at(const struct cfg_node *map, size_t i)
{
	if (!map || map->type != CFG_MAP || i >= map->n_children)
		return NULL;
	return map->children[i]->key;
}

const char *cfg_where(const struct cfg_node *node)
{
	struct cfg_node *n = (struct cfg_node *)node;
	if (!n || !n->file || !n->file[0])
		return "<config>";
	if (!n->where_cache) {
		char *s = NULL;
		int rc = n->line > 0 ? asprintf(&s, "%s:%d", n->file, n->line)
				     : asprintf(&s, "%s", n->file);
		if (rc < 0)
			return n->file;
		n->where_cache = s;
	}
	return n->where_cache;
}

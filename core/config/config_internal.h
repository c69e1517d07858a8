/*
 * config_internal.h — what the files of core/config share and nobody else
 * needs: node construction, error filling, the two format front ends and
 * the rule that turns an INI or --set text into a model value.
 *
 * Front ends: cfg_ini_parse() (config_ini.c, the only user of inih) and
 * cfg_yaml_parse() (config_yaml.c, the only user of libyaml) each turn one
 * buffer into a root map tree.  They do not follow `extends`: the root may
 * keep an `extends` scalar, which config_load.c consumes.
 */
#ifndef DYNAUDIT_CONFIG_INTERNAL_H
#define DYNAUDIT_CONFIG_INTERNAL_H

#include "config/config.h"

/* Inputs larger than this are refused: a configuration is a few KiB. */
#define CFG_MAX_FILE_SIZE (1024 * 1024)
/* Maps/lists nested deeper than this are refused (stack safety). */
#define CFG_MAX_DEPTH 64
/* Nodes per file; bounds YAML alias expansion ("billion laughs"). */
#define CFG_MAX_NODES 10000

/* Where values given with --set and the embedded default come from. */
#define CFG_FILE_SET "--set"
#define CFG_FILE_DEFAULT "<embedded default>"

/* A new node with copies of key (may be NULL) and file; NULL on ENOMEM. */
struct cfg_node *cfg_node_new(enum cfg_type type, const char *key, const char *file, int line);
/* A new scalar holding a copy of the len bytes at value. */
struct cfg_node *cfg_scalar_new(const char *key, const char *value, size_t len, const char *file,
				int line);
/* Append child to a list or map (no duplicate check).  0 or -ENOMEM; on
 * failure child is NOT freed. */
int cfg_node_append(struct cfg_node *parent, struct cfg_node *child);
/* Put child into map under child->key, replacing (and freeing) an entry
 * with the same key in place, so the map keeps its first-set order.
 * 0 or -ENOMEM (child not freed). */
int cfg_map_put(struct cfg_node *map, struct cfg_node *child);
/* Remove the entry key from map and return it (caller frees), or NULL. */
struct cfg_node *cfg_map_take(struct cfg_node *map, const char *key);
/* Mutable child lookup. */
struct cfg_node *cfg_map_get_mut(struct cfg_node *map, const char *key);
/* Merge src into dst (both maps): maps merge key by key, everything else
 * replaces.  src is consumed (freed) in all cases.  0 or -ENOMEM. */
int cfg_merge(struct cfg_node *dst, struct cfg_node *src);

/* Fill err (may be NULL) and return code.  file/key may be NULL. */
int cfg_fail(struct cfg_error *err, int code, const char *file, int line, const char *key,
	     const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/*
 * The value a text gives at dotted key path when it comes from an INI file
 * or --set (formats without lists):
 *   - report.formats, plugin_path and every key under plugins.NAME. are
 *     "list-capable": an empty text is the empty list, a text with commas
 *     is a list of its trimmed, non-empty items, anything else a scalar;
 *   - every other key keeps the text as one scalar (target.command is split
 *     like a shell later, by the schema).
 * Returns the new node (key copied) or NULL on ENOMEM.
 */
struct cfg_node *cfg_node_from_text(const char *path, const char *key, const char *text,
				    const char *file, int line);

/* Format front ends.  text need not be NUL-terminated (len bytes); file is
 * the name used in nodes and errors.  On success *root is a map. */
int cfg_ini_parse(const char *text, size_t len, const char *file, struct cfg_node **root,
		  struct cfg_error *err);
int cfg_yaml_parse(const char *text, size_t len, const char *file, struct cfg_node **root,
		   struct cfg_error *err);

#endif /* DYNAUDIT_CONFIG_INTERNAL_H */

/*
 * config_yaml.c — the YAML front end (the only file that uses libyaml).
 *
 * libyaml's document API builds the node graph and reports syntax errors
 * with a position; this file copies that graph into cfg_node form and adds
 * what libyaml does not check: duplicate map keys, non-string keys, NUL
 * characters in strings, nesting depth and alias expansion size.
 *
 * Mapping of YAML onto the model: a plain `null`, `~` or empty value is
 * CFG_NULL; every other scalar is a string (quoted or not: the schema
 * decides what "60" or "true" means); sequences are lists; mappings maps.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <yaml.h>

#include "config/config_internal.h"

struct yaml_ctx {
	yaml_document_t *doc;
	const char *file;
	size_t nodes;   /* converted so far, against CFG_MAX_NODES */
	struct cfg_error *err;
};

static int line_of(const yaml_node_t *yn)
{
	return (int)yn->start_mark.line + 1;
}

static bool is_null_scalar(const yaml_node_t *yn)
{
	if (yn->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	const char *v = (const char *)yn->data.scalar.value;
	return v[0] == '\0' || strcmp(v, "~") == 0 || strcmp(v, "null") == 0 ||
	       strcmp(v, "Null") == 0 || strcmp(v, "NULL") == 0;
}

/* "parent.key" into buf (truncated; only used in messages). */
static void child_path(char *buf, size_t len, const char *parent, const char *key)
{
	snprintf(buf, len, "%s%s%s", parent, parent[0] ? "." : "", key);
}

static int convert(struct yaml_ctx *c, yaml_node_t *yn, const char *key, const char *path,
		   int depth, struct cfg_node **out);

static int convert_map(struct yaml_ctx *c, yaml_node_t *yn, struct cfg_node *map,
		       const char *path, int depth)
{
	for (yaml_node_pair_t *pair = yn->data.mapping.pairs.start;
	     pair < yn->data.mapping.pairs.top; pair++) {
		yaml_node_t *kn = yaml_document_get_node(c->doc, pair->key);
		yaml_node_t *vn = yaml_document_get_node(c->doc, pair->value);
		if (!kn || !vn)
			return cfg_fail(c->err, -EINVAL, c->file, line_of(yn), path,
					"malformed mapping");
		if (kn->type != YAML_SCALAR_NODE)
			return cfg_fail(c->err, -EINVAL, c->file, line_of(kn), path,
					"map keys must be strings");
		const char *k = (const char *)kn->data.scalar.value;
		char sub[256];
		child_path(sub, sizeof(sub), path, k);
		if (strlen(k) != kn->data.scalar.length)
			return cfg_fail(c->err, -EINVAL, c->file, line_of(kn), path,
					"NUL character in a key");
		if (k[0] == '\0')
			return cfg_fail(c->err, -EINVAL, c->file, line_of(kn), path, "empty key");
		const struct cfg_node *prev = cfg_map_get(map, k);
		if (prev)
			return cfg_fail(c->err, -EINVAL, c->file, line_of(kn), sub,
					"duplicate key (first set at line %d)", prev->line);
		struct cfg_node *child = NULL;
		int rc = convert(c, vn, k, sub, depth + 1, &child);
		if (rc != 0)
			return rc;
		/* A key's line is where the key is written, not its value. */
		child->line = line_of(kn);
		if (cfg_node_append(map, child) != 0) {
			config_free(child);
			return cfg_fail(c->err, -ENOMEM, c->file, 0, NULL, "out of memory");
		}
	}
	return 0;
}

static int convert(struct yaml_ctx *c, yaml_node_t *yn, const char *key, const char *path,
		   int depth, struct cfg_node **out)
{
	*out = NULL;
	if (depth > CFG_MAX_DEPTH)
		return cfg_fail(c->err, -EINVAL, c->file, line_of(yn), path,
				"nested deeper than %d levels", CFG_MAX_DEPTH);
	if (++c->nodes > CFG_MAX_NODES)
		return cfg_fail(c->err, -EINVAL, c->file, line_of(yn), path,
				"more than %d values (aliases count once per use)", CFG_MAX_NODES);

	struct cfg_node *n = NULL;
	int rc = 0;
	switch (yn->type) {
	case YAML_SCALAR_NODE:
		if (strlen((const char *)yn->data.scalar.value) != yn->data.scalar.length)
			return cfg_fail(c->err, -EINVAL, c->file, line_of(yn), path,
					"NUL character in a value");
		if (is_null_scalar(yn))
			n = cfg_node_new(CFG_NULL, key, c->file, line_of(yn));
		else
			n = cfg_scalar_new(key, (const char *)yn->data.scalar.value,
					   yn->data.scalar.length, c->file, line_of(yn));
		break;
	case YAML_SEQUENCE_NODE:
		n = cfg_node_new(CFG_LIST, key, c->file, line_of(yn));
		for (yaml_node_item_t *it = yn->data.sequence.items.start;
		     n && rc == 0 && it < yn->data.sequence.items.top; it++) {
			yaml_node_t *in = yaml_document_get_node(c->doc, *it);
			struct cfg_node *item = NULL;
			if (!in) {
				rc = cfg_fail(c->err, -EINVAL, c->file, line_of(yn), path,
					      "malformed list");
				break;
			}
			rc = convert(c, in, NULL, path, depth + 1, &item);
			if (rc == 0 && cfg_node_append(n, item) != 0) {
				config_free(item);
				rc = cfg_fail(c->err, -ENOMEM, c->file, 0, NULL, "out of memory");
			}
		}
		break;
	case YAML_MAPPING_NODE:
		n = cfg_node_new(CFG_MAP, key, c->file, line_of(yn));
		if (n)
			rc = convert_map(c, yn, n, path, depth);
		break;
	default:
		return cfg_fail(c->err, -EINVAL, c->file, line_of(yn), path, "empty node");
	}
	if (!n)
		return cfg_fail(c->err, -ENOMEM, c->file, 0, NULL, "out of memory");
	if (rc != 0) {
		config_free(n);
		return rc;
	}
	*out = n;
	return 0;
}

/*
 * libyaml's scanner rechecks every pending "simple key" for each token, so
 * deeply nested flow collections ("[[[[...") cost quadratic time: 100,000
 * brackets take seconds, a megabyte minutes.  Count flow nesting first
 * (skipping quoted strings and comments; approximate, erring towards
 * letting libyaml decide) and refuse what no configuration needs.
 * Returns the 1-based line where the limit is passed, or 0.
 */
static int flow_too_deep(const char *text, size_t len)
{
	int depth = 0, line = 1;
	for (size_t i = 0; i < len; i++) {
		char ch = text[i];
		if (ch == '\n') {
			line++;
		} else if (ch == '#' && (i == 0 || text[i - 1] == ' ' || text[i - 1] == '\t' ||
					 text[i - 1] == '\n')) {
			while (i + 1 < len && text[i + 1] != '\n')
				i++;
		} else if ((ch == '\'' || ch == '"') && depth > 0) {
			/* Inside flow context a quote always starts a quoted scalar. */
			while (i + 1 < len && text[i + 1] != ch) {
				if (text[i + 1] == '\n')
					line++;
				if (ch == '"' && text[i + 1] == '\\' && i + 2 < len)
					i++;
				i++;
			}
			i++;
		} else if (ch == '[' || ch == '{') {
			if (++depth > CFG_MAX_DEPTH)
				return line;
		} else if ((ch == ']' || ch == '}') && depth > 0) {
			depth--;
		}
	}
	return 0;
}

static int parser_error(const yaml_parser_t *p, const char *file, struct cfg_error *err)
{
	if (p->error == YAML_MEMORY_ERROR)
		return cfg_fail(err, -ENOMEM, file, 0, NULL, "out of memory");
	const char *problem = p->problem ? p->problem : "malformed YAML";
	if (p->context)
		return cfg_fail(err, -EINVAL, file, (int)p->problem_mark.line + 1, NULL,
				"YAML syntax error: %s (%s)", problem, p->context);
	return cfg_fail(err, -EINVAL, file, (int)p->problem_mark.line + 1, NULL,
			"YAML syntax error: %s", problem);
}

int cfg_yaml_parse(const char *text, size_t len, const char *file, struct cfg_node **root,
		   struct cfg_error *err)
{
	*root = NULL;
	int deep_line = flow_too_deep(text, len);
	if (deep_line)
		return cfg_fail(err, -EINVAL, file, deep_line, NULL,
				"'[' and '{' nested deeper than %d levels", CFG_MAX_DEPTH);
	yaml_parser_t parser;
	yaml_document_t doc;
	if (!yaml_parser_initialize(&parser))
		return cfg_fail(err, -ENOMEM, file, 0, NULL, "out of memory");
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);

	int rc = 0;
	if (!yaml_parser_load(&parser, &doc)) {
		rc = parser_error(&parser, file, err);
		yaml_parser_delete(&parser);
		return rc;
	}
	yaml_node_t *top = yaml_document_get_root_node(&doc);
	struct cfg_node *tree = NULL;
	if (!top) {
		/* An empty file is an empty configuration. */
		tree = cfg_node_new(CFG_MAP, NULL, file, 0);
		if (!tree)
			rc = cfg_fail(err, -ENOMEM, file, 0, NULL, "out of memory");
	} else if (top->type == YAML_SCALAR_NODE && is_null_scalar(top)) {
		tree = cfg_node_new(CFG_MAP, NULL, file, line_of(top));
		if (!tree)
			rc = cfg_fail(err, -ENOMEM, file, 0, NULL, "out of memory");
	} else if (top->type != YAML_MAPPING_NODE) {
		rc = cfg_fail(err, -EINVAL, file, line_of(top), NULL,
			      "the top level must be a map of keys (target:, sandbox:, ...)");
	} else {
		struct yaml_ctx c = {.doc = &doc, .file = file, .err = err};
		rc = convert(&c, top, NULL, "", 0, &tree);
	}

	if (rc == 0 && top) {
		/* One configuration per file: a second document is a mistake. */
		yaml_document_t next;
		if (!yaml_parser_load(&parser, &next)) {
			rc = parser_error(&parser, file, err);
		} else {
			yaml_node_t *extra = yaml_document_get_root_node(&next);
			if (extra)
				rc = cfg_fail(err, -EINVAL, file, line_of(extra), NULL,
					      "more than one YAML document ('---') in the file");
			yaml_document_delete(&next);
		}
	}
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	if (rc != 0) {
		config_free(tree);
		return rc;
	}
	*root = tree;
	return 0;
}

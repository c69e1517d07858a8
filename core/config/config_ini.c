/*
 * config_ini.c — the INI front end (the only file that uses inih).
 *
 * Layout: keys before the first section are top-level (extends,
 * plugin_path); [a.b] is the map at a.b; [plugin.NAME] is plugins.NAME and
 * [plugin.NAME.SUB] a sub-map of it.  Values are text; the rule in
 * cfg_node_from_text() turns list-capable ones into lists.
 *
 * Debian's inih is built without line numbers in the handler and does not
 * report section headers, so this file feeds inih through its own line
 * reader, which sees each line first: it counts lines (the handler's line
 * is the last one read), starts sections (so an empty [plugin.privilege]
 * still loads the plugin, and a repeated section is caught), reports
 * syntax errors at once, and refuses what inih would silently mangle:
 * lines longer than inih's buffer (it would split them), NUL bytes, and
 * indented lines after a key (continuation lines, glued onto the previous
 * value).
 *
 * Upstream inih's line buffer is 200 bytes; Debian's exports its size as
 * the variable ini_max_line (it sizes a stack array), so where the build
 * found that variable it is raised to CFG_INI_MAX_LINE during a parse.
 */
#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <stdlib.h>
#include <string.h>

#include "config/config_internal.h"
#include "core/config/config_ini_features.h"

/* Longest INI line accepted, where inih lets us choose. */
#define CFG_INI_MAX_LINE 4096

struct seen_section {
	char *name;
	int line;
};

struct ini_ctx {
	const char *text;
	size_t len;
	size_t pos;
	int lineno;            /* of the line most recently handed to inih */
	bool section_has_key;  /* a key was set since the last [section] */
	char last_key[256];    /* dotted path of that key */
	const char *file;
	struct cfg_node *root;
	struct cfg_node *section;   /* map receiving keys; root before [..] */
	char section_path[256];     /* dotted model path of section, "" at top */
	struct seen_section *seen;
	size_t n_seen;
	size_t entries;             /* keys + sections, against CFG_MAX_NODES */
	int rc;                     /* first error, 0 while fine */
	struct cfg_error *err;
};

/* "[name]" into buf, for cfg_error.key: text of the file goes there, never
 * into the message, so the loader can drop it for a file that may not be a
 * configuration at all (see config_load.c). */
static const char *bracketed(const char *name, char *buf, size_t len)
{
	snprintf(buf, len, "[%s]", name);
	return buf;
}

/* The model path of a section name: "plugin.x.y" -> "plugins.x.y". */
static int section_to_path(struct ini_ctx *c, const char *name, char *path, size_t len)
{
	char shown[260];
	if (!name[0] || name[0] == '.' || name[strlen(name) - 1] == '.' || strstr(name, ".."))
		return cfg_fail(c->err, -EINVAL, c->file, c->lineno, bracketed(name, shown, sizeof(shown)),
				"bad section name");
	if (strcmp(name, "plugin") == 0 || strcmp(name, "plugins") == 0)
		return cfg_fail(c->err, -EINVAL, c->file, c->lineno, NULL,
				"section [%s] needs a detector name: [plugin.NAME]", name);
	int w;
	if (strncmp(name, "plugin.", 7) == 0)
		w = snprintf(path, len, "plugins.%s", name + 7);
	else
		w = snprintf(path, len, "%s", name);
	if (w < 0 || (size_t)w >= len)
		return cfg_fail(c->err, -EINVAL, c->file, c->lineno, NULL, "section name too long");
	return 0;
}

/* Lookups are linear, so the number of entries is what bounds the time
 * a hostile file can cost. */
static int count_entry(struct ini_ctx *c)
{
	if (++c->entries > CFG_MAX_NODES)
		return cfg_fail(c->err, -EINVAL, c->file, c->lineno, NULL,
				"more than %d keys and sections", CFG_MAX_NODES);
	return 0;
}

static int begin_section(struct ini_ctx *c, const char *name)
{
	if (count_entry(c) != 0)
		return -EINVAL;
	for (size_t i = 0; i < c->n_seen; i++) {
		if (strcmp(c->seen[i].name, name) == 0) {
			bool plugin = strncmp(name, "plugin.", 7) == 0 && !strchr(name + 7, '.');
			char shown[260];
			return cfg_fail(c->err, -EINVAL, c->file, c->lineno,
					bracketed(name, shown, sizeof(shown)), "duplicate %s (first at line %d)",
					plugin ? "plugin section" : "section", c->seen[i].line);
		}
	}
	char path[256];
	int rc = section_to_path(c, name, path, sizeof(path));
	if (rc != 0)
		return rc;

	struct seen_section *grown = realloc(c->seen, (c->n_seen + 1) * sizeof(*grown));
	if (!grown)
		return cfg_fail(c->err, -ENOMEM, c->file, 0, NULL, "out of memory");
	c->seen = grown;
	c->seen[c->n_seen].name = strdup(name);
	if (!c->seen[c->n_seen].name)
		return cfg_fail(c->err, -ENOMEM, c->file, 0, NULL, "out of memory");
	c->seen[c->n_seen++].line = c->lineno;

	/* Walk/create the maps along the path. */
	struct cfg_node *map = c->root;
	char walk[256];
	snprintf(walk, sizeof(walk), "%s", path);
	char *seg = walk;
	for (;;) {
		char *dot = strchr(seg, '.');
		if (dot)
			*dot = '\0';
		struct cfg_node *next = cfg_map_get_mut(map, seg);
		if (next && next->type != CFG_MAP) {
			char shown[260];
			return cfg_fail(c->err, -EINVAL, c->file, c->lineno,
					bracketed(name, shown, sizeof(shown)),
					"section conflicts with the key set at %s", cfg_where(next));
		}
		if (!next) {
			next = cfg_node_new(CFG_MAP, seg, c->file, c->lineno);
			if (!next || cfg_node_append(map, next) != 0) {
				config_free(next);
				return cfg_fail(c->err, -ENOMEM, c->file, 0, NULL, "out of memory");
			}
		}
		map = next;
		if (!dot)
			break;
		seg = dot + 1;
	}
	c->section = map;
	snprintf(c->section_path, sizeof(c->section_path), "%s", path);
	return 0;
}

/* Where inih's find_chars_or_comment() would stop: at one of chars, or
 * at an inline ';' comment (a ';' after a blank). */
static char *find_or_comment(char *s, const char *chars)
{
	bool was_space = false;
	while (*s && !strchr(chars, *s) && !(was_space && *s == ';')) {
		was_space = isspace((unsigned char)*s);
		s++;
	}
	return s;
}

/*
 * Look at one raw line the way inih will, before it does: comments and
 * blank lines pass; an indented line after a key is a continuation line
 * to inih (refused); '[' starts a section header; anything else must be
 * "key = value" (or "key: value").
 */
static int scan_line(struct ini_ctx *c, char *line)
{
	char *s = line;
	if (c->lineno == 1 && strncmp(s, "\xEF\xBB\xBF", 3) == 0)
		s += 3;
	bool indented = *s == ' ' || *s == '\t';
	while (isspace((unsigned char)*s))
		s++;
	if (*s == '\0' || *s == ';' || *s == '#')
		return 0;
	if (indented && c->section_has_key)
		return cfg_fail(c->err, -EINVAL, c->file, c->lineno, c->last_key,
				"indented line continues the previous value; continuation lines "
				"are not supported (write a comma-separated list on one line)");
	if (*s != '[') {
		char *sep = find_or_comment(s, "=:");
		if (*sep != '=' && *sep != ':')
			return cfg_fail(c->err, -EINVAL, c->file, c->lineno, NULL,
					"INI syntax error: expected 'key = value', '[section]' or "
					"a comment");
		return 0;
	}
	char *name = s + 1;
	char *end = find_or_comment(name, "]");
	if (*end != ']')
		return cfg_fail(c->err, -EINVAL, c->file, c->lineno, NULL,
				"INI syntax error: section header without ']'");
	*end = '\0';
	while (isspace((unsigned char)*name))
		name++;
	size_t n = strlen(name);
	while (n > 0 && isspace((unsigned char)name[n - 1]))
		name[--n] = '\0';
	int rc = begin_section(c, name);
	*end = ']';
	c->section_has_key = false;
	return rc;
}

/* fgets-style reader over the buffer. */
static char *read_line(char *str, int num, void *stream)
{
	struct ini_ctx *c = stream;
	if (c->rc != 0 || c->pos >= c->len || num < 2)
		return NULL;
	const char *start = c->text + c->pos;
	const char *nl = memchr(start, '\n', c->len - c->pos);
	size_t n = nl ? (size_t)(nl - start) + 1 : c->len - c->pos;
	c->lineno++;
	if (memchr(start, '\0', n)) {
		c->rc = cfg_fail(c->err, -EINVAL, c->file, c->lineno, NULL, "NUL byte in the line");
		return NULL;
	}
	if (n > (size_t)num - 1) {
		c->rc = cfg_fail(c->err, -EINVAL, c->file, c->lineno, NULL,
				 "line too long (at most %d characters)", num - 2);
		return NULL;
	}
	memcpy(str, start, n);
	str[n] = '\0';
	c->pos += n;
	c->rc = scan_line(c, str);
	return c->rc == 0 ? str : NULL;
}

static int handle_pair(void *user, const char *section, const char *name, const char *value)
{
	struct ini_ctx *c = user;
	(void)section; /* the reader already tracked it, with its line */
	if (c->rc != 0)
		return 1;
	char path[512];
	snprintf(path, sizeof(path), "%s%s%s", c->section_path, c->section_path[0] ? "." : "",
		 name);
	if ((c->rc = count_entry(c)) != 0)
		return 1;
	if (!name[0]) {
		c->rc = cfg_fail(c->err, -EINVAL, c->file, c->lineno, NULL, "empty key before '='");
		return 1;
	}
	c->section_has_key = true;
	snprintf(c->last_key, sizeof(c->last_key), "%s", path);
	const struct cfg_node *prev = cfg_map_get(c->section, name);
	if (prev && prev->type == CFG_MAP) {
		c->rc = cfg_fail(c->err, -EINVAL, c->file, c->lineno, path,
				 "key conflicts with the section of the same name at line %d",
				 prev->line);
		return 1;
	}
	if (prev) {
		c->rc = cfg_fail(c->err, -EINVAL, c->file, c->lineno, path,
				 "duplicate key (first set at line %d)", prev->line);
		return 1;
	}
	struct cfg_node *n = cfg_node_from_text(path, name, value ? value : "", c->file, c->lineno);
	if (!n || cfg_node_append(c->section, n) != 0) {
		config_free(n);
		c->rc = cfg_fail(c->err, -ENOMEM, c->file, 0, NULL, "out of memory");
	}
	return 1;
}

int cfg_ini_parse(const char *text, size_t len, const char *file, struct cfg_node **root,
		  struct cfg_error *err)
{
	*root = NULL;
	struct ini_ctx c = {.text = text, .len = len, .file = file, .err = err};
	c.root = cfg_node_new(CFG_MAP, NULL, file, 0);
	if (!c.root)
		return cfg_fail(err, -ENOMEM, file, 0, NULL, "out of memory");
	c.section = c.root;

#if CFG_INIH_HAS_MAX_LINE_VAR
	int saved_max_line = ini_max_line;
	ini_max_line = CFG_INI_MAX_LINE;
#endif
	int ret = ini_parse_stream(read_line, &c, handle_pair, &c);
#if CFG_INIH_HAS_MAX_LINE_VAR
	ini_max_line = saved_max_line;
#endif
	int rc = c.rc;
	if (rc == 0 && ret > 0)
		rc = cfg_fail(err, -EINVAL, file, ret, NULL,
			      "INI syntax error: expected 'key = value', '[section]' or a comment");
	else if (rc == 0 && ret < 0)
		rc = cfg_fail(err, ret == -2 ? -ENOMEM : -EIO, file, 0, NULL, "cannot parse");

	for (size_t i = 0; i < c.n_seen; i++)
		free(c.seen[i].name);
	free(c.seen);
	if (rc != 0) {
		config_free(c.root);
		return rc;
	}
	*root = c.root;
	return 0;
}

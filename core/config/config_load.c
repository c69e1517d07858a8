/*
 * config_load.c — reading configuration files and following `extends`.
 *
 * A file is read whole (bounded by CFG_MAX_FILE_SIZE), handed to the
 * front end its name calls for, and, when its root has an `extends`
 * scalar, laid over the file it names (resolved against its own
 * directory, either format).  The chain of files being loaded is kept so
 * a cycle is reported instead of recursing forever.
 *
 * A file reached through `extends` may be anything the process can read
 * (`extends: /etc/shadow` in a submitted configuration, checked as root),
 * so its errors must not show its content: until it is known to be a
 * dynaudit configuration (it parsed, and every top-level key is one the
 * schema has), an error names its file and line and says what is wrong,
 * but no key or line text.  The front ends keep file text out of their
 * messages (names go in cfg_error.key only), so dropping the key is
 * enough.  The file given with -c is the caller's choice and reported in
 * full.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/config_internal.h"

#define MAX_EXTENDS_DEPTH 16

/* The files being loaded, outermost first. */
struct chain {
	const char *paths[MAX_EXTENDS_DEPTH];
	dev_t dev[MAX_EXTENDS_DEPTH];
	ino_t ino[MAX_EXTENDS_DEPTH];
	size_t depth;
};

/* Where an `extends` was written, for errors about the file it names. */
struct origin {
	const char *file;
	int line;
};

static int read_whole_file(int fd, char **text, size_t *len)
{
	size_t cap = 4096, used = 0;
	char *buf = malloc(cap);
	if (!buf)
		return -ENOMEM;
	for (;;) {
		if (used == cap) {
			if (cap > CFG_MAX_FILE_SIZE) {
				free(buf);
				return -EFBIG;
			}
			char *grown = realloc(buf, cap * 2);
			if (!grown) {
				free(buf);
				return -ENOMEM;
			}
			buf = grown;
			cap *= 2;
		}
		ssize_t n = read(fd, buf + used, cap - used);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;
			free(buf);
			return -e;
		}
		if (n == 0)
			break;
		used += (size_t)n;
	}
	if (used > CFG_MAX_FILE_SIZE) {
		free(buf);
		return -EFBIG;
	}
	*text = buf;
	*len = used;
	return 0;
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* INI when the name says so; for other names, when the first meaningful
 * line is a [section] or a `key = value` without a YAML colon first. */
static bool looks_like_ini(const char *path, const char *text, size_t len)
{
	if (has_suffix(path, ".ini") || has_suffix(path, ".conf"))
		return true;
	if (has_suffix(path, ".yaml") || has_suffix(path, ".yml"))
		return false;
	size_t i = 0;
	while (i < len) {
		while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' ||
				   text[i] == '\n'))
			i++;
		if (i >= len)
			return false;
		if (text[i] == '#' || text[i] == ';') {
			while (i < len && text[i] != '\n')
				i++;
			continue;
		}
		if (text[i] == '[')
			return true;
		for (; i < len && text[i] != '\n'; i++) {
			if (text[i] == ':')
				return false;
			if (text[i] == '=')
				return true;
		}
		return false;
	}
	return false;
}

/* dir of base joined with rel, or a copy of rel when it is absolute or
 * base has no directory part.  NULL on ENOMEM. */
static char *path_relative_to(const char *base, const char *rel)
{
	const char *slash = strrchr(base, '/');
	char *out = NULL;
	if (rel[0] == '/' || !slash)
		return strdup(rel);
	if (asprintf(&out, "%.*s/%s", (int)(slash - base), base, rel) < 0)
		return NULL;
	return out;
}

static int parse_buffer(const char *text, size_t len, const char *path, bool ini,
			struct cfg_node **root, struct cfg_error *err)
{
	return ini ? cfg_ini_parse(text, len, path, root, err)
		   : cfg_yaml_parse(text, len, path, root, err);
}

static int load_tree(const char *path, const struct origin *from, struct chain *chain,
		     struct cfg_node **out, struct cfg_error *err);

/* An error in a file an `extends` named, before it is known to be a
 * configuration: keep where and what, drop the key (file text), say who
 * pulled the file in. */
static int extended_file_error(int rc, const struct origin *from, struct cfg_error *err)
{
	if (!err)
		return rc;
	err->key[0] = '\0';
	size_t used = strlen(err->msg);
	snprintf(err->msg + used, sizeof(err->msg) - used, " (file extended at %s:%d)",
		 from->file, from->line);
	return rc;
}

/* Whether the schema has name at the top level: asked of the schema itself
 * (config_resolve), with a tree holding only that key, null ("the
 * default"), so nothing but the name can fail.  -ENOMEM or 0. */
static int schema_has_top_key(const char *name, bool *has)
{
	*has = true;
	if (strcmp(name, "extends") == 0)
		return 0;
	struct cfg_node *probe = cfg_node_new(CFG_MAP, NULL, "", 0);
	struct cfg_node *key = cfg_node_new(CFG_NULL, name, "", 1);
	if (!probe || !key || cfg_node_append(probe, key) != 0) {
		config_free(probe);
		config_free(key);
		return -ENOMEM;
	}
	struct audit_config cfg;
	struct cfg_error e = {.line = 0};
	int rc = config_resolve(probe, &cfg, &e);
	if (rc == 0)
		audit_config_free(&cfg);
	config_free(probe);
	if (rc == -ENOMEM)
		return rc;
	*has = !(rc != 0 && strcmp(e.key, name) == 0);
	return 0;
}

/* A file an `extends` named is a configuration when every top-level key
 * is one the schema has: a typo'd section of a real base is then reported
 * by line only, which is the price of never echoing another kind of file. */
static int check_is_config(const struct cfg_node *root, const char *path,
			   const struct origin *from, struct cfg_error *err)
{
	for (size_t i = 0; i < root->n_children; i++) {
		const struct cfg_node *c = root->children[i];
		bool has = true;
		if (schema_has_top_key(c->key, &has) != 0)
			return cfg_fail(err, -ENOMEM, path, 0, NULL, "out of memory");
		if (!has) {
			int rc = cfg_fail(err, -EINVAL, path, c->line, NULL,
					  "not a dynaudit configuration file: unknown top-level key "
					  "(name not shown)");
			return extended_file_error(rc, from, err);
		}
	}
	return 0;
}

/* If root has `extends`, replace *root by (base merged with root). */
static int apply_extends(const char *path, struct chain *chain, struct cfg_node **root,
			 struct cfg_error *err)
{
	struct cfg_node *ext = cfg_map_take(*root, "extends");
	if (!ext)
		return 0;
	int rc = 0;
	const char *rel = cfg_scalar(ext);
	struct cfg_node *base = NULL;
	if (ext->type != CFG_SCALAR || !rel || !rel[0]) {
		rc = cfg_fail(err, -EINVAL, ext->file, ext->line, "extends",
			      "expected the path of one configuration file");
		goto out;
	}
	char *base_path = path_relative_to(path, rel);
	if (!base_path) {
		rc = cfg_fail(err, -ENOMEM, path, 0, NULL, "out of memory");
		goto out;
	}
	struct origin from = {.file = ext->file, .line = ext->line};
	rc = load_tree(base_path, &from, chain, &base, err);
	free(base_path);
	if (rc != 0)
		goto out;
	/* The merged root stands for the extending file (audit_config.source). */
	char *tmp = base->file;
	base->file = (*root)->file;
	(*root)->file = tmp;
	rc = cfg_merge(base, *root);
	*root = base;
	if (rc != 0)
		rc = cfg_fail(err, rc, path, 0, NULL, "out of memory");
out:
	config_free(ext);
	return rc;
}

static int load_tree(const char *path, const struct origin *from, struct chain *chain,
		     struct cfg_node **out, struct cfg_error *err)
{
	*out = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		if (from)
			return cfg_fail(err, -e, from->file, from->line, "extends",
					"cannot read %s: %s", path, strerror(e));
		return cfg_fail(err, -e, path, 0, NULL, "cannot read the file: %s", strerror(e));
	}
	if (S_ISDIR(st.st_mode)) {
		close(fd);
		return cfg_fail(err, -EISDIR, from ? from->file : path, from ? from->line : 0,
				from ? "extends" : NULL, "%s is a directory, not a file", path);
	}
	for (size_t i = 0; i < chain->depth; i++) {
		if (chain->dev[i] == st.st_dev && chain->ino[i] == st.st_ino) {
			char loop[400] = "";
			size_t used = 0;
			for (size_t j = i; j < chain->depth && used < sizeof(loop); j++) {
				int w = snprintf(loop + used, sizeof(loop) - used, "%s -> ",
						 chain->paths[j]);
				used = w < 0 ? sizeof(loop) : used + (size_t)w;
			}
			close(fd);
			return cfg_fail(err, -EINVAL, from->file, from->line, "extends",
					"extends cycle: %s%s", loop, path);
		}
	}
	if (chain->depth == MAX_EXTENDS_DEPTH) {
		close(fd);
		return cfg_fail(err, -EINVAL, from->file, from->line, "extends",
				"more than %d levels of extends", MAX_EXTENDS_DEPTH);
	}

	char *text = NULL;
	size_t len = 0;
	int rc = read_whole_file(fd, &text, &len);
	close(fd);
	if (rc == -EFBIG)
		return cfg_fail(err, rc, path, 0, NULL, "file larger than %d bytes",
				CFG_MAX_FILE_SIZE);
	if (rc != 0)
		return cfg_fail(err, rc, path, 0, NULL, "cannot read the file: %s", strerror(-rc));

	struct cfg_node *root = NULL;
	rc = parse_buffer(text, len, path, looks_like_ini(path, text, len), &root, err);
	free(text);
	if (rc != 0)
		return from ? extended_file_error(rc, from, err) : rc;
	if (from && (rc = check_is_config(root, path, from, err)) != 0) {
		config_free(root);
		return rc;
	}

	chain->paths[chain->depth] = path;
	chain->dev[chain->depth] = st.st_dev;
	chain->ino[chain->depth] = st.st_ino;
	chain->depth++;
	rc = apply_extends(path, chain, &root, err);
	chain->depth--;
	if (rc != 0) {
		config_free(root);
		return rc;
	}
	*out = root;
	return 0;
}

int config_load_file(const char *path, struct cfg_node **root, struct cfg_error *err)
{
	if (!root)
		return -EINVAL;
	*root = NULL;
	if (!path || !path[0])
		return cfg_fail(err, -EINVAL, NULL, 0, NULL, "no configuration file named");
	struct chain chain = {.depth = 0};
	return load_tree(path, NULL, &chain, root, err);
}

int config_load_default(struct cfg_node **root, struct cfg_error *err)
{
	if (!root)
		return -EINVAL;
	int rc = cfg_yaml_parse(config_default_yaml, strlen(config_default_yaml), CFG_FILE_DEFAULT,
				root, err);
	if (rc == 0 && cfg_map_get(*root, "extends")) {
		config_free(*root);
		*root = NULL;
		rc = cfg_fail(err, -EINVAL, CFG_FILE_DEFAULT, 0, "extends",
			      "the embedded default cannot extend a file");
	}
	return rc;
}

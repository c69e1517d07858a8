/* helpers.c — see helpers.h. */
#include <criterion/criterion.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#endif

void assert_no_leaks(void)
{
#if defined(__SANITIZE_ADDRESS__)
	cr_assert_eq(__lsan_do_recoverable_leak_check(), 0, "memory leaked (see the report above)");
#endif
}

const char *src_path(const char *rel)
{
	static char buf[4][4096];
	static int next;
	char *out = buf[next++ % 4];
	snprintf(out, sizeof(buf[0]), "%s/%s", CONFIG_TEST_SRC, rel);
	return out;
}

void enter_fixtures(void)
{
	cr_assert_eq(chdir(src_path("tests/config/fixtures")), 0, "chdir fixtures: %s",
		     strerror(errno));
}

static char temp_dir[64];

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

static void remove_temp_dir(void)
{
	if (temp_dir[0])
		nftw(temp_dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

const char *make_temp_dir(void)
{
	if (!temp_dir[0]) {
		snprintf(temp_dir, sizeof(temp_dir), "/tmp/dynaudit-config-test-XXXXXX");
		cr_assert_not_null(mkdtemp(temp_dir));
		atexit(remove_temp_dir);
	}
	return temp_dir;
}

const char *write_temp(const char *name, const char *text)
{
	static char path[4][512];
	static int next;
	const char *dir = make_temp_dir();
	char *out = path[next++ % 4];
	snprintf(out, sizeof(path[0]), "%s/%s", dir, name);
	FILE *f = fopen(out, "w");
	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
	return out;
}

struct cfg_node *load_or_error(const char *path, char *msg, size_t len)
{
	struct cfg_node *root = NULL;
	struct cfg_error err;
	memset(&err, 0, sizeof(err));
	msg[0] = '\0';
	if (config_load_file(path, &root, &err) != 0) {
		cr_assert_null(root);
		cfg_error_format(&err, msg, len);
		return NULL;
	}
	return root;
}

const char *error_of(const char *path)
{
	static char msg[2048];
	struct cfg_node *root = load_or_error(path, msg, sizeof(msg));
	if (!root)
		return msg;
	struct audit_config cfg;
	struct cfg_error err;
	if (config_resolve(root, &cfg, &err) != 0)
		cfg_error_format(&err, msg, sizeof(msg));
	else
		audit_config_free(&cfg);
	config_free(root);
	return msg;
}

char *print_to_string(const struct cfg_node *root)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	cr_assert_not_null(f);
	config_print(root, f);
	fclose(f);
	return buf;
}

char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = NULL;
	size_t cap = 0, used = 0;
	for (;;) {
		if (used + 4096 + 1 > cap) {
			cap = (cap + 4096) * 2;
			char *grown = realloc(buf, cap);
			cr_assert_not_null(grown);
			buf = grown;
		}
		size_t n = fread(buf + used, 1, cap - used - 1, f);
		used += n;
		if (n == 0)
			break;
	}
	fclose(f);
	buf[used] = '\0';
	if (len)
		*len = used;
	return buf;
}

void must_resolve(const struct cfg_node *root, struct audit_config *c)
{
	struct cfg_error err;
	char msg[1024];
	int rc = config_resolve(root, c, &err);
	cr_assert_eq(rc, 0, "%s", cfg_error_format(&err, msg, sizeof(msg)));
}

void must_set(struct cfg_node *root, const char *assignment)
{
	struct cfg_error err;
	char msg[1024];
	int rc = config_set(root, assignment, &err);
	cr_assert_eq(rc, 0, "%s: %s", assignment, cfg_error_format(&err, msg, sizeof(msg)));
}

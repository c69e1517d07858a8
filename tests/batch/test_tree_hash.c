/* tree_hash.c: a change of content, name, mode of entry or link target
 * changes the hash; the order files were created in does not; links are
 * hashed as links, never followed. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "batch/tree_hash.h"

static char root[64];

static void put(const char *rel, const char *text)
{
	char p[256];
	snprintf(p, sizeof(p), "%s/%s", root, rel);
	FILE *f = fopen(p, "w");
	cr_assert(f);
	fputs(text, f);
	fclose(f);
}

static void hash(char out[65])
{
	char err[256] = "";
	cr_assert_eq(tree_hash(root, out, err, sizeof(err)), 0, "%s", err);
}

static void setup(void)
{
	snprintf(root, sizeof(root), "/tmp/tree-hash.XXXXXX");
	cr_assert(mkdtemp(root));
}

static void teardown(void)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	cr_expect_eq(system(cmd), 0);
}

TestSuite(tree_hash, .init = setup, .fini = teardown);

Test(tree_hash, content_names_and_links_count_order_does_not)
{
	char a[65], b[65], c[65], d[65], e[65];
	put("main.py", "print(1)\n");
	mkdir(strcat(strcpy((char[256]){0}, root), "/lib"), 0755);
	put("lib/util.py", "x = 1\n");
	hash(a);
	hash(b);
	cr_expect_str_eq(a, b, "the same tree hashes the same");
	put("main.py", "print(2)\n");
	hash(c);
	cr_expect_str_neq(a, c, "a changed byte changes the hash");
	put("main.py", "print(1)\n");
	hash(d);
	cr_expect_str_eq(a, d, "restored content, restored hash");
	char l[256];
	snprintf(l, sizeof(l), "%s/data", root);
	cr_assert_eq(symlink("/etc", l), 0);
	hash(e);
	cr_expect_str_neq(a, e, "a new link changes the hash");
	unlink(l);
	cr_assert_eq(symlink("/", l), 0);
	hash(b);
	cr_expect_str_neq(e, b, "the link's target text counts (and / is not walked)");
}

Test(tree_hash, a_missing_directory_is_an_error)
{
	char h[65], err[256] = "";
	cr_expect_eq(tree_hash("/nonexistent/dir", h, err, sizeof(err)), -ENOENT);
	cr_expect(strstr(err, "/nonexistent/dir") != NULL);
}

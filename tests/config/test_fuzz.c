/*
 * test_fuzz.c — hostile input for both front ends: every prefix of every
 * example and fixture file, byte mutations of them, random bytes and
 * random token soup (fixed seeds, so failures reproduce), plus the classic
 * bombs (deep nesting, alias expansion, huge lines).  Each input must give
 * success or an error with a message, never a crash; successes are also
 * resolved and printed.  Run under -Dsanitize=true for leaks and UB.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <ftw.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config/config_internal.h"
#include "helpers.h"

static FILE *devnull;
static size_t n_ok, n_err;

/* One input through one front end, then the rest of the pipeline. */
static void feed(bool ini, const char *text, size_t len)
{
	struct cfg_node *root = NULL;
	struct cfg_error err;
	memset(&err, 0x5a, sizeof(err)); /* garbage: the parser must fill it */
	int rc = ini ? cfg_ini_parse(text, len, "fuzz", &root, &err)
		     : cfg_yaml_parse(text, len, "fuzz", &root, &err);
	if (rc != 0) {
		cr_assert_lt(rc, 0);
		cr_assert_null(root);
		cr_assert_neq(err.msg[0], '\0', "an error without a message");
		cr_assert_not_null(memchr(err.msg, '\0', sizeof(err.msg)));
		char buf[1400];
		cfg_error_format(&err, buf, sizeof(buf));
		n_err++;
		return;
	}
	cr_assert_not_null(root);
	cr_assert_eq(root->type, CFG_MAP);
	n_ok++;
	struct audit_config c;
	if (config_resolve(root, &c, &err) == 0)
		audit_config_free(&c);
	config_print(root, devnull);
	config_set(root, "plugins.fuzz.key=a,b", &err);
	config_free(root);
}

static void feed_both(const char *text, size_t len)
{
	feed(false, text, len);
	feed(true, text, len);
}

/* ---- corpus: every config in the tree ---------------------------------- */

static char *corpus[128];
static size_t corpus_len[128];
static size_t n_corpus;

static int collect(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	size_t len = strlen(path);
	bool config = (len > 5 && strcmp(path + len - 5, ".yaml") == 0) ||
		      (len > 4 && strcmp(path + len - 4, ".ini") == 0);
	if (flag == FTW_F && config && n_corpus < 128) {
		corpus[n_corpus] = slurp(path, &corpus_len[n_corpus]);
		cr_assert_not_null(corpus[n_corpus]);
		n_corpus++;
	}
	return 0;
}

static void setup(void)
{
	devnull = fopen("/dev/null", "w");
	cr_assert_not_null(devnull);
	cr_assert_eq(nftw(src_path("configs"), collect, 16, FTW_PHYS), 0);
	cr_assert_eq(nftw(src_path("tests/config/fixtures"), collect, 16, FTW_PHYS), 0);
	cr_assert_geq(n_corpus, 20);
}

static void teardown(void)
{
	for (size_t i = 0; i < n_corpus; i++)
		free(corpus[i]);
	fclose(devnull);
}

TestSuite(fuzz, .init = setup, .fini = teardown, .timeout = 240);

Test(fuzz, every_prefix_of_every_example)
{
	for (size_t f = 0; f < n_corpus; f++) {
		for (size_t len = 0; len <= corpus_len[f]; len++) {
			/* An exact-size copy, so reading past len is caught by ASan. */
			char *copy = malloc(len ? len : 1);
			memcpy(copy, corpus[f], len);
			feed_both(copy, len);
			free(copy);
		}
	}
	cr_assert_gt(n_ok, 100);
	cr_assert_gt(n_err, 100);
	assert_no_leaks();
}

/* xorshift: small, seeded, the same everywhere. */
static uint32_t rng_state;
static uint32_t rnd(void)
{
	uint32_t x = rng_state;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return rng_state = x;
}

Test(fuzz, mutated_examples)
{
	rng_state = 0x1234567;
	for (int i = 0; i < 3000; i++) {
		size_t f = rnd() % n_corpus;
		size_t len = corpus_len[f];
		char *copy = malloc(len + 1);
		memcpy(copy, corpus[f], len);
		int edits = 1 + (int)(rnd() % 4);
		for (int e = 0; e < edits && len > 0; e++) {
			static const char interesting[] = "\0\n:[]{},=;#'\"\\-&*!|> \t.%@`";
			size_t at = rnd() % len;
			copy[at] = rnd() % 2 ? (char)rnd() : interesting[rnd() % (sizeof(interesting) - 1)];
		}
		feed_both(copy, len);
		free(copy);
	}
	assert_no_leaks();
}

Test(fuzz, random_bytes_and_token_soup)
{
	static const char *const tokens[] = {
		"target", "sandbox", "plugins", "plugin.x", "extends", "command", ":", ": ", "=",
		" = ", "\n", "\n  ", "  ", "[", "]", "{", "}", ",", "- ", "'", "\"", "&a ", "*a",
		"!!str ", "null", "~", "60", "2m", "64M", "true", "---\n", "...\n", "#", ";",
		"[target]\n", "[plugin.network]\n", "allow_connect", "127.0.0.1:1", "\\", "\t",
		"\xEF\xBB\xBF", "\xff", "? ", "|\n", ">\n", "%YAML 1.1\n", "\r\n",
	};
	rng_state = 0xC0FFEE;
	char buf[600];
	for (int i = 0; i < 4000; i++) {
		size_t len = 0;
		if (i % 2 == 0) {
			len = rnd() % sizeof(buf);
			for (size_t k = 0; k < len; k++)
				buf[k] = (char)rnd();
		} else {
			int n = (int)(rnd() % 60);
			for (int k = 0; k < n; k++) {
				const char *t = tokens[rnd() % (sizeof(tokens) / sizeof(tokens[0]))];
				size_t tl = strlen(t);
				if (len + tl > sizeof(buf))
					break;
				memcpy(buf + len, t, tl);
				len += tl;
			}
		}
		char *copy = malloc(len ? len : 1);
		memcpy(copy, buf, len);
		feed_both(copy, len);
		free(copy);
	}
	assert_no_leaks();
}

static char *repeat(const char *unit, size_t times, const char *tail)
{
	size_t ul = strlen(unit), tl = strlen(tail);
	char *s = malloc(ul * times + tl + 1);
	for (size_t i = 0; i < times; i++)
		memcpy(s + i * ul, unit, ul);
	memcpy(s + ul * times, tail, tl + 1);
	return s;
}

Test(fuzz, bombs_are_refused_cleanly)
{
	struct cfg_node *root = NULL;
	struct cfg_error err;

	char *deep = repeat("[", 100000, "");
	cr_assert_lt(cfg_yaml_parse(deep, strlen(deep), "deep", &root, &err), 0);
	free(deep);

	deep = repeat("{a: ", 2000, "");
	cr_assert_lt(cfg_yaml_parse(deep, strlen(deep), "deep", &root, &err), 0);
	free(deep);

	/* Well-formed but too deep: "a:\n a:\n  a:\n   ..." */
	size_t levels = CFG_MAX_DEPTH + 10, used = 0;
	deep = malloc(levels * (levels + 4) + 8);
	for (size_t i = 0; i < levels; i++) {
		memset(deep + used, ' ', i);
		used += i;
		memcpy(deep + used, "a:\n", 3);
		used += 3;
	}
	strcpy(deep + used - 1, " b\n");
	cr_assert_eq(cfg_yaml_parse(deep, strlen(deep), "deep", &root, &err), -EINVAL);
	cr_assert(strstr(err.msg, "nested deeper than"), "%s", err.msg);
	free(deep);

	const char *laughs = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
			     "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
			     "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
			     "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
			     "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
			     "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n";
	cr_assert_eq(cfg_yaml_parse(laughs, strlen(laughs), "laughs", &root, &err), -EINVAL);
	cr_assert(strstr(err.msg, "aliases count once per use"), "%s", err.msg);

	char *huge = repeat("x", 2 * 1024 * 1024, "");
	huge[0] = 'a';
	huge[1] = ':';
	huge[2] = ' ';
	cr_assert_eq(cfg_yaml_parse(huge, strlen(huge), "huge", &root, &err), 0,
		     "one huge value is still valid YAML");
	config_free(root);
	cr_assert_lt(cfg_ini_parse(huge, strlen(huge), "huge", &root, &err), 0);
	free(huge);

	char *many = malloc(CFG_MAX_NODES * 16);
	size_t used_many = 0;
	for (int i = 0; i <= CFG_MAX_NODES; i++)
		used_many += (size_t)sprintf(many + used_many, "[s%d]\n", i);
	cr_assert_eq(cfg_ini_parse(many, used_many, "many", &root, &err), -EINVAL);
	cr_assert(strstr(err.msg, "keys and sections"), "%s", err.msg);
	free(many);

	char *sections = repeat("[s]\n", 1000, "");
	cr_assert_eq(cfg_ini_parse(sections, strlen(sections), "many", &root, &err), -EINVAL);
	cr_assert(strstr(err.msg, "duplicate section"), "%s", err.msg);
	free(sections);
	assert_no_leaks();
}

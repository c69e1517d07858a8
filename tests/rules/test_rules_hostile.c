/*
 * test_rules_hostile.c — hostile rules files: deep nesting, huge files,
 * binary garbage, long tokens, alias bombs.  Each must be refused with a
 * positioned message (or load), never crash or hang.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

static int load(const char *text, size_t len, char *msg, size_t msglen)
{
	struct fixture fx;
	memset(&fx, 0, sizeof(fx));
	ruleset_init(&fx.rs, "rules");
	int rc = ruleset_load_text(&fx.rs, "h.yaml", text, len, &fx.err);
	snprintf(msg, msglen, "%s", fx.err.msg);
	ruleset_free(&fx.rs);
	return rc;
}

static char *rule_with(const char *cond)
{
	size_t n = strlen(cond) + 200;
	char *t = malloc(n);
	snprintf(t, n, "rules:\n  - id: r\n    severity: low\n    message: m\n    condition: \"%s\"\n", cond);
	return t;
}

Test(hostile, deep_parentheses)
{
	size_t depth = 5000;
	char *c = malloc(depth * 2 + 32);
	size_t i = 0;
	for (size_t d = 0; d < depth; d++)
		c[i++] = '(';
	memcpy(c + i, "pid = 1", 7);
	i += 7;
	for (size_t d = 0; d < depth; d++)
		c[i++] = ')';
	c[i] = '\0';
	char *t = rule_with(c);
	char msg[1024];
	cr_assert_eq(load(t, strlen(t), msg, sizeof(msg)), -EINVAL);
	cr_assert(strstr(msg, "nests deeper than 64"), "%s", msg);
	free(t);
	free(c);
}

Test(hostile, deep_not_chain_and_wide_and)
{
	char *c = malloc(40000);
	c[0] = '\0';
	for (int i = 0; i < 3000; i++)
		strcat(c, "not ");
	strcat(c, "pid = 1");
	char *t = rule_with(c);
	char msg[1024];
	cr_assert_eq(load(t, strlen(t), msg, sizeof(msg)), -EINVAL);
	cr_assert(strstr(msg, "nests deeper"), "%s", msg);
	free(t);
	/* 1000 tests joined by and: too many for one chain, refused cleanly */
	c[0] = '\0';
	for (int i = 0; i < 1000; i++)
		strcat(c, i ? " and pid = 1" : "pid = 1");
	t = rule_with(c);
	cr_assert_eq(load(t, strlen(t), msg, sizeof(msg)), -EINVAL);
	cr_assert(strstr(msg, "longer than") || strstr(msg, "too many 'and'"), "%s", msg);
	free(t);
	free(c);
}

Test(hostile, deep_yaml_nesting)
{
	size_t depth = 100000;
	char *t = malloc(depth * 2 + 16);
	size_t i = 0;
	memcpy(t, "rules: ", 7);
	i = 7;
	for (size_t d = 0; d < depth; d++)
		t[i++] = '[';
	for (size_t d = 0; d < depth; d++)
		t[i++] = ']';
	t[i] = '\0';
	char msg[1024];
	cr_assert_eq(load(t, i, msg, sizeof(msg)), -EINVAL);
	cr_assert(strstr(msg, "h.yaml:1:71: the YAML nests deeper than 64"), "%s", msg);
	free(t);
}

Test(hostile, huge_file)
{
	size_t n = RULES_MAX_FILE_BYTES + 10;
	char *t = malloc(n);
	memset(t, '#', n);
	char msg[1024];
	cr_assert_eq(load(t, n, msg, sizeof(msg)), -EINVAL);
	cr_assert(strstr(msg, "larger than"), "%s", msg);
	free(t);
}

Test(hostile, many_rules)
{
	size_t cap = 2000 * 100;
	char *t = malloc(cap);
	size_t used = (size_t)snprintf(t, cap, "rules:\n");
	for (int i = 0; i < 1100; i++)
		used += (size_t)snprintf(t + used, cap - used,
					 "  - {id: r%d, severity: low, message: m, condition: pid = %d}\n", i, i);
	char msg[1024];
	cr_assert_eq(load(t, used, msg, sizeof(msg)), -EINVAL);
	cr_assert(strstr(msg, "too many rules (at most 1024)"), "%s", msg);
	free(t);
}

Test(hostile, alias_bomb)
{
	const char *t =
		"lists:\n"
		"  a: &a [x, x, x, x, x, x, x, x, x, x]\n"
		"  b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
		"  c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
		"  d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
		"  e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
		"  f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
		"  g: [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n";
	char msg[1024];
	cr_assert_eq(load(t, strlen(t), msg, sizeof(msg)), -EINVAL);
	cr_assert(strstr(msg, "h.yaml:"), "%s", msg);
}

Test(hostile, binary_garbage)
{
	srand(12345);
	char buf[4096];
	char msg[1024];
	for (int round = 0; round < 300; round++) {
		size_t n = (size_t)(rand() % (int)sizeof(buf));
		for (size_t i = 0; i < n; i++)
			buf[i] = (char)(rand() % 256);
		int rc = load(buf, n, msg, sizeof(msg));
		cr_assert(rc == 0 || rc == -EINVAL, "round %d: %d", round, rc);
		if (rc == -EINVAL)
			cr_assert(strncmp(msg, "h.yaml:", 7) == 0, "round %d: %s", round, msg);
	}
}

Test(hostile, mutated_conditions)
{
	/* every prefix and every one-byte change of a valid condition either
	 * compiles or fails with a position */
	const char *good = "(kind = exec and name in (sh, bash)) or not (addr cidr 10.0.0.0/8 "
			   "and port >= 1024) and argv[1] glob \"-*\"";
	char cond[256], msg[1024];
	const char noise[] = "()=!<>,\"' a9[]*";
	for (size_t cut = 0; cut <= strlen(good); cut++)
		for (size_t k = 0; k < sizeof(noise); k++) {
			snprintf(cond, sizeof(cond), "%s", good);
			if (cut < strlen(good))
				cond[cut] = noise[k];
			char *t = malloc(600);
			snprintf(t, 600, "rules:\n  - id: r\n    severity: low\n    message: m\n"
				 "    condition: '%s'\n", cond);
			int rc = load(t, strlen(t), msg, sizeof(msg));
			cr_assert(rc == 0 || rc == -EINVAL);
			if (rc)
				cr_assert(strncmp(msg, "h.yaml:", 7) == 0, "%s -> %s", cond, msg);
			free(t);
		}
}

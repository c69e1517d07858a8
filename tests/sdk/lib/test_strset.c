/*
 * test_strset.c — the bounded string set of libdynaudit-sdk: adds, finds,
 * refuses past its bound, survives colliding keys.
 */
#include <criterion/criterion.h>
#include <stdio.h>

#include "dynaudit/strset.h"

Test(strset, add_has_and_the_bound)
{
	struct da_strset *s = da_strset_new(3);
	cr_assert_not_null(s);
	cr_expect_not(da_strset_has(s, "a"));
	cr_expect_eq(da_strset_add(s, "a"), 1);
	cr_expect_eq(da_strset_add(s, "a"), 0, "already there");
	cr_expect_eq(da_strset_add(s, "b"), 1);
	cr_expect_eq(da_strset_add(s, "c"), 1);
	cr_expect_eq(da_strset_add(s, "d"), -1, "full");
	cr_expect_eq(da_strset_add(s, "c"), 0, "a key stored before is still found when full");
	cr_expect(da_strset_has(s, "a") && da_strset_has(s, "b") && da_strset_has(s, "c"));
	cr_expect_not(da_strset_has(s, "d"));
	cr_expect_eq(da_strset_len(s), 3);
	da_strset_free(s);
	da_strset_free(NULL);
	cr_expect_null(da_strset_new(0));
}

Test(strset, many_keys)
{
	struct da_strset *s = da_strset_new(4096);
	char key[32];
	for (int i = 0; i < 4096; i++) {
		snprintf(key, sizeof(key), "/tmp/f%d", i);
		cr_assert_eq(da_strset_add(s, key), 1, "%s", key);
	}
	for (int i = 0; i < 4096; i++) {
		snprintf(key, sizeof(key), "/tmp/f%d", i);
		cr_assert(da_strset_has(s, key), "%s", key);
	}
	cr_expect_not(da_strset_has(s, "/tmp/f4096"));
	cr_expect_eq(da_strset_add(s, "/tmp/f4096"), -1);
	da_strset_free(s);
}

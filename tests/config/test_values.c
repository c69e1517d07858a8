/* test_values.c — the value parsers: durations, sizes, booleans, command
 * splitting. */
#include <criterion/criterion.h>
#include <errno.h>
#include <limits.h>

#include "helpers.h"

Test(values, durations_accept_documented_forms)
{
	static const struct { const char *text; double seconds; } ok[] = {
		{"60", 60}, {"90s", 90}, {"2m", 120}, {"1h", 3600}, {"500ms", 0.5},
		{" 1.5 ", 1.5}, {"0", 0}, {"0.25s", 0.25},
	};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		double s = -1;
		cr_assert_eq(cfg_parse_duration(ok[i].text, &s), 0, "'%s'", ok[i].text);
		cr_assert_float_eq(s, ok[i].seconds, 1e-9, "'%s' gave %g", ok[i].text, s);
	}
}

Test(values, durations_reject_garbage)
{
	static const char *const bad[] = {
		"", "abc", "-5", "5x", "1e3", "inf", "nan", "0x10", "s", "1 m", "1.2.3",
		"+3", "99999999999999999999999999999999999999999999999999999999999999999999"
		"99999999999999999999999999999999999999999999999999999999999999999999"
		"99999999999999999999999999999999999999999999999999999999999999999999"
		"99999999999999999999999999999999999999999999999999999999999999999999"
		"99999999999999999999999999999999999999999999999999999999999999999999h",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		double s = 42;
		cr_assert_eq(cfg_parse_duration(bad[i], &s), -EINVAL, "'%s' accepted", bad[i]);
		cr_assert_float_eq(s, 42, 0, "output touched on error for '%s'", bad[i]);
	}
}

Test(values, sizes)
{
	static const struct { const char *text; long long bytes; } ok[] = {
		{"1024", 1024}, {"512K", 512LL << 10}, {"64M", 64LL << 20}, {"1G", 1LL << 30},
		{"64m", 64LL << 20}, {"64MB", 64LL << 20}, {"64MiB", 64LL << 20}, {"0", 0},
		{"2T", 2LL << 40}, {" 8k ", 8LL << 10}, {"100B", 100},
	};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		long long b = -1;
		cr_assert_eq(cfg_parse_size(ok[i].text, &b), 0, "'%s'", ok[i].text);
		cr_assert_eq(b, ok[i].bytes, "'%s' gave %lld", ok[i].text, b);
	}
	static const char *const bad[] = {
		"", "M", "-1", "1.5G", "12Q", "1 G", "0x10", "99999999999999999999",
		"9223372036854775807K", "16777216T", "1GG",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		long long b = 7;
		cr_assert_eq(cfg_parse_size(bad[i], &b), -EINVAL, "'%s' accepted", bad[i]);
		cr_assert_eq(b, 7);
	}
}

Test(values, booleans)
{
	static const char *const yes[] = {"true", "TRUE", "yes", "on", "1", " True "};
	static const char *const no[] = {"false", "no", "Off", "0"};
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		bool b = false;
		cr_assert_eq(cfg_parse_bool(yes[i], &b), 0);
		cr_assert(b, "'%s'", yes[i]);
	}
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		bool b = true;
		cr_assert_eq(cfg_parse_bool(no[i], &b), 0);
		cr_assert(!b, "'%s'", no[i]);
	}
	static const char *const bad[] = {"", "2", "truee", "y", "enabled"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		bool b;
		cr_assert_eq(cfg_parse_bool(bad[i], &b), -EINVAL, "'%s' accepted", bad[i]);
	}
}

static void assert_split(const char *text, const char *const *expected)
{
	char **argv = NULL;
	cr_assert_eq(cfg_split_command(text, &argv), 0, "split '%s' failed", text);
	size_t i = 0;
	for (; expected[i]; i++) {
		cr_assert_not_null(argv[i], "'%s': word %zu missing", text, i);
		cr_assert_str_eq(argv[i], expected[i], "'%s': word %zu", text, i);
	}
	cr_assert_null(argv[i], "'%s': extra word '%s'", text, argv[i]);
	cfg_strv_free(argv);
}

Test(values, split_like_a_shell)
{
	assert_split("python3 server.py", (const char *const[]){"python3", "server.py", NULL});
	assert_split("  a\t b  ", (const char *const[]){"a", "b", NULL});
	assert_split("echo 'a b' \"c d\"", (const char *const[]){"echo", "a b", "c d", NULL});
	assert_split("a\\ b c", (const char *const[]){"a b", "c", NULL});
	assert_split("x'y'\"z\"", (const char *const[]){"xyz", NULL});
	assert_split("'' \"\"", (const char *const[]){"", "", NULL});
	assert_split("\"a \\\"q\\\" \\\\ \\n\"", (const char *const[]){"a \"q\" \\ \\n", NULL});
	assert_split("'no \\ escapes'", (const char *const[]){"no \\ escapes", NULL});
	assert_split("make -j\\\n2", (const char *const[]){"make", "-j2", NULL});
	assert_split("sh -c 'echo $HOME'", (const char *const[]){"sh", "-c", "echo $HOME", NULL});
	assert_split("", (const char *const[]){NULL});
	assert_split("   ", (const char *const[]){NULL});
}

Test(values, split_rejects_unterminated)
{
	static const char *const bad[] = {"'open", "\"open", "trailing\\", "a 'b\" c"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char **argv = (char **)1;
		cr_assert_eq(cfg_split_command(bad[i], &argv), -EINVAL, "'%s' accepted", bad[i]);
		cr_assert_null(argv);
	}
}

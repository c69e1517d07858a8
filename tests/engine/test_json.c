/*
 * test_json.c — the JSON writer and the strict, bounded reader: escaping
 * round trips byte for byte, and hostile input is an error, never a crash.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/json.h"

static char *write_string(const char *s)
{
	struct json_buf b = {0};
	json_buf_string(&b, s);
	cr_assert(!b.failed);
	return b.data;
}

/* Parse text that must be valid; return the value. */
static struct json_value *parse_ok(const char *text)
{
	struct json_value *v = NULL;
	char err[128];
	int rc = json_parse(text, strlen(text), &v, err, sizeof(err));
	cr_assert_eq(rc, 0, "%s: %s", text, err);
	return v;
}

static void expect_error(const char *text, size_t len, const char *needle)
{
	struct json_value *v = NULL;
	char err[128] = "";
	int rc = json_parse(text, len, &v, err, sizeof(err));
	cr_assert_lt(rc, 0, "accepted: %.80s", text);
	cr_assert_null(v);
	cr_assert(strncmp(err, "offset ", 7) == 0, "error without offset: %s", err);
	if (needle)
		cr_assert(strstr(err, needle), "'%s' lacks '%s'", err, needle);
}

Test(json_write, escapes_quotes_controls_and_keeps_utf8)
{
	char *s = write_string("a\"b\\c\n\t\x01 é €");
	cr_assert_str_eq(s, "\"a\\\"b\\\\c\\n\\t\\u0001 é €\"");
	free(s);
}

Test(json_write, invalid_utf8_bytes_become_u00xx)
{
	char *s = write_string("x\xff\xc3(\xe2\x82");
	cr_assert_str_eq(s, "\"x\\u00ff\\u00c3(\\u00e2\\u0082\"");
	free(s);
	/* overlong encoding of '/', and a UTF-16 surrogate encoded in UTF-8 */
	s = write_string("\xc0\xaf\xed\xa0\x80");
	cr_assert_str_eq(s, "\"\\u00c0\\u00af\\u00ed\\u00a0\\u0080\"");
	free(s);
}

Test(json_write, every_byte_round_trips)
{
	char in[256];
	for (int i = 1; i < 256; i++)
		in[i - 1] = (char)i;
	in[255] = '\0';
	char *text = write_string(in);
	struct json_value *v = parse_ok(text);
	cr_assert_eq(v->type, JSON_STRING);
	cr_assert_eq(v->string_len, 255);
	cr_assert(memcmp(v->string, in, 256) == 0);
	json_free(v);
	free(text);
}

Test(json_write, writer_places_commas_and_nesting)
{
	struct json_buf b = {0};
	struct json_writer w;
	jw_init(&w, &b, false);
	jw_begin_object(&w, NULL);
	jw_int(&w, "a", -3);
	jw_begin_array(&w, "l");
	jw_string(&w, NULL, "x");
	jw_null(&w, NULL);
	jw_bool(&w, NULL, true);
	jw_end_array(&w);
	jw_begin_object(&w, "e");
	jw_end_object(&w);
	jw_fixed(&w, "f", 1.23456, 3);
	jw_fixed(&w, "z", -0.0001, 3);
	jw_double(&w, "d", 0.1);
	jw_end_object(&w);
	cr_assert(!b.failed);
	cr_assert_str_eq(b.data, "{\"a\":-3,\"l\":[\"x\",null,true],\"e\":{},\"f\":1.235,\"z\":0.000,\"d\":0.1}");
	json_buf_free(&b);
}

Test(json_write, double_is_exact)
{
	double vals[] = {0.004512, 1.0 / 3.0, 1e-300, 123456789.123456789, -2.5};
	for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		struct json_buf b = {0};
		struct json_writer w;
		jw_init(&w, &b, false);
		jw_double(&w, NULL, vals[i]);
		struct json_value *v = parse_ok(b.data);
		cr_assert_eq(v->number, vals[i], "%s", b.data);
		json_free(v);
		json_buf_free(&b);
	}
}

/* The hand-written numbers (no printf on the events.jsonl path) print what
 * printf prints: integers at the limits, and clock readings as %.15g and
 * %.6f would, ties and out-of-range values left to printf (0 returned). */
Test(json_write, hand_numbers_equal_printf)
{
	char buf[64], want[64];
	int64_t ints[] = {0, 1, -1, 9, 10, -10, 123456789, INT64_MAX, INT64_MIN};
	for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
		size_t n = json_fmt_int(buf, ints[i]);
		snprintf(want, sizeof(want), "%lld", (long long)ints[i]);
		cr_assert_eq(n, strlen(want));
		cr_assert(memcmp(buf, want, n) == 0, "%s", want);
	}
	cr_assert_eq(json_fmt_uint(buf, UINT64_MAX), 20);
	srand(7);
	int fast = 0;
	for (int i = 0; i < 200000; i++) {
		/* whole ns of a run, as the clock gives them; sometimes a tie at
		 * the 6th decimal, sometimes a value that is not whole ns */
		uint64_t ns = ((uint64_t)rand() << 16 ^ (uint64_t)rand()) % 2000000000000ull;
		if (i % 7 == 0)
			ns = ns / 1000 * 1000 + 500;
		double v = (double)ns / 1e9;
		if (i % 11 == 0)
			v += 1e-13;
		for (int dec = 6; dec <= 9; dec += 3) {
			size_t n = json_fmt_ns_seconds(buf, v, dec);
			if (!n)
				continue;
			fast++;
			snprintf(want, sizeof(want), "%.*f", dec, v);
			cr_assert_eq(n, strlen(want), "%s", want);
			cr_assert(memcmp(buf, want, n) == 0, "%.*s != %s", (int)n, buf, want);
		}
		struct json_buf b = {0};
		struct json_writer w;
		jw_init(&w, &b, false);
		jw_double(&w, NULL, v);
		snprintf(want, sizeof(want), "%.15g", v);
		if (strtod(want, NULL) != v)
			snprintf(want, sizeof(want), "%.17g", v);
		cr_assert_str_eq(b.data, want);
		json_buf_free(&b);
	}
	cr_assert_gt(fast, 100000); /* the fast path is the common one */
	cr_assert_eq(json_fmt_ns_seconds(buf, 0.00001, 9), 0);   /* %.15g: 1e-05 */
	cr_assert_eq(json_fmt_ns_seconds(buf, 2e6, 9), 0);       /* too many digits */
	cr_assert_eq(json_fmt_ns_seconds(buf, -1.5, 9), 0);
	cr_assert_eq(json_fmt_ns_seconds(buf, 0.5, 3), 0);
}

Test(json_read, objects_arrays_numbers)
{
	struct json_value *v = parse_ok(" {\"a\":[1,-2.5e1,true,false,null],\"b\":{\"c\":\"\\u00e9\\u20ac\\ud83d\\ude00\"},"
					"\"big\":12345678901234567890,\"i\":-9223372036854775808} ");
	const struct json_value *a = json_get(v, "a");
	cr_assert_eq(a->type, JSON_ARRAY);
	cr_assert_eq(a->n_items, 5);
	cr_assert(a->items[0].is_int && a->items[0].integer == 1);
	cr_assert(!a->items[1].is_int && a->items[1].number == -25.0);
	cr_assert(a->items[2].boolean && !a->items[3].boolean && a->items[4].type == JSON_NULL);
	const struct json_value *c = json_get(json_get(v, "b"), "c");
	cr_assert_str_eq(c->string, "\xe9€😀"); /* \u00XX is the byte XX */
	const struct json_value *big = json_get(v, "big");
	cr_assert(!big->is_int && big->number > 1e19);
	cr_assert(json_get(v, "i")->is_int && json_get(v, "i")->integer == INT64_MIN);
	cr_assert_null(json_get(v, "missing"));
	cr_assert_null(json_get(a, "a"));
	json_free(v);
}

Test(json_read, rejects_malformed)
{
	const char *bad[][2] = {
		{"", "value expected"},
		{"{", "member name"},
		{"{\"a\"", "':'"},
		{"{\"a\":", "value expected"},
		{"{\"a\":1", "unterminated object"},
		{"{\"a\":1,}", "member name"},
		{"[1,]", "unexpected character"},
		{"[1 2]", "expected ','"},
		{"\"abc", "unterminated string"},
		{"\"a\\x\"", "bad escape"},
		{"\"\\u12zz\"", "hex"},
		{"\"\\u12", "truncated"},
		{"\"\\ud800\"", "surrogate"},
		{"\"\\udc00\"", "surrogate"},
		{"\"a\nb\"", "control character"},
		{"01", "leading zero"},
		{"1.", "digit expected"},
		{"1e", "digit expected"},
		{"-", "bad number"},
		{"+1", "unexpected character"},
		{"1e999", "out of range"},
		{"-1e400", "out of range"},
		{"tru", "unknown literal"},
		{"nul", "unknown literal"},
		{"NaN", "unexpected character"},
		{"{} {}", "trailing"},
		{"{\"a\":1,\"a\":2}", "duplicate"},
		{"{\"a\\u0000\":1}", "NUL in member name"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_error(bad[i][0], strlen(bad[i][0]), bad[i][1]);
	/* A NUL byte inside the buffer is not the end of the input. */
	expect_error("{\"a\":1}\0garbage", 15, "trailing");
}

Test(json_read, depth_is_limited)
{
	size_t n = 100000;
	char *deep = malloc(2 * n + 1);
	memset(deep, '[', n);
	memset(deep + n, ']', n);
	deep[2 * n] = '\0';
	expect_error(deep, 2 * n, "nested deeper");
	/* exactly the limit is fine */
	size_t k = JSON_MAX_DEPTH;
	memset(deep, '[', k);
	memset(deep + k, ']', k);
	struct json_value *v = NULL;
	char err[128];
	cr_assert_eq(json_parse(deep, 2 * k, &v, err, sizeof(err)), 0, "%s", err);
	json_free(v);
	free(deep);
}

Test(json_read, huge_number_text)
{
	size_t n = 5000;
	char *s = malloc(n + 1);
	memset(s, '9', n);
	s[n] = '\0';
	expect_error(s, n, "too long");
	free(s);
}

/* Fixed-seed fuzzing: random bytes from a JSON-heavy alphabet, and random
 * mutations (byte flips, truncation) of a valid document.  Only outcomes
 * that matter: never a crash or leak (ASan build), and 0 <=> a value. */
Test(json_read, random_input_never_crashes)
{
	static const char alphabet[] = "{}[]:,\"\\ ut0123456789.-+eEfalsnr\x01\xff\xc3\xa9";
	const char *valid = "{\"seq\":1,\"t\":0.5,\"kind\":\"exec\",\"argv\":[\"a\",\"b\\u00ff\"],"
			    "\"arg\":[1,2,3,4],\"x\":{\"y\":[true,false,null,-1.5e-3]}}";
	unsigned seed = 12345;
	char buf[256];
	int accepted = 0;
	for (int iter = 0; iter < 20000; iter++) {
		size_t len;
		if (iter % 2) {
			len = (size_t)(rand_r(&seed) % 64);
			for (size_t i = 0; i < len; i++)
				buf[i] = alphabet[rand_r(&seed) % (sizeof(alphabet) - 1)];
		} else {
			len = strlen(valid);
			memcpy(buf, valid, len);
			int flips = 1 + rand_r(&seed) % 4;
			for (int f = 0; f < flips; f++)
				buf[rand_r(&seed) % len] = alphabet[rand_r(&seed) % (sizeof(alphabet) - 1)];
			if (rand_r(&seed) % 3 == 0)
				len = (size_t)(rand_r(&seed) % (int)len);
		}
		struct json_value *v = NULL;
		char err[128];
		int rc = json_parse(buf, len, &v, err, sizeof(err));
		cr_assert((rc == 0) == (v != NULL));
		accepted += rc == 0;
		json_free(v);
	}
	/* Sanity: the mutation loop does produce some valid documents. */
	cr_assert_gt(accepted, 0);
}

/* json_fmt_fixed: exactly printf's "%.*f" whenever it answers, and it
 * answers for times computed from microseconds (a hair off the decimal). */
Test(json_write, fixed_matches_printf)
{
	char buf[32], want[64];
	uint64_t x = 88172645463325252ull;
	size_t fast = 0, total = 0;
	for (int i = 0; i < 300000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		double v;
		switch (i % 4) {
		case 0: v = (double)(x % 1000000000000ull) / 1e6; break;        /* us / 1e6 */
		case 1: v = (double)(x % 100000000ull) * 1e-6 + 0.000001 * (double)(x % 7); break;
		case 2: v = (double)(x % 2000000000ull) / 1e9 + 1e-7 * 5; break; /* ties and near-ties */
		default: v = (double)(x >> 11) / (double)(1ull << 53) * 1e6; break;
		}
		for (int dec = 1; dec <= 9; dec++) {
			size_t n = json_fmt_fixed(buf, v, dec);
			total++;
			if (!n)
				continue;
			fast++;
			snprintf(want, sizeof(want), "%.*f", dec, v);
			cr_assert_eq(n, strlen(want), "%.17g/%d: %.*s != %s", v, dec, (int)n, buf, want);
			cr_assert(memcmp(buf, want, n) == 0, "%.17g/%d: %.*s != %s", v, dec, (int)n, buf, want);
		}
		/* a time from whole microseconds prints with 6 decimals */
		double t = (double)(x % 1000000000000ull) / 1e6;
		cr_assert_neq(json_fmt_fixed(buf, t, 6), 0, "%.17g", t);
	}
	cr_assert_gt(fast, total / 2);
	cr_assert_eq(json_fmt_fixed(buf, 0.5, 0), 0);
	cr_assert_eq(json_fmt_fixed(buf, 0.5, 10), 0);
	cr_assert_eq(json_fmt_fixed(buf, 1e6, 6), 0);
	cr_assert_eq(json_fmt_fixed(buf, -0.0, 6), 0);       /* printf: "-0.000000" */
	cr_assert_eq(json_fmt_fixed(buf, -1.5, 6), 0);
	cr_assert_eq(json_fmt_fixed(buf, 0.0000005, 6), 0);  /* a tie: printf decides */
	cr_assert_eq(json_fmt_fixed(buf, NAN, 6), 0);
	size_t n = json_fmt_fixed(buf, 0.0, 3);
	cr_assert(n == 5 && memcmp(buf, "0.000", 5) == 0);
}

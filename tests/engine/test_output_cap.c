/*
 * test_output_cap.c — the caps on the output files (output_cap.c) and the
 * bound on one string of an event (event_text_shorten, event_json_format),
 * and that a replay sees a cut events.jsonl as cut.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/bus.h"
#include "engine/event_json.h"
#include "engine/json.h"
#include "engine/output_cap.h"

/* ---- helpers ----------------------------------------------------------- */

struct capture {
	FILE *f;
	char *data;
	size_t len;
};

static void cap_open(struct capture *c)
{
	memset(c, 0, sizeof(*c));
	c->f = tmpfile();
	cr_assert_not_null(c->f);
}

/* The whole file, NUL-terminated. */
static void cap_read(struct capture *c)
{
	fflush(c->f);
	long n = ftell(c->f);
	cr_assert_geq(n, 0);
	c->data = malloc((size_t)n + 1);
	rewind(c->f);
	cr_assert_eq(fread(c->data, 1, (size_t)n, c->f), (size_t)n);
	c->data[n] = '\0';
	c->len = (size_t)n;
	fclose(c->f);
}

static size_t count_of(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

static size_t marker(void *ctx, enum output_cap_mark m, const struct output_cap_stats *st, char *buf,
		     size_t len)
{
	(void)ctx;
	if (m == OUTPUT_CAP_MARK_BEGIN)
		return (size_t)snprintf(buf, len, "BEGIN first=%llu\n", (unsigned long long)st->first_cut_line);
	if (m == OUTPUT_CAP_MARK_TAIL)
		return (size_t)snprintf(buf, len, "TAIL cut=%llu\n", (unsigned long long)st->lines_cut);
	if (!st->lines_cut)
		return 0;
	return (size_t)snprintf(buf, len, "END cut=%llu of %llu\n", (unsigned long long)st->lines_cut,
				(unsigned long long)st->lines);
}

/* Line i: "line 000123 <class letter> xxxx...\n", exactly 100 bytes. */
static size_t make_line(char *buf, unsigned long i, char cls)
{
	int n = snprintf(buf, 128, "line %06lu %c ", i, cls);
	memset(buf + n, 'x', (size_t)(99 - n));
	buf[99] = '\n';
	buf[100] = '\0';
	return 100;
}

/* Line numbers appear in increasing order (nothing reordered). */
static void assert_in_order(const char *data)
{
	long last = -1;
	for (const char *p = data; (p = strstr(p, "line ")); p += 5) {
		long n = strtol(p + 5, NULL, 10);
		cr_assert_gt(n, last, "line %ld after %ld", n, last);
		last = n;
	}
}

/* ---- caps -------------------------------------------------------------- */

Test(output_cap, under_the_cap_everything_verbatim_no_marker)
{
	struct capture c;
	cap_open(&c);
	struct output_cap *oc = output_cap_new(c.f, 64 << 10, marker, NULL);
	char line[128];
	for (unsigned long i = 0; i < 200; i++)
		cr_assert_eq(output_cap_write(oc, line, make_line(line, i, 'r'), OUTPUT_CAP_ROUTINE, 10), 0);
	cr_assert_eq(output_cap_finish(oc), 0);
	cr_assert_not(output_cap_cut(oc));
	const struct output_cap_stats *st = output_cap_stats(oc);
	cr_assert_eq(st->lines, 200);
	cr_assert_eq(st->lines_cut, 0);
	cap_read(&c);
	cr_assert_eq(c.len, 200 * 100);
	cr_assert_eq(count_of(c.data, "BEGIN"), 0);
	cr_assert_eq(count_of(c.data, "line "), 200);
	assert_in_order(c.data);
	output_cap_free(oc);
	free(c.data);
}

/* Past head + tail (5/8 of the cap), but the tail ring still holds the
 * rest: nothing is left out, so the file is not cut. */
Test(output_cap, head_and_ring_are_complete)
{
	struct capture c;
	cap_open(&c);
	uint64_t cap = 64 << 10;
	struct output_cap *oc = output_cap_new(c.f, cap, marker, NULL);
	char line[128];
	/* 64K less 8K for markers: a head of 28K (286 lines), a ring of 7K
	 * (66 lines of 100 bytes + an 8-byte header) */
	unsigned long n = 330;
	for (unsigned long i = 0; i < n; i++)
		output_cap_write(oc, line, make_line(line, i, 'r'), OUTPUT_CAP_ROUTINE, 10);
	output_cap_finish(oc);
	cr_assert_not(output_cap_cut(oc));
	cap_read(&c);
	cr_assert_eq(count_of(c.data, "line "), n);
	cr_assert_eq(count_of(c.data, "BEGIN"), 0);
	output_cap_free(oc);
	free(c.data);
}

Test(output_cap, flood_keeps_head_tail_and_key_lines_within_the_cap)
{
	struct capture c;
	cap_open(&c);
	uint64_t cap = 64 << 10;
	struct output_cap *oc = output_cap_new(c.f, cap, marker, NULL);
	char line[128];
	const unsigned long total = 100000, key_at = 50000, late_key = 99000;
	for (unsigned long i = 0; i < total; i++) {
		bool key = i == key_at || i == late_key;
		make_line(line, i, key ? 'K' : 'r');
		output_cap_write(oc, line, 100, key ? OUTPUT_CAP_KEY : OUTPUT_CAP_ROUTINE, key ? 11 : 10);
	}
	output_cap_finish(oc);
	const struct output_cap_stats *st = output_cap_stats(oc);
	cr_assert(output_cap_cut(oc));
	cap_read(&c);
	cr_assert_leq(c.len, cap, "file of %zu bytes over its cap", c.len);
	cr_assert_eq(st->written, c.len);
	/* every line is either in the file or counted as left out */
	cr_assert_eq(count_of(c.data, "line "), total - st->lines_cut);
	cr_assert_eq(st->cut_by_tag[10], st->lines_cut);
	cr_assert_eq(st->cut_by_tag[11], 0);
	cr_assert_eq(st->bytes_cut, st->lines_cut * 100);
	/* head, the finding's lines, the tail */
	cr_assert_not_null(strstr(c.data, "line 000000 r"));
	cr_assert_not_null(strstr(c.data, "line 050000 K"));
	cr_assert_not_null(strstr(c.data, "line 099000 K"));
	cr_assert_not_null(strstr(c.data, "line 099999 r"));
	/* markers once each, in order, BEGIN right after the head */
	cr_assert_eq(count_of(c.data, "BEGIN"), 1);
	cr_assert_eq(count_of(c.data, "TAIL"), 1);
	cr_assert_eq(count_of(c.data, "END"), 1);
	const char *b = strstr(c.data, "BEGIN"), *t = strstr(c.data, "TAIL"), *e = strstr(c.data, "END");
	cr_assert(b < strstr(c.data, "line 050000") && strstr(c.data, "line 050000") < t && t < e);
	cr_assert_gt(st->first_cut_line, 200);
	char want[64];
	snprintf(want, sizeof(want), "line %06llu", (unsigned long long)(st->first_cut_line - 2));
	cr_assert(strstr(c.data, want) && strstr(c.data, want) < b, "the line before the first cut is in the head");
	assert_in_order(c.data);
	output_cap_free(oc);
	free(c.data);
}

/* A flood of lines that all look rare cannot crowd out a later finding:
 * rare lines get two thirds of the selection, KEY lines all of it. */
Test(output_cap, rare_lines_leave_room_for_key_lines)
{
	struct capture c;
	cap_open(&c);
	uint64_t cap = 64 << 10;
	struct output_cap *oc = output_cap_new(c.f, cap, marker, NULL);
	char line[128];
	for (unsigned long i = 0; i < 20000; i++) {
		bool key = i == 19000;
		make_line(line, i, key ? 'K' : 'R');
		output_cap_write(oc, line, 100, key ? OUTPUT_CAP_KEY : OUTPUT_CAP_RARE, 12);
	}
	output_cap_finish(oc);
	cap_read(&c);
	cr_assert_leq(c.len, cap);
	cr_assert_not_null(strstr(c.data, "line 019000 K"), "a late finding's line was crowded out");
	cr_assert_gt(output_cap_stats(oc)->lines_cut, 0);
	assert_in_order(c.data);
	output_cap_free(oc);
	free(c.data);
}

/* A line longer than the tail ring settles at once, in order. */
Test(output_cap, line_longer_than_the_ring)
{
	struct capture c;
	cap_open(&c);
	uint64_t cap = 64 << 10;
	struct output_cap *oc = output_cap_new(c.f, cap, marker, NULL);
	char line[128];
	static char big[20000];
	for (unsigned long i = 0; i < 2000; i++)
		output_cap_write(oc, line, make_line(line, i, 'r'), OUTPUT_CAP_ROUTINE, 10);
	int n = snprintf(big, sizeof(big), "line %06d B ", 2000);
	memset(big + n, 'b', sizeof(big) - (size_t)n - 1);
	big[sizeof(big) - 1] = '\n';
	output_cap_write(oc, big, sizeof(big), OUTPUT_CAP_KEY, 13);
	for (unsigned long i = 2001; i < 2100; i++)
		output_cap_write(oc, line, make_line(line, i, 'r'), OUTPUT_CAP_ROUTINE, 10);
	output_cap_finish(oc);
	cap_read(&c);
	cr_assert_leq(c.len, cap);
	cr_assert_not_null(strstr(c.data, "line 002000 B"));
	cr_assert_not_null(strstr(c.data, "line 002099 r"));
	assert_in_order(c.data);
	output_cap_free(oc);
	free(c.data);
}

Test(output_cap, writes_after_finish_are_ignored)
{
	struct capture c;
	cap_open(&c);
	struct output_cap *oc = output_cap_new(c.f, 64 << 10, marker, NULL);
	output_cap_write(oc, "a\n", 2, OUTPUT_CAP_ROUTINE, 1);
	output_cap_finish(oc);
	output_cap_write(oc, "b\n", 2, OUTPUT_CAP_ROUTINE, 1);
	cr_assert_eq(output_cap_finish(oc), 0);
	cap_read(&c);
	cr_assert_str_eq(c.data, "a\n");
	output_cap_free(oc);
	free(c.data);
}

/* ---- one string of an event -------------------------------------------- */

Test(text_bound, short_strings_are_left_alone)
{
	char buf[1200];
	const char *s = "/home/auditor/app/server.py";
	cr_assert_eq(event_text_shorten(s, 1024, buf, sizeof(buf)), s);
	cr_assert_eq(event_text_shorten(s, 0, buf, sizeof(buf)), s);
	cr_assert_null(event_text_shorten(NULL, 1024, buf, sizeof(buf)));
}

Test(text_bound, a_4000_byte_path_keeps_its_head_tail_and_length)
{
	static char path[4001], buf[1200];
	memcpy(path, "/tmp/", 5);
	for (size_t i = 5; i < 4000; i++)
		path[i] = (char)('a' + i % 26);
	memcpy(path + 4000 - 12, "/etc/shadow!", 12);
	path[4000] = '\0';
	const char *out = event_text_shorten(path, 1024, buf, sizeof(buf));
	cr_assert_eq(out, buf);
	size_t len = strlen(out);
	cr_assert_leq(len, 1024);
	cr_assert_gt(len, 900);
	const char *m = strstr(out, "[...dynaudit cut ");
	cr_assert_not_null(m);
	unsigned long cut = 0, whole = 0;
	cr_assert_eq(sscanf(m, "[...dynaudit cut %lu of %lu bytes...]", &cut, &whole), 2);
	cr_assert_eq(whole, 4000);
	const char *end = strstr(m, "...]") + 4;
	size_t head = (size_t)(m - out), tail = strlen(end);
	cr_assert_eq(head + cut + tail, 4000, "head %zu + cut %lu + tail %zu", head, cut, tail);
	cr_assert_eq(memcmp(out, path, head), 0);
	cr_assert_str_eq(end, path + 4000 - tail);
	cr_assert_not_null(strstr(end, "/etc/shadow!"), "the end of the path stays");
}

Test(text_bound, utf8_sequences_are_never_split)
{
	/* 2000 x "é" (2 bytes): any odd cut would split one */
	static char s[4001], buf[400];
	for (size_t i = 0; i < 4000; i += 2) {
		s[i] = (char)0xC3;
		s[i + 1] = (char)0xA9;
	}
	s[4000] = '\0';
	for (size_t max = 128; max < 140; max++) {
		const char *out = event_text_shorten(s, max, buf, sizeof(buf));
		cr_assert_leq(strlen(out), max);
		for (const char *p = out; *p;) {
			size_t n = json_utf8_seq_len(p);
			if (*p == '[') {
				p = strstr(p, "...]") + 4;
				continue;
			}
			cr_assert_eq(n, 2, "split UTF-8 sequence at offset %td (max %zu)", p - out, max);
			p += n;
		}
	}
}

Test(text_bound, event_json_format_bounds_every_string_but_output_lines)
{
	static char longpath[4001], longline[3001];
	memset(longpath, 'p', 4000);
	longpath[0] = '/';
	memset(longline, 'o', 3000);
	struct da_event ev;
	da_event_init(&ev, DA_EV_FILE_OPEN);
	ev.syscall = "openat";
	ev.path = longpath;
	ev.raw_path = longpath;
	const char *argv[] = {"ls", longpath};
	ev.argv = argv;
	ev.argc = 2;
	ev.text = longpath;
	struct json_buf b = {0};
	uint64_t shortened = 0;
	cr_assert_eq(event_json_format(&b, &ev, 1024, &shortened), 0);
	cr_assert_eq(shortened, 4);
	cr_assert_lt(b.len, 5 * 1024);
	cr_assert_eq(count_of(b.data, "[...dynaudit cut "), 4);
	cr_assert_eq(count_of(b.data, " of 4000 bytes...]"), 4);
	json_buf_free(&b);

	da_event_init(&ev, DA_EV_OUTPUT);
	ev.fd = 1;
	ev.detail = longline;
	shortened = 0;
	cr_assert_eq(event_json_format(&b, &ev, 1024, &shortened), 0);
	cr_assert_eq(shortened, 0, "an output line is bounded by the capture, not again");
	cr_assert_not_null(strstr(b.data, longline));
	json_buf_free(&b);

	/* no bound: byte for byte what event_json_write always wrote */
	da_event_init(&ev, DA_EV_FILE_OPEN);
	ev.path = longpath;
	cr_assert_eq(event_json_format(&b, &ev, 0, NULL), 0);
	cr_assert_not_null(strstr(b.data, longpath));
	json_buf_free(&b);
}

/* ---- replay of a cut events.jsonl -------------------------------------- */

static int count_events(void *ctx, const struct da_event *ev)
{
	(void)ev;
	(*(int *)ctx)++;
	return 0;
}

Test(text_bound, replay_reports_the_cut_records)
{
	char path[] = "/tmp/test_output_cap.XXXXXX";
	int fd = mkstemp(path);
	cr_assert_geq(fd, 0);
	const char *text =
		"{\"dynaudit_events\":1,\"version\":\"x\"}\n"
		"{\"seq\":1,\"t\":0.1,\"kind\":\"open\",\"pid\":2,\"path\":\"/etc/shadow\"}\n"
		"{\"dynaudit_cut\":\"begin\",\"file\":\"events.jsonl\",\"cap\":65536}\n"
		"{\"seq\":9,\"t\":0.2,\"kind\":\"open\",\"pid\":2,\"path\":\"/tmp/x\"}\n"
		"{\"dynaudit_cut\":\"tail\"}\n"
		"{\"dynaudit_cut\":\"end\",\"events\":9,\"left_out\":7,\"left_out_by_kind\":{\"open\":6,"
		"\"stat\":1},\"strings_shortened\":3}\n";
	cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	struct bus *bus = bus_new();
	int n = 0;
	bus_subscribe(bus, NULL, count_events, &n);
	struct events_replay_result res;
	char err[256];
	cr_assert_eq(source_events_replay(path, bus, &res, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(n, 2);
	cr_assert_eq(res.warnings, 0, "cut records are not malformed events: %s", res.first_warning);
	cr_assert(res.cut);
	cr_assert_eq(res.cut_events, 7);
	cr_assert_eq(res.cut_strings, 3);
	cr_assert_str_eq(res.cut_kinds, "open 6, stat 1");
	bus_free(bus);
	unlink(path);
}

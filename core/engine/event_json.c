/*
 * event_json.c — events.jsonl writer and replay source.  See event_json.h.
 *
 * Every member of struct da_event has one JSON member (struct_size is the
 * reader's own; seq is written for people and re-assigned by bus_publish on
 * replay).  Members at their "nothing" value (0, NULL, -1 for fds) are left
 * out, so the reader starts from da_event_init() and only sets what it
 * finds.  Unknown members are ignored so that a newer dynaudit's file (with
 * members appended to struct da_event) still replays; a known member of
 * the wrong type makes the line a counted warning.
 */
#include "engine/event_json.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "engine/json.h"

/* ======================================================================
 * Writing
 * ==================================================================== */

/* Strings longer than a bound (report.limits.text) are shortened on the
 * way out; the event on the bus keeps them whole. */
struct bound {
	size_t max;          /* 0: no bound */
	uint64_t shortened;
};

const char *event_text_shorten(const char *s, size_t max, char *buf, size_t buflen)
{
	size_t len = s ? strlen(s) : 0;
	if (!s || !max || len <= max || buflen <= max)
		return s;
	char marker[96];
	int m = snprintf(marker, sizeof(marker), "[...dynaudit cut %zu of %zu bytes...]", len, len);
	size_t avail = max > (size_t)m ? max - (size_t)m : 0;
	size_t head = avail * 3 / 4, tail = avail - head;
	/* whole UTF-8 sequences only: the head ends and the tail starts on
	 * the first byte of one */
	while (head > 0 && ((unsigned char)s[head] & 0xC0) == 0x80)
		head--;
	size_t from = len - tail;
	while (from < len && ((unsigned char)s[from] & 0xC0) == 0x80)
		from++;
	m = snprintf(marker, sizeof(marker), "[...dynaudit cut %zu of %zu bytes...]", from - head, len);
	size_t n = head;
	memcpy(buf, s, head);
	size_t mlen = (size_t)m < buflen - n - 1 ? (size_t)m : buflen - n - 1;
	memcpy(buf + n, marker, mlen);
	n += mlen;
	size_t tlen = len - from < buflen - n - 1 ? len - from : buflen - n - 1;
	memcpy(buf + n, s + from, tlen);
	n += tlen;
	buf[n] = '\0';
	return buf;
}

static void put_text(struct json_writer *w, const char *key, const char *s, struct bound *bd)
{
	if (!bd->max || strlen(s) <= bd->max) {
		jw_string(w, key, s);
		return;
	}
	char *buf = malloc(bd->max + 128);
	if (!buf) {
		w->buf->failed = true;
		return;
	}
	jw_string(w, key, event_text_shorten(s, bd->max, buf, bd->max + 128));
	bd->shortened++;
	free(buf);
}

static void put_str(struct json_writer *w, const char *key, const char *s, struct bound *bd)
{
	if (s)
		put_text(w, key, s, bd);
}

static void put_int(struct json_writer *w, const char *key, int64_t v)
{
	if (v)
		jw_int(w, key, v);
}

static void put_fd(struct json_writer *w, const char *key, int32_t fd)
{
	if (fd != -1)
		jw_int(w, key, fd);
}

static int write_line(FILE *out, struct json_buf *b)
{
	json_buf_putc(b, '\n');
	if (b->failed) {
		json_buf_free(b);
		return -ENOMEM;
	}
	bool ok = fwrite(b->data, 1, b->len, out) == b->len;
	json_buf_free(b);
	return ok ? 0 : -EIO;
}

int event_json_format(struct json_buf *b, const struct da_event *ev, size_t text_max,
		      uint64_t *shortened)
{
	struct bound bd = {.max = text_max};
	struct json_writer w;
	jw_init(&w, b, false);
	jw_begin_object(&w, NULL);
	jw_uint(&w, "seq", ev->seq);
	jw_double(&w, "t", ev->time_s);
	const char *kind = da_event_kind_name(ev->kind);
	if (kind)
		jw_string(&w, "kind", kind);
	else
		jw_uint(&w, "kind", ev->kind); /* a kind this build has no name for */
	put_int(&w, "pid", ev->pid);
	put_int(&w, "tid", ev->tid);
	put_int(&w, "ppid", ev->ppid);
	put_int(&w, "target_pid", ev->target_pid);
	put_str(&w, "syscall", ev->syscall, &bd);
	put_int(&w, "result", ev->result);
	put_int(&w, "err", ev->err);
	put_str(&w, "errname", ev->errname, &bd);
	put_str(&w, "path", ev->path, &bd);
	put_str(&w, "path2", ev->path2, &bd);
	put_str(&w, "raw_path", ev->raw_path, &bd);
	put_fd(&w, "fd", ev->fd);
	put_fd(&w, "target_fd", ev->target_fd);
	put_str(&w, "fd_desc", ev->fd_desc, &bd);
	put_int(&w, "flags", ev->flags);
	put_int(&w, "mode", ev->mode);
	put_int(&w, "access", ev->access);
	put_int(&w, "family", ev->family);
	put_int(&w, "sock_type", ev->sock_type);
	put_int(&w, "protocol", ev->protocol);
	put_str(&w, "addr", ev->addr, &bd);
	put_int(&w, "port", ev->port);
	if (ev->argc > 0 && ev->argv) {
		jw_begin_array(&w, "argv");
		for (int32_t i = 0; i < ev->argc; i++) {
			if (ev->argv[i])
				put_text(&w, NULL, ev->argv[i], &bd);
			else
				jw_null(&w, NULL);
		}
		jw_end_array(&w);
	} else {
		put_int(&w, "argc", ev->argc); /* a count without strings */
	}
	if (ev->stdio[0] || ev->stdio[1] || ev->stdio[2]) {
		jw_begin_array(&w, "stdio");
		for (int i = 0; i < 3; i++) {
			if (ev->stdio[i])
				put_text(&w, NULL, ev->stdio[i], &bd);
			else
				jw_null(&w, NULL);
		}
		jw_end_array(&w);
	}
	if (ev->arg[0] || ev->arg[1] || ev->arg[2] || ev->arg[3]) {
		jw_begin_array(&w, "arg");
		for (int i = 0; i < 4; i++)
			jw_int(&w, NULL, ev->arg[i]);
		jw_end_array(&w);
	}
	/* An output line is already bounded by the capture (its line_max);
	 * shortening it again would only cut tracebacks. */
	if (ev->kind == DA_EV_OUTPUT && ev->detail)
		jw_string(&w, "detail", ev->detail);
	else
		put_str(&w, "detail", ev->detail, &bd);
	put_str(&w, "loader_env", ev->loader_env, &bd);
	put_str(&w, "phase", ev->phase, &bd);
	put_str(&w, "text", ev->text, &bd);
	jw_end_object(&w);
	json_buf_putc(b, '\n');
	if (shortened)
		*shortened += bd.shortened;
	return b->failed ? -ENOMEM : 0;
}

int event_json_write(FILE *out, const struct da_event *ev)
{
	struct json_buf b = {0};
	int rc = event_json_format(&b, ev, 0, NULL);
	bool ok = rc == 0 && fwrite(b.data, 1, b.len, out) == b.len;
	json_buf_free(&b);
	return rc < 0 ? rc : ok ? 0 : -EIO;
}

int event_json_write_header(FILE *out, const char *version, double window_s)
{
	struct json_buf b = {0};
	struct json_writer w;
	jw_init(&w, &b, false);
	jw_begin_object(&w, NULL);
	jw_int(&w, "dynaudit_events", 1);
	jw_string(&w, "version", version ? version : "");
	if (window_s > 0)
		jw_double(&w, "window_s", window_s);
	jw_end_object(&w);
	return write_line(out, &b);
}

/* ======================================================================
 * Reading
 * ==================================================================== */

/* Longest line read; longer lines are skipped as counted warnings. */
#define EVENTS_MAX_LINE (1024 * 1024)
/* Most argv strings kept from one line (a bound, not a limit of the format). */
#define EVENTS_MAX_ARGV 65536

struct decode {
	const struct json_value *obj;
	char why[160]; /* first problem */
};

static bool bad(struct decode *d, const char *key, const char *what)
{
	if (!d->why[0])
		snprintf(d->why, sizeof(d->why), "member \"%s\": %s", key, what);
	return false;
}

static bool get_str(struct decode *d, const char *key, const char **out)
{
	const struct json_value *v = json_get(d->obj, key);
	if (!v || v->type == JSON_NULL)
		return true;
	if (v->type != JSON_STRING)
		return bad(d, key, "string expected");
	if (strlen(v->string) != v->string_len)
		return bad(d, key, "contains a NUL byte");
	*out = v->string;
	return true;
}

static bool get_i64(struct decode *d, const char *key, int64_t lo, int64_t hi, int64_t *out)
{
	const struct json_value *v = json_get(d->obj, key);
	if (!v)
		return true;
	if (v->type != JSON_NUMBER || !v->is_int)
		return bad(d, key, "integer expected");
	if (v->integer < lo || v->integer > hi)
		return bad(d, key, "out of range");
	*out = v->integer;
	return true;
}

static bool get_i32(struct decode *d, const char *key, int32_t *out)
{
	int64_t v = *out;
	if (!get_i64(d, key, INT32_MIN, INT32_MAX, &v))
		return false;
	*out = (int32_t)v;
	return true;
}

static bool get_u32(struct decode *d, const char *key, uint32_t *out)
{
	int64_t v = *out;
	if (!get_i64(d, key, 0, UINT32_MAX, &v))
		return false;
	*out = (uint32_t)v;
	return true;
}

/* Rebuild the event from one parsed line.  Strings point into the parsed
 * value; *argv_out is a malloc'd array the caller frees. */
static bool decode_event(struct decode *d, struct da_event *ev, const char ***argv_out)
{
	const struct json_value *v;
	da_event_init(ev, DA_EV_NONE);
	*argv_out = NULL;
	if (d->obj->type != JSON_OBJECT)
		return bad(d, "(line)", "object expected");

	v = json_get(d->obj, "kind");
	if (!v)
		return bad(d, "kind", "missing");
	if (v->type == JSON_STRING) {
		ev->kind = da_event_kind_from_name(v->string);
		if (ev->kind == DA_EV_NONE)
			return bad(d, "kind", "unknown event kind");
	} else if (v->type == JSON_NUMBER && v->is_int && v->integer > 0 && v->integer < DA_EV_KIND_MAX) {
		ev->kind = (uint32_t)v->integer;
	} else {
		return bad(d, "kind", "unknown event kind");
	}

	v = json_get(d->obj, "t");
	if (v && v->type != JSON_NULL) {
		if (v->type != JSON_NUMBER)
			return bad(d, "t", "number expected");
		ev->time_s = v->number;
	}
	int64_t seq = 0;
	bool ok = get_i64(d, "seq", 0, INT64_MAX, &seq) &&
		  get_i32(d, "pid", &ev->pid) && get_i32(d, "tid", &ev->tid) &&
		  get_i32(d, "ppid", &ev->ppid) && get_i32(d, "target_pid", &ev->target_pid) &&
		  get_str(d, "syscall", &ev->syscall) &&
		  get_i64(d, "result", INT64_MIN, INT64_MAX, &ev->result) &&
		  get_i32(d, "err", &ev->err) && get_str(d, "errname", &ev->errname) &&
		  get_str(d, "path", &ev->path) && get_str(d, "path2", &ev->path2) &&
		  get_str(d, "raw_path", &ev->raw_path) && get_i32(d, "fd", &ev->fd) &&
		  get_i32(d, "target_fd", &ev->target_fd) && get_str(d, "fd_desc", &ev->fd_desc) &&
		  get_i64(d, "flags", INT64_MIN, INT64_MAX, &ev->flags) &&
		  get_i64(d, "mode", INT64_MIN, INT64_MAX, &ev->mode) &&
		  get_u32(d, "access", &ev->access) && get_i32(d, "family", &ev->family) &&
		  get_i32(d, "sock_type", &ev->sock_type) && get_i32(d, "protocol", &ev->protocol) &&
		  get_str(d, "addr", &ev->addr) && get_i32(d, "port", &ev->port) &&
		  get_i32(d, "argc", &ev->argc) && get_str(d, "detail", &ev->detail) &&
		  get_str(d, "loader_env", &ev->loader_env) &&
		  get_str(d, "phase", &ev->phase) && get_str(d, "text", &ev->text);
	if (!ok)
		return false;
	ev->seq = (uint64_t)seq;

	v = json_get(d->obj, "argv");
	if (v && v->type != JSON_NULL) {
		if (v->type != JSON_ARRAY)
			return bad(d, "argv", "array expected");
		if (v->n_items > EVENTS_MAX_ARGV)
			return bad(d, "argv", "too many strings");
		if (v->n_items > 0) {
			const char **argv = calloc(v->n_items + 1, sizeof(*argv));
			if (!argv)
				return bad(d, "argv", "out of memory");
			for (size_t i = 0; i < v->n_items; i++) {
				const struct json_value *s = &v->items[i];
				if (s->type == JSON_NULL)
					continue;
				if (s->type != JSON_STRING || strlen(s->string) != s->string_len) {
					free(argv);
					return bad(d, "argv", "strings expected");
				}
				argv[i] = s->string;
			}
			*argv_out = argv;
			ev->argv = argv;
		}
		ev->argc = (int32_t)v->n_items;
	}

	v = json_get(d->obj, "stdio");
	if (v && v->type != JSON_NULL) {
		if (v->type != JSON_ARRAY || v->n_items != 3)
			return bad(d, "stdio", "array of 3 expected");
		for (int i = 0; i < 3; i++) {
			const struct json_value *s = &v->items[i];
			if (s->type == JSON_NULL)
				continue;
			if (s->type != JSON_STRING || strlen(s->string) != s->string_len)
				return bad(d, "stdio", "strings expected");
			ev->stdio[i] = s->string;
		}
	}

	v = json_get(d->obj, "arg");
	if (v && v->type != JSON_NULL) {
		if (v->type != JSON_ARRAY || v->n_items > 4)
			return bad(d, "arg", "array of at most 4 integers expected");
		for (size_t i = 0; i < v->n_items; i++) {
			if (v->items[i].type != JSON_NUMBER || !v->items[i].is_int)
				return bad(d, "arg", "integers expected");
			ev->arg[i] = v->items[i].integer;
		}
	}
	return true;
}

/* Read one line into *line (grown up to EVENTS_MAX_LINE).  Returns 1 with
 * the line (without '\n'), 2 for a line that was too long (consumed and
 * dropped), 0 at end of file, -errno on a read error. */
static int read_line(FILE *in, char **line, size_t *cap, size_t *len)
{
	size_t n = 0;
	bool too_long = false;
	int c;
	bool any = false;
	while ((c = getc_unlocked(in)) != EOF) { /* one thread reads */
		any = true;
		if (c == '\n')
			break;
		if (too_long)
			continue;
		if (n >= EVENTS_MAX_LINE) {
			too_long = true;
			continue;
		}
		if (n + 1 >= *cap) {
			size_t ncap = *cap ? *cap * 2 : 4096;
			char *nl = realloc(*line, ncap);
			if (!nl)
				return -ENOMEM;
			*line = nl;
			*cap = ncap;
		}
		(*line)[n++] = (char)c;
	}
	if (ferror(in))
		return -EIO;
	if (!any)
		return 0;
	if (*line)
		(*line)[n] = '\0';
	*len = n;
	return too_long ? 2 : 1;
}

static void warn(struct events_replay_result *res, const char *path, uint64_t lineno, const char *what)
{
	if (!res->warnings++)
		snprintf(res->first_warning, sizeof(res->first_warning), "%s:%llu: %s", path,
			 (unsigned long long)lineno, what);
}

static uint64_t count_member(const struct json_value *obj, const char *key)
{
	const struct json_value *v = json_get(obj, key);
	return v && v->type == JSON_NUMBER && v->is_int && v->integer > 0 ? (uint64_t)v->integer : 0;
}

/* {"dynaudit_cut":...}: the writer left events out or shortened strings
 * (see artifacts.c).  Only what the replay reports is read: that the
 * file is cut, how much, and which kinds (the first few, most first). */
static void read_cut_record(const struct json_value *v, struct events_replay_result *res)
{
	res->cut = true;
	res->cut_events += count_member(v, "left_out") + count_member(v, "recorded_left_out");
	res->cut_strings += count_member(v, "strings_shortened") +
			    count_member(v, "recorded_strings_shortened");
	const struct json_value *by = json_get(v, "left_out_by_kind");
	if (!by || by->type != JSON_OBJECT || res->cut_kinds[0])
		return;
	size_t n = 0;
	for (size_t i = 0; i < by->n_items && i < 8; i++) {
		const struct json_value *c = &by->items[i];
		if (c->type != JSON_NUMBER || !c->is_int || c->integer <= 0)
			continue;
		int w = snprintf(res->cut_kinds + n, sizeof(res->cut_kinds) - n, "%s%.32s %lld",
				 n ? ", " : "", by->keys[i], (long long)c->integer);
		if (w < 0 || (size_t)w >= sizeof(res->cut_kinds) - n)
			break;
		n += (size_t)w;
	}
}

static bool blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return false;
	return true;
}

static int check_header(const char *line, size_t len, const char *path, char *err, size_t errlen)
{
	struct json_value *v = NULL;
	char jerr[128];
	int rc = json_parse(line, len, &v, jerr, sizeof(jerr));
	if (rc == -ENOMEM) {
		snprintf(err, errlen, "%s: out of memory", path);
		return rc;
	}
	const struct json_value *h = rc == 0 ? json_get(v, "dynaudit_events") : NULL;
	if (!h || h->type != JSON_NUMBER) {
		snprintf(err, errlen, "%s:1: not an events.jsonl file (no {\"dynaudit_events\":1} header)", path);
		json_free(v);
		return -EINVAL;
	}
	if (!h->is_int || h->integer != 1) {
		snprintf(err, errlen, "%s:1: events.jsonl format %g is not supported (this dynaudit reads 1)",
			 path, h->number);
		json_free(v);
		return -EINVAL;
	}
	json_free(v);
	return 0;
}

int event_json_header_window(const char *path, double *window_s)
{
	FILE *in = fopen(path, "re");
	if (!in)
		return -errno;
	char *line = NULL;
	size_t cap = 0, len = 0;
	int r = read_line(in, &line, &cap, &len);
	fclose(in);
	int rc = -ENOENT;
	struct json_value *v = NULL;
	char jerr[128];
	if (r == 1 && json_parse(line, len, &v, jerr, sizeof(jerr)) == 0 && json_get(v, "dynaudit_events")) {
		const struct json_value *w = json_get(v, "window_s");
		/* a hostile header gets no say beyond a sane window */
		if (w && w->type == JSON_NUMBER && w->number > 0 && w->number <= 7 * 24 * 3600) {
			*window_s = w->number;
			rc = 0;
		}
	}
	json_free(v);
	free(line);
	return rc;
}

int source_events_replay(const char *path, struct bus *bus, struct events_replay_result *res,
			 char *err, size_t errlen)
{
	memset(res, 0, sizeof(*res));
	if (err && errlen)
		err[0] = '\0';
	FILE *in = fopen(path, "re");
	if (!in) {
		int e = errno;
		snprintf(err, errlen, "%s: %s", path, strerror(e));
		return -e;
	}
	char *line = NULL;
	size_t cap = 0, len = 0;
	bool header = false;
	int rc = 0;
	for (;;) {
		int r = read_line(in, &line, &cap, &len);
		if (r < 0) {
			snprintf(err, errlen, "%s:%llu: %s", path, (unsigned long long)res->lines + 1,
				 strerror(-r));
			rc = r;
			break;
		}
		if (r == 0)
			break;
		res->lines++;
		if (r == 2) {
			if (!header) {
				snprintf(err, errlen, "%s:1: not an events.jsonl file (first line too long)", path);
				rc = -EINVAL;
				break;
			}
			warn(res, path, res->lines, "line longer than 1 MiB skipped");
			continue;
		}
		if (blank(line, len))
			continue;
		if (!header) {
			rc = check_header(line, len, path, err, errlen);
			if (rc < 0)
				break;
			header = true;
			continue;
		}
		struct json_value *v = NULL;
		char jerr[128];
		int pr = json_parse(line, len, &v, jerr, sizeof(jerr));
		if (pr == -ENOMEM) {
			snprintf(err, errlen, "%s:%llu: out of memory", path, (unsigned long long)res->lines);
			rc = pr;
			break;
		}
		if (pr < 0) {
			warn(res, path, res->lines, jerr);
			continue;
		}
		if (json_get(v, "dynaudit_cut")) {
			read_cut_record(v, res);
			json_free(v);
			continue;
		}
		struct decode d = {.obj = v};
		struct da_event ev;
		const char **argv = NULL;
		if (decode_event(&d, &ev, &argv)) {
			bus_publish(bus, &ev);
			res->events++;
			if (ev.time_s > res->last_time_s)
				res->last_time_s = ev.time_s;
		} else {
			warn(res, path, res->lines, d.why);
		}
		free(argv);
		json_free(v);
	}
	if (rc == 0 && !header) {
		snprintf(err, errlen, "%s: empty file, not an events.jsonl file", path);
		rc = -EINVAL;
	}
	free(line);
	fclose(in);
	return rc;
}

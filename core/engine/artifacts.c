/*
 * artifacts.c — see artifacts.h.
 */
#include "engine/artifacts.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dynaudit_build.h"
#include "engine/event_json.h"
#include "engine/report.h"
#include "engine/json.h"
#include "engine/output_cap.h"

enum artifact_id { ART_EVENTS, ART_TRACE, ART_STDOUT, ART_STDERR, ART_SOCKETS, ART_PROCS, ART_FS, ART_COUNT };

static const char *const artifact_names[ART_COUNT] = {
	"events.jsonl", "trace.log", "stdout.log", "stderr.log",
	"sockets.txt", "processes.txt", "fs-events.log",
};

/* The cap and the kept-string bound of each file (artifacts_set_limits). */
static const char *const limit_keys[ART_COUNT] = {
	"report.limits.events", "report.limits.trace", NULL, NULL,
	"report.limits.snapshots", "report.limits.snapshots", "report.limits.fs_events",
};

/* Past a cap, the first RARE_KEEP events of each (kind, system call,
 * failed or not) are kept: a flood is one key, what else happened is not. */
#define RARE_KEEP 32
#define ARTIFACT_STREAM_BUFFER (256u << 10)
#define RARE_SLOTS 1024

struct rare_key {
	uint32_t kind;       /* 0: free slot */
	bool failed;
	char syscall[24];
	uint32_t seen;
};

struct cap_ctx {
	struct artifacts *a;
	int id;
};

struct artifacts {
	int dirfd;         /* the output directory (a dup: ours to close) */
	FILE *f[ART_COUNT];
	char *stream_buf[ART_COUNT]; /* f's buffer, freed after its fclose */
	int write_error;   /* first errno of a failed write */
	/* caps (output_cap.h), made at the first event */
	struct artifact_limits lim;
	bool caps_made;
	struct output_cap *cap[ART_COUNT];
	struct cap_ctx cap_ctx[ART_COUNT];
	uint64_t strings_shortened;
	uint64_t recorded_left_out, recorded_shortened; /* a replayed log's own cut */
	uint64_t findings_seen;
	struct json_buf line;     /* the line being written, reused */
	struct json_buf tline;    /* the trace.log line, reused */
	char *textbuf;            /* a shortened text (text_max + 128 bytes) */
	size_t textbuf_len;
	struct rare_key rare[RARE_SLOTS];
};

static uint64_t cap_of(const struct artifacts *a, int id)
{
	const struct artifact_limits *l = &a->lim;
	switch (id) {
	case ART_EVENTS: return l->events ? l->events : ARTIFACT_DEFAULT_EVENTS;
	case ART_TRACE: return l->trace ? l->trace : ARTIFACT_DEFAULT_TRACE;
	case ART_FS: return l->fs_events ? l->fs_events : ARTIFACT_DEFAULT_FS_EVENTS;
	case ART_SOCKETS:
	case ART_PROCS: return l->snapshots ? l->snapshots : ARTIFACT_DEFAULT_SNAPSHOTS;
	default: return 0; /* stdout/stderr: the capture keeps head and tail */
	}
}

static size_t text_max(const struct artifacts *a)
{
	return a->lim.text ? a->lim.text : ARTIFACT_DEFAULT_TEXT;
}

static void size_text(char *buf, size_t len, uint64_t bytes)
{
	if (bytes >= (1u << 20) && bytes % (1u << 20) == 0)
		snprintf(buf, len, "%llu MiB", (unsigned long long)(bytes >> 20));
	else if (bytes >= 1024 && bytes % 1024 == 0)
		snprintf(buf, len, "%llu KiB", (unsigned long long)(bytes >> 10));
	else
		snprintf(buf, len, "%llu bytes", (unsigned long long)bytes);
}

/* The kinds left out, most first, into b: JSON members (json) or
 * "open 12, stat 3" (at most `most` of them). */
static void kinds_left_out(struct json_buf *b, const struct output_cap_stats *st, bool json, size_t most)
{
	int tags[OUTPUT_CAP_TAGS];
	size_t k = output_cap_top_tags(st, tags, most < OUTPUT_CAP_TAGS ? most : OUTPUT_CAP_TAGS);
	for (size_t n = 0; n < k; n++) {
		int best = tags[n];
		const char *name = da_event_kind_name((uint32_t)best);
		char num[16];
		if (!name) {
			snprintf(num, sizeof(num), "%d", best);
			name = num;
		}
		if (json)
			json_buf_printf(b, "%s\"%s\":%llu", n ? "," : "", name,
					(unsigned long long)st->cut_by_tag[best]);
		else
			json_buf_printf(b, "%s%s %llu", n ? ", " : "", name,
					(unsigned long long)st->cut_by_tag[best]);
	}
}

static size_t copy_out(struct json_buf *b, char *buf, size_t len)
{
	size_t n = 0;
	if (!b->failed && b->len && b->len < len) {
		memcpy(buf, b->data, b->len);
		n = b->len;
	}
	json_buf_free(b);
	return n;
}

/* events.jsonl's cut records: JSON lines replay recognises (event_json.h). */
static size_t events_marker(struct artifacts *a, enum output_cap_mark m,
			    const struct output_cap_stats *st, char *buf, size_t len)
{
	struct json_buf b = {0};
	if (m == OUTPUT_CAP_MARK_BEGIN) {
		json_buf_printf(&b,
				"{\"dynaudit_cut\":\"begin\",\"file\":\"events.jsonl\",\"limit\":\"%s\","
				"\"cap\":%llu,\"first_left_out\":%llu,\"keeps\":\"from here on only events that "
				"raised a new finding and the first %d of each kind and system call, "
				"then the last events\"}\n",
				limit_keys[ART_EVENTS], (unsigned long long)st->cap,
				(unsigned long long)st->first_cut_line, RARE_KEEP);
	} else if (m == OUTPUT_CAP_MARK_TAIL) {
		json_buf_puts(&b, "{\"dynaudit_cut\":\"tail\"}\n");
	} else if (st->lines_cut || a->strings_shortened || a->recorded_left_out || a->recorded_shortened) {
		json_buf_printf(&b,
				"{\"dynaudit_cut\":\"end\",\"events\":%llu,\"left_out\":%llu,"
				"\"left_out_bytes\":%llu,\"left_out_by_kind\":{",
				(unsigned long long)st->lines, (unsigned long long)st->lines_cut,
				(unsigned long long)st->bytes_cut);
		kinds_left_out(&b, st, true, OUTPUT_CAP_TAGS);
		json_buf_printf(&b, "},\"strings_shortened\":%llu,\"text_limit\":%zu",
				(unsigned long long)a->strings_shortened, text_max(a));
		if (a->recorded_left_out || a->recorded_shortened)
			json_buf_printf(&b, ",\"recorded_left_out\":%llu,\"recorded_strings_shortened\":%llu",
					(unsigned long long)a->recorded_left_out,
					(unsigned long long)a->recorded_shortened);
		json_buf_puts(&b, "}\n");
	}
	return copy_out(&b, buf, len);
}

/* The text files' markers: one bracketed line, like the capture's. */
static size_t cap_marker(void *ctx, enum output_cap_mark m, const struct output_cap_stats *st,
			 char *buf, size_t len)
{
	const struct cap_ctx *cc = ctx;
	if (cc->id == ART_EVENTS)
		return events_marker(cc->a, m, st, buf, len);
	const char *name = artifact_names[cc->id];
	char cap[32];
	size_text(cap, sizeof(cap), st->cap);
	struct json_buf b = {0};
	if (m == OUTPUT_CAP_MARK_BEGIN)
		json_buf_printf(&b,
				"[dynaudit: %s is full (cap %s, %s): lines are left out from here on; "
				"kept are the lines of events that raised a new finding, the first %d of "
				"each kind, and the last lines]\n",
				name, cap, limit_keys[cc->id], RARE_KEEP);
	else if (m == OUTPUT_CAP_MARK_TAIL)
		json_buf_printf(&b, "[dynaudit: %llu lines (%llu bytes) of %s cut here; the last lines follow]\n",
				(unsigned long long)st->lines_cut, (unsigned long long)st->bytes_cut, name);
	else if (st->lines_cut) {
		json_buf_printf(&b, "[dynaudit: %s was cut at its cap of %s (%s): %llu of %llu lines left out (",
				name, cap, limit_keys[cc->id], (unsigned long long)st->lines_cut,
				(unsigned long long)st->lines);
		kinds_left_out(&b, st, false, 8);
		json_buf_puts(&b, ")]\n");
	}
	return copy_out(&b, buf, len);
}

static void make_caps(struct artifacts *a)
{
	a->caps_made = true;
	a->textbuf_len = text_max(a) + 128;
	a->textbuf = malloc(a->textbuf_len);
	if (!a->textbuf)
		a->textbuf_len = 0; /* texts then go out whole */
	for (int id = 0; id < ART_COUNT; id++) {
		uint64_t cap = cap_of(a, id);
		if (!a->f[id] || !cap)
			continue;
		a->cap_ctx[id] = (struct cap_ctx){.a = a, .id = id};
		a->cap[id] = output_cap_new(a->f[id], cap, cap_marker, &a->cap_ctx[id]);
		if (!a->cap[id] && !a->write_error)
			a->write_error = ENOMEM;
	}
}

void artifacts_set_limits(struct artifacts *a, const struct artifact_limits *lim)
{
	if (!a->caps_made && lim)
		a->lim = *lim;
}

/* Whether an event is worth keeping past a cap (output_cap.h). */
static enum output_cap_class classify(struct artifacts *a, const struct da_event *ev)
{
	if (a->lim.findings) {
		uint64_t n = a->lim.findings(a->lim.findings_ctx);
		if (n != a->findings_seen) {
			a->findings_seen = n;
			return OUTPUT_CAP_KEY;
		}
	}
	const char *sc = ev->syscall ? ev->syscall : "";
	bool failed = ev->err != 0;
	uint32_t h = ev->kind * 31u + failed;
	for (const char *p = sc; *p; p++)
		h = h * 131u + (unsigned char)*p;
	for (size_t i = 0; i < RARE_SLOTS; i++) {
		struct rare_key *k = &a->rare[(h + i) % RARE_SLOTS];
		if (!k->kind) {
			k->kind = ev->kind ? ev->kind : DA_EV_KIND_MAX;
			k->failed = failed;
			snprintf(k->syscall, sizeof(k->syscall), "%s", sc);
			k->seen = 1;
			return OUTPUT_CAP_RARE;
		}
		if (k->kind == (ev->kind ? ev->kind : DA_EV_KIND_MAX) && k->failed == failed &&
		    strncmp(k->syscall, sc, sizeof(k->syscall) - 1) == 0)
			return ++k->seen <= RARE_KEEP ? OUTPUT_CAP_RARE : OUTPUT_CAP_ROUTINE;
	}
	return OUTPUT_CAP_ROUTINE; /* every slot taken: hardly rare */
}

static void put_line(struct artifacts *a, int id, enum output_cap_class cls, unsigned tag,
		     const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void put_line(struct artifacts *a, int id, enum output_cap_class cls, unsigned tag,
		     const char *fmt, ...)
{
	if (!a->f[id])
		return;
	va_list ap;
	va_start(ap, fmt);
	int rc;
	if (a->cap[id]) {
		char *s = NULL;
		int n = vasprintf(&s, fmt, ap);
		rc = n < 0 ? -ENOMEM : output_cap_write(a->cap[id], s, (size_t)n, cls, tag);
		free(s);
	} else {
		rc = vfprintf(a->f[id], fmt, ap) < 0 ? -(errno ? errno : EIO) : 0;
	}
	va_end(ap);
	if (rc < 0 && !a->write_error)
		a->write_error = -rc;
}

/* Write the line in b (of file id) through its cap, or straight. */
static void put_buf(struct artifacts *a, int id, enum output_cap_class cls, unsigned tag,
		    const struct json_buf *b)
{
	int rc = b->failed ? -ENOMEM
		 : a->cap[id] ? output_cap_write(a->cap[id], b->data, b->len, cls, tag)
		 : fwrite(b->data, 1, b->len, a->f[id]) == b->len ? 0 : -EIO;
	if (rc < 0 && !a->write_error)
		a->write_error = -rc;
}

/* trace.log: "%-6d %10.6f %s\n" (strace -f -tt style, pid first), built
 * without printf: it is the second line of every syscall event. */
static void put_trace_line(struct artifacts *a, enum output_cap_class cls, unsigned tag,
			   const struct da_event *ev, const char *text)
{
	if (!a->f[ART_TRACE])
		return;
	struct json_buf *b = &a->tline;
	char num[48];
	b->len = 0;
	b->failed = false;
	size_t n = json_fmt_int(num, ev->pid);
	json_buf_put(b, num, n);
	json_buf_put(b, "       ", n < 6 ? 7 - n : 1);
	n = json_fmt_ns_seconds(num, ev->time_s, 6);
	if (!n)
		n = json_fmt_fixed(num, ev->time_s, 6);
	if (!n) {
		int m = snprintf(num, sizeof(num), "%.6f", ev->time_s);
		n = m > 0 && (size_t)m < sizeof(num) ? (size_t)m : 0;
	}
	if (n < 10)
		json_buf_put(b, "          ", 10 - n);
	json_buf_put(b, num, n);
	json_buf_putc(b, ' ');
	json_buf_puts(b, text);
	json_buf_putc(b, '\n');
	put_buf(a, ART_TRACE, cls, tag, b);
}

static int on_event(void *ctx, const struct da_event *ev)
{
	struct artifacts *a = ctx;
	if (!a->caps_made)
		make_caps(a);
	enum output_cap_class cls = classify(a, ev);
	unsigned tag = ev->kind < OUTPUT_CAP_TAGS ? ev->kind : 0;
	if (a->f[ART_EVENTS]) {
		a->line.len = 0;
		a->line.failed = false;
		event_json_format(&a->line, ev, text_max(a), &a->strings_shortened);
		put_buf(a, ART_EVENTS, cls, tag, &a->line);
	}
	size_t tmax = text_max(a);
	char *tb = a->textbuf;
	size_t tbl = a->textbuf_len;
	switch (ev->kind) {
	case DA_EV_OUTPUT:
		put_line(a, ev->fd == 2 ? ART_STDERR : ART_STDOUT, cls, tag, "%s\n",
			 ev->detail ? ev->detail : "");
		break;
	case DA_EV_SOCK_SNAPSHOT:
		put_line(a, ART_SOCKETS, cls, tag, "%10.3f %s\n", ev->time_s,
			 event_text_shorten(ev->text ? ev->text : "", tmax, tb, tbl));
		break;
	case DA_EV_PROC_SNAPSHOT:
		put_line(a, ART_PROCS, cls, tag, "%10.3f %s\n", ev->time_s,
			 event_text_shorten(ev->text ? ev->text : ev->detail ? ev->detail : "", tmax, tb, tbl));
		break;
	case DA_EV_FS_MONITOR:
		put_line(a, ART_FS, cls, tag, "%s\n",
			 event_text_shorten(ev->text ? ev->text : ev->path ? ev->path : "",
					    tmax, tb, tbl));
		break;
	case DA_EV_TARGET_EXIT:
		break;
	default:
		/* Syscall-derived events: strace -f -tt style, pid first. */
		if (ev->text)
			put_trace_line(a, cls, tag, ev, event_text_shorten(ev->text, tmax, tb, tbl));
		break;
	}
	return 0;
}

int artifacts_open(struct artifacts **out, int dirfd, struct bus *bus, int write_events,
		   int write_others, double window_s, char *err, size_t errlen)
{
	int rc;
	struct artifacts *a = calloc(1, sizeof(*a));
	if (!a)
		return -ENOMEM;
	a->dirfd = fcntl(dirfd, F_DUPFD_CLOEXEC, 3);
	if (a->dirfd < 0) {
		rc = -errno;
		free(a);
		snprintf(err, errlen, "output directory: %s", strerror(-rc));
		return rc;
	}
	for (int id = 0; id < ART_COUNT; id++) {
		if ((id == ART_EVENTS && !write_events) || (id != ART_EVENTS && !write_others))
			continue;
		int fd = atomic_file_begin(a->dirfd, artifact_names[id], err, errlen);
		if (fd >= 0 && !(a->f[id] = fdopen(fd, "w")))
			atomic_file_abort(a->dirfd, artifact_names[id], fd);
		/* The two files of every syscall event: a write() per 4 KiB
		 * was a tenth of their cost.  The buffer is ours: glibc's
		 * setvbuf ignores the size when given no buffer. */
		if (a->f[id] && (id == ART_EVENTS || id == ART_TRACE) &&
		    (a->stream_buf[id] = malloc(ARTIFACT_STREAM_BUFFER)) != NULL)
			setvbuf(a->f[id], a->stream_buf[id], _IOFBF, ARTIFACT_STREAM_BUFFER);
		if (!a->f[id]) {
			rc = fd < 0 ? fd : -ENOMEM;
			artifacts_free(a);
			return rc;
		}
	}
	if (a->f[ART_EVENTS])
		event_json_write_header(a->f[ART_EVENTS], DYNAUDIT_VERSION, window_s);
	rc = bus_subscribe(bus, NULL, on_event, a);
	if (rc < 0) {
		artifacts_free(a);
		return rc;
	}
	*out = a;
	return 0;
}

/* The tails and the last markers of the capped files. */
static void finish_caps(struct artifacts *a)
{
	for (int id = 0; id < ART_COUNT; id++)
		if (a->cap[id] && output_cap_finish(a->cap[id]) < 0 && !a->write_error)
			a->write_error = output_cap_stats(a->cap[id])->write_error;
}

const struct output_cap_stats *artifacts_cap_stats(const struct artifacts *a, int i,
						   const char **file, const char **limit)
{
	if (i < 0 || i >= ART_COUNT || !a->cap[i])
		return NULL;
	*file = artifact_names[i];
	*limit = limit_keys[i];
	return output_cap_stats(a->cap[i]);
}

void artifacts_recorded_cut(struct artifacts *a, uint64_t left_out, uint64_t shortened)
{
	a->recorded_left_out += left_out;
	a->recorded_shortened += shortened;
}

uint64_t artifacts_strings_shortened(const struct artifacts *a)
{
	return a->strings_shortened;
}

int artifacts_close(struct artifacts *a, char *err, size_t errlen)
{
	finish_caps(a);
	int first = a->write_error ? -a->write_error : 0;
	if (first)
		snprintf(err, errlen, "cannot write the audit's files: %s", strerror(-first));
	for (int id = 0; id < ART_COUNT; id++) {
		if (!a->f[id])
			continue;
		/* The stream's buffer first; commit closes the fd and
		 * renames the temporary into place. */
		int bad = fflush(a->f[id]) != 0 ? (errno ? errno : EIO) : 0;
		int fd = dup(fileno(a->f[id]));
		fclose(a->f[id]);
		a->f[id] = NULL;
		char why[512] = "";
		int rc = bad ? -bad : fd < 0 ? -errno : 0;
		if (rc == 0)
			rc = atomic_file_commit(a->dirfd, artifact_names[id], fd, why, sizeof(why));
		else
			atomic_file_abort(a->dirfd, artifact_names[id], fd);
		if (rc < 0 && !first) {
			first = rc;
			snprintf(err, errlen, "cannot write %s: %s", artifact_names[id],
				 why[0] ? why : strerror(-rc));
		}
	}
	return first;
}

void artifacts_free(struct artifacts *a)
{
	if (!a)
		return;
	for (int id = 0; id < ART_COUNT; id++) {
		if (a->f[id]) {
			fclose(a->f[id]);
			atomic_file_abort(a->dirfd, artifact_names[id], -1);
		}
	}
	for (int id = 0; id < ART_COUNT; id++) {
		output_cap_free(a->cap[id]);
		free(a->stream_buf[id]); /* every stream is closed by now */
	}
	json_buf_free(&a->line);
	json_buf_free(&a->tline);
	free(a->textbuf);
	if (a->dirfd >= 0)
		close(a->dirfd);
	free(a);
}

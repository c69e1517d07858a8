/*
 * output_capture.c — bounded line capture of the target's stdout/stderr.
 * See output_capture.h.
 *
 * Each stream goes through three states: head (lines published as they
 * arrive), then, once the head budget is spent, tail (lines go into a ring
 * whose evictions are counted as cut).  The head never reopens: a short
 * line after a cut would otherwise appear out of place in stdout.log.
 */
#include "live/output_capture.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct tail_line {
	char *text;   /* NUL-terminated */
	size_t len;   /* bytes of text */
	bool newline; /* the line ended with '\n' (one more byte kept) */
};

struct stream {
	int no;            /* 1 or 2 */
	int fd;            /* -1 at end of file */
	char *line;        /* partial line, line_max + 1 bytes */
	size_t line_len;
	bool discarding;   /* rest of an over-long line: count, do not keep */
	bool head_full;
	size_t head_bytes;
	size_t head_lines;
	struct tail_line *ring; /* tail_lines slots */
	size_t ring_start;
	size_t ring_count;
	size_t ring_bytes;
	uint64_t bytes_read;
	uint64_t bytes_cut;
	uint64_t lines_cut;
	bool finished;
};

struct output_capture {
	struct bus *bus;
	struct output_capture_limits lim;
	double (*clock)(void *ctx);
	void *clock_ctx;
	struct stream streams[2];
	char *read_buf;
	size_t read_buf_len;
};

static void publish_line(struct output_capture *oc, int stream_no, const char *text)
{
	struct da_event ev;

	da_event_init(&ev, DA_EV_OUTPUT);
	ev.fd = stream_no;
	ev.time_s = oc->clock ? oc->clock(oc->clock_ctx) : 0.0;
	ev.detail = text;
	bus_publish(oc->bus, &ev);
}

/* Publish text[0..len) as one line (copied to add the terminating NUL). */
static void publish_span(struct output_capture *oc, int stream_no, const char *text, size_t len)
{
	char stackbuf[512];
	char *copy = len < sizeof(stackbuf) ? stackbuf : malloc(len + 1);

	if (!copy) {
		/* Out of memory: publish the part that fits rather than lose the line. */
		copy = stackbuf;
		len = sizeof(stackbuf) - 1;
	}
	memcpy(copy, text, len);
	copy[len] = '\0';
	publish_line(oc, stream_no, copy);
	if (copy != stackbuf)
		free(copy);
}

static void ring_evict_oldest(struct stream *s, size_t cap)
{
	struct tail_line *old = &s->ring[s->ring_start];

	s->bytes_cut += old->len + (old->newline ? 1 : 0);
	s->lines_cut++;
	s->ring_bytes -= old->len;
	free(old->text);
	old->text = NULL;
	s->ring_start = (s->ring_start + 1) % cap;
	s->ring_count--;
}

static void ring_push(struct output_capture *oc, struct stream *s, const char *text, size_t len,
		      bool newline)
{
	size_t cap = oc->lim.tail_lines;
	char *copy = NULL;

	if (len <= oc->lim.tail_bytes)
		copy = malloc(len + 1);
	if (!copy) {
		/* Larger than the whole ring, or no memory: it is cut. */
		s->bytes_cut += len + (newline ? 1 : 0);
		s->lines_cut++;
		return;
	}
	memcpy(copy, text, len);
	copy[len] = '\0';
	while (s->ring_count > 0 &&
	       (s->ring_count == cap || s->ring_bytes + len > oc->lim.tail_bytes))
		ring_evict_oldest(s, cap);
	struct tail_line *slot = &s->ring[(s->ring_start + s->ring_count) % cap];
	slot->text = copy;
	slot->len = len;
	slot->newline = newline;
	s->ring_count++;
	s->ring_bytes += len;
}

/* A complete line (or the kept part of an over-long one). */
static void deliver(struct output_capture *oc, struct stream *s, const char *text, size_t len,
		    bool newline)
{
	size_t cost = len + (newline ? 1 : 0);

	if (!s->head_full && s->head_lines < oc->lim.head_lines &&
	    s->head_bytes + cost <= oc->lim.head_bytes) {
		s->head_lines++;
		s->head_bytes += cost;
		publish_span(oc, s->no, text, len);
		return;
	}
	s->head_full = true;
	ring_push(oc, s, text, len, newline);
}

/* Split data into lines; the partial last line waits in s->line. */
static void consume(struct output_capture *oc, struct stream *s, const char *data, size_t n)
{
	size_t max = oc->lim.line_max;

	while (n > 0) {
		const char *nl = memchr(data, '\n', n);
		size_t span = nl ? (size_t)(nl - data) : n;

		if (s->discarding) {
			/* The rest of a line already cut to line_max; its newline
			 * too is cut (the kept part was published without one). */
			s->bytes_cut += span + (nl ? 1 : 0);
			if (nl)
				s->discarding = false;
		} else if (s->line_len == 0 && nl && span <= max) {
			deliver(oc, s, data, span, true); /* fast path: whole line in data */
		} else {
			size_t room = max - s->line_len;
			size_t take = span < room ? span : room;

			memcpy(s->line + s->line_len, data, take);
			s->line_len += take;
			if (span > take || (!nl && s->line_len == max)) {
				/* Over-long: keep line_max bytes, cut the rest. */
				deliver(oc, s, s->line, s->line_len, false);
				s->line_len = 0;
				s->bytes_cut += (span - take) + (nl ? 1 : 0);
				s->lines_cut++;
				s->discarding = !nl;
			} else if (nl) {
				deliver(oc, s, s->line, s->line_len, true);
				s->line_len = 0;
			}
		}
		if (!nl)
			break;
		n -= span + 1;
		data = nl + 1;
	}
}

int output_capture_new(struct output_capture **out, struct bus *bus, int out_fd, int err_fd,
		       const struct output_capture_limits *limits,
		       double (*clock)(void *ctx), void *clock_ctx)
{
	static const struct output_capture_limits defaults = {
		.head_bytes = 1u << 20, .head_lines = 10000,
		.tail_bytes = 256u << 10, .tail_lines = 2000,
		.line_max = 4096, .read_budget = 256u << 10,
	};
	struct output_capture *oc = calloc(1, sizeof(*oc));

	*out = NULL;
	if (!oc) {
		if (out_fd >= 0)
			close(out_fd);
		if (err_fd >= 0)
			close(err_fd);
		return -ENOMEM;
	}
	oc->bus = bus;
	oc->clock = clock;
	oc->clock_ctx = clock_ctx;
	oc->lim = defaults;
	if (limits) {
#define TAKE(m) if (limits->m) oc->lim.m = limits->m
		TAKE(head_bytes); TAKE(head_lines); TAKE(tail_bytes); TAKE(tail_lines);
		TAKE(line_max); TAKE(read_budget);
#undef TAKE
	}
	oc->read_buf_len = oc->lim.read_budget < 65536 ? oc->lim.read_budget : 65536;
	oc->read_buf = malloc(oc->read_buf_len);
	int fds[2] = { out_fd, err_fd };
	for (int i = 0; i < 2; i++) {
		struct stream *s = &oc->streams[i];
		s->no = i + 1;
		s->fd = fds[i];
		s->line = malloc(oc->lim.line_max + 1);
		s->ring = calloc(oc->lim.tail_lines, sizeof(*s->ring));
		if (s->fd >= 0) {
			int fl = fcntl(s->fd, F_GETFL);
			if (fl >= 0)
				fcntl(s->fd, F_SETFL, fl | O_NONBLOCK);
		}
	}
	if (!oc->read_buf || !oc->streams[0].line || !oc->streams[1].line ||
	    !oc->streams[0].ring || !oc->streams[1].ring) {
		output_capture_free(oc);
		return -ENOMEM;
	}
	*out = oc;
	return 0;
}

int output_capture_fd(const struct output_capture *oc, int stream)
{
	if (stream < 1 || stream > 2)
		return -1;
	return oc->streams[stream - 1].fd;
}

size_t output_capture_read(struct output_capture *oc, int stream)
{
	if (stream < 1 || stream > 2)
		return 0;
	struct stream *s = &oc->streams[stream - 1];
	size_t total = 0;

	while (s->fd >= 0 && total < oc->lim.read_budget) {
		ssize_t n = read(s->fd, oc->read_buf, oc->read_buf_len);
		if (n > 0) {
			s->bytes_read += (uint64_t)n;
			total += (size_t)n;
			consume(oc, s, oc->read_buf, (size_t)n);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		/* End of file (every writer gone) or a read error: done. */
		close(s->fd);
		s->fd = -1;
	}
	return total;
}

static void finish_stream(struct output_capture *oc, struct stream *s)
{
	/* What the pipe still holds: a pipe buffers at most a few MiB, and
	 * the writers are gone or frozen by now, so this ends. */
	for (int rounds = 0; s->fd >= 0 && rounds < 64; rounds++)
		if (output_capture_read(oc, s->no) == 0)
			break;
	if (s->line_len > 0) {
		deliver(oc, s, s->line, s->line_len, false);
		s->line_len = 0;
	}
	if (s->lines_cut > 0 || s->bytes_cut > 0) {
		char marker[160];
		snprintf(marker, sizeof(marker),
			 "[dynaudit: %" PRIu64 " bytes (%" PRIu64 " lines) of %s cut here; the last %zu lines follow]",
			 s->bytes_cut, s->lines_cut, s->no == 1 ? "stdout" : "stderr", s->ring_count);
		publish_line(oc, s->no, marker);
	}
	size_t cap = oc->lim.tail_lines;
	while (s->ring_count > 0) {
		struct tail_line *t = &s->ring[s->ring_start];
		publish_line(oc, s->no, t->text);
		free(t->text);
		t->text = NULL;
		s->ring_start = (s->ring_start + 1) % cap;
		s->ring_count--;
	}
	s->ring_bytes = 0;
	s->finished = true;
}

void output_capture_finish(struct output_capture *oc)
{
	for (int i = 0; i < 2; i++)
		if (!oc->streams[i].finished)
			finish_stream(oc, &oc->streams[i]);
}

uint64_t output_capture_bytes_cut(const struct output_capture *oc)
{
	return oc->streams[0].bytes_cut + oc->streams[1].bytes_cut;
}

uint64_t output_capture_bytes_read(const struct output_capture *oc)
{
	return oc->streams[0].bytes_read + oc->streams[1].bytes_read;
}

void output_capture_free(struct output_capture *oc)
{
	if (!oc)
		return;
	for (int i = 0; i < 2; i++) {
		struct stream *s = &oc->streams[i];
		if (s->fd >= 0)
			close(s->fd);
		if (s->ring)
			for (size_t k = 0; k < oc->lim.tail_lines; k++)
				free(s->ring[k].text);
		free(s->ring);
		free(s->line);
	}
	free(oc->read_buf);
	free(oc);
}

/*
 * output_cap.c — see output_cap.h.
 *
 * The tail ring is one byte buffer of records (an 8-byte header, then the
 * line), written and read with wrap-around: a flood of a million lines
 * costs no allocation per line.  It is allocated when the head is full,
 * so an audit that stays under half its caps never pays for it.
 */
#include "engine/output_cap.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define MARKER_ROOM (16u << 10) /* kept for the marker lines */
#define RING_MAX (16u << 20)    /* memory of one tail ring */

struct rec_header {
	uint32_t len;
	uint8_t cls;
	uint8_t pad;
	uint16_t tag;
};

struct output_cap {
	FILE *f;
	output_cap_marker marker;
	void *ctx;
	struct output_cap_stats st;
	uint64_t head_room, sel_room, rare_room; /* budgets, bytes */
	uint64_t head_used, sel_used;
	bool in_ring;     /* the head is full: lines go through the ring */
	bool cut;         /* a line was left out (BEGIN written) */
	bool finished;
	char *ring;
	size_t ring_cap, ring_start, ring_used;
	uint64_t ring_count; /* records in the ring */
	char mbuf[OUTPUT_CAP_MARKER_MAX];
};

struct output_cap *output_cap_new(FILE *f, uint64_t cap, output_cap_marker marker, void *ctx)
{
	struct output_cap *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->f = f;
	c->marker = marker;
	c->ctx = ctx;
	c->st.cap = cap;
	uint64_t margin = cap / 8 < MARKER_ROOM ? cap / 8 : MARKER_ROOM;
	uint64_t usable = cap - margin;
	c->head_room = usable / 2;
	uint64_t ring = usable / 8;
	c->ring_cap = ring > RING_MAX ? RING_MAX : (size_t)ring;
	c->sel_room = usable - c->head_room - c->ring_cap;
	c->rare_room = c->sel_room / 3 * 2;
	return c;
}

static void put(struct output_cap *c, const char *data, size_t len)
{
	if (!len)
		return;
	if (fwrite(data, 1, len, c->f) != len && !c->st.write_error)
		c->st.write_error = errno ? errno : EIO;
	c->st.written += len;
}

static void mark(struct output_cap *c, enum output_cap_mark m)
{
	if (!c->marker)
		return;
	size_t n = c->marker(c->ctx, m, &c->st, c->mbuf, sizeof(c->mbuf));
	put(c, c->mbuf, n < sizeof(c->mbuf) ? n : sizeof(c->mbuf) - 1);
}

/* A line leaving the ring (or too long for it): kept if its class has
 * room in the selection, else counted as left out. */
static void settle(struct output_cap *c, const char *a, size_t alen, const char *b, size_t blen,
		   enum output_cap_class cls, unsigned tag)
{
	uint64_t len = alen + blen;
	bool keep = (cls == OUTPUT_CAP_KEY && c->sel_used + len <= c->sel_room) ||
		    (cls == OUTPUT_CAP_RARE && c->sel_used + len <= c->rare_room);
	if (keep) {
		put(c, a, alen);
		put(c, b, blen);
		c->sel_used += len;
		return;
	}
	if (!c->cut) {
		/* the oldest line not yet written: the ring's first, or this
		 * one when the ring is empty */
		c->st.first_cut_line = c->st.lines - c->ring_count;
		c->cut = true;
		mark(c, OUTPUT_CAP_MARK_BEGIN);
	}
	c->st.lines_cut++;
	c->st.bytes_cut += len;
	c->st.cut_by_tag[tag < OUTPUT_CAP_TAGS ? tag : 0]++;
}

static void ring_read(const struct output_cap *c, size_t off, void *dst, size_t n)
{
	size_t pos = (c->ring_start + off) % c->ring_cap;
	size_t first = n < c->ring_cap - pos ? n : c->ring_cap - pos;
	memcpy(dst, c->ring + pos, first);
	memcpy((char *)dst + first, c->ring, n - first);
}

static void ring_write(struct output_cap *c, const void *src, size_t n)
{
	size_t pos = (c->ring_start + c->ring_used) % c->ring_cap;
	size_t first = n < c->ring_cap - pos ? n : c->ring_cap - pos;
	memcpy(c->ring + pos, src, first);
	memcpy(c->ring, (const char *)src + first, n - first);
	c->ring_used += n;
}

/* Take the oldest record out of the ring: settle it (evict) or write it
 * (the tail at finish). */
static void ring_pop(struct output_cap *c, bool evict)
{
	struct rec_header h;
	ring_read(c, 0, &h, sizeof(h));
	size_t pos = (c->ring_start + sizeof(h)) % c->ring_cap;
	size_t first = h.len < c->ring_cap - pos ? h.len : c->ring_cap - pos;
	if (evict) {
		settle(c, c->ring + pos, first, c->ring, h.len - first, h.cls, h.tag);
	} else {
		put(c, c->ring + pos, first);
		put(c, c->ring, h.len - first);
	}
	c->ring_start = (c->ring_start + sizeof(h) + h.len) % c->ring_cap;
	c->ring_used -= sizeof(h) + h.len;
	c->ring_count--;
}

int output_cap_write(struct output_cap *c, const char *line, size_t len, enum output_cap_class cls,
		     unsigned tag)
{
	if (c->finished)
		return 0;
	c->st.lines++;
	c->st.bytes += len;
	if (!c->in_ring && c->head_used + len <= c->head_room) {
		put(c, line, len);
		c->head_used += len;
		return -c->st.write_error;
	}
	if (!c->in_ring) {
		c->in_ring = true;
		c->ring = c->ring_cap ? malloc(c->ring_cap) : NULL;
		if (!c->ring)
			c->ring_cap = 0; /* no memory for a tail: lines settle at once */
	}
	size_t need = sizeof(struct rec_header) + len;
	if (need > c->ring_cap) {
		while (c->ring_used)
			ring_pop(c, true);
		settle(c, line, len, NULL, 0, cls, tag);
		return -c->st.write_error;
	}
	while (c->ring_cap - c->ring_used < need)
		ring_pop(c, true);
	struct rec_header h = {.len = (uint32_t)len, .cls = (uint8_t)cls, .tag = (uint16_t)tag};
	ring_write(c, &h, sizeof(h));
	ring_write(c, line, len);
	c->ring_count++;
	return -c->st.write_error;
}

int output_cap_finish(struct output_cap *c)
{
	if (c->finished)
		return -c->st.write_error;
	if (c->cut && c->ring_used)
		mark(c, OUTPUT_CAP_MARK_TAIL);
	while (c->ring_used)
		ring_pop(c, false);
	mark(c, OUTPUT_CAP_MARK_END);
	c->finished = true;
	free(c->ring);
	c->ring = NULL;
	return -c->st.write_error;
}

bool output_cap_cut(const struct output_cap *c)
{
	return c->cut;
}

const struct output_cap_stats *output_cap_stats(const struct output_cap *c)
{
	return &c->st;
}

void output_cap_free(struct output_cap *c)
{
	if (!c)
		return;
	free(c->ring);
	free(c);
}

size_t output_cap_top_tags(const struct output_cap_stats *st, int *tags, size_t most)
{
	bool done[OUTPUT_CAP_TAGS] = {false};
	size_t n = 0;
	while (n < most) {
		int best = -1;
		for (int t = 0; t < OUTPUT_CAP_TAGS; t++)
			if (!done[t] && st->cut_by_tag[t] && (best < 0 || st->cut_by_tag[t] > st->cut_by_tag[best]))
				best = t;
		if (best < 0)
			break;
		done[best] = true;
		tags[n++] = best;
	}
	return n;
}

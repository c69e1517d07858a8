/*
 * strace_decode_out.c — output lines: writes to the original stdout and
 * stderr become DA_EV_OUTPUT events, one per line.  See dec_output in
 * strace_decode_int.h.
 *
 * Only a partial line (no newline yet) is stored: an open-addressing hash
 * by pid (linear probing, backward-shift deletion) holds the pids that have
 * one, each with its few fds.  A process's exec or end looks up one slot, so
 * a log with 80k children costs O(1) per process, not O(live processes).
 */
#include "recorded/strace_decode_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define OUTBUF_MAX 4096 /* an output line is evidence, not a data dump */
#define OUT_FDS_MAX 64  /* partial lines kept per process; more are cut at once */

struct outbuf {
	int fd;
	char *buf;
	size_t len, cap; /* cap grows to OUTBUF_MAX: 80k pending "x" cost 80k small buffers */
	char *text; /* evidence: the write that started the pending line */
};

struct outpid {
	int pid;    /* 0: empty slot */
	size_t n;
	struct outbuf *v;
};

static size_t out_home(const struct strace_decoder *d, int pid)
{
	return ((uint32_t)pid * 2654435761u) & (d->cap_out - 1);
}

static struct outpid *out_find(const struct strace_decoder *d, int pid)
{
	if (!d->cap_out)
		return NULL;
	for (size_t i = out_home(d, pid); d->out[i].pid; i = (i + 1) & (d->cap_out - 1))
		if (d->out[i].pid == pid)
			return &d->out[i];
	return NULL;
}

static bool out_grow(struct strace_decoder *d)
{
	size_t nc = d->cap_out ? d->cap_out * 2 : 16;
	struct outpid *nv = calloc(nc, sizeof(*nv));
	if (!nv)
		return false;
	struct outpid *old = d->out;
	size_t oc = d->cap_out;
	d->out = nv;
	d->cap_out = nc;
	for (size_t i = 0; i < oc; i++) {
		if (!old[i].pid)
			continue;
		size_t j = out_home(d, old[i].pid);
		while (nv[j].pid)
			j = (j + 1) & (nc - 1);
		nv[j] = old[i];
	}
	free(old);
	return true;
}

static struct outpid *out_insert(struct strace_decoder *d, int pid)
{
	struct outpid *p = out_find(d, pid);
	if (p)
		return p;
	if ((d->n_out + 1) * 2 > d->cap_out && !out_grow(d))
		return NULL;
	size_t i = out_home(d, pid);
	while (d->out[i].pid)
		i = (i + 1) & (d->cap_out - 1);
	memset(&d->out[i], 0, sizeof(d->out[i]));
	d->out[i].pid = pid;
	d->n_out++;
	return &d->out[i];
}

static void out_remove(struct strace_decoder *d, struct outpid *p)
{
	size_t hole = (size_t)(p - d->out), mask = d->cap_out - 1;
	for (size_t k = 0; k < p->n; k++) {
		free(p->v[k].buf);
		free(p->v[k].text);
	}
	free(p->v);
	memset(p, 0, sizeof(*p));
	d->n_out--;
	for (size_t j = (hole + 1) & mask; d->out[j].pid; j = (j + 1) & mask) {
		size_t home = out_home(d, d->out[j].pid);
		/* stays when its home lies cyclically in (hole, j] */
		bool stays = hole < j ? (home > hole && home <= j) : (home > hole || home <= j);
		if (stays)
			continue;
		d->out[hole] = d->out[j];
		memset(&d->out[j], 0, sizeof(d->out[j]));
		hole = j;
	}
}

static struct outbuf *outbuf_find(const struct strace_decoder *d, int pid, int fd)
{
	struct outpid *p = out_find(d, pid);
	for (size_t k = 0; p && k < p->n; k++)
		if (p->v[k].fd == fd)
			return &p->v[k];
	return NULL;
}

static struct outbuf *outbuf_add(struct strace_decoder *d, int pid, int fd)
{
	struct outpid *p = out_insert(d, pid);
	if (!p || p->n >= OUT_FDS_MAX)
		return NULL;
	struct outbuf *nv = realloc(p->v, (p->n + 1) * sizeof(*nv));
	if (!nv)
		return NULL;
	p->v = nv;
	struct outbuf *o = &p->v[p->n++];
	memset(o, 0, sizeof(*o));
	o->fd = fd;
	return o;
}

static void emit_line(struct strace_decoder *d, const struct call *c, int fd, const char *line,
		      size_t n, const char *text)
{
	struct da_event ev;
	if (n > OUTBUF_MAX)
		n = OUTBUF_MAX;
	dec_event(c, &ev, DA_EV_OUTPUT);
	ev.fd = fd;
	ev.detail = dec_keep(d, strace_span_dup((struct strace_span){line, n}));
	if (text)
		ev.text = text;
	dec_publish(d, &ev);
}

/* Publish pid's pending line on fd (if any) and forget it.  Its evidence:
 * the write that started it (cut or left pending), or with ended the one
 * whose newline ends it. */
static bool outbuf_flush(struct strace_decoder *d, const struct call *c, int pid, int fd,
			 bool ended)
{
	struct outpid *p = out_find(d, pid);
	for (size_t k = 0; p && k < p->n; k++) {
		struct outbuf *o = &p->v[k];
		if (o->fd != fd)
			continue;
		emit_line(d, c, fd, o->buf, o->len, ended ? NULL : o->text);
		free(o->buf);
		free(o->text);
		p->v[k] = p->v[--p->n];
		if (!p->n)
			out_remove(d, p);
		return true;
	}
	return false;
}

bool dec_output(struct strace_decoder *d, const struct call *c, int fd, const char *data,
		size_t len, bool truncated)
{
	bool published = false;
	for (size_t i = 0; i < len; i++) {
		struct outbuf *o = outbuf_find(d, c->pid, fd);
		if (data[i] == '\n') {
			/* a line that started in an earlier write ends here */
			if (!o || !outbuf_flush(d, c, c->pid, fd, true))
				emit_line(d, c, fd, "", 0, NULL);
			published = true;
			continue;
		}
		size_t j = i;
		while (j < len && data[j] != '\n')
			j++;
		if (j < len && !o) {
			emit_line(d, c, fd, data + i, j - i, NULL);
			published = true;
			i = j;
			continue;
		}
		/* Partial line: keep it (bounded) until its newline. */
		if (!o && !(o = outbuf_add(d, c->pid, fd)))
			return published;
		size_t take = j - i;
		if (o->len + take > OUTBUF_MAX)
			take = OUTBUF_MAX - o->len;
		if (o->len + take > o->cap) {
			size_t nc = o->cap ? o->cap : 64;
			while (nc < o->len + take)
				nc *= 2;
			char *nb = realloc(o->buf, nc < OUTBUF_MAX ? nc : OUTBUF_MAX);
			if (!nb)
				return published;
			o->buf = nb;
			o->cap = nc < OUTBUF_MAX ? nc : OUTBUF_MAX;
		}
		memcpy(o->buf + o->len, data + i, take);
		o->len += take;
		if (!o->text)
			o->text = strdup(c->text);
		if (o->len == OUTBUF_MAX)
			published |= outbuf_flush(d, c, c->pid, fd, false);
		i = j - 1;
	}
	/* strace cut the data: the rest of the line is unknown, end it here. */
	if (truncated)
		published |= outbuf_flush(d, c, c->pid, fd, false);
	return published;
}

void dec_output_flush_pid(struct strace_decoder *d, const struct call *c, int pid)
{
	struct outpid *p;
	while ((p = out_find(d, pid)) && p->n)
		outbuf_flush(d, c, pid, p->v[0].fd, false);
	if (p)
		out_remove(d, p); /* none left (an add that ran out of memory) */
}

void dec_output_drop_pid(struct strace_decoder *d, int pid)
{
	struct outpid *p = out_find(d, pid);
	if (p)
		out_remove(d, p);
}

void dec_output_flush_all(struct strace_decoder *d, struct call *c)
{
	/* A flush may shift a later slot into slot i: look at i again. */
	for (size_t i = 0; i < d->cap_out;) {
		if (!d->out[i].pid) {
			i++;
			continue;
		}
		c->pid = c->tid = d->out[i].pid;
		dec_output_flush_pid(d, c, c->pid);
	}
}

void dec_output_free(struct strace_decoder *d)
{
	for (size_t i = 0; i < d->cap_out; i++)
		if (d->out[i].pid) {
			for (size_t k = 0; k < d->out[i].n; k++) {
				free(d->out[i].v[k].buf);
				free(d->out[i].v[k].text);
			}
			free(d->out[i].v);
		}
	free(d->out);
	d->out = NULL;
	d->n_out = d->cap_out = 0;
}

/*
 * strace_stream.c — reading one strace log file line by line.  See
 * strace_stream.h.
 */
#include "recorded/strace_stream.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ---- reading ------------------------------------------------------- */

static bool line_push(struct stream *s, char c)
{
	if (s->len + 2 > s->cap) {
		if (s->cap >= LINE_CAP) {
			s->too_long = true;
			return false;
		}
		size_t nc = s->cap ? s->cap * 2 : 256;
		char *nl = realloc(s->line, nc);
		if (!nl) {
			s->too_long = true;
			return false;
		}
		s->line = nl;
		s->cap = nc;
	}
	s->line[s->len++] = c;
	return true;
}

/* Input is read in blocks: a line is found with memchr and copied in one
 * piece; the rare CR or NUL inside it takes the byte-by-byte path. */
#define READ_BLOCK (256u << 10)

static bool refill(struct stream *s)
{
	size_t block = s->block ? s->block : READ_BLOCK;
	if (!s->buf && !(s->buf = malloc(block)))
		return false;
	s->bpos = 0;
	s->blen = fread(s->buf, 1, block, s->f);
	return s->blen > 0;
}

static int next_byte(struct stream *s)
{
	if (s->bpos == s->blen && !refill(s))
		return EOF;
	return (unsigned char)s->buf[s->bpos++];
}

static void line_append(struct stream *s, const char *p, size_t n)
{
	if (s->too_long)
		return;
	if (s->len + n + 2 > s->cap) {
		if (s->len + n + 2 > LINE_CAP) {
			s->too_long = true;
			return;
		}
		size_t nc = s->cap ? s->cap : 256;
		while (nc < s->len + n + 2)
			nc *= 2;
		char *nl = realloc(s->line, nc);
		if (!nl) {
			s->too_long = true;
			return;
		}
		s->line = nl;
		s->cap = nc;
	}
	memcpy(s->line + s->len, p, n);
	s->len += n;
}

/* One physical line into s->line (NUL-terminated).  false at EOF. */
static bool read_physical(struct stream *s)
{
	bool any = false;
	s->unterminated = true;
	for (;;) {
		if (s->bpos == s->blen && !refill(s))
			break;
		any = true;
		const char *p = s->buf + s->bpos;
		size_t avail = s->blen - s->bpos;
		const char *nl = memchr(p, '\n', avail);
		size_t seg = nl ? (size_t)(nl - p) : avail;
		if (!memchr(p, '\r', seg) && !memchr(p, '\0', seg)) {
			line_append(s, p, seg);
			s->bpos += seg;
			if (nl) {
				s->bpos++;
				s->unterminated = false;
				break;
			}
			continue;
		}
		/* a CR (CRLF, or a lone CR: both end the line) or NUL damage */
		int c;
		bool ended = false;
		while (s->bpos < s->blen) {
			c = (unsigned char)s->buf[s->bpos++];
			if (c == '\n') {
				ended = true;
				break;
			}
			if (c == '\r') {
				int next = next_byte(s);
				if (next != '\n' && next != EOF)
					s->bpos--; /* next_byte left it in the buffer */
				ended = true;
				break;
			}
			if (c == '\0') {
				s->has_nul = true;
				continue;
			}
			char ch = (char)c;
			line_append(s, &ch, 1);
		}
		if (ended) {
			s->unterminated = false;
			break;
		}
	}
	if (!any)
		return false;
	s->lineno++;
	if (s->line)
		s->line[s->len] = '\0';
	return true;
}

/* The next logical line of a stream: strace may cut a call with its own
 * "Process N attached" note (4.x: "(waiting for parent)" and "Process N
 * resumed" on lines of their own); cut the notes out and glue the call back.
 * A line that is nothing but a note is dropped. */
bool stream_next(struct stream *s)
{
	s->len = 0;
	s->too_long = s->has_nul = false;
	if (!read_physical(s)) {
		s->have = false;
		s->eof = true;
		return false;
	}
	size_t cut;
	int glued = 0;
	/* read_physical appends at s->len: cutting len glues the next line on. */
	while (!s->too_long && s->len && glued < 64 &&
	       strace_ends_with_process_note(s->line, s->len, &cut)) {
		s->len = cut;
		s->notes++;
		glued++;
		if (!read_physical(s))
			break;
	}
	if (!s->line) {
		line_push(s, '\0');
		s->len = 0;
		if (!s->line) {
			s->too_long = true;
			s->have = true;
			s->pfx.body_off = 0;
			return true;
		}
	}
	s->line[s->len] = '\0';
	s->extra = strace_extra_kind(s->line, s->len);
	if (s->extra)
		memset(&s->pfx, 0, sizeof(s->pfx)); /* "100.00 ... total" is no timestamp */
	else
		strace_lex_prefix(s->line, s->len, &s->pfx);
	s->have = true;
	return true;
}

int stream_open(struct stream *s, const char *path, int file_pid, char *err, size_t errlen)
{
	memset(s, 0, sizeof(*s));
	s->path = strdup(path);
	s->f = fopen(path, "r");
	if (!s->f || !s->path) {
		int e = errno ? errno : ENOMEM;
		snprintf(err, errlen, "%s: %s", path, strerror(e));
		return -e;
	}
	s->file_pid = file_pid;
	return 0;
}

void stream_close(struct stream *s)
{
	if (s->f)
		fclose(s->f);
	free(s->buf);
	free(s->split);
	free(s->path);
	free(s->line);
}


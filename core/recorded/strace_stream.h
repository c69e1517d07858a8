/*
 * strace_stream.h — one input file of a strace replay, read line by line
 * (internal to core/recorded; source_strace.c merges the streams).
 *
 * Lines are read in blocks with a hard length cap (longer ones are skipped
 * to their newline and flagged too_long); a line ends at LF, CRLF or a lone
 * CR (old Mac files); NUL bytes are dropped and flagged (strace never
 * writes one: they are damage, the rest of the line is still evidence).
 * strace's process notes ("Process N attached") are cut out of the line
 * they interrupted and the call glued back; strace's other non-call output
 * is classified (strace_extra.h) before the prefix is read.
 */
#ifndef DYNAUDIT_STRACE_STREAM_H
#define DYNAUDIT_STRACE_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "recorded/strace_extra.h"
#include "recorded/strace_lexer.h"

#define LINE_CAP (4u << 20)   /* longest line accepted: 4 MiB */

struct stream {
	FILE *f;
	char *path;
	int file_pid;         /* -ff: pid from the file name; 0 otherwise */
	uint64_t lineno;
	char *line;
	size_t len, cap;
	char *buf;            /* read block: READ_BLOCK, or block when set */
	size_t block, bpos, blen;
	bool too_long, has_nul, have, eof;
	bool unterminated;    /* the file ended inside this line (no newline) */
	enum strace_extra extra; /* strace's own non-call output (strace_extra.h) */
	uint64_t notes;       /* strace process notes cut out of its lines */
	/* a call whose line the program's output cut with a newline
	 * ("write(1, \"hi\\n\", 3hi" ... ") = 3"): its head, waiting for the tail */
	char *split;
	int split_pid;
	unsigned split_out;   /* output lines since the head */
	struct strace_prefix pfx;
	double day_offset;    /* -t/-tt clocks wrap at midnight */
	double last_raw;
	double key;           /* merge key */
};

/* Open path (file_pid: the PID of a -ff PREFIX.PID file, else 0).  0, or
 * negative errno with err set; stream_close() in both cases. */
int stream_open(struct stream *s, const char *path, int file_pid, char *err, size_t errlen);
void stream_close(struct stream *s);
/* The next logical line into s->line, s->pfx and s->extra; false at EOF. */
bool stream_next(struct stream *s);

#endif /* DYNAUDIT_STRACE_STREAM_H */

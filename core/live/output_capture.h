/*
 * output_capture.h — the target's stdout and stderr, line by line, bounded.
 *
 * dynaudit reads the two pipes the target writes to (non-blocking read
 * ends owned by the capture) and publishes one DA_EV_OUTPUT per line
 * (fd = 1 or 2, detail = the line without its newline).  A target may print
 * without limit; the capture keeps, per stream, the first lines (the head,
 * published at once) and the last lines (the tail, a ring published by
 * output_capture_finish() after a marker line saying how much was cut).
 * Everything between is counted, never stored: memory stays bounded and a
 * flood never blocks the run loop (each read call takes a bounded bite).
 *
 * Accounting: every byte read is either kept (part of a published line,
 * its newline included) or cut (counted by output_capture_bytes_cut()).
 *
 * Nothing here prints or exits.  One thread (the run loop).
 */
#ifndef DYNAUDIT_OUTPUT_CAPTURE_H
#define DYNAUDIT_OUTPUT_CAPTURE_H

#include <stddef.h>
#include <stdint.h>

#include "engine/bus.h"

struct output_capture;

struct output_capture_limits {
	size_t head_bytes;  /* published at once, per stream (default 1 MiB) */
	size_t head_lines;  /* ... and at most this many lines (default 10000) */
	size_t tail_bytes;  /* ring of the last lines, per stream (default 256 KiB) */
	size_t tail_lines;  /* ... at most this many lines (default 2000) */
	size_t line_max;    /* longer lines are cut to this (default 4096) */
	size_t read_budget; /* bytes read per output_capture_read() (default 256 KiB) */
};

/* Takes ownership of out_fd and err_fd (read ends; either may be -1) and
 * makes them non-blocking.  limits NULL = defaults; a zero member = its
 * default.  clock gives the event time (NULL: 0).  Returns 0 or -ENOMEM. */
int output_capture_new(struct output_capture **out, struct bus *bus, int out_fd, int err_fd,
		       const struct output_capture_limits *limits,
		       double (*clock)(void *ctx), void *clock_ctx);

/* The read end of stream 1 (stdout) or 2 (stderr) to poll for POLLIN, or
 * -1 once that stream reached end of file (the fd is then closed). */
int output_capture_fd(const struct output_capture *oc, int stream);

/* Read what is available on stream (up to the read budget) and publish the
 * complete lines.  Returns the bytes read (0 at end of file or when nothing
 * was available).  Never blocks. */
size_t output_capture_read(struct output_capture *oc, int stream);

/* End of the run: read what is still buffered in the pipes (bounded),
 * publish partial last lines, then for each stream that was cut the marker
 * line and the tail.  Idempotent. */
void output_capture_finish(struct output_capture *oc);

/* Bytes read but not published, both streams (exact). */
uint64_t output_capture_bytes_cut(const struct output_capture *oc);
/* Bytes read, both streams. */
uint64_t output_capture_bytes_read(const struct output_capture *oc);

/* Closes the fds still open.  NULL is fine. */
void output_capture_free(struct output_capture *oc);

#endif /* DYNAUDIT_OUTPUT_CAPTURE_H */

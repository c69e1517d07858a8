/*
 * output_cap.h — one output file with a size cap, and what it keeps of a
 * flood.  The writer of events.jsonl, trace.log, fs-events.log and the
 * snapshot files (artifacts.c) puts every line through one of these.
 *
 * A target can make events faster than any disk should take them (eight
 * processes opening 4,000-character paths wrote 1.7 GB in ten seconds).
 * The file therefore never grows past its cap, and what it keeps of a
 * flood is chosen the way an analyst reads a log:
 *
 *   head       the first half of the cap, every line, as it came;
 *   selection  then, up to 3/8 of the cap, only the lines the caller
 *              marks as worth keeping: OUTPUT_CAP_KEY (an event that raised
 *              a new finding) while any of that room is left, and
 *              OUTPUT_CAP_RARE (the first few of a kind) in the first two
 *              thirds of it, so a flood of rare-looking lines cannot crowd
 *              out a later finding;
 *   tail       the last eighth of the cap (at most 16 MiB of memory): the
 *              lines before the end, whatever they are.
 *
 * Lines stay in their order: after the head, each line waits in the tail
 * ring; when the ring is full its oldest line is written if it was marked
 * and its share has room, else left out (counted, with its tag).  At
 * output_cap_finish() the ring is written.  Nothing is left out until the
 * file passes head + tail (5/8 of the cap): below that it is complete.
 *
 * Markers: the caller's marker callback writes one line where lines start
 * being left out (OUTPUT_CAP_MARK_BEGIN), one before the tail of a cut
 * file (OUTPUT_CAP_MARK_TAIL) and, always, a last one at finish
 * (OUTPUT_CAP_MARK_END; it may write nothing).  Up to 16 KiB of the cap
 * (an eighth of a small one) is kept for them, so the file's size,
 * markers included, stays within the cap.
 *
 * Nothing here prints or exits; write errors are kept (first errno).
 */
#ifndef DYNAUDIT_OUTPUT_CAP_H
#define DYNAUDIT_OUTPUT_CAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum output_cap_class {
	OUTPUT_CAP_ROUTINE, /* kept in the head and the tail only */
	OUTPUT_CAP_RARE,    /* also in the selection's first two thirds */
	OUTPUT_CAP_KEY,     /* also in the whole selection */
};

enum output_cap_mark { OUTPUT_CAP_MARK_BEGIN, OUTPUT_CAP_MARK_TAIL, OUTPUT_CAP_MARK_END };

/* Lines are tagged (the event kind) so what was left out is counted per tag. */
#define OUTPUT_CAP_TAGS 96

struct output_cap_stats {
	uint64_t cap;               /* bytes */
	uint64_t lines;             /* offered */
	uint64_t bytes;             /* offered */
	uint64_t written;           /* bytes in the file, markers included */
	uint64_t lines_cut;         /* left out */
	uint64_t bytes_cut;
	uint64_t cut_by_tag[OUTPUT_CAP_TAGS];
	uint64_t first_cut_line;    /* 1-based number of the first line left out */
	int write_error;            /* first errno of a failed write, 0 */
};

struct output_cap;

/* Writes the marker line (newline included) into buf[len] and returns its
 * length (0: nothing); st says how far the file is.  Called at most once
 * per mark. */
typedef size_t (*output_cap_marker)(void *ctx, enum output_cap_mark mark,
				    const struct output_cap_stats *st, char *buf, size_t len);
/* Marker lines are at most this long. */
#define OUTPUT_CAP_MARKER_MAX 8192

/* A writer of f (borrowed: the caller closes it after output_cap_finish)
 * with a cap of cap bytes (>= 64 KiB makes sense; smaller works, with a
 * smaller head).  marker may be NULL.  Returns NULL without memory. */
struct output_cap *output_cap_new(FILE *f, uint64_t cap, output_cap_marker marker, void *ctx);

/* One line (its newline included), in order.  Returns 0, or -errno of the
 * first write that failed (later lines are still counted). */
int output_cap_write(struct output_cap *c, const char *line, size_t len, enum output_cap_class cls,
		     unsigned tag);

/* End: the tail (after its marker when lines were left out), then the END
 * marker.  Idempotent; output_cap_write() after it is ignored. */
int output_cap_finish(struct output_cap *c);

/* The file was cut: some line was left out. */
bool output_cap_cut(const struct output_cap *c);
const struct output_cap_stats *output_cap_stats(const struct output_cap *c);

void output_cap_free(struct output_cap *c);

/* The tags with the most lines cut, most first: up to most of them into
 * tags[]; returns how many (ties in tag order). */
size_t output_cap_top_tags(const struct output_cap_stats *st, int *tags, size_t most);

#endif /* DYNAUDIT_OUTPUT_CAP_H */

/*
 * progress.h — the live status line of `dynaudit run` on a terminal:
 *   "dynaudit: 12.3s / 60s  processes 3  events 1520"
 * redrawn in place (\r) at most a few times a second and erased at the end.
 * Silent when the stream is not a terminal (CI logs stay clean).
 *
 * The one piece of the live run that writes to a terminal; it writes only
 * to the stream it was given (stderr), never to stdout.
 */
#ifndef DYNAUDIT_PROGRESS_H
#define DYNAUDIT_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct progress {
	FILE *out;          /* NULL: disabled */
	double window_s;
	double last_draw_s; /* elapsed time of the last redraw */
	size_t last_len;    /* characters drawn last time (to blank them) */
};

/* Enables the line when out is a terminal (or force is set, for tests). */
void progress_init(struct progress *p, FILE *out, double window_s, bool force);
/* Redraw when at least 0.25 s passed since the last redraw. */
void progress_update(struct progress *p, double elapsed_s, int processes, uint64_t events);
/* Erase the line. */
void progress_clear(struct progress *p);

#endif /* DYNAUDIT_PROGRESS_H */

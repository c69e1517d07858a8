/*
 * progress.c — the terminal status line.  See progress.h.
 */
#include "live/progress.h"

#include <inttypes.h>
#include <string.h>
#include <unistd.h>

void progress_init(struct progress *p, FILE *out, double window_s, bool force)
{
	memset(p, 0, sizeof(*p));
	p->window_s = window_s;
	p->last_draw_s = -1.0;
	if (out && (force || isatty(fileno(out))))
		p->out = out;
}

void progress_update(struct progress *p, double elapsed_s, int processes, uint64_t events)
{
	if (!p->out || (p->last_draw_s >= 0 && elapsed_s - p->last_draw_s < 0.25))
		return;
	char line[160];
	int n = snprintf(line, sizeof(line), "dynaudit: %.1fs / %.0fs  processes %d  events %" PRIu64,
			 elapsed_s, p->window_s, processes, events);
	if (n < 0)
		return;
	size_t len = (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1;
	/* Pad over a longer previous line instead of clearing it first: no flicker. */
	fprintf(p->out, "\r%s%*s", line, p->last_len > len ? (int)(p->last_len - len) : 0, "");
	fflush(p->out);
	p->last_len = len;
	p->last_draw_s = elapsed_s;
}

void progress_clear(struct progress *p)
{
	if (!p->out || p->last_len == 0)
		return;
	fprintf(p->out, "\r%*s\r", (int)p->last_len, "");
	fflush(p->out);
	p->last_len = 0;
}

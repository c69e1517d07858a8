/*
 * phase_times.c — see phase_times.h.
 */
#include "engine/phase_times.h"

#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

static struct {
	int enabled; /* 0 unknown, 1 on, -1 off */
	int n;
	const char *name[PHASE_TIMES_MAX];
	struct timespec at[PHASE_TIMES_MAX];
} marks;

static bool enabled(void)
{
	if (marks.enabled == 0)
		marks.enabled = getenv("DYNAUDIT_PHASE_TIMES") ? 1 : -1;
	return marks.enabled > 0;
}

static double ms_between(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) * 1e3 + (double)(b->tv_nsec - a->tv_nsec) / 1e6;
}

void phase_mark(const char *name)
{
	if (!enabled() || marks.n >= PHASE_TIMES_MAX)
		return;
	clock_gettime(CLOCK_MONOTONIC, &marks.at[marks.n]);
	marks.name[marks.n++] = name;
}

void phase_report(FILE *f)
{
	if (!enabled() || marks.n == 0)
		return;
	struct timespec t0 = marks.at[0], prev = t0;
	fprintf(f, "dynaudit: phases (ms):");
	for (int i = 1; i < marks.n; i++) {
		fprintf(f, " %s %.2f", marks.name[i], ms_between(&prev, &marks.at[i]));
		prev = marks.at[i];
	}
	fprintf(f, " total %.2f\n", ms_between(&t0, &marks.at[marks.n - 1]));
	marks.n = 0;
}

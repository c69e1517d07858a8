/*
 * phase_times.h — wall-clock marks of an audit's phases, for measuring
 * the fixed cost of an audit (bench/fixed_cost.sh).
 *
 * The main thread calls phase_mark("name") at the end of each phase; with
 * the environment variable DYNAUDIT_PHASE_TIMES set (to anything), the
 * marks are printed to stderr at phase_report() as one line:
 *   dynaudit: phases (ms): config 0.4 outdir 0.1 ... total 9.8
 * each figure the time since the previous mark; the first mark ("start")
 * is the origin and prints nothing of its own.  Without the variable
 * every call returns at once.  Not thread-safe: the main thread only.
 * At most PHASE_TIMES_MAX marks are kept; the rest are dropped.
 */
#ifndef DYNAUDIT_PHASE_TIMES_H
#define DYNAUDIT_PHASE_TIMES_H

#include <stdio.h>

#define PHASE_TIMES_MAX 48

/* name must outlive the process (a string literal). */
void phase_mark(const char *name);

/* Print the marks (when enabled) to f and forget them. */
void phase_report(FILE *f);

#endif

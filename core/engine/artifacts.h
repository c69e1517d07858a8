/*
 * artifacts.h — the raw files of an audit, written from bus events:
 *   events.jsonl   every event (replayable)
 *   trace.log      strace-style lines of syscall events ("PID TIME text")
 *   stdout.log / stderr.log   the target's output lines
 *   sockets.txt    ss-style socket rows seen by the snapshots
 *   processes.txt  ps-style process rows seen by the snapshots
 *   fs-events.log  inotifywait-style lines
 * Each is written to a hidden temporary name and renamed into place by
 * artifacts_close(), so a reader never sees a half-written file; an
 * interrupted audit still closes (and so publishes) them.
 */
#ifndef DYNAUDIT_ARTIFACTS_H
#define DYNAUDIT_ARTIFACTS_H

#include <stddef.h>

#include "engine/bus.h"

struct artifacts;

/* Creates the files in the output directory dirfd (outdir.h; duplicated,
 * the caller keeps its own fd) as exclusive, no-follow temporaries, and
 * subscribes to bus.  write_events: events.jsonl; write_others: the rest. */
int artifacts_open(struct artifacts **out, int dirfd, struct bus *bus, int write_events,
		   int write_others, double window_s, char *err, size_t errlen);
/* Flush, fsync and rename every file into place; returns the first error. */
int artifacts_close(struct artifacts *a, char *err, size_t errlen);
void artifacts_free(struct artifacts *a);

#endif /* DYNAUDIT_ARTIFACTS_H */

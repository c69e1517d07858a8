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
 *
 * Caps (report.limits): events.jsonl, trace.log, fs-events.log and each
 * snapshot file go through an output_cap (output_cap.h): past its cap a
 * file keeps its head, the events that raised a new finding, the first 32
 * events of each (kind, system call, failed or not), and its tail; the
 * rest is counted per kind, and the file says where and how much it was
 * cut (events.jsonl in {"dynaudit_cut":...} records, the text files in a
 * "[dynaudit: ...]" line).  stdout.log and stderr.log are bounded by the
 * capture (output_capture.h).  Every string of an event longer than
 * report.limits.text is shortened in events.jsonl and trace.log with its
 * true length (event_text_shorten).  Only the files are cut: detectors
 * get every event whole on the bus.
 */
#ifndef DYNAUDIT_ARTIFACTS_H
#define DYNAUDIT_ARTIFACTS_H

#include <stddef.h>
#include <stdint.h>

#include "engine/bus.h"
#include "engine/output_cap.h"

struct artifacts;

/* Defaults of report.limits (config_schema.c has the same). */
#define ARTIFACT_DEFAULT_EVENTS (64ull << 20)
#define ARTIFACT_DEFAULT_TRACE (16ull << 20)
#define ARTIFACT_DEFAULT_FS_EVENTS (8ull << 20)
#define ARTIFACT_DEFAULT_SNAPSHOTS (8ull << 20)
#define ARTIFACT_DEFAULT_TEXT 1024

struct artifact_limits {
	uint64_t events, trace, fs_events, snapshots; /* bytes of each file; 0: default */
	size_t text;                                  /* bytes of one string; 0: default */
	/* Findings so far (distinct ones): an event during which the number
	 * grows led to a finding and is kept past a cap.  NULL: none known. */
	uint64_t (*findings)(void *ctx);
	void *findings_ctx;
};

/* Before the first event (later calls are ignored): caps and the finding
 * counter.  Without it the defaults apply. */
void artifacts_set_limits(struct artifacts *a, const struct artifact_limits *lim);
/* File i (0 .. until NULL for every i < 16) with a cap: its name, its
 * config key and how far it got.  Final once the last event was
 * delivered; NULL for a file without a cap or not written. */
const struct output_cap_stats *artifacts_cap_stats(const struct artifacts *a, int i,
						   const char **file, const char **limit);
/* The events being replayed came from a cut log: this events.jsonl says
 * so too ("recorded_left_out", "recorded_strings_shortened" in its last
 * cut record), so a replay of it is incomplete as well. */
void artifacts_recorded_cut(struct artifacts *a, uint64_t left_out, uint64_t shortened);
/* Strings shortened in events.jsonl (report.limits.text). */
uint64_t artifacts_strings_shortened(const struct artifacts *a);

/* Creates the files in the output directory dirfd (outdir.h; duplicated,
 * the caller keeps its own fd) as exclusive, no-follow temporaries, and
 * subscribes to bus.  write_events: events.jsonl; write_others: the rest. */
int artifacts_open(struct artifacts **out, int dirfd, struct bus *bus, int write_events,
		   int write_others, double window_s, char *err, size_t errlen);
/* Flush and rename every file into place; returns the first error. */
int artifacts_close(struct artifacts *a, char *err, size_t errlen);
void artifacts_free(struct artifacts *a);

#endif /* DYNAUDIT_ARTIFACTS_H */

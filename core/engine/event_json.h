/*
 * event_json.h — events.jsonl: every bus event as one JSON object per line,
 * and back.  The format is lossless for every member of struct da_event, so
 * `dynaudit replay --events` publishes the same events and the detectors
 * reach the same findings.
 *
 * Line shape (members that are 0/NULL/-1-for-fds are omitted):
 *   {"seq":12,"t":0.004512,"kind":"exec","pid":2,"tid":2,"ppid":1,
 *    "syscall":"execve","result":0,"path":"/usr/bin/python3",
 *    "argv":["python3","server.py"],"stdio":["/dev/null","pipe","pipe"],
 *    "text":"execve(\"/usr/bin/python3\", [\"python3\", \"server.py\"], ...) = 0"}
 * The first line is a header: {"dynaudit_events":1,"version":"0.1.0"}.
 *
 * A file the writer had to cut (report.limits, see artifacts.c and
 * output_cap.h) says so in records that are not events, each with a
 * "dynaudit_cut" member: one where events start being left out, and a
 * last one with the counts ("left_out", "left_out_by_kind",
 * "strings_shortened").  A string longer than report.limits.text is
 * written as its head, "[...dynaudit cut N of M bytes...]" and its tail.
 */
#ifndef DYNAUDIT_EVENT_JSON_H
#define DYNAUDIT_EVENT_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "engine/bus.h"

struct json_buf;

/* Append ev as one line to out (no allocation beyond a growing buffer). */
int event_json_write(FILE *out, const struct da_event *ev);
/* ev as one line (newline included) appended to b.  text_max > 0: every
 * string longer than text_max bytes is shortened (event_text_shorten;
 * an output line's detail is left alone, the capture bounds it) and
 * *shortened (when not NULL) counts them.  0 or -ENOMEM. */
int event_json_format(struct json_buf *b, const struct da_event *ev, size_t text_max,
		      uint64_t *shortened);
/* s itself when at most max bytes (or max is 0), else buf (buflen >=
 * max + 1) holding at most max bytes: the first three quarters of the
 * room, "[...dynaudit cut N of LEN bytes...]", the last quarter (whole
 * UTF-8 sequences only).  The end of a path (its file name) stays. */
const char *event_text_shorten(const char *s, size_t max, char *buf, size_t buflen);
/* The first line: format, version and, when > 0, the observation window
 * of the run (seconds), so a replay judges "the whole window" alike. */
int event_json_write_header(FILE *out, const char *version, double window_s);
/* The window recorded in path's header: 0 and *window_s set, or -errno
 * (no header, no window, unreadable). */
int event_json_header_window(const char *path, double *window_s);

struct events_replay_result {
	uint64_t lines;
	uint64_t events;
	uint64_t warnings;          /* malformed lines skipped (counted, never fatal) */
	char first_warning[256];    /* "events.jsonl:17: expected ':'" */
	double last_time_s;
	bool cut;                   /* the file has {"dynaudit_cut":...} records */
	uint64_t cut_events;        /* events its writer left out */
	uint64_t cut_strings;       /* strings it shortened */
	char cut_kinds[256];        /* "open 123456, stat 12": what was left out */
};

/* Read an events.jsonl file and publish every event, in file order, on bus.
 * Hostile input: malformed lines are counted warnings; a missing header or
 * an unreadable file is an error (-errno, message in err). */
int source_events_replay(const char *path, struct bus *bus, struct events_replay_result *res,
			 char *err, size_t errlen);

#endif /* DYNAUDIT_EVENT_JSON_H */

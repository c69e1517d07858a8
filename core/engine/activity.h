/*
 * activity.h — what the target did, counted: the "what was observed"
 * sentences of the report (programs run, where files were opened, sockets),
 * independent of any detector's judgement.  The hand-written reports this
 * tool replaces always say what *was* seen ("accessed local project files
 * under /home/auditor/app, standard libraries and cache files"), not only
 * what was wrong; this module gives the report those lines.
 *
 * Bounded: at most ACTIVITY_MAX_NAMES distinct names are kept per list; the
 * rest are counted.
 */
#ifndef DYNAUDIT_ACTIVITY_H
#define DYNAUDIT_ACTIVITY_H

#include "engine/bus.h"
#include "engine/report.h"

#define ACTIVITY_MAX_NAMES 64

struct activity;

/* Subscribe to bus.  workdir: the workdir as the target sees it. */
struct activity *activity_new(struct bus *bus, const char *workdir, const char *home);
/* Append the observation lines to each built-in category of in. */
void activity_describe(const struct activity *act, struct report_input *in);
void activity_free(struct activity *act);

#endif /* DYNAUDIT_ACTIVITY_H */

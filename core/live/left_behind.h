/*
 * left_behind.h — what the target left in its private /tmp and HOME.
 *
 * WHY.  A dropped payload ("write /tmp/.x, chmod +x, run it") is the same
 * bytes whatever name each copy of a cheating script gives it, so the
 * batch's cohort view compares submissions by the SHA-256 of the files
 * they left behind (core/batch/summary.c).  The sandbox scratch is removed
 * at the end of the run, so the list is taken just before: the audit
 * records it in report.json "left_behind".
 *
 * WHAT.  Regular files below the target's /tmp and its HOME, except the
 * workdir copy (HOME/app: the submission's own files, and whatever it
 * writes there, are the submission's business and already in its events).
 * Each: the path as the target saw it, size, executable bit, SHA-256 of
 * the whole file (none for a file over LEFT_BEHIND_HASH_MAX).
 *
 * SAFETY.  The trees are the target's: directories are entered only by
 * fsb_open_dir (no symlink, no "..", no mount crossed), files are opened
 * O_NOFOLLOW|O_NONBLOCK and must still be regular after the open, so a
 * link, FIFO or device is never read.  Bounded in files, depth, entries
 * read and wall time; whatever a bound cut is said in a report note.
 * The target is dead when this runs (after kill_everything).
 */
#ifndef DYNAUDIT_LEFT_BEHIND_H
#define DYNAUDIT_LEFT_BEHIND_H

#include "live/sandbox.h"

#define LEFT_BEHIND_MAX_FILES 64
#define LEFT_BEHIND_HASH_MAX (16u << 20)
#define LEFT_BEHIND_MAX_DEPTH 16
#define LEFT_BEHIND_MAX_ENTRIES 4096   /* directory entries looked at */
#define LEFT_BEHIND_MAX_SECONDS 5.0

struct audit;

/* List the files into the audit (audit_add_left_behind); never fails the
 * run: a tree that cannot be opened or a bound reached becomes a note.
 * planted: files dynaudit itself put in HOME ("~/.aws/credentials": the
 * honeytokens), NULL-terminated or NULL; they are not the target's. */
void left_behind_record(const struct sandbox *sb, struct audit *a, const char *const *planted);

#endif /* DYNAUDIT_LEFT_BEHIND_H */

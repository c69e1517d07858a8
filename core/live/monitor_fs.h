/*
 * monitor_fs.h — the filesystem monitor: inotify on the host directories
 * that back the target's workdir, /tmp and HOME.
 *
 * Each root is a host path (what dynaudit can watch from outside) and the
 * path the target sees for it; events are published as DA_EV_FS_MONITOR
 * with path = the file in the target's view, detail = the inotifywait event
 * names ("CREATE", "CLOSE_WRITE,CLOSE", "CREATE,ISDIR") and text = the
 * inotifywait-style line ("/tmp/ CREATE x").
 *
 * Recursive: a directory that appears gets its own watch, and is scanned
 * for entries created before the watch existed (published as CREATE, so
 * nothing created in that race is missed; a file may then be reported
 * twice).  Symlinks are never followed: every directory below a root is
 * opened fd-relative from the root's fd or its parent's (fs_beneath.h) and
 * watched through /proc/self/fd/N of that fd, so a target that swaps a
 * directory for a symlink to the host's / gets the watch refused, never
 * the host listed.  The number of watches is capped;
 * directories beyond the cap are counted (stats.watches_refused), not
 * watched.  A kernel queue overflow (IN_Q_OVERFLOW) means events were lost:
 * it is counted with bus_count_lost() and in stats.overflows.
 *
 * Nothing here prints or exits.  One thread (the run loop).
 */
#ifndef DYNAUDIT_MONITOR_FS_H
#define DYNAUDIT_MONITOR_FS_H

#include <stddef.h>
#include <stdint.h>

#include "engine/bus.h"

struct monitor_fs;

struct monitor_fs_stats {
	uint64_t events;          /* published */
	uint64_t overflows;       /* IN_Q_OVERFLOW seen */
	uint64_t watches;         /* live watches */
	uint64_t watches_refused; /* directories not watched (cap, depth, errors) */
	uint64_t modify_merged;   /* repeated MODIFY of one file folded into one */
};

#define MONITOR_FS_MAX_WATCHES 4096
#define MONITOR_FS_MAX_DEPTH 32

/* clock gives the event time (NULL: 0).  Returns 0 or negative errno with a
 * message. */
int monitor_fs_new(struct monitor_fs **out, struct bus *bus, double (*clock)(void *ctx),
		   void *clock_ctx, char *err, size_t errlen);

/* Watch host_dir and everything below it; events show view_dir instead of
 * host_dir ("/tmp").  host_dir is dynaudit's own path (opened once, last
 * component not followed); nothing below it is ever resolved by path.
 * Entries already present are not reported.  At most 8 roots.  Returns 0
 * or negative errno with a message. */
int monitor_fs_add_root(struct monitor_fs *m, const char *host_dir, const char *view_dir,
			char *err, size_t errlen);

/* The inotify fd (non-blocking) to poll for POLLIN. */
int monitor_fs_fd(const struct monitor_fs *m);

/* Read and publish the queued events (at most about 1 MiB of them per
 * call, so a storm cannot hold the caller).  Returns the number published,
 * or negative errno on a read error. */
int monitor_fs_read(struct monitor_fs *m);

const struct monitor_fs_stats *monitor_fs_get_stats(const struct monitor_fs *m);

/* Remove every watch (after the last monitor_fs_read): nothing more is
 * reported.  The kernel frees the watches in the background, and closing
 * the inotify fd waits until it has (an SRCU grace period: about 10 ms on
 * a small VM, most of a short audit's run time).  So stop as early as
 * possible and close as late as possible: monitor_fs_release_fd() hands
 * the fd over to be closed after the reports.  NULL is fine. */
void monitor_fs_stop(struct monitor_fs *m);
/* Stops, then gives the inotify fd to the caller (who closes it); -1
 * when there is none.  monitor_fs_free() then closes nothing. */
int monitor_fs_release_fd(struct monitor_fs *m);

/* NULL is fine. */
void monitor_fs_free(struct monitor_fs *m);

/* "CLOSE_WRITE,CLOSE" for an inotify mask, in inotifywait's order.
 * Exported for tests. */
const char *monitor_fs_event_names(uint32_t mask, char *buf, size_t len);

#endif /* DYNAUDIT_MONITOR_FS_H */

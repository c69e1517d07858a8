/*
 * monitor_snapshot.h — periodic process and socket snapshots of the
 * sandbox (what `ps` and `ss` would show from inside it).
 *
 * Processes: every process of the host /proc whose pid namespace is the
 * sandbox init's, shown with its pid in that namespace (NSpid).  The init
 * itself is sandbox machinery and is left out.
 * Sockets: NETLINK_SOCK_DIAG dumps (inet_diag for TCP/UDP over IPv4/IPv6,
 * unix_diag for unix sockets) made from inside the sandbox's network
 * namespace, mapped to their owners through the socket inodes in
 * /proc/<pid>/fd of the sandbox processes.  With the host network (no
 * netns fd) only sockets owned by sandbox processes are shown.
 *
 * Each snapshot publishes only what is new: a DA_EV_PROC_SNAPSHOT row for a
 * process that appeared or changed state/command, a DA_EV_SOCK_SNAPSHOT row
 * for a socket that appeared or changed state/owner.  The very first
 * process snapshot is preceded by one header row (pid 0, detail
 * "USER PID PPID STAT ELAPSED COMMAND").
 *
 * Nothing here prints or exits.  Snapshots are taken either by the caller
 * (monitor_snapshot_take) or, in a live run, by a thread of their own
 * (monitor_snapshot_start): a /proc read of a target in the middle of a
 * fork waits for the fork, and a fork bomb makes that seconds per
 * process; the run loop must not wait with it.  That thread publishes on
 * the bus, so the bus must deliver asynchronously while it runs (see
 * bus.h).  A short-lived helper thread enters the network namespace once,
 * in monitor_snapshot_new().
 */
#ifndef DYNAUDIT_MONITOR_SNAPSHOT_H
#define DYNAUDIT_MONITOR_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "engine/bus.h"

struct monitor_snapshot;

struct monitor_snapshot_options {
	struct bus *bus;
	pid_t init_host_pid;  /* the sandbox init: defines the pid namespace */
	int netns_fd;         /* sandbox network namespace, or -1 for ours (not kept) */
	double (*clock)(void *ctx); /* event time; NULL: 0 */
	void *clock_ctx;
	/* (addition) Sockets of dynaudit's own inside the sandbox's namespace
	 * (the connect sink's): true for an inode that is not to be shown.
	 * Called from the snapshot thread; NULL: none. */
	bool (*hidden_socket)(void *ctx, uint64_t ino);
	void *hidden_ctx;
};

struct monitor_snapshot_stats {
	uint64_t snapshots;
	uint64_t process_rows;  /* published */
	uint64_t socket_rows;   /* published */
	uint64_t diag_errors;   /* sock_diag dumps that failed */
	uint64_t rows_dropped;  /* processes/sockets beyond the per-snapshot caps */
};

/* Returns 0 or negative errno with a message.  When the network namespace
 * cannot be entered, socket snapshots are disabled (sockets_enabled()
 * false, reason in err) but 0 is still returned: processes still work. */
int monitor_snapshot_new(struct monitor_snapshot **out, const struct monitor_snapshot_options *opt,
			 char *err, size_t errlen);

/* Take one snapshot and publish the changes.  Returns the rows published,
 * or negative errno when /proc cannot be read. */
int monitor_snapshot_take(struct monitor_snapshot *m);

/* The snapshot thread: a first snapshot after first_s, then one every
 * interval_s, published as monitor_snapshot_take() does.  While it runs,
 * call nothing else on m but request/done_fd/stop.  0 or negative errno. */
int monitor_snapshot_start(struct monitor_snapshot *m, double first_s, double interval_s);
/* Ask the thread for one more snapshot now (the end of the window) and
 * return at once; done_fd becomes readable when it was published. */
int monitor_snapshot_request(struct monitor_snapshot *m);
int monitor_snapshot_done_fd(const struct monitor_snapshot *m); /* -1: no thread */
/* End the thread (a snapshot in progress is cut short and not published)
 * and join it; kill what it reads first.  No-op without a thread;
 * monitor_snapshot_free() does it too. */
void monitor_snapshot_stop(struct monitor_snapshot *m);

/* Host pids of the sandbox processes seen by the last snapshot (init
 * excluded); valid until the next take. */
size_t monitor_snapshot_host_pids(const struct monitor_snapshot *m, const pid_t **pids);

bool monitor_snapshot_sockets_enabled(const struct monitor_snapshot *m);
const struct monitor_snapshot_stats *monitor_snapshot_get_stats(const struct monitor_snapshot *m);

/* NULL is fine. */
void monitor_snapshot_free(struct monitor_snapshot *m);

/* readlink of /proc/<pid>/ns/pid ("pid:[4026532xyz]") into buf: the
 * identity of the sandbox pid namespace, still usable after its init died.
 * Returns 0 or negative errno. */
int snapshot_pidns_link(pid_t pid, char *buf, size_t len);

/* Host pids of every process whose pid namespace is pidns_link (as given
 * by snapshot_pidns_link), except pid `exclude`: malloc'd array in *pids,
 * count returned, or negative errno.  Used to signal everything at the end
 * of the window and to check that nothing survived. */
ssize_t snapshot_list_pids(const char *pidns_link, pid_t exclude, pid_t **pids);

#endif /* DYNAUDIT_MONITOR_SNAPSHOT_H */

/*
 * procstate.h — what the core knows about each traced process: parent, cwd,
 * and its fd table (what every fd is), so that a detector can be told that
 * fd 0 of a shell is a socket, and paths resolve the way the kernel would.
 *
 * Used by both event sources that decode syscalls: the strace-log decoder
 * (core/recorded) and the live tracer (core/live).  Pure bookkeeping: no
 * syscalls, no I/O, nothing printed.
 *
 * Sharing: threads (CLONE_THREAD) and clone(CLONE_FILES) children share one
 * fd table; CLONE_FS children share the cwd.  fork copies both.  exec drops
 * close-on-exec fds and un-shares the table.
 *
 * Ownership: strings passed in are copied; strings returned are owned by
 * the procstate and valid until the next call that changes that process.
 */
#ifndef DYNAUDIT_PROCSTATE_H
#define DYNAUDIT_PROCSTATE_H

#include <stdbool.h>
#include <stddef.h>

struct procstate;

/* initial_cwd: cwd of the first process (the workdir). */
struct procstate *procstate_new(const char *initial_cwd);
void procstate_free(struct procstate *ps);

/* Process lifecycle.  A pid seen for the first time is created on demand
 * with the initial cwd and fds 0-2 unknown. */
void procstate_fork(struct procstate *ps, int parent, int child, bool thread,
		    bool share_files, bool share_fs);
void procstate_exec(struct procstate *ps, int pid);
void procstate_exit(struct procstate *ps, int pid);
int procstate_ppid(const struct procstate *ps, int pid);    /* 0 when unknown */
bool procstate_known(const struct procstate *ps, int pid);
/* Thread group leader of tid (tid itself when unknown). */
int procstate_tgid(const struct procstate *ps, int tid);

/* Fd table.  desc follows the "Fd descriptions" grammar of dynaudit/event.h. */
void procstate_fd_set(struct procstate *ps, int pid, int fd, const char *desc, bool cloexec);
const char *procstate_fd_get(const struct procstate *ps, int pid, int fd); /* NULL: not open */
void procstate_fd_close(struct procstate *ps, int pid, int fd);
/* dup/dup2/dup3/F_DUPFD: newfd gets oldfd's description. */
void procstate_fd_dup(struct procstate *ps, int pid, int oldfd, int newfd, bool cloexec);
void procstate_fd_set_cloexec(struct procstate *ps, int pid, int fd, bool cloexec);

/* Working directory.  path must be absolute. */
void procstate_chdir(struct procstate *ps, int pid, const char *abs_path);
const char *procstate_cwd(const struct procstate *ps, int pid);

/* Symlinks learned from symlink()/symlinkat() events (replay) so later paths
 * through them resolve to their targets.  linkpath absolute; target as
 * written (relative targets are relative to the link's directory). */
void procstate_add_symlink(struct procstate *ps, const char *linkpath, const char *target);

/* Resolve path as the kernel would for pid: relative to dirfd (AT_FDCWD =
 * -100: the cwd; else the directory the fd describes), "." and ".."
 * collapsed, learned symlinks followed (at most 40 hops).  Writes an
 * absolute path into buf and returns buf; returns NULL when it does not
 * fit.  An empty path resolves to the dirfd itself (AT_EMPTY_PATH). */
char *procstate_resolve(const struct procstate *ps, int pid, int dirfd, const char *path,
			char *buf, size_t len);

/* Lexical normalization alone: collapse "//", "." and ".." of an absolute
 * path in place.  Returns path. */
char *path_normalize(char *path);

/* Magic links the kernel follows to somewhere else: /proc/{self,
 * thread-self,N}/{root,cwd,fd/M} (also under task/T/) and /dev/fd/M, each
 * maybe followed by more path ("/proc/self/root/etc/shadow" is
 * /etc/shadow).  For a normalized absolute path: the kind (MAGIC_NONE when
 * it is none of them); *pid is 0 for self/thread-self, *fd the M of fd/M,
 * *rest what follows the link ("" or "/..."). */
enum path_magic { MAGIC_NONE, MAGIC_ROOT, MAGIC_CWD, MAGIC_FD };
enum path_magic path_magic_parse(const char *path, int *pid, int *fd, const char **rest);

#endif /* DYNAUDIT_PROCSTATE_H */

/*
 * fdtab.h — the fd table of procstate (internal to core/common): what each
 * open fd of a process is, shared the way the kernel shares it, and cheap to
 * copy whatever fd numbers a hostile log uses.
 *
 * Two levels.  A struct fdtab is the kernel's files_struct: threads and
 * CLONE_FILES children hold the same one (fdtab_ref), and a change made
 * through it is seen by all of them.  Its entries live in a store that
 * fork copies share copy-on-write: a fork costs O(1), and the first change
 * through either side copies the store, in O(open fds) — not O(highest
 * fd): fds below FDTAB_DENSE sit in an array, higher ones in a hash of
 * open fds only, so one dup2(1, 1048000) followed by thousands of forks
 * costs a few entries each.
 *
 * Marks (procstate_fd_mark) belong to one (process, fd): a fork copy starts
 * with none, which the copy-on-write honours by clearing them when the
 * child first writes (and by never reporting the parent's before that).
 *
 * Out of memory: a change is dropped (the fd stays as it was or unknown);
 * nothing here crashes on it.
 */
#ifndef DYNAUDIT_FDTAB_H
#define DYNAUDIT_FDTAB_H

#include <stdbool.h>
#include <stddef.h>

#define FDTAB_DENSE 1024       /* fds below this: array slots */
#define FDTAB_LIMIT (1 << 20)  /* fds at or above this are ignored (above any RLIMIT_NOFILE) */
#define FDTAB_SPARSE_MAX 65536 /* open fds >= FDTAB_DENSE kept per table; more are ignored */

struct fd_entry {
	int fd;
	char *desc;           /* "unknown" when NULL */
	unsigned char open;
	unsigned char cloexec;
	signed char origin;   /* 0..2: original stdio fd it still is; -1 none */
	unsigned marks;
};

struct fdtab;

struct fdtab *fdtab_new(void);
/* Another holder of the same table (thread, CLONE_FILES). */
struct fdtab *fdtab_ref(struct fdtab *t);
void fdtab_unref(struct fdtab *t);
/* A table of its own with the same entries (fork: marks cleared; exec
 * un-sharing a CLONE_FILES table: marks kept).  O(1): copy-on-write. */
struct fdtab *fdtab_copy(struct fdtab *t, bool keep_marks);
/* Whether another holder shares t (threads, CLONE_FILES). */
bool fdtab_shared(const struct fdtab *t);

/* The open entry of fd, or NULL.  Read-only: valid until the next change. */
const struct fd_entry *fdtab_get(const struct fdtab *t, int fd);
/* The entry of fd to change (open or not; created closed with origin -1
 * when absent), the table made private first.  NULL for an fd out of
 * range or no memory. */
struct fd_entry *fdtab_edit(struct fdtab *t, int fd);
/* Close fd (its entry forgotten). */
void fdtab_close(struct fdtab *t, int fd);
/* For each open fd in [lo, hi]: close it, or with cloexec only set its
 * close-on-exec flag.  O(open fds). */
void fdtab_close_range(struct fdtab *t, int lo, int hi, bool cloexec);
/* exec: drop the close-on-exec fds. */
void fdtab_drop_cloexec(struct fdtab *t);
/* One past the highest fd the table has held. */
int fdtab_limit(const struct fdtab *t);

#endif /* DYNAUDIT_FDTAB_H */

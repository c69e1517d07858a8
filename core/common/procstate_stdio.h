/*
 * procstate_stdio.h — additions to procstate.h (same module, additive): what
 * an fd entry remembers beyond its description.
 *
 *   origin  which of the first process's original fds 0/1/2 this fd still
 *           is.  It survives dup (dup2(1, 5): fd 5 is the original stdout
 *           too), fork and exec, and is lost when the fd is closed or
 *           re-pointed (open/dup2 onto it).  The strace decoder uses it to
 *           turn writes to the original stdout/stderr into output lines.
 *   marks   a few bits a decoder sets on an open fd ("first write seen");
 *           cleared whenever the fd is re-pointed or closed, and in a
 *           forked child (the "first per (pid, fd)" rule).
 */
#ifndef DYNAUDIT_PROCSTATE_STDIO_H
#define DYNAUDIT_PROCSTATE_STDIO_H

#include "common/procstate.h"

/* Mark fds 0..2 of pid as the original stdin/stdout/stderr with desc. */
void procstate_set_original_stdio(struct procstate *ps, int pid, const char *desc);
/* 0, 1 or 2 when fd is still that original stdio fd; -1 otherwise. */
int procstate_fd_origin(const struct procstate *ps, int pid, int fd);
/* Replace the description of an open fd without changing its origin or
 * marks (the kernel told us more, e.g. a strace -y annotation).  Opens the
 * fd (as not close-on-exec) when it was unknown. */
void procstate_fd_refine(struct procstate *ps, int pid, int fd, const char *desc);
/* Sets bits on an open fd; returns the bits that were set before (0 when
 * the fd is not open). */
unsigned procstate_fd_mark(struct procstate *ps, int pid, int fd, unsigned bits);
/* close_range(lo, hi[, CLOSE_RANGE_CLOEXEC]): O(open fds), however wide. */
void procstate_fd_close_range(struct procstate *ps, int pid, int lo, int hi, bool cloexec);
/* One past the highest fd slot pid's table has ever held (bounds loops
 * such as close_range(3, ~0U)). */
int procstate_fd_limit(const struct procstate *ps, int pid);
/* Number of processes currently known (alive). */
size_t procstate_count(const struct procstate *ps);

#endif /* DYNAUDIT_PROCSTATE_STDIO_H */

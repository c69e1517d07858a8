/*
 * strace_glue.h — program output glued in front of a strace line.
 *
 * When the target's stderr is strace's output (strace without -o, or -o
 * /dev/stderr), bytes it writes without a newline end up at the start of
 * strace's next line: "payload[pid 12] execve(\"/bin/sh\", ...) = 0" or
 * "xexecve(...)".  A program could hide a call that way.  A strace line has
 * recognisable parts — a "[pid N]" prefix, a timestamp, a known syscall
 * name followed by '(' and a tail ") = N", "<unfinished ...>", or a
 * "<... resumed>", "--- SIGX", "+++ exited" start — so the call can be
 * found again behind the output.
 */
#ifndef DYNAUDIT_STRACE_GLUE_H
#define DYNAUDIT_STRACE_GLUE_H

#include <stdbool.h>
#include <stddef.h>

/* Where the strace line inside line[0..len) starts, prefix and timestamp
 * included, when something else was glued in front of it: true with *at >
 * 0.  Tries a bounded number of candidate starts (linear in len each). */
bool strace_find_glued(const char *line, size_t len, size_t *at);

/* Whether a line that could not be read still looks like (part of) a call:
 * it holds a strace tail, so a call was lost, not just program output. */
bool strace_has_call_tail(const char *line, size_t len);

/* The ')' of the last result tail ")<spaces>= " in line[0..len) (strace
 * pads the result to a column), or NULL. */
const char *strace_find_result(const char *line, size_t len);

#endif /* DYNAUDIT_STRACE_GLUE_H */

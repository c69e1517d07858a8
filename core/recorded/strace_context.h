/*
 * strace_context.h — where a strace log was recorded: the first process's
 * working directory, HOME and user, inferred from the log itself, so that a
 * log recorded in someone's own home (not in dynaudit's sandbox, whose
 * layout is HOME/app) is judged against that home, not as "another user's".
 *
 * Evidence, strongest first (each fact records where it came from):
 *   cwd   a getcwd() result of the first process before it changes
 *         directory; a -y annotation of AT_FDCWD (AT_FDCWD</a/b>) or of
 *         a relative open ("x" = 3</a/b/x>);
 *         a relative name of the first execve (program or argument, e.g.
 *         `python3 app.py`) met again as the tail of an absolute path the
 *         process uses ("/home/u/proj/app.py").
 *   HOME  HOME= of the first execve's environment (strace -v); else the
 *         home the cwd lies in (/home/U/..., /root/...); else the home the
 *         process keeps its own XDG state in (the first
 *         /home/U/.config|.cache|.local or /root/... it touches); else,
 *         in a log without execve (attached with -p, an excerpt), the
 *         first /home/U a non-hidden path lies in; else /root when the
 *         first process runs as uid 0.
 *   user  uid 0 from getuid()/geteuid() is root; else the U of /home/U.
 * Only the first SCAN_LINES lines are read: a log's start says where it was
 * recorded.  Credentials (~/.ssh and such) are never taken as evidence of
 * whose home it is.
 */
#ifndef DYNAUDIT_STRACE_CONTEXT_H
#define DYNAUDIT_STRACE_CONTEXT_H

#include <stdbool.h>
#include <stddef.h>

struct strace_context {
	char cwd[4096];      /* "" when unknown */
	char home[4096];
	char user[256];
	const char *cwd_from;  /* static: "getcwd()", "-y annotation"... ; NULL when unknown */
	const char *home_from;
	const char *user_from;
};

/* Read the start of the log at path (a combined file, or the PREFIX of
 * -ff files: the lowest PREFIX.PID is read).  Never fails: what cannot be
 * read or inferred stays empty. */
void strace_infer_context(const char *path, struct strace_context *out);

#endif /* DYNAUDIT_STRACE_CONTEXT_H */

/*
 * strace_extra.h — strace's own output that is not a call line: -k stack
 * frames (" > /lib/libc.so.6(__execve+0xb) [0xe5f3b]"), -e read=/write= hex
 * dumps (" | 00000  68 65 6c 6c 6f  hello |"), the -c/-C summary table
 * ("% time     seconds ...", "------ ----", "  0.00 0.000000 0 1 read",
 * "100.00 ... total"), and strace 4.x process notes ("Process 12 attached
 * (waiting for parent)", "Process 12 resumed (parent 11 ready)"), which
 * strace may write in the middle of a call's line.  The replay reads them
 * as what they are — counted and named in the report — instead of as
 * unparsable input (and a summary row's "100.00" is not a -ttt timestamp).
 */
#ifndef DYNAUDIT_STRACE_EXTRA_H
#define DYNAUDIT_STRACE_EXTRA_H

#include <stdbool.h>
#include <stddef.h>

enum strace_extra {
	STRACE_EXTRA_NONE = 0,
	STRACE_EXTRA_STACK,    /* -k */
	STRACE_EXTRA_HEXDUMP,  /* -e read= / -e write= (and -x dumps of sendmsg...) */
	STRACE_EXTRA_SUMMARY,  /* -c / -C table */
	STRACE_EXTRA_KINDS
};

/* What line[0..len) is (linear, cheap on call lines: most are rejected
 * on their first bytes). */
enum strace_extra strace_extra_kind(const char *line, size_t len);

/* A process note of strace 4.x/5.x ending line[0..len) ("... Process 12
 * attached (waiting for parent)"): true with *cut where it starts (0 when
 * the line is nothing but the note), so the call it interrupted can be
 * glued to the line that continues it. */
bool strace_ends_with_process_note(const char *line, size_t len, size_t *cut);

#endif /* DYNAUDIT_STRACE_EXTRA_H */

/*
 * strace_decode.h — complete strace records -> bus events.
 *
 * The decoder owns a procstate (fd tables, cwd, parents) and applies every
 * record to it in log order, so each event carries resolved paths and fd
 * descriptions the way the kernel saw them.  Every complete call publishes
 * at least one event: a specific kind when the syscall has one (see
 * dynaudit/event.h), else DA_EV_SYSCALL_OTHER, so nothing in the log is
 * lost.  The event's text is the evidence line given by the caller.
 *
 * Not thread-safe; one decoder per replay.
 */
#ifndef DYNAUDIT_STRACE_DECODE_H
#define DYNAUDIT_STRACE_DECODE_H

#include <stdbool.h>
#include <stdint.h>

#include "engine/bus.h"
#include "recorded/strace_lexer.h"

struct strace_decoder;

/* initial_cwd: cwd of the first process (NULL: "/").  NULL on no memory. */
struct strace_decoder *strace_decoder_new(const char *initial_cwd, struct bus *bus);
void strace_decoder_free(struct strace_decoder *d);

/* The first process of the log: its fds 0-2 are the original stdio, its
 * end is the target's end.  Call before the first record. */
void strace_decoder_set_main(struct strace_decoder *d, int pid);

/* Whether records arrive in the order they completed (default: yes: one
 * combined log).  Per-pid files (-ff) come file after file, or merged by
 * the time each call was entered: a parent's wait4 may then precede its
 * child's whole life, so a reap cannot be taken as the child's end. */
void strace_decoder_set_ordered(struct strace_decoder *d, bool ordered);

/* An unfinished clone/fork/vfork first half (head = "clone(... flags=..."):
 * a pid that shows up before the call returns is that call's child. */
void strace_decoder_note_unfinished(struct strace_decoder *d, int tid,
				    const struct strace_rec *rec);

/* Decode one complete record (CALL, SIGNAL, EXITED or KILLED) of thread tid
 * at time_s.  text: the evidence line (NUL-terminated).  Returns 0, or -1
 * with *why when the record is malformed (it still publishes what it can). */
int strace_decode(struct strace_decoder *d, int tid, double time_s, const struct strace_rec *rec,
		  const char *text, const char **why);

/* End of input: flush partial output lines; if the main process never
 * ended, publish DA_EV_TARGET_EXIT with arg[2] = 1 (still running). */
void strace_decoder_finish(struct strace_decoder *d, double time_s);

uint64_t strace_decoder_events(const struct strace_decoder *d);
/* The pids and ports the published events named (source_strace.h's
 * struct strace_ties); ownership passes to the caller. */
struct strace_ties;
void strace_decoder_take_ties(struct strace_decoder *d, struct strace_ties *out);
/* argv of the first successful execve (else of the first attempted one):
 * malloc'd, NULL-terminated; ownership passes to the caller.  NULL if none. */
char **strace_decoder_take_command(struct strace_decoder *d);

#endif /* DYNAUDIT_STRACE_DECODE_H */

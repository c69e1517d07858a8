/*
 * source_strace.h — replay of a recorded `strace -f` log, and of an `ss`
 * listing, as bus events.
 *
 * The parser accepts strace output with or without -tt/-ttt/-T/-y/-yy/-s N/
 * -v/-x, with `-f` pid prefixes ("[pid 123] " or "123 "), combined or
 * per-pid (-ff -o PREFIX: pass PREFIX or any PREFIX.PID file), and merges
 * "<unfinished ...>" / "<... resumed>" pairs across pids.  It keeps a
 * procstate (fds, cwd) per pid so events carry resolved paths and fd
 * descriptions.  Writes to fds 1/2 that still are the original stdout and
 * stderr become DA_EV_OUTPUT lines; the first process's end becomes
 * DA_EV_TARGET_EXIT.  Hostile or broken lines are counted warnings, never a
 * crash.  An unreadable file, or one in which no line is a syscall (empty,
 * binary, not strace output), is an error.  A log cut mid-line, or one
 * with more than 10% (and 20) unparsable lines, is replayed but its lost
 * lines are counted on the bus (bus_count_lost: the report is then marked
 * incomplete) and described in res->incomplete.
 */
#ifndef DYNAUDIT_SOURCE_STRACE_H
#define DYNAUDIT_SOURCE_STRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/bus.h"

#define STRACE_NOTES_MAX 8

/* What ties a socket to the replayed run: the pids of the log and the
 * ports its calls bound, listened on, connected to or sent to (sorted,
 * unique; malloc'd). */
struct strace_ties {
	int *pids;
	size_t n_pids;
	int *ports;
	size_t n_ports;
};

struct strace_replay_result {
	uint64_t lines;
	uint64_t events;
	uint64_t warnings;          /* lines that could not be parsed */
	char first_warning[256];    /* "x.log:17: unterminated string" */
	char **command;             /* argv of the first execve (malloc'd, NULL-terminated) or NULL */
	double last_time_s;         /* time of the last line (0 without timestamps) */
	int main_pid;               /* first pid of the log */
	bool truncated;             /* the last line was cut (no newline, unparsable) */
	char incomplete[256];       /* why the replay saw only part of the run, "" if whole */
	uint64_t glued_recovered;   /* calls found behind program output on their line */
	uint64_t glued_lost;        /* strace lines mixed with output that could not be read */
	/* what the replay knowingly skipped or could not see, for the report */
	char notes[STRACE_NOTES_MAX][320];
	size_t n_notes;
	struct strace_ties ties;
};

/* initial_cwd: cwd of the first process (target.workdir), NULL: "/".
 * Returns 0, or negative errno with err set: the file cannot be read
 * (-ENOENT...), or holds no syscall line (-ENODATA); events published
 * before such an error are meaningless. */
int source_strace_replay(const char *path, const char *initial_cwd, struct bus *bus,
			 struct strace_replay_result *res, char *err, size_t errlen);
void strace_replay_result_free(struct strace_replay_result *res);

struct ss_replay_result {
	uint64_t lines;
	uint64_t sockets;
	uint64_t untied;            /* rows neither a pid nor a port tied to the run */
	uint64_t warnings;
	char first_warning[256];
};

/* `ss -tunap` / `ss -tulpn` output -> DA_EV_SOCK_SNAPSHOT events at time_s. */
int source_ss_replay(const char *path, double time_s, struct bus *bus,
		     struct ss_replay_result *res, char *err, size_t errlen);
/* The same, keeping only the rows that belong to the run: an ss listing is
 * of the whole machine (sshd, a database...), a row is the run's when its
 * users:(("x",pid=N,...)) pid is a pid of the log or its local or peer port
 * is one the log's calls used.  ties NULL: every row. */
int source_ss_replay_tied(const char *path, double time_s, const struct strace_ties *ties,
			  struct bus *bus, struct ss_replay_result *res, char *err, size_t errlen);

#endif /* DYNAUDIT_SOURCE_STRACE_H */

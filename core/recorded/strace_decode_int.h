/*
 * strace_decode_int.h — what the decoder's files share (internal to
 * core/recorded): the decoder state, the call being decoded, and helpers to
 * read its arguments and publish events.  strace_decode.c holds the engine
 * and the process syscalls; strace_decode_file.c, _net.c and _priv.c one
 * family each.
 */
#ifndef DYNAUDIT_STRACE_DECODE_INT_H
#define DYNAUDIT_STRACE_DECODE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/procstate.h"
#include "common/procstate_stdio.h"
#include "engine/bus.h"
#include "recorded/strace_args.h"
#include "recorded/strace_decode.h"

#define DEC_MAX_ARGS 8
#define DEC_MAX_KEEP 64
#define DEC_PATH_MAX 8192

/* fd marks (procstate_fd_mark): first write / send / recv seen. */
#define MARK_WRITE 1u
#define MARK_SEND 2u
#define MARK_RECV 4u

struct outpid;    /* partial output lines, per pid (strace_decode_out.c) */
struct mapping;   /* file mappings, for mprotect */

struct strace_decoder {
	struct bus *bus;
	struct procstate *ps;
	int main_pid;
	bool main_ended;
	bool unordered;   /* per-pid files read one after the other */
	uint64_t events;
	char **command;
	bool command_from_success;
	/* unfinished clone calls: a new pid that appears meanwhile is their child */
	struct pending_clone {
		int tid;
		int64_t flags;
	} *pending;
	size_t n_pending, cap_pending;
	struct outpid *out;       /* hash by pid: the pids with a partial line pending */
	size_t n_out, cap_out;    /* used slots, slots (power of two or 0) */
	struct mapping *maps;
	size_t n_maps, cap_maps;
	/* Process ends the log shows only indirectly: the status exit_group
	 * asked for while no "+++ exited" line came (-qq), and pids whose end
	 * was published from a parent's wait4/waitid (-qq, -e signal=none),
	 * so that a late "+++" line is not a second end.  Bounded. */
	struct proc_end {
		int pid;
		int64_t code;      /* exit_group's status; -1 unknown */
		bool published;    /* DA_EV_PROC_EXIT is out */
	} *ends;
	size_t n_ends, cap_ends;
	/* pids and ports of the events (strace_decoder_take_ties), unsorted */
	int *tie_pids, *tie_ports;
	size_t n_tie_pids, cap_tie_pids, n_tie_ports, cap_tie_ports;
	/* which family decodes a syscall name (strace_decode.c: the families
	 * choose by name alone, so the chain of strcmp runs once per name) */
	struct family_slot {
		char name[32];     /* "" empty */
		signed char family;
	} families[512];
	/* strings owned until the current record is done */
	char *keep[DEC_MAX_KEEP];
	size_t n_keep;
};

/* One complete call being decoded. */
struct call {
	int tid, pid, ppid;
	double time_s;
	const struct strace_rec *rec;
	const char *name;           /* NUL-terminated syscall name */
	struct strace_span a[DEC_MAX_ARGS];
	size_t nargs;
	const char *text;
	bool ok;                    /* returned >= 0 (or "?" without error) */
	int64_t result;
	int err;
	const char *errname;
};

/* ---- helpers (strace_decode.c) ---- */
/* A string that lives until the record is done (takes ownership; NULL ok). */
const char *dec_keep(struct strace_decoder *d, char *s);
/* Event prefilled from the call: syscall, pid, tid, ppid, time, result,
 * err, errname, text. */
void dec_event(const struct call *c, struct da_event *ev, enum da_event_kind kind);
void dec_publish(struct strace_decoder *d, struct da_event *ev);
/* Arg i as an integer (false when missing or not a number). */
bool dec_int(const struct call *c, size_t i, int64_t *v);
/* Arg i as a decoded string (kept), NULL when not a string. */
const char *dec_str(struct strace_decoder *d, const struct call *c, size_t i);
/* Resolve arg i (a path string) against dirfd arg di (or AT_FDCWD when di
 * < 0); raw receives the path as written.  Uses the dirfd's -y annotation
 * when it has one.  NULL when arg i is not a string. */
const char *dec_path(struct strace_decoder *d, const struct call *c, int di, size_t i,
		     const char **raw);
/* Description of fd arg i: learns from its -y annotation first. */
const char *dec_fd_desc(struct strace_decoder *d, const struct call *c, size_t i, int *fd);
/* fd description from a -y/-yy annotation (kept), NULL when it says nothing. */
const char *dec_annot_desc(struct strace_decoder *d, struct strace_span annot);
/* Description of an fd (kept copy: survives later procstate changes). */
const char *dec_fd_get(struct strace_decoder *d, int pid, int fd);
/* Apply a -y annotation of the result (new fd) to the table. */
void dec_learn_result_fd(struct strace_decoder *d, const struct call *c, int fd);

/* Flag tables. */
extern const struct strace_flag dec_open_flags[];
extern const struct strace_flag dec_clone_flags[];
extern const struct strace_flag dec_prot_flags[];
extern const struct strace_flag dec_mode_flags[];
extern const struct strace_flag dec_af_names[];
extern const struct strace_flag dec_sock_types[];
/* "CLONE_NEWUSER|CLONE_NEWNET" for the namespace bits of flags (kept), or NULL. */
const char *dec_ns_names(struct strace_decoder *d, int64_t flags);
#define DEC_NS_MASK (0x80LL | 0x20000LL | 0x2000000LL | 0x4000000LL | 0x8000000LL | \
		     0x10000000LL | 0x20000000LL | 0x40000000LL)

int dec_signal_number(const char *name, size_t n);
/* "SIGKILL" (kept) for a signal written by name, as a number (-X raw) or
 * as a number with its name in a comment (-X verbose); NULL if none. */
const char *dec_signal_name(struct strace_decoder *d, struct strace_span s);

/* ---- families: each returns true when it handled the call ---- */
bool dec_file(struct strace_decoder *d, const struct call *c);
bool dec_net(struct strace_decoder *d, const struct call *c);
bool dec_priv(struct strace_decoder *d, const struct call *c);
/* A terminal ioctl (strace_decode_tty.c): published, true; any other, false. */
bool dec_tty_ioctl(struct strace_decoder *d, const struct call *c);
/* Output lines of writes to the original stdout/stderr (strace_decode_out.c):
 * complete lines are published at once, a partial one waits (bounded) for
 * its newline, the process's exec or end, or the end of the log.  Every
 * operation costs O(1) in the number of processes. */
bool dec_output(struct strace_decoder *d, const struct call *c, int fd, const char *data,
		size_t len, bool truncated);
void dec_output_flush_pid(struct strace_decoder *d, const struct call *c, int pid);
void dec_output_drop_pid(struct strace_decoder *d, int pid);
void dec_output_flush_all(struct strace_decoder *d, struct call *c);
void dec_output_free(struct strace_decoder *d);
/* read/write-family call on a socket fd (strace_decode_net.c). */
void dec_net_io(struct strace_decoder *d, const struct call *c, int fd, const char *desc,
		bool send);
/* File mappings for mprotect (strace_decode_file.c). */
void dec_maps_forget(struct strace_decoder *d, int pid);
void dec_maps_free(struct strace_decoder *d);

#endif /* DYNAUDIT_STRACE_DECODE_INT_H */

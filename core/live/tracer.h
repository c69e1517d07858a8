/*
 * tracer.h — the ptrace + seccomp-bpf tracer of a live audit.
 *
 * The tracer builds, from the bus's subscription mask, a seccomp filter that
 * returns SECCOMP_RET_TRACE only for syscalls some detector needs (and for
 * the dangerous syscalls the sandbox denies: the tracer reports the attempt
 * then fails the call with EPERM/ENOSYS, so a denial never hides an
 * attempt); everything else runs at full speed.  It seizes the sandbox's
 * init process (PTRACE_SEIZE, EXITKILL, TRACESYSGOOD, TRACEFORK/VFORK/CLONE,
 * TRACEEXEC, TRACEEXIT, TRACESECCOMP), so every descendant is traced from
 * its first instruction.  The init process itself produces no events.
 *
 * Stops are decoded into struct da_event (paths resolved, fds described via
 * procstate, strace-style text) and published on the bus.
 *
 * Driving: the live run loop calls tracer_dispatch() whenever SIGCHLD is
 * pending (signalfd) and, with fast_notify, when one of tracer_notify_fds()
 * is readable; it drains every waitpid() result and notification without
 * blocking (after the last one it keeps polling for up to 30 us, because
 * a resumed tracee usually stops again within microseconds).
 *
 * Not traced, by design: read/write/readv/writev/pread/pwrite (volume; the
 * target's output comes from pipes), close/dup/fcntl (fd descriptions are
 * read from /proc/<pid>/fd when needed), sleeps shorter than a second
 * (stopped on, not published).  Read-only opens and stat probes
 * are published without waiting for their result (" = ?"): one stop each,
 * or, with fast_notify, one seccomp notification each.
 * Nothing here prints or exits.
 */
#ifndef DYNAUDIT_TRACER_H
#define DYNAUDIT_TRACER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "engine/bus.h"

struct tracer;

struct tracer_options {
	struct bus *bus;                 /* where events go */
	const char *workdir;             /* initial cwd of the target (sandbox view) */
	double (*clock)(void *ctx);      /* seconds since the target started */
	void *clock_ctx;
	bool deny_dangerous;             /* sandbox.seccomp: default policy */
	/* (addition) Route the high-volume read-only syscalls (opens without
	 * write/create flags, stat/access/readlink probes) through a seccomp
	 * user-notification fd instead of ptrace stops: about half the cost
	 * per event.  The caller must then also poll tracer_notify_fds() and
	 * call tracer_dispatch() when one is readable, or the target waits
	 * forever on its first read-only open. */
	bool fast_notify;
	/* (addition) Read-only opens (published without their result) outside
	 * the program trees get their failure (ENOENT, EACCES...) by asking the
	 * kernel again as the target (tracer_oracle.c).  check_as_user: switch
	 * this thread's filesystem ids to target_uid/gid for it (dynaudit is
	 * root); false when dynaudit already is the target's uid (user
	 * namespace). */
	bool check_as_user;
	uid_t target_uid;
	gid_t target_gid;
	/* (addition) NET_SEND events of sendto/sendmsg/sendmmsg carry the first
	 * TRACER_PAYLOAD_MAX bytes of the data (the first iovec for sendmsg) in
	 * detail, non-printable bytes as \xNN: the honeytoken detector looks
	 * for its values there.  write(2) on a socket is not stopped on. */
	bool capture_sends;
	/* (addition) sandbox.time.skip_sleeps: sleeps and timers asking for
	 * more seconds than this are cut short at their stop, so what follows
	 * them runs in the window (tracer_timeskip.c); 0: never. */
	double skip_sleeps_s;
	/* (addition) sandbox.deception.connect: sink.  Called at the seccomp
	 * stop of a connect, a bind, and a send naming an address, before the
	 * call runs: host tgid, the fd argument, the address as the program
	 * wrote it (connect_sink.h).  NULL: none. */
	void (*net_call)(void *ctx, bool is_bind, pid_t tgid, int fd, const void *sa, size_t salen);
	void *net_call_ctx;
	/* (addition) Received data reaching exec argv: recvfrom/recvmsg/
	 * recvmmsg stop at their exit (NET_RECV events are published) and
	 * their first bytes on inet sockets are kept; exec events carry in
	 * arg[2] 1 + the index of an argv string of 4+ bytes the process tree
	 * received in the last minute, and in arg[3] 1 when fd 0 is a file
	 * read past its start (tracer_taint.c). */
	bool track_received;
};

#define TRACER_PAYLOAD_MAX 512

/* Probe kernel features once (PTRACE_GET_SYSCALL_INFO, seccomp TRACE
 * ordering) and prebuild the BPF program. */
int tracer_new(struct tracer **out, const struct tracer_options *opt, char *err, size_t errlen);
void tracer_free(struct tracer *t);

/* In the target child, after PR_SET_NO_NEW_PRIVS, right before execve:
 * installs the prebuilt filter.  Async-signal-safe (no allocation). */
int tracer_install_filter(const struct tracer *t);

/* Attach to the sandbox init (host pid).  Its descendants are traced
 * automatically; the init itself is silent. */
int tracer_seize_init(struct tracer *t, pid_t init_host_pid, char *err, size_t errlen);

/* Handle every pending wait status (WNOHANG) and, with fast_notify, every
 * pending seccomp notification.  Returns the number handled, or negative
 * errno on a fatal tracer error.  Note: it reaps with waitpid(-1, __WALL),
 * so the caller must not have other children it waits for itself. */
int tracer_dispatch(struct tracer *t);

/* (addition) When the window closes, before the tree is signalled: publish
 * one event per live process that is idle in a timed wait (epoll_wait,
 * futex, poll, select...) which ends 10 s or more from now: a delayed
 * payload that nanosleep tracing cannot see (tracer_waits.c).  Returns how
 * many were published. */
int tracer_report_pending_waits(struct tracer *t);

/* (addition) With fast_notify: the seccomp notification fds to poll for
 * POLLIN (then call tracer_dispatch); fills at most max, returns how many
 * (0 while there is none).  They are taken from the target (and from
 * target.setup) at their first execve and change after any
 * tracer_dispatch() call: re-read them on every loop iteration.  Poll
 * them with poll(2) itself, not epoll: the kernel's same-CPU hand-over
 * (Linux 6.6+) only reaches a waiter sleeping on the fd directly. */
#define TRACER_POLL_FDS_MAX 4
int tracer_notify_fds(const struct tracer *t, int *fds, int max);

/* Traced processes (thread groups) still alive, the init excluded. */
int tracer_alive(const struct tracer *t);
/* The target's first process: exit info once it ended. */
bool tracer_target_exited(const struct tracer *t, int *code, int *signo, bool *core);
/* Count of kinds of trouble, for report stats. */
struct tracer_stats {
	uint64_t stops;
	uint64_t syscalls;
	uint64_t processes;
	uint64_t denied;        /* dangerous syscalls failed by the tracer */
	uint64_t read_errors;   /* tracee memory that could not be read */
	uint64_t notified;      /* (addition) syscalls seen through seccomp notifications */
	uint64_t cuts;          /* (addition) sleeps and timers cut short (skip_sleeps) */
	uint64_t cuts_refused;  /* (addition) long ones left alone: the process had its share */
	double skipped_s;       /* (addition) seconds of waiting those cuts removed */
};
const struct tracer_stats *tracer_get_stats(const struct tracer *t);

/* (addition) What the kernel probe found, for the run log: e.g.
 * "PTRACE_GET_SYSCALL_INFO: yes; process_vm_readv: yes; seccomp stop after
 * syscall-entry stop".  Owned by the tracer. */
const char *tracer_notes(const struct tracer *t);

#endif /* DYNAUDIT_TRACER_H */

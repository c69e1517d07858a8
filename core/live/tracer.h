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
 * pending (signalfd); it drains every waitpid() result without blocking.
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
};

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

/* Handle every pending wait status (WNOHANG).  Returns the number handled,
 * or negative errno on a fatal tracer error. */
int tracer_dispatch(struct tracer *t);

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
};
const struct tracer_stats *tracer_get_stats(const struct tracer *t);

#endif /* DYNAUDIT_TRACER_H */

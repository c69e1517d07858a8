/*
 * tracer_dec.h — the decoders of the live tracer's syscall families.
 *
 * Every row of the syscall table (tracer_syscalls.c) names its family, and
 * a family turns one completed call (struct sc_call, copied at the stop)
 * into what the audit keeps of it, in three separate steps that
 * tracer_event_publish (tracer_event.c) runs in this order:
 *   build  the struct da_event: kind, paths, fds, addresses, numbers.
 *          Returns false when the call is not an event (a short sleep, a
 *          read-only prctl, an anonymous mapping...).
 *   state  what the call changed in the tracer's model of the processes
 *          (procstate's fds and cwd, a process's timers and sleeps).  Runs
 *          whether or not build made an event.  NULL when nothing changes.
 *   text   the strace-style arguments of the evidence line, between the
 *          "name(" and the ")" + result the driver writes.
 * Splitting them keeps the judgement-relevant fields, the text shown to
 * users and the bookkeeping apart, as strace's syscallent rows and
 * decoders do.  A family may also publish extra events of its own after
 * the main one (tracer_dec_net.c: a DNS query decoded from a send).
 *
 * One family per file group: tracer_dec_file.c (paths and fds),
 * tracer_dec_proc.c (exec, clone, signals, sessions, sleeps, timers),
 * tracer_dec_net.c (sockets), tracer_dec_priv.c (identity, namespaces,
 * mounts, other processes, the kernel), tracer_dec_tty.c (terminal ioctls).
 */
#ifndef DYNAUDIT_TRACER_DEC_H
#define DYNAUDIT_TRACER_DEC_H

#include <stdbool.h>

#include "dynaudit/event.h"
#include "live/tracer_text.h"

/* What the three steps share for one call. */
struct sc_ctx {
	struct tracer *t;
	struct tracee *th;
	struct sc_call *c;
	const struct sc_row *row;
	const uint64_t *a;          /* c->args */
	bool ok;                    /* the call has a result and it is >= 0 */
	struct da_event ev;
	struct stext *tt;           /* the evidence line being written */
	/* storage the event's strings point into */
	char path[TRACER_STR_MAX * 2], path2[TRACER_STR_MAX * 2];
	char desc[512], addr[160];
};

struct sc_family {
	const char *name;                    /* for logs and tests */
	bool (*build)(struct sc_ctx *x);
	void (*state)(struct sc_ctx *x);     /* may be NULL */
	void (*text)(struct sc_ctx *x);
	void (*after)(struct sc_ctx *x);     /* after publishing: extra events; may be NULL */
};

/* The families (one per argument shape). */
extern const struct sc_family
	/* tracer_dec_file.c */
	sc_fam_open, sc_fam_path, sc_fam_path_at, sc_fam_fd_path, sc_fam_two_paths,
	sc_fam_two_paths_at, sc_fam_symlinkat, sc_fam_mmap, sc_fam_memfd,
	/* tracer_dec_tty.c */
	sc_fam_ioctl,
	/* tracer_dec_proc.c */
	sc_fam_exec, sc_fam_clone, sc_fam_signal, sc_fam_session, sc_fam_prctl,
	sc_fam_sleep, sc_fam_timer, sc_fam_none,
	/* tracer_dec_net.c */
	sc_fam_socket, sc_fam_sockop, sc_fam_write, sc_fam_copy,
	/* tracer_dec_priv.c */
	sc_fam_setid, sc_fam_capset, sc_fam_ns, sc_fam_mount, sc_fam_ptrace,
	sc_fam_process_vm, sc_fam_pidfd_getfd, sc_fam_personality, sc_fam_kernel;

/* tracer_event.c: raw resolved against dirfd (AT_FDCWD: the cwd procstate
 * tracks, in the sandbox's view) into out; magic links (/proc/self/root,
 * /dev/fd/N) followed.  NULL when raw is NULL. */
const char *tracer_resolve(struct tracer *t, const struct tracee *th, int dirfd, const char *raw,
			   char *out, size_t len);
/* tracer_event.c: the event's result fields from the call's. */
void tracer_event_result(struct da_event *ev, const struct sc_call *c);
/* tracer_event.c: publish on the bus (the tracer may run without one). */
void tracer_event_send(struct tracer *t, struct da_event *ev);

/* Shared by the families: every argument as hex ("0x1, 0x2"). */
void sc_text_args_hex(struct sc_ctx *x, int n);

#endif /* DYNAUDIT_TRACER_DEC_H */

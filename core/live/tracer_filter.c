/*
 * tracer_filter.c — the seccomp program of a live audit, built with
 * libseccomp from the bus subscription mask.
 *
 * The program says, per syscall: SECCOMP_RET_TRACE (stop for the tracer)
 * for every syscall a subscribed event kind needs and for every dangerous
 * syscall when the deny policy is on; SECCOMP_RET_ALLOW for everything
 * else.  Dangerous syscalls are never given a plain ERRNO action: the
 * tracer sees the attempt, publishes it, and fails it itself (see
 * tracer.c), so a denial cannot hide an attempt.  Syscalls of a foreign
 * architecture (int 0x80, x32) hit the "bad arch" action, which is TRACE
 * with TRACER_DATA_BADARCH for the same reason.
 *
 * The program is built here, in dynaudit, and exported to memory; the
 * target child only hands it to the kernel (tracer_install_filter), which
 * is async-signal-safe.
 */
#include "live/tracer_priv.h"

#include <errno.h>
#include <sched.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/syscall_shapes.h"
#include "dynaudit/event.h"

#ifndef CLONE_UNTRACED
#define CLONE_UNTRACED 0x00800000
#endif

/* Namespace flags of clone() one by one: a BPF masked compare tests all
 * bits of a mask, so "any of these bits" needs one rule per bit. */
static const uint64_t clone_ns_bits[] = {
	CLONE_NEWNS, CLONE_NEWCGROUP, CLONE_NEWUTS, CLONE_NEWIPC,
	CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET,
};

static bool wanted(const struct tracer *t, uint32_t kind)
{
	return DA_EVMASK_HAS(t->mask, kind);
}

/* With notifications: read-only opens (no TRACER_OPEN_WANTS_RESULT bit in
 * the flags argument) notify, the others stop for ptrace — one rule per
 * bit, since a masked compare cannot say "any of these bits". */
static int add_open_rules(scmp_filter_ctx ctx, int nr, unsigned flags_arg)
{
	const uint32_t act = SCMP_ACT_TRACE(TRACER_DATA_SYSCALL);
	int rc = seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, nr, 1,
				  SCMP_CMP(flags_arg, SCMP_CMP_MASKED_EQ, TRACER_OPEN_WANTS_RESULT, 0));
	for (unsigned bit = 1; rc == 0 && bit; bit <<= 1)
		if (TRACER_OPEN_WANTS_RESULT & bit)
			rc = seccomp_rule_add(ctx, act, nr, 1,
					      SCMP_CMP(flags_arg, SCMP_CMP_MASKED_EQ, bit, bit));
	return rc;
}

/* newfstatat/statx with AT_EMPTY_PATH on a real fd is fstat(2) of an
 * open file (a third of a Python start-up's stat calls): no path, no
 * probe, and replay does not make it an event either.  Stop only when the
 * flag is clear or the dirfd is AT_FDCWD (compared as the int the kernel
 * reads), so a named path is always seen; a path relative to a directory
 * fd with AT_EMPTY_PATH set is the one form that passes unseen. */
#define STAT_AT_EMPTY_PATH 0x1000
#define STAT_AT_FDCWD32 0xffffff9cULL
static int add_stat_at_rules(scmp_filter_ctx ctx, const struct sc_row *row, int nr, uint32_t act)
{
	unsigned flags_arg = strcmp(row->name, "newfstatat") == 0 ? 3
			   : strcmp(row->name, "statx") == 0 ? 2 : 9;
	if (flags_arg == 9) /* faccessat, readlinkat: no AT_EMPTY_PATH form worth skipping */
		return seccomp_rule_add(ctx, act, nr, 0);
	int rc = seccomp_rule_add(ctx, act, nr, 1,
				  SCMP_CMP(flags_arg, SCMP_CMP_MASKED_EQ, STAT_AT_EMPTY_PATH, 0));
	if (rc == 0)
		rc = seccomp_rule_add(ctx, act, nr, 1,
				      SCMP_A0(SCMP_CMP_MASKED_EQ, 0xffffffffULL, STAT_AT_FDCWD32));
	return rc;
}

static int add_rules(struct tracer *t, scmp_filter_ctx ctx, const struct sc_row *row, int nr,
		     bool notify)
{
	const uint32_t act = SCMP_ACT_TRACE(TRACER_DATA_SYSCALL);
	bool deny = t->opt.deny_dangerous && row->deny != SC_DENY_NEVER;
	int rc = 0;

	if (notify) {
		switch (row->id) {
		case SC_OPEN:
		case SC_OPENAT:
			if (!wanted(t, row->kind))
				return 0;
			return add_open_rules(ctx, nr, row->id == SC_OPEN ? 1 : 2);
		case SC_TIMER:
			/* skip_sleeps rewrites a long timer's registers: a
			 * ptrace stop (tracer_timeskip.c) */
			if (t->opt.skip_sleeps_s > 0)
				break;
			/* fall through */
		case SC_STAT_AT:
			if (!wanted(t, row->kind))
				return 0;
			return add_stat_at_rules(ctx, row, nr, SCMP_ACT_NOTIFY);
		case SC_STAT_PATH:
		case SC_SLEEP:
			if (!wanted(t, row->kind))
				return 0;
			return seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, nr, 0);
		case SC_WRITE:
		case SC_WRITEV:
			/* fds >= 3 only (see below); needs the listener taken at
			 * the mark, before the sandbox's status write */
			if (t->listener_mark_nr < 0)
				break;
			if (!wanted(t, row->kind))
				return 0;
			return seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, nr, 1, SCMP_A0(SCMP_CMP_GE, 3));
		case SC_EXECVE:
		case SC_EXECVEAT:
			/* always: the tracer takes the listener at the first exec
			 * (when the mark did not already) */
			return seccomp_rule_add(ctx, act, nr, 0);
		default:
			break;
		}
	}

	switch (row->id) {
	case SC_CLONE:
		/* A fork or thread that is created is seen through
		 * PTRACE_EVENT_FORK/CLONE; one that fails (EAGAIN at the task
		 * limit: a fork bomb) only at the syscall's exit, so every clone
		 * stops when forks are subscribed.  Without them, stop only when
		 * the flags matter. */
		if (wanted(t, DA_EV_PROC_FORK))
			return seccomp_rule_add(ctx, act, nr, 0);
		if (deny)
			rc = seccomp_rule_add(ctx, act, nr, 1,
					      SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_UNTRACED, CLONE_UNTRACED));
		if (rc == 0 && (deny || wanted(t, DA_EV_PRIV_NS)))
			for (size_t i = 0; rc == 0 && i < sizeof(clone_ns_bits) / sizeof(clone_ns_bits[0]); i++)
				rc = seccomp_rule_add(ctx, act, nr, 1,
						      SCMP_A0(SCMP_CMP_MASKED_EQ, clone_ns_bits[i], clone_ns_bits[i]));
		return rc;
	case SC_CLONE3:
		return (deny || wanted(t, DA_EV_PRIV_NS)) ? seccomp_rule_add(ctx, act, nr, 0) : 0;
	case SC_MMAP:
	case SC_MPROTECT:
		if (!wanted(t, row->kind))
			return 0;
		return seccomp_rule_add(ctx, act, nr, 1, SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, PROT_EXEC));
	case SC_WRITE:
	case SC_WRITEV:
		/* fds 0-2 are the target's output (captured from its pipes) and
		 * the bulk of its writes: only fds >= 3 can be a socket of its own.
		 * A ptrace stop unless notifications are on and the listener is
		 * taken at the mark. */
		if (!wanted(t, row->kind))
			return 0;
		return seccomp_rule_add(ctx, act, nr, 1, SCMP_A0(SCMP_CMP_GE, 3));
	case SC_CHDIR:
	case SC_FCHDIR:
		/* Always: the cwd (sandbox view) resolves every relative path. */
		return seccomp_rule_add(ctx, act, nr, 0);
	case SC_IOCTL:
		/* Only the terminal requests that matter (syscall_shapes.h): every
		 * program's TCGETS, FIONREAD, TIOCGWINSZ run free.  The kernel
		 * reads the request as an unsigned int, so only its low 32 bits
		 * are compared (high bits set cannot slip past). */
		if (!wanted(t, row->kind))
			return 0;
		for (const struct shape_tty_ioctl *io = shape_tty_ioctls; rc == 0 && io->name; io++)
			rc = seccomp_rule_add(ctx, act, nr, 1,
					      SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffULL, io->request));
		return rc;
	case SC_STAT_AT:
		if (!wanted(t, row->kind))
			return 0;
		return add_stat_at_rules(ctx, row, nr, act);
	case SC_PRCTL:
		if (!wanted(t, DA_EV_PRIV_CAP) && !wanted(t, DA_EV_PROC_SESSION))
			return 0;
		return seccomp_rule_add(ctx, act, nr, 0);
	default:
		if (!deny && !wanted(t, row->kind))
			return 0;
		return seccomp_rule_add(ctx, act, nr, 0);
	}
}

/* seccomp_export_bpf() writes to an fd: use a memfd and read it back. */
static int export_program(scmp_filter_ctx ctx, struct sock_fprog *prog, char *err, size_t errlen)
{
	int fd = memfd_create("dynaudit-seccomp", MFD_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		snprintf(err, errlen, "memfd_create: %s", strerror(e));
		return -e;
	}
	int rc = seccomp_export_bpf(ctx, fd);
	if (rc < 0) {
		snprintf(err, errlen, "seccomp_export_bpf: %s", strerror(-rc));
		goto out;
	}
	struct stat st;
	if (fstat(fd, &st) < 0 || st.st_size <= 0 || st.st_size % (off_t)sizeof(struct sock_filter) ||
	    st.st_size / (off_t)sizeof(struct sock_filter) > BPF_MAXINSNS) {
		rc = -EINVAL;
		snprintf(err, errlen, "seccomp program has an unexpected size");
		goto out;
	}
	struct sock_filter *insns = malloc((size_t)st.st_size);
	if (!insns) {
		rc = -ENOMEM;
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	if (pread(fd, insns, (size_t)st.st_size, 0) != st.st_size) {
		free(insns);
		rc = -EIO;
		snprintf(err, errlen, "reading back the seccomp program failed");
		goto out;
	}
	prog->filter = insns;
	prog->len = (unsigned short)(st.st_size / (off_t)sizeof(struct sock_filter));
	rc = 0;
out:
	close(fd);
	return rc;
}

static int build_one(struct tracer *t, bool notify, struct sock_fprog *out, char *err,
		     size_t errlen)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (!ctx) {
		snprintf(err, errlen, "seccomp_init failed");
		return -ENOMEM;
	}
	int rc = 0;
	/* A foreign-architecture entry is a stop too, so the attempt is seen
	 * (and, under the deny policy, failed by the tracer). */
	if (t->opt.deny_dangerous || wanted(t, DA_EV_PRIV_KERNEL))
		rc = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_TRACE(TRACER_DATA_BADARCH));
	else
		rc = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_ALLOW);
	if (rc < 0) {
		snprintf(err, errlen, "seccomp bad-arch action: %s", strerror(-rc));
		goto out;
	}
	/* A binary tree of syscall numbers instead of a list: every untraced
	 * syscall (read, write...) runs the program, so its length counts. */
	seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	/* the notifying program's mark (tracer_priv.h): a stop where the
	 * tracer takes the listener before the child writes anything */
	if (notify && t->listener_mark_nr >= 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_TRACE(TRACER_DATA_SYSCALL), t->listener_mark_nr, 0);
	if (rc < 0) {
		snprintf(err, errlen, "seccomp rule for the listener mark: %s", strerror(-rc));
		goto out;
	}
	for (const struct sc_row *row = tracer_syscall_table; row->name; row++) {
		int nr = seccomp_syscall_resolve_name(row->name);
		if (nr < 0)
			continue; /* not on this architecture */
		rc = add_rules(t, ctx, row, nr, notify);
		if (rc < 0) {
			snprintf(err, errlen, "seccomp rule for %s: %s", row->name, strerror(-rc));
			goto out;
		}
	}
	if (rc == 0 && (rc = tracer_timeskip_rules(t, ctx)) < 0) /* timed waits */
		snprintf(err, errlen, "seccomp rules for timed waits: %s", strerror(-rc));
	if (rc == 0)
		rc = export_program(ctx, out, err, errlen);
out:
	seccomp_release(ctx);
	return rc;
}

int tracer_filter_build(struct tracer *t, char *err, size_t errlen)
{
	int rc = build_one(t, false, &t->prog, err, errlen);
	if (rc < 0 || !t->opt.fast_notify || !t->have_notify)
		return rc;
	/* The notifying variant is an optimisation: without it, the plain
	 * program traces the same syscalls through ptrace. */
	char ignored[128];
	if (build_one(t, true, &t->prog_notify, ignored, sizeof(ignored)) < 0)
		t->prog_notify.filter = NULL;
	return 0;
}

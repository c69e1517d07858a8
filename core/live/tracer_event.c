/*
 * tracer_event.c — the driver of the syscall families (tracer_dec.h): a
 * completed syscall is built into a struct da_event by its row's family,
 * the family's state step keeps procstate (fds, cwd) and the process's
 * timers in step, and its text step writes the strace-style evidence
 * line; the event is then published on the bus.  Also the helpers every
 * family shares: paths in the sandbox's view, results, origins.
 *
 * Runs after the tracee was resumed when it can (everything it needs was
 * copied at the stop), so the cost of building and delivering an event is
 * not paid by the tracee.  Paths are resolved in the sandbox's view: the
 * cwd from procstate (chdir is always traced), dirfds from what the fd is.
 */
#include "live/tracer_dec.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/procstate_stdio.h"
#include "engine/bus.h"

#ifndef AT_FDCWD
#define AT_FDCWD -100
#endif

/* ---- paths ----------------------------------------------------------- */

/* A magic link at the start of the normalized path out
 * (/proc/self/root/etc/shadow, /dev/fd/3/x, /proc/self/cwd/y): where the
 * kernel goes instead, so the path names what is really opened.  The
 * caller's own cwd and fds come from procstate and the kernel; another
 * process's only its cwd. */
static const char *follow_magic(struct tracer *t, const struct tracee *th, char *out, size_t len)
{
	int who, fd;
	const char *rest;
	enum path_magic m = path_magic_parse(out, &who, &fd, &rest);
	if (m == MAGIC_NONE)
		return out;
	bool self = who == 0 || (th->proc && who == th->proc->ns_pid) || who == th->ns_tid;
	char base[TRACER_STR_MAX + 1];
	const char *b = NULL;
	if (m == MAGIC_ROOT)
		b = ""; /* one root for the whole sandbox */
	else if (m == MAGIC_CWD)
		b = procstate_cwd(t->ps, self ? th->ns_tid : who);
	else if (self)
		b = tracer_fd_describe(t, th, fd, base, sizeof(base));
	if (!b || (m != MAGIC_ROOT && b[0] != '/'))
		return out; /* a pipe, a socket, another process's fd */
	char tmp[TRACER_STR_MAX * 2];
	int n = snprintf(tmp, sizeof(tmp), "%s%s", b, rest);
	if (n < 0 || (size_t)n >= sizeof(tmp) || (size_t)n >= len)
		return out;
	snprintf(out, len, "%s", n ? tmp : "/");
	return path_normalize(out);
}

/* Resolve raw against dirfd (AT_FDCWD: the cwd procstate tracks in the
 * sandbox's view; else what the fd is) into out. */
const char *tracer_resolve(struct tracer *t, const struct tracee *th, int dirfd, const char *raw,
			   char *out, size_t len)
{
	if (!raw)
		return NULL;
	if (raw[0] == '/') {
		snprintf(out, len, "%s", raw);
		return follow_magic(t, th, path_normalize(out), len);
	}
	char base[TRACER_STR_MAX + 1];
	const char *b = NULL;
	if (dirfd == AT_FDCWD) {
		b = procstate_cwd(t->ps, th->ns_tid);
	} else {
		b = tracer_fd_describe(t, th, dirfd, base, sizeof(base));
		if (b && b[0] != '/')
			b = NULL;
	}
	if (!b)
		b = t->opt.workdir ? t->opt.workdir : "/";
	if (raw[0] == '\0')
		snprintf(out, len, "%s", b);
	else
		snprintf(out, len, "%s/%s", b, raw);
	return follow_magic(t, th, path_normalize(out), len);
}

void tracer_event_result(struct da_event *ev, const struct sc_call *c)
{
	if (!c->has_result) {
		ev->result = 0;
		return;
	}
	if (c->ret >= 0) {
		ev->result = c->ret;
		return;
	}
	int e = (int)-c->ret;
	if (e >= 512 && e <= 516)
		e = EINTR;
	ev->result = -1;
	ev->err = e;
	ev->errname = strerrorname_np(e);
}

void tracer_event_origin(const struct tracer *t, const struct tracee *th, struct da_event *ev)
{
	ev->pid = th->proc ? th->proc->ns_pid : th->ns_tid;
	ev->tid = th->ns_tid;
	ev->ppid = th->proc ? th->proc->ns_ppid : 0;
	ev->time_s = t->opt.clock ? t->opt.clock(t->opt.clock_ctx) : 0.0;
}

void tracer_event_send(struct tracer *t, struct da_event *ev)
{
	tracer_codesrc_note_open(t, ev); /* a temp file read back may hold code */
	if (t->opt.bus)
		bus_publish(t->opt.bus, ev);
}

/* ---- the driver ------------------------------------------------------- */

/* One context per call: the tracer runs in one thread, and the context
 * (event, evidence line, path buffers: about 20 KB) is too big for the
 * stack of every call. */
static struct sc_ctx ctx_storage;
static struct stext text_storage;

static struct sc_ctx *ctx_begin(struct tracer *t, struct tracee *th, struct sc_call *c,
				uint32_t kind)
{
	struct sc_ctx *x = &ctx_storage;
	x->t = t;
	x->th = th;
	x->c = c;
	x->row = c->row;
	x->a = c->args;
	x->ok = c->has_result && c->ret >= 0;
	x->tt = &text_storage;
	x->tt->len = 0;
	x->path[0] = x->path2[0] = x->desc[0] = x->addr[0] = '\0';
	da_event_init(&x->ev, kind);
	tracer_event_origin(t, th, &x->ev);
	x->ev.time_s = c->time_s;
	x->ev.syscall = c->row ? c->row->name : NULL;
	tracer_event_result(&x->ev, c);
	return x;
}

/* The evidence line's tail: ")", the result, a skip_sleeps note. */
static void text_end(struct sc_ctx *x)
{
	stext_printf(x->tt, ")");
	stext_result(x->tt, x->c);
	if (x->c->cut_from_s >= 0)
		stext_printf(x->tt, " <cut from %.0f s to %.0f s by sandbox.time.skip_sleeps>",
			     x->c->cut_from_s, ceil(x->c->cut_to_s));
	x->ev.text = x->tt->buf;
}

void tracer_publish_exec(struct tracer *t, struct tracee *th, struct sc_call *c)
{
	struct sc_ctx *x = ctx_begin(t, th, c, DA_EV_PROC_EXEC);
	char sbuf[3][512];
	sc_fam_exec.build(x);
	/* stdio: the kernel's truth, after close-on-exec did its work */
	for (int i = 0; i < 3; i++)
		x->ev.stdio[i] = tracer_fd_describe(t, th, i, sbuf[i], sizeof(sbuf[i]));
	tracer_taint_exec(t, th, c, &x->ev); /* arg[2], arg[3] */
	stext_printf(x->tt, "%s(", x->ev.syscall);
	sc_fam_exec.text(x);
	stext_printf(x->tt, ")");
	stext_result(x->tt, c);
	x->ev.text = x->tt->buf;
	tracer_event_send(t, &x->ev);
}

/* A call that may create, remove or re-permission a path makes every
 * remembered open outcome stale (tracer_oracle.c). */
static void forget_outcomes_after(struct tracer *t, enum sc_id id)
{
	switch (id) {
	case SC_OPEN: case SC_OPENAT: case SC_OPENAT2: case SC_CREAT:
	case SC_UNLINK: case SC_UNLINKAT: case SC_RMDIR:
	case SC_RENAME: case SC_RENAMEAT: case SC_RENAMEAT2:
	case SC_CHMOD: case SC_FCHMOD: case SC_FCHMODAT:
	case SC_CHOWN: case SC_FCHOWN: case SC_LCHOWN: case SC_FCHOWNAT:
	case SC_LINK: case SC_LINKAT: case SC_SYMLINK: case SC_SYMLINKAT:
	case SC_MKDIR: case SC_MKDIRAT: case SC_MKNOD: case SC_MKNODAT:
		tracer_oracle_forget(t);
		break;
	default:
		break;
	}
}

/* Is the thread's program a 32-bit ELF?  Then int 0x80 is simply how it
 * calls the kernel (the sandbox refuses those calls, so it cannot run),
 * not an x86-64 program stepping around the filter.  Read only on a
 * foreign entry, which is rare. */
static bool image_is_elf32(pid_t tid)
{
	char path[64];
	unsigned char id[5];
	snprintf(path, sizeof(path), "/proc/%d/exe", (int)tid);
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return false;
	ssize_t n = read(fd, id, sizeof(id));
	close(fd);
	return n == (ssize_t)sizeof(id) && memcmp(id, "\177ELF", 4) == 0 && id[4] == 1 /* ELFCLASS32 */;
}

/* A foreign-architecture entry (int 0x80 or x32), named as the foreign
 * ABI names it: "getpid" for i386's 20. */
static void publish_foreign(struct tracer *t, struct tracee *th, struct sc_call *c)
{
	struct sc_ctx *x = ctx_begin(t, th, c, DA_EV_PRIV_KERNEL);
	bool i386 = c->arch == 0x40000003u;
	x->ev.syscall = i386 ? "i386" : "x32";
	x->ev.detail = !i386 ? "x32 syscall"
		       : image_is_elf32(th->tid) ? "32-bit syscall (int 0x80) of a 32-bit program"
						 : "32-bit syscall (int 0x80)";
	x->ev.arg[0] = c->nr;
	char *name = seccomp_syscall_resolve_num_arch(i386 ? SCMP_ARCH_X86 : SCMP_ARCH_X32, (int)c->nr);
	if (name)
		stext_printf(x->tt, "%s[%s](", name, x->ev.syscall);
	else
		stext_printf(x->tt, "syscall_%#lx[%s](", (unsigned long)c->nr, x->ev.syscall);
	free(name);
	sc_text_args_hex(x, 6);
	stext_printf(x->tt, ")");
	stext_result(x->tt, c);
	x->ev.text = x->tt->buf;
	tracer_event_send(t, &x->ev);
}

void tracer_event_publish(struct tracer *t, struct tracee *th, struct sc_call *c)
{
	const struct sc_row *row = c->row;
	if (row && c->has_result)
		forget_outcomes_after(t, row->id);
	if (!row) {
		publish_foreign(t, th, c);
		return;
	}
	if (row->family == &sc_fam_exec) {
		tracer_publish_exec(t, th, c);
		return;
	}
	struct sc_ctx *x = ctx_begin(t, th, c, row->kind);
	bool event = row->family->build(x);
	if (row->family->state)
		row->family->state(x);
	if (!event)
		return;
	stext_printf(x->tt, "%s(", row->name);
	row->family->text(x);
	text_end(x);
	tracer_event_send(t, &x->ev);
	if (row->family->after)
		row->family->after(x);
}

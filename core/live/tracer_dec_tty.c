/*
 * tracer_dec_tty.c — the terminal family of the live tracer (tracer_dec.h):
 * the ioctl(2) requests of keystroke injection and console capture
 * (TIOCSTI, TIOCLINUX, TIOCCONS, KDSKBMODE/KDGKBMODE, and the termios sets
 * TCSETS* that put a terminal in raw mode: the table is syscall_shapes.h's,
 * shared with replay).  The seccomp filter stops on those request numbers
 * only (tracer_filter.c), so the ioctls every program makes (TCGETS,
 * FIONREAD, TIOCGWINSZ) run untraced.
 *
 * What the argument points to (the termios set's c_lflag, the byte pushed,
 * TIOCLINUX's subcode) and which terminal the fd is are copied at the
 * entry stop (tracer_tty_entry), while the call waits: the event is built
 * after the tracee runs on, when the fd may be closed.  Another thread may
 * still rewrite the termios between the copy and the kernel's read; the
 * request and the fd are the attempt either way.
 */
#include "live/tracer_dec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/syscall_shapes.h"

/* offsetof(struct termios, c_lflag): four tcflag_t before it, in termios
 * and termios2 alike. */
#define TERMIOS_LFLAG_OFFSET 12

/* The terminal's path: procstate's name from the open the tracer saw (the
 * sandbox's view), else the kernel's link; NULL when it is no path. */
static char *terminal_path(struct tracer *t, const struct tracee *th, int fd)
{
	const char *known = th->proc ? procstate_fd_get(t->ps, th->proc->ns_pid, fd) : NULL;
	if (known && known[0] == '/')
		return strdup(known);
	char proc[64], link[TRACER_STR_MAX + 1];
	snprintf(proc, sizeof(proc), "/proc/%d/fd/%d", (int)th->tid, fd);
	ssize_t n = readlink(proc, link, sizeof(link) - 1);
	if (n <= 0)
		return NULL;
	link[n] = '\0';
	return link[0] == '/' ? strdup(link) : NULL;
}

void tracer_tty_entry(struct tracer *t, struct tracee *th, struct sc_call *c)
{
	const struct shape_tty_ioctl *io = shape_tty_by_request(c->args[1]);
	uint64_t arg = c->args[2];
	c->ioctl_value = -1;
	if (!io)
		return;
	switch (io->arg) {
	case TTY_ARG_TERMIOS: {
		uint32_t lflag;
		if (arg && tracer_mem_read(t, th->tid, arg + TERMIOS_LFLAG_OFFSET, &lflag, sizeof(lflag)) ==
				   (ssize_t)sizeof(lflag))
			c->ioctl_value = lflag;
		else
			t->stats.read_errors++;
		break;
	}
	case TTY_ARG_CHAR: {
		unsigned char b;
		if (arg && tracer_mem_read(t, th->tid, arg, &b, 1) == 1)
			c->ioctl_value = b;
		else
			t->stats.read_errors++;
		break;
	}
	case TTY_ARG_VALUE:
		c->ioctl_value = (int64_t)(uint32_t)arg;
		break;
	case TTY_ARG_NONE:
		break;
	}
	c->str[0] = terminal_path(t, th, (int)c->args[0]);
}

static bool ioctl_build(struct sc_ctx *x)
{
	const struct shape_tty_ioctl *io = shape_tty_by_request(x->a[1]);
	if (!io)
		return false; /* the filter stops on these only */
	x->ev.fd = (int32_t)x->a[0];
	x->ev.fd_desc = tracer_fd_describe(x->t, x->th, x->ev.fd, x->desc, sizeof(x->desc));
	x->ev.path = x->c->str[0];
	shape_tty_ioctl_event(&x->ev, io, x->c->ioctl_value);
	return true;
}

/* strace's shapes: ioctl(0</dev/pts/1>, TIOCSTI, "x"), (.., TCSETS,
 * {c_lflag=0xa30, ...}), (.., TIOCLINUX, [3]), (.., KDSKBMODE, 0). */
static void ioctl_text(struct sc_ctx *x)
{
	const struct shape_tty_ioctl *io = shape_tty_by_request(x->a[1]);
	int64_t v = x->c->ioctl_value;
	stext_printf(x->tt, "%d", (int)x->a[0]);
	if (x->c->str[0])
		stext_printf(x->tt, "<%s>", x->c->str[0]);
	stext_printf(x->tt, ", %s, ", io ? io->name : "?");
	if (!io || v < 0 || io->arg == TTY_ARG_NONE) {
		stext_printf(x->tt, "%#llx", (unsigned long long)x->a[2]);
	} else if (io->arg == TTY_ARG_TERMIOS) {
		stext_printf(x->tt, "{c_lflag=%#llx, ...}", (unsigned long long)v);
	} else if (io->arg == TTY_ARG_VALUE) {
		stext_printf(x->tt, "%lld", (long long)v);
	} else if (!strcmp(io->name, "TIOCSTI")) {
		char one[2] = {(char)v, '\0'};
		stext_str(x->tt, one, false, 4);
	} else {
		stext_printf(x->tt, "[%lld]", (long long)v);
	}
}

const struct sc_family sc_fam_ioctl = { "ioctl", ioctl_build, NULL, ioctl_text, NULL };

/*
 * strace_decode_tty.c — terminal ioctls in a strace log, as the live
 * tracer reports them (syscall_shapes.h: the same requests, the same event
 * shape, so backdoor.keylogging judges both alike).
 *
 * The request comes by name ("TIOCSTI"; strace 6 names 0x5402
 * "SNDCTL_TMR_START or TCSETS"), as a number (-X raw: "0x5412") or both
 * (-X verbose: the number, then the name in a comment).  What the argument says:
 *   termios   {..., c_lflag=ISIG|ICANON|ECHO, ...} (names or a number, with
 *             -v or without), or strace 4's {B38400 opost isig -icanon
 *             -echo ...}; an address (unreadable) is unknown;
 *   TIOCSTI   "x": the byte pushed;  TIOCLINUX [3] (when decoded at all);
 *   KDSKBMODE K_RAW, 0, or 0 with K_RAW in a comment.
 * Any other ioctl stays what it was: a syscall event with its line.
 */
#include "recorded/strace_decode_int.h"

#include <stdlib.h>
#include <string.h>
#include <termios.h>

#include "common/syscall_shapes.h"

static const struct strace_flag lflag_names[] = {
	{"ISIG", ISIG}, {"ICANON", ICANON}, {"XCASE", 04}, {"ECHO", ECHO}, {"ECHOE", ECHOE},
	{"ECHOK", ECHOK}, {"ECHONL", ECHONL}, {"NOFLSH", NOFLSH}, {"TOSTOP", TOSTOP},
	{"ECHOCTL", ECHOCTL}, {"ECHOPRT", ECHOPRT}, {"ECHOKE", ECHOKE}, {"FLUSHO", FLUSHO},
	{"PENDIN", PENDIN}, {"IEXTEN", IEXTEN}, {"EXTPROC", 0200000}, {NULL, 0},
};

static const struct strace_flag kd_modes[] = {
	{"K_RAW", 0}, {"K_XLATE", 1}, {"K_MEDIUMRAW", 2}, {"K_UNICODE", 3}, {"K_OFF", 4}, {NULL, 0},
};

/* " -icanon" (strace 4): word with a '-' before it, as a whole token. */
static bool has_token(struct strace_span a, const char *tok)
{
	size_t l = strlen(tok);
	for (size_t i = 0; i + l <= a.n; i++) {
		if (memcmp(a.p + i, tok, l) != 0)
			continue;
		bool left = i == 0 || a.p[i - 1] == ' ' || a.p[i - 1] == '{';
		bool right = i + l == a.n || a.p[i + l] == ' ' || a.p[i + l] == '}' || a.p[i + l] == ',';
		if (left && right)
			return true;
	}
	return false;
}

static int64_t termios_lflag(struct strace_span a)
{
	struct strace_span val;
	if (a.n == 0 || a.p[0] != '{')
		return -1; /* an address: strace could not read it */
	if (strace_field(a, "c_lflag", &val))
		return strace_flags(val, lflag_names);
	/* strace 4 without -v: stty-like words */
	bool canon = has_token(a, "icanon"), nocanon = has_token(a, "-icanon");
	bool echo = has_token(a, "echo"), noecho = has_token(a, "-echo");
	if (!canon && !nocanon && !echo && !noecho)
		return -1;
	return (nocanon ? 0 : ICANON) | (noecho ? 0 : ECHO);
}

static int64_t arg_value(struct strace_decoder *d, const struct call *c,
			 const struct shape_tty_ioctl *io)
{
	if (c->nargs < 3)
		return -1;
	struct strace_span a = strace_span_trim(c->a[2]);
	int64_t v;
	switch (io->arg) {
	case TTY_ARG_TERMIOS:
		return termios_lflag(a);
	case TTY_ARG_CHAR: {
		const char *s = dec_str(d, c, 2);
		if (s)
			return (unsigned char)s[0];
		if (a.n > 2 && a.p[0] == '[') {
			struct strace_span in = {a.p + 1, a.n - 2};
			return strace_arg_int(in, &v) && v >= 0 && v < 256 ? v : -1;
		}
		return -1;
	}
	case TTY_ARG_VALUE:
		if (strace_arg_int(a, &v))
			return v;
		for (const struct strace_flag *f = kd_modes; f->name; f++)
			if (strace_span_eq(a, f->name))
				return f->value;
		return -1;
	case TTY_ARG_NONE:
		break;
	}
	return -1;
}

bool dec_tty_ioctl(struct strace_decoder *d, const struct call *c)
{
	if (c->nargs < 2)
		return false;
	struct strace_span r = strace_span_trim(c->a[1]);
	const struct shape_tty_ioctl *io = NULL;
	int64_t req;
	if (strace_arg_int(r, &req))
		io = shape_tty_by_request((uint64_t)req);
	else
		io = shape_tty_by_name(r.p, r.n);
	if (!io)
		return false;
	int fd = -1;
	struct da_event ev;
	dec_event(c, &ev, DA_EV_SYSCALL_OTHER);
	ev.fd_desc = dec_fd_desc(d, c, 0, &fd);
	ev.fd = fd;
	ev.path = ev.fd_desc && ev.fd_desc[0] == '/' ? ev.fd_desc : NULL;
	shape_tty_ioctl_event(&ev, io, arg_value(d, c, io));
	dec_publish(d, &ev);
	return true;
}

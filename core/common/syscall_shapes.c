/*
 * syscall_shapes.c — see syscall_shapes.h.
 */
#include "common/syscall_shapes.h"

#include <string.h>
#include <sys/ioctl.h>
#include <linux/kd.h>
#include <termios.h>

#include "common/dns_wire.h"
#include "dynaudit/event.h"

#define F_ACCMODE 03
#define F_WRONLY 01
#define F_RDWR 02
#define F_CREAT 0100
#define F_TRUNC 01000
#define F_APPEND 02000
#define F_DIRECTORY 0200000
#define F_PATH 010000000
#define F_TMPFILE (020000000 | F_DIRECTORY)
#define F_CLONE_THREAD 0x00010000

uint32_t shape_open_access(uint64_t flags)
{
	uint32_t acc = 0;
	if (flags & F_PATH)
		return DA_ACC_PATH | ((flags & F_DIRECTORY) ? DA_ACC_DIR : 0);
	switch (flags & F_ACCMODE) {
	case 0: acc |= DA_ACC_READ; break;
	case F_WRONLY: acc |= DA_ACC_WRITE; break;
	case F_RDWR: acc |= DA_ACC_READ | DA_ACC_WRITE; break;
	default: break;
	}
	if (flags & F_CREAT)
		acc |= DA_ACC_CREATE;
	if (flags & F_TRUNC)
		acc |= DA_ACC_TRUNC;
	if (flags & F_APPEND)
		acc |= DA_ACC_APPEND;
	if (flags & F_DIRECTORY)
		acc |= DA_ACC_DIR;
	if ((flags & F_TMPFILE) == F_TMPFILE)
		acc |= DA_ACC_CREATE;
	return acc;
}

const char *shape_link_detail(bool symbolic)
{
	return symbolic ? "symlink" : "hardlink";
}

const char *shape_clone_detail(uint64_t flags)
{
	return (flags & F_CLONE_THREAD) ? "thread" : "process";
}

/* sendfile(out, in, off, count); splice/copy_file_range(in, off_in, out, off_out, len, flags) */
int shape_copy_out_arg(const char *name)
{
	if (!strcmp(name, "sendfile") || !strcmp(name, "sendfile64"))
		return 0;
	if (!strcmp(name, "splice") || !strcmp(name, "copy_file_range"))
		return 2;
	return -1;
}

int shape_copy_in_arg(const char *name)
{
	if (!strcmp(name, "sendfile") || !strcmp(name, "sendfile64"))
		return 1;
	if (!strcmp(name, "splice") || !strcmp(name, "copy_file_range"))
		return 0;
	return -1;
}

void shape_dns_query_event(struct da_event *ev, const struct dns_query *q, const char *addr)
{
	ev->kind = DA_EV_SYSCALL_OTHER;
	ev->syscall = "dns_query";
	ev->detail = q->name;
	ev->arg[0] = q->qtype;
	ev->addr = addr;
	ev->port = 53;
}

const uint8_t *shape_dns_message(const uint8_t *buf, size_t len, bool stream, size_t *mlen,
				 bool *len_only)
{
	*len_only = false;
	if (!stream) {
		*mlen = len;
		return len >= DNS_HEADER ? buf : NULL;
	}
	if (len == 2) {
		*len_only = true; /* the length alone; the message is the next write */
		return NULL;
	}
	if (len < 2 + DNS_HEADER)
		return NULL;
	size_t want = (size_t)buf[0] << 8 | buf[1];
	*mlen = want < len - 2 ? want : len - 2;
	return buf + 2;
}

/* ---- terminal and console ioctls ------------------------------------- */

/* struct termios2 (asm/termbits.h, which cannot be included beside
 * termios.h) is 44 bytes: the TCSETS*2 numbers are _IOW('T', n, 44 bytes). */
#define TTY_IOW_TERMIOS2(n) ((uint32_t)_IOC(_IOC_WRITE, 'T', (n), 44))

const struct shape_tty_ioctl shape_tty_ioctls[] = {
	{"TIOCSTI", TIOCSTI, TTY_ARG_CHAR},       /* push a byte into a terminal's input */
	{"TIOCLINUX", TIOCLINUX, TTY_ARG_CHAR},   /* console selection, paste, shift state */
	{"TIOCCONS", TIOCCONS, TTY_ARG_NONE},     /* console output redirected to this tty */
	{"KDSKBMODE", KDSKBMODE, TTY_ARG_VALUE},  /* console keyboard to raw scancodes */
	{"KDGKBMODE", KDGKBMODE, TTY_ARG_NONE},   /* what the console keyboard sends */
	{"TCSETS", TCSETS, TTY_ARG_TERMIOS},      /* tcsetattr: raw mode, echo off */
	{"TCSETSW", TCSETSW, TTY_ARG_TERMIOS},
	{"TCSETSF", TCSETSF, TTY_ARG_TERMIOS},
	{"TCSETS2", TTY_IOW_TERMIOS2(0x2B), TTY_ARG_TERMIOS},
	{"TCSETSW2", TTY_IOW_TERMIOS2(0x2C), TTY_ARG_TERMIOS},
	{"TCSETSF2", TTY_IOW_TERMIOS2(0x2D), TTY_ARG_TERMIOS},
	{NULL, 0, TTY_ARG_NONE},
};

const struct shape_tty_ioctl *shape_tty_by_request(uint64_t request)
{
	for (const struct shape_tty_ioctl *io = shape_tty_ioctls; io->name; io++)
		if (io->request == (uint32_t)request)
			return io;
	return NULL;
}

static bool ident_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

const struct shape_tty_ioctl *shape_tty_by_name(const char *text, size_t len)
{
	for (size_t i = 0; i < len;) {
		if (!ident_char(text[i])) {
			i++;
			continue;
		}
		size_t start = i;
		while (i < len && ident_char(text[i]))
			i++;
		for (const struct shape_tty_ioctl *io = shape_tty_ioctls; io->name; io++)
			if (strlen(io->name) == i - start && memcmp(io->name, text + start, i - start) == 0)
				return io;
	}
	return NULL;
}

int64_t shape_tty_lflag_bits(uint64_t lflag)
{
	return ((lflag & ICANON) ? 0 : SHAPE_TTY_NO_CANON) | ((lflag & ECHO) ? 0 : SHAPE_TTY_NO_ECHO);
}

void shape_tty_ioctl_event(struct da_event *ev, const struct shape_tty_ioctl *io, int64_t value)
{
	ev->kind = DA_EV_SYSCALL_OTHER;
	ev->syscall = "ioctl";
	ev->detail = io->name;
	ev->arg[0] = io->request;
	ev->arg[1] = value;
	ev->arg[2] = io->arg == TTY_ARG_TERMIOS && value >= 0 ? shape_tty_lflag_bits((uint64_t)value) : 0;
}

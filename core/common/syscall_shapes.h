/*
 * syscall_shapes.h — what a syscall means as an event, where the live
 * tracer (core/live/tracer_dec_*.c) and the replay decoders
 * (core/recorded/strace_decode*.c) must agree: open flags as access
 * intent, the detail words of links and clones, the sendfile family's
 * destination fd, and the shape of a DNS query event (the sink resolver's
 * and the tracer's, so network.dns_query / dns_tunnel judge both alike),
 * and the terminal ioctls a keylogger or an input injector makes.
 * Pure functions over numbers and bytes: no state, no allocation.
 */
#ifndef DYNAUDIT_SYSCALL_SHAPES_H
#define DYNAUDIT_SYSCALL_SHAPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct da_event;
struct dns_query;

/* DA_ACC_* bits of open flags (x86-64/generic numbering).  O_PATH is
 * DA_ACC_PATH (plus DA_ACC_DIR with O_DIRECTORY) only; an O_ACCMODE of 3
 * grants no data access; O_TMPFILE creates. */
uint32_t shape_open_access(uint64_t flags);

/* DA_EV_FILE_LINK's detail: "symlink" or "hardlink". */
const char *shape_link_detail(bool symbolic);

/* DA_EV_PROC_FORK's detail from clone flags: "thread" or "process". */
const char *shape_clone_detail(uint64_t flags);

/* sendfile/sendfile64/splice/copy_file_range: the argument index of the
 * fd data is written to, and of the fd it is read from; -1 when name is
 * none of them. */
int shape_copy_out_arg(const char *name);
int shape_copy_in_arg(const char *name);

/* A DNS query as an event: DA_EV_SYSCALL_OTHER, syscall "dns_query",
 * detail: the name, arg[0]: the query type, addr/port: the server it was
 * sent to (port 53).  ev was initialised by the caller (origin, time);
 * the strings stay q's and addr's. */
void shape_dns_query_event(struct da_event *ev, const struct dns_query *q, const char *addr);

/* The DNS message inside a send to port 53: UDP carries it whole; TCP
 * prefixes it with its 16-bit length (RFC 1035 4.2.2), which may come in a
 * write of its own (then *len_only is set and NULL returned).  Returns
 * where the message starts in buf and its length in *mlen, or NULL. */
const uint8_t *shape_dns_message(const uint8_t *buf, size_t len, bool stream, size_t *mlen,
				 bool *len_only);

/* ---- terminal and console ioctls (backdoor.keylogging) ----
 * The few ioctl(2) requests that inject keystrokes, read the console's
 * keyboard or screen, or take a terminal out of line mode; the live filter
 * stops on these request numbers only (an ordinary TCGETS or FIONREAD stays
 * free).  How each one's argument is read: */
enum shape_tty_arg {
	TTY_ARG_NONE,     /* nothing worth reading (TIOCCONS, KDGKBMODE's output) */
	TTY_ARG_TERMIOS,  /* a struct termios (termios2): its c_lflag */
	TTY_ARG_CHAR,     /* a pointer to one byte: TIOCSTI's char, TIOCLINUX's subcode */
	TTY_ARG_VALUE,    /* the argument itself: KDSKBMODE's mode */
};

struct shape_tty_ioctl {
	const char *name;       /* "TIOCSTI" */
	uint32_t request;       /* the native request number */
	enum shape_tty_arg arg;
};

/* The requests, terminated by a NULL name. */
extern const struct shape_tty_ioctl shape_tty_ioctls[];
/* The row of a request number (its low 32 bits: the kernel's cmd is an
 * unsigned int), or NULL. */
const struct shape_tty_ioctl *shape_tty_by_request(uint64_t request);
/* The row whose name appears in text as a whole word ("TIOCSTI",
 * strace's "SNDCTL_TMR_START or TCSETS"), or NULL. */
const struct shape_tty_ioctl *shape_tty_by_name(const char *text, size_t len);

/* Bits of DA_EV_SYSCALL_OTHER "ioctl" arg[2]: what a termios set turns off. */
#define SHAPE_TTY_NO_CANON 1    /* ICANON cleared: keys arrive one by one (raw mode) */
#define SHAPE_TTY_NO_ECHO 2     /* ECHO cleared: typed keys are not shown */
/* Those bits of a c_lflag value (native ICANON and ECHO). */
int64_t shape_tty_lflag_bits(uint64_t lflag);

/* A terminal ioctl as an event: DA_EV_SYSCALL_OTHER, syscall "ioctl",
 * detail: the request's name, arg[0]: its number, arg[1]: the value read
 * (c_lflag, the char, the subcode, the mode; -1 unread), arg[2]: the
 * SHAPE_TTY_* bits of a termios set (0 otherwise).  ev was initialised by
 * the caller (origin, fd, result). */
void shape_tty_ioctl_event(struct da_event *ev, const struct shape_tty_ioctl *io, int64_t value);

#endif /* DYNAUDIT_SYSCALL_SHAPES_H */

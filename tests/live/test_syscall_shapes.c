/*
 * test_syscall_shapes.c — the event shapes the live tracer and the replay
 * decoders share (core/common/syscall_shapes.c): open flags as access
 * intent, the sendfile family's fds, and the DNS message inside a send
 * (UDP whole, TCP behind its length prefix, hostile lengths bounded).
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>

#include "common/dns_wire.h"
#include "common/syscall_shapes.h"
#include "dynaudit/event.h"

static size_t make_query(uint8_t *buf, const char *name)
{
	const uint8_t hdr[12] = {0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0};
	size_t n = 12;
	memcpy(buf, hdr, 12);
	for (const char *l = name; *l;) {
		size_t len = strcspn(l, ".");
		buf[n++] = (uint8_t)len;
		memcpy(buf + n, l, len);
		n += len;
		l += len;
		if (*l == '.')
			l++;
	}
	buf[n++] = 0;
	buf[n++] = 0;
	buf[n++] = 1;
	buf[n++] = 0;
	buf[n++] = 1;
	return n;
}

Test(shapes, open_access)
{
	cr_assert_eq(shape_open_access(O_RDONLY), DA_ACC_READ);
	cr_assert_eq(shape_open_access(O_WRONLY | O_CREAT | O_TRUNC),
		     DA_ACC_WRITE | DA_ACC_CREATE | DA_ACC_TRUNC);
	cr_assert_eq(shape_open_access(O_RDWR | O_APPEND), DA_ACC_READ | DA_ACC_WRITE | DA_ACC_APPEND);
	cr_assert_eq(shape_open_access(O_PATH | O_DIRECTORY), DA_ACC_PATH | DA_ACC_DIR);
	cr_assert_eq(shape_open_access(O_PATH | O_WRONLY), DA_ACC_PATH);
	cr_assert_eq(shape_open_access(O_TMPFILE | O_RDWR), DA_ACC_READ | DA_ACC_WRITE | DA_ACC_DIR | DA_ACC_CREATE);
	cr_assert_eq(shape_open_access(3), 0u, "O_ACCMODE 3 grants no data access");
}

Test(shapes, details)
{
	cr_assert_str_eq(shape_link_detail(true), "symlink");
	cr_assert_str_eq(shape_link_detail(false), "hardlink");
	cr_assert_str_eq(shape_clone_detail(0x00010000 | 0x100), "thread");
	cr_assert_str_eq(shape_clone_detail(17), "process");
}

Test(shapes, copy_fds)
{
	cr_assert_eq(shape_copy_out_arg("sendfile"), 0);
	cr_assert_eq(shape_copy_in_arg("sendfile"), 1);
	cr_assert_eq(shape_copy_out_arg("splice"), 2);
	cr_assert_eq(shape_copy_in_arg("splice"), 0);
	cr_assert_eq(shape_copy_out_arg("copy_file_range"), 2);
	cr_assert_eq(shape_copy_out_arg("write"), -1);
	cr_assert_eq(shape_copy_in_arg("tee"), -1);
}

Test(shapes, dns_udp_and_tcp)
{
	uint8_t q[300], framed[302];
	size_t n = make_query(q, "abc.example"), m = 0;
	bool len_only = true;
	struct dns_query dq;
	const uint8_t *msg = shape_dns_message(q, n, false, &m, &len_only);
	cr_assert_eq(msg, q);
	cr_assert_eq(m, n);
	cr_assert_not(len_only);
	cr_assert_eq(dns_parse_query(msg, m, &dq), 0);
	cr_assert_str_eq(dq.name, "abc.example");

	framed[0] = (uint8_t)(n >> 8);
	framed[1] = (uint8_t)n;
	memcpy(framed + 2, q, n);
	msg = shape_dns_message(framed, n + 2, true, &m, &len_only);
	cr_assert_eq(msg, framed + 2);
	cr_assert_eq(m, n);
	cr_assert_eq(dns_parse_query(msg, m, &dq), 0);
	cr_assert_str_eq(dq.name, "abc.example");

	/* the length alone, in a write of its own */
	cr_assert_null(shape_dns_message(framed, 2, true, &m, &len_only));
	cr_assert(len_only);
}

Test(shapes, dns_hostile_lengths)
{
	uint8_t b[64];
	size_t m = 99;
	bool len_only;
	memset(b, 0, sizeof b);
	/* a prefix claiming more than was sent is cut to what was sent */
	b[0] = 0xff;
	b[1] = 0xff;
	const uint8_t *msg = shape_dns_message(b, sizeof b, true, &m, &len_only);
	cr_assert_eq(msg, b + 2);
	cr_assert_eq(m, sizeof b - 2);
	/* too short for a header */
	cr_assert_null(shape_dns_message(b, 5, false, &m, &len_only));
	cr_assert_null(shape_dns_message(b, 9, true, &m, &len_only));
	cr_assert_null(shape_dns_message(b, 0, true, &m, &len_only));
}

Test(shapes, dns_event)
{
	uint8_t q[300];
	struct dns_query dq;
	cr_assert_eq(dns_parse_query(q, make_query(q, "x.test"), &dq), 0);
	struct da_event ev;
	memset(&ev, 0, sizeof ev);
	shape_dns_query_event(&ev, &dq, "10.0.0.1:53");
	cr_assert_eq(ev.kind, DA_EV_SYSCALL_OTHER);
	cr_assert_str_eq(ev.syscall, "dns_query");
	cr_assert_str_eq(ev.detail, "x.test");
	cr_assert_eq(ev.arg[0], 1);
	cr_assert_eq(ev.port, 53);
	cr_assert_str_eq(ev.addr, "10.0.0.1:53");
}

/* Terminal ioctls: the request by its low 32 bits (the kernel's cmd is an
 * unsigned int, so high bits cannot hide one), by strace's names, and
 * what a termios set turns off. */
Test(shapes, tty_ioctls)
{
	const struct shape_tty_ioctl *io = shape_tty_by_request(0x5412);
	cr_assert(io && !strcmp(io->name, "TIOCSTI") && io->arg == TTY_ARG_CHAR);
	io = shape_tty_by_request(0xffffffff00005412ULL);
	cr_assert(io && !strcmp(io->name, "TIOCSTI"), "high bits are ignored as the kernel does");
	cr_assert_null(shape_tty_by_request(0x5401), "TCGETS is not one");
	cr_assert_null(shape_tty_by_request(0x541B), "FIONREAD is not one");
	const char *s6 = "SNDCTL_TMR_START or TCSETS";
	io = shape_tty_by_name(s6, strlen(s6));
	cr_assert(io && !strcmp(io->name, "TCSETS"));
	io = shape_tty_by_name("TCSETSW", 7);
	cr_assert(io && !strcmp(io->name, "TCSETSW"), "a whole word, not a prefix");
	cr_assert_null(shape_tty_by_name("TCGETS", 6));
	io = shape_tty_by_name("TCSETS2", 7);
	cr_assert(io && io->request == 0x402C542B, "termios2: _IOW('T', 0x2B, 44 bytes)");
	cr_assert_eq(shape_tty_lflag_bits(0x8a3b), 0, "ISIG|ICANON|ECHO...: line mode");
	cr_assert_eq(shape_tty_lflag_bits(0xa30), SHAPE_TTY_NO_CANON | SHAPE_TTY_NO_ECHO, "cfmakeraw");
	cr_assert_eq(shape_tty_lflag_bits(0x3), SHAPE_TTY_NO_ECHO, "getpass: echo off");
	struct da_event ev;
	memset(&ev, 0, sizeof(ev));
	shape_tty_ioctl_event(&ev, shape_tty_by_name("TCSETS", 6), 0xa30);
	cr_assert_eq(ev.kind, DA_EV_SYSCALL_OTHER);
	cr_assert_str_eq(ev.syscall, "ioctl");
	cr_assert_str_eq(ev.detail, "TCSETS");
	cr_assert_eq(ev.arg[0], 0x5402);
	cr_assert_eq(ev.arg[2], SHAPE_TTY_NO_CANON | SHAPE_TTY_NO_ECHO);
	shape_tty_ioctl_event(&ev, shape_tty_by_name("TCSETS", 6), -1);
	cr_assert_eq(ev.arg[2], 0, "unread: nothing claimed");
}

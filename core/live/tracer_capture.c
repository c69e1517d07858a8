/*
 * tracer_capture.c — what the data-moving calls hand the kernel, copied
 * at their stop (tracer_decode_entry passes them here): sockaddrs, the
 * first bytes of sends and of writes to sockets (raw, for DNS decoding,
 * and as text with opt.capture_sends), the file a sendfile/splice/
 * copy_file_range reads from, the fds an SCM_RIGHTS message passes, and
 * the pid behind a pidfd_send_signal's pidfd.  Every read is bounded
 * (TRACER_PAYLOAD_MAX bytes, MSG_IOV_MAX iovecs, CMSG_MAX control bytes);
 * a failed read leaves the field empty and counts in stats.read_errors.
 */
#include "live/tracer_priv.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/syscall_shapes.h"

#define MSG_IOV_MAX 16     /* iovecs gathered per call */
#define CMSG_MAX 256       /* control bytes read per sendmsg */

void tracer_capture_sockaddr(struct tracer *t, struct tracee *th, struct sc_call *c, uint64_t addr,
			     uint64_t len)
{
	if (!addr || len == 0)
		return;
	if (len > sizeof(c->sa))
		len = sizeof(c->sa);
	ssize_t n = tracer_mem_read(t, th->tid, addr, c->sa, (size_t)len);
	if (n <= 0) {
		t->stats.read_errors++;
		return;
	}
	c->salen = (uint32_t)n;
}

/* The first n bytes of raw as printable text (opt.capture_sends):
 * non-printables as \xNN, 4 characters each at most. */
static void payload_text(const struct tracer *t, struct sc_call *c, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	if (!t->opt.capture_sends)
		return;
	char *w = c->payload;
	for (size_t i = 0; i < n && i < c->raw_len; i++) {
		unsigned char b = c->raw[i];
		if (b >= 0x20 && b < 0x7f && b != '\\') {
			*w++ = (char)b;
		} else {
			*w++ = '\\';
			*w++ = 'x';
			*w++ = hex[b >> 4];
			*w++ = hex[b & 15];
		}
	}
	*w = '\0';
}

/* Appends up to len bytes at addr to c->raw; the bytes read, or -1. */
static ssize_t raw_append(struct tracer *t, struct tracee *th, struct sc_call *c, uint64_t addr,
			  uint64_t len)
{
	size_t room = sizeof(c->raw) - c->raw_len;
	if (!addr || !len || !room)
		return 0;
	ssize_t n = tracer_mem_read(t, th->tid, addr, c->raw + c->raw_len, len < room ? (size_t)len : room);
	if (n <= 0) {
		t->stats.read_errors++;
		return -1;
	}
	c->raw_len += (uint32_t)n;
	return n;
}

/* An iovec array: its bytes gathered into raw, the total in send_len;
 * the text shows the first iovec only. */
static void capture_iovs(struct tracer *t, struct tracee *th, struct sc_call *c, uint64_t iov,
			 uint64_t cnt)
{
	struct { uint64_t base, len; } v[MSG_IOV_MAX];
	if (!iov || !cnt)
		return;
	size_t want = cnt < MSG_IOV_MAX ? (size_t)cnt : MSG_IOV_MAX;
	ssize_t n = tracer_mem_read(t, th->tid, iov, v, want * sizeof(v[0]));
	if (n < (ssize_t)sizeof(v[0])) {
		t->stats.read_errors++;
		return;
	}
	size_t got = (size_t)n / sizeof(v[0]), first = 0;
	for (size_t i = 0; i < got; i++) {
		c->send_len += v[i].len;
		ssize_t r = raw_append(t, th, c, v[i].base, v[i].len);
		if (i == 0)
			first = r > 0 ? (size_t)r : 0;
		if (r < 0)
			break;
	}
	payload_text(t, c, first);
}

/* Is fd of the stopped thread a socket?  (/proc/TID/fd/N: "socket:[ino]") */
static bool fd_is_socket(const struct tracee *th, int64_t fd)
{
	char link[64], target[32];
	if (fd < 0 || fd > 0x7fffffff)
		return false;
	snprintf(link, sizeof(link), "/proc/%d/fd/%d", (int)th->tid, (int)fd);
	ssize_t n = readlink(link, target, sizeof(target) - 1);
	return n > 7 && strncmp(target, "socket:", 7) == 0;
}

/* One number after "key" in /proc/TID/fdinfo/FD (the last one on its line
 * when last), or -1. */
static long fdinfo_number(const struct tracee *th, int64_t fd, const char *key, bool last)
{
	char path[64], buf[1024];
	snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d", (int)th->tid, (int)fd);
	int f = open(path, O_RDONLY | O_CLOEXEC);
	if (f < 0)
		return -1;
	ssize_t n = read(f, buf, sizeof(buf) - 1);
	close(f);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	char *p = strstr(buf, key);
	if (!p)
		return -1;
	p += strlen(key);
	char *eol = strchr(p, '\n');
	if (eol)
		*eol = '\0';
	if (last) {
		char *sp = strrchr(p, '\t');
		if (!sp)
			sp = strrchr(p, ' ');
		if (sp)
			p = sp + 1;
	}
	return strtol(p, NULL, 10);
}

/* sendfile/splice/copy_file_range from a regular file: its bytes at the
 * offset the copy starts from (the offset argument, else the fd's). */
static void capture_file_head(struct tracer *t, struct tracee *th, struct sc_call *c, int64_t in,
			      uint64_t off_ptr)
{
	char path[64];
	struct stat st;
	if (in < 0)
		return;
	snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)th->tid, (int)in);
	/* Only a regular file is opened (a device's open may act), and what
	 * was opened is judged again: another thread of the target may
	 * dup2() over the fd between the stat and the open. */
	if (stat(path, &st) < 0 || !S_ISREG(st.st_mode))
		return;
	int f = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (f < 0)
		return;
	int64_t off = -1;
	if (fstat(f, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(f); /* a pipe's bytes cannot be read without taking them */
		return;
	}
	if (off_ptr && tracer_mem_read(t, th->tid, off_ptr, &off, sizeof(off)) != sizeof(off))
		off = -1;
	if (off < 0)
		off = fdinfo_number(th, in, "pos:", false);
	if (off < 0) {
		close(f);
		return;
	}
	ssize_t n = pread(f, c->raw, sizeof(c->raw), off);
	close(f);
	if (n > 0) {
		c->raw_len = (uint32_t)n;
		payload_text(t, c, (size_t)n);
	}
}

/* sendmsg's control messages: the fds of the first SCM_RIGHTS. */
static void capture_rights(struct tracer *t, struct tracee *th, struct sc_call *c, uint64_t ctl,
			   uint64_t ctllen)
{
	uint8_t buf[CMSG_MAX];
	if (!ctl || ctllen < 16)
		return;
	ssize_t n = tracer_mem_read(t, th->tid, ctl, buf, ctllen < sizeof(buf) ? (size_t)ctllen : sizeof(buf));
	for (size_t at = 0; n > 0 && at + 16 <= (size_t)n;) {
		uint64_t len;
		int32_t level, type;
		memcpy(&len, buf + at, 8);
		memcpy(&level, buf + at + 8, 4);
		memcpy(&type, buf + at + 12, 4);
		if (len < 16 || len > (size_t)n - at)
			break;
		if (level == 1 /* SOL_SOCKET */ && type == 1 /* SCM_RIGHTS */ && len >= 20) {
			c->n_passed = (int)((len - 16) / 4);
			memcpy(&c->passed_fd, buf + at + 16, 4);
			return;
		}
		at += (len + 7) & ~(uint64_t)7;
	}
}

/* sendmsg/sendmmsg: the first (mm)sghdr (64-bit layout: name, namelen +
 * pad, iov, iovlen, control, controllen, flags). */
static void capture_msghdr(struct tracer *t, struct tracee *th, struct sc_call *c, uint64_t addr)
{
	struct { uint64_t name; uint32_t namelen, pad; uint64_t iov, iovlen, control, controllen; } h;
	if (!addr || tracer_mem_read(t, th->tid, addr, &h, sizeof h) != (ssize_t)sizeof h) {
		if (addr)
			t->stats.read_errors++;
		return;
	}
	tracer_capture_sockaddr(t, th, c, h.name, h.namelen);
	capture_iovs(t, th, c, h.iov, h.iovlen);
	if (c->row->id == SC_SENDMSG)
		capture_rights(t, th, c, h.control, h.controllen);
}

bool tracer_capture_entry(struct tracer *t, struct tracee *th, struct sc_call *c)
{
	const uint64_t *a = c->args;
	switch (c->row->id) {
	case SC_CONNECT: case SC_BIND:
		tracer_capture_sockaddr(t, th, c, a[1], a[2]);
		return true;
	case SC_SENDTO:
		tracer_capture_sockaddr(t, th, c, a[4], a[5]);
		c->send_len = a[2];
		if (raw_append(t, th, c, a[1], a[2]) > 0)
			payload_text(t, c, c->raw_len);
		return true;
	case SC_SENDMSG: case SC_SENDMMSG:
		capture_msghdr(t, th, c, a[1]);
		return true;
	case SC_WRITE: case SC_WRITEV:
		c->out_is_socket = fd_is_socket(th, (int64_t)(int32_t)a[0]);
		if (!c->out_is_socket)
			return true; /* a file or a pipe: no event, nothing to read */
		if (c->row->id == SC_WRITEV) {
			capture_iovs(t, th, c, a[1], a[2]);
		} else {
			c->send_len = a[2];
			if (raw_append(t, th, c, a[1], a[2]) > 0)
				payload_text(t, c, c->raw_len);
		}
		return true;
	case SC_COPY: {
		int out = shape_copy_out_arg(c->row->name), in = shape_copy_in_arg(c->row->name);
		c->out_is_socket = out >= 0 && fd_is_socket(th, (int64_t)(int32_t)a[out]);
		if (c->out_is_socket)
			capture_file_head(t, th, c, (int64_t)(int32_t)a[in], in == 1 ? a[2] : a[1]);
		return true;
	}
	case SC_PIDFD_SEND_SIGNAL: {
		long pid = fdinfo_number(th, (int64_t)(int32_t)a[0], "NSpid:", true);
		c->pidfd_pid = pid > 0 && pid <= 0x7fffffff ? (int32_t)pid : 0;
		return true;
	}
	default:
		return false;
	}
}

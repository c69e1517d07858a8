/*
 * syscall_shapes.c — see syscall_shapes.h.
 */
#include "common/syscall_shapes.h"

#include <string.h>

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

/*
 * tracer_mem.c — reading a stopped tracee's memory.
 *
 * process_vm_readv() copies a whole range in one call but fails as a whole
 * when any part is unmapped, so reads go page by page: a string that runs
 * into an unmapped page is still read up to the fault.  When the call is
 * not available (probed in tracer_new: ENOSYS, or EPERM under some LSMs)
 * PTRACE_PEEKDATA reads one word at a time.
 */
#include "live/tracer_priv.h"

#include <errno.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>

#define PAGE 4096u

static ssize_t read_chunk(const struct tracer *t, pid_t tid, uint64_t addr, void *buf, size_t len)
{
	if (t->have_vm_readv) {
		struct iovec local = { buf, len };
		struct iovec remote = { (void *)(uintptr_t)addr, len };
		ssize_t n = process_vm_readv(tid, &local, 1, &remote, 1, 0);
		return n < 0 ? -errno : n;
	}
	/* PEEKDATA: aligned words, copied out of their middle. */
	size_t done = 0;
	while (done < len) {
		uint64_t a = addr + done;
		uint64_t base = a & ~(uint64_t)(sizeof(long) - 1);
		errno = 0;
		long word = ptrace(PTRACE_PEEKDATA, tid, (void *)(uintptr_t)base, NULL);
		if (errno)
			return done ? (ssize_t)done : -errno;
		size_t off = (size_t)(a - base);
		size_t n = sizeof(long) - off;
		if (n > len - done)
			n = len - done;
		memcpy((char *)buf + done, (char *)&word + off, n);
		done += n;
	}
	return (ssize_t)done;
}

ssize_t tracer_mem_read(const struct tracer *t, pid_t tid, uint64_t addr, void *buf, size_t len)
{
	size_t done = 0;
	while (done < len) {
		uint64_t a = addr + done;
		size_t n = PAGE - (size_t)(a % PAGE);
		if (n > len - done)
			n = len - done;
		ssize_t r = read_chunk(t, tid, a, (char *)buf + done, n);
		if (r <= 0)
			return done ? (ssize_t)done : (r < 0 ? r : -EFAULT);
		done += (size_t)r;
	}
	return (ssize_t)done;
}

ssize_t tracer_mem_string(const struct tracer *t, pid_t tid, uint64_t addr, char *buf,
			  size_t cap, bool *trunc)
{
	size_t done = 0;
	*trunc = false;
	if (cap == 0)
		return -EINVAL;
	buf[0] = '\0';
	if (addr == 0)
		return -EFAULT;
	while (done < cap - 1) {
		uint64_t a = addr + done;
		size_t n = PAGE - (size_t)(a % PAGE);
		if (n > cap - 1 - done)
			n = cap - 1 - done;
		/* Short first reads keep the common short string cheap. */
		if (done == 0 && n > 256)
			n = 256;
		ssize_t r = read_chunk(t, tid, a, buf + done, n);
		if (r <= 0) {
			buf[done] = '\0';
			if (done == 0)
				return r < 0 ? r : -EFAULT;
			*trunc = true;
			return (ssize_t)done;
		}
		char *nul = memchr(buf + done, '\0', (size_t)r);
		if (nul)
			return (ssize_t)(nul - buf);
		done += (size_t)r;
	}
	buf[done] = '\0';
	*trunc = true;
	return (ssize_t)done;
}

/*
 * tracer_taint.c — what a process received, reaching what it runs.
 *
 * A server that hands what a client sent to a shell (os.system(line),
 * popen(buf)) executes the network: the exec's argv holds bytes that came
 * in through a socket moments before.  The tracer sees both ends when
 * opt.track_received is on: recvfrom/recvmsg/recvmmsg on an inet socket
 * stop at their exit (the event kind NET_RECV is added to the mask), and
 * the first TAINT_KEEP bytes of each are kept in a small ring with the
 * receiving process (namespace pid) and the time (a stream read in small
 * pieces goes on in its fd's slot).  At an exec, every argv string after
 * argv[0] of TAINT_MIN_LEN bytes or more is looked for in what the process
 * or one of its ancestors received in the last TAINT_RECENT_S seconds:
 * the exec event's arg[2] is then 1 + that string's index (0: none).
 *
 * And input read before a shell: arg[3] of the exec event is 1 when the
 * process's fd 0 is a file it (or the parent it shares it with) has read
 * from (its offset is past 0: target.stdin's memfd, a redirected file).
 *
 * Not seen: bytes received with read()/readv() (not stopped on: the bulk
 * of every program's syscalls), past the first TAINT_KEEP of a call, or
 * transformed before the exec (decoded, split, concatenated with what
 * is shorter than TAINT_MIN_LEN).
 */
#include "live/tracer_priv.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dynaudit/event.h"

#define TAINT_SLOTS 32
#define TAINT_KEEP 4096
#define TAINT_MIN_LEN 4
#define TAINT_RECENT_S 60.0

struct taint_slot {
	int ns_pid;          /* 0: empty */
	int fd;              /* the socket it came through */
	double mono;         /* when the last bytes came */
	size_t len;
	uint8_t data[TAINT_KEEP];
};

struct taint {
	struct taint_slot slot[TAINT_SLOTS];
	unsigned next;
};

double tracer_mono_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void tracer_taint_free(struct tracer *t)
{
	free(t->taint);
	t->taint = NULL;
}

void tracer_taint_recv(struct tracer *t, struct tracee *th, struct sc_call *c)
{
	if (!t->opt.track_received || !c->row || !c->has_result || c->ret <= 0 || !th->proc)
		return;
	uint64_t buf = 0, len = 0;
	struct { uint64_t name; uint32_t namelen, pad; uint64_t iov, iovlen; } hdr;
	struct { uint64_t base, len; } iov;
	switch (c->row->id) {
	case SC_RECVFROM:
		buf = c->args[1];
		len = (uint64_t)c->ret;
		break;
	case SC_RECVMSG:
	case SC_RECVMMSG: /* the first message's first iovec */
		if (!c->args[1] || tracer_mem_read(t, th->tid, c->args[1], &hdr, sizeof hdr) != (ssize_t)sizeof hdr ||
		    !hdr.iov || !hdr.iovlen ||
		    tracer_mem_read(t, th->tid, hdr.iov, &iov, sizeof iov) != (ssize_t)sizeof iov)
			return;
		buf = iov.base;
		len = iov.len < (uint64_t)c->ret || c->row->id == SC_RECVMMSG ? iov.len : (uint64_t)c->ret;
		break;
	default:
		return;
	}
	if (!buf || (!t->taint && !(t->taint = calloc(1, sizeof *t->taint))))
		return;
	/* a stream read in small pieces (a line reader's 1-byte recvs) goes
	 * on in the slot of its fd: the last TAINT_KEEP bytes are kept */
	struct taint_slot *s = NULL;
	for (int k = 0; k < TAINT_SLOTS && !s; k++)
		if (t->taint->slot[k].ns_pid == th->proc->ns_pid && t->taint->slot[k].fd == (int)c->args[0])
			s = &t->taint->slot[k];
	if (!s) { /* a new fd: only inet sockets count (their slot says so from now on) */
		char desc[128];
		const char *d = tracer_fd_describe(t, th, (int)c->args[0], desc, sizeof desc);
		if (!d || strncmp(d, "socket:inet", 11) != 0)
			return;
		s = &t->taint->slot[t->taint->next++ % TAINT_SLOTS];
		s->len = 0;
	}
	size_t want = len < TAINT_KEEP ? (size_t)len : TAINT_KEEP;
	if (s->len + want > TAINT_KEEP) {
		size_t drop = s->len + want - TAINT_KEEP;
		memmove(s->data, s->data + drop, s->len - drop);
		s->len -= drop;
	}
	ssize_t got = tracer_mem_read(t, th->tid, buf, s->data + s->len, want);
	if (got <= 0)
		return;
	s->len += (size_t)got;
	s->ns_pid = th->proc->ns_pid;
	s->fd = (int)c->args[0];
	s->mono = tracer_mono_s();
}

/* Is pid the same as, or a descendant of, anc (namespace pids)? */
bool tracer_in_tree(const struct tracer *t, int pid, int anc)
{
	for (int depth = 0; pid > 0 && depth < 64; depth++) {
		if (pid == anc)
			return true;
		pid = procstate_ppid(t->ps, pid);
	}
	return false;
}

static int received_argv(const struct tracer *t, const struct tracee *th, const struct sc_call *c)
{
	if (!t->taint || !th->proc || !c->argv)
		return 0;
	double now = tracer_mono_s();
	for (int i = 1; i < c->argc && i < TRACER_ARGV_MAX; i++) { /* argv[0]: a name, not data */
		const char *a = c->argv[i];
		size_t al = a ? strlen(a) : 0;
		if (al < TAINT_MIN_LEN)
			continue;
		for (int k = 0; k < TAINT_SLOTS; k++) {
			const struct taint_slot *s = &t->taint->slot[k];
			if (!s->ns_pid || now - s->mono > TAINT_RECENT_S || s->len < al ||
			    !tracer_in_tree(t, th->proc->ns_pid, s->ns_pid))
				continue;
			if (memmem(s->data, s->len, a, al))
				return i + 1;
		}
	}
	return 0;
}

bool tracer_taint_holds(const struct tracer *t, int ns_pid, const void *bytes, size_t n)
{
	double now = tracer_mono_s();
	for (int k = 0; t->taint && k < TAINT_SLOTS; k++) {
		const struct taint_slot *s = &t->taint->slot[k];
		if (s->ns_pid && now - s->mono <= TAINT_RECENT_S && s->len >= n &&
		    tracer_in_tree(t, ns_pid, s->ns_pid) && memmem(s->data, s->len, bytes, n))
			return true;
	}
	return false;
}

/* fd 0 a file read past its start? */
static bool read_stdin(const struct tracee *th)
{
	char path[64], buf[256];
	snprintf(path, sizeof path, "/proc/%d/fdinfo/0", (int)th->tgid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	long long pos = 0;
	return sscanf(buf, "pos: %lld", &pos) == 1 && pos > 0;
}

void tracer_taint_exec(struct tracer *t, const struct tracee *th, const struct sc_call *c,
		       struct da_event *ev)
{
	ev->arg[2] = received_argv(t, th, c);
	ev->arg[3] = read_stdin(th) ? 1 : 0;
}

/*
 * tracer_fd.c — what an fd of a traced process is.
 *
 * The kernel's truth first: /proc/<tid>/fd/<n> says whether the fd is a
 * socket, a pipe, an anonymous inode, a memfd or a path.  Sockets are then
 * described exactly by borrowing a duplicate of the fd (pidfd_getfd, which
 * the tracer is allowed to do) and asking it for its family, type and
 * addresses.  Paths come from procstate when it knows the fd under the
 * same name (procstate paths are in the sandbox's view; /proc readlink
 * from the host may show the host's view of a bind mount), else from
 * /proc.
 */
#include "live/tracer_priv.h"

#include "common/syscall_shapes.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#ifndef AF_NETLINK
#define AF_NETLINK 16
#endif

const char *tracer_family_name(int family)
{
	switch (family) {
	case AF_UNIX: return "unix";
	case AF_INET: return "inet";
	case AF_INET6: return "inet6";
	case AF_NETLINK: return "netlink";
	case AF_PACKET: return "packet";
	default: return "other";
	}
}

const char *tracer_socktype_name(int type)
{
	switch (type & 0xf) {
	case SOCK_STREAM: return "stream";
	case SOCK_DGRAM: return "dgram";
	case SOCK_RAW: return "raw";
	case SOCK_SEQPACKET: return "seqpacket";
	case SOCK_RDM: return "rdm";
	default: return "other";
	}
}

const char *tracer_sockaddr_text(const void *sa_, size_t salen, char *buf, size_t len, int *port)
{
	const unsigned char *sa = sa_;
	sa_family_t fam;
	char ip[INET6_ADDRSTRLEN];

	*port = 0;
	buf[0] = '\0';
	if (salen < sizeof(fam))
		return buf;
	memcpy(&fam, sa, sizeof(fam));
	if (fam == AF_INET && salen >= sizeof(struct sockaddr_in)) {
		struct sockaddr_in in;
		memcpy(&in, sa, sizeof(in));
		inet_ntop(AF_INET, &in.sin_addr, ip, sizeof(ip));
		*port = ntohs(in.sin_port);
		snprintf(buf, len, "%s:%d", ip, *port);
	} else if (fam == AF_INET6 && salen >= sizeof(struct sockaddr_in6)) {
		struct sockaddr_in6 in6;
		memcpy(&in6, sa, sizeof(in6));
		inet_ntop(AF_INET6, &in6.sin6_addr, ip, sizeof(ip));
		*port = ntohs(in6.sin6_port);
		snprintf(buf, len, "[%s]:%d", ip, *port);
	} else if (fam == AF_UNIX) {
		const char *p = (const char *)sa + offsetof(struct sockaddr_un, sun_path);
		size_t n = salen > offsetof(struct sockaddr_un, sun_path)
				   ? salen - offsetof(struct sockaddr_un, sun_path) : 0;
		if (n > sizeof(((struct sockaddr_un *)0)->sun_path))
			n = sizeof(((struct sockaddr_un *)0)->sun_path);
		if (n == 0) {
			snprintf(buf, len, "unnamed");
		} else if (p[0] == '\0') {
			/* abstract: the name is every byte after the NUL */
			size_t o = 0;
			if (len > 1)
				buf[o++] = '@';
			for (size_t i = 1; i < n && o + 1 < len; i++)
				buf[o++] = (p[i] >= 0x20 && p[i] < 0x7f) ? p[i] : '?';
			buf[o] = '\0';
		} else {
			size_t m = strnlen(p, n);
			snprintf(buf, len, "%.*s", (int)m, p);
		}
	} else {
		snprintf(buf, len, "family %u", (unsigned)fam);
	}
	return buf;
}

/* Borrow the fd (pidfd_getfd) and describe the socket from its addresses. */
static const char *describe_socket(pid_t tgid, int fd, char *buf, size_t len)
{
	int pidfd = (int)syscall(SYS_pidfd_open, tgid, 0);
	if (pidfd < 0)
		return NULL;
	int s = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);
	close(pidfd);
	if (s < 0)
		return NULL;
	int family = 0, type = 0;
	socklen_t ol = sizeof(family);
	getsockopt(s, SOL_SOCKET, SO_DOMAIN, &family, &ol);
	ol = sizeof(type);
	getsockopt(s, SOL_SOCKET, SO_TYPE, &type, &ol);
	struct sockaddr_storage local, peer;
	socklen_t ll = sizeof(local), pl = sizeof(peer);
	bool has_local = getsockname(s, (struct sockaddr *)&local, &ll) == 0;
	bool has_peer = getpeername(s, (struct sockaddr *)&peer, &pl) == 0;
	close(s);

	char a[160];
	int port;
	int n = snprintf(buf, len, "socket:%s/%s", tracer_family_name(family), tracer_socktype_name(type));
	if (n < 0 || (size_t)n >= len)
		return buf;
	if (family == AF_INET || family == AF_INET6 || family == AF_UNIX) {
		if (has_peer && pl > sizeof(sa_family_t)) {
			tracer_sockaddr_text(&peer, pl, a, sizeof(a), &port);
			snprintf(buf + n, len - (size_t)n, "->%s", a);
		} else if (has_local && ll > sizeof(sa_family_t)) {
			tracer_sockaddr_text(&local, ll, a, sizeof(a), &port);
			/* an unbound inet socket reports 0.0.0.0:0: nothing to say */
			if (family == AF_UNIX || port != 0)
				snprintf(buf + n, len - (size_t)n, "@%s", a);
		}
	}
	return buf;
}

static const char *basename_of(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

static const char *describe_now(struct tracer *t, const struct tracee *th, int fd, char *buf,
				size_t len);

const char *tracer_fd_describe(struct tracer *t, const struct tracee *th, int fd, char *buf,
			       size_t len)
{
	for (int i = 0; i < t->n_pre; i++)
		if (t->pre[i].tid == th->tid && t->pre[i].fd == fd) {
			if (!t->pre[i].open || len == 0)
				return NULL;
			snprintf(buf, len, "%s", t->pre[i].desc);
			return buf;
		}
	return describe_now(t, th, fd, buf, len);
}

static void prefetch(struct tracer *t, const struct tracee *th, int64_t fd)
{
	if (fd < 0 || fd > INT32_MAX || t->n_pre >= TRACER_PREFETCH_FDS)
		return;
	for (int i = 0; i < t->n_pre; i++)
		if (t->pre[i].tid == th->tid && t->pre[i].fd == (int)fd)
			return;
	struct fd_prefetch *p = &t->pre[t->n_pre];
	p->tid = th->tid;
	p->fd = (int)fd;
	p->open = describe_now(t, th, (int)fd, p->desc, sizeof(p->desc)) != NULL;
	t->n_pre++;
}

/* A dirfd matters only for a relative path. */
static void prefetch_dirfd(struct tracer *t, const struct tracee *th, uint64_t dirfd,
			   const char *path)
{
	if (!path || path[0] != '/')
		prefetch(t, th, (int64_t)(int32_t)dirfd); /* AT_FDCWD is negative: skipped */
}

/* /dev/fd/N/... and /proc/self/fd/N/... name fd N of the caller. */
static void prefetch_magic_fd(struct tracer *t, const struct tracee *th, const char *path)
{
	int who, fd;
	const char *rest;
	if (path && path[0] == '/' && path_magic_parse(path, &who, &fd, &rest) == MAGIC_FD &&
	    (who == 0 || who == th->ns_tid || (th->proc && who == th->proc->ns_pid)))
		prefetch(t, th, fd);
}

void tracer_prefetch_fds(struct tracer *t, const struct tracee *th, const struct sc_call *c)
{
	t->n_pre = 0;
	if (!c->row)
		return;
	const uint64_t *a = c->args;
	prefetch_magic_fd(t, th, c->str[0]);
	switch (c->row->id) {
	case SC_OPENAT: case SC_OPENAT2: case SC_UNLINKAT: case SC_FCHMODAT: case SC_FCHOWNAT:
	case SC_MKDIRAT: case SC_MKNODAT: case SC_STAT_AT: case SC_EXECVEAT:
		prefetch_dirfd(t, th, a[0], c->str[0]);
		break;
	case SC_RENAMEAT: case SC_RENAMEAT2: case SC_LINKAT:
		prefetch_dirfd(t, th, a[0], c->str[0]);
		prefetch_dirfd(t, th, a[2], c->str[1]);
		break;
	case SC_SYMLINKAT:
		prefetch_dirfd(t, th, a[1], c->str[1]);
		break;
	case SC_FCHMOD: case SC_FCHOWN: case SC_FCHDIR:
	case SC_CONNECT: case SC_BIND: case SC_LISTEN: case SC_SENDTO: case SC_SENDMSG:
	case SC_SENDMMSG: case SC_RECVFROM: case SC_RECVMSG: case SC_RECVMMSG:
		prefetch(t, th, (int64_t)(int32_t)a[0]);
		if (c->passed_fd >= 0) /* SCM_RIGHTS: often closed right after */
			prefetch(t, th, c->passed_fd);
		break;
	case SC_ACCEPT: case SC_ACCEPT4:
		prefetch(t, th, (int64_t)(int32_t)a[0]);
		if (c->has_result && c->ret >= 0)
			prefetch(t, th, c->ret);
		break;
	case SC_MMAP:
		prefetch(t, th, (int64_t)(int32_t)a[4]);
		break;
	case SC_IOCTL:
		prefetch(t, th, (int64_t)(int32_t)a[0]);
		break;
	case SC_WRITE: case SC_WRITEV:
		if (c->out_is_socket)
			prefetch(t, th, (int64_t)(int32_t)a[0]);
		break;
	case SC_COPY: {
		int out = shape_copy_out_arg(c->row->name), in = shape_copy_in_arg(c->row->name);
		if (c->out_is_socket && out >= 0 && in >= 0) {
			prefetch(t, th, (int64_t)(int32_t)a[out]);
			prefetch(t, th, (int64_t)(int32_t)a[in]);
		}
		break;
	}
	default:
		break;
	}
}

void tracer_prefetch_clear(struct tracer *t)
{
	t->n_pre = 0;
}

static const char *describe_now(struct tracer *t, const struct tracee *th, int fd, char *buf,
				size_t len)
{
	char proc[64], link[4096];
	if (fd < 0 || len == 0)
		return NULL;
	snprintf(proc, sizeof(proc), "/proc/%d/fd/%d", (int)th->tid, fd);
	ssize_t n = readlink(proc, link, sizeof(link) - 1);
	if (n < 0)
		return NULL; /* not open (or the process is gone) */
	link[n] = '\0';

	if (strncmp(link, "socket:", 7) == 0) {
		if (describe_socket(th->tgid, fd, buf, len))
			return buf;
		snprintf(buf, len, "socket:other/other");
		return buf;
	}
	if (strncmp(link, "pipe:", 5) == 0) {
		snprintf(buf, len, "pipe");
		return buf;
	}
	if (strncmp(link, "/memfd:", 7) == 0) {
		char *del = strstr(link, " (deleted)");
		if (del)
			*del = '\0';
		snprintf(buf, len, "memfd:%s", link + 7);
		return buf;
	}
	if (strncmp(link, "anon_inode:", 11) == 0) {
		snprintf(buf, len, "anon:%s", link + 11);
		return buf;
	}
	if (strncmp(link, "/dev/pts/", 9) == 0 || strcmp(link, "/dev/tty") == 0 ||
	    strcmp(link, "/dev/console") == 0) {
		snprintf(buf, len, "tty");
		return buf;
	}
	if (link[0] == '/') {
		/* Prefer procstate's sandbox-view name of the same file. */
		const char *known = th->proc ? procstate_fd_get(t->ps, th->proc->ns_pid, fd) : NULL;
		if (known && known[0] == '/' && strcmp(basename_of(known), basename_of(link)) == 0)
			snprintf(buf, len, "%s", known);
		else
			snprintf(buf, len, "%s", link);
		return buf;
	}
	snprintf(buf, len, "unknown");
	return buf;
}

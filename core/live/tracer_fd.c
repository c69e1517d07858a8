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

const char *tracer_fd_describe(struct tracer *t, const struct tracee *th, int fd, char *buf,
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

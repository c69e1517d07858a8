/*
 * netns_sockets.c — see netns_sockets.h.
 */
#include "live/netns_sockets.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#define HELPER_UID 65534 /* nobody */

struct request {
	int32_t type;
	uint32_t salen;
	struct sockaddr_storage sa;
};

struct netns_sockets {
	int sock;           /* our end of the socketpair */
	pid_t pid;          /* the helper (not our child) */
	pthread_mutex_t lock;
};

/* ---- the helper ---------------------------------------------------------- */

static int drop_to_bind_only(bool root)
{
	if (root) {
		if (setgroups(0, NULL) < 0 || prctl(PR_SET_KEEPCAPS, 1) < 0 ||
		    setresgid(HELPER_UID, HELPER_UID, HELPER_UID) < 0 ||
		    setresuid(HELPER_UID, HELPER_UID, HELPER_UID) < 0)
			return -1;
	}
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2];
	memset(data, 0, sizeof data);
	data[0].effective = data[0].permitted = 1u << CAP_NET_BIND_SERVICE;
	if (syscall(SYS_capset, &hdr, data) < 0)
		return -1;
	return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
}

static void reply(int sock, int err, int fd)
{
	unsigned char code = (unsigned char)(err > 255 ? EIO : err);
	struct iovec iov = { .iov_base = &code, .iov_len = 1 };
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	memset(&u, 0, sizeof u);
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	if (fd >= 0) {
		m.msg_control = u.buf;
		m.msg_controllen = sizeof u.buf;
		struct cmsghdr *c = CMSG_FIRSTHDR(&m);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof(int));
	}
	(void)!sendmsg(sock, &m, MSG_NOSIGNAL);
	if (fd >= 0)
		close(fd);
}

static int make_socket(const struct request *q)
{
	int family = q->sa.ss_family;
	if ((family != AF_INET && family != AF_INET6) || q->salen > sizeof q->sa ||
	    (q->type != SOCK_STREAM && q->type != SOCK_DGRAM))
		return -EINVAL;
	int s = socket(family, q->type | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (s < 0)
		return -errno;
	if (family == AF_INET6) {
		int one = 1;
		setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
	}
	if (bind(s, (const struct sockaddr *)&q->sa, q->salen) < 0 ||
	    (q->type == SOCK_STREAM && listen(s, 16) < 0)) {
		int e = errno;
		close(s);
		return -e;
	}
	return s;
}

static void helper_main(int sock, pid_t init_pid, int netns_fd, bool via_userns)
{
	int ok = 0;
	if (via_userns) {
		char path[64];
		snprintf(path, sizeof path, "/proc/%d/ns/user", (int)init_pid);
		int ufd = open(path, O_RDONLY | O_CLOEXEC);
		ok = ufd >= 0 && setns(ufd, CLONE_NEWUSER) == 0 ? 0 : -1;
	}
	if (ok == 0 && setns(netns_fd, CLONE_NEWNET) < 0)
		ok = -1;
	int e = ok < 0 ? errno : 0;
	/* only our end stays open: the helper must hold nothing of the run */
	if (dup2(sock, 3) < 0)
		_exit(1);
	syscall(SYS_close_range, 4, ~0U, 0);
	sock = 3;
	if (ok == 0 && drop_to_bind_only(!via_userns) < 0)
		e = errno, ok = -1;
	int32_t me = getpid();
	(void)!send(sock, &me, sizeof me, MSG_NOSIGNAL);
	reply(sock, ok < 0 ? (e ? e : EPERM) : 0, -1); /* ready (or why not) */
	if (ok < 0)
		_exit(1);
	for (;;) {
		struct request q;
		ssize_t n = recv(sock, &q, sizeof q, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n != (ssize_t)sizeof q)
			_exit(0); /* dynaudit closed its end (or spoke nonsense) */
		int fd = make_socket(&q);
		reply(sock, fd < 0 ? -fd : 0, fd);
	}
}

/* ---- dynaudit's side ---------------------------------------------------- */

static int read_reply(int sock, int *fd)
{
	unsigned char code = 0;
	struct iovec iov = { .iov_base = &code, .iov_len = 1 };
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
			    .msg_controllen = sizeof u.buf };
	ssize_t n;
	do
		n = recvmsg(sock, &m, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	*fd = -1;
	if (n != 1)
		return n < 0 ? -errno : -EPIPE;
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);
	if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
		memcpy(fd, CMSG_DATA(c), sizeof(int));
	return -(int)code;
}

int netns_sockets_start(struct netns_sockets **out, pid_t init_pid, int netns_fd, bool via_userns,
			char *err, size_t errlen)
{
	*out = NULL;
	if (netns_fd < 0) {
		snprintf(err, errlen, "no network namespace of the sandbox");
		return -EINVAL;
	}
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		snprintf(err, errlen, "socketpair: %s", strerror(errno));
		return -errno;
	}
	pid_t mid = fork();
	if (mid < 0) {
		int e = errno;
		close(sv[0]);
		close(sv[1]);
		snprintf(err, errlen, "fork: %s", strerror(e));
		return -e;
	}
	if (mid == 0) {
		/* the middle child leaves the helper to init */
		close(sv[0]);
		if (fork() == 0)
			helper_main(sv[1], init_pid, netns_fd, via_userns);
		_exit(0);
	}
	close(sv[1]);
	while (waitpid(mid, NULL, __WALL) < 0 && errno == EINTR)
		;
	int32_t pid = -1;
	int fd = -1, rc;
	if (read(sv[0], &pid, sizeof pid) != (ssize_t)sizeof pid || pid <= 0)
		rc = -ECHILD;
	else
		rc = read_reply(sv[0], &fd);
	if (rc < 0) {
		snprintf(err, errlen, "helper in the sandbox's network namespace: %s", strerror(-rc));
		if (pid > 0)
			kill(pid, SIGKILL);
		close(sv[0]);
		return rc;
	}
	struct netns_sockets *h = calloc(1, sizeof *h);
	if (!h) {
		kill(pid, SIGKILL);
		close(sv[0]);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	h->sock = sv[0];
	h->pid = pid;
	pthread_mutex_init(&h->lock, NULL);
	*out = h;
	return 0;
}

int netns_sockets_bind(struct netns_sockets *h, int type, const struct sockaddr *sa,
		       socklen_t salen)
{
	if (!h || !sa || salen > sizeof(struct sockaddr_storage))
		return -EINVAL;
	struct request q;
	memset(&q, 0, sizeof q);
	q.type = type;
	q.salen = salen;
	memcpy(&q.sa, sa, salen);
	pthread_mutex_lock(&h->lock);
	int fd = -1, rc;
	if (send(h->sock, &q, sizeof q, MSG_NOSIGNAL) != (ssize_t)sizeof q)
		rc = -EPIPE;
	else
		rc = read_reply(h->sock, &fd);
	pthread_mutex_unlock(&h->lock);
	if (rc < 0) {
		if (fd >= 0)
			close(fd);
		return rc;
	}
	return fd >= 0 ? fd : -EIO;
}

void netns_sockets_stop(struct netns_sockets *h)
{
	if (!h)
		return;
	close(h->sock); /* the helper exits on EOF (no kill: its pid may be reused by then) */
	pthread_mutex_destroy(&h->lock);
	free(h);
}

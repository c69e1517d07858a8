/*
 * floor.c — what the kernel alone charges for the two ways dynaudit
 * observes a program, with no work done on the events: the lower bound
 * any seccomp-based tracer (dynaudit, strace --seccomp-bpf) has on this
 * machine.  bench/run.sh prints them beside the real tools.
 *
 *   floor -a -- command [args...]   an allow-everything seccomp filter:
 *                                   the price every untraced syscall pays
 *                                   once a filter exists (syscall slow path)
 *   floor -n -- command [args...]   open/openat/openat2 sent to a seccomp
 *                                   user-notification listener that answers
 *                                   CONTINUE after copying the path (what
 *                                   dynaudit does per read-only open, minus
 *                                   building and publishing the event)
 * Exits with the command's exit status.  Built by bench/run.sh.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#endif

/* The listener goes from the child (which installs the filter) to us. */
static void send_fd(int sock, int fd)
{
	char byte = 0, ctl[CMSG_SPACE(sizeof(int))];
	struct iovec io = { &byte, 1 };
	struct msghdr m = { .msg_iov = &io, .msg_iovlen = 1, .msg_control = ctl,
			    .msg_controllen = sizeof(ctl) };
	struct cmsghdr *h = CMSG_FIRSTHDR(&m);
	h->cmsg_level = SOL_SOCKET;
	h->cmsg_type = SCM_RIGHTS;
	h->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(h), &fd, sizeof(fd));
	if (sendmsg(sock, &m, 0) < 0)
		_exit(126);
}

static int recv_fd(int sock)
{
	char byte, ctl[CMSG_SPACE(sizeof(int))];
	struct iovec io = { &byte, 1 };
	struct msghdr m = { .msg_iov = &io, .msg_iovlen = 1, .msg_control = ctl,
			    .msg_controllen = sizeof(ctl) };
	if (recvmsg(sock, &m, 0) <= 0 || !CMSG_FIRSTHDR(&m))
		return -1;
	int fd;
	memcpy(&fd, CMSG_DATA(CMSG_FIRSTHDR(&m)), sizeof(fd));
	return fd;
}

int main(int argc, char **argv)
{
	if (argc < 4 || strcmp(argv[2], "--") != 0 ||
	    (strcmp(argv[1], "-a") != 0 && strcmp(argv[1], "-n") != 0)) {
		fprintf(stderr, "usage: floor -a|-n -- command [args...]\n");
		return 2;
	}
	bool notify = argv[1][1] == 'n';
	int sp[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) < 0)
		return 3;
	pid_t pid = fork();
	if (pid == 0) {
		scmp_filter_ctx c = seccomp_init(SCMP_ACT_ALLOW);
		if (!c)
			_exit(126);
		if (notify) {
			seccomp_rule_add(c, SCMP_ACT_NOTIFY, SCMP_SYS(open), 0);
			seccomp_rule_add(c, SCMP_ACT_NOTIFY, SCMP_SYS(openat), 0);
			seccomp_rule_add(c, SCMP_ACT_NOTIFY, SCMP_SYS(openat2), 0);
		}
		if (seccomp_load(c) < 0)
			_exit(126);
		if (notify) {
			int fd = seccomp_notify_fd(c);
			send_fd(sp[1], fd);
			close(fd);
		}
		close(sp[1]);
		execvp(argv[3], argv + 3);
		_exit(127);
	}
	close(sp[1]);
	if (notify) {
		int fd = recv_fd(sp[0]);
		if (fd < 0)
			return 3;
		ioctl(fd, SECCOMP_IOCTL_NOTIF_SET_FLAGS, 1UL); /* same-CPU, as dynaudit */
		struct seccomp_notif *req;
		struct seccomp_notif_resp *resp;
		if (seccomp_notify_alloc(&req, &resp) < 0)
			return 3;
		char path[4096];
		for (;;) {
			memset(req, 0, sizeof(*req));
			if (ioctl(fd, SECCOMP_IOCTL_NOTIF_RECV, req) < 0) {
				/* ENOENT also when every process under the filter is
				 * gone: then the listener reports POLLHUP */
				struct pollfd p = { .fd = fd, .events = POLLIN };
				if ((errno == EINTR || errno == ENOENT) &&
				    !(poll(&p, 1, 0) == 1 && (p.revents & POLLHUP)))
					continue;
				break;
			}
			uint64_t addr = req->data.nr == SCMP_SYS(open) ? req->data.args[0] : req->data.args[1];
			struct iovec local = { path, 256 }, remote = { (void *)addr, 256 };
			process_vm_readv(req->pid, &local, 1, &remote, 1, 0);
			memset(resp, 0, sizeof(*resp));
			resp->id = req->id;
			resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
			ioctl(fd, SECCOMP_IOCTL_NOTIF_SEND, resp);
		}
	}
	int st = 0;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/*
 * tracer_notify.c — the fast path: seccomp user notifications.
 *
 * Most of a program's traced syscalls are read-only opens and stat-style
 * probes whose result no detector needs.  With fast_notify, the filter
 * sends those to a notification fd (SCMP_ACT_NOTIFY) instead of a ptrace
 * stop: the tracer receives the call (number and arguments in one ioctl),
 * copies its path with process_vm_readv, answers CONTINUE (the kernel then
 * runs the call as if nothing happened) and publishes the event with its
 * result unknown.  No SIGCHLD, no waitpid, no wait for the tracee to be
 * descheduled: about half the cost of a ptrace stop.
 *
 * The listener is created by tracer_install_filter() in the target child,
 * close-on-exec; the tracer takes its own copy (pidfd_getfd) at the
 * target's execve seccomp stop, so the program itself never holds it.
 */
#include "live/tracer_priv.h"

#include <dirent.h>
#include <errno.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <stdlib.h>
#include <unistd.h>

int tracer_notify_acquire(struct tracer *t, struct tracee *th)
{
	char dir[64], path[96], link[64];
	snprintf(dir, sizeof(dir), "/proc/%d/fd", (int)th->tid);
	DIR *d = opendir(dir);
	if (!d)
		return 0; /* gone: nothing to take */
	int fd = -1;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		ssize_t n = readlink(path, link, sizeof(link) - 1);
		if (n <= 0)
			continue;
		link[n] = '\0';
		if (strcmp(link, "anon_inode:seccomp notify") == 0) {
			fd = atoi(de->d_name);
			break;
		}
	}
	closedir(d);
	if (fd < 0)
		return 0; /* the plain program: nothing notifies */
	int pidfd = (int)syscall(SYS_pidfd_open, th->tgid, 0);
	if (pidfd < 0)
		return -errno;
	int mine = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0); /* O_CLOEXEC */
	int e = errno;
	close(pidfd);
	if (mine < 0)
		return -e;
	t->notify_fd = mine;
	return 0;
}

static void answer_continue(struct tracer *t, uint64_t id)
{
	struct seccomp_notif_resp *resp = t->notif_resp;
	memset(resp, 0, t->notif_resp_size);
	resp->id = id;
	resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	/* ENOENT: the caller was interrupted or killed meanwhile */
	ioctl(t->notify_fd, SECCOMP_IOCTL_NOTIF_SEND, resp);
}

static void handle_one(struct tracer *t, const struct seccomp_notif *req)
{
	struct sc_call c;
	memset(&c, 0, sizeof(c));
	sc_call_reset(&c);
	t->stats.syscalls++;
	t->stats.notified++;
	c.time_s = t->opt.clock ? t->opt.clock(t->opt.clock_ctx) : 0.0;
	c.nr = req->data.nr;
	c.arch = req->data.arch;
	memcpy(c.args, req->data.args, sizeof(c.args));
	if (c.nr >= 0 && c.nr < (long)(sizeof(t->by_nr) / sizeof(t->by_nr[0])))
		c.row = t->by_nr[c.nr];
	struct tracee *th = tracer_thread_get(t, (pid_t)req->pid);
	if (!c.row || !th) {
		answer_continue(t, req->id);
		return;
	}
	/* The caller waits for the answer: its memory is stable while read. */
	tracer_decode_entry(t, th, &c);
	answer_continue(t, req->id);
	tracer_event_publish(t, th, &c);
	sc_call_free(&c);
}

int tracer_notify_drain(struct tracer *t)
{
	int handled = 0;
	for (;;) {
		struct pollfd p = { .fd = t->notify_fd, .events = POLLIN };
		if (poll(&p, 1, 0) <= 0)
			return handled;
		if (!(p.revents & POLLIN)) {
			if (p.revents & (POLLHUP | POLLERR | POLLNVAL)) {
				/* every process of the target is gone */
				close(t->notify_fd);
				t->notify_fd = -1;
			}
			return handled;
		}
		struct seccomp_notif *req = t->notif_req;
		memset(req, 0, t->notif_req_size);
		if (ioctl(t->notify_fd, SECCOMP_IOCTL_NOTIF_RECV, req) < 0) {
			if (errno == EINTR || errno == ENOENT)
				continue; /* the caller went away before we took it */
			return handled;
		}
		handle_one(t, req);
		handled++;
	}
}

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
 * The listener is created by tracer_install_filter() in the child that
 * execs (the target, and target.setup before it: one listener each),
 * close-on-exec; the tracer takes its own copy (pidfd_getfd) at that
 * child's first execve seccomp stop, so the program itself never holds it.
 * The tracer keeps every listener until all processes under it are gone
 * (POLLHUP): a setup's leftover daemon still uses the setup's.
 *
 * Cost: with SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (Linux 6.6) the target and
 * the tracer hand over on one CPU; without it each notification wakes an
 * idle CPU, which on a VM costs more than the ptrace stop it replaces
 * (bench/: 100,000 opens, 1.0 s with it, 2.0 s without).
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

#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS /* Linux 6.6 uapi; Debian 12 has 6.1 */
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (1UL << 0)
#endif

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
	if (t->n_notify >= TRACER_MAX_LISTENERS) {
		close(mine);
		return -ENOSPC;
	}
	/* Linux 6.6+: hand over to the tracer and back on the current CPU
	 * instead of waking an idle one; older kernels say EINVAL and keep
	 * ordinary wake-ups. */
	bool sync = ioctl(mine, SECCOMP_IOCTL_NOTIF_SET_FLAGS, SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP) == 0;
	if (!t->notify_noted) { /* once, though setup and target each have a listener */
		t->notify_noted = true;
		size_t len = strlen(t->notes);
		snprintf(t->notes + len, sizeof(t->notes) - len, "; same-CPU hand-over: %s",
			 sync ? "yes" : "no (Linux < 6.6)");
	}
	t->notify_sync_wakeup = sync;
	t->notify_fds[t->n_notify++] = mine;
	return 0;
}

static void answer_continue(struct tracer *t, int fd, uint64_t id)
{
	struct seccomp_notif_resp *resp = t->notif_resp;
	memset(resp, 0, t->notif_resp_size);
	resp->id = id;
	resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	/* ENOENT: the caller was interrupted or killed meanwhile */
	ioctl(fd, SECCOMP_IOCTL_NOTIF_SEND, resp);
}

/* Answer the call ourselves: it is not run and returns val. */
static void answer_value(struct tracer *t, int fd, uint64_t id, int64_t val)
{
	struct seccomp_notif_resp *resp = t->notif_resp;
	memset(resp, 0, t->notif_resp_size);
	resp->id = id;
	resp->val = val;
	ioctl(fd, SECCOMP_IOCTL_NOTIF_SEND, resp);
}

static void handle_one(struct tracer *t, int fd, const struct seccomp_notif *req)
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
		answer_continue(t, fd, req->id);
		return;
	}
	/* The caller waits for the answer: its memory is stable while read. */
	tracer_decode_entry(t, th, &c);
	tracer_prefetch_fds(t, th, &c);
	if (tracer_timeskip_sleep(t, th, &c))
		answer_value(t, fd, req->id, 0); /* a sleep cut to 0 (skip_sleeps) */
	else
		answer_continue(t, fd, req->id);
	tracer_event_publish(t, th, &c);
	tracer_prefetch_clear(t);
	sc_call_free(&c);
}

/* Notifications taken from one listener per call: a syscall storm always
 * has another, and the run loop must get its turn (the rest wait for the
 * next tracer_dispatch(), which the loop makes at once). */
#define NOTIFY_DRAIN_MAX 256

/* The pending notifications of one listener (at most NOTIFY_DRAIN_MAX);
 * false once it hung up. */
static bool drain_one(struct tracer *t, int fd, int *handled)
{
	for (int taken = 0; taken < NOTIFY_DRAIN_MAX; taken++) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		if (poll(&p, 1, 0) <= 0)
			return true;
		if (!(p.revents & POLLIN))
			/* POLLHUP: every process under this filter is gone */
			return !(p.revents & (POLLHUP | POLLERR | POLLNVAL));
		struct seccomp_notif *req = t->notif_req;
		memset(req, 0, t->notif_req_size);
		if (ioctl(fd, SECCOMP_IOCTL_NOTIF_RECV, req) < 0) {
			if (errno == EINTR || errno == ENOENT)
				continue; /* the caller went away before we took it */
			return true;
		}
		handle_one(t, fd, req);
		(*handled)++;
	}
	return true;
}

int tracer_notify_drain(struct tracer *t)
{
	int handled = 0;
	for (int i = 0; i < t->n_notify;) {
		if (drain_one(t, t->notify_fds[i], &handled)) {
			i++;
			continue;
		}
		close(t->notify_fds[i]);
		t->notify_fds[i] = t->notify_fds[--t->n_notify];
	}
	return handled;
}

/*
 * tracer_decode.c — what a traced syscall's arguments point to, copied
 * out of the stopped tracee: at the seccomp stop (paths, sockaddrs, argv)
 * and, for the few calls whose output matters, at the exit stop
 * (accepted peer, socketpair fds).  Every read is bounded (tracer_priv.h
 * caps) and a failed read only leaves the field empty (counted in
 * stats.read_errors).  Also decides which calls need their exit stop.
 * Building the event from the copies is tracer_event.c's job.
 */
#include "live/tracer_priv.h"

#include "common/loader_env.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>

/* ---- the captured call ---------------------------------------------- */

void sc_call_reset(struct sc_call *c)
{
	for (int i = 0; i < 2; i++) {
		free(c->str[i]);
		c->str[i] = NULL;
		c->str_trunc[i] = false;
	}
	if (c->argv) {
		for (int i = 0; i < c->argc; i++)
			free(c->argv[i]);
		free(c->argv);
	}
	c->argv = NULL;
	c->argc = 0;
	c->argv_trunc = false;
	c->envc = 0;
	c->loader_env[0] = '\0';
	c->clone3_flags = 0;
	c->ioctl_value = -1;
	c->fstype[0] = '\0';
	c->sleep_s = c->sleep_ns = c->sleep_left_s = -1;
	c->sleep_left = -1;
	c->cut_from_s = c->cut_to_s = -1;
	c->salen = 0;
	c->payload[0] = '\0';
	c->row = NULL;
	c->deny_errno = 0;
	c->has_result = false;
	c->ret = 0;
	c->fds[0] = c->fds[1] = -1;
	c->raw_len = 0;
	c->send_len = 0;
	c->out_is_socket = false;
	c->passed_fd = -1;
	c->n_passed = 0;
	c->pidfd_pid = 0;
}

void sc_call_free(struct sc_call *c)
{
	sc_call_reset(c);
}

static void grab_string(struct tracer *t, struct tracee *th, struct sc_call *c, int slot,
			uint64_t addr)
{
	char buf[TRACER_STR_MAX + 1];
	bool trunc = false;
	ssize_t n = tracer_mem_string(t, th->tid, addr, buf, sizeof(buf), &trunc);
	if (n < 0) {
		if (addr)
			t->stats.read_errors++;
		return;
	}
	c->str[slot] = strdup(buf);
	c->str_trunc[slot] = trunc;
}

/* argv: at most TRACER_ARGV_MAX entries and TRACER_ARGV_BYTES of text;
 * beyond that the list ends with a "..." marker (argv_trunc). */
static void grab_argv(struct tracer *t, struct tracee *th, struct sc_call *c, uint64_t addr)
{
	uint64_t ptrs[TRACER_ARGV_MAX + 1];
	if (!addr)
		return;
	ssize_t n = tracer_mem_read(t, th->tid, addr, ptrs, sizeof(ptrs));
	if (n < (ssize_t)sizeof(uint64_t)) {
		t->stats.read_errors++;
		return;
	}
	size_t avail = (size_t)n / sizeof(uint64_t), count = 0;
	while (count < avail && ptrs[count])
		count++;
	if (count > TRACER_ARGV_MAX) {
		count = TRACER_ARGV_MAX;
		c->argv_trunc = true;
	} else if (count == avail && avail < TRACER_ARGV_MAX + 1) {
		c->argv_trunc = true; /* the array ran into unreadable memory */
	}
	/* one more slot for the "..." marker */
	c->argv = calloc(count + 1, sizeof(char *));
	if (!c->argv)
		return;
	size_t total = 0;
	char buf[TRACER_STR_MAX + 1];
	for (size_t i = 0; i < count; i++) {
		bool trunc = false;
		if (total >= TRACER_ARGV_BYTES) {
			c->argv_trunc = true;
			break;
		}
		size_t cap = TRACER_ARGV_BYTES - total + 1;
		if (cap > sizeof(buf))
			cap = sizeof(buf);
		ssize_t len = tracer_mem_string(t, th->tid, ptrs[i], buf, cap, &trunc);
		if (len < 0) {
			t->stats.read_errors++;
			c->argv_trunc = true;
			break;
		}
		if (trunc && len + 4 < (ssize_t)sizeof(buf))
			memcpy(buf + len, "...", 4);
		c->argv[c->argc] = strdup(buf);
		if (!c->argv[c->argc])
			break;
		c->argc++;
		total += (size_t)len + 1;
	}
	if (c->argv_trunc) {
		c->argv[c->argc] = strdup("...");
		if (c->argv[c->argc])
			c->argc++;
	}
}

/* Counts envp's entries and keeps its dynamic-loader variables (see
 * common/loader_env.h): each entry's first bytes are read, the whole
 * string only when it is one of them. */
static uint64_t scan_env(struct tracer *t, struct tracee *th, struct sc_call *c, uint64_t addr)
{
	uint64_t ptrs[64], count = 0;
	while (addr && count < 4096) {
		ssize_t n = tracer_mem_read(t, th->tid, addr + count * 8, ptrs, sizeof(ptrs));
		if (n < 8)
			break;
		for (size_t i = 0; i < (size_t)n / 8; i++, count++) {
			if (!ptrs[i])
				return count;
			char head[LOADER_ENV_PREFIX_MAX + 1];
			bool trunc = false;
			ssize_t len = tracer_mem_string(t, th->tid, ptrs[i], head, sizeof(head), &trunc);
			if (len <= 0 || !loader_env_is_loader_var(head, (size_t)len))
				continue;
			char var[TRACER_STR_MAX + 1];
			if (tracer_mem_string(t, th->tid, ptrs[i], var, sizeof(var), &trunc) > 0)
				loader_env_append(c->loader_env, sizeof(c->loader_env), var);
		}
	}
	return count;
}

/* Sleeps and timers: the time asked for, and how far from now it ends. */
static void decode_wait(struct tracer *t, struct tracee *th, struct sc_call *c)
{
	const uint64_t *a = c->args;
	if (c->row->id == SC_SLEEP) {
		/* nanosleep(req, rem); clock_nanosleep(clock, flags, req, rem) */
		bool clock = strcmp(c->row->name, "clock_nanosleep") == 0;
		struct timespec req;
		if (tracer_mem_read(t, th->tid, clock ? a[2] : a[0], &req, sizeof(req)) != (ssize_t)sizeof(req))
			return;
		c->sleep_s = req.tv_sec;
		c->sleep_ns = req.tv_nsec;
		c->sleep_left = (double)req.tv_sec + (double)req.tv_nsec / 1e9;
		if (clock && (a[1] & TIMER_ABSTIME)) {
			/* an absolute end on that clock: how far from now */
			struct timespec now;
			if (clock_gettime((clockid_t)a[0], &now) == 0)
				c->sleep_left -= (double)now.tv_sec + (double)now.tv_nsec / 1e9;
		}
		if (c->sleep_left < 0)
			c->sleep_left = 0;
		c->sleep_left_s = (int64_t)(c->sleep_left + 0.5); /* 119.9998 s is "120 s" */
		return;
	}
	/* timers: seconds until it first fires (-1 unread); 0 disarms */
	c->sleep_s = c->sleep_left_s = -1;
	const char *n = c->row->name;
	if (strcmp(n, "alarm") == 0) {
		c->sleep_s = c->sleep_left_s = (int64_t)(uint32_t)a[0];
		return;
	}
	bool itimer = strcmp(n, "setitimer") == 0;
	int64_t v[4]; /* interval then value: timeval (itimer) or timespec */
	if (tracer_mem_read(t, th->tid, itimer ? a[1] : a[2], v, sizeof(v)) != (ssize_t)sizeof(v))
		return;
	c->sleep_s = v[2];
	c->sleep_ns = itimer ? v[3] * 1000 : v[3];
	c->sleep_left_s = v[2];
	if (!itimer && (a[1] & 1)) { /* TIMER_ABSTIME / TFD_TIMER_ABSTIME: an end on a clock */
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now); /* the usual clock; realtime ends read far */
		c->sleep_left_s = v[2] > now.tv_sec ? v[2] - now.tv_sec : 0;
	}
}

void tracer_decode_entry(struct tracer *t, struct tracee *th, struct sc_call *c)
{
	const uint64_t *a = c->args;
	if (!c->row || tracer_capture_entry(t, th, c))
		return;
	switch (c->row->id) {
	case SC_OPEN: case SC_CREAT: case SC_UNLINK: case SC_RMDIR: case SC_CHMOD:
	case SC_CHOWN: case SC_LCHOWN: case SC_MKDIR: case SC_MKNOD: case SC_CHDIR:
	case SC_STAT_PATH: case SC_CHROOT: case SC_UMOUNT2: case SC_MEMFD_CREATE:
		grab_string(t, th, c, 0, a[0]);
		break;
	case SC_OPENAT: case SC_OPENAT2: case SC_UNLINKAT: case SC_FCHMODAT: case SC_FCHOWNAT:
	case SC_MKDIRAT: case SC_MKNODAT: case SC_STAT_AT: case SC_EXECVEAT:
		grab_string(t, th, c, 0, a[1]);
		if (c->row->id == SC_EXECVEAT) {
			grab_argv(t, th, c, a[2]);
			c->envc = scan_env(t, th, c, a[3]);
		}
		if (c->row->id == SC_OPENAT2 && a[2]) {
			struct open_how how;
			memset(&how, 0, sizeof(how));
			if (tracer_mem_read(t, th->tid, a[2], &how, sizeof(how)) == (ssize_t)sizeof(how)) {
				c->args[4] = how.flags;  /* flags and mode, as openat's */
				c->args[5] = how.mode;
			}
		}
		break;
	case SC_HOSTNAME:
		grab_string(t, th, c, 0, a[0]);
		if (c->str[0] && strlen(c->str[0]) > a[1])
			c->str[0][a[1]] = '\0'; /* the name is len bytes, not a C string */
		break;
	case SC_PRCTL:
		if (a[0] == PR_SET_NAME) {
			grab_string(t, th, c, 0, a[1]);
			if (c->str[0] && strlen(c->str[0]) > 15)
				c->str[0][15] = '\0'; /* what the kernel keeps */
		}
		break;
	case SC_SLEEP: case SC_TIMER:
		decode_wait(t, th, c);
		break;
	case SC_EXECVE:
		grab_string(t, th, c, 0, a[0]);
		grab_argv(t, th, c, a[1]);
		c->envc = scan_env(t, th, c, a[2]);
		break;
	case SC_RENAME: case SC_LINK: case SC_SYMLINK: case SC_PIVOT_ROOT:
		grab_string(t, th, c, 0, a[0]);
		grab_string(t, th, c, 1, a[1]);
		break;
	case SC_RENAMEAT: case SC_RENAMEAT2: case SC_LINKAT:
		grab_string(t, th, c, 0, a[1]);
		grab_string(t, th, c, 1, a[3]);
		break;
	case SC_SYMLINKAT:
		grab_string(t, th, c, 0, a[0]);
		grab_string(t, th, c, 1, a[2]);
		break;
	case SC_MOUNT: {
		bool trunc;
		grab_string(t, th, c, 0, a[0]);  /* source */
		grab_string(t, th, c, 1, a[1]);  /* target */
		if (!a[2] || tracer_mem_string(t, th->tid, a[2], c->fstype, sizeof(c->fstype), &trunc) < 0)
			c->fstype[0] = '\0';
		break;
	}
	case SC_IOCTL:
		tracer_tty_entry(t, th, c);
		break;
	case SC_CLONE3:
		if (a[0] && tracer_mem_read(t, th->tid, a[0], &c->clone3_flags,
					    sizeof(c->clone3_flags)) != sizeof(c->clone3_flags))
			c->clone3_flags = 0;
		break;
	default:
		break;
	}
}

/* Which calls are published without waiting for their result.  Every
 * other call costs a second stop (the syscall exit), so this list is where
 * the overhead is decided:
 *  - denied calls: the tracer itself decided the result;
 *  - read-only opens (no O_WRONLY/O_RDWR/O_CREAT/O_TRUNC): the bulk of
 *    every program's opens (libraries, imports, config), whose fd number
 *    matters to nobody and whose success is rarely the point (the path
 *    is the intent).  Published with result unknown (" = ?").
 *  - probes (stat/access/readlink): same reasoning;
 *  - mmap/mprotect with PROT_EXEC: the fd is an argument;
 *  - signals and session calls: the request is the evidence;
 *  - write/writev (on sockets only an event): the data is the evidence,
 *    and they are the most frequent calls traced.
 * Identity changes (setuid and friends, setgroups, capset) do stop at
 * their exit: a refused setuid to another unprivileged uid is judged by
 * its result (EPERM), and they are rare. */
_Static_assert(TRACER_OPEN_WANTS_RESULT ==
	       (O_WRONLY | O_RDWR | O_CREAT | O_TRUNC | O_APPEND | O_DIRECTORY | O_PATH),
	       "TRACER_OPEN_WANTS_RESULT must list the open flags that need a result");

bool tracer_decode_wants_exit(const struct tracer *t, const struct sc_call *c)
{
	if (c->deny_errno || !c->row)
		return false;
	switch (c->row->id) {
	case SC_OPEN: case SC_OPENAT: case SC_OPENAT2: {
		uint64_t flags = c->row->id == SC_OPEN ? c->args[1]
			       : c->row->id == SC_OPENAT ? c->args[2] : c->args[4];
		return (flags & TRACER_OPEN_WANTS_RESULT) != 0;
	}
	case SC_STAT_PATH: case SC_STAT_AT: case SC_MMAP: case SC_MPROTECT: case SC_WRITE:
	case SC_WRITEV:
	case SC_KILL: case SC_TKILL: case SC_TGKILL: case SC_SIGQUEUE: case SC_TGSIGQUEUE:
	case SC_PIDFD_SEND_SIGNAL: case SC_SLEEP: case SC_TIMER:
	case SC_PRCTL: case SC_SETSID: case SC_SETPGID:
		return false;
	default:
		return true;
	}
}

void tracer_decode_exit(struct tracer *t, struct tracee *th, struct sc_call *c)
{
	if (!c->row || c->ret < 0)
		return;
	switch (c->row->id) {
	case SC_ACCEPT: case SC_ACCEPT4: case SC_RECVFROM: {
		uint64_t sa = c->row->id == SC_RECVFROM ? c->args[4] : c->args[1];
		uint64_t lenp = c->row->id == SC_RECVFROM ? c->args[5] : c->args[2];
		uint32_t len = 0;
		if (sa && lenp && tracer_mem_read(t, th->tid, lenp, &len, sizeof(len)) == sizeof(len))
			tracer_capture_sockaddr(t, th, c, sa, len);
		break;
	}
	case SC_SOCKETPAIR: {
		int32_t sv[2];
		if (c->args[3] && tracer_mem_read(t, th->tid, c->args[3], sv, sizeof(sv)) == sizeof(sv)) {
			c->fds[0] = sv[0];
			c->fds[1] = sv[1];
		}
		break;
	}
	default:
		break;
	}
}


/*
 * tracer_event.c — a completed syscall -> struct da_event, published on
 * the bus, with its strace-style text; keeps procstate (fds, cwd) in step.
 *
 * Runs after the tracee was resumed when it can (everything it needs was
 * copied at the stop), so the cost of building and delivering an event is
 * not paid by the tracee.  Paths are resolved in the sandbox's view: the
 * cwd from procstate (chdir is always traced), dirfds from what the fd is.
 */
#include "live/tracer_text.h"

#include <errno.h>
#include <math.h>
#include <fcntl.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/procstate_stdio.h"
#include "engine/bus.h"

#ifndef AT_FDCWD
#define AT_FDCWD -100
#endif

/* ---- paths ----------------------------------------------------------- */

/* A magic link at the start of the normalized path out
 * (/proc/self/root/etc/shadow, /dev/fd/3/x, /proc/self/cwd/y): where the
 * kernel goes instead, so the path names what is really opened.  The
 * caller's own cwd and fds come from procstate and the kernel; another
 * process's only its cwd. */
static const char *follow_magic(struct tracer *t, const struct tracee *th, char *out, size_t len)
{
	int who, fd;
	const char *rest;
	enum path_magic m = path_magic_parse(out, &who, &fd, &rest);
	if (m == MAGIC_NONE)
		return out;
	bool self = who == 0 || (th->proc && who == th->proc->ns_pid) || who == th->ns_tid;
	char base[TRACER_STR_MAX + 1];
	const char *b = NULL;
	if (m == MAGIC_ROOT)
		b = ""; /* one root for the whole sandbox */
	else if (m == MAGIC_CWD)
		b = procstate_cwd(t->ps, self ? th->ns_tid : who);
	else if (self)
		b = tracer_fd_describe(t, th, fd, base, sizeof(base));
	if (!b || (m != MAGIC_ROOT && b[0] != '/'))
		return out; /* a pipe, a socket, another process's fd */
	char tmp[TRACER_STR_MAX * 2];
	int n = snprintf(tmp, sizeof(tmp), "%s%s", b, rest);
	if (n < 0 || (size_t)n >= sizeof(tmp) || (size_t)n >= len)
		return out;
	snprintf(out, len, "%s", n ? tmp : "/");
	return path_normalize(out);
}

/* Resolve raw against dirfd (AT_FDCWD: the cwd procstate tracks in the
 * sandbox's view; else what the fd is) into out. */
static const char *resolve(struct tracer *t, const struct tracee *th, int dirfd, const char *raw,
			   char *out, size_t len)
{
	if (!raw)
		return NULL;
	if (raw[0] == '/') {
		snprintf(out, len, "%s", raw);
		return follow_magic(t, th, path_normalize(out), len);
	}
	char base[TRACER_STR_MAX + 1];
	const char *b = NULL;
	if (dirfd == AT_FDCWD) {
		b = procstate_cwd(t->ps, th->ns_tid);
	} else {
		b = tracer_fd_describe(t, th, dirfd, base, sizeof(base));
		if (b && b[0] != '/')
			b = NULL;
	}
	if (!b)
		b = t->opt.workdir ? t->opt.workdir : "/";
	if (raw[0] == '\0')
		snprintf(out, len, "%s", b);
	else
		snprintf(out, len, "%s/%s", b, raw);
	return follow_magic(t, th, path_normalize(out), len);
}

static uint32_t access_bits(uint64_t flags)
{
	uint32_t acc = 0;
	if (flags & O_PATH)
		return DA_ACC_PATH | ((flags & O_DIRECTORY) ? DA_ACC_DIR : 0);
	switch (flags & O_ACCMODE) {
	case O_RDONLY: acc |= DA_ACC_READ; break;
	case O_WRONLY: acc |= DA_ACC_WRITE; break;
	case O_RDWR: acc |= DA_ACC_READ | DA_ACC_WRITE; break;
	default: break;
	}
	if (flags & O_CREAT)
		acc |= DA_ACC_CREATE;
	if (flags & O_TRUNC)
		acc |= DA_ACC_TRUNC;
	if (flags & O_APPEND)
		acc |= DA_ACC_APPEND;
	if (flags & O_DIRECTORY)
		acc |= DA_ACC_DIR;
	if ((flags & __O_TMPFILE) == __O_TMPFILE)
		acc |= DA_ACC_CREATE;
	return acc;
}

static void set_result(struct da_event *ev, const struct sc_call *c)
{
	if (!c->has_result) {
		ev->result = 0;
		return;
	}
	if (c->ret >= 0) {
		ev->result = c->ret;
		return;
	}
	int e = (int)-c->ret;
	if (e >= 512 && e <= 516)
		e = EINTR;
	ev->result = -1;
	ev->err = e;
	ev->errname = strerrorname_np(e);
}

void tracer_event_origin(const struct tracer *t, const struct tracee *th, struct da_event *ev)
{
	ev->pid = th->proc ? th->proc->ns_pid : th->ns_tid;
	ev->tid = th->ns_tid;
	ev->ppid = th->proc ? th->proc->ns_ppid : 0;
	ev->time_s = t->opt.clock ? t->opt.clock(t->opt.clock_ctx) : 0.0;
}

static void publish(struct tracer *t, struct da_event *ev)
{
	if (t->opt.bus)
		bus_publish(t->opt.bus, ev);
}

/* ---- exec ------------------------------------------------------------ */

void tracer_publish_exec(struct tracer *t, struct tracee *th, struct sc_call *c)
{
	struct da_event ev;
	struct stext tt;
	char path[TRACER_STR_MAX * 2], sbuf[3][512];
	bool at = c->row && c->row->id == SC_EXECVEAT;
	int dirfd = at ? (int)c->args[0] : AT_FDCWD;

	da_event_init(&ev, DA_EV_PROC_EXEC);
	tracer_event_origin(t, th, &ev);
	ev.time_s = c->time_s;
	ev.syscall = at ? "execveat" : "execve";
	ev.raw_path = c->str[0];
	ev.path = resolve(t, th, dirfd, c->str[0], path, sizeof(path));
	ev.fd = at ? dirfd : -1;
	ev.argc = c->argc;
	ev.argv = (const char *const *)c->argv;
	ev.loader_env = c->loader_env[0] ? c->loader_env : NULL;
	set_result(&ev, c);
	/* stdio: the kernel's truth, after close-on-exec did its work */
	for (int i = 0; i < 3; i++)
		ev.stdio[i] = tracer_fd_describe(t, th, i, sbuf[i], sizeof(sbuf[i]));
	tracer_taint_exec(t, th, c, &ev); /* arg[2], arg[3] */
	/* fexecve: execveat(fd, "", ..., AT_EMPTY_PATH) runs what fd is, not
	 * the cwd; a failed one still holds the fd, a successful one shows the
	 * program in /proc/PID/exe (a close-on-exec memfd is gone by now). */
	bool empty_path = at && c->str[0] && c->str[0][0] == '\0';
	char exe[TRACER_STR_MAX + 1];
	if (empty_path && !(ev.result == 0 && c->has_result)) {
		const char *d = tracer_fd_describe(t, th, dirfd, exe, sizeof(exe));
		if (d)
			ev.path = d;
	}
	if (ev.result == 0 && c->has_result) {
		char link[64];
		snprintf(link, sizeof(link), "/proc/%d/exe", (int)th->tid);
		ssize_t n = readlink(link, exe, sizeof(exe) - 1);
		if (n > 0) {
			exe[n] = '\0';
			if (strncmp(exe, "/memfd:", 7) == 0)
				ev.detail = "memfd";
			if (empty_path)
				ev.path = exe;
		}
	}

	tt.len = 0;
	if (at) {
		stext_printf(&tt, "execveat(");
		stext_dirfd(&tt, c->args[0]);
		stext_printf(&tt, ", ");
	} else {
		stext_printf(&tt, "execve(");
	}
	stext_str(&tt, c->str[0], c->str_trunc[0], TRACER_STR_MAX);
	stext_printf(&tt, ", [");
	for (int i = 0; i < c->argc; i++) {
		stext_printf(&tt, "%s", i ? ", " : "");
		stext_str(&tt, c->argv[i], false, 1024);
	}
	stext_printf(&tt, "], %#llx /* %llu vars */", (unsigned long long)(at ? c->args[3] : c->args[2]),
	   (unsigned long long)c->envc);
	if (at)
		stext_printf(&tt, ", %#llx", (unsigned long long)c->args[4]);
	stext_printf(&tt, ")");
	stext_result(&tt, c);
	ev.text = tt.buf;
	publish(t, &ev);
}

/* ---- everything else -------------------------------------------------- */

static void stext_args_generic(struct stext *tt, const struct sc_call *c, int n)
{
	for (int i = 0; i < n; i++)
		stext_printf(tt, "%s%#llx", i ? ", " : "", (unsigned long long)c->args[i]);
}

/* A call that may create, remove or re-permission a path makes every
 * remembered open outcome stale (tracer_oracle.c). */
static void forget_outcomes_after(struct tracer *t, enum sc_id id)
{
	switch (id) {
	case SC_OPEN: case SC_OPENAT: case SC_OPENAT2: case SC_CREAT:
	case SC_UNLINK: case SC_UNLINKAT: case SC_RMDIR:
	case SC_RENAME: case SC_RENAMEAT: case SC_RENAMEAT2:
	case SC_CHMOD: case SC_FCHMOD: case SC_FCHMODAT:
	case SC_CHOWN: case SC_FCHOWN: case SC_LCHOWN: case SC_FCHOWNAT:
	case SC_LINK: case SC_LINKAT: case SC_SYMLINK: case SC_SYMLINKAT:
	case SC_MKDIR: case SC_MKDIRAT: case SC_MKNOD: case SC_MKNODAT:
		tracer_oracle_forget(t);
		break;
	default:
		break;
	}
}

/* A read-only open published without its result: ask the kernel whether
 * it fails (tracer_oracle.c), so "No such file" is not shown as a read.  A
 * predicted failure becomes the call's result. */
static void predict_open_failure(struct tracer *t, const struct tracee *th, struct sc_call *c,
				 const char *path, uint64_t flags)
{
	if (c->has_result || c->str_trunc[0])
		return;
	int e = tracer_oracle_open(t, th, path, flags);
	if (e > 0) {
		c->has_result = true;
		c->ret = -e;
	}
}

void tracer_event_publish(struct tracer *t, struct tracee *th, struct sc_call *c)
{
	struct da_event ev;
	static struct stext tt; /* one at a time: the tracer runs in one thread */
	char path[TRACER_STR_MAX * 2], path2[TRACER_STR_MAX * 2], desc[512], addr[160];
	const uint64_t *a = c->args;
	const struct sc_row *row = c->row;

	if (row && c->has_result)
		forget_outcomes_after(t, row->id);
	bool ok = c->has_result && c->ret >= 0;

	tt.len = 0;
	if (!row) {
		/* a foreign-architecture entry (int 0x80 or x32) */
		da_event_init(&ev, DA_EV_PRIV_KERNEL);
		tracer_event_origin(t, th, &ev);
		ev.time_s = c->time_s;
		ev.syscall = c->arch == 0x40000003u ? "i386" : "x32";
		ev.detail = c->arch == 0x40000003u ? "32-bit syscall (int 0x80)" : "x32 syscall";
		ev.arg[0] = c->nr;
		set_result(&ev, c);
		/* name it as the foreign ABI does: "getpid" for i386's 20 */
		char *name = seccomp_syscall_resolve_num_arch(
			c->arch == 0x40000003u ? SCMP_ARCH_X86 : SCMP_ARCH_X32,
			(int)c->nr);
		if (name)
			stext_printf(&tt, "%s[%s](", name, ev.syscall);
		else
			stext_printf(&tt, "syscall_%#lx[%s](", (unsigned long)c->nr, ev.syscall);
		free(name);
		stext_args_generic(&tt, c, 6);
		stext_printf(&tt, ")");
		stext_result(&tt, c);
		ev.text = tt.buf;
		publish(t, &ev);
		return;
	}

	da_event_init(&ev, row->kind);
	tracer_event_origin(t, th, &ev);
	ev.time_s = c->time_s;
	ev.syscall = row->name;
	set_result(&ev, c);
	stext_printf(&tt, "%s(", row->name);

	switch (row->id) {
	case SC_OPEN: case SC_OPENAT: case SC_OPENAT2: case SC_CREAT: {
		int dirfd = (row->id == SC_OPEN || row->id == SC_CREAT) ? AT_FDCWD : (int)a[0];
		uint64_t flags = row->id == SC_OPEN ? a[1] : row->id == SC_OPENAT ? a[2]
			       : row->id == SC_OPENAT2 ? a[4] : (uint64_t)(O_CREAT | O_WRONLY | O_TRUNC);
		uint64_t mode = row->id == SC_OPEN ? a[2] : row->id == SC_OPENAT ? a[3]
			      : row->id == SC_OPENAT2 ? a[5] : a[1];
		ev.raw_path = c->str[0];
		ev.path = resolve(t, th, dirfd, c->str[0], path, sizeof(path));
		if (row->id == SC_OPEN || row->id == SC_OPENAT) {
			predict_open_failure(t, th, c, ev.path, flags);
			set_result(&ev, c);
		}
		ev.flags = (int64_t)flags;
		ev.mode = (flags & (O_CREAT | __O_TMPFILE)) ? (int64_t)(mode & 07777) : 0;
		ev.access = access_bits(flags);
		ev.fd = ok ? (int32_t)c->ret : -1;
		if (row->id != SC_OPEN && row->id != SC_CREAT) {
			stext_dirfd(&tt, a[0]);
			stext_printf(&tt, ", ");
		}
		stext_str(&tt, c->str[0], c->str_trunc[0], TRACER_STR_MAX);
		if (row->id == SC_CREAT) {
			stext_printf(&tt, ", %#llo", (unsigned long long)mode);
		} else if (row->id == SC_OPENAT2) {
			stext_printf(&tt, ", {flags=");
			stext_open_flags(&tt, flags);
			stext_printf(&tt, ", mode=%#llo}, %llu", (unsigned long long)mode, (unsigned long long)a[3]);
		} else {
			stext_printf(&tt, ", ");
			stext_open_flags(&tt, flags);
			if (flags & (O_CREAT | __O_TMPFILE))
				stext_printf(&tt, ", %#llo", (unsigned long long)mode);
		}
		if (ok && ev.path)
			procstate_fd_set(t->ps, th->ns_tid, ev.fd, ev.path, (flags & O_CLOEXEC) != 0);
		break;
	}
	case SC_UNLINK: case SC_RMDIR: case SC_CHMOD: case SC_CHOWN: case SC_LCHOWN:
	case SC_MKDIR: case SC_MKNOD: case SC_CHDIR: case SC_STAT_PATH: case SC_CHROOT:
	case SC_UMOUNT2:
		ev.raw_path = c->str[0];
		ev.path = resolve(t, th, AT_FDCWD, c->str[0], path, sizeof(path));
		stext_str(&tt, c->str[0], c->str_trunc[0], TRACER_STR_MAX);
		if (row->id == SC_CHMOD || row->id == SC_MKDIR || row->id == SC_MKNOD) {
			ev.mode = (int64_t)(a[1] & 07777);
			stext_printf(&tt, ", %#llo", (unsigned long long)a[1]);
		} else if (row->id == SC_CHOWN || row->id == SC_LCHOWN) {
			ev.arg[0] = (int32_t)a[1];
			ev.arg[1] = (int32_t)a[2];
			stext_printf(&tt, ", %d, %d", (int)a[1], (int)a[2]);
		} else if (row->id == SC_UMOUNT2) {
			stext_printf(&tt, ", %#llx", (unsigned long long)a[1]);
		} else if (row->id == SC_STAT_PATH) {
			stext_printf(&tt, ", %#llx", (unsigned long long)a[1]);
		}
		if (row->id == SC_CHDIR && ok && ev.path)
			procstate_chdir(t->ps, th->ns_tid, ev.path);
		break;
	case SC_UNLINKAT: case SC_FCHMODAT: case SC_FCHOWNAT: case SC_MKDIRAT: case SC_MKNODAT:
	case SC_STAT_AT:
		ev.raw_path = c->str[0];
		ev.path = resolve(t, th, (int)a[0], c->str[0], path, sizeof(path));
		stext_dirfd(&tt, a[0]);
		stext_printf(&tt, ", ");
		stext_str(&tt, c->str[0], c->str_trunc[0], TRACER_STR_MAX);
		if (row->id == SC_FCHMODAT || row->id == SC_MKDIRAT || row->id == SC_MKNODAT) {
			ev.mode = (int64_t)(a[2] & 07777);
			stext_printf(&tt, ", %#llo", (unsigned long long)a[2]);
		} else if (row->id == SC_FCHOWNAT) {
			ev.arg[0] = (int32_t)a[2];
			ev.arg[1] = (int32_t)a[3];
			stext_printf(&tt, ", %d, %d, %#llx", (int)a[2], (int)a[3], (unsigned long long)a[4]);
		} else {
			stext_printf(&tt, ", %#llx", (unsigned long long)a[2]);
		}
		break;
	case SC_FCHMOD: case SC_FCHOWN: case SC_FCHDIR:
		ev.fd = (int32_t)a[0];
		ev.fd_desc = tracer_fd_describe(t, th, ev.fd, desc, sizeof(desc));
		ev.path = (ev.fd_desc && ev.fd_desc[0] == '/') ? ev.fd_desc : NULL;
		stext_printf(&tt, "%d", (int)a[0]);
		if (row->id == SC_FCHMOD) {
			ev.mode = (int64_t)(a[1] & 07777);
			stext_printf(&tt, ", %#llo", (unsigned long long)a[1]);
		} else if (row->id == SC_FCHOWN) {
			ev.arg[0] = (int32_t)a[1];
			ev.arg[1] = (int32_t)a[2];
			stext_printf(&tt, ", %d, %d", (int)a[1], (int)a[2]);
		}
		if (row->id == SC_FCHDIR && ok && ev.path)
			procstate_chdir(t->ps, th->ns_tid, ev.path);
		break;
	case SC_RENAME: case SC_LINK: case SC_SYMLINK: case SC_PIVOT_ROOT:
		if (row->id == SC_SYMLINK) {
			/* symlink(target, linkpath): path is the new name */
			ev.path = resolve(t, th, AT_FDCWD, c->str[1], path, sizeof(path));
			ev.raw_path = c->str[1];
			ev.path2 = c->str[0];
		} else if (row->id == SC_LINK) {
			ev.path = resolve(t, th, AT_FDCWD, c->str[1], path, sizeof(path));
			ev.raw_path = c->str[1];
			ev.path2 = resolve(t, th, AT_FDCWD, c->str[0], path2, sizeof(path2));
		} else {
			ev.path = resolve(t, th, AT_FDCWD, c->str[0], path, sizeof(path));
			ev.raw_path = c->str[0];
			ev.path2 = resolve(t, th, AT_FDCWD, c->str[1], path2, sizeof(path2));
		}
		if (row->id == SC_SYMLINK || row->id == SC_LINK)
			ev.detail = row->id == SC_SYMLINK ? "symlink" : "hardlink";
		stext_str(&tt, c->str[0], c->str_trunc[0], TRACER_STR_MAX);
		stext_printf(&tt, ", ");
		stext_str(&tt, c->str[1], c->str_trunc[1], TRACER_STR_MAX);
		break;
	case SC_RENAMEAT: case SC_RENAMEAT2: case SC_LINKAT:
		if (row->id == SC_LINKAT) {
			ev.path = resolve(t, th, (int)a[2], c->str[1], path, sizeof(path));
			ev.raw_path = c->str[1];
			ev.path2 = resolve(t, th, (int)a[0], c->str[0], path2, sizeof(path2));
			ev.detail = "hardlink";
		} else {
			ev.path = resolve(t, th, (int)a[0], c->str[0], path, sizeof(path));
			ev.raw_path = c->str[0];
			ev.path2 = resolve(t, th, (int)a[2], c->str[1], path2, sizeof(path2));
		}
		stext_dirfd(&tt, a[0]);
		stext_printf(&tt, ", ");
		stext_str(&tt, c->str[0], c->str_trunc[0], TRACER_STR_MAX);
		stext_printf(&tt, ", ");
		stext_dirfd(&tt, a[2]);
		stext_printf(&tt, ", ");
		stext_str(&tt, c->str[1], c->str_trunc[1], TRACER_STR_MAX);
		if (row->id != SC_RENAMEAT)
			stext_printf(&tt, ", %#llx", (unsigned long long)a[4]);
		break;
	case SC_SYMLINKAT:
		ev.path = resolve(t, th, (int)a[1], c->str[1], path, sizeof(path));
		ev.raw_path = c->str[1];
		ev.path2 = c->str[0];
		ev.detail = "symlink";
		stext_str(&tt, c->str[0], c->str_trunc[0], TRACER_STR_MAX);
		stext_printf(&tt, ", ");
		stext_dirfd(&tt, a[1]);
		stext_printf(&tt, ", ");
		stext_str(&tt, c->str[1], c->str_trunc[1], TRACER_STR_MAX);
		break;
	case SC_MMAP: case SC_MPROTECT:
		ev.flags = (int64_t)a[2];
		ev.detail = row->id == SC_MMAP ? "mmap" : "mprotect";
		if (row->id == SC_MMAP) {
			ev.fd = (int32_t)a[4];
			if (ev.fd >= 0) {
				ev.fd_desc = tracer_fd_describe(t, th, ev.fd, desc, sizeof(desc));
				ev.path = ev.fd_desc;
			}
		}
		stext_printf(&tt, "%#llx, %llu, ", (unsigned long long)a[0], (unsigned long long)a[1]);
		stext_flags(&tt, a[2], stext_prot_flags, "PROT_NONE");
		if (row->id == SC_MMAP)
			stext_printf(&tt, ", %#llx, %d, %#llx", (unsigned long long)a[3], (int)a[4],
			   (unsigned long long)a[5]);
		if (row->id == SC_MMAP && ev.fd < 0)
			return; /* anonymous executable memory: not a file mapping */
		break;
	case SC_TIMER: {
		/* Remembered for the end of the window (tracer_waits.c): a
		 * process idle in pause() or a timerfd read wakes up then. */
		if (th->proc && c->sleep_left_s >= 0) {
			struct timespec now;
			clock_gettime(CLOCK_MONOTONIC, &now);
			th->proc->timer_at = c->sleep_left_s > 0 || c->sleep_ns > 0
				? (double)now.tv_sec + (double)now.tv_nsec / 1e9 + (double)c->sleep_left_s : 0;
			th->proc->timer_call = row->name;
		}
		if (c->sleep_left_s < TRACER_SLEEP_MIN_S && c->cut_from_s < 0)
			return; /* short timeouts are everywhere (watchdogs of a second) */
		ev.detail = "timer";
		ev.arg[0] = c->sleep_left_s;
		if (c->cut_from_s >= 0) {
			/* arg[0] stays what it asked for: still a time bomb's evidence */
			ev.detail = "timer cut";
			ev.arg[0] = (int64_t)(c->cut_from_s + 0.5);
			ev.arg[1] = (int64_t)ceil(c->cut_to_s);
		}
		if (strcmp(row->name, "alarm") == 0)
			stext_printf(&tt, "%u", (unsigned)a[0]);
		else
			stext_printf(&tt, "%d, %#llx, {it_value={tv_sec=%lld, ...}}", (int)a[0],
				     (unsigned long long)a[1], (long long)c->sleep_s);
		break;
	}
	case SC_SLEEP: {
		/* Waits under TRACER_SLEEP_MIN_S are not events: only long ones
		 * matter, and a retry loop (usleep(1000) around a failing fork)
		 * would otherwise flood the bus.  arg[0]: seconds until it ends. */
		if (c->sleep_s >= 0 && c->sleep_left < TRACER_SLEEP_MIN_S && c->cut_from_s < 0) {
			/* added up instead: a loop of short sleeps can wait out a
			 * window as well as one long sleep (tracer_waits.c) */
			if (th->proc && c->sleep_left >= 0) {
				th->proc->short_sleep_s += c->sleep_left;
				th->proc->short_sleeps++;
			}
			return;
		}
		bool clock = strcmp(row->name, "clock_nanosleep") == 0;
		if (clock) {
			static const char *const clocks[] = { "CLOCK_REALTIME", "CLOCK_MONOTONIC",
				"CLOCK_PROCESS_CPUTIME_ID", "CLOCK_THREAD_CPUTIME_ID", "CLOCK_MONOTONIC_RAW",
				"CLOCK_REALTIME_COARSE", "CLOCK_MONOTONIC_COARSE", "CLOCK_BOOTTIME" };
			if (a[0] < sizeof(clocks) / sizeof(clocks[0]))
				stext_printf(&tt, "%s, ", clocks[a[0]]);
			else
				stext_printf(&tt, "%d, ", (int)a[0]);
			stext_printf(&tt, "%s, ", (a[1] & TIMER_ABSTIME) ? "TIMER_ABSTIME" : "0");
		}
		if (c->sleep_s >= 0)
			stext_printf(&tt, "{tv_sec=%lld, tv_nsec=%lld}, %#llx", (long long)c->sleep_s,
				     (long long)c->sleep_ns, (unsigned long long)a[clock ? 3 : 1]);
		else
			stext_printf(&tt, "%#llx, %#llx", (unsigned long long)a[clock ? 2 : 0],
				     (unsigned long long)a[clock ? 3 : 1]);
		ev.arg[0] = c->sleep_left_s;
		if (c->cut_from_s >= 0) {
			/* skip_sleeps returned it at once: arg[0] stays the wait asked
			 * for (process.long_sleep judges it), arg[1] what was left */
			ev.detail = "cut";
			ev.arg[1] = 0;
		}
		break;
	}
	case SC_MEMFD_CREATE:
		ev.detail = c->str[0];
		ev.fd = ok ? (int32_t)c->ret : -1;
		stext_str(&tt, c->str[0], c->str_trunc[0], 256);
		stext_printf(&tt, ", %#llx", (unsigned long long)a[1]);
		if (ok && c->str[0]) {
			snprintf(desc, sizeof(desc), "memfd:%s", c->str[0]);
			procstate_fd_set(t->ps, th->ns_tid, ev.fd, desc, (a[1] & 1) != 0);
		}
		break;
	case SC_EXECVE: case SC_EXECVEAT:
		tracer_publish_exec(t, th, c);
		return;
	case SC_CLONE: case SC_CLONE3:
		/* only denied or namespace-creating clones stop here */
		ev.flags = (int64_t)(row->id == SC_CLONE ? a[0] : c->clone3_flags);
		if (row->id == SC_CLONE) {
			stext_flags(&tt, a[0] & ~0xffULL, stext_clone_flags, "0");
			if (a[0] & 0xff)
				stext_printf(&tt, "|%s", tracer_signal_name((int)(a[0] & 0xff)));
		} else {
			stext_printf(&tt, "{flags=");
			stext_flags(&tt, c->clone3_flags, stext_clone_flags, "0");
			stext_printf(&tt, "}, %llu", (unsigned long long)a[1]);
		}
		if (ev.flags & (int64_t)(TRACER_NS_FLAGS & ~0xffULL)) {
			struct stext nt = { .len = 0 };
			stext_flags(&nt, (uint64_t)ev.flags & (TRACER_NS_FLAGS & ~0xffULL), stext_ns_flags, "");
			ev.kind = DA_EV_PRIV_NS;
			ev.flags &= (int64_t)(TRACER_NS_FLAGS & ~0xffULL);
			snprintf(addr, sizeof(addr), "%s", nt.buf);
			ev.detail = addr;
		} else {
			ev.target_pid = ok ? (int32_t)c->ret : -1;
			ev.detail = ((uint64_t)ev.flags & CLONE_THREAD) ? "thread" : "process";
		}
		break;
	case SC_KILL: case SC_TKILL: case SC_TGKILL: case SC_SIGQUEUE: case SC_TGSIGQUEUE:
	case SC_PIDFD_SEND_SIGNAL: {
		int sig = (int)((row->id == SC_TGKILL || row->id == SC_TGSIGQUEUE) ? a[2] : a[1]);
		ev.target_pid = (int32_t)((row->id == SC_TGKILL || row->id == SC_TGSIGQUEUE) ? a[1] : a[0]);
		if (row->id == SC_PIDFD_SEND_SIGNAL)
			ev.target_pid = 0;
		ev.arg[0] = sig;
		ev.detail = tracer_signal_name(sig);
		if (row->id == SC_TGKILL || row->id == SC_TGSIGQUEUE)
			stext_printf(&tt, "%d, ", (int)a[0]);
		stext_printf(&tt, "%d, %s", (int)(row->id == SC_TGKILL || row->id == SC_TGSIGQUEUE ? a[1] : a[0]),
		   tracer_signal_name(sig));
		break;
	}
	case SC_SETSID:
		break;
	case SC_SETPGID:
		ev.arg[0] = (int64_t)a[0];
		ev.arg[1] = (int64_t)a[1];
		stext_printf(&tt, "%d, %d", (int)a[0], (int)a[1]);
		break;
	case SC_PRCTL: {
		static const struct { int opt; const char *name; bool session; } opts[] = {
			{ PR_SET_CHILD_SUBREAPER, "PR_SET_CHILD_SUBREAPER", true },
			{ PR_SET_PDEATHSIG, "PR_SET_PDEATHSIG", true },
			{ PR_CAPBSET_DROP, "PR_CAPBSET_DROP", false },
			{ PR_CAPBSET_READ, "PR_CAPBSET_READ", false },
			{ PR_SET_KEEPCAPS, "PR_SET_KEEPCAPS", false },
			{ PR_SET_SECUREBITS, "PR_SET_SECUREBITS", false },
			{ PR_SET_NO_NEW_PRIVS, "PR_SET_NO_NEW_PRIVS", false },
			{ PR_SET_DUMPABLE, "PR_SET_DUMPABLE", false },
			{ PR_SET_SECCOMP, "PR_SET_SECCOMP", false },
			{ PR_CAP_AMBIENT, "PR_CAP_AMBIENT", false },
			{ PR_SET_PTRACER, "PR_SET_PTRACER", false },
		};
		const char *name = NULL;
		bool session = false;
		for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
			if ((int)a[0] == opts[i].opt) {
				name = opts[i].name;
				session = opts[i].session;
			}
		if ((int)a[0] == PR_SET_NAME) {
			/* the name ps shows: a process may pass for a kernel thread */
			ev.kind = DA_EV_PROC_SESSION;
			ev.detail = "PR_SET_NAME";
			ev.raw_path = c->str[0];
			stext_printf(&tt, "PR_SET_NAME, ");
			stext_str(&tt, c->str[0], c->str_trunc[0], 16);
			break;
		}
		if (!name)
			return; /* PR_GET_* & co: not security relevant */
		ev.kind = session ? DA_EV_PROC_SESSION : DA_EV_PRIV_CAP;
		ev.detail = name;
		ev.arg[0] = (int64_t)a[1];
		ev.arg[1] = (int64_t)a[2];
		stext_printf(&tt, "%s, %#llx", name, (unsigned long long)a[1]);
		break;
	}
	case SC_SOCKET: case SC_SOCKETPAIR:
		ev.family = (int32_t)a[0];
		ev.sock_type = (int32_t)(a[1] & 0xf);
		ev.protocol = (int32_t)a[2];
		ev.fd = ok ? (int32_t)(row->id == SC_SOCKET ? c->ret : c->fds[0]) : -1;
		if (row->id == SC_SOCKETPAIR)
			ev.target_fd = ok ? c->fds[1] : -1;
		stext_family(&tt, (int)a[0]);
		stext_printf(&tt, ", ");
		stext_socktype(&tt, a[1]);
		stext_printf(&tt, ", %d", (int)a[2]);
		if (row->id == SC_SOCKETPAIR) {
			if (ok)
				stext_printf(&tt, ", [%d, %d]", c->fds[0], c->fds[1]);
			else
				stext_printf(&tt, ", %#llx", (unsigned long long)a[3]);
		}
		if (ok) {
			snprintf(desc, sizeof(desc), "socket:%s/%s", tracer_family_name((int)a[0]),
				 tracer_socktype_name((int)a[1]));
			procstate_fd_set(t->ps, th->ns_tid, ev.fd, desc, (a[1] & SOCK_CLOEXEC) != 0);
			if (row->id == SC_SOCKETPAIR)
				procstate_fd_set(t->ps, th->ns_tid, ev.target_fd, desc,
						 (a[1] & SOCK_CLOEXEC) != 0);
		}
		break;
	case SC_CONNECT: case SC_BIND: case SC_LISTEN: case SC_ACCEPT: case SC_ACCEPT4:
	case SC_SENDTO: case SC_SENDMSG: case SC_SENDMMSG: case SC_RECVFROM: case SC_RECVMSG:
	case SC_RECVMMSG: {
		ev.fd = (int32_t)a[0];
		if (c->payload[0])
			ev.detail = c->payload;
		/* after bind/connect the fd description carries the address */
		ev.fd_desc = tracer_fd_describe(t, th, ev.fd, desc, sizeof(desc));
		if (ev.fd_desc && strncmp(ev.fd_desc, "socket:", 7) == 0) {
			procstate_fd_refine(t->ps, th->ns_tid, ev.fd, ev.fd_desc);
			const char *fam = ev.fd_desc + 7;
			ev.family = strncmp(fam, "inet6/", 6) == 0 ? AF_INET6
				  : strncmp(fam, "inet/", 5) == 0 ? AF_INET
				  : strncmp(fam, "unix/", 5) == 0 ? AF_UNIX : 0;
			const char *ty = strchr(fam, '/');
			if (ty)
				ev.sock_type = strncmp(ty + 1, "stream", 6) == 0 ? SOCK_STREAM
					     : strncmp(ty + 1, "dgram", 5) == 0 ? SOCK_DGRAM
					     : strncmp(ty + 1, "raw", 3) == 0 ? SOCK_RAW : 0;
		}
		if (c->salen) {
			sa_family_t f;
			memcpy(&f, c->sa, sizeof(f));
			if (!ev.family)
				ev.family = f;
			if (f == AF_UNSPEC && row->id == SC_CONNECT)
				ev.family = AF_UNSPEC; /* dissociation: no destination */
			else
				ev.addr = tracer_sockaddr_text(c->sa, c->salen, addr, sizeof(addr), &ev.port);
		} else if (ev.fd_desc && row->id != SC_ACCEPT && row->id != SC_ACCEPT4) {
			/* the connected peer, or the bound address for listen */
			const char *p = strstr(ev.fd_desc, "->");
			/* a socket's own address is no destination: only listen
			 * and bind fall back to it */
			const char *l = row->id == SC_LISTEN || row->id == SC_BIND ? strchr(ev.fd_desc, '@') : NULL;
			const char *s = p ? p + 2 : (l ? l + 1 : NULL);
			if (s) {
				snprintf(addr, sizeof(addr), "%s", s);
				ev.addr = addr;
				const char *colon = strrchr(addr, ':');
				if (colon && (ev.family == AF_INET || ev.family == AF_INET6))
					ev.port = atoi(colon + 1);
			}
		}
		stext_printf(&tt, "%d", (int)a[0]);
		switch (row->id) {
		case SC_CONNECT: case SC_BIND:
			stext_printf(&tt, ", ");
			stext_sockaddr(&tt, c);
			stext_printf(&tt, ", %u", (unsigned)a[2]);
			break;
		case SC_LISTEN:
			ev.arg[0] = (int64_t)a[1];
			stext_printf(&tt, ", %d", (int)a[1]);
			break;
		case SC_ACCEPT: case SC_ACCEPT4:
			ev.target_fd = ok ? (int32_t)c->ret : -1;
			stext_printf(&tt, ", ");
			if (c->salen)
				stext_sockaddr(&tt, c);
			else
				stext_printf(&tt, "NULL");
			stext_printf(&tt, ", %s", a[2] ? "[...]" : "NULL");
			if (row->id == SC_ACCEPT4)
				stext_printf(&tt, ", %#llx", (unsigned long long)a[3]);
			if (ok) {
				char d2[512];
				const char *nd = tracer_fd_describe(t, th, ev.target_fd, d2, sizeof(d2));
				if (nd)
					procstate_fd_set(t->ps, th->ns_tid, ev.target_fd, nd,
							 row->id == SC_ACCEPT4 && (a[3] & SOCK_CLOEXEC));
			}
			break;
		case SC_SENDTO: case SC_RECVFROM:
			ev.arg[0] = ok ? c->ret : (int64_t)a[2];
			stext_printf(&tt, ", %#llx, %llu, %#llx, ", (unsigned long long)a[1],
			   (unsigned long long)a[2], (unsigned long long)a[3]);
			if (c->salen)
				stext_sockaddr(&tt, c);
			else
				stext_printf(&tt, "NULL");
			stext_printf(&tt, ", %llu", (unsigned long long)(row->id == SC_SENDTO ? a[5] : 0));
			break;
		default:
			ev.arg[0] = ok ? c->ret : 0;
			stext_printf(&tt, ", %#llx, %#llx", (unsigned long long)a[1], (unsigned long long)a[2]);
			break;
		}
		break;
	}
	case SC_SETID1:
		ev.arg[0] = (int32_t)a[0];
		ev.arg[1] = ev.arg[2] = -1;
		stext_printf(&tt, "%d", (int)a[0]);
		break;
	case SC_SETID2:
		ev.arg[0] = (int32_t)a[0];
		ev.arg[1] = (int32_t)a[1];
		ev.arg[2] = -1;
		stext_printf(&tt, "%d, %d", (int)a[0], (int)a[1]);
		break;
	case SC_SETID3:
		ev.arg[0] = (int32_t)a[0];
		ev.arg[1] = (int32_t)a[1];
		ev.arg[2] = (int32_t)a[2];
		stext_printf(&tt, "%d, %d, %d", (int)a[0], (int)a[1], (int)a[2]);
		break;
	case SC_SETGROUPS:
		ev.arg[0] = (int64_t)a[0];
		stext_printf(&tt, "%d, %#llx", (int)a[0], (unsigned long long)a[1]);
		break;
	case SC_CAPSET:
		ev.detail = "capset";
		ev.arg[0] = (int64_t)a[0];
		ev.arg[1] = (int64_t)a[1];
		stext_printf(&tt, "%#llx, %#llx", (unsigned long long)a[0], (unsigned long long)a[1]);
		break;
	case SC_UNSHARE: case SC_SETNS: {
		uint64_t f = row->id == SC_UNSHARE ? a[0] : a[1];
		struct stext nt = { .len = 0 };
		ev.flags = (int64_t)(f & TRACER_NS_FLAGS);
		stext_flags(&nt, f & TRACER_NS_FLAGS, stext_ns_flags, "");
		snprintf(addr, sizeof(addr), "%s", nt.buf);
		ev.detail = addr[0] ? addr : NULL;
		if (row->id == SC_SETNS) {
			ev.fd = (int32_t)a[0];
			stext_printf(&tt, "%d, ", (int)a[0]);
		}
		if (nt.len)
			stext_printf(&tt, "%s", nt.buf);
		else
			stext_printf(&tt, "%#llx", (unsigned long long)f);
		if (row->id == SC_UNSHARE && !(f & TRACER_NS_FLAGS))
			return; /* unshare(CLONE_FILES) & co: no namespace */
		break;
	}
	case SC_MOUNT:
		ev.path = resolve(t, th, AT_FDCWD, c->str[1], path, sizeof(path));
		ev.raw_path = c->str[1];
		ev.path2 = c->str[0];
		ev.detail = c->fstype[0] ? c->fstype : NULL;
		stext_str(&tt, c->str[0], c->str_trunc[0], TRACER_STR_MAX);
		stext_printf(&tt, ", ");
		stext_str(&tt, c->str[1], c->str_trunc[1], TRACER_STR_MAX);
		stext_printf(&tt, ", ");
		stext_str(&tt, c->fstype[0] ? c->fstype : NULL, false, sizeof(c->fstype));
		stext_printf(&tt, ", %#llx, %#llx", (unsigned long long)a[3], (unsigned long long)a[4]);
		break;
	case SC_PTRACE: {
		static const char *const req[] = {
			[0] = "PTRACE_TRACEME", [1] = "PTRACE_PEEKTEXT", [2] = "PTRACE_PEEKDATA",
			[4] = "PTRACE_POKETEXT", [5] = "PTRACE_POKEDATA", [7] = "PTRACE_CONT",
			[8] = "PTRACE_KILL", [16] = "PTRACE_ATTACH", [17] = "PTRACE_DETACH",
		};
		uint64_t r = a[0];
		ev.target_pid = (int32_t)a[1];
		ev.detail = r < sizeof(req) / sizeof(req[0]) && req[r] ? req[r]
			  : r == 0x4206 ? "PTRACE_SEIZE" : "PTRACE_OTHER";
		stext_printf(&tt, "%s, %d, %#llx, %#llx", ev.detail, (int)a[1], (unsigned long long)a[2],
		   (unsigned long long)a[3]);
		break;
	}
	case SC_PROCESS_VM:
		ev.target_pid = (int32_t)a[0];
		ev.detail = row->name;
		stext_args_generic(&tt, c, 6);
		break;
	case SC_PIDFD_GETFD:
		ev.detail = "pidfd_getfd";
		ev.fd = (int32_t)a[1];
		stext_printf(&tt, "%d, %d, %#llx", (int)a[0], (int)a[1], (unsigned long long)a[2]);
		break;
	case SC_PERSONALITY:
		ev.arg[0] = (int64_t)a[0];
		ev.detail = "personality";
		stext_printf(&tt, "%#llx", (unsigned long long)a[0]);
		if ((uint32_t)a[0] == 0 || (uint32_t)a[0] == 0xffffffffu)
			return; /* the default or a query: nothing to report */
		break;
	case SC_KERNEL: case SC_IO_URING: case SC_OPEN_BY_HANDLE_AT: case SC_MOUNT_API:
		ev.detail = row->name;
		stext_args_generic(&tt, c, row->id == SC_IO_URING ? 2 : 3);
		break;
	case SC_FORK: case SC_VFORK: case SC_NONE:
		return;
	}
	stext_printf(&tt, ")");
	stext_result(&tt, c);
	if (c->cut_from_s >= 0)
		stext_printf(&tt, " <cut from %.0f s to %.0f s by sandbox.time.skip_sleeps>", c->cut_from_s,
			     ceil(c->cut_to_s));
	ev.text = tt.buf;
	publish(t, &ev);
}

/*
 * tracer_dec_proc.c — the process families of the live tracer
 * (tracer_dec.h): exec, the clones that stop (denied or namespace ones),
 * signals sent, session calls, prctl, sleeps and timers.
 */
#include "live/tracer_dec.h"

#include <math.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include "common/syscall_shapes.h"

#ifndef AT_FDCWD
#define AT_FDCWD -100
#endif
#ifndef CLONE_UNTRACED
#define CLONE_UNTRACED 0x00800000
#endif

/* ---- execve/execveat ---------------------------------------------------- */

/* Published at PTRACE_EVENT_EXEC (success) or at a failed exec's exit, by
 * tracer_publish_exec (tracer_event.c) through these steps. */
static bool exec_build(struct sc_ctx *x)
{
	struct sc_call *c = x->c;
	bool at = x->row && x->row->id == SC_EXECVEAT;
	int dirfd = at ? (int)c->args[0] : AT_FDCWD;
	struct da_event *ev = &x->ev;
	ev->syscall = at ? "execveat" : "execve";
	ev->raw_path = c->str[0];
	ev->path = tracer_resolve(x->t, x->th, dirfd, c->str[0], x->path, sizeof(x->path));
	ev->fd = at ? dirfd : -1;
	ev->argc = c->argc;
	ev->argv = (const char *const *)c->argv;
	ev->loader_env = c->loader_env[0] ? c->loader_env : NULL;
	/* fexecve: execveat(fd, "", ..., AT_EMPTY_PATH) runs what fd is, not
	 * the cwd; a failed one still holds the fd, a successful one shows the
	 * program in /proc/PID/exe (a close-on-exec memfd is gone by now). */
	bool empty_path = at && c->str[0] && c->str[0][0] == '\0';
	bool done = ev->result == 0 && c->has_result;
	if (empty_path && !done) {
		const char *d = tracer_fd_describe(x->t, x->th, dirfd, x->path2, sizeof(x->path2));
		if (d)
			ev->path = d;
	}
	if (done) {
		char link[64];
		snprintf(link, sizeof(link), "/proc/%d/exe", (int)x->th->tid);
		ssize_t n = readlink(link, x->path2, TRACER_STR_MAX);
		if (n > 0) {
			x->path2[n] = '\0';
			if (strncmp(x->path2, "/memfd:", 7) == 0)
				ev->detail = "memfd";
			if (empty_path)
				ev->path = x->path2;
		}
	}
	return true;
}

static void exec_text(struct sc_ctx *x)
{
	struct sc_call *c = x->c;
	bool at = x->row && x->row->id == SC_EXECVEAT;
	if (at) {
		stext_dirfd(x->tt, c->args[0]);
		stext_printf(x->tt, ", ");
	}
	stext_str(x->tt, c->str[0], c->str_trunc[0], TRACER_STR_MAX);
	stext_printf(x->tt, ", [");
	for (int i = 0; i < c->argc; i++) {
		stext_printf(x->tt, "%s", i ? ", " : "");
		stext_str(x->tt, c->argv[i], false, 1024);
	}
	stext_printf(x->tt, "], %#llx /* %llu vars */", (unsigned long long)(at ? c->args[3] : c->args[2]),
		     (unsigned long long)c->envc);
	if (at)
		stext_printf(x->tt, ", %#llx", (unsigned long long)c->args[4]);
}

const struct sc_family sc_fam_exec = { "exec", exec_build, NULL, exec_text, NULL };

/* ---- clone/clone3: namespace flags, CLONE_UNTRACED, denials, failures ----- */

#define CLONE_FAILED_FIRST 16   /* failed clones of a process published one by one */
#define CLONE_FAILED_EVERY 1024 /* then one in this many */

static bool clone_build(struct sc_ctx *x)
{
	struct da_event *ev = &x->ev;
	uint64_t ns = TRACER_NS_FLAGS & ~0xffULL;
	ev->flags = (int64_t)(x->row->id == SC_CLONE ? x->a[0] : x->c->clone3_flags);
	if ((uint64_t)ev->flags & ns) {
		struct stext nt = { .len = 0 };
		stext_flags(&nt, (uint64_t)ev->flags & ns, stext_ns_flags, "");
		ev->kind = DA_EV_PRIV_NS;
		ev->flags &= (int64_t)ns;
		snprintf(x->addr, sizeof(x->addr), "%s", nt.buf);
		ev->detail = x->addr;
		return true;
	}
	if ((uint64_t)ev->flags & CLONE_UNTRACED) {
		/* a child the tracer would not see: a way around the audit
		 * itself (denied), judged as tampering with tracing */
		ev->kind = DA_EV_PRIV_PTRACE;
		ev->detail = "CLONE_UNTRACED";
		ev->target_pid = x->ok ? (int32_t)x->c->ret : 0;
		return true;
	}
	/* A plain clone that worked is the fork event's (PTRACE_EVENT_FORK/
	 * CLONE, tracer.c); only its failure is new here: EAGAIN at the task
	 * limit is how a fork bomb meets a limit below max_processes. */
	if (x->ok || !x->c->has_result)
		return false;
	/* A fork loop retries its failures without end (100k a second): the
	 * first few are the evidence, then one in CLONE_FAILED_EVERY.  Not
	 * the denials (clone3's ENOSYS, before every glibc clone): published
	 * as they were. */
	struct tproc *p = x->th->proc;
	if (p && !x->c->deny_errno && ++p->clones_failed > CLONE_FAILED_FIRST &&
	    p->clones_failed % CLONE_FAILED_EVERY)
		return false;
	ev->target_pid = -1;
	ev->detail = shape_clone_detail((uint64_t)ev->flags);
	return true;
}

static void clone_text(struct sc_ctx *x)
{
	const uint64_t *a = x->a;
	if (x->row->id == SC_CLONE) {
		stext_flags(x->tt, a[0] & ~0xffULL, stext_clone_flags, "0");
		if (a[0] & 0xff)
			stext_printf(x->tt, "|%s", tracer_signal_name((int)(a[0] & 0xff)));
	} else {
		stext_printf(x->tt, "{flags=");
		stext_flags(x->tt, x->c->clone3_flags, stext_clone_flags, "0");
		stext_printf(x->tt, "}, %llu", (unsigned long long)a[1]);
	}
}

const struct sc_family sc_fam_clone = { "clone", clone_build, NULL, clone_text, NULL };

/* ---- kill, tkill, tgkill, rt_(tg)sigqueueinfo, pidfd_send_signal -------- */

static bool signal_build(struct sc_ctx *x)
{
	enum sc_id id = x->row->id;
	bool tg = id == SC_TGKILL || id == SC_TGSIGQUEUE;
	int sig = (int)(tg ? x->a[2] : x->a[1]);
	x->ev.target_pid = (int32_t)(tg ? x->a[1] : x->a[0]);
	if (id == SC_PIDFD_SEND_SIGNAL)
		/* the pid the pidfd refers to, read while the caller was stopped */
		x->ev.target_pid = x->c->pidfd_pid;
	x->ev.arg[0] = sig;
	x->ev.detail = tracer_signal_name(sig);
	return true;
}

static void signal_text(struct sc_ctx *x)
{
	enum sc_id id = x->row->id;
	bool tg = id == SC_TGKILL || id == SC_TGSIGQUEUE;
	int sig = (int)(tg ? x->a[2] : x->a[1]);
	if (tg)
		stext_printf(x->tt, "%d, ", (int)x->a[0]);
	stext_printf(x->tt, "%d, %s", (int)(tg ? x->a[1] : x->a[0]), tracer_signal_name(sig));
}

const struct sc_family sc_fam_signal = { "signal", signal_build, NULL, signal_text, NULL };

/* ---- setsid, setpgid ----------------------------------------------------- */

static bool session_build(struct sc_ctx *x)
{
	if (x->row->id == SC_SETPGID) {
		x->ev.arg[0] = (int64_t)x->a[0];
		x->ev.arg[1] = (int64_t)x->a[1];
	}
	return true;
}

static void session_text(struct sc_ctx *x)
{
	if (x->row->id == SC_SETPGID)
		stext_printf(x->tt, "%d, %d", (int)x->a[0], (int)x->a[1]);
}

const struct sc_family sc_fam_session = { "session", session_build, NULL, session_text, NULL };

/* ---- prctl: the options about sessions and capabilities ----------------- */

static const struct { int opt; const char *name; bool session; } prctl_opts[] = {
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

static bool prctl_build(struct sc_ctx *x)
{
	int opt = (int)x->a[0];
	if (opt == PR_SET_NAME) {
		/* the name ps shows: a process may pass for a kernel thread */
		x->ev.kind = DA_EV_PROC_SESSION;
		x->ev.detail = "PR_SET_NAME";
		x->ev.raw_path = x->c->str[0];
		return true;
	}
	for (size_t i = 0; i < sizeof(prctl_opts) / sizeof(prctl_opts[0]); i++)
		if (opt == prctl_opts[i].opt) {
			x->ev.kind = prctl_opts[i].session ? DA_EV_PROC_SESSION : DA_EV_PRIV_CAP;
			x->ev.detail = prctl_opts[i].name;
			x->ev.arg[0] = (int64_t)x->a[1];
			x->ev.arg[1] = (int64_t)x->a[2];
			return true;
		}
	return false; /* PR_GET_* & co: not security relevant */
}

static void prctl_text(struct sc_ctx *x)
{
	if ((int)x->a[0] == PR_SET_NAME) {
		stext_printf(x->tt, "PR_SET_NAME, ");
		stext_str(x->tt, x->c->str[0], x->c->str_trunc[0], 16);
		return;
	}
	stext_printf(x->tt, "%s, %#llx", x->ev.detail, (unsigned long long)x->a[1]);
}

const struct sc_family sc_fam_prctl = { "prctl", prctl_build, NULL, prctl_text, NULL };

/* ---- nanosleep/clock_nanosleep ------------------------------------------ */

/* Waits under TRACER_SLEEP_MIN_S are not events: only long ones matter,
 * and a retry loop (usleep(1000) around a failing fork) would otherwise
 * flood the bus. */
static bool sleep_is_short(const struct sc_call *c)
{
	return c->sleep_s >= 0 && c->sleep_left < TRACER_SLEEP_MIN_S && c->cut_from_s < 0;
}

static bool sleep_build(struct sc_ctx *x)
{
	if (sleep_is_short(x->c))
		return false;
	x->ev.arg[0] = x->c->sleep_left_s; /* seconds until it ends */
	if (x->c->cut_from_s >= 0) {
		/* skip_sleeps returned it at once: arg[0] stays the wait asked
		 * for (process.long_sleep judges it), arg[1] what was left */
		x->ev.detail = "cut";
		x->ev.arg[1] = 0;
	}
	return true;
}

/* Short sleeps added up instead: a loop of them can wait out a window as
 * well as one long sleep (tracer_waits.c). */
static void sleep_state(struct sc_ctx *x)
{
	if (sleep_is_short(x->c) && x->th->proc && x->c->sleep_left >= 0) {
		x->th->proc->short_sleep_s += x->c->sleep_left;
		x->th->proc->short_sleeps++;
	}
}

static void sleep_text(struct sc_ctx *x)
{
	static const char *const clocks[] = { "CLOCK_REALTIME", "CLOCK_MONOTONIC",
		"CLOCK_PROCESS_CPUTIME_ID", "CLOCK_THREAD_CPUTIME_ID", "CLOCK_MONOTONIC_RAW",
		"CLOCK_REALTIME_COARSE", "CLOCK_MONOTONIC_COARSE", "CLOCK_BOOTTIME" };
	const uint64_t *a = x->a;
	const struct sc_call *c = x->c;
	bool clock = strcmp(x->row->name, "clock_nanosleep") == 0;
	if (clock) {
		if (a[0] < sizeof(clocks) / sizeof(clocks[0]))
			stext_printf(x->tt, "%s, ", clocks[a[0]]);
		else
			stext_printf(x->tt, "%d, ", (int)a[0]);
		stext_printf(x->tt, "%s, ", (a[1] & TIMER_ABSTIME) ? "TIMER_ABSTIME" : "0");
	}
	if (c->sleep_s >= 0)
		stext_printf(x->tt, "{tv_sec=%lld, tv_nsec=%lld}, %#llx", (long long)c->sleep_s,
			     (long long)c->sleep_ns, (unsigned long long)a[clock ? 3 : 1]);
	else
		stext_printf(x->tt, "%#llx, %#llx", (unsigned long long)a[clock ? 2 : 0],
			     (unsigned long long)a[clock ? 3 : 1]);
}

const struct sc_family sc_fam_sleep = { "sleep", sleep_build, sleep_state, sleep_text, NULL };

/* ---- alarm, setitimer, timer_settime, timerfd_settime ------------------- */

static bool timer_build(struct sc_ctx *x)
{
	const struct sc_call *c = x->c;
	if (c->sleep_left_s < TRACER_SLEEP_MIN_S && c->cut_from_s < 0)
		return false; /* short timeouts are everywhere (watchdogs of a second) */
	x->ev.detail = "timer";
	x->ev.arg[0] = c->sleep_left_s;
	if (c->cut_from_s >= 0) {
		/* arg[0] stays what it asked for: still a time bomb's evidence */
		x->ev.detail = "timer cut";
		x->ev.arg[0] = (int64_t)(c->cut_from_s + 0.5);
		x->ev.arg[1] = (int64_t)ceil(c->cut_to_s);
	}
	return true;
}

/* Remembered for the end of the window (tracer_waits.c): a process idle
 * in pause() or a timerfd read wakes up then. */
static void timer_state(struct sc_ctx *x)
{
	const struct sc_call *c = x->c;
	struct tproc *p = x->th->proc;
	if (!p || c->sleep_left_s < 0)
		return;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	p->timer_at = c->sleep_left_s > 0 || c->sleep_ns > 0
		? (double)now.tv_sec + (double)now.tv_nsec / 1e9 + (double)c->sleep_left_s : 0;
	p->timer_call = x->row->name;
}

static void timer_text(struct sc_ctx *x)
{
	if (strcmp(x->row->name, "alarm") == 0)
		stext_printf(x->tt, "%u", (unsigned)x->a[0]);
	else
		stext_printf(x->tt, "%d, %#llx, {it_value={tv_sec=%lld, ...}}", (int)x->a[0],
			     (unsigned long long)x->a[1], (long long)x->c->sleep_s);
}

const struct sc_family sc_fam_timer = { "timer", timer_build, timer_state, timer_text, NULL };

/* ---- fork/vfork: seen through ptrace events, never as a stop ------------ */

static bool none_build(struct sc_ctx *x)
{
	(void)x;
	return false;
}

static void none_text(struct sc_ctx *x)
{
	(void)x;
}

const struct sc_family sc_fam_none = { "none", none_build, NULL, none_text, NULL };

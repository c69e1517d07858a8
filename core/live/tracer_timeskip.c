/*
 * tracer_timeskip.c — sandbox.time.skip_sleeps: long waits cut short.
 *
 * A time bomb sleeps past the observation window, then acts.  When a
 * sleep or a timer asks for more than the threshold, the tracer cuts it at
 * its syscall stop, so the code after it runs inside the window:
 *
 *  - nanosleep / clock_nanosleep (relative or TIMER_ABSTIME): the call is
 *    not run and returns 0 at once, as a sleep that ended does.  Through a
 *    notification the tracer answers it itself (val 0, no CONTINUE);
 *    at a ptrace stop the syscall number becomes -1 and the return
 *    register 0.  The caller's memory is not touched.
 *  - alarm / setitimer / timer_settime / timerfd_settime: the timer must
 *    still fire, only sooner: it is armed for TIMESKIP_TIMER_S (1 s)
 *    instead (an interval beyond the threshold too).  A watchdog
 *    (alarm(60) around a slow step) then fires early too.  alarm's
 *    seconds are a register; the others point to a struct in the
 *    caller's memory, which is left alone: the shortened copy is written
 *    on the caller's stack below its red zone (free space in the x86-64
 *    ABI, what a signal frame would use) and the argument register points
 *    there.  An absolute end (TIMER_ABSTIME, TFD_TIMER_ABSTIME) becomes a
 *    relative one.  Timers therefore stop for ptrace while skipping is on
 *    (tracer_filter.c): they are rare, and a notification cannot change
 *    a register.
 *
 * Each cut is kept on the call (c->cut_from_s) and published on the sleep
 * or timer event (detail "cut" / "timer cut", arg[1] the seconds it was
 * cut to); the totals go to the stats.  A process gets at most
 * TIMESKIP_MAX_PER_PROC cuts: a benign loop of long sleeps (a poller
 * waking every 5 s) would otherwise spin for the whole window.
 *
 *  - timed waits (poll, epoll_wait, epoll_pwait with an int of ms;
 *    select, pselect6, ppoll, epoll_pwait2, futex FUTEX_WAIT /
 *    FUTEX_WAIT_BITSET with a pointer): they are not table syscalls, so
 *    tracer_timeskip_rules() adds their filter rules itself, and only
 *    while skipping is on.  An int timeout is compared in the filter (a
 *    wait of under half the threshold, 0 or forever never stops: a
 *    server's idle epoll_wait(-1) costs nothing); a pointer cannot be, so
 *    every such wait with a timeout stops (Python's Event.wait, the JVM's
 *    timed parks: a few per second).  A long one gets a zero timeout
 *    (register, or a zeroed copy below the red zone): it returns at once
 *    as one that timed out does (0 ready, ETIMEDOUT), and Timer threads,
 *    select loops and futex waits run what follows.  Shorter ones run as
 *    asked.  Published as a cut sleep (syscall the wait's name, detail
 *    "cut"; "wait cut" for futex, which runtimes use for their own idle
 *    threads, so process.long_sleep does not judge it).  A thread that
 *    waits again for the end it was cut from (it compares the clock:
 *    queue.get, the JVM's parks and Thread.sleep) is not cut again.
 *
 * Not moved: clock reads.  A program that compares time() before and after
 * its sleep can notice (the JVM's Thread.sleep does: it waits again for
 * what is left, and after TIMESKIP_MAX_PER_PROC cuts it is left alone); a
 * loop of sleeps each under the threshold is not cut (process.long_sleep
 * adds those up); a futex wait of another kind (PI locks) runs as asked.
 */
#include "live/tracer_priv.h"

#include <errno.h>
#include <linux/audit.h>
#include <math.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <time.h>

#include "engine/bus.h"

/* Cuts per process before its long sleeps are left alone. */
#define TIMESKIP_MAX_PER_PROC 64
/* A long timer is armed for this many seconds instead (or the threshold
 * when smaller): it fires within any window. */
#define TIMESKIP_TIMER_S 1.0

static bool may_cut(struct tracer *t, struct tracee *th, double wait_s)
{
	if (t->opt.skip_sleeps_s <= 0 || wait_s <= t->opt.skip_sleeps_s || !th->proc)
		return false;
	if (th->proc->cuts >= TIMESKIP_MAX_PER_PROC) {
		t->stats.cuts_refused++;
		return false;
	}
	return true;
}

static void count_cut(struct tracer *t, struct tracee *th, struct sc_call *c, double from_s,
		      double to_s)
{
	th->proc->cuts++;
	t->stats.cuts++;
	t->stats.skipped_s += from_s - to_s;
	c->cut_from_s = from_s;
	c->cut_to_s = to_s;
}

bool tracer_timeskip_sleep(struct tracer *t, struct tracee *th, struct sc_call *c)
{
	if (!c->row || c->row->id != SC_SLEEP || c->sleep_s < 0 || !may_cut(t, th, c->sleep_left))
		return false;
	count_cut(t, th, c, c->sleep_left, 0);
	c->has_result = true;
	c->ret = 0;
	return true;
}

#if defined(__x86_64__)
static int poke(pid_t tid, uint64_t addr, const void *buf, size_t len)
{
	for (size_t off = 0; off < len; off += sizeof(long)) {
		long w;
		memcpy(&w, (const char *)buf + off, sizeof(w));
		if (ptrace(PTRACE_POKEDATA, tid, (void *)(uintptr_t)(addr + off), (void *)w) < 0)
			return -errno;
	}
	return 0;
}

/* Argument register i of a 64-bit syscall. */
static unsigned long long *arg_reg(struct user_regs_struct *r, int i)
{
	switch (i) {
	case 0: return &r->rdi;
	case 1: return &r->rsi;
	case 2: return &r->rdx;
	default: return &r->r10;
	}
}
#endif

void tracer_timeskip_timer(struct tracer *t, struct tracee *th, struct sc_call *c)
{
#if defined(__x86_64__)
	if (!c->row || c->row->id != SC_TIMER || c->arch != AUDIT_ARCH_X86_64 || c->sleep_left_s < 0)
		return;
	double left = (double)c->sleep_left_s;
	if (!may_cut(t, th, left))
		return;
	/* fires soon, but not before the caller reaches its pause() */
	double thr = t->opt.skip_sleeps_s < TIMESKIP_TIMER_S ? t->opt.skip_sleeps_s : TIMESKIP_TIMER_S;
	struct user_regs_struct regs;
	if (ptrace(PTRACE_GETREGS, th->tid, 0, &regs) < 0)
		return;
	const char *n = c->row->name;
	if (strcmp(n, "alarm") == 0) {
		unsigned secs = (unsigned)ceil(thr);
		regs.rdi = secs;
		if (ptrace(PTRACE_SETREGS, th->tid, 0, &regs) < 0)
			return;
		count_cut(t, th, c, left, secs);
		c->sleep_left_s = secs;
		return;
	}
	bool itimer = strcmp(n, "setitimer") == 0;
	int ai = itimer ? 1 : 2; /* the new value's argument */
	int64_t v[4];            /* interval then value: timeval (itimer) or timespec */
	if (tracer_mem_read(t, th->tid, c->args[ai], v, sizeof(v)) != (ssize_t)sizeof(v))
		return;
	int64_t sub = itimer ? 1000000 : 1000000000; /* units per second of the second field */
	int64_t whole = (int64_t)thr, frac = (int64_t)((thr - (double)whole) * (double)sub);
	v[2] = whole;
	v[3] = frac;
	double interval = (double)v[0] + (double)v[1] / (double)sub;
	if (interval > t->opt.skip_sleeps_s) { /* an interval beyond the threshold: cut too */
		v[0] = whole;
		v[1] = frac;
	}
	/* below the red zone (128 bytes), 16-byte aligned */
	uint64_t spot = ((uint64_t)regs.rsp - 256 - sizeof(v)) & ~(uint64_t)15;
	if (poke(th->tid, spot, v, sizeof(v)) < 0)
		return;
	*arg_reg(&regs, ai) = spot;
	if (!itimer) /* relative from now: drop TIMER_ABSTIME, and CANCEL_ON_SET that needs it */
		regs.rsi &= ~(unsigned long long)3;
	if (ptrace(PTRACE_SETREGS, th->tid, 0, &regs) < 0)
		return;
	count_cut(t, th, c, left, thr);
	c->sleep_left_s = whole;
	c->sleep_ns = frac * (itimer ? 1000 : 1);
#else
	(void)t;
	(void)th;
	(void)c;
#endif
}

/* ---- timed waits: poll, select, epoll_wait, futex ------------------------ */

/* How a wait gives its timeout. */
enum wait_how {
	WAIT_MS,        /* an int of milliseconds in a register (-1: forever) */
	WAIT_TIMEVAL,   /* a struct timeval pointer, relative (NULL: forever) */
	WAIT_TIMESPEC,  /* a struct timespec pointer, relative (NULL: forever) */
	WAIT_FUTEX,     /* futex: FUTEX_WAIT relative, FUTEX_WAIT_BITSET absolute */
};

struct wait_row {
	long nr;
	const char *name;
	enum wait_how how;
	int arg;        /* the timeout's argument */
};

/* A wait ending this close to the end of the thread's last cut one is
 * the same wait again. */
#define REWAIT_SLACK_S 5.0

#define FUTEX_OP_MASK 0x7f
#define FUTEX_OP_WAIT 0
#define FUTEX_OP_WAIT_BITSET 9
#define FUTEX_FLAG_REALTIME 256

#if defined(__x86_64__)
static const struct wait_row wait_rows[] = {
	{ SYS_poll, "poll", WAIT_MS, 2 },
	{ SYS_epoll_wait, "epoll_wait", WAIT_MS, 3 },
	{ SYS_epoll_pwait, "epoll_pwait", WAIT_MS, 3 },
	{ SYS_select, "select", WAIT_TIMEVAL, 4 },
	{ SYS_pselect6, "pselect6", WAIT_TIMESPEC, 4 },
	{ SYS_ppoll, "ppoll", WAIT_TIMESPEC, 2 },
	{ 441 /* epoll_pwait2 */, "epoll_pwait2", WAIT_TIMESPEC, 3 },
	{ SYS_futex, "futex", WAIT_FUTEX, 3 },
};
#define N_WAIT_ROWS (sizeof(wait_rows) / sizeof(wait_rows[0]))
#endif

int tracer_timeskip_rules(struct tracer *t, void *scmp_ctx)
{
#if defined(__x86_64__)
	scmp_filter_ctx ctx = scmp_ctx;
	const uint32_t act = SCMP_ACT_TRACE(TRACER_DATA_SYSCALL);
	if (t->opt.skip_sleeps_s <= 0)
		return 0;
	/* An int timeout is compared in the filter: one rule per bit from the
	 * threshold's highest bit up, each with the sign and high half clear,
	 * so a wait of less than half the threshold, or forever (-1), or 0
	 * never stops (a server's event loop runs at full speed). */
	double ms = t->opt.skip_sleeps_s * 1000.0;
	int kmin = 0;
	while (kmin < 30 && (double)(1ULL << (kmin + 1)) <= ms)
		kmin++;
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < N_WAIT_ROWS; i++) {
		const struct wait_row *w = &wait_rows[i];
		switch (w->how) {
		case WAIT_MS:
			for (int k = kmin; rc == 0 && k <= 30; k++)
				rc = seccomp_rule_add(ctx, act, (int)w->nr, 1,
						      SCMP_CMP((unsigned)w->arg, SCMP_CMP_MASKED_EQ,
							       0xffffffff80000000ULL | (1ULL << k), 1ULL << k));
			break;
		case WAIT_TIMEVAL:
		case WAIT_TIMESPEC:
			/* memory the filter cannot read: every wait with a timeout stops */
			rc = seccomp_rule_add(ctx, act, (int)w->nr, 1, SCMP_CMP((unsigned)w->arg, SCMP_CMP_NE, 0));
			break;
		case WAIT_FUTEX:
			rc = seccomp_rule_add(ctx, act, (int)w->nr, 2,
					      SCMP_A1(SCMP_CMP_MASKED_EQ, FUTEX_OP_MASK, FUTEX_OP_WAIT),
					      SCMP_A3(SCMP_CMP_NE, 0));
			if (rc == 0)
				rc = seccomp_rule_add(ctx, act, (int)w->nr, 2,
						      SCMP_A1(SCMP_CMP_MASKED_EQ, FUTEX_OP_MASK, FUTEX_OP_WAIT_BITSET),
						      SCMP_A3(SCMP_CMP_NE, 0));
			break;
		}
	}
	return rc;
#else
	(void)t;
	(void)scmp_ctx;
	return 0;
#endif
}

#if defined(__x86_64__)
static double clock_s(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Seconds until the wait ends, -1 when unknown or forever. */
static double wait_left(struct tracer *t, struct tracee *th, const struct wait_row *w,
			const struct sc_call *c)
{
	uint64_t ptr = c->args[w->arg];
	int64_t v[2];
	if (w->how == WAIT_MS) {
		int ms = (int)c->args[w->arg];
		return ms < 0 ? -1 : ms / 1000.0;
	}
	if (!ptr || tracer_mem_read(t, th->tid, ptr, v, sizeof v) != (ssize_t)sizeof v || v[0] < 0 ||
	    v[1] < 0)
		return -1;
	double sub = w->how == WAIT_TIMEVAL ? 1e6 : 1e9;
	double s = (double)v[0] + (double)v[1] / sub;
	if (w->how == WAIT_FUTEX && ((int)c->args[1] & FUTEX_OP_MASK) == FUTEX_OP_WAIT_BITSET)
		s -= clock_s(((int)c->args[1] & FUTEX_FLAG_REALTIME) ? CLOCK_REALTIME : CLOCK_MONOTONIC);
	return s < 0 ? 0 : s;
}

/* Make the stopped wait end at once: a zero timeout (for a pointer, a
 * zeroed copy below the red zone, as for timers; an absolute futex end of
 * 0 has passed already). */
static bool cut_wait(struct tracee *th, const struct wait_row *w)
{
	struct user_regs_struct regs;
	if (ptrace(PTRACE_GETREGS, th->tid, 0, &regs) < 0)
		return false;
	unsigned long long *reg = w->arg == 4 ? &regs.r8 : arg_reg(&regs, w->arg);
	if (w->how == WAIT_MS) {
		*reg = 0;
	} else {
		const int64_t zero[2] = { 0, 0 };
		uint64_t spot = ((uint64_t)regs.rsp - 256 - sizeof(zero)) & ~(uint64_t)15;
		if (poke(th->tid, spot, zero, sizeof zero) < 0)
			return false;
		*reg = spot;
	}
	return ptrace(PTRACE_SETREGS, th->tid, 0, &regs) == 0;
}
#endif

void tracer_timeskip_wait(struct tracer *t, struct tracee *th, struct sc_call *c)
{
#if defined(__x86_64__)
	const struct wait_row *w = NULL;
	for (size_t i = 0; i < N_WAIT_ROWS && !w; i++)
		if (wait_rows[i].nr == c->nr)
			w = &wait_rows[i];
	if (!w || c->arch != AUDIT_ARCH_X86_64)
		return;
	double left = wait_left(t, th, w, c);
	if (left < 0 || left <= t->opt.skip_sleeps_s || !th->proc)
		return;
	/* The same thread waiting again for the end it was cut from compares
	 * the clock (queue.get, the JVM's parks): cutting again cannot help. */
	double end = clock_s(CLOCK_MONOTONIC) + left;
	if (th->proc->cut_tid == th->tid && fabs(end - th->proc->cut_end) < REWAIT_SLACK_S) {
		t->stats.cuts_refused++;
		return;
	}
	if (!may_cut(t, th, left) || !cut_wait(th, w))
		return;
	th->proc->cut_tid = th->tid;
	th->proc->cut_end = end;
	count_cut(t, th, c, left, 0);
	/* published as a cut sleep is (process.long_sleep): arg[0] the wait
	 * asked for, arg[1] what was left of it */
	char text[192];
	snprintf(text, sizeof text, "%s(...) <cut from %.0f s to 0 s by sandbox.time.skip_sleeps>",
		 w->name, left);
	struct da_event ev;
	da_event_init(&ev, DA_EV_SYSCALL_OTHER);
	tracer_event_origin(t, th, &ev);
	ev.syscall = w->name;
	/* a futex wait is a runtime's as often as the program's (the JVM
	 * parks idle threads for a day): cut, but not judged as a sleep */
	ev.detail = w->how == WAIT_FUTEX ? "wait cut" : "cut";
	ev.arg[0] = (int64_t)(left + 0.5);
	ev.arg[1] = 0;
	ev.text = text;
	if (t->opt.bus)
		bus_publish(t->opt.bus, &ev);
#else
	(void)t;
	(void)th;
	(void)c;
#endif
}

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
 * Not moved: clock reads.  A program that compares time() before and after
 * its sleep can notice; a loop of sleeps each under the threshold is not
 * cut (process.long_sleep adds those up); timed waits in poll, select,
 * epoll_wait and futex run as asked (they are not traced: tracing them
 * would slow every server; tracer_waits.c reports them at the end).
 */
#include "live/tracer_priv.h"

#include <errno.h>
#include <linux/audit.h>
#include <math.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/user.h>

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

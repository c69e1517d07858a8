/*
 * tracer_waits.c — timed waits still pending when the window closes.
 *
 * A delayed payload does not need nanosleep: node's setTimeout, python's
 * Event.wait, a poll or select loop, Java's Thread.sleep all block in a
 * wait with a timeout (epoll_wait, futex, poll...).  Tracing those calls
 * would stop every event loop on every tick, so instead, once, when the
 * window closes, the tracer looks at what each thread of each live process
 * is blocked in (/proc/TID/syscall: number and arguments) and when the
 * first of them will wake up.  A process whose earliest wake-up is still
 * ten seconds or more away, with no thread running, is waiting for a
 * timer: one event per process (DA_EV_SYSCALL_OTHER, detail "pending",
 * arg[0] the seconds until that wake-up).  A thread blocked with no
 * timeout (a server in accept or epoll_wait(-1)) waits for input, not for
 * time, and counts as "never".  Threads a runtime renamed for its own
 * housekeeping (the JVM's "VM Periodic Tas", "C2 CompilerThre"... with
 * short periodic timers) are not the program's timers: only threads that
 * still carry the process's own name count, though any thread running
 * keeps the process from looking idle.
 * A timer the process armed (alarm, setitimer, timer_settime,
 * timerfd_settime: traced, and remembered per process) is a wake-up too:
 * `alarm(3600); pause();` is the same wait.  nanosleep and
 * clock_nanosleep are not looked at: they are traced when they start.
 */
#include "live/tracer_priv.h"

#include <errno.h>
#include <inttypes.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "engine/bus.h"

#define WAIT_MIN_S 10          /* shorter waits are ordinary pacing */
#define WAIT_NEVER -1.0        /* blocked without a timeout */
#define WAIT_BUSY -2.0         /* running, or unknown: not idle */
/* The scan runs on the loop that ends the window: it reads /proc/TID/syscall
 * and a timeout argument (process_vm_readv, which waits for the mmap lock
 * a forking sibling holds) of every thread.  Bounded: threads not looked
 * at in time count as busy (no pending-wait event for them). */
#define SCAN_MAX_S 0.5

enum wait_arg { W_MS_INT, W_TIMESPEC_REL, W_TIMEVAL_REL, W_FUTEX };

struct wait_call {
	const char *name;
	int arg;                    /* index of the timeout argument */
	enum wait_arg how;
};

static const struct wait_call wait_calls[] = {
	{ "epoll_wait", 3, W_MS_INT },    { "epoll_pwait", 3, W_MS_INT },
	{ "epoll_pwait2", 3, W_TIMESPEC_REL }, { "poll", 2, W_MS_INT },
	{ "ppoll", 2, W_TIMESPEC_REL },   { "select", 4, W_TIMEVAL_REL },
	{ "pselect6", 4, W_TIMESPEC_REL }, { "rt_sigtimedwait", 2, W_TIMESPEC_REL },
	{ "futex", 3, W_FUTEX },
};

struct proc_wait {
	pid_t tgid;
	double next;               /* seconds until its earliest wake-up */
	const char *call;          /* the wait that wakes up last-first */
	struct tracee *th;
};

struct scan {
	struct proc_wait procs[256];
	size_t n;
	int nr[sizeof(wait_calls) / sizeof(wait_calls[0])];
	int nr_sleep[2];
	double until;              /* monotonic end of the scan */
	unsigned skipped;          /* threads not looked at in time */
};

static double mono_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double timespec_arg(struct tracer *t, pid_t tid, uint64_t addr, bool timeval)
{
	int64_t v[2];
	if (!addr)
		return WAIT_NEVER; /* NULL timeout: block forever */
	if (tracer_mem_read(t, tid, addr, v, sizeof(v)) != (ssize_t)sizeof(v) || v[0] < 0)
		return WAIT_BUSY;
	return (double)v[0] + (double)v[1] / (timeval ? 1e6 : 1e9);
}

/* Seconds until this blocked call times out, WAIT_NEVER, or WAIT_BUSY. */
static double timeout_of(struct tracer *t, pid_t tid, const struct wait_call *w, const uint64_t a[6])
{
	switch (w->how) {
	case W_MS_INT: {
		int ms = (int)(uint32_t)a[w->arg];
		return ms < 0 ? WAIT_NEVER : ms / 1000.0;
	}
	case W_TIMESPEC_REL:
		return timespec_arg(t, tid, a[w->arg], false);
	case W_TIMEVAL_REL:
		return timespec_arg(t, tid, a[w->arg], true);
	case W_FUTEX: {
		int op = (int)(a[1] & 0x7f);   /* without PRIVATE and CLOCK_REALTIME */
		if (op != 0 && op != 9)        /* FUTEX_WAIT, FUTEX_WAIT_BITSET */
			return WAIT_NEVER;     /* a lock, not a timer */
		double v = timespec_arg(t, tid, a[3], false);
		if (v < 0 || op == 0)
			return v;              /* FUTEX_WAIT: relative */
		struct timespec now;       /* WAIT_BITSET: an absolute end */
		clock_gettime((a[1] & 256) ? CLOCK_REALTIME : CLOCK_MONOTONIC, &now);
		double left = v - ((double)now.tv_sec + (double)now.tv_nsec / 1e9);
		return left > 0 ? left : 0;
	}
	}
	return WAIT_BUSY;
}

static struct proc_wait *proc_slot(struct scan *s, struct tracee *th)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->procs[i].tgid == th->tgid)
			return &s->procs[i];
	if (s->n >= sizeof(s->procs) / sizeof(s->procs[0]))
		return NULL;
	struct proc_wait *p = &s->procs[s->n++];
	p->tgid = th->tgid;
	p->next = WAIT_NEVER;
	p->call = NULL;
	p->th = th;
	return p;
}

/* /proc/PID/comm into buf ("" when unreadable). */
static void read_comm(pid_t tgid, pid_t tid, char *buf, size_t len)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/task/%d/comm", (int)tgid, (int)tid);
	FILE *f = fopen(path, "re");
	if (!f || !fgets(buf, (int)len, f))
		buf[0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	if (f)
		fclose(f);
}

static void look_at_thread(struct tracer *t, struct tracee *th, void *ctx)
{
	struct scan *s = ctx;
	struct proc_wait *p = proc_slot(s, th);
	if (!p || p->next == WAIT_BUSY)
		return;
	if (mono_s() >= s->until) {
		p->next = WAIT_BUSY;
		s->skipped++;
		return;
	}
	char path[64], line[512], own[32], leader[32];
	read_comm(th->tgid, th->tid, own, sizeof(own));
	read_comm(th->tgid, th->tgid, leader, sizeof(leader));
	bool housekeeping = th->tid != th->tgid && own[0] && strcmp(own, leader) != 0;
	snprintf(path, sizeof(path), "/proc/%d/syscall", (int)th->tid);
	FILE *f = fopen(path, "re");
	bool got = f && fgets(line, sizeof(line), f);
	if (f)
		fclose(f);
	long nr;
	uint64_t a[6];
	if (!got || sscanf(line, "%ld %" SCNx64 " %" SCNx64 " %" SCNx64 " %" SCNx64 " %" SCNx64 " %" SCNx64,
			   &nr, &a[0], &a[1], &a[2], &a[3], &a[4], &a[5]) != 7 || nr < 0) {
		p->next = WAIT_BUSY; /* "running", or in user space */
		return;
	}
	if (nr == s->nr_sleep[0] || nr == s->nr_sleep[1]) {
		p->next = WAIT_BUSY; /* already an event of its own */
		return;
	}
	double left = WAIT_NEVER;
	const char *call = NULL;
	for (size_t i = 0; i < sizeof(wait_calls) / sizeof(wait_calls[0]); i++)
		if (s->nr[i] >= 0 && nr == s->nr[i]) {
			left = timeout_of(t, th->tid, &wait_calls[i], a);
			call = wait_calls[i].name;
		}
	if (left == WAIT_BUSY) {
		p->next = WAIT_BUSY;
	} else if (left >= 0 && !housekeeping && (p->next == WAIT_NEVER || left < p->next)) {
		p->next = left;
		p->call = call;
		p->th = th;
	}
}

int tracer_report_pending_waits(struct tracer *t)
{
	static struct scan s; /* one tracer thread; too big for its stack */
	memset(&s, 0, sizeof(s));
	for (size_t i = 0; i < sizeof(wait_calls) / sizeof(wait_calls[0]); i++)
		s.nr[i] = seccomp_syscall_resolve_name(wait_calls[i].name);
	s.nr_sleep[0] = seccomp_syscall_resolve_name("nanosleep");
	s.nr_sleep[1] = seccomp_syscall_resolve_name("clock_nanosleep");
	s.until = mono_s() + SCAN_MAX_S;
	tracer_for_each_thread(t, look_at_thread, &s);
	if (s.skipped) {
		size_t used = strlen(t->notes);
		snprintf(t->notes + used, sizeof(t->notes) - used,
			 "%spending waits: %u threads not examined in %.1f s", used ? "; " : "", s.skipped,
			 SCAN_MAX_S);
	}
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	double now_s = (double)now.tv_sec + (double)now.tv_nsec / 1e9;
	int published = 0;
	/* loops of short sleeps: one event per process with their total */
	for (size_t i = 0; i < s.n; i++) {
		const struct tproc *pr = s.procs[i].th ? s.procs[i].th->proc : NULL;
		if (!pr || pr->short_sleeps < 2 || pr->short_sleep_s < 1) /* the detector weighs it */
			continue;
		struct da_event ev;
		char text[160];
		da_event_init(&ev, DA_EV_SYSCALL_OTHER);
		tracer_event_origin(t, s.procs[i].th, &ev);
		ev.syscall = "nanosleep";
		ev.detail = "short sleeps";
		ev.arg[0] = (int64_t)pr->short_sleep_s;
		ev.arg[1] = pr->short_sleeps;
		snprintf(text, sizeof(text), "nanosleep(...) <%u sleeps under %d s, %.1f s in all, by the end of the window>",
			 pr->short_sleeps, TRACER_SLEEP_MIN_S, pr->short_sleep_s);
		ev.text = text;
		if (t->opt.bus)
			bus_publish(t->opt.bus, &ev);
		published++;
	}
	for (size_t i = 0; i < s.n; i++) {
		struct proc_wait *p = &s.procs[i];
		/* a timer it armed (alarm, setitimer, a timerfd) wakes an idle
		 * process blocked in pause() or in a read of the timerfd */
		const struct tproc *pr = p->th ? p->th->proc : NULL;
		if (p->next != WAIT_BUSY && pr && pr->timer_at > now_s &&
		    (p->next == WAIT_NEVER || pr->timer_at - now_s < p->next)) {
			p->next = pr->timer_at - now_s;
			p->call = pr->timer_call;
		}
		if (p->next < WAIT_MIN_S || !p->call)
			continue;
		struct da_event ev;
		char text[160];
		da_event_init(&ev, DA_EV_SYSCALL_OTHER);
		tracer_event_origin(t, p->th, &ev);
		ev.syscall = p->call;
		ev.detail = "pending";
		ev.arg[0] = (int64_t)p->next;
		snprintf(text, sizeof(text), "%s(...) <pending at the end of the window: wakes up in %.0f s>",
			 p->call, p->next);
		ev.text = text;
		if (t->opt.bus)
			bus_publish(t->opt.bus, &ev);
		published++;
	}
	return published;
}

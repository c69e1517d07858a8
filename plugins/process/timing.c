/*
 * timing.c — sleeps and timed waits that outlast the observation window
 */
#include "process.h"

/* A new entry of the sleep table for ev (the caller checked there is room):
 * its wait is arg[0], nothing else known yet. */
static struct long_sleep *sleep_add(struct state *st, const struct da_event *ev)
{
	struct long_sleep *s = &st->sleeps[st->n_sleeps++];
	*s = (struct long_sleep){.pid = ev->pid, .t = ev->time_s, .wait = ev->arg[0],
				 .text = ev->text ? strdup(ev->text) : NULL};
	return s;
}

/* A wait that ends after the observation window: whatever comes next was
 * not seen (a delayed payload waits out a short audit).  Short waits near
 * the end are ordinary; a heartbeat crossing the end is worth knowing;
 * one call waiting the whole window or longer before the program did
 * anything observable is the time-bomb pattern (judged at the end: output
 * lines are captured a little after they are written). */
/* A process idle in a timed wait when the window closed (epoll_wait,
 * futex, poll...: node's setTimeout, python's Event.wait, Java's sleep).
 * Only its remaining time is known, so it is judged as a long sleep made
 * at the end, against what the whole run did before. */
static void on_pending_wait(struct state *st, const struct da_event *ev)
{
	/* which waits count is the source's business (tracer_waits.c) */
	if (ev->arg[0] < 10 || st->n_sleeps >= MAX_SLEEPS ||
	    (ev->phase && strcmp(ev->phase, "setup") == 0))
		return;
	sleep_add(st, ev)->pending = strdup(ev->syscall);
}

/* A wait split into sleeps shorter than a second (a time bomb evading
 * long_sleep): their total by the window's end.  Judged at finish, against
 * the whole run: a poller that shows work is not this. */
static void on_short_sleeps(struct state *st, const struct da_event *ev)
{
	double window = st->host->run->duration_s;
	if (window <= 0 || (double)ev->arg[0] < 0.8 * window || st->n_sleeps >= MAX_SLEEPS ||
	    (ev->phase && strcmp(ev->phase, "setup") == 0))
		return;
	sleep_add(st, ev)->short_sleeps = ev->arg[1] > 0 ? ev->arg[1] : 1;
}

void on_sleep(struct state *st, const struct da_event *ev)
{
	if (ev->syscall && ev->detail && strcmp(ev->detail, "pending") == 0) {
		on_pending_wait(st, ev);
		return;
	}
	if (ev->syscall && ev->detail && strcmp(ev->detail, "short sleeps") == 0) {
		on_short_sleeps(st, ev);
		return;
	}
	/* A timer cut by skip_sleeps fired within the window: the wait it
	 * asked for is judged as a sleep that long (left alone, it is seen
	 * pending at the end instead, tracer_waits.c). */
	bool timer = ev->syscall && ev->detail && strcmp(ev->detail, "timer cut") == 0;
	bool wait_cut = ev->syscall && ev->detail && strcmp(ev->detail, "cut") == 0; /* poll, futex... */
	if (!ev->syscall || (!timer && !wait_cut && strcmp(ev->syscall, "nanosleep") != 0 &&
			     strcmp(ev->syscall, "clock_nanosleep") != 0))
		return;
	bool setup = ev->phase && strcmp(ev->phase, "setup") == 0;
	/* a thread sleeping again woke up from its previous sleep: a loop */
	if (!setup && !timer) {
		if (int_in(st->sleeping_tids, st->n_sleeping, ev->tid))
			note_activity(st, ev->time_s);
		else if (st->n_sleeping < MAX_SLEEPS)
			st->sleeping_tids[st->n_sleeping++] = ev->tid;
	}
	double window = st->host->run->duration_s;
	int64_t wait = ev->arg[0];
	if (wait < 10 || window <= 0 || ev->time_s + (double)wait <= window)
		return;
	if ((double)wait >= window && !setup && st->n_sleeps < MAX_SLEEPS) {
		struct long_sleep *s = sleep_add(st, ev);
		s->cut = timer || (ev->detail && strcmp(ev->detail, "cut") == 0);
		s->timer = timer;
		s->pending = timer ? strdup(ev->syscall) : NULL;
		return;
	}
	report(st, "process.long_sleep", DA_SEV_INFO, ev,
	       "Re-run with a longer target.duration to see what follows the wait.",
	       "Waits %lld s from %.1f s on, past the end of the %.0f s observation window",
	       (long long)wait, ev->time_s, window);
}

void report_long_sleeps(struct state *st)
{
	double window = st->host->run->duration_s;
	for (size_t i = 0; i < st->n_sleeps; i++) {
		const struct long_sleep *s = &st->sleeps[i];
		bool after_work = st->activity_seen && st->first_activity_s <= s->t;
		struct da_event ev = {.struct_size = sizeof(ev), .pid = s->pid, .time_s = s->t,
				      .text = s->text};
		if (s->short_sleeps > 0) {
			/* a poller shows work between its naps; a cut-up wait shows
			 * nothing once the naps began (a line printed first is a
			 * cheap cover) */
			bool idle = !st->activity_seen || st->last_activity_s <= s->t - 0.8 * (double)s->wait;
			if (idle && !st->listening)
				report(st, "process.long_sleep", DA_SEV_MEDIUM, &ev,
				       "Re-run with a longer target.duration to see what it does after the wait.",
				       "Spends %lld s of the %.0f s window asleep in %lld sleeps under a second each, doing nothing observable meanwhile (one long wait, cut up)",
				       (long long)s->wait, window, (long long)s->short_sleeps);
			continue;
		}
		/* A wait at least as long as the whole window hides what comes
		 * after it, whether or not a line was printed first (a cover is
		 * cheap): medium.  A server waits by design, and a shorter
		 * wait (a server's 30 s housekeeping) is information. */
		bool hides = (double)s->wait >= window && !st->listening;
		if (s->timer) {
			report(st, "process.long_sleep", hides ? DA_SEV_MEDIUM : DA_SEV_INFO, &ev,
			       "Find out what the program does when its timer fires.",
			       "Arms a timer with %s for %lld s from %.1f s on, longer than the whole %.0f s observation window%s; the timer was cut short, so what it triggers ran in the window",
			       s->pending, (long long)s->wait, s->t, window,
			       after_work ? "" : ", before doing anything observable");
			continue;
		}
		if (s->pending) {
			report(st, "process.long_sleep", hides ? DA_SEV_MEDIUM : DA_SEV_INFO, &ev,
			       "Re-run with a target.duration longer than the wait to see what it does afterwards.",
			       "Is still waiting for a timer in %s when the %.0f s window closes: it wakes up in %lld s%s",
			       s->pending, window, (long long)s->wait,
			       after_work ? "" : ", and did nothing observable before");
			continue;
		}
		/* cut by skip_sleeps: what followed ran and was judged */
		const char *cut = s->cut ? "; the sleep was cut short, so what follows it ran in the window" : "";
		if (after_work)
			report(st, "process.long_sleep", hides ? DA_SEV_MEDIUM : DA_SEV_INFO, &ev,
			       "Re-run with a target.duration longer than the wait to see the next round.",
			       "Waits %lld s in one call from %.1f s on, after some visible work, longer than the whole %.0f s observation window%s",
			       (long long)s->wait, s->t, window, cut);
		else
			report(st, "process.long_sleep", DA_SEV_MEDIUM, &ev,
			       "Re-run with a target.duration longer than the wait to see what it does afterwards.",
			       "Waits %lld s in one call from %.1f s on, before doing anything observable, longer than the whole %.0f s observation window%s",
			       (long long)s->wait, s->t, window, cut);
	}
}


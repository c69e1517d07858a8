/*
 * bus.c — ordered event delivery, synchronous or through one worker thread.
 * See bus.h.
 *
 * Synchronous by default: every source runs in the one dynaudit thread, so
 * calling subscribers in place keeps time order for free.  A live run (and
 * a strace replay) switches to asynchronous delivery (bus_start_async) so
 * that detectors and writers run on another CPU while the tracer answers
 * the target (or the parser reads on): the
 * queue is FIFO (order kept), bounded, and a full queue makes the
 * publisher wait (an overflowing queue that drops is exactly how a tracer
 * loses events; this one never drops).
 *
 * Two publishers: while asynchronous, the live run's snapshots publish
 * from their own thread (a /proc read of a forking target can block for
 * seconds, and must not block the loop that enforces the window).  The
 * publish lock makes the sequence number, the statistics and the place in
 * the queue one step, so seq order is queue order is delivery order.
 */
#include "engine/bus.h"

#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "engine/event_copy.h"

/* Queue bounds: events, and bytes of their copies (an exec's argv can be
 * 64 KiB).  A publisher waits while either is reached.  Small on purpose:
 * it only smooths the two threads' pace, and whatever it holds at the end
 * of a run is delivered before the report (a fork bomb under ASan filled
 * 8192 slots, and draining them took longer than the grace period). */
#define ASYNC_MAX_EVENTS 1024
#define ASYNC_MAX_BYTES (8u << 20)
/* The worker takes up to this many events per lock. */
#define ASYNC_BATCH 64
/* Delivered copies waiting for the publisher to free them: between two
 * enqueues the worker delivers at most what the ring held plus one batch
 * in flight.  (Should that ever not hold, the worker frees the rest.) */
#define ASYNC_MAX_SPENT (ASYNC_MAX_EVENTS + ASYNC_BATCH)
/* An idle worker first polls for ASYNC_SPIN_NS (events a few microseconds
 * apart never wait), then naps ASYNC_NAP_NS at a time for up to
 * ASYNC_NAPS naps, and only then sleeps until a publisher wakes it.  A
 * publisher thus never pays for a wake-up (a syscall and an inter-CPU
 * interrupt per event, which cost more than the delivery saved) while
 * events keep coming; delivery lags by at most one nap.  The two that
 * wait for the worker, bus_flush and bus_stop_async, ring its doorbell
 * (a futex the nap waits on), so they never wait out a nap: at the end of
 * a run that nap was most of the time the stop took. */
#define ASYNC_SPIN_NS 20000
#define ASYNC_NAP_NS 1000000
#define ASYNC_NAPS 50

struct subscriber {
	uint64_t mask[DA_EVMASK_WORDS];
	bus_handler fn;
	void *ctx;
	int active;
};

/* Distinct pids are counted with a small open-addressing set. */
struct pid_set {
	int32_t *slots;
	size_t cap;
	size_t used;
};

struct async_q {
	pthread_t worker;
	pthread_mutex_t mu;
	pthread_cond_t work;        /* worker: items or stop */
	pthread_cond_t room;        /* publisher: space in the ring */
	pthread_cond_t drained;     /* bus_flush: empty and idle */
	struct da_event **ring;
	size_t *sizes;
	/* Delivered copies, freed by the publisher that allocated them: a
	 * free() in the worker of a chunk from the publisher's malloc arena
	 * takes that arena's lock, and the two threads then queue on it
	 * (a tenth of a replay's time). */
	struct da_event **spent;
	size_t n_spent;
	size_t head, count, bytes;  /* count is also read without the lock while spinning */
	bool busy;                  /* the worker is delivering popped events */
	bool sleeping;              /* the worker waits on work */
	bool stop;
	uint32_t bell;              /* futex: a nap ends when it changes */
};

struct bus {
	struct subscriber *subs;
	size_t n_subs;
	struct bus_stats stats;
	struct pid_set pids;
	struct async_q *q;          /* NULL: synchronous */
	pthread_mutex_t pub_mu;     /* publishers: seq, stats, pids, enqueue */
};

static int pid_set_add(struct pid_set *set, int32_t pid)
{
	if (pid <= 0)
		return 0;
	if ((set->used + 1) * 2 > set->cap) {
		size_t ncap = set->cap ? set->cap * 2 : 256;
		int32_t *ns = calloc(ncap, sizeof(*ns));
		if (!ns)
			return -ENOMEM;
		for (size_t i = 0; i < set->cap; i++) {
			int32_t p = set->slots[i];
			if (!p)
				continue;
			size_t h = ((uint32_t)p * 2654435761u) & (ncap - 1);
			while (ns[h])
				h = (h + 1) & (ncap - 1);
			ns[h] = p;
		}
		free(set->slots);
		set->slots = ns;
		set->cap = ncap;
	}
	size_t h = ((uint32_t)pid * 2654435761u) & (set->cap - 1);
	while (set->slots[h]) {
		if (set->slots[h] == pid)
			return 0;
		h = (h + 1) & (set->cap - 1);
	}
	set->slots[h] = pid;
	set->used++;
	return 1;
}

struct bus *bus_new(void)
{
	struct bus *bus = calloc(1, sizeof(struct bus));
	if (bus)
		pthread_mutex_init(&bus->pub_mu, NULL);
	return bus;
}

void bus_free(struct bus *bus)
{
	if (!bus)
		return;
	bus_stop_async(bus);
	free(bus->subs);
	free(bus->pids.slots);
	pthread_mutex_destroy(&bus->pub_mu);
	free(bus);
}

int bus_subscribe(struct bus *bus, const uint64_t *mask, bus_handler fn, void *ctx)
{
	if (bus->q)
		return -EBUSY; /* the worker reads the subscriber list unlocked */
	struct subscriber *ns = realloc(bus->subs, (bus->n_subs + 1) * sizeof(*ns));
	if (!ns)
		return -ENOMEM;
	bus->subs = ns;
	struct subscriber *s = &bus->subs[bus->n_subs++];
	for (int w = 0; w < DA_EVMASK_WORDS; w++)
		s->mask[w] = mask ? mask[w] : ~(uint64_t)0;
	s->fn = fn;
	s->ctx = ctx;
	s->active = 1;
	return 0;
}

void bus_subscribed_mask(const struct bus *bus, uint64_t mask[DA_EVMASK_WORDS])
{
	for (int w = 0; w < DA_EVMASK_WORDS; w++)
		mask[w] = 0;
	for (size_t i = 0; i < bus->n_subs; i++) {
		/* Writers that take every event (mask all ones) do not make the
		 * tracer stop on everything: they only record what others asked for. */
		int all = 1;
		for (int w = 0; w < DA_EVMASK_WORDS; w++)
			all &= bus->subs[i].mask[w] == ~(uint64_t)0;
		if (all)
			continue;
		for (int w = 0; w < DA_EVMASK_WORDS; w++)
			mask[w] |= bus->subs[i].mask[w];
	}
}

/* Calls the subscribers of ev (in the worker thread when asynchronous). */
static void deliver(struct bus *bus, const struct da_event *ev)
{
	for (size_t i = 0; i < bus->n_subs; i++) {
		struct subscriber *s = &bus->subs[i];
		if (!s->active || ev->kind >= DA_EV_KIND_MAX || !DA_EVMASK_HAS(s->mask, ev->kind))
			continue;
		int rc = s->fn(s->ctx, ev);
		if (rc < 0)
			bus->stats.subscriber_errors++;
		else if (rc == BUS_UNSUBSCRIBE)
			s->active = 0;
	}
}

static void enqueue(struct bus *bus, struct da_event *copy, size_t size)
{
	struct async_q *q = bus->q;
	struct da_event *spent[ASYNC_MAX_SPENT];
	pthread_mutex_lock(&q->mu);
	while (q->count == ASYNC_MAX_EVENTS || (q->count && q->bytes + size > ASYNC_MAX_BYTES))
		pthread_cond_wait(&q->room, &q->mu);
	q->ring[(q->head + q->count) % ASYNC_MAX_EVENTS] = copy;
	q->sizes[(q->head + q->count) % ASYNC_MAX_EVENTS] = size;
	__atomic_store_n(&q->count, q->count + 1, __ATOMIC_RELEASE);
	q->bytes += size;
	if (q->sleeping)
		pthread_cond_signal(&q->work);
	size_t n_spent = q->n_spent;
	memcpy(spent, q->spent, n_spent * sizeof(*spent));
	q->n_spent = 0;
	pthread_mutex_unlock(&q->mu);
	for (size_t i = 0; i < n_spent; i++)
		free(spent[i]);
}

int bus_publish(struct bus *bus, struct da_event *ev)
{
	pthread_mutex_lock(&bus->pub_mu);
	ev->struct_size = sizeof(*ev);
	ev->seq = ++bus->stats.events;
	if (ev->time_s > bus->stats.last_time_s)
		bus->stats.last_time_s = ev->time_s;
	if (pid_set_add(&bus->pids, ev->pid) == 1)
		bus->stats.processes++;
	if (!bus->q) {
		/* Synchronous: one publisher (see bus.h); a subscriber may
		 * publish on another bus, never under this lock. */
		pthread_mutex_unlock(&bus->pub_mu);
		deliver(bus, ev);
		return 0;
	}
	size_t size = 0;
	struct da_event *copy = da_event_clone(ev, &size);
	if (copy) {
		enqueue(bus, copy, size);
		pthread_mutex_unlock(&bus->pub_mu);
		return 0;
	}
	/* Out of memory for the copy: deliver in place, after everything
	 * queued before it (order kept, nothing dropped; the lock keeps the
	 * other publisher out until it is delivered). */
	bus_flush(bus);
	deliver(bus, ev);
	pthread_mutex_unlock(&bus->pub_mu);
	return 0;
}

static double mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* A nap of the idle worker: at most ASYNC_NAP_NS, less when the bell
 * rings.  The bell is read before pending() is checked, so a ring after
 * the check makes FUTEX_WAIT return at once. */
static void nap(struct async_q *q, uint32_t bell)
{
	struct timespec ts = { 0, ASYNC_NAP_NS };
	syscall(SYS_futex, &q->bell, FUTEX_WAIT_PRIVATE, bell, &ts, NULL, 0);
}

/* Wake a napping worker (the caller has changed what pending() reads, or
 * waits for the queue to drain). */
static void ring(struct async_q *q)
{
	__atomic_add_fetch(&q->bell, 1, __ATOMIC_RELEASE);
	syscall(SYS_futex, &q->bell, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

/* Something for the worker, read without the lock while it waits. */
static bool pending(struct async_q *q)
{
	return __atomic_load_n(&q->count, __ATOMIC_ACQUIRE) != 0 ||
	       __atomic_load_n(&q->stop, __ATOMIC_ACQUIRE);
}

static void *worker_main(void *arg)
{
	struct bus *bus = arg;
	struct async_q *q = bus->q;
	struct da_event *batch[ASYNC_BATCH];
	pthread_mutex_lock(&q->mu);
	for (;;) {
		if (q->count == 0) {
			q->busy = false;
			pthread_cond_broadcast(&q->drained);
			if (q->stop)
				break;
			/* Spin, then nap, then sleep (see ASYNC_SPIN_NS). */
			pthread_mutex_unlock(&q->mu);
			double until = mono_ns() + ASYNC_SPIN_NS;
			while (!pending(q) && mono_ns() < until)
				;
			for (int naps = 0; naps < ASYNC_NAPS; naps++) {
				uint32_t bell = __atomic_load_n(&q->bell, __ATOMIC_ACQUIRE);
				if (pending(q))
					break;
				nap(q, bell);
			}
			pthread_mutex_lock(&q->mu);
			while (q->count == 0 && !q->stop) {
				q->sleeping = true;
				pthread_cond_wait(&q->work, &q->mu);
				q->sleeping = false;
			}
			continue;
		}
		size_t n = 0, bytes = 0;
		while (q->count && n < sizeof(batch) / sizeof(batch[0])) {
			batch[n++] = q->ring[q->head];
			bytes += q->sizes[q->head];
			q->head = (q->head + 1) % ASYNC_MAX_EVENTS;
			__atomic_store_n(&q->count, q->count - 1, __ATOMIC_RELEASE);
		}
		q->bytes -= bytes;
		q->busy = true;
		pthread_cond_broadcast(&q->room);
		pthread_mutex_unlock(&q->mu);
		for (size_t i = 0; i < n; i++)
			deliver(bus, batch[i]);
		pthread_mutex_lock(&q->mu);
		for (size_t i = 0; i < n; i++) {
			if (q->n_spent < ASYNC_MAX_SPENT)
				q->spent[q->n_spent++] = batch[i];
			else
				free(batch[i]);
		}
	}
	pthread_mutex_unlock(&q->mu);
	return NULL;
}

/* The queue of a worker that is gone (or never started). */
static void async_q_free(struct async_q *q)
{
	pthread_mutex_destroy(&q->mu);
	pthread_cond_destroy(&q->work);
	pthread_cond_destroy(&q->room);
	pthread_cond_destroy(&q->drained);
	for (size_t i = 0; i < q->n_spent; i++)
		free(q->spent[i]);
	free(q->ring);
	free(q->sizes);
	free(q->spent);
	free(q);
}

int bus_start_async(struct bus *bus)
{
	if (bus->q)
		return 0;
	struct async_q *q = calloc(1, sizeof(*q));
	if (!q)
		return -ENOMEM;
	q->ring = calloc(ASYNC_MAX_EVENTS, sizeof(*q->ring));
	q->sizes = calloc(ASYNC_MAX_EVENTS, sizeof(*q->sizes));
	q->spent = calloc(ASYNC_MAX_SPENT, sizeof(*q->spent));
	if (!q->ring || !q->sizes || !q->spent) {
		free(q->ring);
		free(q->sizes);
		free(q->spent);
		free(q);
		return -ENOMEM;
	}
	pthread_mutex_init(&q->mu, NULL);
	pthread_cond_init(&q->work, NULL);
	pthread_cond_init(&q->room, NULL);
	pthread_cond_init(&q->drained, NULL);
	bus->q = q;
	/* The worker takes no signal: they are the run loop's business. */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	int rc = pthread_create(&q->worker, NULL, worker_main, bus);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		bus->q = NULL;
		async_q_free(q);
		return -rc;
	}
	return 0;
}

void bus_flush(struct bus *bus)
{
	struct async_q *q = bus->q;
	if (!q)
		return;
	pthread_mutex_lock(&q->mu);
	if (q->count || q->busy)
		ring(q);
	while (q->count || q->busy)
		pthread_cond_wait(&q->drained, &q->mu);
	pthread_mutex_unlock(&q->mu);
}

void bus_stop_async(struct bus *bus)
{
	struct async_q *q = bus->q;
	if (!q)
		return;
	pthread_mutex_lock(&q->mu);
	__atomic_store_n(&q->stop, true, __ATOMIC_RELEASE);
	pthread_cond_signal(&q->work);
	pthread_mutex_unlock(&q->mu);
	ring(q);
	pthread_join(q->worker, NULL); /* it delivers everything queued first */
	bus->q = NULL;
	async_q_free(q);
}

void bus_count_lost(struct bus *bus, uint64_t n)
{
	pthread_mutex_lock(&bus->pub_mu);
	bus->stats.events_lost += n;
	pthread_mutex_unlock(&bus->pub_mu);
}

const struct bus_stats *bus_get_stats(const struct bus *bus)
{
	return &bus->stats;
}

void da_event_init(struct da_event *ev, enum da_event_kind kind)
{
	memset(ev, 0, sizeof(*ev));
	ev->struct_size = sizeof(*ev);
	ev->kind = (uint32_t)kind;
	ev->fd = -1;
	ev->target_fd = -1;
}

static const struct {
	uint32_t kind;
	const char *name;
} kind_names[] = {
	{DA_EV_PROC_EXEC, "exec"},
	{DA_EV_PROC_FORK, "fork"},
	{DA_EV_PROC_EXIT, "exit"},
	{DA_EV_PROC_SIGNAL, "signal"},
	{DA_EV_PROC_SESSION, "session"},
	{DA_EV_FILE_OPEN, "open"},
	{DA_EV_FILE_UNLINK, "unlink"},
	{DA_EV_FILE_RENAME, "rename"},
	{DA_EV_FILE_CHMOD, "chmod"},
	{DA_EV_FILE_CHOWN, "chown"},
	{DA_EV_FILE_LINK, "link"},
	{DA_EV_FILE_MMAP_EXEC, "mmap_exec"},
	{DA_EV_FILE_MKDIR, "mkdir"},
	{DA_EV_FILE_CHDIR, "chdir"},
	{DA_EV_FILE_WRITE, "write"},
	{DA_EV_FILE_MEMFD, "memfd"},
	{DA_EV_FILE_STAT, "stat"},
	{DA_EV_NET_SOCKET, "socket"},
	{DA_EV_NET_CONNECT, "connect"},
	{DA_EV_NET_BIND, "bind"},
	{DA_EV_NET_LISTEN, "listen"},
	{DA_EV_NET_ACCEPT, "accept"},
	{DA_EV_NET_SEND, "send"},
	{DA_EV_NET_RECV, "recv"},
	{DA_EV_PRIV_ID, "priv_id"},
	{DA_EV_PRIV_CAP, "priv_cap"},
	{DA_EV_PRIV_NS, "priv_ns"},
	{DA_EV_PRIV_MOUNT, "priv_mount"},
	{DA_EV_PRIV_PTRACE, "priv_ptrace"},
	{DA_EV_PRIV_KERNEL, "priv_kernel"},
	{DA_EV_OUTPUT, "output"},
	{DA_EV_TARGET_EXIT, "target_exit"},
	{DA_EV_FS_MONITOR, "fs_monitor"},
	{DA_EV_PROC_SNAPSHOT, "proc_snapshot"},
	{DA_EV_SOCK_SNAPSHOT, "sock_snapshot"},
	{DA_EV_SYSCALL_OTHER, "syscall"},
};

const char *da_event_kind_name(uint32_t kind)
{
	for (size_t i = 0; i < sizeof(kind_names) / sizeof(kind_names[0]); i++)
		if (kind_names[i].kind == kind)
			return kind_names[i].name;
	return NULL;
}

uint32_t da_event_kind_from_name(const char *name)
{
	if (!name)
		return DA_EV_NONE;
	for (size_t i = 0; i < sizeof(kind_names) / sizeof(kind_names[0]); i++)
		if (strcmp(kind_names[i].name, name) == 0)
			return kind_names[i].kind;
	return DA_EV_NONE;
}

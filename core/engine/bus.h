/*
 * bus.h — the event bus: every source publishes here; subscribers (detector
 * plugins, the events.jsonl and trace.log writers, statistics) receive each
 * event they subscribed to, in publication order.
 *
 * Sources run in one thread (the live run multiplexes tracer, monitors and
 * output capture in one poll loop; replay reads one file), so publication
 * order is time order.  The one exception: while delivery is asynchronous
 * a second thread may publish too (the live run's process snapshots);
 * bus_publish() and bus_count_lost() are serialised, and events are
 * delivered in the order of their seq.  bus_publish() never drops: a subscriber that fails
 * is counted (bus_stats.subscriber_errors) and reported by its owner; the
 * event still reaches every other subscriber.
 *
 * Delivery is synchronous (subscribers run inside bus_publish) unless
 * bus_start_async() was called: then one worker thread calls every
 * subscriber, in the same order, from a bounded queue; a full queue makes
 * bus_publish() wait.  Subscribers are thus only ever called from one
 * thread at a time.  The live run uses it so that detectors and writers
 * do not stand between the tracer and the traced program; a strace
 * replay, so that they run beside the parser (two CPUs for one log).
 *
 * Ownership: bus_publish() does not keep the event or anything it points
 * to (asynchronous delivery queues a private copy); subscribers copy what
 * they keep.
 */
#ifndef DYNAUDIT_BUS_H
#define DYNAUDIT_BUS_H

#include <stdint.h>

#include "dynaudit/event.h"

struct bus;

/* Called for each subscribed event.  Returns 0, or negative to report a
 * failure of this subscriber (it keeps receiving events unless it
 * unsubscribes itself by returning BUS_UNSUBSCRIBE). */
typedef int (*bus_handler)(void *ctx, const struct da_event *ev);
#define BUS_UNSUBSCRIBE 1

struct bus_stats {
	uint64_t events;            /* published */
	uint64_t events_lost;       /* events a source knows it could not publish */
	uint64_t subscriber_errors; /* handler calls that returned < 0 */
	uint64_t processes;         /* distinct pids seen in events */
	double last_time_s;         /* time of the latest event */
};

struct bus *bus_new(void);
void bus_free(struct bus *bus);

/* mask: DA_EVMASK_WORDS words of DA_EVMASK bits; NULL = every kind. */
int bus_subscribe(struct bus *bus, const uint64_t *mask, bus_handler fn, void *ctx);

/* The union of all subscriptions (what the tracer must stop on). */
void bus_subscribed_mask(const struct bus *bus, uint64_t mask[DA_EVMASK_WORDS]);

/* Publish ev: fills ev->seq and ev->struct_size, then calls subscribers.
 * Returns 0 (subscriber errors are counted, not returned). */
int bus_publish(struct bus *bus, struct da_event *ev);

/* Asynchronous delivery from now on (see above); subscribe first: no
 * bus_subscribe() while it runs.  Returns 0 or negative errno (delivery
 * then stays synchronous). */
int bus_start_async(struct bus *bus);
/* Wait until every event published so far was delivered.  No-op when
 * synchronous.  Read what subscribers keep only after this. */
void bus_flush(struct bus *bus);
/* Deliver what is queued, stop the worker; delivery is synchronous again.
 * No-op when synchronous; bus_free() does it too. */
void bus_stop_async(struct bus *bus);

/* A source that had to drop events (e.g. output lines beyond a cap are
 * counted separately, not here; this is for real loss) reports them. */
void bus_count_lost(struct bus *bus, uint64_t n);

const struct bus_stats *bus_get_stats(const struct bus *bus);

/* Initialise an event with fd/target_fd = -1 and everything else zero. */
void da_event_init(struct da_event *ev, enum da_event_kind kind);

/* "exec", "open", ... stable names used in events.jsonl; NULL when unknown. */
const char *da_event_kind_name(uint32_t kind);
/* Reverse of da_event_kind_name; DA_EV_NONE when unknown. */
uint32_t da_event_kind_from_name(const char *name);

#endif /* DYNAUDIT_BUS_H */

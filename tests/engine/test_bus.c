/* The bus: order, masks, unsubscription, statistics. */
#include <criterion/criterion.h>
#include <string.h>

#include "engine/bus.h"

struct seen {
	uint64_t seqs[16];
	uint32_t kinds[16];
	int n;
	int fail_after;
};

static int record(void *ctx, const struct da_event *ev)
{
	struct seen *s = ctx;
	if (s->n < 16) {
		s->seqs[s->n] = ev->seq;
		s->kinds[s->n] = ev->kind;
	}
	s->n++;
	if (s->fail_after && s->n >= s->fail_after)
		return -1;
	return 0;
}

static int once(void *ctx, const struct da_event *ev)
{
	record(ctx, ev);
	return BUS_UNSUBSCRIBE;
}

static void publish(struct bus *b, enum da_event_kind k, int pid, double t)
{
	struct da_event ev;
	da_event_init(&ev, k);
	ev.pid = pid;
	ev.time_s = t;
	bus_publish(b, &ev);
}

Test(bus, delivers_in_order_to_matching_subscribers)
{
	struct bus *b = bus_new();
	struct seen execs = {0}, all = {0};
	uint64_t mask[DA_EVMASK_WORDS] = {0};
	DA_EVMASK_SET(mask, DA_EV_PROC_EXEC);
	DA_EVMASK_SET(mask, DA_EV_OUTPUT); /* kind 70: second word */
	cr_assert_eq(bus_subscribe(b, mask, record, &execs), 0);
	cr_assert_eq(bus_subscribe(b, NULL, record, &all), 0);
	publish(b, DA_EV_PROC_EXEC, 10, 0.1);
	publish(b, DA_EV_FILE_OPEN, 10, 0.2);
	publish(b, DA_EV_OUTPUT, 11, 0.3);
	publish(b, DA_EV_PROC_EXEC, 12, 0.4);
	cr_assert_eq(all.n, 4);
	cr_assert_eq(execs.n, 3);
	cr_assert_eq(execs.kinds[0], DA_EV_PROC_EXEC);
	cr_assert_eq(execs.kinds[1], DA_EV_OUTPUT);
	for (int i = 1; i < all.n; i++)
		cr_assert_gt(all.seqs[i], all.seqs[i - 1], "sequence must grow");
	const struct bus_stats *st = bus_get_stats(b);
	cr_assert_eq(st->events, 4);
	cr_assert_eq(st->processes, 3);
	cr_assert_eq(st->events_lost, 0);
	cr_assert_float_eq(st->last_time_s, 0.4, 1e-9);
	bus_free(b);
}

Test(bus, subscriber_errors_are_counted_not_fatal)
{
	struct bus *b = bus_new();
	struct seen bad = {.fail_after = 1}, good = {0};
	bus_subscribe(b, NULL, record, &bad);
	bus_subscribe(b, NULL, record, &good);
	publish(b, DA_EV_FILE_OPEN, 1, 0);
	publish(b, DA_EV_FILE_OPEN, 1, 0);
	cr_assert_eq(good.n, 2, "a failing subscriber must not starve the others");
	cr_assert_eq(bus_get_stats(b)->subscriber_errors, 2);
	bus_free(b);
}

Test(bus, unsubscribe_stops_delivery)
{
	struct bus *b = bus_new();
	struct seen s = {0};
	bus_subscribe(b, NULL, once, &s);
	publish(b, DA_EV_FILE_OPEN, 1, 0);
	publish(b, DA_EV_FILE_OPEN, 1, 0);
	cr_assert_eq(s.n, 1);
	bus_free(b);
}

Test(bus, subscribed_mask_ignores_catch_all_writers)
{
	struct bus *b = bus_new();
	struct seen s = {0};
	uint64_t mask[DA_EVMASK_WORDS] = {0}, got[DA_EVMASK_WORDS];
	DA_EVMASK_SET(mask, DA_EV_NET_CONNECT);
	bus_subscribe(b, NULL, record, &s);      /* events.jsonl writer */
	bus_subscribe(b, mask, record, &s);      /* a detector */
	bus_subscribed_mask(b, got);
	cr_assert(DA_EVMASK_HAS(got, DA_EV_NET_CONNECT));
	cr_assert_not(DA_EVMASK_HAS(got, DA_EV_FILE_OPEN),
		      "a catch-all writer must not make the tracer stop on everything");
	bus_free(b);
}

Test(bus, kind_names_round_trip)
{
	int n = 0;
	for (uint32_t k = 0; k < DA_EV_KIND_MAX; k++) {
		const char *name = da_event_kind_name(k);
		if (!name)
			continue;
		cr_assert_eq(da_event_kind_from_name(name), k, "%s", name);
		n++;
	}
	cr_assert_geq(n, 36);
	cr_assert_eq(da_event_kind_from_name("nonsense"), DA_EV_NONE);
	cr_assert_eq(da_event_kind_from_name(NULL), DA_EV_NONE);
}

/*
 * timeline.c — see timeline.h.
 */
#include "engine/timeline.h"

#define FIRST_BUCKET_S 0.001 /* 1 ms: a run that crashes at once still shows its steps */

enum tl_class timeline_class(uint32_t kind)
{
	if (kind == DA_EV_PROC_SNAPSHOT || kind == DA_EV_SOCK_SNAPSHOT)
		return TL_N;
	if ((kind >= DA_EV_PROC_EXEC && kind <= DA_EV_PROC_SESSION) || kind == DA_EV_TARGET_EXIT)
		return TL_PROCESS;
	if ((kind >= DA_EV_FILE_OPEN && kind <= DA_EV_FILE_STAT) || kind == DA_EV_FS_MONITOR)
		return TL_FILE;
	if (kind >= DA_EV_NET_SOCKET && kind <= DA_EV_NET_RECV)
		return TL_NETWORK;
	if (kind >= DA_EV_PRIV_ID && kind <= DA_EV_PRIV_KERNEL)
		return TL_PRIVILEGE;
	if (kind == DA_EV_OUTPUT)
		return TL_OUTPUT;
	return TL_OTHER;
}

/* Halve the resolution: bucket 2i and 2i+1 become bucket i. */
static void coarsen(struct timeline_rec *tl)
{
	for (int c = 0; c < TL_N; c++) {
		for (size_t i = 0; i < TIMELINE_BUCKETS / 2; i++)
			tl->count[c][i] = tl->count[c][2 * i] + tl->count[c][2 * i + 1];
		for (size_t i = TIMELINE_BUCKETS / 2; i < TIMELINE_BUCKETS; i++)
			tl->count[c][i] = 0;
	}
	tl->bucket_s *= 2;
	tl->n_buckets = (tl->n_buckets + 1) / 2;
}

void timeline_add(struct timeline_rec *tl, double t, enum tl_class cls)
{
	if (cls >= TL_N)
		return;
	if (!(t > 0))
		t = 0; /* also NaN */
	if (tl->bucket_s <= 0)
		tl->bucket_s = FIRST_BUCKET_S;
	while (t >= tl->bucket_s * TIMELINE_BUCKETS && tl->bucket_s < 1e12)
		coarsen(tl);
	size_t i = (size_t)(t / tl->bucket_s);
	if (i >= TIMELINE_BUCKETS)
		i = TIMELINE_BUCKETS - 1;
	tl->count[cls][i]++;
	if (i + 1 > tl->n_buckets)
		tl->n_buckets = i + 1;
	tl->total++;
}

static int on_event(void *ctx, const struct da_event *ev)
{
	timeline_add(ctx, ev->time_s, timeline_class(ev->kind));
	return 0;
}

int timeline_subscribe(struct bus *bus, struct timeline_rec *tl)
{
	return bus_subscribe(bus, NULL, on_event, tl);
}

/*
 * timeline.h — how many events of each kind happened when: the counts
 * behind report.html's timeline, kept in report_input.timeline.
 *
 * Bounded whatever the audit's length: TIMELINE_BUCKETS equal buckets from
 * time 0; when an event falls past the last one, the bucket width doubles
 * and neighbouring buckets merge, so memory is fixed and no event is
 * dropped (only its time gets coarser, to at worst 1/128 of the span).
 */
#ifndef DYNAUDIT_TIMELINE_H
#define DYNAUDIT_TIMELINE_H

#include "engine/bus.h"
#include "engine/report.h"

/* Count every event of bus into tl (which must outlive the bus).
 * Returns 0 or a negative errno from bus_subscribe. */
int timeline_subscribe(struct bus *bus, struct timeline_rec *tl);
/* One event of class cls at time t (seconds, < 0 counts as 0). */
void timeline_add(struct timeline_rec *tl, double t, enum tl_class cls);
/* The class an event kind is drawn in; TL_N for kinds not drawn
 * (the monitors' periodic snapshots). */
enum tl_class timeline_class(uint32_t kind);

#endif /* DYNAUDIT_TIMELINE_H */

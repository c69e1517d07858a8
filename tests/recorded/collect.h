/*
 * collect.h — a bus subscriber for the recorded-input tests: keeps a deep
 * copy of every event (da_event_clone) so tests can look for the ones
 * they expect.
 */
#ifndef DYNAUDIT_TEST_COLLECT_H
#define DYNAUDIT_TEST_COLLECT_H

#include <stddef.h>
#include <stdint.h>

#include "dynaudit/event.h"
#include "engine/bus.h"
#include "recorded/source_strace.h"

struct cev {
	struct da_event ev;     /* its strings point into copy */
	struct da_event *copy;  /* da_event_clone's block (owned) */
};

struct collect {
	struct bus *bus;
	struct cev *v;
	size_t n, cap;
};

/* New bus with the collector subscribed to every kind. */
void collect_init(struct collect *c);
void collect_fini(struct collect *c);
size_t collect_count(const struct collect *c, uint32_t kind);
/* i-th event of kind (0-based), NULL when fewer. */
const struct da_event *collect_nth(const struct collect *c, uint32_t kind, size_t i);
/* First event of kind whose syscall (if sc) and path (if path) match. */
const struct da_event *collect_find(const struct collect *c, uint32_t kind, const char *sc,
				    const char *path);
/* Replay a strace text (written to a temp file) into c.  Returns rc. */
int collect_replay_text(struct collect *c, const char *text, const char *cwd,
			struct strace_replay_result *res);
void collect_dump(const struct collect *c);

#endif

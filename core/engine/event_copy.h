/*
 * event_copy.h — a deep copy of a struct da_event in one allocation.
 *
 * The bus's asynchronous delivery (bus_start_async) queues events whose
 * strings belong to the publisher's stack or buffers: the copy owns every
 * string and the argv array, laid out after the struct, so one free()
 * releases it.
 */
#ifndef DYNAUDIT_EVENT_COPY_H
#define DYNAUDIT_EVENT_COPY_H

#include <stddef.h>

#include "dynaudit/event.h"

/* The copy, or NULL when out of memory; *size gets its size in bytes
 * (may be NULL).  Free with free(). */
struct da_event *da_event_clone(const struct da_event *ev, size_t *size);

#endif /* DYNAUDIT_EVENT_COPY_H */

/*
 * bus.c — synchronous, ordered event delivery.  See bus.h.
 *
 * Why synchronous: every source runs in the one dynaudit thread, so calling
 * subscribers in place keeps time order for free and needs no queue that
 * could overflow (an overflowing queue is exactly how a tracer loses events).
 */
#include "engine/bus.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

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

struct bus {
	struct subscriber *subs;
	size_t n_subs;
	struct bus_stats stats;
	struct pid_set pids;
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
	return calloc(1, sizeof(struct bus));
}

void bus_free(struct bus *bus)
{
	if (!bus)
		return;
	free(bus->subs);
	free(bus->pids.slots);
	free(bus);
}

int bus_subscribe(struct bus *bus, const uint64_t *mask, bus_handler fn, void *ctx)
{
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

int bus_publish(struct bus *bus, struct da_event *ev)
{
	ev->struct_size = sizeof(*ev);
	ev->seq = ++bus->stats.events;
	if (ev->time_s > bus->stats.last_time_s)
		bus->stats.last_time_s = ev->time_s;
	if (pid_set_add(&bus->pids, ev->pid) == 1)
		bus->stats.processes++;
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
	return 0;
}

void bus_count_lost(struct bus *bus, uint64_t n)
{
	bus->stats.events_lost += n;
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

/*
 * collect.c — see collect.h.
 */
#include "collect.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/event_copy.h"
#include "recorded/source_strace.h"

static int on_event(void *ctx, const struct da_event *ev)
{
	struct collect *c = ctx;
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 256;
		c->v = realloc(c->v, c->cap * sizeof(*c->v));
		if (!c->v)
			abort();
	}
	struct cev *e = &c->v[c->n++];
	e->copy = da_event_clone(ev, NULL); /* every string, in one block */
	if (!e->copy)
		abort();
	e->ev = *e->copy;
	return 0;
}

void collect_init(struct collect *c)
{
	memset(c, 0, sizeof(*c));
	c->bus = bus_new();
	bus_subscribe(c->bus, NULL, on_event, c);
}

void collect_fini(struct collect *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->v[i].copy);
	free(c->v);
	bus_free(c->bus);
	memset(c, 0, sizeof(*c));
}

size_t collect_count(const struct collect *c, uint32_t kind)
{
	size_t n = 0;
	for (size_t i = 0; i < c->n; i++)
		n += c->v[i].ev.kind == kind;
	return n;
}

const struct da_event *collect_nth(const struct collect *c, uint32_t kind, size_t k)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].ev.kind == kind && k-- == 0)
			return &c->v[i].ev;
	return NULL;
}

const struct da_event *collect_find(const struct collect *c, uint32_t kind, const char *sc,
				    const char *path)
{
	for (size_t i = 0; i < c->n; i++) {
		const struct da_event *ev = &c->v[i].ev;
		if (ev->kind != kind)
			continue;
		if (sc && (!ev->syscall || strcmp(ev->syscall, sc)))
			continue;
		if (path && (!ev->path || strcmp(ev->path, path)))
			continue;
		return ev;
	}
	return NULL;
}

int collect_replay_text(struct collect *c, const char *text, const char *cwd,
			struct strace_replay_result *res)
{
	char path[] = "/tmp/dynaudit-recorded-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0)
		return -1;
	size_t len = strlen(text);
	if (write(fd, text, len) != (ssize_t)len) {
		close(fd);
		unlink(path);
		return -1;
	}
	close(fd);
	char err[256];
	int rc = source_strace_replay(path, cwd, c->bus, res, err, sizeof(err));
	unlink(path);
	return rc;
}

void collect_dump(const struct collect *c)
{
	for (size_t i = 0; i < c->n; i++) {
		const struct da_event *ev = &c->v[i].ev;
		fprintf(stderr, "%3zu %-12s pid=%d tid=%d ppid=%d sc=%s path=%s path2=%s fd=%d desc=%s addr=%s port=%d detail=%s res=%lld err=%s stdio=[%s,%s,%s]\n",
			i, da_event_kind_name(ev->kind), ev->pid, ev->tid, ev->ppid,
			ev->syscall ? ev->syscall : "-", ev->path ? ev->path : "-",
			ev->path2 ? ev->path2 : "-", ev->fd, ev->fd_desc ? ev->fd_desc : "-",
			ev->addr ? ev->addr : "-", ev->port, ev->detail ? ev->detail : "-",
			(long long)ev->result, ev->errname ? ev->errname : "-",
			ev->stdio[0] ? ev->stdio[0] : "-", ev->stdio[1] ? ev->stdio[1] : "-",
			ev->stdio[2] ? ev->stdio[2] : "-");
	}
}

/*
 * fdtab.c — copy-on-write fd tables with a dense low part and a sparse
 * high part.  See fdtab.h.
 *
 * The store's sparse part is an open-addressing hash (linear probing,
 * backward-shift deletion: no tombstones) of open fds >= FDTAB_DENSE; its
 * slots hold fd -1 when empty.
 */
#include "common/fdtab.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct fdstore {
	int refs;             /* fdtabs using this store */
	struct fd_entry *dense;
	size_t n_dense;       /* slots allocated (<= FDTAB_DENSE) */
	struct fd_entry *sparse;
	size_t cap_sparse;    /* power of two, or 0 */
	size_t n_sparse;
	int limit;            /* one past the highest fd held */
};

struct fdtab {
	int refs;             /* holders: threads, CLONE_FILES children */
	bool marks_stale;     /* a fork copy not yet written: the store's marks are the parent's */
	struct fdstore *store;
};

static void entry_reset(struct fd_entry *e, int fd)
{
	memset(e, 0, sizeof(*e));
	e->fd = fd;
	e->origin = -1;
}

static void entry_clear(struct fd_entry *e)
{
	free(e->desc);
	entry_reset(e, e->fd);
}

/* ---- stores ------------------------------------------------------------ */

static void store_free(struct fdstore *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n_dense; i++)
		free(s->dense[i].desc);
	for (size_t i = 0; i < s->cap_sparse; i++)
		if (s->sparse[i].fd >= 0)
			free(s->sparse[i].desc);
	free(s->dense);
	free(s->sparse);
	free(s);
}

static bool entry_dup(struct fd_entry *dst, const struct fd_entry *src, bool keep_marks)
{
	*dst = *src;
	if (!keep_marks)
		dst->marks = 0;
	if (src->desc && !(dst->desc = strdup(src->desc)))
		return false;
	return true;
}

/* A private copy of s: O(slots of the dense part + open high fds). */
static struct fdstore *store_clone(const struct fdstore *s, bool keep_marks)
{
	struct fdstore *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->refs = 1;
	c->limit = s->limit;
	if (s->n_dense) {
		c->dense = calloc(s->n_dense, sizeof(*c->dense));
		if (!c->dense)
			goto fail;
		c->n_dense = s->n_dense;
		for (size_t i = 0; i < s->n_dense; i++)
			if (!entry_dup(&c->dense[i], &s->dense[i], keep_marks))
				goto fail;
	}
	if (s->cap_sparse) {
		c->sparse = malloc(s->cap_sparse * sizeof(*c->sparse));
		if (!c->sparse)
			goto fail;
		c->cap_sparse = s->cap_sparse;
		for (size_t i = 0; i < s->cap_sparse; i++)
			entry_reset(&c->sparse[i], -1);
		for (size_t i = 0; i < s->cap_sparse; i++)
			if (s->sparse[i].fd >= 0 && !entry_dup(&c->sparse[i], &s->sparse[i], keep_marks))
				goto fail;
		c->n_sparse = s->n_sparse;
	}
	return c;
fail:
	store_free(c);
	return NULL;
}

static size_t sparse_home(const struct fdstore *s, int fd)
{
	return ((uint32_t)fd * 2654435761u) & (s->cap_sparse - 1);
}

static struct fd_entry *sparse_find(const struct fdstore *s, int fd)
{
	if (!s->cap_sparse)
		return NULL;
	for (size_t i = sparse_home(s, fd); s->sparse[i].fd >= 0; i = (i + 1) & (s->cap_sparse - 1))
		if (s->sparse[i].fd == fd)
			return &s->sparse[i];
	return NULL;
}

static bool sparse_grow(struct fdstore *s)
{
	size_t nc = s->cap_sparse ? s->cap_sparse * 2 : 16;
	struct fd_entry *nv = malloc(nc * sizeof(*nv));
	if (!nv)
		return false;
	for (size_t i = 0; i < nc; i++)
		entry_reset(&nv[i], -1);
	struct fd_entry *old = s->sparse;
	size_t oc = s->cap_sparse;
	s->sparse = nv;
	s->cap_sparse = nc;
	for (size_t i = 0; i < oc; i++) {
		if (old[i].fd < 0)
			continue;
		size_t j = sparse_home(s, old[i].fd);
		while (nv[j].fd >= 0)
			j = (j + 1) & (nc - 1);
		nv[j] = old[i];
	}
	free(old);
	return true;
}

static struct fd_entry *sparse_insert(struct fdstore *s, int fd)
{
	struct fd_entry *e = sparse_find(s, fd);
	if (e)
		return e;
	if (s->n_sparse >= FDTAB_SPARSE_MAX)
		return NULL;
	if ((s->n_sparse + 1) * 2 > s->cap_sparse && !sparse_grow(s))
		return NULL;
	size_t i = sparse_home(s, fd);
	while (s->sparse[i].fd >= 0)
		i = (i + 1) & (s->cap_sparse - 1);
	entry_reset(&s->sparse[i], fd);
	s->n_sparse++;
	return &s->sparse[i];
}

static void sparse_remove(struct fdstore *s, struct fd_entry *e)
{
	size_t hole = (size_t)(e - s->sparse), mask = s->cap_sparse - 1;
	free(e->desc);
	entry_reset(e, -1);
	s->n_sparse--;
	for (size_t j = (hole + 1) & mask; s->sparse[j].fd >= 0; j = (j + 1) & mask) {
		size_t home = sparse_home(s, s->sparse[j].fd);
		/* stays when its home lies cyclically in (hole, j] */
		bool stays = hole < j ? (home > hole && home <= j) : (home > hole || home <= j);
		if (stays)
			continue;
		s->sparse[hole] = s->sparse[j];
		entry_reset(&s->sparse[j], -1);
		hole = j;
	}
}

static const struct fd_entry *store_get(const struct fdstore *s, int fd)
{
	if (fd < 0)
		return NULL;
	if (fd < FDTAB_DENSE)
		return (size_t)fd < s->n_dense ? &s->dense[fd] : NULL;
	return sparse_find(s, fd);
}

static struct fd_entry *store_slot(struct fdstore *s, int fd)
{
	if (fd >= FDTAB_DENSE) {
		struct fd_entry *e = sparse_insert(s, fd);
		if (e && fd >= s->limit)
			s->limit = fd + 1;
		return e;
	}
	if ((size_t)fd >= s->n_dense) {
		size_t nn = s->n_dense ? s->n_dense : 16;
		while (nn <= (size_t)fd)
			nn *= 2;
		struct fd_entry *nv = realloc(s->dense, nn * sizeof(*nv));
		if (!nv)
			return NULL;
		for (size_t i = s->n_dense; i < nn; i++)
			entry_reset(&nv[i], (int)i);
		s->dense = nv;
		s->n_dense = nn;
	}
	if (fd >= s->limit)
		s->limit = fd + 1;
	return &s->dense[fd];
}

/* ---- tables ------------------------------------------------------------ */

struct fdtab *fdtab_new(void)
{
	struct fdtab *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->store = calloc(1, sizeof(*t->store));
	if (!t->store) {
		free(t);
		return NULL;
	}
	t->refs = 1;
	t->store->refs = 1;
	return t;
}

struct fdtab *fdtab_ref(struct fdtab *t)
{
	if (t)
		t->refs++;
	return t;
}

void fdtab_unref(struct fdtab *t)
{
	if (!t || --t->refs > 0)
		return;
	if (--t->store->refs == 0)
		store_free(t->store);
	free(t);
}

struct fdtab *fdtab_copy(struct fdtab *t, bool keep_marks)
{
	if (!t)
		return fdtab_new();
	struct fdtab *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->refs = 1;
	c->store = t->store;
	c->store->refs++;
	c->marks_stale = !keep_marks || t->marks_stale;
	return c;
}

bool fdtab_shared(const struct fdtab *t)
{
	return t && t->refs > 1;
}

/* Before a change: a store of t's own, with t's marks (not a parent's). */
static bool make_private(struct fdtab *t)
{
	struct fdstore *s = t->store;
	if (s->refs > 1) {
		struct fdstore *c = store_clone(s, !t->marks_stale);
		if (!c)
			return false;
		s->refs--;
		t->store = c;
	} else if (t->marks_stale) {
		for (size_t i = 0; i < s->n_dense; i++)
			s->dense[i].marks = 0;
		for (size_t i = 0; i < s->cap_sparse; i++)
			s->sparse[i].marks = 0;
	}
	t->marks_stale = false;
	return true;
}

const struct fd_entry *fdtab_get(const struct fdtab *t, int fd)
{
	const struct fd_entry *e = t ? store_get(t->store, fd) : NULL;
	return e && e->open ? e : NULL;
}

struct fd_entry *fdtab_edit(struct fdtab *t, int fd)
{
	if (!t || fd < 0 || fd >= FDTAB_LIMIT || !make_private(t))
		return NULL;
	return store_slot(t->store, fd);
}

void fdtab_close(struct fdtab *t, int fd)
{
	if (!t || !fdtab_get(t, fd) || !make_private(t))
		return;
	struct fdstore *s = t->store;
	if (fd < FDTAB_DENSE) {
		entry_clear(&s->dense[fd]);
		return;
	}
	struct fd_entry *e = sparse_find(s, fd);
	if (e)
		sparse_remove(s, e);
}

void fdtab_close_range(struct fdtab *t, int lo, int hi, bool cloexec)
{
	if (!t || lo < 0 || hi < lo || !make_private(t))
		return;
	struct fdstore *s = t->store;
	for (size_t i = (size_t)lo; i < s->n_dense && i <= (size_t)hi; i++) {
		if (!s->dense[i].open)
			continue;
		if (cloexec)
			s->dense[i].cloexec = 1;
		else
			entry_clear(&s->dense[i]);
	}
	/* A removal may shift a later entry into slot i: look at i again. */
	for (size_t i = 0; i < s->cap_sparse;) {
		struct fd_entry *e = &s->sparse[i];
		if (e->fd >= lo && e->fd <= hi && e->open) {
			if (cloexec) {
				e->cloexec = 1;
			} else {
				sparse_remove(s, e);
				continue;
			}
		}
		i++;
	}
}

void fdtab_drop_cloexec(struct fdtab *t)
{
	if (!t || !make_private(t))
		return;
	struct fdstore *s = t->store;
	for (size_t i = 0; i < s->n_dense; i++)
		if (s->dense[i].open && s->dense[i].cloexec)
			entry_clear(&s->dense[i]);
	for (size_t i = 0; i < s->cap_sparse;) {
		struct fd_entry *e = &s->sparse[i];
		if (e->fd >= 0 && e->open && e->cloexec) {
			sparse_remove(s, e);
			continue;
		}
		i++;
	}
}

int fdtab_limit(const struct fdtab *t)
{
	return t ? t->store->limit : 0;
}

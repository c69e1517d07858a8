/*
 * procstate.c — per-process bookkeeping for the syscall decoders: parent,
 * cwd and fd table, with the kernel's sharing rules.  See procstate.h and
 * procstate_stdio.h.
 *
 * Layout: processes (threads included, keyed by tid) live in a chained hash
 * that doubles as they multiply, so a lookup stays O(1) with 80k children.
 * A process points at a reference-counted fd table (fdtab.h) and a
 * reference-counted fs record (cwd), so CLONE_FILES / CLONE_FS children
 * share them and fork copies them (the fd table copy-on-write).  Learned symlinks live in their own hash so resolving a path
 * costs a lookup per path component, however many links were learned.
 *
 * Out of memory: the bookkeeping degrades (an fd stays unknown, a path is
 * not followed) instead of failing the audit; nothing here can crash on it.
 */
#include "common/procstate.h"
#include "common/procstate_stdio.h"
#include "common/fdtab.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROC_BUCKETS_MIN 1024 /* the process hash doubles past one process per bucket */
#define LINK_BUCKETS 256
#define SYMLINK_HOPS 40      /* the kernel's MAXSYMLINKS */
#define RESOLVE_MAX 8192

struct fsinfo {
	int refs;
	char *cwd;
};

struct proc {
	int pid;              /* tid */
	int tgid;
	int ppid;
	struct fdtab *fds;
	struct fsinfo *fs;
	struct proc *next;
};

struct symlink {
	char *linkpath;
	char *target;
	struct symlink *next;
};

struct procstate {
	char *initial_cwd;
	struct proc **procs;
	size_t n_buckets;     /* power of two */
	size_t nprocs;
	struct symlink *links[LINK_BUCKETS];
	size_t nlinks;
};

static size_t pid_bucket(const struct procstate *ps, int pid)
{
	return ((uint32_t)pid * 2654435761u) & (ps->n_buckets - 1);
}

static uint32_t str_hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

/* ---- fd tables and fs records --------------------------------------- */

static struct fsinfo *fs_new(const char *cwd)
{
	struct fsinfo *f = calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	f->refs = 1;
	f->cwd = strdup(cwd ? cwd : "/");
	return f;
}

static void fs_unref(struct fsinfo *f)
{
	if (!f || --f->refs > 0)
		return;
	free(f->cwd);
	free(f);
}

/* ---- processes ------------------------------------------------------ */

static struct proc *proc_find(const struct procstate *ps, int pid)
{
	for (struct proc *p = ps->procs[pid_bucket(ps, pid)]; p; p = p->next)
		if (p->pid == pid)
			return p;
	return NULL;
}

/* Keep chains short (80k live children): double the buckets at load 1. */
static void proc_rehash(struct procstate *ps)
{
	size_t nb = ps->n_buckets * 2;
	struct proc **nv = calloc(nb, sizeof(*nv));
	if (!nv)
		return; /* longer chains, still correct */
	struct proc **old = ps->procs;
	size_t ob = ps->n_buckets;
	ps->procs = nv;
	ps->n_buckets = nb;
	for (size_t b = 0; b < ob; b++) {
		struct proc *p = old[b];
		while (p) {
			struct proc *next = p->next;
			size_t nbk = pid_bucket(ps, p->pid);
			p->next = nv[nbk];
			nv[nbk] = p;
			p = next;
		}
	}
	free(old);
}

static struct proc *proc_insert(struct procstate *ps, int pid)
{
	if (ps->nprocs >= ps->n_buckets)
		proc_rehash(ps);
	struct proc *p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->pid = pid;
	p->tgid = pid;
	size_t b = pid_bucket(ps, pid);
	p->next = ps->procs[b];
	ps->procs[b] = p;
	ps->nprocs++;
	return p;
}

static void proc_release(struct proc *p)
{
	fdtab_unref(p->fds);
	fs_unref(p->fs);
	free(p);
}

/* The process, created on demand: initial cwd, fds 0-2 "unknown". */
static struct proc *proc_get(struct procstate *ps, int pid)
{
	struct proc *p = proc_find(ps, pid);
	if (p)
		return p;
	p = proc_insert(ps, pid);
	if (!p)
		return NULL;
	p->fds = fdtab_new();
	p->fs = fs_new(ps->initial_cwd);
	for (int fd = 0; fd < 3; fd++) {
		struct fd_entry *e = fdtab_edit(p->fds, fd);
		if (e) {
			e->open = 1;
			e->desc = strdup("unknown");
		}
	}
	return p;
}

struct procstate *procstate_new(const char *initial_cwd)
{
	struct procstate *ps = calloc(1, sizeof(*ps));
	if (!ps)
		return NULL;
	ps->initial_cwd = strdup(initial_cwd && initial_cwd[0] == '/' ? initial_cwd : "/");
	if (!ps->initial_cwd) {
		free(ps);
		return NULL;
	}
	path_normalize(ps->initial_cwd);
	ps->n_buckets = PROC_BUCKETS_MIN;
	ps->procs = calloc(ps->n_buckets, sizeof(*ps->procs));
	if (!ps->procs) {
		free(ps->initial_cwd);
		free(ps);
		return NULL;
	}
	return ps;
}

void procstate_free(struct procstate *ps)
{
	if (!ps)
		return;
	for (size_t b = 0; b < ps->n_buckets; b++) {
		struct proc *p = ps->procs[b];
		while (p) {
			struct proc *next = p->next;
			proc_release(p);
			p = next;
		}
	}
	for (size_t b = 0; b < LINK_BUCKETS; b++) {
		struct symlink *l = ps->links[b];
		while (l) {
			struct symlink *next = l->next;
			free(l->linkpath);
			free(l->target);
			free(l);
			l = next;
		}
	}
	free(ps->initial_cwd);
	free(ps->procs);
	free(ps);
}

void procstate_fork(struct procstate *ps, int parent, int child, bool thread, bool share_files,
		    bool share_fs)
{
	struct proc *pp = proc_get(ps, parent);
	if (!pp || child <= 0 || child == parent)
		return;
	/* A pid can be reused after its exit: the new process replaces it. */
	procstate_exit(ps, child);
	struct proc *c = proc_insert(ps, child);
	if (!c)
		return;
	if (thread) {
		c->tgid = pp->tgid;
		c->ppid = pp->ppid;
	} else {
		c->tgid = child;
		c->ppid = pp->tgid;
	}
	/* fork: copy-on-write, O(1) whatever fds the parent holds */
	c->fds = thread || share_files ? fdtab_ref(pp->fds) : fdtab_copy(pp->fds, false);
	if (thread || share_fs) {
		c->fs = pp->fs;
		pp->fs->refs++;
	} else {
		c->fs = fs_new(pp->fs ? pp->fs->cwd : ps->initial_cwd);
	}
}

void procstate_exec(struct procstate *ps, int pid)
{
	struct proc *p = proc_get(ps, pid);
	if (!p || !p->fds)
		return;
	/* exec un-shares a table shared by CLONE_FILES (marks belong to the
	 * same process: kept), then drops CLOEXEC fds. */
	if (fdtab_shared(p->fds)) {
		struct fdtab *copy = fdtab_copy(p->fds, true);
		if (!copy)
			return;
		fdtab_unref(p->fds);
		p->fds = copy;
	}
	fdtab_drop_cloexec(p->fds);
}

void procstate_exit(struct procstate *ps, int pid)
{
	struct proc **pp = &ps->procs[pid_bucket(ps, pid)];
	while (*pp) {
		if ((*pp)->pid == pid) {
			struct proc *dead = *pp;
			*pp = dead->next;
			proc_release(dead);
			ps->nprocs--;
			return;
		}
		pp = &(*pp)->next;
	}
}

int procstate_ppid(const struct procstate *ps, int pid)
{
	const struct proc *p = proc_find(ps, pid);
	return p ? p->ppid : 0;
}

bool procstate_known(const struct procstate *ps, int pid)
{
	return proc_find(ps, pid) != NULL;
}

int procstate_tgid(const struct procstate *ps, int tid)
{
	const struct proc *p = proc_find(ps, tid);
	return p ? p->tgid : tid;
}

int procstate_fd_limit(const struct procstate *ps, int pid)
{
	const struct proc *p = proc_find(ps, pid);
	return p ? fdtab_limit(p->fds) : 0;
}

size_t procstate_count(const struct procstate *ps)
{
	return ps->nprocs;
}

/* ---- fd table ------------------------------------------------------- */

/* Open fd as desc (a copy; desc NULL: "unknown"), replacing what it was. */
static struct fd_entry *fd_open(struct proc *p, int fd, const char *desc, bool cloexec)
{
	char *copy = strdup(desc ? desc : "unknown");
	struct fd_entry *e = copy ? fdtab_edit(p->fds, fd) : NULL;
	if (!e) {
		free(copy);
		return NULL;
	}
	free(e->desc);
	e->desc = copy;
	e->open = 1;
	e->cloexec = cloexec;
	e->origin = -1;
	e->marks = 0;
	return e;
}

void procstate_fd_set(struct procstate *ps, int pid, int fd, const char *desc, bool cloexec)
{
	struct proc *p = proc_get(ps, pid);
	if (p)
		fd_open(p, fd, desc, cloexec);
}

const char *procstate_fd_get(const struct procstate *ps, int pid, int fd)
{
	const struct proc *p = proc_find(ps, pid);
	const struct fd_entry *e = p ? fdtab_get(p->fds, fd) : NULL;
	if (!e)
		return NULL;
	return e->desc ? e->desc : "unknown";
}

void procstate_fd_close(struct procstate *ps, int pid, int fd)
{
	struct proc *p = proc_get(ps, pid);
	if (p)
		fdtab_close(p->fds, fd);
}

void procstate_fd_close_range(struct procstate *ps, int pid, int lo, int hi, bool cloexec)
{
	struct proc *p = proc_get(ps, pid);
	if (p)
		fdtab_close_range(p->fds, lo, hi, cloexec);
}

void procstate_fd_dup(struct procstate *ps, int pid, int oldfd, int newfd, bool cloexec)
{
	struct proc *p = proc_get(ps, pid);
	if (!p || oldfd == newfd)
		return;
	const struct fd_entry *old = fdtab_get(p->fds, oldfd);
	/* Read before fd_open() may move or copy the entries. */
	int origin = old ? old->origin : -1;
	char *desc = strdup(old && old->desc ? old->desc : "unknown");
	if (!desc)
		return;
	struct fd_entry *e = fd_open(p, newfd, desc, cloexec);
	free(desc);
	if (e)
		e->origin = (signed char)origin;
}

void procstate_fd_set_cloexec(struct procstate *ps, int pid, int fd, bool cloexec)
{
	struct proc *p = proc_get(ps, pid);
	if (!p || !fdtab_get(p->fds, fd))
		return;
	struct fd_entry *e = fdtab_edit(p->fds, fd);
	if (e)
		e->cloexec = cloexec;
}

void procstate_set_original_stdio(struct procstate *ps, int pid, const char *desc)
{
	struct proc *p = proc_get(ps, pid);
	if (!p)
		return;
	for (int fd = 0; fd < 3; fd++) {
		struct fd_entry *e = fd_open(p, fd, desc, false);
		if (e)
			e->origin = (signed char)fd;
	}
}

int procstate_fd_origin(const struct procstate *ps, int pid, int fd)
{
	const struct proc *p = proc_find(ps, pid);
	const struct fd_entry *e = p ? fdtab_get(p->fds, fd) : NULL;
	return e ? e->origin : -1;
}

void procstate_fd_refine(struct procstate *ps, int pid, int fd, const char *desc)
{
	struct proc *p = proc_get(ps, pid);
	if (!p || !desc)
		return;
	const struct fd_entry *cur = fdtab_get(p->fds, fd);
	if (!cur) {
		fd_open(p, fd, desc, false);
		return;
	}
	if (cur->desc && strcmp(cur->desc, desc) == 0)
		return;
	char *copy = strdup(desc);
	struct fd_entry *e = copy ? fdtab_edit(p->fds, fd) : NULL;
	if (!e) {
		free(copy);
		return;
	}
	free(e->desc);
	e->desc = copy;
}

unsigned procstate_fd_mark(struct procstate *ps, int pid, int fd, unsigned bits)
{
	struct proc *p = proc_find(ps, pid);
	if (!p || !fdtab_get(p->fds, fd))
		return 0;
	struct fd_entry *e = fdtab_edit(p->fds, fd);
	if (!e)
		return 0;
	unsigned before = e->marks;
	e->marks |= bits;
	return before;
}

/* ---- cwd ------------------------------------------------------------ */

void procstate_chdir(struct procstate *ps, int pid, const char *abs_path)
{
	struct proc *p = proc_get(ps, pid);
	if (!p || !p->fs || !abs_path || abs_path[0] != '/')
		return;
	char *copy = strdup(abs_path);
	if (!copy)
		return;
	path_normalize(copy);
	free(p->fs->cwd);
	p->fs->cwd = copy;
}

const char *procstate_cwd(const struct procstate *ps, int pid)
{
	const struct proc *p = proc_find(ps, pid);
	if (p && p->fs && p->fs->cwd)
		return p->fs->cwd;
	return ps->initial_cwd;
}

/* ---- paths ---------------------------------------------------------- */

char *path_normalize(char *path)
{
	if (!path || path[0] != '/')
		return path;
	char *out = path; /* write cursor; always <= read cursor */
	const char *in = path;
	size_t w = 0;
	while (*in) {
		while (*in == '/')
			in++;
		if (!*in)
			break;
		const char *end = in;
		while (*end && *end != '/')
			end++;
		size_t n = (size_t)(end - in);
		if (n == 1 && in[0] == '.') {
			/* nothing */
		} else if (n == 2 && in[0] == '.' && in[1] == '.') {
			while (w > 0 && out[w - 1] != '/')
				w--;
			if (w > 0)
				w--; /* drop the '/' too; "/.." stays "/" */
		} else {
			out[w++] = '/';
			memmove(out + w, in, n);
			w += n;
		}
		in = end;
	}
	if (w == 0)
		out[w++] = '/';
	out[w] = '\0';
	return path;
}

static const char *symlink_lookup(const struct procstate *ps, const char *path, size_t n)
{
	for (const struct symlink *l = ps->links[str_hash(path, n) % LINK_BUCKETS]; l; l = l->next)
		if (strlen(l->linkpath) == n && memcmp(l->linkpath, path, n) == 0)
			return l->target;
	return NULL;
}

void procstate_add_symlink(struct procstate *ps, const char *linkpath, const char *target)
{
	if (!linkpath || linkpath[0] != '/' || !target || !target[0])
		return;
	char *lp = strdup(linkpath);
	if (!lp)
		return;
	path_normalize(lp);
	size_t b = str_hash(lp, strlen(lp)) % LINK_BUCKETS;
	for (struct symlink *l = ps->links[b]; l; l = l->next) {
		if (strcmp(l->linkpath, lp) == 0) {
			char *t = strdup(target);
			if (t) {
				free(l->target);
				l->target = t;
			}
			free(lp);
			return;
		}
	}
	struct symlink *l = calloc(1, sizeof(*l));
	if (!l || !(l->target = strdup(target))) {
		free(l);
		free(lp);
		return;
	}
	l->linkpath = lp;
	l->next = ps->links[b];
	ps->links[b] = l;
	ps->nlinks++;
}

/* Follow learned symlinks in the normalized absolute path work[] (capacity
 * RESOLVE_MAX).  Returns 0, or -1 when a rewrite does not fit. */
static int follow_symlinks(const struct procstate *ps, char *work)
{
	char next[RESOLVE_MAX];
	int hops = 0;
restart:
	for (size_t i = 1;; i++) {
		if (work[i] != '/' && work[i] != '\0')
			continue;
		const char *target = symlink_lookup(ps, work, i);
		if (target) {
			if (++hops > SYMLINK_HOPS)
				return 0; /* ELOOP: keep the path as it stands */
			size_t dir = i;
			while (dir > 0 && work[dir - 1] != '/')
				dir--;
			int n;
			if (target[0] == '/')
				n = snprintf(next, sizeof(next), "%s%s", target, work + i);
			else
				n = snprintf(next, sizeof(next), "%.*s%s%s", (int)dir, work, target,
					     work + i);
			if (n < 0 || (size_t)n >= sizeof(next))
				return -1;
			path_normalize(next);
			memcpy(work, next, strlen(next) + 1);
			goto restart;
		}
		if (work[i] == '\0')
			break;
	}
	return 0;
}

/* A run of digits ending at '/' or the end: its value (>= 0), or -1. */
static long digits_field(const char *s, const char **end)
{
	long v = 0;
	size_t n = 0;
	while (s[n] >= '0' && s[n] <= '9' && n < 9)
		v = v * 10 + (s[n++] - '0');
	if (n == 0 || (s[n] != '/' && s[n] != '\0'))
		return -1;
	*end = s + n;
	return v;
}

enum path_magic path_magic_parse(const char *path, int *pid, int *fd, const char **rest)
{
	const char *p;
	*pid = 0;
	*fd = -1;
	if (strncmp(path, "/dev/fd/", 8) == 0) {
		long v = digits_field(path + 8, &p);
		if (v < 0)
			return MAGIC_NONE;
		*fd = (int)v;
		*rest = p;
		return MAGIC_FD;
	}
	if (strncmp(path, "/proc/", 6) != 0)
		return MAGIC_NONE;
	p = path + 6;
	if (strncmp(p, "self/", 5) == 0) {
		p += 5;
	} else if (strncmp(p, "thread-self/", 12) == 0) {
		p += 12;
	} else {
		long v = digits_field(p, &p);
		if (v <= 0 || *p != '/')
			return MAGIC_NONE;
		*pid = (int)v;
		p++;
	}
	if (strncmp(p, "task/", 5) == 0) { /* the thread's view is the process's */
		const char *q;
		if (digits_field(p + 5, &q) < 0 || *q != '/')
			return MAGIC_NONE;
		p = q + 1;
	}
	if (strncmp(p, "root", 4) == 0 && (p[4] == '/' || p[4] == '\0')) {
		*rest = p + 4;
		return MAGIC_ROOT;
	}
	if (strncmp(p, "cwd", 3) == 0 && (p[3] == '/' || p[3] == '\0')) {
		*rest = p + 3;
		return MAGIC_CWD;
	}
	if (strncmp(p, "fd/", 3) == 0) {
		long v = digits_field(p + 3, &p);
		if (v < 0)
			return MAGIC_NONE;
		*fd = (int)v;
		*rest = p;
		return MAGIC_FD;
	}
	return MAGIC_NONE;
}

/* Follow a magic link at the start of the normalized path work (see
 * path_magic_parse) with what procstate knows: the cwd and fd table of
 * the process.  Leaves work alone when the link leads to something that
 * is not a path (a pipe, a socket) or to an unknown process. */
static void follow_magic(const struct procstate *ps, int pid, char *work, size_t size)
{
	int who, fd;
	const char *rest;
	enum path_magic m = path_magic_parse(work, &who, &fd, &rest);
	if (m == MAGIC_NONE)
		return;
	const char *base = NULL;
	int owner = who ? who : pid;
	if (m == MAGIC_ROOT)
		base = ""; /* every process of a run shares one root */
	else if (m == MAGIC_CWD)
		base = procstate_cwd(ps, owner);
	else
		base = procstate_fd_get(ps, owner, fd);
	if (!base || (m != MAGIC_ROOT && base[0] != '/'))
		return;
	char tmp[RESOLVE_MAX];
	int n = snprintf(tmp, sizeof(tmp), "%s%s", base, rest);
	if (n < 0 || (size_t)n >= sizeof(tmp) || (size_t)n >= size)
		return;
	memcpy(work, tmp, (size_t)n + 1);
	if (!work[0])
		snprintf(work, size, "/");
	path_normalize(work);
}

char *procstate_resolve(const struct procstate *ps, int pid, int dirfd, const char *path,
			char *buf, size_t len)
{
	char work[RESOLVE_MAX];
	const char *base = NULL;
	if (!path)
		path = "";
	if (path[0] != '/') {
		if (dirfd == -100) {
			base = procstate_cwd(ps, pid);
		} else {
			const char *desc = procstate_fd_get(ps, pid, dirfd);
			/* An fd we cannot place resolves like the cwd would: the best
			 * guess, and never a crash. */
			base = desc && desc[0] == '/' ? desc : procstate_cwd(ps, pid);
		}
	}
	int n;
	if (!base)
		n = snprintf(work, sizeof(work), "%s", path);
	else if (!path[0])
		n = snprintf(work, sizeof(work), "%s", base);
	else
		n = snprintf(work, sizeof(work), "%s/%s", base, path);
	if (n < 0 || (size_t)n >= sizeof(work))
		return NULL;
	path_normalize(work);
	follow_magic(ps, pid, work, sizeof(work));
	if (ps->nlinks && follow_symlinks(ps, work) < 0)
		return NULL;
	size_t wl = strlen(work);
	if (wl + 1 > len)
		return NULL;
	memcpy(buf, work, wl + 1);
	return buf;
}

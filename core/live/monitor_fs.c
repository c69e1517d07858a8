/*
 * monitor_fs.c — recursive inotify watcher.  See monitor_fs.h.
 *
 * Watches are kept in an array indexed by watch descriptor: the kernel
 * hands out small increasing numbers, so lookups on every event are O(1).
 *
 * The trees watched are the target's: it picks every name below a root
 * and can swap a directory for a symlink to the host's / between two of
 * our system calls.  So nothing here resolves a host path string below a
 * root.  Each root is held open as a directory fd; a watch remembers its
 * path relative to its root, and a directory is opened with fsb_open_dir()
 * (openat2 RESOLVE_BENEATH, no symlinks, no mount crossing) from the root
 * or from its parent's fd, then watched through /proc/self/fd/N of that
 * verified fd and listed with fdopendir.  A swapped-in symlink is refused
 * (counted in watches_refused), never followed.
 */
#include "live/monitor_fs.h"
#include "live/fs_beneath.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

/* What the target does to files; IN_OPEN/IN_ACCESS would drown the rest.
 * No IN_DONT_FOLLOW: the path given is /proc/self/fd/N, a link to the
 * directory fd we verified, and must be followed to it. */
#define WATCH_MASK (IN_CREATE | IN_MODIFY | IN_CLOSE_WRITE | IN_DELETE | IN_MOVED_FROM | \
		    IN_MOVED_TO | IN_ATTRIB | IN_ONLYDIR | IN_EXCL_UNLINK)

#define MONITOR_FS_MAX_ROOTS 8

struct watch {
	char *rel;   /* path below its root ("." for the root); NULL: slot unused */
	char *view;
	int root;    /* index in roots[] */
	int depth;
};

struct root {
	int fd;      /* the root directory, opened once by add_root */
};

struct monitor_fs {
	struct bus *bus;
	double (*clock)(void *ctx);
	void *clock_ctx;
	int fd;
	struct root roots[MONITOR_FS_MAX_ROOTS];
	size_t n_roots;
	struct watch *watches; /* indexed by wd */
	size_t n_watches;      /* slots */
	struct monitor_fs_stats stats;
	/* last MODIFY published, to fold a stream of writes into one event */
	int last_modify_wd;
	char last_modify_name[NAME_MAX + 1];
};

const char *monitor_fs_event_names(uint32_t mask, char *buf, size_t len)
{
	/* inotifywait's order (inotifytools_event_to_str). */
	static const struct { uint32_t bit; const char *name; } names[] = {
		{ IN_ACCESS, "ACCESS" }, { IN_MODIFY, "MODIFY" }, { IN_ATTRIB, "ATTRIB" },
		{ IN_CLOSE_WRITE, "CLOSE_WRITE" }, { IN_CLOSE_NOWRITE, "CLOSE_NOWRITE" },
		{ IN_OPEN, "OPEN" }, { IN_MOVED_FROM, "MOVED_FROM" }, { IN_MOVED_TO, "MOVED_TO" },
		{ IN_CREATE, "CREATE" }, { IN_DELETE, "DELETE" }, { IN_DELETE_SELF, "DELETE_SELF" },
		{ IN_UNMOUNT, "UNMOUNT" }, { IN_Q_OVERFLOW, "Q_OVERFLOW" }, { IN_IGNORED, "IGNORED" },
		{ IN_CLOSE, "CLOSE" }, { IN_MOVE_SELF, "MOVE_SELF" }, { IN_ISDIR, "ISDIR" },
	};
	size_t used = 0;

	if (len == 0)
		return buf;
	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!(mask & names[i].bit))
			continue;
		int n = snprintf(buf + used, len - used, "%s%s", used ? "," : "", names[i].name);
		if (n < 0 || (size_t)n >= len - used)
			break;
		used += (size_t)n;
	}
	return buf;
}

static double now(const struct monitor_fs *m)
{
	return m->clock ? m->clock(m->clock_ctx) : 0.0;
}

static void publish(struct monitor_fs *m, const struct watch *w, const char *name, uint32_t mask)
{
	char names[128], path[PATH_MAX], text[PATH_MAX + 160];
	struct da_event ev;

	monitor_fs_event_names(mask, names, sizeof(names));
	if (name && name[0])
		snprintf(path, sizeof(path), "%s%s%s", w->view,
			 w->view[strlen(w->view) - 1] == '/' ? "" : "/", name);
	else
		snprintf(path, sizeof(path), "%s", w->view);
	snprintf(text, sizeof(text), "%s%s %s %s", w->view,
		 w->view[strlen(w->view) - 1] == '/' ? "" : "/", names, name ? name : "");
	/* A file name may hold a newline: the one-line text must not. */
	for (char *c = text; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = '?';
	da_event_init(&ev, DA_EV_FS_MONITOR);
	ev.time_s = now(m);
	ev.path = path;
	ev.detail = names;
	ev.text = text;
	bus_publish(m->bus, &ev);
	m->stats.events++;
}

static void watch_clear(struct watch *w)
{
	free(w->rel);
	free(w->view);
	w->rel = w->view = NULL;
}

/* Watch the directory open as dfd (verified by the caller to lie below
 * its root); returns the wd or -1 (counted as refused). */
static int add_watch(struct monitor_fs *m, int dfd, int root, const char *rel, const char *view,
		     int depth)
{
	char self[64];

	if (m->stats.watches >= MONITOR_FS_MAX_WATCHES || depth > MONITOR_FS_MAX_DEPTH) {
		m->stats.watches_refused++;
		return -1;
	}
	snprintf(self, sizeof self, "/proc/self/fd/%d", dfd);
	int wd = inotify_add_watch(m->fd, self, WATCH_MASK);
	if (wd < 0) {
		m->stats.watches_refused++;
		return -1;
	}
	if ((size_t)wd >= m->n_watches) {
		size_t n = m->n_watches ? m->n_watches : 64;
		while (n <= (size_t)wd)
			n *= 2;
		struct watch *grown = realloc(m->watches, n * sizeof(*grown));
		if (!grown) {
			inotify_rm_watch(m->fd, wd);
			m->stats.watches_refused++;
			return -1;
		}
		memset(grown + m->n_watches, 0, (n - m->n_watches) * sizeof(*grown));
		m->watches = grown;
		m->n_watches = n;
	}
	struct watch *w = &m->watches[wd];
	if (w->rel) {
		/* The same directory again (a rename brought it back): refresh. */
		watch_clear(w);
		m->stats.watches--;
	}
	w->rel = strdup(rel);
	w->view = strdup(view);
	w->root = root;
	w->depth = depth;
	if (!w->rel || !w->view) {
		watch_clear(w);
		inotify_rm_watch(m->fd, wd);
		m->stats.watches_refused++;
		return -1;
	}
	m->stats.watches++;
	return wd;
}

static int join(char *out, size_t len, const char *dir, const char *name)
{
	int n = !strcmp(dir, ".") ? snprintf(out, len, "%s", name) :
				    snprintf(out, len, "%s%s%s", dir,
					     dir[strlen(dir) - 1] == '/' ? "" : "/", name);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

/* Watch the directory open as dfd (owned: closed here) and the
 * directories below it, each opened from its parent's fd.  When report is
 * set, publish a CREATE for every entry found: they appeared before their
 * directory was watched, and would otherwise go unseen. */
static void add_tree(struct monitor_fs *m, int dfd, int root, const char *rel, const char *view,
		     int depth, bool report)
{
	int wd = add_watch(m, dfd, root, rel, view, depth);
	if (wd < 0) {
		close(dfd);
		return;
	}
	DIR *dir = fdopendir(dfd);
	if (!dir) {
		close(dfd);
		return;
	}
	struct dirent *de;
	while ((de = readdir(dir)) != NULL) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		bool is_dir = de->d_type == DT_DIR;
		if (de->d_type == DT_UNKNOWN) {
			struct stat st;
			is_dir = fstatat(dirfd(dir), de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
				 S_ISDIR(st.st_mode);
		}
		if (report) {
			/* Re-fetch the slot: add_tree below may have moved the array. */
			publish(m, &m->watches[wd], de->d_name, IN_CREATE | (is_dir ? IN_ISDIR : 0));
		}
		if (!is_dir)
			continue;
		char sub_rel[PATH_MAX], sub_view[PATH_MAX];
		if (join(sub_rel, sizeof sub_rel, rel, de->d_name) < 0 ||
		    join(sub_view, sizeof sub_view, view, de->d_name) < 0) {
			m->stats.watches_refused++;
			continue;
		}
		/* From this directory's fd, one name: whatever the target
		 * swapped in since readdir, it is not followed. */
		int sub = fsb_open_dir(dirfd(dir), de->d_name);
		if (sub < 0) {
			m->stats.watches_refused++;
			continue;
		}
		add_tree(m, sub, root, sub_rel, sub_view, depth + 1, report);
	}
	closedir(dir);
}

int monitor_fs_new(struct monitor_fs **out, struct bus *bus, double (*clock)(void *ctx),
		   void *clock_ctx, char *err, size_t errlen)
{
	struct monitor_fs *m = calloc(1, sizeof(*m));

	*out = NULL;
	if (!m) {
		snprintf(err, errlen, "fs monitor: out of memory");
		return -ENOMEM;
	}
	m->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (m->fd < 0) {
		int e = errno;
		snprintf(err, errlen, "fs monitor: inotify_init1: %s", strerror(e));
		free(m);
		return -e;
	}
	m->bus = bus;
	m->clock = clock;
	m->clock_ctx = clock_ctx;
	m->last_modify_wd = -1;
	*out = m;
	return 0;
}

int monitor_fs_add_root(struct monitor_fs *m, const char *host_dir, const char *view_dir,
			char *err, size_t errlen)
{
	struct stat st;

	if (!view_dir || !view_dir[0]) {
		snprintf(err, errlen, "fs monitor: %s: empty view path", host_dir);
		return -EINVAL;
	}
	if (m->n_roots >= MONITOR_FS_MAX_ROOTS) {
		snprintf(err, errlen, "fs monitor: %s: more than %d roots", host_dir, MONITOR_FS_MAX_ROOTS);
		return -ENOSPC;
	}
	/* The root itself is dynaudit's own path (made by sandbox_prepare);
	 * O_NOFOLLOW still refuses a last component that is a link. */
	int fd = open(host_dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		int e = errno;
		snprintf(err, errlen, "fs monitor: %s: %s", host_dir, strerror(e));
		if (fd >= 0)
			close(fd);
		return -e;
	}
	int walk = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	if (walk < 0) {
		int e = errno;
		snprintf(err, errlen, "fs monitor: %s: %s", host_dir, strerror(e));
		close(fd);
		return -e;
	}
	int root = (int)m->n_roots++;
	m->roots[root].fd = fd;
	uint64_t before = m->stats.watches;
	add_tree(m, walk, root, ".", view_dir, 0, false);
	if (m->stats.watches == before) {
		snprintf(err, errlen, "fs monitor: cannot watch %s", host_dir);
		return -ENOSPC;
	}
	return 0;
}

int monitor_fs_fd(const struct monitor_fs *m)
{
	return m->fd;
}

static void handle(struct monitor_fs *m, const struct inotify_event *ie)
{
	if (ie->mask & IN_Q_OVERFLOW) {
		/* The kernel dropped events; how many is unknowable. */
		m->stats.overflows++;
		bus_count_lost(m->bus, 1);
		return;
	}
	if (ie->wd < 0 || (size_t)ie->wd >= m->n_watches || !m->watches[ie->wd].rel)
		return;
	if (ie->mask & IN_IGNORED) {
		watch_clear(&m->watches[ie->wd]);
		m->stats.watches--;
		if (m->last_modify_wd == ie->wd)
			m->last_modify_wd = -1;
		return;
	}
	const char *name = ie->len ? ie->name : "";
	uint32_t shown = ie->mask & ~(uint32_t)(IN_UNMOUNT);
	if (shown == IN_MODIFY && m->last_modify_wd == ie->wd &&
	    !strcmp(m->last_modify_name, name)) {
		m->stats.modify_merged++;
		return;
	}
	if (shown == IN_MODIFY) {
		m->last_modify_wd = ie->wd;
		snprintf(m->last_modify_name, sizeof(m->last_modify_name), "%s", name);
	} else {
		m->last_modify_wd = -1;
	}
	publish(m, &m->watches[ie->wd], name, shown);

	if ((ie->mask & IN_ISDIR) && (ie->mask & (IN_CREATE | IN_MOVED_TO)) && name[0]) {
		const struct watch *w = &m->watches[ie->wd];
		char sub_rel[PATH_MAX], sub_view[PATH_MAX];
		if (join(sub_rel, sizeof sub_rel, w->rel, name) < 0 ||
		    join(sub_view, sizeof sub_view, w->view, name) < 0) {
			m->stats.watches_refused++;
			return;
		}
		/* Below the root's fd, never by host path: the target may
		 * have swapped the new directory (or one above it) for a
		 * symlink since the event. */
		int sub = fsb_open_dir(m->roots[w->root].fd, sub_rel);
		if (sub < 0) {
			m->stats.watches_refused++;
			return;
		}
		add_tree(m, sub, w->root, sub_rel, sub_view, w->depth + 1, true);
	}
}

int monitor_fs_read(struct monitor_fs *m)
{
	/* Aligned as struct inotify_event requires. */
	char buf[64 * 1024] __attribute__((aligned(__alignof__(struct inotify_event))));
	uint64_t before = m->stats.events;

	/* Bounded: a target producing events as fast as they are read must
	 * not keep the run loop from the tracer; poll() brings us back. */
	for (int rounds = 0; rounds < 16; rounds++) {
		ssize_t n = read(m->fd, buf, sizeof(buf));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			return -errno;
		}
		if (n == 0)
			break;
		for (char *p = buf; p < buf + n;) {
			const struct inotify_event *ie = (const struct inotify_event *)(void *)p;
			if ((size_t)(buf + n - p) < sizeof(*ie) ||
			    (size_t)(buf + n - p) < sizeof(*ie) + ie->len)
				break;
			handle(m, ie);
			p += sizeof(*ie) + ie->len;
		}
	}
	return (int)(m->stats.events - before);
}

const struct monitor_fs_stats *monitor_fs_get_stats(const struct monitor_fs *m)
{
	return &m->stats;
}

void monitor_fs_stop(struct monitor_fs *m)
{
	if (!m || m->fd < 0)
		return;
	for (size_t wd = 0; wd < m->n_watches; wd++)
		if (m->watches[wd].rel) {
			inotify_rm_watch(m->fd, (int)wd);
			watch_clear(&m->watches[wd]);
		}
}

int monitor_fs_release_fd(struct monitor_fs *m)
{
	if (!m)
		return -1;
	monitor_fs_stop(m);
	int fd = m->fd;
	m->fd = -1;
	return fd;
}

void monitor_fs_free(struct monitor_fs *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n_watches; i++)
		watch_clear(&m->watches[i]);
	free(m->watches);
	for (size_t i = 0; i < m->n_roots; i++)
		close(m->roots[i].fd);
	if (m->fd >= 0)
		close(m->fd);
	free(m);
}

/*
 * monitor_fs.c — recursive inotify watcher.  See monitor_fs.h.
 *
 * Watches are kept in an array indexed by watch descriptor: the kernel
 * hands out small increasing numbers, so lookups on every event are O(1).
 */
#include "live/monitor_fs.h"

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

/* What the target does to files; IN_OPEN/IN_ACCESS would drown the rest. */
#define WATCH_MASK (IN_CREATE | IN_MODIFY | IN_CLOSE_WRITE | IN_DELETE | IN_MOVED_FROM | \
		    IN_MOVED_TO | IN_ATTRIB | IN_ONLYDIR | IN_DONT_FOLLOW | IN_EXCL_UNLINK)

struct watch {
	char *host;  /* NULL: slot unused */
	char *view;
	int depth;
};

struct monitor_fs {
	struct bus *bus;
	double (*clock)(void *ctx);
	void *clock_ctx;
	int fd;
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
	free(w->host);
	free(w->view);
	w->host = w->view = NULL;
}

/* Watch one directory; returns the wd or -1 (counted as refused). */
static int add_watch(struct monitor_fs *m, const char *host, const char *view, int depth)
{
	if (m->stats.watches >= MONITOR_FS_MAX_WATCHES || depth > MONITOR_FS_MAX_DEPTH) {
		m->stats.watches_refused++;
		return -1;
	}
	int wd = inotify_add_watch(m->fd, host, WATCH_MASK);
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
	if (w->host) {
		/* The same directory again (a rename brought it back): refresh. */
		watch_clear(w);
		m->stats.watches--;
	}
	w->host = strdup(host);
	w->view = strdup(view);
	w->depth = depth;
	if (!w->host || !w->view) {
		watch_clear(w);
		inotify_rm_watch(m->fd, wd);
		m->stats.watches_refused++;
		return -1;
	}
	m->stats.watches++;
	return wd;
}

/* Watch host and the directories below it.  When report is set, publish a
 * CREATE for every entry found: they appeared before their directory was
 * watched, and would otherwise go unseen. */
static void add_tree(struct monitor_fs *m, const char *host, const char *view, int depth,
		     bool report)
{
	int wd = add_watch(m, host, view, depth);
	if (wd < 0)
		return;
	DIR *dir = opendir(host);
	if (!dir)
		return;
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
		char sub_host[PATH_MAX], sub_view[PATH_MAX];
		int a = snprintf(sub_host, sizeof(sub_host), "%s/%s", host, de->d_name);
		int b = snprintf(sub_view, sizeof(sub_view), "%s/%s", view, de->d_name);
		if (a < 0 || (size_t)a >= sizeof(sub_host) || b < 0 || (size_t)b >= sizeof(sub_view)) {
			m->stats.watches_refused++;
			continue;
		}
		add_tree(m, sub_host, sub_view, depth + 1, report);
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
	errno = 0;
	if (stat(host_dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		int e = errno ? errno : ENOTDIR;
		snprintf(err, errlen, "fs monitor: %s: %s", host_dir, strerror(e));
		return -e;
	}
	uint64_t before = m->stats.watches;
	add_tree(m, host_dir, view_dir, 0, false);
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
	if (ie->wd < 0 || (size_t)ie->wd >= m->n_watches || !m->watches[ie->wd].host)
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
		char sub_host[PATH_MAX], sub_view[PATH_MAX];
		int a = snprintf(sub_host, sizeof(sub_host), "%s/%s", w->host, name);
		int b = snprintf(sub_view, sizeof(sub_view), "%s/%s", w->view, name);
		if (a < 0 || (size_t)a >= sizeof(sub_host) || b < 0 || (size_t)b >= sizeof(sub_view)) {
			m->stats.watches_refused++;
			return;
		}
		add_tree(m, sub_host, sub_view, w->depth + 1, true);
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
		if (m->watches[wd].host) {
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
	if (m->fd >= 0)
		close(m->fd);
	free(m);
}

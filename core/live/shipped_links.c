/*
 * shipped_links.c — see shipped_links.h.
 */
#include "live/shipped_links.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "live/fs_beneath.h"

#define MAX_DEPTH 32
#define MAX_ENTRIES 200000 /* the copy's own bound on files is lower */

struct walk {
	struct bus *bus;
	long found, dropped, entries;
};

static void publish_link(struct walk *w, const char *view, const char *target)
{
	w->found++;
	if (w->found > SHIPPED_LINKS_MAX) {
		w->dropped++;
		return;
	}
	char text[PATH_MAX + 64];
	snprintf(text, sizeof(text), "shipped with the submission: %s -> %s", view, target);
	struct da_event ev;
	da_event_init(&ev, DA_EV_FILE_LINK);
	ev.syscall = "symlink";
	ev.path = view;
	ev.raw_path = view;
	ev.path2 = target;
	ev.detail = "symlink";
	ev.phase = "submission";
	ev.text = text;
	ev.time_s = 0;
	bus_publish(w->bus, &ev);
}

static void walk_dir(struct walk *w, int dfd, const char *view, int depth)
{
	int fd = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d) {
		if (fd >= 0)
			close(fd);
		return;
	}
	struct dirent *de;
	while ((de = readdir(d)) != NULL && ++w->entries < MAX_ENTRIES) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		char sub[PATH_MAX];
		if (snprintf(sub, sizeof(sub), "%s/%s", view, de->d_name) >= (int)sizeof(sub))
			continue;
		struct stat st;
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if (S_ISLNK(st.st_mode)) {
			char target[PATH_MAX];
			ssize_t n = readlinkat(dirfd(d), de->d_name, target, sizeof(target) - 1);
			if (n >= 0) {
				target[n] = '\0';
				publish_link(w, sub, target);
			}
		} else if (S_ISDIR(st.st_mode) && depth < MAX_DEPTH) {
			int child = fsb_open_dir(dirfd(d), de->d_name);
			if (child >= 0) {
				walk_dir(w, child, sub, depth + 1);
				close(child);
			}
		}
	}
	closedir(d);
}

long shipped_links_publish(struct bus *bus, const char *workdir_host, const char *workdir_view,
			   long *dropped)
{
	struct walk w = { .bus = bus };
	int root = open(workdir_host, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (root >= 0) {
		walk_dir(&w, root, workdir_view, 0);
		close(root);
	}
	if (dropped)
		*dropped = w.dropped;
	return w.found;
}

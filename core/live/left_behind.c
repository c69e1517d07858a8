/*
 * left_behind.c — list and hash the files the target left in its /tmp and
 * HOME before the scratch is removed (see left_behind.h).
 */
#include "live/left_behind.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/sha256.h"
#include "engine/audit.h"
#include "live/fs_beneath.h"

struct walk {
	struct audit *audit;
	const char *home;              /* HOME as the target sees it */
	const char *const *planted;    /* "~/..." files dynaudit planted, or NULL */
	size_t files, entries;
	double deadline;
	bool cut_files, cut_entries, cut_depth, cut_time;
};

static double mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static bool out_of_bounds(struct walk *w)
{
	if (w->files >= LEFT_BEHIND_MAX_FILES)
		w->cut_files = true;
	else if (w->entries >= LEFT_BEHIND_MAX_ENTRIES)
		w->cut_entries = true;
	else if (mono() > w->deadline)
		w->cut_time = true;
	else
		return false;
	return true;
}

/* Hash the regular file name below dfd; a file that is not regular once
 * opened (swapped in the meantime) is skipped.  The target is dead, but a
 * process it left outside the sandbox cannot exist: still, read at most
 * LEFT_BEHIND_HASH_MAX + 1 bytes and report a file that grew as unhashed. */
/* Did dynaudit plant this file itself (shown: as the target sees it)? */
static bool planted(const struct walk *w, const char *shown)
{
	size_t hl = strlen(w->home);
	if (!w->planted || strncmp(shown, w->home, hl) != 0 || shown[hl] != '/')
		return false;
	for (size_t i = 0; w->planted[i]; i++)
		if (!strncmp(w->planted[i], "~/", 2) && !strcmp(w->planted[i] + 2, shown + hl + 1))
			return true;
	return false;
}

static void record_file(struct walk *w, int dfd, const char *name, const char *shown)
{
	if (planted(w, shown))
		return;
	int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return;
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return;
	}
	char hex[65] = "";
	if ((uint64_t)st.st_size <= LEFT_BEHIND_HASH_MAX) {
		struct sha256 h;
		sha256_init(&h);
		char buf[16384];
		uint64_t got = 0;
		ssize_t r;
		while (got <= LEFT_BEHIND_HASH_MAX && (r = read(fd, buf, sizeof(buf))) > 0) {
			sha256_update(&h, buf, (size_t)r);
			got += (uint64_t)r;
		}
		if (r == 0 && got <= LEFT_BEHIND_HASH_MAX)
			sha256_hex(&h, hex);
	}
	close(fd);
	audit_add_left_behind(w->audit, shown, (uint64_t)st.st_size, hex[0] ? hex : NULL,
			      (st.st_mode & 0111) != 0);
	w->files++;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names of the directory dfd, sorted (report.json is deterministic),
 * at most the entries the walk may still look at. */
static char **list_names(struct walk *w, int dfd, size_t *n)
{
	*n = 0;
	int dup_fd = fcntl(dfd, F_DUPFD_CLOEXEC, 0);
	DIR *d = dup_fd >= 0 ? fdopendir(dup_fd) : NULL;
	if (!d) {
		if (dup_fd >= 0)
			close(dup_fd);
		return NULL;
	}
	char **names = NULL;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (w->entries >= LEFT_BEHIND_MAX_ENTRIES) {
			w->cut_entries = true;
			break;
		}
		w->entries++;
		char **nn = realloc(names, (*n + 1) * sizeof(*nn));
		if (!nn)
			break;
		names = nn;
		if (!(names[*n] = strdup(de->d_name)))
			break;
		(*n)++;
	}
	closedir(d);
	if (names && *n > 1)
		qsort(names, *n, sizeof(*names), cmp_names);
	return names;
}

static void walk_dir(struct walk *w, int dfd, const char *shown, int depth, const char *skip)
{
	size_t n = 0;
	char **names = list_names(w, dfd, &n);
	for (size_t i = 0; i < n; i++) {
		if (w->files >= LEFT_BEHIND_MAX_FILES || mono() > w->deadline) {
			out_of_bounds(w);
			break;
		}
		if (skip && !strcmp(names[i], skip))
			continue;
		char path[PATH_MAX];
		if (snprintf(path, sizeof(path), "%s/%s", shown, names[i]) >= (int)sizeof(path))
			continue;
		struct stat st;
		if (fstatat(dfd, names[i], &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if (S_ISREG(st.st_mode)) {
			record_file(w, dfd, names[i], path);
		} else if (S_ISDIR(st.st_mode)) {
			if (depth + 1 >= LEFT_BEHIND_MAX_DEPTH) {
				w->cut_depth = true;
				continue;
			}
			int sub = fsb_open_dir(dfd, names[i]);
			if (sub >= 0) {
				walk_dir(w, sub, path, depth + 1, NULL);
				close(sub);
			}
		}
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

static void walk_root(struct walk *w, const char *host, const char *shown, const char *skip)
{
	if (!host[0])
		return;
	int fd = open(host, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		audit_add_note(w->audit, "left behind: %s not listed: %s", shown, strerror(errno));
		return;
	}
	walk_dir(w, fd, strcmp(shown, "/") ? shown : "", 0, skip);
	close(fd);
}

void left_behind_record(const struct sandbox *sb, struct audit *a, const char *const *planted_files)
{
	const char *home = sb->home ? sb->home : "/home/auditor";
	struct walk w = { .audit = a, .home = home, .planted = planted_files,
			  .deadline = mono() + LEFT_BEHIND_MAX_SECONDS };
	audit_left_behind_listed(a);
	walk_root(&w, sb->tmp_host, "/tmp", NULL);
	/* HOME's "app" is the workdir copy (sandbox.c): the submission's own */
	walk_root(&w, sb->home_host, home, "app");
	if (w.cut_files)
		audit_add_note(a, "left behind: only the first %d files of /tmp and HOME are listed",
			       LEFT_BEHIND_MAX_FILES);
	if (w.cut_entries)
		audit_add_note(a, "left behind: listing stopped after %d directory entries",
			       LEFT_BEHIND_MAX_ENTRIES);
	if (w.cut_depth)
		audit_add_note(a, "left behind: directories deeper than %d levels were not listed",
			       LEFT_BEHIND_MAX_DEPTH);
	if (w.cut_time)
		audit_add_note(a, "left behind: listing stopped after %.0f s", LEFT_BEHIND_MAX_SECONDS);
}

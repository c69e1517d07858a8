/*
 * tree_hash.c — see tree_hash.h.
 */
#include "batch/tree_hash.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/sha256.h"

struct walk {
	struct sha256 sha;
	size_t entries;
	unsigned long long bytes;
	char *err;
	size_t errlen;
};

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void put_record(struct walk *w, const char *rel, char type, long long size)
{
	char head[64];
	int n = snprintf(head, sizeof(head), "%c %lld ", type, size);
	sha256_update(&w->sha, head, (size_t)n);
	sha256_update(&w->sha, rel, strlen(rel) + 1); /* NUL ends the path */
}

static int hash_file(struct walk *w, int dfd, const char *name, const char *rel)
{
	int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		snprintf(w->err, w->errlen, "%s: %s", rel, strerror(errno));
		return -errno;
	}
	char buf[65536];
	ssize_t r;
	while ((r = read(fd, buf, sizeof(buf))) > 0) {
		w->bytes += (unsigned long long)r;
		if (w->bytes > TREE_HASH_MAX_BYTES) {
			close(fd);
			snprintf(w->err, w->errlen, "more than %llu bytes", TREE_HASH_MAX_BYTES);
			return -E2BIG;
		}
		sha256_update(&w->sha, buf, (size_t)r);
	}
	int e = r < 0 ? errno : 0;
	close(fd);
	if (e) {
		snprintf(w->err, w->errlen, "%s: %s", rel, strerror(e));
		return -e;
	}
	return 0;
}

/* Hash the directory open as dfd (consumed) whose relative path is rel. */
static int walk_dir(struct walk *w, int dfd, const char *rel, int depth)
{
	if (depth > TREE_HASH_MAX_DEPTH) {
		close(dfd);
		snprintf(w->err, w->errlen, "deeper than %d levels", TREE_HASH_MAX_DEPTH);
		return -E2BIG;
	}
	DIR *d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		return -errno;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (++w->entries > TREE_HASH_MAX_ENTRIES) {
			snprintf(w->err, w->errlen, "more than %d entries", TREE_HASH_MAX_ENTRIES);
			rc = -E2BIG;
			break;
		}
		if (n == cap) {
			cap = cap ? 2 * cap : 32;
			char **nn = realloc(names, cap * sizeof(*nn));
			if (!nn) {
				rc = -ENOMEM;
				break;
			}
			names = nn;
		}
		if (!(names[n] = strdup(de->d_name))) {
			rc = -ENOMEM;
			break;
		}
		n++;
	}
	if (rc == 0 && n > 1)
		qsort(names, n, sizeof(*names), cmp_names);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		char path[PATH_MAX];
		if (snprintf(path, sizeof(path), "%s%s%s", rel, rel[0] ? "/" : "", names[i]) >=
		    (int)sizeof(path)) {
			snprintf(w->err, w->errlen, "a path longer than %d bytes", PATH_MAX);
			rc = -E2BIG;
			break;
		}
		struct stat st;
		if (fstatat(dirfd(d), names[i], &st, AT_SYMLINK_NOFOLLOW) < 0) {
			rc = -errno;
			snprintf(w->err, w->errlen, "%s: %s", path, strerror(errno));
		} else if (S_ISDIR(st.st_mode)) {
			put_record(w, path, 'd', 0);
			int sub = openat(dirfd(d), names[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			rc = sub < 0 ? -errno : walk_dir(w, sub, path, depth + 1);
		} else if (S_ISREG(st.st_mode)) {
			put_record(w, path, 'f', (long long)st.st_size);
			rc = hash_file(w, dirfd(d), names[i], path);
		} else if (S_ISLNK(st.st_mode)) {
			char target[PATH_MAX];
			ssize_t len = readlinkat(dirfd(d), names[i], target, sizeof(target));
			put_record(w, path, 'l', len < 0 ? -1 : (long long)len);
			if (len > 0)
				sha256_update(&w->sha, target, (size_t)len);
		} else {
			put_record(w, path, 'o', 0);
		}
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	closedir(d);
	return rc;
}

int tree_hash(const char *dir, char hex[65], char *err, size_t errlen)
{
	struct walk w = {.err = err, .errlen = errlen};
	sha256_init(&w.sha);
	sha256_update(&w.sha, "dynaudit-tree/1", 16);
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return -errno;
	}
	int rc = walk_dir(&w, dfd, "", 0);
	sha256_hex(&w.sha, hex);
	return rc;
}

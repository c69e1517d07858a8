/*
 * fs_beneath.c — fd-relative open and removal.  See fs_beneath.h.
 */
#include "live/fs_beneath.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define FSB_MAX_DEPTH 64
/* Each pass removes at least the leaves, so this only bounds a tree that
 * keeps changing under the walk. */
#define FSB_MAX_PASSES 100000

#define DIR_FLAGS (O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)

/* 1 works, 0 unknown, -1 missing (probed by the first call). */
static int have_openat2;

static int open_dir_openat2(int dirfd, const char *rel, int flags)
{
	struct open_how how = {
		.flags = (unsigned long long)flags,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS |
			   RESOLVE_NO_XDEV,
	};
	long fd;
	do
		fd = syscall(SYS_openat2, dirfd, rel, &how, sizeof how);
	while (fd < 0 && (errno == EINTR || errno == EAGAIN));
	return fd < 0 ? -errno : (int)fd;
}

/* The same guarantees without openat2: one component at a time, each
 * opened O_NOFOLLOW|O_DIRECTORY relative to the last, ".." refused (the
 * walk never climbs), and each step on the device it started from. */
static int open_dir_walk(int dirfd, const char *rel, int flags)
{
	struct stat top, st;
	char comp[256];

	if (fstat(dirfd, &top) < 0)
		return -errno;
	int cur = fcntl(dirfd, F_DUPFD_CLOEXEC, 0);
	if (cur < 0)
		return -errno;
	for (const char *p = rel; *p;) {
		size_t len = strcspn(p, "/");
		if (len >= sizeof comp) {
			close(cur);
			return -ENAMETOOLONG;
		}
		memcpy(comp, p, len);
		comp[len] = '\0';
		p += len;
		while (*p == '/')
			p++;
		if (len == 0 || !strcmp(comp, "."))
			continue;
		if (!strcmp(comp, "..")) {
			close(cur);
			return -EXDEV;
		}
		int next = openat(cur, comp, *p ? DIR_FLAGS : flags);
		int e = errno;
		close(cur);
		if (next < 0)
			return -e;
		if (fstat(next, &st) < 0 || st.st_dev != top.st_dev) {
			close(next);
			return -EXDEV;
		}
		cur = next;
	}
	return cur;
}

static int open_beneath(int dirfd, const char *rel, int flags)
{
	if (!rel || !rel[0] || rel[0] == '/')
		return -EINVAL;
	if (have_openat2 >= 0) {
		int fd = open_dir_openat2(dirfd, rel, flags);
		if (fd != -ENOSYS && fd != -E2BIG) {
			have_openat2 = 1;
			return fd;
		}
		have_openat2 = -1;
	}
	return open_dir_walk(dirfd, rel, flags);
}

int fsb_open_dir(int dirfd, const char *rel)
{
	return open_beneath(dirfd, rel, DIR_FLAGS);
}

struct removal {
	int top;          /* the directory being emptied */
	unsigned moved;   /* deep directories moved up to top (name counter) */
	int first_error;
	bool progress;    /* something was removed or moved in this pass */
};

static void note_error(struct removal *rm, int e)
{
	if (!rm->first_error && e != ENOENT)
		rm->first_error = -e;
}

/* Too deep to hold one more descriptor: move the directory up to the
 * top (same filesystem: the walk never leaves a mount) for a later pass. */
static void move_up(struct removal *rm, int fd, const char *name)
{
	char tmp[64];
	for (int tries = 0; tries < 1000; tries++) {
		snprintf(tmp, sizeof tmp, ".dynaudit-deep-%u", rm->moved++);
		if (renameat2(fd, name, rm->top, tmp, RENAME_NOREPLACE) == 0) {
			rm->progress = true;
			return;
		}
		if (errno != EEXIST && errno != ENOTEMPTY) {
			note_error(rm, errno);
			return;
		}
	}
}

/* Open the directory name below fd to empty it.  One the target made
 * unreadable (mode 0) is first given u+rwx: through an O_PATH fd of the
 * verified directory (chmod of /proc/self/fd/N acts on exactly that
 * inode), never by name.  Returns the fd or negative errno. */
static int open_for_removal(int fd, const char *name, const struct stat *st)
{
	int sub = fsb_open_dir(fd, name);
	if (sub != -EACCES)
		return sub;
	int p = open_beneath(fd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (p < 0)
		return p;
	char self[64];
	snprintf(self, sizeof self, "/proc/self/fd/%d", p);
	if (chmod(self, (st->st_mode & 07777) | 0700) < 0) {
		int e = errno;
		close(p);
		return -e;
	}
	sub = fsb_open_dir(p, ".");
	close(p);
	return sub;
}

static void empty_dir(struct removal *rm, int fd, int depth)
{
	/* A fresh open, not a dup: a dup shares the offset, and the next
	 * pass over the top would start at its end. */
	int lfd = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (lfd < 0) {
		note_error(rm, errno);
		return;
	}
	DIR *dir = fdopendir(lfd);
	if (!dir) {
		note_error(rm, errno);
		close(lfd);
		return;
	}
	struct dirent *de;
	while ((de = readdir(dir))) {
		const char *name = de->d_name;
		struct stat st;
		if (!strcmp(name, ".") || !strcmp(name, ".."))
			continue;
		if (fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			note_error(rm, errno);
			continue;
		}
		if (!S_ISDIR(st.st_mode)) {
			/* A link, a file, a hard link to anything: unlinking
			 * the name touches nothing it leads to. */
			if (unlinkat(fd, name, 0) == 0)
				rm->progress = true;
			else
				note_error(rm, errno);
			continue;
		}
		if (depth >= FSB_MAX_DEPTH) {
			move_up(rm, fd, name);
			continue;
		}
		int sub = open_for_removal(fd, name, &st);
		if (sub < 0) {
			/* Swapped for a link since the stat, or a mount: the
			 * next pass sees what it is now. */
			note_error(rm, -sub);
			continue;
		}
		if ((st.st_mode & 0700) != 0700 && fchmod(sub, (st.st_mode & 07777) | 0700) < 0)
			note_error(rm, errno);
		empty_dir(rm, sub, depth + 1);
		close(sub);
		if (unlinkat(fd, name, AT_REMOVEDIR) == 0)
			rm->progress = true;
		else
			note_error(rm, errno);
	}
	closedir(dir);
}

int fsb_remove_below(int dirfd)
{
	struct removal rm = { .top = dirfd };

	/* Passes until one changes nothing: entries moved up from the deep
	 * end, or made while we walked, are picked up by the next. */
	for (int pass = 0; pass < FSB_MAX_PASSES; pass++) {
		rm.progress = false;
		rm.first_error = 0;
		empty_dir(&rm, dirfd, 0);
		if (!rm.progress)
			break;
	}
	return rm.first_error;
}

/*
 * sandbox_scratch.c — the scratch directory's lifetime (parent side):
 * dynaudit's private mount namespace, the scratch dir with its lock, and
 * the removal of what killed audits left.
 *
 * The problem: as root, dynaudit mounts tmpfs for the target's /tmp and
 * HOME.  Mounted in the host's namespace they outlive a SIGKILLed dynaudit
 * (and its scratch dir stays in /tmp for ever).  So:
 *   1. dynaudit moves into a mount namespace of its own (unshare, then
 *      every mount a slave: nothing we mount propagates back to the host,
 *      while what the host mounts later, an automounted output directory,
 *      still reaches us) before it mounts anything: the mounts die with
 *      its last process.  This must
 *      happen while it is single-threaded (unshare(CLONE_NEWNS) implies
 *      CLONE_FS, refused in a threaded process); sandbox_prepare runs
 *      before the bus starts its thread.  When it cannot, the mounts go to
 *      the host namespace as before, and a step says so.
 *   2. The scratch dir holds "lock", flocked for the audit's lifetime (the
 *      sandbox init, a fork of dynaudit, holds the same open file, so the
 *      lock lives as long as anything of the audit does).  It is created
 *      as "lock.new", locked, then renamed: whoever sees "lock" sees it
 *      locked.
 *   3. At each start, a scratch dir named like ours (dynaudit-XXXXXX,
 *      exactly, so test dirs like dynaudit-e2e.* are never touched), owned
 *      by us, whose lock can be taken belongs to a dead audit and is
 *      removed with the fd-relative removal.  One without a lock is
 *      removed only when it holds nothing else and is older than a minute
 *      (an audit killed between mkdtemp and the lock); anything else
 *      without a lock (an older dynaudit's, live or not) is left alone.
 *   4. As root, the scratch dir is itself a small tmpfs, so the mountinfo
 *      the target sees names paths inside it ("/hosts"), not host paths.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "live/sandbox_priv.h"

#define SCRATCH_PREFIX "dynaudit-"
#define SCRATCH_LOCK "lock"
#define SCRATCH_LOCK_NEW "lock.new"
/* An unlocked, otherwise empty scratch dir younger than this may be an
 * audit between mkdtemp and its lock. */
#define SCRATCH_UNLOCKED_GRACE_S 60
#define SCRATCH_REAP_MAX 256

/* 1 entered, -1 could not (reason in ns_note), 0 not tried.  Process-wide:
 * one namespace serves every audit of this process. */
static int own_ns;
static char ns_note[160];

void sb_private_mount_ns(struct sandbox *sb)
{
	if (geteuid() != 0)
		return; /* no mounts of ours in the host namespace */
	if (own_ns == 0) {
		if (unshare(CLONE_NEWNS) < 0) {
			snprintf(ns_note, sizeof ns_note, "host namespace (unshare: %s): a killed "
				 "dynaudit leaves its tmpfs mounted", strerror(errno));
			own_ns = -1;
		} else if (mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0) {
			snprintf(ns_note, sizeof ns_note, "own namespace, but not a slave (%s): mounts "
				 "may propagate to the host", strerror(errno));
			own_ns = -1;
		} else {
			snprintf(ns_note, sizeof ns_note, "in a mount namespace of its own: they die with it");
			own_ns = 1;
		}
	}
	sb_step(sb, "dynaudit mounts", own_ns > 0, "%s", ns_note);
}

static bool scratch_name(const char *n)
{
	size_t pl = strlen(SCRATCH_PREFIX);
	if (strncmp(n, SCRATCH_PREFIX, pl) || strlen(n) != pl + 6)
		return false;
	for (const char *c = n + pl; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9')))
			return false;
	return true;
}

/* Whether dfd holds nothing but (maybe) a half-made lock. */
static bool only_lock_debris(int dfd)
{
	int fd = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return false;
	DIR *d = fdopendir(fd);
	if (!d) {
		close(fd);
		return false;
	}
	bool empty = true;
	struct dirent *de;
	while (empty && (de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..") &&
		    strcmp(de->d_name, SCRATCH_LOCK_NEW))
			empty = false;
	closedir(d);
	return empty;
}

/* Whether the scratch dir name in tmpfd is a dead audit's; *lock_fd gets
 * its lock (held) when it has one. */
static bool scratch_is_dead(int tmpfd, const char *name, int *lock_fd)
{
	struct stat st;
	*lock_fd = -1;
	if (fstatat(tmpfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISDIR(st.st_mode) ||
	    st.st_uid != geteuid())
		return false;
	int dfd = openat(tmpfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0)
		return false;
	bool dead = false;
	int lk = openat(dfd, SCRATCH_LOCK, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (lk >= 0) {
		struct stat ls;
		if (fstat(lk, &ls) == 0 && S_ISREG(ls.st_mode) && flock(lk, LOCK_EX | LOCK_NB) == 0) {
			dead = true;
			*lock_fd = lk;
		} else {
			close(lk);
		}
	} else if (errno == ENOENT && time(NULL) - st.st_mtime > SCRATCH_UNLOCKED_GRACE_S) {
		dead = only_lock_debris(dfd);
	}
	close(dfd);
	return dead;
}

int sb_scratch_reap(const char *tmpdir)
{
	int tmpfd = open(tmpdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (tmpfd < 0)
		return 0;
	int lfd = fcntl(tmpfd, F_DUPFD_CLOEXEC, 0);
	DIR *d = lfd >= 0 ? fdopendir(lfd) : NULL;
	if (!d) {
		if (lfd >= 0)
			close(lfd);
		close(tmpfd);
		return 0;
	}
	int reaped = 0;
	struct dirent *de;
	while (reaped < SCRATCH_REAP_MAX && (de = readdir(d))) {
		int lk;
		char path[PATH_MAX];
		if (!scratch_name(de->d_name) || !scratch_is_dead(tmpfd, de->d_name, &lk))
			continue;
		snprintf(path, sizeof path, "%s/%s", tmpdir, de->d_name);
		/* Under the lock: a second dynaudit starting now skips it. */
		if (sb_remove_tree(path) == 0)
			reaped++;
		if (lk >= 0)
			close(lk);
	}
	closedir(d);
	close(tmpfd);
	return reaped;
}

int sb_scratch_make(struct sandbox *sb, const char *tmpdir, char *err, size_t errlen)
{
	snprintf(sb->scratch, sizeof sb->scratch, "%s/" SCRATCH_PREFIX "XXXXXX", tmpdir);
	if (!mkdtemp(sb->scratch)) {
		int e = errno;
		snprintf(err, errlen, "scratch directory in %s: %s", tmpdir, strerror(e));
		sb->scratch[0] = '\0';
		return -e;
	}
	int dfd = open(sb->scratch, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	int lk = dfd < 0 ? -1 : openat(dfd, SCRATCH_LOCK_NEW,
				       O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (lk < 0 || flock(lk, LOCK_EX | LOCK_NB) < 0 ||
	    renameat(dfd, SCRATCH_LOCK_NEW, dfd, SCRATCH_LOCK) < 0) {
		int e = errno;
		snprintf(err, errlen, "scratch directory %s: lock: %s", sb->scratch, strerror(e));
		if (lk >= 0)
			close(lk);
		if (dfd >= 0)
			close(dfd);
		sb_remove_tree(sb->scratch);
		sb->scratch[0] = '\0';
		return -e;
	}
	close(dfd);
	sb->scratch_lock_fd = lk;
	/* The lock stays on the disk below: the next dynaudit (in the host
	 * namespace) finds it there even when this tmpfs is long gone. */
	if (geteuid() == 0) {
		if (mount("tmpfs", sb->scratch, "tmpfs", MS_NOSUID | MS_NODEV, "size=4m,mode=0700") < 0) {
			int e = errno;
			snprintf(err, errlen, "tmpfs on the scratch directory %s: %s", sb->scratch, strerror(e));
			sb_scratch_remove(sb);
			return -e;
		}
		sb->scratch_tmpfs = true;
	}
	return 0;
}

void sb_scratch_remove(struct sandbox *sb)
{
	if (sb->scratch[0]) {
		sb_remove_tree(sb->scratch); /* detaches our tmpfs mounts first */
		sb->scratch[0] = '\0';
	}
	sb->scratch_tmpfs = false;
	if (sb->scratch_lock_fd >= 0) {
		close(sb->scratch_lock_fd);
		sb->scratch_lock_fd = -1;
	}
}

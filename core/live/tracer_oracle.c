/*
 * tracer_oracle.c — the outcome of a read-only open published without
 * its result (see tracer_priv.h).
 *
 * A read-only open is let through without an exit stop (a notification
 * answered CONTINUE, or a ptrace stop resumed at once), so the tracer
 * never sees its result.  For the paths a reader cares about
 * (credentials, the submission, /etc, HOME, /tmp) "opened" and "No such
 * file" are different stories, so the tracer asks the kernel the same
 * question again, right after the call: it resolves the path inside the
 * sandbox's root (openat2 RESOLVE_IN_ROOT from /proc/PID/root, so the
 * sandbox's mounts and symlinks, never the host's) with the target's
 * filesystem uid and gid (setfsuid/setfsgid on this thread only, which
 * also drops root's file capabilities while they are set), then checks
 * read access on what it found.  Only failures are reported (ENOENT,
 * EACCES, ENOTDIR, ELOOP...): a success still has no fd number.
 *
 * Not checked (result stays unknown): program and library trees (/usr,
 * /lib*, /bin, /sbin, /etc/ld.so.cache), /proc, /sys and /dev, whose
 * answers depend on the caller or are noise.  A small cache answers
 * repeated opens of one path; any traced call that changes the tree
 * (create, unlink, rename, chmod, chown, link, mkdir) empties it.
 * The prediction and the call can disagree only if something changes
 * the path between the two, microseconds apart.
 */
#include "live/tracer_priv.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <stdio.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/syscall.h>
#include <unistd.h>

static bool boring(const char *path)
{
	static const char *const prefixes[] = { "/usr/", "/lib/", "/lib64/", "/lib32/", "/bin/",
						"/sbin/", "/proc/", "/sys/", "/dev/",
						"/etc/ld.so.cache" };
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (strncmp(path, prefixes[i], strlen(prefixes[i])) == 0)
			return true;
	return false;
}

static uint32_t path_hash(const char *s)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	while (*s)
		h = (h ^ (uint8_t)*s++) * 16777619u;
	return h;
}

void tracer_oracle_forget(struct tracer *t)
{
	if (t->oracle_cached)
		memset(t->oracle_cache, 0, sizeof(t->oracle_cache));
	t->oracle_cached = 0;
}

/* The sandbox's root, opened once from a process inside it (they all
 * share it: chroot and new mount namespaces are denied to the target). */
static int sandbox_root(struct tracer *t, pid_t tid)
{
	if (t->oracle_root >= 0)
		return t->oracle_root;
	char p[64];
	snprintf(p, sizeof(p), "/proc/%d/root", (int)tid);
	t->oracle_root = open(p, O_PATH | O_DIRECTORY | O_CLOEXEC);
	return t->oracle_root;
}

/* openat2 of path below the sandbox's root, resolved there (an absolute
 * link leads to the sandbox's own /, never the host's) and with the
 * target's fsuid/fsgid when check_as_user: the fd, or -errno. */
static int open_as_target(struct tracer *t, int root, const char *path, uint64_t flags, uint64_t resolve)
{
	bool as_user = t->opt.check_as_user;
	if (as_user) {
		setfsgid(t->opt.target_gid);
		setfsuid(t->opt.target_uid);
	}
	struct open_how how = { .flags = flags | O_CLOEXEC, .resolve = RESOLVE_IN_ROOT | resolve };
	int fd = (int)syscall(SYS_openat2, root, path, &how, sizeof(how));
	int e = fd < 0 ? errno : 0;
	if (fd >= 0 && (flags & O_PATH) &&
	    syscall(SYS_faccessat2, fd, "", R_OK, AT_EMPTY_PATH | AT_EACCESS) < 0) {
		/* O_PATH checked the directories; reading needs r on the file */
		e = errno;
		close(fd);
		fd = -1;
	}
	if (as_user) {
		setfsuid(0);
		setfsgid(0);
	}
	return fd >= 0 ? fd : -e;
}

/* Resolve and check as the target: 0 readable, else errno. */
static int ask_kernel(struct tracer *t, int root, const char *path, uint64_t flags)
{
	int fd = open_as_target(t, root, path, O_PATH | (flags & (O_NOFOLLOW | O_DIRECTORY)), 0);
	if (fd < 0)
		return -fd;
	close(fd);
	return 0;
}

int tracer_oracle_read_fd(struct tracer *t, const struct tracee *th, const char *path)
{
	int root = path && path[0] == '/' ? sandbox_root(t, th->tid) : -1;
	if (root < 0)
		return -1;
	int fd = open_as_target(t, root, path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY,
				RESOLVE_NO_MAGICLINKS);
	struct stat st;
	if (fd >= 0 && (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))) {
		close(fd); /* a FIFO's or a socket's bytes are not ours to take */
		fd = -1;
	}
	return fd < 0 ? -1 : fd;
}

int tracer_oracle_open(struct tracer *t, const struct tracee *th, const char *path, uint64_t flags)
{
	if (!path || path[0] != '/' || boring(path) || strlen(path) >= TRACER_ORACLE_PATH)
		return -1;
	/* O_NOFOLLOW/O_DIRECTORY change the answer: part of the key */
	uint64_t key_flags = flags & (O_NOFOLLOW | O_DIRECTORY);
	uint32_t h = path_hash(path);
	struct oracle_entry *slot = &t->oracle_cache[h % TRACER_ORACLE_SLOTS];
	if (slot->used && slot->hash == h && slot->flags == key_flags && strcmp(slot->path, path) == 0)
		return slot->err;
	int root = sandbox_root(t, th->tid);
	if (root < 0)
		return -1;
	int e = ask_kernel(t, root, path, flags);
	if (e == ENOSYS || e == EPERM || e == E2BIG)
		return -1; /* no openat2/faccessat2 here, or refused: unknown */
	slot->used = true;
	slot->hash = h;
	slot->flags = key_flags;
	slot->err = e;
	snprintf(slot->path, sizeof(slot->path), "%s", path);
	t->oracle_cached++;
	return e;
}

/*
 * sandbox_fs.c — the filesystem side of the sandbox: the private copy of
 * the submission (parent, read with the invoking user's rights), removing
 * the scratch tree (parent, fd-relative: fs_beneath.h), and the new root
 * the target sees (sandbox init, child side: no allocation).
 *
 * The new root is a small tmpfs holding only mount points: the host's
 * /usr, /etc, /opt (and the usr-merge symlinks /bin, /lib, ...) bound
 * read-only, a fresh /proc that hides the init from the target, a minimal
 * /dev (its shm a link into /tmp), and the prepared host directories bound
 * at /tmp and HOME so the monitors outside can watch them with inotify.  Everything else of the host (/root, /home, /var, the
 * host's /tmp, /sys) is simply absent.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pthread.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "live/fs_beneath.h"
#include "live/sandbox_priv.h"

/* ------------------------------------------------------------------ */
/* Parent: private copy of the submission                              */
/* ------------------------------------------------------------------ */

/*
 * Whose rights the copy reads with.  dynaudit is root in CI, and whatever
 * the copy reads lands in the target's hands: a submission holding a hard
 * link to /etc/shadow (or a file only root may read) must not become a
 * readable file in the sandbox.  So the submission is read with the rights
 * of the user it is audited for (the "reader"), decided once:
 *   - dynaudit not root: the caller itself (the kernel checks as usual);
 *   - root with a real uid that is not root (a set-uid install): that uid;
 *   - root under sudo (real uid 0, SUDO_UID set to a non-zero uid): the
 *     sudo caller, SUDO_GID (else its passwd group) and its groups.
 *     Trusting the environment is fine here: it can only lower root's
 *     rights, never raise anyone's;
 *   - plain root: the owner of the submission directory (a CI job that
 *     unpacked a student's tree as uid 1000 reads it as uid 1000); root
 *     itself when root owns it.
 * Reads (open, stat, readlink, listing) run on a dedicated thread whose
 * filesystem ids (setfsuid/setfsgid, and its own supplementary groups:
 * raw syscalls, which unlike glibc's wrappers change only the calling
 * thread) are the reader's; writes into the copy switch the fsuid back
 * to root (the copy is root's until chowned to the sandbox user).
 * A file the reader cannot read refuses the copy (exit 3, naming the file
 * and the reader): auditing a different tree than the submission, with
 * files silently missing, would be worse.
 * Hard links: a regular file with more than one name may be a link to a
 * file outside the submission, so it is copied only when the reader may
 * read it (checked by the kernel, as above) and, when the reader is root,
 * only when anyone may (mode o+r): root's own rights vouch for nothing.
 */
struct copy_reader {
	bool switch_ids;  /* run reads with uid/gid/groups below */
	uid_t uid;
	gid_t gid;
	gid_t groups[64];
	int ngroups;
	char how[96];     /* "uid 1000 (SUDO_UID)", for messages */
};

struct copy_state {
	bool chown_to;
	uid_t uid;
	gid_t gid;
	const struct copy_reader *reader;
	long long bytes;
	long entries;
	char *err;
	size_t errlen;
};

/* Only the calling thread's filesystem ids change (raw syscalls). */
static void as_reader(const struct copy_state *cs)
{
	if (cs->reader->switch_ids) {
		syscall(SYS_setfsgid, cs->reader->gid);
		syscall(SYS_setfsuid, cs->reader->uid);
	}
}

static void as_root(const struct copy_state *cs)
{
	if (cs->reader->switch_ids) {
		syscall(SYS_setfsuid, 0);
		syscall(SYS_setfsgid, 0);
	}
}

static int copy_fail(struct copy_state *cs, int e, const char *what, const char *name)
{
	if ((e == EACCES || e == EPERM) && cs->reader && cs->reader->how[0])
		snprintf(cs->err, cs->errlen, "workdir copy: %s %s: %s (read as %s): refused", what, name,
			 strerror(e), cs->reader->how);
	else
		snprintf(cs->err, cs->errlen, "workdir copy: %s %s: %s", what, name, strerror(e));
	return -e;
}

static int copy_file_data(struct copy_state *cs, int in, int out, const char *name)
{
	char buf[65536];

	for (;;) {
		ssize_t n = read(in, buf, sizeof buf);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return copy_fail(cs, errno, "reading", name);
		}
		if (n == 0)
			return 0;
		cs->bytes += n;
		if (cs->bytes > SANDBOX_COPY_MAX_BYTES) {
			snprintf(cs->err, cs->errlen,
				 "workdir copy: submission larger than %lld MiB (at %s): refused",
				 SANDBOX_COPY_MAX_BYTES >> 20, name);
			return -EFBIG;
		}
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(out, buf + off, (size_t)(n - off));
			if (w < 0) {
				if (errno == EINTR)
					continue;
				return copy_fail(cs, errno, "writing", name);
			}
			off += w;
		}
	}
}

/* Owner first, then mode: chown clears set-id bits, and we drop them
 * anyway (the copy must not hand the target any privilege). */
static int copy_attrs(struct copy_state *cs, int fd, mode_t mode, const char *name)
{
	if (cs->chown_to && fchown(fd, cs->uid, cs->gid) < 0)
		return copy_fail(cs, errno, "chown", name);
	if (fchmod(fd, mode & 01777) < 0)
		return copy_fail(cs, errno, "chmod", name);
	return 0;
}

static int copy_dir(struct copy_state *cs, int sfd, int dfd, int depth);

static int copy_entry(struct copy_state *cs, int sfd, int dfd, const char *name, int depth)
{
	struct stat st;
	int rc = 0;

	if (++cs->entries > SANDBOX_COPY_MAX_ENTRIES) {
		snprintf(cs->err, cs->errlen, "workdir copy: more than %d entries: refused",
			 SANDBOX_COPY_MAX_ENTRIES);
		return -EFBIG;
	}
	as_reader(cs);
	if (fstatat(sfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		rc = copy_fail(cs, errno, "stat", name);
		as_root(cs);
		return rc;
	}
	as_root(cs);

	if (S_ISDIR(st.st_mode)) {
		if (depth >= SANDBOX_COPY_MAX_DEPTH) {
			snprintf(cs->err, cs->errlen, "workdir copy: deeper than %d levels at %s: refused",
				 SANDBOX_COPY_MAX_DEPTH, name);
			return -ELOOP;
		}
		if (mkdirat(dfd, name, 0700) < 0)
			return copy_fail(cs, errno, "mkdir", name);
		as_reader(cs);
		int s = openat(sfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		int e = errno;
		as_root(cs);
		if (s < 0)
			return copy_fail(cs, e, "open", name);
		int d = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (d < 0) {
			rc = copy_fail(cs, errno, "open copy of", name);
			close(s);
			return rc;
		}
		rc = copy_dir(cs, s, d, depth + 1);
		/* Mode last, so a read-only directory could still be filled. */
		if (rc == 0)
			rc = copy_attrs(cs, d, st.st_mode, name);
		close(d);
		close(s);
		return rc;
	}
	if (S_ISREG(st.st_mode)) {
		/* Refuse on the announced size first: no need to copy 500 MiB
		 * to learn it is too much (the read loop still counts, as a
		 * file may grow while we copy). */
		if (st.st_size > SANDBOX_COPY_MAX_BYTES - cs->bytes) {
			snprintf(cs->err, cs->errlen,
				 "workdir copy: submission larger than %lld MiB (at %s, %lld MiB apparent "
				 "size, sparse or not): refused",
				 SANDBOX_COPY_MAX_BYTES >> 20, name, (long long)(st.st_size >> 20));
			return -EFBIG;
		}
		if (st.st_nlink > 1 && !cs->reader->switch_ids && geteuid() == 0 &&
		    cs->reader->uid == 0 && !(st.st_mode & S_IROTH)) {
			snprintf(cs->err, cs->errlen,
				 "workdir copy: %s is a hard link (%lu names) to a file not readable by "
				 "everyone (mode %04o, uid %ld): refused (read as %s; copy the file "
				 "instead of linking it)", name, (unsigned long)st.st_nlink,
				 (unsigned)(st.st_mode & 07777), (long)st.st_uid,
				 cs->reader->how[0] ? cs->reader->how : "root");
			return -EACCES;
		}
		as_reader(cs);
		int in = openat(sfd, name, O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
		int e = errno;
		as_root(cs);
		if (in < 0) {
			if (st.st_nlink > 1 && (e == EACCES || e == EPERM)) {
				snprintf(cs->err, cs->errlen,
					 "workdir copy: %s is a hard link (%lu names) to a file the invoking "
					 "user (%s) may not read: refused", name, (unsigned long)st.st_nlink, cs->reader->how);
				return -e;
			}
			return copy_fail(cs, e, "open", name);
		}
		/* Swapped since the stat (a file of the caller's own that it
		 * replaced): copy only what was checked. */
		struct stat now;
		if (fstat(in, &now) < 0 || now.st_ino != st.st_ino || now.st_dev != st.st_dev ||
		    !S_ISREG(now.st_mode)) {
			close(in);
			snprintf(cs->err, cs->errlen, "workdir copy: %s changed while copied: refused", name);
			return -EAGAIN;
		}
		int out = openat(dfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (out < 0) {
			rc = copy_fail(cs, errno, "create", name);
			close(in);
			return rc;
		}
		rc = copy_file_data(cs, in, out, name);
		if (rc == 0)
			rc = copy_attrs(cs, out, st.st_mode, name);
		close(out);
		close(in);
		return rc;
	}
	if (S_ISLNK(st.st_mode)) {
		/* Copied as a link, never followed: a submission's link to
		 * /etc/shadow stays a link (and is resolved inside the sandbox). */
		char target[PATH_MAX];
		as_reader(cs);
		ssize_t n = readlinkat(sfd, name, target, sizeof target - 1);
		int e = errno;
		as_root(cs);
		if (n < 0)
			return copy_fail(cs, e, "readlink", name);
		target[n] = '\0';
		if (symlinkat(target, dfd, name) < 0)
			return copy_fail(cs, errno, "symlink", name);
		if (cs->chown_to && fchownat(dfd, name, cs->uid, cs->gid, AT_SYMLINK_NOFOLLOW) < 0)
			return copy_fail(cs, errno, "chown", name);
		return 0;
	}
	if (S_ISFIFO(st.st_mode)) {
		if (mkfifoat(dfd, name, st.st_mode & 0777) < 0)
			return copy_fail(cs, errno, "mkfifo", name);
		if (cs->chown_to && fchownat(dfd, name, cs->uid, cs->gid, AT_SYMLINK_NOFOLLOW) < 0)
			return copy_fail(cs, errno, "chown", name);
		return 0;
	}
	/* Devices and sockets have no meaning in a copy: skipped. */
	return 0;
}

static int copy_dir(struct copy_state *cs, int sfd, int dfd, int depth)
{
	int fd = dup(sfd);
	if (fd < 0)
		return copy_fail(cs, errno, "dup", "directory");
	DIR *dir = fdopendir(fd);
	if (!dir) {
		int e = errno;
		close(fd);
		return copy_fail(cs, e, "opendir", "directory");
	}
	int rc = 0;
	struct dirent *de;
	errno = 0;
	while (rc == 0 && (de = readdir(dir))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		rc = copy_entry(cs, sfd, dfd, de->d_name, depth);
		errno = 0;
	}
	if (rc == 0 && errno)
		rc = copy_fail(cs, errno, "readdir", "directory");
	closedir(dir);
	return rc;
}

static bool parse_id(const char *s, unsigned long *out)
{
	char *end;
	if (!s || !*s)
		return false;
	errno = 0;
	*out = strtoul(s, &end, 10);
	return !errno && !*end && *out > 0 && *out < 0xFFFFFFFFul;
}

/* Decide whose rights the copy reads with (see struct copy_reader). */
static int choose_reader(const char *src, struct copy_reader *r, char *err, size_t errlen)
{
	unsigned long id;
	memset(r, 0, sizeof *r);
	if (geteuid() != 0) {
		r->uid = geteuid();
		r->gid = getegid();
		snprintf(r->how, sizeof r->how, "uid %ld, the caller", (long)r->uid);
		return 0;
	}
	const char *source = NULL;
	bool have_gid = false;
	if (getuid() != 0) {
		r->uid = getuid();
		r->gid = getgid();
		have_gid = true;
		source = "the real uid";
	} else if (parse_id(getenv("SUDO_UID"), &id)) {
		r->uid = (uid_t)id;
		if (parse_id(getenv("SUDO_GID"), &id)) {
			r->gid = (gid_t)id;
			have_gid = true;
		}
		source = "SUDO_UID";
	} else {
		struct stat st;
		if (stat(src, &st) < 0) {
			int e = errno;
			snprintf(err, errlen, "workdir copy: stat %s: %s", src, strerror(e));
			return -e;
		}
		if (st.st_uid == 0) {
			snprintf(r->how, sizeof r->how, "root, the submission's owner");
			return 0;
		}
		r->uid = st.st_uid;
		r->gid = st.st_gid;
		have_gid = true;
		source = "the submission's owner";
	}
	/* The reader's groups, as a login would give them. */
	char buf[4096];
	struct passwd pw, *pwp = NULL;
	if (getpwuid_r(r->uid, &pw, buf, sizeof buf, &pwp) == 0 && pwp) {
		if (!have_gid)
			r->gid = pwp->pw_gid;
		int n = (int)(sizeof r->groups / sizeof r->groups[0]);
		if (getgrouplist(pwp->pw_name, r->gid, r->groups, &n) < 0)
			n = (int)(sizeof r->groups / sizeof r->groups[0]); /* truncated: the first 64 */
		r->ngroups = n;
	} else {
		if (!have_gid)
			r->gid = (gid_t)r->uid;
		r->groups[0] = r->gid;
		r->ngroups = 1;
	}
	r->switch_ids = true;
	snprintf(r->how, sizeof r->how, "uid %ld gid %ld from %s", (long)r->uid, (long)r->gid, source);
	return 0;
}

struct copy_job {
	const char *src, *dst;
	const char *name; /* sb_copy_into: the entry of src copied into dst */
	struct copy_state *cs;
	int rc;
};

/* sb_copy_into: the entry `name` of directory src, copied (never followed)
 * into the existing directory dst, by the same rules as the tree copy. */
static int copy_one(struct copy_state *cs, const char *src, const char *dst, const char *name)
{
	as_reader(cs);
	int s = open(src, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int e = errno;
	as_root(cs);
	if (s < 0)
		return copy_fail(cs, e, "open", src);
	int d = open(dst, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (d < 0) {
		int rc = copy_fail(cs, errno, "open", dst);
		close(s);
		return rc;
	}
	int rc = copy_entry(cs, s, d, name, 0);
	close(d);
	close(s);
	return rc;
}

static int copy_top(struct copy_state *cs, const char *src, const char *dst)
{
	struct stat st;
	int rc;

	as_reader(cs);
	int s = open(src, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int e = errno;
	as_root(cs);
	if (s < 0)
		return copy_fail(cs, e, "open", src);
	if (fstat(s, &st) < 0) {
		rc = copy_fail(cs, errno, "stat", src);
		close(s);
		return rc;
	}
	if (mkdir(dst, 0700) < 0) {
		rc = copy_fail(cs, errno, "mkdir", dst);
		close(s);
		return rc;
	}
	int d = open(dst, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (d < 0) {
		rc = copy_fail(cs, errno, "open", dst);
		close(s);
		return rc;
	}
	rc = copy_dir(cs, s, d, 0);
	/* The top directory stays writable by the target whatever its mode
	 * was: the workdir copy is where the target is expected to write. */
	if (rc == 0)
		rc = copy_attrs(cs, d, (st.st_mode & 07777) | 0700, dst);
	close(d);
	close(s);
	return rc;
}

/* The copy thread: takes the reader's groups for itself (they die with
 * the thread), then copies.  Its fsuid is root except around reads. */
static void *copy_thread(void *arg)
{
	struct copy_job *job = arg;
	const struct copy_reader *r = job->cs->reader;
	if (r->switch_ids) {
		if (syscall(SYS_setgroups, (size_t)r->ngroups, r->groups) < 0) {
			job->rc = copy_fail(job->cs, errno, "setgroups for", r->how);
			return NULL;
		}
		/* setfsuid reports no error: check that it took. */
		syscall(SYS_setfsuid, r->uid);
		if ((uid_t)syscall(SYS_setfsuid, -1) != r->uid) {
			job->rc = copy_fail(job->cs, EPERM, "setfsuid to", r->how);
			return NULL;
		}
		as_root(job->cs);
	}
	job->rc = job->name ? copy_one(job->cs, job->src, job->dst, job->name)
			    : copy_top(job->cs, job->src, job->dst);
	return NULL;
}

static int copy_job_run(const char *src, const char *dst, const char *name, bool chown_to, uid_t uid, gid_t gid,
		 long long *bytes, char *err, size_t errlen)
{
	struct copy_reader reader;
	struct copy_state cs = { .chown_to = chown_to, .uid = uid, .gid = gid, .reader = &reader,
				 .err = err, .errlen = errlen };
	int rc = choose_reader(src, &reader, err, errlen);
	if (rc < 0)
		return rc;
	struct copy_job job = { .src = src, .dst = dst, .name = name, .cs = &cs, .rc = 0 };
	if (reader.switch_ids) {
		pthread_t th;
		int e = pthread_create(&th, NULL, copy_thread, &job);
		if (e)
			return copy_fail(&cs, e, "thread for", "the copy");
		pthread_join(th, NULL);
	} else {
		job.rc = name ? copy_one(&cs, src, dst, name) : copy_top(&cs, src, dst);
	}
	if (bytes)
		*bytes = cs.bytes;
	return job.rc;
}

int sb_copy_tree(const char *src, const char *dst, bool chown_to, uid_t uid, gid_t gid,
		 long long *bytes, char *err, size_t errlen)
{
	return copy_job_run(src, dst, NULL, chown_to, uid, gid, bytes, err, errlen);
}

int sb_copy_into(const char *srcdir, const char *name, const char *dst, bool chown_to, uid_t uid,
		 gid_t gid, long long *bytes, char *err, size_t errlen)
{
	return copy_job_run(srcdir, dst, name, chown_to, uid, gid, bytes, err, errlen);
}

/* ------------------------------------------------------------------ */
/* Parent: removing the scratch tree                                   */
/* ------------------------------------------------------------------ */

/* /proc/self/mountinfo escapes space, tab, newline and backslash as \ooo. */
static void unescape_octal(char *s)
{
	char *w = s;
	for (char *r = s; *r; r++) {
		if (r[0] == '\\' && r[1] >= '0' && r[1] <= '7' && r[2] >= '0' && r[2] <= '7' &&
		    r[3] >= '0' && r[3] <= '7') {
			*w++ = (char)((r[1] - '0') * 64 + (r[2] - '0') * 8 + (r[3] - '0'));
			r += 3;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
}

/* Calls fn(mount_point, ctx) for each mount at or below prefix, last
 * mounted first (so children go before their parents).  Bounded work on
 * any input: at most 4096 mounts considered; lines longer than the buffer
 * are skipped.  Uses a fixed buffer: safe in the sandbox init. */
static int for_mounts_under(const char *prefix, int (*fn)(const char *mp, void *ctx), void *ctx)
{
	static char paths[64][PATH_MAX];
	char line[PATH_MAX + 512];
	size_t plen = strlen(prefix);
	size_t n = 0;
	int rounds = 0;

	/* The list can hold more than 64 entries: repeat until a pass
	 * finds nothing more to do (each pass handles 64). */
	for (;;) {
		int fd = open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return -errno;
		n = 0;
		size_t len = 0;
		bool skipping = false;
		for (;;) {
			ssize_t r = read(fd, line + len, sizeof line - 1 - len);
			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0)
				break;
			len += (size_t)r;
			line[len] = '\0';
			char *start = line, *nl;
			while ((nl = memchr(start, '\n', len - (size_t)(start - line)))) {
				*nl = '\0';
				if (!skipping) {
					/* field 5 is the mount point */
					char *f = start;
					for (int i = 0; i < 4 && f; i++) {
						f = strchr(f, ' ');
						if (f)
							f++;
					}
					char *end = f ? strchr(f, ' ') : NULL;
					if (f && end) {
						*end = '\0';
						unescape_octal(f);
						if (!strncmp(f, prefix, plen) && (f[plen] == '\0' || f[plen] == '/')) {
							if (n < 64)
								snprintf(paths[n++], PATH_MAX, "%s", f);
						}
					}
				}
				skipping = false;
				start = nl + 1;
			}
			len -= (size_t)(start - line);
			memmove(line, start, len);
			if (len == sizeof line - 1) { /* overlong line: drop it */
				len = 0;
				skipping = true;
			}
		}
		close(fd);
		if (n == 0)
			return 0;
		int changed = 0;
		for (size_t i = n; i-- > 0;)
			if (fn(paths[i], ctx) == 0)
				changed++;
		if (!changed || ++rounds > 64)
			return 0;
	}
}

static int detach_mount(const char *mp, void *ctx)
{
	(void)ctx;
	return umount2(mp, MNT_DETACH | UMOUNT_NOFOLLOW) < 0 ? -errno : 0;
}

int sb_remove_tree(const char *path)
{
	struct stat st;

	if (!path || !path[0])
		return 0;
	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	/* Never walk into a mount (a tmpfs we mounted, or anything a
	 * careless caller left): detach them first. */
	for_mounts_under(path, detach_mount, NULL);
	/* The top is dynaudit's own directory; everything below may be the
	 * target's, so it is removed fd-relative (fs_beneath.h): a symlink
	 * or a rename planted during the walk cannot make root delete or
	 * chmod anything outside. */
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	fsb_remove_below(fd);
	close(fd);
	if (rmdir(path) < 0 && errno != ENOENT)
		return -errno;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Child (sandbox init): the new root                                  */
/* ------------------------------------------------------------------ */

/* Mount flags that statvfs reports and a remount must keep: inside a user
 * namespace the kernel refuses to clear a flag the outer namespace set. */
static unsigned long kept_flags(const char *path)
{
	struct statvfs sv;
	unsigned long f = 0;

	if (statvfs(path, &sv) < 0)
		return 0;
	if (sv.f_flag & ST_NOSUID)
		f |= MS_NOSUID;
	if (sv.f_flag & ST_NODEV)
		f |= MS_NODEV;
	if (sv.f_flag & ST_NOEXEC)
		f |= MS_NOEXEC;
	if (sv.f_flag & ST_NOATIME)
		f |= MS_NOATIME;
	if (sv.f_flag & ST_NODIRATIME)
		f |= MS_NODIRATIME;
	if (sv.f_flag & ST_RELATIME)
		f |= MS_RELATIME;
	return f;
}

static int remount_ro(const char *mp, void *ctx)
{
	unsigned long extra = ctx ? *(const unsigned long *)ctx : 0;
	if (mount(NULL, mp, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | kept_flags(mp) | extra, NULL) < 0)
		return -errno;
	return 1; /* not "changed": one pass is enough */
}

/* Recursive bind, then every mount of the bound tree read-only and nosuid
 * (a plain MS_BIND|MS_RDONLY is silently ignored by the kernel, and
 * MS_REC does not carry the read-only flag to submounts). */
static int bind_readonly(const char *src, const char *dst, char *why, size_t whylen)
{
	unsigned long nosuid = MS_NOSUID | MS_NODEV;

	if (mount(src, dst, NULL, MS_BIND | MS_REC, NULL) < 0) {
		snprintf(why, whylen, "bind %s: %s", src, strerror(errno));
		return -errno;
	}
	int rc = remount_ro(dst, &nosuid);
	if (rc < 0) {
		snprintf(why, whylen, "read-only remount of %s: %s", src, strerror(-rc));
		return rc;
	}
	for_mounts_under(dst, remount_ro, &nosuid);
	return 0;
}

static int path_join(char *out, size_t outlen, const char *a, const char *b)
{
	int n = snprintf(out, outlen, "%s%s", a, b);
	return (n < 0 || (size_t)n >= outlen) ? -ENAMETOOLONG : 0;
}

/* mkdir -p below root for an absolute in-sandbox path. */
static int mkdir_below(const char *root, const char *abs, mode_t mode)
{
	char p[PATH_MAX];
	if (path_join(p, sizeof p, root, abs) < 0)
		return -ENAMETOOLONG;
	for (char *s = p + strlen(root) + 1; *s; s++) {
		if (*s == '/') {
			*s = '\0';
			if (mkdir(p, mode) < 0 && errno != EEXIST)
				return -errno;
			*s = '/';
		}
	}
	if (mkdir(p, mode) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

/* Record the failed step with its reason and return the errno. */
#define FAIL(step, ...) do { \
	int e_ = errno; \
	snprintf(why, whylen, __VA_ARGS__); \
	sb_send_step(fd, step, false, "%s", why); \
	return -(e_ ? e_ : EPERM); \
} while (0)

/* The host's /etc/hosts plus the sandbox's own hostname, written to the
 * scratch directory and bound over /etc/hosts.  Why: programs resolve
 * their own hostname (python's getfqdn, Java's InetAddress.getLocalHost,
 * logging formats); without an entry for it glibc asks DNS, which the
 * sandbox has not got: a benign program then looks like it phones out,
 * or crashes on the failed lookup. */
/* sandbox.deception.dns: sink — /etc/resolv.conf names dynaudit's sink
 * resolver (dns_sink.h) in place of the host's servers.  A host whose
 * resolv.conf is a symbolic link (systemd-resolved's stub) keeps it: the
 * bind would follow the link into the empty /run. */
static int own_resolv_conf(const struct sandbox *sb, const char *root, char *why, size_t whylen)
{
	char file[PATH_MAX], dst[PATH_MAX];
	struct stat st;
	if (path_join(file, sizeof file, sb->scratch, "/resolv.conf") < 0 ||
	    path_join(dst, sizeof dst, root, "/etc/resolv.conf") < 0) {
		snprintf(why, whylen, "path too long");
		return -ENAMETOOLONG;
	}
	if (lstat(dst, &st) < 0 || !S_ISREG(st.st_mode)) {
		snprintf(why, whylen, "/etc/resolv.conf is %s", errno == ENOENT ? "missing" :
			 "not a regular file (a link?)");
		return -ENOENT;
	}
	FILE *out = fopen(file, "we");
	if (!out) {
		snprintf(why, whylen, "create %s: %s", file, strerror(errno));
		return -errno;
	}
	fprintf(out, "# dynaudit sandbox: the sink resolver (sandbox.deception.dns)\n"
		"nameserver 127.0.0.53\noptions timeout:2 attempts:2\n");
	if (fclose(out) != 0) {
		snprintf(why, whylen, "write %s: %s", file, strerror(errno));
		return -EIO;
	}
	if (mount(file, dst, NULL, MS_BIND, NULL) < 0 ||
	    mount(NULL, dst, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL) < 0) {
		snprintf(why, whylen, "bind over /etc/resolv.conf: %s", strerror(errno));
		return -errno;
	}
	return 0;
}

static int own_hosts_file(const struct sandbox *sb, const char *root, char *why, size_t whylen)
{
	char file[PATH_MAX], dst[PATH_MAX];
	if (path_join(file, sizeof file, sb->scratch, "/hosts") < 0 ||
	    path_join(dst, sizeof dst, root, "/etc/hosts") < 0) {
		snprintf(why, whylen, "path too long");
		return -ENAMETOOLONG;
	}
	FILE *out = fopen(file, "we");
	if (!out) {
		snprintf(why, whylen, "create %s: %s", file, strerror(errno));
		return -errno;
	}
	FILE *in = fopen("/etc/hosts", "re");
	char line[512];
	size_t copied = 0;
	while (in && copied < 256 * 1024 && fgets(line, sizeof line, in)) {
		fputs(line, out);
		copied += strlen(line);
	}
	if (in)
		fclose(in);
	fprintf(out, "\n# dynaudit sandbox\n127.0.1.1\t%s\n::1\t%s\n", SANDBOX_HOSTNAME,
		SANDBOX_HOSTNAME);
	if (fclose(out) != 0) {
		snprintf(why, whylen, "write %s: %s", file, strerror(errno));
		return -EIO;
	}
	struct stat st;
	if (stat(dst, &st) < 0) { /* a host without /etc/hosts: nothing to cover */
		snprintf(why, whylen, "no /etc/hosts to cover");
		return -ENOENT;
	}
	if (mount(file, dst, NULL, MS_BIND, NULL) < 0 ||
	    mount(NULL, dst, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL) < 0) {
		snprintf(why, whylen, "bind over /etc/hosts: %s", strerror(errno));
		return -errno;
	}
	return 0;
}

int sb_build_root(const struct sandbox *sb, int fd, char *why, size_t whylen)
{
	static const char *const ro_dirs[] = { "/usr", "/etc", "/opt", "/bin", "/sbin", "/lib",
					       "/lib32", "/lib64", "/libx32", "/var" };
	static const char *const devices[] = { "null", "zero", "full", "random", "urandom", "tty" };
	char root[PATH_MAX], p[PATH_MAX], q[PATH_MAX];

	if (path_join(root, sizeof root, sb->scratch, "/root") < 0)
		FAIL("new root", "scratch path too long");

	/* Why: the new root is an empty tmpfs of our own, so nothing of the
	 * host is visible unless we put it there, and it can be made
	 * read-only once the mount points exist. */
	if (mount("tmpfs", root, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755,size=1m") < 0)
		FAIL("new root", "tmpfs on %s: %s", root, strerror(errno));
	sb_send_step(fd, "new root", true, "empty tmpfs, read-only after set-up");

	/* Why: programs need the system's binaries, libraries and /etc, but
	 * must not change them; read-only binds share the host's files
	 * without copying.  usr-merge symlinks (/bin -> usr/bin) are
	 * recreated as symlinks. */
	char done[160] = "";
	for (size_t i = 0; i < sizeof ro_dirs / sizeof ro_dirs[0]; i++) {
		struct stat st;
		if (lstat(ro_dirs[i], &st) < 0)
			continue;
		if (path_join(p, sizeof p, root, ro_dirs[i]) < 0)
			FAIL("host read-only", "path too long");
		if (S_ISLNK(st.st_mode)) {
			ssize_t n = readlink(ro_dirs[i], q, sizeof q - 1);
			if (n < 0)
				FAIL("host read-only", "readlink %s: %s", ro_dirs[i], strerror(errno));
			q[n] = '\0';
			if (symlink(q, p) < 0)
				FAIL("host read-only", "symlink %s: %s", ro_dirs[i], strerror(errno));
			continue;
		}
		if (!S_ISDIR(st.st_mode))
			continue;
		if (mkdir(p, 0755) < 0)
			FAIL("host read-only", "mkdir %s: %s", p, strerror(errno));
		if (bind_readonly(ro_dirs[i], p, why, whylen) < 0) {
			sb_send_step(fd, "host read-only", false, "%s", why);
			return -EPERM;
		}
		size_t l = strlen(done);
		snprintf(done + l, sizeof done - l, "%s%s", l ? " " : "", ro_dirs[i]);
	}
	sb_send_step(fd, "host read-only", true, "%s bound read-only, nosuid; rest of host hidden", done);

	/* Why: a course toolchain under /srv, /home or a pyenv root must be
	 * usable; the config names it (sandbox.ro_paths, checked against the
	 * places that hold secrets when it was loaded), and it is shown
	 * read-only at the same path.  One below a directory bound above is
	 * already visible. */
	for (size_t i = 0; sb->cfg->ro_paths && sb->cfg->ro_paths[i]; i++) {
		const char *rp = sb->cfg->ro_paths[i];
		bool visible = false;
		for (size_t k = 0; k < sizeof ro_dirs / sizeof ro_dirs[0]; k++) {
			size_t kl = strlen(ro_dirs[k]);
			visible |= strncmp(rp, ro_dirs[k], kl) == 0 && rp[kl] == '/';
		}
		struct stat st;
		if (stat(rp, &st) < 0)
			FAIL("ro_paths", "%s: %s", rp, strerror(errno));
		if (visible) {
			sb_send_step(fd, "ro_paths", true, "%s: already visible read-only", rp);
			continue;
		}
		int mk = S_ISDIR(st.st_mode) ? mkdir_below(root, rp, 0755) : 0;
		if (!S_ISDIR(st.st_mode)) {
			char parent[PATH_MAX];
			snprintf(parent, sizeof parent, "%s", rp);
			*strrchr(parent, '/') = '\0';
			mk = parent[0] ? mkdir_below(root, parent, 0755) : 0;
			int f = -1;
			if (mk == 0 && path_join(p, sizeof p, root, rp) == 0)
				f = open(p, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
			if (f < 0)
				mk = -errno;
			else
				close(f);
		}
		if (mk < 0)
			FAIL("ro_paths", "%s: mount point: %s", rp, strerror(-mk));
		if (path_join(p, sizeof p, root, rp) < 0 || bind_readonly(rp, p, why, whylen) < 0) {
			sb_send_step(fd, "ro_paths", false, "%s", why);
			return -EPERM;
		}
		sb_send_step(fd, "ro_paths", true, "%s bound read-only", rp);
	}
	/* optional: without it only own-hostname lookups go to (no) DNS */
	if (own_hosts_file(sb, root, why, whylen) == 0)
		sb_send_step(fd, "hosts", true, "/etc/hosts of the host plus %s (127.0.1.1, ::1)",
			     SANDBOX_HOSTNAME);
	else
		sb_send_step(fd, "hosts", false, "host /etc/hosts only: %s", why);
	if (sb->cfg->dns_sink && sb->cfg->network == NETWORK_NONE) {
		if (own_resolv_conf(sb, root, why, whylen) == 0)
			sb_send_step(fd, "resolver", true, "/etc/resolv.conf names the sink resolver 127.0.0.53");
		else
			sb_send_step(fd, "resolver", false, "host /etc/resolv.conf kept: %s", why);
	}

	/* Why: an empty root-owned /root makes probing it fail like on a
	 * real system instead of looking like a missing directory. */
	if (path_join(p, sizeof p, root, "/root") < 0 || mkdir(p, 0700) < 0)
		FAIL("new root", "mkdir /root: %s", strerror(errno));

	/* Why: a fresh proc instance shows only this pid namespace, so the
	 * target cannot see (or signal by pid) host processes.  hidepid=
	 * invisible also hides every process the reader may not ptrace: the
	 * init (root, or holding all capabilities of the user namespace)
	 * is then absent for the target, whose own processes all stay
	 * listed.  Without it the target (the init's own uid in a user
	 * namespace) could write the init's oom_score_adj and read its
	 * command line.  dynaudit's monitors read the host's /proc. */
	if (path_join(p, sizeof p, root, "/proc") < 0 || mkdir(p, 0555) < 0)
		FAIL("proc", "mkdir /proc: %s", strerror(errno));
	unsigned long proc_flags = MS_NOSUID | MS_NODEV | MS_NOEXEC;
	const char *hidepid = "hidepid=invisible";
	if (mount("proc", p, "proc", proc_flags, hidepid) < 0) {
		hidepid = "hidepid=2"; /* the numeric form of kernels before 5.8 */
		if (mount("proc", p, "proc", proc_flags, hidepid) < 0) {
			hidepid = NULL;
			if (mount("proc", p, "proc", proc_flags, NULL) < 0)
				FAIL("proc", "mount proc: %s", strerror(errno));
		}
	}
	if (hidepid)
		sb_send_step(fd, "proc", true, "fresh /proc of the sandbox pid namespace, %s "
			     "(the init is invisible to the target)", hidepid);
	else
		sb_send_step(fd, "proc", false, "fresh /proc of the sandbox pid namespace; "
			     "hidepid refused: the target sees the init");

	/* Why: a minimal /dev gives programs the pseudo-devices they expect
	 * without exposing any disk or the host's terminals. */
	if (path_join(p, sizeof p, root, "/dev") < 0 || mkdir(p, 0755) < 0)
		FAIL("dev", "mkdir /dev: %s", strerror(errno));
	if (mount("tmpfs", p, "tmpfs", MS_NOSUID | MS_NOEXEC, "mode=0755,size=64k") < 0)
		FAIL("dev", "tmpfs on /dev: %s", strerror(errno));
	for (size_t i = 0; i < sizeof devices / sizeof devices[0]; i++) {
		char host[32];
		snprintf(host, sizeof host, "/dev/%s", devices[i]);
		snprintf(q, sizeof q, "%s/%s", p, devices[i]);
		int f = open(q, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (f < 0)
			FAIL("dev", "create %s: %s", q, strerror(errno));
		close(f);
		if (mount(host, q, NULL, MS_BIND, NULL) < 0)
			FAIL("dev", "bind %s: %s", host, strerror(errno));
	}
	static const char *const links[][2] = { { "fd", "/proc/self/fd" }, { "stdin", "/proc/self/fd/0" },
						{ "stdout", "/proc/self/fd/1" }, { "stderr", "/proc/self/fd/2" },
						{ "ptmx", "pts/ptmx" } };
	for (size_t i = 0; i < sizeof links / sizeof links[0]; i++) {
		snprintf(q, sizeof q, "%s/%s", p, links[i][0]);
		if (symlink(links[i][1], q) < 0)
			FAIL("dev", "symlink %s: %s", q, strerror(errno));
	}
	/* Why /dev/shm is a link into the private /tmp: POSIX shared memory
	 * and semaphores (shm_open, sem_open: Python's multiprocessing) live
	 * there, so it must be writable; a tmpfs of its own was a second
	 * place to drop files that nobody watched and with a cap of its own.
	 * In /tmp the file monitor sees it and /tmp's cap counts it. */
	if (path_join(q, sizeof q, sb->tmp_host, "/" SANDBOX_SHM_DIR) < 0)
		FAIL("dev", "/dev/shm: path too long");
	if (mkdir(q, 01777) < 0 || chmod(q, 01777) < 0)
		FAIL("dev", "/dev/shm: mkdir %s: %s", q, strerror(errno));
	snprintf(q, sizeof q, "%s/shm", p);
	if (symlink("/tmp/" SANDBOX_SHM_DIR, q) < 0)
		FAIL("dev", "/dev/shm: symlink: %s", strerror(errno));
	snprintf(q, sizeof q, "%s/pts", p);
	if (mkdir(q, 0755) < 0)
		FAIL("dev", "mkdir /dev/pts: %s", strerror(errno));
	/* A private devpts instance is optional: a target without a
	 * terminal works without it. */
	bool pts = mount("devpts", q, "devpts", MS_NOSUID | MS_NOEXEC,
			 "newinstance,ptmxmode=0666,mode=620") == 0;
	if (mount(NULL, p, NULL, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NOEXEC, "mode=0755,size=64k") < 0)
		FAIL("dev", "read-only /dev: %s", strerror(errno));
	sb_send_step(fd, "dev", true, "null zero full random urandom tty, /dev/shm -> /tmp/" SANDBOX_SHM_DIR "%s",
		     pts ? ", private /dev/pts" : " (no /dev/pts: devpts refused)");

	/* Why: /tmp and HOME are host directories prepared by dynaudit, bound
	 * here so the file monitor can watch them from outside; the workdir
	 * copy lives inside HOME. */
	if (path_join(p, sizeof p, root, "/tmp") < 0 || mkdir(p, 01777) < 0)
		FAIL("tmp", "mkdir /tmp: %s", strerror(errno));
	if (mount(sb->tmp_host, p, NULL, MS_BIND, NULL) < 0 ||
	    mount(NULL, p, NULL, MS_BIND | MS_REMOUNT | MS_NOSUID | MS_NODEV | kept_flags(p), NULL) < 0)
		FAIL("tmp", "bind %s: %s", sb->tmp_host, strerror(errno));
	sb_send_step(fd, "tmp", true, "private /tmp (host %s)", sb->tmp_host);

	/* Why: programs expect a machine's /var/tmp, /run and /srv (a lock
	 * file, a cache), and meeting ENOENT where a real machine has a
	 * directory both breaks them and hides what they tried.  /var is the
	 * host's, read-only (above); its /var/tmp is a private directory of
	 * the watched, size-capped /tmp; /run is an empty tmpfs (the host's
	 * holds docker.sock and D-Bus); /srv an empty directory. */
	if (path_join(p, sizeof p, root, "/var/tmp") == 0 && access(p, F_OK) == 0) {
		if (path_join(q, sizeof q, sb->tmp_host, "/" SANDBOX_VAR_TMP_DIR) < 0 ||
		    (mkdir(q, 01777) < 0 && errno != EEXIST) || chmod(q, 01777) < 0)
			FAIL("var", "/var/tmp: mkdir %s: %s", q, strerror(errno));
		if (mount(q, p, NULL, MS_BIND, NULL) < 0 ||
		    mount(NULL, p, NULL, MS_BIND | MS_REMOUNT | MS_NOSUID | MS_NODEV | kept_flags(p), NULL) < 0)
			FAIL("var", "bind /var/tmp: %s", strerror(errno));
	}
	if (path_join(p, sizeof p, root, "/run") < 0 || (mkdir(p, 0755) < 0 && errno != EEXIST) ||
	    mount("tmpfs", p, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=0755,size=1m") < 0)
		FAIL("var", "/run: %s", strerror(errno));
	if (path_join(p, sizeof p, root, "/srv") < 0 || (mkdir(p, 0755) < 0 && errno != EEXIST))
		FAIL("var", "/srv: %s", strerror(errno));
	sb_send_step(fd, "var", true, "/var read-only with a private /var/tmp (/tmp/" SANDBOX_VAR_TMP_DIR
		     "), empty /run and /srv");

	int rc = mkdir_below(root, sb->home, 0755);
	if (rc < 0) {
		errno = -rc;
		FAIL("home", "mkdir %s: %s", sb->home, strerror(errno));
	}
	if (path_join(p, sizeof p, root, sb->home) < 0)
		FAIL("home", "path too long");
	if (mount(sb->home_host, p, NULL, MS_BIND, NULL) < 0 ||
	    mount(NULL, p, NULL, MS_BIND | MS_REMOUNT | MS_NOSUID | MS_NODEV | kept_flags(p), NULL) < 0)
		FAIL("home", "bind %s: %s", sb->home_host, strerror(errno));
	sb_send_step(fd, "home", true, "private HOME %s with the workdir copy at %s", sb->home, sb->workdir);

	/* Why: the mount points exist now; a read-only root means the target
	 * can create nothing outside /tmp (and /dev/shm in it) and HOME. */
	if (mount(NULL, root, NULL, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, "mode=0755,size=1m") < 0)
		FAIL("new root", "read-only remount: %s", strerror(errno));

	/* Why pivot_root rather than chroot: after pivot_root and detaching
	 * the old root, the host tree is not reachable at all (a chroot can
	 * be escaped by a process that keeps or regains CAP_SYS_CHROOT).
	 * pivot_root(".", ".") stacks the old root on the new one, so no
	 * put_old directory is needed in the read-only root. */
	if (chdir(root) < 0)
		FAIL("pivot_root", "chdir %s: %s", root, strerror(errno));
	if (syscall(SYS_pivot_root, ".", ".") == 0) {
		if (umount2(".", MNT_DETACH) < 0)
			FAIL("pivot_root", "detach old root: %s", strerror(errno));
		if (chdir("/") < 0)
			FAIL("pivot_root", "chdir /: %s", strerror(errno));
		sb_send_step(fd, "pivot_root", true, "old root detached");
	} else {
		int e = errno;
		if (chroot(".") < 0)
			FAIL("pivot_root", "pivot_root: %s; chroot: %s", strerror(e), strerror(errno));
		if (chdir("/") < 0)
			FAIL("pivot_root", "chdir /: %s", strerror(errno));
		sb_send_step(fd, "pivot_root", false, "pivot_root failed (%s): fell back to chroot", strerror(e));
	}
	return 0;
}

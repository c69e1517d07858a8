/*
 * sandbox.c — the sandbox set-up, as three linear sequences:
 *
 *   sandbox_prepare()  dynaudit, before anything runs: user, scratch dir,
 *                      size-capped /tmp and HOME, the workdir copy;
 *   init_main()        the sandbox init (pid 1 of the new namespaces):
 *                      mounts, hostname, loopback, then waits for "go",
 *                      forks the target and reaps until the tree is gone;
 *   target_main()      the target child: stdio, limits, cwd, identity,
 *                      capabilities, command lookup, no_new_privs, the
 *                      seccomp hook, execve.
 *
 * Each step is recorded (parent) or sent on the status pipe (children) so
 * the report can show exactly what isolation the target had.
 *
 * Pipes: ctl (dynaudit -> init): 'g' to start the target; EOF means
 * dynaudit is gone.  status
 * (init and target -> dynaudit): struct sb_msg records; the target's copy
 * is close-on-exec, so EOF after "ready" means the target exec'd.
 *
 * The init is started with a fork-like clone() (no separate stack) so
 * the code reads like fork(); the children never allocate, because
 * dynaudit may have threads holding allocator locks.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "live/sandbox_priv.h"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

/* How long sandbox_spawn waits for the init to report ready. */
#define SANDBOX_READY_TIMEOUT_MS 30000

/* ------------------------------------------------------------------ */
/* Steps                                                               */
/* ------------------------------------------------------------------ */

static void step_vset(struct sandbox_step *st, const char *name, bool ok, const char *fmt, va_list ap)
{
	snprintf(st->name, sizeof st->name, "%s", name);
	vsnprintf(st->detail, sizeof st->detail, fmt, ap);
	st->ok = ok;
}

void sb_step(struct sandbox *sb, const char *name, bool ok, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (sb->n_steps < SANDBOX_MAX_STEPS) {
		step_vset(&sb->steps[sb->n_steps++], name, ok, fmt, ap);
	} else {
		/* Never lose a step silently: the last slot counts the rest. */
		struct sandbox_step *last = &sb->steps[SANDBOX_MAX_STEPS - 1];
		static const char more[] = "more steps";
		unsigned long dropped = 1;
		if (!strcmp(last->name, more))
			dropped = strtoul(last->detail, NULL, 10) + 1;
		else
			dropped = 2; /* the one overwritten and this one */
		snprintf(last->name, sizeof last->name, "%s", more);
		snprintf(last->detail, sizeof last->detail, "%lu not listed", dropped);
		last->ok = true;
	}
	va_end(ap);
}

void sb_step_from_msg(struct sandbox *sb, const struct sb_msg *m)
{
	char name[sizeof m->name + 1];
	memcpy(name, m->name, sizeof m->name);
	name[sizeof m->name] = '\0';
	sb_step(sb, name, m->ok, "%.*s", (int)sizeof m->text, m->text);
}

static void send_msg(int fd, const struct sb_msg *m)
{
	ssize_t n;
	do
		n = write(fd, m, sizeof *m);
	while (n < 0 && errno == EINTR);
}

void sb_send_step(int fd, const char *name, bool ok, const char *fmt, ...)
{
	struct sb_msg m;
	va_list ap;

	memset(&m, 0, sizeof m);
	m.kind = SB_MSG_STEP;
	m.ok = ok;
	snprintf(m.name, sizeof m.name, "%s", name);
	va_start(ap, fmt);
	vsnprintf(m.text, sizeof m.text, fmt, ap);
	va_end(ap);
	send_msg(fd, &m);
}

void sb_send_error(int fd, int err, const char *text)
{
	struct sb_msg m;

	memset(&m, 0, sizeof m);
	m.kind = SB_MSG_ERROR;
	m.err = err > 0 ? err : EPERM;
	snprintf(m.text, sizeof m.text, "%s", text);
	send_msg(fd, &m);
}

/* ------------------------------------------------------------------ */
/* Parent: prepare                                                     */
/* ------------------------------------------------------------------ */

/* HOME becomes a mount point in the new root: an absolute path without
 * "." or ".." components (which could climb out of the new root), short
 * enough for the host path buffers. */
static bool home_is_sane(const char *home)
{
	size_t len = strlen(home);
	if (home[0] != '/' || len < 2 || len >= 200 || home[len - 1] == '/')
		return false;
	for (const char *c = home; c; c = strchr(c + 1, '/')) {
		if (!strncmp(c, "/./", 3) || !strcmp(c, "/.") || !strncmp(c, "/../", 4) ||
		    !strcmp(c, "/..") || !strncmp(c, "//", 2))
			return false;
	}
	return true;
}

/* Why a tmpfs here: /tmp and HOME must be host paths (the monitors watch
 * them with inotify) yet bounded in size; a tmpfs of our own gives both.
 * Mounted in dynaudit's namespace, detached by sandbox_cleanup. */
static int mount_capped(const char *path, long long size, mode_t mode)
{
	char opts[96];
	snprintf(opts, sizeof opts, "size=%lld,mode=%04o", size, (unsigned)mode);
	if (mount("tmpfs", path, "tmpfs", MS_NOSUID | MS_NODEV, opts) < 0)
		return -errno;
	return 0;
}

/* target.files: each course file or directory lands in the workdir copy
 * under its own name, before the setup, by the rules of the submission's
 * copy (no link followed, bounded).  A submission's entry of the same
 * name is replaced: the course's version is the one the staff meant. */
static int copy_course_files(struct sandbox *sb, bool root, char *err, size_t errlen)
{
	const struct audit_config *cfg = sb->cfg;
	char list[512] = "";
	size_t used = 0, n = 0;
	long long total = 0;
	for (size_t i = 0; cfg->files && cfg->files[i]; i++) {
		const char *f = cfg->files[i];
		const char *slash = strrchr(f, '/');
		const char *name = slash ? slash + 1 : f;
		if (!slash || !name[0] || !strcmp(name, ".") || !strcmp(name, "..")) {
			snprintf(err, errlen, "target.files: '%s' names no file", f);
			return -EINVAL;
		}
		char dir[PATH_MAX], old[PATH_MAX + 300];
		snprintf(dir, sizeof dir, "%.*s", slash == f ? 1 : (int)(slash - f), f);
		snprintf(old, sizeof old, "%s/%s", sb->workdir_host, name);
		struct stat st;
		int rc = 0;
		if (lstat(old, &st) == 0)
			rc = S_ISDIR(st.st_mode) ? sb_remove_tree(old) : unlink(old) < 0 ? -errno : 0;
		long long bytes = 0;
		err[0] = '\0';
		if (rc == 0)
			rc = sb_copy_into(dir, name, sb->workdir_host, root, sb->uid, sb->gid, &bytes, err,
					  errlen);
		if (rc < 0) {
			char why[300];
			snprintf(why, sizeof why, "%s", err);
			snprintf(err, errlen, "target.files %s: %s", f, why[0] ? why : strerror(-rc));
			return rc;
		}
		total += bytes;
		n++;
		if (used < sizeof list)
			used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", used ? ", " : "", name);
	}
	if (n)
		sb_step(sb, "course files", true, "%zu copied into the workdir (%lld bytes): %s", n, total,
			list);
	return 0;
}

int sandbox_prepare(struct sandbox *sb, const struct audit_config *cfg, char *err, size_t errlen)
{
	long long tmpfs_size = cfg->limit_tmpfs > 0 ? cfg->limit_tmpfs : 64LL << 20;
	bool root = geteuid() == 0;
	int rc;

	memset(sb, 0, sizeof *sb);
	sb->cfg = cfg;
	sb->netns_fd = sb->ctl_fd = sb->status_fd = sb->scratch_lock_fd = sb->init_pidfd = -1;
	sb->in_userns = !root;

	/* Who the target runs as: a dedicated unprivileged user, so that
	 * file permissions and RLIMIT_NPROC apply to it alone. */
	rc = sb_resolve_user(cfg->user, &sb->uid, &sb->gid, sb->user_name, sizeof sb->user_name,
			     err, errlen);
	if (rc < 0)
		return rc;
	/* uid 0 is allowed (the config says so) but flagged: the target then
	 * keeps root's file access inside the sandbox. */
	sb_step(sb, "sandbox user", sb->uid != 0, "%s (uid %ld, gid %ld)%s", sb->user_name, (long)sb->uid,
		(long)sb->gid, sb->uid == 0 ? ": runs as root, file permissions do not apply" :
		root ? "" : ", mapped to the caller in a user namespace");

	sb->home = cfg->home && cfg->home[0] ? cfg->home : "/home/auditor";
	if (!home_is_sane(sb->home)) {
		snprintf(err, errlen, "sandbox.home: '%s' is not a plain absolute path", sb->home);
		return -EINVAL;
	}
	snprintf(sb->workdir_buf, sizeof sb->workdir_buf, "%s/app", sb->home);
	sb->workdir = sb->workdir_buf;

	/* Why first: nothing of ours may be mounted in the host's namespace,
	 * where it would outlive a SIGKILLed dynaudit (sandbox_scratch.c). */
	sb_private_mount_ns(sb);

	/* The scratch dir holds everything the run writes; 0700 because only
	 * dynaudit and the init (root, or the caller in a user namespace)
	 * walk it: the target reaches /tmp and HOME through bind mounts, not
	 * through this path.  What killed audits left is removed first. */
	const char *tmpdir = getenv("TMPDIR");
	if (!tmpdir || tmpdir[0] != '/' || strlen(tmpdir) > 150)
		tmpdir = "/tmp";
	int reaped = sb_scratch_reap(tmpdir);
	rc = sb_scratch_make(sb, tmpdir, err, errlen);
	if (rc < 0)
		return rc;
	snprintf(sb->tmp_host, sizeof sb->tmp_host, "%s/tmp", sb->scratch);
	snprintf(sb->home_host, sizeof sb->home_host, "%s/home", sb->scratch);
	snprintf(sb->workdir_host, sizeof sb->workdir_host, "%s/app", sb->home_host);
	char newroot[300];
	snprintf(newroot, sizeof newroot, "%s/root", sb->scratch);
	if (mkdir(newroot, 0755) < 0 || mkdir(sb->tmp_host, 0700) < 0 || mkdir(sb->home_host, 0700) < 0) {
		rc = -errno;
		snprintf(err, errlen, "scratch directory %s: %s", sb->scratch, strerror(errno));
		goto fail;
	}
	sb_step(sb, "scratch directory", true, "%s%s, locked while the audit lives%s", sb->scratch,
		sb->scratch_tmpfs ? " (a tmpfs of its own)" : "",
		reaped ? "; removed the leftovers of killed audits" : "");

	/* Size caps.  HOME's cap is raised to fit the copy once its size is
	 * known (below).  Without root there is no mount here: the target's
	 * files are then bounded only by RLIMIT_FSIZE per file. */
	if (root) {
		rc = mount_capped(sb->tmp_host, tmpfs_size, 01777);
		if (rc == 0)
			rc = mount_capped(sb->home_host, tmpfs_size + SANDBOX_COPY_MAX_BYTES, 0755);
		if (rc < 0) {
			sb_scratch_remove(sb); /* detaches a half-done mount */
			snprintf(err, errlen, "tmpfs for /tmp and HOME: %s", strerror(-rc));
			return rc;
		}
		sb->tmpfs_mounted = true;
	}

	/* The private copy: the target may write its workdir, the original
	 * submission stays untouched, and it belongs to the sandbox user. */
	long long bytes = 0;
	if (cfg->workdir) {
		rc = sb_copy_tree(cfg->workdir, sb->workdir_host, root, sb->uid, sb->gid, &bytes, err, errlen);
		if (rc < 0)
			goto fail;
	} else if (mkdir(sb->workdir_host, 0755) < 0 ||
		   (root && chown(sb->workdir_host, sb->uid, sb->gid) < 0)) {
		rc = -errno;
		snprintf(err, errlen, "workdir %s: %s", sb->workdir_host, strerror(errno));
		goto fail;
	}
	sb_step(sb, "workdir copy", true, "%s -> %s (%lld bytes)", cfg->workdir ? cfg->workdir : "(none)",
		sb->workdir, bytes);
	if ((rc = copy_course_files(sb, root, err, errlen)) < 0)
		goto fail;

	/* /tmp and HOME belong to the sandbox user: it is the only user
	 * there, and the monitors see everything it writes. */
	if (root && (chown(sb->tmp_host, sb->uid, sb->gid) < 0 || chown(sb->home_host, sb->uid, sb->gid) < 0)) {
		rc = -errno;
		snprintf(err, errlen, "chown %s: %s", sb->scratch, strerror(errno));
		goto fail;
	}
	if (chmod(sb->tmp_host, 01777) < 0 || chmod(sb->home_host, 0755) < 0) {
		rc = -errno;
		snprintf(err, errlen, "chmod %s: %s", sb->scratch, strerror(errno));
		goto fail;
	}
	if (root) {
		struct statvfs sv;
		long long used = 0;
		if (statvfs(sb->home_host, &sv) == 0)
			used = (long long)(sv.f_blocks - sv.f_bfree) * (long long)sv.f_bsize;
		char opts[64];
		snprintf(opts, sizeof opts, "size=%lld", used + tmpfs_size);
		if (mount(NULL, sb->home_host, NULL, MS_REMOUNT | MS_NOSUID | MS_NODEV, opts) < 0) {
			rc = -errno;
			snprintf(err, errlen, "tmpfs size of HOME: %s", strerror(errno));
			goto fail;
		}
		sb_step(sb, "size caps", true, "tmpfs /tmp %lld bytes, HOME copy + %lld bytes", tmpfs_size, tmpfs_size);
	} else {
		sb_step(sb, "size caps", false, "skipped: not root (RLIMIT_FSIZE only)");
	}
	return 0;

fail:
	sb_scratch_remove(sb);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Child: the target                                                   */
/* ------------------------------------------------------------------ */

struct spawn_args {
	struct sandbox *sb;
	char *const *argv;
	int out_fd, err_fd, null_fd;
	int stdin_fd;           /* target.stdin's sealed memfd (the target's fd 0), or -1 */
	int ctl_rd, status_wr;
	uid_t outer_uid;
	gid_t outer_gid;
	sandbox_exec_hook hook;
	void *hook_ctx;
	int cgroup_join_fd;     /* the pids cgroup's tasks file, or -1 */
	int memcg_join_fd;      /* the memory cgroup's tasks file, or -1 */
};

static const char *env_get(char *const *envp, const char *key)
{
	size_t kl = strlen(key);
	for (size_t i = 0; envp[i]; i++)
		if (!strncmp(envp[i], key, kl) && envp[i][kl] == '=')
			return envp[i] + kl + 1;
	return NULL;
}

static void target_fail(int fd, int err, const char *why)
{
	sb_send_error(fd, err, why);
	_exit(127);
}

/* The setup command (target.setup) and the target go through the same
 * child path; argv says which.  A setup failure names the setup command,
 * so "make: not found" is not mistaken for the target's own lookup. */
/* Whether the init is in the pids cgroup: its children (the target) see
 * it, being forks of the init. */
static bool in_pids_cgroup;

/* Init: write "0" (this thread) to a cgroup's tasks file opened by the
 * parent, and say how it went as a step.  Returns whether it joined. */
static bool join_own_cgroup(int status_fd, int join_fd, const char *step, const char *note,
			    const char *path, const char *fallback)
{
	if (join_fd < 0)
		return false;
	bool joined = write(join_fd, "0", 1) == 1;
	int e = errno;
	close(join_fd);
	if (joined)
		sb_send_step(status_fd, step, true, "%s", note);
	else
		sb_send_step(status_fd, step, false, "skipped: joining %s: %s; %s only", path, strerror(e),
			     fallback);
	return joined;
}

__attribute__((noreturn)) static void target_main(const struct spawn_args *a, char *const *argv,
						  bool is_setup)
{
	const struct sandbox *sb = a->sb;
	const struct audit_config *cfg = sb->cfg;
	int fd = a->status_wr;
	char why[300], path[4096];
	int rc;

	/* stdin is /dev/null (target.stdin's copy for the target, never for
	 * the setup), stdout/stderr are dynaudit's pipes; every
	 * other inherited descriptor is closed at exec (the status pipe
	 * already is), so nothing of dynaudit leaks into the target.  Lift
	 * the sources above 2 first, so no dup2 overwrites another's source. */
	int src_in = !is_setup && a->stdin_fd >= 0 ? a->stdin_fd : a->null_fd;
	int in_fd = src_in < 3 ? fcntl(src_in, F_DUPFD_CLOEXEC, 3) : src_in;
	int out_fd = a->out_fd < 3 ? fcntl(a->out_fd, F_DUPFD_CLOEXEC, 3) : a->out_fd;
	int err_fd = a->err_fd < 3 ? fcntl(a->err_fd, F_DUPFD_CLOEXEC, 3) : a->err_fd;
	if (in_fd < 0 || out_fd < 0 || err_fd < 0 ||
	    dup2(in_fd, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(err_fd, 2) < 0) {
		snprintf(why, sizeof why, "redirecting stdio: %s", strerror(errno));
		target_fail(fd, errno, why);
	}
	/* The capture pipes belong to dynaudit's uid; programs reopen them
	 * as /dev/stdout or /dev/stderr (`tee /dev/stderr`, `echo >/dev/stderr`),
	 * which the kernel checks against the pipe's owner and mode 0600.
	 * Hand them to the sandbox user so those idioms work as outside.
	 * Under a user namespace they already map to it; a failure is harmless. */
	if (fchown(1, sb->uid, sb->gid) < 0 || fchown(2, sb->uid, sb->gid) < 0)
		errno = 0;
	if (syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) < 0) {
		for (int i = 3; i < 65536; i++)
			if (i != fd)
				fcntl(i, F_SETFD, FD_CLOEXEC);
	}
	/* Why a session of its own: no controlling terminal, so no TIOCSTI
	 * into dynaudit's terminal and no job-control signals from it. */
	setsid();

	/* Resource limits first, while we may still set the hard limits. */
	if ((rc = sb_apply_limits(cfg, sb->memcg_on, in_pids_cgroup, fd, why, sizeof why)) < 0)
		target_fail(fd, -rc, why);

	/* The workdir copy is the target's cwd, as in the submission. */
	if (chdir(sb->workdir) < 0) {
		snprintf(why, sizeof why, "chdir %s: %s", sb->workdir, strerror(errno));
		target_fail(fd, errno, why);
	}

	/* Identity and capabilities: from here on we are the sandbox user
	 * with no privilege at all. */
	if ((rc = sb_become_user(sb->uid, sb->gid, sb->user_name, sb->in_userns, cfg->drop_caps, fd,
				 why, sizeof why)) < 0)
		target_fail(fd, -rc, why);

	/* The lookup is made now, as the sandbox user, so "not executable"
	 * means exactly that for the user that will run it. */
	const char *search = env_get(sb->envp, "PATH");
	if ((rc = sb_resolve_command(argv[0], search ? search : SANDBOX_PATH, sb->uid, sb->user_name,
				     path, sizeof path, why, sizeof why)) < 0) {
		if (is_setup) {
			char setup_why[sizeof why + 32];
			snprintf(setup_why, sizeof setup_why, "target.setup: %s", why);
			target_fail(fd, -rc, setup_why);
		}
		target_fail(fd, -rc, why);
	}
	if (!is_setup && (rc = sb_check_entry(argv, why, sizeof why)) < 0)
		target_fail(fd, -rc, why);

	/* no_new_privs: set-uid bits and file capabilities are ignored by
	 * every later execve, and the seccomp filter may be installed
	 * without CAP_SYS_ADMIN. */
	if (cfg->no_new_privs) {
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
			snprintf(why, sizeof why, "PR_SET_NO_NEW_PRIVS: %s", strerror(errno));
			target_fail(fd, errno, why);
		}
		sb_send_step(fd, "no_new_privs", true, "set");
	} else {
		sb_send_step(fd, "no_new_privs", false, "off (sandbox.no_new_privs: false)");
	}

	/* The seccomp filter goes last: anything after it is only execve,
	 * so the filter never has to allow set-up syscalls. */
	if (a->hook) {
		if ((rc = a->hook(a->hook_ctx)) < 0) {
			snprintf(why, sizeof why, "installing the seccomp filter: %s", strerror(-rc));
			target_fail(fd, -rc, why);
		}
		sb_send_step(fd, "seccomp", true, "filter installed");
	} else {
		sb_send_step(fd, "seccomp", false, "no filter");
	}

	execve(path, argv, sb->envp);
	snprintf(why, sizeof why, "%sexecve %s: %s", is_setup ? "target.setup: " : "", path,
		 strerror(errno));
	target_fail(fd, errno, why);
	_exit(127);
}

/* ------------------------------------------------------------------ */
/* Child: the sandbox init                                             */
/* ------------------------------------------------------------------ */

static bool read_byte(int fd, char want)
{
	char c;
	ssize_t n;
	do
		n = read(fd, &c, 1);
	while (n < 0 && errno == EINTR);
	return n == 1 && c == want;
}

static int loopback_up(char *why, size_t whylen)
{
	struct ifreq ifr;
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0) {
		snprintf(why, whylen, "socket: %s", strerror(errno));
		return -errno;
	}
	memset(&ifr, 0, sizeof ifr);
	snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "lo");
	int rc = 0;
	if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0) {
		rc = -errno;
		snprintf(why, whylen, "SIOCGIFFLAGS lo: %s", strerror(errno));
	} else {
		ifr.ifr_flags |= IFF_UP;
		if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0) {
			rc = -errno;
			snprintf(why, whylen, "SIOCSIFFLAGS lo: %s", strerror(errno));
		}
	}
	close(s);
	return rc;
}

static int write_file(const char *path, const char *text)
{
	int f = open(path, O_WRONLY | O_CLOEXEC);
	if (f < 0)
		return -errno;
	ssize_t n = write(f, text, strlen(text));
	int e = errno;
	close(f);
	return n == (ssize_t)strlen(text) ? 0 : (n < 0 ? -e : -EIO);
}

static int map_own_ids(uid_t uid, gid_t gid, uid_t outer_uid, gid_t outer_gid, char *why, size_t whylen)
{
	char map[64];
	const char *file;
	int rc;

	prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
	file = "/proc/self/setgroups";
	if ((rc = write_file(file, "deny")) < 0 && rc != -ENOENT)
		goto fail;
	file = "/proc/self/uid_map";
	snprintf(map, sizeof map, "%ld %ld 1\n", (long)uid, (long)outer_uid);
	if ((rc = write_file(file, map)) < 0)
		goto fail;
	file = "/proc/self/gid_map";
	snprintf(map, sizeof map, "%ld %ld 1\n", (long)gid, (long)outer_gid);
	if ((rc = write_file(file, map)) < 0)
		goto fail;
	return 0;
fail:
	snprintf(why, whylen, "user namespace: writing %s: %s", file, strerror(-rc));
	return rc;
}

/* The init's command line and environment as /proc shows them. */
#define SANDBOX_INIT_NAME "sandbox-init"

/* Init: the init is a copy of dynaudit, so /proc/1/cmdline and environ
 * would show dynaudit's command line (host paths, --set values) and the
 * grader's environment to anyone allowed to read them.  Point both at a
 * page of our own holding SANDBOX_INIT_NAME and nothing.  PR_SET_MM_MAP
 * needs no privilege while the executable stays the same (it exists for
 * unprivileged checkpoint/restore), so this works as root and in a user
 * namespace; the other fields must be passed back as they are, read from
 * /proc/self/stat.  The page is anonymous memory because the kernel reads
 * a command line only from there (FOLL_ANON).  The old strings stay where
 * they are (the target's argv may point into them): only a process that
 * may ptrace the init could read them. */
static int neutral_cmdline(char *why, size_t whylen)
{
	static char stat[2048];
	unsigned long field[52] = { 0 };
	int rc;

	int f = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
	if (f < 0) {
		rc = -errno;
		snprintf(why, whylen, "/proc/self/stat: %s", strerror(errno));
		return rc;
	}
	ssize_t n = read(f, stat, sizeof stat - 1);
	close(f);
	/* comm may hold anything, ')' included: the fields start after the last */
	char *p = n > 0 ? (stat[n] = '\0', strrchr(stat, ')')) : NULL;
	for (int i = 3; p && i < 52; i++) {
		p = strchr(p, ' ');
		if (p)
			field[i] = strtoul(++p, NULL, 10);
	}
	if (!p) {
		snprintf(why, whylen, "/proc/self/stat: unexpected format");
		return -EPROTO;
	}
	char *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED) {
		rc = -errno;
		snprintf(why, whylen, "mmap: %s", strerror(errno));
		return rc;
	}
	memcpy(page, SANDBOX_INIT_NAME, sizeof SANDBOX_INIT_NAME);
	unsigned long args = (unsigned long)page, env = args + sizeof SANDBOX_INIT_NAME;
	struct prctl_mm_map map = {
		.start_code = field[26], .end_code = field[27], .start_stack = field[28],
		.start_data = field[45], .end_data = field[46], .start_brk = field[47],
		.brk = (unsigned long)syscall(SYS_brk, 0),
		.arg_start = args, .arg_end = env, .env_start = env, .env_end = env,
		.exe_fd = (unsigned)-1,
	};
	if (prctl(PR_SET_MM, PR_SET_MM_MAP, (unsigned long)&map, sizeof map, 0) < 0) {
		rc = -errno;
		snprintf(why, whylen, "PR_SET_MM_MAP: %s", strerror(errno));
		munmap(page, 4096);
		return rc;
	}
	return 0;
}

__attribute__((noreturn)) static void init_fail(int fd, int err, const char *why)
{
	sb_send_error(fd, err, why);
	_exit(126);
}

/* Init: fork the setup child, wait for it (reaping any orphan on the
 * way) and report how it ended on the status pipe (SB_MSG_SETUP).
 * Returns true when it exited 0; *code gets its status (128 + signal). */
static bool run_setup(const struct spawn_args *a, int *code)
{
	int fd = a->status_wr;
	char why[300];
	struct timespec t0, t1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid_t setup = fork();
	if (setup < 0) {
		snprintf(why, sizeof why, "target.setup: fork: %s", strerror(errno));
		init_fail(fd, errno, why);
	}
	if (setup == 0)
		target_main(a, a->sb->cfg->setup, true);

	int st = 0;
	for (;;) {
		pid_t p = waitpid(-1, &st, __WALL);
		if (p < 0 && errno == EINTR)
			continue;
		if (p < 0) {
			/* cannot happen (the setup is our child): count it failed */
			st = 127 << 8;
			break;
		}
		if (p == setup)
			break;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);

	struct sb_msg m;
	memset(&m, 0, sizeof m);
	m.kind = SB_MSG_SETUP;
	m.ok = WIFEXITED(st) && WEXITSTATUS(st) == 0;
	m.err = WIFEXITED(st) ? WEXITSTATUS(st) : -WTERMSIG(st);
	long ms = (long)(t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	snprintf(m.text, sizeof m.text, "%ld", ms);
	send_msg(fd, &m);
	*code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	return m.ok;
}

__attribute__((noreturn)) static void init_main(const struct spawn_args *a)
{
	struct sandbox *sb = a->sb;
	int fd = a->status_wr;
	char why[300];
	int rc;

	/* If dynaudit dies, the init dies, and with it (pid 1) the whole
	 * namespace.  A death before this line shows as EOF on ctl. */
	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);

	/* dynaudit's command line and environment are not the target's to
	 * read; optional, as /proc hides the init from the target anyway
	 * (hidepid, sb_build_root). */
	if ((rc = neutral_cmdline(why, sizeof why)) == 0)
		sb_send_step(fd, "init command line", true, "\"%s\", empty environment", SANDBOX_INIT_NAME);
	else
		sb_send_step(fd, "init command line", false, "dynaudit's kept: %s", why);

	/* Into the pids and memory cgroups before anything else, by moving
	 * ourselves (see sb_cgroup_prepare); every later process is born in
	 * them. */
	/* v1: joined here; v2: the parent moves the init in from outside */
	in_pids_cgroup = a->cgroup_join_fd >= 0
		? join_own_cgroup(fd, a->cgroup_join_fd, "pids cgroup", sb->cgroup_note, sb->cgroup_path,
				  "RLIMIT_NPROC")
		: sb->cgroup_path[0] != '\0';
	join_own_cgroup(fd, a->memcg_join_fd, "memory cgroup", sb->memcg_note, sb->memcg_path,
			"RLIMIT_DATA");

	/* In a user namespace we map ourselves: the sandbox user inside is
	 * the caller outside (one id each), which an unprivileged process may
	 * do for its own ids once setgroups is denied.  Dumpable first: a
	 * process whose ids changed (set-uid dynaudit, a test dropping root)
	 * is not, and then its /proc files are not writable by its owner. */
	if (sb->in_userns) {
		if ((rc = map_own_ids(sb->uid, sb->gid, a->outer_uid, a->outer_gid, why, sizeof why)) < 0)
			init_fail(fd, -rc, why);
		sb_send_step(fd, "user namespace", true, "uid %ld inside = uid %ld outside",
			     (long)sb->uid, (long)a->outer_uid);
	}
	sb_send_step(fd, "pid namespace", getpid() == 1, "own pid namespace, init is pid %ld", (long)getpid());
	sb_send_step(fd, "ipc, uts namespaces", true, "own System V IPC and hostname");

	/* Why private, recursively: our mounts must not propagate back to
	 * the host (and host mounts must not appear in the sandbox later). */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
		snprintf(why, sizeof why, "making mounts private: %s", strerror(errno));
		init_fail(fd, errno, why);
	}
	sb_send_step(fd, "mount namespace", true, "own mount namespace, private propagation");

	if ((rc = sb_build_root(sb, fd, why, sizeof why)) < 0)
		init_fail(fd, -rc, why);

	/* A fixed hostname: the target learns nothing about the host. */
	if (sethostname(SANDBOX_HOSTNAME, strlen(SANDBOX_HOSTNAME)) < 0) {
		snprintf(why, sizeof why, "sethostname: %s", strerror(errno));
		init_fail(fd, errno, why);
	}
	sb_send_step(fd, "hostname", true, SANDBOX_HOSTNAME);

	/* network: none — a fresh net namespace has only lo, and it is down;
	 * bring it up so servers on 127.0.0.1 work while nothing can leave. */
	if (sb->cfg->network == NETWORK_NONE) {
		if ((rc = loopback_up(why, sizeof why)) < 0)
			init_fail(fd, -rc, why);
		sb_send_step(fd, "network namespace", true, "own namespace, loopback only (lo up)");
	} else {
		sb_send_step(fd, "network namespace", false, "shared with the host (sandbox.network: host)");
	}

	struct sb_msg ready;
	memset(&ready, 0, sizeof ready);
	ready.kind = SB_MSG_READY;
	send_msg(fd, &ready);

	/* Wait for "go": dynaudit seizes us with ptrace in between, so the
	 * target is traced from its first instruction.  EOF: dynaudit gave up. */
	if (!read_byte(a->ctl_rd, 'g'))
		_exit(0);
	close(a->ctl_rd);

	/* A cgroup namespace rooted where we are now: in the pids and memory
	 * cgroups (v1 joined above, v2 moved in by dynaudit before "go"), so
	 * the target's /proc/self/cgroup reads "/" instead of host paths
	 * named after dynaudit's pid.  Not at clone time: the root would then
	 * be dynaudit's own cgroup, and the sandbox's a path below it. */
	if (unshare(CLONE_NEWCGROUP) == 0)
		sb_send_step(fd, "cgroup namespace", true, "own, rooted at the sandbox's cgroups");
	else
		sb_send_step(fd, "cgroup namespace", false, "shared (%s): host cgroup paths visible",
			     strerror(errno));

	/* target.setup (a build, e.g. make) runs first, through exactly the
	 * target's path (limits, identity, capabilities, no_new_privs,
	 * seccomp), and the target only when it exited 0: a target built by
	 * the setup does not exist before.  Orphans are reaped meanwhile. */
	int code = 0, st;
	pid_t target = -1;
	bool setup_ok = true;
	if (sb->cfg->setup && sb->cfg->setup[0])
		setup_ok = run_setup(a, &code);

	if (setup_ok) {
		target = fork();
		if (target < 0) {
			snprintf(why, sizeof why, "fork of the target: %s", strerror(errno));
			init_fail(fd, errno, why);
		}
		if (target == 0)
			target_main(a, a->argv, false);
	}

	/* Only the target holds the status pipe now: its exec closes it.
	 * (After a failed setup nobody does: EOF right away.) */
	close(fd);
	close(a->out_fd);
	close(a->err_fd);

	/* As pid 1 every orphan of the sandbox is ours to reap; when none is
	 * left the namespace is empty and we leave with the target's status
	 * (the setup's, when the target was not started). */
	for (;;) {
		pid_t p = waitpid(-1, &st, __WALL);
		if (p < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p == target)
			code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	}
	_exit(code);
}

/* ------------------------------------------------------------------ */
/* Parent: spawn, go, status, kill, cleanup                            */
/* ------------------------------------------------------------------ */

/* Read one record; 1 = got one, 0 = would block, -EPIPE = EOF. */
static int read_msg(int fd, struct sb_msg *m)
{
	ssize_t n;
	do
		n = read(fd, m, sizeof *m);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EAGAIN ? 0 : -errno;
	if (n == 0)
		return -EPIPE;
	if ((size_t)n != sizeof *m)
		return -EPROTO;
	m->text[sizeof m->text - 1] = '\0';
	return 1;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

int sandbox_spawn(struct sandbox *sb, char *const argv[], int out_fd, int err_fd,
		  sandbox_exec_hook hook, void *hook_ctx, char *err, size_t errlen)
{
	const struct audit_config *cfg = sb->cfg;
	int ctl[2] = { -1, -1 }, status[2] = { -1, -1 };
	int null_fd = -1, stdin_fd = -1;
	int rc;

	if (!argv || !argv[0]) {
		snprintf(err, errlen, "no command to run");
		return -EINVAL;
	}
	if (cfg->stdin_path && (stdin_fd = sb_open_stdin(cfg->stdin_path, err, errlen)) < 0)
		return stdin_fd;
	sb->envp = sb_build_env(cfg, sb->home, sb->user_name, sb->extra_env);
	if (!sb->envp) {
		snprintf(err, errlen, "environment: %s", strerror(ENOMEM));
		return -ENOMEM;
	}
	if (pipe2(ctl, O_CLOEXEC) < 0 || pipe2(status, O_CLOEXEC) < 0 ||
	    (null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0) {
		rc = -errno;
		snprintf(err, errlen, "pipes: %s", strerror(errno));
		goto fail_fds;
	}

	/* The namespaces: pid (the target sees only its own tree, and
	 * killing our pid 1 kills it all), mount (the filesystem view), ipc
	 * and uts (no shared SysV objects, own hostname), net for network:
	 * none, and user when we lack the privilege for the others.  (cgroup
	 * comes later, from the init: see init_main.) */
	unsigned long flags = CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWUTS;
	if (cfg->network == NETWORK_NONE)
		flags |= CLONE_NEWNET;
	if (sb->in_userns)
		flags |= CLONE_NEWUSER;

	/* The pids cgroup exists before the init, which joins it itself. */
	int join_fd = -1, mem_join_fd = -1;
	sb_cgroup_prepare(sb, cfg->limit_processes > 0 ? cfg->limit_processes : 256, &join_fd);
	sb_memcg_prepare(sb, cfg->limit_memory > 0 ? cfg->limit_memory : 1LL << 30, &mem_join_fd);
	struct spawn_args a = { .sb = sb, .argv = argv, .out_fd = out_fd, .err_fd = err_fd,
				.null_fd = null_fd, .stdin_fd = stdin_fd, .ctl_rd = ctl[0], .status_wr = status[1],
				.outer_uid = geteuid(), .outer_gid = getegid(),
				.hook = hook, .hook_ctx = hook_ctx, .cgroup_join_fd = join_fd,
				.memcg_join_fd = mem_join_fd };
	/* Fork-like clone: stack NULL means "share the copy-on-write stack",
	 * exactly as fork() does (argument order of x86-64/arm64/riscv). */
	pid_t pid = (pid_t)syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, NULL);
	int clone_errno = errno;
	if (join_fd >= 0 && pid != 0)
		close(join_fd);
	if (mem_join_fd >= 0 && pid != 0)
		close(mem_join_fd);
	errno = clone_errno;
	if (pid < 0) {
		rc = -errno;
		snprintf(err, errlen, "creating the sandbox namespaces: %s%s", strerror(errno),
			 errno == EPERM || errno == EINVAL || errno == ENOSPC ?
			 " (user or pid namespaces refused by the kernel)" : "");
		goto fail_fds;
	}
	if (pid == 0) {
		close(ctl[1]);
		close(status[0]);
		init_main(&a);
	}
	close_fd(&ctl[0]);
	close_fd(&status[1]);
	close_fd(&null_fd);
	close_fd(&stdin_fd);
	sb->init_pid = pid;
	sb->ctl_fd = ctl[1];
	sb->status_fd = status[0];
	/* To see the namespace empty without listing /proc (sandbox_init_gone). */
	sb->init_pidfd = (int)syscall(SYS_pidfd_open, pid, 0);

	/* cgroup v2: joined from outside, still before the target exists, so
	 * every process of the sandbox counts against it. */
	if (join_fd < 0 && sb->cgroup_path[0])
		sb_cgroup_attach(sb, pid);

	/* Collect the init's steps until it is ready (or failed). */
	for (;;) {
		struct pollfd p = { .fd = sb->status_fd, .events = POLLIN };
		int pr = poll(&p, 1, SANDBOX_READY_TIMEOUT_MS);
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr <= 0) {
			rc = -ETIMEDOUT;
			snprintf(err, errlen, "sandbox init did not get ready within %d s",
				 SANDBOX_READY_TIMEOUT_MS / 1000);
			goto fail_child;
		}
		struct sb_msg m;
		int r = read_msg(sb->status_fd, &m);
		if (r == 0)
			continue;
		if (r < 0) {
			rc = r == -EPIPE ? -ECHILD : r;
			snprintf(err, errlen, "sandbox init exited during set-up");
			goto fail_child;
		}
		if (m.kind == SB_MSG_STEP) {
			sb_step_from_msg(sb, &m);
		} else if (m.kind == SB_MSG_ERROR) {
			rc = -m.err;
			snprintf(err, errlen, "sandbox set-up: %s", m.text);
			goto fail_child;
		} else if (m.kind == SB_MSG_READY) {
			break;
		}
	}

	/* The socket monitor enters the sandbox's network namespace. */
	char nspath[64];
	snprintf(nspath, sizeof nspath, "/proc/%ld/ns/net", (long)pid);
	sb->netns_fd = open(nspath, O_RDONLY | O_CLOEXEC);
	if (sb->netns_fd < 0)
		sb_step(sb, "netns handle", false, "%s: %s", nspath, strerror(errno));

	/* From now on status is polled by sandbox_read_status. */
	fcntl(sb->status_fd, F_SETFL, fcntl(sb->status_fd, F_GETFL) | O_NONBLOCK);
	return 0;

fail_child:
	kill(pid, SIGKILL);
	waitpid(pid, NULL, __WALL);
	sb->init_pid = 0;
	close_fd(&sb->init_pidfd);
	close_fd(&sb->ctl_fd);
	close_fd(&sb->status_fd);
	free(sb->envp);
	sb->envp = NULL;
	return rc;

fail_fds:
	close_fd(&ctl[0]);
	close_fd(&ctl[1]);
	close_fd(&status[0]);
	close_fd(&status[1]);
	close_fd(&null_fd);
	close_fd(&stdin_fd);
	free(sb->envp);
	sb->envp = NULL;
	return rc;
}

int sandbox_start_target(struct sandbox *sb, char *err, size_t errlen)
{
	if (sb->ctl_fd < 0 || sb->init_pid <= 0) {
		snprintf(err, errlen, "sandbox not spawned, or target already started");
		return -EINVAL;
	}
	ssize_t n;
	do
		n = write(sb->ctl_fd, "g", 1);
	while (n < 0 && errno == EINTR);
	int e = errno;
	close_fd(&sb->ctl_fd);
	if (n != 1) {
		snprintf(err, errlen, "starting the target: sandbox init gone (%s)", strerror(e));
		return -(e ? e : EPIPE);
	}
	return 0;
}

int sandbox_read_status(struct sandbox *sb, char *err, size_t errlen)
{
	if (sb->outcome != 0 || sb->status_fd < 0) {
		if (sb->outcome < 0)
			snprintf(err, errlen, "%s", sb->outcome_text);
		return sb->outcome != 0 ? sb->outcome : -EINVAL;
	}
	for (;;) {
		struct sb_msg m;
		int r = read_msg(sb->status_fd, &m);
		if (r == 0)
			return 0;
		if (r == -EPIPE) {
			/* Every writer is gone without an error: the target's
			 * status pipe was closed by its successful execve. */
			sb->outcome = 1;
			close_fd(&sb->status_fd);
			return 1;
		}
		if (r < 0) {
			sb->outcome = r;
			snprintf(sb->outcome_text, sizeof sb->outcome_text, "sandbox status pipe: %s", strerror(-r));
		} else if (m.kind == SB_MSG_STEP) {
			sb_step_from_msg(sb, &m);
			continue;
		} else if (m.kind == SB_MSG_ERROR) {
			sb->outcome = -m.err;
			snprintf(sb->outcome_text, sizeof sb->outcome_text, "%s", m.text);
		} else if (m.kind == SB_MSG_SETUP) {
			sb->setup_done = true;
			sb->setup_code = m.err >= 0 ? m.err : -1;
			sb->setup_signo = m.err < 0 ? -m.err : 0;
			sb->setup_seconds = strtod(m.text, NULL) / 1000.0;
			if (m.ok)
				continue; /* the target comes next */
			sb->outcome = 2;  /* the init does not start the target */
			close_fd(&sb->status_fd);
			return 2;
		} else {
			continue;
		}
		close_fd(&sb->status_fd);
		snprintf(err, errlen, "%s", sb->outcome_text);
		return sb->outcome;
	}
}

void sandbox_kill_all(struct sandbox *sb)
{
	/* SIGKILL to pid 1 of a pid namespace kills every process in it. */
	if (sb->init_pid > 0)
		kill(sb->init_pid, SIGKILL);
}

/* A cgroup can only go once its processes are reaped: a few tries.  All
 * in it is ours and the audit is over: a survivor is killed first. */
static void remove_cgroup(char *path)
{
	if (path[0])
		sb_cgroup_kill_all(path);
	for (int i = 0; path[0] && i < 50; i++) {
		if (rmdir(path) == 0 || errno == ENOENT)
			path[0] = '\0';
		else
			usleep(10000);
	}
}

bool sandbox_init_gone(const struct sandbox *sb)
{
	if (sb->init_pidfd < 0)
		return false;
	struct pollfd p = { .fd = sb->init_pidfd, .events = POLLIN };
	return poll(&p, 1, 0) == 1 && (p.revents & (POLLIN | POLLHUP));
}

void sandbox_cleanup(struct sandbox *sb)
{
	close_fd(&sb->init_pidfd);
	close_fd(&sb->netns_fd);
	close_fd(&sb->ctl_fd);
	close_fd(&sb->status_fd);
	free(sb->envp);
	sb->envp = NULL;
	remove_cgroup(sb->cgroup_path);
	remove_cgroup(sb->memcg_path);
	sb_scratch_remove(sb);
	sb->tmpfs_mounted = false;
}

int sandbox_setup_outcome(const struct sandbox *sb, int *code, int *signo, double *seconds)
{
	if (!sb->setup_done)
		return 0;
	if (code)
		*code = sb->setup_code;
	if (signo)
		*signo = sb->setup_signo;
	if (seconds)
		*seconds = sb->setup_seconds;
	return 1;
}

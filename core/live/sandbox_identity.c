/*
 * sandbox_identity.c — who the target is and what it may use: the
 * sandbox user, the clean environment, resource limits (rlimits and a pids
 * cgroup), capabilities, and the command lookup done as that user.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <linux/capability.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "live/sandbox_priv.h"

/* ------------------------------------------------------------------ */
/* Parent side                                                         */
/* ------------------------------------------------------------------ */

int sb_resolve_user(const char *spec, uid_t *uid, gid_t *gid, char *name, size_t namelen,
		    char *err, size_t errlen)
{
	const char *s = spec && spec[0] ? spec : "nobody";
	char *end;

	errno = 0;
	unsigned long n = strtoul(s, &end, 10);
	if (s[0] >= '0' && s[0] <= '9' && *end == '\0') {
		if (errno || n >= (unsigned long)(uid_t)-1) {
			snprintf(err, errlen, "sandbox.user: uid %s out of range", s);
			return -EINVAL;
		}
		/* A bare uid need not exist in passwd: its group is then the
		 * same number, and its name the number itself. */
		struct passwd *pw = getpwuid((uid_t)n);
		*uid = (uid_t)n;
		*gid = pw ? pw->pw_gid : (gid_t)n;
		snprintf(name, namelen, "%s", pw ? pw->pw_name : s);
		return 0;
	}
	struct passwd *pw = getpwnam(s);
	if (!pw) {
		snprintf(err, errlen, "sandbox.user: no such user '%s'", s);
		return -ENOENT;
	}
	*uid = pw->pw_uid;
	*gid = pw->pw_gid;
	snprintf(name, namelen, "%s", pw->pw_name);
	return 0;
}

static bool same_key(const char *a, const char *b)
{
	size_t la = strcspn(a, "="), lb = strcspn(b, "=");
	return la == lb && !strncmp(a, b, la);
}

char **sb_build_env(const struct audit_config *cfg, const char *home, const char *user,
		     char *const *extra)
{
	char defaults[6][PATH_MAX + 8];
	size_t n_extra = 0, n_more = 0, bytes = 0;

	/* The minimal environment a login would give, never the caller's:
	 * dynaudit's own variables (tokens, proxies, paths) must not leak. */
	snprintf(defaults[0], sizeof defaults[0], "PATH=%s", SANDBOX_PATH);
	snprintf(defaults[1], sizeof defaults[1], "HOME=%s", home);
	snprintf(defaults[2], sizeof defaults[2], "LANG=C.UTF-8");
	snprintf(defaults[3], sizeof defaults[3], "TERM=dumb");
	snprintf(defaults[4], sizeof defaults[4], "USER=%s", user);
	snprintf(defaults[5], sizeof defaults[5], "LOGNAME=%s", user);

	for (size_t i = 0; cfg->env && cfg->env[i]; i++) {
		n_extra++;
		bytes += strlen(cfg->env[i]) + 1;
	}
	/* extra (the honeytokens) are defaults too: target.env wins */
	for (size_t i = 0; extra && extra[i]; i++) {
		n_more++;
		bytes += strlen(extra[i]) + 1;
	}
	for (size_t i = 0; i < 6; i++)
		bytes += strlen(defaults[i]) + 1;

	size_t slots = 6 + n_more + n_extra + 1;
	char **envp = calloc(1, slots * sizeof(char *) + bytes);
	if (!envp)
		return NULL;
	char *w = (char *)(envp + slots);
	size_t n = 0;

	/* A default is replaced by a target.env entry of the same name. */
	for (size_t i = 0; i < 6 + n_more; i++) {
		const char *d = i < 6 ? defaults[i] : extra[i - 6];
		bool overridden = false;
		for (size_t j = 0; cfg->env && cfg->env[j]; j++)
			overridden |= same_key(d, cfg->env[j]);
		if (overridden)
			continue;
		envp[n++] = strcpy(w, d);
		w += strlen(d) + 1;
	}
	for (size_t j = 0; cfg->env && cfg->env[j]; j++) {
		bool dup = false;
		for (size_t k = j + 1; cfg->env[k]; k++)
			dup |= same_key(cfg->env[j], cfg->env[k]);
		if (dup) /* the last one of a name wins */
			continue;
		envp[n++] = strcpy(w, cfg->env[j]);
		w += strlen(cfg->env[j]) + 1;
	}
	envp[n] = NULL;
	return envp;
}

static int write_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ssize_t n = write(fd, text, strlen(text));
	int e = n < 0 ? errno : 0;
	close(fd);
	return n < 0 ? -e : 0;
}

static bool file_has_word(const char *path, const char *word)
{
	char buf[512];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	char *save = NULL;
	for (char *t = strtok_r(buf, " \n", &save); t; t = strtok_r(NULL, " \n", &save))
		if (!strcmp(t, word))
			return true;
	return false;
}

/* Seconds since the epoch of a file's last change, or of a process's
 * start (field 22 of /proc/PID/stat, clock ticks after boot, and its
 * state in *state); -1 unknown. */
static double dir_mtime(const char *path)
{
	struct stat st;
	if (stat(path, &st) < 0)
		return -1;
	return (double)st.st_mtim.tv_sec + (double)st.st_mtim.tv_nsec / 1e9;
}

static double proc_start_time(pid_t pid, char *state, unsigned *flags)
{
	char path[64], buf[1024];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	char *p = strrchr(buf, ')'); /* comm may hold anything */
	unsigned long long start = 0;
	if (!p || sscanf(p + 1, " %c %*d %*d %*d %*d %*d %u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %*d %*d %llu",
			 state, flags, &start) != 3)
		return -1;
	struct timespec rt, bt;
	clock_gettime(CLOCK_REALTIME, &rt);
	clock_gettime(CLOCK_BOOTTIME, &bt);
	double boot = ((double)rt.tv_sec + (double)rt.tv_nsec / 1e9) -
		      ((double)bt.tv_sec + (double)bt.tv_nsec / 1e9);
	long ticks = sysconf(_SC_CLK_TCK);
	return boot + (double)start / (double)(ticks > 0 ? ticks : 100);
}

/* Is the dynaudit that made cgroup dir (named dynaudit-PID) gone?  The pid
 * alone does not say: a dead dynaudit's pid may have been given to any
 * process since.  The owner is the process with that pid that already
 * existed when the directory was made; one started after it is not.  A
 * zombie (killed, its parent has not reaped it yet) is dead too. */
static bool owner_dead(const char *dir, pid_t pid)
{
	if (pid == getpid())
		return true; /* ours is not made yet: a leftover of our pid's last holder */
	if (kill(pid, 0) < 0 && errno == ESRCH)
		return true;
	char state = '?';
	unsigned flags = 0;
	double made = dir_mtime(dir), started = proc_start_time(pid, &state, &flags);
	/* exiting (PF_EXITING): a SIGKILLed tracer of a fork storm takes a
	 * while to let go of its tracees before it is a zombie */
	if (state == 'Z' || state == 'X' || (flags & 0x4))
		return true;
	/* 1 s of slack: the start is in clock ticks, and a doubt keeps it */
	return made > 0 && started > 0 && started > made + 1.0;
}

void sb_cgroup_kill_all(const char *dir)
{
	char file[600], num[32];
	/* v2: one write kills the whole tree, new forks included */
	snprintf(file, sizeof file, "%s/cgroup.kill", dir);
	int fd = open(file, O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		(void)!write(fd, "1", 1);
		close(fd);
	}
	/* v1 (and v2 without cgroup.kill): kill what is listed until the list
	 * is empty; a fork in between is listed in the next round.  Bounded. */
	snprintf(file, sizeof file, "%s/cgroup.procs", dir);
	for (int round = 0; round < 200; round++) {
		FILE *f = fopen(file, "re");
		if (!f)
			return;
		int killed = 0;
		while (fgets(num, sizeof num, f)) {
			long pid = strtol(num, NULL, 10);
			if (pid > 0 && pid != getpid()) {
				kill((pid_t)pid, SIGKILL);
				killed++;
			}
		}
		fclose(f);
		if (!killed)
			return;
		usleep(5000);
	}
}

/* Cgroups of dynaudits that died before removing theirs (a SIGKILL gives
 * no chance to): whatever of their audit is still in them is killed, then
 * they go.  A cgroup only goes once its processes are reaped: a few tries. */
static void sweep_stale_cgroups(const char *parent)
{
	DIR *d = opendir(parent);
	if (!d)
		return;
	struct dirent *de;
	char path[512];
	while ((de = readdir(d)) != NULL) {
		char *end = NULL;
		if (strncmp(de->d_name, "dynaudit-", 9) != 0)
			continue;
		long pid = strtol(de->d_name + 9, &end, 10);
		snprintf(path, sizeof path, "%s/%s", parent, de->d_name);
		if (pid <= 0 || *end || !owner_dead(path, (pid_t)pid))
			continue;
		sb_cgroup_kill_all(path);
		for (int i = 0; i < 100 && rmdir(path) < 0 && errno == EBUSY; i++)
			usleep(10000);
	}
	closedir(d);
}

/* mkdir a cgroup of ours; a leftover of a dynaudit that had our pid and
 * died was swept just before (sweep_stale_cgroups): one that is still
 * there is refused.  0, or -1 with errno. */
static int make_cgroup_dir(const char *dir)
{
	if (mkdir(dir, 0755) == 0)
		return 0;
	if (errno != EEXIST || (rmdir(dir) < 0 && errno != ENOENT) || mkdir(dir, 0755) < 0)
		return -1;
	return 0;
}

void sb_cgroup_prepare(struct sandbox *sb, long max, int *join_fd)
{
	char dir[256], file[300], num[32];
	const char *which;
	bool v1;

	*join_fd = -1;
	sb->cgroup_path[0] = '\0';
	sb->cgroup_note[0] = '\0';
	/* Why: RLIMIT_NPROC counts every process of the uid on the host; a
	 * pids cgroup counts exactly the sandbox (init included: +1). */
	if (access("/sys/fs/cgroup/pids/cgroup.procs", W_OK) == 0) {
		snprintf(dir, sizeof dir, "/sys/fs/cgroup/pids/dynaudit-%ld", (long)getpid());
		which = "cgroup v1 pids";
		v1 = true;
	} else if (file_has_word("/sys/fs/cgroup/cgroup.subtree_control", "pids")) {
		snprintf(dir, sizeof dir, "/sys/fs/cgroup/dynaudit-%ld", (long)getpid());
		which = "cgroup v2 pids";
		v1 = false;
	} else {
		sb_step(sb, "pids cgroup", false, "skipped: no writable pids controller; RLIMIT_NPROC only");
		return;
	}
	sweep_stale_cgroups(v1 ? "/sys/fs/cgroup/pids" : "/sys/fs/cgroup");
	if (make_cgroup_dir(dir) < 0) {
		sb_step(sb, "pids cgroup", false, "skipped: mkdir %s: %s; RLIMIT_NPROC only", dir, strerror(errno));
		return;
	}
	snprintf(file, sizeof file, "%s/pids.max", dir);
	snprintf(num, sizeof num, "%ld", max + 1);
	int rc = write_text(file, num);
	if (rc == 0 && v1) {
		snprintf(file, sizeof file, "%s/tasks", dir);
		*join_fd = open(file, O_WRONLY | O_CLOEXEC);
		if (*join_fd < 0)
			rc = -errno;
	}
	if (rc < 0) {
		rmdir(dir);
		sb_step(sb, "pids cgroup", false, "skipped: %s: %s; RLIMIT_NPROC only", file, strerror(-rc));
		return;
	}
	snprintf(sb->cgroup_path, sizeof sb->cgroup_path, "%s", dir);
	snprintf(sb->cgroup_note, sizeof sb->cgroup_note, "%s: pids.max %ld (target tree + init)",
		 which, max + 1);
}

void sb_memcg_prepare(struct sandbox *sb, long long bytes, int *join_fd)
{
	char dir[256], file[300], num[32];
	*join_fd = -1;
	sb->memcg_on = false;
	sb->memcg_path[0] = '\0';
	sb->memcg_note[0] = '\0';
	snprintf(num, sizeof num, "%lld", bytes);
	/* Why a cgroup and not only RLIMIT_DATA: it counts memory really
	 * used by the whole tree, and runtimes size themselves from it (the
	 * JVM reads its cgroup's limit; under RLIMIT_DATA alone it sizes its
	 * heap from the host's RAM and may not start). */
	if (access("/sys/fs/cgroup/memory/cgroup.procs", W_OK) == 0) {
		sweep_stale_cgroups("/sys/fs/cgroup/memory");
		snprintf(dir, sizeof dir, "/sys/fs/cgroup/memory/dynaudit-%ld", (long)getpid());
		if (make_cgroup_dir(dir) < 0) {
			sb_step(sb, "memory cgroup", false, "skipped: mkdir %s: %s; RLIMIT_DATA only", dir,
				strerror(errno));
			return;
		}
		snprintf(file, sizeof file, "%s/memory.limit_in_bytes", dir);
		int rc = write_text(file, num);
		if (rc == 0) {
			snprintf(file, sizeof file, "%s/tasks", dir);
			*join_fd = open(file, O_WRONLY | O_CLOEXEC);
			if (*join_fd < 0)
				rc = -errno;
		}
		if (rc < 0) {
			rmdir(dir);
			sb_step(sb, "memory cgroup", false, "skipped: %s: %s; RLIMIT_DATA only", file,
				strerror(-rc));
			return;
		}
		snprintf(sb->memcg_path, sizeof sb->memcg_path, "%s", dir);
		snprintf(sb->memcg_note, sizeof sb->memcg_note, "cgroup v1 memory: limit %lld bytes", bytes);
		sb->memcg_on = true;
		return;
	}
	/* v2: the pids cgroup's directory, when memory is delegated there */
	if (sb->cgroup_path[0] && strncmp(sb->cgroup_path, "/sys/fs/cgroup/pids/", 20) != 0 &&
	    file_has_word("/sys/fs/cgroup/cgroup.subtree_control", "memory")) {
		snprintf(file, sizeof file, "%s/memory.max", sb->cgroup_path);
		int rc = write_text(file, num);
		if (rc == 0) {
			sb_step(sb, "memory cgroup", true, "cgroup v2 memory.max %lld bytes", bytes);
			sb->memcg_on = true;
			return;
		}
		sb_step(sb, "memory cgroup", false, "skipped: %s: %s; RLIMIT_DATA only", file, strerror(-rc));
		return;
	}
	sb_step(sb, "memory cgroup", false, "skipped: no writable memory controller; RLIMIT_DATA only");
}

long sandbox_oom_kills(const struct sandbox *sb)
{
	char file[300], line[128];
	if (!sb->memcg_on)
		return 0;
	if (sb->memcg_path[0])
		snprintf(file, sizeof file, "%s/memory.oom_control", sb->memcg_path);
	else
		snprintf(file, sizeof file, "%s/memory.events", sb->cgroup_path);
	FILE *f = fopen(file, "re");
	long n = 0;
	while (f && fgets(line, sizeof line, f))
		if (sscanf(line, "oom_kill %ld", &n) == 1)
			break;
	if (f)
		fclose(f);
	return n;
}

void sb_cgroup_attach(struct sandbox *sb, pid_t init_pid)
{
	char file[300], num[32];
	snprintf(file, sizeof file, "%s/cgroup.procs", sb->cgroup_path);
	snprintf(num, sizeof num, "%ld", (long)init_pid);
	int rc = write_text(file, num);
	if (rc < 0) {
		rmdir(sb->cgroup_path);
		sb->cgroup_path[0] = '\0';
		sb_step(sb, "pids cgroup", false, "skipped: %s: %s; RLIMIT_NPROC only", file, strerror(-rc));
		return;
	}
	sb_step(sb, "pids cgroup", true, "%s", sb->cgroup_note);
}

/* ------------------------------------------------------------------ */
/* Child side (target): no allocation                                  */
/* ------------------------------------------------------------------ */

static int set_limit(int fd, const char *name, int resource, unsigned long long value,
		     char *why, size_t whylen)
{
	struct rlimit rl;

	if (getrlimit(resource, &rl) < 0)
		rl.rlim_max = RLIM_INFINITY;
	/* Soft and hard alike, so the target cannot raise it back; never
	 * above an existing hard limit (that would fail for no gain). */
	rlim_t v = (rlim_t)value;
	if (rl.rlim_max != RLIM_INFINITY && v > rl.rlim_max)
		v = rl.rlim_max;
	rl.rlim_cur = rl.rlim_max = v;
	if (setrlimit(resource, &rl) < 0) {
		int e = errno;
		snprintf(why, whylen, "setrlimit %s %llu: %s", name, (unsigned long long)v, strerror(e));
		sb_send_step(fd, "limits", false, "%s", why);
		return -e;
	}
	return 0;
}

int sb_apply_limits(const struct audit_config *cfg, bool under_memcg, bool under_pids_cgroup, int fd,
		    char *why, size_t whylen)
{
	int rc;

	/* Per uid: bounds a fork bomb where no pids cgroup exists.  Under one
	 * it is left alone: RLIMIT_NPROC counts every process of the uid on
	 * the host, and audits running side by side share the sandbox uid, so
	 * one target's threads would make another's fork fail. */
	if (!under_pids_cgroup &&
	    (rc = set_limit(fd, "RLIMIT_NPROC", RLIMIT_NPROC,
			    (unsigned long long)(cfg->limit_processes > 0 ? cfg->limit_processes : 256),
			    why, whylen)) < 0)
		return rc;
	if ((rc = set_limit(fd, "RLIMIT_FSIZE", RLIMIT_FSIZE,
			    (unsigned long long)(cfg->limit_file_size > 0 ? cfg->limit_file_size : 64LL << 20),
			    why, whylen)) < 0)
		return rc;
	/* RLIMIT_DATA rather than RLIMIT_AS: runtimes (Go, Node, the JVM)
	 * reserve far more address space than they ever touch; DATA bounds
	 * what can actually be written to memory.  Under a memory cgroup (the
	 * real bound) it is only a backstop per process: four times wider, so
	 * a runtime's private reservations do not fail before the cgroup. */
	unsigned long long mem = (unsigned long long)(cfg->limit_memory > 0 ? cfg->limit_memory : 1LL << 30);
	if ((rc = set_limit(fd, "RLIMIT_DATA", RLIMIT_DATA, under_memcg ? 4 * mem : mem, why,
			    whylen)) < 0)
		return rc;
	if ((rc = set_limit(fd, "RLIMIT_NOFILE", RLIMIT_NOFILE,
			    (unsigned long long)(cfg->limit_open_files > 0 ? cfg->limit_open_files : 1024),
			    why, whylen)) < 0)
		return rc;
	/* No core dumps: they would write the target's memory outside the
	 * watched directories. */
	if ((rc = set_limit(fd, "RLIMIT_CORE", RLIMIT_CORE, 0, why, whylen)) < 0)
		return rc;
	/* One step for all five (the overview has a limited number of rows). */
	struct rlimit np, fs, da, nf;
	getrlimit(RLIMIT_NPROC, &np);
	getrlimit(RLIMIT_FSIZE, &fs);
	getrlimit(RLIMIT_DATA, &da);
	getrlimit(RLIMIT_NOFILE, &nf);
	char procs[48];
	if (under_pids_cgroup)
		snprintf(procs, sizeof(procs), "by the pids cgroup");
	else
		snprintf(procs, sizeof(procs), "%llu", (unsigned long long)np.rlim_cur);
	sb_send_step(fd, "limits", true, "processes %s, file size %llu, data %llu, open files %llu, core 0",
		     procs, (unsigned long long)fs.rlim_cur, (unsigned long long)da.rlim_cur,
		     (unsigned long long)nf.rlim_cur);
	return 0;
}

static int cap_last(void)
{
	char buf[16];
	int last = CAP_LAST_CAP;
	int f = open("/proc/sys/kernel/cap_last_cap", O_RDONLY | O_CLOEXEC);
	if (f >= 0) {
		ssize_t n = read(f, buf, sizeof buf - 1);
		if (n > 0) {
			buf[n] = '\0';
			int v = atoi(buf);
			if (v > 0 && v < 64)
				last = v;
		}
		close(f);
	}
	return last;
}

#define STEP_FAIL(step, ...) do { \
	int e_ = errno; \
	snprintf(why, whylen, __VA_ARGS__); \
	sb_send_step(fd, step, false, "%s", why); \
	return -(e_ ? e_ : EPERM); \
} while (0)

int sb_become_user(uid_t uid, gid_t gid, const char *user, bool in_userns, bool drop_caps,
		   int fd, char *why, size_t whylen)
{
	int last = cap_last();

	/* Why first: dropping the bounding set needs CAP_SETPCAP, which the
	 * uid switch below takes away.  An empty bounding set means no
	 * exec of a set-uid or file-capability binary can give caps back. */
	if (drop_caps) {
		for (int c = 0; c <= last; c++)
			if (prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0 && errno != EINVAL)
				STEP_FAIL("capability bounding set", "PR_CAPBSET_DROP %d: %s", c, strerror(errno));
		sb_send_step(fd, "capability bounding set", true, "emptied (caps 0..%d)", last);
	} else {
		sb_send_step(fd, "capability bounding set", false, "kept (sandbox.drop_caps: false)");
	}

	/* Why: supplementary groups are inherited from dynaudit (root's
	 * groups); the target must have none.  In a user namespace
	 * setgroups is denied and the groups are already unmapped. */
	if (!in_userns) {
		if (setgroups(0, NULL) < 0)
			STEP_FAIL("groups", "setgroups: %s", strerror(errno));
		sb_send_step(fd, "groups", true, "no supplementary groups");
	} else {
		sb_send_step(fd, "groups", true, "none mapped in the user namespace");
	}
	/* gid before uid: after the uid switch we may no longer change it. */
	if (setresgid(gid, gid, gid) < 0)
		STEP_FAIL("identity", "setresgid %ld: %s", (long)gid, strerror(errno));
	if (setresuid(uid, uid, uid) < 0)
		STEP_FAIL("identity", "setresuid %ld: %s", (long)uid, strerror(errno));
	sb_send_step(fd, "identity", true, "user %s (uid %ld, gid %ld)", user, (long)uid, (long)gid);

	/* A uid switch away from 0 already clears the permitted and effective
	 * sets, but not in a user namespace where we never were uid 0; do it
	 * explicitly, then read the sets back to be sure. */
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
		STEP_FAIL("capabilities", "clear ambient: %s", strerror(errno));
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
	struct __user_cap_data_struct data[2];
	memset(data, 0, sizeof data);
	if (syscall(SYS_capset, &hdr, data) < 0)
		STEP_FAIL("capabilities", "capset: %s", strerror(errno));
	memset(data, 0xff, sizeof data);
	if (syscall(SYS_capget, &hdr, data) < 0)
		STEP_FAIL("capabilities", "capget: %s", strerror(errno));
	for (int i = 0; i < 2; i++)
		if (data[i].effective || data[i].permitted || data[i].inheritable) {
			errno = EPERM;
			STEP_FAIL("capabilities", "capabilities still set after drop");
		}
	sb_send_step(fd, "capabilities", true, "effective, permitted, inheritable, ambient empty");
	return 0;
}

/* "not executable by user nobody (uid 65534): Permission denied" etc. */
static int check_exec(const char *path, const char *shown, uid_t uid, const char *user,
		      char *why, size_t whylen)
{
	struct stat st;

	if (stat(path, &st) < 0) {
		int e = errno;
		if (e == ENOENT || e == ENOTDIR)
			snprintf(why, whylen, "%s: not found in the sandbox: %s", shown, strerror(e));
		else
			snprintf(why, whylen, "%s: not executable by user %s (uid %ld): %s", shown, user,
				 (long)uid, strerror(e));
		return -e;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(why, whylen, "%s: not executable by user %s (uid %ld): %s", shown, user,
			 (long)uid, S_ISDIR(st.st_mode) ? "Is a directory" : "Not a regular file");
		return -EACCES;
	}
	if (access(path, X_OK) < 0) {
		int e = errno;
		snprintf(why, whylen, "%s: not executable by user %s (uid %ld): %s", shown, user,
			 (long)uid, strerror(e));
		return -e;
	}
	return 0;
}

int sb_resolve_command(const char *argv0, const char *search_path, uid_t uid, const char *user,
		       char *out, size_t outlen, char *why, size_t whylen)
{
	if (!argv0 || !argv0[0]) {
		snprintf(why, whylen, "empty command");
		return -EINVAL;
	}
	if (strchr(argv0, '/')) {
		if ((size_t)snprintf(out, outlen, "%s", argv0) >= outlen) {
			snprintf(why, whylen, "%.64s...: path too long", argv0);
			return -ENAMETOOLONG;
		}
		return check_exec(out, argv0, uid, user, why, whylen);
	}
	/* Like execvp: the first executable match wins; if none is
	 * executable, the first existing one explains why. */
	int first_err = 0;
	char first_why[300] = "";
	const char *p = search_path;
	while (*p) {
		size_t len = strcspn(p, ":");
		int n = snprintf(out, outlen, "%.*s/%s", (int)len, p, argv0);
		if (len > 0 && n > 0 && (size_t)n < outlen) {
			char w[300];
			int rc = check_exec(out, out, uid, user, w, sizeof w);
			if (rc == 0)
				return 0;
			if (rc != -ENOENT && rc != -ENOTDIR && !first_err) {
				first_err = rc;
				snprintf(first_why, sizeof first_why, "%s", w);
			}
		}
		p += len;
		if (*p == ':')
			p++;
	}
	if (first_err) {
		snprintf(why, whylen, "%s", first_why);
		return first_err;
	}
	snprintf(why, whylen, "%s: not found on the sandbox PATH (%s)", argv0, search_path);
	return -ENOENT;
}

/* Interpreters whose first operand is the program file, and the options
 * after which no file is run (inline code, a module, stdin). */
static const struct {
	const char *name;       /* base name, a trailing version allowed ("python3.11") */
	const char *inline_opts;/* space-separated */
	const char *file_opt;   /* the option naming the file ("-jar"), or NULL: first operand */
	const char *value_opts; /* options that take a value (skipped with it) */
} interpreters[] = {
	{ "python", "-c -m -", NULL, "-W -X -Q" },
	{ "node", "-e --eval -p --print -i --interactive -", NULL, "-r --require --import --loader" },
	{ "nodejs", "-e --eval -p --print -", NULL, "-r --require" },
	{ "perl", "-e -E -", NULL, "-I -M -m" },
	{ "ruby", "-e -", NULL, "-I -r" },
	{ "php", "-r -a -", NULL, "-d -c" },
	{ "bash", "-c -s -i -", NULL, "-o -O --rcfile --init-file" },
	{ "sh", "-c -s -i -", NULL, "-o" },
	{ "dash", "-c -s -i -", NULL, "-o" },
	{ "java", "", "-jar", "-cp -classpath --class-path -p --module-path -m --module" },
};

static bool word_in(const char *word, const char *list)
{
	size_t n = strlen(word);
	for (const char *p = list; p && *p;) {
		size_t len = strcspn(p, " ");
		if (len == n && strncmp(p, word, n) == 0)
			return true;
		p += len;
		while (*p == ' ')
			p++;
	}
	return false;
}

/* "python3.11" matches "python": the name then digits and dots only. */
static bool is_named(const char *base, const char *name)
{
	size_t n = strlen(name);
	if (strncmp(base, name, n) != 0)
		return false;
	for (const char *p = base + n; *p; p++)
		if ((*p < '0' || *p > '9') && *p != '.')
			return false;
	return true;
}

int sb_check_entry(char *const argv[], char *why, size_t whylen)
{
	const char *base = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	size_t k = 0;
	while (k < sizeof(interpreters) / sizeof(interpreters[0]) && !is_named(base, interpreters[k].name))
		k++;
	if (k == sizeof(interpreters) / sizeof(interpreters[0]))
		return 0;
	const char *file = NULL;
	for (size_t i = 1; argv[i]; i++) {
		const char *a = argv[i];
		if (interpreters[k].file_opt) {
			if (strcmp(a, interpreters[k].file_opt) == 0) {
				file = argv[i + 1];
				break;
			}
			if (word_in(a, interpreters[k].value_opts) && argv[i + 1])
				i++;
			continue;
		}
		if (strcmp(a, "--") == 0) {
			file = argv[i + 1];
			break;
		}
		if (word_in(a, interpreters[k].inline_opts))
			return 0;
		if (a[0] == '-') {
			/* "-c" glued to its code ("-cprint(1)") is inline code too */
			char shortopt[3] = { '-', a[1], '\0' };
			if (a[1] && a[1] != '-' && word_in(shortopt, interpreters[k].inline_opts))
				return 0;
			if (word_in(a, interpreters[k].value_opts) && argv[i + 1])
				i++;
			continue;
		}
		file = a;
		break;
	}
	if (!file)
		return 0; /* an interactive interpreter reading stdin */
	struct stat st;
	/* python runs a directory's __main__.py; the others need a file */
	int e = stat(file, &st) < 0 ? errno : S_ISDIR(st.st_mode) && !is_named(base, "python") ? EISDIR : 0;
	if (!e)
		return 0;
	snprintf(why, whylen, "%s: the program %s is told to run is not in the sandbox (the submission's copy "
		 "is the working directory): %s", file, base, strerror(e));
	return -e;
}

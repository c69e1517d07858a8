/*
 * test_sandbox.c — the live sandbox, tested from the inside: a probe
 * program (tests/live/progs/sb_probe.c) is copied into a submission
 * directory, run in the sandbox, and its answers read back through the
 * stdout pipe.  Real namespaces, real mounts, real processes; the only
 * network traffic is on the sandbox's own loopback (and one connect to a
 * non-routable address that the empty namespace refuses locally).
 *
 * Tests skip (not fail) when the kernel refuses the namespaces.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "live/sandbox.h"
#include "live/fs_beneath.h"
#include "live/sandbox_priv.h"

#ifndef SB_PROBE_PATH
#error "SB_PROBE_PATH must name the built sb_probe"
#endif

static char submission[64];
static char host_tmp_file[64];

static void copy_file(const char *from, const char *to, mode_t mode)
{
	char buf[65536];
	int in = open(from, O_RDONLY), out = open(to, O_WRONLY | O_CREAT | O_TRUNC, mode);
	cr_assert(in >= 0 && out >= 0, "copy %s -> %s: %s", from, to, strerror(errno));
	ssize_t n;
	while ((n = read(in, buf, sizeof buf)) > 0)
		cr_assert_eq(write(out, buf, (size_t)n), n);
	close(in);
	close(out);
	chmod(to, mode);
}

static void write_text(const char *path, const char *text, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	cr_assert(fd >= 0, "%s: %s", path, strerror(errno));
	cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	chmod(path, mode);
}

/* A submission: the probe, a data file, a subdirectory, a symlink and a
 * script without the x bit. */
static void make_submission(void)
{
	char p[256];
	snprintf(submission, sizeof submission, "/tmp/sbtest-sub-XXXXXX");
	cr_assert_not_null(mkdtemp(submission));
	chmod(submission, 0755);
	snprintf(p, sizeof p, "%s/sb_probe", submission);
	copy_file(SB_PROBE_PATH, p, 0755);
	snprintf(p, sizeof p, "%s/data.txt", submission);
	write_text(p, "original\n", 0644);
	snprintf(p, sizeof p, "%s/script.sh", submission);
	write_text(p, "#!/bin/sh\necho hi\n", 0644);
	snprintf(p, sizeof p, "%s/sub", submission);
	cr_assert_eq(mkdir(p, 0755), 0);
	snprintf(p, sizeof p, "%s/sub/inner.txt", submission);
	write_text(p, "inner\n", 0600);
	snprintf(p, sizeof p, "%s/link", submission);
	cr_assert_eq(symlink("data.txt", p), 0);
	snprintf(host_tmp_file, sizeof host_tmp_file, "/tmp/sbtest-host-XXXXXX");
	int fd = mkstemp(host_tmp_file);
	cr_assert(fd >= 0);
	close(fd);
}

/* What the run in progress left on the host, removed by the suite's fini
 * even when an assertion ended the test early (the test's stack is gone
 * by then, so these are copies, not pointers). */
static pid_t live_init;
static char live_scratch[256], live_cgroup[256], live_memcg[256];

static void remove_submission(void)
{
	if (live_init > 0) {
		kill(live_init, SIGKILL);
		waitpid(live_init, NULL, __WALL);
	}
	if (live_cgroup[0])
		rmdir(live_cgroup);
	if (live_memcg[0])
		rmdir(live_memcg);
	if (live_scratch[0])
		sb_remove_tree(live_scratch);
	if (submission[0])
		sb_remove_tree(submission);
	if (host_tmp_file[0])
		unlink(host_tmp_file);
}

static struct audit_config base_cfg(void)
{
	static char user[] = "nobody", home[] = "/home/auditor";
	static char *no_env[] = { NULL };
	struct audit_config c;
	memset(&c, 0, sizeof c);
	c.workdir = submission;
	c.env = no_env;
	c.network = NETWORK_NONE;
	c.user = user;
	c.home = home;
	c.no_new_privs = true;
	c.drop_caps = true;
	c.seccomp = true;
	c.limit_processes = 64;
	c.limit_file_size = 16LL << 20;
	c.limit_memory = 256LL << 20;
	c.limit_open_files = 256;
	c.limit_tmpfs = 16LL << 20;
	return c;
}

struct run {
	struct sandbox sb;
	int status;          /* sandbox_read_status result */
	char err[512];
	char out[65536];
	size_t out_len;
	int init_status;     /* waitpid status of the init */
	int out_rd;          /* kept open when the caller reads itself */
};

static bool namespaces_refused(int rc)
{
	return rc == -EPERM || rc == -EINVAL || rc == -ENOSPC || rc == -EUSERS || rc == -EACCES;
}

/* prepare + spawn + go; skips the test when the kernel refuses. */
static void start(struct run *r, const struct audit_config *cfg, const char *const argv[],
		  sandbox_exec_hook hook, void *ctx)
{
	int pfd[2];
	memset(r, 0, sizeof *r);
	int rc = sandbox_prepare(&r->sb, cfg, r->err, sizeof r->err);
	cr_assert_eq(rc, 0, "prepare: %s", r->err);
	snprintf(live_scratch, sizeof live_scratch, "%s", r->sb.scratch);
	cr_assert_eq(pipe2(pfd, O_CLOEXEC), 0);
	rc = sandbox_spawn(&r->sb, (char *const *)argv, pfd[1], pfd[1], hook, ctx, r->err, sizeof r->err);
	close(pfd[1]);
	if (rc < 0 && namespaces_refused(rc) && strstr(r->err, "namespaces")) {
		sandbox_cleanup(&r->sb);
		close(pfd[0]);
		cr_skip_test("kernel refused the sandbox namespaces: %s", r->err);
	}
	cr_assert_eq(rc, 0, "spawn: %s", r->err);
	live_init = r->sb.init_pid;
	snprintf(live_cgroup, sizeof live_cgroup, "%s", r->sb.cgroup_path);
	snprintf(live_memcg, sizeof live_memcg, "%s", r->sb.memcg_path);
	r->out_rd = pfd[0];
	cr_assert_eq(sandbox_start_target(&r->sb, r->err, sizeof r->err), 0, "%s", r->err);
	/* wait for the exec outcome */
	for (int i = 0; i < 1000; i++) {
		r->status = sandbox_read_status(&r->sb, r->err, sizeof r->err);
		if (r->status != 0)
			break;
		struct pollfd p = { .fd = r->sb.status_fd, .events = POLLIN };
		poll(&p, 1, 10);
	}
}

/* Read the target's output until EOF (10 s cap), then reap the init. */
static void finish(struct run *r)
{
	time_t deadline = time(NULL) + 10;
	for (;;) {
		struct pollfd p = { .fd = r->out_rd, .events = POLLIN };
		if (poll(&p, 1, 200) > 0) {
			ssize_t n = read(r->out_rd, r->out + r->out_len, sizeof r->out - 1 - r->out_len);
			if (n <= 0)
				break;
			r->out_len += (size_t)n;
		}
		if (time(NULL) > deadline)
			break;
	}
	r->out[r->out_len] = '\0';
	close(r->out_rd);
	/* Let the init leave on its own (it exits once the target tree is
	 * gone), then make sure. */
	for (int i = 0; i < 500; i++) {
		if (waitpid(r->sb.init_pid, &r->init_status, __WALL | WNOHANG) == r->sb.init_pid)
			return;
		usleep(10000);
	}
	sandbox_kill_all(&r->sb);
	waitpid(r->sb.init_pid, &r->init_status, __WALL);
}

static void done(struct run *r)
{
	sandbox_cleanup(&r->sb);
	live_init = 0;
	live_scratch[0] = live_cgroup[0] = '\0';
}

/* The whole run: start, finish. */
static void run_probe(struct run *r, const struct audit_config *cfg, const char *const argv[])
{
	start(r, cfg, argv, NULL, NULL);
	cr_assert_eq(r->status, 1, "target did not exec: %d %s", r->status, r->err);
	finish(r);
}

static bool has_line(const char *out, const char *line)
{
	size_t l = strlen(line);
	for (const char *p = out; (p = strstr(p, line)); p++)
		if ((p == out || p[-1] == '\n') && (p[l] == '\n' || p[l] == '\0'))
			return true;
	return false;
}

static const struct sandbox_step *find_step(const struct sandbox *sb, const char *name)
{
	for (size_t i = 0; i < sb->n_steps; i++)
		if (!strcmp(sb->steps[i].name, name))
			return &sb->steps[i];
	return NULL;
}

TestSuite(sandbox, .init = make_submission, .fini = remove_submission, .timeout = 60);

Test(sandbox, target_is_alone_in_its_pid_namespace)
{
	struct audit_config cfg = base_cfg();
	const char *argv[] = { "./sb_probe", "status", "procs", NULL };
	struct run r;
	run_probe(&r, &cfg, argv);
	/* The sandbox's /proc belongs to its pid namespace: NSpid shows one
	 * level only, pid 2 (1 is the init). */
	cr_assert(has_line(r.out, "NSpid:\t2"), "%s", r.out);
	/* ... and only its own: the init (pid 1) is hidden (hidepid). */
	cr_assert(has_line(r.out, "procs 2"), "host processes or the init visible: %s", r.out);
	const struct sandbox_step *st = find_step(&r.sb, "pid namespace");
	cr_assert(st && st->ok);
	st = find_step(&r.sb, "pivot_root");
	cr_assert(st && st->ok, "%s", st ? st->detail : "no pivot_root step");
	/* Every step fits the overview, from prepare to the exec. */
	static const char *const names[] = { "sandbox user", "scratch directory", "workdir copy",
		"size caps", "pids cgroup", "mount namespace", "new root", "host read-only", "proc", "dev",
		"tmp", "home", "hostname", "hosts", "memory cgroup", "network namespace", "limits",
		"capability bounding set", "init command line", "cgroup namespace",
		"identity", "capabilities", "no_new_privs", "seccomp" };
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		cr_assert_not_null(find_step(&r.sb, names[i]), "no step %s", names[i]);
	cr_assert_lt(r.sb.n_steps, SANDBOX_MAX_STEPS, "steps overflowed");
	done(&r);
}

/* Nothing of the grader's context reaches the target: the init is
 * invisible in its /proc (it is a copy of dynaudit, here of this test
 * binary), the init's own command line and environment are neutral even
 * seen from the host, the cgroup paths are those of a namespace rooted at
 * the sandbox's cgroups, and /dev/shm lands in the watched private /tmp. */
Test(sandbox, init_and_host_context_are_out_of_reach)
{
	struct audit_config cfg = base_cfg();
	const char *argv[] = { "./sb_probe", "read:/proc/1/cmdline", "read:/proc/1/environ",
			       "write:/proc/1/oom_score_adj", "procs", "cgroup", "memcg",
			       "shm:/sbprobe-shm", "sleeper", NULL };
	struct run r;
	start(&r, &cfg, argv, NULL, NULL);
	cr_assert_eq(r.status, 1, "%s", r.err);
	char buf[4096] = "";
	size_t len = 0;
	while (len < sizeof buf - 1 && !strstr(buf, "sleeper started")) {
		ssize_t n = read(r.out_rd, buf + len, sizeof buf - 1 - len);
		cr_assert_gt(n, 0, "probe output ended early: %.*s", (int)len, buf);
		len += (size_t)n;
		buf[len] = '\0';
	}

	/* Seen from the host, while it runs. */
	char p[64], text[256];
	snprintf(p, sizeof p, "/proc/%ld/cmdline", (long)r.sb.init_pid);
	int fd = open(p, O_RDONLY);
	cr_assert_geq(fd, 0);
	ssize_t n = read(fd, text, sizeof text);
	close(fd);
	cr_assert(n == (ssize_t)sizeof "sandbox-init" && !memcmp(text, "sandbox-init", n),
		  "init command line: %.*s", (int)(n > 0 ? n : 0), text);
	snprintf(p, sizeof p, "/proc/%ld/environ", (long)r.sb.init_pid);
	fd = open(p, O_RDONLY);
	cr_assert_geq(fd, 0);
	cr_assert_eq(read(fd, text, sizeof text), 0, "init environment not empty");
	close(fd);
	char shm[300];
	snprintf(shm, sizeof shm, "%s/.dev-shm/sbprobe-shm", r.sb.tmp_host);
	struct stat st;
	cr_assert_eq(stat(shm, &st), 0, "no %s", shm);
	cr_assert_eq(st.st_size, 6);
	sandbox_kill_all(&r.sb);
	waitpid(r.sb.init_pid, &r.init_status, __WALL);
	close(r.out_rd);

	cr_assert(has_line(buf, "read /proc/1/cmdline ENOENT"), "%s", buf);
	cr_assert(has_line(buf, "read /proc/1/environ ENOENT"), "%s", buf);
	cr_assert(has_line(buf, "write /proc/1/oom_score_adj ENOENT"), "%s", buf);
	cr_assert(has_line(buf, "procs 2"), "%s", buf);
	cr_assert(has_line(buf, "shm /sbprobe-shm ok"), "%s", buf);
	/* "cgroup 8:pids:/", "memcg 4:memory:/", "cgroup 0::/": roots only */
	for (const char *l = buf; *l; l = strchr(l, '\n') + 1) {
		size_t ll = strcspn(l, "\n");
		if ((!strncmp(l, "cgroup ", 7) || !strncmp(l, "memcg ", 6)) && strcmp(l + ll - 5, " none"))
			cr_assert_eq(l[ll - 1], '/', "host cgroup path visible: %.*s", (int)ll, l);
		if (!l[ll])
			break;
	}
	const struct sandbox_step *s = find_step(&r.sb, "cgroup namespace");
	cr_assert(s && s->ok, "%s", s ? s->detail : "no cgroup namespace step");
	s = find_step(&r.sb, "init command line");
	cr_assert(s && s->ok, "%s", s ? s->detail : "no init command line step");
	done(&r);
}

Test(sandbox, host_is_read_only_and_private_dirs_are_writable)
{
	struct audit_config cfg = base_cfg();
	char exists_host[128];
	snprintf(exists_host, sizeof exists_host, "exists:%s", host_tmp_file);
	const char *argv[] = { "./sb_probe", "cwd", "write:/etc/dynaudit-probe", "write:/usr/dynaudit-probe",
			 "write:/root/dynaudit-probe", "write:/dynaudit-probe", "write:/tmp/t.txt",
			 "write:/home/auditor/h.txt", "write:/home/auditor/app/new.txt", "write:data.txt",
			 exists_host, "exists:/home/auditor/app/sub/inner.txt", "exists:/home/auditor/app/link",
			 "hostname", "resolvehost", NULL };
	struct run r;
	run_probe(&r, &cfg, argv);
	cr_assert(has_line(r.out, "cwd /home/auditor/app"), "%s", r.out);
	cr_assert(has_line(r.out, "write /etc/dynaudit-probe EROFS"), "%s", r.out);
	cr_assert(has_line(r.out, "write /usr/dynaudit-probe EROFS"), "%s", r.out);
	cr_assert(has_line(r.out, "write /root/dynaudit-probe EROFS") ||
		  has_line(r.out, "write /root/dynaudit-probe EACCES"), "%s", r.out);
	cr_assert(has_line(r.out, "write /dynaudit-probe EROFS"), "%s", r.out);
	cr_assert(has_line(r.out, "write /tmp/t.txt ok"), "%s", r.out);
	cr_assert(has_line(r.out, "write /home/auditor/h.txt ok"), "%s", r.out);
	cr_assert(has_line(r.out, "write /home/auditor/app/new.txt ok"), "%s", r.out);
	cr_assert(has_line(r.out, "write data.txt ok"), "%s", r.out);
	char line[160];
	snprintf(line, sizeof line, "exists %s no", host_tmp_file);
	cr_assert(has_line(r.out, line), "host /tmp visible: %s", r.out);
	cr_assert(has_line(r.out, "exists /home/auditor/app/sub/inner.txt yes"), "%s", r.out);
	cr_assert(has_line(r.out, "exists /home/auditor/app/link yes"), "%s", r.out);
	cr_assert(has_line(r.out, "hostname dynaudit-sandbox"), "%s", r.out);
	cr_assert(strstr(r.out, "resolvehost 127."), "own hostname does not resolve: %s", r.out);

	/* The writes landed in the host dirs the monitors watch ... */
	char p[512];
	struct stat st;
	snprintf(p, sizeof p, "%s/new.txt", r.sb.workdir_host);
	cr_assert_eq(stat(p, &st), 0, "%s", p);
	snprintf(p, sizeof p, "%s/t.txt", r.sb.tmp_host);
	cr_assert_eq(stat(p, &st), 0, "%s", p);
	snprintf(p, sizeof p, "%s/link", r.sb.workdir_host);
	cr_assert_eq(lstat(p, &st), 0);
	cr_assert(S_ISLNK(st.st_mode), "symlink not copied as a symlink");
	/* ... and nowhere on the host. */
	cr_assert_neq(stat("/etc/dynaudit-probe", &st), 0);
	cr_assert_neq(stat("/tmp/t.txt", &st), 0);
	char scratch[256];
	snprintf(scratch, sizeof scratch, "%s", r.sb.scratch);
	done(&r);
	cr_assert_neq(stat(scratch, &st), 0, "scratch %s not removed", scratch);

	/* The original submission is unchanged. */
	snprintf(p, sizeof p, "%s/new.txt", submission);
	cr_assert_neq(stat(p, &st), 0, "write leaked into the submission");
	snprintf(p, sizeof p, "%s/data.txt", submission);
	char buf[64] = "";
	int fd = open(p, O_RDONLY);
	cr_assert(fd >= 0);
	cr_assert_gt(read(fd, buf, sizeof buf - 1), 0);
	close(fd);
	cr_assert_str_eq(buf, "original\n");
}

Test(sandbox, environment_is_exactly_the_clean_one)
{
	static char foo[] = "FOO=bar", lang[] = "LANG=en_US.UTF-8";
	char *env[] = { foo, lang, NULL };
	struct audit_config cfg = base_cfg();
	cfg.env = env;
	setenv("DYNAUDIT_LEAK_CANARY", "1", 1);
	const char *argv[] = { "./sb_probe", "env", NULL };
	struct run r;
	run_probe(&r, &cfg, argv);
	const char *want[] = { "env PATH=/usr/local/bin:/usr/bin:/bin", "env HOME=/home/auditor",
			       "env TERM=dumb", "env USER=nobody", "env LOGNAME=nobody",
			       "env FOO=bar", "env LANG=en_US.UTF-8" };
	size_t lines = 0;
	for (const char *p = r.out; (p = strchr(p, '\n')); p++)
		lines++;
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		cr_assert(has_line(r.out, want[i]), "missing %s in:\n%s", want[i], r.out);
	cr_assert_eq(lines, sizeof want / sizeof want[0], "unexpected variables:\n%s", r.out);
	cr_assert_null(strstr(r.out, "CANARY"));
	done(&r);
}

Test(sandbox, runs_as_nobody_without_any_capability)
{
	struct audit_config cfg = base_cfg();
	const char *argv[] = { "./sb_probe", "status", NULL };
	/* A supplementary group the target must not inherit (this test runs
	 * in its own criterion worker process). */
	gid_t extra = 4321;
	if (geteuid() == 0)
		cr_assert_eq(setgroups(1, &extra), 0);
	struct run r;
	run_probe(&r, &cfg, argv);
	cr_assert(has_line(r.out, "Uid:\t65534\t65534\t65534\t65534"), "%s", r.out);
	cr_assert(has_line(r.out, "Gid:\t65534\t65534\t65534\t65534"), "%s", r.out);
	/* Without root the caller's own supplementary groups cannot be dropped
	 * (setgroups is denied in an unprivileged user namespace); they show
	 * as the overflow gid. */
	if (geteuid() == 0)
		cr_assert(has_line(r.out, "Groups:\t") || has_line(r.out, "Groups:\t "), "%s", r.out);
	cr_assert(has_line(r.out, "CapInh:\t0000000000000000"), "%s", r.out);
	cr_assert(has_line(r.out, "CapPrm:\t0000000000000000"), "%s", r.out);
	cr_assert(has_line(r.out, "CapEff:\t0000000000000000"), "%s", r.out);
	cr_assert(has_line(r.out, "CapBnd:\t0000000000000000"), "%s", r.out);
	cr_assert(has_line(r.out, "CapAmb:\t0000000000000000"), "%s", r.out);
	cr_assert(has_line(r.out, "NoNewPrivs:\t1"), "%s", r.out);
	const struct sandbox_step *st = find_step(&r.sb, "capabilities");
	cr_assert(st && st->ok);
	done(&r);
}

Test(sandbox, network_none_has_only_loopback)
{
	struct audit_config cfg = base_cfg();
	/* 10.255.255.1 is never reached: the namespace has no route, so the
	 * kernel fails the connect locally. */
	const char *argv[] = { "./sb_probe", "ifaces", "loopback", "connect:10.255.255.1:9", NULL };
	struct run r;
	run_probe(&r, &cfg, argv);
	cr_assert(has_line(r.out, "iface lo up"), "%s", r.out);
	size_t ifaces = 0;
	for (const char *p = r.out; (p = strstr(p, "iface ")); p++)
		ifaces++;
	cr_assert_eq(ifaces, 1, "%s", r.out);
	cr_assert(has_line(r.out, "loopback ok"), "%s", r.out);
	cr_assert(has_line(r.out, "connect 10.255.255.1:9 ENETUNREACH"), "%s", r.out);
	cr_assert_geq(r.sb.netns_fd, 0);
	done(&r);
}

Test(sandbox, process_limit_stops_a_fork_loop)
{
	struct audit_config cfg = base_cfg();
	cfg.limit_processes = 8;
	cfg.limit_memory = 200LL << 20;
	const char *argv[] = { "./sb_probe", "cgroup", "memcg", "nproc", "forkloop", NULL };
	struct run r;
	run_probe(&r, &cfg, argv);
	/* With a pids cgroup, the init joined it (itself, before the target
	 * existed): the target is in it from its first instruction. */
	const struct sandbox_step *cg = find_step(&r.sb, "pids cgroup");
	cr_assert_not_null(cg, "no pids cgroup step");
	if (access("/sys/fs/cgroup/pids/cgroup.procs", W_OK) == 0)
		cr_assert(cg->ok, "a writable cgroup v1 pids hierarchy, yet: %s", cg->detail);
	/* The target sees its cgroups as the roots of its cgroup namespace;
	 * that they are the sandbox's shows in the fork loop below (stopped
	 * by pids.max, RLIMIT_NPROC untouched) and in the memory peak. */
	if (cg->ok) {
		char *line = strstr(r.out, "cgroup ");
		cr_assert_not_null(line, "%s", r.out);
		cr_assert(!strncmp(line + strcspn(line, "\n") - 2, ":/", 2), "host cgroup path: %s", r.out);
		cr_assert_not_null(strstr(cg->detail, "pids.max 9"), "%s", cg->detail);
	}
	/* Memory: a cgroup bounds the tree (and runtimes size themselves
	 * from it); RLIMIT_DATA stays as a wider backstop. */
	const struct sandbox_step *mc = find_step(&r.sb, "memory cgroup");
	cr_assert_not_null(mc, "no memory cgroup step");
	if (access("/sys/fs/cgroup/memory/cgroup.procs", W_OK) == 0) {
		cr_assert(mc->ok, "a writable cgroup v1 memory hierarchy, yet: %s", mc->detail);
		char *line = strstr(r.out, "memcg ");
		cr_assert_not_null(line, "%s", r.out);
		cr_assert(!strncmp(line + strcspn(line, "\n") - 2, ":/", 2), "host cgroup path: %s", r.out);
		cr_assert_not_null(strstr(mc->detail, "limit 209715200 bytes"), "%s", mc->detail);
		char peak_file[300], peak[32] = "";
		snprintf(peak_file, sizeof peak_file, "%s/memory.max_usage_in_bytes", r.sb.memcg_path);
		FILE *f = fopen(peak_file, "r");
		cr_assert(f && fgets(peak, sizeof peak, f), "%s: %s", peak_file, strerror(errno));
		fclose(f);
		/* the probe's fork loop alone charges far more than 1 MiB */
		cr_assert_gt(strtoll(peak, NULL, 10), 1 << 20, "nothing charged to %s", r.sb.memcg_path);
	}
	int n = -1;
	char e[32] = "";
	const char *p = strstr(r.out, "forkloop ");
	cr_assert_not_null(p, "%s", r.out);
	cr_assert_eq(sscanf(p, "forkloop %d %31s", &n, e), 2);
	cr_assert_lt(n, 8, "%s", r.out);
	cr_assert_str_eq(e, "EAGAIN");
	cr_assert_not_null(find_step(&r.sb, "pids cgroup"));
	/* Under the cgroup the per-uid RLIMIT_NPROC is left alone: audits side
	 * by side share the sandbox uid and would starve each other. */
	if (cg->ok)
		cr_assert(!has_line(r.out, "nproc 8"), "RLIMIT_NPROC lowered under a pids cgroup: %s", r.out);
	else
		cr_assert(has_line(r.out, "nproc 8"), "no pids cgroup and no RLIMIT_NPROC: %s", r.out);
	done(&r);
}

Test(sandbox, file_size_and_tmpfs_caps_hold)
{
	struct audit_config cfg = base_cfg();
	cfg.limit_file_size = 1LL << 20;
	cfg.limit_tmpfs = 4LL << 20;
	/* one file over RLIMIT_FSIZE (the /tmp cap is larger) */
	const char *argv[] = { "./sb_probe", "fill:/tmp/big", NULL };
	struct run r;
	run_probe(&r, &cfg, argv);
	cr_assert(has_line(r.out, "fill /tmp/big 1048576 EFBIG"), "%s", r.out);
	if (geteuid() == 0) {
		/* Files are unlinked after each fill, so one at a time: the cap
		 * shows when a smaller tmpfs stops a file under RLIMIT_FSIZE. */
		cfg.limit_file_size = 64LL << 20;
		cfg.limit_tmpfs = 2LL << 20;
		done(&r);
		const char *argv2[] = { "./sb_probe", "fill:/tmp/x", "fill:/home/auditor/y", NULL };
		run_probe(&r, &cfg, argv2);
		long long n = -1;
		char e[32] = "";
		const char *p = strstr(r.out, "fill /tmp/x ");
		cr_assert_not_null(p, "%s", r.out);
		cr_assert_eq(sscanf(p, "fill /tmp/x %lld %31s", &n, e), 2);
		cr_assert_str_eq(e, "ENOSPC", "%s", r.out);
		cr_assert_leq(n, 2LL << 20);
		p = strstr(r.out, "fill /home/auditor/y ");
		cr_assert_not_null(p, "%s", r.out);
		cr_assert_eq(sscanf(p, "fill /home/auditor/y %lld %31s", &n, e), 2);
		cr_assert_str_eq(e, "ENOSPC", "%s", r.out);
	}
	done(&r);
}

Test(sandbox, missing_command_is_reported_precisely)
{
	struct audit_config cfg = base_cfg();
	const char *argv[] = { "nosuchcmd-dynaudit", NULL };
	struct run r;
	start(&r, &cfg, argv, NULL, NULL);
	cr_assert_eq(r.status, -ENOENT, "%d %s", r.status, r.err);
	cr_assert_str_eq(r.err, "nosuchcmd-dynaudit: not found on the sandbox PATH (/usr/local/bin:/usr/bin:/bin)");
	/* asked again: the same answer */
	char again[512];
	cr_assert_eq(sandbox_read_status(&r.sb, again, sizeof again), -ENOENT);
	cr_assert_str_eq(again, r.err);
	finish(&r);
	cr_assert(WIFEXITED(r.init_status) && WEXITSTATUS(r.init_status) == 127);
	done(&r);
}

Test(sandbox, non_executable_command_is_reported_precisely)
{
	struct audit_config cfg = base_cfg();
	const char *argv[] = { "./script.sh", NULL };
	struct run r;
	start(&r, &cfg, argv, NULL, NULL);
	cr_assert_eq(r.status, -EACCES, "%d %s", r.status, r.err);
	cr_assert_str_eq(r.err, "./script.sh: not executable by user nobody (uid 65534): Permission denied");
	finish(&r);
	done(&r);

	if (geteuid() != 0)
		return; /* an ordinary user cannot even see into /root */
	/* An interpreter installed under /root (pyenv's shims live there on
	 * the development machines): the sandbox user cannot run it. */
	char dir[] = "/root/dynaudit-test-XXXXXX", tool[64];
	cr_assert(mkdtemp(dir), "mkdtemp under /root: %s", strerror(errno));
	snprintf(tool, sizeof tool, "%s/python3", dir);
	int fd = open(tool, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	cr_assert(fd >= 0);
	cr_assert_eq(write(fd, "#!/bin/sh\n", 10), 10);
	close(fd);
	const char *argv2[] = { tool, NULL };
	start(&r, &cfg, argv2, NULL, NULL);
	unlink(tool);
	rmdir(dir);
	char want[160];
	snprintf(want, sizeof want, "%s: not executable by user nobody (uid 65534): Permission denied", tool);
	cr_assert_eq(r.status, -EACCES, "%d %s", r.status, r.err);
	cr_assert_str_eq(r.err, want);
	finish(&r);
	done(&r);
}

/* Processes whose pid namespace is the init's. */
static int count_in_pidns(pid_t init)
{
	char p[64], ns[64], want[64];
	snprintf(p, sizeof p, "/proc/%ld/ns/pid", (long)init);
	ssize_t n = readlink(p, want, sizeof want - 1);
	if (n <= 0)
		return 0;
	want[n] = '\0';
	int count = 0;
	DIR *d = opendir("/proc");
	struct dirent *de;
	while (d && (de = readdir(d))) {
		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(p, sizeof p, "/proc/%s/ns/pid", de->d_name);
		n = readlink(p, ns, sizeof ns - 1);
		if (n <= 0)
			continue;
		ns[n] = '\0';
		if (!strcmp(ns, want))
			count++;
	}
	if (d)
		closedir(d);
	return count;
}

Test(sandbox, killing_the_init_kills_every_process)
{
	struct audit_config cfg = base_cfg();
	const char *argv[] = { "./sb_probe", "sleeper", NULL };
	struct run r;
	start(&r, &cfg, argv, NULL, NULL);
	cr_assert_eq(r.status, 1, "%s", r.err);
	char buf[256];
	ssize_t n = read(r.out_rd, buf, sizeof buf - 1); /* blocks until the sleeper is up */
	cr_assert_gt(n, 0);
	buf[n] = '\0';
	cr_assert_not_null(strstr(buf, "sleeper started"));
	char nsl[64], p[64];
	snprintf(p, sizeof p, "/proc/%ld/ns/pid", (long)r.sb.init_pid);
	n = readlink(p, nsl, sizeof nsl - 1);
	cr_assert_gt(n, 0);
	/* init, the target and the orphaned grandchild */
	cr_assert_geq(count_in_pidns(r.sb.init_pid), 3);
	sandbox_kill_all(&r.sb);
	cr_assert_eq(waitpid(r.sb.init_pid, &r.init_status, __WALL), r.sb.init_pid);
	cr_assert(WIFSIGNALED(r.init_status) && WTERMSIG(r.init_status) == SIGKILL);
	/* Nothing of the namespace is left on the host. */
	int count = 0;
	DIR *d = opendir("/proc");
	struct dirent *de;
	nsl[n] = '\0';
	while (d && (de = readdir(d))) {
		char q[64], ns[64];
		snprintf(q, sizeof q, "/proc/%s/ns/pid", de->d_name);
		ssize_t m = readlink(q, ns, sizeof ns - 1);
		if (m > 0) {
			ns[m] = '\0';
			count += !strcmp(ns, nsl);
		}
	}
	closedir(d);
	cr_assert_eq(count, 0, "%d processes of the sandbox survived", count);
	close(r.out_rd);
	done(&r);
}

#if defined(__x86_64__)
#define PROBE_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define PROBE_ARCH AUDIT_ARCH_AARCH64
#endif

/* A tiny hand-written filter (mkdir, mkdirat -> EXDEV), prebuilt like the
 * tracer's: the hook runs after the limits, so it must not allocate. */
static int deny_mkdir_hook(void *ctx)
{
	(void)ctx;
#ifdef PROBE_ARCH
	static struct sock_filter insns[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PROBE_ARCH, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
#ifdef __NR_mkdir
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_mkdir, 2, 0),
#else
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_mkdirat, 2, 0),
#endif
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_mkdirat, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EXDEV),
	};
	struct sock_fprog prog = { .len = sizeof insns / sizeof insns[0], .filter = insns };
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) < 0)
		return -errno;
	return 0;
#else
	return -ENOSYS;
#endif
}

static int failing_hook(void *ctx)
{
	(void)ctx;
	return -ENOSYS;
}

Test(sandbox, hook_runs_last_before_exec)
{
	struct audit_config cfg = base_cfg();
	const char *argv[] = { "./sb_probe", "mkdir:/tmp/d", NULL };
	struct run r;
	start(&r, &cfg, argv, deny_mkdir_hook, NULL);
	cr_assert_eq(r.status, 1, "%s", r.err);
	finish(&r);
	cr_assert(has_line(r.out, "mkdir /tmp/d EXDEV"), "%s", r.out);
	const struct sandbox_step *st = find_step(&r.sb, "seccomp");
	cr_assert(st && st->ok);
	done(&r);

	start(&r, &cfg, argv, failing_hook, NULL);
	cr_assert_eq(r.status, -ENOSYS, "%d %s", r.status, r.err);
	cr_assert_not_null(strstr(r.err, "seccomp"), "%s", r.err);
	finish(&r);
	done(&r);
}

Test(sandbox, prepare_refuses_bad_input)
{
	struct audit_config cfg = base_cfg();
	struct sandbox sb;
	char err[512];
	static char bad_user[] = "no-such-user-dynaudit", bad_home[] = "/home/../etc";
	static char missing[] = "/nonexistent/dynaudit-submission";

	cfg.user = bad_user;
	cr_assert_eq(sandbox_prepare(&sb, &cfg, err, sizeof err), -ENOENT);
	cr_assert_str_eq(err, "sandbox.user: no such user 'no-such-user-dynaudit'");

	static char *bad_homes[] = { bad_home, (char *)"relative/home", (char *)"/", (char *)"/a/..",
				     (char *)"/a/./b", (char *)"/a//b", (char *)"/a/" };
	for (size_t i = 0; i < sizeof bad_homes / sizeof bad_homes[0]; i++) {
		cfg = base_cfg();
		cfg.home = bad_homes[i];
		cr_assert_eq(sandbox_prepare(&sb, &cfg, err, sizeof err), -EINVAL, "%s", bad_homes[i]);
	}

	cfg = base_cfg();
	cfg.workdir = missing;
	cr_assert_eq(sandbox_prepare(&sb, &cfg, err, sizeof err), -ENOENT);
	cr_assert_not_null(strstr(err, missing), "%s", err);
	cr_assert_eq(sb.scratch[0], '\0', "scratch left behind");

	/* Bigger than the copy bound: a sparse file costs nothing to make. */
	char p[256];
	snprintf(p, sizeof p, "%s/huge.bin", submission);
	int fd = open(p, O_WRONLY | O_CREAT, 0644);
	cr_assert(fd >= 0);
	cr_assert_eq(ftruncate(fd, SANDBOX_COPY_MAX_BYTES + 1), 0);
	close(fd);
	cfg = base_cfg();
	cr_assert_eq(sandbox_prepare(&sb, &cfg, err, sizeof err), -EFBIG);
	cr_assert_not_null(strstr(err, "larger than 256 MiB"), "%s", err);
	unlink(p);

	/* A numeric user needs no passwd entry. */
	static char numeric[] = "54321";
	cfg = base_cfg();
	cfg.user = numeric;
	cr_assert_eq(sandbox_prepare(&sb, &cfg, err, sizeof err), 0, "%s", err);
	cr_assert_eq(sb.uid, 54321);
	cr_assert_eq(sb.gid, 54321);
	sandbox_cleanup(&sb);
}

Test(sandbox, env_builder_lets_config_override_defaults)
{
	static char path[] = "PATH=/opt/bin", a1[] = "A=1", a2[] = "A=2";
	char *env[] = { path, a1, a2, NULL };
	struct audit_config cfg = base_cfg();
	cfg.env = env;
	char **e = sb_build_env(&cfg, "/home/x", "nobody", NULL);
	cr_assert_not_null(e);
	size_t n = 0;
	int paths = 0, as = 0;
	for (; e[n]; n++) {
		paths += !strncmp(e[n], "PATH=", 5);
		as += !strncmp(e[n], "A=", 2);
	}
	cr_assert_eq(n, 7);
	cr_assert_eq(paths, 1);
	cr_assert_eq(as, 1);
	bool found = false;
	for (size_t i = 0; e[i]; i++)
		found |= !strcmp(e[i], "A=2") || false;
	cr_assert(found);
	free(e);
}

/* The honeytoken variables are defaults: target.env of the same name wins. */
Test(sandbox, env_builder_adds_extra_unless_config_sets_it)
{
	static char gh[] = "GITHUB_TOKEN=mine";
	static char x1[] = "AWS_SECRET_ACCESS_KEY=decoy", x2[] = "GITHUB_TOKEN=decoy";
	char *env[] = { gh, NULL };
	char *extra[] = { x1, x2, NULL };
	struct audit_config cfg = base_cfg();
	cfg.env = env;
	char **e = sb_build_env(&cfg, "/home/x", "nobody", extra);
	cr_assert_not_null(e);
	int aws = 0, ghs = 0, mine = 0;
	for (size_t i = 0; e[i]; i++) {
		aws += !strcmp(e[i], "AWS_SECRET_ACCESS_KEY=decoy");
		ghs += !strncmp(e[i], "GITHUB_TOKEN=", 13);
		mine += !strcmp(e[i], "GITHUB_TOKEN=mine");
	}
	cr_assert_eq(aws, 1);
	cr_assert_eq(ghs, 1);
	cr_assert_eq(mine, 1);
	free(e);
}

/* Without root: the same sandbox through a user namespace.  A forked
 * child becomes an ordinary uid, runs the probe, and reports one line per
 * outcome through a pipe (criterion assertions stay in the test process).
 * Exit 77 means the kernel refused the user namespace. */
#define UNPRIV_UID 4242

static int unprivileged_run(int report_fd)
{
	char sub[64], p[256], err[512];
	struct audit_config cfg = base_cfg();
	struct sandbox sb;
	int pfd[2];

	snprintf(sub, sizeof sub, "/tmp/sbtest-unpriv-XXXXXX");
	if (!mkdtemp(sub) || chown(sub, UNPRIV_UID, UNPRIV_UID) < 0)
		return 1;
	snprintf(p, sizeof p, "%s/sb_probe", sub);
	copy_file(SB_PROBE_PATH, p, 0755);
	if (setgroups(0, NULL) < 0 || setresgid(UNPRIV_UID, UNPRIV_UID, UNPRIV_UID) < 0 ||
	    setresuid(UNPRIV_UID, UNPRIV_UID, UNPRIV_UID) < 0)
		return 1;
	cfg.workdir = sub;
	int rc = sandbox_prepare(&sb, &cfg, err, sizeof err);
	if (rc < 0) {
		dprintf(report_fd, "prepare: %s\n", err);
		sb_remove_tree(sub);
		return 1;
	}
	const char *argv[] = { "./sb_probe", "status", "procs", "write:/etc/x", "write:x.txt",
			       "ifaces", "loopback", "read:/proc/1/cmdline", "write:/proc/1/oom_score_adj",
			       NULL };
	if (pipe2(pfd, O_CLOEXEC) < 0)
		return 1;
	rc = sandbox_spawn(&sb, (char *const *)argv, pfd[1], pfd[1], NULL, NULL, err, sizeof err);
	close(pfd[1]);
	if (rc < 0) {
		dprintf(report_fd, "spawn: %s\n", err);
		sandbox_cleanup(&sb);
		sb_remove_tree(sub);
		return namespaces_refused(rc) ? 77 : 1;
	}
	for (size_t i = 0; i < sb.n_steps; i++)
		dprintf(report_fd, "step %s: %s %s\n", sb.steps[i].name, sb.steps[i].ok ? "ok" : "NOT",
			sb.steps[i].detail);
	sandbox_start_target(&sb, err, sizeof err);
	for (int i = 0; i < 500 && (rc = sandbox_read_status(&sb, err, sizeof err)) == 0; i++)
		usleep(10000);
	dprintf(report_fd, "status %d %s\n", rc, rc < 0 ? err : "");
	char buf[4096];
	ssize_t n;
	while ((n = read(pfd[0], buf, sizeof buf)) > 0)
		if (write(report_fd, buf, (size_t)n) < 0)
			break;
	close(pfd[0]);
	waitpid(sb.init_pid, NULL, __WALL);
	sandbox_cleanup(&sb);
	sb_remove_tree(sub);
	return 0;
}

Test(sandbox, works_without_root_through_a_user_namespace)
{
	if (geteuid() != 0)
		cr_skip_test("runs as an ordinary user already: every sandbox test goes through the user namespace here");
	int rep[2];
	cr_assert_eq(pipe(rep), 0);
	pid_t pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		close(rep[0]);
		_exit(unprivileged_run(rep[1]));
	}
	close(rep[1]);
	static char out[65536];
	size_t len = 0;
	ssize_t n;
	while (len < sizeof out - 1 && (n = read(rep[0], out + len, sizeof out - 1 - len)) > 0)
		len += (size_t)n;
	out[len] = '\0';
	close(rep[0]);
	int st;
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	cr_assert(WIFEXITED(st));
	cr_log_info("%s", out);
	if (WEXITSTATUS(st) == 77)
		cr_skip_test("kernel refused an unprivileged user namespace: %s", out);
	cr_assert_eq(WEXITSTATUS(st), 0, "%s", out);
	cr_assert(has_line(out, "status 1 "), "%s", out);
	/* The sandbox user inside is the unprivileged caller outside. */
	cr_assert(has_line(out, "Uid:\t65534\t65534\t65534\t65534"), "%s", out);
	cr_assert(has_line(out, "CapEff:\t0000000000000000"), "%s", out);
	cr_assert(has_line(out, "CapBnd:\t0000000000000000"), "%s", out);
	cr_assert(has_line(out, "NoNewPrivs:\t1"), "%s", out);
	cr_assert(has_line(out, "procs 2"), "%s", out);
	/* The init is the caller's uid here too, yet out of the target's reach. */
	cr_assert(has_line(out, "read /proc/1/cmdline ENOENT"), "%s", out);
	cr_assert(has_line(out, "write /proc/1/oom_score_adj ENOENT"), "%s", out);
	cr_assert(!strstr(out, "step cgroup namespace: NOT"), "%s", out);
	cr_assert(has_line(out, "write /etc/x EROFS"), "%s", out);
	cr_assert(has_line(out, "write x.txt ok"), "%s", out);
	cr_assert(has_line(out, "iface lo up"), "%s", out);
	cr_assert(has_line(out, "loopback ok"), "%s", out);
	cr_assert_not_null(strstr(out, "step user namespace: ok"), "%s", out);
}

Test(sandbox, tree_removal_never_follows_symlinks)
{
	char victim[64], tree[64], p[256];
	snprintf(victim, sizeof victim, "/tmp/sbtest-victim-XXXXXX");
	snprintf(tree, sizeof tree, "/tmp/sbtest-tree-XXXXXX");
	cr_assert_not_null(mkdtemp(victim));
	cr_assert_not_null(mkdtemp(tree));
	snprintf(p, sizeof p, "%s/keep.txt", victim);
	write_text(p, "keep\n", 0644);
	snprintf(p, sizeof p, "%s/to-dir", tree);
	cr_assert_eq(symlink(victim, p), 0);
	snprintf(p, sizeof p, "%s/ro", tree);
	cr_assert_eq(mkdir(p, 0755), 0);
	snprintf(p, sizeof p, "%s/ro/f", tree);
	write_text(p, "x", 0444);
	snprintf(p, sizeof p, "%s/ro", tree);
	cr_assert_eq(chmod(p, 0555), 0);
	cr_assert_eq(sb_remove_tree(tree), 0);
	struct stat st;
	cr_assert_neq(lstat(tree, &st), 0, "tree not removed");
	snprintf(p, sizeof p, "%s/keep.txt", victim);
	cr_assert_eq(stat(p, &st), 0, "removal followed a symlink");
	cr_assert_eq(sb_remove_tree(tree), 0, "missing tree is not an error");
	sb_remove_tree(victim);
}

Test(sandbox, copy_refuses_absurd_depth)
{
	char src[64], dst[128], err[256], p[4096];
	snprintf(src, sizeof src, "/tmp/sbtest-deep-XXXXXX");
	cr_assert_not_null(mkdtemp(src));
	size_t len = (size_t)snprintf(p, sizeof p, "%s", src);
	for (int i = 0; i < SANDBOX_COPY_MAX_DEPTH + 2; i++) {
		len += (size_t)snprintf(p + len, sizeof p - len, "/d");
		cr_assert_eq(mkdir(p, 0755), 0, "%s", p);
	}
	snprintf(dst, sizeof dst, "%s-copy", src);
	long long bytes = 0;
	cr_assert_eq(sb_copy_tree(src, dst, false, 0, 0, &bytes, err, sizeof err), -ELOOP);
	cr_assert_not_null(strstr(err, "deeper than"), "%s", err);
	sb_remove_tree(dst);
	sb_remove_tree(src);
}

/* target.setup runs first, through the target's path, and may create the
 * target; a failing setup keeps the target from starting; a missing setup
 * command is reported under its own name. */
Test(sandbox, setup_runs_first_and_gates_the_target)
{
	struct audit_config cfg = base_cfg();
	static char sh[] = "/bin/sh", dash_c[] = "-c",
		build_script[] = "printf '#!/bin/sh\\necho target-ran\\n' >built.sh && chmod 755 built.sh && "
				 "echo setup-ran-as-$(id -u)",
		fail_script[] = "echo broken >&2; exit 4", nosuch[] = "nosuch-setup-dynaudit";
	static char *builds[] = { sh, dash_c, build_script, NULL };
	cfg.setup = builds;
	const char *argv[] = { "./built.sh", NULL };
	struct run r;
	int code = -2, signo = -2;
	double secs = -1;

	run_probe(&r, &cfg, argv);
	cr_assert_eq(sandbox_setup_outcome(&r.sb, &code, &signo, &secs), 1);
	cr_assert_eq(code, 0);
	cr_assert_eq(signo, 0);
	cr_assert(secs >= 0 && secs < 30, "%g", secs);
	cr_assert(has_line(r.out, "setup-ran-as-65534"), "%s", r.out);
	cr_assert(has_line(r.out, "target-ran"), "%s", r.out);
	cr_assert(strstr(r.out, "setup-ran") < strstr(r.out, "target-ran"), "%s", r.out);
	done(&r);

	static char *fails[] = { sh, dash_c, fail_script, NULL };
	cfg.setup = fails;
	const char *argv2[] = { "./never-built", NULL };
	start(&r, &cfg, argv2, NULL, NULL);
	cr_assert_eq(r.status, 2, "%d %s", r.status, r.err);
	cr_assert_eq(sandbox_setup_outcome(&r.sb, &code, &signo, NULL), 1);
	cr_assert_eq(code, 4);
	cr_assert_eq(signo, 0);
	cr_assert_eq(sandbox_read_status(&r.sb, r.err, sizeof r.err), 2);
	finish(&r);
	cr_assert(has_line(r.out, "broken"), "%s", r.out);
	cr_assert_null(strstr(r.out, "not found"), "%s", r.out);
	cr_assert(WIFEXITED(r.init_status) && WEXITSTATUS(r.init_status) == 4, "%#x", r.init_status);
	done(&r);

	static char *missing[] = { nosuch, NULL };
	cfg.setup = missing;
	start(&r, &cfg, argv2, NULL, NULL);
	cr_assert_eq(r.status, -ENOENT, "%d %s", r.status, r.err);
	cr_assert_str_eq(r.err, "target.setup: nosuch-setup-dynaudit: not found on the sandbox PATH "
				"(/usr/local/bin:/usr/bin:/bin)");
	cr_assert_eq(sandbox_setup_outcome(&r.sb, NULL, NULL, NULL), 0);
	finish(&r);
	done(&r);
}

/* fs_beneath: the target names, never leads.  A symlink anywhere on the
 * way, "..", or an absolute path is refused; the removal unlinks links
 * without touching what they point to and empties a mode-0 directory. */
Test(sandbox, fd_relative_open_and_removal_stay_below_their_root)
{
	char top[] = "/tmp/fsb-test-XXXXXX", outside[] = "/tmp/fsb-outside-XXXXXX", p[512];
	cr_assert_not_null(mkdtemp(top));
	cr_assert_not_null(mkdtemp(outside));
	snprintf(p, sizeof p, "%s/keep", outside);
	int f = open(p, O_WRONLY | O_CREAT, 0644);
	cr_assert(f >= 0);
	close(f);
	snprintf(p, sizeof p, "%s/d", top);
	cr_assert_eq(mkdir(p, 0755), 0);
	snprintf(p, sizeof p, "%s/d/sub", top);
	cr_assert_eq(mkdir(p, 0755), 0);
	snprintf(p, sizeof p, "%s/link", top);
	cr_assert_eq(symlink(outside, p), 0);
	snprintf(p, sizeof p, "%s/d/sub/up", top);
	cr_assert_eq(symlink("../..", p), 0);
	snprintf(p, sizeof p, "%s/locked", top);
	cr_assert_eq(mkdir(p, 0700), 0);
	snprintf(p, sizeof p, "%s/locked/inner", top);
	cr_assert_eq(mkdir(p, 0700), 0);
	snprintf(p, sizeof p, "%s/locked", top);
	cr_assert_eq(chmod(p, 0), 0);

	int fd = open(top, O_RDONLY | O_DIRECTORY);
	cr_assert(fd >= 0);
	int ok = fsb_open_dir(fd, "d/sub");
	cr_assert(ok >= 0, "%s", strerror(-ok));
	close(ok);
	cr_assert_lt(fsb_open_dir(fd, "link"), 0); /* ELOOP or EXDEV */
	cr_assert_lt(fsb_open_dir(fd, "d/sub/up"), 0);
	cr_assert_lt(fsb_open_dir(fd, "d/../.."), 0);
	cr_assert_lt(fsb_open_dir(fd, ".."), 0);
	cr_assert_eq(fsb_open_dir(fd, "/etc"), -EINVAL);

	cr_assert_eq(fsb_remove_below(fd), 0);
	close(fd);
	DIR *d = opendir(top);
	cr_assert_not_null(d);
	int entries = 0;
	struct dirent *de;
	while ((de = readdir(d)))
		entries += strcmp(de->d_name, ".") && strcmp(de->d_name, "..");
	closedir(d);
	cr_assert_eq(entries, 0, "the removal left %d entries", entries);
	snprintf(p, sizeof p, "%s/keep", outside);
	cr_assert_eq(access(p, F_OK), 0, "a file behind a link was removed");
	struct stat st;
	cr_assert_eq(stat(outside, &st), 0);
	cr_assert_eq(st.st_mode & 07777, 0700, "the linked directory's mode changed");
	unlink(p);
	rmdir(outside);
	rmdir(top);
}

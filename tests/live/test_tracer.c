/*
 * test_tracer.c — the live tracer against real programs (tests/live/progs/
 * tr_*.c), under a minimal init that stands in for the sandbox's: it waits
 * for the go, forks the target (which installs the tracer's seccomp filter
 * and execs), then reaps everything (it is a child subreaper) and exits.
 * Some tests put the init in a new pid namespace, as the sandbox does.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <termios.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "engine/bus.h"
#include "live/tracer.h"
#include "live/tracer_priv.h"

/* ---- recording events -------------------------------------------------- */

struct rec {
	uint32_t kind;
	int pid, tid, ppid, target_pid, fd, target_fd, argc, port, err, family;
	long long result;
	int64_t flags, arg[4];
	char syscall[32], path[512], path2[512], raw_path[512], fd_desc[256], addr[160];
	char detail[128], text[2048], stdio[3][256], argv1[64], argv_last[64];
	char loader_env[256];
};

struct run {
	struct rec *v;
	size_t n, cap;
	bool exited;
	int code, signo;
	int alive;
	struct tracer_stats stats;
	char notes[256];
	bool timed_out;
};

static void run_free(struct run *r)
{
	free(r->v);
	r->v = NULL;
}

#define CP(dst, src) snprintf((dst), sizeof(dst), "%s", (src) ? (src) : "")

static int record(void *ctx, const struct da_event *ev)
{
	struct run *r = ctx;
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 256;
		r->v = realloc(r->v, r->cap * sizeof(*r->v));
		cr_assert_not_null(r->v);
	}
	struct rec *e = &r->v[r->n++];
	memset(e, 0, sizeof(*e));
	e->kind = ev->kind;
	e->pid = ev->pid;
	e->tid = ev->tid;
	e->ppid = ev->ppid;
	e->target_pid = ev->target_pid;
	e->fd = ev->fd;
	e->target_fd = ev->target_fd;
	e->argc = ev->argc;
	e->port = ev->port;
	e->family = ev->family;
	e->err = ev->err;
	e->result = ev->result;
	e->flags = ev->flags;
	memcpy(e->arg, ev->arg, sizeof(e->arg));
	CP(e->syscall, ev->syscall);
	CP(e->path, ev->path);
	CP(e->path2, ev->path2);
	CP(e->raw_path, ev->raw_path);
	CP(e->fd_desc, ev->fd_desc);
	CP(e->addr, ev->addr);
	CP(e->detail, ev->detail);
	CP(e->text, ev->text);
	CP(e->loader_env, ev->loader_env);
	for (int i = 0; i < 3; i++)
		CP(e->stdio[i], ev->stdio[i]);
	if (ev->argc > 1)
		CP(e->argv1, ev->argv[1]);
	if (ev->argc > 0)
		CP(e->argv_last, ev->argv[ev->argc - 1]);
	cr_assert(ev->text && ev->text[0], "event kind %u without text", ev->kind);
	return 0;
}

static double since_start(void *ctx)
{
	struct timespec *t0 = ctx, now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

/* The stand-in init: go, fork the target, reap until nothing is left. */
static void init_main(struct tracer *t, int go_fd, char *const argv[])
{
	char c;
	prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
	if (read(go_fd, &c, 1) != 1)
		_exit(100);
	pid_t target = fork();
	if (target == 0) {
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || tracer_install_filter(t) < 0)
			_exit(101);
		execv(argv[0], argv);
		_exit(102);
	}
	while (wait(NULL) > 0 || errno == EINTR)
		;
	_exit(0);
}

struct run_opts {
	bool deny;
	bool pidns;
	const uint64_t *mask; /* NULL: every kind */
	bool fallback;        /* pretend PTRACE_GET_SYSCALL_INFO and process_vm_readv are missing */
	bool notify;          /* fast_notify: read-only opens and stats through notifications */
	double skip_sleeps_s; /* sandbox.time.skip_sleeps, 0 off */
	int timeout_s;
};

static void run_prog(const struct run_opts *o, struct run *r, const char *prog, const char *arg)
{
	static struct timespec t0;
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", TR_PROGS, prog);
	char *argv[] = { path, (char *)arg, NULL };

	memset(r, 0, sizeof(*r));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct bus *bus = bus_new();
	cr_assert_not_null(bus);
	/* every kind, as an explicit mask: the bus does not let an all-ones
	 * (record-everything) subscriber drive the tracer's filter */
	uint64_t every[DA_EVMASK_WORDS] = { 0 };
	for (uint32_t k = 1; k < DA_EV_KIND_MAX; k++)
		DA_EVMASK_SET(every, k);
	cr_assert_eq(bus_subscribe(bus, o->mask ? o->mask : every, record, r), 0);
	char cwd[512], err[256] = "";
	cr_assert_not_null(getcwd(cwd, sizeof(cwd)));
	struct tracer_options topt = {
		.bus = bus, .workdir = cwd, .clock = since_start, .clock_ctx = &t0,
		.deny_dangerous = o->deny, .fast_notify = o->notify, .skip_sleeps_s = o->skip_sleeps_s,
	};
	struct tracer *t = NULL;
	cr_assert_eq(tracer_new(&t, &topt, err, sizeof(err)), 0, "tracer_new: %s", err);
	if (o->fallback) {
		t->have_syscall_info = false;
		t->have_vm_readv = false;
	}

	sigset_t chld, old;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, &old);
	int go[2];
	cr_assert_eq(pipe2(go, O_CLOEXEC), 0);
	/* clone(CLONE_NEWPID) rather than unshare: the test process itself
	 * must keep creating threads (LeakSanitizer does) after the
	 * namespace's init is gone. */
	pid_t init = o->pidns ? (pid_t)syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, 0, 0, 0, 0) : fork();
	cr_assert_geq(init, 0);
	if (init == 0) {
		close(go[1]);
		init_main(t, go[0], argv);
	}
	close(go[0]);
	cr_assert_eq(tracer_seize_init(t, init, err, sizeof(err)), 0, "seize: %s", err);
	cr_assert_eq(write(go[1], "g", 1), 1);
	close(go[1]);

	/* the live run loop's shape: SIGCHLD through a signalfd, plus the
	 * notification fd, then tracer_dispatch() */
	int sfd = signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK);
	cr_assert_geq(sfd, 0);
	int limit = o->timeout_s ? o->timeout_s : 20;
	for (;;) {
		struct signalfd_siginfo ssi[8];
		while (read(sfd, ssi, sizeof(ssi)) > 0)
			;
		int h = tracer_dispatch(t);
		cr_assert_geq(h, 0, "tracer_dispatch: %s", strerror(-h));
		siginfo_t si;
		if (waitid(P_ALL, 0, &si, WEXITED | WSTOPPED | WNOHANG | WNOWAIT | __WALL) < 0 &&
		    errno == ECHILD)
			break; /* nothing traced and no child left */
		if (since_start(&t0) > limit) {
			r->timed_out = true;
			kill(init, SIGKILL);
			limit += 5; /* EXITKILL/pid ns take the rest down */
		}
		struct pollfd pfd[1 + TRACER_POLL_FDS_MAX] = { { .fd = sfd, .events = POLLIN } };
		int fds[TRACER_POLL_FDS_MAX];
		int nfds = tracer_notify_fds(t, fds, TRACER_POLL_FDS_MAX);
		for (int i = 0; i < nfds; i++)
			pfd[1 + i] = (struct pollfd){ .fd = fds[i], .events = POLLIN };
		poll(pfd, (nfds_t)(1 + nfds), 50);
	}
	close(sfd);
	if (o->notify)
		cr_assert_not_null(strstr(tracer_notes(t), "seccomp notifications: yes"));
	sigprocmask(SIG_SETMASK, &old, NULL);
	r->exited = tracer_target_exited(t, &r->code, &r->signo, NULL);
	r->alive = tracer_alive(t);
	r->stats = *tracer_get_stats(t);
	snprintf(r->notes, sizeof(r->notes), "%s", tracer_notes(t));
	tracer_free(t);
	bus_free(bus);
}

static void run_simple(struct run *r, bool deny, const char *prog, const char *arg)
{
	struct run_opts o = { .deny = deny };
	run_prog(&o, r, prog, arg);
	cr_assert_not(r->timed_out, "%s %s hung", prog, arg ? arg : "");
	cr_assert(r->exited, "target exit not seen");
	cr_assert_eq(r->alive, 0, "processes still counted alive: %d", r->alive);
}

static const struct rec *find(const struct run *r, uint32_t kind, const char *syscall,
			      const char *path, size_t nth)
{
	for (size_t i = 0; i < r->n; i++) {
		const struct rec *e = &r->v[i];
		if (e->kind != kind)
			continue;
		if (syscall && strcmp(e->syscall, syscall) != 0)
			continue;
		if (path && strcmp(e->path, path) != 0 && strcmp(e->raw_path, path) != 0)
			continue;
		if (nth-- == 0)
			return e;
	}
	return NULL;
}

static size_t count(const struct run *r, uint32_t kind, const char *syscall, const char *path)
{
	size_t n = 0;
	while (find(r, kind, syscall, path, n))
		n++;
	return n;
}

static void dump(const struct run *r)
{
	for (size_t i = 0; i < r->n; i++)
		fprintf(stderr, "[%d/%d ppid %d] k=%u %s\n", r->v[i].pid, r->v[i].tid, r->v[i].ppid,
			r->v[i].kind, r->v[i].text);
}

/* ---- unit: memory reads, probe ------------------------------------------ */

Test(tracer, probe_records_kernel_features)
{
	struct bus *bus = bus_new();
	uint64_t mask[DA_EVMASK_WORDS] = { 0 };
	DA_EVMASK_SET(mask, DA_EV_FILE_OPEN);
	bus_subscribe(bus, mask, record, NULL);
	struct tracer_options o = { .bus = bus, .workdir = "/", .deny_dangerous = false };
	struct tracer *t;
	char err[256];
	cr_assert_eq(tracer_new(&t, &o, err, sizeof(err)), 0, "%s", err);
	cr_assert_not_null(strstr(tracer_notes(t), "PTRACE_GET_SYSCALL_INFO: yes"), "%s", tracer_notes(t));
	cr_assert_not_null(strstr(tracer_notes(t), "process_vm_readv: yes"), "%s", tracer_notes(t));
	cr_assert_gt(t->prog.len, 4);
	tracer_free(t);
	bus_free(bus);
}

/* The probe's child (which shares dynaudit's memory) is reaped and leaves
 * no descriptor open; the probe runs again with the same answers. */
Test(tracer, probe_leaves_no_child_or_fd)
{
	int before = dup(0);
	cr_assert_geq(before, 0);
	close(before);
	char first[512] = "";
	for (int i = 0; i < 3; i++) {
		struct bus *bus = bus_new();
		struct tracer_options o = { .bus = bus, .workdir = "/", .deny_dangerous = false };
		struct tracer *t;
		char err[256];
		cr_assert_eq(tracer_new(&t, &o, err, sizeof(err)), 0, "%s", err);
		cr_assert_not_null(strstr(tracer_notes(t), "seccomp stop after syscall-entry stop"), "%s",
				   tracer_notes(t));
		if (i == 0)
			snprintf(first, sizeof(first), "%s", tracer_notes(t));
		else
			cr_assert_str_eq(tracer_notes(t), first);
		errno = 0;
		cr_assert_eq(waitpid(-1, NULL, WNOHANG | __WALL), -1, "a probe child is left");
		cr_assert_eq(errno, ECHILD);
		tracer_free(t);
		bus_free(bus);
	}
	int after = dup(0);
	cr_assert_eq(after, before, "the probe left a descriptor open");
	close(after);
}

Test(tracer, string_read_stops_at_unmapped_page)
{
	struct tracer t;
	memset(&t, 0, sizeof(t));
	char *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	cr_assert_neq(m, MAP_FAILED);
	munmap(m + 4096, 4096);
	memcpy(m + 4096 - 5, "/abcd", 5);
	for (int vm = 0; vm < 2; vm++) {
		/* both paths: process_vm_readv and the PEEKDATA fallback (on
		 * ourselves PEEKDATA fails: not traced, so only check vm) */
		t.have_vm_readv = vm;
		char buf[64];
		bool trunc;
		ssize_t n = tracer_mem_string(&t, getpid(), (uint64_t)(uintptr_t)(m + 4096 - 5), buf,
					      sizeof(buf), &trunc);
		if (!vm)
			continue;
		cr_assert_eq(n, 5);
		cr_assert_str_eq(buf, "/abcd");
		cr_assert(trunc);
	}
	/* a string capped at the caller's size */
	char big[10000];
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	char out[TRACER_STR_MAX + 1];
	bool trunc;
	t.have_vm_readv = true;
	ssize_t n = tracer_mem_string(&t, getpid(), (uint64_t)(uintptr_t)big, out, sizeof(out), &trunc);
	cr_assert_eq(n, TRACER_STR_MAX);
	cr_assert(trunc);
	munmap(m, 4096);
}

/* ---- processes ------------------------------------------------------------ */

Test(tracer, fork_vfork_and_double_fork_daemon)
{
	struct run r __attribute__((cleanup(run_free)));
	run_simple(&r, true, "tr_fork", NULL);
	if (getenv("TR_DUMP")) dump(&r);
	cr_assert_eq(r.code, 7, "target exit %d", r.code);
	const struct rec *exec = find(&r, DA_EV_PROC_EXEC, "execve", NULL, 0);
	cr_assert_not_null(exec);
	int target = exec->pid;
	cr_assert_str_eq(exec->argv1, "");
	const struct rec *child = find(&r, DA_EV_FILE_OPEN, NULL, "/tr_fork_child", 0);
	cr_assert_not_null(child, "child open missing");
	cr_assert_eq(child->ppid, target);
	cr_assert_neq(child->pid, target);
	cr_assert_str_eq(child->text,
			 "openat(AT_FDCWD, \"/tr_fork_child\", O_RDONLY|O_CLOEXEC) = -1 ENOENT (No such file or directory)");
	const struct rec *truex = find(&r, DA_EV_PROC_EXEC, NULL, "/bin/true", 0);
	cr_assert_not_null(truex, "vfork child exec missing");
	cr_assert_eq(truex->ppid, target);
	cr_assert_eq(truex->result, 0);
	const struct rec *daemon = find(&r, DA_EV_FILE_OPEN, NULL, "/tr_fork_daemon", 0);
	cr_assert_not_null(daemon, "daemon open missing");
	cr_assert_neq(daemon->ppid, target); /* its parent is the middle process */
	cr_assert_eq(count(&r, DA_EV_PROC_SESSION, "setsid", NULL), 1);
	size_t forks = count(&r, DA_EV_PROC_FORK, NULL, NULL);
	cr_assert_eq(forks, 4, "forks: %zu", forks);
	const struct rec *vf = find(&r, DA_EV_PROC_FORK, "vfork", NULL, 0);
	cr_assert_not_null(vf);
	cr_assert_str_eq(vf->detail, "process");
	/* every process ended with an event: target + 4 children */
	cr_assert_eq(count(&r, DA_EV_PROC_EXIT, NULL, NULL), 5);
	for (size_t i = 0; i < r.n; i++)
		if (r.v[i].kind == DA_EV_PROC_EXIT && r.v[i].pid == target)
			cr_assert_eq(r.v[i].arg[0], 7);
}

Test(tracer, burst_of_300_threads)
{
	struct run r __attribute__((cleanup(run_free)));
	run_simple(&r, true, "tr_threads", "burst");
	cr_assert_eq(r.code, 0);
	const struct rec *exec = find(&r, DA_EV_PROC_EXEC, NULL, NULL, 0);
	cr_assert_not_null(exec);
	size_t threads = 0, opens = 0;
	for (size_t i = 0; i < r.n; i++) {
		const struct rec *e = &r.v[i];
		if (e->kind == DA_EV_PROC_FORK && strcmp(e->detail, "thread") == 0 && e->result > 0)
			threads++;
		if (e->kind == DA_EV_FILE_OPEN && strcmp(e->path, "/tr_thread_marker") == 0) {
			opens++;
			cr_assert_eq(e->pid, exec->pid);
			cr_assert_neq(e->tid, exec->pid);
		}
	}
	cr_assert_eq(threads, 300, "thread events: %zu", threads);
	cr_assert_eq(opens, 300, "opens: %zu", opens);
	cr_assert_eq(count(&r, DA_EV_PROC_EXIT, NULL, NULL), 1, "threads are not processes");
}

Test(tracer, exec_from_non_leader_thread)
{
	struct run r __attribute__((cleanup(run_free)));
	run_simple(&r, true, "tr_threads", "exec");
	cr_assert_eq(r.code, 0);
	const struct rec *first = find(&r, DA_EV_PROC_EXEC, NULL, NULL, 0);
	const struct rec *ex = find(&r, DA_EV_PROC_EXEC, NULL, "/bin/true", 0);
	cr_assert_not_null(first);
	cr_assert_not_null(ex, "exec from thread missing");
	cr_assert_eq(ex->result, 0);
	cr_assert_str_eq(ex->argv1, "from-thread");
	cr_assert_eq(ex->pid, first->pid);
	cr_assert_eq(ex->tid, first->pid, "after exec the tid is the leader's");
}

Test(tracer, exit_group_with_threads_in_syscalls)
{
	struct run r __attribute__((cleanup(run_free)));
	run_simple(&r, true, "tr_threads", "exitgroup");
	cr_assert_eq(r.code, 5);
	/* the blocked accepts are published (result unknown), not lost */
	cr_assert_eq(count(&r, DA_EV_NET_ACCEPT, "accept", NULL) + count(&r, DA_EV_NET_ACCEPT, "accept4", NULL), 4);
	const struct rec *ex = find(&r, DA_EV_PROC_EXIT, NULL, NULL, 0);
	cr_assert_not_null(ex);
	cr_assert_eq(ex->arg[0], 5);
}

Test(tracer, leader_exits_before_its_threads)
{
	struct run r __attribute__((cleanup(run_free)));
	run_simple(&r, true, "tr_threads", "leader");
	cr_assert_eq(r.code, 9);
	cr_assert_not_null(find(&r, DA_EV_FILE_OPEN, NULL, "/tr_thread_marker", 0));
}

Test(tracer, failed_execve_then_execveat)
{
	struct run r __attribute__((cleanup(run_free)));
	run_simple(&r, true, "tr_exec", "at");
	cr_assert_eq(r.code, 0);
	const struct rec *bad = find(&r, DA_EV_PROC_EXEC, "execve", "/nonexistent/tr_exec_missing", 0);
	cr_assert_not_null(bad);
	cr_assert_eq(bad->err, ENOENT);
	cr_assert_eq(bad->result, -1);
	cr_assert_not_null(strstr(bad->text, "= -1 ENOENT (No such file or directory)"), "%s", bad->text);
	const struct rec *at = find(&r, DA_EV_PROC_EXEC, "execveat", NULL, 0);
	cr_assert_not_null(at);
	cr_assert_str_eq(at->path, "/bin/true");
	cr_assert_str_eq(at->argv1, "via-execveat");
	cr_assert_eq(at->result, 0);
}

Test(tracer, exec_stdio_is_a_socket)
{
	struct run r __attribute__((cleanup(run_free)));
	run_simple(&r, true, "tr_exec", "stdio");
	cr_assert_eq(r.code, 0);
	const struct rec *ex = find(&r, DA_EV_PROC_EXEC, NULL, "/bin/true", 0);
	cr_assert_not_null(ex);
	const struct rec *conn = find(&r, DA_EV_NET_CONNECT, NULL, NULL, 0);
	cr_assert_not_null(conn);
	cr_assert_eq(conn->result, 0);
	cr_assert_eq(conn->family, AF_INET);
	char want[64];
	snprintf(want, sizeof(want), "socket:inet/stream->127.0.0.1:%d", conn->port);
	cr_assert_str_eq(conn->addr + 0, want + strlen("socket:inet/stream->"));
	cr_assert_str_eq(ex->stdio[0], want);
	cr_assert_str_eq(ex->stdio[1], want);
	cr_assert_str_eq(ex->stdio[2], "pipe"); /* criterion's stderr capture... or tty */
	const struct rec *listen = find(&r, DA_EV_NET_LISTEN, NULL, NULL, 0);
	cr_assert_not_null(listen);
	char bound[80];
	snprintf(bound, sizeof(bound), "socket:inet/stream@127.0.0.1:%d", conn->port);
	cr_assert_str_eq(listen->fd_desc, bound);
	cr_assert_eq(listen->port, conn->port);
}

Test(tracer, huge_argv_is_capped)
{
	struct run r __attribute__((cleanup(run_free)));
	run_simple(&r, true, "tr_exec", "bigargv");
	cr_assert_eq(r.code, 0);
	const struct rec *ex = find(&r, DA_EV_PROC_EXEC, NULL, "/bin/true", 0);
	cr_assert_not_null(ex);
	cr_assert_leq(ex->argc, TRACER_ARGV_MAX + 1);
	cr_assert_str_eq(ex->argv_last, "...");
}

/* The environment's loader variables reach the exec event (and only
 * they: an ordinary variable or a look-alike name is not kept). */
Test(tracer, exec_keeps_loader_variables)
{
	struct run r __attribute__((cleanup(run_free)));
	run_simple(&r, true, "tr_exec", "preload");
	const struct rec *ex = find(&r, DA_EV_PROC_EXEC, NULL, "/bin/true", 0);
	cr_assert_not_null(ex);
	cr_assert_str_eq(ex->loader_env, "LD_PRELOAD=/nonexistent/tr_hook.so\nLD_AUDIT=/tmp/a.so\n",
			 "loader_env: '%s'", ex->loader_env);
}

/* fds closed right after the call: the events still say what they were
 * (described while the caller was stopped), through ptrace stops and
 * through notifications alike. */
Test(tracer, fds_closed_at_once_are_still_described)
{
	for (int notify = 0; notify < 2; notify++) {
		struct run r __attribute__((cleanup(run_free)));
		struct run_opts o = { .deny = true, .notify = notify };
		run_prog(&o, &r, "tr_fds", NULL);
		cr_assert_eq(r.code, 0);
		size_t opens = 0, maps = 0;
		for (size_t i = 0; i < r.n; i++) {
			const struct rec *e = &r.v[i];
			if (e->kind == DA_EV_FILE_OPEN && strcmp(e->raw_path, "hostname") == 0) {
				cr_assert_str_eq(e->path, "/etc/hostname", "notify=%d: dirfd lost", notify);
				opens++;
			}
			size_t n = strlen(e->path);
			if (e->kind == DA_EV_FILE_MMAP_EXEC && n >= 9 && strcmp(e->path + n - 9, "/bin/true") == 0)
				maps++;
		}
		cr_assert_eq(opens, 200, "notify=%d", notify);
		cr_assert_eq(maps, 200, "notify=%d: mmap events without their file", notify);
	}
}

/* Destinations come from the message, never from the socket's own
 * address; fexecve names the memfd it runs, not the working directory. */
Test(tracer, send_destinations_and_fexecve_paths)
{
	for (int notify = 0; notify < 2; notify++) {
		struct run r __attribute__((cleanup(run_free)));
		struct run_opts o = { .deny = true, .notify = notify };
		run_prog(&o, &r, "tr_net", NULL);
		cr_assert_eq(r.code, 0, "notify=%d: exit %d", notify, r.code);
		const struct rec *mm = find(&r, DA_EV_NET_SEND, "sendmmsg", NULL, 0);
		cr_assert_not_null(mm, "notify=%d", notify);
		cr_assert_str_eq(mm->addr, "127.0.0.1:5353", "notify=%d", notify);
		cr_assert_eq(mm->port, 5353);
		const struct rec *bare = find(&r, DA_EV_NET_SEND, "sendto", NULL, 1);
		cr_assert_not_null(bare, "notify=%d", notify);
		cr_assert_eq(bare->addr[0], '\0', "notify=%d: send() without an address got %s", notify,
			     bare->addr);
		/* write()/writev() on a connected UDP socket: sends to the peer,
		 * carrying a DNS query; the memfd write is no send */
		const struct rec *w = find(&r, DA_EV_NET_SEND, "write", NULL, 0);
		cr_assert_not_null(w, "notify=%d: write() on a socket is no send", notify);
		cr_assert_str_eq(w->addr, "127.0.0.1:53", "notify=%d", notify);
		cr_assert_null(find(&r, DA_EV_NET_SEND, "write", NULL, 1), "notify=%d: the memfd write is a send", notify);
		cr_assert_not_null(find(&r, DA_EV_NET_SEND, "writev", NULL, 0), "notify=%d", notify);
		const struct rec *q0 = find(&r, DA_EV_SYSCALL_OTHER, "dns_query", NULL, 0);
		const struct rec *q1 = find(&r, DA_EV_SYSCALL_OTHER, "dns_query", NULL, 1);
		cr_assert(q0 && q1, "notify=%d: the queries written are not decoded", notify);
		cr_assert_str_eq(q0->detail, "trnet.test");
		cr_assert_str_eq(q1->detail, "trnet.test");
		cr_assert_eq(q0->port, 53);
		const struct rec *failed = find(&r, DA_EV_PROC_EXEC, "execveat", NULL, 0);
		const struct rec *ran = find(&r, DA_EV_PROC_EXEC, "execveat", NULL, 1);
		cr_assert(failed && ran, "notify=%d", notify);
		cr_assert_neq(failed->err, 0);
		cr_assert(strstr(failed->path, "memfd:trnet-empty"), "failed fexecve path %s", failed->path);
		cr_assert_eq(ran->err, 0);
		cr_assert(strstr(ran->path, "memfd:trnet") && !strstr(ran->path, "empty"),
			  "fexecve path %s", ran->path);
		cr_assert_str_eq(ran->detail, "memfd");
		const struct rec *nm = find(&r, DA_EV_PROC_SESSION, "prctl", NULL, 0);
		cr_assert_not_null(nm, "notify=%d: no PR_SET_NAME event", notify);
		cr_assert_str_eq(nm->detail, "PR_SET_NAME");
		cr_assert_str_eq(nm->raw_path, "kworker/0:1-eve", "the kernel keeps 15 bytes");
	}
}

/* A notified read-only open has no result of its own: its failure is
 * asked of the kernel again, and a remembered answer is dropped once a
 * traced call changed the tree (create, unlink). */
Test(tracer, notified_opens_tell_their_failures)
{
	char p[64];
	snprintf(p, sizeof(p), "/tmp/dynaudit-oracle-%d", (int)getpid());
	unlink(p);
	struct run r __attribute__((cleanup(run_free)));
	struct run_opts o = { .deny = true, .notify = 1 };
	run_prog(&o, &r, "tr_oracle", p);
	unlink(p);
	cr_assert_eq(r.code, 0, "exit %d", r.code);
	const struct rec *reads[3];
	size_t n = 0;
	for (size_t i = 0; i < r.n && n < 3; i++)
		if (r.v[i].kind == DA_EV_FILE_OPEN && strcmp(r.v[i].path, p) == 0 && !(r.v[i].flags & O_CREAT))
			reads[n++] = &r.v[i];
	cr_assert_eq(n, 3);
	cr_assert_eq(reads[0]->err, ENOENT, "missing file: err %d", reads[0]->err);
	cr_assert(strstr(reads[0]->text, "= -1 ENOENT"), "%s", reads[0]->text);
	cr_assert_eq(reads[1]->err, 0, "after the create: err %d (stale answer)", reads[1]->err);
	cr_assert_eq(reads[2]->err, ENOENT, "after the unlink: err %d", reads[2]->err);
	cr_assert(r.stats.notified >= 3, "the opens were not notified");
}

/* Magic links name where they lead: /proc/self/root/X is X, /dev/fd/N/X
 * is the fd's directory + X, /proc/self/cwd/X the cwd's X (raw_path keeps
 * what the program wrote). */
Test(tracer, magic_link_paths_name_their_target)
{
	for (int notify = 0; notify < 2; notify++) {
		struct run r __attribute__((cleanup(run_free)));
		struct run_opts o = { .deny = true, .notify = notify };
		run_prog(&o, &r, "tr_magic", NULL);
		cr_assert_eq(r.code, 0, "notify=%d", notify);
		const struct rec *a = find(&r, DA_EV_FILE_OPEN, NULL, "/proc/self/root/etc/hostname", 0);
		cr_assert_not_null(a, "notify=%d", notify);
		cr_assert_str_eq(a->path, "/etc/hostname");
		size_t via_fd = 0;
		for (size_t i = 0; i < r.n; i++)
			if (r.v[i].kind == DA_EV_FILE_OPEN && strncmp(r.v[i].raw_path, "/dev/fd/", 8) == 0) {
				cr_assert_str_eq(r.v[i].path, "/etc/hostname", "notify=%d", notify);
				via_fd++;
			}
		cr_assert_eq(via_fd, 1, "notify=%d", notify);
		const struct rec *c = find(&r, DA_EV_FILE_OPEN, NULL, "/proc/self/cwd/magic-x", 0);
		cr_assert_not_null(c, "notify=%d", notify);
		cr_assert_str_eq(c->path, "/tmp/magic-x");
	}
}

/* Sleeps carry how long until they would end (arg[0], seconds), also for
 * an absolute end; seen at entry, so a killed sleeper is still reported.
 * Sleeps under a second are not events (retry loops would flood). */
Test(tracer, sleeps_report_their_length)
{
	for (int notify = 0; notify < 2; notify++) {
		struct run r __attribute__((cleanup(run_free)));
		struct run_opts o = { .deny = true, .notify = notify };
		run_prog(&o, &r, "tr_sleep", NULL);
		cr_assert_eq(r.code, 0);
		const struct rec *rel = find(&r, DA_EV_SYSCALL_OTHER, "nanosleep", NULL, 0);
		cr_assert_not_null(rel, "notify=%d", notify);
		cr_assert_eq(rel->arg[0], 100);
		cr_assert(strstr(rel->text, "nanosleep({tv_sec=100, tv_nsec=0}"), "%s", rel->text);
		/* the parent's usleep() calls are clock_nanosleeps too */
		const struct rec *abs = NULL, *tiny = NULL;
		for (size_t i = 0; i < r.n; i++) {
			const struct rec *e = &r.v[i];
			if (e->kind != DA_EV_SYSCALL_OTHER || strcmp(e->syscall, "clock_nanosleep") != 0)
				continue;
			if (strstr(e->text, "TIMER_ABSTIME"))
				abs = e;
			if (strstr(e->text, "{tv_sec=0, tv_nsec=1}"))
				tiny = e;
		}
		cr_assert_not_null(abs);
		cr_assert(abs->arg[0] >= 198 && abs->arg[0] <= 200, "absolute end 200 s ahead: %lld",
			  (long long)abs->arg[0]);
		cr_assert(strstr(abs->text, "clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, {tv_sec="),
			  "%s", abs->text);
		cr_assert_null(tiny, "a sleep under a second is not an event");
	}
}

/* skip_sleeps: an hour's sleep returns at once, a timer an hour ahead fires
 * in a second (host_timebomb then runs sh -c id and exits), through a
 * notification, a ptrace stop, and the GETREGS/PEEKDATA fallbacks. */
Test(tracer, long_waits_are_cut_short)
{
	static const char *const hows[] = { "nanosleep", "absolute", "alarm", "itimer", "timerfd",
					    "posixtimer" };
	for (int mode = 0; mode < 3; mode++) {
		for (size_t h = 0; h < sizeof(hows) / sizeof(hows[0]); h++) {
			struct run r __attribute__((cleanup(run_free)));
			struct run_opts o = { .deny = true, .notify = mode == 1, .fallback = mode == 2,
					      .skip_sleeps_s = 2, .timeout_s = 15 };
			run_prog(&o, &r, "host_timebomb", hows[h]);
			cr_assert_eq(r.code, 0, "%s mode %d: exit %d", hows[h], mode, r.code);
			cr_assert_not_null(find(&r, DA_EV_PROC_EXEC, NULL, "/bin/sh", 0),
					   "%s mode %d: the payload did not run", hows[h], mode);
			const struct rec *cut = NULL;
			for (size_t i = 0; i < r.n; i++)
				if (r.v[i].kind == DA_EV_SYSCALL_OTHER && strstr(r.v[i].detail, "cut"))
					cut = &r.v[i];
			cr_assert_not_null(cut, "%s mode %d: no cut event", hows[h], mode);
			cr_assert(cut->arg[0] >= 3599 && cut->arg[0] <= 3600, "%s: arg[0] %lld", hows[h],
				  (long long)cut->arg[0]);
			cr_assert(strstr(cut->text, "<cut from 3600 s to"), "%s", cut->text);
		}
	}
}

/* ---- signals ------------------------------------------------------------------ */

Test(tracer, sigstop_and_sigcont_do_not_hang)
{
	struct run r __attribute__((cleanup(run_free)));
	run_simple(&r, true, "tr_signals", "stop");
	cr_assert_eq(r.code, 0);
	cr_assert_geq(count(&r, DA_EV_PROC_SIGNAL, "kill", NULL), 2);
}

Test(tracer, interrupted_syscalls_restart)
{
	struct run r __attribute__((cleanup(run_free)));
	run_simple(&r, true, "tr_signals", "restart");
	cr_assert_eq(r.code, 0);
	size_t eintr = 0, ok = 0;
	for (size_t i = 0; i < r.n; i++) {
		const struct rec *e = &r.v[i];
		if (e->kind != DA_EV_NET_ACCEPT)
			continue;
		if (e->err == EINTR)
			eintr++;
		if (e->result >= 0 && e->err == 0)
			ok++;
	}
	cr_assert_geq(eintr, 2, "interrupted accepts: %zu", eintr);
	cr_assert_eq(ok, 1);
	cr_assert_geq(count(&r, DA_EV_PROC_SIGNAL, NULL, NULL), 2); /* SIGALRM deliveries */
}

Test(tracer, sigkill_mid_syscall)
{
	struct run r __attribute__((cleanup(run_free)));
	run_simple(&r, true, "tr_signals", "kill");
	cr_assert_eq(r.code, 0);
	bool killed = false;
	for (size_t i = 0; i < r.n; i++)
		if (r.v[i].kind == DA_EV_PROC_EXIT && strcmp(r.v[i].detail, "SIGKILL") == 0)
			killed = true;
	cr_assert(killed);
	cr_assert_eq(count(&r, DA_EV_NET_ACCEPT, NULL, NULL), 1);
}

/* ---- the deny policy ------------------------------------------------------------ */

Test(tracer, dangerous_syscalls_denied_and_reported)
{
	struct run r __attribute__((cleanup(run_free)));
	run_simple(&r, true, "tr_deny", NULL);
	if (getenv("TR_DUMP")) dump(&r);
	if (r.code != 0)
		dump(&r);
	cr_assert_eq(r.code, 0, "a dangerous syscall was not denied (see stderr)");
	const struct rec *e = find(&r, DA_EV_PRIV_KERNEL, "io_uring_setup", NULL, 0);
	cr_assert_not_null(e);
	cr_assert_eq(e->err, EPERM);
	cr_assert_not_null(strstr(e->text, "= -1 EPERM (Operation not permitted)"));
	/* a child hidden from the tracer: judged as tampering with tracing */
	e = find(&r, DA_EV_PRIV_PTRACE, "clone", NULL, 0);
	cr_assert_not_null(e, "clone(CLONE_UNTRACED) not reported");
	cr_assert_eq(e->err, EPERM);
	cr_assert_not_null(strstr(e->text, "CLONE_UNTRACED"));
	cr_assert_not_null(e->detail);
	cr_assert_str_eq(e->detail, "CLONE_UNTRACED");
	e = find(&r, DA_EV_PROC_FORK, "clone3", NULL, 0);
	cr_assert_not_null(e);
	cr_assert_eq(e->err, ENOSYS);
	e = find(&r, DA_EV_PRIV_NS, "unshare", NULL, 0);
	cr_assert_not_null(e);
	cr_assert_str_eq(e->detail, "CLONE_NEWNET");
	cr_assert_eq(count(&r, DA_EV_PRIV_NS, "unshare", NULL), 1, "unshare(CLONE_FILES) is no event");
	cr_assert_not_null(find(&r, DA_EV_PRIV_PTRACE, "ptrace", NULL, 0));
	cr_assert_not_null(find(&r, DA_EV_PRIV_MOUNT, "mount", NULL, 0));
	cr_assert_not_null(find(&r, DA_EV_PRIV_KERNEL, "personality", NULL, 0));
	cr_assert_not_null(find(&r, DA_EV_PRIV_KERNEL, "bpf", NULL, 0));
	e = find(&r, DA_EV_PRIV_KERNEL, "i386", NULL, 0);
	cr_assert_not_null(e, "int 0x80 not reported");
	cr_assert_not_null(strstr(e->text, "getpid[i386]("), "%s", e->text);
	cr_assert_str_eq(e->detail, "32-bit syscall (int 0x80)", "an x86-64 program, not a 32-bit one");
	e = find(&r, DA_EV_PRIV_KERNEL, "x32", NULL, 0);
	cr_assert_not_null(e, "x32 entry not reported");
	cr_assert_not_null(strstr(e->text, "getpid[x32]("), "%s", e->text);
	cr_assert_geq(r.stats.denied, 10);
}

Test(tracer, no_denial_without_policy)
{
	struct run r __attribute__((cleanup(run_free)));
	uint64_t mask[DA_EVMASK_WORDS] = { 0 };
	DA_EVMASK_SET(mask, DA_EV_FILE_OPEN);
	struct run_opts o = { .deny = false, .mask = mask };
	run_prog(&o, &r, "tr_hostile", "fault");
	cr_assert(r.exited);
	cr_assert_eq(r.code, 0);
	cr_assert_eq(r.stats.denied, 0);
	const struct rec *e = find(&r, DA_EV_FILE_OPEN, NULL, NULL, 0);
	cr_assert_not_null(e);
	for (size_t i = 0; i < r.n; i++)
		cr_assert_eq(r.v[i].kind, DA_EV_FILE_OPEN, "unsubscribed kind %u published", r.v[i].kind);
}

/* ---- hostile targets -------------------------------------------------------- */

Test(tracer, open_path_running_into_unmapped_page)
{
	struct run r __attribute__((cleanup(run_free)));
	run_simple(&r, true, "tr_hostile", "fault");
	cr_assert_eq(r.code, 0);
	const struct rec *e = NULL;
	for (size_t i = 0; i < r.n && !e; i++)
		if (r.v[i].kind == DA_EV_FILE_OPEN && strcmp(r.v[i].raw_path, "/tr_fault") == 0)
			e = &r.v[i];
	cr_assert_not_null(e, "the readable part of the path was not reported");
	cr_assert_not_null(strstr(e->text, "\"/tr_fault\"..."), "%s", e->text);
}

Test(tracer, target_ptrace_attempts_denied)
{
	struct run r __attribute__((cleanup(run_free)));
	run_simple(&r, true, "tr_hostile", "ptrace");
	cr_assert_eq(r.code, 0);
	const struct rec *e = find(&r, DA_EV_PRIV_PTRACE, "ptrace", NULL, 0);
	cr_assert_not_null(e);
	cr_assert_str_eq(e->detail, "PTRACE_ATTACH");
	cr_assert_eq(e->err, EPERM);
}

Test(tracer, target_closing_all_fds)
{
	struct run r __attribute__((cleanup(run_free)));
	run_simple(&r, true, "tr_hostile", "closefds");
	cr_assert_eq(r.code, 0);
	const struct rec *e = find(&r, DA_EV_PROC_EXEC, NULL, "/bin/true", 0);
	cr_assert_not_null(e);
	cr_assert_str_eq(e->stdio[0], "/etc/hostname"); /* open() reused fd 0 */
	cr_assert_str_eq(e->stdio[1], "");
}

Test(tracer, kill_minus_one_in_pid_namespace)
{
	if (geteuid() != 0)
		cr_skip_test("needs root: the test makes a pid namespace without a user namespace");
	struct run r __attribute__((cleanup(run_free)));
	struct run_opts o = { .deny = true, .pidns = true, .timeout_s = 10 };
	run_prog(&o, &r, "tr_hostile", "killall");
	cr_assert_not(r.timed_out);
	cr_assert(r.exited);
	cr_assert_eq(r.code, 3, "kill(-1) spares the sender");
	cr_assert_eq(r.alive, 0);
	bool child_killed = false;
	for (size_t i = 0; i < r.n; i++)
		if (r.v[i].kind == DA_EV_PROC_EXIT && strcmp(r.v[i].detail, "SIGKILL") == 0)
			child_killed = true;
	cr_assert(child_killed);
	const struct rec *k = find(&r, DA_EV_PROC_SIGNAL, "kill", NULL, 0);
	cr_assert_not_null(k);
	cr_assert_eq(k->target_pid, -1);
}

/* A child's calls come after its birth, even when its first stop is seen
 * before its parent's fork event (the kernel's order): the detectors must
 * know whose child it is when they judge its first call. */
Test(tracer, birth_before_the_childs_calls)
{
	struct run r __attribute__((cleanup(run_free)));
	run_simple(&r, true, "tr_fork", "many");
	cr_assert_eq(r.code, 7, "target exit %d", r.code);
	size_t opens = 0;
	for (size_t i = 0; i < r.n; i++) {
		const struct rec *e = &r.v[i];
		if (e->kind != DA_EV_FILE_OPEN || strcmp(e->path, "/tr_fork_many") != 0)
			continue;
		opens++;
		bool born = false;
		for (size_t j = 0; j < i && !born; j++)
			born = r.v[j].kind == DA_EV_PROC_FORK && r.v[j].target_pid == e->pid;
		cr_assert(born, "child %d opened before its fork event (open %zu)", e->pid, opens);
	}
	cr_assert_eq(opens, 200);
	size_t forks = count(&r, DA_EV_PROC_FORK, "fork", NULL);
	cr_assert_eq(forks, 200, "fork events: %zu (each once, named fork)", forks);
}

Test(tracer, pids_in_namespace_view)
{
	if (geteuid() != 0)
		cr_skip_test("needs root: the test makes a pid namespace without a user namespace");
	struct run r __attribute__((cleanup(run_free)));
	struct run_opts o = { .deny = true, .pidns = true };
	run_prog(&o, &r, "tr_fork", NULL);
	cr_assert(r.exited);
	cr_assert_eq(r.code, 7);
	const struct rec *exec = find(&r, DA_EV_PROC_EXEC, "execve", NULL, 0);
	cr_assert_not_null(exec);
	cr_assert_eq(exec->pid, 2, "the target is the init's first child: pid 2");
	cr_assert_eq(exec->ppid, 1);
	const struct rec *child = find(&r, DA_EV_FILE_OPEN, NULL, "/tr_fork_child", 0);
	cr_assert_not_null(child);
	cr_assert_eq(child->ppid, 2);
	const struct rec *f = find(&r, DA_EV_PROC_FORK, "fork", NULL, 0);
	cr_assert_not_null(f);
	cr_assert_eq(f->target_pid, child->pid);
}

/* ---- fallbacks for older kernels --------------------------------------------- */

Test(tracer, getregs_and_peekdata_fallbacks)
{
	struct run r __attribute__((cleanup(run_free)));
	struct run_opts o = { .deny = true, .fallback = true };
	run_prog(&o, &r, "tr_exec", "at");
	cr_assert(r.exited);
	cr_assert_eq(r.code, 0);
	const struct rec *bad = find(&r, DA_EV_PROC_EXEC, "execve", "/nonexistent/tr_exec_missing", 0);
	cr_assert_not_null(bad, "execve path not read through PEEKDATA");
	cr_assert_eq(bad->err, ENOENT);
	const struct rec *at = find(&r, DA_EV_PROC_EXEC, "execveat", NULL, 0);
	cr_assert_not_null(at);
	cr_assert_str_eq(at->path, "/bin/true");
	cr_assert_str_eq(at->argv1, "via-execveat");
	struct run r2 __attribute__((cleanup(run_free)));
	run_prog(&o, &r2, "tr_deny", NULL);
	cr_assert_eq(r2.code, 0, "denial through PTRACE_GETREGS failed");
	cr_assert_not_null(find(&r2, DA_EV_PRIV_KERNEL, "i386", NULL, 0));
	cr_assert_not_null(find(&r2, DA_EV_PRIV_KERNEL, "x32", NULL, 0));
}

/* ---- the notification fast path ---------------------------------------------- */

Test(tracer, notify_fork_and_daemon)
{
	struct run r __attribute__((cleanup(run_free)));
	struct run_opts o = { .deny = true, .notify = true };
	run_prog(&o, &r, "tr_fork", NULL);
	cr_assert_not(r.timed_out);
	cr_assert(r.exited);
	cr_assert_eq(r.code, 7);
	const struct rec *exec = find(&r, DA_EV_PROC_EXEC, "execve", NULL, 0);
	cr_assert_not_null(exec);
	const struct rec *child = find(&r, DA_EV_FILE_OPEN, NULL, "/tr_fork_child", 0);
	cr_assert_not_null(child, "read-only open through a notification missing");
	cr_assert_eq(child->ppid, exec->pid);
	/* no exit stop, yet the missing file is told (tracer_oracle.c) */
	cr_assert_str_eq(child->text,
			 "openat(AT_FDCWD, \"/tr_fork_child\", O_RDONLY|O_CLOEXEC) = -1 ENOENT (No such file or directory)");
	cr_assert_not_null(find(&r, DA_EV_FILE_OPEN, NULL, "/tr_fork_daemon", 0));
	cr_assert_not_null(find(&r, DA_EV_FILE_STAT, "access", NULL, 0));
	cr_assert_eq(count(&r, DA_EV_PROC_EXIT, NULL, NULL), 5);
	cr_assert_eq(r.alive, 0);
	cr_assert_gt(r.stats.notified, 3, "the fast path was not used");
}

Test(tracer, notify_threads_and_signals)
{
	struct run r __attribute__((cleanup(run_free)));
	struct run_opts o = { .deny = true, .notify = true };
	run_prog(&o, &r, "tr_threads", "burst");
	cr_assert_not(r.timed_out);
	cr_assert_eq(r.code, 0);
	cr_assert_eq(count(&r, DA_EV_FILE_OPEN, NULL, "/tr_thread_marker"), 300);
	cr_assert_geq(r.stats.notified, 300);
	struct run r2 __attribute__((cleanup(run_free)));
	run_prog(&o, &r2, "tr_signals", "stop");
	cr_assert_not(r2.timed_out);
	cr_assert_eq(r2.code, 0);
	struct run r3 __attribute__((cleanup(run_free)));
	run_prog(&o, &r3, "tr_hostile", "fault");
	cr_assert_eq(r3.code, 0);
	const struct rec *e = NULL;
	for (size_t i = 0; i < r3.n && !e; i++)
		if (r3.v[i].kind == DA_EV_FILE_OPEN && strcmp(r3.v[i].raw_path, "/tr_fault") == 0)
			e = &r3.v[i];
	cr_assert_not_null(e);
}

Test(tracer, notify_writes_still_get_results)
{
	struct run r __attribute__((cleanup(run_free)));
	struct run_opts o = { .deny = true, .notify = true };
	run_prog(&o, &r, "tr_exec", "stdio");
	cr_assert_eq(r.code, 0);
	const struct rec *ex = find(&r, DA_EV_PROC_EXEC, NULL, "/bin/true", 0);
	cr_assert_not_null(ex);
	cr_assert_eq(strncmp(ex->stdio[0], "socket:inet/stream->127.0.0.1:", 30), 0, "%s", ex->stdio[0]);
	const struct rec *conn = find(&r, DA_EV_NET_CONNECT, NULL, NULL, 0);
	cr_assert_not_null(conn);
	cr_assert_eq(conn->result, 0);
}

/* The ioctl and stat argument filters: only the terminal requests stop
 * (by the request's low 32 bits), with the termios read from memory; the
 * fstat form of newfstatat is no event, a named path with the same flag
 * is.  With notifications and without. */
Test(tracer, tty_ioctls_and_stat_forms)
{
	for (int notify = 0; notify <= 1; notify++) {
		struct run r __attribute__((cleanup(run_free)));
		struct run_opts o = { .deny = true, .notify = notify };
		run_prog(&o, &r, "tr_tty", NULL);
		cr_assert(r.exited && r.code == 0, "notify %d: exit %d", notify, r.code);
		size_t ioctls = 0;
		const struct rec *sti = NULL, *set = NULL;
		for (size_t i = 0; i < r.n; i++) {
			const struct rec *e = &r.v[i];
			if (e->kind != DA_EV_SYSCALL_OTHER || strcmp(e->syscall, "ioctl"))
				continue;
			ioctls++;
			if (!strcmp(e->detail, "TIOCSTI"))
				sti = e;
			if (!strcmp(e->detail, "TCSETS"))
				set = e;
		}
		cr_assert_eq(ioctls, 2, "notify %d: FIONREAD and TCGETS must run untraced (%zu ioctls)", notify, ioctls);
		cr_assert_not_null(sti, "a TIOCSTI with high bits set slipped past");
		cr_assert_eq(sti->arg[1], 'x');
		cr_assert_str_eq(sti->path, "/dev/null");
		cr_assert_eq(sti->err, ENOTTY, "its result: %s", sti->text);
		cr_assert_not_null(set);
		cr_assert_eq(set->arg[1], ISIG, "c_lflag read from the target's memory");
		cr_assert_eq(set->arg[2], 3, "raw: ICANON and ECHO cleared");
		cr_assert_not_null(find(&r, DA_EV_FILE_STAT, "newfstatat", "/tr_tty_probe", 0));
		for (size_t i = 0; i < r.n; i++)
			cr_assert(!(r.v[i].kind == DA_EV_FILE_STAT && strstr(r.v[i].text, "newfstatat(3, \"\"")),
				  "notify %d: the fstat form stopped: %s", notify, r.v[i].text);
	}
}

/*
 * tracer.c — the ptrace side of the live tracer: attach, the stop loop,
 * the thread and process tables.  See tracer.h for the contract; the
 * other files of the module:
 *   tracer_syscalls.c  which syscalls are traced (and denied), per kind
 *   tracer_filter.c    the seccomp program built from that table
 *   tracer_probe.c     kernel features, probed once
 *   tracer_decode.c    copying what a stopped call's arguments point to
 *   tracer_event.c     a completed call -> struct da_event, published
 *   tracer_text.c      its strace-style text
 *   tracer_fd.c        what an fd is (/proc, sockets via pidfd_getfd)
 *   tracer_mem.c       reading tracee memory, page by page
 *   tracer_notify.c    the seccomp-notification fast path (fast_notify)
 *
 * Stops, and what each one does:
 *   seccomp stop      a filtered syscall: read its arguments, deny it when
 *                     it is dangerous, then resume with PTRACE_CONT (event
 *                     published now) or PTRACE_SYSCALL (published at the
 *                     exit stop, when the result matters).
 *   syscall stop      the exit of such a syscall: result, then publish.
 *   fork/clone event  a new process or thread: its pids, a fork event.
 *   exec event        successful exec (a non-leader's tid becomes the
 *                     leader's: GETEVENTMSG gives the former tid).
 *   group stop        PTRACE_LISTEN, so SIGSTOP/SIGCONT keep working.
 *   signal delivery   a signal event; the signal is passed on.
 *   exited/killed     thread gone; the leader's end is the process's end.
 * Every ptrace call may fail with ESRCH (SIGKILL, exit_group of a sibling):
 * that only means the thread is gone, and its exit status will follow.
 */
#include "live/tracer_priv.h"

#include <elf.h>
#include <fcntl.h>
#include <errno.h>
#include <linux/audit.h>
#include <linux/ptrace.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "engine/bus.h"

/* <sys/ptrace.h> and <linux/ptrace.h> clash and only the latter has
 * PTRACE_GET_SYSCALL_INFO's struct: ptrace() is called through syscall(). */
static long pt(long req, pid_t pid, void *addr, void *data)
{
	return syscall(SYS_ptrace, req, (long)pid, addr, data);
}

/* ---- int -> pointer map (linear probing, backward-shift delete) ------ */

struct ptr_map {
	int32_t *keys;
	void **vals;
	size_t cap, used;
};

static size_t slot_of(const struct ptr_map *m, int32_t k)
{
	return ((uint32_t)k * 2654435761u) & (m->cap - 1);
}

static void *map_get(const struct ptr_map *m, int32_t k)
{
	if (!m->cap)
		return NULL;
	for (size_t i = slot_of(m, k);; i = (i + 1) & (m->cap - 1)) {
		if (m->keys[i] == 0)
			return NULL;
		if (m->keys[i] == k)
			return m->vals[i];
	}
}

static int map_put(struct ptr_map *m, int32_t k, void *v)
{
	if ((m->used + 1) * 2 > m->cap) {
		size_t ncap = m->cap ? m->cap * 2 : 64;
		struct ptr_map n = { calloc(ncap, sizeof(int32_t)), calloc(ncap, sizeof(void *)), ncap, 0 };
		if (!n.keys || !n.vals) {
			free(n.keys);
			free(n.vals);
			return -ENOMEM;
		}
		for (size_t i = 0; i < m->cap; i++)
			if (m->keys[i])
				map_put(&n, m->keys[i], m->vals[i]);
		free(m->keys);
		free(m->vals);
		*m = n;
	}
	size_t i = slot_of(m, k);
	while (m->keys[i] && m->keys[i] != k)
		i = (i + 1) & (m->cap - 1);
	if (!m->keys[i])
		m->used++;
	m->keys[i] = k;
	m->vals[i] = v;
	return 0;
}

static void map_del(struct ptr_map *m, int32_t k)
{
	if (!m->cap)
		return;
	size_t i = slot_of(m, k);
	while (m->keys[i] != k) {
		if (!m->keys[i])
			return;
		i = (i + 1) & (m->cap - 1);
	}
	m->keys[i] = 0;
	m->used--;
	/* shift back the entries of the cluster that follows */
	for (size_t j = (i + 1) & (m->cap - 1); m->keys[j]; j = (j + 1) & (m->cap - 1)) {
		size_t h = slot_of(m, m->keys[j]);
		bool between = i <= j ? (h > i && h <= j) : (h > i || h <= j);
		if (between)
			continue;
		m->keys[i] = m->keys[j];
		m->vals[i] = m->vals[j];
		m->keys[j] = 0;
		i = j;
	}
}

/* ---- /proc/<tid>/status: tgid, ppid and the namespace pid ------------- */

struct status_info {
	pid_t tgid, ppid;
	int ns_tid;
	bool dead;      /* State: Z or X: exited, waiting to be reaped */
};

static int read_status(pid_t tid, struct status_info *si)
{
	char path[64], buf[4096];
	snprintf(path, sizeof(path), "/proc/%d/status", (int)tid);
	FILE *f = fopen(path, "re");
	if (!f)
		return -errno;
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	si->tgid = tid;
	si->ppid = 0;
	si->ns_tid = tid;
	si->dead = false;
	for (char *line = buf; line && *line;) {
		char *next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (strncmp(line, "Tgid:", 5) == 0) {
			si->tgid = (pid_t)atoi(line + 5);
		} else if (strncmp(line, "State:", 6) == 0) {
			const char *st = line + 6;
			while (*st == ' ' || *st == '\t')
				st++;
			si->dead = *st == 'Z' || *st == 'X';
		} else if (strncmp(line, "PPid:", 5) == 0) {
			si->ppid = (pid_t)atoi(line + 5);
		} else if (strncmp(line, "NSpid:", 6) == 0) {
			/* the last (innermost) namespace's id is the sandbox's view */
			char *last = strrchr(line, '\t');
			if (!last)
				last = strrchr(line, ' ');
			if (last && atoi(last + 1) > 0)
				si->ns_tid = atoi(last + 1);
		}
		line = next;
	}
	return 0;
}

/* ---- tables ----------------------------------------------------------- */

static struct tproc *proc_get(struct tracer *t, pid_t tgid)
{
	return map_get(t->procs, tgid);
}

static void proc_unref(struct tproc *p)
{
	if (p && --p->nthreads <= 0 && p->exit_published)
		free(p);
}

static struct tproc *proc_new(struct tracer *t, pid_t tgid, int ns_pid, pid_t host_ppid)
{
	struct tproc *p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->tgid = tgid;
	p->ns_pid = ns_pid;
	struct tproc *parent = host_ppid ? proc_get(t, host_ppid) : NULL;
	p->ns_ppid = parent ? parent->ns_pid : 0;
	if (map_put(t->procs, tgid, p) < 0) {
		free(p);
		return NULL;
	}
	if (host_ppid && host_ppid == t->init_pid && t->target_pid == 0) {
		t->target_pid = tgid;
		p->is_target = true;
	}
	if (tgid != t->init_pid) {
		t->alive++;
		t->stats.processes++;
	}
	return p;
}

/* The fork/clone event of CHILD_NS, made by the thread PARENT.  FLAGS are
 * the clone flags when the parent's event stop told them, 0 when the
 * child's own first stop came first. */
static void publish_birth(struct tracer *t, const struct tracee *parent, const char *syscall,
			  int child_ns, uint64_t flags, bool is_thread, double now)
{
	struct da_event ev;
	da_event_init(&ev, DA_EV_PROC_FORK);
	tracer_event_origin(t, parent, &ev);
	ev.time_s = now;
	ev.syscall = syscall;
	ev.target_pid = child_ns;
	ev.result = ev.target_pid;
	ev.flags = (int64_t)flags;
	ev.detail = is_thread ? "thread" : "process";
	char text[160];
	if (strcmp(syscall, "clone") == 0)
		snprintf(text, sizeof(text), "clone(flags=%#llx) = %d", (unsigned long long)flags, ev.target_pid);
	else
		snprintf(text, sizeof(text), "%s() = %d", syscall, ev.target_pid);
	ev.text = text;
	bus_publish(t->opt.bus, &ev);
}

/* The call a thread is stopped in, when it is fork, vfork or clone (its
 * event stop, not reported yet, holds it there): its name as the kernel
 * names the event (kernel_clone: a vfork flag is a vfork, SIGCHLD as the
 * exit signal a fork, so glibc's fork() is one; anything else a clone)
 * and its flags as event_clone_flags() gives them.  NULL when it runs, is
 * in another call, or /proc cannot say. */
static const char *forking_call(struct tracer *t, pid_t tid, uint64_t *flags)
{
	char path[64], buf[256];
	snprintf(path, sizeof(path), "/proc/%d/syscall", (int)tid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	char *end;
	long nr = strtol(buf, &end, 10);
	if (end == buf)
		return NULL; /* "running" */
	uint64_t arg0 = strtoull(end, NULL, 16);
	*flags = 0;
	if (nr == SYS_clone)
		*flags = arg0;
#ifdef SYS_clone3
	else if (nr == SYS_clone3 && tracer_mem_read(t, tid, arg0, flags, sizeof(*flags)) != sizeof(*flags))
		return "clone";
#endif
#ifdef SYS_fork
	else if (nr == SYS_fork)
		*flags = SIGCHLD;
#endif
#ifdef SYS_vfork
	else if (nr == SYS_vfork)
		*flags = CLONE_VM | CLONE_VFORK | SIGCHLD;
#endif
	else
		return NULL;
	if (*flags & CLONE_VFORK)
		return "vfork";
	return (*flags & CSIGNAL) == SIGCHLD ? "fork" : "clone";
}

/* A child whose first stop came before its parent's fork event: its
 * birth is published now, before any call of its own can be, or a
 * detector would judge the child's first calls (the connect of a forked
 * `bash -i >& /dev/tcp/...`) not knowing whose child it is.  The parent's
 * event, when it comes, then publishes nothing.  The clone flags are
 * known only to that event: 0 here. */
static void announce_early_birth(struct tracer *t, struct tracee *th, const struct status_info *si)
{
	bool is_thread = si->tgid != th->tid;
	pid_t parent_tid = is_thread ? si->tgid : si->ppid;
	const struct tracee *parent = map_get(t->threads, parent_tid);
	if (!parent || !parent->proc || parent->proc->is_init || th->proc->is_init)
		return; /* the init is silent; an unknown parent has its own event */
	double now = t->opt.clock ? t->opt.clock(t->opt.clock_ctx) : 0.0;
	uint64_t flags = 0;
	const char *syscall = forking_call(t, parent->tid, &flags);
	if (!syscall)
		syscall = is_thread ? "clone" : "fork";
	publish_birth(t, parent, syscall, th->ns_tid, flags, is_thread, now);
	th->birth_published = true;
}

/* A thread seen for the first time (its first stop may come before its
 * parent's fork event: the kernel does not order the two). */
static struct tracee *thread_new(struct tracer *t, pid_t tid, const struct status_info *known)
{
	struct status_info si;
	if (known)
		si = *known;
	else if (read_status(tid, &si) < 0)
		return NULL;
	struct tracee *th = calloc(1, sizeof(*th));
	if (!th)
		return NULL;
	th->tid = tid;
	th->tgid = si.tgid;
	th->ns_tid = si.ns_tid;
	sc_call_reset(&th->call);
	struct tproc *p = proc_get(t, si.tgid);
	if (!p) {
		struct status_info lead = si;
		if (si.tgid != tid)
			read_status(si.tgid, &lead);
		p = proc_new(t, si.tgid, lead.ns_tid, lead.ppid);
		if (!p) {
			free(th);
			return NULL;
		}
		if (p->tgid != t->init_pid) {
			struct tproc *parent = proc_get(t, lead.ppid);
			procstate_fork(t->ps, parent ? parent->ns_pid : 0, p->ns_pid, false, false, false);
		}
	}
	if (si.tgid != tid)
		procstate_fork(t->ps, p->ns_pid, th->ns_tid, true, true, true);
	th->proc = p;
	p->nthreads++;
	if (map_put(t->threads, tid, th) < 0) {
		proc_unref(p);
		free(th);
		return NULL;
	}
	if (!known)
		announce_early_birth(t, th, &si);
	return th;
}

void tracer_for_each_thread(struct tracer *t, void (*fn)(struct tracer *, struct tracee *, void *),
			    void *ctx)
{
	for (size_t i = 0; t->threads && i < t->threads->cap; i++)
		if (t->threads->keys[i])
			fn(t, t->threads->vals[i], ctx);
}

struct tracee *tracer_thread_get(struct tracer *t, pid_t tid)
{
	struct tracee *th = map_get(t->threads, tid);
	return th ? th : thread_new(t, tid, NULL);
}

static void thread_free(struct tracer *t, struct tracee *th)
{
	unsigned g = t->gone_next++ % (sizeof(t->gone) / sizeof(t->gone[0]));
	t->gone[g].host = th->tid;
	t->gone[g].ns = th->ns_tid;
	t->gone[g].birth_published = th->birth_published;
	map_del(t->threads, th->tid);
	sc_call_free(&th->call);
	proc_unref(th->proc);
	free(th);
}

/* ---- public: lifecycle -------------------------------------------------- */

int tracer_new(struct tracer **out, const struct tracer_options *opt, char *err, size_t errlen)
{
	*out = NULL;
	if (!opt || !opt->bus) {
		snprintf(err, errlen, "tracer: no event bus");
		return -EINVAL;
	}
	struct tracer *t = calloc(1, sizeof(*t));
	if (!t) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	t->opt = *opt;
	t->oracle_root = -1;
	t->threads = calloc(1, sizeof(*t->threads));
	t->procs = calloc(1, sizeof(*t->procs));
	t->ps = procstate_new(opt->workdir ? opt->workdir : "/");
	if (!t->threads || !t->procs || !t->ps) {
		tracer_free(t);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	bus_subscribed_mask(opt->bus, t->mask);
	if (opt->track_received) /* tracer_taint.c reads what is received */
		DA_EVMASK_SET(t->mask, DA_EV_NET_RECV);
	for (const struct sc_row *row = tracer_syscall_table; row->name; row++) {
		int nr = seccomp_syscall_resolve_name(row->name);
		if (nr >= 0 && nr < (int)(sizeof(t->by_nr) / sizeof(t->by_nr[0])))
			t->by_nr[nr] = row;
	}
	t->listener_mark_nr = seccomp_syscall_resolve_name(TRACER_LISTENER_MARK);
	tracer_probe_kernel(t);
	int rc = tracer_filter_build(t, err, errlen);
	if (rc < 0) {
		tracer_free(t);
		return rc;
	}
	if (t->prog_notify.filter) {
		t->notif_req = calloc(1, t->notif_req_size);
		t->notif_resp = calloc(1, t->notif_resp_size);
		if (!t->notif_req || !t->notif_resp) {
			free(t->prog_notify.filter);
			t->prog_notify.filter = NULL;
		}
	}
	*out = t;
	return 0;
}

void tracer_free(struct tracer *t)
{
	if (!t)
		return;
	tracer_taint_free(t);
	tracer_codesrc_free(t);
	if (t->threads) {
		for (size_t i = 0; i < t->threads->cap; i++)
			if (t->threads->keys[i]) {
				struct tracee *th = t->threads->vals[i];
				sc_call_free(&th->call);
				free(th);
			}
		free(t->threads->keys);
		free(t->threads->vals);
		free(t->threads);
	}
	if (t->procs) {
		for (size_t i = 0; i < t->procs->cap; i++)
			if (t->procs->keys[i])
				free(t->procs->vals[i]);
		free(t->procs->keys);
		free(t->procs->vals);
		free(t->procs);
	}
	procstate_free(t->ps);
	if (t->oracle_root >= 0)
		close(t->oracle_root);
	free(t->prog.filter);
	free(t->prog_notify.filter);
	free(t->notif_req);
	free(t->notif_resp);
	for (int i = 0; i < t->n_notify; i++)
		close(t->notify_fds[i]);
	free(t);
}

int tracer_install_filter(const struct tracer *t)
{
	if (!t || !t->prog.filter)
		return -EINVAL;
	if (t->prog_notify.filter) {
		/* The listener must not reach the program (it could answer its
		 * own notifications): close-on-exec, and the tracer takes a
		 * copy at the execve stop, before the exec closes it. */
		int fd = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
				      SECCOMP_FILTER_FLAG_NEW_LISTENER, &t->prog_notify);
		if (fd >= 0) {
			if (fcntl(fd, F_SETFD, FD_CLOEXEC) < 0)
				return -errno; /* cannot happen on a valid fd; never exec with it */
			/* the tracer takes the listener at this call's stop
			 * (any other answer: nobody would answer its notifications) */
			if (t->listener_mark_nr >= 0 && syscall(t->listener_mark_nr) != TRACER_MARK_ACK)
				return -EPERM;
			return 0;
		}
		/* fall back to the plain program */
	}
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &t->prog) < 0)
		return -errno;
	return 0;
}

int tracer_notify_fds(const struct tracer *t, int *fds, int max)
{
	int n = 0;
	for (int i = 0; i < t->n_notify && n < max; i++)
		fds[n++] = t->notify_fds[i];
	return n;
}

int tracer_seize_init(struct tracer *t, pid_t init_host_pid, char *err, size_t errlen)
{
	long opts = PTRACE_O_EXITKILL | PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEFORK |
		    PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC |
		    PTRACE_O_TRACEEXIT | PTRACE_O_TRACESECCOMP;
	if (pt(PTRACE_SEIZE, init_host_pid, 0, (void *)opts) < 0) {
		int e = errno;
		snprintf(err, errlen, "ptrace(PTRACE_SEIZE, %d): %s", (int)init_host_pid, strerror(e));
		return -e;
	}
	t->init_pid = init_host_pid;
	struct tracee *th = thread_new(t, init_host_pid, NULL);
	if (!th) {
		snprintf(err, errlen, "cannot read /proc/%d/status", (int)init_host_pid);
		return -ESRCH;
	}
	th->proc->is_init = true;
	return 0;
}

/* ---- resuming ------------------------------------------------------------ */

static void resume(struct tracer *t, struct tracee *th, int sig)
{
	(void)t;
	long req = th->awaiting_exit ? PTRACE_SYSCALL : PTRACE_CONT;
	pt(req, th->tid, 0, (void *)(long)sig); /* ESRCH: gone, its exit follows */
}

/* ---- stops -------------------------------------------------------------- */

static bool read_syscall_args(struct tracer *t, struct tracee *th, struct sc_call *c)
{
	if (t->have_syscall_info) {
		struct ptrace_syscall_info info;
		memset(&info, 0, sizeof(info));
		if (pt(PTRACE_GET_SYSCALL_INFO, th->tid, (void *)sizeof(info), &info) <= 0 ||
		    info.op != PTRACE_SYSCALL_INFO_SECCOMP)
			return false;
		c->nr = (long)info.seccomp.nr;
		c->arch = info.arch;
		memcpy(c->args, info.seccomp.args, sizeof(c->args));
		unsigned long data = info.seccomp.ret_data;
		if (data == TRACER_DATA_BADARCH)
			c->arch = c->arch == AUDIT_ARCH_X86_64 ? 0 : c->arch;
		return true;
	}
#if defined(__x86_64__)
	struct user_regs_struct regs;
	if (pt(PTRACE_GETREGS, th->tid, 0, &regs) < 0)
		return false;
	unsigned long data = 0;
	pt(PTRACE_GETEVENTMSG, th->tid, 0, &data);
	c->nr = (long)regs.orig_rax;
	c->arch = AUDIT_ARCH_X86_64;
	if (data == TRACER_DATA_BADARCH)
		c->arch = (regs.orig_rax & 0x40000000) ? 0 /* x32 */ : AUDIT_ARCH_I386;
	uint64_t a[6] = { regs.rdi, regs.rsi, regs.rdx, regs.r10, regs.r8, regs.r9 };
	if (c->arch == AUDIT_ARCH_I386) {
		uint64_t b[6] = { regs.rbx, regs.rcx, regs.rdx, regs.rsi, regs.rdi, regs.rbp };
		memcpy(a, b, sizeof(a));
	}
	memcpy(c->args, a, sizeof(a));
	return true;
#else
	return false;
#endif
}

/* Skip the syscall and make it return -err: at a seccomp stop, a syscall
 * number of -1 tells the kernel not to run it, and the return register
 * is what the tracee sees. */
static int deny_syscall(struct tracee *th, int err)
{
#if defined(__x86_64__)
	struct user_regs_struct regs;
	if (pt(PTRACE_GETREGS, th->tid, 0, &regs) < 0)
		return -errno;
	regs.orig_rax = (unsigned long long)-1;
	regs.rax = (unsigned long long)(long long)-err;
	if (pt(PTRACE_SETREGS, th->tid, 0, &regs) < 0)
		return -errno;
	return 0;
#else
	(void)th;
	(void)err;
	return -ENOTSUP;
#endif
}

static void on_seccomp_stop(struct tracer *t, struct tracee *th)
{
	struct sc_call *c = &th->call;
	sc_call_reset(c);
	th->call_valid = false;
	t->stats.syscalls++;
	if (th->proc && th->proc->is_init) {
		resume(t, th, 0);
		return;
	}
	c->time_s = t->opt.clock ? t->opt.clock(t->opt.clock_ctx) : 0.0;
	if (!read_syscall_args(t, th, c)) {
		resume(t, th, 0);
		return;
	}
	bool foreign = c->arch != AUDIT_ARCH_X86_64 || (c->nr & 0x40000000);
#if !defined(__x86_64__)
	foreign = false;
#endif
	if (!foreign && c->nr == t->listener_mark_nr && t->prog_notify.filter && th->proc &&
	    !th->proc->exec_seen) {
		/* tracer_install_filter's mark: take the listener now.  A
		 * process holding none (a fork of the target calling getppid)
		 * gets its real answer. */
		int before = t->n_notify, rc = tracer_notify_acquire(t, th);
		if (rc < 0 || t->n_notify > before) {
			th->proc->exec_seen = true;
			deny_syscall(th, rc < 0 ? EPERM : (int)-TRACER_MARK_ACK);
		}
		resume(t, th, 0);
		return;
	}
	if (!foreign) {
		c->row = (c->nr >= 0 && c->nr < (long)(sizeof(t->by_nr) / sizeof(t->by_nr[0])))
				 ? t->by_nr[c->nr] : NULL;
		if (!c->row) {
			tracer_timeskip_wait(t, th, c); /* poll, select, futex... */
			resume(t, th, 0);
			return;
		}
	}
	if (t->opt.deny_dangerous) {
		int e = foreign ? EPERM : tracer_syscall_denial(c->row, c->args);
		if (e && deny_syscall(th, e) == 0) {
			c->deny_errno = e;
			c->has_result = true;
			c->ret = -e;
			t->stats.denied++;
		}
	}
	bool first_exec = c->row && (c->row->id == SC_EXECVE || c->row->id == SC_EXECVEAT) &&
			  th->proc && !th->proc->exec_seen;
	if (first_exec)
		th->proc->exec_seen = true;
	if (t->prog_notify.filter && first_exec && !c->deny_errno &&
	    tracer_notify_acquire(t, th) < 0 && deny_syscall(th, EPERM) == 0) {
		/* It holds a listener nobody would answer: its first read-only
		 * open would block forever.  Refuse the exec instead. */
		c->deny_errno = EPERM;
		c->has_result = true;
		c->ret = -EPERM;
	}
	tracer_decode_entry(t, th, c);
	if (!c->deny_errno && tracer_timeskip_sleep(t, th, c) && deny_syscall(th, 0) < 0) {
		c->has_result = false; /* not cut after all: it sleeps as asked */
		c->cut_from_s = -1;
	}
	if (!c->deny_errno)
		tracer_timeskip_timer(t, th, c);
	if (t->opt.net_call && c->salen && !c->deny_errno) /* deception sink, just in time */
		t->opt.net_call(t->opt.net_call_ctx, c->row->id == SC_BIND, th->tgid, (int)c->args[0], c->sa, c->salen);
	th->call_valid = true;
	bool wants_exit = tracer_decode_wants_exit(t, c);
	if (c->row && (c->row->id == SC_EXECVE || c->row->id == SC_EXECVEAT) && !c->deny_errno)
		wants_exit = true;
	th->awaiting_exit = wants_exit;
	th->skip_entry_stop = wants_exit && t->seccomp_before_entry;
	/* Resume first: the tracee runs while the event is published (its
	 * fds described before it can close them). */
	if (!wants_exit)
		tracer_prefetch_fds(t, th, c);
	resume(t, th, 0);
	if (!wants_exit) {
		tracer_event_publish(t, th, c);
		tracer_prefetch_clear(t);
		th->call_valid = false;
		sc_call_reset(c);
	}
}

static void on_syscall_stop(struct tracer *t, struct tracee *th)
{
	if (th->skip_entry_stop) {
		th->skip_entry_stop = false;
		resume(t, th, 0);
		return;
	}
	if (!th->awaiting_exit) {
		/* not expected (e.g. attached mid-syscall): just go on */
		resume(t, th, 0);
		return;
	}
	th->awaiting_exit = false;
	struct sc_call *c = &th->call;
	bool have = false;
	if (t->have_syscall_info) {
		struct ptrace_syscall_info info;
		memset(&info, 0, sizeof(info));
		if (pt(PTRACE_GET_SYSCALL_INFO, th->tid, (void *)sizeof(info), &info) > 0 &&
		    info.op == PTRACE_SYSCALL_INFO_EXIT) {
			c->ret = info.exit.rval;
			have = true;
		}
	}
#if defined(__x86_64__)
	if (!have) {
		struct user_regs_struct regs;
		if (pt(PTRACE_GETREGS, th->tid, 0, &regs) == 0) {
			c->ret = (long long)regs.rax;
			have = true;
		}
	}
#endif
	if (!th->call_valid) {
		resume(t, th, 0);
		return;
	}
	c->has_result = have;
	if (have)
		tracer_decode_exit(t, th, c);
	if (have)
		tracer_taint_recv(t, th, c);
	tracer_prefetch_fds(t, th, c);
	resume(t, th, 0);
	tracer_event_publish(t, th, c);
	tracer_prefetch_clear(t);
	th->call_valid = false;
	sc_call_reset(c);
}

/* clone flags at a fork/clone event stop: the parent is still inside the
 * syscall, so its argument registers hold them. */
static uint64_t event_clone_flags(struct tracer *t, struct tracee *th, int event)
{
	if (event == PTRACE_EVENT_FORK)
		return SIGCHLD;
	if (event == PTRACE_EVENT_VFORK)
		return CLONE_VM | CLONE_VFORK | SIGCHLD;
#if defined(__x86_64__)
	struct user_regs_struct regs;
	if (pt(PTRACE_GETREGS, th->tid, 0, &regs) == 0) {
		if (regs.orig_rax == SYS_clone)
			return regs.rdi;
		if (regs.orig_rax == SYS_clone3) {
			uint64_t flags = 0;
			if (tracer_mem_read(t, th->tid, regs.rdi, &flags, sizeof(flags)) == sizeof(flags))
				return flags;
		}
		if (regs.orig_rax == SYS_fork)
			return SIGCHLD;
		if (regs.orig_rax == SYS_vfork)
			return CLONE_VM | CLONE_VFORK | SIGCHLD;
	}
#else
	(void)t;
	(void)th;
#endif
	return event == PTRACE_EVENT_CLONE ? CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD : 0;
}

static void on_fork_event(struct tracer *t, struct tracee *th, int event)
{
	unsigned long msg = 0;
	if (pt(PTRACE_GETEVENTMSG, th->tid, 0, &msg) < 0) {
		resume(t, th, 0);
		return;
	}
	pid_t child_tid = (pid_t)msg;
	uint64_t flags = event_clone_flags(t, th, event);
	bool is_thread = (flags & CLONE_THREAD) != 0;
	double now = t->opt.clock ? t->opt.clock(t->opt.clock_ctx) : 0.0;
	resume(t, th, 0);

	struct tracee *child = map_get(t->threads, child_tid);
	int gone = -1; /* its entry in t->gone when it was freed already */
	for (size_t i = 0; !child && i < sizeof(t->gone) / sizeof(t->gone[0]); i++)
		if (t->gone[i].host == child_tid)
			gone = (int)i;
	struct status_info si;
	if (!child && gone < 0 && read_status(child_tid, &si) == 0 && !si.dead) {
		/* Usually the child's first stop comes later: create it now,
		 * with the flags only this event knows.  A child whose stops
		 * were all handled first (waitpid's order is the kernel's) may
		 * already be gone — a zombie its parent, stopped right here,
		 * cannot have reaped yet: nothing to create then, or it would
		 * be counted alive forever. */
		if (!is_thread && si.tgid == child_tid && !proc_get(t, child_tid)) {
			struct tproc *p = proc_new(t, child_tid, si.ns_tid, th->tgid);
			if (p)
				procstate_fork(t->ps, th->ns_tid, si.ns_tid, false,
					       (flags & CLONE_FILES) != 0, (flags & CLONE_FS) != 0);
		}
		child = thread_new(t, child_tid, &si);
	} else if (child && !is_thread && child->proc && child->proc->ns_ppid == 0 && th->proc) {
		child->proc->ns_ppid = th->proc->ns_pid;
	}
	if (!th->proc || th->proc->is_init)
		return; /* the init is silent (the target's birth is not an event) */
	if (child ? child->birth_published : gone >= 0 && t->gone[gone].birth_published)
		return; /* published from the child's own first stop */
	int child_ns = child ? child->ns_tid : gone >= 0 ? t->gone[gone].ns : -1;
	publish_birth(t, th, event == PTRACE_EVENT_FORK ? "fork" : event == PTRACE_EVENT_VFORK ? "vfork" : "clone",
		      child_ns, flags, is_thread, now);
}

static void on_exec_event(struct tracer *t, struct tracee *th)
{
	unsigned long former = 0;
	pt(PTRACE_GETEVENTMSG, th->tid, 0, &former);
	if ((pid_t)former != th->tid && former) {
		/* A non-leader exec'd: it now has the leader's tid.  Its
		 * captured execve moves to the leader's entry. */
		struct tracee *old = map_get(t->threads, (pid_t)former);
		if (old) {
			sc_call_free(&th->call);
			th->call = old->call;
			th->call_valid = old->call_valid;
			th->awaiting_exit = old->awaiting_exit;
			th->skip_entry_stop = false;
			/* ownership moved: clear without freeing */
			memset(&old->call, 0, sizeof(old->call));
			old->call_valid = false;
			old->call.fds[0] = old->call.fds[1] = -1;
			procstate_exit(t->ps, old->ns_tid);
			thread_free(t, old);
		}
	}
	struct sc_call *c = &th->call;
	if (th->proc && !th->proc->is_init) {
		procstate_exec(t->ps, th->ns_tid);
		if (th->call_valid) {
			c->has_result = true;
			c->ret = 0;
			tracer_publish_exec(t, th, c);
		}
	}
	th->call_valid = false;
	sc_call_reset(c);
	resume(t, th, 0); /* awaiting_exit: the execve exit stop follows */
}

static void on_signal_delivery(struct tracer *t, struct tracee *th, int sig)
{
	siginfo_t si;
	memset(&si, 0, sizeof(si));
	bool have = pt(PTRACE_GETSIGINFO, th->tid, 0, &si) == 0;
	resume(t, th, sig);
	if (!th->proc || th->proc->is_init)
		return;
	struct da_event ev;
	char text[128];
	da_event_init(&ev, DA_EV_PROC_SIGNAL);
	tracer_event_origin(t, th, &ev);
	ev.arg[0] = sig;
	ev.arg[1] = have ? si.si_code : 0;
	ev.target_pid = have && si.si_code <= 0 ? si.si_pid : 0;
	ev.detail = tracer_signal_name(sig);
	snprintf(text, sizeof(text), "--- %s {si_signo=%s, si_code=%d, si_pid=%d} ---",
		 ev.detail, ev.detail, (int)ev.arg[1], (int)ev.target_pid);
	ev.text = text;
	bus_publish(t->opt.bus, &ev);
}

static void on_thread_gone(struct tracer *t, pid_t tid, int status)
{
	struct tracee *th = map_get(t->threads, tid);
	if (!th)
		return;
	struct tproc *p = th->proc;
	/* A call whose exit never came (SIGKILL mid-syscall, exit_group of
	 * a sibling): publish it with an unknown result rather than lose it. */
	if (th->call_valid && th->proc && !th->proc->is_init) {
		th->call.has_result = false;
		tracer_event_publish(t, th, &th->call);
		th->call_valid = false;
	}
	bool leader = tid == th->tgid;
	if (!leader) {
		procstate_exit(t->ps, th->ns_tid);
		thread_free(t, th);
		return;
	}
	if (p && !p->exit_published) {
		p->exit_published = true;
		map_del(t->procs, p->tgid);
		int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
		int sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
		bool core = WIFSIGNALED(status) && WCOREDUMP(status);
		if (!p->is_init) {
			t->alive--;
			struct da_event ev;
			char text[96];
			da_event_init(&ev, DA_EV_PROC_EXIT);
			tracer_event_origin(t, th, &ev);
			ev.arg[0] = code;
			ev.arg[1] = core;
			ev.detail = sig ? tracer_signal_name(sig) : NULL;
			if (sig)
				snprintf(text, sizeof(text), "+++ killed by %s%s +++", ev.detail,
					 core ? " (core dumped)" : "");
			else
				snprintf(text, sizeof(text), "+++ exited with %d +++", code);
			ev.text = text;
			bus_publish(t->opt.bus, &ev);
		}
		if (p->is_target) {
			t->target_done = true;
			t->target_code = code;
			t->target_signo = sig;
			t->target_core = core;
		}
	}
	procstate_exit(t->ps, th->ns_tid);
	thread_free(t, th);
}

static void handle_status(struct tracer *t, pid_t tid, int status)
{
	if (WIFEXITED(status) || WIFSIGNALED(status)) {
		on_thread_gone(t, tid, status);
		return;
	}
	if (!WIFSTOPPED(status))
		return;
	t->stats.stops++;
	struct tracee *th = tracer_thread_get(t, tid);
	if (!th) {
		/* cannot account for it (gone, or no memory): never leave it stopped */
		pt(PTRACE_CONT, tid, 0, 0);
		return;
	}
	int sig = WSTOPSIG(status);
	int event = (status >> 16) & 0xff;
	if (sig == (SIGTRAP | 0x80)) {
		on_syscall_stop(t, th);
		return;
	}
	switch (event) {
	case PTRACE_EVENT_SECCOMP:
		on_seccomp_stop(t, th);
		return;
	case PTRACE_EVENT_FORK:
	case PTRACE_EVENT_VFORK:
	case PTRACE_EVENT_CLONE:
		on_fork_event(t, th, event);
		return;
	case PTRACE_EVENT_EXEC:
		on_exec_event(t, th);
		return;
	case PTRACE_EVENT_EXIT:
		resume(t, th, 0);
		return;
	case PTRACE_EVENT_STOP:
		/* group-stop: PTRACE_LISTEN keeps the tracee stopped (as
		 * SIGSTOP wants) yet lets SIGCONT wake it; other event stops
		 * (a new child's first stop, LISTEN wake-ups) just go on. */
		if (sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU)
			pt(PTRACE_LISTEN, tid, 0, 0);
		else
			resume(t, th, 0);
		return;
	case 0:
		on_signal_delivery(t, th, sig);
		return;
	default:
		resume(t, th, 0);
		return;
	}
}

/* Wait statuses handled per dispatch call, and its time: under a fork or
 * syscall storm there is always another status, and a dispatch that
 * drained "everything" never returned to the run loop (its window timer
 * and SIGINT went unanswered for minutes).  What is left is taken by the
 * next call, which the loop makes at once (it does not sleep after a
 * dispatch that had work). */
#define DISPATCH_MAX_WAITS 256
#define DISPATCH_MAX_S 0.02

static int drain_waits(struct tracer *t, int max)
{
	int handled = 0;
	while (handled < max) {
		int status;
		pid_t tid = waitpid(-1, &status, __WALL | WNOHANG);
		if (tid == 0)
			break;
		if (tid < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ECHILD)
				break;
			return -errno;
		}
		handle_status(t, tid, status);
		handled++;
	}
	return handled;
}

static double mono_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* After handling a ptrace stop, dispatch keeps polling this long before
 * it returns.  A tracee that was just resumed typically stops again within
 * microseconds (its next traced syscall).  Catching that stop by polling
 * saves the SIGCHLD -> poll -> wake-up round trip; on an otherwise idle
 * machine (and VMs especially) that wake-up of an idle CPU costs more than
 * the stop itself: measured on the 2-CPU VM of the benchmark, 100,000
 * traced opens took 4.8 s without lingering, 1.8 s with 20 us (bench/).
 * Not after a notification: with the same-CPU hand-over the target is
 * woken on this CPU, and polling here would only keep it from running
 * (python start-up: 84 ms lingering, 64 ms not).
 * Bounded, so dispatch still returns promptly to the run loop. */
#define DISPATCH_LINGER_S 30e-6

int tracer_dispatch(struct tracer *t)
{
	int handled = 0;
	double idle_since = 0;
	bool linger = false;
	double until = mono_now() + DISPATCH_MAX_S;
	for (;;) {
		int n = drain_waits(t, DISPATCH_MAX_WAITS - handled);
		if (n < 0)
			return n;
		int m = t->n_notify ? tracer_notify_drain(t) : 0;
		handled += n + m;
		double now = mono_now();
		if (handled >= DISPATCH_MAX_WAITS || now >= until)
			return handled; /* the rest at the next call */
		if (n + m > 0) {
			idle_since = 0;
			linger = n > 0 && (m == 0 || !t->notify_sync_wakeup);
			continue;
		}
		if (!linger)
			return handled;
		if (idle_since == 0)
			idle_since = now;
		else if (now - idle_since > DISPATCH_LINGER_S)
			return handled;
	}
}

int tracer_alive(const struct tracer *t)
{
	return t->alive;
}

bool tracer_target_exited(const struct tracer *t, int *code, int *signo, bool *core)
{
	if (!t->target_done)
		return false;
	if (code)
		*code = t->target_code;
	if (signo)
		*signo = t->target_signo;
	if (core)
		*core = t->target_core;
	return true;
}

const struct tracer_stats *tracer_get_stats(const struct tracer *t)
{
	return &t->stats;
}

const char *tracer_notes(const struct tracer *t)
{
	return t->notes;
}


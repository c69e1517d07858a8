/*
 * tree.c — the process tree: forks, exits, orphans, sessions, signals
 */
#include "process.h"

/*
 * Signals sent with kill/tkill/tgkill/rt_sigqueueinfo: to its own
 * processes and threads they are ordinary; to every process (-1), to
 * pid 1, or to processes and groups it did not create they reach beyond
 * the submission.
 */
void on_signal(struct state *st, const struct da_event *ev)
{
	if (!ev->syscall)
		return; /* a signal delivered to the target, not sent by it */
	int target = ev->target_pid;
	if (target == 0 || target == ev->pid || target == ev->tid)
		return; /* its own group (or pidfd_send_signal: target unknown) */
	char sig[48];
	if (ev->detail)
		snprintf(sig, sizeof(sig), "%.40s", ev->detail);
	else
		snprintf(sig, sizeof(sig), "signal %lld", (long long)ev->arg[0]);
	bool probe = ev->arg[0] == 0;
	const char *how = ev->err ? " (failed)" : "";
	if (target == -1) {
		report(st, "process.signal", probe ? DA_SEV_MEDIUM : DA_SEV_HIGH, ev,
		       "Find out why the program signals every process it can reach; that is an attack on the host.",
		       "Sends %s to every process it can reach (kill -1)%s", sig, how);
		return;
	}
	if (target == 1 && st->main_pid != 1) {
		report(st, "process.signal", probe ? DA_SEV_MEDIUM : DA_SEV_HIGH, ev,
		       "Find out why the program signals the init process; that is an attack on the host.",
		       "Sends %s to pid 1 (init)%s", sig, how);
		return;
	}
	int who = target < 0 ? -target : target;
	if (proc_find(st, who) || int_in(st->tids, st->n_tids, who))
		return; /* one of its own */
	if (target < 0)
		report(st, "process.signal", probe ? DA_SEV_LOW : DA_SEV_MEDIUM, ev,
		       "Find out which processes the program signals; they are not its own.",
		       "Sends %s to a process group that is not its own%s", sig, how);
	else
		report(st, "process.signal", probe ? DA_SEV_LOW : DA_SEV_MEDIUM, ev,
		       "Find out which processes the program signals; they are not its own.",
		       probe ? "Probes for a process that is not its own (signal 0)%s"
			     : "Sends %s to a process that is not its own%s",
		       probe ? how : sig, how);
}

/* Observable work of the run phase (for long_sleep), inet connects (for
 * masquerade). */
void on_activity(struct state *st, const struct da_event *ev)
{
	bool inet = ev->kind == DA_EV_NET_CONNECT &&
		    (ev->family == 2 || ev->family == 10 ||
		     (ev->fd_desc && strncmp(ev->fd_desc, "socket:inet", 11) == 0));
	/* any attempt, in any phase: what the run writes afterwards may be
	 * what it fetched (exec_writable) */
	if (inet)
		st->net_seen = true;
	if (ev->phase && strcmp(ev->phase, "setup") == 0)
		return;
	switch (ev->kind) {
	case DA_EV_OUTPUT:
		/* results on stdout (not warnings on stderr, like a loader's
		 * complaint about LD_PRELOAD); captured after it was written,
		 * so the line may predate a sleep */
		if (ev->fd == 1)
			note_activity(st, ev->time_s - OUTPUT_LAG_S);
		break;
	case DA_EV_NET_LISTEN: /* a server is up: waiting is its job */
		if (ev->err == 0) {
			note_activity(st, ev->time_s);
			st->listening = true;
		}
		break;
	case DA_EV_NET_CONNECT:
		/* not the C library asking nscd for a user name (a failed unix
		 * connect): nothing observable happened */
		if (ev->family != 1 || ev->err == 0)
			note_activity(st, ev->time_s);
		if (inet && !int_in(st->connected, st->n_connected, ev->pid) && st->n_connected < MAX_MASQ)
			st->connected[st->n_connected++] = ev->pid;
		break;
	default:
		break;
	}
}

void on_fork(struct state *st, const struct da_event *ev)
{
	bool thread = (ev->detail && strcmp(ev->detail, "thread") == 0) ||
		      (!ev->detail && (ev->flags & CLONE_THREAD_FLAG));
	bool setup = ev->phase && strcmp(ev->phase, "setup") == 0;
	if (ev->err == EAGAIN && !thread) {
		if (!st->runaway_reported)
			report(st, "process.runaway", DA_SEV_HIGH, ev,
			       "Look for a fork loop; the program hit the process limit.",
			       "Process creation failed with EAGAIN: the process limit was hit");
		st->runaway_reported = true;
		return;
	}
	/* threads count against the same limit (pids.max counts tasks): a
	 * thread bomb, or a program that starts far more threads than cores */
	if (ev->err == EAGAIN && thread && !setup && !st->thread_limit_reported) {
		st->thread_limit_reported = true;
		report(st, "process.runaway", DA_SEV_MEDIUM, ev,
		       "Look for a thread-creation loop; the program hit the task limit.",
		       "Thread creation failed with EAGAIN: the task limit (sandbox.limits.processes) was hit");
		return;
	}
	/* under the task limit a thread bomb fails nothing: count them */
	if (thread && ev->err == 0 && !setup && ++st->n_threads > THREAD_BOMB &&
	    !st->thread_limit_reported) {
		st->thread_limit_reported = true;
		report(st, "process.runaway", DA_SEV_MEDIUM, ev,
		       "Look for a thread-creation loop; a program needs threads by the core, not by the hundred.",
		       "Runaway thread creation: more than %d threads (a thread bomb under the task limit)",
		       THREAD_BOMB);
	}
	if (thread && ev->target_pid > 0 && st->n_tids < MAX_TIDS &&
	    !int_in(st->tids, st->n_tids, ev->target_pid))
		st->tids[st->n_tids++] = ev->target_pid;
	if (thread || ev->target_pid <= 0)
		return;
	struct proc *parent = proc_get(st, ev->pid, ev->ppid);
	if (parent && setup)
		parent->setup = true;
	struct proc *child = proc_get(st, ev->target_pid, ev->pid);
	if (child) {
		child->ppid = ev->pid;
		child->setup = child->setup || setup;
		set_str(&child->fork_text, ev->text);
		if (parent && parent->image && !child->image)
			set_str(&child->image, parent->image);
		if (parent && parent->cover && !child->cover)
			set_str(&child->cover, parent->cover);
		if (parent && parent->driver)
			child->driver = true;
		if (parent && !child->session)
			child->session = parent->session;
	}
	if (setup)
		return;
	st->n_forks++;
	if (st->n_forks + 1 > (size_t)st->max_processes && !st->runaway_reported) {
		st->runaway_reported = true;
		report(st, "process.runaway", DA_SEV_HIGH, ev,
		       "Look for a fork loop or raise max_processes if this many are expected.",
		       "Runaway process creation: more than %ld processes", st->max_processes);
	}
}

void report_lingering(struct state *st, const struct proc *p, double at, const char *what)
{
	/* its session (a setsid before) outlived its parent: see report_setsids */
	struct proc *leader = p->session ? proc_find(st, p->session) : NULL;
	if (leader)
		leader->session_outlived = true;
	const char *evidence[1] = {p->fork_text};
	char message[300];
	snprintf(message, sizeof(message), "A subprocess (%s) keeps running after %s",
		 p->image ? p->image : "?", what);
	da_emit_finding(st->host, "process.daemon", DA_SEV_MEDIUM, message, p->pid, at,
			evidence, p->fork_text ? 1 : 0,
			"Check why the program detaches a process; background daemons are a backdoor pattern.");
	if (st->n_flagged++ == 0)
		snprintf(st->first_flagged, sizeof(st->first_flagged), "%.199s", message);
}

/* A process ended: children it leaves behind are detached (double fork). */
void process_ended(struct state *st, int pid, double t)
{
	bool is_main = pid == st->main_pid;
	if (is_main)
		st->main_exited = true;
	for (size_t i = 0; i < st->n_procs; i++) {
		struct proc *c = &st->procs[i];
		if (!c->alive || c->setup || c->pid == pid || c->orphaned_at >= 0)
			continue;
		if (is_main || c->ppid == pid)
			c->orphaned_at = t;
	}
}

void on_exit_event(struct state *st, const struct da_event *ev)
{
	struct proc *p = proc_find(st, ev->pid);
	flush_held(st, p); /* its last exec attempt failed */
	if (p && p->alive) {
		p->alive = false;
		if (p->orphaned_at >= 0 && ev->time_s - p->orphaned_at >= LINGER_S)
			report_lingering(st, p, ev->time_s, "its parent exited");
	}
	process_ended(st, ev->pid, ev->time_s);
}

void on_session(struct state *st, const struct da_event *ev)
{
	/* prctl(PR_SET_NAME): the name ps and top show from now on */
	if (ev->detail && strcmp(ev->detail, "PR_SET_NAME") == 0) {
		if (ev->raw_path && masquerade_name(ev->raw_path, true, NULL))
			note_masquerade(st, ev, ev->raw_path);
		return;
	}
	if (!ev->syscall || strcmp(ev->syscall, "setsid") != 0 || ev->pid == st->main_pid)
		return;
	if (ev->phase && strcmp(ev->phase, "setup") == 0)
		return;
	/* judged at the end: a test harness starting a server in its own
	 * session (Popen(start_new_session=True), then killpg) is not a
	 * daemon; the session outliving its parent is */
	struct proc *p = proc_get(st, ev->pid, ev->ppid);
	if (!p || p->setsid_text)
		return;
	p->session = ev->pid;
	p->setsid_t = ev->time_s;
	p->setsid_text = strdup(ev->text ? ev->text : "setsid()");
	snprintf(p->setsid_note, sizeof(p->setsid_note), "%s%.30s", ev->err ? ", failed: " : "",
		 ev->err ? (ev->errname ? ev->errname : "error") : "");
}

/* Each setsid of a child: medium when the process or anything in its new
 * session outlived its parent or the main program (a double fork
 * included: report_lingering marks the session), low when the session
 * ended with its parent still there. */
void report_setsids(struct state *st)
{
	for (size_t i = 0; i < st->n_procs; i++) {
		const struct proc *p = &st->procs[i];
		if (!p->setsid_text)
			continue;
		struct da_event ev = {.struct_size = sizeof(ev), .pid = p->pid, .time_s = p->setsid_t,
				      .text = p->setsid_text};
		if (p->session_outlived)
			report(st, "process.daemon", DA_SEV_MEDIUM, &ev,
			       "Check why a child process detaches into its own session; daemons are a backdoor pattern.",
			       "A child process detaches into a new session that outlives its parent (setsid%s)",
			       p->setsid_note);
		else
			report(st, "process.daemon", DA_SEV_LOW, &ev,
			       "Check why the child runs in its own session; it did not outlive its parent (a test harness's server does this).",
			       "A child process starts a new session (setsid%s) that did not outlive its parent",
			       p->setsid_note);
	}
}


/*
 * process.c — detector "process" (category "Process Spawning").
 *
 * Watches what the target runs: which programs it executes, whether it
 * starts shells, whether it probes the machine, detaches from its parent or
 * multiplies without bound.
 *
 * Options (plugins: process: {...}):
 *   allow_exec     list of base names or full paths, shell globs (fnmatch).
 *                  A matching exec raises no finding.  The target's own
 *                  command (argv[0] of the run) is always allowed.
 *   max_processes  processes the target may create (default 64).
 *
 * Rules (id, severity, trigger; what is deliberately ignored):
 *   process.memfd_exec    critical  exec of an in-memory file (memfd, or an
 *                         fd path like /proc/self/fd/N): fileless malware.
 *   process.exec_writable high      exec of a file in /tmp, /dev/shm,
 *                         /var/tmp, HOME outside the workdir (live only: a
 *                         replayed log's HOME is the user's own, holding
 *                         the tools they installed), or of any file the
 *                         target created or changed during the run.
 *                         A symlink the target made is judged by the file
 *                         it leads to: nothing for a venv's bin/python ->
 *                         /usr/bin/python3; medium ("possibly a link") when
 *                         the chain ends where the detector cannot judge.
 *                         low: a file the run itself wrote in the workdir
 *                         under a name with no hidden (".") component,
 *                         before any inet connect or network tool of the run
 *                         (code generation: gen/add.sh, then ./gen/add.sh);
 *                         a shell, interpreter or network tool copied there
 *                         stays high.
 *                         Ignores files the toolchain (cc, ld...) or the
 *                         setup phase built in the workdir (`make && ./a.out`:
 *                         the build itself is judged by exec_unlisted), and
 *                         the own command.
 *   process.shell         critical  a shell whose stdin/stdout is an inet
 *                         socket (reverse or bind shell), even if allowed (a
 *                         unix socketpair, as node gives children, is not).
 *                         high: a shell without -c (interactive, reading a
 *                         script) not allowed; a -c string with a network
 *                         tool (curl, nc...), /dev/tcp, decoded data run as
 *                         code, `sh -i`, rm -rf of home or root, chmod +s;
 *                         `curl | sh` (a shell reading a pipe a sibling
 *                         downloads into); any -c string run by a process
 *                         that (or whose ancestor) accepted an inet
 *                         connection first: remote command execution,
 *                         whatever the command.  low: a -c string that only
 *                         runs ordinary programs (the programs it names are
 *                         covered by that finding), also from the own shell
 *                         (`sh run.sh` starting `sh -c`); medium when it
 *                         comes after 2 s or more of quiet (no output,
 *                         connect or listen since the start or the last
 *                         one) and writes a hidden file or lists the
 *                         system (recon, ls /), high when both: a delayed
 *                         chain (chain.c).  Shells run by the
 *                         setup phase or an allowed build driver (make
 *                         recipes) are expected and ignored, and so is an
 *                         allowed program's own shell: forked by a program
 *                         listed in allow_exec (not an interpreter or a
 *                         shell: theirs run the submission's code),
 *                         running only listed programs, nothing
 *                         dangerous (`tar -z`'s
 *                         `sh -c gzip` with tar and gzip allowed).
 *   process.remote_exec   critical  an exec whose argv holds a string (4+
 *                         bytes) the process or an ancestor received from
 *                         an inet socket moments before (live tracer:
 *                         the exec event's arg[2]); a -c string or inline
 *                         code run after reading a file on stdin is rated
 *                         as after an accept (arg[3]).
 *   process.inline_code   medium    a child (not the run's first exec) runs
 *                         code from its command line: python -c, perl/ruby
 *                         -e, node -e/--eval, php -r; high when the code
 *                         decodes, evals, spawns or connects (even if
 *                         allowed), or runs after an inet accept.  Ignores python's multiprocessing
 *                         helpers (resource_tracker, forkserver, spawn).
 *   process.exec_unlisted medium    exec of any other program not in
 *                         allow_exec; low for everyday tools (coreutils,
 *                         text tools, archivers, interpreters, compilers,
 *                         git) and for the submission's own shipped
 *                         programs; info in the setup phase (a build runs
 *                         sed, cat, touch...) except network tools.  Ignores
 *                         the own command, an interpreter re-exec'ing itself
 *                         in the same process, the setup command, the build
 *                         toolchain (cc, cc1, as, ld, collect2, make...) when
 *                         run by the setup phase or by an allowed make/cc,
 *                         and what a compiler driver (gcc, gfortran,
 *                         rustc...) runs (cc1, f951, as, collect2, ld): that
 *                         is part of the driver's own finding.  low: a
 *                         command found nowhere (ENOENT on every PATH
 *                         entry: nothing ran), except a network tool.
 *                         Ignores JDK 17's lib/jspawnhelper exec'd by java
 *                         (ProcessBuilder's plumbing): the program it then
 *                         execs in the same process is judged.
 *   process.recon         medium    reconnaissance commands (id, whoami,
 *                         uname, hostname, ps, netstat, ss, ip, ifconfig, w,
 *                         who, last, env/printenv, cat/head/less of /etc,
 *                         find / ...), run directly or inside a shell -c
 *                         string (even when the shell itself is allowed);
 *                         low for identity questions (whoami, id, uname,
 *                         hostname...) until three kinds make a sweep;
 *                         info in the setup phase.  An allow-listed recon
 *                         program is not reported.
 *   process.signal        high      kill(-1, ...) or a signal to pid 1.
 *                         medium: to a process or group the target did not
 *                         create (low for signal 0, a probe).  Its own
 *                         processes, threads and group are fine.
 *   process.masquerade    medium    a process showing a kernel thread's or a
 *                         system daemon's name (argv[0] at exec, or its
 *                         command line in a process snapshot: "[kworker/0:1]",
 *                         "sshd: ..."); high when it also connects out.
 *                         A snapshot's "[comm]" that is no such name is
 *                         ignored when comm is the program the pid last
 *                         exec'd (an exiting cc1 has an empty command
 *                         line), when the row is a zombie (Z, X) or the pid
 *                         has already ended.
 *                         prctl(PR_SET_NAME) is not seen: no source reports it.
 *   process.daemon        medium    a process keeps running >= 1 s after its
 *                         parent (double fork) or the main program exited;
 *                         a child's setsid when it or its session does so.
 *                         low: a setsid whose session did not outlive its
 *                         parent (a test starting a server in its own
 *                         session, then killpg).  Ignores processes still
 *                         running when the observation window closed.
 *   process.loader_injection high   a program run with LD_PRELOAD or LD_AUDIT
 *                         in its environment (every dynamically linked
 *                         program then loads that library first: code
 *                         injection); medium in the setup phase, and for an
 *                         LD_LIBRARY_PATH naming a writable place outside
 *                         the workdir (/tmp, HOME...), and for a preload
 *                         whose libraries all lie in the workdir, shipped
 *                         or built there (a profiler, a test shim), not
 *                         written by the run.  Ignores the
 *                         environment dynaudit gave the target (target.env)
 *                         and the workdir's own library directories.  Needs
 *                         the environment: live runs, or strace -v logs.
 *   process.secret_harvest high a dump of the environment (env, printenv,
 *                         a reader of /proc/PID/environ) or a filter whose
 *                         pattern names credentials (grep TOKEN|SECRET|
 *                         PASS|KEY...) with its stdout on a hidden file;
 *                         medium on an ordinary file (harvest.c).  Output
 *                         to a pipe or terminal is recon, not a harvest.
 *   process.long_sleep    medium    one sleep (nanosleep, clock_nanosleep) at
 *                         least as long as the whole observation window, or
 *                         a process still idle in a timed wait (epoll_wait,
 *                         futex, poll... of setTimeout, Event.wait; or
 *                         pause() under an armed alarm) whose wake-up is a
 *                         whole window or more away when the window closes:
 *                         what follows is hidden from the audit, whether or
 *                         not a line was printed first (a cover is cheap).
 *                         Also sleeps under a second adding up to 80% of the
 *                         window before anything observable (a wait cut
 *                         up).  info: a run that listens (a server waits by
 *                         design), a wait of 10 s or more that merely ends
 *                         after the window, and the setup phase.
 *   process.runaway       high      more than max_processes processes, or a
 *                         fork failing with EAGAIN (process limit hit);
 *                         medium: a thread creation failing with EAGAIN (the
 *                         task limit counts threads too: a thread bomb), or
 *                         more than THREAD_BOMB (128) threads created by the
 *                         run phase (a thread bomb under the task limit).
 *                         Threads are not processes; setup-phase processes
 *                         (a parallel build) are not counted.
 * A failed exec counts as an attempt: its strace line (with the error) is
 * the evidence; a PATH search (ENOENT/EACCES/ENOTDIR, then the same argv
 * again in the same process) is one attempt.
 *
 * Summary: "None" / "No subprocesses or shell activity".
 */
#include "process.h"

/* ---- lifecycle ---------------------------------------------------------- */

static int process_init(const struct da_host *host, const struct da_cfg *cfg, void **out,
			char *err, size_t errlen)
{
	struct state *st = calloc(1, sizeof(*st));
	if (!st) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	*out = st;
	st->host = host;
	st->max_processes = 64;
	st->start_s = -1;
	st->created = da_strset_new(MAX_CREATED);
	if (!st->created) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	/* unknown keys and wrong types: refused by the core before init
	 * (process_options below) */
	st->n_allow = host->cfg_list(host, cfg, "allow_exec", &st->allow);
	for (size_t i = 0; i < st->n_allow; i++) {
		if (!st->allow[i] || !*st->allow[i]) {
			snprintf(err, errlen, "%s: allow_exec: empty entry",
				 host->cfg_where(host, cfg, "allow_exec"));
			return -EINVAL;
		}
	}
	long long max = 64;
	int rc = da_opt_int(host, cfg, "max_processes", max, &max, err, errlen);
	if (rc)
		return rc;
	if (max < 1 || max > 1000000) {
		snprintf(err, errlen, "%s: max_processes: %lld is not a number from 1 to 1000000",
			 host->cfg_where(host, cfg, "max_processes"), max);
		return -EINVAL;
	}
	st->max_processes = max;
	const char *const *command = host->run ? host->run->command : NULL;
	if (command && command[0]) {
		st->own_path = strdup(command[0]);
		st->own_base = strdup(da_prog_base_name(command[0]));
		if (!st->own_path || !st->own_base) {
			snprintf(err, errlen, "out of memory");
			return -ENOMEM;
		}
	}
	return 0;
}

static int process_on_event(void *state, const struct da_event *ev, char *err, size_t errlen)
{
	struct state *st = state;
	bool setup = ev->phase && strcmp(ev->phase, "setup") == 0;
	if (!st->main_pid && !setup && ev->pid > 0 && ev->kind != DA_EV_TARGET_EXIT) {
		st->main_pid = ev->pid;
		st->start_s = ev->time_s;
	}
	switch (ev->kind) {
	case DA_EV_PROC_EXEC:
		on_exec(st, ev);
		break;
	case DA_EV_PROC_FORK:
		on_fork(st, ev);
		break;
	case DA_EV_PROC_EXIT:
		on_exit_event(st, ev);
		break;
	case DA_EV_PROC_SESSION:
		on_session(st, ev);
		break;
	case DA_EV_SYSCALL_OTHER:
		on_sleep(st, ev);
		break;
	case DA_EV_PROC_SIGNAL:
		on_signal(st, ev);
		break;
	case DA_EV_PROC_SNAPSHOT:
		on_snapshot(st, ev);
		break;
	case DA_EV_OUTPUT:
	case DA_EV_NET_CONNECT:
	case DA_EV_NET_LISTEN:
		on_activity(st, ev);
		break;
	case DA_EV_NET_ACCEPT:
		/* a connection from an inet client (not a unix socket) */
		if (!setup && ev->err == 0 && ev->pid > 0 &&
		    (ev->family == 2 || ev->family == 10 ||
		     (ev->fd_desc && strncmp(ev->fd_desc, "socket:inet", 11) == 0))) {
			struct proc *sp = proc_get(st, ev->pid, ev->ppid);
			if (sp)
				sp->served = true;
		}
		break;
	case DA_EV_TARGET_EXIT:
		/* arg[2] = 1: the window closed, nothing "outlived" anything */
		if (ev->arg[2] == 0 && !st->main_exited)
			process_ended(st, st->main_pid ? st->main_pid : ev->pid, ev->time_s);
		break;
	default:
		on_file(st, ev);
		break;
	}
	return 0;
}

static int process_finish(void *state, char *err, size_t errlen)
{
	struct state *st = state;
	for (size_t i = 0; i < st->n_procs; i++)
		flush_held(st, &st->procs[i]);
	report_long_sleeps(st);
	report_masquerades(st);
	report_piped_downloads(st);
	for (size_t i = 0; i < st->n_procs; i++) {
		const struct proc *p = &st->procs[i];
		if (p->alive && p->orphaned_at >= 0 && p->pid != st->main_pid)
			report_lingering(st, p, p->orphaned_at,
					 st->main_exited ? "the main program exited" : "its parent exited");
	}
	report_setsids(st);
	if (st->procs_dropped || st->created_dropped)
		st->host->log(st->host, 1, "process: %zu processes and %zu paths not remembered (limits reached)",
			      st->procs_dropped, st->created_dropped);

	char observation[128], remarks[384];
	if (st->n_forks == 0 && st->n_exec_other == 0) {
		st->host->set_summary(st->host, "None", "No subprocesses or shell activity");
		return 0;
	}
	/* The same count as the report's "N child processes created" line:
	 * child processes, or (a program that only exec'd others) programs. */
	if (st->n_forks > 0)
		snprintf(observation, sizeof(observation), "%zu child process%s%s", st->n_forks,
			 st->n_forks == 1 ? "" : "es", st->n_shells ? ", shell spawned" : "");
	else
		snprintf(observation, sizeof(observation), "%zu program%s run%s", st->n_exec_other,
			 st->n_exec_other == 1 ? "" : "s", st->n_shells ? ", shell spawned" : "");
	/* The first flagged behaviour leads (a shell outranks the id it ran);
	 * a recon finding leading is already the recon list's first entry. */
	if (st->first_is_recon && st->recon_seen[0])
		snprintf(remarks, sizeof(remarks), "Reconnaissance commands run: %s", st->recon_seen);
	else if (st->first_flagged[0] && st->recon_seen[0])
		snprintf(remarks, sizeof(remarks), "%s; reconnaissance: %s", st->first_flagged,
			 st->recon_seen);
	else if (st->first_flagged[0])
		snprintf(remarks, sizeof(remarks), "%s", st->first_flagged);
	else if (st->recon_seen[0])
		snprintf(remarks, sizeof(remarks), "Reconnaissance commands run: %s", st->recon_seen);
	else
		snprintf(remarks, sizeof(remarks), "Only allow-listed programs were run");
	st->host->set_summary(st->host, observation, remarks);
	return 0;
}

static void process_destroy(void *state)
{
	struct state *st = state;
	if (!st)
		return;
	for (size_t i = 0; i < st->n_procs; i++) {
		free(st->procs[i].image);
		free(st->procs[i].image_path);
		free(st->procs[i].image_raw);
		free(st->procs[i].fork_text);
		free(st->procs[i].cover);
		free(st->procs[i].setsid_text);
		held_free(st->procs[i].held);
	}
	for (size_t i = 0; i < st->n_links; i++) {
		free(st->link_from[i]);
		free(st->link_to[i]);
	}
	for (size_t i = 0; i < st->n_pipe_shells; i++) {
		free(st->pipe_shells[i].text);
		free(st->pipe_shells[i].name);
	}
	for (size_t i = 0; i < st->n_downloads; i++) {
		free(st->downloads[i].text);
		free(st->downloads[i].name);
	}
	for (size_t i = 0; i < st->n_masqs; i++) {
		free(st->masqs[i].what);
		free(st->masqs[i].text);
	}
	for (size_t i = 0; i < st->n_sleeps; i++) {
		free(st->sleeps[i].text);
		free(st->sleeps[i].pending);
	}
	da_strset_free(st->created);
	free(st->own_base);
	free(st->own_path);
	free(st);
}

/* Every rule this detector emits (ABI 1.2): the core refuses others and
 * checks `rules:` overrides against this list; `dynaudit plugins -v` shows it. */
static const struct da_rule_decl process_rules[] = {
	{"process.memfd_exec", DA_SEV_CRITICAL,
	 "exec of an in-memory file (memfd, /proc/self/fd/N): fileless code"},
	{"process.exec_writable", DA_SEV_HIGH,
	 "exec of a file in a writable place or one the run created or changed"},
	{"process.shell", DA_SEV_CRITICAL,
	 "a shell on a socket, an interactive or dangerous shell, curl | sh, a -c string after an accept"},
	{"process.remote_exec", DA_SEV_CRITICAL,
	 "an exec whose command line holds bytes a network peer sent moments before"},
	{"process.inline_code", DA_SEV_HIGH,
	 "a child running code from its command line (python -c, perl -e, node -e...)"},
	{"process.exec_unlisted", DA_SEV_MEDIUM,
	 "exec of a program not in allow_exec"},
	{"process.recon", DA_SEV_MEDIUM,
	 "reconnaissance commands (id, uname, ps, netstat, find / ...)"},
	{"process.signal", DA_SEV_HIGH,
	 "a signal to pid 1, to all processes, or to processes the run did not create"},
	{"process.masquerade", DA_SEV_HIGH,
	 "a process named like a kernel thread or a system daemon"},
	{"process.daemon", DA_SEV_MEDIUM,
	 "a process outliving its parent or the main program (double fork, setsid)"},
	{"process.loader_injection", DA_SEV_HIGH,
	 "a program run with LD_PRELOAD/LD_AUDIT, or LD_LIBRARY_PATH in a writable place"},
	{"process.secret_harvest", DA_SEV_HIGH,
	 "the environment or credential-named lines written to a file (hidden: high)"},
	{"process.long_sleep", DA_SEV_MEDIUM,
	 "a sleep or timed wait outlasting the observation window"},
	{"process.runaway", DA_SEV_HIGH,
	 "more processes than max_processes, or forks hitting the process limit"},
	{0},
};

/* Its config keys (ABI 1.2): the core checks them before init(). */
static const struct da_option_decl process_options[] = {
	{"allow_exec", DA_OPT_LIST,
	 "programs that may run: base names or paths, shell globs (default: none)"},
	{"max_processes", DA_OPT_INT,
	 "processes the run may create, 1 to 1000000 (default 64)"},
	{0},
};

static const struct da_plugin process_plugin = {
	DA_PLUGIN_HEADER,
	.name = "process",
	.version = "1.0.0",
	.description = "Shells, unexpected programs, reconnaissance, daemons and fork bombs",
	.category_id = "process",
	.category_title = "Process Spawning",
	.kinds = DA_KINDS(DA_EV_PROC_EXEC, DA_EV_PROC_FORK, DA_EV_PROC_EXIT, DA_EV_PROC_SIGNAL,
			DA_EV_PROC_SESSION, DA_EV_FILE_OPEN, DA_EV_FILE_RENAME, DA_EV_FILE_CHMOD,
			DA_EV_FILE_LINK, DA_EV_FILE_MKDIR, DA_EV_NET_CONNECT, DA_EV_NET_LISTEN,
			DA_EV_NET_ACCEPT, DA_EV_TARGET_EXIT, DA_EV_SYSCALL_OTHER, DA_EV_OUTPUT,
			DA_EV_PROC_SNAPSHOT),
	.rules = process_rules,
	.options = process_options,
	.init = process_init,
	.on_event = process_on_event,
	.finish = process_finish,
	.destroy = process_destroy,
};

DYNAUDIT_PLUGIN(process_plugin)

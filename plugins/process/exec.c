/*
 * exec.c — judging one exec: allow_exec, writable places, links, loader variables
 */
#include "process.h"

static bool pattern_matches(const char *pattern, const struct da_event *ev, const char *applet)
{
	const char *cands[5] = {
		ev->path, ev->raw_path, applet,
		(ev->argc > 0 && ev->argv) ? ev->argv[0] : NULL,
		(ev->argc > 0 && ev->argv && ev->argv[0]) ? da_prog_base_name(ev->argv[0]) : NULL};
	bool has_slash = strchr(pattern, '/') != NULL;
	for (size_t i = 0; i < 5; i++) {
		const char *c = cands[i];
		if (!c || !*c)
			continue;
		const char *subject = has_slash ? c : da_prog_base_name(c);
		if (fnmatch(pattern, subject, 0) == 0)
			return true;
		if (!has_slash && !strpbrk(pattern, "*?[") && same_program(subject, pattern))
			return true;
	}
	return false;
}

static bool is_own_command(const struct state *st, const struct da_event *ev, const char *applet)
{
	if (!st->own_base || !*st->own_base)
		return false;
	if (same_program(applet, st->own_base))
		return true;
	if (ev->argc > 0 && ev->argv && ev->argv[0] &&
	    same_program(da_prog_base_name(ev->argv[0]), st->own_base))
		return true;
	return ev->path && st->own_path && strcmp(ev->path, st->own_path) == 0;
}

static bool allowed_by_config(const struct state *st, const struct da_event *ev, const char *applet)
{
	for (size_t i = 0; i < st->n_allow; i++)
		if (pattern_matches(st->allow[i], ev, applet))
			return true;
	return false;
}

/* Whether a base name is listed in allow_exec. */
static bool name_allowed(const struct state *st, const char *name)
{
	struct da_event probe = {.path = name};
	return name && allowed_by_config(st, &probe, name);
}

/* An allowed program's own shell: `tar -z` runs `sh -c gzip`.  When the
 * program that forked the shell is listed in allow_exec, and every
 * program the -c string runs is listed too, with nothing dangerous in it,
 * the shell is that program's plumbing, not the submission's shell. */
static bool allowed_program_shell(const struct state *st, const char *parent, const char *script)
{
	if (!script || !name_allowed(st, parent) || shell_danger(script))
		return false;
	struct words *ws = malloc(sizeof(*ws));
	if (!ws)
		return false;
	split_words(script, ws);
	bool ok = ws->n > 0;
	for (size_t i = 0; ok && i < ws->n; i++) {
		if (i > 0 && !is_separator_word(ws->w[i - 1]))
			continue;
		size_t c = command_word(ws, i);
		if (c < ws->n && !is_separator_word(ws->w[c]))
			ok = name_allowed(st, da_prog_base_name(ws->w[c]));
	}
	free(ws);
	return ok;
}

static bool is_memfd_exec(const struct da_event *ev)
{
	if (ev->detail && strcmp(ev->detail, "memfd") == 0)
		return true;
	const char *p = ev->path ? ev->path : ev->raw_path;
	if (!p)
		return false;
	if (strncmp(p, "memfd:", 6) == 0 || strncmp(p, "/memfd:", 7) == 0)
		return true;
	/* fexecve of an fd: /proc/self/fd/N or /dev/fd/N left unresolved */
	return (strncmp(p, "/proc/", 6) == 0 && strstr(p, "/fd/")) || strncmp(p, "/dev/fd/", 8) == 0;
}

bool in_writable_place(const struct state *st, const char *path)
{
	const struct da_run_info *run = st->host->run;
	if (!path)
		return false;
	if (da_path_in_temp(path) || da_path_under(path, run->tmpdir))
		return true;
	/* Live, HOME is the sandbox's fresh one: what lies there came from
	 * the run.  A replayed log was recorded in the user's own HOME, where
	 * pyenv, nvm and ~/.local/bin keep the tools the user installed: only
	 * what the log shows the run writing there counts (created_has). */
	if (run->live && da_path_under(path, run->home) && !da_path_under(path, run->workdir))
		return true;
	return created_has(st, path);
}

static char *dup_or_null(const char *s, bool *ok)
{
	if (!s)
		return NULL;
	char *d = strdup(s);
	if (!d)
		*ok = false;
	return d;
}

void held_free(struct held_exec *h)
{
	if (!h)
		return;
	struct da_event *e = &h->ev;
	free((char *)e->syscall);
	free((char *)e->errname);
	free((char *)e->path);
	free((char *)e->path2);
	free((char *)e->raw_path);
	free((char *)e->fd_desc);
	free((char *)e->addr);
	free((char *)e->detail);
	free((char *)e->phase);
	free((char *)e->text);
	free((char *)e->loader_env);
	for (int i = 0; i < 3; i++)
		free((char *)e->stdio[i]);
	for (int i = 0; h->argv && i < e->argc; i++)
		free(h->argv[i]);
	free(h->argv);
	free(h);
}

/* A copy of an exec event that owns its strings, or NULL (out of memory). */
static struct held_exec *held_copy(const struct da_event *ev)
{
	struct held_exec *h = calloc(1, sizeof(*h));
	if (!h)
		return NULL;
	bool ok = true;
	struct da_event *e = &h->ev;
	*e = *ev;
	e->struct_size = sizeof(*e);
	e->syscall = dup_or_null(ev->syscall, &ok);
	e->errname = dup_or_null(ev->errname, &ok);
	e->path = dup_or_null(ev->path, &ok);
	e->path2 = dup_or_null(ev->path2, &ok);
	e->raw_path = dup_or_null(ev->raw_path, &ok);
	e->fd_desc = dup_or_null(ev->fd_desc, &ok);
	e->addr = dup_or_null(ev->addr, &ok);
	e->detail = dup_or_null(ev->detail, &ok);
	e->phase = dup_or_null(ev->phase, &ok);
	e->text = dup_or_null(ev->text, &ok);
	e->loader_env = dup_or_null(DA_EVENT_HAS(ev, loader_env) ? ev->loader_env : NULL, &ok);
	for (int i = 0; i < 3; i++)
		e->stdio[i] = dup_or_null(ev->stdio[i], &ok);
	e->argc = ev->argv && ev->argc > 0 ? ev->argc : 0;
	if (e->argc) {
		h->argv = calloc((size_t)e->argc + 1, sizeof(char *));
		if (!h->argv)
			ok = false;
		for (int i = 0; h->argv && i < e->argc; i++)
			h->argv[i] = dup_or_null(ev->argv[i], &ok);
	}
	e->argv = (const char *const *)h->argv;
	if (!ok) {
		held_free(h);
		return NULL;
	}
	return h;
}

static bool same_argv(const struct da_event *a, const struct da_event *b)
{
	if (a->argc != b->argc || (a->argc > 0 && (!a->argv || !b->argv)))
		return false;
	for (int i = 0; i < a->argc; i++) {
		const char *x = a->argv[i], *y = b->argv[i];
		if ((!x || !y) ? x != y : strcmp(x, y) != 0)
			return false;
	}
	return true;
}

/* ---- symlinks the target made --------------------------------------- */

static void link_add(struct state *st, const char *path, const char *target)
{
	if (!path || !target || !*target || path[0] != '/')
		return;
	char abs[1024], dir[1024];
	const char *slash = strrchr(path, '/');
	snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	(void)da_path_normalize(target, dir, abs, sizeof(abs)); /* libdynaudit-sdk */
	for (size_t i = 0; i < st->n_links; i++)
		if (strcmp(st->link_from[i], path) == 0) {
			set_str(&st->link_to[i], abs);
			return;
		}
	if (st->n_links >= MAX_LINKS)
		return;
	st->link_from[st->n_links] = strdup(path);
	st->link_to[st->n_links] = strdup(abs);
	if (st->link_from[st->n_links] && st->link_to[st->n_links])
		st->n_links++;
	else {
		free(st->link_from[st->n_links]);
		free(st->link_to[st->n_links]);
	}
}

/* Follow the links the target made from path (at most 8).  Returns the
 * final path (path itself when it is no known link). */
static const char *link_resolve(const struct state *st, const char *path)
{
	for (int hop = 0; hop < 8 && path; hop++) {
		const char *next = NULL;
		for (size_t i = 0; i < st->n_links && !next; i++)
			if (strcmp(st->link_from[i], path) == 0)
				next = st->link_to[i];
		if (!next)
			return path;
		path = next;
	}
	return path;
}

/* Where the system keeps its programs: read-only to the target. */
static bool in_system_dir(const char *path)
{
	static const char *const dirs[] = {"/usr", "/bin", "/sbin", "/lib", "/lib64", "/lib32",
					   "/opt", "/etc/alternatives", NULL};
	for (const char *const *d = dirs; *d; d++)
		if (da_path_under(path, *d))
			return true;
	return false;
}

/* JDK 17's ProcessBuilder: the JVM vforks, the child execs the JDK's own
 * lib/jspawnhelper (argv: version, fd numbers), which execs the real
 * program in the same process.  The helper is the JVM's plumbing, like
 * python's multiprocessing helpers; the exec after it is judged. */
static bool java_spawn_helper(const struct state *st, const struct da_event *ev,
			      const char *applet, const char *previous)
{
	return ev->err == 0 && strcmp(applet, "jspawnhelper") == 0 && previous &&
	       same_program(previous, "java") && ev->path && in_system_dir(ev->path) &&
	       !created_has(st, ev->path);
}

/* A program the run wrote in its workdir (gen/add.sh, then ./gen/add.sh):
 * code generation, as file.exec_created sees a build.  Not under a hidden
 * name (workdir/.cache/x, gen/.x), not in /tmp, /dev/shm or HOME outside
 * the workdir, and not after the run reached the network (a connect, a
 * network tool): then it may be a download being run. */
static bool generated_in_workdir(const struct state *st, const char *path)
{
	const struct da_run_info *run = st->host->run;
	if (!path || st->net_seen || !created_has(st, path) || !da_path_under(path, run->workdir) ||
	    da_path_in_temp(path) || da_path_under(path, run->tmpdir))
		return false;
	size_t n = strlen(run->workdir);
	while (n > 1 && run->workdir[n - 1] == '/')
		n--;
	for (const char *c = path + n; *c; c++)
		if (c[0] == '/' && c[1] == '.')
			return false;
	return true;
}

/* An argv word naming PATH: equal, or a prefix of it cut by strace -s
 * (a replayed argv keeps strace's "..." mark: "/root/.pyenv/libexec/pyenv-lates..."). */
static bool names_same_file(const char *word, const char *path)
{
	if (!word || !path)
		return false;
	size_t n = strlen(word);
	if (n > 3 && !strcmp(word + n - 3, "..."))
		return n - 3 >= 16 && !strncmp(word, path, n - 3);
	return !strcmp(word, path);
}

static void judge_exec(struct state *st, const struct da_event *ev_in)
{
	struct da_event fixed = *ev_in;
	fixed.path = event_path(ev_in);
	const struct da_event *ev = &fixed;
	bool setup = ev->phase && strcmp(ev->phase, "setup") == 0;
	const char *applet = applet_of(ev);
	struct proc *p = proc_get(st, ev->pid, ev->ppid);
	if (p && setup)
		p->setup = true;
	char *previous = (p && p->image) ? strdup(p->image) : NULL;
	/* `#!/usr/bin/env bash`: the kernel runs env on the script, env runs
	 * `bash SCRIPT ARGS` in the same process: that shell is the script's
	 * own interpreter (the script's exec was judged), not a new shell */
	const char *operand = p && da_prog_is_shell(applet) && ev->err == 0 ? shell_operand(ev) : NULL;
	bool shebang_interpreter = operand && (names_same_file(operand, p->image_path) ||
					       names_same_file(operand, p->image_raw));
	if (p && ev->err == 0) {
		set_str(&p->image, applet);
		set_str(&p->image_path, ev->path);
		set_str(&p->image_raw, ev->raw_path);
	}
	if (java_spawn_helper(st, ev, applet, previous)) {
		free(previous);
		return;
	}
	/* The run's first exec is dynaudit's (target.env), as is the setup
	 * command's; every later one is the submission's doing. */
	bool launched_by_dynaudit = !previous && ((!setup && ev->pid == st->main_pid) ||
						  (setup && !st->setup_started));
	if (!launched_by_dynaudit)
		check_loader_env(st, ev, applet, setup);

	if (!st->own_base && !setup && ev->err == 0) {
		/* a replay without target.command: the first program run is the target */
		st->own_base = strdup(applet);
		st->own_path = ev->path ? strdup(ev->path) : NULL;
	}
	bool own = is_own_command(st, ev, applet);
	/* the first exec of the setup phase is the configured setup command */
	bool setup_command = setup && !st->setup_started;
	if (setup)
		st->setup_started = true;
	bool reexec = ev->pid == st->main_pid && previous &&
		      (same_program(applet, previous) ||
		       (is_interpreter(previous) && is_interpreter(applet)) ||
		       (st->own_base && same_program(previous, st->own_base) && is_interpreter(applet)));
	bool toolchain_or_shell = is_toolchain(applet) || da_prog_is_shell(applet) ||
				  (ev->argc > 0 && ev->argv && ev->argv[0] &&
				   is_toolchain(da_prog_base_name(ev->argv[0])));
	/* an allowed make or cc runs its toolchain and recipe shells */
	bool under_builder = p && p->builder;
	bool by_config = allowed_by_config(st, ev, applet);
	bool is_shell = da_prog_is_shell(applet);
	const char *script = is_shell ? shell_script(ev) : NULL;
	/* not an interpreter's or a shell's: theirs run the submission's code */
	bool plumbing = is_shell && previous && !launched_by_dynaudit &&
			!is_interpreter(previous) && !da_prog_is_shell(previous) &&
			allowed_program_shell(st, previous, script);
	bool allowed = own || reexec || shebang_interpreter || setup_command || by_config || plumbing ||
		       ((setup || under_builder) && toolchain_or_shell);
	/* what a compiler driver runs (cc1, as, collect2, ld) is the driver's doing */
	bool part_of_driver = p && p->driver && in_toolchain_list(applet, driver_internals);
	/* from here on a program the run writes may be a download */
	if (is_net_tool(applet) || (script && script_uses_network(script)))
		st->net_seen = true;
	/* a program the reported shell -c string names is in that finding */
	bool covered = p && p->cover && !is_shell && script_names(p->cover, applet);
	if (p && ev->err == 0) {
		p->builder = (allowed && is_toolchain(applet)) || (setup_command && !own) ||
			     (under_builder && toolchain_or_shell);
		p->driver = in_toolchain_list(applet, drivers) || part_of_driver;
		if (!covered)
			set_str(&p->cover, NULL);
	}
	free(previous);
	if (!own)
		st->n_exec_other++;

	char cmdline[300];
	join_argv(ev, applet, cmdline, sizeof(cmdline));
	note_piped(st, ev, applet, script, is_shell);
	if (!launched_by_dynaudit && ev->argc > 0 && ev->argv && ev->argv[0] &&
	    masquerade_name(ev->argv[0], true, applet) &&
	    !masquerade_name(applet, true, NULL) && st->n_masqs < MAX_MASQ) {
		struct masq *m = &st->masqs[st->n_masqs++];
		m->pid = ev->pid;
		m->t = ev->time_s;
		m->what = strdup(ev->argv[0]);
		m->text = ev->text ? strdup(ev->text) : NULL;
	}

	if (is_memfd_exec(ev)) {
		report(st, "process.memfd_exec", DA_SEV_CRITICAL, ev,
		       "Treat as malicious: the program runs code that exists only in memory.",
		       "Executes an in-memory file (%s)%s%s", ev->path ? ev->path : "memfd",
		       ev->err ? ", failed: " : "", ev->err ? (ev->errname ? ev->errname : "error") : "");
		return;
	}
	if (is_shell && !own)
		st->n_shells++;
	/* a link the target made is judged by the file it leads to */
	const char *real = link_resolve(st, ev->path);
	bool via_link = real && ev->path && real != ev->path;
	/* a link the run made in HOME is something it wrote there, in a
	 * replay too (where HOME's own files are the user's: in_writable_place) */
	bool link_in_home = via_link && da_path_under(ev->path, st->host->run->home) &&
			    !da_path_under(ev->path, st->host->run->workdir);
	bool writable = via_link ? in_writable_place(st, real) || in_writable_place(st, ev->path) ||
					   link_in_home
				 : in_writable_place(st, ev->path);
	if (via_link && in_system_dir(real) && !created_has(st, real))
		writable = false; /* .venv/bin/python -> /usr/bin/python3.11 */
	bool unresolved_link = via_link && writable && !in_writable_place(st, real);
	/* a shell, interpreter or network tool copied into the workdir is
	 * judged as a dropped file, never as generated code */
	bool generated = !via_link && generated_in_workdir(st, ev->path) && !is_shell &&
			 !is_net_tool(applet) && !in_version_list(applet, code_interpreters) &&
			 !stdio_on_inet_socket(ev);
	if (!allowed && !(setup && da_path_under(ev->path, st->host->run->workdir)) && writable &&
	    !part_of_driver) {
		if (generated)
			report(st, "process.exec_writable", DA_SEV_LOW, ev,
			       "Check that the generated program is the assignment's own code generation.",
			       "Runs a program it generated in its workdir: %.250s", cmdline);
		else if (unresolved_link)
			report(st, "process.exec_writable", DA_SEV_MEDIUM, ev,
			       "Check what the link leads to; programs dropped at run time are a backdoor pattern.",
			       "Executes a file in a writable location (possibly a link): %s -> %s", ev->path, real);
		else if (via_link)
			report(st, "process.exec_writable", DA_SEV_HIGH, ev,
			       "Find out where the file came from; programs dropped at run time are a backdoor pattern.",
			       "Executes a file from a writable location: %s (a link to %s)", ev->path, real);
		else
			report(st, "process.exec_writable", DA_SEV_HIGH, ev,
			       "Find out where the file came from; programs dropped at run time are a backdoor pattern.",
			       "Executes a file from a writable location: %s", ev->path);
	} else if (is_shell && !launched_by_dynaudit && stdio_on_inet_socket(ev)) {
		report(st, "process.shell", DA_SEV_CRITICAL, ev,
		       "Treat as a backdoor: a shell whose input/output is a socket is remote control.",
		       "Spawns a shell with its stdin/stdout on a socket (remote shell): %.250s", cmdline);
	} else if (is_shell && !allowed) {
		if (script)
			report_shell_script(st, ev, applet, script, p);
		else
			report(st, "process.shell", DA_SEV_HIGH, ev,
			       "Remove the shell invocation or add the shell to allow_exec if it is expected.",
			       "Spawns a shell: %.250s", cmdline);
	} else if (is_shell && own && script && !launched_by_dynaudit && !setup && !by_config && !plumbing) {
		/* `sh run.sh` starting `sh -c '...'`: the same shell, new code */
		report_shell_script(st, ev, applet, script, p);
	} else if (!launched_by_dynaudit && !setup_command &&
		   check_inline_code(st, ev, applet, setup, by_config)) {
		/* the inline-code finding says what runs */
	} else if (!allowed && !covered && !part_of_driver &&
		   !recon_name(ev->argv, ev->argv ? (size_t)ev->argc : 0)) {
		bool quiet = setup && !is_net_tool(applet);
		/* everyday tools, and the submission's own programs */
		bool ordinary = in_toolchain_list(applet, ordinary_tools) ||
				(ev->path && da_path_under(ev->path, st->host->run->workdir) &&
				 !created_has(st, ev->path) && !via_link);
		/* a command found nowhere on PATH (a shell's typo test): nothing
		 * ran; trying a network tool still says what was wanted */
		bool missing = (ev->err == ENOENT || ev->err == ENOTDIR) && !is_net_tool(applet);
		report(st, "process.exec_unlisted",
		       quiet ? DA_SEV_INFO : (ordinary || missing) ? DA_SEV_LOW : DA_SEV_MEDIUM, ev,
		       "Check that this program is needed; add it to allow_exec if it is.",
		       "Runs a program not in allow_exec%s: %.250s%s", quiet ? " (setup phase)" : "",
		       cmdline, missing ? " (not found: nothing ran)" : "");
	}
	if (!allowed && ev->argv) {
		/* the argv view, with the applet as the command name */
		const char *words[32];
		size_t n = 0;
		words[n++] = applet;
		for (int i = 1; i < ev->argc && n < 32; i++)
			if (ev->argv[i])
				words[n++] = ev->argv[i];
		const char *label = recon_name(words, n);
		if (label)
			found_recon(st, ev, label);
	}
	if (script)
		scan_shell_command(st, ev, script, found_recon);
}

/* Judge the exec a process held back (a failed PATH-search attempt). */
void flush_held(struct state *st, struct proc *p)
{
	if (!p || !p->held)
		return;
	struct held_exec *h = p->held;
	p->held = NULL;
	judge_exec(st, &h->ev);
	held_free(h);
}

/*
 * execvp and friends try each PATH directory in turn: ENOENT, ENOENT, then
 * success, all with the same argv in the same process.  That is one
 * attempt, judged once: a failed exec is held until the process tries
 * again (the retry replaces it), tries something else, ends, or the input
 * ends (then the last failure is the attempt).
 */
void on_exec(struct state *st, const struct da_event *ev)
{
	struct proc *p = proc_get(st, ev->pid, ev->ppid);
	if (p && p->held) {
		if (same_argv(&p->held->ev, ev)) {
			held_free(p->held);
			p->held = NULL;
		} else {
			flush_held(st, p);
		}
	}
	bool retryable = ev->err == ENOENT || ev->err == EACCES || ev->err == ENOTDIR;
	if (p && retryable && !is_memfd_exec(ev)) {
		p->held = held_copy(ev);
		if (p->held)
			return;
	}
	/* bytes a connection sent moments before, now on a command line
	 * (the live tracer's arg[2]: 1 + that argv index) */
	if (!ev->err && ev->arg[2] > 0 && ev->arg[2] <= ev->argc && ev->argv && ev->argv[ev->arg[2] - 1])
		report(st, "process.remote_exec", DA_SEV_CRITICAL, ev,
		       "Treat as a backdoor: the program runs what a network peer sent it.",
		       "Runs %s with '%.200s' on its command line, received from a network connection moments before (remote command execution)",
		       ev->path ? da_prog_base_name(ev->path) : "a program", ev->argv[ev->arg[2] - 1]);
	judge_exec(st, ev);
	check_harvest(st, ev);
}

/* Files the target creates or changes may later be executed. */
void on_file(struct state *st, const struct da_event *ev)
{
	bool setup = ev->phase && strcmp(ev->phase, "setup") == 0;
	const char *path = event_path(ev);
	switch (ev->kind) {
	case DA_EV_FILE_OPEN:
		if (!(ev->access & (DA_ACC_WRITE | DA_ACC_CREATE | DA_ACC_TRUNC)) || ev->err)
			return;
		break;
	case DA_EV_FILE_RENAME:
		path = ev->path2;
		break;
	case DA_EV_FILE_CHMOD:
	case DA_EV_FILE_LINK:
	case DA_EV_FILE_MKDIR:
		break;
	default:
		return;
	}
	/* creating files and directories is observable work (not a runtime's
	 * own start-up files: python's byte-code cache, the JVM's perf data
	 * and its write to /proc/self/coredump_filter) */
	if (!setup && !ev->err && path && !strstr(path, "/__pycache__/") &&
	    !strstr(path, "/hsperfdata_") && !da_path_under(path, "/proc") && !da_path_under(path, "/sys") &&
	    !da_path_under(path, "/dev"))
		note_activity(st, ev->time_s);
	if (ev->kind == DA_EV_FILE_MKDIR)
		return;
	if (ev->kind == DA_EV_FILE_LINK && ev->detail && strcmp(ev->detail, "symlink") == 0) {
		/* a symlink is judged by what it leads to (a venv's bin/python) */
		if (!ev->err)
			link_add(st, path, ev->path2);
		return;
	}
	if (ev->err || !path || da_path_under(path, "/dev") || da_path_under(path, "/proc"))
		return;
	/* a build in the workdir makes binaries that are meant to run */
	const struct proc *writer = proc_find(st, ev->pid);
	bool build_output = setup || (writer && (writer->builder ||
						 (writer->image && in_toolchain_list(writer->image, compilers))));
	if (build_output && da_path_under(path, st->host->run->workdir))
		return;
	created_add(st, path);
}


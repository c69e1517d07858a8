/*
 * code_integrity.c — detector "code_integrity" (category "Code Integrity").
 *
 * Did the submission run as written, for the whole window, without
 * rewriting itself?  A crash is not a security issue by itself, but it
 * limits what the audit could observe, so the report must say so and tell
 * the author what to fix.  All crash findings are info: they explain the
 * audit, they do not accuse the program.
 *
 * Rules (id, severity, trigger; what is deliberately ignored):
 *   code_integrity.error_output  info  a crash signature in the target's
 *        stdout/stderr: a Python exception line closing a traceback or a
 *        `File "...", line N` frame (SyntaxError, IndentationError and
 *        TabError mean the code did not even start), "Fatal Python error",
 *        shell crash notes (Segmentation fault, Aborted, Bus error, Illegal
 *        instruction, Floating point exception, core dumped), sanitizer
 *        reports (AddressSanitizer, LeakSanitizer, ThreadSanitizer,
 *        MemorySanitizer, UBSan "runtime error:"), uncaught exceptions of
 *        Java, Node (the error line and location before its "Node.js vN"
 *        trailer), Go, Rust and C++, the JVM's own fatal reports ("# There is
 *        insufficient memory for the Java Runtime Environment", "# A fatal
 *        error has been detected by the Java Runtime Environment", an
 *        hs_err_pid*.log line, "Error occurred during initialization of VM";
 *        one finding per report), and compiler errors
 *        ("file.c:3:5: error: ...").  When the error says memory ran out
 *        (OutOfMemoryError, MemoryError, bad_alloc, "insufficient memory"),
 *        the message says the sandbox memory limit (sandbox.limits.memory)
 *        may be the cause and the recommendation how to raise it.  Ignored: an exception-like line that is
 *        not part of a traceback (a program may print "ValueError: ..." as
 *        ordinary output).  At most MAX_OUTPUT_FINDINGS distinct lines.
 *   code_integrity.crash         info  the target ended on SIGSEGV, SIGBUS,
 *        SIGILL, SIGFPE, SIGABRT, SIGSYS, SIGTRAP or dumped core; other
 *        killing signals are reported as "terminated by".
 *   code_integrity.exit_status   info  the target exited with a nonzero code.
 *        Ignored: exit 0, and a target still running when the window closed.
 *   code_integrity.early_exit    info  the target crashed or failed within
 *        the first quarter of the window: the audit saw only part of it.
 *        "an early crash" only with a crash signal, a core or an error in the
 *        output; a plain nonzero exit (a usage message) "exited early with
 *        status N", quoting its last stderr line; a non-crash signal
 *        "was terminated by SIGKILL".
 *   code_integrity.not_run       info  the submission's code never ran: the
 *        target ended nonzero after a SyntaxError/IndentationError/TabError,
 *        or after its interpreter said it could not load the program it was
 *        given (python "can't open file", java "Could not find or load main
 *        class" / "Unable to access jarfile", perl "Can't open perl script",
 *        ruby "No such file or directory -- x").  The engine reads this
 *        finding to set the report's coverage to none (coverage.c), so a
 *        program that never ran is an inconclusive PASS, never the safest.
 *   code_integrity.modifies_source medium  writes, truncation, renames over,
 *        unlinks or chmods of a source file (.py, .c, .js, Makefile, the
 *        command's own script or binary ...) under the workdir that was
 *        shipped with the submission, i.e. there before the run.  Decided at
 *        finish, since inotify reports late: with inotify events for the
 *        path, the first one decides (CREATE: appeared while watched, so
 *        made by the build or the run; any change first: shipped; MOVED_TO
 *        first, from a rename onto it: shipped when a source name, since
 *        programs save new data files that way).  Without them (a strace
 *        log, monitors.fs off) the syscalls decide: a successful look or a
 *        change that needs the file proves it was there; an O_CREAT open of
 *        a file never seen counts as new (a live read-only open has no
 *        result and proves nothing).
 *   code_integrity.modifies_file  info  the same for other pre-existing files
 *        of the submission (data files shipped with it).
 *        Both ignore: files the run created (see above), __pycache__ and
 *        *.pyc, git's own files under .git/ (not its hooks or config),
 *        build outputs (*.o, *.a, *.so, *.d, *.class, a.out, and
 *        every file the setup phase wrote, moved or deleted: the run may
 *        rewrite or delete them), everything done during the setup phase,
 *        inotify changes while it runs, a bare inotify ATTRIB, and failed
 *        attempts on files that do not exist (ENOENT).
 *   code_integrity.setup_failed  info  the setup phase's root process (the
 *        target.setup command, e.g. make) exited nonzero or was killed, so
 *        the target was not run: names the command, its status and the
 *        first error line it printed on stderr (a compiler diagnostic, a
 *        traceback's exception, any "error" line, else make's "*** ...
 *        Error N").  Setup-phase output never counts as the target's:
 *        it raises no error_output, crash or early_exit finding.
 *
 * Summary: "Setup failed" / "The setup command ... failed: the target was not
 * run" when it did; "<error> crash" / "Code halted early, not a runtime security
 * issue by itself" (the other categories judge what it did before; "The program ran
 * out of memory: ..." when it said so); "Exit status N" / "Exited early with
 * status N, not a runtime security issue" for a plain exit; "Modifies its
 * own source" when it did; "None" / "Ran to completion without crashing" or
 * "Still running at the end of the window".
 *
 * Options: none (any key is rejected).
 */
#include "code_integrity.h"

/* ---- lifecycle ------------------------------------------------------------ */

static int ci_init(const struct da_host *host, const struct da_cfg *cfg, void **state, char *err,
		   size_t errlen)
{
	/* any key is refused by the core before init (.options = da_no_options) */
	struct code_integrity *st = calloc(1, sizeof(*st));
	if (st)
		st->slots = calloc(PATH_SLOTS, sizeof(*st->slots));
	if (!st || !st->slots) {
		free(st);
		snprintf(err, errlen, "code_integrity: out of memory");
		return -ENOMEM;
	}
	st->host = host;
	/* Stats only count with a result ("it was there"), and the live
	 * tracer publishes them at entry, without one: live, they would only
	 * stop the target for nothing (python start-up: 860 of 1050 events). */
	if (host->run->live) {
		uint64_t stats[DA_EVMASK_WORDS] = { KIND_BIT(DA_EV_FILE_STAT), 0 };
		host->unsubscribe(host, stats);
	}
	st->workdir = host->run->workdir ? host->run->workdir : "";
	st->workdir_len = strlen(st->workdir);
	while (st->workdir_len > 1 && st->workdir[st->workdir_len - 1] == '/')
		st->workdir_len--;
	/* The script: first argument after the interpreter that is not an
	 * option ("python3 -u server.py" -> server.py), else the command. */
	const char *const *cmd = host->run->command;
	if (cmd && cmd[0]) {
		st->script = da_prog_base_name(cmd[0]);
		for (size_t i = 1; cmd[i]; i++)
			if (cmd[i][0] != '-') {
				st->script = da_prog_base_name(cmd[i]);
				break;
			}
	}
	*state = st;
	return 0;
}

static int ci_on_event(void *state, const struct da_event *ev, char *err, size_t errlen)
{
	struct code_integrity *st = state;
	if (ev->time_s > st->last_time_s)
		st->last_time_s = ev->time_s;
	bool setup = ev->phase && strcmp(ev->phase, "setup") == 0;
	/* inotify events carry no phase: they are the build's while it runs */
	if (setup)
		st->setup_running = true;
	else if (ev->syscall)
		st->setup_running = false;
	switch (ev->kind) {
	case DA_EV_OUTPUT:
		if (setup)
			on_setup_output(st, ev);
		else
			on_output(st, ev);
		break;
	case DA_EV_PROC_EXEC:
		if (setup)
			on_setup_exec(st, ev);
		break;
	case DA_EV_PROC_EXIT:
		if (setup)
			on_setup_exit(st, ev);
		break;
	case DA_EV_TARGET_EXIT: on_target_exit(st, ev); break;
	case DA_EV_FS_MONITOR: on_fs_monitor(st, ev); break;
	default: on_file_event(st, ev); break;
	}
	return 0;
}

static int ci_finish(void *state, char *err, size_t errlen)
{
	struct code_integrity *st = state;
	const struct da_host *host = st->host;
	report_modifications(st);
	if (st->output_dropped > 0) {
		emit(st, "code_integrity.error_output", DA_SEV_INFO, 0, -1, NULL, 0, NULL,
		     "%zu more error lines in the output were not listed", st->output_dropped);
	}
	if (st->paths_dropped > 0)
		host->log(host, 1, "code_integrity: %zu workdir files not tracked (table full)",
			  st->paths_dropped);

	/* A log without a recorded end but with a fatal error still ended early. */
	if (!st->saw_exit && st->crash_label[0])
		report_early_end(st, st->last_time_s, 0, END_CRASH, st->crash_label, NULL);

	char obs[192], remarks[320];
	if (st->setup_failed) {
		snprintf(obs, sizeof(obs), "Setup failed");
		snprintf(remarks, sizeof(remarks), "The setup command (%.150s) %s: the target was not run",
			 st->setup_cmd[0] ? st->setup_cmd : "target.setup", st->setup_status);
	} else if (st->n_source_mods > 0) {
		snprintf(obs, sizeof(obs), "Modifies its own source");
		snprintf(remarks, sizeof(remarks), "Rewrites %s while running", st->first_source_mod);
	} else if (st->still_running) {
		snprintf(obs, sizeof(obs), "%s", st->crash_label[0] ? "Errors printed" : "None");
		snprintf(remarks, sizeof(remarks), "Still running at the end of the window");
	} else if (st->crash_label[0]) {
		bool label_is_status = strncmp(st->crash_label, "Exit status", 11) == 0;
		snprintf(obs, sizeof(obs), label_is_status ? "%s" : "%s crash", st->crash_label);
		double window = host->run->duration_s;
		double end = st->saw_exit ? st->exit_time_s : st->last_time_s;
		bool early = window > 0 && end < 0.25 * window;
		if (st->memory_hint)
			snprintf(remarks, sizeof(remarks),
				 "The program ran out of memory: %s; not a runtime security issue by itself",
				 MEMORY_CAUSE);
		else if (label_is_status)
			/* "Exit status 2": a deliberate exit, no crash signal, no traceback */
			snprintf(remarks, sizeof(remarks), "%s with %s, not a runtime security issue by itself",
				 early ? "Exited early" : "Exited", st->crash_label + 5);
		else
			snprintf(remarks, sizeof(remarks), "%s",
				 /* "by itself": what the program did before it
				  * stopped is judged by the other categories; a
				  * malicious program's crash is still a crash */
				 early ? "Code halted early, not a runtime security issue by itself"
				       : "Code stopped on an error, not a runtime security issue by itself");
	} else {
		snprintf(obs, sizeof(obs), "None");
		snprintf(remarks, sizeof(remarks), "Ran to completion without crashing");
	}
	host->set_summary(host, obs, remarks);
	return 0;
}

static void ci_destroy(void *state)
{
	struct code_integrity *st = state;
	if (!st)
		return;
	for (size_t i = 0; st->slots && i < PATH_SLOTS; i++) {
		free(st->slots[i].path);
		free(st->slots[i].evidence);
	}
	free(st->slots);
	free(st);
}

/* Every rule this detector emits (ABI 1.2): the core refuses others and
 * checks `rules:` overrides against this list; `dynaudit plugins -v` shows it. */
static const struct da_rule_decl code_integrity_rules[] = {
	{"code_integrity.error_output", DA_SEV_INFO,
	 "a crash signature in the output: a traceback, an uncaught exception, a compiler error"},
	{"code_integrity.crash", DA_SEV_INFO,
	 "the target ended on a crash signal or dumped core"},
	{"code_integrity.exit_status", DA_SEV_INFO,
	 "the target exited with a nonzero status"},
	{"code_integrity.early_exit", DA_SEV_INFO,
	 "the target crashed or failed within the first quarter of the window"},
	{"code_integrity.not_run", DA_SEV_INFO,
	 "the submission's code never ran (syntax error, program not loadable)"},
	{"code_integrity.modifies_source", DA_SEV_MEDIUM,
	 "a shipped source file written, truncated, renamed over, deleted or chmodded"},
	{"code_integrity.modifies_file", DA_SEV_INFO,
	 "another shipped file of the submission changed"},
	{"code_integrity.setup_failed", DA_SEV_INFO,
	 "the setup command failed, so the target was not run"},
	{0},
};

static const struct da_plugin code_integrity_plugin = {
	DA_PLUGIN_HEADER,
	.name = "code_integrity",
	.version = "1.0.0",
	.description = "crashes, early exits and changes to the submission's own files",
	.category_id = "code_integrity",
	.category_title = "Code Integrity",
	.kinds = DA_KINDS(DA_EV_FILE_OPEN, DA_EV_FILE_UNLINK, DA_EV_FILE_RENAME, DA_EV_FILE_CHMOD,
			DA_EV_FILE_WRITE, DA_EV_FILE_STAT, DA_EV_PROC_EXEC, DA_EV_PROC_EXIT, DA_EV_OUTPUT,
			DA_EV_TARGET_EXIT, DA_EV_FS_MONITOR),
	.rules = code_integrity_rules,
	.options = da_no_options, /* no keys: any is rejected */
	.init = ci_init,
	.on_event = ci_on_event,
	.finish = ci_finish,
	.destroy = ci_destroy,
};

DYNAUDIT_PLUGIN(code_integrity_plugin)

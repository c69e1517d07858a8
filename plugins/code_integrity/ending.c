/*
 * ending.c — the setup phase and the end of the target
 */
#include "code_integrity.h"

/* ---- the setup phase --------------------------------------------------- */

/* How telling an error line of the setup's stderr is: 3 a compiler
 * diagnostic, a traceback's exception or a crash signature; 2 any other
 * line saying "error"; 1 make's own "*** [...] Error N" (it only repeats
 * that a recipe failed); 0 not an error line. */
static int setup_error_rank(struct code_integrity *st, const char *line)
{
	if (da_str_starts_with(line, "Traceback (most recent call last)")) {
		st->setup_in_traceback = true;
		return 0;
	}
	if (st->setup_in_traceback && line[0] != ' ' && exception_name_len(line) > 0) {
		st->setup_in_traceback = false;
		return 3;
	}
	if (is_compiler_error(line) || crash_signature(line))
		return 3;
	if (strstr(line, "*** ") && strstr(line, "Error "))
		return 1;
	if (strstr(line, "error") || strstr(line, "Error") || strstr(line, "ERROR"))
		return 2;
	return 0;
}

void on_setup_output(struct code_integrity *st, const struct da_event *ev)
{
	if (ev->fd != 2 || !ev->detail)
		return;
	int rank = setup_error_rank(st, ev->detail);
	if (rank > st->setup_error_rank) {
		st->setup_error_rank = rank;
		snprintf(st->setup_error, sizeof(st->setup_error), "%s", ev->detail);
	}
}

/* The first exec of the setup phase is the setup command (target.setup). */
void on_setup_exec(struct code_integrity *st, const struct da_event *ev)
{
	if (st->setup_pid || ev->err != 0 || ev->pid <= 0)
		return;
	st->setup_pid = ev->pid;
	size_t used = 0;
	for (int i = 0; ev->argv && i < ev->argc && used + 1 < sizeof(st->setup_cmd); i++) {
		const char *arg = ev->argv[i] ? ev->argv[i] : "";
		int n = snprintf(st->setup_cmd + used, sizeof(st->setup_cmd) - used, "%s%s",
				 i ? " " : "", i ? arg : da_prog_base_name(arg));
		if (n < 0)
			break;
		used += (size_t)n;
	}
}

void on_setup_exit(struct code_integrity *st, const struct da_event *ev)
{
	if (!st->setup_pid || ev->pid != st->setup_pid || st->setup_failed)
		return;
	st->setup_running = false;
	if (ev->arg[0] == 0 && !ev->detail)
		return; /* the build worked */
	st->setup_failed = true;
	if (ev->detail)
		snprintf(st->setup_status, sizeof(st->setup_status), "was killed by %s", ev->detail);
	else
		snprintf(st->setup_status, sizeof(st->setup_status), "failed with exit %lld",
			 (long long)ev->arg[0]);
	const char *cmd = st->setup_cmd[0] ? st->setup_cmd : "the setup command";
	char msg[1024];
	if (st->setup_error[0])
		snprintf(msg, sizeof(msg), "the setup command `%s` %s, so the target was not run: \"%.500s\"",
			 cmd, st->setup_status, st->setup_error);
	else
		snprintf(msg, sizeof(msg), "the setup command `%s` %s, so the target was not run", cmd,
			 st->setup_status);
	const char *evidence[2];
	size_t n_ev = 0;
	if (st->setup_error[0])
		evidence[n_ev++] = st->setup_error;
	if (ev->text)
		evidence[n_ev++] = ev->text;
	emit(st, "code_integrity.setup_failed", DA_SEV_INFO, ev->pid, ev->time_s, evidence, n_ev,
	     "Fix the build error and re-run the audit", "%s", msg);
}

/* ---- the end of the target ---------------------------------------------- */

static bool is_crash_signal(const char *sig)
{
	static const char *const crash[] = {"SIGSEGV", "SIGBUS", "SIGILL", "SIGFPE",
					    "SIGABRT", "SIGSYS", "SIGTRAP", "SIGIOT"};
	for (size_t i = 0; sig && i < sizeof(crash) / sizeof(crash[0]); i++)
		if (strcmp(sig, crash[i]) == 0)
			return true;
	return false;
}

/* Name of the file to fix: the one the error points at, else the script. */
static const char *file_to_fix(const struct code_integrity *st)
{
	if (st->crash_file[0])
		return st->crash_file;
	return st->script ? st->script : "the program";
}

/* The last non-empty line of the target's stderr (a usage message, an
 * error), or NULL. */
static const char *last_stderr_line(const struct code_integrity *st)
{
	const struct stream *s = &st->out[1];
	unsigned kept = s->n_lines < RING_LINES ? s->n_lines : RING_LINES;
	for (unsigned i = 1; i <= kept; i++) {
		const char *line = s->ring[(s->n_lines - i) % RING_LINES];
		if (line[0])
			return line;
	}
	return NULL;
}

/* Tell how little of the window was seen when the target stopped early.
 * why: what to fix (for END_CRASH: "IndentationError", "crash (SIGSEGV)");
 * how: for END_STATUS "status 2", for END_TERMINATED the signal name. */
void report_early_end(struct code_integrity *st, double t, int pid, enum end_kind kind,
		      const char *why, const char *how)
{
	double window = st->host->run->duration_s;
	if (window <= 0 || t >= 0.25 * window)
		return;
	char ts[32], ws[32], msg[1024], rec[512];
	fmt_seconds(t, ts, sizeof(ts));
	snprintf(ws, sizeof(ws), "%g", window);
	const char *last = last_stderr_line(st);
	if (kind == END_STATUS) {
		/* a deliberate exit (a usage message, a missing input) is no crash */
		snprintf(msg, sizeof(msg),
			 "the target exited early with %s after %ss%s%.300s%s: the audit observed only "
			 "%ss of the %ss window",
			 how, ts, last ? " (last error output: \"" : "", last ? last : "", last ? "\")" : "",
			 ts, ws);
		snprintf(rec, sizeof(rec),
			 "Check why %s exits with %s (a usage message? missing arguments or input?) and "
			 "re-run the audit with a command that keeps it running",
			 file_to_fix(st), how);
	} else if (kind == END_TERMINATED) {
		snprintf(msg, sizeof(msg),
			 "the target was terminated by %s after %ss: the audit observed only %ss of the "
			 "%ss window",
			 how, ts, ts, ws);
		snprintf(rec, sizeof(rec),
			 st->memory_hint ? MEMORY_FIX ", and re-run the audit"
					 : "Find out what sent %s (a limit of the sandbox?) and re-run the audit",
			 how);
	} else {
		snprintf(msg, sizeof(msg),
			 "the audit observed only %ss of the %ss window: an early crash limits what could be seen",
			 ts, ws);
		if (st->memory_hint)
			snprintf(rec, sizeof(rec), "%s, and re-run the audit to observe the full runtime behaviour",
				 MEMORY_FIX);
		else
			snprintf(rec, sizeof(rec),
				 "Fix the %s in %s and re-run the audit to observe the full runtime behaviour",
				 why, file_to_fix(st));
	}
	emit(st, "code_integrity.early_exit", DA_SEV_INFO, pid, t, NULL, 0, rec, "%s", msg);
}

/* The code never ran (a syntax error, a program its interpreter could not
 * load): say so, so the verdict reads as inconclusive (coverage none). */
static void report_not_run(struct code_integrity *st, const struct da_event *ev)
{
	char msg[1024], rec[512];
	if (st->syntax_error) {
		snprintf(msg, sizeof(msg), "Python %s%s%s: the interpreter rejected the code before any of it ran",
			 st->crash_label, st->crash_file[0] ? " in " : "", st->crash_file);
		snprintf(rec, sizeof(rec),
			 "Re-run the audit once %s starts: nothing of the submission's own behaviour was observed",
			 file_to_fix(st));
	} else if (st->load_error[0]) {
		snprintf(msg, sizeof(msg), "the interpreter could not load the program: \"%.400s\"", st->load_error);
		snprintf(rec, sizeof(rec),
			 "Check the target command (target.command) names the submission's entry point, and re-run the audit");
	} else {
		return;
	}
	const char *evidence[1] = {st->load_error[0] ? st->load_error : NULL};
	emit(st, "code_integrity.not_run", DA_SEV_INFO, ev->pid, ev->time_s, evidence,
	     st->load_error[0] ? 1 : 0, rec, "%s", msg);
}

void on_target_exit(struct code_integrity *st, const struct da_event *ev)
{
	st->saw_exit = true;
	st->exit_time_s = ev->time_s;
	if (ev->arg[2] == 1) {
		st->still_running = true;
		return;
	}
	const char *sig = ev->detail;
	bool core = ev->arg[1] != 0;
	char ts[32], why[160], how[64] = "";
	fmt_seconds(ev->time_s, ts, sizeof(ts));
	const char *evidence[2] = {ev->text, NULL};
	size_t n_ev = ev->text ? 1 : 0;
	enum end_kind kind = END_CRASH;

	if (is_crash_signal(sig) || core) {
		emit(st, "code_integrity.crash", DA_SEV_INFO, ev->pid, ev->time_s, evidence, n_ev,
		     "Fix the crash and re-run the audit", "the target crashed after %ss (%s%s)", ts,
		     sig ? sig : "core dumped", sig && core ? ", core dumped" : "");
		if (!st->crash_label[0] || strcmp(st->crash_label, "core dump") == 0)
			snprintf(st->crash_label, sizeof(st->crash_label), "%s",
				 sig ? sig : "core dump");
		snprintf(why, sizeof(why), "crash (%s)", sig ? sig : "core dump");
	} else if (sig) {
		emit(st, "code_integrity.exit_status", DA_SEV_INFO, ev->pid, ev->time_s, evidence, n_ev,
		     NULL, "the target was terminated by %s after %ss%s", sig, ts,
		     st->memory_hint ? ": it had reported running out of memory, " MEMORY_CAUSE : "");
		snprintf(why, sizeof(why), "early termination (%s)", sig);
		snprintf(how, sizeof(how), "%s", sig);
		/* an error printed before the kill still names the fix */
		if (!st->crash_label[0])
			kind = END_TERMINATED;
	} else if (ev->arg[0] != 0) {
		/* a plain exit: the error output that came before it is the best
		 * evidence (a usage message, "error: ..."), unless a crash names it */
		const char *last = st->crash_label[0] ? NULL : last_stderr_line(st);
		if (last)
			evidence[n_ev++] = last;
		emit(st, "code_integrity.exit_status", DA_SEV_INFO, ev->pid, ev->time_s, evidence, n_ev,
		     NULL, "the target exited with status %lld after %ss%s%s%s",
		     (long long)ev->arg[0], ts, st->crash_label[0] ? " (after " : "", st->crash_label,
		     st->crash_label[0] ? ")" : "");
		snprintf(how, sizeof(how), "status %lld", (long long)ev->arg[0]);
		if (!st->crash_label[0]) {
			snprintf(st->crash_label, sizeof(st->crash_label), "Exit status %lld",
				 (long long)ev->arg[0]);
			kind = END_STATUS;
		}
		snprintf(why, sizeof(why), "error that ends it with status %lld",
			 (long long)ev->arg[0]);
	} else {
		return; /* a clean exit 0 */
	}
	/* a known error ("IndentationError") names the fix better than a status */
	if (!sig && !core && kind == END_CRASH && st->crash_label[0])
		snprintf(why, sizeof(why), "%s", st->crash_label);
	report_early_end(st, ev->time_s, ev->pid, kind, why, how);
	report_not_run(st, ev);
}


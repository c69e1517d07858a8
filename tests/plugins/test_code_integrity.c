/*
 * test_code_integrity.c — the "code_integrity" detector fed hand-built
 * events through the real bus: crash signatures in the output, the
 * target's exit, how much of the window it ran, and changes to the
 * submission's own files; silent on a clean, benign run.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"

static void publish(struct harness *h, struct da_event *ev)
{
	cr_assert_eq(harness_publish(h, ev), 0);
}

static void out_line(struct harness *h, int fd, double t, const char *line)
{
	struct da_event ev = ev_make(DA_EV_OUTPUT, 100, t);
	ev.fd = fd;
	ev.detail = line;
	ev.text = line;
	publish(h, &ev);
}

static void target_exit(struct harness *h, double t, int code, const char *sig, int core,
			int still_running)
{
	struct da_event ev = ev_make(DA_EV_TARGET_EXIT, 100, t);
	ev.arg[0] = code;
	ev.detail = sig;
	ev.arg[1] = core;
	ev.arg[2] = still_running;
	ev.text = sig ? "+++ killed by signal +++" : "+++ exited +++";
	publish(h, &ev);
}

static void open_file(struct harness *h, double t, const char *path, int flags, unsigned access,
		      const char *phase, int err)
{
	struct da_event ev = ev_make(DA_EV_FILE_OPEN, 100, t);
	char text[512];
	snprintf(text, sizeof(text), "openat(AT_FDCWD, \"%s\", %#o) = %s", path, flags,
		 err ? "-1 ENOENT (No such file or directory)" : "3");
	ev.syscall = "openat";
	ev.path = path;
	ev.flags = flags;
	ev.access = access;
	ev.mode = 0644;
	ev.fd = err ? -1 : 3;
	ev.result = err ? -1 : 3;
	ev.err = err;
	ev.errname = err ? "ENOENT" : NULL;
	ev.phase = phase;
	ev.text = text;
	publish(h, &ev);
}

static void file_op(struct harness *h, enum da_event_kind kind, double t, const char *sc,
		    const char *path, const char *path2, int err)
{
	struct da_event ev = ev_make(kind, 100, t);
	char text[512];
	snprintf(text, sizeof(text), "%s(\"%s\") = %s", sc, path, err ? "-1 ENOENT" : "0");
	ev.syscall = sc;
	ev.path = path;
	ev.path2 = path2;
	ev.err = err;
	ev.errname = err ? "ENOENT" : NULL;
	ev.result = err ? -1 : 0;
	ev.text = text;
	publish(h, &ev);
}

static const int RD = O_RDONLY | O_CLOEXEC;
static const int WR_NEW = O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC;
static const unsigned ACC_WR_NEW = DA_ACC_WRITE | DA_ACC_CREATE | DA_ACC_TRUNC;

/* The reference submission: python3 server.py dies on an IndentationError. */
static void publish_indentation_crash(struct harness *h)
{
	open_file(h, 0.01, "/home/auditor/app/server.py", RD, DA_ACC_READ, NULL, 0);
	out_line(h, 2, 0.04, "  File \"/home/auditor/app/server.py\", line 11");
	out_line(h, 2, 0.04, "    print(\"listening\")");
	out_line(h, 2, 0.04, "    ^");
	out_line(h, 2, 0.04,
		 "IndentationError: expected an indented block after function definition on line 10");
}

Test(code_integrity, indentation_error_is_info_and_explains_the_short_run)
{
	struct harness *h = harness_new("code_integrity", NULL, NULL);
	publish_indentation_crash(h);
	target_exit(h, 0.05, 1, NULL, 0, 0);
	cr_assert_eq(harness_finish(h), 0);

	const struct harness_finding *f = harness_get(h, "code_integrity.error_output");
	cr_assert_not_null(f);
	cr_assert_eq(f->severity, DA_SEV_INFO);
	cr_assert(strstr(f->message, "IndentationError: expected an indented block after function "
				     "definition on line 10"), "%s", f->message);
	cr_assert(strstr(f->message, "/home/auditor/app/server.py"), "%s", f->message);
	cr_assert(strstr(f->message, "did not even start"), "%s", f->message);
	cr_assert_eq(f->n_evidence, 4);
	cr_assert_str_eq(f->recommendation, "Fix the syntax issue (IndentationError) in server.py to "
					    "allow full runtime evaluation");

	f = harness_get(h, "code_integrity.early_exit");
	cr_assert_not_null(f);
	cr_assert(strstr(f->message, "observed only 0.05s of the 60s window"), "%s", f->message);
	cr_assert_str_eq(f->recommendation, "Fix the IndentationError in server.py and re-run the "
					    "audit to observe the full runtime behaviour");
	cr_assert_not_null(harness_get(h, "code_integrity.exit_status"));
	cr_assert_str_eq(harness_status(h), "info");
	cr_assert_str_eq(harness_observation(h), "IndentationError crash");
	harness_free(h);
}

Test(code_integrity, runtime_traceback_names_the_app_frame)
{
	struct harness *h = harness_new("code_integrity", NULL, NULL);
	out_line(h, 2, 1.0, "Traceback (most recent call last):");
	out_line(h, 2, 1.0, "  File \"/home/auditor/app/server.py\", line 42, in <module>");
	out_line(h, 2, 1.0, "    sock.connect((HOST, PORT))");
	out_line(h, 2, 1.0, "  File \"/usr/lib/python3.11/socket.py\", line 100, in connect");
	out_line(h, 2, 1.0, "ConnectionRefusedError: [Errno 111] Connection refused");
	target_exit(h, 1.1, 1, NULL, 0, 0);
	harness_finish(h);
	const struct harness_finding *f = harness_get(h, "code_integrity.error_output");
	cr_assert_not_null(f);
	cr_assert(strstr(f->message, "ConnectionRefusedError") &&
		  strstr(f->message, "/home/auditor/app/server.py, line 42"), "%s", f->message);
	cr_assert_null(strstr(f->message, "did not even start"));
	cr_assert_str_eq(harness_get(h, "code_integrity.early_exit")->recommendation,
			 "Fix the ConnectionRefusedError in server.py and re-run the audit to "
			 "observe the full runtime behaviour");
	cr_assert_str_eq(harness_observation(h), "ConnectionRefusedError crash");
	harness_free(h);
}

Test(code_integrity, exception_words_in_ordinary_output_are_ignored)
{
	struct harness *h = harness_new("code_integrity", NULL, NULL);
	out_line(h, 1, 1.0, "ValueError: the client sent a bad nickname");
	out_line(h, 1, 1.1, "server listening on 127.0.0.1:5555");
	out_line(h, 2, 1.2, "client disconnected: ConnectionResetError");
	target_exit(h, 60, 0, NULL, 0, 1);
	harness_finish(h);
	cr_assert_eq(harness_count(h, NULL), 0);
	cr_assert_str_eq(harness_observation(h), "None");
	harness_free(h);
}

Test(code_integrity, crash_signatures_of_other_runtimes)
{
	static const char *const lines[] = {
		"Segmentation fault (core dumped)",
		"==12==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x602",
		"main.c:10:5: runtime error: signed integer overflow",
		"panic: runtime error: index out of range [3] with length 3",
		"thread 'main' panicked at src/main.rs:4:5:",
		"Exception in thread \"main\" java.lang.NullPointerException",
		"terminate called after throwing an instance of 'std::runtime_error'",
		"main.c:3:1: error: expected ';' before '}' token",
		"Uncaught TypeError: x is not a function",
	};
	struct harness *h = harness_new("code_integrity", NULL, NULL);
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		out_line(h, 2, 1.0 + (double)i, lines[i]);
	harness_finish(h);
	cr_assert_eq(harness_count(h, "code_integrity.error_output"), 9);
	cr_assert_eq(harness_max_severity(h, NULL), DA_SEV_INFO);
	harness_free(h);
}

Test(code_integrity, java_exception_names_the_crash)
{
	static const char *const cmd[] = {"java", "Main.java", NULL};
	struct harness *h = harness_new_run("code_integrity", NULL, NULL, NULL, cmd, NULL);
	out_line(h, 2, 0.8, "Exception in thread \"main\" java.lang.NullPointerException: Cannot invoke");
	out_line(h, 2, 0.8, "\tat Main.main(Main.java:1)");
	target_exit(h, 0.9, 1, NULL, 0, 0);
	harness_finish(h);
	cr_assert_str_eq(harness_observation(h), "NullPointerException crash");
	cr_assert_str_eq(harness_get(h, "code_integrity.early_exit")->recommendation,
			 "Fix the NullPointerException in Main.java and re-run the audit to observe "
			 "the full runtime behaviour");
	harness_free(h);
}

Test(code_integrity, node_uncaught_error_names_error_and_file)
{
	static const char *const cmd[] = {"node", "srv.js", NULL};
	static const char *const lines[] = {
		"/home/auditor/app/srv.js:2",
		"function f() { return undefined.y; }",
		"                                ^",
		"",
		"TypeError: Cannot read properties of undefined (reading 'y')",
		"    at f (/home/auditor/app/srv.js:2:33)",
		"    at Module._compile (node:internal/modules/cjs/loader:1521:14)",
		"",
		"Node.js v20.20.2",
	};
	struct harness *h = harness_new_run("code_integrity", NULL, NULL, NULL, cmd, NULL);
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		out_line(h, 2, 0.3, lines[i]);
	target_exit(h, 0.3, 1, NULL, 0, 0);
	harness_finish(h);
	const struct harness_finding *f = harness_get(h, "code_integrity.error_output");
	cr_assert_not_null(f);
	cr_assert(strstr(f->message, "TypeError: Cannot read properties") &&
		  strstr(f->message, "/home/auditor/app/srv.js:2"), "%s", f->message);
	cr_assert_eq(harness_count(h, "code_integrity.error_output"), 1);
	cr_assert_str_eq(harness_observation(h), "TypeError crash");
	cr_assert_str_eq(harness_get(h, "code_integrity.early_exit")->recommendation,
			 "Fix the TypeError in srv.js and re-run the audit to observe the full "
			 "runtime behaviour");
	harness_free(h);
}

Test(code_integrity, crash_signal_is_info_and_early)
{
	struct harness *h = harness_new("code_integrity", NULL, NULL);
	target_exit(h, 2.0, -1, "SIGSEGV", 1, 0);
	harness_finish(h);
	const struct harness_finding *f = harness_get(h, "code_integrity.crash");
	cr_assert_not_null(f);
	cr_assert_eq(f->severity, DA_SEV_INFO);
	cr_assert(strstr(f->message, "SIGSEGV") && strstr(f->message, "core dumped"), "%s", f->message);
	cr_assert_not_null(harness_get(h, "code_integrity.early_exit"));
	cr_assert_str_eq(harness_observation(h), "SIGSEGV crash");
	harness_free(h);
}

Test(code_integrity, clean_exit_and_late_failure)
{
	struct harness *h = harness_new("code_integrity", NULL, NULL);
	target_exit(h, 3.0, 0, NULL, 0, 0);
	harness_finish(h);
	cr_assert_eq(harness_count(h, NULL), 0);
	cr_assert_str_eq(harness_observation(h), "None");
	harness_free(h);

	h = harness_new("code_integrity", NULL, NULL);
	target_exit(h, 50.0, 3, NULL, 0, 0);
	harness_finish(h);
	cr_assert_eq(harness_count(h, "code_integrity.exit_status"), 1);
	cr_assert_eq(harness_count(h, "code_integrity.early_exit"), 0);
	harness_free(h);
}

Test(code_integrity, crash_output_without_recorded_exit_still_marks_the_short_run)
{
	struct harness *h = harness_new("code_integrity", NULL, NULL);
	publish_indentation_crash(h);
	harness_finish(h);
	cr_assert_not_null(harness_get(h, "code_integrity.early_exit"));
	cr_assert_str_eq(harness_observation(h), "IndentationError crash");
	harness_free(h);
}

Test(code_integrity, rewriting_its_own_source_is_low)
{
	struct harness *h = harness_new("code_integrity", NULL, NULL);
	open_file(h, 0.01, "/home/auditor/app/server.py", RD, DA_ACC_READ, NULL, 0);
	open_file(h, 5.0, "/home/auditor/app/server.py", WR_NEW, ACC_WR_NEW, NULL, 0);
	harness_finish(h);
	const struct harness_finding *f = harness_get(h, "code_integrity.modifies_source");
	cr_assert_not_null(f);
	cr_assert_eq(f->severity, DA_SEV_MEDIUM);
	cr_assert(strstr(f->message, "its own source /home/auditor/app/server.py"), "%s", f->message);
	cr_assert_eq(f->n_evidence, 1);
	cr_assert_str_eq(harness_status(h), "warn");
	cr_assert_str_eq(harness_observation(h), "Modifies its own source");
	harness_free(h);
}

Test(code_integrity, deleting_or_changing_existing_files)
{
	struct harness *h = harness_new("code_integrity", NULL, NULL);
	/* unlink succeeds only on a file that was there: a pre-existing source */
	file_op(h, DA_EV_FILE_UNLINK, 1.0, "unlink", "/home/auditor/app/utils.py", NULL, 0);
	/* a missing file cannot be modified */
	file_op(h, DA_EV_FILE_UNLINK, 1.1, "unlink", "/home/auditor/app/gone.py", NULL, ENOENT);
	/* inotify alone (a replayed log without syscalls) */
	struct da_event ev = ev_make(DA_EV_FS_MONITOR, 0, 2.0);
	ev.path = "/home/auditor/app/client.js";
	ev.detail = "MODIFY";
	ev.text = "/home/auditor/app/ MODIFY client.js";
	publish(h, &ev);
	/* appending to a data file shipped with the submission: info only */
	open_file(h, 2.5, "/home/auditor/app/users.json", RD, DA_ACC_READ, NULL, 0);
	open_file(h, 3.0, "/home/auditor/app/users.json", O_WRONLY | O_APPEND,
		  DA_ACC_WRITE | DA_ACC_APPEND, NULL, 0);
	harness_finish(h);
	cr_assert_eq(harness_count(h, "code_integrity.modifies_source"), 2);
	cr_assert_eq(harness_count(h, "code_integrity.modifies_file"), 1);
	cr_assert_eq(harness_max_severity(h, "code_integrity.modifies_file"), DA_SEV_INFO);
	harness_free(h);
}

Test(code_integrity, benign_python_run_and_build_are_silent)
{
	static const char *const cmd[] = {"python3", "server.py", NULL};
	struct harness *h = harness_new_run("code_integrity", NULL, NULL, NULL, cmd, NULL);
	/* interpreter start-up */
	open_file(h, 0.001, "/etc/ld.so.cache", RD, DA_ACC_READ, NULL, 0);
	open_file(h, 0.002, "/usr/lib/python3.11/os.py", RD, DA_ACC_READ, NULL, 0);
	open_file(h, 0.003, "/etc/localtime", RD, DA_ACC_READ, NULL, 0);
	open_file(h, 0.004, "/home/auditor/app/server.py", RD, DA_ACC_READ, NULL, 0);
	file_op(h, DA_EV_FILE_STAT, 0.005, "newfstatat", "/home/auditor/app/util.py", NULL, 0);
	/* byte-code caches */
	open_file(h, 0.006, "/home/auditor/app/__pycache__/util.cpython-311.pyc.140", WR_NEW | O_EXCL,
		  ACC_WR_NEW, NULL, 0);
	file_op(h, DA_EV_FILE_RENAME, 0.007, "rename",
		"/home/auditor/app/__pycache__/util.cpython-311.pyc.140",
		"/home/auditor/app/__pycache__/util.cpython-311.pyc", 0);
	/* a log file the run creates, written again later, then rotated */
	struct da_event cr = ev_make(DA_EV_FS_MONITOR, 0, 0.5);
	cr.path = "/home/auditor/app/chat.log";
	cr.detail = "CREATE";
	open_file(h, 0.5, "/home/auditor/app/chat.log", O_WRONLY | O_CREAT | O_APPEND,
		  DA_ACC_WRITE | DA_ACC_CREATE | DA_ACC_APPEND, NULL, 0);
	publish(h, &cr);
	cr.detail = "MODIFY";
	publish(h, &cr);
	open_file(h, 9.0, "/home/auditor/app/chat.log", O_WRONLY | O_APPEND,
		  DA_ACC_WRITE | DA_ACC_APPEND, NULL, 0);
	file_op(h, DA_EV_FILE_RENAME, 9.5, "rename", "/home/auditor/app/chat.log",
		"/home/auditor/app/chat.log.1", 0);
	/* the build (setup phase) rewrites its outputs */
	open_file(h, 0.2, "/home/auditor/app/main.o", WR_NEW, ACC_WR_NEW, "setup", 0);
	open_file(h, 0.3, "/home/auditor/app/server", WR_NEW, ACC_WR_NEW, "setup", 0);
	open_file(h, 0.4, "/home/auditor/app/a.out", WR_NEW, ACC_WR_NEW, NULL, 0);
	/* writes outside the workdir are the file detector's business */
	open_file(h, 1.0, "/tmp/cache.db", WR_NEW, ACC_WR_NEW, NULL, 0);
	out_line(h, 1, 1.0, "Server started on 127.0.0.1:5555");
	target_exit(h, 60.0, -1, "SIGTERM", 0, 1);
	cr_assert_eq(harness_finish(h), 0);
	if (harness_count(h, NULL))
		harness_dump(h);
	cr_assert_eq(harness_count(h, NULL), 0);
	cr_assert_str_eq(harness_status(h), "safe");
	cr_assert_str_eq(harness_observation(h), "None");
	harness_free(h);
}

Test(code_integrity, calls_seen_at_entry_only_prove_nothing)
{
	/* the live tracer: a stat with no result, then sqlite creates its db */
	struct harness *h = harness_new("code_integrity", NULL, NULL);
	struct da_event st = ev_make(DA_EV_FILE_STAT, 100, 0.1);
	st.syscall = "newfstatat";
	st.path = "/home/auditor/app/chat.db";
	st.text = "newfstatat(AT_FDCWD, \"/home/auditor/app/chat.db\", 0x7ffc) = ?";
	publish(h, &st);
	open_file(h, 0.2, "/home/auditor/app/chat.db", O_RDWR | O_CREAT,
		  DA_ACC_READ | DA_ACC_WRITE | DA_ACC_CREATE, NULL, 0);
	struct da_event cr = ev_make(DA_EV_FS_MONITOR, 0, 0.2);
	cr.path = "/home/auditor/app/chat.db";
	cr.detail = "CREATE";
	publish(h, &cr);
	harness_finish(h);
	cr_assert_eq(harness_count(h, NULL), 0);
	harness_free(h);
}

Test(code_integrity, hostile_output_lines_do_not_crash)
{
	struct harness *h = harness_new("code_integrity", NULL, NULL);
	static char huge[70000];
	memset(huge, 'A', sizeof(huge) - 1);
	memcpy(huge, "  File \"", 8);
	out_line(h, 2, 1.0, huge);
	out_line(h, 2, 1.0, "  File \"x");
	out_line(h, 2, 1.0, "  File \"/a\", line ");
	memcpy(huge, "ValueError:", 11);
	out_line(h, 2, 1.0, huge);
	out_line(h, 2, 1.0, "");
	struct da_event ev = ev_make(DA_EV_OUTPUT, 100, 1.0);
	ev.fd = 2; /* detail NULL */
	publish(h, &ev);
	cr_assert_eq(harness_finish(h), 0);
	cr_assert_eq(harness_max_severity(h, NULL), DA_SEV_INFO);
	harness_free(h);
}

Test(code_integrity, unknown_option_is_rejected)
{
	int rc = 0;
	struct harness *h = harness_new("code_integrity", "ignore_crashes: yes\n", &rc);
	cr_assert_eq(rc, -EINVAL);
	cr_assert(strstr(harness_error(h), "ignore_crashes"), "%s", harness_error(h));
	harness_free(h);
}

/* Every kind with empty members, then with hostile ones: no crash, no error. */
Test(code_integrity, empty_and_hostile_events_are_survived)
{
	struct harness *h = harness_new("code_integrity", NULL, NULL);
	harness_publish_hostile_events(h);
	harness_free(h);
}

/* ---- target.setup ---------------------------------------------------------- */

static void setup_exec(struct harness *h, int pid, double t, const char *const *argv, int argc)
{
	struct da_event ev = ev_make(DA_EV_PROC_EXEC, pid, t);
	ev.ppid = 1;
	ev.syscall = "execve";
	ev.path = "/usr/bin/make";
	ev.argv = argv;
	ev.argc = argc;
	ev.phase = "setup";
	ev.text = "execve(\"/usr/bin/make\", [\"make\"], 0x0 /* 6 vars */) = 0";
	publish(h, &ev);
}

static void setup_line(struct harness *h, int fd, double t, const char *line)
{
	struct da_event ev = ev_make(DA_EV_OUTPUT, 0, t);
	ev.fd = fd;
	ev.detail = line;
	ev.text = line;
	ev.phase = "setup";
	publish(h, &ev);
}

static void proc_exit(struct harness *h, int pid, double t, int code, const char *sig,
		      const char *phase)
{
	struct da_event ev = ev_make(DA_EV_PROC_EXIT, pid, t);
	ev.arg[0] = sig ? -1 : code;
	ev.detail = sig;
	ev.phase = phase;
	ev.text = sig ? "+++ killed by SIGKILL +++" : code ? "+++ exited with 2 +++" : "+++ exited with 0 +++";
	publish(h, &ev);
}

/* make fails on a compile error: one info finding naming the command, its
 * status and the compiler's line; the build's output is not a target crash. */
Test(code_integrity, failing_setup_is_reported_once_with_its_error_line)
{
	static const char *const cmd[] = {"./main", NULL};
	static const char *const make_argv[] = {"make", "-j2"};
	struct harness *h = harness_new_run("code_integrity", NULL, NULL, NULL, cmd, NULL);
	setup_exec(h, 2, 0.001, make_argv, 2);
	setup_line(h, 1, 0.002, "cc -o main main.c");
	setup_line(h, 2, 0.02, "main.c: In function 'main':");
	setup_line(h, 2, 0.02, "main.c:2:26: error: expected ';' before 'return'");
	setup_line(h, 2, 0.02, "    2 | int main(void){puts(\"hi\")return 0;}");
	setup_line(h, 2, 0.03, "make: *** [Makefile:2: main] Error 1");
	proc_exit(h, 3, 0.025, 1, NULL, "setup"); /* cc: not the setup root */
	proc_exit(h, 2, 0.03, 2, NULL, "setup");
	cr_assert_eq(harness_finish(h), 0);

	cr_assert_eq(harness_count(h, NULL), 1);
	const struct harness_finding *f = harness_get(h, "code_integrity.setup_failed");
	cr_assert_not_null(f);
	cr_assert_eq(f->severity, DA_SEV_INFO);
	cr_assert(strstr(f->message, "`make -j2` failed with exit 2"), "%s", f->message);
	cr_assert(strstr(f->message, "main.c:2:26: error: expected ';' before 'return'"), "%s",
		  f->message);
	cr_assert(strstr(f->message, "the target was not run"), "%s", f->message);
	cr_assert_str_eq(f->recommendation, "Fix the build error and re-run the audit");
	cr_assert_str_eq(harness_observation(h), "Setup failed");
	harness_free(h);
}

/* Without a compiler line, make's own error line is the evidence; a setup
 * killed by a signal fails too. */
Test(code_integrity, killed_setup_falls_back_to_make_error_line)
{
	static const char *const make_argv[] = {"/usr/bin/make"};
	struct harness *h = harness_new("code_integrity", NULL, NULL);
	setup_exec(h, 2, 0.001, make_argv, 1);
	setup_line(h, 2, 0.5, "make: *** [Makefile:4: all] Error 1");
	proc_exit(h, 2, 0.6, -1, "SIGKILL", "setup");
	cr_assert_eq(harness_finish(h), 0);
	const struct harness_finding *f = harness_get(h, "code_integrity.setup_failed");
	cr_assert_not_null(f);
	cr_assert(strstr(f->message, "`make` was killed by SIGKILL"), "%s", f->message);
	cr_assert(strstr(f->message, "make: *** [Makefile:4: all] Error 1"), "%s", f->message);
	harness_free(h);
}

/* A Python setup script's traceback: the exception line is the error. */
Test(code_integrity, failing_python_setup_names_its_exception)
{
	static const char *const argv[] = {"python3", "setup.py"};
	struct harness *h = harness_new("code_integrity", NULL, NULL);
	setup_exec(h, 2, 0.001, argv, 2);
	setup_line(h, 2, 0.1, "Traceback (most recent call last):");
	setup_line(h, 2, 0.1, "  File \"/home/auditor/app/setup.py\", line 3, in <module>");
	setup_line(h, 2, 0.1, "    import numpyy");
	setup_line(h, 2, 0.1, "ModuleNotFoundError: No module named 'numpyy'");
	proc_exit(h, 2, 0.2, 1, NULL, "setup");
	cr_assert_eq(harness_finish(h), 0);
	cr_assert_eq(harness_count(h, NULL), 1);
	const struct harness_finding *f = harness_get(h, "code_integrity.setup_failed");
	cr_assert_not_null(f);
	cr_assert(strstr(f->message, "`python3 setup.py` failed with exit 1"), "%s", f->message);
	cr_assert(strstr(f->message, "ModuleNotFoundError: No module named 'numpyy'"), "%s",
		  f->message);
	harness_free(h);
}

/* A build that works (warnings and all) and a target that runs clean:
 * nothing, and the target's exits outside the setup are not the setup's. */
Test(code_integrity, successful_setup_is_silent)
{
	static const char *const cmd[] = {"./main", NULL};
	static const char *const make_argv[] = {"make"};
	struct harness *h = harness_new_run("code_integrity", NULL, NULL, NULL, cmd, NULL);
	setup_exec(h, 2, 0.001, make_argv, 1);
	setup_line(h, 2, 0.02, "main.c:3:7: warning: unused variable 'x' [-Wunused-variable]");
	proc_exit(h, 3, 0.03, 0, NULL, "setup");
	proc_exit(h, 2, 0.04, 0, NULL, "setup");
	out_line(h, 1, 0.05, "hello from main");
	proc_exit(h, 4, 0.06, 3, NULL, NULL);
	target_exit(h, 0.06, 0, NULL, 0, 0);
	cr_assert_eq(harness_finish(h), 0);
	if (harness_count(h, NULL))
		harness_dump(h);
	cr_assert_eq(harness_count(h, NULL), 0);
	cr_assert_str_eq(harness_observation(h), "None");
	harness_free(h);
}

/* Live stats come without a result, which is all this detector uses them
 * for: it unsubscribes (ABI 1.1), so the tracer does not stop on them.
 * Replays keep them.  After init the host refuses to change the mask. */
Test(code_integrity, live_runs_do_not_subscribe_to_stats)
{
	uint64_t m[DA_EVMASK_WORDS];
	struct harness *h = harness_new_live("code_integrity", NULL);
	harness_mask(h, m);
	cr_assert_not(DA_EVMASK_HAS(m, DA_EV_FILE_STAT), "live: still subscribed to stat");
	cr_assert(DA_EVMASK_HAS(m, DA_EV_FILE_OPEN));
	cr_assert(DA_EVMASK_HAS(m, DA_EV_OUTPUT));
	const struct da_host *host = harness_host(h);
	uint64_t opens[DA_EVMASK_WORDS] = { (uint64_t)1 << DA_EV_FILE_OPEN, 0 };
	cr_assert_eq(host->unsubscribe(host, opens), -EPERM);
	harness_mask(h, m);
	cr_assert(DA_EVMASK_HAS(m, DA_EV_FILE_OPEN));
	harness_free(h);

	h = harness_new("code_integrity", NULL, NULL);
	harness_mask(h, m);
	cr_assert(DA_EVMASK_HAS(m, DA_EV_FILE_STAT), "replay: stat events are needed");
	harness_free(h);
}

/* ---- live runs: shipped files seen through inotify ------------------------ */

/* A live read-only open: published at entry, its result never seen. */
static void open_unknown(struct harness *h, double t, const char *path, const char *phase)
{
	struct da_event ev = ev_make(DA_EV_FILE_OPEN, 100, t);
	char text[512];
	snprintf(text, sizeof(text), "openat(AT_FDCWD, \"%s\", O_RDONLY|O_CLOEXEC) = ?", path);
	ev.syscall = "openat";
	ev.path = path;
	ev.flags = O_RDONLY | O_CLOEXEC;
	ev.access = DA_ACC_READ;
	ev.phase = phase;
	ev.text = text;
	publish(h, &ev);
}

static void inotify(struct harness *h, double t, const char *path, const char *what)
{
	struct da_event ev = ev_make(DA_EV_FS_MONITOR, 0, t);
	char text[512];
	snprintf(text, sizeof(text), "/home/auditor/app/ %s %s", what, strrchr(path, '/') + 1);
	ev.path = path;
	ev.detail = what;
	ev.text = text;
	publish(h, &ev);
}

/* python3 main.py imports helper.py, then rewrites it and the answers file
 * with open(..., "w"): live, the import proves nothing (= ?), the O_CREAT
 * open could have made a new file; inotify's MODIFY without a CREATE says
 * they were shipped.  Either order of the two witnesses. */
Test(code_integrity, live_rewrite_of_shipped_files_is_found_through_inotify)
{
	for (int inotify_first = 0; inotify_first < 2; inotify_first++) {
		static const char *const cmd[] = {"python3", "main.py", NULL};
		struct harness *h = harness_new_run("code_integrity", NULL, NULL, NULL, cmd, NULL);
		open_unknown(h, 0.01, "/home/auditor/app/main.py", NULL);
		open_unknown(h, 0.02, "/home/auditor/app/helper.py", NULL);
		if (inotify_first) {
			inotify(h, 0.03, "/home/auditor/app/helper.py", "MODIFY");
			inotify(h, 0.03, "/home/auditor/app/answers.json", "MODIFY");
		}
		open_file(h, 0.03, "/home/auditor/app/helper.py", WR_NEW, ACC_WR_NEW, NULL, 0);
		open_file(h, 0.04, "/home/auditor/app/answers.json", WR_NEW, ACC_WR_NEW, NULL, 0);
		if (!inotify_first) {
			inotify(h, 0.05, "/home/auditor/app/helper.py", "MODIFY");
			inotify(h, 0.05, "/home/auditor/app/helper.py", "CLOSE_WRITE,CLOSE");
			inotify(h, 0.05, "/home/auditor/app/answers.json", "MODIFY");
		}
		target_exit(h, 0.06, 0, NULL, 0, 0);
		cr_assert_eq(harness_finish(h), 0);
		const struct harness_finding *f = harness_get(h, "code_integrity.modifies_source");
		cr_assert_not_null(f, "inotify first: %d", inotify_first);
		cr_assert_eq(f->severity, DA_SEV_MEDIUM);
		cr_assert(strstr(f->message, "overwrites its own source /home/auditor/app/helper.py"),
			  "%s", f->message);
		cr_assert(strstr(f->evidence[0], "openat("), "the syscall is the evidence: %s",
			  f->evidence[0]);
		f = harness_get(h, "code_integrity.modifies_file");
		cr_assert_not_null(f);
		cr_assert_eq(f->severity, DA_SEV_INFO);
		cr_assert(strstr(f->message, "/home/auditor/app/answers.json"), "%s", f->message);
		cr_assert_eq(harness_count(h, "code_integrity.modifies_source"), 1);
		cr_assert_str_eq(harness_observation(h), "Modifies its own source");
		harness_free(h);
	}
}

/* make builds ./app in the setup; ./app deletes itself (a build output:
 * fine) and replaces main.c, which the build only read (= ?). */
Test(code_integrity, live_self_delete_of_build_output_is_fine_rewrite_of_source_is_not)
{
	static const char *const cmd[] = {"./app", NULL};
	static const char *const make_argv[] = {"make"};
	struct harness *h = harness_new_run("code_integrity", NULL, NULL, NULL, cmd, NULL);
	setup_exec(h, 2, 0.001, make_argv, 1);
	open_unknown(h, 0.008, "/home/auditor/app/main.c", "setup");
	open_file(h, 0.034, "/home/auditor/app/app", O_RDWR | O_CREAT | O_TRUNC,
		  DA_ACC_READ | ACC_WR_NEW, "setup", 0);
	inotify(h, 0.034, "/home/auditor/app/app", "CREATE");
	inotify(h, 0.045, "/home/auditor/app/app", "MODIFY");
	proc_exit(h, 2, 0.048, 0, NULL, "setup");
	file_op(h, DA_EV_FILE_UNLINK, 0.050, "unlink", "/home/auditor/app/app", NULL, 0);
	open_file(h, 0.0505, "/home/auditor/app/main.c", WR_NEW, ACC_WR_NEW, NULL, 0);
	inotify(h, 0.0506, "/home/auditor/app/app", "DELETE");
	inotify(h, 0.0506, "/home/auditor/app/main.c", "MODIFY");
	target_exit(h, 2.1, 0, NULL, 0, 0);
	cr_assert_eq(harness_finish(h), 0);
	if (harness_count(h, NULL) != 1)
		harness_dump(h);
	cr_assert_eq(harness_count(h, NULL), 1);
	const struct harness_finding *f = harness_get(h, "code_integrity.modifies_source");
	cr_assert_not_null(f);
	cr_assert(strstr(f->message, "overwrites its own source /home/auditor/app/main.c"), "%s",
		  f->message);
	harness_free(h);
}

/* The same program shipped already built: deleting the binary that was run
 * (no CREATE ever seen for it) is removing the submission's own code. */
Test(code_integrity, live_delete_of_shipped_binary_is_reported)
{
	static const char *const cmd[] = {"./app", NULL};
	struct harness *h = harness_new_run("code_integrity", NULL, NULL, NULL, cmd, NULL);
	file_op(h, DA_EV_FILE_UNLINK, 0.05, "unlink", "/home/auditor/app/app", NULL, 0);
	inotify(h, 0.06, "/home/auditor/app/app", "DELETE");
	cr_assert_eq(harness_finish(h), 0);
	const struct harness_finding *f = harness_get(h, "code_integrity.modifies_source");
	cr_assert_not_null(f);
	cr_assert(strstr(f->message, "deletes its own source /home/auditor/app/app"), "%s", f->message);
	harness_free(h);
}

/* Files the run makes, however late inotify reports their CREATE, are its
 * own to rewrite and delete; so is a file made by an earlier O_CREAT open. */
Test(code_integrity, live_files_the_run_creates_stay_silent)
{
	struct harness *h = harness_new_live("code_integrity", NULL);
	/* CREATE reported after the open, then the file is rewritten and deleted */
	open_file(h, 0.1, "/home/auditor/app/out.txt", WR_NEW, ACC_WR_NEW, NULL, 0);
	inotify(h, 0.2, "/home/auditor/app/out.txt", "CREATE");
	inotify(h, 0.2, "/home/auditor/app/out.txt", "MODIFY");
	open_file(h, 0.3, "/home/auditor/app/out.txt", WR_NEW, ACC_WR_NEW, NULL, 0);
	file_op(h, DA_EV_FILE_UNLINK, 0.4, "unlink", "/home/auditor/app/out.txt", NULL, 0);
	inotify(h, 0.5, "/home/auditor/app/out.txt", "MODIFY");
	inotify(h, 0.5, "/home/auditor/app/out.txt", "DELETE");
	/* a new file saved atomically: temp file, then a rename onto a new name */
	open_file(h, 1.0, "/home/auditor/app/results.json.tmp", WR_NEW, ACC_WR_NEW, NULL, 0);
	inotify(h, 1.0, "/home/auditor/app/results.json.tmp", "CREATE");
	file_op(h, DA_EV_FILE_RENAME, 1.1, "rename", "/home/auditor/app/results.json.tmp",
		"/home/auditor/app/results.json", 0);
	inotify(h, 1.2, "/home/auditor/app/results.json.tmp", "MOVED_FROM");
	inotify(h, 1.2, "/home/auditor/app/results.json", "MOVED_TO");
	/* dbm (shelve) probes the names it is about to create (= ?, ENOENT in
	 * fact), then makes its database by a rename */
	open_unknown(h, 2.0, "/home/auditor/app/cache.shelve.db", NULL);
	open_file(h, 2.1, "/home/auditor/app/__db.cache.shelve.db", WR_NEW | O_EXCL, ACC_WR_NEW,
		  NULL, 0);
	inotify(h, 2.1, "/home/auditor/app/__db.cache.shelve.db", "CREATE");
	inotify(h, 2.2, "/home/auditor/app/__db.cache.shelve.db", "MOVED_FROM");
	inotify(h, 2.2, "/home/auditor/app/cache.shelve.db", "MOVED_TO");
	file_op(h, DA_EV_FILE_RENAME, 2.15, "rename", "/home/auditor/app/__db.cache.shelve.db",
		"/home/auditor/app/cache.shelve.db", 0);
	open_file(h, 2.3, "/home/auditor/app/cache.shelve.db", O_RDWR | O_CREAT,
		  DA_ACC_READ | DA_ACC_WRITE | DA_ACC_CREATE, NULL, 0);
	inotify(h, 2.3, "/home/auditor/app/cache.shelve.db", "MODIFY");
	/* `git describe --dirty` refreshes the shipped .git/index */
	open_unknown(h, 3.0, "/home/auditor/app/.git/index", NULL);
	open_file(h, 3.1, "/home/auditor/app/.git/index.lock", WR_NEW | O_EXCL, ACC_WR_NEW, NULL, 0);
	inotify(h, 3.1, "/home/auditor/app/.git/index.lock", "CREATE");
	file_op(h, DA_EV_FILE_RENAME, 3.2, "rename", "/home/auditor/app/.git/index.lock",
		"/home/auditor/app/.git/index", 0);
	inotify(h, 3.3, "/home/auditor/app/.git/index", "MOVED_TO");
	/* ... and a git command appends to its shipped reflog */
	open_file(h, 3.4, "/home/auditor/app/.git/logs/HEAD", O_WRONLY | O_CREAT | O_APPEND,
		  DA_ACC_WRITE | DA_ACC_CREATE | DA_ACC_APPEND, NULL, 0);
	inotify(h, 3.5, "/home/auditor/app/.git/logs/HEAD", "MODIFY");
	cr_assert_eq(harness_finish(h), 0);
	if (harness_count(h, NULL))
		harness_dump(h);
	cr_assert_eq(harness_count(h, NULL), 0);
	harness_free(h);
}

/* Atomic replacement of a shipped source (write a temp file, rename it over
 * helper.py): inotify only says MOVED_TO, which a new name says too; a
 * source name was there. */
Test(code_integrity, live_rename_over_a_shipped_source_is_reported)
{
	struct harness *h = harness_new_live("code_integrity", NULL);
	open_file(h, 1.0, "/home/auditor/app/helper.py.new", WR_NEW, ACC_WR_NEW, NULL, 0);
	inotify(h, 1.0, "/home/auditor/app/helper.py.new", "CREATE");
	inotify(h, 1.05, "/home/auditor/app/helper.py.new", "MOVED_FROM");
	inotify(h, 1.05, "/home/auditor/app/helper.py", "MOVED_TO");
	file_op(h, DA_EV_FILE_RENAME, 1.04, "rename", "/home/auditor/app/helper.py.new",
		"/home/auditor/app/helper.py", 0);
	cr_assert_eq(harness_finish(h), 0);
	const struct harness_finding *f = harness_get(h, "code_integrity.modifies_source");
	cr_assert_not_null(f);
	cr_assert(strstr(f->message, "replaces its own source /home/auditor/app/helper.py"), "%s",
		  f->message);
	cr_assert_eq(harness_count(h, NULL), 1);
	harness_free(h);
}

/* A logger appends to the app.log shipped with the submission and rotates
 * it (app.log -> app.log.1, a new app.log): one info finding for the shipped
 * log, none for the files the rotation makes. */
Test(code_integrity, live_rotation_of_a_shipped_log_is_one_info_finding)
{
	static const int APPEND = O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC;
	static const unsigned ACC_APPEND = DA_ACC_WRITE | DA_ACC_CREATE | DA_ACC_APPEND;
	struct harness *h = harness_new_live("code_integrity", NULL);
	open_file(h, 0.028, "/home/auditor/app/app.log", APPEND, ACC_APPEND, NULL, 0);
	inotify(h, 0.029, "/home/auditor/app/app.log", "MODIFY");
	file_op(h, DA_EV_FILE_RENAME, 0.030, "rename", "/home/auditor/app/app.log",
		"/home/auditor/app/app.log.1", 0);
	open_file(h, 0.0305, "/home/auditor/app/app.log", APPEND, ACC_APPEND, NULL, 0);
	inotify(h, 0.031, "/home/auditor/app/app.log", "MOVED_FROM");
	inotify(h, 0.031, "/home/auditor/app/app.log.1", "MOVED_TO");
	inotify(h, 0.031, "/home/auditor/app/app.log", "CREATE");
	inotify(h, 0.031, "/home/auditor/app/app.log", "MODIFY");
	file_op(h, DA_EV_FILE_RENAME, 0.032, "rename", "/home/auditor/app/app.log.1",
		"/home/auditor/app/app.log.2", 0);
	inotify(h, 0.033, "/home/auditor/app/app.log.1", "MOVED_FROM");
	inotify(h, 0.033, "/home/auditor/app/app.log.2", "MOVED_TO");
	file_op(h, DA_EV_FILE_UNLINK, 0.034, "unlink", "/home/auditor/app/app.log.2", NULL, 0);
	inotify(h, 0.035, "/home/auditor/app/app.log.2", "DELETE");
	cr_assert_eq(harness_finish(h), 0);
	if (harness_count(h, NULL) != 1)
		harness_dump(h);
	cr_assert_eq(harness_count(h, NULL), 1);
	const struct harness_finding *f = harness_get(h, "code_integrity.modifies_file");
	cr_assert_not_null(f);
	cr_assert_eq(f->severity, DA_SEV_INFO);
	cr_assert(strstr(f->message, "its own file /home/auditor/app/app.log"), "%s", f->message);
	cr_assert_str_eq(harness_status(h), "info");
	harness_free(h);
}

/* A strace log has results but maybe no inotify: an O_CREAT open of a file
 * never seen before is a new file (as before), a shipped one read first is
 * not. */
Test(code_integrity, recorded_log_without_inotify_keeps_its_rules)
{
	struct harness *h = harness_new("code_integrity", NULL, NULL);
	open_file(h, 0.1, "/home/auditor/app/report.txt", WR_NEW, ACC_WR_NEW, NULL, 0);
	open_file(h, 0.2, "/home/auditor/app/config.json", RD, DA_ACC_READ, NULL, 0);
	open_file(h, 0.3, "/home/auditor/app/config.json", WR_NEW, ACC_WR_NEW, NULL, 0);
	cr_assert_eq(harness_finish(h), 0);
	cr_assert_eq(harness_count(h, NULL), 1);
	cr_assert_not_null(harness_find(h, "code_integrity.modifies_file", "config.json"));
	harness_free(h);
}

/* ---- how the target ended ---------------------------------------------------- */

/* HotSpot cannot get memory: its '#' report on stdout is a runtime crash,
 * and the sandbox's memory limit is the likely cause. */
Test(code_integrity, jvm_out_of_memory_names_the_sandbox_limit)
{
	static const char *const cmd[] = {"java", "ChatServer.java", NULL};
	static const char *const lines[] = {
		"#",
		"# There is insufficient memory for the Java Runtime Environment to continue.",
		"# Native memory allocation (mmap) failed to map 6225920 bytes. Error detail: "
		"committing reserved memory.",
		"# An error report file with more information is saved as:",
		"# /home/auditor/app/hs_err_pid2.log",
	};
	struct harness *h = harness_new_run("code_integrity", NULL, NULL, NULL, cmd, NULL);
	out_line(h, 2, 0.038, "OpenJDK 64-Bit Server VM warning: INFO: os::commit_memory("
			      "0x00007f703b5d0000, 6225920, 0) failed; error='Not enough space' (errno=12)");
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		out_line(h, 1, 0.039, lines[i]);
	target_exit(h, 0.056, 1, NULL, 0, 0);
	cr_assert_eq(harness_finish(h), 0);
	cr_assert_eq(harness_count(h, "code_integrity.error_output"), 1);
	const struct harness_finding *f = harness_get(h, "code_integrity.error_output");
	cr_assert_eq(f->severity, DA_SEV_INFO);
	cr_assert(strstr(f->message, "insufficient memory for the Java Runtime Environment"), "%s",
		  f->message);
	cr_assert(strstr(f->message, "sandbox.limits.memory"), "%s", f->message);
	cr_assert(strstr(f->recommendation, "sandbox.limits.memory"), "%s", f->recommendation);
	cr_assert_str_eq(harness_observation(h), "JVM out of memory crash");
	f = harness_get(h, "code_integrity.early_exit");
	cr_assert_not_null(f);
	cr_assert(strstr(f->message, "early crash"), "%s", f->message);
	cr_assert(strstr(f->recommendation, "sandbox.limits.memory"), "%s", f->recommendation);
	cr_assert(strstr(harness_find(h, "code_integrity.exit_status", "")->message,
			 "after JVM out of memory"));
	harness_free(h);
}

/* A crash inside the VM (its own SIGSEGV handler reports it, then aborts). */
Test(code_integrity, jvm_fatal_error_is_a_runtime_crash)
{
	static const char *const lines[] = {
		"#",
		"# A fatal error has been detected by the Java Runtime Environment:",
		"#",
		"#  SIGSEGV (0xb) at pc=0x00007f3c8a1b2c3d, pid=2, tid=3",
		"#",
		"# An error report file with more information is saved as:",
		"# /home/auditor/app/hs_err_pid2.log",
	};
	struct harness *h = harness_new("code_integrity", NULL, NULL);
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		out_line(h, 1, 1.0, lines[i]);
	target_exit(h, 1.1, -1, "SIGABRT", 1, 0);
	cr_assert_eq(harness_finish(h), 0);
	cr_assert_eq(harness_count(h, "code_integrity.error_output"), 1);
	const struct harness_finding *f = harness_get(h, "code_integrity.error_output");
	cr_assert(strstr(f->message, "JVM fatal error") && strstr(f->message, "crashed"), "%s",
		  f->message);
	cr_assert_null(strstr(f->message, "memory"), "%s", f->message);
	cr_assert_not_null(harness_get(h, "code_integrity.crash"));
	cr_assert_str_eq(harness_observation(h), "JVM fatal error crash");

	/* the report file alone (its header went to a stream not captured) */
	h = (harness_free(h), harness_new("code_integrity", NULL, NULL));
	out_line(h, 1, 1.0, "# /home/auditor/app/hs_err_pid7.log");
	out_line(h, 1, 1.0, "see /home/auditor/app/hs_err_pid7.log.txt for details");
	cr_assert_eq(harness_finish(h), 0);
	cr_assert_eq(harness_count(h, "code_integrity.error_output"), 1);
	harness_free(h);
}

/* A program that prints its usage and exits 2 did not crash: it exited
 * early, and the report says so and shows the usage line. */
Test(code_integrity, usage_exit_is_an_early_exit_not_a_crash)
{
	static const char *const cmd[] = {"python3", "calc.py", NULL};
	struct harness *h = harness_new_run("code_integrity", NULL, NULL, NULL, cmd, NULL);
	out_line(h, 2, 0.02, "usage: calc.py A B   (prints A/B)");
	target_exit(h, 0.02, 2, NULL, 0, 0);
	cr_assert_eq(harness_finish(h), 0);
	const struct harness_finding *f = harness_get(h, "code_integrity.early_exit");
	cr_assert_not_null(f);
	cr_assert_null(strstr(f->message, "crash"), "%s", f->message);
	cr_assert(strstr(f->message, "exited early with status 2 after 0.02s"), "%s", f->message);
	cr_assert(strstr(f->message, "usage: calc.py A B"), "%s", f->message);
	cr_assert(strstr(f->message, "observed only 0.02s of the 60s window"), "%s", f->message);
	cr_assert(strstr(f->recommendation, "calc.py exits with status 2"), "%s", f->recommendation);
	cr_assert_null(strstr(f->recommendation, "Fix the error"), "%s", f->recommendation);
	f = harness_get(h, "code_integrity.exit_status");
	cr_assert_not_null(f);
	cr_assert_eq(f->n_evidence, 2);
	cr_assert_str_eq(f->evidence[1], "usage: calc.py A B   (prints A/B)");
	cr_assert_str_eq(harness_observation(h), "Exit status 2");
	cr_assert_eq(harness_max_severity(h, NULL), DA_SEV_INFO);
	harness_free(h);

	/* a traceback before the exit is still a crash */
	h = harness_new("code_integrity", NULL, NULL);
	publish_indentation_crash(h);
	target_exit(h, 0.05, 1, NULL, 0, 0);
	cr_assert_eq(harness_finish(h), 0);
	cr_assert(strstr(harness_get(h, "code_integrity.early_exit")->message, "early crash"));
	harness_free(h);
}

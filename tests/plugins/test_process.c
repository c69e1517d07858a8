/*
 * test_process.c — the "process" detector fed hand-built events through
 * the real bus: every rule fires on its behaviour and stays silent on a
 * benign run (a Python interpreter start-up, a build then ./a.out).
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"

#define SH_MAX_ARGS 8

static void publish_exec(struct harness *h, int pid, double t, const char *path,
			 const char *const *argv, const char *phase, int err)
{
	struct da_event ev = ev_make(DA_EV_PROC_EXEC, pid, t);
	char text[512];
	int argc = 0;
	while (argv[argc])
		argc++;
	snprintf(text, sizeof(text), "execve(\"%s\", [\"%s\"...]) = %s", path, argv[0],
		 err ? "-1 ENOENT (No such file or directory)" : "0");
	ev.syscall = "execve";
	ev.path = path;
	ev.raw_path = path;
	ev.argv = argv;
	ev.argc = argc;
	ev.phase = phase;
	ev.err = err;
	ev.errname = err ? "ENOENT" : NULL;
	ev.result = err ? -1 : 0;
	ev.text = text;
	cr_assert_eq(harness_publish(h, &ev), 0);
}

static void publish_fork(struct harness *h, int pid, int child, double t, const char *phase)
{
	struct da_event ev = ev_make(DA_EV_PROC_FORK, pid, t);
	char text[128];
	snprintf(text, sizeof(text), "clone(child_stack=NULL, flags=SIGCHLD) = %d", child);
	ev.syscall = "clone";
	ev.target_pid = child;
	ev.result = child;
	ev.flags = 17;
	ev.detail = "process";
	ev.phase = phase;
	ev.text = text;
	cr_assert_eq(harness_publish(h, &ev), 0);
}

static void publish_exit(struct harness *h, int pid, double t)
{
	struct da_event ev = ev_make(DA_EV_PROC_EXIT, pid, t);
	ev.text = "+++ exited with 0 +++";
	cr_assert_eq(harness_publish(h, &ev), 0);
}

static void publish_open(struct harness *h, int pid, double t, const char *path, int flags,
			 unsigned access, int mode, const char *phase)
{
	struct da_event ev = ev_make(DA_EV_FILE_OPEN, pid, t);
	char text[512];
	snprintf(text, sizeof(text), "openat(AT_FDCWD, \"%s\", 0%o) = 3", path, flags);
	ev.syscall = "openat";
	ev.path = path;
	ev.raw_path = path;
	ev.flags = flags;
	ev.access = access;
	ev.mode = mode;
	ev.fd = 3;
	ev.result = 3;
	ev.phase = phase;
	ev.text = text;
	cr_assert_eq(harness_publish(h, &ev), 0);
}

/* What `python3 server.py` does in its first milliseconds. */
static void python_startup(struct harness *h, int pid)
{
	static const char *const argv[] = {"python3", "server.py", NULL};
	publish_exec(h, pid, 0.0, "/usr/bin/python3.11", argv, NULL, 0);
	publish_open(h, pid, 0.01, "/etc/ld.so.cache", O_RDONLY | O_CLOEXEC, DA_ACC_READ, 0, NULL);
	publish_open(h, pid, 0.02, "/usr/lib/python3.11/encodings/__pycache__/__init__.cpython-311.pyc",
		     O_RDONLY | O_CLOEXEC, DA_ACC_READ, 0, NULL);
	publish_open(h, pid, 0.03, "/home/auditor/app/server.py", O_RDONLY | O_CLOEXEC, DA_ACC_READ, 0, NULL);
	publish_open(h, pid, 0.04, "/home/auditor/app/__pycache__/chat.cpython-311.pyc.140234",
		     O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, DA_ACC_WRITE | DA_ACC_CREATE, 0644, NULL);
	publish_open(h, pid, 0.05, "/etc/localtime", O_RDONLY | O_CLOEXEC, DA_ACC_READ, 0, NULL);
}

static bool message_has(const struct harness *h, const char *rule, const char *text)
{
	const struct harness_finding *f = harness_get(h, rule);
	return f && strstr(f->message, text);
}

Test(process, python_startup_is_silent)
{
	struct harness *h = harness_new("process", "allow_exec: [python3]\n", NULL);
	python_startup(h, 100);
	publish_exit(h, 100, 0.5);
	harness_finish(h);
	cr_expect_lt(harness_max_severity(h, NULL), DA_SEV_LOW);
	cr_expect_str_eq(harness_status(h), "safe");
	cr_expect_str_eq(harness_observation(h), "None");
	harness_free(h);
}

Test(process, own_command_allowed_without_config)
{
	struct harness *h = harness_new("process", NULL, NULL);
	python_startup(h, 100);
	harness_finish(h);
	cr_expect_eq(harness_count(h, NULL), 0, "own command must be allowed");
	harness_free(h);
}

Test(process, shell_with_recon_fires)
{
	struct harness *h = harness_new("process", NULL, NULL);
	python_startup(h, 100);
	publish_fork(h, 100, 101, 1.0, NULL);
	static const char *const argv[] = {"/bin/sh", "-c", "id; uname -a | tee /tmp/x", NULL};
	publish_exec(h, 101, 1.1, "/usr/bin/dash", argv, NULL, 0);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "process.shell"), DA_SEV_HIGH);
	cr_expect(message_has(h, "process.shell", "id; uname -a"), "the -c string is in the message");
	cr_expect_eq(harness_count(h, "process.recon"), 2, "id and uname are listed");
	cr_expect_eq(harness_max_severity(h, "process.recon"), DA_SEV_MEDIUM);
	const struct harness_finding *f = harness_get(h, "process.shell");
	cr_assert(f);
	cr_expect_eq(f->n_evidence, 1);
	cr_expect_not_null(f->recommendation);
	cr_expect_str_eq(harness_status(h), "fail");
	harness_dump(h);
	harness_free(h);
}

Test(process, allowed_shell_still_reports_recon)
{
	struct harness *h = harness_new("process", "allow_exec: [sh, dash]\n", NULL);
	python_startup(h, 100);
	publish_fork(h, 100, 101, 1.0, NULL);
	static const char *const argv[] = {"sh", "-c", "whoami", NULL};
	publish_exec(h, 101, 1.1, "/usr/bin/dash", argv, NULL, 0);
	static const char *const ok[] = {"sh", "-c", "ls -l > listing.txt", NULL};
	publish_exec(h, 102, 1.2, "/usr/bin/dash", ok, NULL, 0);
	harness_finish(h);
	cr_expect_eq(harness_count(h, "process.shell"), 0);
	cr_expect_eq(harness_count(h, "process.recon"), 1);
	cr_expect(message_has(h, "process.recon", "whoami"));
	harness_free(h);
}

Test(process, failed_shell_exec_is_an_attempt)
{
	struct harness *h = harness_new("process", NULL, NULL);
	python_startup(h, 100);
	static const char *const argv[] = {"bash", "-i", NULL};
	publish_exec(h, 101, 1.1, "/bin/bash", argv, NULL, ENOENT);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "process.shell"), DA_SEV_HIGH);
	const struct harness_finding *f = harness_get(h, "process.shell");
	cr_assert(f);
	cr_assert_eq(f->n_evidence, 1);
	cr_expect(strstr(f->evidence[0], "ENOENT"), "the failed result is in the evidence");
	harness_free(h);
}

Test(process, unlisted_exec_and_allow_list)
{
	static const char *const argv[] = {"curl", "-s", "http://example.invalid/", NULL};
	struct harness *h = harness_new("process", NULL, NULL);
	python_startup(h, 100);
	publish_exec(h, 101, 1.0, "/usr/bin/curl", argv, NULL, 0);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "process.exec_unlisted"), DA_SEV_MEDIUM);
	cr_expect(message_has(h, "process.exec_unlisted", "curl -s"));
	cr_expect_str_eq(harness_status(h), "warn");
	harness_free(h);

	const char *configs[] = {"allow_exec: [curl]\n", "allow_exec: [\"/usr/bin/*\"]\n",
				 "allow_exec: [\"cu*\"]\n"};
	for (size_t i = 0; i < 3; i++) {
		h = harness_new("process", configs[i], NULL);
		publish_exec(h, 101, 1.0, "/usr/bin/curl", argv, NULL, 0);
		harness_finish(h);
		cr_expect_eq(harness_count(h, NULL), 0, "config %s must allow curl", configs[i]);
		harness_free(h);
	}
}

Test(process, exec_from_writable_places)
{
	static const char *const argv[] = {"./payload", NULL};
	struct harness *h = harness_new("process", NULL, NULL);
	python_startup(h, 100);
	publish_exec(h, 101, 1.0, "/tmp/payload", argv, NULL, 0);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "process.exec_writable"), DA_SEV_HIGH);
	cr_expect_eq(harness_count(h, "process.exec_unlisted"), 0, "one finding per exec");
	harness_free(h);

	/* a file the program itself wrote in the workdir, then ran */
	h = harness_new("process", NULL, NULL);
	python_startup(h, 100);
	publish_open(h, 100, 1.0, "/home/auditor/app/helper", O_WRONLY | O_CREAT | O_TRUNC,
		     DA_ACC_WRITE | DA_ACC_CREATE | DA_ACC_TRUNC, 0755, NULL);
	static const char *const helper[] = {"./helper", NULL};
	publish_exec(h, 102, 1.5, "/home/auditor/app/helper", helper, NULL, 0);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "process.exec_writable"), DA_SEV_HIGH);
	harness_free(h);

	/* HOME outside the workdir */
	h = harness_new("process", NULL, NULL);
	static const char *const dot[] = {"/home/auditor/.cache/x", NULL};
	publish_exec(h, 103, 1.5, "/home/auditor/.cache/x", dot, NULL, 0);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "process.exec_writable"), DA_SEV_HIGH);
	harness_free(h);
}

Test(process, memfd_exec_is_critical)
{
	struct harness *h = harness_new("process", NULL, NULL);
	python_startup(h, 100);
	struct da_event ev = ev_make(DA_EV_PROC_EXEC, 100, 2.0);
	static const char *const argv[] = {"[kworker]", NULL};
	ev.syscall = "execveat";
	ev.path = "/memfd:x (deleted)";
	ev.detail = "memfd";
	ev.fd = 4;
	ev.argv = argv;
	ev.argc = 1;
	ev.text = "execveat(4, \"\", [\"[kworker]\"], NULL, AT_EMPTY_PATH) = 0";
	harness_publish(h, &ev);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "process.memfd_exec"), DA_SEV_CRITICAL);
	harness_free(h);
}

Test(process, recon_commands_direct)
{
	struct harness *h = harness_new("process", NULL, NULL);
	python_startup(h, 100);
	static const char *const id[] = {"id", NULL};
	static const char *const cat_etc[] = {"cat", "/etc/os-release", NULL};
	static const char *const find_root[] = {"find", "/", "-perm", "-4000", NULL};
	static const char *const env_alone[] = {"env", NULL};
	publish_exec(h, 101, 1.0, "/usr/bin/id", id, NULL, 0);
	publish_exec(h, 102, 1.1, "/usr/bin/cat", cat_etc, NULL, 0);
	publish_exec(h, 103, 1.2, "/usr/bin/find", find_root, NULL, 0);
	publish_exec(h, 104, 1.3, "/usr/bin/env", env_alone, NULL, 0);
	harness_finish(h);
	cr_expect_eq(harness_count(h, "process.recon"), 4);
	cr_expect_eq(harness_max_severity(h, "process.recon"), DA_SEV_MEDIUM);
	harness_free(h);

	/* cat of its own file and env running a program are not recon */
	h = harness_new("process", "allow_exec: [cat, env, python3]\n", NULL);
	static const char *const cat_own[] = {"cat", "notes.txt", NULL};
	static const char *const env_run[] = {"env", "LANG=C", "python3", "x.py", NULL};
	publish_exec(h, 101, 1.0, "/usr/bin/cat", cat_own, NULL, 0);
	publish_exec(h, 102, 1.1, "/usr/bin/env", env_run, NULL, 0);
	harness_finish(h);
	cr_expect_eq(harness_count(h, NULL), 0);
	harness_free(h);
}

Test(process, setsid_in_child_is_daemonizing)
{
	struct harness *h = harness_new("process", NULL, NULL);
	python_startup(h, 100);
	publish_fork(h, 100, 101, 1.0, NULL);
	struct da_event ev = ev_make(DA_EV_PROC_SESSION, 101, 1.1);
	ev.syscall = "setsid";
	ev.result = 101;
	ev.text = "setsid() = 101";
	harness_publish(h, &ev);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "process.daemon"), DA_SEV_MEDIUM);
	harness_free(h);

	/* the main process itself calling setsid is not a detached child */
	h = harness_new("process", NULL, NULL);
	python_startup(h, 100);
	ev = ev_make(DA_EV_PROC_SESSION, 100, 1.1);
	ev.syscall = "setsid";
	harness_publish(h, &ev);
	harness_finish(h);
	cr_expect_eq(harness_count(h, "process.daemon"), 0);
	harness_free(h);
}

Test(process, double_fork_and_outliving)
{
	struct harness *h = harness_new("process", NULL, NULL);
	python_startup(h, 100);
	publish_fork(h, 100, 101, 1.0, NULL);
	publish_fork(h, 101, 102, 1.1, NULL);
	publish_exit(h, 101, 1.2);
	publish_exit(h, 102, 5.0); /* lived on 3.8 s after its parent */
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "process.daemon"), DA_SEV_MEDIUM);
	harness_free(h);

	/* a child still running when the main program exited */
	h = harness_new("process", NULL, NULL);
	python_startup(h, 100);
	publish_fork(h, 100, 101, 1.0, NULL);
	publish_exit(h, 100, 2.0);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "process.daemon"), DA_SEV_MEDIUM);
	harness_free(h);

	/* children reaped before their parent ends, or the window closing on a
	 * running program, are not daemons */
	h = harness_new("process", NULL, NULL);
	python_startup(h, 100);
	publish_fork(h, 100, 101, 1.0, NULL);
	publish_exit(h, 101, 1.5);
	publish_fork(h, 100, 102, 2.0, NULL);
	struct da_event end = ev_make(DA_EV_TARGET_EXIT, 100, 60.0);
	end.arg[0] = -1;
	end.arg[2] = 1;
	harness_publish(h, &end);
	harness_finish(h);
	cr_expect_eq(harness_count(h, "process.daemon"), 0);
	harness_free(h);
}

Test(process, runaway_process_creation)
{
	struct harness *h = harness_new("process", "max_processes: 10\n", NULL);
	python_startup(h, 100);
	for (int i = 0; i < 12; i++)
		publish_fork(h, 100, 200 + i, 1.0 + i * 0.01, NULL);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "process.runaway"), DA_SEV_HIGH);
	cr_expect_eq(harness_count(h, "process.runaway"), 1);
	harness_free(h);

	/* threads are not processes */
	h = harness_new("process", "max_processes: 10\n", NULL);
	python_startup(h, 100);
	for (int i = 0; i < 20; i++) {
		struct da_event ev = ev_make(DA_EV_PROC_FORK, 100, 1.0);
		ev.target_pid = 300 + i;
		ev.flags = 0x3d0f00;
		ev.detail = "thread";
		harness_publish(h, &ev);
	}
	harness_finish(h);
	cr_expect_eq(harness_count(h, "process.runaway"), 0);
	harness_free(h);

	/* fork failing with EAGAIN */
	h = harness_new("process", NULL, NULL);
	python_startup(h, 100);
	struct da_event ev = ev_make(DA_EV_PROC_FORK, 100, 1.0);
	ev.target_pid = -1;
	ev.result = -1;
	ev.err = EAGAIN;
	ev.errname = "EAGAIN";
	ev.detail = "process";
	ev.text = "clone(...) = -1 EAGAIN (Resource temporarily unavailable)";
	harness_publish(h, &ev);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "process.runaway"), DA_SEV_HIGH);
	harness_free(h);
}

Test(process, make_then_a_out_is_silent)
{
	static const char *const command[] = {"./a.out", NULL};
	struct harness *h = harness_new_run("process", "allow_exec: [make]\n", NULL, NULL, command, NULL);
	static const char *const make[] = {"make", NULL};
	static const char *const sh[] = {"/bin/sh", "-c", "cc -o a.out main.c", NULL};
	static const char *const cc[] = {"cc", "-o", "a.out", "main.c", NULL};
	static const char *const cc1[] = {"/usr/libexec/gcc/x86_64-linux-gnu/12/cc1", "main.c", NULL};
	static const char *const as[] = {"as", "-o", "/tmp/cc1.o", "/tmp/cc2.s", NULL};
	static const char *const ld[] = {"/usr/bin/ld", "-o", "a.out", NULL};
	static const char *const run[] = {"./a.out", NULL};
	publish_exec(h, 10, 0.0, "/usr/bin/make", make, "setup", 0);
	publish_fork(h, 10, 11, 0.1, "setup");
	publish_exec(h, 11, 0.1, "/usr/bin/dash", sh, "setup", 0);
	publish_exec(h, 11, 0.2, "/usr/bin/x86_64-linux-gnu-gcc-12", cc, "setup", 0);
	publish_exec(h, 12, 0.3, "/usr/libexec/gcc/x86_64-linux-gnu/12/cc1", cc1, "setup", 0);
	publish_exec(h, 13, 0.4, "/usr/bin/x86_64-linux-gnu-as", as, "setup", 0);
	publish_exec(h, 14, 0.5, "/usr/bin/x86_64-linux-gnu-ld.bfd", ld, "setup", 0);
	publish_open(h, 14, 0.6, "/home/auditor/app/a.out", O_RDWR | O_CREAT | O_TRUNC,
		     DA_ACC_READ | DA_ACC_WRITE | DA_ACC_CREATE | DA_ACC_TRUNC, 0777, "setup");
	publish_exec(h, 100, 1.0, "/home/auditor/app/a.out", run, NULL, 0);
	publish_exit(h, 100, 1.5);
	harness_finish(h);
	harness_dump(h);
	cr_expect_lt(harness_max_severity(h, NULL), DA_SEV_LOW);
	harness_free(h);
}

Test(process, config_errors)
{
	int rc = 0;
	struct harness *h = harness_new("process", "allow_exec: [python3]\nallow_shell: yes\n", &rc);
	cr_expect_eq(rc, -EINVAL);
	cr_expect(strstr(harness_error(h), "allow_shell"), "error names the key: %s", harness_error(h));
	cr_expect(strstr(harness_error(h), ":"), "error starts with file:line");
	harness_free(h);

	h = harness_new("process", "max_processes: lots\n", &rc);
	cr_expect_eq(rc, -EINVAL);
	cr_expect(strstr(harness_error(h), "max_processes"));
	harness_free(h);
}

Test(process, hostile_events_do_not_crash)
{
	static char long_path[9000];
	memset(long_path, 'a', sizeof(long_path) - 1);
	long_path[0] = '/';
	static const char *const holes[] = {"sh", NULL, "-c", NULL};
	struct harness *h = harness_new("process", NULL, NULL);
	enum da_event_kind kinds[] = {DA_EV_PROC_EXEC, DA_EV_PROC_FORK, DA_EV_PROC_EXIT,
				      DA_EV_PROC_SESSION, DA_EV_FILE_OPEN, DA_EV_FILE_RENAME,
				      DA_EV_FILE_CHMOD, DA_EV_TARGET_EXIT};
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		struct da_event ev = ev_make(kinds[i], 0, 0);
		cr_expect_eq(harness_publish(h, &ev), 0, "empty event of kind %d", kinds[i]);
		ev.path = long_path;
		ev.argc = 3;
		ev.argv = holes;
		ev.access = DA_ACC_WRITE;
		ev.target_pid = 5;
		cr_expect_eq(harness_publish(h, &ev), 0);
	}
	/* a shell script far longer than the scanner's buffer */
	static char script[6000];
	memset(script, 'x', sizeof(script) - 1);
	memcpy(script, "id;", 3);
	static const char *const sh[] = {"sh", "-c", script, NULL};
	struct da_event ev = ev_make(DA_EV_PROC_EXEC, 7, 1);
	ev.path = "/bin/sh";
	ev.argv = sh;
	ev.argc = 3;
	cr_expect_eq(harness_publish(h, &ev), 0);
	cr_expect_eq(harness_finish(h), 0);
	cr_expect_eq(harness_count(h, "process.recon"), 1, "recon before the cut is still seen");
	harness_free(h);
}

Test(process, setup_command_is_allowed)
{
	struct harness *h = harness_new("process", NULL, NULL);
	static const char *const pip[] = {"pip3", "install", "-r", "requirements.txt", NULL};
	static const char *const curl[] = {"curl", "http://example.invalid", NULL};
	publish_exec(h, 10, 0.0, "/usr/bin/pip3", pip, "setup", 0);
	publish_exec(h, 11, 0.1, "/usr/bin/curl", curl, "setup", 0);
	python_startup(h, 100);
	harness_finish(h);
	cr_expect_eq(harness_count(h, "process.exec_unlisted"), 1, "only curl is unexpected");
	cr_expect(message_has(h, "process.exec_unlisted", "curl"));
	harness_free(h);
}

/* `sh -c "make && ./a.out"` as the command, as the benign-c-make fixture
 * records it: children's execs show up before their parent's clone returns. */
static void make_and_run(struct harness *h)
{
	static const char *const sh[] = {"sh", "-c", "make && ./a.out", NULL};
	static const char *const make[] = {"make", NULL};
	static const char *const cc[] = {"cc", "-O1", "-o", "a.out", "hello.c", NULL};
	static const char *const cc1[] = {"/usr/lib/gcc/x86_64-linux-gnu/12/cc1", "hello.c", NULL};
	static const char *const as[] = {"as", "--64", "-o", "/tmp/ccD5.o", "/tmp/ccUZ.s", NULL};
	static const char *const collect2[] = {"/usr/lib/gcc/x86_64-linux-gnu/12/collect2", "-o", "a.out", NULL};
	static const char *const ld[] = {"/usr/bin/ld", "-o", "a.out", NULL};
	static const char *const run[] = {"./a.out", NULL};
	struct {
		int pid, ppid;
		const char *path;
		const char *const *argv;
	} execs[] = {
		{7, 6, "/usr/bin/make", make},
		{8, 7, "/usr/bin/cc", cc},
		{9, 8, "/usr/lib/gcc/x86_64-linux-gnu/12/cc1", cc1},
		{10, 8, "/usr/bin/as", as},
		{11, 8, "/usr/lib/gcc/x86_64-linux-gnu/12/collect2", collect2},
		{12, 11, "/usr/bin/ld", ld},
	};
	publish_exec(h, 6, 0.0, "/usr/bin/sh", sh, NULL, 0);
	for (size_t i = 0; i < sizeof(execs) / sizeof(execs[0]); i++) {
		struct da_event ev = ev_make(DA_EV_PROC_EXEC, execs[i].pid, 0.1 * (double)(i + 1));
		int argc = 0;
		while (execs[i].argv[argc])
			argc++;
		ev.ppid = execs[i].ppid;
		ev.path = execs[i].path;
		ev.argv = execs[i].argv;
		ev.argc = argc;
		ev.text = "execve(...) = 0";
		harness_publish(h, &ev);
		publish_fork(h, execs[i].ppid, execs[i].pid, 0.1 * (double)(i + 1), NULL);
	}
	publish_open(h, 12, 0.8, "/home/auditor/app/a.out", O_RDWR | O_CREAT | O_TRUNC,
		     DA_ACC_READ | DA_ACC_WRITE | DA_ACC_CREATE | DA_ACC_TRUNC, 0777, NULL);
	for (int pid = 12; pid >= 7; pid--)
		publish_exit(h, pid, 0.9);
	struct da_event ev = ev_make(DA_EV_PROC_EXEC, 13, 1.0);
	ev.ppid = 6;
	ev.path = "/home/auditor/app/a.out";
	ev.raw_path = "./a.out";
	ev.argv = run;
	ev.argc = 1;
	harness_publish(h, &ev);
	publish_fork(h, 6, 13, 1.0, NULL);
	publish_exit(h, 13, 1.1);
	publish_exit(h, 6, 1.2);
}

Test(process, make_and_a_out_in_the_command)
{
	static const char *const command[] = {"sh", "-c", "make && ./a.out", NULL};
	struct harness *h = harness_new_run("process", "allow_exec: [make, a.out]\n", NULL, NULL,
					    command, NULL);
	make_and_run(h);
	harness_finish(h);
	harness_dump(h);
	cr_expect_lt(harness_max_severity(h, NULL), DA_SEV_LOW);
	harness_free(h);

	/* make not allowed: the build is a program outside the allow-list */
	h = harness_new_run("process", "allow_exec: [a.out]\n", NULL, NULL, command, NULL);
	make_and_run(h);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, NULL), DA_SEV_MEDIUM);
	cr_expect(message_has(h, "process.exec_unlisted", "make"));
	harness_free(h);
}

Test(process, shell_on_a_socket_is_critical)
{
	struct harness *h = harness_new("process", "allow_exec: [sh]\n", NULL);
	python_startup(h, 100);
	struct da_event ev = ev_make(DA_EV_PROC_EXEC, 101, 1.0);
	static const char *const argv[] = {"/bin/sh", "-i", NULL};
	ev.path = "/usr/bin/dash";
	ev.argv = argv;
	ev.argc = 2;
	ev.stdio[0] = "socket:inet/stream->127.0.0.1:4444";
	ev.stdio[1] = "socket:inet/stream->127.0.0.1:4444";
	ev.stdio[2] = "socket:inet/stream->127.0.0.1:4444";
	ev.text = "execve(\"/bin/sh\", [\"/bin/sh\", \"-i\"], ...) = 0";
	harness_publish(h, &ev);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "process.shell"), DA_SEV_CRITICAL);
	harness_free(h);
}

Test(process, replay_without_command_takes_the_first_program)
{
	static const char *const no_command[] = {NULL};
	struct harness *h = harness_new_run("process", NULL, NULL, NULL, no_command, NULL);
	python_startup(h, 100);
	static const char *const curl[] = {"curl", "x", NULL};
	publish_exec(h, 101, 1.0, "/usr/bin/curl", curl, NULL, 0);
	harness_finish(h);
	cr_expect_eq(harness_count(h, "process.exec_unlisted"), 1, "python3 is the target, curl is not");
	cr_expect(message_has(h, "process.exec_unlisted", "curl"));
	harness_free(h);
}

Test(process, relative_exec_is_judged_where_the_core_resolved_it)
{
	/* chdir("/"), then ./payload written and run: the core resolved it to
	 * /payload, and that is where it is judged (not in the workdir). */
	struct harness *h = harness_new("process", NULL, NULL);
	python_startup(h, 100);
	struct da_event ev = ev_make(DA_EV_FILE_OPEN, 100, 1.0);
	ev.path = "/payload";
	ev.raw_path = "payload";
	ev.access = DA_ACC_WRITE | DA_ACC_CREATE;
	harness_publish(h, &ev);
	static const char *const argv[] = {"./payload", NULL};
	ev = ev_make(DA_EV_PROC_EXEC, 101, 2.0);
	ev.path = "/payload";
	ev.raw_path = "./payload";
	ev.argv = argv;
	ev.argc = 1;
	harness_publish(h, &ev);
	harness_finish(h);
	const struct harness_finding *f = harness_get(h, "process.exec_writable");
	cr_assert(f, "a file the target created and then ran");
	cr_expect(strstr(f->message, "/payload") && !strstr(f->message, "/home/auditor/app"), "%s",
		  f->message);
	harness_free(h);
}

/* Every kind with empty members, then with hostile ones: no crash, no error. */
Test(process, empty_and_hostile_events_are_survived)
{
	struct harness *h = harness_new("process", NULL, NULL);
	harness_publish_hostile_events(h);
	harness_free(h);
}

/* An exec whose environment carries dynamic-loader variables (live runs
 * and strace -v logs see them). */
static void publish_exec_env(struct harness *h, int pid, double t, const char *path,
			     const char *const *argv, const char *loader_env, const char *phase)
{
	struct da_event ev = ev_make(DA_EV_PROC_EXEC, pid, t);
	int argc = 0;
	while (argv[argc])
		argc++;
	ev.syscall = "execve";
	ev.path = path;
	ev.argv = argv;
	ev.argc = argc;
	ev.phase = phase;
	ev.loader_env = loader_env;
	ev.text = "execve(...) = 0";
	cr_assert_eq(harness_publish(h, &ev), 0);
}

Test(process, preloaded_library_is_code_injection)
{
	static const char *const py[] = {"python3", "server.py", NULL};
	static const char *const ls[] = {"ls", NULL};
	struct harness *h = harness_new("process", "allow_exec: [ls]\n", NULL);
	/* dynaudit's own launch (target.env) is not the submission's doing */
	publish_exec_env(h, 100, 0.0, "/usr/bin/python3.11", py,
			 "LD_LIBRARY_PATH=/tmp/lib\n", NULL);
	cr_assert_eq(harness_count(h, "process.loader_injection"), 0);
	/* an allowed program, started with a library of the target's choice */
	publish_exec_env(h, 101, 1.0, "/usr/bin/ls", ls,
			 "LD_LIBRARY_PATH=/home/auditor/app/lib\nLD_PRELOAD=/tmp/.x/hook.so\n", NULL);
	harness_finish(h);
	cr_assert_eq(harness_count(h, "process.loader_injection"), 1,
		     "a workdir library path is not writable-elsewhere");
	cr_assert_eq(harness_max_severity(h, "process.loader_injection"), DA_SEV_HIGH);
	cr_assert(message_has(h, "process.loader_injection", "LD_PRELOAD=/tmp/.x/hook.so"));
	cr_assert_str_eq(harness_status(h), "fail");
	harness_free(h);

	/* a library search path in /tmp: medium; in the setup phase a
	 * preload is medium too */
	static const char *const mk[] = {"make", NULL};
	static const char *const cc[] = {"cc", "-o", "main", "main.c", NULL};
	h = harness_new("process", "allow_exec: [ls]\n", NULL);
	publish_exec_env(h, 50, 0.0, "/usr/bin/make", mk, NULL, "setup");
	publish_exec_env(h, 51, 0.1, "/usr/bin/cc", cc, "LD_PRELOAD=libfakeroot.so\n", "setup");
	publish_exec_env(h, 100, 1.0, "/usr/bin/python3.11", py, NULL, NULL);
	publish_exec_env(h, 101, 2.0, "/usr/bin/ls", ls, "LD_LIBRARY_PATH=.:/dev/shm/l\n", NULL);
	harness_finish(h);
	cr_assert_eq(harness_count(h, "process.loader_injection"), 2);
	cr_assert_eq(harness_max_severity(h, "process.loader_injection"), DA_SEV_MEDIUM);
	cr_assert_not_null(harness_find(h, "process.loader_injection", "LD_LIBRARY_PATH=.:/dev/shm/l"));
	cr_assert_not_null(harness_find(h, "process.loader_injection", "LD_PRELOAD=libfakeroot.so"));
	harness_free(h);
}

static void publish_sleep(struct harness *h, int pid, double t, int64_t seconds, const char *phase)
{
	struct da_event ev = ev_make(DA_EV_SYSCALL_OTHER, pid, t);
	ev.syscall = "clock_nanosleep";
	ev.arg[0] = seconds;
	ev.phase = phase;
	ev.text = "clock_nanosleep(CLOCK_MONOTONIC, 0, {tv_sec=..., tv_nsec=0}, 0x7ffd) = ?";
	cr_assert_eq(harness_publish(h, &ev), 0);
}

/* The default window is 60 s (the harness's run). */
Test(process, sleeps_that_outlast_the_window)
{
	struct harness *h = harness_new("process", NULL, NULL);
	python_startup(h, 100);
	publish_sleep(h, 100, 1.0, 1, NULL);     /* a tick */
	publish_sleep(h, 100, 55.0, 5, NULL);    /* short, ends at the close: ordinary */
	publish_sleep(h, 100, 2.0, -1, NULL);    /* unknown length */
	harness_finish(h);
	cr_expect_eq(harness_count(h, "process.long_sleep"), 0);
	harness_free(h);

	/* a heartbeat crossing the end: worth knowing */
	h = harness_new("process", NULL, NULL);
	python_startup(h, 100);
	publish_sleep(h, 100, 40.0, 30, NULL);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "process.long_sleep"), DA_SEV_INFO);
	harness_free(h);

	/* waiting out the whole window: the delayed-payload pattern */
	h = harness_new("process", NULL, NULL);
	python_startup(h, 100);
	publish_sleep(h, 100, 0.5, 3600, NULL);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "process.long_sleep"), DA_SEV_MEDIUM);
	cr_expect(message_has(h, "process.long_sleep", "3600 s"));
	cr_expect_str_eq(harness_status(h), "warn");
	harness_free(h);
}

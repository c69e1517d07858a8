/*
 * test_strace_variants.c — strace output shapes beyond the common -f -tt
 * -y: -r without -f, -n, -i, -Y, -X raw / -X verbose, -qq, -e signal=none,
 * "<detached ...>", CR line ends, NUL damage, logs cut mid-line, and logs
 * that hold no syscall at all.  Each test pins one replay bug.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "collect.h"
#include "recorded/source_strace.h"

static struct collect c;
static struct strace_replay_result res;
static char err[512];

/* Replay raw bytes (NULs and CRs included) into c. */
static int replay_bytes(const char *data, size_t len)
{
	char path[] = "/tmp/dynaudit-variants-XXXXXX";
	int fd = mkstemp(path);
	cr_assert(fd >= 0);
	cr_assert_eq(write(fd, data, len), (ssize_t)len);
	close(fd);
	collect_init(&c);
	err[0] = '\0';
	int rc = source_strace_replay(path, "/home/auditor/app", c.bus, &res, err, sizeof(err));
	unlink(path);
	return rc;
}

static void replay_ok(const char *text)
{
	cr_assert_eq(replay_bytes(text, strlen(text)), 0, "%s", err);
}

static void done(void)
{
	strace_replay_result_free(&res);
	collect_fini(&c);
}

static uint64_t events_lost(void)
{
	return bus_get_stats(c.bus)->events_lost;
}

/* The reverse-shell core every prefix test decodes: exec, connect, open. */
static void assert_core_decoded(int pid)
{
	cr_assert_eq(res.warnings, 0, "%s", res.first_warning);
	cr_assert_eq(res.main_pid, pid);
	const struct da_event *e = collect_find(&c, DA_EV_PROC_EXEC, NULL, "/bin/sh");
	cr_assert_not_null(e);
	cr_assert_eq(e->pid, pid);
	const struct da_event *cn = collect_find(&c, DA_EV_NET_CONNECT, NULL, NULL);
	cr_assert_not_null(cn);
	cr_assert_str_eq(cn->addr, "127.0.0.1:4444");
	cr_assert_not_null(collect_find(&c, DA_EV_FILE_OPEN, NULL, "/etc/shadow"));
	const struct da_event *x = collect_find(&c, DA_EV_TARGET_EXIT, NULL, NULL);
	cr_assert_eq(x->arg[0], 0);
	cr_assert_eq(x->arg[2], 0, "the target ended");
}

#define EXEC "execve(\"/bin/sh\", [\"/bin/sh\", \"-c\", \"id; exit\"], 0x7ffd /* 5 vars */) = 0"
#define CONNECT "connect(3, {sa_family=AF_INET, sin_port=htons(4444), sin_addr=inet_addr(\"127.0.0.1\")}, 16) = 0"
#define OPEN "openat(AT_FDCWD, \"/etc/shadow\", O_RDONLY) = 4"

/* ---- 1. nothing to audit ------------------------------------------- */

Test(strace_variants, a_log_without_syscalls_is_an_error, .fini = done)
{
	static const struct {
		const char *data;
		size_t len;
	} logs[] = {
		{"", 0},
		{"\x7f" "ELF\x02\x01\x01\x00\x00\x00\xff\xfe\n\x01\x02", 15},
		{"hello world\nthis is not strace\n", 31},
		{"123 +++ exited with 0 +++\n", 26},
	};
	for (size_t i = 0; i < sizeof(logs) / sizeof(logs[0]); i++) {
		int rc = replay_bytes(logs[i].data, logs[i].len);
		cr_assert_eq(rc, -ENODATA, "log %zu: %d", i, rc);
		cr_assert(strstr(err, "no strace syscall lines in /tmp/dynaudit-variants-") != NULL,
			  "%s", err);
		strace_replay_result_free(&res);
		collect_fini(&c);
	}
	collect_init(&c); /* for done() */
}

Test(strace_variants, mostly_unparsable_log_is_marked_incomplete, .fini = done)
{
	/* 3 good lines, 30 junk lines: the lost lines are counted on the bus,
	 * which marks the report incomplete. */
	char log[4096];
	size_t n = (size_t)snprintf(log, sizeof(log), "100 " EXEC "\n");
	for (int i = 0; i < 30; i++)
		n += (size_t)snprintf(log + n, sizeof(log) - n, "junk line %d ((\n", i);
	n += (size_t)snprintf(log + n, sizeof(log) - n, "100 " CONNECT "\n100 +++ exited with 0 +++\n");
	cr_assert_eq(replay_bytes(log, n), 0, "%s", err);
	cr_assert_eq(res.warnings, 30);
	cr_assert_eq(events_lost(), 30);
	cr_assert(strstr(res.incomplete, "30 of 33 lines") != NULL, "%s", res.incomplete);
	cr_assert_not_null(collect_find(&c, DA_EV_NET_CONNECT, NULL, NULL));
}

Test(strace_variants, a_few_junk_lines_are_only_warnings, .fini = done)
{
	/* a target writing to the same stderr as strace: noise, not loss */
	replay_ok("100 " EXEC "\nhello from the program\n100 " CONNECT "\n100 +++ exited with 0 +++\n");
	cr_assert_eq(res.warnings, 1);
	cr_assert_eq(events_lost(), 0);
	cr_assert_str_eq(res.incomplete, "");
}

/* ---- 2. line prefixes ---------------------------------------------- */

Test(strace_variants, relative_time_without_pid, .fini = done)
{
	/* strace -r (no -f): padded deltas since the previous line */
	replay_ok("     0.000000 " EXEC "\n"
		  "     0.000100 " CONNECT "\n"
		  "     1.500000 " OPEN "\n"
		  "     0.000050 +++ exited with 0 +++\n");
	assert_core_decoded(res.main_pid);
	const struct da_event *o = collect_find(&c, DA_EV_FILE_OPEN, NULL, "/etc/shadow");
	cr_assert_float_eq(o->time_s, 1.5001, 1e-6, "-r times add up: %f", o->time_s);
}

Test(strace_variants, syscall_numbers_and_instruction_pointers, .fini = done)
{
	/* -n, -i, both, with -tt and -T, and -i's unknown pointer */
	replay_ok("100 [  59] " EXEC "\n"
		  "100 [00007f5af1dea111] " CONNECT "\n"
		  "100 12:00:00.000001 [ 257] [00007f5af1dea222] " OPEN " <0.000010>\n"
		  "100 [????????????????] +++ exited with 0 +++\n");
	assert_core_decoded(100);
}

Test(strace_variants, decode_pids_comm, .fini = done)
{
	/* -Y: "pid<comm>" in -o files, "[pid N<comm>]" on stderr, also on
	 * resumed halves, signals and ends */
	replay_ok("100<strace> " EXEC "\n"
		  "100<sh> connect(3, {sa_family=AF_INET, sin_port=htons(4444), sin_addr=inet_addr(\"127.0.0.1\")}, 16 <unfinished ...>\n"
		  "100<sh> <... connect resumed>) = 0\n"
		  "100<sh> 12:00:00.000002 " OPEN "\n"
		  "100<sh> --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=101} ---\n"
		  "100<sh> +++ exited with 0 +++\n");
	assert_core_decoded(100);
	cr_assert_eq(collect_count(&c, DA_EV_PROC_SIGNAL), 1);
	done();
	replay_ok(EXEC "\n"
		  "clone(child_stack=NULL, flags=SIGCHLD) = 101\n"
		  "[pid   101<sh>] " CONNECT "\n"
		  "[pid   100<sh>] " OPEN "\n"
		  "[pid   101<sh>] +++ exited with 0 +++\n"
		  "+++ exited with 0 +++\n");
	cr_assert_eq(res.warnings, 0, "%s", res.first_warning);
	cr_assert_eq(collect_find(&c, DA_EV_NET_CONNECT, NULL, NULL)->pid, 101);
	cr_assert_eq(collect_find(&c, DA_EV_FILE_OPEN, NULL, "/etc/shadow")->pid, 100);
}

/* ---- 3. -X raw / -X verbose ---------------------------------------- */

Test(strace_variants, xlat_raw_and_verbose, .fini = done)
{
	replay_ok("100 execve(\"/bin/true\", [\"true\"], 0x7ffd /* 5 vars */) = 0\n"
		  "100 socket(0x2 /* AF_INET */, 0x1 /* SOCK_STREAM */, 0 /* IPPROTO_IP */) = 3\n"
		  "100 connect(3, {sa_family=0x2 /* AF_INET */, sin_port=\"\\x11\\x5c\" /* htons(4444) */, sin_addr=\"\\x7f\\x00\\x00\\x01\" /* inet_addr(\"127.0.0.1\") */}, 16) = 0\n"
		  "100 socket(0xa, 0x2, 0) = 5\n"
		  "100 connect(5, {sa_family=0xa, sin6_port=\"\\x11\\x5d\", sin6_flowinfo=\"\\x00\\x00\\x00\\x00\", sin6_addr=\"\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x01\", sin6_scope_id=0}, 28) = 0\n"
		  "100 openat(-100 /* AT_FDCWD */, \"/tmp/x\", 0x241 /* O_WRONLY|O_CREAT|O_TRUNC */, 0644) = 4\n"
		  "100 openat(-100, \"/etc/shadow\", 0) = 6\n"
		  "100 clone(child_stack=NULL, flags=0x1200000 /* CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID */|17 /* SIGCHLD */, child_tidptr=0x7f) = 101\n"
		  "100 kill(101, 9 /* SIGKILL */) = 0\n"
		  "100 kill(101, 15) = 0\n"
		  "100 +++ exited with 0 +++\n");
	cr_assert_eq(res.warnings, 0, "%s", res.first_warning);
	const struct da_event *s = collect_nth(&c, DA_EV_NET_SOCKET, 0);
	cr_assert(s->family == AF_INET && s->sock_type == SOCK_STREAM);
	const struct da_event *cn = collect_nth(&c, DA_EV_NET_CONNECT, 0);
	cr_assert_str_eq(cn->addr, "127.0.0.1:4444");
	cr_assert_eq(cn->port, 4444);
	cn = collect_nth(&c, DA_EV_NET_CONNECT, 1);
	cr_assert_str_eq(cn->addr, "[::1]:4445");
	cr_assert_eq(cn->family, AF_INET6);
	const struct da_event *o = collect_find(&c, DA_EV_FILE_OPEN, NULL, "/tmp/x");
	cr_assert_eq(o->flags, 0x241);
	cr_assert(o->access & DA_ACC_CREATE);
	cr_assert_not_null(collect_find(&c, DA_EV_FILE_OPEN, NULL, "/etc/shadow"));
	const struct da_event *f = collect_nth(&c, DA_EV_PROC_FORK, 0);
	cr_assert_eq(f->flags, 0x1200000 | 17);
	const struct da_event *k = collect_nth(&c, DA_EV_PROC_SIGNAL, 0);
	cr_assert_eq(k->arg[0], 9);
	cr_assert_str_eq(k->detail, "SIGKILL");
	cr_assert_str_eq(collect_nth(&c, DA_EV_PROC_SIGNAL, 1)->detail, "SIGTERM");
}

/* ---- 4., 6., 7. ends without "+++" lines -------------------------- */

Test(strace_variants, signal_none_reap_ends_the_child, .fini = done)
{
	/* -e signal=none: the killed child has no "+++ killed" line; the
	 * parent's wait4 is the only evidence that it is gone. */
	replay_ok("100 execve(\"/bin/true\", [\"true\"], 0x7ffd /* 5 vars */) = 0\n"
		  "100 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f) = 101\n"
		  "101 pause( <unfinished ...>\n"
		  "100 kill(101, SIGKILL) = 0\n"
		  "101 <... pause resumed>) = ?\n"
		  "100 wait4(101, [{WIFSIGNALED(s) && WTERMSIG(s) == SIGKILL}], 0, NULL) = 101\n"
		  "100 exit_group(0) = ?\n"
		  "100 +++ exited with 0 +++\n");
	cr_assert_eq(res.warnings, 0, "%s", res.first_warning);
	cr_assert_eq(collect_count(&c, DA_EV_PROC_EXIT), 2);
	const struct da_event *x = collect_nth(&c, DA_EV_PROC_EXIT, 0);
	cr_assert_eq(x->pid, 101);
	cr_assert_eq(x->arg[0], -1);
	cr_assert_str_eq(x->detail, "SIGKILL");
	cr_assert_not_null(collect_find(&c, DA_EV_SYSCALL_OTHER, "wait4", NULL));
}

Test(strace_variants, reap_and_exit_line_end_once, .fini = done)
{
	/* the usual order ("+++" first) and a late "+++" after a reap: one
	 * end each; a reused pid is a new process */
	replay_ok("100 execve(\"/bin/true\", [\"true\"], 0x7ffd /* 5 vars */) = 0\n"
		  "100 clone(child_stack=NULL, flags=SIGCHLD) = 101\n"
		  "101 exit_group(2) = ?\n"
		  "101 +++ exited with 2 +++\n"
		  "100 wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 2}], 0, NULL) = 101\n"
		  "100 clone(child_stack=NULL, flags=SIGCHLD) = 102\n"
		  "100 waitid(P_PID, 102, {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=102, si_uid=0, si_status=5, si_utime=0, si_stime=0}, WEXITED, NULL) = 0\n"
		  "102 +++ exited with 5 +++\n"
		  "100 clone(child_stack=NULL, flags=SIGCHLD) = 102\n"
		  "102 +++ exited with 7 +++\n"
		  "100 +++ exited with 0 +++\n");
	cr_assert_eq(res.warnings, 0, "%s", res.first_warning);
	cr_assert_eq(collect_count(&c, DA_EV_PROC_EXIT), 4);
	cr_assert_eq(collect_nth(&c, DA_EV_PROC_EXIT, 0)->arg[0], 2);
	cr_assert_eq(collect_nth(&c, DA_EV_PROC_EXIT, 1)->pid, 102);
	cr_assert_eq(collect_nth(&c, DA_EV_PROC_EXIT, 1)->arg[0], 5);
	cr_assert_eq(collect_nth(&c, DA_EV_PROC_EXIT, 2)->arg[0], 7, "the reused pid's own end");
}

Test(strace_variants, quiet_exit_group_is_an_exit, .fini = done)
{
	/* -qq: no "+++ exited with 3 +++" after exit_group(3) */
	replay_ok("100 execve(\"/bin/true\", [\"true\"], 0x7ffd /* 5 vars */) = 0\n"
		  "100 exit_group(3) = ?\n");
	const struct da_event *x = collect_find(&c, DA_EV_TARGET_EXIT, NULL, NULL);
	cr_assert_not_null(x);
	cr_assert_eq(x->arg[0], 3);
	cr_assert_eq(x->arg[2], 0, "not still running");
	cr_assert_eq(collect_count(&c, DA_EV_PROC_EXIT), 1);
	cr_assert_eq(collect_nth(&c, DA_EV_PROC_EXIT, 0)->arg[0], 3);
}

Test(strace_variants, detached_exit_is_a_call, .fini = done)
{
	replay_ok("100 execve(\"/bin/true\", [\"true\"], 0x7ffd /* 5 vars */) = 0\n"
		  "100 clone(child_stack=NULL, flags=CLONE_VM|CLONE_THREAD|CLONE_SIGHAND) = 101\n"
		  "101 exit(0 <detached ...>\n"
		  "100 +++ exited with 0 +++\n");
	cr_assert_eq(res.warnings, 0, "%s", res.first_warning);
	cr_assert_not_null(collect_find(&c, DA_EV_SYSCALL_OTHER, "exit", NULL));
}

/* ---- 5. stderr mode, threaded main --------------------------------- */

Test(strace_variants, stderr_thread_speaks_before_the_clone_returns, .fini = done)
{
	replay_ok("execve(\"/usr/bin/prog\", [\"prog\"], 0x7ffd /* 5 vars */) = 0\n"
		  "clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM, exit_signal=0, stack=0x7f, stack_size=0x7fff80}strace: Process 201 attached\n"
		  " <unfinished ...>\n"
		  "[pid   201] rseq(0x7f, 0x20, 0, 0x53053053) = 0\n"
		  "[pid   200] <... clone3 resumed> => {parent_tid=[201]}, 88) = 201\n"
		  "[pid   201] exit(0) = ?\n"
		  "[pid   201] +++ exited with 0 +++\n"
		  "[pid   200] exit_group(0) = ?\n"
		  "[pid   200] +++ exited with 0 +++\n");
	cr_assert_eq(res.warnings, 0, "%s", res.first_warning);
	cr_assert_eq(res.main_pid, 200);
	cr_assert_eq(collect_nth(&c, DA_EV_PROC_FORK, 0)->target_pid, 201);
	cr_assert_eq(collect_find(&c, DA_EV_TARGET_EXIT, NULL, NULL)->pid, 200);
}

/* ---- 8. line ends and NUL damage ----------------------------------- */

Test(strace_variants, cr_only_line_ends, .fini = done)
{
	replay_ok("100 " EXEC "\r100 " CONNECT "\r100 " OPEN "\r100 +++ exited with 0 +++\r");
	assert_core_decoded(100);
	cr_assert_eq(res.lines, 4);
}

Test(strace_variants, nul_bytes_do_not_drop_the_line, .fini = done)
{
	static const char log[] = "100 " EXEC "\n"
				  "100 12:0\0000:01 " CONNECT "\n"
				  "100 " OPEN "\0\n"
				  "\0\0\0\0\0\0\0\0\n"
				  "100 +++ exited with 0 +++\n";
	cr_assert_eq(replay_bytes(log, sizeof(log) - 1), 0, "%s", err);
	cr_assert_str_eq(collect_find(&c, DA_EV_NET_CONNECT, NULL, NULL)->addr, "127.0.0.1:4444");
	cr_assert_not_null(collect_find(&c, DA_EV_FILE_OPEN, NULL, "/etc/shadow"));
	cr_assert_eq(res.warnings, 1, "the line of NULs");
	cr_assert(strstr(res.first_warning, ":4: line of NUL bytes") != NULL, "%s", res.first_warning);
}

/* ---- 9. fileless exec ---------------------------------------------- */

Test(strace_variants, execveat_empty_path_is_the_fd, .fini = done)
{
	/* -y tells what fd 3 is even when its memfd_create is not in the log
	 * (-e trace=execve); without -y the fd table does */
	replay_ok("100 execve(\"/usr/bin/python3\", [\"python3\", \"x.py\"], 0x7ffd /* 5 vars */) = 0\n"
		  "100 execveat(3</memfd:payload (deleted)>, \"\", [\"payload\"], 0x7ffd /* 5 vars */, AT_EMPTY_PATH) = 0\n"
		  "100 memfd_create(\"second\", MFD_CLOEXEC) = 4\n"
		  "100 execveat(4, \"\", [\"second\"], 0x7ffd /* 5 vars */, AT_EMPTY_PATH) = 0\n"
		  "100 +++ exited with 0 +++\n");
	cr_assert_eq(res.warnings, 0, "%s", res.first_warning);
	const struct da_event *e = collect_nth(&c, DA_EV_PROC_EXEC, 1);
	cr_assert_str_eq(e->path, "memfd:payload");
	cr_assert_str_eq(e->detail, "memfd");
	cr_assert_eq(e->fd, 3);
	e = collect_nth(&c, DA_EV_PROC_EXEC, 2);
	cr_assert_str_eq(e->path, "memfd:second");
	cr_assert_str_eq(e->detail, "memfd");
}

/* ---- 10. a log cut mid-line ---------------------------------------- */

Test(strace_variants, truncated_last_line_is_counted_and_said, .fini = done)
{
	replay_ok("100 " EXEC "\n100 connect(3, {sa_family=AF_INET, sin_port=htons(44");
	cr_assert(res.truncated);
	cr_assert_eq(res.warnings, 1);
	cr_assert(strstr(res.first_warning, ":2: the log ends mid-line (truncated)") != NULL, "%s",
		  res.first_warning);
	cr_assert(strstr(res.incomplete, "truncated") != NULL, "%s", res.incomplete);
	cr_assert_eq(events_lost(), 1, "the cut call is a lost event: the report is incomplete");
	done();
	/* a last line without its newline that is whole is no loss */
	replay_ok("100 " EXEC "\n100 +++ exited with 0 +++");
	cr_assert(!res.truncated);
	cr_assert_eq(res.warnings, 0);
	cr_assert_eq(events_lost(), 0);
}

/* ---- strace options that drop data --------------------------------- */

Test(strace_variants, abbreviated_and_empty_strings, .fini = done)
{
	/* -s 0 prints every string as ""...; -e abbrev=none and verbose=none
	 * print addresses for argv: the exec is still an exec */
	replay_ok("100 execve(\"\"..., 0x7ffd, 0x7ffe) = 0\n"
		  "100 openat(AT_FDCWD, \"\"..., O_RDONLY) = 3\n"
		  "100 write(1, \"\"..., 5) = 5\n"
		  "100 execve(\"/bin/sh\", 0x7ffd1, 0x7ffd2) = 0\n"
		  "100 +++ exited with 0 +++\n");
	cr_assert_eq(res.warnings, 0, "%s", res.first_warning);
	cr_assert_eq(collect_count(&c, DA_EV_PROC_EXEC), 2);
	cr_assert_eq(collect_nth(&c, DA_EV_PROC_EXEC, 1)->argc, 0);
	cr_assert_str_eq(collect_nth(&c, DA_EV_PROC_EXEC, 1)->path, "/bin/sh");
}

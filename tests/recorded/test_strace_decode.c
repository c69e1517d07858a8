/*
 * test_strace_decode.c — strace text -> events of the right kind and
 * members, through the real source and the real bus.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "collect.h"
#include "common/syscall_shapes.h"
#include "recorded/source_strace.h"

static struct collect c;
static struct strace_replay_result res;

static void replay(const char *text)
{
	collect_init(&c);
	cr_assert_eq(collect_replay_text(&c, text, "/home/auditor/app", &res), 0);
}

static void done(void)
{
	strace_replay_result_free(&res);
	collect_fini(&c);
}

Test(strace_decode, reverse_shell_stdio_is_the_socket, .fini = done)
{
	replay("100 execve(\"/usr/bin/python3\", [\"python3\", \"rev.py\"], 0x7ffd /* 5 vars */) = 0\n"
	       "100 socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_IP) = 3\n"
	       "100 connect(3, {sa_family=AF_INET, sin_port=htons(4444), sin_addr=inet_addr(\"127.0.0.1\")}, 16) = 0\n"
	       "100 dup2(3, 0) = 0\n"
	       "100 dup2(3, 1) = 1\n"
	       "100 dup2(3, 2) = 2\n"
	       "100 execve(\"/bin/sh\", [\"/bin/sh\", \"-c\", \"id; exit\"], 0x7ffd /* 5 vars */) = 0\n"
	       "100 +++ exited with 0 +++\n");
	cr_assert_eq(res.warnings, 0, "%s", res.first_warning);
	cr_assert_eq(res.main_pid, 100);
	cr_assert_str_eq(res.command[0], "python3");
	const struct da_event *s = collect_find(&c, DA_EV_NET_SOCKET, NULL, NULL);
	cr_assert(s && s->family == AF_INET && s->sock_type == SOCK_STREAM && s->fd == 3);
	const struct da_event *cn = collect_find(&c, DA_EV_NET_CONNECT, NULL, NULL);
	cr_assert_str_eq(cn->addr, "127.0.0.1:4444");
	cr_assert_eq(cn->port, 4444);
	cr_assert_eq(cn->family, AF_INET);
	const struct da_event *e = collect_nth(&c, DA_EV_PROC_EXEC, 1);
	cr_assert_str_eq(e->path, "/bin/sh");
	cr_assert_eq(e->argc, 3);
	cr_assert_str_eq(e->stdio[0], "socket:inet/stream->127.0.0.1:4444");
	cr_assert_str_eq(e->stdio[2], "socket:inet/stream->127.0.0.1:4444");
	cr_assert(strstr(e->text, "execve(\"/bin/sh\"") != NULL);
	cr_assert_eq(collect_count(&c, DA_EV_TARGET_EXIT), 1);
}

Test(strace_decode, files_paths_access_and_symlinks, .fini = done)
{
	replay("5 openat(AT_FDCWD, \"server.py\", O_RDONLY|O_CLOEXEC) = 3\n"
	       "5 openat(AT_FDCWD, \"/tmp/.x\", O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC, 0666) = 4\n"
	       "5 write(4, \"#!/bin/sh\\n\", 10) = 10\n"
	       "5 write(4, \"echo\\n\", 5) = 5\n"
	       "5 chmod(\"/tmp/.x\", 0755) = 0\n"
	       "5 chdir(\"/tmp\") = 0\n"
	       "5 openat(AT_FDCWD, \"../etc/passwd\", O_RDONLY) = -1 EACCES (Permission denied)\n"
	       "5 symlinkat(\"/etc\", AT_FDCWD, \"/home/auditor/app/etc_link\") = 0\n"
	       "5 openat(AT_FDCWD, \"/home/auditor/app/etc_link/shadow\", O_RDONLY) = -1 EACCES (Permission denied)\n"
	       "5 openat(3</usr/lib>, \"os.py\", O_RDONLY) = 6</usr/lib/os.py>\n"
	       "5 rename(\"a\", \"b\") = 0\n"
	       "5 unlinkat(AT_FDCWD, \"b\", 0) = 0\n"
	       "5 mkdir(\"/tmp/cron\", 0777) = 0\n"
	       "5 fchown(6, 0, 0) = -1 EPERM (Operation not permitted)\n"
	       "5 newfstatat(AT_FDCWD, \"/root\", 0x7ff, 0) = -1 ENOENT (No such file or directory)\n"
	       "5 newfstatat(3, \"\", {st_mode=S_IFREG|0644}, AT_EMPTY_PATH) = 0\n"
	       "5 mmap(NULL, 4096, PROT_READ|PROT_EXEC, MAP_PRIVATE, 6, 0) = 0x7f0000000000\n"
	       "5 mmap(NULL, 8192, PROT_READ, MAP_PRIVATE, 3, 0) = 0x7f0000100000\n"
	       "5 mprotect(0x7f0000101000, 4096, PROT_READ|PROT_EXEC) = 0\n"
	       "5 mprotect(0x7f0000900000, 4096, PROT_READ|PROT_WRITE|PROT_EXEC) = 0\n"
	       "5 memfd_create(\"payload\", MFD_CLOEXEC) = 7\n"
	       "5 execveat(7, \"\", [\"x\"], 0x1 /* 0 vars */, AT_EMPTY_PATH) = -1 ENOEXEC (Exec format error)\n"
	       "5 frobnicate(1, 2) = 0\n");
	cr_assert_eq(res.warnings, 0, "%s", res.first_warning);
	const struct da_event *o = collect_nth(&c, DA_EV_FILE_OPEN, 0);
	cr_assert_str_eq(o->path, "/home/auditor/app/server.py");
	cr_assert_str_eq(o->raw_path, "server.py");
	cr_assert_eq(o->access, DA_ACC_READ);
	cr_assert_eq(o->fd, 3);
	o = collect_nth(&c, DA_EV_FILE_OPEN, 1);
	cr_assert_eq(o->access, DA_ACC_WRITE | DA_ACC_CREATE | DA_ACC_TRUNC);
	cr_assert_eq(o->mode, 0666);
	cr_assert_eq(collect_count(&c, DA_EV_FILE_WRITE), 1, "only the first write per open fd");
	const struct da_event *w = collect_find(&c, DA_EV_FILE_WRITE, NULL, NULL);
	cr_assert_str_eq(w->fd_desc, "/tmp/.x");
	cr_assert_eq(w->arg[0], 10);
	const struct da_event *m = collect_find(&c, DA_EV_FILE_CHMOD, NULL, NULL);
	cr_assert_eq(m->mode, 0755);
	cr_assert_str_eq(collect_find(&c, DA_EV_FILE_CHDIR, NULL, NULL)->path, "/tmp");
	o = collect_nth(&c, DA_EV_FILE_OPEN, 2);
	cr_assert_str_eq(o->path, "/etc/passwd");
	cr_assert_eq(o->err, 13);
	cr_assert_str_eq(o->errname, "EACCES");
	cr_assert_eq(o->result, -1);
	const struct da_event *l = collect_find(&c, DA_EV_FILE_LINK, NULL, NULL);
	cr_assert_str_eq(l->detail, "symlink");
	cr_assert_str_eq(l->path2, "/etc");
	o = collect_nth(&c, DA_EV_FILE_OPEN, 3);
	cr_assert_str_eq(o->path, "/etc/shadow", "a path through a learned symlink");
	o = collect_nth(&c, DA_EV_FILE_OPEN, 4);
	cr_assert_str_eq(o->path, "/usr/lib/os.py");
	const struct da_event *r = collect_find(&c, DA_EV_FILE_RENAME, NULL, NULL);
	cr_assert_str_eq(r->path, "/tmp/a");
	cr_assert_str_eq(r->path2, "/tmp/b");
	cr_assert_str_eq(collect_find(&c, DA_EV_FILE_UNLINK, NULL, NULL)->path, "/tmp/b");
	cr_assert_str_eq(collect_find(&c, DA_EV_FILE_MKDIR, NULL, NULL)->path, "/tmp/cron");
	cr_assert_str_eq(collect_find(&c, DA_EV_FILE_CHOWN, NULL, NULL)->path, "/usr/lib/os.py");
	cr_assert_eq(collect_count(&c, DA_EV_FILE_STAT), 1, "fstat of an fd is no probe");
	const struct da_event *x = collect_find(&c, DA_EV_FILE_MMAP_EXEC, NULL, NULL);
	cr_assert_str_eq(x->path, "/usr/lib/os.py");
	cr_assert_eq(collect_count(&c, DA_EV_FILE_MMAP_EXEC), 2, "anonymous mprotect is no file mapping");
	const struct da_event *mp = collect_nth(&c, DA_EV_FILE_MMAP_EXEC, 1);
	cr_assert_str_eq(mp->detail, "mprotect");
	cr_assert_str_eq(mp->path, "/home/auditor/app/server.py", "the file mapped there (fd 3)");
	cr_assert_str_eq(collect_find(&c, DA_EV_FILE_MEMFD, NULL, NULL)->detail, "payload");
	const struct da_event *e = collect_find(&c, DA_EV_PROC_EXEC, "execveat", NULL);
	cr_assert_str_eq(e->path, "memfd:payload");
	cr_assert_str_eq(e->detail, "memfd");
	const struct da_event *u = collect_find(&c, DA_EV_SYSCALL_OTHER, "frobnicate", NULL);
	cr_assert_not_null(u);
	cr_assert_str_eq(u->text, "5 frobnicate(1, 2) = 0");
}

/* Magic links lead elsewhere: /proc/self/root/X is X; /dev/fd/N/X is the
 * directory fd N describes + X; /proc/self/cwd/X the cwd's X. */
Test(strace_decode, magic_link_paths_name_their_target, .fini = done)
{
	replay("5 openat(AT_FDCWD, \"/proc/self/root/etc/shadow\", O_RDONLY) = -1 EACCES (Permission denied)\n"
	       "5 openat(AT_FDCWD, \"/etc\", O_RDONLY|O_DIRECTORY) = 3\n"
	       "5 openat(AT_FDCWD, \"/dev/fd/3/gshadow\", O_RDONLY) = -1 EACCES (Permission denied)\n"
	       "5 chdir(\"/tmp\") = 0\n"
	       "5 openat(AT_FDCWD, \"/proc/self/cwd/x\", O_RDONLY) = 4\n");
	cr_assert_eq(res.warnings, 0, "%s", res.first_warning);
	cr_assert_str_eq(collect_nth(&c, DA_EV_FILE_OPEN, 0)->path, "/etc/shadow");
	cr_assert_str_eq(collect_nth(&c, DA_EV_FILE_OPEN, 0)->raw_path, "/proc/self/root/etc/shadow");
	cr_assert_str_eq(collect_nth(&c, DA_EV_FILE_OPEN, 2)->path, "/etc/gshadow");
	cr_assert_str_eq(collect_nth(&c, DA_EV_FILE_OPEN, 3)->path, "/tmp/x");
}

Test(strace_decode, output_lines_only_while_stdout_is_original, .fini = done)
{
	replay("write(1, \"hello\\nwor\", 9) = 9\n"
	       "write(1, \"ld\\n\", 3) = 3\n"
	       "write(2, \"Traceback (most recent call last):\\n  File \\\"x\\\"\\n\", 46) = 46\n"
	       "openat(AT_FDCWD, \"/tmp/log\", O_WRONLY|O_CREAT, 0600) = 3\n"
	       "dup2(3, 1) = 1\n"
	       "write(1, \"to file\\n\", 8) = 8\n"
	       "write(2, \"cut here\"..., 100) = 100\n"
	       "exit_group(0) = ?\n"
	       "+++ exited with 0 +++\n");
	cr_assert_eq(res.warnings, 0, "%s", res.first_warning);
	cr_assert_eq(collect_count(&c, DA_EV_OUTPUT), 5);
	cr_assert_str_eq(collect_nth(&c, DA_EV_OUTPUT, 0)->detail, "hello");
	cr_assert_str_eq(collect_nth(&c, DA_EV_OUTPUT, 1)->detail, "world");
	cr_assert_eq(collect_nth(&c, DA_EV_OUTPUT, 1)->fd, 1);
	cr_assert_str_eq(collect_nth(&c, DA_EV_OUTPUT, 2)->detail, "Traceback (most recent call last):");
	cr_assert_str_eq(collect_nth(&c, DA_EV_OUTPUT, 3)->detail, "  File \"x\"");
	cr_assert_eq(collect_nth(&c, DA_EV_OUTPUT, 3)->fd, 2);
	cr_assert_str_eq(collect_nth(&c, DA_EV_OUTPUT, 4)->detail, "cut here");
	const struct da_event *w = collect_find(&c, DA_EV_FILE_WRITE, NULL, NULL);
	cr_assert_str_eq(w->fd_desc, "/tmp/log", "fd 1 re-pointed: a file write, not output");
	/* no timestamps: line order is kept as microseconds */
	cr_assert_float_eq(collect_nth(&c, DA_EV_OUTPUT, 0)->time_s, 1e-6, 1e-9);
	cr_assert_eq(res.main_pid, 1);
}

Test(strace_decode, unfinished_resumed_across_three_pids, .fini = done)
{
	replay("[pid   10] 00:00:01.000000 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|SIGCHLD <unfinished ...>\n"
	       "[pid   11] 00:00:01.000100 openat(AT_FDCWD, \"/etc/passwd\", O_RDONLY <unfinished ...>\n"
	       "[pid   12] 00:00:01.000200 read(0,  <unfinished ...>\n"
	       "[pid   10] 00:00:01.000300 <... clone resumed>, child_tidptr=0x7f) = 11\n"
	       "[pid   12] 00:00:01.000400 <... read resumed>\"x\", 1) = 1\n"
	       "[pid   11] 00:00:01.000500 <... openat resumed>) = 3\n"
	       "[pid   11] 00:00:01.000600 kill(12, SIGTERM) = 0\n"
	       "[pid   12] 00:00:01.000700 --- SIGTERM {si_signo=SIGTERM, si_code=SI_USER, si_pid=11, si_uid=0} ---\n"
	       "[pid   12] 00:00:01.000800 +++ killed by SIGTERM (core dumped) +++\n"
	       "[pid   11] 00:00:01.000900 +++ exited with 0 +++\n"
	       "[pid   10] 00:00:02.500000 +++ exited with 7 +++\n");
	cr_assert_eq(res.warnings, 0, "%s", res.first_warning);
	cr_assert_eq(res.main_pid, 10);
	const struct da_event *f = collect_find(&c, DA_EV_PROC_FORK, NULL, NULL);
	cr_assert_eq(f->target_pid, 11);
	cr_assert_eq(f->flags & 0xff, 17);
	cr_assert_str_eq(f->detail, "process");
	cr_assert_str_eq(f->text, "[pid   10] 00:00:01.000000 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|SIGCHLD, child_tidptr=0x7f) = 11");
	const struct da_event *o = collect_find(&c, DA_EV_FILE_OPEN, NULL, NULL);
	cr_assert_eq(o->pid, 11);
	cr_assert_eq(o->ppid, 10, "pid first seen while its parent's clone was unfinished");
	cr_assert_eq(o->fd, 3);
	cr_assert_float_eq(o->time_s, 0.0005, 1e-9);
	const struct da_event *k = collect_find(&c, DA_EV_PROC_SIGNAL, "kill", NULL);
	cr_assert_eq(k->target_pid, 12);
	cr_assert_eq(k->arg[0], 15);
	cr_assert_str_eq(k->detail, "SIGTERM");
	const struct da_event *s = collect_nth(&c, DA_EV_PROC_SIGNAL, 1);
	cr_assert_null(s->syscall);
	cr_assert_eq(s->target_pid, 11);
	cr_assert_eq(s->arg[0], 15);
	const struct da_event *x = collect_nth(&c, DA_EV_PROC_EXIT, 0);
	cr_assert_eq(x->pid, 12);
	cr_assert_eq(x->arg[0], -1);
	cr_assert_eq(x->arg[1], 1);
	cr_assert_str_eq(x->detail, "SIGTERM");
	const struct da_event *t = collect_find(&c, DA_EV_TARGET_EXIT, NULL, NULL);
	cr_assert_eq(t->pid, 10);
	cr_assert_eq(t->arg[0], 7);
	cr_assert_float_eq(t->time_s, 1.5, 1e-9);
	cr_assert_float_eq(res.last_time_s, 1.5, 1e-9);
}

Test(strace_decode, network_server_and_udp, .fini = done)
{
	replay("1 socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP) = 3\n"
	       "1 bind(3, {sa_family=AF_INET6, sin6_port=htons(8080), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, \"::\", &sin6_addr), sin6_scope_id=0}, 28) = 0\n"
	       "1 listen(3, 128) = 0\n"
	       "1 accept4(3, {sa_family=AF_INET6, sin6_port=htons(5000), inet_pton(AF_INET6, \"::1\", &sin6_addr)}, [28], SOCK_CLOEXEC) = 4\n"
	       "1 recvfrom(4, \"GET\", 3, 0, NULL, NULL) = 3\n"
	       "1 recvfrom(4, \"GET\", 3, 0, NULL, NULL) = 3\n"
	       "1 socket(AF_INET, SOCK_DGRAM, IPPROTO_IP) = 5\n"
	       "1 sendto(5, \"a\", 1, 0, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr(\"127.0.0.1\")}, 16) = 1\n"
	       "1 sendto(5, \"a\", 1, 0, {sa_family=AF_INET, sin_port=htons(54), sin_addr=inet_addr(\"127.0.0.1\")}, 16) = 1\n"
	       "1 socket(AF_UNIX, SOCK_STREAM, 0) = 6\n"
	       "1 connect(6, {sa_family=AF_UNIX, sun_path=\"/run/docker.sock\"}, 110) = -1 ENOENT (No such file or directory)\n"
	       "1 socket(AF_INET, SOCK_STREAM|SOCK_NONBLOCK, IPPROTO_IP) = 7\n"
	       "1 connect(7, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr(\"127.0.0.2\")}, 16) = -1 EINPROGRESS (Operation now in progress)\n"
	       "1 write(7, \"x\", 1) = 1\n"
	       "1 socketpair(AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC, 0, [8, 9]) = 0\n"
	       "1 connect(11, {sa_family=AF_INET, sin_port=htons(25), sin_addr=inet_addr(\"127.0.0.3\")}, 16) = 0\n"
	       "1 dup2(11, 0) = 0\n"
	       "1 execve(\"/bin/sh\", [\"sh\"], 0x1 /* 1 var */) = 0\n");
	cr_assert_eq(res.warnings, 0, "%s", res.first_warning);
	const struct da_event *b = collect_find(&c, DA_EV_NET_BIND, NULL, NULL);
	cr_assert_str_eq(b->addr, "[::]:8080");
	cr_assert_eq(b->family, AF_INET6);
	const struct da_event *l = collect_find(&c, DA_EV_NET_LISTEN, NULL, NULL);
	cr_assert_str_eq(l->fd_desc, "socket:inet6/stream@[::]:8080");
	cr_assert_eq(l->port, 8080);
	cr_assert_eq(l->arg[0], 128);
	const struct da_event *a = collect_find(&c, DA_EV_NET_ACCEPT, NULL, NULL);
	cr_assert_eq(a->fd, 3);
	cr_assert_eq(a->target_fd, 4);
	cr_assert_str_eq(a->addr, "[::1]:5000");
	cr_assert_eq(collect_count(&c, DA_EV_NET_RECV), 1, "first recv per fd only");
	cr_assert_str_eq(collect_find(&c, DA_EV_NET_RECV, NULL, NULL)->fd_desc,
			 "socket:inet6/stream->[::1]:5000");
	cr_assert_eq(collect_count(&c, DA_EV_NET_SEND), 3, "every explicit address, + first write");
	cr_assert_str_eq(collect_nth(&c, DA_EV_NET_SEND, 1)->addr, "127.0.0.1:54");
	const struct da_event *u = collect_nth(&c, DA_EV_NET_CONNECT, 0);
	cr_assert_str_eq(u->addr, "/run/docker.sock");
	cr_assert_eq(u->family, AF_UNIX);
	const struct da_event *ws = collect_nth(&c, DA_EV_NET_SEND, 2);
	cr_assert_str_eq(ws->addr, "127.0.0.2:80", "EINPROGRESS connect counts");
	cr_assert_eq(collect_nth(&c, DA_EV_NET_SOCKET, 4)->target_fd, 9);
	const struct da_event *sh = collect_find(&c, DA_EV_PROC_EXEC, NULL, "/bin/sh");
	cr_assert_str_eq(sh->stdio[0], "socket:inet/stream->127.0.0.3:25",
			 "an fd never seen before becomes a socket when connected");
}

Test(strace_decode, privilege_family, .fini = done)
{
	replay("3 setuid(0) = -1 EPERM (Operation not permitted)\n"
	       "3 setresuid(-1, 0, -1) = -1 EPERM (Operation not permitted)\n"
	       "3 unshare(CLONE_NEWUSER|CLONE_NEWNET) = 0\n"
	       "3 clone(child_stack=NULL, flags=CLONE_NEWPID|SIGCHLD) = 4\n"
	       "3 mount(\"none\", \"/mnt\", \"tmpfs\", 0, NULL) = -1 EPERM (Operation not permitted)\n"
	       "3 chroot(\"jail\") = -1 EPERM (Operation not permitted)\n"
	       "3 ptrace(PTRACE_ATTACH, 4) = -1 EPERM (Operation not permitted)\n"
	       "3 prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) = 0\n"
	       "3 prctl(PR_SET_NAME, \"kworker/0:1\") = 0\n"
	       "3 prctl(PR_SET_CHILD_SUBREAPER, 1) = 0\n"
	       "3 capset({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, {effective=0}) = 0\n"
	       "3 bpf(BPF_PROG_LOAD, {prog_type=BPF_PROG_TYPE_SOCKET_FILTER}, 144) = -1 EPERM (Operation not permitted)\n"
	       "3 init_module(0x55, 100, \"\") = -1 EPERM (Operation not permitted)\n"
	       "3 setsid() = 3\n");
	cr_assert_eq(res.warnings, 0, "%s", res.first_warning);
	cr_assert_eq(collect_count(&c, DA_EV_PRIV_ID), 2);
	cr_assert_eq(collect_nth(&c, DA_EV_PRIV_ID, 1)->arg[1], 0);
	cr_assert_eq(collect_nth(&c, DA_EV_PRIV_ID, 1)->arg[0], -1);
	cr_assert_eq(collect_count(&c, DA_EV_PRIV_NS), 2, "unshare and clone(CLONE_NEWPID)");
	cr_assert_str_eq(collect_nth(&c, DA_EV_PRIV_NS, 0)->detail, "CLONE_NEWUSER|CLONE_NEWNET");
	cr_assert_str_eq(collect_nth(&c, DA_EV_PRIV_NS, 1)->detail, "CLONE_NEWPID");
	const struct da_event *m = collect_nth(&c, DA_EV_PRIV_MOUNT, 0);
	cr_assert_str_eq(m->path, "/mnt");
	cr_assert_str_eq(m->path2, "none");
	cr_assert_str_eq(m->detail, "tmpfs");
	cr_assert_str_eq(collect_nth(&c, DA_EV_PRIV_MOUNT, 1)->path, "/home/auditor/app/jail");
	const struct da_event *p = collect_find(&c, DA_EV_PRIV_PTRACE, NULL, NULL);
	cr_assert_eq(p->target_pid, 4);
	cr_assert_str_eq(p->detail, "PTRACE_ATTACH");
	cr_assert_eq(collect_count(&c, DA_EV_PRIV_CAP), 2);
	cr_assert_str_eq(collect_nth(&c, DA_EV_PRIV_CAP, 0)->detail, "PR_SET_NO_NEW_PRIVS");
	cr_assert_eq(collect_nth(&c, DA_EV_PRIV_CAP, 0)->arg[0], 1);
	cr_assert_str_eq(collect_nth(&c, DA_EV_PRIV_CAP, 1)->detail, "capset");
	cr_assert_eq(collect_count(&c, DA_EV_PRIV_KERNEL), 2);
	/* the new name (what ps shows), subreaper, setsid */
	cr_assert_eq(collect_count(&c, DA_EV_PROC_SESSION), 3);
	const struct da_event *nm = collect_nth(&c, DA_EV_PROC_SESSION, 0);
	cr_assert_str_eq(nm->detail, "PR_SET_NAME");
	cr_assert_str_eq(nm->raw_path, "kworker/0:1");
}

Test(strace_decode, per_pid_files_merge_by_time)
{
	char dir[] = "/tmp/dynaudit-ff-XXXXXX";
	cr_assert_not_null(mkdtemp(dir));
	char p1[256], p2[256];
	snprintf(p1, sizeof(p1), "%s/log.20", dir);
	snprintf(p2, sizeof(p2), "%s/log.21", dir);
	FILE *f = fopen(p1, "w");
	fputs("10:00:00.000000 execve(\"/bin/sh\", [\"sh\"], 0x1 /* 1 var */) = 0\n"
	      "10:00:00.100000 clone(child_stack=NULL, flags=SIGCHLD) = 21\n"
	      "10:00:00.300000 +++ exited with 0 +++\n", f);
	fclose(f);
	f = fopen(p2, "w");
	fputs("10:00:00.200000 execve(\"/bin/id\", [\"id\"], 0x1 /* 1 var */) = 0\n"
	      "10:00:00.250000 +++ exited with 0 +++\n", f);
	fclose(f);
	struct collect cc;
	struct strace_replay_result r;
	char err[256];
	collect_init(&cc);
	/* given one PREFIX.PID file: all of PREFIX.* is read */
	cr_assert_eq(source_strace_replay(p2, "/", cc.bus, &r, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(r.warnings, 0, "%s", r.first_warning);
	cr_assert_eq(r.main_pid, 20);
	cr_assert_str_eq(r.command[0], "sh");
	const struct da_event *e = collect_nth(&cc, DA_EV_PROC_EXEC, 1);
	cr_assert_eq(e->pid, 21);
	cr_assert_eq(e->ppid, 20);
	cr_assert_float_eq(e->time_s, 0.2, 1e-9);
	cr_assert_eq(cc.v[cc.n - 1].ev.kind, DA_EV_TARGET_EXIT);
	strace_replay_result_free(&r);
	collect_fini(&cc);
	/* given PREFIX */
	char prefix[256];
	snprintf(prefix, sizeof(prefix), "%s/log", dir);
	collect_init(&cc);
	cr_assert_eq(source_strace_replay(prefix, "/", cc.bus, &r, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(collect_count(&cc, DA_EV_PROC_EXEC), 2);
	strace_replay_result_free(&r);
	collect_fini(&cc);
	unlink(p1);
	unlink(p2);
	rmdir(dir);
	collect_init(&cc);
	cr_assert_lt(source_strace_replay(prefix, "/", cc.bus, &r, err, sizeof(err)), 0);
	cr_assert(strstr(err, "log") != NULL);
	collect_fini(&cc);
}

Test(strace_decode, log_cut_mid_call_keeps_the_first_half, .fini = done)
{
	replay("9 connect(3, {sa_family=AF_INET, sin_port=htons(1), sin_addr=inet_addr(\"127.0.0.1\")}, 16 <unfinished ...>\n");
	cr_assert_eq(res.warnings, 0, "%s", res.first_warning);
	const struct da_event *cn = collect_find(&c, DA_EV_NET_CONNECT, NULL, NULL);
	cr_assert_not_null(cn, "an unresumed call is still an event");
	cr_assert_str_eq(cn->addr, "127.0.0.1:1");
	const struct da_event *t = collect_find(&c, DA_EV_TARGET_EXIT, NULL, NULL);
	cr_assert_eq(t->arg[2], 1, "the log ended with the target running");
}

Test(strace_decode, terminal_shape_unprefixed_main_and_attach_notes, .fini = done)
{
	/* strace -f writing to stderr: no prefix while one process lives, its
	 * note cutting the clone line, then "[pid N]" for everybody. */
	replay("execve(\"/usr/bin/python3\", [\"python3\", \"rev.py\"], 0x7ff /* 5 vars */) = 0\n"
	       "socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_IP) = 3<socket:[14947]>\n"
	       "connect(3<socket:[14947]>, {sa_family=AF_INET, sin_port=htons(4444), sin_addr=inet_addr(\"127.0.0.1\")}, 16) = 0\n"
	       "clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLDstrace: Process 9 attached\n"
	       ", child_tidptr=0x7fac4f615310) = 9\n"
	       "[pid     9] dup2(3<socket:[14947]>, 0</dev/null>) = 0<socket:[14947]>\n"
	       "[pid     8] wait4(9,  <unfinished ...>\n"
	       "[pid     9] vfork(strace: Process 10 attached\n"
	       " <unfinished ...>\n"
	       "[pid    10] execve(\"/bin/sh\", [\"sh\"], 0x55 /* 5 vars */ <unfinished ...>\n"
	       "[pid     9] <... vfork resumed>)        = 10\n"
	       "[pid    10] <... execve resumed>)       = 0\n"
	       "[pid    10] +++ exited with 0 +++\n"
	       "[pid     9] +++ exited with 0 +++\n"
	       "<... wait4 resumed>[{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 9\n"
	       "restart_syscall(<... resuming interrupted read ...>) = 0\n"
	       "write(1, \"\\x68\\x69\\x0a\", 3) = 3\n"
	       "+++ exited with 0 +++\n");
	cr_assert_eq(res.warnings, 0, "%s", res.first_warning);
	cr_assert_eq(res.main_pid, 8, "the first [pid N] that is nobody's child");
	cr_assert_eq(collect_nth(&c, DA_EV_NET_CONNECT, 0)->pid, 8);
	const struct da_event *f = collect_nth(&c, DA_EV_PROC_FORK, 0);
	cr_assert_eq(f->target_pid, 9);
	cr_assert(strstr(f->text, "SIGCHLD, child_tidptr=") != NULL, "%s", f->text);
	const struct da_event *e = collect_find(&c, DA_EV_PROC_EXEC, NULL, "/bin/sh");
	cr_assert_eq(e->pid, 10);
	cr_assert_eq(e->ppid, 9, "adopted while vfork was unfinished");
	cr_assert_str_eq(e->stdio[0], "socket:inet/stream->127.0.0.1:4444");
	cr_assert_str_eq(e->stdio[1], "unknown");
	cr_assert_str_eq(collect_find(&c, DA_EV_OUTPUT, NULL, NULL)->detail, "hi");
	cr_assert_not_null(collect_find(&c, DA_EV_SYSCALL_OTHER, "restart_syscall", NULL));
	cr_assert_eq(collect_find(&c, DA_EV_TARGET_EXIT, NULL, NULL)->pid, 8);
}

Test(strace_decode, verbose_env_threads_and_cloexec, .fini = done)
{
	replay("1 1700000000.000000 execve(\"./app\", [\"./app\", \"--x\"], [\"PATH=/usr/bin\", \"LD_PRELOAD=/tmp/h.so\", \"HOME=/root\"]) = 0 <0.000400>\n"
	       "1 1700000000.500000 openat(AT_FDCWD, \"/etc/hosts\", O_RDONLY) = 3 <0.000010>\n"
	       "1 1700000000.600000 clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, child_tid=0x7f, parent_tid=0x7f, exit_signal=0, stack=0x7f, stack_size=0x7fff00, tls=0x7f} => {parent_tid=[2]}, 88) = 2 <0.000050>\n"
	       "2 1700000000.700000 openat(AT_FDCWD, \"/etc/passwd\", O_RDONLY|O_CLOEXEC) = 4 <0.000010>\n"
	       "2 1700000000.800000 fcntl(3, F_SETFD, FD_CLOEXEC) = 0\n"
	       "2 1700000000.800001 fcntl(4, F_DUPFD, 10) = 10\n"
	       "2 1700000000.800002 +++ exited with 0 +++\n"
	       "1 1700000000.900000 execve(\"/bin/cat\", [\"cat\"], [/* 2 vars */]) = 0\n"
	       "1 1700000000.950000 write(10, \"x\", 1) = 1\n"
	       "1 1700000000.960000 write(3, \"x\", 1) = -1 EBADF (Bad file descriptor)\n"
	       "1 1700000001.000000 exit_group(0) = ?\n"
	       "1 1700000001.000100 +++ exited with 0 +++\n");
	cr_assert_eq(res.warnings, 0, "%s", res.first_warning);
	const struct da_event *x = collect_nth(&c, DA_EV_PROC_EXEC, 0);
	cr_assert_str_eq(x->path, "/home/auditor/app/app");
	cr_assert_eq(x->argc, 2);
	cr_assert_str_eq(x->loader_env, "LD_PRELOAD=/tmp/h.so\n", "strace -v: the loader variables kept");
	cr_assert_null(collect_nth(&c, DA_EV_PROC_EXEC, 1)->loader_env, "no -v array: nothing known");
	const struct da_event *f = collect_find(&c, DA_EV_PROC_FORK, NULL, NULL);
	cr_assert_str_eq(f->detail, "thread");
	const struct da_event *o = collect_nth(&c, DA_EV_FILE_OPEN, 1);
	cr_assert_eq(o->pid, 1, "a thread's events carry its thread group id");
	cr_assert_eq(o->tid, 2);
	cr_assert_eq(collect_count(&c, DA_EV_PROC_EXIT), 1, "a thread's end is no process exit");
	/* fd 3 made CLOEXEC and fd 4 (CLOEXEC) gone at exec; fd 10 (dup) kept */
	const struct da_event *cat = collect_nth(&c, DA_EV_PROC_EXEC, 1);
	cr_assert_float_eq(cat->time_s, 0.9, 1e-6);
	cr_assert_str_eq(collect_nth(&c, DA_EV_FILE_WRITE, 0)->fd_desc, "/etc/passwd");
	cr_assert_null(collect_nth(&c, DA_EV_FILE_WRITE, 1)->fd_desc, "fd 3 was closed by exec");
	cr_assert_eq(collect_nth(&c, DA_EV_FILE_WRITE, 1)->err, 9);
	cr_assert_float_eq(res.last_time_s, 1.0001, 1e-6);
}

/* Sleeps keep their length (arg[0]) when the log shows a relative one. */
Test(strace_decode, sleep_lengths, .fini = done)
{
	replay("7 1700000000.000000 clock_nanosleep(CLOCK_REALTIME, 0, {tv_sec=3600, tv_nsec=0}, 0x7ffc) = 0\n"
	       "7 1700000000.100000 clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, {tv_sec=17709, tv_nsec=1}, NULL) = 0\n"
	       "7 1700000000.200000 nanosleep({tv_sec=2, tv_nsec=500}, NULL) = 0\n"
	       "7 1700000000.300000 nanosleep(0x7ffd1234, NULL) = 0\n");
	cr_assert_eq(res.warnings, 0, "%s", res.first_warning);
	cr_assert_eq(collect_nth(&c, DA_EV_SYSCALL_OTHER, 0)->arg[0], 3600);
	cr_assert_eq(collect_nth(&c, DA_EV_SYSCALL_OTHER, 1)->arg[0], -1, "absolute: unknown");
	cr_assert_eq(collect_nth(&c, DA_EV_SYSCALL_OTHER, 2)->arg[0], 2);
	cr_assert_eq(collect_nth(&c, DA_EV_SYSCALL_OTHER, 3)->arg[0], -1, "no struct: unknown");
}

/* Terminal ioctls (strace_decode_tty.c): the shapes strace 6.1 prints
 * (names, -X raw, -X verbose, -y), strace 4's stty words, and the same
 * event as the live tracer's (syscall_shapes.h). */
Test(strace_decode, terminal_ioctls, .fini = done)
{
	replay("7 ioctl(0</dev/pts/0>, TIOCSTI, \"x\") = -1 EIO (Input/output error)\n"
	       "7 openat(AT_FDCWD, \"/dev/console\", O_RDWR|O_NOCTTY) = 3</dev/console>\n"
	       "7 ioctl(3</dev/console>, SNDCTL_TMR_START or TCSETS, {c_iflag=, c_oflag=NL0|CR0|TAB0|BS0|VT0|FF0|ONLCR, "
	       "c_cflag=B38400|CS8|CREAD, c_lflag=ECHOE|ECHOK|ECHOCTL|ECHOKE, c_line=N_TTY, c_cc=[[VINTR]=0x3]}) = 0\n"
	       "7 ioctl(0, 0x5404 /* SNDCTL_TMR_CONTINUE or TCSETSF */, {c_iflag=, c_lflag=0x3 /* ISIG|ICANON */, ...}) = 0\n"
	       "7 ioctl(0, 0x5402, {c_iflag=, c_oflag=0|0|0|0|0|0|0x4, c_cflag=0xf|0x30|0x80, c_lflag=0xa3b, ...}) = 0\n"
	       "7 ioctl(0, TCSETSW, {B38400 opost isig -icanon -echo ...}) = 0\n"
	       "7 ioctl(0, TCSETS, 0x7ffc1234) = -1 EFAULT (Bad address)\n"
	       "7 ioctl(0, 0x4b45 /* KDSKBMODE */, 0 /* K_RAW */) = -1 ENOTTY (Inappropriate ioctl for device)\n"
	       "7 ioctl(0, KDSKBMODE, K_XLATE) = -1 ENOTTY (Inappropriate ioctl for device)\n"
	       "7 ioctl(0, TIOCLINUX, 0x7ffc82084f40) = -1 ENOTTY (Inappropriate ioctl for device)\n"
	       "7 ioctl(1, TCGETS, {c_iflag=ICRNL|IXON, c_lflag=ISIG|ICANON|ECHO}) = 0\n"
	       "7 ioctl(1, FIONREAD, [0]) = 0\n");
	cr_assert_eq(res.warnings, 0, "%s", res.first_warning);
	const struct da_event *e[12];
	size_t n = 0;
	for (size_t i = 0; i < collect_count(&c, DA_EV_SYSCALL_OTHER) && n < 12; i++) {
		const struct da_event *x = collect_nth(&c, DA_EV_SYSCALL_OTHER, i);
		if (x->syscall && !strcmp(x->syscall, "ioctl"))
			e[n++] = x;
	}
	cr_assert_eq(n, 11, "every ioctl is an event (%zu)", n);
	cr_assert_str_eq(e[0]->detail, "TIOCSTI");
	cr_assert_eq(e[0]->arg[1], 'x');
	cr_assert_str_eq(e[0]->path, "/dev/pts/0");
	cr_assert_eq(e[0]->err, 5, "denied: still the attempt");
	cr_assert_str_eq(e[1]->detail, "TCSETS");
	cr_assert_str_eq(e[1]->path, "/dev/console");
	cr_assert_eq(e[1]->arg[2], SHAPE_TTY_NO_CANON | SHAPE_TTY_NO_ECHO, "raw: no ICANON, no ECHO");
	cr_assert_str_eq(e[2]->detail, "TCSETSF");
	cr_assert_eq(e[2]->arg[2], SHAPE_TTY_NO_ECHO, "-X verbose number: echo off (a password prompt)");
	cr_assert_str_eq(e[3]->detail, "TCSETS");
	cr_assert_eq(e[3]->arg[1], 0xa3b);
	cr_assert_eq(e[3]->arg[2], 0, "-X raw: line mode kept");
	cr_assert_eq(e[4]->arg[2], SHAPE_TTY_NO_CANON | SHAPE_TTY_NO_ECHO, "strace 4's -icanon -echo");
	cr_assert_eq(e[5]->arg[1], -1, "an unread termios is unknown");
	cr_assert_eq(e[5]->arg[2], 0);
	cr_assert_str_eq(e[6]->detail, "KDSKBMODE");
	cr_assert_eq(e[6]->arg[1], 0, "K_RAW");
	cr_assert_eq(e[7]->arg[1], 1, "K_XLATE");
	cr_assert_str_eq(e[8]->detail, "TIOCLINUX");
	cr_assert_eq(e[8]->arg[1], -1, "the subcode strace did not read");
	cr_assert_null(e[9]->detail, "TCGETS is no terminal capture");
	cr_assert_null(e[10]->detail, "FIONREAD neither");
}

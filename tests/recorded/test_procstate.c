/*
 * test_procstate.c — fd tables, cwd and symlinks as the kernel shares them.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "common/procstate.h"
#include "common/procstate_stdio.h"

static char buf[8192];

Test(procstate, dup2_socket_onto_stdin_survives_exec)
{
	struct procstate *ps = procstate_new("/home/auditor/app");
	procstate_fd_set(ps, 10, 3, "socket:inet/stream->127.0.0.1:4444", true);
	procstate_fd_dup(ps, 10, 3, 0, false);
	procstate_fd_dup(ps, 10, 3, 1, false);
	procstate_exec(ps, 10);
	cr_assert_str_eq(procstate_fd_get(ps, 10, 0), "socket:inet/stream->127.0.0.1:4444");
	cr_assert_str_eq(procstate_fd_get(ps, 10, 1), "socket:inet/stream->127.0.0.1:4444");
	cr_assert_null(procstate_fd_get(ps, 10, 3), "the CLOEXEC original is gone after exec");
	cr_assert_str_eq(procstate_fd_get(ps, 10, 2), "unknown");
	procstate_free(ps);
}

Test(procstate, cloexec_flag_changes_are_honoured)
{
	struct procstate *ps = procstate_new("/");
	procstate_fd_set(ps, 1, 4, "/etc/passwd", false);
	procstate_fd_set(ps, 1, 5, "/etc/group", true);
	procstate_fd_set_cloexec(ps, 1, 4, true);
	procstate_fd_set_cloexec(ps, 1, 5, false);
	procstate_exec(ps, 1);
	cr_assert_null(procstate_fd_get(ps, 1, 4));
	cr_assert_str_eq(procstate_fd_get(ps, 1, 5), "/etc/group");
	procstate_free(ps);
}

Test(procstate, threads_share_fds_and_cwd_fork_copies)
{
	struct procstate *ps = procstate_new("/w");
	procstate_fork(ps, 100, 101, true, true, true);   /* thread */
	procstate_fork(ps, 100, 102, false, false, false); /* fork */
	procstate_fork(ps, 100, 103, false, true, false);  /* clone(CLONE_FILES) */
	procstate_fd_set(ps, 101, 7, "pipe", false);
	procstate_chdir(ps, 101, "/tmp");
	cr_assert_str_eq(procstate_fd_get(ps, 100, 7), "pipe", "thread's open is the group's");
	cr_assert_str_eq(procstate_fd_get(ps, 103, 7), "pipe", "CLONE_FILES shares the table");
	cr_assert_null(procstate_fd_get(ps, 102, 7), "fork made a copy before");
	cr_assert_str_eq(procstate_cwd(ps, 100), "/tmp");
	cr_assert_str_eq(procstate_cwd(ps, 102), "/w");
	cr_assert_eq(procstate_tgid(ps, 101), 100);
	cr_assert_eq(procstate_ppid(ps, 102), 100);
	cr_assert_eq(procstate_tgid(ps, 555), 555, "unknown tid is its own leader");
	/* exec un-shares a CLONE_FILES table */
	procstate_fd_set(ps, 103, 8, "/x", true);
	procstate_exec(ps, 103);
	cr_assert_null(procstate_fd_get(ps, 103, 8));
	cr_assert_str_eq(procstate_fd_get(ps, 100, 8), "/x", "the sharer keeps its fd");
	procstate_exit(ps, 102);
	cr_assert(!procstate_known(ps, 102));
	procstate_free(ps);
}

Test(procstate, resolve_cwd_dirfd_dotdot)
{
	struct procstate *ps = procstate_new("/home/auditor/app");
	cr_assert_str_eq(procstate_resolve(ps, 1, -100, "server.py", buf, sizeof(buf)),
			 "/home/auditor/app/server.py");
	cr_assert_str_eq(procstate_resolve(ps, 1, -100, "../.ssh/./id_rsa", buf, sizeof(buf)),
			 "/home/auditor/.ssh/id_rsa");
	cr_assert_str_eq(procstate_resolve(ps, 1, -100, "../../../../../etc//shadow", buf, sizeof(buf)),
			 "/etc/shadow");
	procstate_fd_set(ps, 1, 9, "/usr/lib", false);
	cr_assert_str_eq(procstate_resolve(ps, 1, 9, "python3/os.py", buf, sizeof(buf)),
			 "/usr/lib/python3/os.py");
	cr_assert_str_eq(procstate_resolve(ps, 1, 9, "", buf, sizeof(buf)), "/usr/lib",
			 "empty path is the dirfd itself");
	cr_assert_str_eq(procstate_resolve(ps, 1, 9, "/abs", buf, sizeof(buf)), "/abs");
	char small[4];
	cr_assert_null(procstate_resolve(ps, 1, -100, "long-name", small, sizeof(small)));
	char p1[] = "/a/./b//../c/", p2[] = "/..", p3[] = "/";
	cr_assert_str_eq(path_normalize(p1), "/a/c");
	cr_assert_str_eq(path_normalize(p2), "/");
	cr_assert_str_eq(path_normalize(p3), "/");
	procstate_free(ps);
}

Test(procstate, learned_symlinks_are_followed_and_loops_bounded)
{
	struct procstate *ps = procstate_new("/home/auditor/app");
	procstate_add_symlink(ps, "/home/auditor/app/etc_link", "/etc");
	cr_assert_str_eq(procstate_resolve(ps, 1, -100, "etc_link/shadow", buf, sizeof(buf)),
			 "/etc/shadow");
	procstate_add_symlink(ps, "/home/auditor/app/rel", "../.ssh");
	cr_assert_str_eq(procstate_resolve(ps, 1, -100, "rel/id_rsa", buf, sizeof(buf)),
			 "/home/auditor/.ssh/id_rsa");
	procstate_add_symlink(ps, "/loop/a", "/loop/b");
	procstate_add_symlink(ps, "/loop/b", "/loop/a");
	cr_assert_not_null(procstate_resolve(ps, 1, -100, "/loop/a/x", buf, sizeof(buf)),
			   "a loop ends after 40 hops");
	procstate_free(ps);
}

Test(procstate, origin_and_marks)
{
	struct procstate *ps = procstate_new("/");
	procstate_set_original_stdio(ps, 5, "unknown");
	cr_assert_eq(procstate_fd_origin(ps, 5, 1), 1);
	procstate_fd_dup(ps, 5, 1, 9, false);
	cr_assert_eq(procstate_fd_origin(ps, 5, 9), 1, "a dup is still the original stdout");
	procstate_fd_refine(ps, 5, 1, "/dev/pts/0");
	cr_assert_eq(procstate_fd_origin(ps, 5, 1), 1, "refining keeps the origin");
	procstate_fd_set(ps, 5, 7, "socket:inet/stream", false);
	procstate_fd_dup(ps, 5, 7, 1, false);
	cr_assert_eq(procstate_fd_origin(ps, 5, 1), -1, "dup2 onto stdout re-points it");
	cr_assert_eq(procstate_fd_mark(ps, 5, 7, 1), 0u);
	cr_assert_eq(procstate_fd_mark(ps, 5, 7, 1), 1u);
	procstate_fork(ps, 5, 6, false, false, false);
	cr_assert_eq(procstate_fd_mark(ps, 6, 7, 1), 0u, "marks are per process");
	cr_assert_eq(procstate_fd_origin(ps, 6, 2), 2, "origin is inherited");
	procstate_fd_set(ps, 5, 1 << 21, "x", false); /* hostile fd: ignored */
	cr_assert_null(procstate_fd_get(ps, 5, 1 << 21));
	procstate_free(ps);
}

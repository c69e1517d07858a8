/*
 * test_glue.c — program output glued to strace lines (issue 13 §3): the
 * target's stderr shared strace's output, so its bytes sit in front of
 * strace's next line.  The call behind them is read; a call mixed with
 * output beyond recovery is counted as lost and marks the replay
 * incomplete.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "collect.h"
#include "recorded/source_strace.h"

static struct collect c;
static struct strace_replay_result res;

static void replay(const char *text)
{
	collect_init(&c);
	cr_assert_eq(collect_replay_text(&c, text, "/app", &res), 0);
}

static void done(void)
{
	strace_replay_result_free(&res);
	collect_fini(&c);
}

Test(glue, output_in_front_of_an_execve_hides_nothing, .fini = done)
{
	replay("execve(\"/usr/bin/python3\", [\"python3\", \"x.py\"], 0x7ffc /* 3 vars */) = 0\n"
	       "payloadexecve(\"/bin/sh\", [\"sh\", \"-c\", \"id\"], 0x7ffc /* 3 vars */) = 0\n"
	       "exit_group(0) = ?\n+++ exited with 0 +++\n");
	cr_assert_not_null(collect_find(&c, DA_EV_PROC_EXEC, "execve", "/bin/sh"),
			   "the glued execve is an exec event");
	cr_assert_eq(res.glued_recovered, 1);
	cr_assert_eq(res.glued_lost, 0);
	cr_assert_eq(res.warnings, 0, "%s", res.first_warning);
	cr_assert_eq(res.incomplete[0], '\0');
	cr_assert_eq(res.n_notes, 1);
	cr_assert(strstr(res.notes[0], "glued"), "%s", res.notes[0]);
}

Test(glue, pid_prefix_and_timestamp_behind_output, .fini = done)
{
	replay("10:00:00.000001 execve(\"/usr/bin/python3\", [\"python3\"], 0x7f /* 3 vars */) = 0\n"
	       "10:00:00.000002 clone(child_stack=NULL, flags=SIGCHLD) = 12\n"
	       "progress 50%[pid    12] 10:00:00.000003 execve(\"/bin/sh\", [\"sh\"], 0x7f /* 3 vars */) = 0\n"
	       "x = (1)10:00:00.500000 openat(AT_FDCWD, \"/etc/shadow\", O_RDONLY) = -1 EACCES (Permission denied)\n"
	       "[pid    12] 10:00:00.600000 +++ exited with 0 +++\n");
	const struct da_event *ex = collect_find(&c, DA_EV_PROC_EXEC, "execve", "/bin/sh");
	cr_assert_not_null(ex);
	cr_assert_eq(ex->pid, 12, "the [pid N] prefix behind the output is kept");
	const struct da_event *op = collect_find(&c, DA_EV_FILE_OPEN, NULL, "/etc/shadow");
	cr_assert_not_null(op, "a '(' inside the output does not hide the call");
	cr_assert(op->time_s > 0.4999 && op->time_s < 0.5, "the timestamp behind the output is kept (%f)", op->time_s);
	cr_assert_eq(res.glued_recovered, 2);
}

Test(glue, a_call_cut_by_output_lines_is_joined, .fini = done)
{
	/* the output held newlines: the call's tail is on a later line */
	replay("execve(\"/bin/true\", [\"true\"], 0x7f /* 3 vars */) = 0\n"
	       "write(1, \"a\\nb\\nc\", 5a\n"
	       "b\n"
	       "c) = 5\n"
	       "wait4(-1, hello world\n"
	       "NULL, 0, NULL)                = 17079\n"
	       "exit_group(0) = ?\n+++ exited with 0 +++\n");
	cr_assert_eq(res.warnings, 0, "%s", res.first_warning);
	cr_assert_eq(res.glued_recovered, 2);
	cr_assert_eq(res.glued_lost, 0);
	cr_assert_not_null(collect_find(&c, DA_EV_OUTPUT, NULL, NULL), "the write is output");
	cr_assert_eq(res.incomplete[0], '\0');
}

Test(glue, a_call_whose_tail_never_comes_is_lost, .fini = done)
{
	replay("execve(\"/bin/true\", [\"true\"], 0x7f /* 3 vars */) = 0\n"
	       "write(2, \"a\\n\", 2a\n"
	       "openat(AT_FDCWD, \"/etc/hosts\", O_RDONLY) = 3\n"
	       "b) = 3 trailing) = junk\n"
	       "exit_group(0) = ?\n+++ exited with 0 +++\n");
	cr_assert_eq(res.glued_lost, 2, "the head and the orphan tail");
	cr_assert(strstr(res.incomplete, "could not be read"), "%s", res.incomplete);
	cr_assert_not_null(collect_find(&c, DA_EV_FILE_OPEN, NULL, "/etc/hosts"));
}

Test(glue, unknown_syscall_names_are_not_glue, .fini = done)
{
	replay("execve(\"/bin/true\", [\"true\"], 0x7f /* 3 vars */) = 0\n"
	       "syscall_0x1b6(0x1, 0x2) = -1 ENOSYS (Function not implemented)\n"
	       "exit_group(0) = ?\n+++ exited with 0 +++\n");
	cr_assert_eq(res.glued_recovered, 0);
	cr_assert_eq(res.glued_lost, 0);
	cr_assert_eq(res.warnings, 0);
}

Test(glue, a_last_call_strace_was_stopped_inside_is_not_lost, .fini = done)
{
	/* strace -p, then ^C while poll blocked: the last line has no end */
	replay("poll([{fd=6, events=POLLIN}], 1, 1000) = 0 (Timeout)\n"
	       "poll([{fd=6, events=POLLIN}], 1, 3600000\n");
	cr_assert_eq(res.glued_lost, 0);
	cr_assert_eq(res.warnings, 0, "%s", res.first_warning);
	cr_assert_eq(res.incomplete[0], '\0', "%s", res.incomplete);
	cr_assert_eq(collect_count(&c, DA_EV_SYSCALL_OTHER), 2, "both polls are events");
}

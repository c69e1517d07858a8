/*
 * test_extra.c — strace's own output that is not a call (issue 13 §3):
 * strace 4.x process notes cutting calls, -k frames, -e read= dumps, -c
 * tables: read knowingly, never as unparsable lines.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "collect.h"
#include "recorded/source_strace.h"
#include "recorded/strace_extra.h"

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

static bool has_note(const char *what)
{
	for (size_t i = 0; i < res.n_notes; i++)
		if (strstr(res.notes[i], what))
			return true;
	return false;
}

/* the shapes of strace 4.x with -f to a terminal (pub22 in the shared logs) */
Test(extra, strace4_process_notes_cut_out_of_calls, .fini = done)
{
	replay("execve(\"./cmd\", [\"./cmd\"], [/* 60 vars */]) = 0\n"
	       "clone(Process 20017 attached (waiting for parent)\n"
	       "Process 20017 resumed (parent 20016 ready)\n"
	       "child_stack=0x7f81421bdfa8, flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD) = 20017\n"
	       "Process 20018 attached (waiting for parent)\n"
	       "[pid 20017] select(0, NULL, NULL, NULL, {0, 20}Process 20018 resumed (parent 20016 ready)\n"
	       " <unfinished ...>\n"
	       "[pid 20018] open(\"/etc/hosts\", O_RDONLY|O_CLOEXECProcess 20020 attached (waiting for parent)\n"
	       ") = 3\n"
	       "[pid 20017] <... select resumed> )      = 0 (Timeout)\n"
	       "[pid 20016] exit_group(0) = ?\n");
	cr_assert_eq(res.warnings, 0, "%s", res.first_warning);
	cr_assert_not_null(collect_find(&c, DA_EV_FILE_OPEN, "open", "/etc/hosts"));
	cr_assert(has_note("process note"));
}

Test(extra, stack_frames_dumps_and_tables_are_not_calls, .fini = done)
{
	replay("1700000001.000000 execve(\"/bin/cat\", [\"cat\", \"f\"], 0x7f /* 3 vars */) = 0\n"
	       " > /usr/lib/x86_64-linux-gnu/libc.so.6(execve+0xb) [0xe5f3b]\n"
	       " > unexpected_backtracing_error [0x7f00]\n"
	       "1700000002.000000 read(3, \"hi\\n\", 4096) = 3\n"
	       " | 00000  68 69 0a                                          hi.              |\n"
	       "1700000003.000000 exit_group(0) = ?\n"
	       "1700000003.000001 +++ exited with 0 +++\n"
	       "% time     seconds  usecs/call     calls    errors syscall\n"
	       "------ ----------- ----------- --------- --------- ----------------\n"
	       " 45.21    0.000123          11        11         2 openat\n"
	       "  0.00    0.000000           0         1           read\n"
	       "100.00    0.000272                   118        14 total\n");
	cr_assert_eq(res.warnings, 0, "%s", res.first_warning);
	cr_assert(has_note("-k stack-frame"));
	cr_assert(has_note("hex-dump"));
	cr_assert(has_note("summary-table"));
	cr_assert(res.last_time_s > 2.0 && res.last_time_s < 2.1, "'100.00' is not a timestamp (%f)", res.last_time_s);
}

Test(extra, classifier_rejects_call_lines)
{
	static const char *const calls[] = {
		"123 read(3, \"x\", 1) = 1", "1700000000.123456 read(3, \"\", 1) = 0",
		"  0.000012 read(3, \"\", 1) = 0", "--- SIGCHLD {si_signo=SIGCHLD} ---",
		"[pid 12] write(1, \"a\", 1) = 1",
	};
	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
		cr_assert_eq(strace_extra_kind(calls[i], strlen(calls[i])), STRACE_EXTRA_NONE, "%s",
			     calls[i]);
	const char *row = "  0.00    0.000000           0         1           read";
	cr_assert_eq(strace_extra_kind(row, strlen(row)), STRACE_EXTRA_SUMMARY);
}

Test(extra, only_a_summary_table_is_no_log)
{
	collect_init(&c);
	struct strace_replay_result r;
	cr_assert_eq(collect_replay_text(&c, "% time     seconds  usecs/call     calls    errors syscall\n"
					  "------ ----------- ----------- --------- --------- ------\n"
					  "100.00    0.000272                   118        14 total\n",
					  "/app", &r),
		     -ENODATA);
	collect_fini(&c);
}

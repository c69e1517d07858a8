/*
 * test_progclass.c — the program classes of libdynaudit-sdk.
 */
#include <criterion/criterion.h>

#include "dynaudit/progclass.h"

Test(progclass, shells)
{
	static const char *const yes[] = {"sh", "bash", "dash", "zsh", "ksh93", "mksh", "fish",
					  "tcsh", "rbash", "yash", NULL};
	for (const char *const *n = yes; *n; n++)
		cr_expect(da_prog_is_shell(*n), "%s", *n);
	cr_expect_not(da_prog_is_shell("busybox"), "a multi-call binary, named by callers");
	cr_expect_not(da_prog_is_shell("bashful"));
	cr_expect_not(da_prog_is_shell("python3"));
	cr_expect_not(da_prog_is_shell(NULL));
}

Test(progclass, script_runners_include_versioned_interpreters)
{
	cr_expect(da_prog_is_script_runner("python3.11"));
	cr_expect(da_prog_is_script_runner("perl5.36"));
	cr_expect(da_prog_is_script_runner("node"));
	cr_expect(da_prog_is_script_runner("sh"));
	cr_expect_not(da_prog_is_script_runner("gcc"));
	cr_expect_not(da_prog_is_script_runner(""));
}

Test(progclass, toolchain)
{
	cr_expect(da_prog_is_toolchain("gcc-12"));
	cr_expect(da_prog_is_toolchain("x86_64-linux-gnu-gcc-12"));
	cr_expect(da_prog_is_toolchain("cc1plus"));
	cr_expect(da_prog_is_toolchain("ld.gold"));
	cr_expect(da_prog_is_toolchain("rustc"));
	cr_expect_not(da_prog_is_toolchain("python3"));
	cr_expect_not(da_prog_is_toolchain(NULL));
}

Test(progclass, process_listers_and_base_names)
{
	cr_expect(da_prog_is_process_lister("ps"));
	cr_expect(da_prog_is_process_lister("pgrep"));
	cr_expect(da_prog_is_process_lister("procps"));
	cr_expect_not(da_prog_is_process_lister("psql"));
	cr_expect_str_eq(da_prog_base_name("/usr/bin/ps"), "ps");
	cr_expect_str_eq(da_prog_base_name("ps"), "ps");
	cr_expect_str_eq(da_prog_base_name("/usr/bin/"), "");
	cr_expect_str_eq(da_prog_base_name(NULL), "");
}

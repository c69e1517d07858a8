/*
 * test_detector.c — the detector helpers of libdynaudit-sdk: a finding
 * built from its parts reaches host->emit whole, and the string helpers.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "dynaudit/detector.h"

static struct da_finding seen;
static int n_seen;

static int fake_emit(const struct da_host *host, const struct da_finding *f)
{
	(void)host;
	seen = *f;
	n_seen++;
	return f->rule && f->message ? 0 : -EINVAL;
}

Test(detector, emit_finding_fills_every_member)
{
	struct da_host host = {.struct_size = sizeof(host), .emit = fake_emit};
	const char *ev[] = {"execve(\"/bin/sh\")", "connect(3, ...)"};
	n_seen = 0;
	cr_assert_eq(da_emit_finding(&host, "x.rule", DA_SEV_HIGH, "msg", 42, 1.5, ev, 2, "fix"), 0);
	cr_assert_eq(n_seen, 1);
	cr_expect_eq(seen.struct_size, sizeof(struct da_finding));
	cr_expect_str_eq(seen.rule, "x.rule");
	cr_expect_eq(seen.severity, DA_SEV_HIGH);
	cr_expect_str_eq(seen.message, "msg");
	cr_expect_eq(seen.pid, 42);
	cr_expect_float_eq(seen.time_s, 1.5, 1e-9);
	cr_expect_eq(seen.n_evidence, 2);
	cr_expect_eq(seen.evidence, ev);
	cr_expect_str_eq(seen.recommendation, "fix");
}

Test(detector, emit_finding_without_evidence_and_errors_pass_through)
{
	struct da_host host = {.struct_size = sizeof(host), .emit = fake_emit};
	const char *ev[] = {"unused"};
	cr_assert_eq(da_emit_finding(&host, "x.rule", DA_SEV_INFO, "m", 0, -1, ev, 0, NULL), 0);
	cr_expect_null(seen.evidence, "no lines: no evidence pointer");
	cr_expect_null(seen.recommendation);
	cr_expect_eq(da_emit_finding(&host, "x.rule", DA_SEV_INFO, NULL, 0, -1, NULL, 0, NULL), -EINVAL);
}

static char seen_message[2048];

static int fake_emit_keep(const struct da_host *host, const struct da_finding *f)
{
	int rc = fake_emit(host, f);
	snprintf(seen_message, sizeof(seen_message), "%s", f->message ? f->message : "(null)");
	return rc;
}

Test(detector, emit_findingf_formats_the_message_and_keeps_the_rest)
{
	struct da_host host = {.struct_size = sizeof(host), .emit = fake_emit_keep};
	const char *ev[] = {"openat(AT_FDCWD, \"/etc/shadow\", O_RDONLY) = 3"};
	char buf[64] = "stale";
	n_seen = 0;
	struct da_finding f = {.rule = "x.rule", .severity = DA_SEV_HIGH, .pid = 7, .time_s = 2.5,
			       .evidence = ev, .n_evidence = 1, .recommendation = "fix"};
	cr_assert_eq(da_emit_findingf(&host, &f, buf, sizeof(buf), "reads %s (%d times)", "/etc/shadow", 3), 0);
	cr_assert_eq(n_seen, 1);
	cr_expect_eq(seen.struct_size, sizeof(struct da_finding), "struct_size is set by the library");
	cr_expect_str_eq(seen_message, "reads /etc/shadow (3 times)");
	cr_expect_str_eq(buf, "reads /etc/shadow (3 times)", "the caller's buffer holds the message");
	cr_expect_eq(seen.message, buf);
	cr_expect_str_eq(seen.rule, "x.rule");
	cr_expect_eq(seen.severity, DA_SEV_HIGH);
	cr_expect_eq(seen.pid, 7);
	cr_expect_float_eq(seen.time_s, 2.5, 1e-9);
	cr_expect_eq(seen.evidence, ev);
	cr_expect_eq(seen.n_evidence, 1);
	cr_expect_str_eq(seen.recommendation, "fix");
	cr_expect_null(f.message, "the caller's finding is not changed");
}

Test(detector, emit_findingf_appends_the_tail_and_cuts_to_fit)
{
	struct da_host host = {.struct_size = sizeof(host), .emit = fake_emit_keep};
	char buf[16];
	struct da_finding f = {.rule = "x.rule", .severity = DA_SEV_LOW, .message = " (failed: EPERM)",
			       .time_s = -1};
	cr_assert_eq(da_emit_findingf(&host, &f, buf, sizeof(buf), "mount %s", "/"), 0);
	cr_expect_str_eq(buf, "mount / (failed", "format then tail, cut to buf: '%s'", buf);
	cr_expect_eq(strlen(buf), sizeof(buf) - 1);
	/* a message longer than the buffer: cut, the tail does not fit at all */
	cr_assert_eq(da_emit_findingf(&host, &f, buf, sizeof(buf), "%s", "0123456789abcdefghij"), 0);
	cr_expect_str_eq(buf, "0123456789abcde");
	/* no evidence lines: no evidence pointer, as da_emit_finding */
	const char *ev[] = {"unused"};
	f.evidence = ev;
	f.n_evidence = 0;
	cr_assert_eq(da_emit_findingf(&host, &f, buf, sizeof(buf), "x"), 0);
	cr_expect_null(seen.evidence);
}

Test(detector, emit_findingf_without_a_buffer_uses_its_own)
{
	struct da_host host = {.struct_size = sizeof(host), .emit = fake_emit_keep};
	char longer[1500];
	memset(longer, 'a', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	struct da_finding f = {.rule = "x.rule", .severity = DA_SEV_INFO, .time_s = -1};
	cr_assert_eq(da_emit_findingf(&host, &f, NULL, 0, "%s!", longer), 0);
	cr_expect_eq(strlen(seen_message), DA_FINDING_MESSAGE_MAX - 1, "cut to DA_FINDING_MESSAGE_MAX");
	/* host->emit's answer is passed back */
	f.rule = NULL;
	cr_expect_eq(da_emit_findingf(&host, &f, NULL, 0, "m"), -EINVAL);
}

Test(detector, hash_is_fnv1a_with_the_detectors_basis)
{
	cr_expect_eq(da_hash_str(""), 1469598103934665603ull);
	cr_expect_eq(da_hash_str("a"), 0x44bd8ad473cd9906ull);
	cr_expect_neq(da_hash_str("/tmp/a"), da_hash_str("/tmp/b"));
}

Test(detector, copy_text_cuts_and_terminates)
{
	char buf[4];
	da_copy_text(buf, sizeof(buf), "abcdef");
	cr_expect_str_eq(buf, "abc");
	da_copy_text(buf, sizeof(buf), "");
	cr_expect_str_eq(buf, "");
	char one[1];
	da_copy_text(one, sizeof(one), "x");
	cr_expect_eq(one[0], '\0');
}

Test(detector, prefixes_and_suffixes)
{
	cr_expect(da_str_starts_with("/tmp/x", "/tmp/"));
	cr_expect_not(da_str_starts_with("/tm", "/tmp/"));
	cr_expect_not(da_str_starts_with(NULL, "/"));
	cr_expect(da_str_ends_with("lib.so", ".so"));
	cr_expect(da_str_ends_with(".so", ".so"));
	cr_expect_not(da_str_ends_with("so", ".so"));
	cr_expect_not(da_str_ends_with(NULL, ".so"));
}

Test(detector, no_options_is_an_empty_list)
{
	cr_expect_null(da_no_options[0].key);
}

Test(detector, temp_dirs)
{
	cr_expect(da_path_in_temp("/tmp/.x"));
	cr_expect(da_path_in_temp("/var/tmp"));
	cr_expect(da_path_in_temp("/dev/shm/a/b"));
	cr_expect_not(da_path_in_temp("/tmpfoo/x"));
	cr_expect_not(da_path_in_temp("/home/auditor/tmp/x"));
	cr_expect_not(da_path_in_temp(NULL));
	cr_expect_str_eq(da_temp_dirs[0], "/tmp");
}

Test(detector, hidden_names)
{
	cr_expect(da_path_has_hidden("/tmp/.x"));
	cr_expect(da_path_has_hidden("/.dockerenv"));
	cr_expect(da_path_has_hidden(".cache/p"));
	cr_expect(da_path_has_hidden("/run/lock/.cache/p"));
	cr_expect(da_path_has_hidden("a//.b"));
	cr_expect_not(da_path_has_hidden("/run/lock/app/../p"));
	cr_expect_not(da_path_has_hidden("./out.txt"));
	cr_expect_not(da_path_has_hidden("/srv/./data"));
	cr_expect_not(da_path_has_hidden("/"));
	cr_expect_not(da_path_has_hidden(""));
	cr_expect_not(da_path_has_hidden(NULL));
}

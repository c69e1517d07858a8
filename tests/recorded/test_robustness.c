/*
 * test_robustness.c — hostile and broken input: every truncated prefix of
 * a real log, seeded random garbage, a 1 MB line, a line over the cap, NUL
 * bytes, unbalanced quotes.  Never a crash (run under ASan/UBSan with
 * -Dsanitize=true); broken lines are counted warnings with file:line; a
 * file without one syscall line is an error (-ENODATA), not a clean run.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collect.h"
#include "recorded/source_strace.h"

static char *slurp(const char *rel, size_t *len)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", FIXTURES_DIR, rel);
	FILE *f = fopen(path, "rb");
	cr_assert_not_null(f, "%s", path);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = malloc((size_t)n + 1);
	cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	buf[n] = '\0';
	*len = (size_t)n;
	return buf;
}

static int replay_bytes(const char *data, size_t len, struct strace_replay_result *res)
{
	char path[] = "/tmp/dynaudit-fuzz-XXXXXX";
	int fd = mkstemp(path);
	cr_assert(fd >= 0);
	cr_assert_eq(write(fd, data, len), (ssize_t)len);
	close(fd);
	struct bus *bus = bus_new();
	char err[256];
	int rc = source_strace_replay(path, "/home/auditor/app", bus, res, err, sizeof(err));
	bus_free(bus);
	unlink(path);
	return rc;
}

/* Until its first line is whole, a prefix holds no syscall: an error. */
static void assert_prefix_rc(const char *log, size_t n, int rc)
{
	const char *nl = memchr(log, '\n', n);
	if (nl)
		cr_assert_eq(rc, 0, "prefix %zu", n);
	else
		cr_assert(rc == 0 || rc == -ENODATA, "prefix %zu: %d", n, rc);
}

Test(robustness, every_prefix_of_a_real_log)
{
	size_t len;
	char *log = slurp("crash-segv/strace.log", &len);
	for (size_t n = 0; n <= len; n++) {
		struct strace_replay_result res;
		assert_prefix_rc(log, n, replay_bytes(log, n, &res));
		/* a cut can only break the last line */
		cr_assert_leq(res.warnings, 1, "prefix %zu: %s", n, res.first_warning);
		strace_replay_result_free(&res);
	}
	free(log);
}

Test(robustness, prefixes_of_an_interleaved_log)
{
	size_t len;
	char *log = slurp("reverse-shell/strace.log", &len);
	for (size_t n = 0; n <= len; n += 97) {
		struct strace_replay_result res;
		assert_prefix_rc(log, n, replay_bytes(log, n, &res));
		cr_assert_leq(res.warnings, 1, "prefix %zu: %s", n, res.first_warning);
		strace_replay_result_free(&res);
	}
	free(log);
}

Test(robustness, seeded_garbage_and_mutations)
{
	size_t len;
	char *log = slurp("privilege-attempts/strace.log", &len);
	unsigned seed = 12345;
	char *buf = malloc(len + 1);
	for (int round = 0; round < 300; round++) {
		memcpy(buf, log, len);
		int flips = 1 + (int)(rand_r(&seed) % 40);
		for (int k = 0; k < flips; k++) {
			static const char alphabet[] = "()[]{}<>\"\\,=|?0123456789 \n+-.";
			size_t pos = (size_t)rand_r(&seed) % len;
			buf[pos] = rand_r(&seed) % 3 ? alphabet[rand_r(&seed) % (sizeof(alphabet) - 1)]
						     : (char)(rand_r(&seed) & 0xff);
		}
		struct strace_replay_result res;
		cr_assert_eq(replay_bytes(buf, len, &res), 0);
		strace_replay_result_free(&res);
	}
	/* pure noise */
	char noise[65536];
	for (size_t i = 0; i < sizeof(noise); i++)
		noise[i] = (char)(rand_r(&seed) & 0xff);
	struct strace_replay_result res;
	cr_assert_eq(replay_bytes(noise, sizeof(noise), &res), -ENODATA, "noise is no audit");
	cr_assert_gt(res.warnings, 0);
	strace_replay_result_free(&res);
	free(buf);
	free(log);
}

Test(robustness, huge_lines_nul_bytes_unbalanced)
{
	size_t big = 1u << 20;
	char *data = malloc(big * 6 + 256);
	cr_assert_not_null(data);
	size_t n = 0;
	n += (size_t)sprintf(data + n, "1 write(1, \"");
	memset(data + n, 'A', big);
	n += big;
	n += (size_t)sprintf(data + n, "\\n\", %zu) = %zu\n", big + 1, big + 1);
	/* over the 4 MiB cap */
	memset(data + n, '(', big * 5);
	n += big * 5;
	data[n++] = '\n';
	memcpy(data + n, "1 close(3)\0 = 0\n", 16);
	n += 16;
	n += (size_t)sprintf(data + n, "1 open(\"unterminated, O_RDONLY) = 3\n"
					"1 <... read resumed>) = 1\n"
					"[pid 99999999999999] close(3) = 0\n"
					"1 exit_group(0) = ?\n1 +++ exited with 0 +++\n");
	struct collect c;
	struct strace_replay_result res;
	char path[] = "/tmp/dynaudit-huge-XXXXXX";
	int fd = mkstemp(path);
	cr_assert_eq(write(fd, data, n), (ssize_t)n);
	close(fd);
	collect_init(&c);
	char err[256];
	cr_assert_eq(source_strace_replay(path, "/", c.bus, &res, err, sizeof(err)), 0);
	unlink(path);
	cr_assert_eq(collect_count(&c, DA_EV_OUTPUT), 1, "the 1 MB line is a real write");
	cr_assert_eq(strlen(collect_nth(&c, DA_EV_OUTPUT, 0)->detail), 4096, "output line capped");
	/* the NUL byte is dropped: "1 close(3) = 0" still counts */
	cr_assert_not_null(collect_find(&c, DA_EV_SYSCALL_OTHER, "close", NULL));
	cr_assert_eq(res.warnings, 4, "%s", res.first_warning);
	cr_assert(strstr(res.first_warning, ":2: line longer than") != NULL, "%s", res.first_warning);
	cr_assert_eq(collect_count(&c, DA_EV_TARGET_EXIT), 1);
	strace_replay_result_free(&res);
	collect_fini(&c);
	free(data);
}

Test(robustness, unreadable_inputs_are_errors)
{
	struct bus *bus = bus_new();
	struct strace_replay_result res;
	char err[256];
	cr_assert_lt(source_strace_replay("/nonexistent/dir/x.log", "/", bus, &res, err, sizeof(err)), 0);
	cr_assert(strstr(err, "/nonexistent/dir/x.log") != NULL, "%s", err);
	cr_assert_lt(source_strace_replay("/tmp", "/", bus, &res, err, sizeof(err)), 0);
	bus_free(bus);
}

Test(robustness, thousands_of_blocked_pids_stay_linear, .timeout = 20)
{
	/* 20000 first halves outstanding (more than the table keeps), then
	 * their resumes: every call is published exactly once. */
	size_t n = 20000;
	char *data = malloc(n * 80 + 64);
	size_t len = 0;
	for (size_t i = 0; i < n; i++)
		len += (size_t)sprintf(data + len, "%zu read(0,  <unfinished ...>\n", 100 + i);
	for (size_t i = 0; i < n; i++)
		len += (size_t)sprintf(data + len, "%zu <... read resumed>\"x\", 1) = 1\n", 100 + i);
	struct collect c;
	struct strace_replay_result res;
	char path[] = "/tmp/dynaudit-many-XXXXXX";
	int fd = mkstemp(path);
	cr_assert_eq(write(fd, data, len), (ssize_t)len);
	close(fd);
	collect_init(&c);
	char err[256];
	cr_assert_eq(source_strace_replay(path, "/", c.bus, &res, err, sizeof(err)), 0);
	unlink(path);
	size_t reads = collect_count(&c, DA_EV_SYSCALL_OTHER);
	/* resumes of flushed halves have no first half left: counted warnings */
	cr_assert_eq(reads, n, "every read published once (%zu)", reads);
	cr_assert_eq(res.warnings, n - 4096, "%llu", (unsigned long long)res.warnings);
	strace_replay_result_free(&res);
	collect_fini(&c);
	free(data);
}

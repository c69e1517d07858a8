/*
 * test_report.c — report.json and report.md from a realistic input: schema
 * validity (the shared check-report.py), the reference report's table row,
 * byte-for-byte determinism, hostile text, incomplete audits, atomic writes.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/json.h"
#include "engine/outdir.h"
#include "engine/report.h"

static struct report_input input;
static char dir[64];

static char **strv(const char *const *items)
{
	size_t n = 0;
	while (items[n])
		n++;
	char **v = calloc(n + 1, sizeof(*v));
	for (size_t i = 0; i < n; i++)
		v[i] = strdup(items[i]);
	return v;
}

static void category(size_t i, const char *id, const char *title, const char *obs, const char *rem)
{
	struct category_rec *c = &input.categories[i];
	c->id = strdup(id);
	c->title = strdup(title);
	c->plugin = strdup(id);
	c->observation = obs ? strdup(obs) : NULL;
	c->remarks = rem ? strdup(rem) : NULL;
}

static void add(size_t cat, const char *rule, enum da_severity sev, const char *msg, int pid, double t,
		const char *evidence, const char *rec)
{
	const char *ev[] = {evidence};
	struct da_finding f = {.struct_size = sizeof(f), .rule = rule, .severity = sev, .message = msg,
			       .pid = pid, .time_s = t, .evidence = evidence ? ev : NULL,
			       .n_evidence = evidence ? 1 : 0, .recommendation = rec};
	cr_assert_eq(findings_add(&input.categories[cat], &f), 0);
}

/* Modelled on the shared seed report (impl05): a Python server that dies of
 * an IndentationError, nothing else of note. */
static void setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/test_report.XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	memset(&input, 0, sizeof(input));
	input.tool_version = "0.1.0";
	input.title = "Implementation 05";
	input.config_source = "<embedded default>";
	input.live = false;
	static const char *const cmd[] = {"python3", "server.py", NULL};
	input.command = strv(cmd);
	input.workdir = "/home/auditor/app";
	input.duration_s = 60;
	input.observed_s = 0.412;
	input.exited = true;
	input.exit_code = 1;
	input.n_sandbox = 2;
	input.sandbox = calloc(2, sizeof(*input.sandbox));
	input.sandbox[0] = (struct kv){strdup("network"), strdup("own namespace, loopback only")};
	input.sandbox[1] = (struct kv){strdup("user"), strdup("nobody (non-root)")};
	static const char *const src[] = {"strace log: strace_log.14", "ss listing: ss.txt", NULL};
	input.sources = strv(src);
	input.n_sources = 2;
	input.n_categories = 6;
	input.categories = calloc(6, sizeof(*input.categories));
	category(0, "process", "Process Spawning", "None", "No subprocesses or shell activity");
	category(1, "network", "Network Connections", "None", "No sockets or external communications");
	category(2, "file", "File Access", "Local only", "No sensitive paths accessed");
	category(3, "privilege", "Privilege Use", "None", "No privilege escalation");
	category(4, "code_integrity", "Code Integrity", "IndentationError crash",
		 "Code halted early, not a runtime security issue");
	category(5, "backdoor", "Backdoor Indicators", "None observed", "No dynamic links, sockets, or file drops");
	add(4, "code_integrity.syntax_error", DA_SEV_INFO,
	    "IndentationError: expected an indented block after function definition on line 10", 2, 0.398,
	    "write(2, \"IndentationError: expected an indented block after function definition on line 10\\n\", 84) = 84",
	    "Fix the syntax issue (IndentationError) in server.py to allow full runtime evaluation");
	input.events = 412;
	input.processes = 1;
	input.n_stats = 1;
	input.stats = calloc(1, sizeof(*input.stats));
	input.stats[0] = (struct named_stat){strdup("parse_warnings"), 0};
	double w[5] = {0, 5, 15, 40, 60};
	memcpy(input.weights, w, sizeof(w));
	input.pass_score = 70;
}

static void teardown(void)
{
	report_input_free(&input);
	if (getenv("KEEP_TEST_OUTPUT"))
		return; /* to look at the reports by hand */
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(report, .init = setup, .fini = teardown);

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	cr_assert_not_null(f, "%s", path);
	char *buf = NULL;
	size_t n = 0;
	FILE *m = open_memstream(&buf, &n);
	char tmp[4096];
	size_t k;
	while ((k = fread(tmp, 1, sizeof(tmp), f)) > 0)
		fwrite(tmp, 1, k, m);
	fclose(m);
	fclose(f);
	if (len)
		*len = n;
	return buf;
}

static void write_both(const struct score_result *r, const char *json, const char *md)
{
	char err[256];
	cr_assert_eq(report_write_json(&input, r, AT_FDCWD, json, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(report_write_md(&input, r, AT_FDCWD, md, err, sizeof(err)), 0, "%s", err);
}

static void check_schema(const char *path)
{
	const char *tool = getenv("CHECK_REPORT");
	if (!tool)
		tool = "tests/schema/check-report.py";
	if (access(tool, R_OK) != 0)
		cr_skip_test("check-report.py not found (%s)", tool);
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "python3 '%s' '%s'", tool, path);
	cr_assert_eq(system(cmd), 0, "%s does not validate", path);
}

/* Every line is valid UTF-8 and every table row has exactly 5 unescaped '|'. */
static void check_markdown(const char *md)
{
	for (const char *p = md; *p;) {
		size_t n = json_utf8_seq_len(p);
		cr_assert_gt(n, 0, "invalid UTF-8 at offset %zu", (size_t)(p - md));
		p += n;
	}
	const char *line = md;
	while (*line) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		if (len && line[0] == '|') {
			int bars = 0;
			for (size_t i = 0; i < len; i++)
				bars += line[i] == '|' && (i == 0 || line[i - 1] != '\\');
			cr_assert_eq(bars, 5, "row: %.*s", (int)len, line);
		}
		line += len + (end ? 1 : 0);
	}
}

static struct json_value *load_json(const char *path)
{
	size_t len;
	char *text = slurp(path, &len);
	struct json_value *v = NULL;
	char err[128];
	cr_assert_eq(json_parse(text, len, &v, err, sizeof(err)), 0, "%s", err);
	free(text);
	return v;
}

Test(report, reference_like_input_passes_and_validates)
{
	struct score_result r;
	cr_assert_eq(score_compute(&input, &r), 0);
	char json[128], md[128];
	snprintf(json, sizeof(json), "%s/report.json", dir);
	snprintf(md, sizeof(md), "%s/report.md", dir);
	write_both(&r, json, md);
	check_schema(json);

	struct json_value *v = load_json(json);
	cr_assert_str_eq(json_get(v, "verdict")->string, "PASS");
	cr_assert_eq(json_get(v, "score")->number, 100);
	cr_assert_str_eq(json_get(v, "risk")->string, "low");
	cr_assert_str_eq(json_get(v, "mode")->string, "replay");
	const struct json_value *exit_ = json_get(json_get(v, "target"), "exit");
	cr_assert_eq(json_get(exit_, "code")->integer, 1);
	cr_assert_eq(json_get(exit_, "signal")->type, JSON_NULL);
	const struct json_value *cats = json_get(v, "categories");
	cr_assert_eq(cats->n_items, 6);
	cr_assert_str_eq(json_get(&cats->items[4], "status")->string, "info");
	const struct json_value *f = &json_get(&cats->items[4], "findings")->items[0];
	cr_assert_eq(json_get(f, "pid")->integer, 2);
	cr_assert_eq(json_get(f, "time_s")->number, 0.398);
	cr_assert_eq(json_get(json_get(v, "stats"), "parse_warnings")->integer, 0);
	json_free(v);

	char *text = slurp(md, NULL);
	check_markdown(text);
	cr_assert(strstr(text, "| Code Integrity | IndentationError crash | ⚠ Info | "
			       "Code halted early, not a runtime security issue |\n"), "%s", text);
	cr_assert(strstr(text, "| Process Spawning | None | ▼ Safe | No subprocesses or shell activity |\n"));
	cr_assert(strncmp(text, "# Dynamic Security Analysis Report — Implementation 05\n", 56) == 0);
	static const char *const headings[] = {"## 1. Overview", "### 2.1 Process Behaviour",
		"### 2.2 File Access Behaviour", "### 2.3 Network Activity",
		"## 3. System Call and API Observations", "## 4. Security Assessment", "## 5. Findings",
		"## 6. Recommendations", "## 7. Score", "## 8. Conclusion"};
	const char *prev = text;
	for (size_t i = 0; i < sizeof(headings) / sizeof(headings[0]); i++) {
		const char *h = strstr(text, headings[i]);
		cr_assert(h && h > prev - 1, "missing or misplaced %s", headings[i]);
		prev = h;
	}
	cr_assert(strstr(text, "    write(2, \"IndentationError"));  /* evidence as a code block */
	cr_assert(strstr(text, "1. Fix the syntax issue (IndentationError) in server.py"));
	cr_assert(strstr(text, "Maintain sandbox isolation for future dynamic tests\n"));
	cr_assert(strstr(text, "Result: PASS — "));
	cr_assert(strstr(text, "low runtime risk"));
	cr_assert(strstr(text, "Target ended: exited with code 1"));
	cr_assert_null(strstr(text, "Incomplete"));
	free(text);
	score_free(&r);
}

Test(report, output_is_deterministic)
{
	struct score_result r;
	cr_assert_eq(score_compute(&input, &r), 0);
	char j1[128], j2[128], m1[128], m2[128];
	snprintf(j1, sizeof(j1), "%s/a.json", dir);
	snprintf(j2, sizeof(j2), "%s/b.json", dir);
	snprintf(m1, sizeof(m1), "%s/a.md", dir);
	snprintf(m2, sizeof(m2), "%s/b.md", dir);
	write_both(&r, j1, m1);
	write_both(&r, j2, m2);
	size_t l1, l2;
	char *a = slurp(j1, &l1), *b = slurp(j2, &l2);
	cr_assert(l1 == l2 && memcmp(a, b, l1) == 0);
	free(a);
	free(b);
	a = slurp(m1, &l1);
	b = slurp(m2, &l2);
	cr_assert(l1 == l2 && memcmp(a, b, l1) == 0);
	free(a);
	free(b);
	score_free(&r);
}

Test(report, high_finding_fails_everywhere)
{
	add(0, "process.shell_spawn", DA_SEV_HIGH, "The target spawned /bin/sh", 5, 1.25,
	    "execve(\"/bin/sh\", [\"sh\", \"-c\", \"id\"], 0x7ffd /* 3 vars */) = 0",
	    "Remove the shell invocation or allow it explicitly");
	free(input.categories[0].observation);
	free(input.categories[0].remarks);
	input.categories[0].observation = input.categories[0].remarks = NULL; /* derived */
	input.exit_signal = "SIGSEGV";
	input.core_dumped = true;
	struct score_result r;
	cr_assert_eq(score_compute(&input, &r), 0);
	char json[128], md[128];
	snprintf(json, sizeof(json), "%s/report.json", dir);
	snprintf(md, sizeof(md), "%s/report.md", dir);
	write_both(&r, json, md);
	check_schema(json);
	struct json_value *v = load_json(json);
	cr_assert_str_eq(json_get(v, "verdict")->string, "FAIL");
	cr_assert_str_eq(json_get(v, "risk")->string, "high");
	const struct json_value *exit_ = json_get(json_get(v, "target"), "exit");
	cr_assert_eq(json_get(exit_, "code")->type, JSON_NULL);
	cr_assert_str_eq(json_get(exit_, "signal")->string, "SIGSEGV");
	cr_assert(json_get(exit_, "core_dumped")->boolean);
	json_free(v);
	char *text = slurp(md, NULL);
	check_markdown(text);
	cr_assert(strstr(text, "| Process Spawning | The target spawned /bin/sh | ✖ Fail | "
			       "One high finding (process.shell_spawn) |"), "%s", text);
	cr_assert(strstr(text, "Result: FAIL — Category Process Spawning failed"), "%s", text);
	cr_assert(strstr(text, "    - 40 x 1 process.shell_spawn (high)\n"));
	cr_assert(strstr(text, "killed by SIGSEGV (core dumped)"));
	free(text);
	score_free(&r);
}

Test(report, hostile_text_keeps_markdown_and_json_valid)
{
	input.title = "evil | title\nwith `ticks` and \xff bytes";
	/* the same fact set twice: the last value wins, JSON keeps one member */
	input.sandbox = realloc(input.sandbox, 3 * sizeof(*input.sandbox));
	input.sandbox[input.n_sandbox++] = (struct kv){strdup("network"), strdup("host | shared")};
	free(input.categories[2].observation);
	input.categories[2].observation = strdup("read a|b|c\n| fake | row |");
	add(2, "file.sensitive_read", DA_SEV_MEDIUM, "opened /tmp/x|y\r\n<script>", 3, -1,
	    "openat(AT_FDCWD, \"/tmp/\\xff|\", O_RDONLY) = 3\n\x01\xfe", NULL);
	struct score_result r;
	cr_assert_eq(score_compute(&input, &r), 0);
	char json[128], md[128];
	snprintf(json, sizeof(json), "%s/report.json", dir);
	snprintf(md, sizeof(md), "%s/report.md", dir);
	write_both(&r, json, md);
	check_schema(json);
	struct json_value *v = load_json(json);
	cr_assert_str_eq(json_get(v, "title")->string, input.title); /* lossless in JSON */
	cr_assert_str_eq(json_get(json_get(v, "sandbox"), "network")->string, "host | shared");
	const struct json_value *f = &json_get(&json_get(v, "categories")->items[2], "findings")->items[0];
	cr_assert_eq(json_get(f, "time_s")->type, JSON_NULL);
	json_free(v);
	char *text = slurp(md, NULL);
	check_markdown(text);
	cr_assert(strstr(text, "| File Access | read a\\|b\\|c \\| fake \\| row \\| | ⚠ Warn |"), "%s", text);
	cr_assert(strstr(text, "\\<script\\>"), "%s", text);
	cr_assert(strstr(text, "\\n\\x01\\xfe"));
	free(text);
	score_free(&r);
}

Test(report, incomplete_audit_says_so)
{
	input.incomplete = "interrupted by SIGINT after 3.2 s";
	input.events_lost = 0;
	input.exited = false;
	struct score_result r;
	cr_assert_eq(score_compute(&input, &r), 0);
	char json[128], md[128];
	snprintf(json, sizeof(json), "%s/report.json", dir);
	snprintf(md, sizeof(md), "%s/report.md", dir);
	write_both(&r, json, md);
	check_schema(json);
	struct json_value *v = load_json(json);
	cr_assert(json_get(v, "incomplete")->boolean);
	cr_assert_str_eq(json_get(v, "incomplete_reason")->string, input.incomplete);
	const struct json_value *exit_ = json_get(json_get(v, "target"), "exit");
	cr_assert_eq(json_get(exit_, "code")->type, JSON_NULL);
	cr_assert_eq(json_get(exit_, "signal")->type, JSON_NULL);
	json_free(v);
	char *text = slurp(md, NULL);
	const char *first_section = strstr(text, "## 1.");
	const char *banner = strstr(text, "> **Incomplete audit:** interrupted by SIGINT");
	cr_assert(banner && banner < first_section);
	cr_assert(strstr(text, "Re-run the audit to completion"));
	cr_assert(strstr(text, "still running when the observation window closed"));
	free(text);
	score_free(&r);
}

Test(report, missing_detectors_and_failed_detector)
{
	/* Only two categories loaded; one failed in init. */
	for (size_t i = 2; i < input.n_categories; i++) {
		struct category_rec *c = &input.categories[i];
		free(c->id); free(c->title); free(c->plugin); free(c->observation); free(c->remarks);
		for (size_t j = 0; j < c->n_findings; j++) {
			free(c->findings[j].rule); free(c->findings[j].message);
			free(c->findings[j].recommendation);
			for (size_t k = 0; k < c->findings[j].n_evidence; k++)
				free(c->findings[j].evidence[k]);
			free(c->findings[j].evidence);
		}
		free(c->findings);
	}
	input.n_categories = 2;
	input.categories[1].error = strdup("network: init: allow_listen: bad address");
	free(input.categories[1].observation);
	free(input.categories[1].remarks);
	input.categories[1].observation = input.categories[1].remarks = NULL;
	struct score_result r;
	cr_assert_eq(score_compute(&input, &r), 0);
	char json[128], md[128];
	snprintf(json, sizeof(json), "%s/report.json", dir);
	snprintf(md, sizeof(md), "%s/report.md", dir);
	write_both(&r, json, md);
	check_schema(json);
	char *text = slurp(md, NULL);
	check_markdown(text);
	cr_assert(strstr(text, "| Network Connections | Not fully checked | ⚠ Warn | Detector error: "
			       "network: init: allow_listen: bad address |\n"), "%s", text);
	cr_assert(strstr(text, "It reported no findings before it stopped."));
	cr_assert(strstr(text, "The file detector was not part of this audit"));
	free(text);
	score_free(&r);
}

Test(report, atomic_write_errors_are_reported)
{
	char err[256] = "";
	int rc = write_file_atomic(AT_FDCWD, "/nonexistent-dir/report.json", "x", 1, err, sizeof(err));
	cr_assert_eq(rc, -ENOENT);
	cr_assert(strstr(err, "/nonexistent-dir/report.json"), "%s", err);

	char path[128], tmp[140];
	snprintf(path, sizeof(path), "%s/f.txt", dir);
	snprintf(tmp, sizeof(tmp), "%s/.f.txt.tmp", dir);
	cr_assert_eq(write_file_atomic(AT_FDCWD, path, "old", 3, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(write_file_atomic(AT_FDCWD, path, "new!", 4, err, sizeof(err)), 0, "%s", err);
	size_t len;
	char *text = slurp(path, &len);
	cr_assert(len == 4 && memcmp(text, "new!", 4) == 0);
	free(text);
	cr_assert_neq(access(tmp, F_OK), 0); /* no temp file left behind */
	/* a directory where the file should go: rename fails, temp cleaned up */
	snprintf(path, sizeof(path), "%s/adir", dir);
	cr_assert_eq(mkdir(path, 0755), 0);
	snprintf(tmp, sizeof(tmp), "%s/adir/x", dir);
	cr_assert_eq(write_file_atomic(AT_FDCWD, tmp, "x", 1, err, sizeof(err)), 0);
	rc = write_file_atomic(AT_FDCWD, path, "x", 1, err, sizeof(err));
	cr_assert_lt(rc, 0);
	snprintf(tmp, sizeof(tmp), "%s/.adir.tmp", dir);
	cr_assert_neq(access(tmp, F_OK), 0);
}

/* Links planted where dynaudit writes (a submission's shipped output dir,
 * a stale temporary): the write lands in a new file of the directory, the
 * link's target is never opened. */
Test(report, atomic_write_never_follows_planted_links)
{
	char err[256] = "", victim[128], link[160], final[160];
	snprintf(victim, sizeof(victim), "%s/victim", dir);
	cr_assert_eq(write_file_atomic(AT_FDCWD, victim, "precious", 8, err, sizeof(err)), 0, "%s", err);
	/* the temporary's name is a link to the victim */
	snprintf(link, sizeof(link), "%s/.report.json.tmp", dir);
	cr_assert_eq(symlink(victim, link), 0);
	/* so is the final name */
	snprintf(final, sizeof(final), "%s/report.json", dir);
	cr_assert_eq(symlink(victim, final), 0);
	int dfd = open(dir, O_RDONLY | O_DIRECTORY);
	cr_assert_geq(dfd, 0);
	cr_assert_eq(write_file_atomic(dfd, "report.json", "{}", 2, err, sizeof(err)), 0, "%s", err);
	size_t len;
	char *text = slurp(victim, &len);
	cr_assert(len == 8 && memcmp(text, "precious", 8) == 0, "the link's target was written");
	free(text);
	struct stat st;
	cr_assert_eq(lstat(final, &st), 0);
	cr_assert(S_ISREG(st.st_mode), "report.json is still a link");
	cr_assert_neq(lstat(link, &st), 0, "the planted temporary is still there");
	/* a dangling link under the temporary's name does not stop the write */
	cr_assert_eq(symlink("/nonexistent/x", link), 0);
	cr_assert_eq(write_file_atomic(dfd, "report.json", "{ }", 3, err, sizeof(err)), 0, "%s", err);
	close(dfd);
}

Test(report, outdir_refuses_links_and_the_submission_and_clears_earlier_audits)
{
	char err[512] = "", sub[128], p[192], real_sub[PATH_MAX];
	snprintf(sub, sizeof(sub), "%s/sub", dir);
	cr_assert_eq(mkdir(sub, 0755), 0);
	cr_assert(realpath(sub, real_sub));
	/* inside the submission: refused */
	snprintf(p, sizeof(p), "%s/dynaudit-out", sub);
	cr_assert_eq(outdir_open(p, real_sub, false, err, sizeof(err)), -EINVAL);
	cr_assert(strstr(err, "inside the submission"), "%s", err);
	cr_assert_eq(outdir_open(sub, real_sub, false, err, sizeof(err)), -EINVAL);
	/* a link as the last component: refused, nothing created behind it */
	char target[192];
	snprintf(target, sizeof(target), "%s/elsewhere", dir);
	cr_assert_eq(mkdir(target, 0755), 0);
	snprintf(p, sizeof(p), "%s/linked-out", dir);
	cr_assert_eq(symlink(target, p), 0);
	cr_assert_eq(outdir_open(p, real_sub, false, err, sizeof(err)), -EINVAL);
	cr_assert(strstr(err, "symbolic link"), "%s", err);
	/* someone else's non-empty directory: refused unless forced, and
	 * forcing removes only dynaudit's own names */
	char f[256];
	snprintf(f, sizeof(f), "%s/notes.txt", target);
	cr_assert_eq(write_file_atomic(AT_FDCWD, f, "mine", 4, err, sizeof(err)), 0);
	snprintf(f, sizeof(f), "%s/report.json", target);
	cr_assert_eq(write_file_atomic(AT_FDCWD, f, "{\"verdict\":\"PASS\"}", 18, err, sizeof(err)), 0);
	cr_assert_eq(outdir_open(target, real_sub, false, err, sizeof(err)), -EEXIST);
	cr_assert(strstr(err, "--force"), "%s", err);
	int fd = outdir_open(target, real_sub, true, err, sizeof(err));
	cr_assert_geq(fd, 0, "%s", err);
	close(fd);
	cr_assert_neq(access(f, F_OK), 0, "a stale report survived --force");
	snprintf(f, sizeof(f), "%s/notes.txt", target);
	cr_assert_eq(access(f, F_OK), 0, "--force removed a file that is not dynaudit's");
	/* an earlier audit (marker): replaced whole */
	char a[192];
	snprintf(a, sizeof(a), "%s/audit", dir);
	fd = outdir_open(a, NULL, false, err, sizeof(err));
	cr_assert_geq(fd, 0, "%s", err);
	cr_assert_eq(write_file_atomic(fd, "report.json", "{}", 2, err, sizeof(err)), 0);
	cr_assert_eq(write_file_atomic(fd, "leftover.bin", "x", 1, err, sizeof(err)), 0);
	close(fd);
	fd = outdir_open(a, NULL, false, err, sizeof(err));
	cr_assert_geq(fd, 0, "%s", err);
	close(fd);
	snprintf(f, sizeof(f), "%s/report.json", a);
	cr_assert_neq(access(f, F_OK), 0, "the earlier audit's report survived");
	snprintf(f, sizeof(f), "%s/leftover.bin", a);
	cr_assert_neq(access(f, F_OK), 0);
	snprintf(f, sizeof(f), "%s/" OUTDIR_MARKER, a);
	cr_assert_eq(access(f, F_OK), 0);
}

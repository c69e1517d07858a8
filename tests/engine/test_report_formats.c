/*
 * test_report_formats.c — report.html, report.junit.xml and report.sarif
 * from a FAIL input full of hostile strings: structure, escaping (the HTML
 * stays inert, the XML well-formed text), the bounds, and the collectors
 * behind the HTML (proctree.c, timeline.c) fed through the real bus.
 * Real consumers (Chromium, junitparser, the SARIF multitool) read the
 * files in tests/e2e/formats.sh.
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/bus.h"
#include "engine/json.h"
#include "engine/proctree.h"
#include "engine/report.h"
#include "engine/timeline.h"

/* Target-controlled text that would break or script a page or a file. */
#define HOSTILE "</script><script>alert(1)</script><img src=x onerror=alert(2)> \"q\" 'a' & \x01\x1b[31m \xff\xfe\xc3("

static struct report_input input;
static struct score_result score;
static char dir[64];
static char path[128];

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

static void category(size_t i, const char *id, const char *title, enum category_status st, const char *rem)
{
	struct category_rec *c = &input.categories[i];
	c->id = strdup(id);
	c->title = strdup(title);
	c->plugin = strdup(id);
	c->observation = strdup(HOSTILE);
	c->remarks = strdup(rem);
	c->status = st;
}

static void add(size_t cat, const char *rule, enum da_severity sev, const char *msg, double t, const char *evidence)
{
	const char *ev[] = {evidence};
	struct da_finding f = {.struct_size = sizeof(f), .rule = rule, .severity = sev, .message = msg,
			       .pid = 7, .time_s = t, .evidence = evidence ? ev : NULL,
			       .n_evidence = evidence ? 1 : 0, .recommendation = HOSTILE};
	cr_assert_eq(findings_add(&input.categories[cat], &f), 0);
}

static void proc(int pid, int ppid, const char *const *argv, int code, const char *sig)
{
	input.procs = realloc(input.procs, (input.n_procs + 1) * sizeof(*input.procs));
	struct proc_rec *p = &input.procs[input.n_procs++];
	memset(p, 0, sizeof(*p));
	p->pid = pid;
	p->ppid = ppid;
	p->argv = argv ? strv(argv) : NULL;
	p->ended = true;
	p->exit_code = code;
	p->signal = sig ? strdup(sig) : NULL;
	p->end_s = 1;
}

static void setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/test_formats.XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	memset(&input, 0, sizeof(input));
	memset(&score, 0, sizeof(score));
	input.tool_version = "0.1.0";
	input.title = HOSTILE;
	input.config_source = "<embedded default>";
	static const char *const cmd[] = {"python3", "server.py", HOSTILE, NULL};
	input.command = strv(cmd);
	input.workdir = "/srv/sub mission/team#1";
	input.run_workdir = "/home/auditor/app";
	input.duration_s = 60;
	input.observed_s = 12.5;
	input.exited = true;
	input.n_sandbox = 1;
	input.sandbox = calloc(1, sizeof(*input.sandbox));
	input.sandbox[0] = (struct kv){strdup("network"), strdup(HOSTILE)};
	input.n_categories = 3;
	input.categories = calloc(3, sizeof(*input.categories));
	category(0, "process", "Process Spawning", STATUS_FAIL, HOSTILE);
	category(1, "network", "Network Connections", STATUS_WARN, "Connects to 127.0.0.1:4444");
	category(2, "code_integrity", "Code Integrity", STATUS_INFO, "crashed");
	add(0, "process.shell", DA_SEV_CRITICAL, "Spawns a shell: " HOSTILE, 2.0, "execve(\"/bin/sh\", " HOSTILE);
	add(0, "process.dropped", DA_SEV_HIGH, "Runs /home/auditor/app/tools/x.sh written at run time", 3.0, NULL);
	add(1, "network.connect", DA_SEV_MEDIUM, "Connects to 127.0.0.1:4444", 4.0, NULL);
	add(2, "code_integrity.error_output", DA_SEV_INFO,
	    "Python ValueError: \"bad\" in server.py, line 10", 5.0, NULL);
	add(2, "code_integrity.crash", DA_SEV_INFO, "traceback", 6.0,
	    "  File \"/home/auditor/app/pkg/a b.py\", line 3, in main");
	add(2, "code_integrity.escape", DA_SEV_INFO, "reads /home/auditor/app/../../etc/passwd", -1, NULL);
	static const char *const a1[] = {"python3", "server.py", NULL};
	static const char *const a2[] = {"/bin/sh", "-c", HOSTILE, NULL};
	static const char *const a3[] = {"id", NULL};
	proc(100, 0, a1, 1, NULL);
	proc(101, 100, a2, 0, NULL);
	proc(102, 101, a3, 0, NULL);
	proc(103, 100, NULL, -1, "SIGKILL");
	for (int i = 0; i < 50; i++)
		timeline_add(&input.timeline, i * 0.25, (enum tl_class)(i % TL_N));
	input.coverage = "partial";
	input.coverage_reason = "the target was ended by SIGSEGV " HOSTILE;
	input.pass_score = 70;
	score.score = 0;
	score.pass = false;
	score.risk = "critical";
}

static void teardown(void)
{
	report_input_free(&input);
	if (getenv("KEEP_TEST_OUTPUT"))
		return;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(formats, .init = setup, .fini = teardown);

static char *slurp(const char *p)
{
	FILE *f = fopen(p, "rb");
	cr_assert_not_null(f, "%s", p);
	char *buf = NULL;
	size_t n = 0;
	FILE *m = open_memstream(&buf, &n);
	char tmp[4096];
	size_t k;
	while ((k = fread(tmp, 1, sizeof(tmp), f)) > 0)
		fwrite(tmp, 1, k, m);
	fclose(m);
	fclose(f);
	return buf;
}

typedef int (*writer)(const struct report_input *, const struct score_result *, int, const char *, char *, size_t);

static char *produce(writer w, const char *name)
{
	char err[256];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	cr_assert_eq(w(&input, &score, AT_FDCWD, path, err, sizeof(err)), 0, "%s", err);
	return slurp(path);
}

static size_t count(const char *s, const char *needle)
{
	size_t n = 0;
	for (const char *p = strstr(s, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

/* Valid UTF-8 with no control character but \n: what HTML and XML accept. */
static void assert_clean_text(const char *s)
{
	for (const char *p = s; *p;) {
		unsigned char c = (unsigned char)*p;
		cr_assert(c >= 0x20 || c == '\n', "control byte 0x%02x at %zu", c, (size_t)(p - s));
		cr_assert(c != 0x7f, "DEL at %zu", (size_t)(p - s));
		size_t n = json_utf8_seq_len(p);
		cr_assert(n > 0, "invalid UTF-8 at offset %zu", (size_t)(p - s));
		p += n;
	}
}

/* No hostile markup made it through raw: every '<' opens one of ours. */
static void assert_inert(const char *s)
{
	cr_assert_null(strstr(s, "<script"), "a script element");
	cr_assert_null(strstr(s, "<img"), "an img element");
	cr_assert_eq(count(s, "onerror="), count(s, "&lt;img src=x onerror="), "an event handler attribute");
	cr_assert_null(strstr(s, "\x1b"), "an escape character");
	cr_assert(strstr(s, "&lt;/script&gt;&lt;script&gt;alert(1)"), "the hostile text is shown escaped");
	cr_assert(strstr(s, "&quot;q&quot; &#39;a&#39; &amp; \\x01\\x1b[31m \\xff\\xfe\\xc3("),
		  "quotes, ampersand, control and invalid bytes shown escaped");
}

Test(formats, html_is_inert_and_has_every_section)
{
	char *h = produce(report_write_html, "report.html");
	assert_clean_text(h);
	assert_inert(h);
	cr_assert(strstr(h, "Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\""));
	cr_assert_eq(count(h, "src="), count(h, "&lt;img src="), "no external resource");
	cr_assert_null(strstr(h, "href="), "no link");
	cr_assert_null(strstr(h, "<link"), "no stylesheet");
	cr_assert_eq(count(h, "http://"), count(h, "http://www.w3.org/2000/svg"), "no URL but the SVG namespace");
	cr_assert_null(strstr(h, "https://"));
	cr_assert(strstr(h, "<p class=\"verdict v-fail\" id=\"verdict\"><strong>FAIL — inconclusive</strong>"), "the verdict up top, as report.md says it");
	cr_assert(strstr(h, "<table id=\"assessment\">"));
	cr_assert_eq(count(h, "<td class=\"s-"), 3, "one status cell per category");
	cr_assert(strstr(h, "<td class=\"s-fail\">✖ Fail</td>"));
	cr_assert(strstr(h, "<td class=\"s-warn\">⚠ Warn</td>"));
	/* the tree: 101 and 103 under 100, 102 under 101 */
	const char *t = strstr(h, "<ul class=\"tree\" id=\"process-tree\">");
	cr_assert_not_null(t);
	const char *p100 = strstr(t, "pid 100"), *p101 = strstr(t, "pid 101"), *p102 = strstr(t, "pid 102"),
		   *p103 = strstr(t, "pid 103");
	cr_assert(p100 && p101 && p102 && p103 && p100 < p101 && p101 < p102 && p102 < p103);
	cr_assert(strstr(p101, "<code>/bin/sh -c &lt;/script&gt;"), "argv shown, escaped");
	cr_assert(strstr(p103, "killed by SIGKILL"));
	cr_assert(strstr(p100, "exit 1"));
	/* nesting: 102's <li> is inside a <ul> opened after 101 */
	const char *ul = strstr(p101, "<ul>");
	cr_assert(ul && ul < p102);
	cr_assert(strstr(h, "<svg id=\"timeline\""));
	cr_assert_eq(count(h, "<circle "), 5, "one mark per timed finding");
	cr_assert(strstr(h, "<div id=\"findings\">"));
	cr_assert_eq(count(h, "<div class=\"finding\""), 6);
	cr_assert(strstr(h, "<pre class=\"evidence\">execve(&quot;/bin/sh&quot;, &lt;/script&gt;"));
	cr_assert(strstr(h, "<table id=\"sandbox\">"));
	free(h);
}

Test(formats, html_says_inconclusive_and_what_was_cut)
{
	score.pass = true;
	score.score = 95;
	score.risk = "low";
	input.procs_dropped = 7;
	char *h = produce(report_write_html, "report.html");
	cr_assert(strstr(h, "<strong>PASS — inconclusive</strong>"), "PASS with coverage partial is inconclusive");
	cr_assert(strstr(h, "class=\"verdict v-inconclusive\""));
	cr_assert(strstr(h, "11 processes observed"));
	cr_assert(strstr(h, "7 more were started and are not shown"));
	free(h);
}

Test(formats, html_bounds_long_argv)
{
	char big[5000];
	memset(big, 'A', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	const char *argv[40];
	for (int i = 0; i < 39; i++)
		argv[i] = big;
	argv[39] = NULL;
	proc(200, 100, argv, 0, NULL);
	char *h = produce(report_write_html, "report.html");
	cr_assert(strstr(h, "(23 more arguments)"));
	cr_assert(strlen(h) < 200000, "argv is cut: %zu bytes", strlen(h));
	free(h);
}

Test(formats, junit_cases_failures_and_escaping)
{
	char *x = produce(report_write_junit, "report.junit.xml");
	assert_clean_text(x);
	assert_inert(x);
	cr_assert(!strncmp(x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites ", 49));
	cr_assert_eq(count(x, "<testsuite "), 1);
	cr_assert_eq(count(x, "<testcase "), 5, "3 categories + score + coverage");
	cr_assert(strstr(x, "<testcase classname=\"dynaudit.process\" name=\"Process Spawning\""));
	cr_assert(strstr(x, "<testcase classname=\"dynaudit.network\" name=\"Network Connections\""));
	cr_assert_eq(count(x, "<failure type=\"fail\""), 1);
	cr_assert_eq(count(x, "<failure type=\"warn\""), 0, "warn passes without --fail-on warn");
	cr_assert(strstr(x, "<failure type=\"score\""));
	cr_assert(strstr(x, "<skipped message=\"inconclusive, coverage partial: "));
	cr_assert(strstr(x, "tests=\"5\" failures=\"2\" errors=\"0\" skipped=\"1\""));
	cr_assert(strstr(x, "[critical] process.shell: Spawns a shell: &lt;/script&gt;"), "findings in the failure text");
	cr_assert(strstr(x, "    execve(&quot;/bin/sh&quot;, &lt;/script&gt;"), "evidence in the failure text");
	free(x);
}

Test(formats, junit_fails_warn_and_inconclusive_when_asked)
{
	input.fail_on_warn = true;
	input.fail_on_inconclusive = true;
	char *x = produce(report_write_junit, "report.junit.xml");
	cr_assert_eq(count(x, "<failure type=\"warn\""), 1);
	cr_assert(strstr(x, "<failure type=\"inconclusive\" message=\"coverage partial: "));
	cr_assert_null(strstr(x, "<skipped"));
	cr_assert(strstr(x, "tests=\"5\" failures=\"4\" errors=\"0\" skipped=\"0\""));
	free(x);
}

static const struct json_value *idx(const struct json_value *a, size_t i)
{
	cr_assert(a && a->type == JSON_ARRAY && i < a->n_items);
	return &a->items[i];
}

static const char *str(const struct json_value *o, const char *k)
{
	const struct json_value *v = json_get(o, k);
	cr_assert(v && v->type == JSON_STRING, "%s", k);
	return v->string;
}

static const struct json_value *location(const struct json_value *res)
{
	const struct json_value *l = json_get(res, "locations");
	return l ? json_get(idx(l, 0), "physicalLocation") : NULL;
}

Test(formats, sarif_rules_results_fingerprints_locations)
{
	char *s = produce(report_write_sarif, "report.sarif");
	struct json_value *doc;
	char err[256];
	cr_assert_eq(json_parse(s, strlen(s), &doc, err, sizeof(err)), 0, "%s", err);
	cr_assert_str_eq(str(doc, "version"), "2.1.0");
	const struct json_value *run = idx(json_get(doc, "runs"), 0);
	const struct json_value *driver = json_get(json_get(run, "tool"), "driver");
	cr_assert_str_eq(str(driver, "name"), "dynaudit");
	const struct json_value *rules = json_get(driver, "rules");
	cr_assert_eq(rules->n_items, 6, "one rule per rule id");
	cr_assert_str_eq(str(idx(rules, 0), "id"), "process.shell");
	cr_assert_str_eq(str(json_get(idx(rules, 0), "properties"), "security-severity"), "9.5");
	cr_assert_str_eq(str(json_get(idx(rules, 0), "defaultConfiguration"), "level"), "error");
	cr_assert_str_eq(str(json_get(idx(rules, 2), "properties"), "security-severity"), "5.5");
	cr_assert_str_eq(str(json_get(idx(rules, 2), "defaultConfiguration"), "level"), "warning");
	cr_assert_str_eq(str(json_get(idx(rules, 3), "defaultConfiguration"), "level"), "note");
	cr_assert_str_eq(str(json_get(json_get(run, "originalUriBaseIds"), "SUBMISSION"), "uri"),
			 "file:///srv/sub%20mission/team%231/");
	const struct json_value *res = json_get(run, "results");
	cr_assert_eq(res->n_items, 6, "one result per finding");
	char seen[6][32];
	for (size_t i = 0; i < 6; i++) {
		const struct json_value *fp = json_get(idx(res, i), "partialFingerprints");
		snprintf(seen[i], sizeof(seen[i]), "%s", str(fp, "dynauditFinding/v1"));
		cr_assert_eq(strlen(seen[i]), 16);
		for (size_t j = 0; j < i; j++)
			cr_assert_str_neq(seen[i], seen[j]);
	}
	/* message with a hostile string: the entry file */
	const struct json_value *l = location(idx(res, 0));
	cr_assert_str_eq(str(json_get(l, "artifactLocation"), "uri"), "server.py");
	cr_assert_str_eq(str(json_get(l, "artifactLocation"), "uriBaseId"), "SUBMISSION");
	cr_assert_null(json_get(l, "region"));
	/* a path of the submission named in the message */
	cr_assert_str_eq(str(json_get(location(idx(res, 1)), "artifactLocation"), "uri"), "tools/x.sh");
	/* "in FILE, line N" */
	l = location(idx(res, 3));
	cr_assert_str_eq(str(json_get(l, "artifactLocation"), "uri"), "server.py");
	cr_assert_eq(json_get(json_get(l, "region"), "startLine")->integer, 10);
	/* a traceback frame in the evidence, with a space in the name */
	l = location(idx(res, 4));
	cr_assert_str_eq(str(json_get(l, "artifactLocation"), "uri"), "pkg/a%20b.py");
	cr_assert_eq(json_get(json_get(l, "region"), "startLine")->integer, 3);
	/* climbing out of the workdir is not the submission: the entry file */
	cr_assert_str_eq(str(json_get(location(idx(res, 5)), "artifactLocation"), "uri"), "server.py");
	json_free(doc);
	/* stable: the same input gives the same bytes */
	char *again = produce(report_write_sarif, "report2.sarif");
	cr_assert_str_eq(s, again);
	free(again);
	free(s);
}

/* ---- the collectors, through the real bus ------------------------------ */

static void pub(struct bus *b, uint32_t kind, int pid, int target, double t, const char *const *argv, int argc,
		const char *detail, long code)
{
	struct da_event ev = {.kind = kind, .pid = pid, .tid = pid, .target_pid = target, .time_s = t, .fd = -1,
			      .target_fd = -1, .argv = argv, .argc = argc, .detail = detail};
	ev.arg[0] = code;
	cr_assert_eq(bus_publish(b, &ev), 0);
}

Test(formats, proctree_and_timeline_from_the_bus)
{
	struct report_input in;
	memset(&in, 0, sizeof(in));
	struct bus *b = bus_new();
	cr_assert_eq(proctree_subscribe(b, &in), 0);
	cr_assert_eq(timeline_subscribe(b, &in.timeline), 0);
	static const char *const a1[] = {"python3", "x.py"};
	static const char *const a2[] = {"/bin/sh", "-c", "id"};
	pub(b, DA_EV_PROC_EXEC, 10, 0, 0.0, a1, 2, NULL, 0);
	pub(b, DA_EV_PROC_FORK, 10, 11, 0.5, NULL, 0, "process", 0);
	pub(b, DA_EV_PROC_FORK, 10, 12, 0.6, NULL, 0, "thread", 0);
	pub(b, DA_EV_PROC_EXEC, 11, 0, 0.7, a2, 3, NULL, 0);
	pub(b, DA_EV_PROC_EXIT, 11, 0, 0.8, NULL, 0, "SIGKILL", -1);
	pub(b, DA_EV_PROC_FORK, 10, 11, 0.9, NULL, 0, "process", 0); /* pid reused */
	for (int i = 0; i < 3000; i++)
		pub(b, DA_EV_PROC_FORK, 10, 1000 + i, 1000.0 + i, NULL, 0, "process", 0);
	bus_free(b);
	cr_assert_eq(in.n_procs, PROCTREE_MAX);
	cr_assert_eq(in.procs_dropped, 3 + 3000 - PROCTREE_MAX);
	cr_assert_eq(in.procs[0].pid, 10);
	cr_assert_str_eq(in.procs[0].argv[1], "x.py");
	cr_assert_eq(in.procs[1].pid, 11);
	cr_assert_eq(in.procs[1].ppid, 10);
	cr_assert_str_eq(in.procs[1].argv[2], "id");
	cr_assert_str_eq(in.procs[1].signal, "SIGKILL");
	cr_assert_eq(in.procs[2].pid, 11, "a reused pid is a new process, the thread is none");
	cr_assert(!in.procs[2].ended);
	/* every event counted, in at most TIMELINE_BUCKETS buckets spanning the window */
	cr_assert_eq(in.timeline.total, 3006);
	cr_assert_leq(in.timeline.n_buckets, TIMELINE_BUCKETS);
	cr_assert_geq(in.timeline.bucket_s * TIMELINE_BUCKETS, 3999.0);
	unsigned long sum = 0;
	for (size_t i = 0; i < TIMELINE_BUCKETS; i++)
		sum += in.timeline.count[TL_PROCESS][i];
	cr_assert_eq(sum, 3006);
	report_input_free(&in);
}

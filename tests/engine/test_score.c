/*
 * test_score.c — findings store (merge, cap, sort) and scoring: statuses,
 * score, verdict, risk, explanation and recommendations.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/report.h"

static struct report_input input;

static void setup(void)
{
	memset(&input, 0, sizeof(input));
	static const char *const ids[][2] = {{"process", "Process Spawning"}, {"network", "Network Connections"},
					     {"file", "File Access"}, {"code_integrity", "Code Integrity"}};
	input.n_categories = 4;
	input.categories = calloc(4, sizeof(*input.categories));
	for (size_t i = 0; i < 4; i++) {
		input.categories[i].id = strdup(ids[i][0]);
		input.categories[i].title = strdup(ids[i][1]);
		input.categories[i].plugin = strdup(ids[i][0]);
	}
	double w[5] = {0, 5, 15, 40, 60};
	memcpy(input.weights, w, sizeof(w));
	input.pass_score = 70;
}

static void teardown(void)
{
	report_input_free(&input);
}

TestSuite(score, .init = setup, .fini = teardown);
TestSuite(findings, .init = setup, .fini = teardown);

static void add(size_t cat, const char *rule, enum da_severity sev, const char *msg, const char *rec)
{
	struct da_finding f = {.struct_size = sizeof(f), .rule = rule, .severity = sev, .message = msg,
			       .pid = 7, .time_s = 1.5, .recommendation = rec};
	cr_assert_eq(findings_add(&input.categories[cat], &f), 0);
}

static bool has_line(char **v, size_t n, const char *line)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], line) == 0)
			return true;
	return false;
}

/* ---- findings ---------------------------------------------------------- */

Test(findings, merge_by_rule_and_message_keeps_first)
{
	const char *ev1[] = {"execve(\"/bin/sh\") = 0"};
	const char *ev2[] = {"execve(\"/bin/sh\") = 0", "clone() = 9"};
	struct da_finding f = {.struct_size = sizeof(f), .rule = "process.shell_spawn", .severity = DA_SEV_HIGH,
			       .message = "spawned a shell", .pid = 3, .time_s = 0.25, .evidence = ev1,
			       .n_evidence = 1};
	struct category_rec *c = &input.categories[0];
	cr_assert_eq(findings_add(c, &f), 0);
	f.pid = 9;
	f.time_s = 4;
	f.evidence = ev2;
	f.n_evidence = 2;
	cr_assert_eq(findings_add(c, &f), 0);
	cr_assert_eq(c->n_findings, 1);
	cr_assert_eq(c->findings[0].count, 2);
	cr_assert_eq(c->findings[0].pid, 3);
	cr_assert_eq(c->findings[0].time_s, 0.25);
	cr_assert_eq(c->findings[0].n_evidence, 2);
	cr_assert_str_eq(c->findings[0].evidence[1], "clone() = 9");
	f.message = "spawned another shell";
	cr_assert_eq(findings_add(c, &f), 0);
	cr_assert_eq(c->n_findings, 2);
}

Test(findings, copies_what_it_keeps)
{
	char rule[] = "file.sensitive_read", msg[] = "read /etc/shadow", line[] = "openat(...) = 3";
	const char *ev[] = {line};
	struct da_finding f = {.struct_size = sizeof(f), .rule = rule, .severity = DA_SEV_MEDIUM,
			       .message = msg, .evidence = ev, .n_evidence = 1, .time_s = -1};
	cr_assert_eq(findings_add(&input.categories[2], &f), 0);
	memset(rule, 'x', sizeof(rule) - 1);
	memset(msg, 'x', sizeof(msg) - 1);
	memset(line, 'x', sizeof(line) - 1);
	cr_assert_str_eq(input.categories[2].findings[0].rule, "file.sensitive_read");
	cr_assert_str_eq(input.categories[2].findings[0].message, "read /etc/shadow");
	cr_assert_str_eq(input.categories[2].findings[0].evidence[0], "openat(...) = 3");
	cr_assert_null(input.categories[2].findings[0].recommendation);
}

Test(findings, evidence_is_capped)
{
	char lines[20][16];
	const char *ev[20];
	for (int i = 0; i < 20; i++) {
		snprintf(lines[i], sizeof(lines[i]), "line %d", i);
		ev[i] = lines[i];
	}
	struct da_finding f = {.struct_size = sizeof(f), .rule = "a.b", .severity = DA_SEV_LOW, .message = "m",
			       .evidence = ev, .n_evidence = 5};
	cr_assert_eq(findings_add(&input.categories[0], &f), 0);
	f.evidence = ev + 5;
	f.n_evidence = 15;
	cr_assert_eq(findings_add(&input.categories[0], &f), 0);
	cr_assert_eq(input.categories[0].findings[0].n_evidence, FINDING_MAX_EVIDENCE);
	cr_assert_str_eq(input.categories[0].findings[0].evidence[FINDING_MAX_EVIDENCE - 1], "line 7");
}

Test(findings, rejects_incomplete_findings)
{
	struct da_finding f = {.struct_size = sizeof(f), .rule = "a.b", .severity = DA_SEV_LOW, .message = NULL};
	cr_assert_eq(findings_add(&input.categories[0], &f), -EINVAL);
	f.message = "m";
	f.rule = "";
	cr_assert_eq(findings_add(&input.categories[0], &f), -EINVAL);
	f.rule = "a.b";
	f.severity = (enum da_severity)9;
	cr_assert_eq(findings_add(&input.categories[0], &f), -EINVAL);
	cr_assert_eq(input.categories[0].n_findings, 0);
}

Test(findings, sort_severity_then_rule_then_message)
{
	add(0, "b.rule", DA_SEV_LOW, "z", NULL);
	add(0, "a.rule", DA_SEV_LOW, "y", NULL);
	add(0, "a.rule", DA_SEV_LOW, "x", NULL);
	add(0, "c.rule", DA_SEV_CRITICAL, "w", NULL);
	findings_sort(&input);
	struct finding_rec *f = input.categories[0].findings;
	cr_assert_str_eq(f[0].rule, "c.rule");
	cr_assert_str_eq(f[1].message, "x");
	cr_assert_str_eq(f[2].message, "y");
	cr_assert_str_eq(f[3].rule, "b.rule");
}

/* ---- scoring ----------------------------------------------------------- */

Test(score, no_findings_is_100_pass_low)
{
	struct score_result r;
	cr_assert_eq(score_compute(&input, &r), 0);
	cr_assert_eq(r.score, 100);
	cr_assert(r.pass);
	cr_assert_str_eq(r.risk, "low");
	for (size_t i = 0; i < input.n_categories; i++) {
		cr_assert_eq(input.categories[i].status, STATUS_SAFE);
		cr_assert_str_eq(input.categories[i].observation, "None");
		cr_assert_str_eq(input.categories[i].remarks, "No findings");
	}
	cr_assert_str_eq(r.explanation[0], "start 100");
	cr_assert(has_line(r.explanation, r.n_explanation, "= 100; pass_score 70 -> PASS"));
	cr_assert_str_eq(r.recommendations[r.n_recommendations - 1],
			 "Maintain sandbox isolation for future dynamic tests");
	score_free(&r);
}

Test(score, one_info_passes)
{
	add(3, "code_integrity.syntax_error", DA_SEV_INFO, "IndentationError", "Fix the syntax error");
	struct score_result r;
	cr_assert_eq(score_compute(&input, &r), 0);
	cr_assert_eq(r.score, 100);
	cr_assert(r.pass);
	cr_assert_str_eq(r.risk, "low");
	cr_assert_eq(input.categories[3].status, STATUS_INFO);
	cr_assert_str_eq(input.categories[3].observation, "IndentationError");
	cr_assert_str_eq(r.recommendations[0], "Fix the syntax error");
	score_free(&r);
}

Test(score, one_high_fails)
{
	add(0, "process.shell_spawn", DA_SEV_HIGH, "spawned /bin/sh", "Remove the shell");
	struct score_result r;
	cr_assert_eq(score_compute(&input, &r), 0);
	cr_assert_eq(r.score, 60);
	cr_assert(!r.pass);
	cr_assert_str_eq(r.risk, "high"); /* 60 alone is medium: raised by the failed category */
	cr_assert_eq(input.categories[0].status, STATUS_FAIL);
	cr_assert(has_line(r.explanation, r.n_explanation, "- 40 x 1 process.shell_spawn (high)"));
	cr_assert(has_line(r.explanation, r.n_explanation, "= 60; pass_score 70; category process failed -> FAIL"));
	score_free(&r);
}

Test(score, low_and_medium_warn_and_count_is_capped)
{
	struct da_finding f = {.struct_size = sizeof(f), .rule = "network.connect", .severity = DA_SEV_MEDIUM,
			       .message = "connected to 127.0.0.1:9", .time_s = -1};
	for (int i = 0; i < 10; i++)
		cr_assert_eq(findings_add(&input.categories[1], &f), 0);
	add(2, "file.probe", DA_SEV_LOW, "probed", NULL);
	struct score_result r;
	cr_assert_eq(score_compute(&input, &r), 0);
	cr_assert_eq(r.score, 100 - 15 * 3 - 5); /* 50 */
	cr_assert(!r.pass);                     /* below pass_score, no category failed */
	/* the score alone says high; no finding is above medium */
	cr_assert_str_eq(r.risk, "medium");
	cr_assert(has_line(r.explanation, r.n_explanation,
			   "risk medium (score alone: high; capped by the worst finding, medium)"));
	cr_assert_eq(input.categories[1].status, STATUS_WARN);
	cr_assert_eq(input.categories[2].status, STATUS_WARN);
	cr_assert(has_line(r.explanation, r.n_explanation,
			   "- 15 x 3 network.connect (medium; 10 occurrences, at most 3 counted)"));
	cr_assert(has_line(r.explanation, r.n_explanation, "= 50; pass_score 70; score below pass_score -> FAIL"));
	score_free(&r);
}

/* Ten different programs run by one script are one habit: the rule, over
 * all its messages, counts at most three occurrences, worst first. */
Test(score, one_rule_counts_at_most_three_times_over_its_messages)
{
	char msg[64];
	for (int i = 0; i < 10; i++) {
		snprintf(msg, sizeof msg, "runs tool%d", i);
		add(0, "process.exec_unlisted", DA_SEV_LOW, msg, NULL);
	}
	add(0, "process.exec_unlisted", DA_SEV_MEDIUM, "runs nc", NULL);
	struct score_result r;
	cr_assert_eq(score_compute(&input, &r), 0);
	cr_assert_eq(r.score, 100 - 15 - 5 * 2); /* the medium one first, then two lows */
	cr_assert(r.pass);
	cr_assert(has_line(r.explanation, r.n_explanation, "- 15 x 1 process.exec_unlisted (medium)"));
	cr_assert(has_line(r.explanation, r.n_explanation,
			   "- 0 for 8 more process.exec_unlisted (the rule counts at most 3 times)"));
	score_free(&r);
}

/* A detector summary that says "nothing happened" on a failing row, or
 * quotes a lesser finding, gives way to the worst finding. */
Test(score, summary_never_contradicts_the_findings)
{
	struct category_rec *c = &input.categories[0];
	c->observation = strdup("None");
	c->remarks = strdup("No subprocesses or shell activity");
	add(0, "process.memfd_exec", DA_SEV_CRITICAL, "Executes an in-memory file (memfd:x)", NULL);
	struct category_rec *f = &input.categories[2];
	f->observation = strdup("Sensitive paths");
	f->remarks = strdup("Creates directory /home (failed: EEXIST)");
	add(2, "file.write_outside", DA_SEV_MEDIUM, "Creates directory /home (failed: EEXIST)", NULL);
	add(2, "file.persistence", DA_SEV_CRITICAL, "Writes ~/.ssh/authorized_keys", NULL);
	struct score_result r;
	cr_assert_eq(score_compute(&input, &r), 0);
	cr_assert_str_eq(c->observation, "Security violation");
	cr_assert_str_eq(c->remarks, "Executes an in-memory file (memfd:x)");
	cr_assert_str_eq(f->observation, "Sensitive paths"); /* an observation of its own stays */
	cr_assert_str_eq(f->remarks,
			 "Writes ~/.ssh/authorized_keys; Creates directory /home (failed: EEXIST)");
	score_free(&r);
}

Test(score, weights_and_pass_score_are_configurable)
{
	add(1, "network.connect", DA_SEV_MEDIUM, "connected", NULL);
	input.weights[DA_SEV_MEDIUM] = 2.5;
	input.pass_score = 99;
	struct score_result r;
	cr_assert_eq(score_compute(&input, &r), 0);
	cr_assert_eq(r.score, 97.5);
	cr_assert(!r.pass);
	cr_assert(has_line(r.explanation, r.n_explanation, "- 2.5 x 1 network.connect (medium)"));
	score_free(&r);
	input.pass_score = 97.5; /* the threshold itself passes */
	cr_assert_eq(score_compute(&input, &r), 0);
	cr_assert(r.pass);
	cr_assert_str_eq(r.risk, "low");
	score_free(&r);
}

Test(score, score_floors_at_zero_and_risk_critical)
{
	add(0, "a.x", DA_SEV_CRITICAL, "one", NULL);
	add(0, "a.y", DA_SEV_CRITICAL, "two", NULL);
	struct score_result r;
	cr_assert_eq(score_compute(&input, &r), 0);
	cr_assert_eq(r.score, 0);
	cr_assert_str_eq(r.risk, "critical");
	score_free(&r);
}

Test(score, failed_detector_is_warn_not_safe)
{
	input.categories[1].error = strdup("init: bad allow_listen");
	struct score_result r;
	cr_assert_eq(score_compute(&input, &r), 0);
	cr_assert_eq(input.categories[1].status, STATUS_WARN);
	cr_assert(strstr(input.categories[1].remarks, "init: bad allow_listen"));
	cr_assert(r.pass); /* a warn does not fail the verdict by itself */
	cr_assert(strstr(r.recommendations[0], "Fix detector network"), "%s", r.recommendations[0]);
	score_free(&r);
}

Test(score, summary_from_plugin_is_kept)
{
	input.categories[3].observation = strdup("IndentationError crash");
	input.categories[3].remarks = strdup("Code halted early, not a runtime security issue");
	add(3, "code_integrity.syntax_error", DA_SEV_INFO, "IndentationError", NULL);
	struct score_result r;
	cr_assert_eq(score_compute(&input, &r), 0);
	cr_assert_str_eq(input.categories[3].observation, "IndentationError crash");
	cr_assert_str_eq(input.categories[3].remarks, "Code halted early, not a runtime security issue");
	score_free(&r);
}

Test(score, recommendations_deduplicated_worst_first_incomplete_rerun)
{
	add(2, "file.a", DA_SEV_LOW, "a", "Check files");
	add(0, "process.b", DA_SEV_HIGH, "b", "Remove the shell");
	add(1, "network.c", DA_SEV_LOW, "c", "Check files");
	input.incomplete = "interrupted by SIGINT";
	struct score_result r;
	cr_assert_eq(score_compute(&input, &r), 0);
	cr_assert_eq(r.n_recommendations, 4);
	cr_assert_str_eq(r.recommendations[0], "Remove the shell");
	cr_assert_str_eq(r.recommendations[1], "Check files");
	cr_assert(strstr(r.recommendations[2], "Re-run") && strstr(r.recommendations[2], "SIGINT"));
	cr_assert_str_eq(r.recommendations[3], "Maintain sandbox isolation for future dynamic tests");
	score_free(&r);
}

Test(score, status_names)
{
	cr_assert_str_eq(category_status_name(STATUS_WARN), "warn");
	cr_assert_str_eq(category_status_label(STATUS_FAIL), "Fail");
}

/*
 * report_junit.c — report.junit.xml: the audit as a JUnit test report, for
 * CI systems that show test results (GitLab, Jenkins, GitHub test
 * reporters).  See report.h.
 *
 * One <testsuite> per audit; one <testcase> per category, in report order,
 * classname "dynaudit.<category id>" and name the category title (stable
 * across audits, so a CI's history lines up).  Two more testcases carry
 * the rest of the verdict: "dynaudit.score" (fails when the score is below
 * the pass score) and "dynaudit.coverage".
 *
 * What fails.  The suite fails exactly when the exit status is 1:
 *   - a category with status fail: <failure type="fail">;
 *   - a category with status warn: <failure type="warn"> when --fail-on
 *     lists warn (report_input.fail_on_warn), otherwise it passes with
 *     its findings in <system-out>: a warning is for a person to read,
 *     and a CI that should stop on it says so with --fail-on warn;
 *   - coverage not full: <failure type="inconclusive"> under --fail-on
 *     inconclusive, otherwise <skipped> with the reason (the audit could
 *     not judge what did not run);
 *   - a detector that failed: <error> (its category was not fully judged).
 * Findings (severity, rule, message, pid, time) and their evidence are the
 * failure text.  All text is XML-escaped by markup_text, which also shows
 * characters XML forbids as \xNN instead of writing them.  No timestamp:
 * the file is deterministic, like report.json.
 */
#include "engine/report.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "engine/json.h"

#define JUNIT_MAX_TEXT 4000

static void esc(struct json_buf *b, const char *s)
{
	markup_text_max(b, s ? s : "", JUNIT_MAX_TEXT);
}

static bool fails(const struct report_input *in, const struct category_rec *c)
{
	return c->status == STATUS_FAIL || (c->status == STATUS_WARN && in->fail_on_warn);
}

static void findings_text(struct json_buf *b, const struct category_rec *c)
{
	for (size_t i = 0; i < c->n_findings; i++) {
		const struct finding_rec *f = &c->findings[i];
		json_buf_printf(b, "[%s] ", da_severity_name(f->severity));
		esc(b, f->rule);
		json_buf_puts(b, ": ");
		esc(b, f->message);
		if (f->pid > 0)
			json_buf_printf(b, " (pid %d", f->pid);
		else
			json_buf_puts(b, " (");
		if (f->time_s >= 0)
			json_buf_printf(b, "%sat %.3f s", f->pid > 0 ? ", " : "", f->time_s);
		json_buf_printf(b, "%sseen %u time%s)\n", f->pid > 0 || f->time_s >= 0 ? ", " : "", f->count,
				f->count == 1 ? "" : "s");
		for (size_t k = 0; k < f->n_evidence; k++) {
			json_buf_puts(b, "    ");
			esc(b, f->evidence[k]);
			json_buf_putc(b, '\n');
		}
		if (f->recommendation) {
			json_buf_puts(b, "  Recommendation: ");
			esc(b, f->recommendation);
			json_buf_putc(b, '\n');
		}
	}
}

static void testcase(struct json_buf *b, const struct report_input *in, const struct category_rec *c)
{
	json_buf_puts(b, "    <testcase classname=\"dynaudit.");
	esc(b, c->id);
	json_buf_puts(b, "\" name=\"");
	esc(b, c->title ? c->title : c->id);
	json_buf_puts(b, "\" time=\"0\">\n");
	if (c->error) {
		json_buf_puts(b, "      <error type=\"detector\" message=\"the detector failed: ");
		esc(b, c->error);
		json_buf_puts(b, "\"/>\n");
	}
	if (fails(in, c)) {
		json_buf_printf(b, "      <failure type=\"%s\" message=\"%s: ", category_status_name(c->status),
				category_status_label(c->status));
		esc(b, c->remarks);
		json_buf_puts(b, "\">");
		findings_text(b, c);
		json_buf_puts(b, "</failure>\n");
	} else if (c->n_findings || c->n_activity) {
		json_buf_printf(b, "      <system-out>Status: %s — ", category_status_label(c->status));
		esc(b, c->remarks);
		json_buf_putc(b, '\n');
		for (size_t i = 0; i < c->n_activity; i++) {
			json_buf_puts(b, "Observed: ");
			esc(b, c->activity[i]);
			json_buf_putc(b, '\n');
		}
		findings_text(b, c);
		json_buf_puts(b, "</system-out>\n");
	}
	json_buf_puts(b, "    </testcase>\n");
}

static void verdict_cases(struct json_buf *b, const struct report_input *in, const struct score_result *s)
{
	json_buf_puts(b, "    <testcase classname=\"dynaudit.score\" name=\"Score\" time=\"0\">\n");
	if (s->score < in->pass_score)
		json_buf_printf(b, "      <failure type=\"score\" message=\"score %.1f is below the pass score %.1f\">"
				   "score %.1f of 100, pass score %.1f, %s risk</failure>\n",
				s->score, in->pass_score, s->score, in->pass_score, s->risk ? s->risk : "critical");
	json_buf_puts(b, "    </testcase>\n");
	json_buf_puts(b, "    <testcase classname=\"dynaudit.coverage\" name=\"Coverage\" time=\"0\">\n");
	bool full = !in->coverage || strcmp(in->coverage, "full") == 0;
	if (!full) {
		json_buf_printf(b, in->fail_on_inconclusive ? "      <failure type=\"inconclusive\" message=\"coverage %s: "
							    : "      <skipped message=\"inconclusive, coverage %s: ",
				in->coverage);
		esc(b, in->coverage_reason);
		json_buf_puts(b, "\"/>\n");
	}
	json_buf_puts(b, "    </testcase>\n");
}

int report_write_junit(const struct report_input *in, const struct score_result *s,
		       int dirfd, const char *path, char *err, size_t errlen)
{
	struct json_buf b = {0};
	size_t failures = 0, errors = 0, skipped = 0, tests = in->n_categories + 2;
	for (size_t i = 0; i < in->n_categories; i++) {
		failures += fails(in, &in->categories[i]);
		errors += in->categories[i].error != NULL;
	}
	failures += s->score < in->pass_score;
	bool full = !in->coverage || strcmp(in->coverage, "full") == 0;
	if (!full) {
		failures += in->fail_on_inconclusive;
		skipped += !in->fail_on_inconclusive;
	}
	json_buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	json_buf_printf(&b, "<testsuites name=\"dynaudit\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" "
			    "skipped=\"%zu\" time=\"%.3f\">\n", tests, failures, errors, skipped,
			in->observed_s > 0 ? in->observed_s : 0);
	json_buf_puts(&b, "  <testsuite name=\"dynaudit: ");
	if (in->title && *in->title)
		esc(&b, in->title);
	else
		for (size_t i = 0; in->command && in->command[i] && i < 16; i++) {
			if (i)
				json_buf_putc(&b, ' ');
			markup_text_max(&b, in->command[i], 200);
		}
	json_buf_printf(&b, "\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\" time=\"%.3f\">\n",
			tests, failures, errors, skipped, in->observed_s > 0 ? in->observed_s : 0);
	json_buf_puts(&b, "    <properties>\n");
	json_buf_printf(&b, "      <property name=\"verdict\" value=\"%s\"/>\n", s->pass ? "PASS" : "FAIL");
	json_buf_printf(&b, "      <property name=\"score\" value=\"%.1f\"/>\n", s->score);
	json_buf_printf(&b, "      <property name=\"risk\" value=\"%s\"/>\n", s->risk ? s->risk : "critical");
	json_buf_printf(&b, "      <property name=\"coverage\" value=\"%s\"/>\n", in->coverage ? in->coverage : "full");
	json_buf_puts(&b, "      <property name=\"workdir\" value=\"");
	esc(&b, in->workdir);
	json_buf_puts(&b, "\"/>\n    </properties>\n");
	for (size_t i = 0; i < in->n_categories; i++)
		testcase(&b, in, &in->categories[i]);
	verdict_cases(&b, in, s);
	json_buf_puts(&b, "  </testsuite>\n</testsuites>\n");
	return report_buf_write(&b, dirfd, path, err, errlen);
}

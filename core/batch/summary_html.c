/*
 * summary_html.c — index.html of a batch: the ranked table of summary.md
 * as one page, each row linking to its audit's report (see summary.h).
 *
 * Inert like report.html (engine/report_html.c): no script, no external
 * asset, a Content Security Policy forbidding both, inline CSS only.  Every
 * string (submission names, rule ids, reasons, outlier texts: the
 * submissions' own words may be in any of them) goes through markup_text,
 * and a link is the audit directory's name percent-encoded below "./", so
 * a name can neither open markup nor become a URL scheme.  Deterministic:
 * the page depends on the rows only, as summary.json does.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "batch/summary.h"
#include "batch/summary_row.h"
#include "engine/json.h"
#include "engine/report.h"

static const char style[] =
	"body{font-family:system-ui,sans-serif;margin:1.5em auto;max-width:90em;padding:0 1em;color:#111}"
	"h1{font-size:1.5em}h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:1.6em}"
	"table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.3em .5em;"
	"text-align:left;vertical-align:top}th{background:#f3f4f6}"
	".s-safe{color:#15803d}.s-info{color:#2563eb}.s-warn{color:#b45309;font-weight:bold}"
	".s-fail{color:#b91c1c;font-weight:bold}.st-fail{background:#fee2e2}.st-not-audited{background:#f3f4f6}"
	".st-rerun{background:#fef3c7}.review{font-weight:bold;color:#b45309}.note{color:#555;font-style:italic}";

static void esc(struct json_buf *b, const char *s)
{
	markup_text_max(b, s ? s : "", 2000);
}

/* "./NAME/report.html": the name percent-encoded (every byte outside the
 * URL's unreserved set), so the href is always a relative path. */
static void put_link(struct json_buf *b, const struct summary_row *r)
{
	const char *base = strrchr(r->dir, '/');
	base = base ? base + 1 : r->dir;
	json_buf_puts(b, "./");
	for (const unsigned char *p = (const unsigned char *)base; *p; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    strchr("-._~", *p))
			json_buf_putc(b, (char)*p);
		else
			json_buf_printf(b, "%%%02X", *p);
	}
	json_buf_puts(b, r->has_html ? "/report.html" : "/report.md");
}

static const char *row_class(const struct summary_row *r)
{
	switch (r->group) {
	case GROUP_FAIL: return "st-fail";
	case GROUP_NOT_AUDITED: return "st-not-audited";
	case GROUP_RERUN: return "st-rerun";
	default: return "st-pass";
	}
}

static void cat_cell(struct json_buf *b, const char *status)
{
	if (!status) {
		json_buf_puts(b, "<td>-</td>");
		return;
	}
	bool known = !strcmp(status, "safe") || !strcmp(status, "info") || !strcmp(status, "warn") ||
		     !strcmp(status, "fail");
	json_buf_printf(b, "<td class=\"s-%s\">", known ? status : "unknown");
	esc(b, status);
	json_buf_puts(b, "</td>");
}

static void table(struct json_buf *b, const struct summary_row *rows, size_t n)
{
	json_buf_puts(b, "<table id=\"summary\">\n<thead><tr><th>#</th><th>Submission</th><th>Status</th>"
			 "<th>Score</th><th>Risk</th><th>Coverage</th><th>proc</th><th>net</th><th>file</th>"
			 "<th>priv</th><th>code</th><th>backdoor</th><th>Top findings</th><th>Review</th>"
			 "</tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < n; i++) {
		const struct summary_row *r = &rows[i];
		json_buf_printf(b, "<tr class=\"%s\"><td>%zu</td><td>", row_class(r), i + 1);
		if (r->has_report) {
			json_buf_puts(b, "<a href=\"");
			put_link(b, r);
			json_buf_puts(b, "\">");
			esc(b, r->name);
			json_buf_puts(b, "</a>");
		} else {
			esc(b, r->name);
		}
		json_buf_puts(b, "</td><td>");
		esc(b, summary_status_text(r));
		json_buf_puts(b, "</td><td>");
		if (r->has_score)
			json_buf_printf(b, "%.1f", r->score);
		json_buf_puts(b, "</td><td>");
		esc(b, r->risk);
		json_buf_puts(b, "</td><td>");
		esc(b, r->coverage);
		json_buf_puts(b, "</td>");
		for (int k = 0; k < SUMMARY_N_CATS; k++)
			cat_cell(b, r->cats[k]);
		json_buf_puts(b, "<td>");
		for (size_t k = 0; k < r->n_top; k++) {
			if (k)
				json_buf_puts(b, ", ");
			json_buf_puts(b, "<code>");
			esc(b, r->top[k].rule);
			json_buf_printf(b, "</code> x%lld", (long long)r->top[k].count);
		}
		json_buf_printf(b, "</td><td%s>%s</td></tr>\n", r->needs_review ? " class=\"review\"" : "",
				r->needs_review ? "yes" : "no");
	}
	json_buf_puts(b, "</tbody>\n</table>\n");
}

static void reasons(struct json_buf *b, const struct summary_row *rows, size_t n)
{
	bool head = false;
	for (size_t i = 0; i < n; i++) {
		const struct summary_row *r = &rows[i];
		if (!r->reason && (!r->coverage_reason || r->group != GROUP_RERUN))
			continue;
		if (!head)
			json_buf_puts(b, "<h2>Not audited, interrupted or inconclusive</h2>\n<ul id=\"reasons\">\n");
		head = true;
		json_buf_puts(b, "<li><b>");
		esc(b, r->name);
		json_buf_puts(b, "</b> (");
		esc(b, summary_status_text(r));
		json_buf_puts(b, "): ");
		esc(b, r->reason ? r->reason : r->coverage_reason);
		json_buf_puts(b, "</li>\n");
	}
	if (head)
		json_buf_puts(b, "</ul>\n");
}

static void outliers(struct json_buf *b, const struct summary_row *rows, size_t n, size_t audited,
		     size_t threshold)
{
	json_buf_printf(b, "<h2>Cohort outliers (advisory)</h2>\n<p class=\"note\">Behaviours at most %zu of "
			"the %zu audited submissions show (min(3, 10%%)); a file left behind counts when at "
			"least two left the same bytes. They never change a verdict.</p>\n<ul id=\"outliers\">\n",
			threshold, audited);
	bool any = false;
	for (size_t i = 0; i < n; i++) {
		const struct summary_row *r = &rows[i];
		bool first = true;
		for (size_t k = 0; r->has_report && k < r->n_beh; k++) {
			if (!summary_is_outlier(&r->beh[k], threshold))
				continue;
			char text[1024];
			summary_outlier_text(text, sizeof(text), rows, n, r, &r->beh[k], audited);
			if (first) {
				json_buf_puts(b, "<li><b>");
				esc(b, r->name);
				json_buf_puts(b, "</b>:");
			}
			json_buf_puts(b, first ? " " : "; ");
			esc(b, text);
			first = false;
			any = true;
		}
		if (!first)
			json_buf_puts(b, "</li>\n");
	}
	if (!any)
		json_buf_puts(b, "<li>None.</li>\n");
	json_buf_puts(b, "</ul>\n");
}

void summary_write_html(struct json_buf *b, const struct summary_row *rows, size_t n,
			const struct summary_totals *t, size_t audited, size_t threshold)
{
	json_buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
			 "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
			 "style-src 'unsafe-inline'\">\n"
			 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
	json_buf_printf(b, "<title>dynaudit summary — %zu submissions, %zu FAIL</title>\n<style>%s</style>\n"
			"</head>\n<body>\n<h1>dynaudit summary</h1>\n", t->rows, t->fail, style);
	json_buf_printf(b, "<p id=\"totals\">%zu submissions: %zu FAIL, %zu not audited, %zu need a re-run, "
			"%zu PASS; %zu need review.</p>\n", t->rows, t->fail, t->not_audited, t->needs_rerun,
			t->rows - t->fail - t->not_audited - t->needs_rerun, t->needs_review);
	table(b, rows, n);
	reasons(b, rows, n);
	outliers(b, rows, n, audited, threshold);
	json_buf_puts(b, "</body>\n</html>\n");
}

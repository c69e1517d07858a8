/*
 * report_html.c — report.html: one self-contained page for people (a TA
 * opening an audit from a CI artifact).  See report.h.
 *
 * Self-contained and inert: no script, no external asset, a Content
 * Security Policy that forbids both (default-src 'none'), inline CSS and an
 * inline SVG timeline drawn here.  Every string from the target or a
 * detector goes through markup_text (report_markup.c), so argv, paths and
 * output lines cannot open a tag or an attribute.
 *
 * Sections, top to bottom: the verdict (with coverage: "PASS — inconclusive"
 * when it is not full), the assessment table (as report.md), the process
 * tree (who started whom, argv, exit), the timeline of events and findings
 * over the window, the findings with evidence, recommendations, and the
 * sandbox facts.  Bounded: the tree holds at most PROCTREE_MAX processes,
 * argv is cut (HTML_MAX_ARGS, HTML_MAX_ARG bytes), the timeline has at most
 * HTML_COLUMNS columns and HTML_MAX_MARKERS finding marks, and at most
 * HTML_MAX_FINDINGS findings are listed; each cut is said on the page.
 */
#include "engine/report.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "engine/json.h"

#define HTML_MAX_ARGS 16
#define HTML_MAX_ARG 200
#define HTML_MAX_TEXT 2000
#define HTML_COLUMNS 120
#define HTML_MAX_MARKERS 200
#define HTML_MAX_FINDINGS 300

static void esc(struct json_buf *b, const char *s)
{
	markup_text_max(b, s ? s : "", HTML_MAX_TEXT);
}

static const char *sev_label(enum da_severity s)
{
	static const char *const labels[] = {"Info", "Low", "Medium", "High", "Critical"};
	return (unsigned)s <= DA_SEV_CRITICAL ? labels[s] : "?";
}

static const char *sev_color(enum da_severity s)
{
	static const char *const colors[] = {"#6b7280", "#2563eb", "#d97706", "#dc2626", "#7f1d1d"};
	return (unsigned)s <= DA_SEV_CRITICAL ? colors[s] : "#000";
}

static const char *status_mark(enum category_status s)
{
	switch (s) {
	case STATUS_SAFE: return "▼ Safe";
	case STATUS_INFO: return "⚠ Info";
	case STATUS_WARN: return "⚠ Warn";
	default: return "✖ Fail";
	}
}

static const char style[] =
	"body{font-family:system-ui,sans-serif;margin:1.5em auto;max-width:70em;padding:0 1em;color:#111}"
	"h1{font-size:1.5em}h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:1.6em}"
	".verdict{font-size:1.3em;padding:.6em 1em;border-radius:.3em;color:#fff}"
	".v-pass{background:#15803d}.v-fail{background:#b91c1c}.v-inconclusive{background:#a16207}"
	"table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.3em .5em;"
	"text-align:left;vertical-align:top}th{background:#f3f4f6}"
	".s-safe{color:#15803d}.s-info{color:#2563eb}.s-warn{color:#b45309;font-weight:bold}"
	".s-fail{color:#b91c1c;font-weight:bold}"
	"code,pre{font-family:ui-monospace,monospace;font-size:.9em}pre{background:#f6f8fa;padding:.5em;"
	"overflow-x:auto;white-space:pre-wrap;word-break:break-all}"
	"ul.tree,ul.tree ul{list-style:none;padding-left:1.2em;border-left:1px dotted #999;margin:0}"
	"ul.tree li{margin:.15em 0}.pid{color:#555}.setup{color:#7c3aed}.exit-bad{color:#b91c1c}"
	".note{color:#555;font-style:italic}.finding{border-left:4px solid #ccc;padding-left:.8em;margin:1em 0}";

/* ---- verdict ------------------------------------------------------------ */

/* The report's name: report.title, else the target command (as report.md). */
static void put_name(struct json_buf *b, const struct report_input *in)
{
	if (in->title && *in->title)
		esc(b, in->title);
	else if (in->command && in->command[0])
		for (size_t i = 0; in->command[i] && i < HTML_MAX_ARGS; i++) {
			if (i)
				json_buf_putc(b, ' ');
			markup_text_max(b, in->command[i], HTML_MAX_ARG);
		}
	else
		json_buf_puts(b, "unnamed target");
}

static void html_head(struct json_buf *b, const struct report_input *in, const struct score_result *s)
{
	json_buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
			 "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
			 "style-src 'unsafe-inline'\">\n"
			 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
	json_buf_printf(b, "%s — ", s->pass ? "PASS" : "FAIL");
	put_name(b, in);
	json_buf_printf(b, " — dynaudit</title>\n<style>%s</style>\n</head>\n<body>\n", style);
}

static void html_verdict(struct json_buf *b, const struct report_input *in, const struct score_result *s)
{
	bool full = !in->coverage || strcmp(in->coverage, "full") == 0;
	json_buf_puts(b, "<h1>Dynamic Security Analysis Report — ");
	put_name(b, in);
	json_buf_puts(b, "</h1>\n");
	json_buf_printf(b, "<p class=\"verdict %s\" id=\"verdict\"><strong>%s%s</strong> — score %.1f/100, "
			   "%s risk; coverage: %s",
			!s->pass ? "v-fail" : full ? "v-pass" : "v-inconclusive", s->pass ? "PASS" : "FAIL",
			full ? "" : " — inconclusive", s->score, s->risk ? s->risk : "critical",
			in->coverage ? in->coverage : "full");
	if (in->coverage_reason) {
		json_buf_puts(b, " (");
		esc(b, in->coverage_reason);
		json_buf_puts(b, ")");
	}
	json_buf_puts(b, "</p>\n");
	if (in->incomplete) {
		json_buf_puts(b, "<p><strong>Incomplete audit:</strong> ");
		esc(b, in->incomplete);
		json_buf_puts(b, ". The findings below cover only what was observed before the audit stopped.</p>\n");
	}
}

static void html_table(struct json_buf *b, const struct report_input *in)
{
	json_buf_puts(b, "<h2>Security Assessment</h2>\n<table id=\"assessment\">\n<thead><tr><th>Category</th>"
			 "<th>Observation</th><th>Status</th><th>Remarks</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < in->n_categories; i++) {
		const struct category_rec *c = &in->categories[i];
		json_buf_puts(b, "<tr><td>");
		esc(b, c->title ? c->title : c->id);
		json_buf_puts(b, "</td><td>");
		esc(b, c->observation);
		json_buf_printf(b, "</td><td class=\"s-%s\">%s</td><td>", category_status_name(c->status),
				status_mark(c->status));
		esc(b, c->remarks);
		json_buf_puts(b, "</td></tr>\n");
	}
	json_buf_puts(b, "</tbody>\n</table>\n");
}

/* ---- process tree ------------------------------------------------------- */

/* The parent record of procs[i]: the newest earlier record of its ppid. */
static ssize_t parent_of(const struct report_input *in, size_t i)
{
	int ppid = in->procs[i].ppid;
	if (ppid <= 0)
		return -1;
	for (size_t j = i; j-- > 0;)
		if (in->procs[j].pid == ppid)
			return (ssize_t)j;
	return -1;
}

static void html_proc(struct json_buf *b, const struct report_input *in, const ssize_t *parent, size_t i,
		      char *shown)
{
	const struct proc_rec *p = &in->procs[i];
	shown[i] = 1;
	json_buf_printf(b, "<li><span class=\"pid\">pid %d</span> ", p->pid);
	if (p->setup)
		json_buf_puts(b, "<span class=\"setup\">[setup]</span> ");
	if (p->argv && p->argv[0]) {
		json_buf_puts(b, "<code>");
		size_t n = 0;
		while (p->argv[n])
			n++;
		for (size_t k = 0; k < n && k < HTML_MAX_ARGS; k++) {
			if (k)
				json_buf_putc(b, ' ');
			markup_text_max(b, p->argv[k], HTML_MAX_ARG);
		}
		json_buf_puts(b, "</code>");
		if (n > HTML_MAX_ARGS)
			json_buf_printf(b, " <span class=\"note\">(%zu more arguments)</span>", n - HTML_MAX_ARGS);
	} else {
		json_buf_puts(b, "<span class=\"note\">(no exec seen: a fork of its parent)</span>");
	}
	if (p->execs > 1)
		json_buf_printf(b, " <span class=\"note\">(%u exec attempts)</span>", p->execs);
	if (!p->ended)
		json_buf_puts(b, " — still running at the end");
	else if (p->signal) {
		json_buf_puts(b, " — <span class=\"exit-bad\">killed by ");
		esc(b, p->signal);
		json_buf_puts(b, "</span>");
	} else
		json_buf_printf(b, " — <span class=\"%s\">exit %d</span>", p->exit_code ? "exit-bad" : "exit-ok",
				p->exit_code);
	bool any = false;
	for (size_t j = i + 1; j < in->n_procs; j++) {
		if (parent[j] != (ssize_t)i || shown[j])
			continue;
		if (!any)
			json_buf_puts(b, "\n<ul>\n");
		any = true;
		html_proc(b, in, parent, j, shown);
	}
	if (any)
		json_buf_puts(b, "</ul>\n");
	json_buf_puts(b, "</li>\n");
}

static void html_tree(struct json_buf *b, const struct report_input *in)
{
	json_buf_puts(b, "<h2>Process Tree</h2>\n");
	if (!in->n_procs) {
		json_buf_puts(b, "<p id=\"process-tree\" class=\"note\">No process was observed.</p>\n");
		return;
	}
	ssize_t *parent = calloc(in->n_procs, sizeof(*parent));
	char *shown = calloc(in->n_procs, 1);
	if (!parent || !shown) {
		free(parent);
		free(shown);
		b->failed = true;
		return;
	}
	for (size_t i = 0; i < in->n_procs; i++)
		parent[i] = parent_of(in, i);
	json_buf_printf(b, "<p>%zu process%s observed: who started whom, what each ran (the argv of "
			   "its last exec) and how it ended.</p>\n<ul class=\"tree\" id=\"process-tree\">\n",
			in->n_procs + in->procs_dropped, in->n_procs + in->procs_dropped == 1 ? "" : "es");
	for (size_t i = 0; i < in->n_procs; i++)
		if (parent[i] < 0 && !shown[i])
			html_proc(b, in, parent, i, shown);
	json_buf_puts(b, "</ul>\n");
	if (in->procs_dropped)
		json_buf_printf(b, "<p class=\"note\">The tree shows the first %zu processes; %lu more were "
				   "started and are not shown.</p>\n", in->n_procs, in->procs_dropped);
	free(parent);
	free(shown);
}

/* ---- timeline ----------------------------------------------------------- */

#define SVG_W 900
#define SVG_LEFT 90
#define SVG_RIGHT 40 /* room for the last axis label */
#define LANE_H 22
static const char *const lane_name[TL_N] = {"process", "file", "network", "privilege", "output", "other"};
static const char *const lane_color[TL_N] = {"#7c3aed", "#0891b2", "#ea580c", "#be123c", "#4b5563", "#9ca3af"};

static double timeline_span(const struct report_input *in)
{
	double span = in->observed_s;
	const struct timeline_rec *tl = &in->timeline;
	if (tl->bucket_s * (double)tl->n_buckets > span)
		span = tl->bucket_s * (double)tl->n_buckets;
	for (size_t i = 0; i < in->n_categories; i++)
		for (size_t j = 0; j < in->categories[i].n_findings; j++)
			if (in->categories[i].findings[j].time_s > span)
				span = in->categories[i].findings[j].time_s;
	return span > 0 ? span : 1;
}

static void html_timeline(struct json_buf *b, const struct report_input *in)
{
	const struct timeline_rec *tl = &in->timeline;
	double span = timeline_span(in);
	double plot_w = SVG_W - SVG_LEFT - SVG_RIGHT;
	int h = LANE_H * (TL_N + 1) + 30;
	json_buf_puts(b, "<h2>Timeline</h2>\n");
	json_buf_printf(b, "<p>%lu events over %.3f s, per kind (bar height: events in that slice, scaled "
			   "per row), and the findings at the time they were first raised.</p>\n",
			tl->total, span);
	json_buf_printf(b, "<svg id=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
			   "viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"timeline of events and findings\" "
			   "font-family=\"sans-serif\" font-size=\"11\">\n", SVG_W, h, SVG_W, h);
	/* Columns: the collector's buckets, merged so there are at most
	 * HTML_COLUMNS over the span. */
	size_t cols = HTML_COLUMNS;
	double col_s = span / (double)cols;
	for (int c = 0; c <= TL_N; c++) {
		int y = c * LANE_H;
		json_buf_printf(b, "<text x=\"4\" y=\"%d\">%s</text><line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
				   "stroke=\"#ddd\"/>\n", y + 15, c < TL_N ? lane_name[c] : "findings", SVG_LEFT,
				y + LANE_H, SVG_W - SVG_RIGHT, y + LANE_H);
		if (c == TL_N)
			break;
		unsigned long col[HTML_COLUMNS] = {0}, max = 0;
		for (size_t k = 0; k < tl->n_buckets && tl->bucket_s > 0; k++) {
			size_t ci = (size_t)((double)k * tl->bucket_s / col_s);
			if (ci >= cols)
				ci = cols - 1;
			col[ci] += tl->count[c][k];
		}
		for (size_t k = 0; k < cols; k++)
			if (col[k] > max)
				max = col[k];
		for (size_t k = 0; k < cols && max; k++) {
			if (!col[k])
				continue;
			double bh = 2 + (LANE_H - 6) * (double)col[k] / (double)max;
			json_buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">"
					   "<title>%s: %lu events at %.2f–%.2f s</title></rect>\n",
					SVG_LEFT + plot_w * (double)k / (double)cols, y + LANE_H - bh,
					plot_w / (double)cols - 0.5, bh, lane_color[c], lane_name[c], col[k],
					col_s * (double)k, col_s * (double)(k + 1));
		}
	}
	size_t marks = 0, unmarked = 0;
	int fy = TL_N * LANE_H + LANE_H / 2;
	for (size_t i = 0; i < in->n_categories; i++)
		for (size_t j = 0; j < in->categories[i].n_findings; j++) {
			const struct finding_rec *f = &in->categories[i].findings[j];
			if (f->time_s < 0)
				continue;
			if (marks >= HTML_MAX_MARKERS) {
				unmarked++;
				continue;
			}
			marks++;
			json_buf_printf(b, "<circle cx=\"%.1f\" cy=\"%d\" r=\"5\" fill=\"%s\" fill-opacity=\"0.8\">"
					   "<title>%.3f s — %s ", SVG_LEFT + plot_w * f->time_s / span, fy,
					sev_color(f->severity), f->time_s, sev_label(f->severity));
			markup_text_max(b, f->rule, HTML_MAX_ARG);
			json_buf_puts(b, ": ");
			markup_text_max(b, f->message, HTML_MAX_ARG);
			json_buf_puts(b, "</title></circle>\n");
		}
	/* the time axis */
	int ay = (TL_N + 1) * LANE_H + 14;
	int decimals = span < 0.05 ? 4 : span < 1 ? 3 : span < 20 ? 1 : 0;
	for (int t = 0; t <= 5; t++) {
		double x = SVG_LEFT + plot_w * t / 5.0;
		json_buf_printf(b, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#999\"/>"
				   "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%.*f s</text>\n",
				x, ay - 14, x, ay - 8, x, ay + 2, decimals, span * t / 5.0);
	}
	json_buf_puts(b, "</svg>\n");
	if (unmarked)
		json_buf_printf(b, "<p class=\"note\">%zu more findings are not marked on the timeline.</p>\n", unmarked);
}

/* ---- findings, recommendations, sandbox --------------------------------- */

static void html_finding(struct json_buf *b, const struct category_rec *c, const struct finding_rec *f)
{
	json_buf_printf(b, "<div class=\"finding\" style=\"border-color:%s\">\n<h3>%s: <code>",
			sev_color(f->severity), sev_label(f->severity));
	esc(b, f->rule);
	json_buf_puts(b, "</code></h3>\n<p>");
	esc(b, f->message);
	json_buf_puts(b, "</p>\n<p class=\"note\">");
	esc(b, c->title ? c->title : c->id);
	if (f->pid > 0)
		json_buf_printf(b, " · pid %d", f->pid);
	if (f->time_s >= 0)
		json_buf_printf(b, " · at %.3f s", f->time_s);
	json_buf_printf(b, " · seen %u time%s</p>\n", f->count, f->count == 1 ? "" : "s");
	if (f->recommendation) {
		json_buf_puts(b, "<p>Recommendation: ");
		esc(b, f->recommendation);
		json_buf_puts(b, "</p>\n");
	}
	if (f->n_evidence) {
		json_buf_puts(b, "<pre class=\"evidence\">");
		for (size_t i = 0; i < f->n_evidence; i++) {
			esc(b, f->evidence[i]);
			json_buf_putc(b, '\n');
		}
		json_buf_puts(b, "</pre>\n");
	}
	json_buf_puts(b, "</div>\n");
}

static void html_findings(struct json_buf *b, const struct report_input *in)
{
	size_t n = 0, total = 0;
	json_buf_puts(b, "<h2>Findings</h2>\n<div id=\"findings\">\n");
	for (size_t i = 0; i < in->n_categories; i++)
		for (size_t j = 0; j < in->categories[i].n_findings; j++) {
			total++;
			if (n < HTML_MAX_FINDINGS) {
				html_finding(b, &in->categories[i], &in->categories[i].findings[j]);
				n++;
			}
		}
	if (!total)
		json_buf_puts(b, "<p>No findings.</p>\n");
	if (total > n)
		json_buf_printf(b, "<p class=\"note\">%zu more findings are in report.json.</p>\n", total - n);
	json_buf_puts(b, "</div>\n");
}

static void html_recommendations(struct json_buf *b, const struct score_result *s)
{
	if (!s->n_recommendations)
		return;
	json_buf_puts(b, "<h2>Recommendations</h2>\n<ol>\n");
	for (size_t i = 0; i < s->n_recommendations; i++) {
		json_buf_puts(b, "<li>");
		esc(b, s->recommendations[i]);
		json_buf_puts(b, "</li>\n");
	}
	json_buf_puts(b, "</ol>\n");
}

static void row(struct json_buf *b, const char *key, const char *value)
{
	json_buf_puts(b, "<tr><th>");
	esc(b, key);
	json_buf_puts(b, "</th><td>");
	esc(b, value);
	json_buf_puts(b, "</td></tr>\n");
}

static void html_sandbox(struct json_buf *b, const struct report_input *in)
{
	char buf[128];
	json_buf_puts(b, "<h2>Target and Sandbox</h2>\n<table id=\"sandbox\">\n");
	json_buf_puts(b, "<tr><th>command</th><td><code>");
	for (size_t i = 0; in->command && in->command[i] && i < HTML_MAX_ARGS; i++) {
		if (i)
			json_buf_putc(b, ' ');
		markup_text_max(b, in->command[i], HTML_MAX_ARG);
	}
	json_buf_puts(b, "</code></td></tr>\n");
	row(b, "working directory", in->workdir ? in->workdir : "unknown");
	snprintf(buf, sizeof(buf), "%.3f s configured, %.3f s observed", in->duration_s, in->observed_s);
	row(b, "observation window", buf);
	if (in->not_started)
		row(b, "target ended", in->not_started);
	else if (!in->exited)
		row(b, "target ended", "still running when the window closed");
	else if (in->exit_signal)
		row(b, "target ended", in->exit_signal);
	else {
		snprintf(buf, sizeof(buf), "exited with code %d", in->exit_code);
		row(b, "target ended", buf);
	}
	row(b, "mode", in->live ? "run (live target)" : "replay (recorded input)");
	row(b, "configuration", in->config_source ? in->config_source : "<embedded default>");
	for (size_t i = 0; i < in->n_sandbox; i++)
		row(b, in->sandbox[i].key, in->sandbox[i].value);
	for (size_t i = 0; i < in->n_sources; i++)
		row(b, "source", in->sources[i]);
	for (size_t i = 0; i < in->n_notes; i++)
		row(b, "note", in->notes[i]);
	snprintf(buf, sizeof(buf), "%llu events, %llu processes, %llu lost", (unsigned long long)in->events,
		 (unsigned long long)in->processes, (unsigned long long)in->events_lost);
	row(b, "statistics", buf);
	json_buf_puts(b, "</table>\n");
}

int report_write_html(const struct report_input *in, const struct score_result *s,
		      int dirfd, const char *path, char *err, size_t errlen)
{
	struct json_buf b = {0};
	html_head(&b, in, s);
	html_verdict(&b, in, s);
	html_table(&b, in);
	html_tree(&b, in);
	html_timeline(&b, in);
	html_findings(&b, in);
	html_recommendations(&b, s);
	html_sandbox(&b, in);
	json_buf_printf(&b, "<p class=\"note\">Written by dynaudit %s.</p>\n</body>\n</html>\n",
			in->tool_version ? in->tool_version : "");
	return report_buf_write(&b, dirfd, path, err, errlen);
}

/*
 * summary.c — rank the rows, count the cohort, write summary.json,
 * summary.md and summary.csv (see summary.h).
 */
#include "batch/summary.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "batch/summary_row.h"
#include "dynaudit_build.h"
#include "engine/json.h"
#include "engine/outdir.h"
#include "engine/report.h"

/* ---- finding the audits ------------------------------------------------ */

static bool is_audit_dir(const char *dir)
{
	char p[PATH_MAX];
	struct stat st;
	snprintf(p, sizeof(p), "%s/report.json", dir);
	if (lstat(p, &st) == 0)
		return true;
	snprintf(p, sizeof(p), "%s/" SUMMARY_BATCH_FILE, dir);
	return lstat(p, &st) == 0;
}

static int push_path(char ***arr, size_t *n, const char *p)
{
	char **na = realloc(*arr, (*n + 1) * sizeof(*na));
	if (!na)
		return -ENOMEM;
	*arr = na;
	if (!(na[*n] = strdup(p)))
		return -ENOMEM;
	(*n)++;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int summary_expand(const char *const *paths, size_t n, char ***out, size_t *n_out, char *err,
		   size_t errlen)
{
	char **list = NULL;
	size_t count = 0;
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		char real[PATH_MAX];
		struct stat st;
		if (!realpath(paths[i], real) || stat(real, &st) < 0 || !S_ISDIR(st.st_mode)) {
			snprintf(err, errlen, "%s: %s", paths[i], errno ? strerror(errno) : "not a directory");
			rc = -ENOENT;
			break;
		}
		if (is_audit_dir(real)) {
			rc = push_path(&list, &count, real);
			continue;
		}
		DIR *d = opendir(real);
		if (!d) {
			snprintf(err, errlen, "%s: %s", paths[i], strerror(errno));
			rc = -errno;
			break;
		}
		struct dirent *de;
		while (rc == 0 && (de = readdir(d))) {
			if (de->d_name[0] == '.')
				continue;
			char sub[PATH_MAX];
			if (snprintf(sub, sizeof(sub), "%s/%s", real, de->d_name) >= (int)sizeof(sub))
				continue;
			if (lstat(sub, &st) == 0 && S_ISDIR(st.st_mode) && is_audit_dir(sub))
				rc = push_path(&list, &count, sub);
		}
		closedir(d);
	}
	if (rc < 0) {
		if (rc == -ENOMEM)
			snprintf(err, errlen, "out of memory");
		summary_paths_free(list, count);
		return rc;
	}
	if (count > 1) /* qsort wants a non-NULL base, even for nothing */
		qsort(list, count, sizeof(*list), cmp_str);
	size_t w = 0;
	for (size_t i = 0; i < count; i++) {
		if (w > 0 && !strcmp(list[w - 1], list[i]))
			free(list[i]);
		else
			list[w++] = list[i];
	}
	*out = list;
	*n_out = w;
	return 0;
}

void summary_paths_free(char **paths, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
}

/* ---- ranking and cohort ------------------------------------------------ */

static int cmp_rows(const void *pa, const void *pb)
{
	const struct summary_row *a = pa, *b = pb;
	if (a->group != b->group)
		return a->group < b->group ? -1 : 1;
	double sa = a->has_score ? a->score : -1, sb = b->has_score ? b->score : -1;
	if (sa != sb)
		return sa < sb ? -1 : 1;
	if (a->needs_review != b->needs_review)
		return a->needs_review ? -1 : 1;
	int c = strcmp(a->name, b->name);
	return c ? c : strcmp(a->dir, b->dir);
}

static int cmp_beh(const void *pa, const void *pb)
{
	const struct behaviour *a = pa, *b = pb;
	int c = strcmp(a->kind, b->kind);
	return c ? c : strcmp(a->value, b->value);
}

/* For every behaviour of every audited row: how many audited rows show it.
 * Rows' behaviour lists are sorted first (they are sets), so this is a
 * count over a sorted merge of at most rows x 256 entries. */
static size_t cohort_count(struct summary_row *rows, size_t n)
{
	size_t audited = 0, total = 0;
	for (size_t i = 0; i < n; i++) {
		if (rows[i].n_beh > 1)
			qsort(rows[i].beh, rows[i].n_beh, sizeof(*rows[i].beh), cmp_beh);
		if (rows[i].has_report) {
			audited++;
			total += rows[i].n_beh;
		}
	}
	struct behaviour **all = malloc((total ? total : 1) * sizeof(*all));
	if (!all)
		return audited;
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; rows[i].has_report && j < rows[i].n_beh; j++)
			all[k++] = &rows[i].beh[j];
	/* sort the pointers by behaviour, then count runs */
	for (size_t gap = k / 2; gap > 0; gap /= 2) /* shell sort: no qsort_r context needed */
		for (size_t i = gap; i < k; i++)
			for (size_t j = i; j >= gap && cmp_beh(all[j - gap], all[j]) > 0; j -= gap) {
				struct behaviour *t = all[j];
				all[j] = all[j - gap];
				all[j - gap] = t;
			}
	for (size_t i = 0; i < k;) {
		size_t j = i;
		while (j < k && cmp_beh(all[i], all[j]) == 0)
			j++;
		for (size_t m = i; m < j; m++)
			all[m]->shown_by = j - i;
		i = j;
	}
	free(all);
	return audited;
}

static size_t outlier_threshold(size_t audited)
{
	size_t t = audited / 10;
	return t < 3 ? t : 3;
}

/* A dropped file counts only when shared: a file one submission alone
 * left is that submission's business, the same bytes left by two or three
 * of them (whatever they named it) is the case worth a look. */
static bool is_outlier(const struct behaviour *b, size_t threshold)
{
	size_t least = strcmp(b->kind, "dropped") ? 1 : 2;
	return b->shown_by >= least && b->shown_by <= threshold;
}

/* The names of the other audited rows showing b (a "dropped" file: the
 * same sha256), sorted; at most max.  Rows' behaviours are sorted by
 * cohort_count, so each row is a binary search. */
static size_t others_sharing(const struct summary_row *rows, size_t n, const struct summary_row *self,
			     const struct behaviour *b, const char **names, size_t max)
{
	size_t k = 0;
	for (size_t i = 0; i < n && k < max; i++) {
		if (&rows[i] == self || !rows[i].has_report)
			continue;
		if (bsearch(b, rows[i].beh, rows[i].n_beh, sizeof(*b), cmp_beh))
			names[k++] = rows[i].name;
	}
	if (k > 1)
		qsort(names, k, sizeof(*names), cmp_str);
	return k;
}

static const char *status_of(const struct summary_row *r)
{
	switch (r->group) {
	case GROUP_FAIL: return "FAIL";
	case GROUP_NOT_AUDITED: return "not audited";
	case GROUP_RERUN: return "needs re-run";
	default: return r->needs_review ? "PASS (review)" : "PASS";
	}
}

static const char *verb_of(const char *kind)
{
	if (!strcmp(kind, "exec")) return "run";
	if (!strcmp(kind, "connect")) return "connect to";
	if (!strcmp(kind, "bind")) return "bind";
	if (!strcmp(kind, "listen")) return "listen on";
	if (!strcmp(kind, "write")) return "write";
	return "report";
}

#define SHARED_NAMES_MAX 8  /* the threshold is at most 3: room to spare */

static void outlier_text(char *buf, size_t len, const struct summary_row *rows, size_t n,
			 const struct summary_row *self, const struct behaviour *b, size_t audited)
{
	if (strcmp(b->kind, "dropped") != 0) {
		snprintf(buf, len, "only %zu of %zu submissions %s %s", b->shown_by, audited,
			 verb_of(b->kind), b->value);
		return;
	}
	const char *names[SHARED_NAMES_MAX];
	size_t k = others_sharing(rows, n, self, b, names, SHARED_NAMES_MAX);
	int w = snprintf(buf, len, "shares a dropped file (sha256 %.8s\u2026, %s) with %zu other submission%s:",
			 b->value, b->detail ? b->detail : "?", k, k == 1 ? "" : "s");
	for (size_t i = 0; i < k && w >= 0 && (size_t)w < len; i++)
		w += snprintf(buf + w, len - (size_t)w, "%s %s", i ? "," : "", names[i]);
}

const char *summary_status_text(const struct summary_row *r)
{
	return status_of(r);
}

bool summary_is_outlier(const struct behaviour *b, size_t threshold)
{
	return is_outlier(b, threshold);
}

void summary_outlier_text(char *buf, size_t len, const struct summary_row *rows, size_t n,
			  const struct summary_row *self, const struct behaviour *b, size_t audited)
{
	outlier_text(buf, len, rows, n, self, b, audited);
}

/* The report link: NAME/report.md, relative to the batch directory that
 * holds the audit (the audit directory's own name), never to where this
 * summary is written, so shards merged by summarize give the same bytes
 * as one batch; it resolves from summary.md whenever the audits sit in
 * the summary's directory (one batch, or shards sharing one OUTDIR). */
static void report_link(char *buf, size_t len, const char *outdir_real, const struct summary_row *r)
{
	(void)outdir_real;
	const char *base = strrchr(r->dir, '/');
	base = base ? base + 1 : r->dir;
	snprintf(buf, len, "%s/%s", base, r->has_report ? "report.md" : "");
}

/* ---- writers ------------------------------------------------------------ */

static void json_rows(struct json_writer *w, struct summary_row *rows, size_t n, const char *outdir,
		      size_t audited, size_t threshold)
{
	jw_begin_array(w, "rows");
	for (size_t i = 0; i < n; i++) {
		const struct summary_row *r = &rows[i];
		char link[PATH_MAX + 16];
		jw_begin_object(w, NULL);
		jw_int(w, "rank", (int64_t)i + 1);
		jw_string(w, "name", r->name);
		jw_string(w, "status", status_of(r));
		jw_string(w, "verdict", r->verdict);
		if (r->has_score)
			jw_fixed(w, "score", r->score, 1);
		else
			jw_null(w, "score");
		jw_string(w, "risk", r->risk);
		jw_string(w, "coverage", r->coverage);
		jw_string(w, "coverage_reason", r->coverage_reason);
		jw_bool(w, "interrupted", r->interrupted);
		jw_bool(w, "needs_review", r->needs_review);
		jw_begin_object(w, "categories");
		for (int k = 0; k < SUMMARY_N_CATS; k++)
			jw_string(w, summary_cat_ids[k], r->cats[k]);
		jw_end_object(w);
		jw_uint(w, "findings", r->n_findings);
		jw_begin_array(w, "top_findings");
		for (size_t k = 0; k < r->n_top; k++) {
			jw_begin_object(w, NULL);
			jw_string(w, "rule", r->top[k].rule);
			jw_string(w, "severity", r->top[k].severity);
			jw_int(w, "count", r->top[k].count);
			jw_end_object(w);
		}
		jw_end_array(w);
		report_link(link, sizeof(link), outdir, r);
		jw_string(w, "report", link);
		if (r->exit_status >= 0)
			jw_int(w, "exit", r->exit_status);
		else
			jw_null(w, "exit");
		jw_string(w, "reason", r->reason);
		jw_begin_array(w, "outliers");
		for (size_t k = 0; r->has_report && k < r->n_beh; k++) {
			if (!is_outlier(&r->beh[k], threshold))
				continue;
			char text[1024];
			outlier_text(text, sizeof(text), rows, n, r, &r->beh[k], audited);
			jw_begin_object(w, NULL);
			jw_string(w, "kind", r->beh[k].kind);
			jw_string(w, "value", r->beh[k].value);
			jw_uint(w, "shown_by", r->beh[k].shown_by);
			jw_string(w, "text", text);
			if (r->beh[k].detail) {
				const char *names[SHARED_NAMES_MAX];
				size_t m = others_sharing(rows, n, r, &r->beh[k], names, SHARED_NAMES_MAX);
				jw_string(w, "path", r->beh[k].detail);
				jw_begin_array(w, "shared_with");
				for (size_t j = 0; j < m; j++)
					jw_string(w, NULL, names[j]);
				jw_end_array(w);
			}
			jw_end_object(w);
		}
		jw_end_array(w);
		jw_end_object(w);
	}
	jw_end_array(w);
}

static void write_json(struct json_buf *b, struct summary_row *rows, size_t n, const char *outdir,
		       const struct summary_totals *t, size_t audited, size_t threshold)
{
	struct json_writer w;
	jw_init(&w, b, true);
	jw_begin_object(&w, NULL);
	jw_string(&w, "schema", "dynaudit.summary/1");
	jw_begin_object(&w, "tool");
	jw_string(&w, "name", "dynaudit");
	jw_string(&w, "version", DYNAUDIT_VERSION);
	jw_end_object(&w);
	jw_begin_object(&w, "totals");
	jw_uint(&w, "submissions", t->rows);
	jw_uint(&w, "fail", t->fail);
	jw_uint(&w, "not_audited", t->not_audited);
	jw_uint(&w, "needs_rerun", t->needs_rerun);
	jw_uint(&w, "pass", t->rows - t->fail - t->not_audited - t->needs_rerun);
	jw_uint(&w, "needs_review", t->needs_review);
	jw_end_object(&w);
	jw_begin_object(&w, "cohort");
	jw_uint(&w, "audited", audited);
	jw_uint(&w, "threshold", threshold);
	jw_string(&w, "rule", "a behaviour shown by at most min(3, audited/10) submissions is an outlier (a file left behind: by at least 2 of them); advisory only");
	jw_end_object(&w);
	json_rows(&w, rows, n, outdir, audited, threshold);
	jw_end_object(&w);
	json_buf_putc(b, '\n');
}

/* Markdown table cell: no pipes or newlines from a report break the table. */
static void md_cell(struct json_buf *b, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '|')
			json_buf_puts(b, "\\|");
		else if (*s == '\n' || *s == '\r')
			json_buf_putc(b, ' ');
		else if (*s == '<')
			json_buf_puts(b, "&lt;");
		else if (*s == '`')
			json_buf_putc(b, '\'');
		else
			json_buf_putc(b, *s);
	}
}

static void top_text(struct json_buf *b, const struct summary_row *r, const char *sep)
{
	for (size_t k = 0; k < r->n_top; k++)
		json_buf_printf(b, "%s%s x%lld", k ? sep : "", r->top[k].rule, (long long)r->top[k].count);
}

static void write_md(struct json_buf *b, struct summary_row *rows, size_t n, const char *outdir,
		     const struct summary_totals *t, size_t audited, size_t threshold)
{
	json_buf_printf(b, "# dynaudit summary\n\n%zu submissions: %zu FAIL, %zu not audited, %zu need a re-run, "
			"%zu PASS; %zu need review.\n\n", t->rows, t->fail, t->not_audited, t->needs_rerun,
			t->rows - t->fail - t->not_audited - t->needs_rerun, t->needs_review);
	json_buf_puts(b, "| # | Submission | Status | Score | Risk | Coverage | proc | net | file | priv | code | backdoor | Top findings | Review | Report |\n");
	json_buf_puts(b, "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
	for (size_t i = 0; i < n; i++) {
		const struct summary_row *r = &rows[i];
		char link[PATH_MAX + 16];
		report_link(link, sizeof(link), outdir, r);
		json_buf_printf(b, "| %zu | ", i + 1);
		md_cell(b, r->name);
		json_buf_printf(b, " | %s | ", status_of(r));
		if (r->has_score)
			json_buf_printf(b, "%.1f", r->score);
		json_buf_puts(b, " | ");
		md_cell(b, r->risk);
		json_buf_puts(b, " | ");
		md_cell(b, r->coverage);
		for (int k = 0; k < SUMMARY_N_CATS; k++) {
			json_buf_puts(b, " | ");
			md_cell(b, r->cats[k] ? r->cats[k] : "-");
		}
		json_buf_puts(b, " | ");
		struct json_buf tb = {0};
		top_text(&tb, r, ", ");
		md_cell(b, tb.data);
		json_buf_free(&tb);
		json_buf_printf(b, " | %s | ", r->needs_review ? "**yes**" : "no");
		if (r->has_report) {
			json_buf_puts(b, "[report](");
			md_cell(b, link);
			json_buf_puts(b, ")");
		}
		json_buf_puts(b, " |\n");
	}
	bool head = false;
	for (size_t i = 0; i < n; i++) {
		const struct summary_row *r = &rows[i];
		if (!r->reason && (!r->coverage_reason || r->group != GROUP_RERUN))
			continue;
		if (!head)
			json_buf_puts(b, "\n## Not audited, interrupted or inconclusive\n\n");
		head = true;
		json_buf_puts(b, "- **");
		md_cell(b, r->name);
		json_buf_printf(b, "** (%s): ", status_of(r));
		md_cell(b, r->reason ? r->reason : r->coverage_reason);
		json_buf_putc(b, '\n');
	}
	json_buf_printf(b, "\n## Cohort outliers (advisory)\n\nBehaviours at most %zu of the %zu audited "
			"submissions show (min(3, 10%%)); they never change a verdict.\n\n", threshold, audited);
	bool any = false;
	for (size_t i = 0; i < n; i++) {
		const struct summary_row *r = &rows[i];
		bool first = true;
		for (size_t k = 0; r->has_report && k < r->n_beh; k++) {
			if (!is_outlier(&r->beh[k], threshold))
				continue;
			if (first) {
				json_buf_puts(b, "- **");
				md_cell(b, r->name);
				json_buf_puts(b, "**:");
			}
			char text[1024];
			outlier_text(text, sizeof(text), rows, n, r, &r->beh[k], audited);
			json_buf_puts(b, first ? " " : "; ");
			md_cell(b, text);
			first = false;
			any = true;
		}
		if (!first)
			json_buf_putc(b, '\n');
	}
	if (!any)
		json_buf_puts(b, "None.\n");
}

/* A CSV field (RFC 4180), with a leading = + - @ neutralised so a
 * spreadsheet never evaluates text that came from a submission. */
static void csv_field(struct json_buf *b, const char *s, bool last)
{
	json_buf_putc(b, '"');
	if (s && strchr("=+-@\t\r", s[0]) && s[0])
		json_buf_putc(b, '\'');
	for (; s && *s; s++) {
		if (*s == '"')
			json_buf_putc(b, '"');
		json_buf_putc(b, *s == '\n' || *s == '\r' ? ' ' : *s);
	}
	json_buf_putc(b, '"');
	json_buf_puts(b, last ? "\r\n" : ",");
}

static void write_csv(struct json_buf *b, struct summary_row *rows, size_t n, const char *outdir,
		      size_t audited, size_t threshold)
{
	json_buf_puts(b, "rank,name,status,verdict,score,risk,coverage,process,network,file,privilege,"
			 "code_integrity,backdoor,top_findings,needs_review,report,reason,outliers\r\n");
	for (size_t i = 0; i < n; i++) {
		const struct summary_row *r = &rows[i];
		char num[32], link[PATH_MAX + 16];
		snprintf(num, sizeof(num), "%zu", i + 1);
		csv_field(b, num, false);
		csv_field(b, r->name, false);
		csv_field(b, status_of(r), false);
		csv_field(b, r->verdict, false);
		snprintf(num, sizeof(num), "%.1f", r->score);
		csv_field(b, r->has_score ? num : "", false);
		csv_field(b, r->risk, false);
		csv_field(b, r->coverage, false);
		for (int k = 0; k < SUMMARY_N_CATS; k++)
			csv_field(b, r->cats[k], false);
		struct json_buf tb = {0};
		top_text(&tb, r, "; ");
		csv_field(b, tb.data, false);
		json_buf_free(&tb);
		csv_field(b, r->needs_review ? "yes" : "no", false);
		report_link(link, sizeof(link), outdir, r);
		csv_field(b, r->has_report ? link : "", false);
		csv_field(b, r->reason, false);
		struct json_buf ob = {0};
		for (size_t k = 0; r->has_report && k < r->n_beh; k++) {
			if (!is_outlier(&r->beh[k], threshold))
				continue;
			char text[1024];
			outlier_text(text, sizeof(text), rows, n, r, &r->beh[k], audited);
			json_buf_printf(&ob, "%s%s", ob.len ? "; " : "", text);
		}
		csv_field(b, ob.data, true);
		json_buf_free(&ob);
	}
}

int summary_write(int outfd, const char *base, char *const *audit_dirs, size_t n,
		  struct summary_totals *t, char *err, size_t errlen)
{
	const char *outdir_real = ""; /* links do not depend on it, see report_link */
	char name[3][NAME_MAX + 1], index_name[NAME_MAX + 1];
	static const char *const ext[3] = {"json", "md", "csv"};
	for (int i = 0; i < 3; i++)
		snprintf(name[i], sizeof(name[i]), "%.200s.%s", base ? base : "summary", ext[i]);
	/* a shard's page is index.shard-K-of-N.html, as its summary.shard-K-of-N.* */
	const char *shard = base && !strncmp(base, "summary.", 8) ? base + 7 : "";
	snprintf(index_name, sizeof(index_name), "index%.200s.html", shard);
	struct summary_row *rows = calloc(n ? n : 1, sizeof(*rows));
	if (!rows) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = summary_row_load(audit_dirs[i], &rows[i]);
	memset(t, 0, sizeof(*t));
	size_t audited = 0, threshold = 0;
	if (rc == 0) {
		if (n > 1)
			qsort(rows, n, sizeof(*rows), cmp_rows);
		audited = cohort_count(rows, n);
		threshold = outlier_threshold(audited);
		t->rows = n;
		for (size_t i = 0; i < n; i++) {
			t->fail += rows[i].group == GROUP_FAIL;
			t->not_audited += rows[i].group == GROUP_NOT_AUDITED;
			t->needs_rerun += rows[i].group == GROUP_RERUN;
			t->needs_review += rows[i].needs_review;
			t->warn += rows[i].n_cat_warn > 0;
		}
	}
	struct json_buf js = {0}, md = {0}, csv = {0}, html = {0};
	/* index.html when html is among report.formats, as the audits show it
	 * (one wrote report.html): batch and summarize decide alike, so
	 * merged shards still equal the one batch */
	bool want_html = false;
	for (size_t i = 0; rc == 0 && i < n; i++)
		want_html |= rows[i].has_html;
	if (rc == 0) {
		write_json(&js, rows, n, outdir_real, t, audited, threshold);
		write_md(&md, rows, n, outdir_real, t, audited, threshold);
		write_csv(&csv, rows, n, outdir_real, audited, threshold);
		if (want_html)
			summary_write_html(&html, rows, n, t, audited, threshold);
		if (js.failed || md.failed || csv.failed || html.failed)
			rc = -ENOMEM;
	}
	if (rc == -ENOMEM)
		snprintf(err, errlen, "out of memory");
	if (rc == 0)
		rc = write_file_atomic(outfd, name[0], js.data, js.len, err, errlen);
	if (rc == 0)
		rc = write_file_atomic(outfd, name[1], md.data, md.len, err, errlen);
	if (rc == 0)
		rc = write_file_atomic(outfd, name[2], csv.data, csv.len, err, errlen);
	if (rc == 0 && want_html)
		rc = write_file_atomic(outfd, index_name, html.data, html.len, err, errlen);
	json_buf_free(&html);
	json_buf_free(&js);
	json_buf_free(&md);
	json_buf_free(&csv);
	for (size_t i = 0; i < n; i++)
		summary_row_free(&rows[i]);
	free(rows);
	return rc;
}

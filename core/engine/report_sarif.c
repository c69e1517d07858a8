/*
 * report_sarif.c — report.sarif: the findings as SARIF 2.1.0, for code
 * scanning views (GitHub code scanning, GitLab, VS Code's SARIF viewer).
 * See report.h.
 *
 * One run; tool.driver lists one rule per rule id that occurs, with a
 * description built from its category, defaultConfiguration.level and
 * properties."security-severity" (critical 9.5, high 8.0, medium 5.5,
 * low 3.0, info 1.0: the scale GitHub ranks by); level: error for high and
 * critical, warning for medium, note for low and info.  One result per
 * finding (as de-duplicated in report.json), with partialFingerprints
 * "dynauditFinding/v1": FNV-1a 64 of rule and message, so the same finding
 * in the next audit of a revised submission is matched as the same alert.
 *
 * Locations.  A result points into the submission (uriBaseId "SUBMISSION",
 * the workdir, given in originalUriBaseIds) where the finding names a file
 * and line — a Python traceback frame `File "x.py", line 10`, or
 * code_integrity's `... in x.py, line 10` — else the first file of the
 * submission it names (a written or executed path under the workdir as the
 * target saw it), else the submission's entry file (the script or program
 * the target command runs).  Paths outside the submission are never used:
 * they are not the author's code.
 */
#include "engine/report.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/json.h"

static const char *level_of(enum da_severity s)
{
	return s >= DA_SEV_HIGH ? "error" : s == DA_SEV_MEDIUM ? "warning" : "note";
}

static const char *security_severity(enum da_severity s)
{
	static const char *const v[] = {"1.0", "3.0", "5.5", "8.0", "9.5"};
	return (unsigned)s <= DA_SEV_CRITICAL ? v[s] : "1.0";
}

static unsigned long long fnv1a(const char *a, const char *b)
{
	unsigned long long h = 1469598103934665603ULL;
	for (const char *p = a; p && *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	h = (h ^ '\n') * 1099511628211ULL;
	for (const char *p = b; p && *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	return h;
}

/* ---- locations ---------------------------------------------------------- */

struct loc {
	char path[1024];   /* relative to the workdir; "" none */
	long line;         /* 0 none */
};

/* path (n bytes) as a path inside the submission, into out; false when it
 * is not one (absolute elsewhere, or climbing out with ".."). */
static bool submission_path(const struct report_input *in, const char *path, size_t n, char *out, size_t len)
{
	const char *wd = in->run_workdir ? in->run_workdir : in->workdir;
	size_t wl = wd ? strlen(wd) : 0;
	if (wl && n > wl + 1 && strncmp(path, wd, wl) == 0 && path[wl] == '/') {
		path += wl + 1;
		n -= wl + 1;
	} else if (n && path[0] == '/') {
		return false;
	}
	while (n > 2 && path[0] == '.' && path[1] == '/') {
		path += 2;
		n -= 2;
	}
	if (!n || n >= len)
		return false;
	for (size_t i = 0; i + 1 < n; i++)
		if (path[i] == '.' && path[i + 1] == '.' && (i == 0 || path[i - 1] == '/') &&
		    (i + 2 == n || path[i + 2] == '/'))
			return false;
	memcpy(out, path, n);
	out[n] = '\0';
	return true;
}

/* `File "PATH", line N` or `in PATH, line N` in s. */
static bool file_and_line(const struct report_input *in, const char *s, struct loc *l)
{
	for (const char *p = strstr(s, ", line "); p; p = strstr(p + 1, ", line ")) {
		char *end;
		long line = strtol(p + 7, &end, 10);
		if (end == p + 7 || line <= 0)
			continue;
		const char *start;
		const char *stop = p;
		if (p > s && p[-1] == '"') {
			stop = p - 1;
			start = stop;
			while (start > s && start[-1] != '"')
				start--;
		} else {
			start = stop;
			while (start > s && start[-1] != ' ')
				start--;
		}
		if (stop > start && submission_path(in, start, (size_t)(stop - start), l->path, sizeof(l->path))) {
			l->line = line;
			return true;
		}
	}
	return false;
}

/* The first path under the workdir (as the target saw it) named in s. */
static bool workdir_path(const struct report_input *in, const char *s, struct loc *l)
{
	const char *wd = in->run_workdir ? in->run_workdir : in->workdir;
	size_t wl = wd ? strlen(wd) : 0;
	if (!wl)
		return false;
	for (const char *p = strstr(s, wd); p; p = strstr(p + 1, wd)) {
		if (p[wl] != '/')
			continue;
		size_t n = strcspn(p, " \t\"',:;()[]<>{}");
		if (submission_path(in, p, n, l->path, sizeof(l->path))) {
			l->line = 0;
			return true;
		}
	}
	return false;
}

/* The script or program the target command runs: the first argument after
 * the program that is not an option (python3 server.py, sh run.sh), or the
 * program itself when it is a path into the submission (./a.out). */
static bool entry_file(const struct report_input *in, struct loc *l)
{
	char *const *cmd = in->command;
	if (!cmd || !cmd[0])
		return false;
	l->line = 0;
	if (strchr(cmd[0], '/') && submission_path(in, cmd[0], strlen(cmd[0]), l->path, sizeof(l->path)))
		return true;
	for (size_t i = 1; cmd[i]; i++) {
		if (cmd[i][0] == '-') {
			if (!strcmp(cmd[i], "-c") || !strcmp(cmd[i], "-m"))
				return false; /* inline code or a module: no file */
			continue;
		}
		if (strpbrk(cmd[i], " \t\n"))
			return false;
		return submission_path(in, cmd[i], strlen(cmd[i]), l->path, sizeof(l->path));
	}
	return false;
}

static bool locate(const struct report_input *in, const struct finding_rec *f, struct loc *l)
{
	memset(l, 0, sizeof(*l));
	if (file_and_line(in, f->message, l))
		return true;
	for (size_t i = 0; i < f->n_evidence; i++)
		if (file_and_line(in, f->evidence[i], l))
			return true;
	if (workdir_path(in, f->message, l))
		return true;
	for (size_t i = 0; i < f->n_evidence; i++)
		if (workdir_path(in, f->evidence[i], l))
			return true;
	return entry_file(in, l);
}

/* A URI reference for path: unreserved characters and '/' kept, the rest
 * percent-encoded (spaces, '#', '?', non-ASCII bytes...). */
static void uri_path(struct json_buf *u, const char *path, bool dir)
{
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr("-._~/", *p))
			json_buf_putc(u, (char)*p);
		else
			json_buf_printf(u, "%%%02X", *p);
	}
	if (dir && (!u->len || u->data[u->len - 1] != '/'))
		json_buf_putc(u, '/');
}

/* ---- the document ------------------------------------------------------- */

struct rule_ref {
	const char *id;
	const struct category_rec *cat;
	enum da_severity worst;
};

static size_t collect_rules(const struct report_input *in, struct rule_ref *r, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < in->n_categories; i++)
		for (size_t j = 0; j < in->categories[i].n_findings; j++) {
			const struct finding_rec *f = &in->categories[i].findings[j];
			size_t k = 0;
			while (k < n && strcmp(r[k].id, f->rule) != 0)
				k++;
			if (k == n) {
				if (n == max)
					continue;
				r[n++] = (struct rule_ref){f->rule, &in->categories[i], f->severity};
			} else if (f->severity > r[k].worst) {
				r[k].worst = f->severity;
			}
		}
	return n;
}

static size_t rule_index(const struct rule_ref *r, size_t n, const char *id)
{
	for (size_t k = 0; k < n; k++)
		if (strcmp(r[k].id, id) == 0)
			return k;
	return n;
}

static void write_rules(struct json_writer *w, const struct rule_ref *r, size_t n)
{
	jw_begin_array(w, "rules");
	for (size_t k = 0; k < n; k++) {
		const char *title = r[k].cat->title ? r[k].cat->title : r[k].cat->id;
		char text[1024];
		jw_begin_object(w, NULL);
		jw_string(w, "id", r[k].id);
		jw_begin_object(w, "shortDescription");
		snprintf(text, sizeof(text), "%s: %s.", title, r[k].id);
		jw_string(w, "text", text);
		jw_end_object(w);
		jw_begin_object(w, "fullDescription");
		snprintf(text, sizeof(text), "Rule %s of the dynaudit %s detector (category %s), raised at run "
			 "time from the traced behaviour of the submission.", r[k].id,
			 r[k].cat->plugin ? r[k].cat->plugin : r[k].cat->id, title);
		jw_string(w, "text", text);
		jw_end_object(w);
		jw_begin_object(w, "defaultConfiguration");
		jw_string(w, "level", level_of(r[k].worst));
		jw_end_object(w);
		jw_begin_object(w, "properties");
		jw_string(w, "security-severity", security_severity(r[k].worst));
		jw_begin_array(w, "tags");
		jw_string(w, NULL, "security");
		jw_string(w, NULL, r[k].cat->id);
		jw_end_array(w);
		jw_end_object(w);
		jw_end_object(w);
	}
	jw_end_array(w);
}

static void write_result(struct json_writer *w, const struct report_input *in, const struct category_rec *c,
			 const struct finding_rec *f, size_t index)
{
	char fp[32];
	struct loc l;
	jw_begin_object(w, NULL);
	jw_string(w, "ruleId", f->rule);
	jw_int(w, "ruleIndex", (int64_t)index);
	jw_string(w, "level", level_of(f->severity));
	jw_begin_object(w, "message");
	jw_string(w, "text", f->message);
	jw_end_object(w);
	if (locate(in, f, &l)) {
		struct json_buf u = {0};
		uri_path(&u, l.path, false);
		jw_begin_array(w, "locations");
		jw_begin_object(w, NULL);
		jw_begin_object(w, "physicalLocation");
		jw_begin_object(w, "artifactLocation");
		jw_string(w, "uri", u.data ? u.data : "");
		jw_string(w, "uriBaseId", "SUBMISSION");
		jw_end_object(w);
		if (l.line > 0) {
			jw_begin_object(w, "region");
			jw_int(w, "startLine", l.line);
			jw_end_object(w);
		}
		jw_end_object(w);
		jw_end_object(w);
		jw_end_array(w);
		if (u.failed)
			w->buf->failed = true;
		json_buf_free(&u);
	}
	snprintf(fp, sizeof(fp), "%016llx", fnv1a(f->rule, f->message));
	jw_begin_object(w, "partialFingerprints");
	jw_string(w, "dynauditFinding/v1", fp);
	jw_end_object(w);
	jw_begin_object(w, "properties");
	jw_string(w, "category", c->id);
	jw_string(w, "severity", da_severity_name(f->severity));
	jw_string(w, "security-severity", security_severity(f->severity));
	jw_uint(w, "count", f->count);
	if (f->pid > 0)
		jw_int(w, "pid", f->pid);
	if (f->time_s >= 0)
		jw_fixed(w, "time_s", f->time_s, 3);
	jw_begin_array(w, "evidence");
	for (size_t i = 0; i < f->n_evidence; i++)
		jw_string(w, NULL, f->evidence[i]);
	jw_end_array(w);
	if (f->recommendation)
		jw_string(w, "recommendation", f->recommendation);
	jw_end_object(w);
	jw_end_object(w);
}

#define SARIF_MAX_RULES 512

int report_write_sarif(const struct report_input *in, const struct score_result *s,
		       int dirfd, const char *path, char *err, size_t errlen)
{
	struct json_buf b = {0};
	struct json_writer w;
	struct rule_ref *rules = calloc(SARIF_MAX_RULES, sizeof(*rules));
	if (!rules) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -ENOMEM;
	}
	size_t n_rules = collect_rules(in, rules, SARIF_MAX_RULES);
	jw_init(&w, &b, true);
	jw_begin_object(&w, NULL);
	jw_string(&w, "$schema", "https://json.schemastore.org/sarif-2.1.0.json");
	jw_string(&w, "version", "2.1.0");
	jw_begin_array(&w, "runs");
	jw_begin_object(&w, NULL);
	jw_begin_object(&w, "tool");
	jw_begin_object(&w, "driver");
	jw_string(&w, "name", "dynaudit");
	jw_string(&w, "version", in->tool_version ? in->tool_version : "0");
	write_rules(&w, rules, n_rules);
	jw_end_object(&w);
	jw_end_object(&w);
	if (in->workdir && in->workdir[0] == '/') {
		struct json_buf u = {0};
		json_buf_puts(&u, "file://");
		uri_path(&u, in->workdir, true);
		jw_begin_object(&w, "originalUriBaseIds");
		jw_begin_object(&w, "SUBMISSION");
		jw_string(&w, "uri", u.data ? u.data : "file:///");
		jw_end_object(&w);
		jw_end_object(&w);
		if (u.failed)
			b.failed = true;
		json_buf_free(&u);
	}
	jw_begin_array(&w, "results");
	for (size_t i = 0; i < in->n_categories; i++)
		for (size_t j = 0; j < in->categories[i].n_findings; j++) {
			const struct finding_rec *f = &in->categories[i].findings[j];
			size_t k = rule_index(rules, n_rules, f->rule);
			if (k < n_rules)
				write_result(&w, in, &in->categories[i], f, k);
		}
	jw_end_array(&w);
	jw_begin_array(&w, "invocations");
	jw_begin_object(&w, NULL);
	jw_bool(&w, "executionSuccessful", true);
	jw_end_object(&w);
	jw_end_array(&w);
	jw_begin_object(&w, "properties");
	jw_string(&w, "verdict", s->pass ? "PASS" : "FAIL");
	jw_fixed(&w, "score", s->score, 1);
	jw_string(&w, "risk", s->risk ? s->risk : "critical");
	jw_string(&w, "coverage", in->coverage ? in->coverage : "full");
	jw_string(&w, "coverage_reason", in->coverage_reason);
	jw_end_object(&w);
	jw_end_object(&w);
	jw_end_array(&w);
	jw_end_object(&w);
	json_buf_putc(&b, '\n');
	free(rules);
	return report_buf_write(&b, dirfd, path, err, errlen);
}

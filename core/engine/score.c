/*
 * score.c — category statuses, the score, verdict, risk, the explanation
 * of how they were reached, and the recommendation list.  See report.h.
 *
 * The formula is deliberately simple so a person can redo it from the
 * explanation lines in the report: every finding costs the weight of its
 * severity, once per occurrence but at most three times per rule, worst
 * occurrences first (a loop that repeats one finding 500 times is one
 * behaviour, not 500; a shell script that runs ten different coreutils is
 * one habit, not ten).
 */
#include "engine/report.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Occurrences of one rule (over all its messages) that count towards the score. */
#define SCORE_MAX_COUNTED 3

/* How many occurrences of each rule were counted so far. */
struct rule_tally {
	const char **rule;
	unsigned *used;
	unsigned *skipped;          /* occurrences beyond the cap, shown once per rule */
	size_t n;
	int rc;
};

static unsigned *tally_slot(struct rule_tally *t, const char *rule)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->rule[i], rule) == 0)
			return &t->used[i];
	const char **nr = realloc(t->rule, (t->n + 1) * sizeof(*nr));
	if (nr)
		t->rule = nr;
	unsigned *nu = nr ? realloc(t->used, (t->n + 1) * sizeof(*nu)) : NULL;
	if (nu)
		t->used = nu;
	unsigned *ns = nu ? realloc(t->skipped, (t->n + 1) * sizeof(*ns)) : NULL;
	if (!ns) {
		t->rc = -ENOMEM;
		return NULL;
	}
	t->skipped = ns;
	t->rule[t->n] = rule;
	t->used[t->n] = 0;
	t->skipped[t->n] = 0;
	return &t->used[t->n++];
}

const char *category_status_name(enum category_status s)
{
	static const char *const names[] = {"safe", "info", "warn", "fail"};
	return (unsigned)s <= STATUS_FAIL ? names[s] : "?";
}

const char *category_status_label(enum category_status s)
{
	static const char *const labels[] = {"Safe", "Info", "Warn", "Fail"};
	return (unsigned)s <= STATUS_FAIL ? labels[s] : "?";
}

static enum category_status status_of_severity(enum da_severity s)
{
	switch (s) {
	case DA_SEV_INFO: return STATUS_INFO;
	case DA_SEV_LOW:
	case DA_SEV_MEDIUM: return STATUS_WARN;
	default: return STATUS_FAIL;
	}
}

/* "40", "2.5": weights and scores as a person would write them. */
static const char *num(double v, char buf[32])
{
	if (fabs(v) >= 1e15) {
		snprintf(buf, 32, "%.6g", v); /* absurd weights: still short */
	} else if (v == floor(v)) {
		snprintf(buf, 32, "%.0f", v == 0 ? 0 : v);
	} else {
		snprintf(buf, 32, "%.2f", v);
		size_t n = strlen(buf);
		while (n > 0 && buf[n - 1] == '0')
			buf[--n] = '\0';
	}
	return buf;
}

struct strv {
	char **v;
	size_t n;
	int rc;
};

__attribute__((format(printf, 2, 3)))
static void push(struct strv *s, const char *fmt, ...)
{
	if (s->rc)
		return;
	char *line = NULL;
	va_list ap;
	va_start(ap, fmt);
	int n = vasprintf(&line, fmt, ap);
	va_end(ap);
	char **nv = n < 0 ? NULL : realloc(s->v, (s->n + 1) * sizeof(*nv));
	if (!nv) {
		if (n >= 0)
			free(line);
		s->rc = -ENOMEM;
		return;
	}
	s->v = nv;
	s->v[s->n++] = line;
}

static void push_unique(struct strv *s, const char *text)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i], text) == 0)
			return;
	push(s, "%s", text);
}

static void strv_free(struct strv *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

/* "None", "None observed", "No sockets or ...": a summary saying nothing happened. */
static bool denies_activity(const char *text)
{
	return !text || !*text || strncmp(text, "None", 4) == 0 || strncmp(text, "No ", 3) == 0;
}

/* Observation/remarks for a category whose detector did not set them, and
 * the detector error folded into the remarks. */
static int derive_summary(struct category_rec *c)
{
	char *obs = NULL, *rem = NULL;
	const struct finding_rec *worst = c->n_findings ? &c->findings[0] : NULL;
	bool own_remarks = c->remarks != NULL;
	if (!c->observation) {
		if (worst)
			obs = strdup(worst->message);
		else
			obs = strdup(c->error ? "Not fully checked" : "None");
		if (!obs)
			return -ENOMEM;
		c->observation = obs;
	}
	if (!c->remarks) {
		int n;
		if (!worst && c->error)
			n = asprintf(&rem, "Detector error: %s", c->error);
		else if (!worst)
			n = asprintf(&rem, "No findings");
		else if (c->n_findings == 1)
			n = asprintf(&rem, "One %s finding (%s)", da_severity_name(worst->severity), worst->rule);
		else
			n = asprintf(&rem, "%zu findings, worst %s (%s)", c->n_findings,
				     da_severity_name(worst->severity), worst->rule);
		if (n < 0)
			return -ENOMEM;
		c->remarks = rem;
	}
	/* A detector's own summary must not contradict its findings: a row
	 * "None | Fail | No subprocesses", or remarks quoting a medium finding
	 * while a critical one exists, would mislead the reader.  The worst
	 * finding then speaks for the row. */
	if (worst && c->status >= STATUS_WARN) {
		if (denies_activity(c->observation)) {
			obs = strdup(c->status == STATUS_FAIL ? "Security violation" : "Suspicious activity");
			if (!obs)
				return -ENOMEM;
			free(c->observation);
			c->observation = obs;
		}
		if (own_remarks && !strstr(c->remarks, worst->message)) {
			int n = denies_activity(c->remarks) ? asprintf(&rem, "%s", worst->message)
							    : asprintf(&rem, "%s; %s", worst->message, c->remarks);
			if (n < 0)
				return -ENOMEM;
			free(c->remarks);
			c->remarks = rem;
		}
	}
	if (c->error && !strstr(c->remarks, c->error)) {
		if (asprintf(&rem, "%s; detector error: %s", c->remarks, c->error) < 0)
			return -ENOMEM;
		free(c->remarks);
		c->remarks = rem;
	}
	return 0;
}

static const char *risk_of(double score, bool any_fail)
{
	const char *risk = score >= 85 ? "low" : score >= 60 ? "medium" : score >= 30 ? "high" : "critical";
	if (any_fail && (risk[0] == 'l' || risk[0] == 'm'))
		risk = "high";
	return risk;
}

int score_compute(struct report_input *in, struct score_result *out)
{
	memset(out, 0, sizeof(*out));
	findings_sort(in);
	struct strv ex = {0}, rec = {0}, failed = {0};
	struct rule_tally tally = {0};
	char a[32], b[32];
	double score = 100;

	push(&ex, "start 100");
	for (int sev = DA_SEV_CRITICAL; sev >= DA_SEV_INFO; sev--) {
		for (size_t i = 0; i < in->n_categories; i++) {
			const struct category_rec *c = &in->categories[i];
			for (size_t j = 0; j < c->n_findings; j++) {
				const struct finding_rec *f = &c->findings[j];
				if ((int)f->severity != sev)
					continue;
				double w = in->weights[sev];
				const char *rule = f->rule ? f->rule : "?";
				unsigned *used = tally_slot(&tally, rule);
				unsigned before = used ? *used : SCORE_MAX_COUNTED;
				unsigned left = before < SCORE_MAX_COUNTED ? SCORE_MAX_COUNTED - before : 0;
				unsigned counted = f->count < left ? f->count : left;
				if (used)
					*used += counted;
				score -= w * counted;
				if (counted == 0 && used)
					tally.skipped[used - tally.used] += f->count; /* one line below */
				else if (counted < f->count && before > 0)
					push(&ex, "- %s x %u %s (%s; %u occurrences; the rule counts at most %d times)",
					     num(w, a), counted, rule, da_severity_name(f->severity), f->count,
					     SCORE_MAX_COUNTED);
				else if (counted < f->count)
					push(&ex, "- %s x %u %s (%s; %u occurrences, at most %d counted)", num(w, a),
					     counted, rule, da_severity_name(f->severity), f->count,
					     SCORE_MAX_COUNTED);
				else
					push(&ex, "- %s x %u %s (%s)", num(w, a), counted, rule,
					     da_severity_name(f->severity));
			}
		}
		/* Recommendations worst first, in category order within a severity. */
		for (size_t i = 0; i < in->n_categories; i++)
			for (size_t j = 0; j < in->categories[i].n_findings; j++) {
				const struct finding_rec *f = &in->categories[i].findings[j];
				if ((int)f->severity == sev && f->recommendation)
					push_unique(&rec, f->recommendation);
			}
	}
	for (size_t i = 0; i < tally.n; i++)
		if (tally.skipped[i])
			push(&ex, "- 0 for %u more %s (the rule counts at most %d times)", tally.skipped[i],
			     tally.rule[i], SCORE_MAX_COUNTED);
	if (score < 0)
		score = 0;

	for (size_t i = 0; i < in->n_categories; i++) {
		struct category_rec *c = &in->categories[i];
		enum category_status st = STATUS_SAFE;
		for (size_t j = 0; j < c->n_findings; j++) {
			enum category_status fs = status_of_severity(c->findings[j].severity);
			if (fs > st)
				st = fs;
		}
		/* A detector that failed did not (fully) look: never call that safe. */
		if (c->error && st < STATUS_WARN)
			st = STATUS_WARN;
		c->status = st;
		if (st == STATUS_FAIL)
			push(&failed, "%s", c->id ? c->id : "?");
		if (c->error)
			push(&rec, "Fix detector %s (it failed: %s) and re-run the audit",
			     c->plugin ? c->plugin : c->id ? c->id : "?", c->error);
		int rc = derive_summary(c);
		if (rc < 0)
			ex.rc = rc;
	}

	bool pass = failed.n == 0 && score >= in->pass_score;
	char *cats = NULL;
	if (failed.n) {
		size_t len = 0;
		for (size_t i = 0; i < failed.n; i++)
			len += strlen(failed.v[i]) + 2;
		cats = calloc(1, len + 1);
		for (size_t i = 0; cats && i < failed.n; i++) {
			if (i)
				strcat(cats, ", ");
			strcat(cats, failed.v[i]);
		}
	}
	if (failed.n)
		push(&ex, "= %s; pass_score %s; %s %s failed -> FAIL", num(score, a), num(in->pass_score, b),
		     failed.n == 1 ? "category" : "categories", cats ? cats : "?");
	else
		push(&ex, "= %s; pass_score %s%s -> %s", num(score, a), num(in->pass_score, b),
		     pass ? "" : "; score below pass_score", pass ? "PASS" : "FAIL");
	free(cats);

	const char *risk = risk_of(score, failed.n > 0);
	const char *plain = risk_of(score, false);
	/* Many small things add up in the score, but the risk is never above
	 * the worst thing seen: ten low findings are not a high risk. */
	int worst = -1;
	for (size_t i = 0; i < in->n_categories; i++)
		for (size_t j = 0; j < in->categories[i].n_findings; j++)
			if ((int)in->categories[i].findings[j].severity > worst)
				worst = (int)in->categories[i].findings[j].severity;
	static const char *const order[] = {"low", "medium", "high", "critical"};
	int rank = 0;
	for (int k = 0; k < 4; k++)
		if (strcmp(risk, order[k]) == 0)
			rank = k;
	int cap = worst <= DA_SEV_LOW ? 0 : worst == DA_SEV_MEDIUM ? 1 : 3;
	if (rank > cap) {
		push(&ex, "risk %s (score alone: %s; capped by the worst finding, %s)", order[cap], plain,
		     worst >= 0 ? da_severity_name((enum da_severity)worst) : "none");
		risk = order[cap];
	} else if (strcmp(risk, plain) != 0) {
		push(&ex, "risk %s (score alone: %s; raised because a category failed)", risk, plain);
	} else {
		push(&ex, "risk %s (>= 85 low, >= 60 medium, >= 30 high, else critical)", risk);
	}

	if (in->incomplete)
		push(&rec, "Re-run the audit to completion: this one was incomplete (%s)", in->incomplete);
	push(&rec, "Maintain sandbox isolation for future dynamic tests");

	int rc = ex.rc ? ex.rc : rec.rc ? rec.rc : failed.rc ? failed.rc : tally.rc;
	strv_free(&failed);
	free(tally.rule);
	free(tally.used);
	free(tally.skipped);
	if (rc) {
		strv_free(&ex);
		strv_free(&rec);
		return rc;
	}
	out->score = score;
	out->pass = pass;
	out->risk = risk;
	out->explanation = ex.v;
	out->n_explanation = ex.n;
	out->recommendations = rec.v;
	out->n_recommendations = rec.n;
	return 0;
}

void score_free(struct score_result *r)
{
	if (!r)
		return;
	struct strv e = {r->explanation, r->n_explanation, 0};
	struct strv m = {r->recommendations, r->n_recommendations, 0};
	strv_free(&e);
	strv_free(&m);
	memset(r, 0, sizeof(*r));
}

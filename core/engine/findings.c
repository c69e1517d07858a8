/*
 * findings.c — the findings store: copy, merge by (rule, message), sort,
 * and freeing a report_input.  See report.h.
 */
#include "engine/report.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static void free_strv(char **v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

static void finding_free(struct finding_rec *r)
{
	free(r->rule);
	free(r->message);
	free(r->recommendation);
	free_strv(r->evidence, r->n_evidence);
}

/* Append copies of the evidence lines not already kept, up to the cap. */
static int add_evidence(struct finding_rec *r, const char *const *lines, size_t n)
{
	for (size_t i = 0; lines && i < n && r->n_evidence < FINDING_MAX_EVIDENCE; i++) {
		if (!lines[i])
			continue;
		bool dup = false;
		for (size_t j = 0; j < r->n_evidence && !dup; j++)
			dup = strcmp(r->evidence[j], lines[i]) == 0;
		if (dup)
			continue;
		if (!r->evidence) {
			r->evidence = calloc(FINDING_MAX_EVIDENCE, sizeof(*r->evidence));
			if (!r->evidence)
				return -ENOMEM;
		}
		char *copy = strdup(lines[i]);
		if (!copy)
			return -ENOMEM;
		r->evidence[r->n_evidence++] = copy;
	}
	return 0;
}

int findings_add(struct category_rec *cat, const struct da_finding *f)
{
	if (!cat || !f)
		return -EINVAL;
	/* A plugin built against an older, shorter struct da_finding: members
	 * past its struct_size are absent (0 means "not filled in": whole). */
	struct da_finding in = {0};
	size_t size = f->struct_size && f->struct_size < sizeof(in) ? f->struct_size : sizeof(in);
	memcpy(&in, f, size);
	if (size < offsetof(struct da_finding, time_s) + sizeof(in.time_s))
		in.time_s = -1;
	if (!in.rule || !*in.rule || !in.message || !*in.message)
		return -EINVAL;
	if ((unsigned)in.severity > DA_SEV_CRITICAL)
		return -EINVAL;

	for (size_t i = 0; i < cat->n_findings; i++) {
		struct finding_rec *r = &cat->findings[i];
		if (strcmp(r->rule, in.rule) != 0 || strcmp(r->message, in.message) != 0)
			continue;
		if (r->count < UINT32_MAX)
			r->count++;
		if (in.severity > r->severity)
			r->severity = in.severity; /* never hide the worst occurrence */
		if (!r->recommendation && in.recommendation) {
			r->recommendation = strdup(in.recommendation);
			if (!r->recommendation)
				return -ENOMEM;
		}
		return add_evidence(r, in.evidence, in.n_evidence);
	}

	struct finding_rec *nf = realloc(cat->findings, (cat->n_findings + 1) * sizeof(*nf));
	if (!nf)
		return -ENOMEM;
	cat->findings = nf;
	struct finding_rec *r = &nf[cat->n_findings];
	memset(r, 0, sizeof(*r));
	r->rule = strdup(in.rule);
	r->message = strdup(in.message);
	r->recommendation = in.recommendation ? strdup(in.recommendation) : NULL;
	r->severity = in.severity;
	r->pid = in.pid > 0 ? in.pid : 0;
	r->time_s = in.time_s;
	r->count = 1;
	if (!r->rule || !r->message || (in.recommendation && !r->recommendation) ||
	    add_evidence(r, in.evidence, in.n_evidence) < 0) {
		finding_free(r);
		return -ENOMEM;
	}
	cat->n_findings++;
	return 0;
}

static int finding_cmp(const void *a, const void *b)
{
	const struct finding_rec *x = a, *y = b;
	if (x->severity != y->severity)
		return x->severity > y->severity ? -1 : 1;
	int c = strcmp(x->rule, y->rule);
	return c ? c : strcmp(x->message, y->message);
}

void findings_sort(struct report_input *in)
{
	for (size_t i = 0; i < in->n_categories; i++) {
		struct category_rec *c = &in->categories[i];
		if (c->n_findings > 1)
			qsort(c->findings, c->n_findings, sizeof(*c->findings), finding_cmp);
	}
}

void report_input_free(struct report_input *in)
{
	if (!in)
		return;
	for (size_t i = 0; in->command && in->command[i]; i++)
		free(in->command[i]);
	free(in->command);
	for (size_t i = 0; i < in->n_sandbox; i++) {
		free(in->sandbox[i].key);
		free(in->sandbox[i].value);
	}
	free(in->sandbox);
	free_strv(in->sources, in->n_sources);
	free_strv(in->notes, in->n_notes);
	for (size_t i = 0; i < in->n_categories; i++) {
		struct category_rec *c = &in->categories[i];
		free(c->id);
		free(c->title);
		free(c->plugin);
		free(c->observation);
		free(c->remarks);
		free(c->error);
		for (size_t j = 0; j < c->n_findings; j++)
			finding_free(&c->findings[j]);
		free(c->findings);
		for (size_t j = 0; j < c->n_activity; j++)
			free(c->activity[j]);
		free(c->activity);
	}
	free(in->categories);
	for (size_t i = 0; i < in->n_stats; i++)
		free(in->stats[i].name);
	free(in->stats);
	for (size_t i = 0; i < in->n_procs; i++) {
		for (size_t j = 0; in->procs[i].argv && in->procs[i].argv[j]; j++)
			free(in->procs[i].argv[j]);
		free(in->procs[i].argv);
		free(in->procs[i].exe);
		free(in->procs[i].signal);
	}
	free(in->procs);
	for (size_t i = 0; i < in->n_left_behind; i++)
		free(in->left_behind[i].path);
	free(in->left_behind);
	in->procs = NULL;
	in->n_procs = 0;
	in->command = NULL;
	in->sandbox = NULL;
	in->sources = in->notes = NULL;
	in->categories = NULL;
	in->stats = NULL;
	in->n_sandbox = in->n_sources = in->n_notes = in->n_categories = in->n_stats = 0;
}

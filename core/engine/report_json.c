/*
 * report_json.c — report.json (schema dynaudit.report/1, see the shared
 * reference/report.schema.json).  See report.h.
 *
 * Deterministic: members in a fixed order, seconds with %.3f, the score
 * with %.1f, and nothing about "now" (so two audits of the same input give
 * the same bytes and can be diffed).
 */
#include "engine/report.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "engine/json.h"

static void write_target(struct json_writer *w, const struct report_input *in)
{
	jw_begin_object(w, "target");
	jw_begin_array(w, "command");
	for (size_t i = 0; in->command && in->command[i]; i++)
		jw_string(w, NULL, in->command[i]);
	jw_end_array(w);
	jw_string(w, "workdir", in->workdir ? in->workdir : "");
	jw_fixed(w, "observed_s", in->observed_s > 0 ? in->observed_s : 0, 3);
	jw_fixed(w, "duration_s", in->duration_s > 0 ? in->duration_s : 0, 3);
	/* code for a normal exit, signal for a kill, both null while running. */
	jw_begin_object(w, "exit");
	if (in->exited && !in->exit_signal)
		jw_int(w, "code", in->exit_code);
	else
		jw_null(w, "code");
	if (in->exited && in->exit_signal)
		jw_string(w, "signal", in->exit_signal);
	else
		jw_null(w, "signal");
	jw_bool(w, "core_dumped", in->core_dumped);
	if (in->not_started)
		jw_string(w, "not_started", in->not_started);
	jw_end_object(w);
	jw_end_object(w);
}

static void write_finding(struct json_writer *w, const struct finding_rec *f)
{
	jw_begin_object(w, NULL);
	jw_string(w, "rule", f->rule);
	jw_string(w, "severity", da_severity_name(f->severity));
	jw_string(w, "message", f->message);
	if (f->pid > 0)
		jw_int(w, "pid", f->pid);
	else
		jw_null(w, "pid");
	if (f->time_s >= 0)
		jw_fixed(w, "time_s", f->time_s, 3);
	else
		jw_null(w, "time_s");
	jw_uint(w, "count", f->count);
	jw_begin_array(w, "evidence");
	for (size_t i = 0; i < f->n_evidence; i++)
		jw_string(w, NULL, f->evidence[i]);
	jw_end_array(w);
	jw_string(w, "recommendation", f->recommendation);
	jw_end_object(w);
}

static void write_category(struct json_writer *w, const struct category_rec *c)
{
	jw_begin_object(w, NULL);
	jw_string(w, "id", c->id ? c->id : "unknown");
	jw_string(w, "title", c->title ? c->title : c->id ? c->id : "");
	if (c->plugin)
		jw_string(w, "plugin", c->plugin);
	jw_string(w, "status", category_status_name(c->status));
	jw_string(w, "observation", c->observation ? c->observation : "");
	jw_string(w, "remarks", c->remarks ? c->remarks : "");
	if (c->error)
		jw_string(w, "error", c->error);
	jw_begin_array(w, "activity");
	for (size_t i = 0; i < c->n_activity; i++)
		jw_string(w, NULL, c->activity[i]);
	jw_end_array(w);
	jw_begin_array(w, "findings");
	for (size_t i = 0; i < c->n_findings; i++)
		write_finding(w, &c->findings[i]);
	jw_end_array(w);
	jw_end_object(w);
}

/* A key set twice keeps its last value (a JSON object cannot repeat a
 * member: strict readers, ours included, reject it). */
static bool overridden_fact(const struct report_input *in, size_t i, const char *key)
{
	for (size_t j = i + 1; j < in->n_sandbox; j++)
		if (strcmp(in->sandbox[j].key ? in->sandbox[j].key : "", key) == 0)
			return true;
	return false;
}

static bool overridden_stat(const struct report_input *in, size_t i)
{
	for (size_t j = i + 1; j < in->n_stats; j++)
		if (in->stats[j].name && strcmp(in->stats[j].name, in->stats[i].name) == 0)
			return true;
	return false;
}

static bool reserved_stat(const char *name)
{
	return !strcmp(name, "events") || !strcmp(name, "processes") || !strcmp(name, "events_lost");
}

static void write_stats(struct json_writer *w, const struct report_input *in)
{
	jw_begin_object(w, "stats");
	jw_uint(w, "events", in->events);
	jw_uint(w, "processes", in->processes);
	jw_uint(w, "events_lost", in->events_lost);
	for (size_t i = 0; i < in->n_stats; i++) {
		const struct named_stat *s = &in->stats[i];
		if (!s->name || reserved_stat(s->name) || overridden_stat(in, i))
			continue;
		if (s->value == floor(s->value) && fabs(s->value) < 9e15)
			jw_int(w, s->name, (int64_t)s->value);
		else
			jw_fixed(w, s->name, s->value, 3);
	}
	jw_end_object(w);
}

static void write_strings(struct json_writer *w, const char *key, char *const *v, size_t n)
{
	jw_begin_array(w, key);
	for (size_t i = 0; i < n; i++)
		jw_string(w, NULL, v[i]);
	jw_end_array(w);
}

/* "left_behind": the files a live run's target left in /tmp and HOME, for
 * the batch's cohort view (files shared byte for byte between
 * submissions).  Absent when no list was taken (replay, failed setup). */
static void write_left_behind(struct json_writer *w, const struct report_input *in)
{
	if (!in->left_behind_listed)
		return;
	jw_begin_array(w, "left_behind");
	for (size_t i = 0; i < in->n_left_behind; i++) {
		const struct left_behind_rec *f = &in->left_behind[i];
		jw_begin_object(w, NULL);
		jw_string(w, "path", f->path);
		jw_uint(w, "size", f->size);
		if (f->sha256[0])
			jw_string(w, "sha256", f->sha256);
		else
			jw_null(w, "sha256");
		jw_bool(w, "executable", f->executable);
		jw_end_object(w);
	}
	jw_end_array(w);
}

int report_write_json(const struct report_input *in, const struct score_result *s,
		      int dirfd, const char *path, char *err, size_t errlen)
{
	struct json_buf b = {0};
	struct json_writer w;
	jw_init(&w, &b, true);
	jw_begin_object(&w, NULL);
	jw_string(&w, "schema", "dynaudit.report/1");
	jw_begin_object(&w, "tool");
	jw_string(&w, "name", "dynaudit");
	jw_string(&w, "version", in->tool_version ? in->tool_version : "");
	jw_end_object(&w);
	jw_string(&w, "title", in->title);
	jw_string(&w, "config", in->config_source);
	jw_string(&w, "mode", in->live ? "run" : "replay");
	write_target(&w, in);
	jw_begin_object(&w, "sandbox");
	for (size_t i = 0; i < in->n_sandbox; i++) {
		const char *key = in->sandbox[i].key ? in->sandbox[i].key : "";
		if (!overridden_fact(in, i, key))
			jw_string(&w, key, in->sandbox[i].value);
	}
	jw_end_object(&w);
	write_strings(&w, "sources", in->sources, in->n_sources);
	write_strings(&w, "notes", in->notes, in->n_notes);
	jw_bool(&w, "incomplete", in->incomplete != NULL);
	jw_string(&w, "incomplete_reason", in->incomplete);
	jw_string(&w, "verdict", s->pass ? "PASS" : "FAIL");
	jw_string(&w, "coverage", in->coverage ? in->coverage : "full");
	jw_string(&w, "coverage_reason", in->coverage_reason);
	jw_fixed(&w, "score", s->score, 1);
	jw_string(&w, "risk", s->risk ? s->risk : "critical");
	write_strings(&w, "score_explanation", s->explanation, s->n_explanation);
	jw_begin_array(&w, "categories");
	for (size_t i = 0; i < in->n_categories; i++)
		write_category(&w, &in->categories[i]);
	jw_end_array(&w);
	write_strings(&w, "recommendations", s->recommendations, s->n_recommendations);
	write_stats(&w, in);
	write_left_behind(&w, in);
	jw_end_object(&w);
	json_buf_putc(&b, '\n');
	return report_buf_write(&b, dirfd, path, err, errlen);
}

/*
 * scenario_judge.c — a report.json against a scenario's expectations.
 * See scenario.h.
 */
#include "testkit/scenario.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "engine/json.h"

/* Sum of the counts of the report's findings of rule. */
static long long count_of(const struct json_value *report, const char *rule)
{
	long long n = 0;
	const struct json_value *cats = json_get(report, "categories");
	for (size_t i = 0; cats && cats->type == JSON_ARRAY && i < cats->n_items; i++) {
		const struct json_value *fs = json_get(&cats->items[i], "findings");
		for (size_t j = 0; fs && fs->type == JSON_ARRAY && j < fs->n_items; j++) {
			const struct json_value *r = json_get(&fs->items[j], "rule");
			const struct json_value *c = json_get(&fs->items[j], "count");
			if (!r || r->type != JSON_STRING || strcmp(r->string, rule) != 0)
				continue;
			n += c && c->type == JSON_NUMBER && c->is_int && c->integer > 0 &&
				     c->integer < 1000000000 ? c->integer : 1;
		}
	}
	return n;
}

static void add_why(char *why, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void add_why(char *why, size_t len, const char *fmt, ...)
{
	size_t used = strlen(why);
	if (used + 3 >= len)
		return;
	if (used)
		used += (size_t)snprintf(why + used, len - used, "; ");
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why + used, len - used, fmt, ap);
	va_end(ap);
}

int scenario_judge(const struct scenario *s, const char *text, size_t len, char *why,
		   size_t whylen)
{
	char err[256];
	struct json_value *v = NULL;
	why[0] = '\0';
	if (json_parse(text, len, &v, err, sizeof(err)) < 0) {
		snprintf(why, whylen, "report.json is not valid JSON: %s", err);
		return -EINVAL;
	}
	const struct json_value *verdict = json_get(v, "verdict");
	if (!verdict || verdict->type != JSON_STRING) {
		json_free(v);
		snprintf(why, whylen, "report.json has no verdict");
		return -EINVAL;
	}
	bool ok = true;
	if (s->verdict && strcmp(s->verdict, verdict->string) != 0) {
		add_why(why, whylen, "verdict %s, expected %s", verdict->string, s->verdict);
		ok = false;
	}
	for (size_t i = 0; i < s->n_findings; i++) {
		const struct scenario_count *c = &s->findings[i];
		long long got = count_of(v, c->rule);
		if (c->at_least ? got >= c->count : got == c->count)
			continue;
		add_why(why, whylen, "%s: %lld finding(s), expected %s%lld", c->rule, got,
			c->at_least ? "at least " : "", c->count);
		ok = false;
	}
	for (size_t i = 0; i < s->n_absent; i++) {
		long long got = count_of(v, s->absent[i].rule);
		if (got == 0)
			continue;
		add_why(why, whylen, "%s fired %lld time(s), must not fire", s->absent[i].rule, got);
		ok = false;
	}
	json_free(v);
	return ok ? 1 : 0;
}

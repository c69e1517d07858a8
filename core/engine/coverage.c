/*
 * coverage.c — how much of the target's own behaviour the audit saw.
 * See report.h (coverage_compute).
 *
 * A PASS means "nothing bad was seen", which is worth only as much as what
 * was seen: a submission whose code never ran (the interpreter rejected it,
 * the entry point is missing, the setup failed) must not read, or rank, as
 * the safest one.  The facts come from the overview (not_started,
 * incomplete, how the target ended) and from one finding whose owner is the
 * code_integrity detector: code_integrity.not_run, "the submission's code
 * never ran", which it raises from what the interpreter said.
 */
#include "engine/report.h"

#include <stdio.h>
#include <string.h>

static const struct finding_rec *find_rule(const struct report_input *in, const char *rule)
{
	for (size_t i = 0; i < in->n_categories; i++)
		for (size_t j = 0; j < in->categories[i].n_findings; j++)
			if (strcmp(in->categories[i].findings[j].rule, rule) == 0)
				return &in->categories[i].findings[j];
	return NULL;
}

enum coverage coverage_compute(const struct report_input *in, char *reason, size_t len)
{
	const struct finding_rec *f;
	if (in->not_started) {
		snprintf(reason, len, "the submission's code never ran: %s", in->not_started);
		return COVERAGE_NONE;
	}
	if ((f = find_rule(in, "code_integrity.not_run")) != NULL) {
		snprintf(reason, len, "the submission's code never ran: %s", f->message);
		return COVERAGE_NONE;
	}
	if (in->incomplete) {
		snprintf(reason, len, "the audit was cut short: %s", in->incomplete);
		return COVERAGE_PARTIAL;
	}
	if ((f = find_rule(in, "code_integrity.early_exit")) != NULL) {
		snprintf(reason, len, "%s", f->message);
		return COVERAGE_PARTIAL;
	}
	if (in->exited && (in->exit_signal || in->core_dumped)) {
		snprintf(reason, len, "the target was ended by %s after %.1f s of the %.0f s window",
			 in->exit_signal ? in->exit_signal : "a crash (core dumped)", in->observed_s,
			 in->duration_s);
		return COVERAGE_PARTIAL;
	}
	if (in->exited)
		snprintf(reason, len, "the target ran to its end (exit status %d)", in->exit_code);
	else
		snprintf(reason, len, "the target ran for the whole observation window");
	return COVERAGE_FULL;
}

const char *coverage_name(enum coverage c)
{
	return c == COVERAGE_NONE ? "none" : c == COVERAGE_PARTIAL ? "partial" : "full";
}

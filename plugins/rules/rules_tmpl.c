/*
 * rules_tmpl.c — message templates: text with %{field} (and %% for a
 * percent sign), compiled at init into literal and field parts that
 * rules_render() (rules_eval.c) fills without allocating.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "rules.h"

int rules_compile_tmpl(struct ruleset *rs, const char *text, const char *file, int line, int col,
		       struct rtmpl *out, struct rerr *err)
{
	size_t n = strlen(text);
	if (n > RULES_MAX_COND_BYTES)
		return rerr_at(err, file, line, col, "message is longer than %d bytes",
			       RULES_MAX_COND_BYTES);
	/* the parts point into the text: keep it as long as the rule set */
	text = rarena_strdup(rs, text);
	out->parts = text ? rarena_alloc(rs, (n + 1) * sizeof(*out->parts)) : NULL;
	if (!out->parts)
		return -ENOMEM;
	out->n_parts = 0;
	size_t lit = 0;
	for (size_t i = 0; i <= n; i++) {
		bool end = i == n;
		bool field = !end && text[i] == '%' && i + 1 < n && text[i + 1] == '{';
		bool pct = !end && text[i] == '%' && i + 1 < n && text[i + 1] == '%';
		if (!end && !field && !pct)
			continue;
		if (i > lit)
			out->parts[out->n_parts++] = (struct rtmpl_part){.lit = text + lit,
									 .lit_len = i - lit};
		if (pct) {
			out->parts[out->n_parts++] = (struct rtmpl_part){.lit = "%", .lit_len = 1};
			lit = ++i + 1;
			continue;
		}
		if (end)
			break;
		const char *close = memchr(text + i + 2, '}', n - i - 2);
		if (!close)
			return rerr_at(err, file, line, col + (int)i,
				       "'%%{' without a closing '}'");
		int idx;
		size_t flen = (size_t)(close - text - i - 2);
		const struct rf_field *f = rf_parse(text + i + 2, flen, &idx);
		if (!f)
			return rerr_at(err, file, line, col + (int)i + 2,
				       "unknown field '%.*s' in the message", (int)flen,
				       text + i + 2);
		out->parts[out->n_parts++] = (struct rtmpl_part){.field = f, .argv_idx = idx};
		i = (size_t)(close - text);
		lit = i + 1;
	}
	return 0;
}

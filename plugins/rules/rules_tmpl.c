/*
 * rules_tmpl.c — message templates: text with %{field} (and %% for a
 * percent sign), compiled at init into literal and field parts that
 * rules_render() (rules_eval.c) fills without allocating.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "rules.h"

static int fail_at(const char *file, int line, int col, size_t at, struct rerr *err,
		   const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static int fail_at(const char *file, int line, int col, size_t at, struct rerr *err,
		   const char *fmt, ...)
{
	char what[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	snprintf(err->msg, sizeof(err->msg), "%s:%d:%d: %s", file, line, col + (int)at, what);
	return -EINVAL;
}

int rules_compile_tmpl(struct ruleset *rs, const char *text, const char *file, int line, int col,
		       struct rtmpl *out, struct rerr *err)
{
	size_t n = strlen(text);
	if (n > RULES_MAX_COND_BYTES)
		return fail_at(file, line, col, 0, err, "message is longer than %d bytes",
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
			return fail_at(file, line, col, i, err,
				       "'%%{' without a closing '}'");
		int idx;
		size_t flen = (size_t)(close - text - i - 2);
		const struct rf_field *f = rf_parse(text + i + 2, flen, &idx);
		if (!f)
			return fail_at(file, line, col, i + 2, err,
				       "unknown field '%.*s' in the message", (int)flen,
				       text + i + 2);
		out->parts[out->n_parts++] = (struct rtmpl_part){.field = f, .argv_idx = idx};
		i = (size_t)(close - text);
		lit = i + 1;
	}
	return 0;
}

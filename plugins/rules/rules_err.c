/*
 * rules_err.c — the one place a rules-file error is written:
 * "file:line:column: what is wrong" (the loader, the condition compiler
 * and the message templates all report that way).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#include "rules.h"

int rerr_vat(struct rerr *err, const char *file, int line, int col, const char *fmt, va_list ap)
{
	char what[768];
	vsnprintf(what, sizeof(what), fmt, ap);
	snprintf(err->msg, sizeof(err->msg), "%s:%d:%d: %s", file, line, col, what);
	return -EINVAL;
}

int rerr_at(struct rerr *err, const char *file, int line, int col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = rerr_vat(err, file, line, col, fmt, ap);
	va_end(ap);
	return rc;
}

/*
 * strace_args.h — reading the values inside a strace call's argument list:
 * top-level splitting, integers with their "-y" annotations, quoted strings
 * with C escapes and "..." truncation, flag words, struct fields.
 *
 * Spans point into the caller's line.  Functions returning char * return a
 * malloc'd NUL-terminated copy (caller frees) or NULL.  All are linear in
 * the span length and safe on any bytes.
 */
#ifndef DYNAUDIT_STRACE_ARGS_H
#define DYNAUDIT_STRACE_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "recorded/strace_lexer.h"

/* Split at top-level commas into at most max trimmed items; returns the
 * number of items found (may exceed max: the rest are not stored). */
size_t strace_split(struct strace_span args, struct strace_span *out, size_t max);

/* Leading integer: 123, -1, 0x1f, 0755 (octal), AT_FDCWD (-100), NULL (0).
 * False when the value does not start with a number. */
bool strace_arg_int(struct strace_span a, int64_t *v);

/* "3</etc/passwd>" -> "/etc/passwd" (still escaped: see strace_unescape). */
bool strace_arg_annot(struct strace_span a, struct strace_span *annot);

/* "\"abc\\n\"..." -> "abc\n" (len: decoded bytes, NULs possible);
 * *truncated when strace cut it ("..." after the closing quote).  NULL
 * when a is not a quoted string (e.g. NULL or an address). */
char *strace_unquote(struct strace_span a, size_t *len, bool *truncated);

/* Decode C escapes (\n \t \" \\ \xHH \OOO ...) of raw text. */
char *strace_unescape(const char *p, size_t n, size_t *len);

/* Symbolic flags "O_WRONLY|O_CREAT|0x80000" with a NULL-terminated table;
 * also -X raw numbers ("0x41") and -X verbose numbers followed by a
 * comment that names them (the comment's '|' splits nothing). */
struct strace_flag {
	const char *name;
	int64_t value;
};
int64_t strace_flags(struct strace_span a, const struct strace_flag *table);
/* Whether word appears in a as a whole identifier ("O_CREAT" in "O_RDWR|O_CREAT"). */
bool strace_has_word(struct strace_span a, const char *word);

/* Value of "key=" inside a struct, at any depth: "{sa_family=AF_INET,
 * sin_port=htons(4444)}" with "sin_port" -> "htons(4444)". */
bool strace_field(struct strace_span a, const char *key, struct strace_span *val);

/* Span helpers. */
struct strace_span strace_span_trim(struct strace_span a);
bool strace_span_eq(struct strace_span a, const char *lit);
/* Malloc'd NUL-terminated copy of a span. */
char *strace_span_dup(struct strace_span a);

#endif /* DYNAUDIT_STRACE_ARGS_H */

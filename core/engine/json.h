/*
 * json.h — the one hand-written JSON piece of dynaudit (no JSON library is
 * among the allowed dependencies): a writer used by report.json and
 * events.jsonl, and a strict, bounded reader used to replay events.jsonl.
 *
 * STRINGS.  C strings from traced programs are bytes, not always UTF-8.
 * The writer copies valid UTF-8 sequences as they are and writes every
 * other byte (control characters and bytes that are not part of a valid
 * UTF-8 sequence) as \u00XX.  The reader turns \u0000..\u00FF back into
 * that single byte, and \u0100 and above (and surrogate pairs) into UTF-8,
 * so a string survives write + read byte for byte.  (A foreign writer that
 * escapes U+00E9 as \u00e9 therefore reads back as the byte 0xE9: this
 * reader is for dynaudit's own files.)
 *
 * READER LIMITS.  Input is untrusted: nesting deeper than JSON_MAX_DEPTH,
 * numbers that do not fit a double, bad escapes, duplicate object keys,
 * unescaped control characters and trailing garbage are errors with the
 * byte offset in the message, never a crash.
 *
 * Nothing here prints; allocation failures are reported (-ENOMEM, or the
 * writer's `failed` flag).
 */
#ifndef DYNAUDIT_JSON_H
#define DYNAUDIT_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* ---- writer ------------------------------------------------------------ */

/* A growing byte buffer.  After an allocation failure every further append
 * is ignored and `failed` stays set: check it once at the end. */
struct json_buf {
	char *data;     /* NUL-terminated when len > 0 */
	size_t len;
	size_t cap;
	bool failed;
};

void json_buf_free(struct json_buf *b);
/* json_buf_put's growing path (json_buf_put itself is inline below). */
void json_buf_put_grow(struct json_buf *b, const char *s, size_t n);
/* Append n bytes (the buffer stays NUL-terminated); inline: an
 * events.jsonl line is some forty small appends. */
static inline void json_buf_put(struct json_buf *b, const char *s, size_t n)
{
	if (!b->failed && n < b->cap - b->len) { /* room for the bytes and the NUL */
		memcpy(b->data + b->len, s, n);
		b->len += n;
		b->data[b->len] = '\0';
		return;
	}
	json_buf_put_grow(b, s, n);
}
void json_buf_putc(struct json_buf *b, char c);
void json_buf_puts(struct json_buf *b, const char *s);
void json_buf_printf(struct json_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Length (1..4) of the valid UTF-8 sequence starting at s, 0 when the byte
 * at s does not start one.  s must be NUL-terminated.  (Also used by the
 * Markdown writer, which must emit valid UTF-8.) */
size_t json_utf8_seq_len(const char *s);
/* s as a quoted JSON string (escaping as described above); NULL -> null. */
void json_buf_string(struct json_buf *b, const char *s);

/* Digits without printf, into buf (at least 21 bytes; not NUL-terminated):
 * the length written. */
size_t json_fmt_uint(char *buf, uint64_t v);
size_t json_fmt_int(char *buf, int64_t v);
/* v as "%.*f" prints it (decimals 6 or 9; buf at least 24 bytes), when v
 * is a whole number of nanoseconds in [1e-4, 1e6) s and the result is
 * certain to equal printf's; else 0 (the caller uses printf). */
size_t json_fmt_ns_seconds(char *buf, double v, int decimals);
/* v as "%.*f" prints it (decimals 1..9; buf at least 24 bytes), when v is
 * in [0, 1e6) and not within a quarter unit of the last decimal of a
 * rounding tie (a time computed from microseconds is a hair off its
 * decimal, which no printf digit can see); else 0 (the caller uses printf). */
size_t json_fmt_fixed(char *buf, double v, int decimals);

#define JSON_MAX_DEPTH 64

/* A writer that places commas, and with pretty set newlines and two-space
 * indentation, so callers only say what comes next.  `key` is the member
 * name inside an object and NULL inside an array or at the top. */
struct json_writer {
	struct json_buf *buf;
	bool pretty;
	int depth;
	bool has_items[JSON_MAX_DEPTH + 1];
};

void jw_init(struct json_writer *w, struct json_buf *buf, bool pretty);
void jw_begin_object(struct json_writer *w, const char *key);
void jw_end_object(struct json_writer *w);
void jw_begin_array(struct json_writer *w, const char *key);
void jw_end_array(struct json_writer *w);
void jw_string(struct json_writer *w, const char *key, const char *value);  /* NULL -> null */
void jw_int(struct json_writer *w, const char *key, int64_t value);
void jw_uint(struct json_writer *w, const char *key, uint64_t value);
void jw_bool(struct json_writer *w, const char *key, bool value);
void jw_null(struct json_writer *w, const char *key);
/* value with a fixed number of decimals ("%.3f"); non-finite -> null. */
void jw_fixed(struct json_writer *w, const char *key, double value, int decimals);
/* The shortest text that reads back as exactly value; non-finite -> null. */
void jw_double(struct json_writer *w, const char *key, double value);

/* ---- reader ------------------------------------------------------------ */

enum json_type { JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT };

struct json_value {
	enum json_type type;
	bool boolean;             /* JSON_BOOL */
	double number;            /* JSON_NUMBER */
	bool is_int;              /* JSON_NUMBER written without fraction or
	                             exponent and within int64_t */
	int64_t integer;          /* valid when is_int */
	char *string;             /* JSON_STRING: NUL-terminated bytes */
	size_t string_len;        /* may be < strlen() only if it holds \u0000 */
	struct json_value *items; /* JSON_ARRAY elements / JSON_OBJECT values */
	char **keys;              /* JSON_OBJECT member names (n_items) */
	size_t n_items;
};

/* Parse exactly one JSON value from text[0..len) (surrounding whitespace
 * allowed).  Returns 0 and *out (free with json_free), or -EINVAL with
 * "offset N: what is wrong" in err, or -ENOMEM. */
int json_parse(const char *text, size_t len, struct json_value **out, char *err, size_t errlen);
void json_free(struct json_value *v);

/* Member `key` of an object, or NULL (also when obj is not an object). */
const struct json_value *json_get(const struct json_value *obj, const char *key);

#endif /* DYNAUDIT_JSON_H */

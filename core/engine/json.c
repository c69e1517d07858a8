/*
 * json.c — JSON writer and strict bounded reader.  See json.h.
 */
#include "engine/json.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ======================================================================
 * Buffer
 * ==================================================================== */

void json_buf_free(struct json_buf *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}

static bool buf_reserve(struct json_buf *b, size_t extra)
{
	if (b->failed)
		return false;
	if (extra > SIZE_MAX / 2 - b->len) {
		b->failed = true;
		return false;
	}
	size_t need = b->len + extra + 1; /* + NUL */
	if (need <= b->cap)
		return true;
	size_t ncap = b->cap ? b->cap : 256;
	while (ncap < need)
		ncap *= 2;
	char *nd = realloc(b->data, ncap);
	if (!nd) {
		b->failed = true;
		return false;
	}
	b->data = nd;
	b->cap = ncap;
	return true;
}

void json_buf_put_grow(struct json_buf *b, const char *s, size_t n)
{
	if (!buf_reserve(b, n))
		return;
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void json_buf_putc(struct json_buf *b, char c)
{
	json_buf_put(b, &c, 1);
}

void json_buf_puts(struct json_buf *b, const char *s)
{
	json_buf_put(b, s, strlen(s));
}

void json_buf_printf(struct json_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->failed = true;
		return;
	}
	if (!buf_reserve(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/* Length of the valid UTF-8 sequence starting at s (1..4), or 0 when the
 * byte at s does not start one (bad lead, bad continuation, overlong,
 * surrogate, beyond U+10FFFF). */
static size_t utf8_valid_len(const unsigned char *s)
{
	unsigned c = s[0];
	if (c < 0x80)
		return 1;
	size_t n;
	unsigned cp;
	if (c >= 0xC2 && c <= 0xDF) {
		n = 2;
		cp = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 3;
		cp = c & 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80) /* also stops at the NUL */
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10FFFF ||
	    (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return n;
}

size_t json_utf8_seq_len(const char *s)
{
	return utf8_valid_len((const unsigned char *)s);
}

/* Numbers are written by hand: printf's format parsing was a fifth of
 * the cost of an events.jsonl line (bench/pipeline.sh). */
size_t json_fmt_uint(char *buf, uint64_t v)
{
	char tmp[20];
	size_t n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (size_t i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	return n;
}

size_t json_fmt_int(char *buf, int64_t v)
{
	if (v >= 0)
		return json_fmt_uint(buf, (uint64_t)v);
	buf[0] = '-';
	return 1 + json_fmt_uint(buf + 1, (uint64_t)0 - (uint64_t)v);
}

size_t json_fmt_ns_seconds(char *buf, double v, int decimals)
{
	/* v in [1e-4, 1e6) with no more than 9 decimals, e.g. a clock
	 * reading in ns: ns / 1e9 is the correctly rounded value of the
	 * decimal, as strtod of that decimal is, so equal means exact. */
	if (!(v >= 1e-4 && v < 1e6) || (decimals != 9 && decimals != 6))
		return 0;
	double scaled = v * 1e9;
	uint64_t ns = (uint64_t)(scaled + 0.5);
	if ((double)ns / 1e9 != v)
		return 0;
	uint64_t whole = ns / 1000000000u, frac = ns % 1000000000u;
	if (decimals == 6) {
		/* rounding to 6 decimals: a tie needs printf's exact view */
		if (frac % 1000 == 500)
			return 0;
		uint64_t us = (ns + 500) / 1000;
		whole = us / 1000000u;
		frac = us % 1000000u;
	}
	size_t n = json_fmt_uint(buf, whole);
	buf[n++] = '.';
	for (int i = decimals - 1; i >= 0; i--) {
		buf[n + (size_t)i] = (char)('0' + frac % 10);
		frac /= 10;
	}
	return n + (size_t)decimals;
}

size_t json_fmt_fixed(char *buf, double v, int decimals)
{
	static const double p10[] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
	if (decimals < 1 || decimals > 9 || !(v >= 0 && v < 1e6) || signbit(v))
		return 0;
	/* scaled is v * 10^decimals rounded once: below 1e15 it is within
	 * 0.12 of the exact product, so a fraction outside (0.25, 0.75)
	 * decides printf's rounding (to nearest) for certain. */
	double scaled = v * p10[decimals];
	double whole = floor(scaled), frac = scaled - whole;
	if (frac > 0.25 && frac < 0.75)
		return 0;
	uint64_t u = (uint64_t)whole + (frac >= 0.75), unit = (uint64_t)p10[decimals];
	uint64_t fpart = u % unit;
	size_t n = json_fmt_uint(buf, u / unit);
	buf[n++] = '.';
	for (int i = decimals - 1; i >= 0; i--) {
		buf[n + (size_t)i] = (char)('0' + fpart % 10);
		fpart /= 10;
	}
	return n + (size_t)decimals;
}

void json_buf_string(struct json_buf *b, const char *s)
{
	if (!s) {
		json_buf_puts(b, "null");
		return;
	}
	/* The bytes that go out as they are: printable ASCII but '"' (0x22)
	 * and '\\' (0x5c); one load a byte: every event's strace line passes here. */
	static const bool plain[256] = {
		[0x20 ... 0x21] = true, [0x23 ... 0x5b] = true, [0x5d ... 0x7f] = true,
	};
	const unsigned char *p = (const unsigned char *)s;
	json_buf_putc(b, '"');
	while (*p) {
		/* Copy the longest run that needs no escaping in one go
		 * (plain ASCII without a call per byte). */
		const unsigned char *run = p;
		size_t n;
		for (;;) {
			while (plain[*p])
				p++;
			if (*p < 0x80 || (n = utf8_valid_len(p)) == 0)
				break;
			p += n;
		}
		if (p > run)
			json_buf_put(b, (const char *)run, (size_t)(p - run));
		if (!*p)
			break;
		unsigned char c = *p++;
		switch (c) {
		/* two-byte escapes by length: quotes are common in strace text */
		case '"': json_buf_put(b, "\\\"", 2); break;
		case '\\': json_buf_put(b, "\\\\", 2); break;
		case '\n': json_buf_put(b, "\\n", 2); break;
		case '\t': json_buf_put(b, "\\t", 2); break;
		case '\r': json_buf_put(b, "\\r", 2); break;
		default: {
			static const char hex[] = "0123456789abcdef";
			char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
			json_buf_put(b, u, sizeof(u));
			break;
		}
		}
	}
	json_buf_putc(b, '"');
}

/* ======================================================================
 * Writer
 * ==================================================================== */

void jw_init(struct json_writer *w, struct json_buf *buf, bool pretty)
{
	memset(w, 0, sizeof(*w));
	w->buf = buf;
	w->pretty = pretty;
}

static void jw_newline(struct json_writer *w)
{
	if (!w->pretty)
		return;
	json_buf_putc(w->buf, '\n');
	for (int i = 0; i < w->depth; i++)
		json_buf_puts(w->buf, "  ");
}

/* Comma, newline, indentation and "key": before a value. */
/* A key that needs no escaping, with its comma, in one put: the compact
 * writer (events.jsonl) writes some fifteen of them a line. */
static bool jw_prefix_plain(struct json_writer *w, const char *key)
{
	char tmp[64];
	size_t n = 0;
	if (w->pretty || !key)
		return false;
	if (w->depth > 0 && w->has_items[w->depth])
		tmp[n++] = ',';
	tmp[n++] = '"';
	for (const char *k = key; *k; k++) {
		unsigned char c = (unsigned char)*k;
		if (n >= sizeof(tmp) - 2 || c < 0x20 || c >= 0x80 || c == '"' || c == '\\')
			return false;
		tmp[n++] = (char)c;
	}
	tmp[n++] = '"';
	tmp[n++] = ':';
	if (w->depth > 0)
		w->has_items[w->depth] = true;
	json_buf_put(w->buf, tmp, n);
	return true;
}

static void jw_prefix(struct json_writer *w, const char *key)
{
	if (jw_prefix_plain(w, key))
		return;
	if (w->depth > 0) {
		if (w->has_items[w->depth])
			json_buf_putc(w->buf, ',');
		w->has_items[w->depth] = true;
		jw_newline(w);
	}
	if (key) {
		json_buf_string(w->buf, key);
		json_buf_puts(w->buf, w->pretty ? ": " : ":");
	}
}

static void jw_open(struct json_writer *w, const char *key, char c)
{
	jw_prefix(w, key);
	json_buf_putc(w->buf, c);
	if (w->depth >= JSON_MAX_DEPTH) {
		/* Deeper than any report we write: a bug, not input. */
		w->buf->failed = true;
		return;
	}
	w->depth++;
	w->has_items[w->depth] = false;
}

static void jw_close(struct json_writer *w, char c)
{
	if (w->depth <= 0) {
		w->buf->failed = true;
		return;
	}
	bool had = w->has_items[w->depth];
	w->depth--;
	if (had)
		jw_newline(w);
	json_buf_putc(w->buf, c);
}

void jw_begin_object(struct json_writer *w, const char *key) { jw_open(w, key, '{'); }
void jw_end_object(struct json_writer *w) { jw_close(w, '}'); }
void jw_begin_array(struct json_writer *w, const char *key) { jw_open(w, key, '['); }
void jw_end_array(struct json_writer *w) { jw_close(w, ']'); }

void jw_string(struct json_writer *w, const char *key, const char *value)
{
	jw_prefix(w, key);
	json_buf_string(w->buf, value);
}

void jw_int(struct json_writer *w, const char *key, int64_t value)
{
	char tmp[24];
	jw_prefix(w, key);
	json_buf_put(w->buf, tmp, json_fmt_int(tmp, value));
}

void jw_uint(struct json_writer *w, const char *key, uint64_t value)
{
	char tmp[24];
	jw_prefix(w, key);
	json_buf_put(w->buf, tmp, json_fmt_uint(tmp, value));
}

void jw_bool(struct json_writer *w, const char *key, bool value)
{
	jw_prefix(w, key);
	json_buf_puts(w->buf, value ? "true" : "false");
}

void jw_null(struct json_writer *w, const char *key)
{
	jw_prefix(w, key);
	json_buf_puts(w->buf, "null");
}

void jw_fixed(struct json_writer *w, const char *key, double value, int decimals)
{
	jw_prefix(w, key);
	if (!isfinite(value)) {
		json_buf_puts(w->buf, "null");
		return;
	}
	if (value == 0)
		value = 0; /* no "-0.000" */
	char tmp[64];
	snprintf(tmp, sizeof(tmp), "%.*f", decimals, value);
	if (strspn(tmp, "-0.") == strlen(tmp) && tmp[0] == '-')
		memmove(tmp, tmp + 1, strlen(tmp)); /* -0.000 after rounding */
	json_buf_puts(w->buf, tmp);
}

void jw_double(struct json_writer *w, const char *key, double value)
{
	jw_prefix(w, key);
	if (!isfinite(value)) {
		json_buf_puts(w->buf, "null");
		return;
	}
	/* %.15g reads back exactly for most values and stays short
	 * (0.004512); fall back to %.17g, which always reads back exactly.
	 * A clock reading (whole ns, below 1e6 s) is written as %.15g
	 * would, without printf and strtod: its 9 decimals, trailing zeros
	 * cut. */
	char tmp[64];
	size_t n = json_fmt_ns_seconds(tmp, value, 9);
	if (n) {
		while (tmp[n - 1] == '0')
			n--;
		if (tmp[n - 1] == '.')
			n--;
		json_buf_put(w->buf, tmp, n);
		return;
	}
	snprintf(tmp, sizeof(tmp), "%.15g", value);
	if (strtod(tmp, NULL) != value)
		snprintf(tmp, sizeof(tmp), "%.17g", value);
	json_buf_puts(w->buf, tmp);
}

/* ======================================================================
 * Reader
 * ==================================================================== */

struct parser {
	const char *s;
	size_t len;
	size_t pos;
	char *err;
	size_t errlen;
	int rc; /* first error */
};

__attribute__((format(printf, 3, 4)))
static int fail(struct parser *p, int rc, const char *fmt, ...)
{
	if (p->rc)
		return p->rc;
	p->rc = rc;
	if (p->err && p->errlen) {
		int n = snprintf(p->err, p->errlen, "offset %zu: ", p->pos);
		if (n >= 0 && (size_t)n < p->errlen) {
			va_list ap;
			va_start(ap, fmt);
			vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
			va_end(ap);
		}
	}
	return rc;
}

static void skip_ws(struct parser *p)
{
	while (p->pos < p->len) {
		char c = p->s[p->pos];
		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			break;
		p->pos++;
	}
}

static bool literal(struct parser *p, const char *word)
{
	size_t n = strlen(word);
	if (p->len - p->pos < n || memcmp(p->s + p->pos, word, n) != 0)
		return false;
	p->pos += n;
	return true;
}

static int hex4(struct parser *p, unsigned *out)
{
	if (p->len - p->pos < 4)
		return fail(p, -EINVAL, "truncated \\u escape");
	unsigned v = 0;
	for (int i = 0; i < 4; i++) {
		char c = p->s[p->pos + (size_t)i];
		unsigned d;
		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else
			return fail(p, -EINVAL, "bad hex digit in \\u escape");
		v = v * 16 + d;
	}
	p->pos += 4;
	*out = v;
	return 0;
}

static void put_utf8(struct json_buf *b, unsigned cp)
{
	char u[4];
	size_t n;
	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		u[0] = (char)(0xF0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	json_buf_put(b, u, n);
}

/* At the opening quote.  Fills *out (malloc'd, NUL-terminated) and *outlen. */
static int parse_string(struct parser *p, char **out, size_t *outlen)
{
	struct json_buf b = {0};
	p->pos++; /* opening quote */
	for (;;) {
		if (p->pos >= p->len) {
			json_buf_free(&b);
			return fail(p, -EINVAL, "unterminated string");
		}
		unsigned char c = (unsigned char)p->s[p->pos];
		if (c == '"') {
			p->pos++;
			break;
		}
		if (c < 0x20) {
			json_buf_free(&b);
			return fail(p, -EINVAL, "control character 0x%02x in string", c);
		}
		if (c != '\\') {
			/* Copy the plain run in one go. */
			size_t start = p->pos;
			while (p->pos < p->len) {
				unsigned char d = (unsigned char)p->s[p->pos];
				if (d == '"' || d == '\\' || d < 0x20)
					break;
				p->pos++;
			}
			json_buf_put(&b, p->s + start, p->pos - start);
			continue;
		}
		p->pos++;
		if (p->pos >= p->len) {
			json_buf_free(&b);
			return fail(p, -EINVAL, "unterminated escape");
		}
		char e = p->s[p->pos++];
		switch (e) {
		case '"': json_buf_putc(&b, '"'); break;
		case '\\': json_buf_putc(&b, '\\'); break;
		case '/': json_buf_putc(&b, '/'); break;
		case 'b': json_buf_putc(&b, '\b'); break;
		case 'f': json_buf_putc(&b, '\f'); break;
		case 'n': json_buf_putc(&b, '\n'); break;
		case 'r': json_buf_putc(&b, '\r'); break;
		case 't': json_buf_putc(&b, '\t'); break;
		case 'u': {
			unsigned cp;
			if (hex4(p, &cp) < 0) {
				json_buf_free(&b);
				return p->rc;
			}
			if (cp <= 0xFF) {
				/* dynaudit's byte escape: \u00XX is the byte XX. */
				json_buf_putc(&b, (char)cp);
				break;
			}
			if (cp >= 0xDC00 && cp <= 0xDFFF) {
				json_buf_free(&b);
				return fail(p, -EINVAL, "lone low surrogate in \\u escape");
			}
			if (cp >= 0xD800 && cp <= 0xDBFF) {
				unsigned lo;
				if (!literal(p, "\\u") || hex4(p, &lo) < 0 || lo < 0xDC00 || lo > 0xDFFF) {
					json_buf_free(&b);
					return fail(p, -EINVAL, "high surrogate without low surrogate");
				}
				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
			}
			put_utf8(&b, cp);
			break;
		}
		default:
			json_buf_free(&b);
			p->pos--;
			return fail(p, -EINVAL, "bad escape '\\%c'", e >= 0x20 && e < 0x7F ? e : '?');
		}
	}
	if (b.failed) {
		json_buf_free(&b);
		return fail(p, -ENOMEM, "out of memory");
	}
	if (!b.data) {
		b.data = calloc(1, 1);
		if (!b.data)
			return fail(p, -ENOMEM, "out of memory");
	}
	*out = b.data;
	*outlen = b.len;
	return 0;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int parse_number(struct parser *p, struct json_value *v)
{
	/* Check the JSON grammar first; strtod accepts much more (hex, inf,
	 * leading '+', "1."). */
	size_t start = p->pos;
	bool integral = true;
	if (p->pos < p->len && p->s[p->pos] == '-')
		p->pos++;
	if (p->pos >= p->len || !is_digit(p->s[p->pos]))
		return fail(p, -EINVAL, "bad number");
	if (p->s[p->pos] == '0') {
		p->pos++;
		if (p->pos < p->len && is_digit(p->s[p->pos]))
			return fail(p, -EINVAL, "leading zero in number");
	} else {
		while (p->pos < p->len && is_digit(p->s[p->pos]))
			p->pos++;
	}
	if (p->pos < p->len && p->s[p->pos] == '.') {
		integral = false;
		p->pos++;
		if (p->pos >= p->len || !is_digit(p->s[p->pos]))
			return fail(p, -EINVAL, "digit expected after '.'");
		while (p->pos < p->len && is_digit(p->s[p->pos]))
			p->pos++;
	}
	if (p->pos < p->len && (p->s[p->pos] == 'e' || p->s[p->pos] == 'E')) {
		integral = false;
		p->pos++;
		if (p->pos < p->len && (p->s[p->pos] == '+' || p->s[p->pos] == '-'))
			p->pos++;
		if (p->pos >= p->len || !is_digit(p->s[p->pos]))
			return fail(p, -EINVAL, "digit expected in exponent");
		while (p->pos < p->len && is_digit(p->s[p->pos]))
			p->pos++;
	}
	size_t n = p->pos - start;
	/* 350 digits cover every finite double written in full. */
	char tmp[352];
	if (n >= sizeof(tmp))
		return fail(p, -EINVAL, "number too long");
	memcpy(tmp, p->s + start, n);
	tmp[n] = '\0';
	errno = 0;
	double d = strtod(tmp, NULL);
	if (!isfinite(d))
		return fail(p, -EINVAL, "number out of range");
	v->type = JSON_NUMBER;
	v->number = d;
	if (integral) {
		errno = 0;
		long long ll = strtoll(tmp, NULL, 10);
		if (errno != ERANGE) {
			v->is_int = true;
			v->integer = (int64_t)ll;
		}
	}
	return 0;
}

static int parse_value(struct parser *p, struct json_value *v, int depth);

/* Append a zeroed item (and key slot for objects) to v. */
static struct json_value *add_item(struct parser *p, struct json_value *v, size_t *cap)
{
	if (v->n_items == *cap) {
		size_t ncap = *cap ? *cap * 2 : 4;
		struct json_value *ni = realloc(v->items, ncap * sizeof(*ni));
		if (!ni) {
			fail(p, -ENOMEM, "out of memory");
			return NULL;
		}
		v->items = ni;
		if (v->type == JSON_OBJECT) {
			char **nk = realloc(v->keys, ncap * sizeof(*nk));
			if (!nk) {
				fail(p, -ENOMEM, "out of memory");
				return NULL;
			}
			v->keys = nk;
		}
		*cap = ncap;
	}
	struct json_value *it = &v->items[v->n_items];
	memset(it, 0, sizeof(*it));
	if (v->type == JSON_OBJECT)
		v->keys[v->n_items] = NULL;
	v->n_items++;
	return it;
}

static int parse_array(struct parser *p, struct json_value *v, int depth)
{
	size_t cap = 0;
	v->type = JSON_ARRAY;
	p->pos++; /* [ */
	skip_ws(p);
	if (p->pos < p->len && p->s[p->pos] == ']') {
		p->pos++;
		return 0;
	}
	for (;;) {
		struct json_value *it = add_item(p, v, &cap);
		if (!it)
			return p->rc;
		if (parse_value(p, it, depth + 1) < 0)
			return p->rc;
		skip_ws(p);
		if (p->pos >= p->len)
			return fail(p, -EINVAL, "unterminated array");
		char c = p->s[p->pos++];
		if (c == ']')
			return 0;
		if (c != ',') {
			p->pos--;
			return fail(p, -EINVAL, "expected ',' or ']'");
		}
	}
}

static int parse_object(struct parser *p, struct json_value *v, int depth)
{
	size_t cap = 0;
	v->type = JSON_OBJECT;
	p->pos++; /* { */
	skip_ws(p);
	if (p->pos < p->len && p->s[p->pos] == '}') {
		p->pos++;
		return 0;
	}
	for (;;) {
		skip_ws(p);
		if (p->pos >= p->len || p->s[p->pos] != '"')
			return fail(p, -EINVAL, "expected a member name");
		struct json_value *it = add_item(p, v, &cap);
		if (!it)
			return p->rc;
		size_t keylen;
		char **key = &v->keys[v->n_items - 1];
		if (parse_string(p, key, &keylen) < 0)
			return p->rc;
		if (keylen != strlen(*key))
			return fail(p, -EINVAL, "NUL in member name");
		for (size_t i = 0; i + 1 < v->n_items; i++)
			if (strcmp(v->keys[i], *key) == 0)
				return fail(p, -EINVAL, "duplicate member \"%.64s\"", *key);
		skip_ws(p);
		if (p->pos >= p->len || p->s[p->pos] != ':')
			return fail(p, -EINVAL, "expected ':'");
		p->pos++;
		if (parse_value(p, it, depth + 1) < 0)
			return p->rc;
		skip_ws(p);
		if (p->pos >= p->len)
			return fail(p, -EINVAL, "unterminated object");
		char c = p->s[p->pos++];
		if (c == '}')
			return 0;
		if (c != ',') {
			p->pos--;
			return fail(p, -EINVAL, "expected ',' or '}'");
		}
	}
}

static int parse_value(struct parser *p, struct json_value *v, int depth)
{
	if (depth > JSON_MAX_DEPTH)
		return fail(p, -EINVAL, "nested deeper than %d", JSON_MAX_DEPTH);
	skip_ws(p);
	if (p->pos >= p->len)
		return fail(p, -EINVAL, "value expected");
	char c = p->s[p->pos];
	switch (c) {
	case '{':
		return parse_object(p, v, depth);
	case '[':
		return parse_array(p, v, depth);
	case '"':
		v->type = JSON_STRING;
		return parse_string(p, &v->string, &v->string_len);
	case 't':
	case 'f':
	case 'n':
		if (literal(p, "true")) {
			v->type = JSON_BOOL;
			v->boolean = true;
		} else if (literal(p, "false")) {
			v->type = JSON_BOOL;
		} else if (literal(p, "null")) {
			v->type = JSON_NULL;
		} else {
			return fail(p, -EINVAL, "unknown literal");
		}
		return 0;
	default:
		if (c == '-' || is_digit(c))
			return parse_number(p, v);
		return fail(p, -EINVAL, "unexpected character 0x%02x", (unsigned char)c);
	}
}

static void free_members(struct json_value *v)
{
	free(v->string);
	for (size_t i = 0; i < v->n_items; i++) {
		free_members(&v->items[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
}

void json_free(struct json_value *v)
{
	if (!v)
		return;
	free_members(v);
	free(v);
}

int json_parse(const char *text, size_t len, struct json_value **out, char *err, size_t errlen)
{
	struct parser p = {.s = text, .len = len, .err = err, .errlen = errlen};
	*out = NULL;
	if (err && errlen)
		err[0] = '\0';
	struct json_value *v = calloc(1, sizeof(*v));
	if (!v)
		return fail(&p, -ENOMEM, "out of memory");
	if (parse_value(&p, v, 0) == 0) {
		skip_ws(&p);
		if (p.pos < p.len)
			fail(&p, -EINVAL, "trailing characters after the value");
	}
	if (p.rc) {
		json_free(v);
		return p.rc;
	}
	*out = v;
	return 0;
}

const struct json_value *json_get(const struct json_value *obj, const char *key)
{
	if (!obj || obj->type != JSON_OBJECT)
		return NULL;
	for (size_t i = 0; i < obj->n_items; i++)
		if (strcmp(obj->keys[i], key) == 0)
			return &obj->items[i];
	return NULL;
}

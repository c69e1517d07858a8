/*
 * strace_args.c — values inside a strace argument list.  See strace_args.h.
 */
#include "recorded/strace_args.h"
#include "recorded/strace_lexer.h"

#include <stdlib.h>
#include <string.h>

static bool is_ident(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

struct strace_span strace_span_trim(struct strace_span a)
{
	while (a.n > 0 && (a.p[0] == ' ' || a.p[0] == '\t')) {
		a.p++;
		a.n--;
	}
	while (a.n > 0 && (a.p[a.n - 1] == ' ' || a.p[a.n - 1] == '\t'))
		a.n--;
	return a;
}

bool strace_span_eq(struct strace_span a, const char *lit)
{
	size_t l = strlen(lit);
	return a.n == l && memcmp(a.p, lit, l) == 0;
}

char *strace_span_dup(struct strace_span a)
{
	char *s = malloc(a.n + 1);
	if (!s)
		return NULL;
	memcpy(s, a.p, a.n);
	s[a.n] = '\0';
	return s;
}

size_t strace_split(struct strace_span args, struct strace_span *out, size_t max)
{
	size_t count = 0, start = 0;
	int depth = 0;
	const char *s = args.p;
	size_t n = args.n;
	if (strace_span_trim(args).n == 0)
		return 0;
	for (size_t i = 0; i <= n; i++) {
		if (i < n) {
			size_t past = strace_skip_token(s, n, i, true);
			if (past != i) {
				i = past - 1;
				continue;
			}
			char c = s[i];
			if (c == '(' || c == '[' || c == '{') {
				depth++;
				continue;
			}
			if (c == ')' || c == ']' || c == '}') {
				if (depth > 0)
					depth--;
				continue;
			}
			if (c != ',' || depth > 0)
				continue;
		}
		if (count < max) {
			struct strace_span item = {s + start, (i < n ? i : n) - start};
			out[count] = strace_span_trim(item);
		}
		count++;
		start = i + 1;
	}
	return count;
}

bool strace_arg_int(struct strace_span a, int64_t *v)
{
	a = strace_span_trim(a);
	size_t i = 0;
	bool neg = false;
	uint64_t x = 0;
	if (a.n >= 8 && memcmp(a.p, "AT_FDCWD", 8) == 0) {
		*v = -100;
		return true;
	}
	if (a.n >= 4 && memcmp(a.p, "NULL", 4) == 0) {
		*v = 0;
		return true;
	}
	if (i < a.n && a.p[i] == '-') {
		neg = true;
		i++;
	}
	if (i >= a.n || a.p[i] < '0' || a.p[i] > '9')
		return false;
	if (a.p[i] == '0' && i + 1 < a.n && (a.p[i + 1] == 'x' || a.p[i + 1] == 'X')) {
		i += 2;
		for (; i < a.n; i++) {
			char c = a.p[i];
			int d = (c >= '0' && c <= '9') ? c - '0'
				: (c >= 'a' && c <= 'f') ? c - 'a' + 10
				: (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
			if (d < 0)
				break;
			x = (x << 4) | (uint64_t)d;
		}
	} else if (a.p[i] == '0') {
		for (; i < a.n && a.p[i] >= '0' && a.p[i] <= '7'; i++)
			x = (x << 3) | (uint64_t)(a.p[i] - '0');
	} else {
		for (; i < a.n && a.p[i] >= '0' && a.p[i] <= '9'; i++)
			if (x < UINT64_MAX / 10)
				x = x * 10 + (uint64_t)(a.p[i] - '0');
	}
	*v = neg ? -(int64_t)(x & INT64_MAX) : (int64_t)x;
	return true;
}

bool strace_arg_annot(struct strace_span a, struct strace_span *annot)
{
	a = strace_span_trim(a);
	/* some strace versions print a deleted file "3</memfd:x>(deleted)" */
	static const char deleted[] = "(deleted)";
	size_t dl = sizeof(deleted) - 1;
	if (a.n > dl && memcmp(a.p + a.n - dl, deleted, dl) == 0)
		a.n -= dl;
	size_t i = 0;
	while (i < a.n && (is_ident(a.p[i]) || a.p[i] == '-'))
		i++;
	if (i == 0 || i >= a.n || a.p[i] != '<' || a.p[a.n - 1] != '>')
		return false;
	annot->p = a.p + i + 1;
	annot->n = a.n - i - 2;
	return true;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode escapes of s[0..n) into out (capacity >= n + 1). */
static size_t unescape_into(const char *s, size_t n, char *out)
{
	size_t w = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c != '\\' || i + 1 >= n) {
			out[w++] = c;
			continue;
		}
		c = s[++i];
		switch (c) {
		case 'n': out[w++] = '\n'; break;
		case 't': out[w++] = '\t'; break;
		case 'r': out[w++] = '\r'; break;
		case 'v': out[w++] = '\v'; break;
		case 'f': out[w++] = '\f'; break;
		case 'a': out[w++] = '\a'; break;
		case 'b': out[w++] = '\b'; break;
		case 'e': out[w++] = '\033'; break;
		case 'x': {
			int v = 0, k = 0;
			while (k < 2 && i + 1 < n && hexval(s[i + 1]) >= 0) {
				v = v * 16 + hexval(s[++i]);
				k++;
			}
			out[w++] = k ? (char)v : 'x';
			break;
		}
		default:
			if (c >= '0' && c <= '7') {
				int v = c - '0', k = 1;
				while (k < 3 && i + 1 < n && s[i + 1] >= '0' && s[i + 1] <= '7') {
					v = v * 8 + (s[++i] - '0');
					k++;
				}
				out[w++] = (char)(v & 0xff);
			} else {
				out[w++] = c; /* \" \\ \' and anything unknown: the char itself */
			}
		}
	}
	out[w] = '\0';
	return w;
}

char *strace_unescape(const char *p, size_t n, size_t *len)
{
	char *out = malloc(n + 1);
	if (!out)
		return NULL;
	size_t w = unescape_into(p, n, out);
	if (len)
		*len = w;
	return out;
}

char *strace_unquote(struct strace_span a, size_t *len, bool *truncated)
{
	a = strace_span_trim(a);
	if (truncated)
		*truncated = false;
	if (a.n < 2 || a.p[0] != '"')
		return NULL;
	size_t i = 1;
	for (; i < a.n; i++) {
		if (a.p[i] == '\\')
			i++;
		else if (a.p[i] == '"')
			break;
	}
	if (i >= a.n)
		return NULL; /* unterminated */
	if (truncated && a.n - i - 1 >= 3 && memcmp(a.p + i + 1, "...", 3) == 0)
		*truncated = true;
	return strace_unescape(a.p + 1, i - 1, len);
}

/* One word of a flag set: a number (its value: -X verbose's comment after
 * it only repeats it by name), else a name from the table. */
static int64_t flag_word(struct strace_span w, const struct strace_flag *table)
{
	int64_t num;
	w = strace_span_trim(w);
	if (strace_arg_int(w, &num))
		return num;
	for (const struct strace_flag *f = table; f && f->name; f++)
		if (strace_span_eq(w, f->name))
			return f->value;
	return 0;
}

int64_t strace_flags(struct strace_span a, const struct strace_flag *table)
{
	a = strace_span_trim(a);
	int64_t v = 0;
	size_t start = 0;
	/* A '|' inside a -X verbose comment (0x3 followed by the comment
	 * "PROT_READ|PROT_WRITE") separates nothing: comments are skipped
	 * whole, strings too. */
	for (size_t i = 0; i <= a.n; i++) {
		if (i < a.n) {
			size_t past = strace_skip_token(a.p, a.n, i, false);
			if (past != i) {
				i = past - 1;
				continue;
			}
			if (a.p[i] != '|')
				continue;
		}
		v |= flag_word((struct strace_span){a.p + start, i - start}, table);
		start = i + 1;
	}
	return v;
}

bool strace_has_word(struct strace_span a, const char *word)
{
	size_t l = strlen(word);
	if (l == 0 || a.n < l)
		return false;
	for (size_t i = 0; i + l <= a.n; i++) {
		if (memcmp(a.p + i, word, l) != 0)
			continue;
		bool left = i == 0 || !is_ident(a.p[i - 1]);
		bool right = i + l == a.n || !is_ident(a.p[i + l]);
		if (left && right)
			return true;
	}
	return false;
}

bool strace_field(struct strace_span a, const char *key, struct strace_span *val)
{
	size_t l = strlen(key);
	bool instr = false;
	for (size_t i = 0; i + l + 1 <= a.n; i++) {
		char c = a.p[i];
		if (instr) {
			if (c == '\\')
				i++;
			else if (c == '"')
				instr = false;
			continue;
		}
		if (c == '"') {
			instr = true;
			continue;
		}
		if (memcmp(a.p + i, key, l) != 0 || a.p[i + l] != '=')
			continue;
		if (i > 0 && is_ident(a.p[i - 1]))
			continue;
		/* The value runs to the next top-level ',' or the closing brace. */
		size_t start = i + l + 1, j = start;
		int depth = 0;
		bool vstr = false;
		for (; j < a.n; j++) {
			char d = a.p[j];
			if (vstr) {
				if (d == '\\')
					j++;
				else if (d == '"')
					vstr = false;
				continue;
			}
			if (d == '"')
				vstr = true;
			else if (d == '(' || d == '[' || d == '{')
				depth++;
			else if ((d == ')' || d == ']' || d == '}') && depth-- == 0)
				break;
			else if (d == ',' && depth == 0)
				break;
		}
		if (j > a.n)
			j = a.n;
		*val = strace_span_trim((struct strace_span){a.p + start, j - start});
		return true;
	}
	return false;
}

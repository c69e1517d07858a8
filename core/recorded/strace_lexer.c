/*
 * strace_lexer.c — strace line -> call record.  See strace_lexer.h.
 */
#include "recorded/strace_lexer.h"

#include <string.h>

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_ident(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '_';
}

static bool starts_with(const char *s, size_t n, const char *lit)
{
	size_t l = strlen(lit);
	return n >= l && memcmp(s, lit, l) == 0;
}

static bool ends_with(const char *s, size_t n, const char *lit)
{
	size_t l = strlen(lit);
	return n >= l && memcmp(s + n - l, lit, l) == 0;
}

/* Digits at s[*i]; returns false when there are none.  Saturates instead of
 * overflowing on hostile input. */
static bool lex_uint(const char *s, size_t n, size_t *i, uint64_t *out)
{
	size_t start = *i;
	uint64_t v = 0;
	while (*i < n && is_digit(s[*i])) {
		if (v < UINT64_MAX / 10)
			v = v * 10 + (uint64_t)(s[*i] - '0');
		(*i)++;
	}
	*out = v;
	return *i > start;
}

/* ".uuuuuu" fraction (any number of digits). */
static double lex_fraction(const char *s, size_t n, size_t *i)
{
	double f = 0, scale = 0.1;
	if (*i < n && s[*i] == '.') {
		(*i)++;
		while (*i < n && is_digit(s[*i])) {
			f += (s[*i] - '0') * scale;
			scale /= 10;
			(*i)++;
		}
	}
	return f;
}

/* -Y / --decode-pids=comm: "<comm>" right after a pid ("100<sh> ",
 * "[pid 100<sh>]").  A comm is at most 15 bytes, but strace escapes odd
 * ones, so allow some more; the next character must end the pid field. */
static size_t skip_comm(const char *s, size_t n, size_t j, char after)
{
	if (j >= n || s[j] != '<')
		return j;
	for (size_t k = j + 1; k < n && k < j + 66; k++)
		if (s[k] == '>')
			return k + 1 < n && s[k + 1] == after ? k + 1 : j;
	return j;
}

/* The pid field: "[pid  123] " (-f to stderr) or "123 " (-f -o FILE),
 * each possibly with -Y's "<comm>".  Returns where the field ends (0 when
 * there is none). */
static size_t lex_pid(const char *line, size_t len, struct strace_prefix *out)
{
	uint64_t v;
	size_t j = 0;
	char after = ' ';
	if (starts_with(line, len, "[pid ")) {
		j = 5;
		while (j < len && line[j] == ' ')
			j++;
		after = ']';
	}
	if (!lex_uint(line, len, &j, &v) || v > INT32_MAX)
		return 0;
	j = skip_comm(line, len, j, after);
	if (j >= len || line[j] != after)
		return 0;
	out->has_pid = true;
	out->pid = (int)v;
	return after == ']' ? j + 1 : j;
}

/* Timestamp at line[i]: HH:MM:SS[.frac] (-t/-tt) or SECONDS.frac
 * (-ttt, -r).  Returns where it ends, or i when there is none. */
static size_t lex_time(const char *line, size_t len, size_t i, struct strace_prefix *out)
{
	size_t j = i;
	uint64_t h, m, sec;
	if (!lex_uint(line, len, &j, &h))
		return i;
	if (j < len && line[j] == ':') {
		j++;
		if (!lex_uint(line, len, &j, &m) || j >= len || line[j] != ':')
			return i;
		j++;
		if (!lex_uint(line, len, &j, &sec))
			return i;
		double frac = lex_fraction(line, len, &j);
		if (j >= len || line[j] != ' ')
			return i;
		out->has_time = true;
		out->time = (double)(h * 3600 + m * 60 + sec) + frac;
		return j;
	}
	if (j < len && line[j] == '.') {
		double frac = lex_fraction(line, len, &j);
		if (j >= len || line[j] != ' ')
			return i;
		out->has_time = true;
		out->time = (double)h + frac;
		/* -r prints the time since the previous call; -ttt prints
		 * seconds since the epoch.  No epoch time of a log is below a
		 * million seconds (1970-01-12), and no -r gap is above it. */
		out->time_is_delta = h < 1000000;
		return j;
	}
	return i;
}

/* -n "[ 59] " (syscall number) and -i "[00007f5af1deaad7] " or
 * "[????????????????] " (instruction pointer): skipped.  A body never
 * starts with '[' followed by these characters only. */
static size_t skip_bracket_field(const char *line, size_t len, size_t i)
{
	if (i >= len || line[i] != '[')
		return i;
	for (size_t k = i + 1; k < len && k < i + 40; k++) {
		char c = line[k];
		if (c == ']')
			return k > i + 1 && k + 1 < len && line[k + 1] == ' ' ? k + 1 : i;
		if (!(is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ' ' ||
		      c == '?' || c == 'x' || c == ':'))
			return i;
	}
	return i;
}

static size_t skip_spaces(const char *line, size_t len, size_t i)
{
	while (i < len && line[i] == ' ')
		i++;
	return i;
}

void strace_lex_prefix(const char *line, size_t len, struct strace_prefix *out)
{
	memset(out, 0, sizeof(*out));
	/* -r without -f pads the time with leading spaces */
	size_t i = skip_spaces(line, len, lex_pid(line, len, out));
	i = skip_spaces(line, len, lex_time(line, len, i, out));
	for (int k = 0; k < 2; k++) /* -n, then -i (either or both) */
		i = skip_spaces(line, len, skip_bracket_field(line, len, i));
	out->body_off = i;
}

/* "<...>" starting at s[i] == '<': offset just past its '>' (or len). */
static size_t skip_annotation(const char *s, size_t len, size_t i)
{
	int annot = 0, abr = 0;
	bool instr = false;
	for (; i < len; i++) {
		char c = s[i];
		if (instr) {
			if (c == '\\')
				i++;
			else if (c == '"')
				instr = false;
			continue;
		}
		if (c == '\\')
			i++;
		else if (c == '"')
			instr = true;
		else if (c == '[')
			abr++;
		else if (c == ']' && abr > 0)
			abr--;
		else if (c == '<')
			annot++;
		else if (c == '>' && abr == 0 && --annot == 0)
			return i + 1;
	}
	return len;
}

size_t strace_skip_token_at(const char *s, size_t len, size_t i, bool use_annot)
{
	if (s[i] == '"') {
		for (i++; i < len; i++) {
			if (s[i] == '\\')
				i++;
			else if (s[i] == '"')
				return i + 1;
		}
		return len;
	}
	if (s[i] == '/' && i + 1 < len && s[i + 1] == '*') {
		for (i += 2; i + 1 < len; i++)
			if (s[i] == '*' && s[i + 1] == '/')
				return i + 2;
		return len;
	}
	if (use_annot && s[i] == '<')
		return skip_annotation(s, len, i);
	return i;
}

/*
 * The one scanner every bracket search uses.  Strings ("..." with \-escapes)
 * and comments are opaque (strace_skip_token); "<...>" annotations (-y) are opaque too and may nest
 * ("</dev/pts/0<char 136:0>>") and contain "->" inside their [...] part
 * ("<TCP:[1.2.3.4:5->6.7.8.9:10]>").  use_annot = false treats '<' and '>'
 * as plain characters, for the rare decoded value that holds a lone '<'.
 */
static size_t scan_close(const char *s, size_t len, size_t from, char closer, bool use_annot)
{
	int depth = 0;
	for (size_t i = from; i < len; i++) {
		size_t past = strace_skip_token(s, len, i, use_annot);
		if (past != i) {
			i = past - 1;
			continue;
		}
		char c = s[i];
		if (c == '(' || c == '[' || c == '{') {
			depth++;
		} else if (c == ')' || c == ']' || c == '}') {
			if (depth == 0 && c == closer)
				return i;
			if (depth > 0)
				depth--;
		}
	}
	return len;
}

size_t strace_match_paren(const char *s, size_t len, size_t open_off)
{
	size_t end = scan_close(s, len, open_off + 1, ')', true);
	if (end == len)
		end = scan_close(s, len, open_off + 1, ')', false);
	return end;
}


static int lex_result(const char *s, size_t n, size_t i, struct strace_rec *out, const char **why)
{
	while (i < n && s[i] == ' ')
		i++;
	if (i >= n || s[i] != '=') {
		*why = "no '=' after the call";
		return -1;
	}
	i++;
	while (i < n && s[i] == ' ')
		i++;
	if (i < n && s[i] == '?') {
		out->has_ret = false;
		i++;
	} else {
		bool neg = false;
		if (i < n && s[i] == '-') {
			neg = true;
			i++;
		}
		uint64_t v = 0;
		size_t start = i;
		if (i + 1 < n && s[i] == '0' && s[i + 1] == 'x') {
			i += 2;
			start = i;
			while (i < n) {
				char c = s[i];
				int d = is_digit(c) ? c - '0'
					: (c >= 'a' && c <= 'f') ? c - 'a' + 10
					: (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
				if (d < 0)
					break;
				v = (v << 4) | (uint64_t)d;
				i++;
			}
		} else {
			lex_uint(s, n, &i, &v);
		}
		if (i == start) {
			*why = "unreadable return value";
			return -1;
		}
		out->has_ret = true;
		out->ret = neg ? -(int64_t)(v & INT64_MAX) : (int64_t)v;
		if (i < n && s[i] == '<') {
			size_t end = skip_annotation(s, n, i);
			if (end > i + 1) {
				out->ret_annot.p = s + i + 1;
				out->ret_annot.n = end - i - 2;
			}
			i = end;
		}
	}
	while (i < n && s[i] == ' ')
		i++;
	/* ERRNO name: E... or ERESTART...; strace prints it before "(text)". */
	if (i < n && s[i] == 'E') {
		size_t start = i;
		while (i < n && is_ident(s[i]))
			i++;
		out->errname.p = s + start;
		out->errname.n = i - start;
	}
	return 0;
}

static int lex_call(const char *s, size_t n, struct strace_rec *out, const char **why)
{
	size_t i = 0;
	while (i < n && is_ident(s[i]))
		i++;
	if (i == 0 || i >= n || s[i] != '(') {
		*why = "not a syscall line";
		return -1;
	}
	out->name.p = s;
	out->name.n = i;
	size_t close = strace_match_paren(s, n, i);
	if (close >= n) {
		*why = "unbalanced parentheses or unterminated string";
		return -1;
	}
	out->args.p = s + i + 1;
	out->args.n = close - i - 1;
	return lex_result(s, n, close + 1, out, why);
}

int strace_lex_body(const char *s, size_t n, struct strace_rec *out, const char **why)
{
	memset(out, 0, sizeof(*out));
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\r'))
		n--;
	*why = NULL;
	if (n == 0) {
		*why = "empty line";
		return -1;
	}
	if (starts_with(s, n, "--- ")) {
		size_t i = 4;
		size_t start = i;
		while (i < n && is_ident(s[i]))
			i++;
		if (!starts_with(s + start, n - start, "SIG")) {
			out->kind = STRACE_REC_NOTE; /* "--- stopped by SIGSTOP ---" */
			return 0;
		}
		out->kind = STRACE_REC_SIGNAL;
		out->name.p = s + start;
		out->name.n = i - start;
		while (i < n && s[i] == ' ')
			i++;
		size_t end = n;
		if (ends_with(s, n, "---"))
			end = n - 3;
		while (end > i && s[end - 1] == ' ')
			end--;
		out->args.p = s + i;
		out->args.n = end > i ? end - i : 0;
		return 0;
	}
	if (starts_with(s, n, "+++ ")) {
		if (starts_with(s, n, "+++ exited with ")) {
			size_t i = 16;
			bool neg = i < n && s[i] == '-';
			if (neg)
				i++;
			uint64_t v;
			if (!lex_uint(s, n, &i, &v)) {
				*why = "unreadable exit status";
				return -1;
			}
			out->kind = STRACE_REC_EXITED;
			out->exit_code = (int)(v & 0x7fffffff) * (neg ? -1 : 1);
			return 0;
		}
		if (starts_with(s, n, "+++ killed by ")) {
			size_t i = 14, start = i;
			while (i < n && is_ident(s[i]))
				i++;
			if (i == start) {
				*why = "unreadable killing signal";
				return -1;
			}
			out->kind = STRACE_REC_KILLED;
			out->name.p = s + start;
			out->name.n = i - start;
			out->core_dumped = memmem(s + i, n - i, "core dumped", 11) != NULL;
			return 0;
		}
		out->kind = STRACE_REC_NOTE; /* "+++ superseded by execve in pid N +++" */
		return 0;
	}
	if (starts_with(s, n, "<... ")) {
		size_t i = 5, start = i;
		while (i < n && is_ident(s[i]))
			i++;
		if (i == start || !starts_with(s + i, n - i, " resumed>")) {
			*why = "malformed '<... resumed>'";
			return -1;
		}
		out->kind = STRACE_REC_RESUMED;
		out->name.p = s + start;
		out->name.n = i - start;
		out->tail.p = s + i + 9;
		out->tail.n = n - i - 9;
		return 0;
	}
	if (starts_with(s, n, "strace: ") || starts_with(s, n, "[ Process PID=") ||
	    starts_with(s, n, "<detached ...>")) {
		out->kind = STRACE_REC_NOTE;
		return 0;
	}
	bool detached = ends_with(s, n, "<detached ...>");
	if (detached || ends_with(s, n, "<unfinished ...>")) {
		size_t i = 0;
		while (i < n && is_ident(s[i]))
			i++;
		if (i == 0 || i >= n || s[i] != '(') {
			*why = "not a syscall line";
			return -1;
		}
		out->kind = STRACE_REC_UNFINISHED;
		out->name.p = s;
		out->name.n = i;
		/* strace wrote the arguments so far, then " <unfinished ...>":
		 * drop exactly that one space so head + tail is the whole call. */
		size_t end = n - strlen(detached ? "<detached ...>" : "<unfinished ...>");
		out->detached = detached;
		if (end > 0 && s[end - 1] == ' ')
			end--;
		out->head.p = s;
		out->head.n = end;
		return 0;
	}
	out->kind = STRACE_REC_CALL;
	return lex_call(s, n, out, why);
}

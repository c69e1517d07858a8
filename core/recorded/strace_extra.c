/*
 * strace_extra.c — recognise strace's own non-call output.  See
 * strace_extra.h.
 */
#include "recorded/strace_extra.h"

#include <string.h>

static bool starts(const char *s, size_t n, const char *lit)
{
	size_t l = strlen(lit);
	return n >= l && !memcmp(s, lit, l);
}

static bool digit(char c)
{
	return c >= '0' && c <= '9';
}

static size_t skip_spaces(const char *s, size_t n, size_t i)
{
	while (i < n && s[i] == ' ')
		i++;
	return i;
}

/* digits, and with dot also ".digits"; false when none */
static bool number(const char *s, size_t n, size_t *i, bool dot)
{
	size_t st = *i;
	while (*i < n && digit(s[*i]))
		(*i)++;
	if (*i == st)
		return false;
	if (!dot)
		return true;
	if (*i >= n || s[*i] != '.')
		return false;
	(*i)++;
	size_t fr = *i;
	while (*i < n && digit(s[*i]))
		(*i)++;
	return *i > fr;
}

/* "  12.50    0.000123          11        11         2 openat" (the
 * errors column may be empty; the last row names "total") */
static bool summary_row(const char *s, size_t n)
{
	size_t i = skip_spaces(s, n, 0);
	if (!number(s, n, &i, true) || i >= n || s[i] != ' ')
		return false;
	i = skip_spaces(s, n, i);
	if (!number(s, n, &i, true) || i >= n || s[i] != ' ')
		return false;
	int ints = 0;
	for (;;) {
		i = skip_spaces(s, n, i);
		size_t st = i;
		if (!number(s, n, &i, false))
			break;
		if (i < n && s[i] != ' ') {
			i = st; /* a name starting with a digit: not a count */
			break;
		}
		ints++;
	}
	if (ints < 1 || ints > 3 || i >= n)
		return false;
	while (i < n && ((s[i] >= 'a' && s[i] <= 'z') || digit(s[i]) || s[i] == '_'))
		i++;
	return skip_spaces(s, n, i) == n;
}

enum strace_extra strace_extra_kind(const char *s, size_t n)
{
	if (n < 3)
		return STRACE_EXTRA_NONE;
	switch (s[0]) {
	case ' ':
		if (starts(s, n, " > "))
			return STRACE_EXTRA_STACK;
		if (starts(s, n, " | ") && n > 8 && digit(s[3]))
			return STRACE_EXTRA_HEXDUMP;
		break;
	case '%':
		if (starts(s, n, "% time"))
			return STRACE_EXTRA_SUMMARY;
		return STRACE_EXTRA_NONE;
	case '-':
		if (starts(s, n, "------ ---"))
			return STRACE_EXTRA_SUMMARY;
		return STRACE_EXTRA_NONE;
	case 'S':
		if (starts(s, n, "System call usage summary"))
			return STRACE_EXTRA_SUMMARY;
		return STRACE_EXTRA_NONE;
	default:
		if (!digit(s[0]))
			return STRACE_EXTRA_NONE;
	}
	return summary_row(s, n) ? STRACE_EXTRA_SUMMARY : STRACE_EXTRA_NONE;
}

/* After "Process N": the rest of a note, exactly. */
static bool note_rest(const char *t, size_t tl)
{
	static const char *const whole[] = {
		" attached", " detached", " suspended", " attached (waiting for parent)",
		" attached - interrupt to quit",
	};
	for (size_t i = 0; i < sizeof(whole) / sizeof(whole[0]); i++)
		if (tl == strlen(whole[i]) && !memcmp(t, whole[i], tl))
			return true;
	/* " resumed (parent 11 ready)" */
	static const char head[] = " resumed (parent ";
	if (tl <= sizeof(head) - 1 || memcmp(t, head, sizeof(head) - 1))
		return false;
	size_t i = sizeof(head) - 1;
	if (!number(t, tl, &i, false))
		return false;
	return tl - i == 7 && !memcmp(t + i, " ready)", 7);
}

bool strace_ends_with_process_note(const char *line, size_t len, size_t *cut)
{
	static const char marker[] = "Process ";
	const size_t ml = sizeof(marker) - 1;
	/* every line passes here: look at its end before searching it */
	static const char *const ends[] = {"attached", "detached", "suspended", "to quit",
					   "for parent)", " ready)"};
	bool maybe = false;
	for (size_t k = 0; k < sizeof(ends) / sizeof(ends[0]) && !maybe; k++) {
		size_t el = strlen(ends[k]);
		maybe = len >= el && !memcmp(line + len - el, ends[k], el);
	}
	if (!maybe)
		return false;
	/* the last "Process " of the line: a note is never followed by another */
	const char *hit = NULL;
	for (const char *p = line; (size_t)(p - line) < len &&
	     (p = memmem(p, len - (size_t)(p - line), marker, ml));
	     p++)
		hit = p;
	if (!hit)
		return false;
	size_t i = (size_t)(hit - line) + ml;
	if (!number(line, len, &i, false) || !note_rest(line + i, len - i))
		return false;
	size_t at = (size_t)(hit - line);
	if (at >= 8 && !memcmp(line + at - 8, "strace: ", 8))
		at -= 8;
	*cut = at;
	return true;
}

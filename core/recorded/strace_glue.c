/*
 * strace_glue.c — find a strace line behind program output glued in front
 * of it.  See strace_glue.h.
 */
#include "recorded/strace_glue.h"

#include <string.h>

#include "recorded/strace_lexer.h"

#define CANDIDATES_MAX 32  /* '(' and markers tried per line */
#define PREFIX_BACK 48     /* longest "[pid 4194304] 12:00:00.123456 " in front of a body */

static bool is_ident(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* A body at s[k..] that lexes as strace's own and, when it is a call,
 * names a syscall strace knows. */
static bool body_at(const char *s, size_t len, size_t k)
{
	struct strace_rec rec;
	const char *why;
	if (strace_lex_body(s + k, len - k, &rec, &why) < 0)
		return false;
	switch (rec.kind) {
	case STRACE_REC_CALL:
	case STRACE_REC_UNFINISHED:
		return strace_known_syscall(rec.name.p, rec.name.n);
	case STRACE_REC_RESUMED:
	case STRACE_REC_SIGNAL:
	case STRACE_REC_EXITED:
	case STRACE_REC_KILLED:
		return true;
	default:
		return false;
	}
}

/* A body starts at k: take in the "[pid N] " and timestamp before it. */
static size_t with_prefix(const char *s, size_t len, size_t k)
{
	size_t lo = k > PREFIX_BACK ? k - PREFIX_BACK : 0;
	for (size_t j = lo; j < k; j++) {
		struct strace_prefix pfx;
		strace_lex_prefix(s + j, len - j, &pfx);
		if ((pfx.has_pid || pfx.has_time) && pfx.body_off == k - j)
			return j;
	}
	return k;
}

bool strace_find_glued(const char *s, size_t len, size_t *at)
{
	size_t best = 0;
	unsigned tried = 0;
	static const char *const markers[] = {"[pid ", "<... ", "--- SIG", "+++ exited with ",
					      "+++ killed by "};
	for (size_t m = 0; m < sizeof(markers) / sizeof(markers[0]); m++) {
		size_t ml = strlen(markers[m]);
		for (const char *p = s + 1; tried < CANDIDATES_MAX && (size_t)(p - s) < len &&
		     (p = memmem(p, len - (size_t)(p - s), markers[m], ml));
		     p++) {
			size_t k = (size_t)(p - s);
			if (best && k >= best)
				break;
			tried++;
			if (m == 0) {
				struct strace_prefix pfx;
				strace_lex_prefix(s + k, len - k, &pfx);
				if (pfx.has_pid && body_at(s, len, k + pfx.body_off)) {
					best = k;
					break;
				}
			} else if (body_at(s, len, k)) {
				best = with_prefix(s, len, k);
				break;
			}
		}
	}
	/* "outputexecve(": the longest known name ending at a '(' */
	tried = 0;
	for (const char *p = s; tried < CANDIDATES_MAX && (size_t)(p - s) < len &&
	     (p = memchr(p, '(', len - (size_t)(p - s)));
	     p++) {
		size_t paren = (size_t)(p - s);
		if (best && paren >= best)
			break;
		tried++;
		size_t st = paren;
		while (st > 0 && is_ident(s[st - 1]))
			st--;
		for (size_t k = st; k < paren; k++) {
			if (!strace_known_syscall(s + k, paren - k))
				continue;
			if (k == 0 || !body_at(s, len, k))
				break; /* the longest known name is the one strace wrote */
			size_t j = with_prefix(s, len, k);
			if (j > 0 && (!best || j < best))
				best = j;
			break;
		}
		if (best)
			break;
	}
	*at = best;
	return best > 0;
}

const char *strace_find_result(const char *s, size_t len)
{
	const char *found = NULL;
	for (const char *p = s; (size_t)(p - s) < len && (p = memchr(p, ')', len - (size_t)(p - s)));
	     p++) {
		size_t i = (size_t)(p - s) + 1;
		if (i >= len || s[i] != ' ')
			continue;
		while (i < len && s[i] == ' ')
			i++;
		if (i + 1 < len && s[i] == '=' && s[i + 1] == ' ')
			found = p;
	}
	return found;
}

bool strace_has_call_tail(const char *s, size_t len)
{
	if (strace_find_result(s, len))
		return true;
	static const char *const tails[] = {"<unfinished ...>", " resumed>", "<detached ...>"};
	for (size_t i = 0; i < sizeof(tails) / sizeof(tails[0]); i++)
		if (memmem(s, len, tails[i], strlen(tails[i])))
			return true;
	return false;
}

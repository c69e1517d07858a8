/*
 * config_values.c — parsers for the textual values of a configuration:
 * durations, sizes, booleans, and shell-like command splitting.
 *
 * All of them see untrusted text: they accept exactly the documented forms
 * (surrounding blanks allowed), reject everything else with -EINVAL, and
 * never overflow.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config/config_internal.h"

/* Copy of text without leading/trailing blanks, or NULL (ENOMEM). */
static char *trimmed_copy(const char *text)
{
	while (isspace((unsigned char)*text))
		text++;
	size_t len = strlen(text);
	while (len > 0 && isspace((unsigned char)text[len - 1]))
		len--;
	return strndup(text, len);
}

/* A non-negative decimal number ("12", "1.5") at the start of s: the
 * value in *out and the rest in *end.  No signs, exponents, hex, inf/nan:
 * strtod alone accepts all of those. */
static int parse_plain_number(const char *s, double *out, const char **end)
{
	const char *p = s;
	size_t digits = 0;
	while (isdigit((unsigned char)*p)) {
		p++;
		digits++;
	}
	if (*p == '.') {
		p++;
		while (isdigit((unsigned char)*p)) {
			p++;
			digits++;
		}
	}
	if (digits == 0)
		return -EINVAL;
	char *stop;
	errno = 0;
	double v = strtod(s, &stop);
	if (stop != p || errno == ERANGE || !isfinite(v))
		return -EINVAL;
	*out = v;
	*end = p;
	return 0;
}

int cfg_parse_duration(const char *text, double *seconds)
{
	if (!text || !seconds)
		return -EINVAL;
	char *t = trimmed_copy(text);
	if (!t)
		return -ENOMEM;
	double v;
	const char *unit;
	int rc = parse_plain_number(t, &v, &unit);
	if (rc == 0) {
		double scale;
		if (*unit == '\0' || strcmp(unit, "s") == 0)
			scale = 1;
		else if (strcmp(unit, "ms") == 0)
			scale = 0.001;
		else if (strcmp(unit, "m") == 0)
			scale = 60;
		else if (strcmp(unit, "h") == 0)
			scale = 3600;
		else
			rc = -EINVAL;
		if (rc == 0 && !isfinite(v * scale))
			rc = -EINVAL;
		if (rc == 0)
			*seconds = v * scale;
	}
	free(t);
	return rc;
}

int cfg_parse_size(const char *text, long long *bytes)
{
	if (!text || !bytes)
		return -EINVAL;
	char *t = trimmed_copy(text);
	if (!t)
		return -ENOMEM;
	int rc = -EINVAL;
	const char *p = t;
	unsigned long long v = 0;
	if (!isdigit((unsigned char)*p))
		goto out;
	for (; isdigit((unsigned char)*p); p++) {
		unsigned d = (unsigned)(*p - '0');
		if (v > (ULLONG_MAX - d) / 10)
			goto out;
		v = v * 10 + d;
	}
	unsigned shift = 0;
	switch (toupper((unsigned char)*p)) {
	case '\0': case 'B': break;
	case 'K': shift = 10; p++; break;
	case 'M': shift = 20; p++; break;
	case 'G': shift = 30; p++; break;
	case 'T': shift = 40; p++; break;
	default: goto out;
	}
	/* "64M", "64MB", "64MiB" and "1024B" all mean what a person expects. */
	if (shift && (*p == 'i' || *p == 'I'))
		p++;
	if (*p == 'B' || *p == 'b')
		p++;
	if (*p != '\0')
		goto out;
	if (v > ((unsigned long long)LLONG_MAX >> shift))
		goto out;
	*bytes = (long long)(v << shift);
	rc = 0;
out:
	free(t);
	return rc;
}

int cfg_parse_bool(const char *text, bool *out)
{
	static const char *const yes[] = {"true", "yes", "on", "1"};
	static const char *const no[] = {"false", "no", "off", "0"};
	if (!text || !out)
		return -EINVAL;
	char *t = trimmed_copy(text);
	if (!t)
		return -ENOMEM;
	int rc = -EINVAL;
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcasecmp(t, yes[i]) == 0) {
			*out = true;
			rc = 0;
		} else if (strcasecmp(t, no[i]) == 0) {
			*out = false;
			rc = 0;
		}
	}
	free(t);
	return rc;
}

/* ---- shell-like splitting ---------------------------------------------- */

/* A growing word and a growing argv. */
struct splitter {
	char **argv;
	size_t argc;
	char *word;
	size_t word_len;
	bool in_word;
};

static int word_add(struct splitter *s, char c)
{
	char *grown = realloc(s->word, s->word_len + 2);
	if (!grown)
		return -ENOMEM;
	s->word = grown;
	s->word[s->word_len++] = c;
	s->word[s->word_len] = '\0';
	s->in_word = true;
	return 0;
}

static int word_end(struct splitter *s)
{
	if (!s->in_word)
		return 0;
	if (!s->word) {
		/* '' or "" : an empty argument. */
		s->word = strdup("");
		if (!s->word)
			return -ENOMEM;
	}
	char **grown = realloc(s->argv, (s->argc + 2) * sizeof(*grown));
	if (!grown)
		return -ENOMEM;
	s->argv = grown;
	s->argv[s->argc++] = s->word;
	s->argv[s->argc] = NULL;
	s->word = NULL;
	s->word_len = 0;
	s->in_word = false;
	return 0;
}

/*
 * POSIX shell word splitting without expansion: blanks separate words;
 * '...' keeps everything literally; "..." keeps everything except that a
 * backslash escapes $ ` " \ and newline; an unquoted backslash escapes the
 * next character (backslash-newline disappears).  Unterminated quotes and
 * a trailing lone backslash are errors.
 */
int cfg_split_command(const char *text, char ***argv)
{
	if (!text || !argv)
		return -EINVAL;
	struct splitter s = {0};
	int rc = 0;
	const char *p = text;
	*argv = NULL;
	while (rc == 0 && *p) {
		char c = *p++;
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			rc = word_end(&s);
		} else if (c == '\\') {
			if (*p == '\0')
				rc = -EINVAL;
			else if (*p == '\n')
				p++;
			else
				rc = word_add(&s, *p++);
		} else if (c == '\'') {
			s.in_word = true;
			while (rc == 0 && *p && *p != '\'')
				rc = word_add(&s, *p++);
			if (rc == 0 && *p != '\'')
				rc = -EINVAL;
			p++;
		} else if (c == '"') {
			s.in_word = true;
			while (rc == 0 && *p && *p != '"') {
				if (*p == '\\' && p[1] && strchr("$`\"\\\n", p[1])) {
					if (p[1] != '\n')
						rc = word_add(&s, p[1]);
					p += 2;
				} else {
					rc = word_add(&s, *p++);
				}
			}
			if (rc == 0 && *p != '"')
				rc = -EINVAL;
			p++;
		} else {
			rc = word_add(&s, c);
		}
	}
	if (rc == 0)
		rc = word_end(&s);
	if (rc == 0 && !s.argv) {
		s.argv = calloc(1, sizeof(*s.argv));
		if (!s.argv)
			rc = -ENOMEM;
	}
	if (rc != 0) {
		free(s.word);
		cfg_strv_free(s.argv);
		return rc;
	}
	*argv = s.argv;
	return 0;
}

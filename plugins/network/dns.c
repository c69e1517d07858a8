/*
 * dns.c — see dns.h.  Bounded: ND_MAX_PARENTS parents with
 * their distinct-name counts (by a hash of each name, ND_MAX_CHILD kept per
 * parent) and ND_MAX_NAMES names remembered for first_seen.
 */
#include "dns.h"

#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ND_MAX_PARENTS 64
#define ND_MAX_CHILD 16
#define ND_SUBDOMAINS 10
#define LONG_LABEL 40

struct parent {
	char name[128];
	uint32_t child[ND_MAX_CHILD];
	size_t n_child;
	bool reported;
};

struct nd_state {
	char *names[ND_MAX_NAMES];
	size_t n_names;
	struct parent parents[ND_MAX_PARENTS];
	size_t n_parents;
	char why[200];
};

struct nd_state *nd_new(void)
{
	return calloc(1, sizeof(struct nd_state));
}

void nd_free(struct nd_state *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n_names; i++)
		free(s->names[i]);
	free(s);
}

static uint32_t hash(const char *p)
{
	uint32_t h = 2166136261u;
	for (; *p; p++)
		h = (h ^ (uint8_t)tolower((unsigned char)*p)) * 16777619u;
	return h;
}

/* Shannon entropy of s[0..n) in bits per character. */
static double entropy(const char *s, size_t n)
{
	unsigned counts[256] = {0};
	for (size_t i = 0; i < n; i++)
		counts[(uint8_t)tolower((unsigned char)s[i])]++;
	double e = 0;
	for (size_t i = 0; i < 256; i++)
		if (counts[i]) {
			double p = (double)counts[i] / (double)n;
			e -= p * log2(p);
		}
	return e;
}

/* A label that looks like encoded data: long, and either over the hex
 * alphabet with digits mixed in, or near the entropy of random text. */
static bool data_label(const char *l, size_t n, char *why, size_t whylen)
{
	if (n > LONG_LABEL) {
		snprintf(why, whylen, "a %zu-character label", n);
		return true;
	}
	if (n < 16)
		return false;
	size_t digits = 0, hex = 0;
	for (size_t i = 0; i < n; i++) {
		digits += isdigit((unsigned char)l[i]) != 0;
		hex += isxdigit((unsigned char)l[i]) != 0;
	}
	double e = entropy(l, n);
	if ((hex == n && digits >= n / 4) || (e >= 3.5 && digits > 0)) {
		snprintf(why, whylen, "a label of encoded-looking data (%zu characters, %.1f bits/char)", n, e);
		return true;
	}
	return false;
}

void nd_judge(struct nd_state *s, const char *name, struct nd_verdict *v)
{
	memset(v, 0, sizeof *v);
	if (!s || !name || !*name)
		return;
	v->first_seen = true;
	for (size_t i = 0; i < s->n_names; i++)
		if (strcasecmp(s->names[i], name) == 0)
			v->first_seen = false;
	if (v->first_seen && s->n_names < ND_MAX_NAMES) {
		char *d = strdup(name);
		if (d)
			s->names[s->n_names++] = d;
	} else if (v->first_seen) {
		v->first_seen = false; /* past the cap: not reported one by one */
	}

	/* each label but the last two (the parent) */
	const char *dot1 = strrchr(name, '.');
	const char *parent = name;
	if (dot1) {
		const char *p = dot1;
		while (p > name && p[-1] != '.')
			p--;
		parent = p > name ? p : name;
	}
	for (const char *l = name; l < parent;) {
		size_t n = strcspn(l, ".");
		if (data_label(l, n, s->why, sizeof s->why)) {
			v->tunnel = true;
			v->why = s->why;
			return;
		}
		l += n + 1;
	}
	if (parent == name)
		return;
	struct parent *pa = NULL;
	for (size_t i = 0; i < s->n_parents && !pa; i++)
		if (strcasecmp(s->parents[i].name, parent) == 0)
			pa = &s->parents[i];
	if (!pa && s->n_parents < ND_MAX_PARENTS) {
		pa = &s->parents[s->n_parents++];
		snprintf(pa->name, sizeof pa->name, "%s", parent);
	}
	if (!pa || pa->reported)
		return;
	uint32_t h = hash(name);
	for (size_t i = 0; i < pa->n_child; i++)
		if (pa->child[i] == h)
			return;
	if (pa->n_child < ND_MAX_CHILD)
		pa->child[pa->n_child++] = h;
	if (pa->n_child > ND_SUBDOMAINS) {
		pa->reported = true;
		v->tunnel = true;
		snprintf(s->why, sizeof s->why, "more than %d distinct names under %s", ND_SUBDOMAINS,
			 pa->name);
		v->why = s->why;
	}
}

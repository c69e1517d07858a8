/*
 * rules_arena.c — one allocation pool for a compiled rule set.
 *
 * The compiler makes many small strings and arrays (list items, operands,
 * template parts) that all live exactly as long as the rule set; a pool
 * frees them together and keeps error paths free of per-object cleanup.
 * Only init() allocates from it; the per-event path never does.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"

struct rule_arena {
	struct rule_arena *next;
	size_t used, cap;
	max_align_t data[];
};

#define ARENA_CHUNK (64u << 10)

void *rarena_alloc(struct ruleset *rs, size_t n)
{
	n = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
	struct rule_arena *a = rs->arena;
	if (!a || a->cap - a->used < n) {
		size_t cap = n > ARENA_CHUNK ? n : ARENA_CHUNK;
		struct rule_arena *c = malloc(sizeof(*c) + cap);
		if (!c)
			return NULL;
		c->next = a;
		c->used = 0;
		c->cap = cap;
		rs->arena = a = c;
	}
	void *p = (char *)a->data + a->used;
	a->used += n;
	memset(p, 0, n);
	return p;
}

char *rarena_strndup(struct ruleset *rs, const char *s, size_t n)
{
	char *p = rarena_alloc(rs, n + 1);
	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

char *rarena_strdup(struct ruleset *rs, const char *s)
{
	return rarena_strndup(rs, s, strlen(s));
}

void ruleset_init(struct ruleset *rs, const char *category)
{
	memset(rs, 0, sizeof(*rs));
	rs->category = category;
}

void ruleset_free(struct ruleset *rs)
{
	for (size_t i = 0; i < rs->n_rules; i++)
		free(rs->rules[i].partials);
	for (size_t i = 0; i < rs->prog.n_operands; i++)
		da_endpoint_list_free(rs->prog.operands[i].endpoints);
	free(rs->prog.insns);
	free(rs->prog.operands);
	free(rs->rules);
	free(rs->lists);
	free(rs->macros);
	struct rule_arena *a = rs->arena;
	while (a) {
		struct rule_arena *n = a->next;
		free(a);
		a = n;
	}
	memset(rs, 0, sizeof(*rs));
}

/*
 * strset.c — see dynaudit/strset.h.  Linear probing from the key's
 * da_hash_str slot; never more than half full, so a probe always ends.
 */
#include "dynaudit/strset.h"

#include <stdlib.h>
#include <string.h>

#include "dynaudit/detector.h"

struct da_strset {
	size_t max, n, slots;
	char *key[];
};

struct da_strset *da_strset_new(size_t max)
{
	if (max == 0 || max > ((size_t)-1) / (4 * sizeof(char *)))
		return NULL;
	struct da_strset *s = calloc(1, sizeof(*s) + 2 * max * sizeof(char *));
	if (!s)
		return NULL;
	s->max = max;
	s->slots = 2 * max;
	return s;
}

void da_strset_free(struct da_strset *set)
{
	if (!set)
		return;
	for (size_t i = 0; i < set->slots; i++)
		free(set->key[i]);
	free(set);
}

/* The slot holding key, or the empty slot where it would go. */
static size_t slot_of(const struct da_strset *set, const char *key)
{
	size_t i = da_hash_str(key) % set->slots;
	while (set->key[i] && strcmp(set->key[i], key) != 0)
		i = (i + 1) % set->slots;
	return i;
}

bool da_strset_has(const struct da_strset *set, const char *key)
{
	return set->key[slot_of(set, key)] != NULL;
}

int da_strset_add(struct da_strset *set, const char *key)
{
	size_t i = slot_of(set, key);
	if (set->key[i])
		return 0;
	if (set->n >= set->max)
		return -1;
	set->key[i] = strdup(key);
	if (!set->key[i])
		return -1;
	set->n++;
	return 1;
}

size_t da_strset_len(const struct da_strset *set)
{
	return set->n;
}

/*
 * dynaudit/strset.h — a bounded set of strings (libdynaudit-sdk).
 *
 * What a detector remembers by name: paths it already reported, paths the
 * run created, endpoints judged.  Bounded, because the audited program
 * chooses how many names there are: past max entries nothing more is
 * stored and da_strset_add says so, and the detector decides what that
 * means (report again rather than lose a finding, or stop counting).
 * Open addressing with twice max slots; keys are copied.
 *
 * Every function is documented in the same order: arguments, return value,
 * ownership, threading.  A set is not locked: one detector instance uses
 * it from its own callbacks.
 */
#ifndef DYNAUDIT_STRSET_H
#define DYNAUDIT_STRSET_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

struct da_strset;

/*
 * da_strset_new — an empty set holding at most max keys (max >= 1).
 * Returns: the set, or NULL when out of memory.
 * Ownership: the caller's; free with da_strset_free.
 */
struct da_strset *da_strset_new(size_t max);

/* da_strset_free — frees the set and its keys; NULL is fine. */
void da_strset_free(struct da_strset *set);

/*
 * da_strset_has — whether key (not NULL) is in the set.
 */
bool da_strset_has(const struct da_strset *set, const char *key);

/*
 * da_strset_add — adds a copy of key (not NULL).
 * Returns: 1 when added, 0 when it was there already, -1 when it could
 * not be stored (the set is full, or out of memory).
 */
int da_strset_add(struct da_strset *set, const char *key);

/* da_strset_len — the number of keys stored. */
size_t da_strset_len(const struct da_strset *set);

#ifdef __cplusplus
}
#endif
#endif /* DYNAUDIT_STRSET_H */

/*
 * event_copy.c — deep copy of an event in one block.  See event_copy.h.
 */
#include "engine/event_copy.h"

#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

/* The string members, in one list so size and copy cannot disagree. */
#define EVENT_STRINGS(ev)                                                        \
	&(ev)->syscall, &(ev)->errname, &(ev)->path, &(ev)->path2, &(ev)->raw_path, \
	&(ev)->fd_desc, &(ev)->addr, &(ev)->stdio[0], &(ev)->stdio[1], &(ev)->stdio[2], \
	&(ev)->detail, &(ev)->phase, &(ev)->text, &(ev)->loader_env

static size_t str_size(const char *s)
{
	return s ? strlen(s) + 1 : 0;
}

/* Copies s (n bytes with its NUL, from str_size) to *cursor, advances it,
 * returns the copy (NULL stays NULL). */
static const char *put_str(char **cursor, const char *s, size_t n)
{
	if (!s)
		return NULL;
	char *d = memcpy(*cursor, s, n);
	*cursor += n;
	return d;
}

struct da_event *da_event_clone(const struct da_event *ev, size_t *size)
{
	struct da_event tmp = *ev;
	const char **strs[] = { EVENT_STRINGS(&tmp) };
	size_t nstrs = sizeof(strs) / sizeof(strs[0]);
	int argc = ev->argv && ev->argc > 0 ? ev->argc : 0;

	size_t bytes = sizeof(struct da_event);
	bytes = (bytes + alignof(char *) - 1) & ~(alignof(char *) - 1);
	size_t argv_at = bytes;
	bytes += (size_t)argc * sizeof(char *);
	size_t text_at = bytes;
	size_t lens[sizeof(strs) / sizeof(strs[0])]; /* each string measured once */
	for (size_t i = 0; i < nstrs; i++)
		bytes += lens[i] = str_size(*strs[i]);
	for (int i = 0; i < argc; i++)
		bytes += str_size(ev->argv[i]);

	char *block = malloc(bytes);
	if (!block)
		return NULL;
	struct da_event *out = (struct da_event *)(void *)block;
	char *cursor = block + text_at;
	for (size_t i = 0; i < nstrs; i++)
		*strs[i] = put_str(&cursor, *strs[i], lens[i]);
	if (argc) {
		const char **argv = (const char **)(void *)(block + argv_at);
		for (int i = 0; i < argc; i++)
			argv[i] = put_str(&cursor, ev->argv[i], str_size(ev->argv[i]));
		tmp.argv = argv;
	} else {
		tmp.argv = NULL;
	}
	*out = tmp;
	if (size)
		*size = bytes;
	return out;
}

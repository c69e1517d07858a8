/*
 * loader_env.c — see loader_env.h.
 */
#include "common/loader_env.h"

#include <string.h>

static const char *const loader_vars[] = { "LD_PRELOAD=", "LD_AUDIT=", "LD_LIBRARY_PATH=" };

bool loader_env_is_loader_var(const char *var, size_t len)
{
	if (!var)
		return false;
	for (size_t i = 0; i < sizeof(loader_vars) / sizeof(loader_vars[0]); i++) {
		size_t n = strlen(loader_vars[i]);
		if (len >= n && strncmp(var, loader_vars[i], n) == 0)
			return true;
	}
	return false;
}

bool loader_env_append(char *buf, size_t cap, const char *var)
{
	if (!buf || cap < 8 || !var || !loader_env_is_loader_var(var, strlen(var)))
		return false;
	size_t used = strnlen(buf, cap - 1);
	size_t room = cap - 1 - used; /* bytes left before the NUL */
	size_t n = strlen(var);
	if (room < 5)
		return true; /* no room even for "...\n": what is there stays */
	if (n + 1 <= room) {
		memcpy(buf + used, var, n);
		buf[used + n] = '\n';
		buf[used + n + 1] = '\0';
	} else {
		size_t keep = room - 4;
		memcpy(buf + used, var, keep);
		memcpy(buf + used + keep, "...\n", 5);
	}
	return true;
}

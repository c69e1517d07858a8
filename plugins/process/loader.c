/*
 * loader.c — the dynamic loader's variables in a program's environment
 * (rule process.loader_injection): LD_PRELOAD and LD_AUDIT load a library
 * into every program started with them; LD_LIBRARY_PATH naming a writable
 * place lets a planted library replace a real one.
 */
#include "process.h"

/* Some directory of a PATH-like list is a writable place outside the
 * workdir (an empty entry is the current directory: not judged). */
static bool search_path_writable(const struct state *st, const char *list)
{
	char dir[512];
	while (list && *list) {
		const char *colon = strchr(list, ':');
		size_t len = colon ? (size_t)(colon - list) : strlen(list);
		if (len > 0 && len < sizeof(dir)) {
			memcpy(dir, list, len);
			dir[len] = '\0';
			if (in_writable_place(st, dir))
				return true;
		}
		list = colon ? colon + 1 : NULL;
	}
	return false;
}

/* Whether every library of an LD_PRELOAD/LD_AUDIT list lies in the
 * workdir and was shipped or built there (not written by the run itself):
 * a profiler or a test shim of the submission's own.  Entries are split at
 * ':' and ' '; a relative one with a '/' is the workdir's. */
static bool preload_of_workdir(const struct state *st, const char *list)
{
	const char *workdir = st->host->run->workdir;
	char lib[512];
	size_t n_libs = 0;
	while (list && *list) {
		size_t len = strcspn(list, ": ");
		if (len >= sizeof(lib))
			return false;
		if (len > 0) {
			char path[1024];
			memcpy(lib, list, len);
			lib[len] = '\0';
			if (lib[0] != '/' && (!strchr(lib, '/') || da_str_starts_with(lib, "../")))
				return false; /* searched on the system's paths, or outside */
			if (lib[0] == '/')
				snprintf(path, sizeof(path), "%s", lib);
			else
				snprintf(path, sizeof(path), "%s/%s", workdir, lib[0] == '.' && lib[1] == '/' ? lib + 2 : lib);
			if (!workdir || !da_path_under(path, workdir) || strstr(path, "/../") || created_has(st, path))
				return false;
			n_libs++;
		}
		list += len;
		list += strspn(list, ": ");
	}
	return n_libs > 0;
}

void check_loader_env(struct state *st, const struct da_event *ev, const char *applet,
			     bool setup)
{
	const char *env = DA_EVENT_HAS(ev, loader_env) ? ev->loader_env : NULL;
	for (const char *line = env; line && *line;) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		char var[600];
		snprintf(var, sizeof(var), "%.*s", (int)(len < sizeof(var) - 1 ? len : sizeof(var) - 1), line);
		line = nl ? nl + 1 : NULL;
		char *value = strchr(var, '=');
		if (!value)
			continue;
		*value++ = '\0';
		bool preload = (strcmp(var, "LD_PRELOAD") == 0 || strcmp(var, "LD_AUDIT") == 0) && value[0];
		if (preload && preload_of_workdir(st, value))
			report(st, "process.loader_injection", DA_SEV_MEDIUM, ev,
			       "Check that the library is the submission's own tool (a profiler, a test shim); a preloaded library runs inside every program started with it.",
			       "Runs %s with %s=%.200s, a library of the submission's workdir: every program it starts loads it first",
			       applet, var, value);
		else if (preload)
			report(st, "process.loader_injection", setup ? DA_SEV_MEDIUM : DA_SEV_HIGH, ev,
			       "Find out what the library does: a preloaded library runs inside every program started with it.",
			       "Runs %s with %s=%.200s: every program it starts loads that library first",
			       applet, var, value);
		else if (strcmp(var, "LD_LIBRARY_PATH") == 0 && search_path_writable(st, value))
			report(st, "process.loader_injection", DA_SEV_MEDIUM, ev,
			       "Check why libraries are loaded from a writable place; a planted library there runs in the program.",
			       "Runs %s with LD_LIBRARY_PATH=%.200s: libraries come from a writable place",
			       applet, value);
	}
}

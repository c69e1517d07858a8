/*
 * plugin_loader.h — finding, loading and checking detector shared objects.
 *
 * Search order for a plugin NAME: each plugin_path directory (config
 * order; lets a team deliberately replace a built-in), then the built-in
 * directory.  The built-in directory is, first match wins:
 * $DYNAUDIT_PLUGIN_DIR, the build tree's plugins/ when the binary runs from
 * the build tree (<exe dir>/../plugins/process.so exists), the install dir.
 *
 * Loading: dlopen(RTLD_NOW|RTLD_LOCAL), dlsym("dynaudit_plugin"), call it,
 * then check the ABI: same major, minor not newer than the core's, a
 * descriptor large enough for ABI 1.0, required members present, and a
 * well-formed name and category id.  A refusal names both versions.
 * Then the ABI 1.2 declarations the descriptor is large enough to carry
 * (.kinds, .rules, .options) are read and checked (plugin_decl.h).
 */
#ifndef DYNAUDIT_PLUGIN_LOADER_H
#define DYNAUDIT_PLUGIN_LOADER_H

#include <stddef.h>

#include "dynaudit/plugin.h"
#include "engine/plugin_decl.h"

struct loaded_plugin {
	char *path;                  /* the .so file */
	void *handle;                /* dlopen handle */
	const struct da_plugin *desc;/* owned by the .so */
	struct plugin_decl decl;     /* its mask, rules and options (plugin_decl.h) */
};

/* The built-in plugin directory (static storage). */
const char *plugin_builtin_dir(void);

/* Find NAME.so along plugin_path (NULL-terminated, may be NULL) then the
 * built-in dir.  Returns 0 and a malloc'd path, or -ENOENT with the list of
 * places searched in err. */
int plugin_find(const char *name, char *const *plugin_path, char **path_out, char *err,
		size_t errlen);

/* Load and check.  On failure returns negative errno, err says why, and
 * *out is left empty. */
int plugin_load(const char *path, struct loaded_plugin *out, char *err, size_t errlen);
void plugin_unload(struct loaded_plugin *lp);

/* Check a descriptor (exported for tests). */
int plugin_check_abi(const struct da_plugin *desc, char *err, size_t errlen);

#endif /* DYNAUDIT_PLUGIN_LOADER_H */

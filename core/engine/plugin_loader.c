/*
 * plugin_loader.c — see plugin_loader.h.
 */
#include "engine/plugin_loader.h"

#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dynaudit_build.h"

static int valid_id(const char *s)
{
	if (!s || !*s || !(*s >= 'a' && *s <= 'z'))
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return 0;
	return 1;
}

const char *plugin_builtin_dir(void)
{
	static char dir[PATH_MAX];
	if (dir[0])
		return dir;
	const char *env = getenv("DYNAUDIT_PLUGIN_DIR");
	if (env && *env) {
		snprintf(dir, sizeof(dir), "%s", env);
		return dir;
	}
	/* Next to the binary: the build tree (build/core/dynaudit ->
	 * build/plugins), then the install layout relative to the binary
	 * (bin/ -> lib/.../dynaudit/plugins), which also holds for a staged
	 * install (DESTDIR) or a moved prefix. */
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash = n > 0 ? (exe[n] = '\0', strrchr(exe, '/')) : NULL;
	if (slash) {
		*slash = '\0';
		static const char *const rel[] = { "../plugins", DYNAUDIT_PLUGIN_DIR_FROM_BIN };
		for (size_t i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
			char probe[PATH_MAX + 64];
			snprintf(probe, sizeof(probe), "%s/%s/process.so", exe, rel[i]);
			if (rel[i][0] == '/' || access(probe, R_OK) != 0)
				continue;
			snprintf(probe, sizeof(probe), "%s/%s", exe, rel[i]);
			if (realpath(probe, dir))
				return dir;
		}
	}
	snprintf(dir, sizeof(dir), "%s", DYNAUDIT_PLUGIN_DIR);
	return dir;
}

int plugin_find(const char *name, char *const *plugin_path, char **path_out, char *err,
		size_t errlen)
{
	char tried[1024] = "";
	size_t used = 0;
	if (!valid_id(name)) {
		snprintf(err, errlen, "invalid detector name '%s' (expected [a-z][a-z0-9_]*)", name);
		return -EINVAL;
	}
	for (size_t i = 0; plugin_path && plugin_path[i]; i++) {
		char p[PATH_MAX];
		snprintf(p, sizeof(p), "%s/%s.so", plugin_path[i], name);
		if (access(p, F_OK) == 0) {
			*path_out = strdup(p);
			return *path_out ? 0 : -ENOMEM;
		}
		int w = snprintf(tried + used, sizeof(tried) - used, "%s%s", used ? ", " : "",
				 plugin_path[i]);
		if (w > 0)
			used = used + (size_t)w < sizeof(tried) ? used + (size_t)w : sizeof(tried) - 1;
	}
	const char *bdir = plugin_builtin_dir();
	char p[PATH_MAX];
	snprintf(p, sizeof(p), "%s/%s.so", bdir, name);
	if (access(p, F_OK) == 0) {
		*path_out = strdup(p);
		return *path_out ? 0 : -ENOMEM;
	}
	snprintf(err, errlen, "detector '%s' not found (searched %s%s%s)", name, tried,
		 used ? ", " : "", bdir);
	return -ENOENT;
}

int plugin_check_abi(const struct da_plugin *d, char *err, size_t errlen)
{
	if (!d) {
		snprintf(err, errlen, "dynaudit_plugin() returned NULL");
		return -EINVAL;
	}
	if (d->abi_major != DA_PLUGIN_ABI_MAJOR || d->abi_minor > DA_PLUGIN_ABI_MINOR) {
		snprintf(err, errlen,
			 "built for plugin ABI %u.%u.%u, this dynaudit provides ABI %s "
			 "(needs the same major and a minor not newer)",
			 d->abi_major, d->abi_minor, d->abi_patch, DA_PLUGIN_ABI_STRING);
		return -EPROTO;
	}
	if (d->struct_size < offsetof(struct da_plugin, destroy) + sizeof(d->destroy)) {
		snprintf(err, errlen, "descriptor too small (%u bytes) for ABI %s", d->struct_size,
			 DA_PLUGIN_ABI_STRING);
		return -EPROTO;
	}
	if (!valid_id(d->name) || !valid_id(d->category_id)) {
		snprintf(err, errlen, "name and category_id must match [a-z][a-z0-9_]*");
		return -EINVAL;
	}
	if (!d->init || !d->on_event) {
		snprintf(err, errlen, "init and on_event are required");
		return -EINVAL;
	}
	return 0;
}

int plugin_load(const char *path, struct loaded_plugin *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		snprintf(err, errlen, "cannot load: %s", dlerror());
		return -ENOEXEC;
	}
	const struct da_plugin *(*entry)(void);
	*(void **)&entry = dlsym(h, DA_PLUGIN_ENTRY_SYMBOL);
	if (!entry) {
		snprintf(err, errlen, "not a dynaudit detector: no %s() symbol", DA_PLUGIN_ENTRY_SYMBOL);
		dlclose(h);
		return -ENOEXEC;
	}
	const struct da_plugin *d = entry();
	int rc = plugin_check_abi(d, err, errlen);
	if (rc == 0)
		rc = plugin_decl_read(d, &out->decl, err, errlen);
	if (rc < 0) {
		memset(out, 0, sizeof(*out));
		dlclose(h);
		return rc;
	}
	out->path = strdup(path);
	out->handle = h;
	out->desc = d;
	if (!out->path) {
		dlclose(h);
		return -ENOMEM;
	}
	return 0;
}

void plugin_unload(struct loaded_plugin *lp)
{
	if (lp->handle && !getenv("DYNAUDIT_NO_DLCLOSE"))
		dlclose(lp->handle);
	free(lp->path);
	memset(lp, 0, sizeof(*lp));
}

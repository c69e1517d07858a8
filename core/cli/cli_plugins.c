/*
 * cli_plugins.c — see cli_plugins.h.
 */
#include "cli/cli_plugins.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "dynaudit/options.h"
#include "engine/plugin_loader.h"
#include "engine/plugin_rules.h"

#define MAX_LISTED 512 /* .so files listed per directory */

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The .so names in dir, sorted (caller frees each and the array). */
static size_t so_names(const char *dir, char ***out)
{
	*out = NULL;
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	char **names = calloc(MAX_LISTED, sizeof(*names));
	size_t n = 0;
	struct dirent *de;
	while (names && n < MAX_LISTED && (de = readdir(d))) {
		size_t len = strlen(de->d_name);
		if (len > 3 && strcmp(de->d_name + len - 3, ".so") == 0 &&
		    (names[n] = strdup(de->d_name)))
			n++;
	}
	closedir(d);
	if (names)
		qsort(names, n, sizeof(*names), by_name);
	*out = names;
	return n;
}

static void print_declarations(const struct loaded_plugin *lp)
{
	const struct plugin_decl *d = &lp->decl;
	if (!d->rules)
		printf("    rules: none declared\n");
	else
		printf("    rules:\n");
	for (size_t i = 0; i < d->n_rules; i++)
		printf("      %-32s %-9s %s\n", d->rules[i].id, da_severity_name(d->rules[i].severity),
		       d->rules[i].summary);
	if (!d->options)
		printf("    options: not declared (the detector checks its own in init)\n");
	else
		printf("    options:%s\n", d->n_options ? "" : " none");
	for (size_t i = 0; i < d->n_options; i++)
		printf("      %-32s %-9s %s\n", d->options[i].key,
		       da_option_type_name(d->options[i].type), d->options[i].help);
}

static void list_dir(const char *dir, int verbose, bool *seen_any)
{
	char **names;
	size_t n = so_names(dir, &names);
	if (!names) {
		printf("# %s: %s\n", dir, strerror(errno ? errno : ENOMEM));
		return;
	}
	for (size_t i = 0; i < n; i++) {
		char path[PATH_MAX], err[512] = "";
		struct loaded_plugin lp;
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (plugin_load(path, &lp, err, sizeof(err)) == 0) {
			printf("%-16s %-8s ABI %u.%u.%u  %-16s %s\n", lp.desc->name,
			       lp.desc->version ? lp.desc->version : "?", lp.desc->abi_major,
			       lp.desc->abi_minor, lp.desc->abi_patch, lp.desc->category_id, path);
			if (verbose > 0)
				print_declarations(&lp);
			plugin_unload(&lp);
		} else {
			printf("%-16s BROKEN   %s: %s\n", names[i], path, err);
		}
		*seen_any = true;
		free(names[i]);
	}
	free(names);
}

int cli_plugins_list(const char *const *dirs, size_t n, int verbose)
{
	bool any = false;
	printf("%-16s %-8s %-11s %-16s %s\n", "NAME", "VERSION", "ABI", "CATEGORY", "PATH");
	for (size_t i = 0; i < n; i++)
		list_dir(dirs[i], verbose, &any);
	list_dir(plugin_builtin_dir(), verbose, &any);
	return any ? 0 : 3;
}

/* Markdown: a table cell must not hold '|' or a newline. */
static void cell(const char *s)
{
	for (; s && *s; s++) {
		if (*s == '|')
			fputs("\\|", stdout);
		else
			putchar(*s == '\n' ? ' ' : *s);
	}
}

static void markdown_detector(const struct loaded_plugin *lp)
{
	const struct da_plugin *p = lp->desc;
	const struct plugin_decl *d = &lp->decl;
	printf("### `%s` — %s\n\n", p->name, p->category_title ? p->category_title : p->category_id);
	if (p->description)
		printf("%s\n\n", p->description);
	if (d->n_options) {
		printf("| option | type | meaning |\n|---|---|---|\n");
		for (size_t i = 0; i < d->n_options; i++) {
			printf("| `%s` | %s | ", d->options[i].key, da_option_type_name(d->options[i].type));
			cell(d->options[i].help);
			printf(" |\n");
		}
		printf("\n");
	} else {
		printf("Options: %s.\n\n", d->options ? "none" : "not declared");
	}
	if (!d->rules) {
		/* a detector whose rules come from its config declares them at
		 * init (host->declare_rule); the descriptor has none to list */
		printf("Rules: not declared%s.\n\n",
		       d->options ? " in the descriptor (a detector whose rules come from its config declares them when it starts)" : "");
		return;
	}
	printf("| rule | severity | what it detects |\n|---|---|---|\n");
	for (size_t i = 0; i < d->n_rules; i++) {
		printf("| `%s` | %s | ", d->rules[i].id, da_severity_name(d->rules[i].severity));
		cell(d->rules[i].summary);
		printf(" |\n");
	}
	printf("\n");
}

/* The built-in names in README order: the embedded default's detectors,
 * then the others of the built-in directory by name. */
static size_t readme_order(char **names, size_t n, char **out)
{
	struct cfg_node *root = NULL;
	struct cfg_error e;
	size_t k = 0;
	memset(&e, 0, sizeof(e));
	if (config_load_default(&root, &e) == 0) {
		const struct cfg_node *pl = cfg_map_get(root, "plugins");
		const char *key;
		for (size_t i = 0; pl && (key = cfg_map_key_at(pl, i)); i++)
			for (size_t j = 0; j < n; j++)
				if (names[j] && strlen(names[j]) == strlen(key) + 3 &&
				    strncmp(names[j], key, strlen(key)) == 0) {
					out[k++] = names[j];
					names[j] = NULL;
				}
	}
	config_free(root);
	for (size_t j = 0; j < n; j++)
		if (names[j])
			out[k++] = names[j];
	return k;
}

int cli_plugins_rules_markdown(void)
{
	const char *dir = plugin_builtin_dir();
	char **names;
	size_t n = so_names(dir, &names);
	char **order = calloc(n ? n : 1, sizeof(*order));
	int status = names && order ? 0 : 3;
	if (status == 0)
		n = readme_order(names, n, order);
	for (size_t i = 0; status == 0 && i < n; i++) {
		char path[PATH_MAX], err[512] = "";
		struct loaded_plugin lp;
		snprintf(path, sizeof(path), "%s/%s", dir, order[i]);
		if (plugin_load(path, &lp, err, sizeof(err)) != 0) {
			fprintf(stderr, "dynaudit: %s: %s\n", path, err);
			status = 3;
			break;
		}
		markdown_detector(&lp);
		plugin_unload(&lp);
	}
	if (status == 0) {
		printf("### Raised by the core\n\n| rule | severity | what it detects |\n|---|---|---|\n");
		for (size_t i = 0; plugin_rules_core[i].id; i++) {
			printf("| `%s` | %s | ", plugin_rules_core[i].id,
			       da_severity_name(plugin_rules_core[i].severity));
			cell(plugin_rules_core[i].summary);
			printf(" |\n");
		}
	}
	for (size_t i = 0; order && i < n; i++)
		free(order[i]);
	free(order);
	free(names);
	return status;
}

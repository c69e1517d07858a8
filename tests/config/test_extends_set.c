/* test_extends_set.c — extends across formats (merge rules, relative
 * paths) and --set overrides. */
#include <criterion/criterion.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"

static struct cfg_node *must_load(const char *path)
{
	char msg[1024];
	struct cfg_node *root = load_or_error(path, msg, sizeof(msg));
	cr_assert_not_null(root, "loading %s: %s", path, msg);
	return root;
}

Test(extends, ini_over_yaml_merges_maps_and_replaces_lists)
{
	enter_fixtures();
	struct cfg_node *root = must_load("extends-child.ini");
	struct audit_config c;
	must_resolve(root, &c);
	cr_assert_str_eq(c.source, "extends-child.ini", "source is the top file");
	cr_assert_str_eq(c.command[0], "python3", "inherited from the YAML base");
	char cwd[PATH_MAX], expect[PATH_MAX + 16];
	cr_assert_not_null(getcwd(cwd, sizeof(cwd)));
	snprintf(expect, sizeof(expect), "%s/base-dir", cwd);
	cr_assert_str_eq(c.workdir, expect, "workdir relative to the file that set it");
	cr_assert_float_eq(c.duration_s, 5, 0);
	cr_assert_str_eq(c.env[0], "LANG=C.UTF-8", "env merges key by key, keeping order");
	cr_assert_str_eq(c.env[1], "TZ=Europe/Paris");
	cr_assert_null(c.env[2]);
	cr_assert_str_eq(c.report_formats[0], "json", "lists replace");
	cr_assert_null(c.report_formats[1]);
	cr_assert_eq(c.n_plugins, 3);
	cr_assert_str_eq(c.plugins[0].name, "process");
	cr_assert_str_eq(c.plugins[1].name, "network");
	cr_assert_str_eq(c.plugins[2].name, "file");
	const char *const *items;
	cr_assert_eq(cfg_list_strings(cfg_map_get(c.plugins[0].node, "allow_exec"), &items), 1,
		     "allow_exec replaced, not appended");
	cr_assert_str_eq(cfg_scalar(cfg_map_get(c.plugins[1].node, "allow_dns")), "true",
			 "untouched plugin keys survive");
	const struct cfg_node *tz = cfg_map_get(cfg_map_get(cfg_map_get(root, "target"), "env"),
						"TZ");
	cr_assert_str_eq(cfg_where(tz), "extends-child.ini:7", "where the override was written");
	audit_config_free(&c);
	config_free(root);
	assert_no_leaks();
}

Test(extends, paths_resolve_against_the_extending_file)
{
	const char *dir = make_temp_dir();
	char sub[128], base[160], child[160];
	snprintf(sub, sizeof(sub), "%s/a", dir);
	cr_assert_eq(mkdir(sub, 0700), 0);
	snprintf(base, sizeof(base), "%s/base.ini", dir);
	snprintf(child, sizeof(child), "%s/a/child.yaml", dir);
	FILE *f = fopen(base, "w");
	fputs("plugin_path = dets, /abs/dets\n[target]\nworkdir = w\n", f);
	fclose(f);
	f = fopen(child, "w");
	fputs("extends: ../base.ini\nreport: {title: T}\n", f);
	fclose(f);
	cr_assert_eq(chdir("/"), 0);
	struct cfg_node *root = must_load(child);
	struct audit_config c;
	must_resolve(root, &c);
	char expect[200];
	snprintf(expect, sizeof(expect), "%s/w", dir);
	cr_assert_str_eq(c.workdir, expect);
	snprintf(expect, sizeof(expect), "%s/dets", dir);
	cr_assert_str_eq(c.plugin_path[0], expect);
	cr_assert_str_eq(c.plugin_path[1], "/abs/dets");
	cr_assert_str_eq(c.report_title, "T");
	audit_config_free(&c);
	config_free(root);
	assert_no_leaks();
}

/* target.stdin and target.files name course files next to the config
 * (YAML) or the INI that sets them, wherever dynaudit runs from. */
Test(extends, course_inputs_resolve_against_their_file)
{
	const char *dir = make_temp_dir();
	char base[160], child[160];
	snprintf(base, sizeof(base), "%s/base.ini", dir);
	snprintf(child, sizeof(child), "%s/child.yaml", dir);
	FILE *f = fopen(base, "w");
	fputs("[target]\nfiles = data, /srv/course/lib.py\n", f);
	fclose(f);
	f = fopen(child, "w");
	fputs("extends: base.ini\ntarget: {stdin: in/session.txt}\n", f);
	fclose(f);
	cr_assert_eq(chdir("/"), 0);
	struct cfg_node *root = must_load(child);
	struct audit_config c;
	must_resolve(root, &c);
	char expect[200];
	snprintf(expect, sizeof(expect), "%s/in/session.txt", dir);
	cr_assert_str_eq(c.stdin_path, expect);
	snprintf(expect, sizeof(expect), "%s/data", dir);
	cr_assert_str_eq(c.files[0], expect);
	cr_assert_str_eq(c.files[1], "/srv/course/lib.py");
	cr_assert_null(c.files[2]);
	audit_config_free(&c);
	config_free(root);
	assert_no_leaks();
}

Test(extends, driver_keys_from_ini)
{
	enter_fixtures();
	struct cfg_node *root = must_load("driver.ini");
	struct audit_config c;
	must_resolve(root, &c);
	cr_assert_str_eq(c.driver_command[0], "python3");
	cr_assert_str_eq(c.driver_command[1], "client.py");
	cr_assert_str_eq(c.driver_wait_for, "127.0.0.1:5555");
	cr_assert(c.driver_mined);
	audit_config_free(&c);
	config_free(root);
	assert_no_leaks();
}

Test(set, scalar_list_and_plugin_overrides)
{
	enter_fixtures();
	struct cfg_node *root = must_load("extends-child.ini");
	must_set(root, "sandbox.network=host");
	must_set(root, "target.duration=2m");
	must_set(root, "target.command=python3 -u 'other server.py'");
	must_set(root, "report.formats=markdown,json");
	must_set(root, "plugins.network.allow_connect=127.0.0.1:80, 127.0.0.1:443");
	must_set(root, "plugins.custom.level=3");
	must_set(root, "plugins.bare=");
	must_set(root, "target.workdir=sub");
	must_set(root, "target.env.NEW=x=y");
	struct audit_config c;
	must_resolve(root, &c);
	cr_assert_eq(c.network, NETWORK_HOST);
	cr_assert_float_eq(c.duration_s, 120, 0);
	cr_assert_str_eq(c.command[2], "other server.py");
	cr_assert_str_eq(c.report_formats[1], "json");
	const char *const *items;
	cr_assert_eq(cfg_list_strings(cfg_map_get(c.plugins[1].node, "allow_connect"), &items), 2);
	cr_assert_str_eq(items[1], "127.0.0.1:443");
	cr_assert_eq(c.n_plugins, 5, "--set may create plugins");
	cr_assert_str_eq(c.plugins[3].name, "custom");
	cr_assert_str_eq(cfg_scalar(cfg_map_get(c.plugins[3].node, "level")), "3");
	cr_assert_str_eq(c.plugins[4].name, "bare");
	cr_assert_eq(c.plugins[4].node->n_children, 0);
	char cwd[PATH_MAX], expect[PATH_MAX + 8];
	cr_assert_not_null(getcwd(cwd, sizeof(cwd)));
	snprintf(expect, sizeof(expect), "%s/sub", cwd);
	cr_assert_str_eq(c.workdir, expect, "--set paths are relative to the current directory");
	cr_assert_str_eq(c.env[2], "NEW=x=y");
	audit_config_free(&c);
	config_free(root);
	assert_no_leaks();
}

Test(set, null_clears_and_null_plugin_takes_keys)
{
	const char *path = write_temp("n.yaml", "target: {setup: make}\nplugins: {privilege: null}\n");
	struct cfg_node *root = must_load(path);
	must_set(root, "target.setup=null");
	must_set(root, "plugins.privilege.strict=true");
	struct audit_config c;
	must_resolve(root, &c);
	cr_assert_null(c.setup);
	cr_assert_str_eq(cfg_scalar(cfg_map_get(c.plugins[0].node, "strict")), "true");
	audit_config_free(&c);
	config_free(root);
	assert_no_leaks();
}

Test(set, errors)
{
	static const struct { const char *assignment, *message; } bad[] = {
		{"no-equals-sign", "--set: bad assignment 'no-equals-sign': expected KEY=VALUE with "
				   "a dotted key such as sandbox.network=host"},
		{"=value", "--set: bad assignment '=value': expected KEY=VALUE with a dotted key "
			   "such as sandbox.network=host"},
		{"a..b=1", "--set: bad assignment 'a..b=1': expected KEY=VALUE with a dotted key "
			   "such as sandbox.network=host"},
		{"target.=1", "--set: bad assignment 'target.=1': expected KEY=VALUE with a dotted "
			      "key such as sandbox.network=host"},
		{"target.duration.x=1", "--set: target.duration: cannot set a key inside it: it is "
					"not a map (set at n.yaml:1)"},
	};
	/* Load by a relative name: messages name files as they were given. */
	const char *path = write_temp("n.yaml", "target: {duration: 5}\n");
	char dir[512];
	snprintf(dir, sizeof(dir), "%s", path);
	*strrchr(dir, '/') = '\0';
	cr_assert_eq(chdir(dir), 0);
	struct cfg_node *root = must_load("n.yaml");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct cfg_error err;
		char msg[1024];
		cr_assert_eq(config_set(root, bad[i].assignment, &err), -EINVAL, "%s",
			     bad[i].assignment);
		cr_assert_str_eq(cfg_error_format(&err, msg, sizeof(msg)), bad[i].message);
	}
	config_free(root);
	assert_no_leaks();
}

Test(set, resolve_reports_set_values_as_from_set)
{
	struct cfg_node *root = NULL;
	struct cfg_error err;
	cr_assert_eq(config_load_default(&root, &err), 0);
	must_set(root, "sandbox.limits.memory=lots");
	struct audit_config c;
	char msg[512];
	cr_assert_eq(config_resolve(root, &c, &err), -EINVAL);
	cr_assert_str_eq(cfg_error_format(&err, msg, sizeof(msg)),
			 "--set: sandbox.limits.memory: invalid size 'lots' (a positive number of "
			 "bytes, or with a unit: 512K, 64M, 1G)");
	must_set(root, "sandbox.typo=1");
	cr_assert_eq(config_resolve(root, &c, &err), -EINVAL);
	cr_assert_str_eq(cfg_error_format(&err, msg, sizeof(msg)), "--set: sandbox.typo: unknown key");
	config_free(root);
	assert_no_leaks();
}

Test(set, exact_list_for_argv)
{
	struct cfg_node *root = NULL;
	struct cfg_error err;
	cr_assert_eq(config_load_default(&root, &err), 0);
	const char *const argv[] = {"python3", "my server.py", "--name=a,b", "'q'", NULL};
	cr_assert_eq(config_set_list(root, "target.command", argv, &err), 0);
	const char *const none[] = {NULL};
	cr_assert_eq(config_set_list(root, "plugins.process.allow_exec", none, &err), 0);
	struct audit_config c;
	must_resolve(root, &c);
	for (int i = 0; argv[i]; i++)
		cr_assert_str_eq(c.command[i], argv[i], "word %d not kept exactly", i);
	cr_assert_null(c.command[4]);
	const char *const *items;
	cr_assert_eq(cfg_list_strings(cfg_map_get(c.plugins[0].node, "allow_exec"), &items), 0);
	audit_config_free(&c);
	cr_assert_eq(config_set_list(root, "target.duration.x", argv, &err), -EINVAL);
	cr_assert_eq(config_set_list(root, "bad..key", argv, &err), -EINVAL);
	config_free(root);
	assert_no_leaks();
}

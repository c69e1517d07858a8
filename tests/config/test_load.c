/* test_load.c — the two front ends fill the same model, and the accessors
 * follow the scalar == one-item-list rule. */
#include <criterion/criterion.h>
#include <string.h>

#include "helpers.h"

static struct cfg_node *must_load(const char *path)
{
	char msg[1024];
	struct cfg_node *root = load_or_error(path, msg, sizeof(msg));
	cr_assert_not_null(root, "loading %s: %s", path, msg);
	return root;
}

static const struct cfg_node *get(const struct cfg_node *root, const char *a, const char *b,
				  const char *c)
{
	const struct cfg_node *n = cfg_map_get(root, a);
	if (b)
		n = cfg_map_get(n, b);
	if (c)
		n = cfg_map_get(n, c);
	return n;
}

Test(load, yaml_values_lines_and_types)
{
	const char *path = write_temp("t.yaml", "# comment\n"
						"target:\n"
						"  command: [python3, server.py]\n"
						"  duration: 90s\n"
						"  setup: ~\n"
						"plugins:\n"
						"  network: {allow_connect: ['127.0.0.1:80']}\n"
						"  privilege:\n");
	struct cfg_node *root = must_load(path);
	const struct cfg_node *cmd = get(root, "target", "command", NULL);
	cr_assert_eq(cmd->type, CFG_LIST);
	cr_assert_eq(cmd->line, 3);
	const char *const *items;
	cr_assert_eq(cfg_list_strings(cmd, &items), 2);
	cr_assert_str_eq(items[0], "python3");
	cr_assert_str_eq(items[1], "server.py");
	cr_assert_null(items[2]);
	cr_assert_null(cfg_scalar(cmd), "a two-item list is not a scalar");
	cr_assert_str_eq(cfg_scalar(get(root, "target", "duration", NULL)), "90s");
	cr_assert_eq(get(root, "target", "setup", NULL)->type, CFG_NULL);
	const struct cfg_node *ac = get(root, "plugins", "network", "allow_connect");
	cr_assert_str_eq(cfg_scalar(ac), "127.0.0.1:80", "a one-item list reads as its item");
	cr_assert_eq(get(root, "plugins", "privilege", NULL)->type, CFG_NULL);
	char where[600];
	snprintf(where, sizeof(where), "%s:4", path);
	cr_assert_str_eq(cfg_where(get(root, "target", "duration", NULL)), where);
	cr_assert_str_eq(cfg_map_key_at(root, 1), "plugins");
	cr_assert_null(cfg_map_key_at(root, 2));
	config_free(root);
	assert_no_leaks();
}

Test(load, ini_sections_lists_and_lines)
{
	const char *path = write_temp("t.ini", "; comment\n"
					       "plugin_path = plugins, /opt/det\n"
					       "[target]\n"
					       "command = python3 'my server.py'\n"
					       "[target.env]\n"
					       "LANG = C.UTF-8\n"
					       "[plugin.network]\n"
					       "allow_connect = 127.0.0.1:80, 10.0.0.1:53\n"
					       "allow_listen =\n"
					       "[plugin.network.dns]\n"
					       "servers = 127.0.0.53\n"
					       "[plugin.privilege]\n"
					       "[report]\n"
					       "title = Hello, world\n");
	struct cfg_node *root = must_load(path);
	const char *const *items;
	cr_assert_eq(cfg_list_strings(cfg_map_get(root, "plugin_path"), &items), 2);
	cr_assert_str_eq(items[1], "/opt/det");
	cr_assert_str_eq(cfg_scalar(get(root, "target", "command", NULL)),
			 "python3 'my server.py'", "split later, by the schema");
	cr_assert_eq(get(root, "target", "command", NULL)->line, 4);
	cr_assert_str_eq(cfg_scalar(get(root, "target", "env", "LANG")), "C.UTF-8");
	cr_assert_eq(cfg_list_strings(get(root, "plugins", "network", "allow_connect"), &items), 2);
	cr_assert_str_eq(items[0], "127.0.0.1:80");
	cr_assert_str_eq(items[1], "10.0.0.1:53");
	const struct cfg_node *al = get(root, "plugins", "network", "allow_listen");
	cr_assert_eq(al->type, CFG_LIST, "empty INI value is the empty list");
	cr_assert_eq(cfg_list_strings(al, &items), 0);
	cr_assert_not_null(items);
	cr_assert_null(items[0]);
	cr_assert_str_eq(cfg_scalar(get(root, "plugins", "network", "dns")->children[0]),
			 "127.0.0.53");
	const struct cfg_node *priv = get(root, "plugins", "privilege", NULL);
	cr_assert_not_null(priv, "an empty plugin section still loads the plugin");
	cr_assert_eq(priv->type, CFG_MAP);
	cr_assert_eq(priv->n_children, 0);
	cr_assert_str_eq(cfg_scalar(get(root, "report", "title", NULL)), "Hello, world",
			 "commas split only list-capable keys");

	struct audit_config cfg;
	struct cfg_error err;
	cr_assert_eq(config_resolve(root, &cfg, &err), 0);
	cr_assert_str_eq(cfg.command[0], "python3");
	cr_assert_str_eq(cfg.command[1], "my server.py");
	cr_assert_null(cfg.command[2]);
	cr_assert_str_eq(cfg.env[0], "LANG=C.UTF-8");
	cr_assert_eq(cfg.n_plugins, 2);
	cr_assert_str_eq(cfg.plugins[1].name, "privilege");
	cr_assert_eq(cfg.plugins[1].node, priv);
	audit_config_free(&cfg);
	config_free(root);
	assert_no_leaks();
}

Test(load, scalar_reads_as_one_item_list)
{
	const char *path = write_temp("s.yaml", "plugins: {process: {allow_exec: python3}}\n");
	struct cfg_node *root = must_load(path);
	const char *const *items;
	cr_assert_eq(cfg_list_strings(get(root, "plugins", "process", "allow_exec"), &items), 1);
	cr_assert_str_eq(items[0], "python3");
	cr_assert_null(items[1]);
	cr_assert_eq(cfg_list_strings(get(root, "plugins", "process", NULL), &items), 0);
	cr_assert_null(items, "a map is not a list");
	config_free(root);
	assert_no_leaks();
}

Test(load, resolve_defaults_and_typed_values)
{
	const char *path = write_temp("r.yaml",
				      "target: {command: 'python3 -u server.py', workdir: sub/../w,"
				      " duration: 2m, setup: make}\n"
				      "sandbox: {network: host, user: 1000, seccomp: 'off',"
				      " limits: {memory: 512M, tmpfs: 16M}}\n"
				      "monitors: {snapshot_interval: 500ms}\n"
				      "scoring: {pass_score: 80, weights: {high: 50}}\n");
	struct cfg_node *root = must_load(path);
	struct audit_config c;
	struct cfg_error err;
	cr_assert_eq(config_resolve(root, &c, &err), 0);
	cr_assert_str_eq(c.source, path);
	cr_assert_str_eq(c.command[2], "server.py");
	char expect[600];
	snprintf(expect, sizeof(expect), "%.*s/w", (int)(strrchr(path, '/') - path), path);
	cr_assert_str_eq(c.workdir, expect, "workdir is relative to the file");
	cr_assert_float_eq(c.duration_s, 120, 1e-9);
	cr_assert_str_eq(c.setup[0], "make");
	cr_assert_eq(c.network, NETWORK_HOST);
	cr_assert_str_eq(c.user, "1000");
	cr_assert_str_eq(c.home, "/home/auditor");
	cr_assert(c.no_new_privs && c.drop_caps && !c.seccomp);
	cr_assert_eq(c.limit_processes, 256);
	cr_assert_eq(c.limit_file_size, 64LL << 20);
	cr_assert_eq(c.limit_memory, 512LL << 20);
	cr_assert_eq(c.limit_open_files, 1024);
	cr_assert_eq(c.limit_tmpfs, 16LL << 20);
	cr_assert(c.monitor_fs);
	cr_assert_float_eq(c.snapshot_interval, 0.5, 1e-9);
	cr_assert_eq(c.n_plugins, 6, "no plugins key: the six built-ins");
	cr_assert_str_eq(c.plugins[5].name, "backdoor");
	cr_assert_not_null(c.plugins[5].node);
	cr_assert_eq(c.plugins[5].node->type, CFG_MAP);
	cr_assert_null(c.plugin_path[0]);
	cr_assert_str_eq(c.report_formats[0], "markdown");
	cr_assert_str_eq(c.report_formats[1], "json");
	cr_assert_null(c.report_formats[2]);
	cr_assert_null(c.report_title);
	cr_assert_float_eq(c.pass_score, 80, 0);
	double w[] = {0, 5, 15, 50, 60};
	for (int i = 0; i < 5; i++)
		cr_assert_float_eq(c.weights[i], w[i], 0);
	audit_config_free(&c);
	config_free(root);
	assert_no_leaks();
}

Test(load, default_is_embedded_and_valid)
{
	size_t len;
	char *file = slurp(src_path("configs/default.yaml"), &len);
	cr_assert_not_null(file);
	cr_assert_str_eq(config_default_yaml, file, "embedded default differs from the file");
	free(file);

	struct cfg_node *root = NULL;
	struct cfg_error err;
	cr_assert_eq(config_load_default(&root, &err), 0);
	struct audit_config c;
	cr_assert_eq(config_resolve(root, &c, &err), 0);
	cr_assert_str_eq(c.source, "<embedded default>");
	cr_assert_null(c.command);
	cr_assert_null(c.workdir);
	cr_assert_null(c.setup);
	cr_assert_float_eq(c.duration_s, 60, 0);
	cr_assert_eq(c.network, NETWORK_NONE);
	cr_assert_str_eq(c.user, "nobody");
	cr_assert_eq(c.n_plugins, 6);
	static const char *const names[] = {"process", "network", "file", "privilege",
					    "code_integrity", "backdoor"};
	for (int i = 0; i < 6; i++)
		cr_assert_str_eq(c.plugins[i].name, names[i]);
	cr_assert_float_eq(c.pass_score, 70, 0);
	audit_config_free(&c);
	config_free(root);
	assert_no_leaks();
}

Test(load, format_is_sniffed_for_other_names)
{
	const char *ini = write_temp("pipeline.cfg", "[target]\ncommand = true\n");
	const char *yaml = write_temp("pipeline.txt", "target:\n  command: 'true'\n");
	struct cfg_node *a = must_load(ini), *b = must_load(yaml);
	cr_assert_str_eq(cfg_scalar(get(a, "target", "command", NULL)), "true");
	cr_assert_str_eq(cfg_scalar(get(b, "target", "command", NULL)), "true");
	config_free(a);
	config_free(b);
	assert_no_leaks();
}

Test(load, empty_files_are_empty_configs)
{
	struct cfg_node *a = must_load(write_temp("empty.yaml", ""));
	struct cfg_node *b = must_load(write_temp("empty.ini", "; nothing\n"));
	cr_assert_eq(a->type, CFG_MAP);
	cr_assert_eq(a->n_children, 0);
	cr_assert_eq(b->n_children, 0);
	config_free(a);
	config_free(b);
	assert_no_leaks();
}

/* report.limits: the output caps, from YAML and INI alike, with their
 * defaults and their bounds. */
Test(load, report_limits_yaml_ini_and_defaults)
{
	const char *y = write_temp("limits.yaml",
				   "report:\n  limits: {events: 8M, trace: 512K, text: 300}\n");
	const char *i = write_temp("limits.ini", "[report.limits]\nevents = 8M\ntrace = 512K\ntext = 300\n");
	const char *paths[] = {y, i};
	for (int k = 0; k < 2; k++) {
		struct cfg_node *root = must_load(paths[k]);
		struct audit_config c;
		struct cfg_error err;
		cr_assert_eq(config_resolve(root, &c, &err), 0);
		cr_assert_eq(c.limit_events, 8LL << 20);
		cr_assert_eq(c.limit_trace, 512LL << 10);
		cr_assert_eq(c.limit_fs_events, 8LL << 20, "default");
		cr_assert_eq(c.limit_snapshots, 8LL << 20, "default");
		cr_assert_eq(c.limit_text, 300);
		audit_config_free(&c);
		config_free(root);
	}
	cr_assert_not_null(strstr(error_of(write_temp("small.yaml", "report:\n  limits: {events: 1K}\n")),
				  "report.limits.events: a cap of 1024 bytes is too small (at least 64K)"));
	cr_assert_not_null(strstr(error_of(write_temp("text.yaml", "report:\n  limits: {text: 10}\n")),
				  "report.limits.text: 10 is out of range"));
	cr_assert_not_null(strstr(error_of(write_temp("typo.yaml", "report:\n  limits: {event: 1M}\n")),
				  "report.limits.event: unknown key"));
}

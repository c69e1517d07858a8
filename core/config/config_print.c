/*
 * config_print.c — the merged, normalized configuration as YAML (what
 * `dynaudit check` shows).
 *
 * Deterministic by construction: the schema part is printed from the
 * resolved struct audit_config (so defaults are filled in and "2m" shows as
 * 120), top-level keys in schema order; plugin subtrees are printed from
 * the tree in the order their keys were first set.  Formatting rules that
 * make a YAML file and its INI twin print the same bytes:
 *   - report.formats, plugin_path, target.command and target.setup are
 *     always flow lists `[a, b]`;
 *   - inside plugins.*, a one-item list prints as its item, a longer list
 *     as `[a, b]`, an empty one as `[]`;
 *   - strings are quoted only when YAML would misread them.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config_internal.h"

static bool valid_utf8(const unsigned char *s)
{
	while (*s) {
		int extra = *s < 0x80 ? 0 : (*s & 0xE0) == 0xC0 ? 1 : (*s & 0xF0) == 0xE0 ? 2
				       : (*s & 0xF8) == 0xF0 ? 3 : -1;
		if (extra < 0)
			return false;
		s++;
		for (int i = 0; i < extra; i++, s++)
			if ((*s & 0xC0) != 0x80)
				return false;
	}
	return true;
}

/* A plain scalar is safe when it is a conservative word that YAML reads
 * back as the same string in block and flow context. */
static bool plain_is_safe(const char *s)
{
	static const char *const nulls[] = {"~", "null", "Null", "NULL"};
	/* A leading '-' is an indicator only when a blank follows ("- x"),
	 * so "--input" may stay plain; "-" alone and "---" may not. */
	bool dash_ok = s[0] == '-' && s[1] && strncmp(s, "---", 3) != 0;
	if (!s[0] || !(isalnum((unsigned char)s[0]) || strchr("_./~", s[0]) || dash_ok))
		return false;
	for (size_t i = 0; i < sizeof(nulls) / sizeof(nulls[0]); i++)
		if (strcmp(s, nulls[i]) == 0)
			return false;
	for (const char *p = s; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("_./~-+:@=*", *p))
			return false;
	return s[strlen(s) - 1] != ':';
}

static void print_string(FILE *out, const char *s)
{
	if (plain_is_safe(s)) {
		fputs(s, out);
		return;
	}
	bool utf8 = valid_utf8((const unsigned char *)s);
	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"': fputs("\\\"", out); break;
		case '\\': fputs("\\\\", out); break;
		case '\n': fputs("\\n", out); break;
		case '\t': fputs("\\t", out); break;
		case '\r': fputs("\\r", out); break;
		default:
			if (*p < 0x20 || *p == 0x7f || (*p >= 0x80 && !utf8))
				fprintf(out, "\\x%02x", *p);
			else
				fputc(*p, out);
		}
	}
	fputc('"', out);
}

static void print_strv_flow(FILE *out, char *const *v)
{
	if (!v) {
		fputs("null", out);
		return;
	}
	fputc('[', out);
	for (size_t i = 0; v[i]; i++) {
		if (i)
			fputs(", ", out);
		print_string(out, v[i]);
	}
	fputc(']', out);
}

static void print_number(FILE *out, double v)
{
	fprintf(out, "%.15g", v);
}

static void print_size(FILE *out, long long bytes)
{
	static const char units[] = "TGMK";
	for (int i = 0; i < 4; i++) {
		long long unit = 1LL << (10 * (4 - i));
		if (bytes > 0 && bytes % unit == 0) {
			fprintf(out, "%lld%c", bytes / unit, units[i]);
			return;
		}
	}
	fprintf(out, "%lld", bytes);
}

static void indent_by(FILE *out, int indent)
{
	for (int i = 0; i < indent; i++)
		fputc(' ', out);
}

/* ---- free-form subtrees (plugin options) -------------------------------- */

static bool all_scalars(const struct cfg_node *list)
{
	for (size_t i = 0; i < list->n_children; i++)
		if (list->children[i]->type != CFG_SCALAR)
			return false;
	return true;
}

static void print_flow(FILE *out, const struct cfg_node *n)
{
	switch (n->type) {
	case CFG_NULL:
		fputs("null", out);
		break;
	case CFG_SCALAR:
		print_string(out, n->value);
		break;
	case CFG_LIST:
		if (n->n_children == 1 && all_scalars(n)) {
			print_string(out, n->children[0]->value);
			break;
		}
		fputc('[', out);
		for (size_t i = 0; i < n->n_children; i++) {
			if (i)
				fputs(", ", out);
			print_flow(out, n->children[i]);
		}
		fputc(']', out);
		break;
	case CFG_MAP:
		fputc('{', out);
		for (size_t i = 0; i < n->n_children; i++) {
			if (i)
				fputs(", ", out);
			print_string(out, n->children[i]->key);
			fputs(": ", out);
			print_flow(out, n->children[i]);
		}
		fputc('}', out);
		break;
	}
}

/* "key: value" lines; non-empty maps as indented blocks, the rest flow. */
static void print_entry(FILE *out, const struct cfg_node *n, int indent)
{
	indent_by(out, indent);
	print_string(out, n->key);
	if (n->type == CFG_MAP && n->n_children > 0) {
		fputs(":\n", out);
		for (size_t i = 0; i < n->n_children; i++)
			print_entry(out, n->children[i], indent + 2);
		return;
	}
	fputs(": ", out);
	print_flow(out, n);
	fputc('\n', out);
}

/* ---- the whole configuration ------------------------------------------- */

static void print_bool_line(FILE *out, const char *key, bool v)
{
	fprintf(out, "  %s: %s\n", key, v ? "true" : "false");
}

void config_print(const struct cfg_node *root, FILE *out)
{
	static const char *const severity_names[] = {"info", "low", "medium", "high", "critical"};
	struct audit_config c;
	struct cfg_error err;
	if (config_resolve(root, &c, &err) != 0) {
		char msg[1400];
		fprintf(out, "# invalid configuration: %s\n", cfg_error_format(&err, msg, sizeof(msg)));
		return;
	}

	fputs("target:\n  command: ", out);
	print_strv_flow(out, c.command);
	fputs("\n  workdir: ", out);
	if (c.workdir)
		print_string(out, c.workdir);
	else
		fputs("null", out);
	fputs("\n  duration: ", out);
	print_number(out, c.duration_s);
	fputs("\n  env:", out);
	if (!c.env[0])
		fputs(" {}", out);
	fputc('\n', out);
	for (size_t i = 0; c.env[i]; i++) {
		const char *eq = strchr(c.env[i], '=');
		char *key = strndup(c.env[i], (size_t)(eq - c.env[i]));
		fputs("    ", out);
		print_string(out, key ? key : "?");
		fputs(": ", out);
		print_string(out, eq + 1);
		fputc('\n', out);
		free(key);
	}
	fputs("  setup: ", out);
	print_strv_flow(out, c.setup);
	fputs("\n  stdin: ", out);
	if (c.stdin_path)
		print_string(out, c.stdin_path);
	else
		fputs("null", out);
	fputs("\n  files: ", out);
	print_strv_flow(out, c.files);

	fputs("\nsandbox:\n", out);
	fprintf(out, "  network: %s\n  user: ", c.network == NETWORK_HOST ? "host" : "none");
	print_string(out, c.user);
	fputs("\n  home: ", out);
	print_string(out, c.home);
	fputs("\n  ro_paths: ", out);
	print_strv_flow(out, c.ro_paths);
	fputc('\n', out);
	print_bool_line(out, "no_new_privs", c.no_new_privs);
	print_bool_line(out, "drop_caps", c.drop_caps);
	fprintf(out, "  seccomp: %s\n", c.seccomp ? "default" : "off");
	fprintf(out, "  limits:\n    processes: %ld\n    file_size: ", c.limit_processes);
	print_size(out, c.limit_file_size);
	fputs("\n    memory: ", out);
	print_size(out, c.limit_memory);
	fprintf(out, "\n    open_files: %ld\n    tmpfs: ", c.limit_open_files);
	print_size(out, c.limit_tmpfs);
	fputs("\n  deception:\n", out);
	fprintf(out, "    honeytokens: %s\n", c.honeytokens ? "true" : "false");
	fprintf(out, "    dns: %s\n", c.dns_sink ? "sink" : "off");
	fprintf(out, "    connect: %s", c.connect_sink ? "sink" : "off");
	fputs("\n  time:\n    skip_sleeps: ", out);
	if (c.skip_sleeps_s > 0)
		print_number(out, c.skip_sleeps_s);
	else
		fputs("off", out);

	fputs("\nmonitors:\n", out);
	print_bool_line(out, "fs", c.monitor_fs);
	fputs("  snapshot_interval: ", out);
	print_number(out, c.snapshot_interval);

	fputs("\nplugins:", out);
	if (c.n_plugins == 0)
		fputs(" {}", out);
	fputc('\n', out);
	for (size_t i = 0; i < c.n_plugins; i++) {
		const struct cfg_node *opts = c.plugins[i].node;
		fputs("  ", out);
		print_string(out, c.plugins[i].name);
		if (opts->n_children == 0) {
			fputs(": {}\n", out);
			continue;
		}
		fputs(":\n", out);
		for (size_t k = 0; k < opts->n_children; k++)
			print_entry(out, opts->children[k], 4);
	}

	fputs("plugin_path: ", out);
	print_strv_flow(out, c.plugin_path);
	fputs("\ndriver:\n  command: ", out);
	print_strv_flow(out, c.driver_command);
	fputs("\n  wait_for: ", out);
	if (c.driver_wait_for)
		print_string(out, c.driver_wait_for);
	else
		fputs("null", out);
	fprintf(out, "\n  mined: %s", c.driver_mined ? "true" : "false");
	fputs("\nreport:\n  formats: ", out);
	print_strv_flow(out, c.report_formats);
	fputs("\n  title: ", out);
	if (c.report_title)
		print_string(out, c.report_title);
	else
		fputs("null", out);
	fputs("\n  limits:\n    events: ", out);
	print_size(out, c.limit_events);
	fputs("\n    trace: ", out);
	print_size(out, c.limit_trace);
	fputs("\n    fs_events: ", out);
	print_size(out, c.limit_fs_events);
	fputs("\n    snapshots: ", out);
	print_size(out, c.limit_snapshots);
	fprintf(out, "\n    text: %ld", c.limit_text);

	fputs("\nscoring:\n  pass_score: ", out);
	print_number(out, c.pass_score);
	fputs("\n  weights:\n", out);
	for (size_t i = 0; i < 5; i++) {
		fprintf(out, "    %s: ", severity_names[i]);
		print_number(out, c.weights[i]);
		fputc('\n', out);
	}
	if (c.n_rules)
		fputs("rules:\n", out);
	for (size_t i = 0; i < c.n_rules; i++) {
		fputs("  ", out);
		print_string(out, c.rules[i].rule);
		if (c.rules[i].off)
			fputs(": off\n", out);
		else
			fprintf(out, ": {severity: %s}\n", severity_names[c.rules[i].severity]);
	}
	audit_config_free(&c);
}

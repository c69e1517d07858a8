/*
 * test_print.c — config_print(): golden output of the default, byte-equal
 * output for every YAML config and its INI twin, the output is itself
 * YAML that loads back to the same configuration, and quoting.
 */
#include <criterion/criterion.h>
#include <ftw.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>

#include "helpers.h"

static char *print_file(const char *path)
{
	char msg[1024];
	struct cfg_node *root = load_or_error(path, msg, sizeof(msg));
	cr_assert_not_null(root, "%s: %s", path, msg);
	struct audit_config c;
	struct cfg_error err;
	cr_assert_eq(config_resolve(root, &c, &err), 0, "%s: %s", path,
		     cfg_error_format(&err, msg, sizeof(msg)));
	audit_config_free(&c);
	char *text = print_to_string(root);
	config_free(root);
	return text;
}

/* Printed text -> YAML file -> load -> print again. */
static char *reprint(const char *text)
{
	const char *path = write_temp("reprint.yaml", text);
	return print_file(path);
}

Test(print, default_matches_golden)
{
	struct cfg_node *root = NULL;
	struct cfg_error err;
	cr_assert_eq(config_load_default(&root, &err), 0);
	char *text = print_to_string(root);
	char *golden = slurp(src_path("tests/config/golden/default.out"), NULL);
	cr_assert_not_null(golden);
	cr_assert_str_eq(text, golden, "config_print(default) differs from golden/default.out");
	char *again = reprint(text);
	cr_assert_str_eq(again, text, "printed output does not load back to itself");
	free(again);
	free(golden);
	free(text);
	config_free(root);

	char *file = print_file(src_path("configs/default.yaml"));
	cr_assert_str_eq(file, text = slurp(src_path("tests/config/golden/default.out"), NULL));
	free(file);
	free(text);
	assert_no_leaks();
}

/* ---- twins -------------------------------------------------------------- */

static char *twins[64];
static size_t n_twins;

static int collect(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	size_t len = strlen(path);
	if (flag != FTW_F || len < 5 || strcmp(path + len - 5, ".yaml") != 0)
		return 0;
	char ini[4096];
	snprintf(ini, sizeof(ini), "%.*s.ini", (int)(len - 5), path);
	if (access(ini, R_OK) == 0 && n_twins < 64)
		twins[n_twins++] = strdup(path);
	return 0;
}

Test(print, yaml_and_ini_twins_print_identically)
{
	cr_assert_eq(nftw(src_path("configs"), collect, 16, FTW_PHYS), 0);
	cr_assert_geq(n_twins, 3, "expected base + two assignments with INI twins");
	for (size_t i = 0; i < n_twins; i++) {
		char ini[4096];
		snprintf(ini, sizeof(ini), "%.*s.ini", (int)(strlen(twins[i]) - 5), twins[i]);
		char *a = print_file(twins[i]);
		char *b = print_file(ini);
		cr_assert_str_eq(a, b, "%s and its INI twin print differently", twins[i]);
		char *again = reprint(a);
		cr_assert_str_eq(again, a, "%s: printed output does not load back to itself",
				 twins[i]);
		free(again);
		free(a);
		free(b);
		free(twins[i]);
	}
	assert_no_leaks();
}

Test(print, assignment_content)
{
	char *text = print_file(src_path("configs/assignments/chat-server.yaml"));
	cr_assert(strstr(text, "  command: [python3, server.py]\n"), "%s", text);
	cr_assert(strstr(text, "  process:\n    allow_exec: python3\n"), "%s", text);
	cr_assert(strstr(text, "    allow_listen: 127.0.0.1:5555\n"), "%s", text);
	cr_assert(strstr(text, "    allow_connect: 127.0.0.1:5555\n"), "%s", text);
	cr_assert(strstr(text, "  title: \"Chat server assignment\"\n"), "%s", text);
	cr_assert(strstr(text, "/configs/assignments\n"), "workdir . is the config's dir: %s",
		  text);
	free(text);
	text = print_file(src_path("configs/assignments/cli-tool.ini"));
	cr_assert(strstr(text, "  setup: [make]\n"), "%s", text);
	cr_assert(strstr(text, "    allow_exec: [make, cc, gcc, ./*]\n"), "%s", text);
	cr_assert(strstr(text, "    allow_connect: []\n    allow_listen: []\n"), "%s", text);
	free(text);
	assert_no_leaks();
}

Test(print, normalizes_values_and_quotes_when_needed)
{
	const char *path = write_temp(
		"q.yaml",
		"target: {command: \"sh -c 'echo hi: #x'\", duration: 2m,"
		" env: {GREETING: 'a \"b\"', EMPTY: ''}}\n"
		"sandbox: {limits: {memory: 1048576, file_size: 1000}, no_new_privs: yes}\n"
		"plugins:\n"
		"  x:\n"
		"    words: ['null', '', '-', 'a,b', '[x]', 'tab\there', 'caf\u00e9', \"x: y\"]\n"
		"    nested: {deeper: {k: [1, 2]}, list_of_maps: [{a: 1}, {b: [2]}]}\n"
		"    one: [only]\n"
		"    nothing: null\n"
		"report: {title: 'yes: \"quoted\"'}\n");
	char *text = print_file(path);
	cr_assert(strstr(text, "  command: [sh, -c, \"echo hi: #x\"]\n"), "%s", text);
	cr_assert(strstr(text, "  duration: 120\n"), "%s", text);
	cr_assert(strstr(text, "    GREETING: \"a \\\"b\\\"\"\n    EMPTY: \"\"\n"), "%s", text);
	cr_assert(strstr(text, "    file_size: 1000\n    memory: 1M\n"), "%s", text);
	cr_assert(strstr(text, "  no_new_privs: true\n"), "%s", text);
	cr_assert(strstr(text, "    words: [\"null\", \"\", \"-\", \"a,b\", \"[x]\", \"tab\\there\","
			       " \"caf\u00e9\", \"x: y\"]\n"),
		  "%s", text);
	cr_assert(strstr(text, "    nested:\n      deeper:\n        k: [1, 2]\n"
			       "      list_of_maps: [{a: 1}, {b: 2}]\n"),
		  "%s", text);
	cr_assert(strstr(text, "    one: only\n    nothing: null\n"), "%s", text);
	cr_assert(strstr(text, "  title: \"yes: \\\"quoted\\\"\"\n"), "%s", text);
	char *again = reprint(text);
	cr_assert_str_eq(again, text);
	free(again);
	free(text);
	assert_no_leaks();
}

Test(print, invalid_config_prints_a_comment)
{
	const char *path = write_temp("bad.yaml", "target: {duration: never}\n");
	char msg[256];
	struct cfg_node *root = load_or_error(path, msg, sizeof(msg));
	cr_assert_not_null(root);
	char *text = print_to_string(root);
	cr_assert(strncmp(text, "# invalid configuration: ", 25) == 0, "%s", text);
	free(text);
	config_free(root);
	assert_no_leaks();
}

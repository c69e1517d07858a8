/*
 * test_errors.c — every error class, pinned by its fixture (named for the
 * bug) and its exact "file:line: key: message" text, as `dynaudit check`
 * prints it after "dynaudit: ".
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "core/config/config_ini_features.h"
#include "helpers.h"

static void expect_error(const char *fixture, const char *text)
{
	enter_fixtures();
	cr_assert_str_eq(error_of(fixture), text, "fixture %s", fixture);
}

static int load_rc(const char *fixture)
{
	enter_fixtures();
	struct cfg_node *root = NULL;
	struct cfg_error err;
	int rc = config_load_file(fixture, &root, &err);
	config_free(root);
	return rc;
}

Test(errors, unknown_key)
{
	expect_error("unknown-key.yaml", "unknown-key.yaml:3: target.comand: unknown key");
	expect_error("unknown-key.ini", "unknown-key.ini:6: sandbox.netwrok: unknown key");
	expect_error("unknown-section.ini", "unknown-section.ini:4: sandboxx: unknown key");
	assert_no_leaks();
}

Test(errors, extends_only_at_top_level)
{
	expect_error("extends-not-top-level.yaml",
		     "extends-not-top-level.yaml:2: target.extends: extends is only allowed at the "
		     "top of a configuration file");
	assert_no_leaks();
}

Test(errors, wrong_types)
{
	expect_error("wrong-type-list-for-scalar.yaml",
		     "wrong-type-list-for-scalar.yaml:2: sandbox.network: expected a single value, "
		     "got a list");
	expect_error("wrong-type-scalar-for-map.yaml",
		     "wrong-type-scalar-for-map.yaml:2: sandbox.limits: expected a map of keys, got "
		     "a single value");
	expect_error("wrong-type-list-for-map.yaml",
		     "wrong-type-list-for-map.yaml:1: target: expected a map of keys, got a list");
	expect_error("wrong-type-plugin-not-map.yaml",
		     "wrong-type-plugin-not-map.yaml:2: plugins.process: expected a map of detector "
		     "options (or {}), got a list");
	expect_error("top-level-not-map.yaml",
		     "top-level-not-map.yaml:1: the top level must be a map of keys (target:, "
		     "sandbox:, ...)");
	expect_error("bad-bool.yaml", "bad-bool.yaml:2: sandbox.no_new_privs: invalid boolean "
				      "'maybe' (true or false)");
	expect_error("bad-enum.yaml",
		     "bad-enum.yaml:2: sandbox.network: invalid value 'bridge' (none or host)");
	expect_error("bad-report-format.yaml", "bad-report-format.yaml:2: report.formats: "
					       "unknown report format 'pdf' (markdown, json, html, junit or sarif)");
	expect_error("bad-command-quote.yaml",
		     "bad-command-quote.yaml:2: target.command: cannot split 'python3 "
		     "'unterminated' into words: unterminated quote or trailing backslash");
	assert_no_leaks();
}

Test(errors, plugin_names)
{
	expect_error("bad-plugin-name.yaml",
		     "bad-plugin-name.yaml:3: plugins.../evil: not a valid detector name (letters, "
		     "digits, '_', '-', '.')");
	expect_error("plugin-section-without-name.ini",
		     "plugin-section-without-name.ini:1: section [plugin] needs a detector name: "
		     "[plugin.NAME]");
	assert_no_leaks();
}

Test(errors, bad_duration_and_size)
{
	expect_error("bad-duration.yaml",
		     "bad-duration.yaml:3: target.duration: invalid duration 'abc' (a positive "
		     "number of seconds, or with a unit: 500ms, 90s, 2m, 1h)");
	expect_error("bad-duration.ini",
		     "bad-duration.ini:2: target.duration: invalid duration '10 minutes' (a "
		     "positive number of seconds, or with a unit: 500ms, 90s, 2m, 1h)");
	expect_error("bad-size.yaml",
		     "bad-size.yaml:3: sandbox.limits.memory: invalid size '12Q' (a positive number "
		     "of bytes, or with a unit: 512K, 64M, 1G)");
	assert_no_leaks();
}

Test(errors, bad_wait_for)
{
	expect_error("bad-wait-for.yaml",
		     "bad-wait-for.yaml:3: driver.wait_for: 'localhost:port' is neither an address "
		     "the target listens on (127.0.0.1:5555) nor a duration (2s)");
	assert_no_leaks();
}

Test(errors, missing_file)
{
	expect_error("no-such-config.yaml",
		     "no-such-config.yaml: cannot read the file: No such file or directory");
	cr_assert_eq(load_rc("no-such-config.yaml"), -ENOENT);
	expect_error("missing-extends.yaml", "missing-extends.yaml:2: extends: cannot read "
					     "does-not-exist.ini: No such file or directory");
	cr_assert_eq(load_rc("missing-extends.yaml"), -ENOENT);
	assert_no_leaks();
}

Test(errors, extends_cycle)
{
	expect_error("extends-cycle-a.yaml",
		     "extends-cycle-b.ini:1: extends: extends cycle: extends-cycle-a.yaml -> "
		     "extends-cycle-b.ini -> extends-cycle-a.yaml");
	expect_error("extends-self.yaml", "extends-self.yaml:1: extends: extends cycle: "
					  "extends-self.yaml -> extends-self.yaml");
	cr_assert_eq(load_rc("extends-cycle-a.yaml"), -EINVAL);
	assert_no_leaks();
}

Test(errors, duplicates)
{
	expect_error("duplicate-key.yaml",
		     "duplicate-key.yaml:4: target.duration: duplicate key (first set at line 2)");
	expect_error("duplicate-key.ini",
		     "duplicate-key.ini:3: target.duration: duplicate key (first set at line 2)");
	expect_error("duplicate-section.ini",
		     "duplicate-section.ini:7: [target]: duplicate section (first at line 1)");
	expect_error("duplicate-plugin.ini", "duplicate-plugin.ini:6: [plugin.process]: duplicate "
					     "plugin section (first at line 1)");
	assert_no_leaks();
}

Test(errors, yaml_syntax)
{
	expect_error("yaml-syntax-error.yaml",
		     "yaml-syntax-error.yaml:3: YAML syntax error: did not find expected ',' or ']' "
		     "(while parsing a flow sequence)");
	expect_error("yaml-syntax-error-indent.yaml",
		     "yaml-syntax-error-indent.yaml:3: YAML syntax error: did not find expected key "
		     "(while parsing a block mapping)");
	expect_error("two-documents.yaml",
		     "two-documents.yaml:3: more than one YAML document ('---') in the file");
	expect_error("non-string-key.yaml", "non-string-key.yaml:3: c: map keys must be strings");
	cr_assert_eq(load_rc("yaml-syntax-error.yaml"), -EINVAL);
	assert_no_leaks();
}

Test(errors, ini_syntax)
{
	expect_error("ini-syntax-error.ini",
		     "ini-syntax-error.ini:3: INI syntax error: expected 'key = value', '[section]' "
		     "or a comment");
	expect_error("ini-syntax-error-section.ini",
		     "ini-syntax-error-section.ini:1: INI syntax error: section header without ']'");
	expect_error("ini-continuation-line.ini",
		     "ini-continuation-line.ini:3: target.command: indented line continues the "
		     "previous value; continuation lines are not supported (write a "
		     "comma-separated list on one line)");
	cr_assert_eq(load_rc("ini-syntax-error.ini"), -EINVAL);
	assert_no_leaks();
}

Test(errors, ini_line_limits)
{
	char line[6000];
	memset(line, 'x', sizeof(line));
	memcpy(line, "[target]\ntitle = ", 17);
	line[sizeof(line) - 1] = '\0';
	const char *path = write_temp("long.ini", line);
	char msg[1024];
	cr_assert_null(load_or_error(path, msg, sizeof(msg)));
	cr_assert(strstr(msg, ".ini:2: line too long (at most "), "%s", msg);
#if CFG_INIH_HAS_MAX_LINE_VAR
	cr_assert(strstr(msg, "(at most 4094 characters)"), "%s", msg);
	line[1000] = '\0';
	path = write_temp("long.ini", line);
	struct cfg_node *root = load_or_error(path, msg, sizeof(msg));
	cr_assert_not_null(root, "a 1000-character INI line is refused: %s", msg);
	config_free(root);
#endif

	path = write_temp("nul.ini", "[target]\nduration = 1\n");
	FILE *f = fopen(path, "a");
	fwrite("x = \0y\n", 1, 7, f);
	fclose(f);
	cr_assert_null(load_or_error(path, msg, sizeof(msg)));
	cr_assert(strstr(msg, ".ini:3: NUL byte in the line"), "%s", msg);
	assert_no_leaks();
}

Test(errors, format_is_one_line)
{
	struct cfg_error e = {.line = 0};
	strcpy(e.file, "a.yaml");
	strcpy(e.msg, "boom");
	char buf[64];
	cr_assert_str_eq(cfg_error_format(&e, buf, sizeof(buf)), "a.yaml: boom");
	e.line = 7;
	strcpy(e.key, "target.x");
	cr_assert_str_eq(cfg_error_format(&e, buf, sizeof(buf)), "a.yaml:7: target.x: boom");
	char tiny[8];
	cr_assert_str_eq(cfg_error_format(&e, tiny, sizeof(tiny)), "a.yaml:");
	assert_no_leaks();
}

/* `extends` of a file that is not a configuration (checked as root, it may
 * be /etc/shadow): the error names the file and line and says what is
 * wrong, but shows none of its text; a real base keeps its key names. */
static void expect_no_secret(const char *fixture, const char *text)
{
	expect_error(fixture, text);
	cr_assert_null(strstr(error_of(fixture), "SECRETMARK"), "fixture %s", fixture);
}

Test(errors, extends_of_a_file_that_is_not_a_config)
{
	expect_no_secret("extends-not-a-config.yaml",
			 "not-a-config-shadow:1: not a dynaudit configuration file: unknown top-level "
			 "key (name not shown) (file extended at extends-not-a-config.yaml:3)");
	expect_no_secret("extends-not-a-config-env.yaml",
			 "not-a-config.env:1: not a dynaudit configuration file: unknown top-level key "
			 "(name not shown) (file extended at extends-not-a-config-env.yaml:2)");
	expect_no_secret("extends-not-a-config-ini.yaml",
			 "not-a-config-dup.ini:3: duplicate section (first at line 1) (file extended "
			 "at extends-not-a-config-ini.yaml:2)");
	expect_no_secret("extends-not-a-config-dupkey.yaml",
			 "not-a-config-dup.yaml:2: duplicate key (first set at line 1) (file extended "
			 "at extends-not-a-config-dupkey.yaml:2)");
	cr_assert_eq(load_rc("extends-not-a-config.yaml"), -EINVAL);
	expect_error("extends-base-typo.yaml", "extends-base-typo-base.yaml:3: target.comand: unknown key");
	assert_no_leaks();
}

/*
 * test_rules.c — `rules:` overrides (core/config/config_rules.c): the YAML
 * and INI forms give the same overrides; a bad id or value is an error at
 * the entry's file:line.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

static void resolve(const char *name, const char *text, struct audit_config *cfg,
		    struct cfg_node **root)
{
	char msg[1024];
	*root = load_or_error(write_temp(name, text), msg, sizeof(msg));
	cr_assert_not_null(*root, "%s", msg);
	struct cfg_error err;
	int rc = config_resolve(*root, cfg, &err);
	cr_assert_eq(rc, 0, "%s", cfg_error_format(&err, msg, sizeof(msg)));
}

static void expect_two_overrides(const struct audit_config *cfg)
{
	cr_assert_eq(cfg->n_rules, 2);
	const struct rule_override *shell = config_rule_override(cfg->rules, cfg->n_rules, "process.shell");
	const struct rule_override *dns = config_rule_override(cfg->rules, cfg->n_rules, "network.dns");
	cr_assert(shell && dns);
	cr_expect_not(shell->off);
	cr_expect_eq(shell->severity, 2 /* medium */);
	cr_expect(dns->off);
	cr_expect_null(config_rule_override(cfg->rules, cfg->n_rules, "network.connect"));
	cr_expect_gt(shell->line, 0);
}

Test(rules, yaml_and_ini_forms)
{
	struct audit_config cfg;
	struct cfg_node *root;
	resolve("rules.yaml",
		"target: {command: [python3, server.py]}\n"
		"rules:\n"
		"  process.shell: {severity: medium}\n"
		"  network.dns: off\n",
		&cfg, &root);
	expect_two_overrides(&cfg);
	audit_config_free(&cfg);
	config_free(root);

	resolve("rules.ini",
		"[target]\ncommand = python3 server.py\n"
		"[rules]\n"
		"process.shell = medium\n"
		"network.dns = off\n",
		&cfg, &root);
	expect_two_overrides(&cfg);
	cr_expect_eq(cfg.rules[0].line, 4);
	audit_config_free(&cfg);
	config_free(root);

	/* the severity word alone is also fine in YAML */
	resolve("rules-word.yaml", "rules: {process.shell: high}\n", &cfg, &root);
	cr_expect_eq(cfg.rules[0].severity, 3);
	audit_config_free(&cfg);
	config_free(root);
	assert_no_leaks();
}

Test(rules, errors_name_the_entry)
{
	/* the detector part is the audit's to check, once detectors are
	 * loaded (tests/e2e/rules_overrides.sh) */
	const char *p = write_temp("rules-unknown-detector.yaml",
				   "plugins: {process: {}}\n"
				   "rules:\n"
				   "  process.shell: off\n"
				   "  network.dns: off\n");
	cr_expect_str_eq(error_of(p), "");
	p = write_temp("rules-bad-id.yaml", "rules:\n  shell: off\n");
	cr_expect(strstr(error_of(p), "rules-bad-id.yaml:2: rules.shell: not a rule id"), "%s", error_of(p));
	p = write_temp("rules-bad-value.yaml", "rules:\n  process.shell: loud\n");
	cr_expect(strstr(error_of(p), "rules-bad-value.yaml:2: rules.process.shell: 'loud' is neither off nor a severity"),
		  "%s", error_of(p));
	p = write_temp("rules-bad-key.yaml", "rules:\n  process.shell:\n    level: low\n");
	cr_expect(strstr(error_of(p), "rules-bad-key.yaml:3: rules.process.shell: unknown key 'level'"),
		  "%s", error_of(p));
	p = write_temp("rules-bad.ini", "[rules]\nfile.persistence = loud\n");
	cr_expect(strstr(error_of(p), "rules-bad.ini:2: rules.file.persistence: 'loud' is neither"),
		  "%s", error_of(p));
	p = write_temp("rules-list.yaml", "rules: [process.shell]\n");
	cr_expect(strstr(error_of(p), "rules: expected a map"), "%s", error_of(p));
	assert_no_leaks();
}

Test(rules, printed_config_keeps_them)
{
	char msg[1024];
	struct cfg_node *root = load_or_error(
		write_temp("rules-print.ini", "[rules]\nprocess.shell = medium\nnetwork.dns = off\n"), msg,
		sizeof(msg));
	cr_assert_not_null(root, "%s", msg);
	char *text = print_to_string(root);
	cr_expect(strstr(text, "rules:\n  process.shell: {severity: medium}\n  network.dns: off\n"), "%s",
		  text);
	/* and the printed form loads to the same overrides */
	struct cfg_node *again = load_or_error(write_temp("rules-print.yaml", text), msg, sizeof(msg));
	cr_assert_not_null(again, "%s", msg);
	struct audit_config cfg;
	struct cfg_error err;
	cr_assert_eq(config_resolve(again, &cfg, &err), 0, "%s", cfg_error_format(&err, msg, sizeof(msg)));
	cr_expect_eq(cfg.n_rules, 2);
	cr_expect(cfg.rules[1].off);
	audit_config_free(&cfg);
	config_free(again);
	config_free(root);
	free(text);
	assert_no_leaks();
}

/* --set rules.ID=VALUE and rules.ID.severity=VALUE: the id keeps its dot
 * (rules.process.shell is the rule process.shell, not rules: {process:
 * {shell: ...}}), over a file's entry or without one. */
Test(rules, set_takes_the_rest_of_the_key_as_the_rule_id)
{
	char msg[1024];
	struct cfg_node *root = load_or_error(
		write_temp("rules-set.yaml", "rules:\n  network.dns: off\n  file.persistence: {severity: low}\n"),
		msg, sizeof(msg));
	cr_assert_not_null(root, "%s", msg);
	must_set(root, "rules.process.shell=off");
	must_set(root, "rules.process.recon.severity=low");
	must_set(root, "rules.network.dns.severity=high");      /* was off: now a severity */
	must_set(root, "rules.file.persistence.severity=medium"); /* inside the file's map */
	must_set(root, "rules.code_integrity.crash=critical");   /* the word alone */
	must_set(root, "rules.x.severity=info");                 /* a rule named severity */
	struct audit_config cfg;
	must_resolve(root, &cfg);
	cr_assert_eq(cfg.n_rules, 6);
	const struct rule_override *o;
	o = config_rule_override(cfg.rules, cfg.n_rules, "process.shell");
	cr_assert(o && o->off);
	o = config_rule_override(cfg.rules, cfg.n_rules, "process.recon");
	cr_assert(o && !o->off && o->severity == 1, "process.recon low");
	o = config_rule_override(cfg.rules, cfg.n_rules, "network.dns");
	cr_assert(o && !o->off && o->severity == 3, "network.dns high, no longer off");
	o = config_rule_override(cfg.rules, cfg.n_rules, "file.persistence");
	cr_assert(o && o->severity == 2, "file.persistence medium");
	o = config_rule_override(cfg.rules, cfg.n_rules, "code_integrity.crash");
	cr_assert(o && o->severity == 4);
	o = config_rule_override(cfg.rules, cfg.n_rules, "x.severity");
	cr_assert(o && o->severity == 0, "x.severity is an id: it has no dot before .severity");
	cr_expect_eq(o->line, 0, "from --set: no line");
	cr_expect_str_eq(o->file, "--set");
	audit_config_free(&cfg);
	config_free(root);
}

Test(rules, set_errors_name_the_rule)
{
	struct cfg_node *root = NULL;
	struct cfg_error err;
	char msg[1024];
	cr_assert_eq(config_load_default(&root, &err), 0);
	must_set(root, "rules.process.shell=loud");
	struct audit_config cfg;
	cr_assert_eq(config_resolve(root, &cfg, &err), -EINVAL);
	cr_expect_str_eq(cfg_error_format(&err, msg, sizeof(msg)),
			 "--set: rules.process.shell: 'loud' is neither off nor a severity (info, low, "
			 "medium, high, critical)");
	config_free(root);

	cr_assert_eq(config_load_default(&root, &err), 0);
	must_set(root, "rules.shell=off");
	cr_assert_eq(config_resolve(root, &cfg, &err), -EINVAL);
	cr_expect_str_eq(cfg_error_format(&err, msg, sizeof(msg)),
			 "--set: rules.shell: not a rule id (DETECTOR.RULE, e.g. process.shell)");
	config_free(root);

	/* rules: as something else than a map cannot take an entry */
	root = load_or_error(write_temp("rules-scalar.yaml", "rules: none\n"), msg, sizeof(msg));
	cr_assert_not_null(root, "%s", msg);
	cr_assert_eq(config_set(root, "rules.process.shell=off", &err), -EINVAL);
	cr_expect(strstr(cfg_error_format(&err, msg, sizeof(msg)), "rules: cannot set a key inside it"),
		  "%s", msg);
	config_free(root);
}

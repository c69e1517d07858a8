/*
 * test_rules_lang.c — the condition language: operators, types, lists,
 * macros, the process tree, templates, and errors at file:line:column.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "helpers.h"

#define RULE(cond) "rules:\n  - id: r\n    severity: high\n    message: m\n    condition: " cond "\n"

static bool match_one(const char *cond, const struct da_event *ev)
{
	struct fixture fx;
	char text[2048];
	snprintf(text, sizeof(text), "lists:\n  shells: [sh, bash]\n  more: [shells, zsh]\n"
		 "macros:\n  is_exec: kind = exec\n" RULE("%s"), cond);
	int rc = fx_load(&fx, text);
	cr_assert_eq(rc, 0, "%s: %s", cond, fx.err.msg);
	bool m = fx_match(&fx, 0, ev);
	fx_free(&fx);
	return m;
}

static const char *load_error(const char *text)
{
	static struct fixture fx;
	static char msg[1024];
	int rc = fx_load(&fx, text);
	snprintf(msg, sizeof(msg), "%s", rc == -EINVAL ? fx.err.msg : "(loaded)");
	fx_free(&fx);
	return msg;
}

Test(lang, string_operators)
{
	struct da_event ev = fx_event(DA_EV_FILE_OPEN, 5, 1);
	ev.path = "/etc/shadow";
	cr_assert(match_one("path = /etc/shadow", &ev));
	cr_assert(match_one("path != /etc/passwd", &ev));
	cr_assert(match_one("path glob \"/etc/*\"", &ev));
	cr_assert(match_one("path startswith (/usr, /etc/)", &ev));
	cr_assert(match_one("path endswith shadow", &ev));
	cr_assert(match_one("path contains sha", &ev));
	cr_assert(match_one("path in (/etc/shadow, /etc/gshadow)", &ev));
	cr_assert(!match_one("path in (/etc/passwd)", &ev));
	cr_assert(match_one("path exists and not path2 exists", &ev));
	cr_assert(match_one("path2 != x", &ev), "an absent field passes only !=");
	cr_assert(!match_one("path2 = x", &ev));
	cr_assert(match_one("path.sensitive", &ev));
}

Test(lang, numbers_names_and_bits)
{
	struct da_event ev = fx_event(DA_EV_FILE_CHMOD, 5, 1);
	ev.mode = 04755;
	cr_assert(match_one("kind = chmod and mode hasbits 06000", &ev));
	cr_assert(match_one("mode >= 0755 and mode < 0x10000 and pid = 5 and ppid <= 1", &ev));
	cr_assert(!match_one("kind in (open, exec)", &ev));
	ev = fx_event(DA_EV_FILE_OPEN, 5, 1);
	ev.access = DA_ACC_WRITE | DA_ACC_CREATE;
	cr_assert(match_one("access hasbits (trunc, create)", &ev));
	cr_assert(!match_one("access hasbits read", &ev));
	ev.err = 13;
	ev.errname = "EACCES";
	cr_assert(match_one("errno = EACCES and err = 13 and not success", &ev));
}

Test(lang, argv_lists_and_macros)
{
	const char *argv[] = {"/bin/sh", "-c", "curl x | sh"};
	struct da_event ev = fx_event(DA_EV_PROC_EXEC, 7, 1);
	ev.path = "/bin/sh";
	ev.argv = argv;
	ev.argc = 3;
	cr_assert(match_one("is_exec and name in shells", &ev));
	cr_assert(match_one("name in (more)", &ev));
	cr_assert(match_one("argv = -c", &ev), "any element");
	cr_assert(match_one("argv contains curl", &ev));
	cr_assert(match_one("argv glob \"*| sh\"", &ev));
	cr_assert(match_one("argv[1] = -c and argc = 3", &ev));
	cr_assert(!match_one("argv != -c", &ev), "!= on a list: no element equal");
	cr_assert(match_one("cmdline = \"/bin/sh -c curl x | sh\"", &ev));
	cr_assert(match_one("not (name = bash or name = zsh) and (name.shell)", &ev));
}

Test(lang, addresses)
{
	struct da_event ev = fx_event(DA_EV_NET_CONNECT, 7, 1);
	ev.addr = "[::ffff:203.0.113.7]:8080";
	ev.port = 8080;
	cr_assert(match_one("addr cidr 203.0.113.0/24", &ev), "IPv4-mapped is IPv4");
	cr_assert(!match_one("addr cidr (10.0.0.0/8, 192.168.0.0/16)", &ev));
	cr_assert(match_one("addr.host = 203.0.113.7 and port = 8080", &ev));
	cr_assert(match_one("addr endpoint \"203.0.113.7:8080\"", &ev));
	cr_assert(!match_one("addr endpoint (localhost, \"*:443\")", &ev));
	ev.addr = "[2001:db8::1]:80";
	cr_assert(match_one("addr cidr 2001:db8::/32", &ev));
	ev.addr = "127.0.0.5:1";
	cr_assert(match_one("addr endpoint localhost", &ev));
}

Test(lang, process_tree)
{
	struct fixture fx;
	cr_assert_eq(fx_load(&fx, RULE("kind = exec and parent.name = python3 and "
				      "ancestor.name = bash and not initial_exec")), 0, "%s", fx.err.msg);
	struct da_event ev = fx_event(DA_EV_PROC_EXEC, 10, 0);
	ev.path = "/bin/bash";
	cr_assert(!fx_match(&fx, 0, &ev), "the target's own exec");
	struct da_event fork = fx_event(DA_EV_PROC_FORK, 10, 0);
	fork.target_pid = 11;
	fx_match(&fx, 0, &fork);
	ev = fx_event(DA_EV_PROC_EXEC, 11, 10);
	ev.path = "/usr/bin/python3";
	cr_assert(!fx_match(&fx, 0, &ev));
	fork = fx_event(DA_EV_PROC_FORK, 11, 10);
	fork.target_pid = 12;
	fx_match(&fx, 0, &fork);
	ev = fx_event(DA_EV_PROC_EXEC, 12, 11);
	ev.path = "/bin/sh";
	cr_assert(fx_match(&fx, 0, &ev), "sh under python3 under bash");
	cr_assert(rproc_descends(&fx.procs, 12, 10));
	cr_assert(!rproc_descends(&fx.procs, 10, 12));
	fx_free(&fx);
}

Test(lang, initial_exec_per_phase)
{
	struct fixture fx;
	cr_assert_eq(fx_load(&fx, RULE("initial_exec")), 0, "%s", fx.err.msg);
	struct da_event ev = fx_event(DA_EV_PROC_EXEC, 4, 0);
	ev.phase = "setup";
	ev.path = "/usr/bin/make";
	cr_assert(fx_match(&fx, 0, &ev), "the setup command");
	cr_assert(!fx_match(&fx, 0, &ev), "a second exec of the setup process");
	ev = fx_event(DA_EV_PROC_EXEC, 9, 0);
	ev.path = "/usr/bin/python3";
	cr_assert(fx_match(&fx, 0, &ev), "the target command");
	ev.path = "/bin/sh";
	cr_assert(!fx_match(&fx, 0, &ev), "the target re-executing itself is its own doing");
	fx_free(&fx);
}

Test(lang, template)
{
	struct fixture fx;
	cr_assert_eq(fx_load(&fx, "rules:\n  - id: t\n    severity: low\n    condition: kind = open\n"
			     "    message: \"100%% %{kind} of %{path} by pid %{pid} (%{argv[0]}) %{mode}\"\n"), 0);
	struct da_event ev = fx_event(DA_EV_FILE_OPEN, 3, 1);
	ev.path = "/x";
	ev.mode = 0644;
	fx.ctx.ev = &ev;
	char buf[256];
	cr_assert_str_eq(rules_render(&fx.rs.rules[0].message, &fx.ctx, buf, sizeof(buf)),
			 "100% open of /x by pid 3 () 0644");
	cr_assert_str_eq(rules_render(&fx.rs.rules[0].message, &fx.ctx, buf, 8), "100% op");
	fx_free(&fx);
}

Test(lang, ids_kinds_and_options)
{
	struct fixture fx;
	cr_assert_eq(fx_load(&fx, "rules:\n  - id: rules.a\n    severity: info\n    message: m\n"
			     "    condition: kind in (connect, send) or kind = listen\n"
			     "  - {id: b, severity: low, message: m, condition: path exists, enabled: false}\n"
			     "  - id: c\n    severity: critical\n    message: m\n    within: 500ms\n"
			     "    by: process\n    sequence: [kind = connect, {condition: kind = exec}]\n"), 0,
		     "%s", fx.err.msg);
	cr_assert_eq(fx.rs.n_rules, 2, "disabled rules are not loaded");
	cr_assert_str_eq(fx.rs.rules[0].id, "rules.a");
	cr_assert(DA_EVMASK_HAS(fx.rs.rules[0].kinds, DA_EV_NET_SEND));
	cr_assert(DA_EVMASK_HAS(fx.rs.rules[0].kinds, DA_EV_NET_LISTEN));
	cr_assert(!DA_EVMASK_HAS(fx.rs.rules[0].kinds, DA_EV_FILE_OPEN));
	cr_assert_eq(fx.rs.rules[1].n_steps, 2);
	cr_assert_float_eq(fx.rs.rules[1].within, 0.5, 1e-9);
	cr_assert_eq(fx.rs.rules[1].scope, SCOPE_PROCESS);
	fx_free(&fx);
}

Test(errors, positions_and_messages)
{
	cr_assert_str_eq(load_error(RULE("pathx = /a")),
			 "t.rules.yaml:5:16: unknown field 'pathx'");
	cr_assert(strstr(load_error(RULE("path ~ /a")), "t.rules.yaml:5:21: "), "%s",
		  load_error(RULE("path ~ /a")));
	cr_assert(strstr(load_error(RULE("path like /a")), "5:21: bad operator 'like'"));
	cr_assert_str_eq(load_error(RULE("(path = /a")),
			 "t.rules.yaml:5:16: unbalanced parentheses: this '(' is not closed");
	cr_assert_str_eq(load_error(RULE("path = /a)")),
			 "t.rules.yaml:5:25: unbalanced parentheses: ')' without '('");
	cr_assert_str_eq(load_error(RULE("nosuch and path = /a")),
			 "t.rules.yaml:5:16: unknown macro or field 'nosuch'");
	cr_assert(strstr(load_error(RULE("pid = abc")), "5:22: type mismatch: 'pid' is a number"));
	cr_assert(strstr(load_error(RULE("path > 3")), "5:21: type mismatch: '>' compares numbers"));
	cr_assert(strstr(load_error(RULE("pid glob 3")), "5:20: type mismatch"));
	cr_assert(strstr(load_error(RULE("kind = opne")), "'kind' is a number or a name of one"));
	cr_assert(strstr(load_error(RULE("name in shells")), "unknown list 'shells'"));
	cr_assert(strstr(load_error(RULE("addr cidr 10.0.0.0/33")), "not an address or a CIDR"));
	cr_assert(strstr(load_error(RULE("addr endpoint \"[::1\"")), "5:30: "));
	cr_assert(strstr(load_error(RULE("path = \"/a")), "unterminated quoted string"), "%s",
		  load_error(RULE("path = \"/a")));
	cr_assert(strstr(load_error("macros:\n  m: pid = 1\n" RULE("m m")),
			 "t.rules.yaml:7:18: expected 'and', 'or' or the end, not 'm'"),
		  "%s", load_error("macros:\n  m: pid = 1\n" RULE("m m")));
	cr_assert(strstr(load_error("macros:\n  a: b\n  b: a\n" RULE("a")),
			 "macro 'a' uses itself"));
	cr_assert(strstr(load_error("macros:\n  m: path = )\n" RULE("m")),
			 "t.rules.yaml:7:16: in macro 'm': t.rules.yaml:2:13: "), "%s",
		  load_error("macros:\n  m: path = )\n" RULE("m")));
	cr_assert(strstr(load_error("rules:\n  - id: r\n    severity: high\n    message: m\n"
				    "    condition: |\n      kind = open and\n      pathz = 1\n"),
			 "t.rules.yaml:7:7: unknown field 'pathz'"));
	cr_assert(strstr(load_error("rules:\n  - id: r\n    severity: huge\n    message: m\n"
				    "    condition: path exists\n"), "3:15: unknown severity 'huge'"));
	cr_assert(strstr(load_error("rules:\n  - id: r\n    severity: high\n    message: \"%{nope}\"\n"
				    "    condition: path exists\n"), "4:17: unknown field 'nope' in the message"));
	cr_assert(strstr(load_error("rules:\n  - id: r\n    severity: high\n    message: m\n"
				    "    condition: path exists\n    colour: red\n"), "6:5: unknown rule key"));
	cr_assert(strstr(load_error("rule:\n  - id: r\n"), "1:1: unknown key 'rule'"));
	cr_assert(strstr(load_error("rules:\n  - id: Bad-Id\n    severity: high\n    message: m\n"
				    "    condition: path exists\n"), "must be [a-z][a-z0-9_]*"));
	cr_assert(strstr(load_error(RULE("path exists") "  - id: r\n    severity: low\n    message: m\n"
				    "    condition: path exists\n"), "rule rules.r is defined twice"));
	cr_assert(strstr(load_error("rules:\n  - id: r\n    severity: high\n    message: m\n"
				    "    sequence: [kind = exec]\n"), "a sequence has 2 to 4 steps"));
}

/*
 * test_plugin_decl.c — a descriptor's ABI 1.2 declarations as the loader
 * reads them (engine/plugin_decl.h) and a config subtree checked against
 * declared options (engine/plugin_options.h), without dlopen.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "engine/plugin_decl.h"
#include "engine/plugin_options.h"

static int ok_init(const struct da_host *h, const struct da_cfg *c, void **s, char *e, size_t n)
{
	(void)h; (void)c; (void)s; (void)e; (void)n;
	return 0;
}

static int ok_event(void *s, const struct da_event *ev, char *e, size_t n)
{
	(void)s; (void)ev; (void)e; (void)n;
	return 0;
}

#define DESC(...)                                                                         \
	{DA_PLUGIN_HEADER, .name = "t", .category_id = "t", .init = ok_init,              \
	 .on_event = ok_event, __VA_ARGS__}

Test(plugin_decl, kinds_make_the_mask)
{
	struct da_plugin d = DESC(.kinds = DA_KINDS(DA_EV_PROC_EXEC, DA_EV_NET_CONNECT, 70));
	d.subscriptions[0] = ~(uint64_t)0; /* ignored when .kinds is set */
	struct plugin_decl out;
	char err[256];
	cr_assert(plugin_decl_read(&d, &out, err, sizeof(err)) == 0, "%s", err);
	cr_expect(DA_EVMASK_HAS(out.mask, DA_EV_PROC_EXEC));
	cr_expect(DA_EVMASK_HAS(out.mask, DA_EV_NET_CONNECT));
	cr_expect(DA_EVMASK_HAS(out.mask, 70), "a kind >= 64 lands in the second word");
	cr_expect(out.mask[0] == (((uint64_t)1 << DA_EV_PROC_EXEC) | ((uint64_t)1 << DA_EV_NET_CONNECT)));
	cr_expect(out.mask[1] == (uint64_t)1 << (70 - 64));
}

Test(plugin_decl, unknown_or_endless_kinds_are_refused)
{
	struct plugin_decl out;
	char err[256];
	struct da_plugin d = DESC(.kinds = DA_KINDS(DA_EV_PROC_EXEC, DA_EV_KIND_MAX));
	cr_expect(plugin_decl_read(&d, &out, err, sizeof(err)) == -EINVAL);
	cr_expect(strstr(err, "event kind 96 in .kinds is not one this dynaudit knows"), "%s", err);
	static uint16_t endless[DECL_MAX_KINDS + 8];
	for (size_t i = 0; i < sizeof(endless) / sizeof(endless[0]); i++)
		endless[i] = DA_EV_PROC_EXEC;
	struct da_plugin e = DESC(.kinds = endless);
	cr_expect(plugin_decl_read(&e, &out, err, sizeof(err)) == -EINVAL);
	cr_expect(strstr(err, "no end"), "%s", err);
}

Test(plugin_decl, a_short_descriptor_is_read_as_abi_1_1)
{
	/* the tail past struct_size is garbage a 1.2 loader must not read */
	struct da_plugin d = DESC(.kinds = (const uint16_t *)8, .rules = (const struct da_rule_decl *)8,
				  .options = (const struct da_option_decl *)8);
	d.struct_size = offsetof(struct da_plugin, kinds);
	d.subscriptions[0] = 1u << DA_EV_PROC_EXEC;
	struct plugin_decl out;
	char err[256];
	cr_assert(plugin_decl_read(&d, &out, err, sizeof(err)) == 0, "%s", err);
	cr_expect(out.mask[0] == 1u << DA_EV_PROC_EXEC && out.mask[1] == 0);
	cr_expect(!out.rules && !out.options);
	d.struct_size = offsetof(struct da_plugin, rules); /* .kinds covered, the rest not */
	d.kinds = DA_KINDS(DA_EV_NET_CONNECT);
	cr_assert(plugin_decl_read(&d, &out, err, sizeof(err)) == 0, "%s", err);
	cr_expect(out.mask[0] == (uint64_t)1 << DA_EV_NET_CONNECT && !out.rules);
}

Test(plugin_decl, rule_ids_belong_to_the_category)
{
	struct plugin_decl out;
	char err[256];
	static const struct da_rule_decl good[] = {{"t.one", DA_SEV_LOW, "x"}, {"t.two_2", DA_SEV_HIGH, "y"}, {0}};
	struct da_plugin d = DESC(.rules = good);
	cr_assert(plugin_decl_read(&d, &out, err, sizeof(err)) == 0, "%s", err);
	cr_expect(out.n_rules == 2);
	static const struct da_rule_decl other[] = {{"u.one", DA_SEV_LOW, "x"}, {0}};
	struct da_plugin o = DESC(.rules = other);
	cr_expect(plugin_decl_read(&o, &out, err, sizeof(err)) == -EINVAL);
	cr_expect(strstr(err, "'u.one' in .rules is not 't.<rule>'"), "%s", err);
	static const struct da_rule_decl twice[] = {{"t.a", DA_SEV_LOW, "x"}, {"t.a", DA_SEV_LOW, "x"}, {0}};
	struct da_plugin t = DESC(.rules = twice);
	cr_expect(plugin_decl_read(&t, &out, err, sizeof(err)) == -EINVAL);
	static const struct da_rule_decl nosum[] = {{"t.a", DA_SEV_LOW, ""}, {0}};
	struct da_plugin n = DESC(.rules = nosum);
	cr_expect(plugin_decl_read(&n, &out, err, sizeof(err)) == -EINVAL);
	static const struct da_rule_decl badsev[] = {{"t.a", (enum da_severity)9, "x"}, {0}};
	struct da_plugin b = DESC(.rules = badsev);
	cr_expect(plugin_decl_read(&b, &out, err, sizeof(err)) == -EINVAL);
	cr_expect(plugin_rule_id_ok("t", "t.x") && !plugin_rule_id_ok("t", "t.") &&
		  !plugin_rule_id_ok("t", "tt.x") && !plugin_rule_id_ok("t", "t.X") &&
		  !plugin_rule_id_ok("t", "t.a.b"));
}

static const struct da_option_decl opts[] = {
	{"name", DA_OPT_STRING, "s"}, {"on", DA_OPT_BOOL, "b"}, {"n", DA_OPT_INT, "i"},
	{"wait", DA_OPT_DURATION, "d"}, {"items", DA_OPT_LIST, "l"}, {"sub", DA_OPT_MAP, "m"},
	{0},
};

/* "file:line: plugins.t.KEY: ..." of YAML text as plugins.t, or "" when it passes */
static const char *check_yaml(const char *yaml)
{
	static char err[512];
	char path[] = "/tmp/test_plugin_decl.XXXXXX";
	int fd = mkstemp(path);
	cr_assert(fd >= 0);
	FILE *f = fdopen(fd, "w");
	fprintf(f, "plugins:\n  t:\n%s", yaml);
	fclose(f);
	struct cfg_node *root = NULL;
	struct cfg_error e;
	memset(&e, 0, sizeof(e));
	cr_assert(config_load_file(path, &root, &e) == 0, "%s", e.msg);
	unlink(path);
	err[0] = '\0';
	const struct cfg_node *sub = cfg_map_get(cfg_map_get(root, "plugins"), "t");
	int rc = plugin_options_check("t", opts, sub, err, sizeof(err));
	cr_expect((rc == 0) == (err[0] == '\0'));
	static char tail[512];
	size_t plen = strlen(path);
	snprintf(tail, sizeof(tail), "%s",
		 strncmp(err, path, plen) == 0 && err[plen] == ':' ? err + plen + 1 : err);
	config_free(root);
	return tail;
}

Test(plugin_options, declared_types)
{
	cr_expect_str_eq(check_yaml("    name: x\n    on: yes\n    n: -4\n    wait: 90s\n    items: a\n    sub: {k: v}\n"), "");
	cr_expect_str_eq(check_yaml("    colour: blue\n"),
			 "3: plugins.t.colour: unknown key (known: name, on, n, wait, items, sub)");
	cr_expect_str_eq(check_yaml("    on: perhaps\n"),
			 "3: plugins.t.on: 'perhaps' is not a boolean (true/false, yes/no, on/off, 1/0)");
	cr_expect_str_eq(check_yaml("    n: 1.5\n"), "3: plugins.t.n: '1.5' is not an integer");
	cr_expect_str_eq(check_yaml("    wait: 5 minutes\n"),
			 "3: plugins.t.wait: '5 minutes' is not a duration (\"5\", \"1.5s\", \"500ms\", \"2m\")");
	cr_expect_str_eq(check_yaml("    name: [a]\n"),
			 "3: plugins.t.name: expected a single value (string), got a list");
	cr_expect_str_eq(check_yaml("    items:\n      - a\n      - {b: c}\n"),
			 "5: plugins.t.items: expected a list of values (an item is a list or a map)");
	cr_expect_str_eq(check_yaml("    sub: [a]\n"), "3: plugins.t.sub: expected a map (map), got a list");
	cr_expect_str_eq(check_yaml("    n:\n"), "", "an empty value counts as absent");
}

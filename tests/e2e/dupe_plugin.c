/* A second detector of category "decl" that declares decl.exec, which the
 * decl test detector owns: loading both must be refused (abi12.sh). */
#include <dynaudit/plugin.h>

static int dupe_init(const struct da_host *h, const struct da_cfg *c, void **s, char *e, size_t n)
{
	(void)h; (void)c; (void)s; (void)e; (void)n;
	return 0;
}

static int dupe_event(void *s, const struct da_event *ev, char *e, size_t n)
{
	(void)s; (void)ev; (void)e; (void)n;
	return 0;
}

static const struct da_rule_decl dupe_rules[] = {
	{"decl.exec", DA_SEV_LOW, "the same id as decl's"},
	{0},
};

static const struct da_plugin dupe = {
	DA_PLUGIN_HEADER,
	.name = "dupe", .version = "0.0.1", .description = "declares another detector's rule",
	.category_id = "decl", .category_title = "Declarations",
	.init = dupe_init, .on_event = dupe_event,
	.kinds = DA_KINDS(DA_EV_PROC_EXEC),
	.rules = dupe_rules,
};

DYNAUDIT_PLUGIN(dupe)

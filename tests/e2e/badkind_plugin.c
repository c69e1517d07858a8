/* A detector subscribing to a kind this dynaudit does not know (as one
 * built against a newer event.h would): refused with a message (abi12.sh). */
#include <dynaudit/plugin.h>

static int badkind_init(const struct da_host *h, const struct da_cfg *c, void **s, char *e,
			size_t n)
{
	(void)h; (void)c; (void)s; (void)e; (void)n;
	return 0;
}

static int badkind_event(void *s, const struct da_event *ev, char *e, size_t n)
{
	(void)s; (void)ev; (void)e; (void)n;
	return 0;
}

static const struct da_plugin badkind = {
	DA_PLUGIN_HEADER,
	.name = "badkind", .version = "0.0.1", .description = "subscribes to kind 130",
	.category_id = "badkind", .category_title = "Bad Kind",
	.init = badkind_init, .on_event = badkind_event,
	.kinds = DA_KINDS(DA_EV_PROC_EXEC, 130),
};

DYNAUDIT_PLUGIN(badkind)

/* A detector built for a future ABI major: the loader must refuse it and
 * say why, naming both versions (tests/e2e/cli.sh). */
#include <dynaudit/plugin.h>

static int bad_init(const struct da_host *h, const struct da_cfg *c, void **s, char *e, size_t n)
{
	(void)h; (void)c; (void)s; (void)e; (void)n;
	return 0;
}

static int bad_event(void *s, const struct da_event *ev, char *e, size_t n)
{
	(void)s; (void)ev; (void)e; (void)n;
	return 0;
}

static const struct da_plugin bad = {
	.struct_size = sizeof(struct da_plugin),
	.abi_major = 99, .abi_minor = 0, .abi_patch = 0,
	.name = "bad_abi", .version = "0.0.1", .description = "wrong ABI",
	.category_id = "bad", .category_title = "Bad",
	.init = bad_init, .on_event = bad_event,
};

DYNAUDIT_PLUGIN(bad)

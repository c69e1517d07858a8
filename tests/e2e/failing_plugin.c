/* A detector whose init fails (not a config error): the audit must go on
 * and the report must say this detector did not run (tests/e2e/cli.sh). */
#include <errno.h>
#include <stdio.h>
#include <dynaudit/plugin.h>

static int failing_init(const struct da_host *h, const struct da_cfg *c, void **s, char *e, size_t n)
{
	(void)h; (void)c; (void)s;
	snprintf(e, n, "cannot open its rule database");
	return -EIO;
}

static int failing_event(void *s, const struct da_event *ev, char *e, size_t n)
{
	(void)s; (void)ev; (void)e; (void)n;
	return 0;
}

static const struct da_plugin failing = {
	DA_PLUGIN_HEADER,
	.name = "failing", .version = "0.0.1", .description = "always fails init",
	.category_id = "failing", .category_title = "Failing Detector",
	.subscriptions = {~(uint64_t)0, ~(uint64_t)0},
	.init = failing_init, .on_event = failing_event,
};

DYNAUDIT_PLUGIN(failing)

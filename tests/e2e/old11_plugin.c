/* An ABI 1.1 detector: its descriptor ends where 1.1's did (before
 * .kinds), so the core must not read past it.  The bytes after the short
 * descriptor hold garbage pointers that would crash a loader reading them
 * (abi12.sh).  It reports old11.exec on each exec (subscribed by mask). */
#include <stddef.h>
#include <dynaudit/plugin.h>

static const struct da_host *old_host;

static int old_init(const struct da_host *h, const struct da_cfg *c, void **s, char *e, size_t n)
{
	(void)c; (void)s; (void)e; (void)n;
	old_host = h;
	return 0;
}

static int old_event(void *s, const struct da_event *ev, char *e, size_t n)
{
	(void)s; (void)e; (void)n;
	struct da_finding f = {.struct_size = sizeof(f), .rule = "old11.exec",
			       .severity = DA_SEV_LOW, .message = "a program was executed",
			       .pid = ev->pid, .time_s = ev->time_s};
	return old_host->emit(old_host, &f) < 0 ? -1 : 0;
}

static const struct da_plugin old11 = {
	.struct_size = offsetof(struct da_plugin, kinds),
	.abi_major = 1, .abi_minor = 1, .abi_patch = 0,
	.name = "old11", .version = "0.0.1", .description = "an ABI 1.1 descriptor",
	.category_id = "old11", .category_title = "Old Detector",
	.subscriptions = {(uint64_t)1 << DA_EV_PROC_EXEC, 0},
	.init = old_init, .on_event = old_event,
	/* past struct_size: a 1.2 core must not look here */
	.kinds = (const uint16_t *)16, .rules = (const struct da_rule_decl *)16,
	.options = (const struct da_option_decl *)16,
};

DYNAUDIT_PLUGIN(old11)

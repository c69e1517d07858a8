/* An ABI 1.2 detector that declares everything (tests/e2e/abi12.sh):
 * .kinds, .rules, .options.  On each exec it reports decl.exec; with
 * undeclared: true also decl.undeclared (not declared: the core must drop
 * it and say so); `declare: [decl.x]` declares more rules from init, and
 * its first event tries declare_rule again (must be -EPERM outside init).
 * init writes $DECL_INIT_MARK when set, so a test can tell init ran. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dynaudit/options.h>
#include <dynaudit/plugin.h>

struct decl_state {
	const struct da_host *host;
	bool undeclared;
	long long limit;
	int late_rc;
	bool late_tried;
};

static const struct da_rule_decl decl_rules[] = {
	{"decl.exec", DA_SEV_MEDIUM, "a program was executed"},
	{"decl.other", DA_SEV_LOW, "never reported"},
	{0},
};

static const struct da_option_decl decl_options[] = {
	{"mode", DA_OPT_STRING, "a word (default: plain)"},
	{"undeclared", DA_OPT_BOOL, "also report an undeclared rule (default: false)"},
	{"limit", DA_OPT_INT, "an integer (default: 3)"},
	{"window", DA_OPT_DURATION, "a duration (default: 5s)"},
	{"declare", DA_OPT_LIST, "more rule ids to declare from init"},
	{"extra", DA_OPT_MAP, "a map of anything"},
	{0},
};

static int decl_init(const struct da_host *h, const struct da_cfg *c, void **s, char *e, size_t n)
{
	const char *mark = getenv("DECL_INIT_MARK");
	if (mark) {
		FILE *f = fopen(mark, "w");
		if (f)
			fclose(f);
	}
	struct decl_state *st = calloc(1, sizeof(*st));
	if (!st)
		return -ENOMEM;
	*s = st;
	st->host = h;
	double window;
	if (da_opt_bool(h, c, "undeclared", false, &st->undeclared, e, n) < 0 ||
	    da_opt_int(h, c, "limit", 3, &st->limit, e, n) < 0 ||
	    da_opt_duration(h, c, "window", 5, &window, e, n) < 0)
		return -EINVAL;
	const char *const *ids = NULL;
	size_t k = da_opt_list(h, c, "declare", &ids);
	for (size_t i = 0; i < k; i++) {
		struct da_rule_decl r = {ids[i], DA_SEV_HIGH, "declared from the config"};
		int rc = h->declare_rule(h, &r);
		if (rc < 0) {
			snprintf(e, n, "%s: declare: %s: %s", h->cfg_where(h, c, "declare"), ids[i],
				 rc == -EEXIST ? "another detector owns it" : strerror(-rc));
			return -EINVAL;
		}
	}
	return 0;
}

static int decl_event(void *s, const struct da_event *ev, char *e, size_t n)
{
	struct decl_state *st = s;
	(void)e; (void)n;
	if (!st->late_tried) {
		struct da_rule_decl r = {"decl.late", DA_SEV_LOW, "declared too late"};
		st->late_rc = st->host->declare_rule(st->host, &r);
		st->late_tried = true;
	}
	struct da_finding f = {.struct_size = sizeof(f), .rule = "decl.exec",
			       .severity = DA_SEV_MEDIUM, .message = "a program was executed",
			       .pid = ev->pid, .time_s = ev->time_s};
	st->host->emit(st->host, &f);
	if (st->undeclared) {
		f.rule = "decl.undeclared";
		f.message = "not a declared rule";
		int rc = st->host->emit(st->host, &f);
		if (rc != -EINVAL)
			return snprintf(e, n, "emit of an undeclared rule returned %d", rc), -1;
	}
	return 0;
}

static int decl_finish(void *s, char *e, size_t n)
{
	struct decl_state *st = s;
	char remark[128];
	(void)e; (void)n;
	snprintf(remark, sizeof(remark), "late declare_rule returned %d", st->late_rc);
	st->host->set_summary(st->host, "Declared", remark);
	return 0;
}

static void decl_destroy(void *s)
{
	free(s);
}

static const struct da_plugin decl = {
	DA_PLUGIN_HEADER,
	.name = "decl", .version = "0.0.1", .description = "declares its kinds, rules and options",
	.category_id = "decl", .category_title = "Declarations",
	.init = decl_init, .on_event = decl_event, .finish = decl_finish, .destroy = decl_destroy,
	.kinds = DA_KINDS(DA_EV_PROC_EXEC),
	.rules = decl_rules,
	.options = decl_options,
};

DYNAUDIT_PLUGIN(decl)

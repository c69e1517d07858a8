/*
 * fetch_tools — example out-of-tree detector for dynaudit.
 *
 * Rules:
 *   policy.fetch_tool  medium  exec of a download tool (curl, wget, ...):
 *                              a submission should not fetch code at run
 *                              time.  Names in `allow` are ignored.
 *
 * Options:  allow: [curl]   download tools this assignment permits.
 */
#include <dynaudit/plugin.h>
#include <dynaudit/progclass.h>
#include <fnmatch.h>
#include <stdio.h>
#include <string.h>

struct state {
	const struct da_host *host;
	const char *const *allow;   /* owned by the host, valid until destroy */
	size_t n_allow;
	unsigned hits;
};

static struct state the_state;

static const char *const fetch_tools[] = {"curl", "wget", "aria2c", "fetch", "lynx", NULL};

static const struct da_rule_decl fetch_rules[] = {
	{"policy.fetch_tool", DA_SEV_MEDIUM, "a download tool (curl, wget, ...) was run"},
	{0},
};

/* Declared: the core refuses unknown keys and wrong types before init. */
static const struct da_option_decl fetch_options[] = {
	{"allow", DA_OPT_LIST, "download tools this assignment permits, globs (default: none)"},
	{0},
};

static int fetch_init(const struct da_host *host, const struct da_cfg *cfg, void **state,
		      char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	memset(&the_state, 0, sizeof(the_state));
	the_state.host = host;
	the_state.n_allow = host->cfg_list(host, cfg, "allow", &the_state.allow);
	*state = &the_state;
	return 0;
}

static int fetch_on_event(void *state, const struct da_event *ev, char *err, size_t errlen)
{
	struct state *st = state;
	(void)err;
	(void)errlen;
	/* libdynaudit-sdk: the base name as every built-in detector takes it */
	const char *base = ev->path ? da_prog_base_name(ev->path) : NULL;
	if (!base || !*base)
		return 0;
	for (size_t i = 0; i < st->n_allow; i++)
		if (fnmatch(st->allow[i], base, 0) == 0)
			return 0;
	for (size_t i = 0; fetch_tools[i]; i++) {
		if (strcmp(base, fetch_tools[i]) != 0)
			continue;
		char msg[256];
		snprintf(msg, sizeof(msg), "runs the download tool %s", base);
		const char *evidence[] = {ev->text ? ev->text : ev->path};
		struct da_finding f = {
			.struct_size = sizeof(f),
			.rule = "policy.fetch_tool",
			.severity = DA_SEV_MEDIUM,
			.message = msg,
			.pid = ev->pid,
			.time_s = ev->time_s,
			.evidence = evidence,
			.n_evidence = 1,
			.recommendation = "Vendor dependencies into the submission instead of downloading them at run time.",
		};
		st->hits++;
		return st->host->emit(st->host, &f);
	}
	return 0;
}

static int fetch_finish(void *state, char *err, size_t errlen)
{
	struct state *st = state;
	(void)err;
	(void)errlen;
	if (!st->hits)
		st->host->set_summary(st->host, "None", "No download tools run");
	return 0;
}

static const struct da_plugin fetch_plugin = {
	DA_PLUGIN_HEADER,
	.name = "fetch_tools",
	.version = "1.0.0",
	.description = "Flags download tools (curl, wget) run by the target",
	.category_id = "policy",
	.category_title = "Assignment Policy",
	.init = fetch_init,
	.on_event = fetch_on_event,
	.finish = fetch_finish,
	.kinds = DA_KINDS(DA_EV_PROC_EXEC),
	.rules = fetch_rules,
	.options = fetch_options,
};

DYNAUDIT_PLUGIN(fetch_plugin)

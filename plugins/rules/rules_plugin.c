/*
 * rules_plugin.c — detector "rules" (category "Custom Rules"): findings
 * from declarative rules files.
 *
 * Options (plugins: rules: {...}):
 *   files           list of rules files (YAML, see rules_load.c and
 *                   dynaudit-config(5)); a relative path is taken from the
 *                   directory of the config file that names it.  Required.
 *   category_id     the category the findings go to, and the prefix of the
 *                   rule ids (default "rules"): [a-z][a-z0-9_]*, checked by
 *                   the core when it loads the detector (category_id and
 *                   category_title are options the core itself reads,
 *                   engine/plugin_options.h).
 *   category_title  its title in the reports (default "Custom Rules"; the
 *                   id when only category_id is set).
 *
 * Rules: whatever the files declare, each "<category_id>.<id>" with the severity
 * the file gives; they are declared to the core (host->declare_rule, ABI
 * 1.2) so `rules:` overrides can name them.  A plain rule fires on every
 * event its condition matches (the core counts repeats of one message); a
 * sequence fires when its steps match in order within its window, in one
 * process tree (a step's process is the first step's or a descendant) or
 * one process (by: process).
 *
 * Cost: the rules are compiled at init; per event only the rules whose
 * first step can match the event's kind run, nothing is allocated, and
 * kinds no rule can match are unsubscribed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dynaudit/detector.h"
#include "dynaudit/options.h"
#include "rules.h"

/* The defaults of the category_id / category_title options. */
#define RULES_CATEGORY "rules"
#define RULES_CATEGORY_TITLE "Custom Rules"

struct rules_state {
	const struct da_host *host;
	struct ruleset rs;
	struct rproc_table procs;
	struct rctx ctx;
	char msg[RULES_MSG_LEN];
	uint64_t n_by_sev[5];
	uint64_t fired;
};

/* The directory the config file naming `files` lives in ("" for --set and
 * the embedded default: the current directory). */
static void config_dir(const struct da_host *host, const struct da_cfg *cfg, char *dir, size_t len)
{
	const char *where = host->cfg_where(host, cfg, "files");
	snprintf(dir, len, "%s", where ? where : "");
	char *colon = strrchr(dir, ':');
	if (colon && colon[1] >= '0' && colon[1] <= '9')
		*colon = '\0';
	if (dir[0] == '<' || strcmp(dir, "--set") == 0) {
		dir[0] = '\0';
		return;
	}
	char *slash = strrchr(dir, '/');
	if (slash)
		slash[1] = '\0';
	else
		dir[0] = '\0';
}

static bool host_has_declare_rule(const struct da_host *host)
{
	return host->struct_size >= offsetof(struct da_host, declare_rule) + sizeof(void *) &&
	       host->declare_rule != NULL;
}

static bool host_has_unsubscribe(const struct da_host *host)
{
	return host->struct_size >= offsetof(struct da_host, unsubscribe) + sizeof(void *) &&
	       host->unsubscribe != NULL;
}

static int rules_init(const struct da_host *host, const struct da_cfg *cfg, void **state,
		      char *err, size_t errlen)
{
	/* unknown keys and wrong types: refused by the core before init
	 * (rules_options below) */
	const char *const *files = NULL;
	size_t n = host->cfg_list(host, cfg, "files", &files);
	if (n == 0) {
		snprintf(err, errlen, "%s: files: the rules detector needs at least one rules file",
			 host->cfg_where(host, cfg, NULL));
		return -EINVAL;
	}
	if (n > RULES_MAX_FILES) {
		snprintf(err, errlen, "%s: files: at most %d rules files",
			 host->cfg_where(host, cfg, "files"), RULES_MAX_FILES);
		return -EINVAL;
	}
	struct rules_state *st = calloc(1, sizeof(*st));
	if (!st || rproc_init(&st->procs) < 0) {
		free(st);
		snprintf(err, errlen, "rules: out of memory");
		return -ENOMEM;
	}
	*state = st;
	st->host = host;
	/* the core made the category from the same option (already checked) */
	ruleset_init(&st->rs, da_opt_string(host, cfg, "category_id", RULES_CATEGORY));
	char dir[4096];
	config_dir(host, cfg, dir, sizeof(dir));
	for (size_t i = 0; i < n; i++) {
		char path[8192];
		snprintf(path, sizeof(path), "%s%s", files[i][0] == '/' ? "" : dir, files[i]);
		struct rerr e = {{0}};
		int rc = ruleset_load_file(&st->rs, path, &e);
		if (rc == -ENOENT) { /* say which config entry named it */
			snprintf(err, errlen, "%s: files: %s", host->cfg_where(host, cfg, "files"), e.msg);
			return -EINVAL;
		}
		if (rc < 0) {
			snprintf(err, errlen, "%s", rc == -ENOMEM ? "rules: out of memory" : e.msg);
			return rc;
		}
	}
	for (size_t i = 0; host_has_declare_rule(host) && i < st->rs.n_rules; i++) {
		const struct rrule *r = &st->rs.rules[i];
		struct da_rule_decl d = {.id = r->id, .severity = r->severity, .summary = r->summary};
		int rc = host->declare_rule(host, &d);
		if (rc < 0) {
			snprintf(err, errlen, "%s: rule %s: %s", r->where, r->id,
				 rc == -EEXIST ? "another detector already reports this id"
					       : "the core refused to declare it");
			return -EINVAL;
		}
	}
	/* the kinds no rule can match need not reach us at all */
	uint64_t unused[DA_EVMASK_WORDS];
	for (int w = 0; w < DA_EVMASK_WORDS; w++)
		unused[w] = ~st->rs.kinds[w];
	if (host_has_unsubscribe(host))
		(void)host->unsubscribe(host, unused);
	st->ctx.procs = &st->procs;
	st->ctx.run = host->run;
	host->log(host, DA_LOG_INFO, "rules: %zu rules from %zu file%s, %zu tests", st->rs.n_rules,
		  n, n == 1 ? "" : "s", st->rs.prog.n_insns);
	return 0;
}

static void fire(struct rules_state *st, struct rrule *r, const char *const *evidence, size_t n_ev)
{
	const struct da_event *ev = st->ctx.ev;
	/* the message is a template (rules_render), not a printf format */
	const char *msg = rules_render(&r->message, &st->ctx, st->msg, sizeof(st->msg));
	r->fired++;
	st->fired++;
	st->n_by_sev[r->severity]++;
	(void)da_emit_finding(st->host, r->id, r->severity, msg, ev->pid, ev->time_s, evidence, n_ev,
			      r->recommendation);
}

static void fire_sequence(void *arg, struct rrule *r, const char *const *evidence, size_t n)
{
	fire(arg, r, evidence, n);
}

static int rules_on_event(void *state, const struct da_event *ev, char *err, size_t errlen)
{
	struct rules_state *st = state;
	st->ctx.ev = ev;
	st->ctx.filled = 0;
	rproc_prepare(&st->procs, ev, &st->ctx);
	unsigned kind = ev->kind % DA_EV_KIND_MAX;
	for (size_t i = 0; i < st->rs.n_rules; i++) {
		struct rrule *r = &st->rs.rules[i];
		if (r->n_steps > 1) {
			rules_seq_advance(&st->rs, r, &st->ctx, fire_sequence, st);
		} else if (DA_EVMASK_HAS(r->kinds, kind) && rules_eval(&st->rs, &r->steps[0], &st->ctx)) {
			const char *line = ev->text ? ev->text : "";
			fire(st, r, &line, ev->text ? 1 : 0);
		}
	}
	rproc_update(&st->procs, ev);
	return 0;
}

static int rules_finish(void *state, char *err, size_t errlen)
{
	struct rules_state *st = state;
	const struct da_host *h = st->host;
	for (size_t i = 0; i < st->rs.n_rules; i++)
		if (st->rs.rules[i].evicted)
			h->log(h, DA_LOG_WARNING, "rules: %s: %llu open sequences dropped (more than %d "
			       "at once)", st->rs.rules[i].id,
			       (unsigned long long)st->rs.rules[i].evicted, RULES_MAX_PARTIALS);
	if (st->procs.dropped)
		h->log(h, DA_LOG_WARNING, "rules: %llu processes not tracked (more than %d)",
		       (unsigned long long)st->procs.dropped, RULES_MAX_PROCS * 3 / 4);
	char obs[64], rem[128];
	if (st->fired == 0) {
		snprintf(rem, sizeof(rem), "No custom rule matched (%zu rules)", st->rs.n_rules);
		h->set_summary(h, "None", rem);
		return 0;
	}
	size_t rules_fired = 0;
	for (size_t i = 0; i < st->rs.n_rules; i++)
		rules_fired += st->rs.rules[i].fired > 0;
	snprintf(obs, sizeof(obs), "%zu rule%s matched", rules_fired, rules_fired == 1 ? "" : "s");
	snprintf(rem, sizeof(rem), "%llu matches of %zu custom rules",
		 (unsigned long long)st->fired, st->rs.n_rules);
	h->set_summary(h, obs, rem);
	return 0;
}

static void rules_destroy(void *state)
{
	struct rules_state *st = state;
	if (!st)
		return;
	ruleset_free(&st->rs);
	rproc_free(&st->procs);
	free(st);
}

/* The kinds a rule can name (rules_field.c kind_names). */
#define ALL_KINDS(X) \
	X(DA_EV_PROC_EXEC) X(DA_EV_PROC_FORK) X(DA_EV_PROC_EXIT) X(DA_EV_PROC_SIGNAL) \
	X(DA_EV_PROC_SESSION) X(DA_EV_FILE_OPEN) X(DA_EV_FILE_UNLINK) X(DA_EV_FILE_RENAME) \
	X(DA_EV_FILE_CHMOD) X(DA_EV_FILE_CHOWN) X(DA_EV_FILE_LINK) X(DA_EV_FILE_MMAP_EXEC) \
	X(DA_EV_FILE_MKDIR) X(DA_EV_FILE_CHDIR) X(DA_EV_FILE_WRITE) X(DA_EV_FILE_MEMFD) \
	X(DA_EV_FILE_STAT) X(DA_EV_NET_SOCKET) X(DA_EV_NET_CONNECT) X(DA_EV_NET_BIND) \
	X(DA_EV_NET_LISTEN) X(DA_EV_NET_ACCEPT) X(DA_EV_NET_SEND) X(DA_EV_NET_RECV) \
	X(DA_EV_PRIV_ID) X(DA_EV_PRIV_CAP) X(DA_EV_PRIV_NS) X(DA_EV_PRIV_MOUNT) \
	X(DA_EV_PRIV_PTRACE) X(DA_EV_PRIV_KERNEL) X(DA_EV_OUTPUT) X(DA_EV_TARGET_EXIT) \
	X(DA_EV_FS_MONITOR) X(DA_EV_PROC_SNAPSHOT) X(DA_EV_SOCK_SNAPSHOT) \
	X(DA_EV_SYSCALL_OTHER)
/* X() for the mask words (each followed by '|', ended by 0) and the list */
#define W0(k) ((k) < 64 ? (uint64_t)1 << ((k) % 64) : 0) |
#define W1(k) ((k) >= 64 ? (uint64_t)1 << ((k) % 64) : 0) |
#define K(k) k,

static const struct da_option_decl rules_options[] = {
	{"files", DA_OPT_LIST, "rules files (YAML), relative to the config file; required"},
	{"category_id", DA_OPT_STRING,
	 "the findings' category and rule id prefix, [a-z][a-z0-9_]* (default rules)"},
	{"category_title", DA_OPT_STRING,
	 "the category's title in the reports (default Custom Rules)"},
	{0},
};

static const struct da_plugin rules_plugin = {
	DA_PLUGIN_HEADER,
	.name = "rules",
	.version = "1.0.0",
	.description = "declarative rules: conditions, lists, macros and sequences over events",
	.category_id = RULES_CATEGORY,
	.category_title = RULES_CATEGORY_TITLE,
	/* every kind (.kinds for an ABI 1.2 core, the same as a mask for an
	 * older one); init unsubscribes what no rule can match */
	.subscriptions = {ALL_KINDS(W0) 0, ALL_KINDS(W1) 0},
	.kinds = (const uint16_t[]){ALL_KINDS(K) DA_EV_NONE},
	/* the rules come from the files: declared at init (declare_rule) */
	.rules = NULL,
	.options = rules_options,
	.init = rules_init,
	.on_event = rules_on_event,
	.finish = rules_finish,
	.destroy = rules_destroy,
};

DYNAUDIT_PLUGIN(rules_plugin)

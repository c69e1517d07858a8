/*
 * audit.c — one audit from configured detectors to written reports.
 * See audit.h for the life cycle.
 */
#include "engine/audit.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dynaudit_build.h"
#include "engine/activity.h"
#include "engine/artifacts.h"
#include "engine/phase_times.h"
#include "engine/plugin_host.h"
#include "engine/plugin_options.h"
#include "engine/plugin_rules.h"
#include "engine/proctree.h"
#include "engine/report.h"
#include "engine/timeline.h"

/* Report order of the built-in categories; other categories follow in
 * configuration order. */
static const char *const builtin_order[] = {
	"process", "network", "file", "privilege", "code_integrity", "backdoor",
};
#define N_BUILTIN (sizeof(builtin_order) / sizeof(builtin_order[0]))

struct audit {
	const struct audit_config *cfg;
	struct audit_options opt;
	struct bus *bus;
	struct artifacts *artifacts;
	struct activity *activity;
	struct plugin_instance *plugins;
	size_t n_plugins;
	struct da_run_info run;
	char run_workdir[4096];
	struct report_input in;
	bool observed_set;
	bool command_from_events;
	bool input_cut;             /* replay of a cut events.jsonl (audit_input_cut) */
	int late_fds[4];            /* see audit_close_late() */
	size_t n_late_fds;
	int interrupted_by;         /* audit_mark_interrupted() */
	char coverage_reason[512];  /* behind in.coverage_reason */
};

static char *xstrdup(const char *s)
{
	return s ? strdup(s) : NULL;
}

static char **strv_dup(char *const *v)
{
	size_t n = 0;
	while (v && v[n])
		n++;
	char **out = calloc(n + 1, sizeof(*out));
	for (size_t i = 0; out && i < n; i++)
		out[i] = strdup(v[i]);
	return out;
}

static void strv_free(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

static int append_str(char ***arr, size_t *n, const char *s)
{
	char **na = realloc(*arr, (*n + 1) * sizeof(*na));
	if (!na)
		return -ENOMEM;
	*arr = na;
	na[(*n)++] = strdup(s);
	return 0;
}

/* Watches the bus for what the report overview needs. */
static int audit_observer(void *ctx, const struct da_event *ev)
{
	struct audit *a = ctx;
	if (ev->kind == DA_EV_TARGET_EXIT) {
		if (ev->arg[2] == 1) {
			a->in.exited = false;
		} else {
			a->in.exited = true;
			a->in.exit_code = (int)ev->arg[0];
			free((char *)a->in.exit_signal);
			a->in.exit_signal = xstrdup(ev->detail);
			a->in.core_dumped = ev->arg[1] != 0;
		}
		if (!a->observed_set)
			a->in.observed_s = ev->time_s;
	} else if (ev->kind == DA_EV_PROC_EXEC && a->command_from_events && ev->argc > 0 &&
		   ev->err == 0) {
		char **cmd = calloc((size_t)ev->argc + 1, sizeof(*cmd));
		for (int i = 0; cmd && i < ev->argc; i++)
			cmd[i] = strdup(ev->argv[i] ? ev->argv[i] : "");
		if (cmd) {
			strv_free(a->in.command);
			a->in.command = cmd;
			a->run.command = (const char *const *)cmd;
		}
		a->command_from_events = false;
	}
	return 0;
}

static struct category_rec *category_for(struct audit *a, const struct loaded_plugin *lp)
{
	const struct plugin_decl *d = &lp->decl;
	for (size_t i = 0; i < a->in.n_categories; i++)
		if (strcmp(a->in.categories[i].id, d->category_id) == 0)
			return &a->in.categories[i];
	struct category_rec *nc =
		realloc(a->in.categories, (a->in.n_categories + 1) * sizeof(*nc));
	if (!nc)
		return NULL;
	a->in.categories = nc;
	struct category_rec *c = &nc[a->in.n_categories++];
	memset(c, 0, sizeof(*c));
	c->id = strdup(d->category_id);
	c->title = strdup(d->category_title ? d->category_title : d->category_id);
	c->plugin = strdup(lp->desc->name);
	return c;
}

static size_t category_rank(const char *id)
{
	for (size_t i = 0; i < N_BUILTIN; i++)
		if (strcmp(id, builtin_order[i]) == 0)
			return i;
	return N_BUILTIN;
}

/* Categories: built-ins in fixed order, then the rest as configured.  The
 * plugin instances point into the array, so this runs before any of them
 * is bound (see audit_open). */
static void order_plugins(struct plugin_instance *p, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		struct plugin_instance cur = p[i];
		size_t r = category_rank(cur.lp.decl.category_id);
		size_t j = i;
		while (j > 0 && category_rank(p[j - 1].lp.decl.category_id) > r) {
			p[j] = p[j - 1];
			j--;
		}
		p[j] = cur;
	}
}

/* Distinct findings so far: the output writers keep, past their caps,
 * the events during which this grows (artifacts.h). */
static uint64_t count_findings(void *ctx)
{
	const struct audit *a = ctx;
	uint64_t n = 0;
	for (size_t i = 0; i < a->in.n_categories; i++)
		n += a->in.categories[i].n_findings;
	return n;
}

int audit_open(struct audit **out, const struct audit_config *cfg, const struct audit_options *opt,
	       char *err, size_t errlen)
{
	plugin_host_set_verbosity(opt->verbosity);
	int rc;
	struct audit *a = calloc(1, sizeof(*a));
	if (!a)
		return -ENOMEM;
	a->cfg = cfg;
	a->opt = *opt;
	a->bus = bus_new();
	if (!a->bus) {
		free(a);
		return -ENOMEM;
	}
	if (opt->builtin_plugin_dir)
		setenv("DYNAUDIT_PLUGIN_DIR", opt->builtin_plugin_dir, 1);

	/* The overview facts known from the configuration. */
	a->in.tool_version = DYNAUDIT_VERSION;
	a->in.title = cfg->report_title;
	a->in.config_source = cfg->source;
	a->in.live = opt->live;
	a->in.command = strv_dup(cfg->command);
	a->command_from_events = !cfg->command || !cfg->command[0];
	a->in.duration_s = cfg->duration_s;
	a->in.pass_score = cfg->pass_score;
	memcpy(a->in.weights, cfg->weights, sizeof(a->in.weights));

	a->run.struct_size = sizeof(a->run);
	/* Detectors see the workdir as the target saw it: the sandbox puts the
	 * submission copy at HOME/app; a replay says where its log was
	 * recorded (replay.cwd/home, set or inferred by the caller). */
	a->run.home = cfg->home ? cfg->home : "/home/auditor";
	if (!opt->live && cfg->replay_home)
		a->run.home = cfg->replay_home;
	if (!opt->live && cfg->replay_cwd)
		snprintf(a->run_workdir, sizeof(a->run_workdir), "%s", cfg->replay_cwd);
	else
		snprintf(a->run_workdir, sizeof(a->run_workdir), "%s/app", a->run.home);
	a->run.workdir = a->run_workdir;
	/* The report names the submission: the host directory for a live run,
	 * the directory as recorded for a replay. */
	a->in.workdir = opt->live && cfg->workdir ? cfg->workdir : a->run.workdir;
	a->in.run_workdir = a->run.workdir;
	a->in.fail_on_warn = opt->fail_on_warn;
	a->in.fail_on_inconclusive = opt->fail_on_inconclusive;
	a->run.tmpdir = "/tmp";
	a->run.command = (const char *const *)a->in.command;
	a->run.duration_s = cfg->duration_s;
	a->run.live = opt->live;

	/* Load every configured detector first, so categories can be ordered
	 * before findings are bound to them. */
	a->plugins = calloc(cfg->n_plugins ? cfg->n_plugins : 1, sizeof(*a->plugins));
	if (!a->plugins) {
		rc = -ENOMEM;
		goto fail;
	}
	for (size_t i = 0; i < cfg->n_plugins; i++) {
		const struct plugin_config *pc = &cfg->plugins[i];
		char *path = NULL;
		char why[768];
		rc = plugin_find(pc->name, cfg->plugin_path, &path, why, sizeof(why));
		if (rc == 0) {
			rc = plugin_load(path, &a->plugins[a->n_plugins].lp, why, sizeof(why));
			if (rc < 0) {
				char tmp[768];
				snprintf(tmp, sizeof(tmp), "%s: %s", path, why);
				snprintf(why, sizeof(why), "%s", tmp);
			}
		}
		free(path);
		if (rc < 0) {
			snprintf(err, errlen, "%s: plugins.%s: %s",
				 pc->node ? cfg_where(pc->node) : cfg->source, pc->name, why);
			rc = -EINVAL;
			goto fail;
		}
		/* a configured category (category_id/category_title options) */
		struct loaded_plugin *lp = &a->plugins[a->n_plugins].lp;
		rc = plugin_options_category(lp->desc->name, &lp->decl, pc->node, err, errlen);
		if (rc < 0) {
			plugin_unload(lp);
			goto fail;
		}
		a->plugins[a->n_plugins].cfg = pc->node;
		a->plugins[a->n_plugins].rules = cfg->rules;
		a->plugins[a->n_plugins].n_rules = cfg->n_rules;
		a->n_plugins++;
	}
	order_plugins(a->plugins, a->n_plugins);
	for (size_t i = 0; i < a->n_plugins; i++) {
		a->plugins[i].peers = a->plugins;
		a->plugins[i].n_peers = a->n_plugins;
	}
	rc = plugin_rules_check_unique(a->plugins, a->n_plugins, err, errlen);
	if (rc < 0)
		goto fail;
	for (size_t i = 0; i < a->n_plugins; i++)
		if (!category_for(a, &a->plugins[i].lp)) {
			rc = -ENOMEM;
			goto fail;
		}

	for (size_t i = 0; i < a->n_plugins; i++) {
		struct plugin_instance *pi = &a->plugins[i];
		struct category_rec *cat = category_for(a, &pi->lp);
		char why[768] = "";
		rc = plugin_instance_init(pi, &a->run, pi->cfg, cat, why, sizeof(why));
		if (rc == -EINVAL) {
			snprintf(err, errlen, "%s", why);
			goto fail;
		}
		if (rc < 0 && opt->verbosity > 0)
			fprintf(stderr, "dynaudit: warning: %s\n", why);
	}
	/* after init: the rules detector declares its ids there */
	rc = plugin_rules_check_overrides(a->plugins, a->n_plugins, cfg, err, errlen);
	for (size_t i = 0; rc == 0 && i < a->n_plugins; i++)
		rc = plugin_instance_subscribe(&a->plugins[i], a->bus);
	if (rc < 0)
		goto fail;

	rc = bus_subscribe(a->bus, NULL, audit_observer, a);
	if (rc < 0)
		goto fail;
	/* the process tree and the timeline of report.html */
	rc = proctree_subscribe(a->bus, &a->in);
	if (rc == 0)
		rc = timeline_subscribe(a->bus, &a->in.timeline);
	if (rc < 0)
		goto fail;
	a->activity = activity_new(a->bus, a->run.workdir, a->run.home);
	if (!a->activity) {
		rc = -ENOMEM;
		goto fail;
	}
	if (opt->outdir) {
		rc = artifacts_open(&a->artifacts, opt->outdir_fd, a->bus, 1, opt->write_artifacts,
				    cfg->duration_s, err, errlen);
		if (rc < 0)
			goto fail;
		struct artifact_limits lim = {
			.events = (uint64_t)cfg->limit_events,
			.trace = (uint64_t)cfg->limit_trace,
			.fs_events = (uint64_t)cfg->limit_fs_events,
			.snapshots = (uint64_t)cfg->limit_snapshots,
			.text = (size_t)cfg->limit_text,
			.findings = count_findings,
			.findings_ctx = a,
		};
		artifacts_set_limits(a->artifacts, &lim);
	}
	*out = a;
	return 0;
fail:
	audit_free(a);
	return rc;
}

struct bus *audit_bus(struct audit *a)
{
	return a->bus;
}

int audit_outdir_fd(const struct audit *a)
{
	return a->opt.outdir ? a->opt.outdir_fd : -1;
}

void audit_set_sandbox_fact(struct audit *a, const char *key, const char *value)
{
	/* one fact per key (a JSON object): target.setup's sandbox reports
	 * the same steps before the target does; the later one stands */
	for (size_t i = 0; i < a->in.n_sandbox; i++)
		if (strcmp(a->in.sandbox[i].key, key) == 0) {
			char *v = strdup(value ? value : "");
			if (v) {
				free(a->in.sandbox[i].value);
				a->in.sandbox[i].value = v;
			}
			return;
		}
	struct kv *n = realloc(a->in.sandbox, (a->in.n_sandbox + 1) * sizeof(*n));
	if (!n)
		return;
	a->in.sandbox = n;
	n[a->in.n_sandbox].key = strdup(key);
	n[a->in.n_sandbox].value = strdup(value ? value : "");
	a->in.n_sandbox++;
}

void audit_add_source(struct audit *a, const char *description)
{
	append_str(&a->in.sources, &a->in.n_sources, description);
}

void audit_add_note(struct audit *a, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	append_str(&a->in.notes, &a->in.n_notes, buf);
}

void audit_mark_incomplete(struct audit *a, const char *why)
{
	if (!a->in.incomplete)
		a->in.incomplete = strdup(why ? why : "interrupted");
}

void audit_set_command(struct audit *a, char *const *argv)
{
	if (!argv || !argv[0])
		return;
	strv_free(a->in.command);
	a->in.command = strv_dup(argv);
	a->run.command = (const char *const *)a->in.command;
	a->command_from_events = false;
}

void audit_set_not_started(struct audit *a, const char *why)
{
	if (!a->in.not_started)
		a->in.not_started = strdup(why ? why : "not started");
	/* nothing of the target was seen: a verdict on it says little */
	char reason[512];
	snprintf(reason, sizeof(reason), "the target was never run (%s)", why ? why : "not started");
	audit_mark_incomplete(a, reason);
}

void audit_set_observed(struct audit *a, double seconds)
{
	a->in.observed_s = seconds;
	a->observed_set = true;
}

void audit_left_behind_listed(struct audit *a)
{
	a->in.left_behind_listed = true;
}

void audit_add_left_behind(struct audit *a, const char *path, uint64_t size, const char *sha256,
			   bool executable)
{
	struct left_behind_rec *n = realloc(a->in.left_behind, (a->in.n_left_behind + 1) * sizeof(*n));
	if (!n)
		return;
	a->in.left_behind = n;
	struct left_behind_rec *r = &n[a->in.n_left_behind];
	memset(r, 0, sizeof(*r));
	if (!(r->path = strdup(path ? path : "")))
		return;
	r->size = size;
	r->executable = executable;
	if (sha256 && strlen(sha256) == 64)
		memcpy(r->sha256, sha256, 65);
	a->in.left_behind_listed = true;
	a->in.n_left_behind++;
}

void audit_set_stat(struct audit *a, const char *name, double value)
{
	for (size_t i = 0; i < a->in.n_stats; i++)
		if (strcmp(a->in.stats[i].name, name) == 0) {
			a->in.stats[i].value = value;
			return;
		}
	struct named_stat *n = realloc(a->in.stats, (a->in.n_stats + 1) * sizeof(*n));
	if (!n)
		return;
	a->in.stats = n;
	n[a->in.n_stats].name = strdup(name);
	n[a->in.n_stats].value = value;
	a->in.n_stats++;
}

/* ---- a flood of the output files ---------------------------------------
 *
 * A run whose events filled an output file past its cap (report.limits)
 * gets a note, stats, and one finding, code_integrity.output_flood (low),
 * filed under Code Integrity when that detector is loaded (a note only
 * otherwise).  Low, not medium: the detectors saw every event, so the
 * verdict stands on the whole run, and the file still holds every event
 * that raised a new finding; what a flood costs is the record a person reads,
 * and an endless loop in student code floods as well as an attacker
 * drowning evidence does.  The finding says what flooded and how much so
 * a reader can tell the two apart. */

static struct category_rec *category_by_id(struct audit *a, const char *id)
{
	for (size_t i = 0; i < a->in.n_categories; i++)
		if (strcmp(a->in.categories[i].id, id) == 0)
			return &a->in.categories[i];
	return NULL;
}

static void flood_finding(struct audit *a, const char *message, const char *const *evidence,
			  size_t n_evidence)
{
	struct category_rec *cat = category_by_id(a, "code_integrity");
	/* rules: applies to it as to a detector's finding */
	const struct rule_override *o =
		config_rule_override(a->cfg->rules, a->cfg->n_rules, "code_integrity.output_flood");
	if (!cat || (o && o->off))
		return;
	struct da_finding f = {
		.struct_size = sizeof(f),
		.rule = "code_integrity.output_flood",
		.severity = DA_SEV_LOW,
		.message = message,
		.time_s = -1,
		.evidence = evidence,
		.n_evidence = n_evidence,
		.recommendation = "Find the loop that made these events (the kept events.jsonl and "
				  "trace.log show its first and last ones); raise report.limits "
				  "to keep more of a run that legitimately needs it.",
	};
	if (o)
		f.severity = (enum da_severity)o->severity;
	findings_add(cat, &f);
}

/* The most frequent kinds in cut_by_tag: "open 123456, stat 12". */
static void top_kinds(const struct output_cap_stats *st, char *buf, size_t len, size_t most)
{
	int tags[OUTPUT_CAP_TAGS];
	size_t k = output_cap_top_tags(st, tags, most < OUTPUT_CAP_TAGS ? most : OUTPUT_CAP_TAGS);
	size_t n = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < k; i++) {
		const char *name = da_event_kind_name((uint32_t)tags[i]);
		int w = snprintf(buf + n, len - n, "%s%s %llu", n ? ", " : "", name ? name : "other",
				 (unsigned long long)st->cut_by_tag[tags[i]]);
		if (w < 0 || (size_t)w >= len - n)
			break;
		n += (size_t)w;
	}
}

static const char *size_text(char *buf, size_t len, uint64_t bytes)
{
	if (bytes >= (1u << 20) && bytes % (1u << 20) == 0)
		snprintf(buf, len, "%llu MiB", (unsigned long long)(bytes >> 20));
	else if (bytes >= 1024 && bytes % 1024 == 0)
		snprintf(buf, len, "%llu KiB", (unsigned long long)(bytes >> 10));
	else
		snprintf(buf, len, "%llu bytes", (unsigned long long)bytes);
	return buf;
}

static void stat_name(char *buf, size_t len, const char *file, const char *what)
{
	/* "events.jsonl" -> "events_jsonl_lines_cut" */
	size_t n = 0;
	for (const char *p = file; *p && n + 1 < len; p++)
		buf[n++] = (*p == '.' || *p == '-') ? '_' : *p;
	snprintf(buf + n, len - n, "_%s", what);
}

static void report_output_cut(struct audit *a)
{
	if (!a->artifacts)
		return;
	char evidence[8][512], parts[8][160];
	const char *ev[8];
	size_t n_ev = 0;
	for (int i = 0; i < 16; i++) {
		const char *file, *limit;
		const struct output_cap_stats *st = artifacts_cap_stats(a->artifacts, i, &file, &limit);
		if (!st || !st->lines_cut || n_ev >= 8)
			continue;
		char name[64], kinds[256], cap[32];
		stat_name(name, sizeof(name), file, "lines_cut");
		audit_set_stat(a, name, (double)st->lines_cut);
		stat_name(name, sizeof(name), file, "bytes_cut");
		audit_set_stat(a, name, (double)st->bytes_cut);
		top_kinds(st, kinds, sizeof(kinds), 6);
		size_text(cap, sizeof(cap), st->cap);
		audit_add_note(a,
			       "%s reached its cap of %s (%s): %llu of %llu lines (%llu bytes) were left "
			       "out of the file, by kind: %s; kept: the first half of the cap, every event "
			       "that raised a new finding, the first 32 of each kind and system call, and the "
			       "last lines. Detectors saw every event.",
			       file, cap, limit, (unsigned long long)st->lines_cut,
			       (unsigned long long)st->lines, (unsigned long long)st->bytes_cut, kinds);
		snprintf(evidence[n_ev], sizeof(evidence[n_ev]),
			 "%s: cap %s (%s), %llu lines, %llu left out (%llu bytes): %s", file, cap, limit,
			 (unsigned long long)st->lines, (unsigned long long)st->lines_cut,
			 (unsigned long long)st->bytes_cut, kinds);
		top_kinds(st, kinds, sizeof(kinds), 1);
		snprintf(parts[n_ev], sizeof(parts[n_ev]), "%s %llu of %llu lines left out (most: %s)",
			 file, (unsigned long long)st->lines_cut, (unsigned long long)st->lines, kinds);
		ev[n_ev] = evidence[n_ev];
		n_ev++;
	}
	uint64_t shortened = artifacts_strings_shortened(a->artifacts);
	if (shortened) {
		audit_set_stat(a, "strings_shortened", (double)shortened);
		audit_add_note(a,
			       "%llu strings longer than report.limits.text were shortened in events.jsonl and "
			       "trace.log (each says how long it was); detectors saw them whole.",
			       (unsigned long long)shortened);
	}
	if (!n_ev)
		return;
	audit_set_stat(a, "output_cut", 1);
	/* a replay of a cut log already has the recorded run's flood */
	if (a->input_cut)
		return;
	char msg[1024];
	size_t n = (size_t)snprintf(msg, sizeof(msg), "the run flooded the audit's output files past their caps: ");
	for (size_t i = 0; i < n_ev && n < sizeof(msg); i++)
		n += (size_t)snprintf(msg + n, sizeof(msg) - n, "%s%s", i ? "; " : "", parts[i]);
	flood_finding(a, msg, ev, n_ev);
}

void audit_input_cut(struct audit *a, uint64_t events_left_out, uint64_t strings_shortened,
		     const char *kinds)
{
	char why[512];
	if (events_left_out)
		snprintf(why, sizeof(why),
			 "the event log was cut when it was written: %llu events were left out (%s)%s",
			 (unsigned long long)events_left_out, kinds && *kinds ? kinds : "kinds not recorded",
			 strings_shortened ? " and strings were shortened" : "");
	else
		snprintf(why, sizeof(why),
			 "the event log was shortened when it was written: %llu strings were cut to "
			 "report.limits.text",
			 (unsigned long long)strings_shortened);
	audit_mark_incomplete(a, why);
	audit_add_note(a, "%s; the detectors of this replay did not see them.", why);
	a->input_cut = events_left_out > 0;
	if (a->artifacts)
		artifacts_recorded_cut(a->artifacts, events_left_out, strings_shortened);
	if (!events_left_out)
		return;
	char msg[512], line[512];
	snprintf(msg, sizeof(msg),
		 "the recorded run flooded the audit's output files: %llu events were left out of its "
		 "event log (most: %s)",
		 (unsigned long long)events_left_out, kinds && *kinds ? kinds : "not recorded");
	snprintf(line, sizeof(line), "events.jsonl: %llu events left out: %s",
		 (unsigned long long)events_left_out, kinds && *kinds ? kinds : "?");
	const char *ev[1] = {line};
	flood_finding(a, msg, ev, 1);
}

static bool wants_format(const struct audit_config *cfg, const char *fmt)
{
	if (!cfg->report_formats)
		return true;
	for (size_t i = 0; cfg->report_formats[i]; i++)
		if (strcmp(cfg->report_formats[i], fmt) == 0)
			return true;
	return false;
}

void audit_mark_interrupted(struct audit *a, int signo)
{
	if (!a->interrupted_by)
		a->interrupted_by = signo;
	audit_mark_incomplete(a, signo == SIGINT ? "interrupted by SIGINT" : "interrupted by SIGTERM");
}

int audit_close(struct audit *a, struct audit_outcome *out, char *err, size_t errlen)
{
	int rc = 0;
	for (size_t i = 0; i < a->n_plugins; i++)
		plugin_instance_finish(&a->plugins[i]);

	const struct bus_stats *st = bus_get_stats(a->bus);
	a->in.events = st->events;
	a->in.processes = st->processes;
	a->in.events_lost = st->events_lost;
	if (!a->observed_set && a->in.observed_s <= 0)
		a->in.observed_s = st->last_time_s;
	if (st->events_lost)
		audit_mark_incomplete(a, "events were lost (see stats.events_lost)");
	if (st->subscriber_errors)
		audit_set_stat(a, "subscriber_errors", (double)st->subscriber_errors);

	report_output_cut(a);
	activity_describe(a->activity, &a->in);
	findings_sort(&a->in);
	struct score_result score;
	memset(&score, 0, sizeof(score));
	rc = score_compute(&a->in, &score);
	if (rc < 0) {
		snprintf(err, errlen, "scoring failed: %s", strerror(-rc));
		return rc;
	}
	enum coverage cov = coverage_compute(&a->in, a->coverage_reason, sizeof(a->coverage_reason));
	a->in.coverage = coverage_name(cov);
	a->in.coverage_reason = a->coverage_reason;
	memset(out, 0, sizeof(*out));
	out->pass = score.pass;
	out->score = score.score;
	out->risk = score.risk ? score.risk : "critical";
	out->coverage = a->in.coverage;
	snprintf(out->coverage_reason, sizeof(out->coverage_reason), "%s", a->coverage_reason);
	out->interrupted_by = a->interrupted_by;
	for (size_t i = 0; i < a->in.n_categories; i++) {
		out->n_fail += a->in.categories[i].status == STATUS_FAIL;
		out->n_warn += a->in.categories[i].status == STATUS_WARN;
	}

	phase_mark("score");
	if (a->artifacts) {
		rc = artifacts_close(a->artifacts, err, errlen);
		artifacts_free(a->artifacts);
		a->artifacts = NULL;
	}
	phase_mark("artifacts_close");
	if (rc == 0 && a->opt.outdir) {
		if (wants_format(a->cfg, "json"))
			rc = report_write_json(&a->in, &score, a->opt.outdir_fd, "report.json", err, errlen);
		if (rc == 0 && wants_format(a->cfg, "markdown"))
			rc = report_write_md(&a->in, &score, a->opt.outdir_fd, "report.md", err, errlen);
		if (rc == 0 && wants_format(a->cfg, "html"))
			rc = report_write_html(&a->in, &score, a->opt.outdir_fd, "report.html", err, errlen);
		if (rc == 0 && wants_format(a->cfg, "junit"))
			rc = report_write_junit(&a->in, &score, a->opt.outdir_fd, "report.junit.xml", err, errlen);
		if (rc == 0 && wants_format(a->cfg, "sarif"))
			rc = report_write_sarif(&a->in, &score, a->opt.outdir_fd, "report.sarif", err, errlen);
	}
	phase_mark("reports");
	score_free(&score);
	return rc;
}

void audit_close_late(struct audit *a, int fd)
{
	if (fd < 0)
		return;
	if (a->n_late_fds < sizeof(a->late_fds) / sizeof(a->late_fds[0]))
		a->late_fds[a->n_late_fds++] = fd;
	else
		close(fd);
}

void audit_free(struct audit *a)
{
	if (!a)
		return;
	phase_mark("pre_late");
	for (size_t i = 0; i < a->n_late_fds; i++)
		close(a->late_fds[i]);
	phase_mark("late_close");
	for (size_t i = 0; i < a->n_plugins; i++)
		plugin_instance_release(&a->plugins[i]);
	free(a->plugins);
	if (a->artifacts)
		artifacts_free(a->artifacts);
	activity_free(a->activity);
	bus_free(a->bus);
	/* report_input_free frees what report.h says it owns; the two const
	 * strings the audit allocated are freed here. */
	free((char *)a->in.exit_signal);
	free((char *)a->in.incomplete);
	free((char *)a->in.not_started);
	report_input_free(&a->in);
	free(a);
}

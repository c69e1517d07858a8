/*
 * main.c — the dynaudit command line: with core/cli/ (help texts, the
 * plugins listing, the test runner) the only code that prints to the user
 * and chooses the exit status.
 *
 *   0 verdict PASS, 1 verdict FAIL (or a --fail-on condition: warn,
 *   inconclusive), 2 usage or configuration error, 3 the audit itself
 *   could not run, 128 + signal when SIGINT/SIGTERM cut the audit short
 *   (its report, marked incomplete, is still written).
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli_help.h"
#include "cli/cli_plugins.h"
#include "cli/cli_test.h"
#include "config/config.h"
#include "dynaudit_build.h"
#include "batch/batch.h"
#include "engine/audit.h"
#include "engine/bus.h"
#include "engine/event_json.h"
#include "engine/outdir.h"
#include "engine/plugin_loader.h"
#include "live/live_run.h"
#include "engine/phase_times.h"
#include "recorded/source_strace.h"
#include "recorded/strace_context.h"

enum { EXIT_PASS = 0, EXIT_FAIL = 1, EXIT_USAGE = 2, EXIT_NORUN = 3 };

/* --fail-on: which outcomes make the exit status 1 (a bit each). */
enum { FAIL_ON_FAIL = 1, FAIL_ON_WARN = 2, FAIL_ON_INCONCLUSIVE = 4 };

struct cli {
	const char *config;
	const char *target;
	const char *outdir;
	bool force;             /* --force: write into a directory that is not an audit's */
	const char *strace;
	const char *ss;
	const char *events;
	const char **sets;
	size_t n_sets;
	const char **plugin_path;
	size_t n_plugin_path;
	char **command;
	int verbosity;          /* -q: -1, default 0, -v: 1, -vv: 2 */
	unsigned fail_on;       /* FAIL_ON_* bits; default FAIL_ON_FAIL */
	unsigned jobs;          /* batch -j */
	unsigned shard_k, shard_n;
	char **args;            /* batch, summarize: the directories; test: the scenarios */
	size_t n_args;
	struct cfg_node *root;  /* test: the scenario's config, used instead of -c */
	bool tap;               /* test --tap */
	const char *junit;      /* test --junit FILE */
	bool rules_markdown;    /* plugins --rules-markdown */
};

static int parse_fail_on(const char *list, unsigned *out)
{
	char buf[128];
	if (snprintf(buf, sizeof(buf), "%s", list) >= (int)sizeof(buf))
		return -1;
	unsigned bits = 0;
	char *save = NULL;
	for (char *w = strtok_r(buf, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		if (!strcmp(w, "fail"))
			bits |= FAIL_ON_FAIL;
		else if (!strcmp(w, "warn"))
			bits |= FAIL_ON_WARN;
		else if (!strcmp(w, "inconclusive"))
			bits |= FAIL_ON_INCONCLUSIVE;
		else
			return -1;
	}
	if (!bits)
		return -1;
	*out = bits;
	return 0;
}

static void die_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void die_usage(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "dynaudit: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n%s", usage_text);
	va_end(ap);
}

static int push(const char ***arr, size_t *n, const char *v)
{
	const char **na = realloc(*arr, (*n + 1) * sizeof(*na));
	if (!na)
		return -1;
	*arr = na;
	na[(*n)++] = v;
	return 0;
}

/* Parse the options of a subcommand; returns -1 on error (already reported),
 * 1 when --help was printed. */
static int parse_options(const char *cmd, int argc, char **argv, struct cli *cli, const char *help)
{
	enum { OPT_TARGET = 256, OPT_SET, OPT_STRACE, OPT_SS, OPT_EVENTS, OPT_PLUGIN_PATH, OPT_FORCE,
	       OPT_FAIL_ON, OPT_SHARD, OPT_TAP, OPT_JUNIT, OPT_RULES_MD };
	static const struct option longopts[] = {
		{"config", required_argument, NULL, 'c'},
		{"output", required_argument, NULL, 'o'},
		{"target", required_argument, NULL, OPT_TARGET},
		{"set", required_argument, NULL, OPT_SET},
		{"strace", required_argument, NULL, OPT_STRACE},
		{"ss", required_argument, NULL, OPT_SS},
		{"events", required_argument, NULL, OPT_EVENTS},
		{"plugin-path", required_argument, NULL, OPT_PLUGIN_PATH},
		{"force", no_argument, NULL, OPT_FORCE},
		{"fail-on", required_argument, NULL, OPT_FAIL_ON},
		{"jobs", required_argument, NULL, 'j'},
		{"shard", required_argument, NULL, OPT_SHARD},
		{"tap", no_argument, NULL, OPT_TAP},
		{"junit", required_argument, NULL, OPT_JUNIT},
		{"rules-markdown", no_argument, NULL, OPT_RULES_MD},
		{"quiet", no_argument, NULL, 'q'},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	bool is_run = strcmp(cmd, "run") == 0, is_replay = strcmp(cmd, "replay") == 0;
	bool is_plugins = strcmp(cmd, "plugins") == 0;
	bool is_batch = strcmp(cmd, "batch") == 0, is_summarize = strcmp(cmd, "summarize") == 0;
	bool is_test = strcmp(cmd, "test") == 0;
	bool audits = is_run || is_replay || is_batch;
	int c;
	optind = 1;
	opterr = 0;
	cli->fail_on = FAIL_ON_FAIL;
	while ((c = getopt_long(argc, argv, "+c:o:j:vqh", longopts, NULL)) != -1) {
		bool ok = true;
		switch (c) {
		case 'c': ok = !is_plugins && !is_summarize && !is_test; cli->config = optarg; break;
		case 'o': ok = audits || is_summarize || is_test; cli->outdir = optarg; break;
		case OPT_TAP: ok = is_test; cli->tap = true; break;
		case OPT_JUNIT: ok = is_test; cli->junit = optarg; break;
		case OPT_RULES_MD: ok = is_plugins; cli->rules_markdown = true; break;
		case 'j': {
			char *end;
			unsigned long v = strtoul(optarg, &end, 10);
			if (!is_batch || *end || !optarg[0] || v < 1 || v > 64) {
				die_usage("-j %s: a number of jobs from 1 to 64 (with batch)", optarg);
				return -1;
			}
			cli->jobs = (unsigned)v;
			break;
		}
		case OPT_SHARD: {
			unsigned k, n;
			char tail;
			if (!is_batch || sscanf(optarg, "%u/%u%c", &k, &n, &tail) != 2 || n < 1 || k >= n) {
				die_usage("--shard %s: K/N with N >= 1 and K in 0..N-1 (with batch)", optarg);
				return -1;
			}
			cli->shard_k = k;
			cli->shard_n = n;
			break;
		}
		case OPT_TARGET: ok = is_run; cli->target = optarg; break;
		case OPT_FORCE: ok = audits; cli->force = true; break;
		case OPT_SET: ok = !is_plugins && !is_summarize; push(&cli->sets, &cli->n_sets, optarg); break;
		case OPT_STRACE: ok = is_replay; cli->strace = optarg; break;
		case OPT_SS: ok = is_replay; cli->ss = optarg; break;
		case OPT_EVENTS: ok = is_replay; cli->events = optarg; break;
		case OPT_PLUGIN_PATH: ok = is_plugins; push(&cli->plugin_path, &cli->n_plugin_path, optarg); break;
		case OPT_FAIL_ON:
			ok = audits || is_summarize;
			if (ok && parse_fail_on(optarg, &cli->fail_on) < 0) {
				die_usage("--fail-on %s: a comma list of fail, warn, inconclusive", optarg);
				return -1;
			}
			break;
		case 'v': cli->verbosity = cli->verbosity < 0 ? 1 : cli->verbosity + 1; break;
		case 'q': cli->verbosity = -1; break;
		case 'h': fputs(help, stdout); return 1;
		default:
			die_usage("unknown or incomplete option '%s'", argv[optind - 1]);
			return -1;
		}
		if (!ok) {
			die_usage("option '%s' does not apply here", argv[optind - 1]);
			return -1;
		}
	}
	if (is_batch || is_summarize || is_test) {
		cli->args = &argv[optind];
		cli->n_args = (size_t)(argc - optind);
		return 0;
	}
	if (optind < argc) {
		if (!is_run || strcmp(argv[optind - 1], "--") != 0) {
			die_usage("unexpected argument '%s' (a target command goes after '--' with run)",
				  argv[optind]);
			return -1;
		}
		cli->command = &argv[optind];
	}
	return 0;
}

/* Load, override and resolve the configuration.  Returns 0 or EXIT_USAGE. */
static int load_config(const struct cli *cli, struct cfg_node **root, struct audit_config *cfg)
{
	struct cfg_error e;
	char msg[2048];
	memset(&e, 0, sizeof(e));
	int rc = 0;
	if (cli->root)
		*root = cli->root; /* a test scenario's inline config */
	else
		rc = cli->config ? config_load_file(cli->config, root, &e) : config_load_default(root, &e);
	for (size_t i = 0; rc == 0 && i < cli->n_sets; i++)
		rc = config_set(*root, cli->sets[i], &e);
	if (rc == 0 && cli->target) {
		char abs[PATH_MAX], assign[PATH_MAX + 32];
		if (!realpath(cli->target, abs)) {
			fprintf(stderr, "dynaudit: --target %s: %s\n", cli->target, strerror(errno));
			return EXIT_USAGE;
		}
		snprintf(assign, sizeof(assign), "target.workdir=%s", abs);
		rc = config_set(*root, assign, &e);
	}
	if (rc == 0)
		rc = config_resolve(*root, cfg, &e);
	if (rc < 0) {
		fprintf(stderr, "dynaudit: %s\n", cfg_error_format(&e, msg, sizeof(msg)));
		return EXIT_USAGE;
	}
	if (cli->command) {
		size_t n = 0;
		while (cli->command[n])
			n++;
		char **cmd = calloc(n + 1, sizeof(*cmd));
		for (size_t i = 0; cmd && i < n; i++)
			cmd[i] = strdup(cli->command[i]);
		if (cfg->command)
			for (size_t i = 0; cfg->command[i]; i++)
				free(cfg->command[i]);
		free(cfg->command);
		cfg->command = cmd;
	}
	return 0;
}

/* The output directory: the user's -o or the default (never inside the
 * submission, see outdir.h), opened once; *fd is what everything is
 * written through.  Returns 0 or an exit status. */
static int open_outdir(const struct cli *cli, const struct audit_config *cfg, char *shown,
		       size_t shown_len, int *fd)
{
	char err[1024] = "", real_sub[PATH_MAX];
	const char *sub = cfg->workdir && realpath(cfg->workdir, real_sub) ? real_sub : NULL;
	int rc = 0;
	if (cli->outdir)
		snprintf(shown, shown_len, "%s", cli->outdir);
	else
		rc = outdir_default(sub, shown, shown_len, err, sizeof(err));
	if (rc == 0) {
		rc = outdir_open(shown, sub, cli->force, err, sizeof(err));
		*fd = rc;
	}
	if (rc >= 0)
		return 0;
	fprintf(stderr, "dynaudit: %s\n", err[0] ? err : strerror(-rc));
	return rc == -EINVAL || rc == -EEXIST ? EXIT_USAGE : EXIT_NORUN;
}

static int open_audit(const struct cli *cli, const struct audit_config *cfg, bool live,
		      const char *outdir, int outdir_fd, struct audit **a)
{
	struct audit_options opt = {
		.outdir = outdir,
		.outdir_fd = outdir_fd,
		.live = live,
		.write_artifacts = true,
		.verbosity = cli->verbosity + 1, /* 0 quiet, 1 warnings, 2 info, 3 debug */
		.fail_on_warn = (cli->fail_on & FAIL_ON_WARN) != 0,
		.fail_on_inconclusive = (cli->fail_on & FAIL_ON_INCONCLUSIVE) != 0,
	};
	char err[2048] = "";
	int rc = audit_open(a, cfg, &opt, err, sizeof(err));
	if (rc < 0) {
		fprintf(stderr, "dynaudit: %s\n", err[0] ? err : strerror(-rc));
		return rc == -EINVAL ? EXIT_USAGE : EXIT_NORUN;
	}
	return 0;
}

/* The one-line summary on stderr and the exit status (see main.c's top). */
static int close_audit(const struct cli *cli, const char *outdir, struct audit *a)
{
	struct audit_outcome o;
	char err[1024] = "";
	int rc = audit_close(a, &o, err, sizeof(err));
	audit_free(a);
	if (rc < 0) {
		fprintf(stderr, "dynaudit: %s\n", err[0] ? err : strerror(-rc));
		return EXIT_NORUN;
	}
	bool inconclusive = strcmp(o.coverage, "full") != 0;
	if (cli->verbosity >= 0)
		fprintf(stderr, "dynaudit: %s%s — score %.1f, %s risk, coverage %s; %u fail, %u warn — report in %s/report.md\n",
			o.pass ? "PASS" : "FAIL", inconclusive ? " (inconclusive)" : "", o.score, o.risk,
			o.coverage, o.n_fail, o.n_warn, outdir);
	if (inconclusive && cli->verbosity >= 0)
		fprintf(stderr, "dynaudit: inconclusive: %s\n", o.coverage_reason);
	if (o.interrupted_by)
		return 128 + o.interrupted_by;
	bool failed = ((cli->fail_on & FAIL_ON_FAIL) && !o.pass) ||
		      ((cli->fail_on & FAIL_ON_WARN) && o.n_warn > 0) ||
		      ((cli->fail_on & FAIL_ON_INCONCLUSIVE) && inconclusive);
	return failed ? EXIT_FAIL : EXIT_PASS;
}

/* Where the strace log was recorded: replay.cwd/home/user when the config
 * says, else what the log shows (strace_context.h), else the sandbox layout
 * HOME/app.  Fills the unset replay.* of cfg and says in note what was
 * assumed and why. */
static void replay_place(const char *strace_path, struct audit_config *cfg, char *note,
			 size_t notelen)
{
	struct strace_context ctx;
	strace_infer_context(strace_path, &ctx);
	const char *home_from = cfg->replay_home ? "replay.home" : ctx.home_from;
	if (!cfg->replay_home && ctx.home[0])
		cfg->replay_home = strdup(ctx.home);
	if (!cfg->replay_home) {
		cfg->replay_home = strdup(cfg->home ? cfg->home : "/home/auditor");
		home_from = "not in the log: dynaudit's sandbox layout";
	}
	const char *cwd_from = cfg->replay_cwd ? "replay.cwd" : ctx.cwd_from;
	if (!cfg->replay_cwd && ctx.cwd[0])
		cfg->replay_cwd = strdup(ctx.cwd);
	if (!cfg->replay_cwd && cfg->replay_home) {
		size_t n = strlen(cfg->replay_home) + 8;
		if ((cfg->replay_cwd = malloc(n)))
			snprintf(cfg->replay_cwd, n, "%s/app", cfg->replay_home);
		cwd_from = "not in the log: HOME/app, dynaudit's sandbox layout";
	}
	const char *user_from = cfg->replay_user ? "replay.user" : ctx.user_from;
	if (!cfg->replay_user && ctx.user[0])
		cfg->replay_user = strdup(ctx.user);
	snprintf(note, notelen,
		 "the strace log was judged as recorded with cwd %s (%s), HOME %s (%s), user %s (%s); "
		 "replay.cwd, replay.home and replay.user set them",
		 cfg->replay_cwd ? cfg->replay_cwd : "?", cwd_from ? cwd_from : "?",
		 cfg->replay_home ? cfg->replay_home : "?", home_from ? home_from : "?",
		 cfg->replay_user ? cfg->replay_user : "unknown",
		 cfg->replay_user ? (user_from ? user_from : "?") : "not in the log");
}

static int cmd_replay(const struct cli *cli)
{
	if (!!cli->strace == !!cli->events) {
		die_usage("%s", "replay needs exactly one of --strace FILE or --events FILE");
		return EXIT_USAGE;
	}
	if (cli->ss && !cli->strace) {
		die_usage("%s", "--ss goes with --strace");
		return EXIT_USAGE;
	}
	struct cfg_node *root = NULL;
	struct audit_config cfg;
	memset(&cfg, 0, sizeof(cfg));
	int status = load_config(cli, &root, &cfg);
	struct audit *a = NULL;
	char outdir[PATH_MAX + 32];
	int outdir_fd = -1;
	/* A recorded run lasted its own window: judge "the whole window"
	 * (long sleeps, early exits) against it, not against this config's. */
	double recorded_window = 0;
	if (status == 0 && cli->events && event_json_header_window(cli->events, &recorded_window) == 0)
		cfg.duration_s = recorded_window;
	char place_note[8192] = "";
	if (status == 0 && cli->strace)
		replay_place(cli->strace, &cfg, place_note, sizeof(place_note));
	if (status == 0)
		status = open_outdir(cli, &cfg, outdir, sizeof(outdir), &outdir_fd);
	if (status == 0)
		status = open_audit(cli, &cfg, false, outdir, outdir_fd, &a);
	if (status != 0)
		goto out;

	char err[1024] = "", src[PATH_MAX + 64];
	int rc;
	if (cli->strace) {
		struct strace_replay_result res;
		memset(&res, 0, sizeof(res));
		snprintf(src, sizeof(src), "strace log: %s", cli->strace);
		audit_add_source(a, src);
		/* target.workdir names the submission on this machine; the log was
		 * recorded where replay_place() says. */
		audit_add_note(a, "%s", place_note);
		/* Detectors and writers on the bus's worker, the parser here: two
		 * CPUs share a replay.  Delivery order is publication order either
		 * way, so the outputs are the same; synchronous again before the
		 * audit is told about the log (and if no thread can be had). */
		bus_start_async(audit_bus(a));
		rc = source_strace_replay(cli->strace, cfg.replay_cwd, audit_bus(a), &res, err, sizeof(err));
		bus_stop_async(audit_bus(a));
		if (rc == 0) {
			if (res.command)
				audit_set_command(a, res.command);
			audit_set_stat(a, "log_lines", (double)res.lines);
			audit_set_stat(a, "parse_warnings", (double)res.warnings);
			if (res.incomplete[0])
				audit_mark_incomplete(a, res.incomplete);
			for (size_t i = 0; i < res.n_notes; i++)
				audit_add_note(a, "%s", res.notes[i]);
			if (res.warnings)
				audit_add_note(a, "%llu line(s) of the strace log could not be parsed; first: %s",
					       (unsigned long long)res.warnings, res.first_warning);
		}
		double t_end = res.last_time_s;
		if (rc == 0 && cli->ss) {
			struct ss_replay_result ss;
			memset(&ss, 0, sizeof(ss));
			snprintf(src, sizeof(src), "ss listing: %s", cli->ss);
			audit_add_source(a, src);
			rc = source_ss_replay_tied(cli->ss, t_end, &res.ties, audit_bus(a), &ss, err,
						   sizeof(err));
			if (rc == 0 && ss.untied)
				audit_add_note(a, "%llu row(s) of the ss listing were left out: neither "
					       "their pid nor their port ties them to the run",
					       (unsigned long long)ss.untied);
			if (rc == 0 && ss.warnings)
				audit_add_note(a, "%llu line(s) of the ss listing could not be parsed; first: %s",
					       (unsigned long long)ss.warnings, ss.first_warning);
		}
		strace_replay_result_free(&res);
	} else {
		struct events_replay_result res;
		memset(&res, 0, sizeof(res));
		snprintf(src, sizeof(src), "events: %s", cli->events);
		audit_add_source(a, src);
		rc = source_events_replay(cli->events, audit_bus(a), &res, err, sizeof(err));
		if (rc == 0 && res.cut)
			audit_input_cut(a, res.cut_events, res.cut_strings, res.cut_kinds);
		if (rc == 0 && res.warnings) {
			audit_set_stat(a, "parse_warnings", (double)res.warnings);
			audit_add_note(a, "%llu line(s) of the event log could not be parsed; first: %s",
				       (unsigned long long)res.warnings, res.first_warning);
		}
	}
	if (rc < 0) {
		fprintf(stderr, "dynaudit: %s\n", err[0] ? err : strerror(-rc));
		audit_free(a);
		status = EXIT_NORUN;
		goto out;
	}
	status = close_audit(cli, outdir, a);
out:
	if (outdir_fd >= 0)
		close(outdir_fd);
	audit_config_free(&cfg);
	config_free(root);
	return status;
}

static int cmd_run(const struct cli *cli)
{
	int outdir_fd = -1;
	struct cfg_node *root = NULL;
	struct audit_config cfg;
	memset(&cfg, 0, sizeof(cfg));
	phase_mark("start");
	int status = load_config(cli, &root, &cfg);
	phase_mark("config");
	if (status != 0)
		goto out;
	if (!cfg.command || !cfg.command[0]) {
		fprintf(stderr, "dynaudit: no target command: give it after '--' or set target.command\n");
		status = EXIT_USAGE;
		goto out;
	}
	if (!cfg.workdir) {
		char cwd[PATH_MAX];
		if (!getcwd(cwd, sizeof(cwd))) {
			fprintf(stderr, "dynaudit: cannot read the current directory: %s\n", strerror(errno));
			status = EXIT_NORUN;
			goto out;
		}
		cfg.workdir = strdup(cwd);
	}
	struct audit *a = NULL;
	char outdir[PATH_MAX + 32];
	status = open_outdir(cli, &cfg, outdir, sizeof(outdir), &outdir_fd);
	phase_mark("outdir");
	if (status == 0)
		status = open_audit(cli, &cfg, true, outdir, outdir_fd, &a);
	phase_mark("plugins");
	if (status != 0)
		goto out;
	char err[1024] = "";
	int rc = live_run(&cfg, a, outdir, err, sizeof(err));
	if (rc < 0) {
		fprintf(stderr, "dynaudit: %s\n", err[0] ? err : strerror(-rc));
		audit_free(a);
		status = EXIT_NORUN;
		goto out;
	}
	status = close_audit(cli, outdir, a);
	phase_mark("free");
out:
	if (outdir_fd >= 0)
		close(outdir_fd);
	audit_config_free(&cfg);
	config_free(root);
	phase_report(stderr);
	return status;
}

static struct batch_options batch_opts(const struct cli *cli)
{
	struct batch_options o = {
		.config = cli->config, .sets = cli->sets, .n_sets = cli->n_sets, .outdir = cli->outdir,
		.force = cli->force, .jobs = cli->jobs, .shard_k = cli->shard_k, .shard_n = cli->shard_n,
		.fail_on = cli->fail_on, .verbosity = cli->verbosity, .paths = cli->args,
		.n_paths = cli->n_args,
	};
	return o;
}

static int cmd_batch(const struct cli *cli)
{
	struct batch_options o = batch_opts(cli);
	return batch_main(&o);
}

static int cmd_summarize(const struct cli *cli)
{
	struct batch_options o = batch_opts(cli);
	return summarize_main(&o);
}

static int cmd_check(const struct cli *cli)
{
	struct cfg_node *root = NULL;
	struct audit_config cfg;
	memset(&cfg, 0, sizeof(cfg));
	int status = load_config(cli, &root, &cfg);
	if (status == 0) {
		/* Detectors validate their own options: load and init them. */
		struct audit_options opt = {.outdir = NULL, .live = false, .verbosity = cli->verbosity + 1};
		struct audit *a = NULL;
		char err[2048] = "";
		int rc = audit_open(&a, &cfg, &opt, err, sizeof(err));
		if (rc < 0) {
			fprintf(stderr, "dynaudit: %s\n", err[0] ? err : strerror(-rc));
			status = rc == -EINVAL ? EXIT_USAGE : EXIT_NORUN;
		} else {
			audit_free(a);
			config_print(root, stdout);
		}
	}
	audit_config_free(&cfg);
	config_free(root);
	return status;
}

static int cmd_plugins(const struct cli *cli)
{
	if (cli->rules_markdown)
		return cli_plugins_rules_markdown();
	return cli_plugins_list(cli->plugin_path, cli->n_plugin_path, cli->verbosity);
}

/* One scenario's audit, in the child process cli_test forked: replay or
 * run as the command line would, with the scenario's config. */
static int audit_scenario(const struct scenario *s, const char *outdir, void *ctx)
{
	const struct cli *parent = ctx;
	struct cli cli;
	memset(&cli, 0, sizeof(cli));
	cli.sets = parent->sets;
	cli.n_sets = parent->n_sets;
	cli.root = s->config;
	cli.config = s->config_path;
	cli.outdir = outdir;
	cli.force = true;
	cli.verbosity = 0;
	cli.fail_on = FAIL_ON_FAIL;
	cli.strace = s->strace;
	cli.ss = s->ss;
	cli.events = s->events;
	cli.command = s->command;
	cli.target = s->workdir;
	return s->command ? cmd_run(&cli) : cmd_replay(&cli);
}

static int cmd_test(const struct cli *cli)
{
	struct cli_test_options o = {
		.files = cli->args, .n_files = cli->n_args, .tap = cli->tap, .junit = cli->junit,
		.keep = cli->outdir,
	};
	return cli_test_main(&o, audit_scenario, (void *)cli);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs(usage_text, stderr);
		return EXIT_USAGE;
	}
	const char *cmd = argv[1];
	if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
		printf("dynaudit %s (plugin ABI %s)\n", DYNAUDIT_VERSION, DA_PLUGIN_ABI_STRING);
		return 0;
	}
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
		fputs(usage_text, stdout);
		return 0;
	}
	struct {
		const char *name;
		const char *help;
		int (*fn)(const struct cli *);
	} cmds[] = {
		{"run", run_help, cmd_run},
		{"replay", replay_help, cmd_replay},
		{"check", check_help, cmd_check},
		{"plugins", plugins_help, cmd_plugins},
		{"batch", batch_help, cmd_batch},
		{"summarize", summarize_help, cmd_summarize},
		{"test", test_help, cmd_test},
	};
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		if (strcmp(cmd, cmds[i].name) != 0)
			continue;
		struct cli cli;
		memset(&cli, 0, sizeof(cli));
		int rc = parse_options(cmd, argc - 1, argv + 1, &cli, cmds[i].help);
		int status = rc < 0 ? EXIT_USAGE : rc > 0 ? 0 : cmds[i].fn(&cli);
		free(cli.sets);
		free(cli.plugin_path);
		return status;
	}
	die_usage("unknown command '%s'", cmd);
	return EXIT_USAGE;
}

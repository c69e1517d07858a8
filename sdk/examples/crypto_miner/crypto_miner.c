/*
 * crypto_miner — example out-of-tree dynaudit detector (ABI 1.2): a
 * submission that mines cryptocurrency on the grader's machine.
 *
 * Rules (declared in .rules below, so `rules:` can override them):
 *   crypto_miner.miner_exec     critical  a known miner program ran (xmrig,
 *                                         cpuminer, ethminer...; `miners`
 *                                         adds names); high when the exec
 *                                         failed (an attempt).
 *   crypto_miner.stratum_url    high      a program started with a mining
 *                                         pool URL (stratum+tcp://...) on its
 *                                         command line, whatever its name.
 *   crypto_miner.pool_connect   high      a connection to a mining-pool port
 *                                         (`pool_ports`) not allowed by
 *                                         `allow_connect`; critical when the
 *                                         process is one that ran a miner.
 * Deliberately ignored: loopback connections (a chat server on 127.0.0.1:
 * 5555 is not a pool) unless `include_loopback` is set.
 *
 * Options (declared in .options; the core checks them before init):
 *   allow_connect     list  host:port entries never reported (libdynaudit-sdk's
 *                           endpoint matcher: IPv6, mapped addresses, globs)
 *   pool_ports        list  ports that mean a pool (default 3333 4444 5555 7777
 *                           8888 9999 14433 14444 45560 45700)
 *   miners            list  more miner program names (globs)
 *   include_loopback  bool  also judge loopback connections (default false)
 *
 * State: which processes ran a miner (so their connections weigh more) and
 * counts for the category's summary.  Built with libdynaudit-sdk
 * (dependency('dynaudit') or pkg-config dynaudit).
 */
#include <dynaudit/detector.h>
#include <dynaudit/endpoint.h>
#include <dynaudit/options.h>
#include <dynaudit/plugin.h>
#include <dynaudit/progclass.h>
#include <errno.h>
#include <stdarg.h>
#include <fnmatch.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MINER_PIDS 256 /* processes remembered as miners (oldest forgotten) */

struct miner_state {
	const struct da_host *host;
	struct da_endpoint_list *allow;
	const char *const *pool_ports; /* the host's, or the defaults */
	size_t n_pool_ports;
	const char *const *miners;     /* extra names (globs) */
	size_t n_miners;
	bool include_loopback;
	int miner_pids[MINER_PIDS];
	size_t n_miner_pids;
	unsigned n_miner_execs, n_pool_connects;
};

static const struct da_rule_decl miner_rules[] = {
	{"crypto_miner.miner_exec", DA_SEV_CRITICAL, "a known cryptocurrency miner program ran"},
	{"crypto_miner.stratum_url", DA_SEV_HIGH, "a program was started with a mining pool URL"},
	{"crypto_miner.pool_connect", DA_SEV_HIGH, "a connection to a mining-pool port"},
	{0},
};

static const struct da_option_decl miner_options[] = {
	{"allow_connect", DA_OPT_LIST, "host:port entries never reported (default: none)"},
	{"pool_ports", DA_OPT_LIST, "ports that mean a mining pool (default: 3333, 4444, 5555, ...)"},
	{"miners", DA_OPT_LIST, "more miner program names, globs (default: none)"},
	{"include_loopback", DA_OPT_BOOL, "also judge loopback connections (default: false)"},
	{0},
};

static const char *const default_pool_ports[] = {"3333", "4444", "5555", "7777", "8888",
						 "9999", "14433", "14444", "45560", "45700", NULL};
static const char *const known_miners[] = {
	"xmrig", "xmrig-*", "xmr-stak*", "minerd", "cpuminer*", "ccminer", "cgminer", "bfgminer",
	"ethminer", "t-rex", "nbminer", "lolminer", "phoenixminer", "nanominer", "gminer",
	"srbminer*", "teamredminer", "claymore*", NULL,
};

static bool name_in(const char *const *globs, size_t n, const char *name)
{
	for (size_t i = 0; globs && i < n && globs[i]; i++)
		if (fnmatch(globs[i], name, 0) == 0)
			return true;
	return false;
}

static int miner_init(const struct da_host *host, const struct da_cfg *cfg, void **state,
		      char *err, size_t errlen)
{
	struct miner_state *st = calloc(1, sizeof(*st));
	if (!st)
		return -ENOMEM;
	*state = st;
	st->host = host;
	st->allow = da_endpoint_list_new();
	if (!st->allow)
		return -ENOMEM;
	const char *const *items = NULL;
	size_t n = da_opt_list(host, cfg, "allow_connect", &items);
	for (size_t i = 0; i < n; i++) {
		char why[256];
		if (da_endpoint_list_add(st->allow, items[i], DA_ENDPOINT_HOST_ALONE, why, sizeof(why)) < 0) {
			/* only what a type cannot say is left to init */
			snprintf(err, errlen, "%s: plugins.crypto_miner.allow_connect: %s",
				 host->cfg_where(host, cfg, "allow_connect"), why);
			return -EINVAL;
		}
	}
	st->n_pool_ports = da_opt_list(host, cfg, "pool_ports", &st->pool_ports);
	if (!st->n_pool_ports) {
		st->pool_ports = default_pool_ports;
		st->n_pool_ports = sizeof(default_pool_ports) / sizeof(default_pool_ports[0]) - 1;
	}
	for (size_t i = 0; i < st->n_pool_ports; i++) {
		long long port;
		if (da_parse_int(st->pool_ports[i], &port) < 0 || port < 1 || port > 65535) {
			snprintf(err, errlen, "%s: plugins.crypto_miner.pool_ports: '%s' is not a port",
				 host->cfg_where(host, cfg, "pool_ports"), st->pool_ports[i]);
			return -EINVAL;
		}
	}
	st->n_miners = da_opt_list(host, cfg, "miners", &st->miners);
	return da_opt_bool(host, cfg, "include_loopback", false, &st->include_loopback, err, errlen);
}

static bool ran_miner(const struct miner_state *st, int pid)
{
	for (size_t i = 0; i < st->n_miner_pids && i < MINER_PIDS; i++)
		if (st->miner_pids[i] == pid)
			return true;
	return false;
}

/* A finding about ev, its message written printf-style (libdynaudit-sdk's
 * da_emit_findingv formats it and fills struct_size). */
static void report(struct miner_state *st, const struct da_event *ev, const char *rule,
		   enum da_severity sev, const char *advice, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
static void report(struct miner_state *st, const struct da_event *ev, const char *rule,
		   enum da_severity sev, const char *advice, const char *fmt, ...)
{
	const char *evidence[1] = {ev->text};
	struct da_finding f = {
		.rule = rule, .severity = sev, .pid = ev->pid, .time_s = ev->time_s,
		.evidence = evidence, .n_evidence = ev->text ? 1 : 0, .recommendation = advice,
	};
	va_list ap;
	va_start(ap, fmt);
	da_emit_findingv(st->host, &f, NULL, 0, fmt, ap);
	va_end(ap);
}

static const char *stratum_arg(const struct da_event *ev)
{
	for (int i = 0; ev->argv && i < ev->argc; i++)
		if (ev->argv[i] && (strstr(ev->argv[i], "stratum+tcp://") ||
				    strstr(ev->argv[i], "stratum+ssl://") ||
				    strstr(ev->argv[i], "stratum2+tcp://")))
			return ev->argv[i];
	return NULL;
}

static void on_exec(struct miner_state *st, const struct da_event *ev)
{
	const char *base = da_prog_base_name(ev->path);
	bool ran = ev->err == 0;
	if (*base && (name_in(known_miners, (size_t)-1, base) ||
		      name_in(st->miners, st->n_miners, base))) {
		report(st, ev, "crypto_miner.miner_exec", ran ? DA_SEV_CRITICAL : DA_SEV_HIGH,
		       "Remove the miner: a submission must not mine on the grading machine.",
		       "%s the miner %s", ran ? "ran" : "tried to run", base);
		if (ran) {
			st->miner_pids[st->n_miner_pids++ % MINER_PIDS] = ev->pid;
			st->n_miner_execs++;
		}
	}
	const char *url = stratum_arg(ev);
	if (url) {
		/* a shell or interpreter handing a pool URL on is the usual wrapper */
		bool wrapper = da_prog_is_shell(base) || da_prog_is_script_runner(base);
		report(st, ev, "crypto_miner.stratum_url", DA_SEV_HIGH,
		       "A pool URL on a command line means mining: remove it.",
		       "%s started with a mining pool URL%s", *base ? base : "a program",
		       wrapper ? " (through a shell or interpreter)" : "");
	}
}

static void on_connect(struct miner_state *st, const struct da_event *ev)
{
	char host[128], port[16];
	if (!ev->addr || da_endpoint_is_unix(ev->addr) ||
	    !da_endpoint_split(ev->addr, host, sizeof(host), port, sizeof(port)) || !port[0])
		return;
	if (!st->include_loopback && da_endpoint_is_loopback(host))
		return;
	if (!name_in(st->pool_ports, st->n_pool_ports, port) || da_endpoint_match(st->allow, ev->addr) >= 0)
		return;
	bool miner = ran_miner(st, ev->pid);
	st->n_pool_connects++;
	report(st, ev, "crypto_miner.pool_connect", miner ? DA_SEV_CRITICAL : DA_SEV_HIGH,
	       "If the assignment needs this endpoint, list it in allow_connect.",
	       "connection to %s:%s, a mining-pool port%s", da_endpoint_unmapped(host), port,
	       miner ? ", by a process that ran a miner" : "");
}

static int miner_on_event(void *state, const struct da_event *ev, char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	if (ev->kind == DA_EV_PROC_EXEC)
		on_exec(state, ev);
	else if (ev->kind == DA_EV_NET_CONNECT)
		on_connect(state, ev);
	return 0;
}

static int miner_finish(void *state, char *err, size_t errlen)
{
	struct miner_state *st = state;
	char remarks[160];
	(void)err;
	(void)errlen;
	if (!st->n_miner_execs && !st->n_pool_connects)
		return 0;
	snprintf(remarks, sizeof(remarks), "%u miner run(s), %u pool connection(s).",
		 st->n_miner_execs, st->n_pool_connects);
	st->host->set_summary(st->host, "Mining", remarks);
	return 0;
}

static void miner_destroy(void *state)
{
	struct miner_state *st = state;
	if (st)
		da_endpoint_list_free(st->allow);
	free(st);
}

static const struct da_plugin crypto_miner = {
	DA_PLUGIN_HEADER,
	.name = "crypto_miner",
	.version = "1.0.0",
	.description = "cryptocurrency miners: miner programs, pool URLs, pool ports",
	.category_id = "crypto_miner",
	.category_title = "Crypto Mining",
	.init = miner_init,
	.on_event = miner_on_event,
	.finish = miner_finish,
	.destroy = miner_destroy,
	.kinds = DA_KINDS(DA_EV_PROC_EXEC, DA_EV_NET_CONNECT),
	.rules = miner_rules,
	.options = miner_options,
};

DYNAUDIT_PLUGIN(crypto_miner)

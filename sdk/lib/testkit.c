/*
 * testkit.c — a small host for detector unit tests (dynaudit/testkit.h).
 *
 * It records findings the way the core does (merged by rule and message,
 * undeclared rules refused) and checks options with the parsers of
 * options.c, so a test that passes here meets the same host in dynaudit.
 */
#include "dynaudit/testkit.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dynaudit/options.h"

#define TK_MAX_OPTIONS 64
#define TK_MAX_ITEMS 256
#define TK_MAX_FINDINGS 4096

struct tk_option {
	char *key;
	char *scalar;            /* NULL for a list set with set_list */
	char **items;            /* NULL-terminated */
	size_t n_items;
	char where[96];
};

struct da_testkit {
	const struct da_plugin *plugin;
	struct da_host host;
	struct da_run_info run;
	char *workdir, *home;
	char **command;
	struct tk_option opts[TK_MAX_OPTIONS];
	size_t n_opts;
	void *state;
	bool init_called, running, finished, in_init;
	uint64_t mask[DA_EVMASK_WORDS];
	uint64_t seq;
	size_t delivered;
	struct da_testkit_finding findings[TK_MAX_FINDINGS];
	size_t n_findings;
	size_t emit_errors;
	char *observation, *remarks;
	struct da_rule_decl *extra;   /* declare_rule copies */
	size_t n_extra;
};

static struct da_testkit *kit_of(const struct da_host *h)
{
	return (struct da_testkit *)h->core;
}

static const struct tk_option *option(const struct da_testkit *tk, const char *key)
{
	for (size_t i = 0; key && i < tk->n_opts; i++)
		if (strcmp(tk->opts[i].key, key) == 0)
			return &tk->opts[i];
	return NULL;
}

static bool has(const struct da_plugin *p, size_t end)
{
	return p->struct_size >= end;
}
#define HAS(p, m) has((p), offsetof(struct da_plugin, m) + sizeof((p)->m))

static bool declares(const struct da_testkit *tk, const char *rule, bool *any)
{
	const struct da_plugin *p = tk->plugin;
	const struct da_rule_decl *r = HAS(p, rules) ? p->rules : NULL;
	*any = r || tk->n_extra;
	for (size_t i = 0; r && r[i].id && i < 1024; i++)
		if (strcmp(r[i].id, rule) == 0)
			return true;
	for (size_t i = 0; i < tk->n_extra; i++)
		if (strcmp(tk->extra[i].id, rule) == 0)
			return true;
	return false;
}

static int tk_emit(const struct da_host *h, const struct da_finding *f)
{
	struct da_testkit *tk = kit_of(h);
	bool any;
	if (!f || !f->rule || !*f->rule || !f->message || !*f->message ||
	    (unsigned)f->severity > DA_SEV_CRITICAL || (!declares(tk, f->rule, &any) && any)) {
		tk->emit_errors++;
		return -EINVAL;
	}
	for (size_t i = 0; i < tk->n_findings; i++) {
		struct da_testkit_finding *x = &tk->findings[i];
		if (strcmp(x->rule, f->rule) == 0 && strcmp(x->message, f->message) == 0) {
			x->count++;
			if (f->severity > x->severity)
				x->severity = f->severity;
			return 0;
		}
	}
	if (tk->n_findings == TK_MAX_FINDINGS)
		return -ENOSPC;
	struct da_testkit_finding *x = &tk->findings[tk->n_findings];
	x->rule = strdup(f->rule);
	x->message = strdup(f->message);
	x->first_evidence = f->evidence && f->n_evidence && f->evidence[0] ? strdup(f->evidence[0]) : NULL;
	x->severity = f->severity;
	x->pid = f->pid;
	x->count = 1;
	if (!x->rule || !x->message)
		return -ENOMEM;
	tk->n_findings++;
	return 0;
}

static void tk_set_summary(const struct da_host *h, const char *obs, const char *rem)
{
	struct da_testkit *tk = kit_of(h);
	if (obs) {
		free(tk->observation);
		tk->observation = strdup(obs);
	}
	if (rem) {
		free(tk->remarks);
		tk->remarks = strdup(rem);
	}
}

static const char *tk_cfg_string(const struct da_host *h, const struct da_cfg *node, const char *key)
{
	const struct tk_option *o = node ? NULL : option(kit_of(h), key);
	return o ? o->scalar : NULL;
}

static size_t tk_cfg_list(const struct da_host *h, const struct da_cfg *node, const char *key,
			  const char *const **items)
{
	const struct tk_option *o = node ? NULL : option(kit_of(h), key);
	*items = o ? (const char *const *)o->items : NULL;
	return o ? o->n_items : 0;
}

static const struct da_cfg *tk_cfg_child(const struct da_host *h, const struct da_cfg *node,
					 const char *key)
{
	(void)h; (void)node; (void)key;
	return NULL;
}

static const char *tk_cfg_key_at(const struct da_host *h, const struct da_cfg *node, size_t i)
{
	struct da_testkit *tk = kit_of(h);
	return !node && i < tk->n_opts ? tk->opts[i].key : NULL;
}

static const char *tk_cfg_where(const struct da_host *h, const struct da_cfg *node, const char *key)
{
	const struct tk_option *o = node ? NULL : option(kit_of(h), key);
	return o ? o->where : "testkit";
}

static void tk_log(const struct da_host *h, int level, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "testkit: %s: [%d] ", kit_of(h)->plugin->name, level);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static int tk_unsubscribe(const struct da_host *h, const uint64_t kinds[DA_EVMASK_WORDS])
{
	struct da_testkit *tk = kit_of(h);
	if (!tk->in_init)
		return -EPERM;
	for (int w = 0; w < DA_EVMASK_WORDS; w++)
		tk->mask[w] &= ~kinds[w];
	return 0;
}

static int tk_declare_rule(const struct da_host *h, const struct da_rule_decl *r)
{
	struct da_testkit *tk = kit_of(h);
	bool any;
	size_t n = strlen(tk->plugin->category_id);
	if (!tk->in_init)
		return -EPERM;
	if (!r || !r->id || strncmp(r->id, tk->plugin->category_id, n) != 0 || r->id[n] != '.' ||
	    !r->id[n + 1] || !r->summary || (unsigned)r->severity > DA_SEV_CRITICAL)
		return -EINVAL;
	if (declares(tk, r->id, &any))
		return 0;
	struct da_rule_decl *x = realloc(tk->extra, (tk->n_extra + 1) * sizeof(*x));
	if (!x)
		return -ENOMEM;
	tk->extra = x;
	x[tk->n_extra].id = strdup(r->id);
	x[tk->n_extra].summary = strdup(r->summary);
	x[tk->n_extra].severity = r->severity;
	tk->n_extra++;
	return 0;
}

struct da_testkit *da_testkit_new(const struct da_plugin *plugin)
{
	if (!plugin)
		return NULL;
	struct da_testkit *tk = calloc(1, sizeof(*tk));
	if (!tk)
		return NULL;
	tk->plugin = plugin;
	tk->host = (struct da_host){
		.struct_size = sizeof(tk->host), .core = tk, .run = &tk->run, .emit = tk_emit,
		.set_summary = tk_set_summary, .cfg_string = tk_cfg_string, .cfg_list = tk_cfg_list,
		.cfg_child = tk_cfg_child, .cfg_key_at = tk_cfg_key_at, .cfg_where = tk_cfg_where,
		.log = tk_log, .unsubscribe = tk_unsubscribe, .declare_rule = tk_declare_rule,
	};
	if (da_testkit_set_run(tk, NULL, NULL, NULL, 0) < 0) {
		free(tk);
		return NULL;
	}
	return tk;
}

static void free_strv(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

static char **strv_copy(const char *const *items, size_t *n)
{
	size_t k = 0;
	while (items && items[k] && k < TK_MAX_ITEMS)
		k++;
	char **v = calloc(k + 1, sizeof(*v));
	for (size_t i = 0; v && i < k; i++)
		if (!(v[i] = strdup(items[i]))) {
			free_strv(v);
			return NULL;
		}
	if (n)
		*n = k;
	return v;
}

int da_testkit_set_run(struct da_testkit *tk, const char *workdir, const char *home,
		       const char *const *command, int live)
{
	static const char *const default_command[] = {"python3", "app.py", NULL};
	char *w = strdup(workdir ? workdir : "/home/auditor/app");
	char *h = strdup(home ? home : "/home/auditor");
	char **c = strv_copy(command ? command : default_command, NULL);
	if (!w || !h || !c) {
		free(w);
		free(h);
		free_strv(c);
		return -ENOMEM;
	}
	free(tk->workdir);
	free(tk->home);
	free_strv(tk->command);
	tk->workdir = w;
	tk->home = h;
	tk->command = c;
	tk->run = (struct da_run_info){.struct_size = sizeof(tk->run), .workdir = w, .home = h,
				       .tmpdir = "/tmp", .command = (const char *const *)c,
				       .duration_s = 60, .live = live};
	return 0;
}

static int put_option(struct da_testkit *tk, const char *key, char *scalar, char **items, size_t n)
{
	struct tk_option *o = (struct tk_option *)option(tk, key);
	if (!o && tk->n_opts == TK_MAX_OPTIONS)
		return -ENOSPC;
	if (!o) {
		o = &tk->opts[tk->n_opts];
		if (!(o->key = strdup(key)))
			return -ENOMEM;
		tk->n_opts++;
	}
	free(o->scalar);
	free_strv(o->items);
	o->scalar = scalar;
	o->items = items;
	o->n_items = n;
	snprintf(o->where, sizeof(o->where), "testkit:%s", key);
	return 0;
}

int da_testkit_set(struct da_testkit *tk, const char *key, const char *value)
{
	if (!key || !value || tk->init_called)
		return -EINVAL;
	/* a scalar with commas is a list too (INI's reading) */
	char *copy = strdup(value), *save = NULL, *s = strdup(value);
	char *parts[TK_MAX_ITEMS + 1];
	size_t n = 0;
	for (char *w = s ? strtok_r(s, ",", &save) : NULL; w && n < TK_MAX_ITEMS;
	     w = strtok_r(NULL, ",", &save)) {
		while (*w == ' ')
			w++;
		size_t len = strlen(w);
		while (len && w[len - 1] == ' ')
			w[--len] = '\0';
		if (*w)
			parts[n++] = w;
	}
	parts[n] = NULL;
	char **items = strv_copy((const char *const *)parts, &n);
	free(s);
	if (!copy || !items) {
		free(copy);
		free_strv(items);
		return -ENOMEM;
	}
	return put_option(tk, key, copy, items, n);
}

int da_testkit_set_list(struct da_testkit *tk, const char *key, const char *const *items)
{
	size_t n = 0;
	if (!key || tk->init_called)
		return -EINVAL;
	char **v = strv_copy(items, &n);
	return v ? put_option(tk, key, NULL, v, n) : -ENOMEM;
}

/* The core's check of declared options, on the kit's model. */
static int check_options(const struct da_testkit *tk, char *err, size_t errlen)
{
	const struct da_plugin *p = tk->plugin;
	const struct da_option_decl *decls = HAS(p, options) ? p->options : NULL;
	if (!decls)
		return 0;
	for (size_t i = 0; i < tk->n_opts; i++) {
		const struct tk_option *o = &tk->opts[i];
		const struct da_option_decl *d = da_opt_find(decls, o->key);
		bool b;
		long long n;
		double sec;
		const char *bad = NULL;
		if (!d)
			bad = "unknown key";
		else if (d->type == DA_OPT_MAP)
			bad = "a map (not modelled by the testkit)";
		else if (d->type != DA_OPT_LIST && !o->scalar)
			bad = "expected a single value, got a list";
		else if ((d->type == DA_OPT_BOOL && da_parse_bool(o->scalar, &b) < 0) ||
			 (d->type == DA_OPT_INT && da_parse_int(o->scalar, &n) < 0) ||
			 (d->type == DA_OPT_DURATION && da_parse_duration(o->scalar, &sec) < 0))
			bad = d->type == DA_OPT_BOOL ? "not a boolean"
			      : d->type == DA_OPT_INT ? "not an integer" : "not a duration";
		if (bad) {
			snprintf(err, errlen, "%s: plugins.%s.%s: %s", o->where, p->name, o->key, bad);
			return -EINVAL;
		}
	}
	return 0;
}

int da_testkit_init(struct da_testkit *tk, char *err, size_t errlen)
{
	const struct da_plugin *p = tk->plugin;
	if (tk->init_called)
		return -EALREADY;
	err[0] = '\0';
	int rc = check_options(tk, err, errlen);
	if (rc < 0)
		return rc;
	memcpy(tk->mask, p->subscriptions, sizeof(tk->mask));
	if (HAS(p, kinds) && p->kinds) {
		memset(tk->mask, 0, sizeof(tk->mask));
		for (size_t i = 0; p->kinds[i] != DA_EV_NONE && i < 256; i++)
			if (p->kinds[i] < DA_EV_KIND_MAX)
				DA_EVMASK_SET(tk->mask, p->kinds[i]);
	}
	tk->init_called = true;
	tk->in_init = true;
	rc = p->init(&tk->host, NULL, &tk->state, err, errlen);
	tk->in_init = false;
	tk->running = rc == 0;
	return rc;
}

struct da_event da_testkit_event(enum da_event_kind kind, int pid, double time_s)
{
	struct da_event ev;
	memset(&ev, 0, sizeof(ev));
	ev.kind = kind;
	ev.pid = ev.tid = pid;
	ev.time_s = time_s;
	ev.fd = ev.target_fd = -1;
	return ev;
}

int da_testkit_send(struct da_testkit *tk, struct da_event *ev)
{
	if (!tk->running || tk->finished)
		return -EPERM;
	ev->struct_size = sizeof(*ev);
	ev->seq = ++tk->seq;
	if (ev->kind >= DA_EV_KIND_MAX || !DA_EVMASK_HAS(tk->mask, ev->kind))
		return 0;
	tk->delivered++;
	char err[512] = "";
	int rc = tk->plugin->on_event(tk->state, ev, err, sizeof(err));
	if (rc < 0)
		fprintf(stderr, "testkit: %s: on_event: %s\n", tk->plugin->name, err);
	return rc;
}

size_t da_testkit_delivered(const struct da_testkit *tk)
{
	return tk->delivered;
}

int da_testkit_finish(struct da_testkit *tk)
{
	if (!tk->running || tk->finished)
		return -EPERM;
	tk->finished = true;
	char err[512] = "";
	int rc = tk->plugin->finish ? tk->plugin->finish(tk->state, err, sizeof(err)) : 0;
	if (rc < 0)
		fprintf(stderr, "testkit: %s: finish: %s\n", tk->plugin->name, err);
	return rc;
}

size_t da_testkit_count(const struct da_testkit *tk, const char *rule)
{
	size_t n = 0;
	for (size_t i = 0; i < tk->n_findings; i++)
		if (!rule || strcmp(tk->findings[i].rule, rule) == 0)
			n += tk->findings[i].count;
	return n;
}

size_t da_testkit_n_findings(const struct da_testkit *tk)
{
	return tk->n_findings;
}

const struct da_testkit_finding *da_testkit_finding(const struct da_testkit *tk, size_t i)
{
	return i < tk->n_findings ? &tk->findings[i] : NULL;
}

const struct da_testkit_finding *da_testkit_find(const struct da_testkit *tk, const char *rule,
						 const char *text)
{
	for (size_t i = 0; i < tk->n_findings; i++)
		if ((!rule || strcmp(tk->findings[i].rule, rule) == 0) &&
		    (!text || strstr(tk->findings[i].message, text)))
			return &tk->findings[i];
	return NULL;
}

size_t da_testkit_emit_errors(const struct da_testkit *tk)
{
	return tk->emit_errors;
}

const char *da_testkit_observation(const struct da_testkit *tk)
{
	return tk->observation;
}

const char *da_testkit_remarks(const struct da_testkit *tk)
{
	return tk->remarks;
}

void da_testkit_free(struct da_testkit *tk)
{
	if (!tk)
		return;
	if (tk->init_called && tk->plugin->destroy)
		tk->plugin->destroy(tk->state);
	for (size_t i = 0; i < tk->n_opts; i++) {
		free(tk->opts[i].key);
		free(tk->opts[i].scalar);
		free_strv(tk->opts[i].items);
	}
	for (size_t i = 0; i < tk->n_findings; i++) {
		free((char *)tk->findings[i].rule);
		free((char *)tk->findings[i].message);
		free((char *)tk->findings[i].first_evidence);
	}
	for (size_t i = 0; i < tk->n_extra; i++) {
		free((char *)tk->extra[i].id);
		free((char *)tk->extra[i].summary);
	}
	free(tk->extra);
	free(tk->observation);
	free(tk->remarks);
	free(tk->workdir);
	free(tk->home);
	free_strv(tk->command);
	free(tk);
}

/*
 * plugin_host.c — the services a detector gets (struct da_host) and the
 * guarded calls into it.  See plugin_host.h.
 */
#include "engine/plugin_host.h"
#include "engine/plugin_options.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct plugin_instance *instance_of(const struct da_host *host)
{
	return (struct plugin_instance *)host->core;
}

static void set_error(struct plugin_instance *pi, const char *stage, const char *msg)
{
	struct category_rec *cat = pi->cat;
	char buf[768];
	snprintf(buf, sizeof(buf), "detector '%s' %s: %s", pi->lp.desc->name, stage,
		 msg && *msg ? msg : "failed without a message");
	if (cat && !cat->error)
		cat->error = strdup(buf);
	pi->running = false;
}

bool plugin_instance_has_rules(const struct plugin_instance *pi)
{
	return pi->lp.decl.rules || pi->n_extra_rules;
}

const struct da_rule_decl *plugin_instance_rule_at(const struct plugin_instance *pi, size_t i)
{
	if (i < pi->lp.decl.n_rules)
		return &pi->lp.decl.rules[i];
	i -= pi->lp.decl.n_rules;
	return i < pi->n_extra_rules ? &pi->extra_rules[i] : NULL;
}

const struct da_rule_decl *plugin_instance_rule(const struct plugin_instance *pi, const char *id)
{
	const struct da_rule_decl *r;
	for (size_t i = 0; id && (r = plugin_instance_rule_at(pi, i)); i++)
		if (strcmp(r->id, id) == 0)
			return r;
	return NULL;
}

/* A finding of a rule the detector does not declare is dropped, and the
 * report says so (the category's error) without stopping the detector:
 * the other findings it reports are still good. */
static int undeclared_rule(struct plugin_instance *pi, const char *rule)
{
	pi->undeclared_emits++;
	if (pi->cat && !pi->cat->error) {
		char buf[512];
		snprintf(buf, sizeof(buf),
			 "detector '%s' reported rule '%.100s', which it does not declare "
			 "(its findings of that rule were dropped)",
			 pi->lp.desc->name, rule);
		pi->cat->error = strdup(buf);
	}
	return -EINVAL;
}

static int host_emit(const struct da_host *host, const struct da_finding *f)
{
	struct plugin_instance *pi = instance_of(host);
	if (f && f->rule && plugin_instance_has_rules(pi) && !plugin_instance_rule(pi, f->rule))
		return undeclared_rule(pi, f->rule);
	/* The assignment's word on a rule wins over the detector's (rules:). */
	const struct rule_override *o =
		f ? config_rule_override(pi->rules, pi->n_rules, f->rule) : NULL;
	struct da_finding changed;
	if (o && o->off) {
		pi->rules_dropped++;
		return 0;
	}
	if (o) {
		/* a copy as large as the plugin's struct (0: the whole one) */
		size_t n = f->struct_size && f->struct_size < sizeof(changed) ? f->struct_size
									  : sizeof(changed);
		memset(&changed, 0, sizeof(changed));
		memcpy(&changed, f, n);
		changed.severity = (enum da_severity)o->severity;
		f = &changed;
	}
	int rc = findings_add(pi->cat, f);
	if (rc < 0)
		pi->emit_errors++;
	return rc;
}

static void host_set_summary(const struct da_host *host, const char *observation,
			     const char *remarks)
{
	struct category_rec *cat = instance_of(host)->cat;
	if (observation) {
		free(cat->observation);
		cat->observation = strdup(observation);
	}
	if (remarks) {
		free(cat->remarks);
		cat->remarks = strdup(remarks);
	}
}

static const struct cfg_node *node_or_own(const struct da_host *host, const struct da_cfg *node)
{
	return node ? (const struct cfg_node *)node : instance_of(host)->cfg;
}

static const char *host_cfg_string(const struct da_host *host, const struct da_cfg *node,
				   const char *key)
{
	const struct cfg_node *n = node_or_own(host, node);
	return n ? cfg_scalar(cfg_map_get(n, key)) : NULL;
}

static size_t host_cfg_list(const struct da_host *host, const struct da_cfg *node, const char *key,
			    const char *const **items)
{
	const struct cfg_node *n = node_or_own(host, node);
	const struct cfg_node *v = n ? cfg_map_get(n, key) : NULL;
	*items = NULL;
	return v ? cfg_list_strings(v, items) : 0;
}

static const struct da_cfg *host_cfg_child(const struct da_host *host, const struct da_cfg *node,
					   const char *key)
{
	const struct cfg_node *n = node_or_own(host, node);
	const struct cfg_node *c = n ? cfg_map_get(n, key) : NULL;
	return c && c->type == CFG_MAP ? (const struct da_cfg *)c : NULL;
}

static const char *host_cfg_key_at(const struct da_host *host, const struct da_cfg *node, size_t i)
{
	const struct cfg_node *n = node_or_own(host, node);
	return n ? cfg_map_key_at(n, i) : NULL;
}

static const char *host_cfg_where(const struct da_host *host, const struct da_cfg *node,
				  const char *key)
{
	const struct cfg_node *n = node_or_own(host, node);
	if (n && key) {
		const struct cfg_node *c = cfg_map_get(n, key);
		if (c)
			n = c;
	}
	return n ? cfg_where(n) : "<config>";
}

/* Highest level of detector log lines printed: set from -q/-v through
 * plugin_host_set_verbosity(); warnings and errors by default. */
static int log_level_threshold = 1;

void plugin_host_set_verbosity(int verbosity)
{
	log_level_threshold = verbosity;
}

static void host_log(const struct da_host *host, int level, const char *fmt, ...)
{
	if (level > log_level_threshold)
		return;
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "dynaudit: %s: ", instance_of(host)->lp.desc->name);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static int host_unsubscribe(const struct da_host *host, const uint64_t kinds[DA_EVMASK_WORDS])
{
	struct plugin_instance *pi = instance_of(host);
	if (!pi->in_init)
		return -EPERM;
	for (int w = 0; w < DA_EVMASK_WORDS; w++)
		pi->mask[w] &= ~kinds[w];
	return 0;
}

static int host_declare_rule(const struct da_host *host, const struct da_rule_decl *rule)
{
	struct plugin_instance *pi = instance_of(host);
	if (!pi->in_init)
		return -EPERM;
	if (!rule || !plugin_rule_id_ok(pi->lp.decl.category_id, rule->id) ||
	    (unsigned)rule->severity > DA_SEV_CRITICAL || !rule->summary || !*rule->summary)
		return -EINVAL;
	for (size_t p = 0; p < pi->n_peers; p++)
		if (&pi->peers[p] != pi && plugin_instance_rule(&pi->peers[p], rule->id))
			return -EEXIST;
	if (plugin_instance_rule(pi, rule->id))
		return 0; /* declared already: nothing new */
	if (pi->n_extra_rules >= DECL_MAX_RULES)
		return -ENOSPC;
	struct da_rule_decl *n = realloc(pi->extra_rules, (pi->n_extra_rules + 1) * sizeof(*n));
	if (!n)
		return -ENOMEM;
	pi->extra_rules = n;
	struct da_rule_decl copy = {strdup(rule->id), rule->severity, strdup(rule->summary)};
	if (!copy.id || !copy.summary) {
		free((char *)copy.id);
		free((char *)copy.summary);
		return -ENOMEM;
	}
	n[pi->n_extra_rules++] = copy;
	return 0;
}

int plugin_instance_init(struct plugin_instance *pi, const struct da_run_info *run,
			 const struct cfg_node *cfg, struct category_rec *cat, char *err,
			 size_t errlen)
{
	pi->cfg = cfg;
	pi->cat = cat;
	memset(&pi->host, 0, sizeof(pi->host));
	pi->host.struct_size = sizeof(pi->host);
	pi->host.core = pi;
	pi->host.run = run;
	pi->host.emit = host_emit;
	pi->host.set_summary = host_set_summary;
	pi->host.cfg_string = host_cfg_string;
	pi->host.cfg_list = host_cfg_list;
	pi->host.cfg_child = host_cfg_child;
	pi->host.cfg_key_at = host_cfg_key_at;
	pi->host.cfg_where = host_cfg_where;
	pi->host.log = host_log;
	pi->host.unsubscribe = host_unsubscribe;
	pi->host.declare_rule = host_declare_rule;
	memcpy(pi->mask, pi->lp.decl.mask, sizeof(pi->mask));
	if (pi->lp.decl.options) {
		int orc = plugin_options_check(pi->lp.desc->name, pi->lp.decl.options, cfg, err, errlen);
		if (orc < 0)
			return orc;
	}

	char msg[512] = "";
	pi->init_called = true;
	pi->in_init = true;
	int rc = pi->lp.desc->init(&pi->host, (const struct da_cfg *)cfg, &pi->state, msg, sizeof(msg));
	pi->in_init = false;
	if (rc == 0) {
		pi->running = true;
		return 0;
	}
	if (rc == -EINVAL) {
		snprintf(err, errlen, "%s", msg[0] ? msg : "invalid detector configuration");
		return rc;
	}
	set_error(pi, "did not start", msg);
	snprintf(err, errlen, "%s", cat->error ? cat->error : msg);
	return rc;
}

static int instance_on_event(void *ctx, const struct da_event *ev)
{
	struct plugin_instance *pi = ctx;
	if (!pi->running)
		return BUS_UNSUBSCRIBE;
	char msg[512] = "";
	int rc = pi->lp.desc->on_event(pi->state, ev, msg, sizeof(msg));
	if (rc < 0) {
		char stage[64];
		snprintf(stage, sizeof(stage), "stopped at event %llu", (unsigned long long)ev->seq);
		set_error(pi, stage, msg);
		return -1;
	}
	return 0;
}

int plugin_instance_subscribe(struct plugin_instance *pi, struct bus *bus)
{
	if (!pi->running)
		return 0;
	return bus_subscribe(bus, pi->mask, instance_on_event, pi);
}

void plugin_instance_finish(struct plugin_instance *pi)
{
	if (!pi->running || !pi->lp.desc->finish)
		return;
	char msg[512] = "";
	if (pi->lp.desc->finish(pi->state, msg, sizeof(msg)) < 0)
		set_error(pi, "failed to finish", msg);
}

void plugin_instance_release(struct plugin_instance *pi)
{
	if (pi->init_called && pi->lp.desc && pi->lp.desc->destroy)
		pi->lp.desc->destroy(pi->state);
	pi->init_called = false;
	pi->state = NULL;
	for (size_t i = 0; i < pi->n_extra_rules; i++) {
		free((char *)pi->extra_rules[i].id);
		free((char *)pi->extra_rules[i].summary);
	}
	free(pi->extra_rules);
	pi->extra_rules = NULL;
	pi->n_extra_rules = 0;
	plugin_unload(&pi->lp);
}

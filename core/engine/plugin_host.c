/*
 * plugin_host.c — the services a detector gets (struct da_host) and the
 * guarded calls into it.  See plugin_host.h.
 */
#include "engine/plugin_host.h"

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

static int host_emit(const struct da_host *host, const struct da_finding *f)
{
	struct plugin_instance *pi = instance_of(host);
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
	for (int w = 0; w < DA_EVMASK_WORDS; w++)
		pi->mask[w] = pi->lp.desc->subscriptions[w];

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
	plugin_unload(&pi->lp);
}

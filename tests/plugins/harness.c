/*
 * harness.c — see harness.h.  Uses the real config loader, plugin loader,
 * plugin host, bus and findings store: only the event source is by hand.
 */
#include "harness.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/config.h"
#include "engine/bus.h"
#include "engine/plugin_host.h"
#include "engine/report.h"

#ifndef PLUGIN_BUILD_DIR
#error "PLUGIN_BUILD_DIR must be defined by the build"
#endif

struct harness {
	struct cfg_node *root;
	struct bus *bus;
	struct plugin_instance pi;
	struct category_rec cat;
	struct da_run_info run;
	char **command;
	char *workdir, *home;
	char error[1024];
	int finished;
	struct harness_finding view;
};

static const char *const default_command[] = {"python3", "server.py", NULL};

static struct harness *harness_open(const char *plugin, const char *yaml, const char *workdir,
				    const char *home, const char *const *command, int live,
				    int *init_rc)
{
	struct harness *h = calloc(1, sizeof(*h));
	cr_assert(h);

	/* The plugin's subtree, written as a config file the real loader reads. */
	char path[] = "/tmp/dynaudit-harness-XXXXXX.yaml";
	int fd = mkstemps(path, 5);
	cr_assert(fd >= 0, "mkstemps: %s", strerror(errno));
	FILE *f = fdopen(fd, "w");
	fprintf(f, "plugins:\n  %s:", plugin);
	if (!yaml || !*yaml) {
		fprintf(f, " {}\n");
	} else {
		fprintf(f, "\n");
		const char *line = yaml;
		while (*line) {
			const char *nl = strchr(line, '\n');
			size_t len = nl ? (size_t)(nl - line) : strlen(line);
			fprintf(f, "    %.*s\n", (int)len, line);
			line += len + (nl ? 1 : 0);
		}
	}
	fclose(f);
	struct cfg_error e;
	memset(&e, 0, sizeof(e));
	int rc = config_load_file(path, &h->root, &e);
	unlink(path);
	char msg[2048];
	cr_assert(rc == 0, "config: %s", cfg_error_format(&e, msg, sizeof(msg)));
	const struct cfg_node *node = cfg_map_get(cfg_map_get(h->root, "plugins"), plugin);

	char so[1024], err[1024] = "";
	snprintf(so, sizeof(so), "%s/%s.so", PLUGIN_BUILD_DIR, plugin);
	rc = plugin_load(so, &h->pi.lp, err, sizeof(err));
	cr_assert(rc == 0, "load %s: %s", so, err);

	h->cat.id = strdup(h->pi.lp.desc->category_id);
	h->cat.title = strdup(h->pi.lp.desc->category_title ? h->pi.lp.desc->category_title : "");
	h->cat.plugin = strdup(plugin);

	if (!command)
		command = default_command;
	size_t n = 0;
	while (command[n])
		n++;
	h->command = calloc(n + 1, sizeof(char *));
	for (size_t i = 0; i < n; i++)
		h->command[i] = strdup(command[i]);
	h->workdir = strdup(workdir ? workdir : "/home/auditor/app");
	h->home = strdup(home ? home : "/home/auditor");
	h->run.struct_size = sizeof(h->run);
	h->run.workdir = h->workdir;
	h->run.home = h->home;
	h->run.tmpdir = "/tmp";
	h->run.command = (const char *const *)h->command;
	h->run.duration_s = 60;
	h->run.live = live;

	h->bus = bus_new();
	rc = plugin_instance_init(&h->pi, &h->run, node, &h->cat, h->error, sizeof(h->error));
	if (init_rc)
		*init_rc = rc;
	else
		cr_assert(rc == 0, "init of %s failed: %s", plugin, h->error);
	if (rc == 0)
		cr_assert(plugin_instance_subscribe(&h->pi, h->bus) == 0);
	return h;
}

struct harness *harness_new_run(const char *plugin, const char *yaml, const char *workdir,
				const char *home, const char *const *command, int *init_rc)
{
	return harness_open(plugin, yaml, workdir, home, command, 0, init_rc);
}

struct harness *harness_new_live(const char *plugin, const char *yaml)
{
	return harness_open(plugin, yaml, NULL, NULL, NULL, 1, NULL);
}

void harness_mask(const struct harness *h, uint64_t mask[DA_EVMASK_WORDS])
{
	bus_subscribed_mask(h->bus, mask);
}

const struct da_host *harness_host(const struct harness *h)
{
	return &h->pi.host;
}

struct harness *harness_new(const char *plugin, const char *yaml, int *init_rc)
{
	return harness_new_run(plugin, yaml, NULL, NULL, NULL, init_rc);
}

void harness_free(struct harness *h)
{
	if (!h)
		return;
	plugin_instance_release(&h->pi);
	bus_free(h->bus);
	struct report_input in;
	memset(&in, 0, sizeof(in));
	in.categories = calloc(1, sizeof(struct category_rec));
	*in.categories = h->cat;
	in.n_categories = 1;
	report_input_free(&in);
	for (size_t i = 0; h->command[i]; i++)
		free(h->command[i]);
	free(h->command);
	free(h->workdir);
	free(h->home);
	config_free(h->root);
	free(h);
}

int harness_publish(struct harness *h, struct da_event *ev)
{
	uint64_t before = bus_get_stats(h->bus)->subscriber_errors;
	bus_publish(h->bus, ev);
	return bus_get_stats(h->bus)->subscriber_errors > before ? -1 : 0;
}

int harness_finish(struct harness *h)
{
	if (h->finished)
		return 0;
	h->finished = 1;
	plugin_instance_finish(&h->pi);
	return h->cat.error ? -1 : 0;
}

size_t harness_count(const struct harness *h, const char *rule)
{
	size_t n = 0;
	for (size_t i = 0; i < h->cat.n_findings; i++)
		if (!rule || strcmp(h->cat.findings[i].rule, rule) == 0)
			n++;
	return n;
}

int harness_max_severity(const struct harness *h, const char *rule)
{
	int worst = -1;
	for (size_t i = 0; i < h->cat.n_findings; i++)
		if ((!rule || strcmp(h->cat.findings[i].rule, rule) == 0) &&
		    (int)h->cat.findings[i].severity > worst)
			worst = (int)h->cat.findings[i].severity;
	return worst;
}

const struct harness_finding *harness_find(const struct harness *h, const char *rule,
					   const char *text)
{
	for (size_t i = 0; i < h->cat.n_findings; i++) {
		const struct finding_rec *r = &h->cat.findings[i];
		if ((rule && strcmp(r->rule, rule) != 0) || (text && !strstr(r->message, text)))
			continue;
		struct harness_finding *v = &((struct harness *)h)->view;
		v->rule = r->rule;
		v->severity = (int)r->severity;
		v->message = r->message;
		v->pid = r->pid;
		v->evidence = r->evidence;
		v->n_evidence = r->n_evidence;
		v->recommendation = r->recommendation;
		v->count = r->count;
		return v;
	}
	return NULL;
}

const struct harness_finding *harness_get(const struct harness *h, const char *rule)
{
	return harness_find(h, rule, NULL);
}

const char *harness_status(const struct harness *h)
{
	int worst = harness_max_severity(h, NULL);
	if (worst < 0)
		return "safe";
	if (worst >= DA_SEV_HIGH)
		return "fail";
	if (worst >= DA_SEV_LOW)
		return "warn";
	return "info";
}

const char *harness_observation(const struct harness *h)
{
	return h->cat.observation;
}

const char *harness_remarks(const struct harness *h)
{
	return h->cat.remarks;
}

const char *harness_error(const struct harness *h)
{
	return h->error[0] ? h->error : h->cat.error;
}

void harness_dump(const struct harness *h)
{
	for (size_t i = 0; i < h->cat.n_findings; i++) {
		const struct finding_rec *r = &h->cat.findings[i];
		fprintf(stderr, "  [%s] %s x%u: %s\n", da_severity_name(r->severity), r->rule, r->count,
			r->message);
		for (size_t j = 0; j < r->n_evidence; j++)
			fprintf(stderr, "      | %s\n", r->evidence[j]);
	}
	if (h->cat.observation)
		fprintf(stderr, "  summary: %s / %s\n", h->cat.observation,
			h->cat.remarks ? h->cat.remarks : "");
}

void harness_publish_hostile_events(struct harness *h)
{
	static char huge[20000];
	memset(huge, '/', sizeof(huge) - 1);
	static const char *const argv[] = {"", NULL};
	for (int kind = 1; kind < DA_EV_KIND_MAX; kind++) {
		struct da_event ev = ev_make((enum da_event_kind)kind, 100, 1.0);
		cr_assert_eq(harness_publish(h, &ev), 0, "kind %d", kind);
		ev.syscall = huge;
		ev.path = huge;
		ev.path2 = huge;
		ev.detail = huge;
		ev.text = huge;
		ev.addr = huge;
		ev.fd_desc = "socket:inet";
		ev.stdio[0] = "socket:inet/stream->";
		ev.fd = 2147483647;
		ev.target_fd = -5;
		ev.target_pid = -1;
		ev.argv = argv;
		ev.argc = 1;
		ev.mode = -1;
		ev.flags = -1;
		ev.arg[0] = ev.arg[1] = ev.arg[2] = INT64_MIN;
		ev.err = -3;
		cr_assert_eq(harness_publish(h, &ev), 0, "kind %d", kind);
	}
	cr_assert_eq(harness_finish(h), 0);
}

struct da_event ev_make(enum da_event_kind kind, int pid, double t)
{
	struct da_event ev;
	da_event_init(&ev, kind);
	ev.pid = pid;
	ev.tid = pid;
	ev.time_s = t;
	return ev;
}

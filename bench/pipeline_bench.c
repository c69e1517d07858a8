/*
 * pipeline_bench.c — the per-event cost behind the tracer: events of an
 * earlier run (its events.jsonl) replayed through the pipeline a live run
 * uses (the default config's detectors, the audit's own subscribers, the
 * events.jsonl/trace.log/... writers), timed without the parsing.
 *
 *   pipeline_bench [-r ROUNDS] [-c CONFIG] EVENTS.JSONL
 *
 * The file is parsed once into memory (not timed).  Each round opens a
 * fresh audit into a temporary output directory, then publishes every
 * event, and closes the audit (reports written).  Two modes, rounds
 * alternating:
 *   sync   every subscriber runs inside bus_publish(): the time per event
 *          is the whole CPU cost of the pipeline for one event;
 *   async  as `dynaudit run`: bus_start_async() first, detectors and
 *          writers on the bus's worker; "publish" is what the publishing
 *          thread (the tracer's) pays per event, "drained" the wall time
 *          per event until the worker has delivered everything.
 * Printed: the median over the rounds of each figure, in ns per event.
 * The plugins come from DYNAUDIT_PLUGIN_DIR (bench/pipeline.sh sets it).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config/config.h"
#include "engine/audit.h"
#include "engine/bus.h"
#include "engine/event_copy.h"
#include "engine/event_json.h"
#include "engine/outdir.h"

struct recorded {
	struct da_event **ev;
	size_t n, cap;
};

static int keep(void *ctx, const struct da_event *ev)
{
	struct recorded *r = ctx;
	if (r->n == r->cap) {
		size_t ncap = r->cap ? r->cap * 2 : 4096;
		struct da_event **g = realloc(r->ev, ncap * sizeof(*g));
		if (!g)
			return -ENOMEM;
		r->ev = g;
		r->cap = ncap;
	}
	size_t size;
	struct da_event *c = da_event_clone(ev, &size);
	if (!c)
		return -ENOMEM;
	r->ev[r->n++] = c;
	return 0;
}

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* One round: open an audit, publish everything, close.  Times in ns. */
static int round_once(const struct audit_config *cfg, const struct recorded *rec, const char *dir,
		      int async, double *publish, double *drained, double *close_ns)
{
	char err[2048] = "";
	int fd = outdir_open(dir, NULL, true, err, sizeof(err));
	if (fd < 0) {
		fprintf(stderr, "pipeline_bench: %s\n", err);
		return -1;
	}
	struct audit_options opt = {
		.outdir = dir, .outdir_fd = fd, .live = true, .write_artifacts = true, .verbosity = 1,
	};
	struct audit *a = NULL;
	if (audit_open(&a, cfg, &opt, err, sizeof(err)) < 0) {
		fprintf(stderr, "pipeline_bench: %s\n", err);
		close(fd);
		return -1;
	}
	struct bus *bus = audit_bus(a);
	if (async && bus_start_async(bus) < 0) {
		fprintf(stderr, "pipeline_bench: no worker thread\n");
		return -1;
	}
	double t0 = now_ns();
	for (size_t i = 0; i < rec->n; i++) {
		struct da_event ev = *rec->ev[i];
		bus_publish(bus, &ev);
	}
	double t1 = now_ns();
	bus_stop_async(bus);
	double t2 = now_ns();
	struct audit_outcome o;
	int rc = audit_close(a, &o, err, sizeof(err));
	double t3 = now_ns();
	audit_free(a);
	close(fd);
	if (rc < 0) {
		fprintf(stderr, "pipeline_bench: %s\n", err);
		return -1;
	}
	*publish = (t1 - t0) / (double)rec->n;
	*drained = (t2 - t0) / (double)rec->n;
	*close_ns = t3 - t2;
	return 0;
}

int main(int argc, char **argv)
{
	int rounds = 5, opt;
	const char *config = NULL;
	while ((opt = getopt(argc, argv, "r:c:")) != -1) {
		if (opt == 'r')
			rounds = atoi(optarg);
		else if (opt == 'c')
			config = optarg;
		else
			return 2;
	}
	if (optind + 1 != argc || rounds < 1 || rounds > 99) {
		fprintf(stderr, "usage: pipeline_bench [-r ROUNDS] [-c CONFIG] EVENTS.JSONL\n");
		return 2;
	}
	struct cfg_node *root = NULL;
	struct cfg_error e;
	struct audit_config cfg;
	char msg[2048];
	memset(&e, 0, sizeof(e));
	memset(&cfg, 0, sizeof(cfg));
	int rc = config ? config_load_file(config, &root, &e) : config_load_default(&root, &e);
	if (rc == 0)
		rc = config_resolve(root, &cfg, &e);
	if (rc < 0) {
		fprintf(stderr, "pipeline_bench: %s\n", cfg_error_format(&e, msg, sizeof(msg)));
		return 2;
	}

	struct recorded rec = { 0 };
	struct bus *load = bus_new();
	struct events_replay_result res;
	if (!load || bus_subscribe(load, NULL, keep, &rec) < 0)
		return 1;
	if (source_events_replay(argv[optind], load, &res, msg, sizeof(msg)) < 0) {
		fprintf(stderr, "pipeline_bench: %s\n", msg);
		return 1;
	}
	bus_free(load);
	if (rec.n == 0) {
		fprintf(stderr, "pipeline_bench: no events in %s\n", argv[optind]);
		return 1;
	}

	char dir[] = "/tmp/dynaudit-pipeline-bench.XXXXXX";
	if (!mkdtemp(dir))
		return 1;
	char out[sizeof(dir) + 8];
	snprintf(out, sizeof(out), "%s/out", dir);
	double *v = calloc((size_t)rounds * 5, sizeof(*v));
	if (!v)
		return 1;
	for (int r = 0; r < rounds; r++) {
		double p, d, c;
		if (round_once(&cfg, &rec, out, 0, &p, &d, &c) < 0)
			return 1;
		v[0 * rounds + r] = d;
		v[1 * rounds + r] = c;
		if (round_once(&cfg, &rec, out, 1, &p, &d, &c) < 0)
			return 1;
		v[2 * rounds + r] = p;
		v[3 * rounds + r] = d;
		v[4 * rounds + r] = c;
	}
	printf("events %zu, rounds %d (medians)\n", rec.n, rounds);
	printf("sync   ns/event %8.1f   close ms %6.1f\n", median(v, rounds),
	       median(v + rounds, rounds) / 1e6);
	printf("async  publish ns/event %8.1f   drained ns/event %8.1f   close ms %6.1f\n",
	       median(v + 2 * rounds, rounds), median(v + 3 * rounds, rounds),
	       median(v + 4 * rounds, rounds) / 1e6);
	/* leave nothing behind */
	char cmd[sizeof(dir) + 16];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		return 1;
	for (size_t i = 0; i < rec.n; i++)
		free(rec.ev[i]);
	free(rec.ev);
	free(v);
	audit_config_free(&cfg);
	config_free(root);
	return 0;
}

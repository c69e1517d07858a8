/*
 * batch_plan.c — see batch_plan.h: names, order, config and resume record
 * of a batch's submissions (the rules are at the top of batch.c).
 */
#include "batch/batch_plan.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/sha256.h"
#include "batch/summary.h"
#include "config/config.h"
#include "dynaudit_build.h"
#include "engine/audit.h"
#include "engine/json.h"
#include "engine/outdir.h"
#include "engine/report.h"

/* ---- planning ------------------------------------------------------------ */

static void sanitize(const char *path, char *out, size_t len)
{
	const char *base = strrchr(path, '/');
	base = base && base[1] ? base + 1 : path;
	size_t w = 0;
	for (const char *p = base; *p && w + 8 < len; p++) {
		char c = *p;
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			  c == '.' || c == '_' || c == '-';
		out[w] = ok && !(w == 0 && c == '.') ? c : '_';
		w++;
	}
	out[w] = 0;
	if (!w)
		snprintf(out, len, "submission");
}

static int cmp_sub(const void *pa, const void *pb)
{
	const struct sub *a = pa, *b = pb;
	int c = strcmp(a->name, b->name);
	return c ? c : strcmp(a->path, b->path);
}

int batch_plan(const struct batch_options *o, struct sub **out, size_t *n_out)
{
	struct sub *subs = calloc(o->n_paths ? o->n_paths : 1, sizeof(*subs));
	if (!subs)
		return -ENOMEM;
	for (size_t i = 0; i < o->n_paths; i++) {
		char real[PATH_MAX];
		struct stat st;
		if (!realpath(o->paths[i], real) || stat(real, &st) < 0 || !S_ISDIR(st.st_mode)) {
			fprintf(stderr, "dynaudit: submission %s: %s\n", o->paths[i],
				errno ? strerror(errno) : "not a directory");
			for (size_t j = 0; j < i; j++)
				free(subs[j].path);
			free(subs);
			return -EINVAL;
		}
		subs[i].path = strdup(real);
		sanitize(real, subs[i].name, sizeof(subs[i].name) - 8);
		subs[i].err_fd = -1;
	}
	size_t n = o->n_paths;
	if (n > 1)
		qsort(subs, n, sizeof(*subs), cmp_sub);
	/* the same directory named twice is audited once */
	size_t w = 0;
	for (size_t i = 0; i < n; i++) {
		if (w && !strcmp(subs[w - 1].path, subs[i].path)) {
			free(subs[i].path);
			continue;
		}
		subs[w++] = subs[i];
	}
	n = w;
	/* equal names: the second and later get -2, -3 ... (unique against all) */
	for (size_t i = 1; i < n; i++) {
		size_t first = i;
		while (first > 0 && !strcmp(subs[first - 1].name, subs[i].name))
			first--;
		if (first == i)
			continue;
		char base[NAME_MAX + 1];
		snprintf(base, sizeof(base), "%s", subs[i].name);
		for (unsigned k = (unsigned)(i - first) + 1;; k++) {
			snprintf(subs[i].name, sizeof(subs[i].name), "%.200s-%u", base, k);
			bool clash = false;
			for (size_t j = 0; j < n && !clash; j++)
				clash = j != i && !strcmp(subs[j].name, subs[i].name);
			if (!clash)
				break;
		}
	}
	if (n > 1)
		qsort(subs, n, sizeof(*subs), cmp_sub);
	*out = subs;
	*n_out = n;
	return 0;
}

int batch_config_hash(const struct batch_options *o, char hex[65])
{
	struct cfg_node *root = NULL;
	struct cfg_error e;
	struct audit_config cfg;
	char msg[2048];
	memset(&e, 0, sizeof(e));
	memset(&cfg, 0, sizeof(cfg));
	int rc = o->config ? config_load_file(o->config, &root, &e) : config_load_default(&root, &e);
	for (size_t i = 0; rc == 0 && i < o->n_sets; i++)
		rc = config_set(root, o->sets[i], &e);
	if (rc == 0)
		rc = config_resolve(root, &cfg, &e);
	if (rc < 0) {
		fprintf(stderr, "dynaudit: %s\n", cfg_error_format(&e, msg, sizeof(msg)));
		config_free(root);
		return -EINVAL;
	}
	if (!cfg.command || !cfg.command[0]) {
		fprintf(stderr, "dynaudit: batch needs target.command in the config (or --set target.command=...)\n");
		rc = -EINVAL;
	}
	if (rc == 0) {
		/* the detectors' options and the rules: overrides, as `dynaudit
		 * check` checks them: once here, not once per submission */
		struct audit_options opt = {.live = true, .verbosity = o->verbosity + 1};
		struct audit *a = NULL;
		char why[2048] = "";
		rc = audit_open(&a, &cfg, &opt, why, sizeof(why));
		if (rc < 0) {
			fprintf(stderr, "dynaudit: %s\n", why[0] ? why : strerror(-rc));
			rc = -EINVAL;
		} else {
			audit_free(a);
		}
	}
	char *text = NULL;
	size_t len = 0;
	FILE *m = rc == 0 ? open_memstream(&text, &len) : NULL;
	if (m) {
		config_print(root, m);
		fclose(m);
		struct sha256 s;
		sha256_init(&s);
		sha256_update(&s, DYNAUDIT_VERSION, strlen(DYNAUDIT_VERSION) + 1);
		sha256_update(&s, text, len);
		sha256_hex(&s, hex);
	} else if (rc == 0) {
		rc = -ENOMEM;
	}
	free(text);
	audit_config_free(&cfg);
	config_free(root);
	return rc;
}

/* ---- the audit directories ---------------------------------------------- */

/* Open OUTDIR/name as a directory, creating it; never through a link. */
static int open_audit_dir(int outfd, const char *name)
{
	if (mkdirat(outfd, name, 0755) < 0 && errno != EEXIST)
		return -errno;
	int fd = openat(outfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

bool batch_already_done(int outfd, const struct sub *s, const char *cfg_hex)
{
	if (!s->tree[0])
		return false;
	int dfd = openat(outfd, s->name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0)
		return false;
	bool done = false;
	struct stat st;
	int fd = openat(dfd, SUMMARY_BATCH_FILE, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd >= 0 && fstatat(dfd, "report.json", &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size < 65536) {
		char buf[65536], err[128];
		ssize_t r = read(fd, buf, sizeof(buf) - 1);
		struct json_value *v = NULL;
		if (r > 0 && json_parse(buf, (size_t)r, &v, err, sizeof(err)) == 0) {
			const struct json_value *state = json_get(v, "state");
			const struct json_value *c = json_get(v, "config_sha256");
			const struct json_value *t = json_get(v, "tree_sha256");
			done = state && state->type == JSON_STRING && !strcmp(state->string, "completed") &&
			       c && c->type == JSON_STRING && !strcmp(c->string, cfg_hex) &&
			       t && t->type == JSON_STRING && !strcmp(t->string, s->tree);
		}
		json_free(v);
	}
	if (fd >= 0)
		close(fd);
	close(dfd);
	return done;
}

const char *batch_state_of(int exit_status)
{
	if (exit_status == 0 || exit_status == 1)
		return "completed";
	if (exit_status == 128 + SIGINT || exit_status == 128 + SIGTERM)
		return "interrupted";
	return "not_audited";
}

void batch_last_line(const struct sub *s, char *out, size_t len)
{
	size_t end = s->tail_len;
	while (end > 0 && (s->tail[end - 1] == '\n' || s->tail[end - 1] == '\r'))
		end--;
	size_t start = end;
	while (start > 0 && s->tail[start - 1] != '\n')
		start--;
	const char *p = s->tail + start;
	size_t n = end - start;
	if (n >= 10 && !strncmp(p, "dynaudit: ", 10)) {
		p += 10;
		n -= 10;
	}
	snprintf(out, len, "%.*s", (int)n, p);
}

void batch_write_entry(int outfd, const struct sub *s, const char *cfg_hex)
{
	int dfd = open_audit_dir(outfd, s->name);
	if (dfd < 0) {
		fprintf(stderr, "dynaudit: %s: cannot record the audit: %s\n", s->name, strerror(-dfd));
		return;
	}
	char err[512], reason[REASON_MAX];
	struct stat st;
	/* a directory the child never opened still counts as an audit's, so the
	 * next run's `dynaudit run` replaces it instead of refusing it */
	if (fstatat(dfd, OUTDIR_MARKER, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		static const char text[] = "This directory holds one dynaudit audit; the next audit into it replaces it whole.\n";
		write_file_atomic(dfd, OUTDIR_MARKER, text, sizeof(text) - 1, err, sizeof(err));
	}
	const char *state = batch_state_of(s->exit);
	reason[0] = 0;
	if (strcmp(state, "completed") != 0)
		batch_last_line(s, reason, sizeof(reason));
	if (!reason[0] && strcmp(state, "completed") != 0)
		snprintf(reason, sizeof(reason), "dynaudit run exited with status %d", s->exit);
	struct json_buf b = {0};
	struct json_writer w;
	jw_init(&w, &b, true);
	jw_begin_object(&w, NULL);
	jw_string(&w, "schema", "dynaudit.batch-entry/1");
	jw_string(&w, "name", s->name);
	jw_string(&w, "submission", s->path);
	jw_string(&w, "config_sha256", cfg_hex);
	jw_string(&w, "tree_sha256", s->tree[0] ? s->tree : NULL);
	jw_int(&w, "exit", s->exit);
	jw_string(&w, "state", state);
	jw_string(&w, "reason", reason[0] ? reason : NULL);
	jw_fixed(&w, "elapsed_s", s->elapsed, 3);
	jw_end_object(&w);
	json_buf_putc(&b, '\n');
	if (b.failed || write_file_atomic(dfd, SUMMARY_BATCH_FILE, b.data, b.len, err, sizeof(err)) < 0)
		fprintf(stderr, "dynaudit: %s: cannot write batch.json: %s\n", s->name,
			b.failed ? "out of memory" : err);
	json_buf_free(&b);
	close(dfd);
}


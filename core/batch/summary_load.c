/*
 * summary_load.c — one audit directory into one summary row (see
 * summary.h).  The files read are dynaudit's own, but a shard may come from
 * another machine and an audit directory from anywhere: every file is
 * opened O_NOFOLLOW, read up to a bound, and parsed by the strict reader;
 * whatever is wrong becomes the row's reason.
 */
#include "batch/summary_row.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "batch/summary.h"
#include "engine/json.h"

const char *const summary_cat_ids[SUMMARY_N_CATS] = {
	"process", "network", "file", "privilege", "code_integrity", "backdoor",
};

#define REPORT_MAX (16u << 20)       /* report.json read at most */
#define BATCH_MAX (256u << 10)       /* batch.json */
#define EVENTS_MAX (64u << 20)       /* events.jsonl bytes scanned for the cohort */
#define EVENT_LINE_MAX (256u << 10)  /* longer event lines are skipped */
#define WORKDIR_PREFIX "/home/auditor/app/"

/* Read dir/name whole, up to max bytes.  Returns 0, -ENOENT, -EFBIG, or
 * another negative errno. */
static int read_bounded(const char *dir, const char *name, size_t max, char **out, size_t *len)
{
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -errno;
	int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	int e = errno;
	close(dfd);
	if (fd < 0)
		return -e;
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -EINVAL;
	}
	if ((unsigned long long)st.st_size > max) {
		close(fd);
		return -EFBIG;
	}
	char *buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	size_t got = 0;
	ssize_t r;
	while (got < (size_t)st.st_size && (r = read(fd, buf + got, (size_t)st.st_size - got)) > 0)
		got += (size_t)r;
	close(fd);
	buf[got] = 0;
	*out = buf;
	*len = got;
	return 0;
}

static char *dup_str(const struct json_value *v)
{
	return v && v->type == JSON_STRING ? strdup(v->string) : NULL;
}

static void set_reason(struct summary_row *row, const char *what, const char *detail)
{
	char buf[1024];
	snprintf(buf, sizeof(buf), "report.json: %s%s", what, detail);
	free(row->reason);
	row->reason = strdup(buf);
}

static int sev_rank(const char *s)
{
	static const char *const order[] = {"critical", "high", "medium", "low", "info"};
	for (int i = 0; s && i < 5; i++)
		if (!strcmp(s, order[i]))
			return i;
	return 5;
}

static void add_behaviour_at(struct summary_row *row, const char *kind, const char *value,
			     const char *detail)
{
	if (!value || !value[0] || row->n_beh >= SUMMARY_MAX_BEHAVIOURS)
		return;
	for (size_t i = 0; i < row->n_beh; i++)
		if (!strcmp(row->beh[i].kind, kind) && !strcmp(row->beh[i].value, value))
			return;
	struct behaviour *nb = realloc(row->beh, (row->n_beh + 1) * sizeof(*nb));
	if (!nb)
		return;
	row->beh = nb;
	nb[row->n_beh].kind = strdup(kind);
	nb[row->n_beh].value = strdup(value);
	nb[row->n_beh].detail = detail ? strdup(detail) : NULL;
	nb[row->n_beh].shown_by = 0;
	if (nb[row->n_beh].kind && nb[row->n_beh].value && (!detail || nb[row->n_beh].detail))
		row->n_beh++;
	else {
		free(nb[row->n_beh].kind);
		free(nb[row->n_beh].value);
		free(nb[row->n_beh].detail);
	}
}

static void add_behaviour(struct summary_row *row, const char *kind, const char *value)
{
	add_behaviour_at(row, kind, value, NULL);
}

/* report.json "left_behind" (live runs): each hashed, non-empty file is a
 * behaviour "dropped" named by its content, so two submissions leaving
 * the same payload under different names show the same behaviour.  Empty
 * files are left out: every empty file has the same digest. */
static void load_left_behind(const struct json_value *report, struct summary_row *row)
{
	const struct json_value *lb = json_get(report, "left_behind");
	for (size_t i = 0; lb && lb->type == JSON_ARRAY && i < lb->n_items; i++) {
		const struct json_value *f = &lb->items[i];
		const struct json_value *sha = json_get(f, "sha256"), *path = json_get(f, "path");
		const struct json_value *size = json_get(f, "size");
		if (!sha || sha->type != JSON_STRING || strlen(sha->string) != 64 || !path ||
		    path->type != JSON_STRING || !size || size->type != JSON_NUMBER || size->number <= 0)
			continue;
		add_behaviour_at(row, "dropped", sha->string, path->string);
	}
}

/* Keep the finding in the row's top list (worst severity, then count). */
static void add_top(struct summary_row *row, const char *rule, const char *sev, int64_t count)
{
	struct row_finding f = {.rule = (char *)rule, .severity = (char *)sev, .count = count,
				.sev_rank = sev_rank(sev)};
	/* one entry per rule: findings of one rule add up */
	for (size_t i = 0; i < row->n_top; i++)
		if (!strcmp(row->top[i].rule, rule)) {
			row->top[i].count += count;
			if (f.sev_rank < row->top[i].sev_rank) {
				free(row->top[i].severity);
				row->top[i].severity = strdup(sev);
				row->top[i].sev_rank = f.sev_rank;
			}
			return;
		}
	size_t pos = row->n_top;
	while (pos > 0 && (f.sev_rank < row->top[pos - 1].sev_rank ||
			   (f.sev_rank == row->top[pos - 1].sev_rank && count > row->top[pos - 1].count)))
		pos--;
	if (pos >= SUMMARY_TOP)
		return;
	if (row->n_top == SUMMARY_TOP) {
		free(row->top[SUMMARY_TOP - 1].rule);
		free(row->top[SUMMARY_TOP - 1].severity);
		row->n_top--;
	}
	memmove(&row->top[pos + 1], &row->top[pos], (row->n_top - pos) * sizeof(row->top[0]));
	row->top[pos].rule = strdup(rule);
	row->top[pos].severity = strdup(sev);
	row->top[pos].count = count;
	row->top[pos].sev_rank = f.sev_rank;
	row->n_top++;
}

static void load_batch_entry(const char *dir, struct summary_row *row)
{
	char *text = NULL, err[256];
	size_t len = 0;
	if (read_bounded(dir, SUMMARY_BATCH_FILE, BATCH_MAX, &text, &len) < 0)
		return;
	struct json_value *v = NULL;
	if (json_parse(text, len, &v, err, sizeof(err)) == 0 && v->type == JSON_OBJECT) {
		char *name = dup_str(json_get(v, "name"));
		if (name) {
			free(row->name);
			row->name = name;
		}
		const struct json_value *x = json_get(v, "exit");
		if (x && x->type == JSON_NUMBER && x->is_int)
			row->exit_status = (int)x->integer;
		char *reason = dup_str(json_get(v, "reason"));
		if (reason) {
			free(row->reason);
			row->reason = reason;
		}
	}
	json_free(v);
	free(text);
}

static void load_report(const char *dir, struct summary_row *row)
{
	char *text = NULL, err[256];
	size_t len = 0;
	int rc = read_bounded(dir, "report.json", REPORT_MAX, &text, &len);
	if (rc < 0) {
		if (!row->reason || rc != -ENOENT)
			set_reason(row, rc == -EFBIG ? "larger than 16 MiB" :
				   rc == -EINVAL ? "not a regular file" : strerror(-rc), "");
		return;
	}
	struct json_value *v = NULL;
	rc = json_parse(text, len, &v, err, sizeof(err));
	free(text);
	const struct json_value *schema = rc == 0 ? json_get(v, "schema") : NULL;
	if (rc < 0 || !schema || schema->type != JSON_STRING ||
	    strcmp(schema->string, "dynaudit.report/1") != 0) {
		set_reason(row, rc < 0 ? "not valid JSON: " : "not a dynaudit report",
			   rc < 0 ? err : "");
		json_free(v);
		return;
	}
	row->has_report = true;
	struct stat hst;
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	row->has_html = dfd >= 0 && fstatat(dfd, "report.html", &hst, AT_SYMLINK_NOFOLLOW) == 0 &&
			S_ISREG(hst.st_mode);
	if (dfd >= 0)
		close(dfd);
	free(row->reason);
	row->reason = NULL;
	if (!row->name) {
		row->name = dup_str(json_get(v, "title"));
	}
	row->verdict = dup_str(json_get(v, "verdict"));
	const struct json_value *s = json_get(v, "score");
	if (s && s->type == JSON_NUMBER) {
		row->score = s->number;
		row->has_score = true;
	}
	row->risk = dup_str(json_get(v, "risk"));
	row->coverage = dup_str(json_get(v, "coverage"));
	row->coverage_reason = dup_str(json_get(v, "coverage_reason"));
	const struct json_value *inc = json_get(v, "incomplete");
	if (inc && inc->type == JSON_BOOL && inc->boolean) {
		row->interrupted = true;
		row->reason = dup_str(json_get(v, "incomplete_reason"));
	}
	const struct json_value *cats = json_get(v, "categories");
	for (size_t i = 0; cats && cats->type == JSON_ARRAY && i < cats->n_items; i++) {
		const struct json_value *c = &cats->items[i];
		const struct json_value *id = json_get(c, "id"), *st = json_get(c, "status");
		if (!id || id->type != JSON_STRING || !st || st->type != JSON_STRING)
			continue;
		if (!strcmp(st->string, "fail"))
			row->n_cat_fail++;
		else if (!strcmp(st->string, "warn"))
			row->n_cat_warn++;
		for (int k = 0; k < SUMMARY_N_CATS; k++)
			if (!strcmp(id->string, summary_cat_ids[k]) && !row->cats[k])
				row->cats[k] = strdup(st->string);
		const struct json_value *fs = json_get(c, "findings");
		for (size_t j = 0; fs && fs->type == JSON_ARRAY && j < fs->n_items; j++) {
			const struct json_value *rule = json_get(&fs->items[j], "rule");
			const struct json_value *sev = json_get(&fs->items[j], "severity");
			const struct json_value *cnt = json_get(&fs->items[j], "count");
			if (!rule || rule->type != JSON_STRING)
				continue;
			int64_t n = cnt && cnt->type == JSON_NUMBER && cnt->is_int && cnt->integer > 0
					    ? cnt->integer : 1;
			row->n_findings += (size_t)n;
			add_top(row, rule->string, sev && sev->type == JSON_STRING ? sev->string : "?", n);
			add_behaviour(row, "rule", rule->string);
		}
	}
	load_left_behind(v, row);
	json_free(v);
}

static const char *str_member(const struct json_value *v, const char *key)
{
	const struct json_value *m = json_get(v, key);
	return m && m->type == JSON_STRING ? m->string : NULL;
}

/* One event line into the row's behaviours. */
static void event_behaviour(struct summary_row *row, const struct json_value *ev)
{
	const char *kind = str_member(ev, "kind");
	const char *phase = str_member(ev, "phase");
	if (!kind || (phase && !strcmp(phase, "setup")))
		return;
	const char *path = str_member(ev, "path");
	if (!strcmp(kind, "exec") && path) {
		const struct json_value *res = json_get(ev, "result");
		if (res && res->type == JSON_NUMBER && res->number < 0)
			return; /* a failed exec ran nothing */
		const char *base = strrchr(path, '/');
		add_behaviour(row, "exec", base ? base + 1 : path);
	} else if (!strcmp(kind, "connect") || !strcmp(kind, "bind") || !strcmp(kind, "listen")) {
		/* addr is the endpoint as the event writes it ("127.0.0.1:5555",
		 * "[::1]:80", a unix path) */
		const char *addr = str_member(ev, "addr");
		if (addr)
			add_behaviour(row, kind, addr);
	} else if (!strcmp(kind, "open") && path) {
		const struct json_value *acc = json_get(ev, "access");
		if (!acc || acc->type != JSON_NUMBER || !((long long)acc->number & 2))
			return;
		if (!strncmp(path, WORKDIR_PREFIX, strlen(WORKDIR_PREFIX)) || path[0] != '/' ||
		    !strncmp(path, "/tmp/", 5) || !strncmp(path, "/dev/", 5) || !strncmp(path, "/proc/", 6))
			return;
		add_behaviour(row, "write", path);
	}
}

static void load_events(const char *dir, struct summary_row *row)
{
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return;
	int fd = openat(dfd, "events.jsonl", O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	close(dfd);
	if (fd < 0)
		return;
	FILE *f = fdopen(fd, "r");
	if (!f) {
		close(fd);
		return;
	}
	/* a fixed buffer, never getline: one forged line must not grow memory */
	char *line = malloc(EVENT_LINE_MAX + 1), err[128];
	size_t total = 0;
	bool skipping = false; /* inside a line longer than the buffer */
	while (line && fgets(line, EVENT_LINE_MAX + 1, f)) {
		size_t n = strlen(line);
		total += n;
		if (total > EVENTS_MAX) {
			row->events_cut = true;
			break;
		}
		bool whole = n > 0 && line[n - 1] == '\n';
		if (skipping || !whole) {
			skipping = !whole;
			continue;
		}
		if (!strstr(line, "\"kind\""))
			continue;
		struct json_value *v = NULL;
		if (json_parse(line, n, &v, err, sizeof(err)) == 0)
			event_behaviour(row, v);
		json_free(v);
	}
	free(line);
	fclose(f);
}

int summary_row_load(const char *dir, struct summary_row *row)
{
	memset(row, 0, sizeof(*row));
	row->exit_status = -1;
	if (!(row->dir = strdup(dir)))
		return -ENOMEM;
	load_batch_entry(dir, row);
	load_report(dir, row);
	if (row->has_report)
		load_events(dir, row);
	else if (!row->reason)
		row->reason = strdup("no report.json");
	if (!row->name) {
		const char *base = strrchr(dir, '/');
		row->name = strdup(base && base[1] ? base + 1 : dir);
	}
	bool full = row->coverage && !strcmp(row->coverage, "full");
	if (!row->has_report)
		row->group = GROUP_NOT_AUDITED;
	else if (row->verdict && !strcmp(row->verdict, "FAIL"))
		row->group = GROUP_FAIL;
	else if (!full || row->interrupted || !row->verdict)
		row->group = GROUP_RERUN;
	else
		row->group = GROUP_PASS;
	row->needs_review = row->group != GROUP_PASS || row->n_cat_fail || row->n_cat_warn;
	return row->name ? 0 : -ENOMEM;
}

void summary_row_free(struct summary_row *row)
{
	free(row->name);
	free(row->dir);
	free(row->reason);
	free(row->verdict);
	free(row->risk);
	free(row->coverage);
	free(row->coverage_reason);
	for (int i = 0; i < SUMMARY_N_CATS; i++)
		free(row->cats[i]);
	for (size_t i = 0; i < row->n_top; i++) {
		free(row->top[i].rule);
		free(row->top[i].severity);
	}
	for (size_t i = 0; i < row->n_beh; i++) {
		free(row->beh[i].kind);
		free(row->beh[i].value);
		free(row->beh[i].detail);
	}
	free(row->beh);
}

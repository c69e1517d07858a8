/*
 * cli_test.c — see cli_test.h.
 */
#include "cli/cli_test.h"
#include "common/file_read.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define REPORT_MAX (16u << 20)

enum outcome { HOLDS, MISSES, MALFORMED };

struct result {
	enum outcome outcome;
	char why[1024];
	double seconds;
};

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The first line of path that says something ("dynaudit: " dropped). */
static void first_line(const char *path, char *out, size_t len)
{
	out[0] = '\0';
	FILE *f = fopen(path, "r");
	char line[1024];
	while (f && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!line[0])
			continue;
		snprintf(out, len, "%s", strncmp(line, "dynaudit: ", 10) == 0 ? line + 10 : line);
		break;
	}
	if (f)
		fclose(f);
}

/* Wait for pid at most timeout_s; then SIGTERM (dynaudit still writes a
 * report), and SIGKILL 10 s later.  Returns the wait status; *timed_out. */
static int wait_bounded(pid_t pid, double timeout_s, bool *timed_out)
{
	double start = now_s(), term_at = 0;
	int status = 0;
	*timed_out = false;
	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);
		if (r == pid || (r < 0 && errno != EINTR))
			return status;
		double t = now_s() - start;
		if (!*timed_out && t > timeout_s) {
			*timed_out = true;
			kill(pid, SIGTERM);
			term_at = t;
		} else if (*timed_out && t > term_at + 10) {
			kill(pid, SIGKILL);
		}
		struct timespec ts = {0, 20 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
}

static void run_one(const struct scenario *s, const char *dir, cli_test_audit_fn audit, void *ctx,
		    struct result *res)
{
	char out[PATH_MAX], log[PATH_MAX], report[PATH_MAX + 16];
	snprintf(out, sizeof(out), "%s/audit", dir);
	snprintf(log, sizeof(log), "%s/dynaudit.log", dir);
	snprintf(report, sizeof(report), "%s/report.json", out);
	double start = now_s();
	fflush(NULL);
	pid_t pid = mkdir(out, 0700) == 0 ? fork() : -1;
	if (pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		int devnull = open("/dev/null", O_RDONLY);
		if (devnull >= 0)
			dup2(devnull, 0);
		int rc = audit(s, out, ctx);
		fflush(NULL);
		_exit(rc);
	}
	if (pid < 0) {
		res->outcome = MISSES;
		snprintf(res->why, sizeof(res->why), "cannot start the audit: %s", strerror(errno));
		return;
	}
	bool timed_out;
	int st = wait_bounded(pid, s->timeout_s, &timed_out);
	res->seconds = now_s() - start;
	int code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
	char line[600];
	first_line(log, line, sizeof(line));
	if (timed_out) {
		res->outcome = MISSES;
		snprintf(res->why, sizeof(res->why), "timed out after %.0f s", s->timeout_s);
		return;
	}
	if (code == 2) {
		res->outcome = MALFORMED;
		snprintf(res->why, sizeof(res->why), "%s", line[0] ? line : "invalid configuration");
		return;
	}
	char *text = NULL;
	size_t len = 0;
	if ((code != 0 && code != 1) || file_read_bounded(report, REPORT_MAX, true, &text, &len) < 0) {
		res->outcome = MISSES;
		snprintf(res->why, sizeof(res->why), "the audit did not run (exit %d)%s%s", code,
			 line[0] ? ": " : "", line);
		return;
	}
	int j = scenario_judge(s, text, len, res->why, sizeof(res->why));
	free(text);
	res->outcome = j == 1 ? HOLDS : MISSES;
}

static void xml_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&apos;", f); break;
		default:
			if ((unsigned char)*s < 0x20 && *s != '\t' && *s != '\n')
				fputc(' ', f);
			else
				fputc(*s, f);
		}
	}
}

static int write_junit(const char *path, const struct scenario *s, const struct result *r, size_t n)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return -errno;
	size_t failures = 0, errors = 0;
	double total = 0;
	for (size_t i = 0; i < n; i++) {
		failures += r[i].outcome == MISSES;
		errors += r[i].outcome == MALFORMED;
		total += r[i].seconds;
	}
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	fprintf(f, "<testsuites tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" time=\"%.3f\">\n", n,
		failures, errors, total);
	fprintf(f, "  <testsuite name=\"dynaudit test\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" "
		   "time=\"%.3f\">\n", n, failures, errors, total);
	for (size_t i = 0; i < n; i++) {
		fputs("    <testcase classname=\"", f);
		xml_text(f, s[i].path);
		fputs("\" name=\"", f);
		xml_text(f, s[i].name);
		fprintf(f, "\" time=\"%.3f\"", r[i].seconds);
		if (r[i].outcome == HOLDS) {
			fputs("/>\n", f);
			continue;
		}
		const char *tag = r[i].outcome == MALFORMED ? "error" : "failure";
		fprintf(f, ">\n      <%s message=\"", tag);
		xml_text(f, r[i].why);
		fprintf(f, "\"/>\n    </testcase>\n");
	}
	fprintf(f, "  </testsuite>\n</testsuites>\n");
	return fclose(f) == 0 ? 0 : -EIO;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)flag; (void)ftw;
	remove(path);
	return 0;
}

/* s as a YAML single-quoted scalar on stdout (TAP diagnostics). */
static void yaml_quoted(const char *s)
{
	putchar('\'');
	for (; *s; s++) {
		if (*s == '\'')
			putchar('\'');
		putchar((unsigned char)*s < 0x20 ? ' ' : *s);
	}
	putchar('\'');
}

static void print_result(const struct cli_test_options *o, size_t i, const struct scenario *s,
			 const struct result *r)
{
	if (!o->tap) {
		if (r->outcome == HOLDS)
			printf("ok     %s (%s)\n", s->name, s->path);
		else
			printf("not ok %s (%s): %s\n", s->name, s->path, r->why);
		fflush(stdout);
		return;
	}
	printf("%s %zu - %s\n", r->outcome == HOLDS ? "ok" : "not ok", i + 1, s->name);
	if (r->outcome != HOLDS) {
		fputs("  ---\n  file: ", stdout);
		yaml_quoted(s->path);
		fputs("\n  message: ", stdout);
		yaml_quoted(r->why);
		printf("\n  severity: %s\n  ...\n", r->outcome == MALFORMED ? "error" : "fail");
	}
	fflush(stdout);
}

static int load_all(const struct cli_test_options *o, struct scenario *s)
{
	int status = 0;
	for (size_t i = 0; i < o->n_files; i++) {
		char err[1024] = "";
		if (scenario_load(o->files[i], &s[i], err, sizeof(err)) < 0) {
			fprintf(stderr, "dynaudit: %s\n", err);
			status = 2;
		}
	}
	return status;
}

int cli_test_main(const struct cli_test_options *o, cli_test_audit_fn audit, void *ctx)
{
	if (o->n_files == 0) {
		fprintf(stderr, "dynaudit: test needs at least one SCENARIO file\n");
		return 2;
	}
	struct scenario *s = calloc(o->n_files, sizeof(*s));
	struct result *r = calloc(o->n_files, sizeof(*r));
	char base[PATH_MAX];
	int status = s && r ? load_all(o, s) : 3;
	if (status == 0 && o->keep) {
		snprintf(base, sizeof(base), "%s", o->keep);
		if (mkdir(base, 0700) < 0 && errno != EEXIST) {
			fprintf(stderr, "dynaudit: -o %s: %s\n", base, strerror(errno));
			status = 2;
		}
	} else if (status == 0) {
		const char *tmp = getenv("TMPDIR");
		snprintf(base, sizeof(base), "%s/dynaudit-test.XXXXXX", tmp && *tmp ? tmp : "/tmp");
		if (!mkdtemp(base)) {
			fprintf(stderr, "dynaudit: cannot make a temporary directory: %s\n", strerror(errno));
			status = 3;
		}
	}
	if (status == 0 && o->tap)
		printf("TAP version 13\n1..%zu\n", o->n_files);
	size_t n_miss = 0, n_bad = 0;
	for (size_t i = 0; status == 0 && i < o->n_files; i++) {
		char dir[PATH_MAX + 16];
		snprintf(dir, sizeof(dir), "%s/%03zu", base, i + 1);
		if (o->keep)
			nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
		if (mkdir(dir, 0700) < 0) {
			r[i].outcome = MISSES;
			snprintf(r[i].why, sizeof(r[i].why), "%s: %s", dir, strerror(errno));
		} else {
			run_one(&s[i], dir, audit, ctx, &r[i]);
		}
		n_miss += r[i].outcome == MISSES;
		n_bad += r[i].outcome == MALFORMED;
		print_result(o, i, &s[i], &r[i]);
	}
	if (status == 0) {
		if (!o->keep)
			nftw(base, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
		if (o->tap)
			printf("# %zu of %zu scenario(s) hold\n", o->n_files - n_miss - n_bad, o->n_files);
		if (o->junit && write_junit(o->junit, s, r, o->n_files) < 0) {
			fprintf(stderr, "dynaudit: --junit %s: cannot write\n", o->junit);
			status = 3;
		}
	}
	if (status == 0)
		status = n_bad ? 2 : n_miss ? 1 : 0;
	for (size_t i = 0; s && i < o->n_files; i++)
		scenario_free(&s[i]);
	free(s);
	free(r);
	return status;
}

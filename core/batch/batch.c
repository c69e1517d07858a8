/*
 * batch.c — `dynaudit batch`: audit every submission of an assignment with
 * one config, JOBS at a time, then write the summary (summary.h).
 *
 * DESIGN.  Each submission is audited by its own child process: this very
 * binary (/proc/self/exe) exec'd as
 *     dynaudit run -q --target SUB -o OUTDIR/NAME [-c CONFIG] [--set ...]
 *                  --set report.title=NAME
 * Why a process and not a thread or an in-process loop: `run` already owns
 * one sandbox, one tracer and one set of signal handlers per process; a
 * crash, a leak or a hang of one audit cannot take the batch or another
 * audit with it; the batch needs no locking; and stopping is plain
 * signalling.  The cost is one exec per audit (about a millisecond).
 *
 * ORDER AND NAMES.  A submission's name is its directory's base name with
 * every byte outside [A-Za-z0-9._-] replaced by '_' (and a leading '.'
 * too, so no name is hidden, "." or ".."); equal names get "-2", "-3", ...
 * in the order of their full paths.  Submissions are sorted by name; index
 * i of that order belongs to shard i mod N, so every machine given the same
 * list computes the same shares.
 *
 * RESUME.  OUTDIR/NAME/batch.json records the SHA-256 of the merged,
 * normalized config (what `dynaudit check` prints, so `extends:` files and
 * --set count; plus the dynaudit version) and of the submission tree
 * (tree_hash.h), the child's exit status and state.  A later batch skips a
 * submission whose audit completed (exit 0 or 1, report.json present) with
 * both hashes equal, unless --force.  Interrupted and not-audited ones are
 * run again.
 *
 * SIGNALS.  SIGINT/SIGTERM: no new audit starts, the running ones get the
 * same signal (each writes its report marked incomplete), the summary is
 * written, exit 128 + signal.  A second signal kills the audits outright.
 * Children run in their own process group (a terminal's ^C reaches them
 * once, through the batch) and die with the batch (PR_SET_PDEATHSIG).
 *
 * JOBS.  Default 4 x online CPUs (audits mostly wait out their window),
 * capped by MemAvailable / 1.5 GiB, between 1 and 64.
 *
 * OUTPUT.  On a terminal (stderr a tty, not -q) one status block redrawn
 * every second: done/running/queued, elapsed, FAILs so far, the slowest
 * running audit.  Otherwise one line per finished submission (not -q).
 */
#include "batch/batch.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "batch/batch_plan.h"
#include "batch/summary.h"
#include "batch/summary_row.h"
#include "batch/tree_hash.h"
#include "config/config.h"
#include "dynaudit_build.h"
#include "engine/json.h"
#include "engine/outdir.h"
#include "engine/report.h"

#define BATCH_MARKER ".dynaudit-batch"
#define DEFAULT_BATCH_OUT "./dynaudit-batch"
#define STOP_GRACE_S 60   /* after forwarding a signal, wait this long before SIGKILL */

static volatile sig_atomic_t stop_signal, stop_count;
static int wake_pipe[2] = {-1, -1};

static void on_signal(int sig)
{
	int e = errno;
	if (sig != SIGCHLD) {
		stop_signal = sig;
		stop_count++;
	}
	if (wake_pipe[1] >= 0 && write(wake_pipe[1], "x", 1) < 0) {
		/* the pipe is full: a wake-up is already pending */
	}
	errno = e;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

unsigned batch_default_jobs(void)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned long long jobs = 4ULL * (unsigned long long)(cpus > 0 ? cpus : 1);
	FILE *f = fopen("/proc/meminfo", "re");
	char line[256];
	unsigned long long kb = 0;
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %llu kB", &kb) == 1)
			break;
	if (f)
		fclose(f);
	if (kb) {
		unsigned long long by_mem = kb / (1536ULL * 1024);
		if (by_mem < jobs)
			jobs = by_mem;
	}
	return jobs < 1 ? 1 : jobs > 64 ? 64 : (unsigned)jobs;
}

/* ---- children ------------------------------------------------------------ */

static int start_child(const struct batch_options *o, const char *outdir, struct sub *s)
{
	int pfd[2];
	if (pipe2(pfd, O_CLOEXEC) < 0)
		return -errno;
	char out[PATH_MAX + NAME_MAX + 2], title[NAME_MAX + 32];
	snprintf(out, sizeof(out), "%s/%s", outdir, s->name);
	snprintf(title, sizeof(title), "report.title=%s", s->name);
	size_t n = 0, cap = 12 + 2 * o->n_sets;
	const char **argv = calloc(cap, sizeof(*argv));
	if (!argv) {
		close(pfd[0]);
		close(pfd[1]);
		return -ENOMEM;
	}
	argv[n++] = "dynaudit";
	argv[n++] = "run";
	argv[n++] = "-q";
	argv[n++] = "--target";
	argv[n++] = s->path;
	argv[n++] = "-o";
	argv[n++] = out;
	if (o->config) {
		argv[n++] = "-c";
		argv[n++] = o->config;
	}
	for (size_t i = 0; i < o->n_sets; i++) {
		argv[n++] = "--set";
		argv[n++] = o->sets[i];
	}
	argv[n++] = "--set";
	argv[n++] = title;
	argv[n] = NULL;
	pid_t pid = fork();
	if (pid < 0) {
		int e = errno;
		free(argv);
		close(pfd[0]);
		close(pfd[1]);
		return -e;
	}
	if (pid == 0) {
		sigset_t none;
		sigemptyset(&none);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGCHLD, SIG_DFL);
		sigprocmask(SIG_SETMASK, &none, NULL);
		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
		if (devnull >= 0) {
			dup2(devnull, 0);
			dup2(devnull, 1);
		}
		dup2(pfd[1], 2);
		execv("/proc/self/exe", (char *const *)argv);
		dprintf(2, "dynaudit: cannot exec /proc/self/exe: %s\n", strerror(errno));
		_exit(3);
	}
	free(argv);
	close(pfd[1]);
	fcntl(pfd[0], F_SETFL, O_NONBLOCK);
	s->pid = pid;
	s->err_fd = pfd[0];
	s->state = ST_RUNNING;
	s->started = now_s();
	return 0;
}

/* Read what the child wrote to stderr, keeping the last REASON_MAX bytes. */
static void drain(struct sub *s)
{
	char buf[4096];
	ssize_t r;
	while (s->err_fd >= 0 && (r = read(s->err_fd, buf, sizeof(buf))) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				return;
			break;
		}
		size_t k = (size_t)r;
		if (k >= sizeof(s->tail)) {
			memcpy(s->tail, buf + k - sizeof(s->tail), sizeof(s->tail));
			s->tail_len = sizeof(s->tail);
		} else {
			if (s->tail_len + k > sizeof(s->tail)) {
				size_t drop = s->tail_len + k - sizeof(s->tail);
				memmove(s->tail, s->tail + drop, s->tail_len - drop);
				s->tail_len -= drop;
			}
			memcpy(s->tail + s->tail_len, buf, k);
			s->tail_len += k;
		}
	}
	close(s->err_fd);
	s->err_fd = -1;
}

/* ---- progress ------------------------------------------------------------ */

struct progress {
	bool tty, quiet;
	size_t total, done, running, queued, fails;
	double t0;
	int lines_drawn;
};

static void draw_block(struct progress *p, const struct sub *subs, size_t n)
{
	if (!p->tty || p->quiet)
		return;
	const struct sub *slow = NULL;
	double t = now_s();
	for (size_t i = 0; i < n; i++)
		if (subs[i].state == ST_RUNNING && (!slow || subs[i].started < slow->started))
			slow = &subs[i];
	for (int i = 0; i < p->lines_drawn; i++)
		fputs("\033[1A\033[2K", stderr);
	double el = t - p->t0;
	fprintf(stderr, "\r\033[2Kdynaudit batch: %zu done, %zu running, %zu queued of %zu — %02d:%02d elapsed, %zu FAIL so far\n",
		p->done, p->running, p->queued, p->total, (int)el / 60, (int)el % 60, p->fails);
	if (slow)
		fprintf(stderr, "\033[2K  slowest running: %s (%.0f s)\n", slow->name, t - slow->started);
	else
		fputs("\033[2K\n", stderr);
	p->lines_drawn = 2;
	fflush(stderr);
}

static void report_done(struct progress *p, const struct sub *s, const char *outdir)
{
	if (p->tty || p->quiet)
		return;
	char reason[REASON_MAX];
	const char *state = batch_state_of(s->exit);
	if (!strcmp(state, "completed")) {
		char dir[PATH_MAX + NAME_MAX + 2];
		struct summary_row row;
		snprintf(dir, sizeof(dir), "%s/%s", outdir, s->name);
		if (summary_row_load(dir, &row) == 0 && row.has_report)
			fprintf(stderr, "dynaudit: [%zu/%zu] %s: %s%s — score %.1f, coverage %s (%.1f s) — %s/report.md\n",
				p->done, p->total, s->name, row.verdict ? row.verdict : "?",
				row.coverage && strcmp(row.coverage, "full") ? " (inconclusive)" : "", row.score,
				row.coverage ? row.coverage : "?", s->elapsed, dir);
		else
			fprintf(stderr, "dynaudit: [%zu/%zu] %s: %s (%.1f s) — %s/report.md\n", p->done, p->total,
				s->name, s->exit ? "FAIL" : "PASS", s->elapsed, dir);
		summary_row_free(&row);
	} else {
		batch_last_line(s, reason, sizeof(reason));
		fprintf(stderr, "dynaudit: [%zu/%zu] %s: %s (exit %d): %s\n", p->done, p->total, s->name,
			!strcmp(state, "interrupted") ? "interrupted" : "not audited", s->exit, reason);
	}
}

/* ---- the run loop ------------------------------------------------------- */

static void reap(const struct batch_options *o, int outfd, const char *outdir, const char *cfg_hex,
		 struct sub *subs, size_t n, struct progress *p)
{
	int status;
	pid_t pid;
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (size_t i = 0; i < n; i++) {
			struct sub *s = &subs[i];
			if (s->state != ST_RUNNING || s->pid != pid)
				continue;
			/* the pipe may still hold the last words: block for them */
			if (s->err_fd >= 0)
				fcntl(s->err_fd, F_SETFL, 0);
			drain(s);
			s->exit = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
			s->elapsed = now_s() - s->started;
			s->state = ST_DONE;
			p->running--;
			p->done++;
			if (s->exit == 1)
				p->fails++;
			batch_write_entry(outfd, s, cfg_hex);
			report_done(p, s, outdir);
		}
	}
	(void)o;
}

static void run_all(const struct batch_options *o, int outfd, const char *outdir, const char *cfg_hex,
		    struct sub *subs, size_t n, struct progress *p)
{
	unsigned jobs = o->jobs ? o->jobs : batch_default_jobs();
	size_t next = 0;
	double stop_at = 0, last_draw = 0;
	int forwarded = 0;
	for (;;) {
		while (!stop_signal && p->running < jobs && next < n) {
			struct sub *s = &subs[next++];
			if (s->state != ST_QUEUED)
				continue;
			int rc = start_child(o, outdir, s);
			p->queued--;
			if (rc < 0) {
				s->exit = 3;
				snprintf(s->tail, sizeof(s->tail), "cannot start the audit: %s", strerror(-rc));
				s->tail_len = strlen(s->tail);
				s->state = ST_DONE;
				p->done++;
				batch_write_entry(outfd, s, cfg_hex);
				report_done(p, s, outdir);
				continue;
			}
			p->running++;
		}
		if (stop_signal && forwarded < stop_count) {
			int sig = stop_count > 1 ? SIGKILL : stop_signal;
			for (size_t i = 0; i < n; i++)
				if (subs[i].state == ST_RUNNING)
					kill(subs[i].pid, sig);
			forwarded = stop_count;
			if (!stop_at)
				stop_at = now_s() + STOP_GRACE_S;
		}
		if (stop_at && now_s() > stop_at && forwarded < 1000) {
			for (size_t i = 0; i < n; i++)
				if (subs[i].state == ST_RUNNING)
					kill(subs[i].pid, SIGKILL);
			forwarded = 1000;
		}
		if (p->running == 0 && (stop_signal || next >= n))
			break;
		struct pollfd pfds[65 + 1];
		struct sub *owner[65];
		size_t np = 0;
		pfds[np].fd = wake_pipe[0];
		pfds[np++].events = POLLIN;
		for (size_t i = 0; i < n && np < 65; i++)
			if (subs[i].state == ST_RUNNING && subs[i].err_fd >= 0) {
				owner[np] = &subs[i];
				pfds[np].fd = subs[i].err_fd;
				pfds[np++].events = POLLIN;
			}
		int r = poll(pfds, np, 250);
		if (r > 0) {
			if (pfds[0].revents) {
				char junk[64];
				while (read(wake_pipe[0], junk, sizeof(junk)) > 0) {
				}
			}
			for (size_t i = 1; i < np; i++)
				if (pfds[i].revents)
					drain(owner[i]);
		}
		reap(o, outfd, outdir, cfg_hex, subs, n, p);
		if (now_s() - last_draw >= 1) {
			draw_block(p, subs, n);
			last_draw = now_s();
		}
	}
	if (p->tty && !p->quiet)
		draw_block(p, subs, n);
}

/* ---- the output directory ------------------------------------------------ */

static int mkdir_parents(const char *path)
{
	char buf[PATH_MAX];
	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return -ENAMETOOLONG;
	for (char *p = buf + 1; *p; p++)
		if (*p == '/') {
			*p = 0;
			if (mkdir(buf, 0755) < 0 && errno != EEXIST)
				return -errno;
			*p = '/';
		}
	if (mkdir(buf, 0755) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

/* Open (creating) the batch's OUTDIR: never a link, never inside a
 * submission, and a non-empty directory that is no batch's is refused
 * unless force.  Returns the fd or -1 (reported), real path in real. */
static int open_batch_outdir(const char *path, struct sub *subs, size_t n, bool force, bool for_summary,
			     char *real, size_t real_len)
{
	int rc = mkdir_parents(path);
	int fd = rc < 0 ? rc : open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "dynaudit: output directory %s: %s\n", path,
			strerror(rc < 0 ? -rc : errno));
		return -1;
	}
	char buf[PATH_MAX];
	if (!realpath(path, buf)) {
		fprintf(stderr, "dynaudit: output directory %s: %s\n", path, strerror(errno));
		close(fd);
		return -1;
	}
	snprintf(real, real_len, "%s", buf);
	for (size_t i = 0; i < n; i++)
		if (outdir_path_within(buf, subs[i].path)) {
			fprintf(stderr, "dynaudit: output directory %s lies inside the submission %s; choose one outside it\n",
				path, subs[i].path);
			close(fd);
			return -1;
		}
	if (for_summary)
		return fd;
	struct stat st;
	if (fstatat(fd, BATCH_MARKER, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		int dup_fd = dup(fd);
		DIR *d = dup_fd >= 0 ? fdopendir(dup_fd) : NULL;
		struct dirent *de;
		const char *foreign = NULL;
		while (d && (de = readdir(d)))
			if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..") &&
			    strcmp(de->d_name, BATCH_MARKER)) {
				foreign = de->d_name;
				break;
			}
		if (foreign && !force) {
			fprintf(stderr, "dynaudit: output directory %s is not empty and holds no dynaudit batch (it has '%s'); "
					"choose another, or give --force to write into it\n", path, foreign);
			closedir(d);
			close(fd);
			return -1;
		}
		if (d)
			closedir(d);
		/* created in place, O_EXCL: shards starting together into one
		 * OUTDIR race for it, and whoever wins, it exists (the text is
		 * for people; only the name counts) */
		static const char text[] = "This directory holds the audits of a dynaudit batch and their summary.\n";
		int mfd = openat(fd, BATCH_MARKER, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
		if (mfd < 0 && errno != EEXIST) {
			fprintf(stderr, "dynaudit: %s/%s: %s\n", path, BATCH_MARKER, strerror(errno));
			close(fd);
			return -1;
		}
		if (mfd >= 0) {
			if (write(mfd, text, sizeof(text) - 1) < 0) {
				/* an empty marker still marks */
			}
			close(mfd);
		}
	}
	return fd;
}

static int exit_status(const struct batch_options *o, const struct summary_totals *t)
{
	bool failed = ((o->fail_on & 1) && t->fail) || ((o->fail_on & 2) && t->warn) ||
		      ((o->fail_on & 4) && t->needs_rerun);
	return failed ? 1 : t->not_audited ? 3 : 0;
}

static void print_totals(const struct batch_options *o, const struct summary_totals *t, const char *outdir,
			 const char *base)
{
	if (o->verbosity < 0)
		return;
	fprintf(stderr, "dynaudit: %zu submissions: %zu FAIL, %zu not audited, %zu need a re-run, %zu PASS; "
			"%zu need review — summary in %s/%s.md\n", t->rows, t->fail, t->not_audited,
		t->needs_rerun, t->rows - t->fail - t->not_audited - t->needs_rerun, t->needs_review, outdir,
		base);
}

int batch_main(const struct batch_options *o)
{
	if (o->n_paths == 0) {
		fprintf(stderr, "dynaudit: batch needs at least one SUBMISSION_DIR\n");
		return 2;
	}
	char cfg_hex[65];
	if (batch_config_hash(o, cfg_hex) < 0)
		return 2;
	struct sub *all = NULL;
	size_t n_all = 0;
	if (batch_plan(o, &all, &n_all) < 0)
		return 2;
	/* the shard: index in name order, K mod N */
	size_t n = 0;
	for (size_t i = 0; i < n_all; i++) {
		if (o->shard_n && i % o->shard_n != o->shard_k) {
			free(all[i].path);
			continue;
		}
		all[n++] = all[i];
	}
	const char *outdir = o->outdir ? o->outdir : DEFAULT_BATCH_OUT;
	char out_real[PATH_MAX];
	int outfd = open_batch_outdir(outdir, all, n, o->force, false, out_real, sizeof(out_real));
	if (outfd < 0) {
		for (size_t i = 0; i < n; i++)
			free(all[i].path);
		free(all);
		return 2;
	}
	/* signals: forwarded to the audits, see the top of this file */
	if (pipe2(wake_pipe, O_CLOEXEC | O_NONBLOCK) < 0) {
		fprintf(stderr, "dynaudit: pipe: %s\n", strerror(errno));
		close(outfd);
		free(all);
		return 3;
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGCHLD, &sa, NULL);
	struct progress p = {.tty = isatty(2), .quiet = o->verbosity < 0, .total = n, .t0 = now_s()};
	for (size_t i = 0; i < n && !stop_signal; i++) {
		char err[512];
		int rc = tree_hash(all[i].path, all[i].tree, err, sizeof(err));
		if (rc < 0) {
			all[i].tree[0] = 0;
			if (rc != -E2BIG && o->verbosity > 0)
				fprintf(stderr, "dynaudit: %s: cannot hash the submission (%s); it will be audited again next time\n",
					all[i].name, err);
		}
		if (!o->force && batch_already_done(outfd, &all[i], cfg_hex)) {
			all[i].state = ST_SKIPPED;
			p.done++;
			if (!p.tty && !p.quiet)
				fprintf(stderr, "dynaudit: [%zu/%zu] %s: unchanged since its audit, skipped (--force audits it again)\n",
					p.done, n, all[i].name);
		} else {
			p.queued++;
		}
	}
	run_all(o, outfd, out_real, cfg_hex, all, n, &p);
	signal(SIGCHLD, SIG_DFL);

	/* the summary of this batch's (this shard's) submissions */
	char **dirs = calloc(n ? n : 1, sizeof(*dirs));
	size_t nd = 0;
	for (size_t i = 0; dirs && i < n; i++) {
		char d[PATH_MAX + NAME_MAX + 2];
		snprintf(d, sizeof(d), "%s/%s", out_real, all[i].name);
		struct stat st;
		if (lstat(d, &st) == 0 && S_ISDIR(st.st_mode))
			dirs[nd++] = strdup(d);
	}
	struct summary_totals t;
	char err[1024] = "";
	/* a shard writes its own summary.shard-K-of-N.*, so shards sharing one
	 * OUTDIR (a cluster's shared file system) never replace each other's;
	 * `dynaudit summarize OUTDIR` then writes summary.* of them all */
	char base[64] = "summary";
	if (o->shard_n)
		snprintf(base, sizeof(base), "summary.shard-%u-of-%u", o->shard_k, o->shard_n);
	int rc = dirs ? summary_write(outfd, base, dirs, nd, &t, err, sizeof(err)) : -ENOMEM;
	summary_paths_free(dirs, nd);
	for (size_t i = 0; i < n; i++)
		free(all[i].path);
	free(all);
	close(outfd);
	if (rc < 0) {
		fprintf(stderr, "dynaudit: summary: %s\n", err[0] ? err : strerror(-rc));
		return stop_signal ? 128 + stop_signal : 3;
	}
	print_totals(o, &t, outdir, base);
	if (stop_signal)
		return 128 + stop_signal;
	return exit_status(o, &t);
}

int summarize_main(const struct batch_options *o)
{
	if (o->n_paths == 0) {
		fprintf(stderr, "dynaudit: summarize needs at least one AUDIT_DIR\n");
		return 2;
	}
	char **dirs = NULL, err[1024] = "";
	size_t nd = 0;
	if (summary_expand((const char *const *)o->paths, o->n_paths, &dirs, &nd, err, sizeof(err)) < 0) {
		fprintf(stderr, "dynaudit: %s\n", err);
		return 2;
	}
	/* default: into the one batch directory named (not an audit itself),
	 * else ./dynaudit-summary */
	const char *outdir = o->outdir;
	char first[PATH_MAX];
	if (!outdir) {
		bool one_batch = o->n_paths == 1 && realpath(o->paths[0], first) &&
				 !(nd == 1 && !strcmp(dirs[0], first));
		outdir = one_batch ? o->paths[0] : "./dynaudit-summary";
	}
	char real[PATH_MAX];
	int outfd = open_batch_outdir(outdir, NULL, 0, true, true, real, sizeof(real));
	if (outfd < 0) {
		summary_paths_free(dirs, nd);
		return 2;
	}
	struct summary_totals t;
	int rc = summary_write(outfd, NULL, dirs, nd, &t, err, sizeof(err));
	summary_paths_free(dirs, nd);
	close(outfd);
	if (rc < 0) {
		fprintf(stderr, "dynaudit: summary: %s\n", err[0] ? err : strerror(-rc));
		return 3;
	}
	print_totals(o, &t, outdir, "summary");
	return exit_status(o, &t);
}

/*
 * driver.c — the staff's driver: when to start it, how it runs, how it
 * ended.  See driver.h.
 *
 * The run loop's tracer reaps with waitpid(-1), so the driver is not our
 * child: a small keeper is.  The keeper forks the driver, tells us its pid
 * on a pipe, waits for it and writes how it ended ("exit N" or "signal
 * N") on the same pipe, then exits (its own status, reaped by whoever,
 * carries nothing).  The driver leads a session of its own: killing its
 * process group at the window's end takes its children too.
 */
#include "live/driver.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "engine/report.h"
#include "live/driver_mined.h"

#define DRIVER_ID 65533               /* uid/gid of the driver under root (nobody is 65534) */
#define DRIVER_LOG_MAX (16LL << 20)   /* driver.log: RLIMIT_FSIZE of the driver */
#define DRIVER_CHECK_S 0.1            /* how often wait_for is looked at */
#define DRIVER_END_WAIT_MS 2000       /* after SIGKILL: the keeper's report */

struct driver {
	const struct audit_config *cfg;
	int outdir_fd;
	int log_fd;              /* driver.log's temp file, -1 */
	bool wait_addr;          /* wait_for is an address (else a duration) */
	unsigned char addr[4];
	unsigned port;
	double wait_s;
	double last_check;
	bool started, ended;
	double started_at;       /* seconds into the window */
	pid_t driver_pid;        /* as told by the keeper, 0 before */
	int pipe_rd;             /* keeper -> us, -1 */
	char how[64];            /* "exit 0", "signal 9", "could not start: ..." */
	char buf[256];           /* what the keeper wrote so far */
	size_t len;
	bool killed;             /* by us, at the window's end */
	struct mined mined;      /* driver.mined: what is sent */
};

static double mono_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int driver_new(struct driver **out, const struct audit_config *cfg, int outdir_fd, char *err,
	       size_t errlen)
{
	*out = NULL;
	bool command = cfg->driver_command && cfg->driver_command[0];
	if (!command && !cfg->driver_mined)
		return 0;
	struct driver *d = calloc(1, sizeof(*d));
	if (!d) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	d->cfg = cfg;
	d->outdir_fd = outdir_fd;
	d->log_fd = d->pipe_rd = -1;
	const char *w = cfg->driver_wait_for ? cfg->driver_wait_for : "0s";
	unsigned a[4];
	char tail;
	if (sscanf(w, "%u.%u.%u.%u:%u%c", &a[0], &a[1], &a[2], &a[3], &d->port, &tail) == 5) {
		d->wait_addr = true;
		for (int i = 0; i < 4; i++)
			d->addr[i] = (unsigned char)a[i];
	} else if (cfg_parse_duration(w, &d->wait_s) != 0) {
		snprintf(err, errlen, "driver.wait_for: invalid '%s'", w);
		free(d);
		return -EINVAL;
	}
	if (cfg->driver_mined && !d->wait_addr) {
		snprintf(err, errlen, "driver.mined: driver.wait_for must be the address the target "
			 "listens on (127.0.0.1:5555), not '%s'", w);
		free(d);
		return -EINVAL;
	}
	*out = d;
	return 0;
}

/* Whether something in the sandbox listens on addr:port (or on any
 * address at that port), from the init's view of /proc/net/tcp{,6}.
 * Nothing here takes a lock the target could hold. */
static bool listening(const struct driver *d, pid_t init_pid)
{
	char want4[9], path[64], line[512];
	snprintf(want4, sizeof want4, "%02X%02X%02X%02X", d->addr[3], d->addr[2], d->addr[1],
		 d->addr[0]);
	for (int v6 = 0; v6 < 2; v6++) {
		snprintf(path, sizeof path, "/proc/%d/net/tcp%s", (int)init_pid, v6 ? "6" : "");
		FILE *f = fopen(path, "re");
		if (!f)
			continue;
		bool found = false;
		while (!found && fgets(line, sizeof line, f)) {
			char local[64];
			unsigned port, st;
			if (sscanf(line, " %*d: %63[0-9A-Fa-f]:%x %*[0-9A-Fa-f]:%*x %x", local, &port, &st) != 3 ||
			    st != 0x0A || port != d->port)
				continue;
			size_t n = strlen(local);
			const char *a4 = n == 8 ? local : n == 32 ? local + 24 : NULL;
			bool any = strspn(local, "0") == n;
			bool mapped = n == 32 && strncmp(local, "0000000000000000FFFF0000", 24) == 0;
			found = any || (a4 && (n == 8 || mapped) && strcasecmp(a4, want4) == 0);
		}
		fclose(f);
		if (found)
			return true;
	}
	return false;
}

/* The config's folder: the driver's cwd, where its relative paths resolve. */
static void config_dir(const struct audit_config *cfg, char *dir, size_t len)
{
	const char *src = cfg->source;
	const char *slash = src ? strrchr(src, '/') : NULL;
	if (src && src[0] == '/' && slash)
		snprintf(dir, len, "%.*s", slash == src ? 1 : (int)(slash - src), src);
	else if (!getcwd(dir, len))
		snprintf(dir, len, "/");
	if (src && src[0] != '/' && slash) {
		size_t n = strlen(dir);
		snprintf(dir + n, len - n, "/%.*s", (int)(slash - src), src);
	}
}

static void keeper_say(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void keeper_say(int fd, const char *fmt, ...)
{
	char b[200];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(b, sizeof b, fmt, ap);
	va_end(ap);
	if (n > 0 && write(fd, b, (size_t)n < sizeof b ? (size_t)n : sizeof b - 1) < 0)
		errno = 0;
}

/* The driver child: network namespace, identity, stdio, limits, exec. */
__attribute__((noreturn)) static void driver_child(const struct driver *d, pid_t init_pid,
						   int netns_fd, int say)
{
	const char *why = "setns";
	if (netns_fd >= 0) {
		if (geteuid() != 0) {
			/* The namespace belongs to the sandbox's user namespace. */
			char path[64];
			snprintf(path, sizeof path, "/proc/%d/ns/user", (int)init_pid);
			int ufd = open(path, O_RDONLY | O_CLOEXEC);
			if (ufd < 0 || setns(ufd, CLONE_NEWUSER) < 0)
				goto fail;
		}
		if (setns(netns_fd, CLONE_NEWNET) < 0)
			goto fail;
	}
	char dir[4096];
	config_dir(d->cfg, dir, sizeof dir);
	why = "chdir to the config's folder";
	if (chdir(dir) < 0)
		goto fail;
	why = "stdio";
	int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	int log = d->log_fd >= 0 ? d->log_fd : null_fd;
	if (null_fd < 0 || dup2(null_fd, 0) < 0 || dup2(log, 1) < 0 || dup2(log, 2) < 0)
		goto fail;
	struct rlimit fs = {DRIVER_LOG_MAX, DRIVER_LOG_MAX};
	setrlimit(RLIMIT_FSIZE, &fs);
	signal(SIGXFSZ, SIG_IGN); /* a full driver.log: EFBIG, not death */
	why = "identity";
	if (geteuid() == 0 && (setgroups(0, NULL) < 0 || setgid(DRIVER_ID) < 0 || setuid(DRIVER_ID) < 0))
		goto fail;
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	if (syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
		errno = 0;
	fcntl(say, F_SETFD, FD_CLOEXEC);
	if (d->cfg->driver_mined) {
		mined_send(&d->mined, d->addr, d->port, 1);
		if (!d->cfg->driver_command || !d->cfg->driver_command[0])
			_exit(0);
	}
	char wait_env[160];
	snprintf(wait_env, sizeof wait_env, "DYNAUDIT_WAIT_FOR=%s",
		 d->cfg->driver_wait_for ? d->cfg->driver_wait_for : "");
	static char path_env[] = "PATH=/usr/local/bin:/usr/bin:/bin", home_env[] = "HOME=/",
		    lang_env[] = "LANG=C.UTF-8", unbuf_env[] = "PYTHONUNBUFFERED=1";
	char *envp[] = {path_env, home_env, lang_env, unbuf_env, wait_env, NULL};
	why = "exec";
	char *const *argv = d->cfg->driver_command;
	if (strchr(argv[0], '/'))
		execve(argv[0], argv, envp);
	else
		execvpe(argv[0], argv, envp);
fail:
	keeper_say(say, "E%s: %s\n", why, strerror(errno));
	_exit(127);
}

__attribute__((noreturn)) static void keeper_main(const struct driver *d, pid_t init_pid,
						  int netns_fd, int say)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	/* dynaudit blocks the signals its signalfd reads: not the driver's. */
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	pid_t pid = fork();
	if (pid < 0) {
		keeper_say(say, "Efork: %s\n", strerror(errno));
		_exit(1);
	}
	if (pid == 0) {
		setsid();
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		driver_child(d, init_pid, netns_fd, say);
	}
	keeper_say(say, "P%d\n", (int)pid);
	int st;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(st))
		keeper_say(say, "Xexit %d\n", WEXITSTATUS(st));
	else
		keeper_say(say, "Xsignal %d\n", WIFSIGNALED(st) ? WTERMSIG(st) : 0);
	_exit(0);
}

static void start(struct driver *d, pid_t init_pid, int netns_fd, const char *workdir,
		  double since_start)
{
	char err[256];
	if (d->cfg->driver_mined && workdir)
		mined_collect(&d->mined, workdir);
	if (d->outdir_fd >= 0) {
		d->log_fd = atomic_file_begin(d->outdir_fd, "driver.log", err, sizeof err);
		if (d->log_fd >= 0)
			fchmod(d->log_fd, 0644);
	}
	int p[2];
	d->started = true;
	d->started_at = since_start;
	if (pipe2(p, O_CLOEXEC) < 0) {
		snprintf(d->how, sizeof d->how, "could not start: pipe: %s", strerror(errno));
		d->ended = true;
		return;
	}
	/* The driver writes its log through the descriptor as the identity
	 * it runs as: hand it a descriptor, never the output directory. */
	pid_t k = fork();
	if (k == 0) {
		close(p[0]);
		keeper_main(d, init_pid, netns_fd, p[1]);
	}
	close(p[1]);
	if (k < 0) {
		snprintf(d->how, sizeof d->how, "could not start: fork: %s", strerror(errno));
		close(p[0]);
		d->ended = true;
		return;
	}
	d->pipe_rd = p[0];
	fcntl(d->pipe_rd, F_SETFL, O_NONBLOCK);
}

/* Read what the keeper said: the driver's pid, an error, the end. */
static void read_keeper(struct driver *d)
{
	while (d->pipe_rd >= 0) {
		ssize_t n = read(d->pipe_rd, d->buf + d->len, sizeof d->buf - 1 - d->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0) {
				close(d->pipe_rd);
				d->pipe_rd = -1;
				if (!d->ended) {
					d->ended = true;
					if (!d->how[0])
						snprintf(d->how, sizeof d->how, "unknown (the keeper ended)");
				}
			}
			break;
		}
		d->len += (size_t)n;
		d->buf[d->len] = '\0';
		char *nl;
		while ((nl = strchr(d->buf, '\n'))) {
			*nl = '\0';
			if (d->buf[0] == 'P')
				d->driver_pid = (pid_t)atoi(d->buf + 1);
			else if (d->buf[0] == 'E')
				snprintf(d->how, sizeof d->how, "could not start: %s", d->buf + 1);
			else if (d->buf[0] == 'X') {
				if (!d->how[0])
					snprintf(d->how, sizeof d->how, "%s", d->buf + 1);
				d->ended = true;
			}
			size_t rest = d->len - (size_t)(nl + 1 - d->buf);
			memmove(d->buf, nl + 1, rest + 1);
			d->len = rest;
		}
		if (d->len >= sizeof d->buf - 1)
			d->len = 0;
	}
}

void driver_tick(struct driver *d, pid_t init_pid, int netns_fd, const char *workdir,
		 double since_start)
{
	if (!d)
		return;
	if (d->started) {
		read_keeper(d);
		return;
	}
	double now = mono_now();
	if (now - d->last_check < DRIVER_CHECK_S)
		return;
	d->last_check = now;
	bool ready = d->wait_addr ? listening(d, init_pid) : since_start >= d->wait_s;
	if (ready)
		start(d, init_pid, netns_fd, workdir, since_start);
}

void driver_finish(struct driver *d, struct audit *a)
{
	if (!d)
		return;
	if (d->started) {
		read_keeper(d);
		if (!d->ended && d->driver_pid > 0) {
			kill(-d->driver_pid, SIGKILL);
			d->killed = true;
		}
		double until = mono_now() + DRIVER_END_WAIT_MS / 1000.0;
		while (d->pipe_rd >= 0 && !d->ended && mono_now() < until) {
			struct pollfd pfd = {.fd = d->pipe_rd, .events = POLLIN};
			poll(&pfd, 1, 100);
			read_keeper(d);
		}
	}
	long long logged = 0;
	char err[256];
	if (d->log_fd >= 0) {
		struct stat st;
		if (fstat(d->log_fd, &st) == 0)
			logged = (long long)st.st_size;
		if (atomic_file_commit(d->outdir_fd, "driver.log", d->log_fd, err, sizeof err) < 0)
			audit_add_note(a, "driver.log: %s", err);
		d->log_fd = -1;
	}
	char fact[512], cmd[200] = "";
	size_t used = 0;
	if (!d->cfg->driver_command || !d->cfg->driver_command[0])
		snprintf(cmd, sizeof cmd, "built-in line driver (driver.mined)");
	for (size_t i = 0; d->cfg->driver_command && d->cfg->driver_command[i] && used < sizeof cmd; i++)
		used += (size_t)snprintf(cmd + used, sizeof cmd - used, "%s%s", i ? " " : "",
					 d->cfg->driver_command[i]);
	const char *w = d->cfg->driver_wait_for ? d->cfg->driver_wait_for : "0s";
	if (!d->started) {
		snprintf(fact, sizeof fact, "%s: never started (%s %s within the window)", cmd,
			 d->wait_addr ? "nothing listened on" : "the window ended before", w);
		audit_add_note(a, "driver: never started: %s %s; its checks did not run",
			       d->wait_addr ? "nothing listened on" : "the window ended before", w);
	} else {
		bool ok = !d->killed && strcmp(d->how, "exit 0") == 0;
		snprintf(fact, sizeof fact, "%s: started %.1f s into the window (%s %s), %s%s; "
			 "%lld bytes in driver.log", cmd, d->started_at,
			 d->wait_addr ? "listening on" : "after", w,
			 d->killed ? "killed at the window's end" : d->how[0] ? d->how : "end unknown",
			 d->killed ? "" : "", logged);
		if (!ok && !d->killed)
			audit_add_note(a, "driver %s ended with %s (see driver.log); the verdict is the "
				       "target's alone", cmd, d->how[0] ? d->how : "an unknown status");
	}
	audit_set_sandbox_fact(a, "driver", fact);
	if (d->cfg->driver_mined && d->started) {
		char sent[1024];
		size_t u = 0;
		for (size_t i = 0; i < d->mined.n && u < sizeof sent; i++)
			u += (size_t)snprintf(sent + u, sizeof sent - u, "%s'%s'", i ? ", " : "",
					      d->mined.lines[i]);
		if (!d->mined.n)
			snprintf(sent, sizeof sent, "nothing: no candidate in the sources");
		audit_set_sandbox_fact(a, "driver.mined", sent[0] ? sent : "nothing");
		char line[1200];
		snprintf(line, sizeof line, "driver.mined sent %zu candidates from the sources (each "
			 "alone and with \" id\", see driver.log): %s", d->mined.n, sent);
		audit_add_note(a, "%s", line);
	}
}

void driver_free(struct driver *d)
{
	if (!d)
		return;
	if (d->started && !d->ended && d->driver_pid > 0)
		kill(-d->driver_pid, SIGKILL);
	if (d->pipe_rd >= 0)
		close(d->pipe_rd);
	if (d->log_fd >= 0)
		atomic_file_abort(d->outdir_fd, "driver.log", d->log_fd);
	mined_free(&d->mined);
	free(d);
}

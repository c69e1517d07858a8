/*
 * process.c — detector "process" (category "Process Spawning").
 *
 * Watches what the target runs: which programs it executes, whether it
 * starts shells, whether it probes the machine, detaches from its parent or
 * multiplies without bound.
 *
 * Options (plugins: process: {...}):
 *   allow_exec     list of base names or full paths, shell globs (fnmatch).
 *                  A matching exec raises no finding.  The target's own
 *                  command (argv[0] of the run) is always allowed.
 *   max_processes  processes the target may create (default 64).
 *
 * Rules (id, severity, trigger; what is deliberately ignored):
 *   process.memfd_exec    critical  exec of an in-memory file (memfd, or an
 *                         fd path like /proc/self/fd/N): fileless malware.
 *   process.exec_writable high      exec of a file in /tmp, /dev/shm,
 *                         /var/tmp, HOME outside the workdir, or of any file
 *                         the target created or changed during the run.
 *                         Ignores files the toolchain (cc, ld...) or the
 *                         setup phase built in the workdir (`make && ./a.out`:
 *                         the build itself is judged by exec_unlisted), and
 *                         the own command.
 *   process.shell         high      exec of a shell (sh, bash, dash, zsh,
 *                         ksh, ash, fish, csh, busybox sh...) not allowed
 *                         by allow_exec; the -c string is in the message.
 *                         Critical when its stdin/stdout is a socket (a
 *                         reverse or bind shell), even if allowed.  Shells
 *                         run by the setup phase or an allowed build driver
 *                         (make recipes) are expected and ignored.
 *   process.exec_unlisted medium    exec of any other program not in
 *                         allow_exec.  Ignores the own command, an
 *                         interpreter re-exec'ing itself in the same process,
 *                         the setup command, and the build toolchain (cc,
 *                         cc1, as, ld, collect2, make...) when run by the
 *                         setup phase or by an allowed make/cc.
 *   process.recon         medium    reconnaissance commands (id, whoami,
 *                         uname, hostname, ps, netstat, ss, ip, ifconfig, w,
 *                         who, last, env/printenv, cat/head/less of /etc,
 *                         find / ...), run directly or inside a shell -c
 *                         string (even when the shell itself is allowed).
 *                         An allow-listed recon program is not reported.
 *   process.daemon        medium    a child calls setsid; a process keeps
 *                         running >= 1 s after its parent (double fork) or
 *                         the main program exited.  Ignores processes still
 *                         running when the observation window closed.
 *   process.loader_injection high   a program run with LD_PRELOAD or LD_AUDIT
 *                         in its environment (every dynamically linked
 *                         program then loads that library first: code
 *                         injection); medium in the setup phase, and for an
 *                         LD_LIBRARY_PATH naming a writable place outside
 *                         the workdir (/tmp, HOME...).  Ignores the
 *                         environment dynaudit gave the target (target.env)
 *                         and the workdir's own library directories.  Needs
 *                         the environment: live runs, or strace -v logs.
 *   process.long_sleep    medium    one sleep (nanosleep, clock_nanosleep) at
 *                         least as long as the whole observation window:
 *                         what follows it is never seen (a delayed
 *                         payload); info for a sleep of 10 s or more that
 *                         merely ends after the window (and in setup).
 *   process.runaway       high      more than max_processes processes, or a
 *                         fork failing with EAGAIN (process limit hit).
 *                         Threads are not processes; setup-phase processes
 *                         (a parallel build) are not counted.
 * A failed exec counts as an attempt: its strace line (with the error) is
 * the evidence.  Summary: "None" / "No subprocesses or shell activity".
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dynaudit/event.h"
#include "dynaudit/plugin.h"

#define MAX_PROCS 4096         /* processes remembered */
#define MAX_CREATED 4096       /* created/changed paths remembered */
#define CREATED_SLOTS 8192     /* hash slots, twice MAX_CREATED */
#define LINGER_S 1.0           /* outliving a parent this long is detaching */
#define CLONE_THREAD_FLAG 0x00010000

struct proc {
	int pid, ppid;
	bool alive;
	bool setup;            /* created by the setup phase (a build) */
	bool builder;          /* an allowed build driver (make, cc...) or its toolchain */
	double orphaned_at;    /* when its parent (or the main program) ended; < 0 never */
	char *image;           /* base name of the current executable */
	char *fork_text;       /* evidence: the fork that created it */
};

struct state {
	const struct da_host *host;
	const char *const *allow; /* from the host, valid until destroy */
	size_t n_allow;
	long max_processes;
	char *own_base;           /* base name of the run's command[0] */
	char *own_path;           /* command[0] as given */

	int main_pid;             /* first process of the run phase, 0 unknown */
	bool setup_started;       /* the setup command's exec was seen */
	bool main_exited;

	struct proc procs[MAX_PROCS];
	size_t n_procs;
	size_t procs_dropped;

	char *created[CREATED_SLOTS]; /* open-addressing set of paths */
	size_t n_created;
	size_t created_dropped;

	size_t n_forks;           /* run-phase processes created */
	size_t n_exec_other;      /* execs other than the own command */
	size_t n_shells;
	size_t n_flagged;         /* findings of severity low or above */
	bool runaway_reported;
	char recon_seen[256];     /* "id, uname" for the summary */
	char first_flagged[200];  /* first finding of low or above, for the summary */
};

/* ---- small helpers -------------------------------------------------- */

static const char *base_name(const char *path)
{
	if (!path)
		return "";
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

static bool path_under(const char *path, const char *dir)
{
	if (!path || !dir || !*dir)
		return false;
	size_t n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		n--;
	return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

static bool in_list(const char *word, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(word, *list) == 0)
			return true;
	return false;
}

/* "python3.11" is a versioned "python3": same program for allow rules. */
static bool same_program(const char *base, const char *want)
{
	size_t n = strlen(want);
	if (!*want || strncmp(base, want, n) != 0)
		return false;
	return strspn(base + n, "0123456789.-") == strlen(base + n);
}

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static bool created_has(const struct state *st, const char *path)
{
	for (size_t i = hash_str(path) % CREATED_SLOTS;; i = (i + 1) % CREATED_SLOTS) {
		if (!st->created[i])
			return false;
		if (strcmp(st->created[i], path) == 0)
			return true;
	}
}

static void created_add(struct state *st, const char *path)
{
	if (!path || created_has(st, path))
		return;
	if (st->n_created >= MAX_CREATED) {
		st->created_dropped++;
		return;
	}
	size_t i = hash_str(path) % CREATED_SLOTS;
	while (st->created[i])
		i = (i + 1) % CREATED_SLOTS;
	st->created[i] = strdup(path);
	if (st->created[i])
		st->n_created++;
	else
		st->created_dropped++;
}

static struct proc *proc_find(struct state *st, int pid)
{
	for (size_t i = st->n_procs; i-- > 0;)
		if (st->procs[i].pid == pid)
			return &st->procs[i];
	return NULL;
}

static struct proc *proc_get(struct state *st, int pid, int ppid)
{
	struct proc *p = proc_find(st, pid);
	if (p)
		return p;
	if (st->n_procs >= MAX_PROCS) {
		st->procs_dropped++;
		return NULL;
	}
	p = &st->procs[st->n_procs++];
	memset(p, 0, sizeof(*p));
	p->pid = pid;
	p->ppid = ppid;
	p->alive = true;
	p->orphaned_at = -1;
	/* a child starts as a copy of its parent (a strace log may show the
	 * child's exec before the clone that made it returns) */
	const struct proc *parent = ppid > 0 ? proc_find(st, ppid) : NULL;
	if (parent) {
		p->setup = parent->setup;
		p->builder = parent->builder;
		if (parent->image)
			p->image = strdup(parent->image);
	}
	return p;
}

static void set_str(char **slot, const char *value)
{
	free(*slot);
	*slot = value ? strdup(value) : NULL;
}

__attribute__((format(printf, 6, 7)))
static void report(struct state *st, const char *rule, enum da_severity sev,
		   const struct da_event *ev, const char *recommendation, const char *fmt, ...)
{
	char message[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	const char *evidence[1] = {ev ? ev->text : NULL};
	struct da_finding f = {
		.struct_size = sizeof(f),
		.rule = rule,
		.severity = sev,
		.message = message,
		.pid = ev ? ev->pid : 0,
		.time_s = ev ? ev->time_s : -1,
		.evidence = evidence,
		.n_evidence = evidence[0] ? 1 : 0,
		.recommendation = recommendation,
	};
	st->host->emit(st->host, &f);
	if (sev >= DA_SEV_LOW && st->n_flagged++ == 0)
		snprintf(st->first_flagged, sizeof(st->first_flagged), "%.199s", message);
}

/* "name arg1 arg2", bounded, for messages.  name is the program really run:
 * argv[0] may be truncated by strace -s or be anything the caller chose. */
static void join_argv(const struct da_event *ev, const char *name, char *out, size_t outlen)
{
	int first = snprintf(out, outlen, "%s", name);
	size_t used = first > 0 ? (size_t)first : 0;
	for (int i = 1; i < ev->argc && ev->argv && used + 1 < outlen; i++) {
		const char *a = ev->argv[i] ? ev->argv[i] : "";
		int n = snprintf(out + used, outlen - used, " %s", a);
		if (n < 0)
			break;
		used += (size_t)n;
	}
	if (used >= outlen && outlen > 4)
		memcpy(out + outlen - 4, "...", 4);
}

/* The primary path of ev: the core's resolution (cwd, dirfd, symlinks),
 * or the path as written when the core had none. */
static const char *event_path(const struct da_event *ev)
{
	return ev->path ? ev->path : ev->raw_path;
}

/* ---- what a program is ----------------------------------------------- */

static const char *const shells[] = {
	"sh", "bash", "dash", "zsh", "ksh", "ksh93", "mksh", "pdksh", "ash", "fish",
	"csh", "tcsh", "yash", "rbash", "posh", NULL};

/* The build toolchain a setup command (make, cc ...) runs. */
static const char *const toolchain[] = {
	"make", "gmake", "cmake", "ninja", "cc", "gcc", "g++", "c++", "cpp", "cc1",
	"cc1plus", "as", "ld", "ld.bfd", "ld.gold", "collect2", "lto-wrapper",
	"lto1", "ar", "ranlib", "strip", "clang", "clang++", "rustc", "cargo",
	"javac", "go", "pkg-config", "install", "mkdir", "rm", "cp", "mv", "ln",
	"echo", "true", "uname", NULL};

/* Interpreters legitimately re-exec themselves (or env execs one). */
static const char *const interpreters[] = {
	"python", "python3", "python2", "perl", "ruby", "node", "nodejs", "java",
	"php", "lua", "env", NULL};

/* Toolchain programs that write the binaries a build produces. */
static const char *const compilers[] = {
	"cc", "gcc", "g++", "c++", "clang", "clang++", "as", "ld", "collect2", "lto-wrapper",
	"rustc", "cargo", "go", "javac", "ar", "ranlib", "strip", NULL};

/* "x86_64-linux-gnu-gcc-12" -> is "gcc" in list? */
static bool in_toolchain_list(const char *name, const char *const *list)
{
	char buf[64];
	const char *triplet = strstr(name, "-linux-gnu-");
	if (triplet)
		name = triplet + strlen("-linux-gnu-");
	snprintf(buf, sizeof(buf), "%s", name);
	char *dash = strrchr(buf, '-');
	if (dash && dash[1] && strspn(dash + 1, "0123456789.") == strlen(dash + 1))
		*dash = '\0';
	if (in_list(buf, list))
		return true;
	/* ld.bfd, ld.gold... */
	char *dot = strchr(buf, '.');
	if (dot) {
		*dot = '\0';
		return in_list(buf, list);
	}
	return false;
}

static bool is_toolchain(const char *name)
{
	return in_toolchain_list(name, toolchain);
}

static bool is_interpreter(const char *base)
{
	for (const char *const *i = interpreters; *i; i++)
		if (same_program(base, *i))
			return true;
	return false;
}

/* The program name the exec really runs: busybox dispatches on argv[0]. */
static const char *applet_of(const struct da_event *ev)
{
	const char *base = base_name(ev->path ? ev->path : ev->raw_path);
	if (strcmp(base, "busybox") == 0 && ev->argc > 0 && ev->argv && ev->argv[0]) {
		const char *a0 = base_name(ev->argv[0]);
		if (strcmp(a0, "busybox") != 0)
			return a0;
		if (ev->argc > 1 && ev->argv[1])
			return ev->argv[1];
	}
	if (!*base && ev->argc > 0 && ev->argv && ev->argv[0])
		return base_name(ev->argv[0]);
	return base;
}

/*
 * recon_name — words[0] is a command name, words[1..] its arguments.
 * Returns a static label for a reconnaissance command, or NULL.
 */
static const char *recon_name(const char *const *words, size_t n)
{
	static const char *const always[] = {
		"id", "whoami", "uname", "hostname", "hostnamectl", "ps", "pstree",
		"netstat", "ss", "ifconfig", "ip", "route", "arp", "w", "who", "last",
		"lastlog", "users", "groups", "printenv", "lsof", "lsb_release",
		"getent", "nmap", "lsmod", "dmidecode", "lscpu", "top", "uptime",
		"iptables", "nslookup", "dig", NULL};
	static const char *const readers[] = {
		"cat", "head", "tail", "less", "more", "strings", "grep", NULL};
	if (n == 0 || !words[0])
		return NULL;
	const char *cmd = base_name(words[0]);
	for (const char *const *a = always; *a; a++)
		if (strcmp(cmd, *a) == 0)
			return *a;
	for (size_t i = 1; i < n; i++)
		if (!words[i])
			return NULL; /* a hole in argv: nothing sensible to say */
	if (strcmp(cmd, "env") == 0) {
		/* env alone prints the environment; env VAR=x prog just runs prog */
		for (size_t i = 1; i < n; i++)
			if (words[i][0] != '-' && !strchr(words[i], '='))
				return NULL;
		return "env";
	}
	if (strcmp(cmd, "find") == 0) {
		for (size_t i = 1; i < n; i++)
			if (strcmp(words[i], "/") == 0 || path_under(words[i], "/etc") ||
			    path_under(words[i], "/home") || path_under(words[i], "/root"))
				return "find /";
		return NULL;
	}
	if (strcmp(cmd, "sudo") == 0) {
		for (size_t i = 1; i < n; i++)
			if (strcmp(words[i], "-l") == 0)
				return "sudo -l";
		return NULL;
	}
	if (strcmp(cmd, "crontab") == 0)
		return "crontab";
	for (const char *const *r = readers; *r; r++) {
		if (strcmp(cmd, *r) != 0)
			continue;
		for (size_t i = 1; i < n; i++)
			if (path_under(words[i], "/etc") || path_under(words[i], "/proc"))
				return *r;
		return NULL;
	}
	return NULL;
}

/*
 * Scan a shell command string for reconnaissance commands: split it into
 * simple commands at ; & | newline ( ) ` and $(, drop leading VAR=value
 * words and wrappers (exec, nohup...), and test each.  Calls found(label)
 * for each hit.  Quoting is handled only as far as stripping quote marks.
 */
static void scan_shell_command(struct state *st, const struct da_event *ev, const char *script,
			       void (*found)(struct state *, const struct da_event *, const char *))
{
	static const char separators[] = ";&|\n()`";
	char words_buf[2048];
	const char *words[32];
	size_t n = 0, used = 0;
	for (const char *p = script;; ) {
		while (*p == ' ' || *p == '\t' || *p == '\'' || *p == '"')
			p++;
		bool dollar_paren = p[0] == '$' && p[1] == '(';
		if (*p == '\0' || strchr(separators, *p) || dollar_paren) {
			const char *label = n ? recon_name(words, n) : NULL;
			if (label)
				found(st, ev, label);
			n = 0;
			if (*p == '\0')
				return;
			p += dollar_paren ? 2 : 1;
			continue;
		}
		/* one word, copied so it can be NUL-terminated */
		size_t start = used;
		while (*p && !strchr(" \t'\"", *p) && !strchr(separators, *p) &&
		       !(p[0] == '$' && p[1] == '(')) {
			if (used + 1 < sizeof(words_buf))
				words_buf[used++] = *p;
			p++;
		}
		if (used + 1 >= sizeof(words_buf))
			return; /* absurdly long script: what was scanned is reported */
		words_buf[used++] = '\0';
		const char *word = words_buf + start;
		size_t name_len = strspn(word, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");
		bool assignment = n == 0 && name_len > 0 && word[name_len] == '=';
		bool wrapper = n == 0 && (strcmp(word, "exec") == 0 || strcmp(word, "nohup") == 0 ||
					  strcmp(word, "command") == 0 || strcmp(word, "time") == 0);
		if (!assignment && !wrapper && n < 32)
			words[n++] = word;
	}
}

/* ---- matching --------------------------------------------------------- */

static bool pattern_matches(const char *pattern, const struct da_event *ev, const char *applet)
{
	const char *cands[5] = {
		ev->path, ev->raw_path, applet,
		(ev->argc > 0 && ev->argv) ? ev->argv[0] : NULL,
		(ev->argc > 0 && ev->argv && ev->argv[0]) ? base_name(ev->argv[0]) : NULL};
	bool has_slash = strchr(pattern, '/') != NULL;
	for (size_t i = 0; i < 5; i++) {
		const char *c = cands[i];
		if (!c || !*c)
			continue;
		const char *subject = has_slash ? c : base_name(c);
		if (fnmatch(pattern, subject, 0) == 0)
			return true;
		if (!has_slash && !strpbrk(pattern, "*?[") && same_program(subject, pattern))
			return true;
	}
	return false;
}

static bool is_own_command(const struct state *st, const struct da_event *ev, const char *applet)
{
	if (!st->own_base || !*st->own_base)
		return false;
	if (same_program(applet, st->own_base))
		return true;
	if (ev->argc > 0 && ev->argv && ev->argv[0] &&
	    same_program(base_name(ev->argv[0]), st->own_base))
		return true;
	return ev->path && st->own_path && strcmp(ev->path, st->own_path) == 0;
}

static bool allowed_by_config(const struct state *st, const struct da_event *ev, const char *applet)
{
	for (size_t i = 0; i < st->n_allow; i++)
		if (pattern_matches(st->allow[i], ev, applet))
			return true;
	return false;
}

static bool is_memfd_exec(const struct da_event *ev)
{
	if (ev->detail && strcmp(ev->detail, "memfd") == 0)
		return true;
	const char *p = ev->path ? ev->path : ev->raw_path;
	if (!p)
		return false;
	if (strncmp(p, "memfd:", 6) == 0 || strncmp(p, "/memfd:", 7) == 0)
		return true;
	/* fexecve of an fd: /proc/self/fd/N or /dev/fd/N left unresolved */
	return (strncmp(p, "/proc/", 6) == 0 && strstr(p, "/fd/")) || strncmp(p, "/dev/fd/", 8) == 0;
}

static bool in_writable_place(const struct state *st, const char *path)
{
	const struct da_run_info *run = st->host->run;
	if (!path)
		return false;
	if (path_under(path, "/tmp") || path_under(path, "/dev/shm") || path_under(path, "/var/tmp") ||
	    path_under(path, run->tmpdir))
		return true;
	if (path_under(path, run->home) && !path_under(path, run->workdir))
		return true;
	return created_has(st, path);
}

/* ---- rules -------------------------------------------------------------- */

static void found_recon(struct state *st, const struct da_event *ev, const char *label)
{
	/* an allow-listed recon program (allow_exec: [uname]) is not reported */
	for (size_t i = 0; i < st->n_allow; i++)
		if (fnmatch(st->allow[i], label, 0) == 0)
			return;
	size_t used = strlen(st->recon_seen);
	if (!strstr(st->recon_seen, label) && used + strlen(label) + 3 < sizeof(st->recon_seen))
		snprintf(st->recon_seen + used, sizeof(st->recon_seen) - used, "%s%s",
			 used ? ", " : "", label);
	report(st, "process.recon", DA_SEV_MEDIUM, ev,
	       "Find out why the program inspects the host; a submission has no reason to.",
	       "Runs a reconnaissance command: %s", label);
}

/* The script a shell runs: the word after -c (or -ec, -lc ...). */
static const char *shell_script(const struct da_event *ev)
{
	for (int i = 1; i + 1 < ev->argc && ev->argv; i++) {
		const char *a = ev->argv[i];
		if (a && a[0] == '-' && a[1] != '-' && strchr(a, 'c'))
			return ev->argv[i + 1];
	}
	return NULL;
}

/* stdin or stdout of the exec'd program is a socket: "socket:inet/stream->..." */
static bool stdio_on_socket(const struct da_event *ev)
{
	for (int i = 0; i < 2; i++)
		if (ev->stdio[i] && strncmp(ev->stdio[i], "socket:", 7) == 0)
			return true;
	return false;
}

/* Some directory of a PATH-like list is a writable place outside the
 * workdir (an empty entry is the current directory: not judged). */
static bool search_path_writable(const struct state *st, const char *list)
{
	char dir[512];
	while (list && *list) {
		const char *colon = strchr(list, ':');
		size_t len = colon ? (size_t)(colon - list) : strlen(list);
		if (len > 0 && len < sizeof(dir)) {
			memcpy(dir, list, len);
			dir[len] = '\0';
			if (in_writable_place(st, dir))
				return true;
		}
		list = colon ? colon + 1 : NULL;
	}
	return false;
}

static void check_loader_env(struct state *st, const struct da_event *ev, const char *applet,
			     bool setup)
{
	const char *env = DA_EVENT_HAS(ev, loader_env) ? ev->loader_env : NULL;
	for (const char *line = env; line && *line;) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		char var[600];
		snprintf(var, sizeof(var), "%.*s", (int)(len < sizeof(var) - 1 ? len : sizeof(var) - 1), line);
		line = nl ? nl + 1 : NULL;
		char *value = strchr(var, '=');
		if (!value)
			continue;
		*value++ = '\0';
		if ((strcmp(var, "LD_PRELOAD") == 0 || strcmp(var, "LD_AUDIT") == 0) && value[0])
			report(st, "process.loader_injection", setup ? DA_SEV_MEDIUM : DA_SEV_HIGH, ev,
			       "Find out what the library does: a preloaded library runs inside every program started with it.",
			       "Runs %s with %s=%.200s: every program it starts loads that library first",
			       applet, var, value);
		else if (strcmp(var, "LD_LIBRARY_PATH") == 0 && search_path_writable(st, value))
			report(st, "process.loader_injection", DA_SEV_MEDIUM, ev,
			       "Check why libraries are loaded from a writable place; a planted library there runs in the program.",
			       "Runs %s with LD_LIBRARY_PATH=%.200s: libraries come from a writable place",
			       applet, value);
	}
}

static void on_exec(struct state *st, const struct da_event *ev_in)
{
	struct da_event fixed = *ev_in;
	fixed.path = event_path(ev_in);
	const struct da_event *ev = &fixed;
	bool setup = ev->phase && strcmp(ev->phase, "setup") == 0;
	const char *applet = applet_of(ev);
	struct proc *p = proc_get(st, ev->pid, ev->ppid);
	if (p && setup)
		p->setup = true;
	char *previous = (p && p->image) ? strdup(p->image) : NULL;
	if (p && ev->err == 0)
		set_str(&p->image, applet);
	/* The run's first exec is dynaudit's (target.env), as is the setup
	 * command's; every later one is the submission's doing. */
	bool launched_by_dynaudit = !previous && ((!setup && ev->pid == st->main_pid) ||
						  (setup && !st->setup_started));
	if (!launched_by_dynaudit)
		check_loader_env(st, ev, applet, setup);

	if (!st->own_base && !setup && ev->err == 0) {
		/* a replay without target.command: the first program run is the target */
		st->own_base = strdup(applet);
		st->own_path = ev->path ? strdup(ev->path) : NULL;
	}
	bool own = is_own_command(st, ev, applet);
	/* the first exec of the setup phase is the configured setup command */
	bool setup_command = setup && !st->setup_started;
	if (setup)
		st->setup_started = true;
	bool reexec = ev->pid == st->main_pid && previous &&
		      (same_program(applet, previous) ||
		       (is_interpreter(previous) && is_interpreter(applet)) ||
		       (st->own_base && same_program(previous, st->own_base) && is_interpreter(applet)));
	bool toolchain_or_shell = is_toolchain(applet) || in_list(applet, shells) ||
				  (ev->argc > 0 && ev->argv && ev->argv[0] &&
				   is_toolchain(base_name(ev->argv[0])));
	/* an allowed make or cc runs its toolchain and recipe shells */
	bool under_builder = p && p->builder;
	bool allowed = own || reexec || setup_command || allowed_by_config(st, ev, applet) ||
		       ((setup || under_builder) && toolchain_or_shell);
	if (p && ev->err == 0)
		p->builder = (allowed && is_toolchain(applet)) || (setup_command && !own) ||
			     (under_builder && toolchain_or_shell);
	free(previous);
	if (!own)
		st->n_exec_other++;

	char cmdline[300];
	join_argv(ev, applet, cmdline, sizeof(cmdline));

	if (is_memfd_exec(ev)) {
		report(st, "process.memfd_exec", DA_SEV_CRITICAL, ev,
		       "Treat as malicious: the program runs code that exists only in memory.",
		       "Executes an in-memory file (%s)%s%s", ev->path ? ev->path : "memfd",
		       ev->err ? ", failed: " : "", ev->err ? (ev->errname ? ev->errname : "error") : "");
		return;
	}
	bool is_shell = in_list(applet, shells);
	if (is_shell && !own)
		st->n_shells++;
	if (!allowed && !(setup && path_under(ev->path, st->host->run->workdir)) &&
	    in_writable_place(st, ev->path)) {
		report(st, "process.exec_writable", DA_SEV_HIGH, ev,
		       "Find out where the file came from; programs dropped at run time are a backdoor pattern.",
		       "Executes a file from a writable location: %s", ev->path);
	} else if (is_shell && !own && stdio_on_socket(ev)) {
		report(st, "process.shell", DA_SEV_CRITICAL, ev,
		       "Treat as a backdoor: a shell whose input/output is a socket is remote control.",
		       "Spawns a shell with its stdin/stdout on a socket (remote shell): %.250s", cmdline);
	} else if (is_shell && !allowed) {
		const char *script = shell_script(ev);
		const char *recommendation =
			"Remove the shell invocation or add the shell to allow_exec if it is expected.";
		if (script)
			report(st, "process.shell", DA_SEV_HIGH, ev, recommendation,
			       "Spawns a shell: %s -c '%.200s'",
			       (ev->argc > 0 && ev->argv && ev->argv[0]) ? base_name(ev->argv[0]) : applet,
			       script);
		else
			report(st, "process.shell", DA_SEV_HIGH, ev, recommendation,
			       "Spawns a shell: %.250s", cmdline);
	} else if (!allowed && !recon_name(ev->argv, ev->argv ? (size_t)ev->argc : 0)) {
		report(st, "process.exec_unlisted", DA_SEV_MEDIUM, ev,
		       "Check that this program is needed; add it to allow_exec if it is.",
		       "Runs a program not in allow_exec: %.250s", cmdline);
	}
	if (!allowed && ev->argv) {
		/* the argv view, with the applet as the command name */
		const char *words[32];
		size_t n = 0;
		words[n++] = applet;
		for (int i = 1; i < ev->argc && n < 32; i++)
			if (ev->argv[i])
				words[n++] = ev->argv[i];
		const char *label = recon_name(words, n);
		if (label)
			found_recon(st, ev, label);
	}
	if (is_shell) {
		const char *script = shell_script(ev);
		if (script)
			scan_shell_command(st, ev, script, found_recon);
	}
}

/* A wait that ends after the observation window: whatever comes next was
 * not seen (a delayed payload waits out a short audit).  Short waits near
 * the end are ordinary; a heartbeat crossing the end is worth knowing;
 * one call waiting the whole window or longer is the evasion pattern. */
static void on_sleep(struct state *st, const struct da_event *ev)
{
	if (!ev->syscall || (strcmp(ev->syscall, "nanosleep") != 0 &&
			     strcmp(ev->syscall, "clock_nanosleep") != 0))
		return;
	double window = st->host->run->duration_s;
	int64_t wait = ev->arg[0];
	if (wait < 10 || window <= 0 || ev->time_s + (double)wait <= window)
		return;
	bool setup = ev->phase && strcmp(ev->phase, "setup") == 0;
	if ((double)wait >= window && !setup)
		report(st, "process.long_sleep", DA_SEV_MEDIUM, ev,
		       "Re-run with a target.duration longer than the wait to see what it does afterwards.",
		       "Waits %lld s in one call, longer than the whole %.0f s observation window",
		       (long long)wait, window);
	else
		report(st, "process.long_sleep", DA_SEV_INFO, ev,
		       "Re-run with a longer target.duration to see what follows the wait.",
		       "Waits %lld s at %.1f s, past the end of the %.0f s observation window",
		       (long long)wait, ev->time_s, window);
}

static void on_fork(struct state *st, const struct da_event *ev)
{
	bool thread = (ev->detail && strcmp(ev->detail, "thread") == 0) ||
		      (!ev->detail && (ev->flags & CLONE_THREAD_FLAG));
	bool setup = ev->phase && strcmp(ev->phase, "setup") == 0;
	if (ev->err == EAGAIN && !thread) {
		if (!st->runaway_reported)
			report(st, "process.runaway", DA_SEV_HIGH, ev,
			       "Look for a fork loop; the program hit the process limit.",
			       "Process creation failed with EAGAIN: the process limit was hit");
		st->runaway_reported = true;
		return;
	}
	if (thread || ev->target_pid <= 0)
		return;
	struct proc *parent = proc_get(st, ev->pid, ev->ppid);
	if (parent && setup)
		parent->setup = true;
	struct proc *child = proc_get(st, ev->target_pid, ev->pid);
	if (child) {
		child->ppid = ev->pid;
		child->setup = child->setup || setup;
		set_str(&child->fork_text, ev->text);
		if (parent && parent->image && !child->image)
			set_str(&child->image, parent->image);
	}
	if (setup)
		return;
	st->n_forks++;
	if (st->n_forks + 1 > (size_t)st->max_processes && !st->runaway_reported) {
		st->runaway_reported = true;
		report(st, "process.runaway", DA_SEV_HIGH, ev,
		       "Look for a fork loop or raise max_processes if this many are expected.",
		       "Runaway process creation: more than %ld processes", st->max_processes);
	}
}

static void report_lingering(struct state *st, const struct proc *p, double at, const char *what)
{
	const char *evidence[1] = {p->fork_text};
	char message[300];
	snprintf(message, sizeof(message), "A subprocess (%s) keeps running after %s",
		 p->image ? p->image : "?", what);
	struct da_finding f = {
		.struct_size = sizeof(f),
		.rule = "process.daemon",
		.severity = DA_SEV_MEDIUM,
		.message = message,
		.pid = p->pid,
		.time_s = at,
		.evidence = evidence,
		.n_evidence = p->fork_text ? 1 : 0,
		.recommendation = "Check why the program detaches a process; background daemons are a backdoor pattern.",
	};
	st->host->emit(st->host, &f);
	if (st->n_flagged++ == 0)
		snprintf(st->first_flagged, sizeof(st->first_flagged), "%.199s", message);
}

/* A process ended: children it leaves behind are detached (double fork). */
static void process_ended(struct state *st, int pid, double t)
{
	bool is_main = pid == st->main_pid;
	if (is_main)
		st->main_exited = true;
	for (size_t i = 0; i < st->n_procs; i++) {
		struct proc *c = &st->procs[i];
		if (!c->alive || c->setup || c->pid == pid || c->orphaned_at >= 0)
			continue;
		if (is_main || c->ppid == pid)
			c->orphaned_at = t;
	}
}

static void on_exit_event(struct state *st, const struct da_event *ev)
{
	struct proc *p = proc_find(st, ev->pid);
	if (p && p->alive) {
		p->alive = false;
		if (p->orphaned_at >= 0 && ev->time_s - p->orphaned_at >= LINGER_S)
			report_lingering(st, p, ev->time_s, "its parent exited");
	}
	process_ended(st, ev->pid, ev->time_s);
}

static void on_session(struct state *st, const struct da_event *ev)
{
	if (!ev->syscall || strcmp(ev->syscall, "setsid") != 0 || ev->pid == st->main_pid)
		return;
	if (ev->phase && strcmp(ev->phase, "setup") == 0)
		return;
	report(st, "process.daemon", DA_SEV_MEDIUM, ev,
	       "Check why a child process detaches into its own session; daemons are a backdoor pattern.",
	       "A child process detaches into a new session (setsid%s%s)",
	       ev->err ? ", failed: " : "", ev->err ? (ev->errname ? ev->errname : "error") : "");
}

/* Files the target creates or changes may later be executed. */
static void on_file(struct state *st, const struct da_event *ev)
{
	bool setup = ev->phase && strcmp(ev->phase, "setup") == 0;
	const char *path = event_path(ev);
	switch (ev->kind) {
	case DA_EV_FILE_OPEN:
		if (!(ev->access & (DA_ACC_WRITE | DA_ACC_CREATE | DA_ACC_TRUNC)) || ev->err)
			return;
		break;
	case DA_EV_FILE_RENAME:
		path = ev->path2;
		break;
	case DA_EV_FILE_CHMOD:
	case DA_EV_FILE_LINK:
		break;
	default:
		return;
	}
	if (ev->err || !path || path_under(path, "/dev") || path_under(path, "/proc"))
		return;
	/* a build in the workdir makes binaries that are meant to run */
	const struct proc *writer = proc_find(st, ev->pid);
	bool build_output = setup || (writer && (writer->builder ||
						 (writer->image && in_toolchain_list(writer->image, compilers))));
	if (build_output && path_under(path, st->host->run->workdir))
		return;
	created_add(st, path);
}

/* ---- lifecycle ---------------------------------------------------------- */

static int process_init(const struct da_host *host, const struct da_cfg *cfg, void **out,
			char *err, size_t errlen)
{
	struct state *st = calloc(1, sizeof(*st));
	if (!st) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	*out = st;
	st->host = host;
	st->max_processes = 64;
	const char *key;
	for (size_t i = 0; (key = host->cfg_key_at(host, cfg, i)) != NULL; i++) {
		if (strcmp(key, "allow_exec") != 0 && strcmp(key, "max_processes") != 0) {
			snprintf(err, errlen, "%s: %s: unknown key (known: allow_exec, max_processes)",
				 host->cfg_where(host, cfg, key), key);
			return -EINVAL;
		}
	}
	st->n_allow = host->cfg_list(host, cfg, "allow_exec", &st->allow);
	for (size_t i = 0; i < st->n_allow; i++) {
		if (!st->allow[i] || !*st->allow[i]) {
			snprintf(err, errlen, "%s: allow_exec: empty entry",
				 host->cfg_where(host, cfg, "allow_exec"));
			return -EINVAL;
		}
	}
	const char *max = host->cfg_string(host, cfg, "max_processes");
	if (max) {
		char *end;
		errno = 0;
		long v = strtol(max, &end, 10);
		if (errno || end == max || *end || v < 1 || v > 1000000) {
			snprintf(err, errlen, "%s: max_processes: '%s' is not a number from 1 to 1000000",
				 host->cfg_where(host, cfg, "max_processes"), max);
			return -EINVAL;
		}
		st->max_processes = v;
	}
	const char *const *command = host->run ? host->run->command : NULL;
	if (command && command[0]) {
		st->own_path = strdup(command[0]);
		st->own_base = strdup(base_name(command[0]));
		if (!st->own_path || !st->own_base) {
			snprintf(err, errlen, "out of memory");
			return -ENOMEM;
		}
	}
	return 0;
}

static int process_on_event(void *state, const struct da_event *ev, char *err, size_t errlen)
{
	struct state *st = state;
	bool setup = ev->phase && strcmp(ev->phase, "setup") == 0;
	if (!st->main_pid && !setup && ev->pid > 0 && ev->kind != DA_EV_TARGET_EXIT)
		st->main_pid = ev->pid;
	switch (ev->kind) {
	case DA_EV_PROC_EXEC:
		on_exec(st, ev);
		break;
	case DA_EV_PROC_FORK:
		on_fork(st, ev);
		break;
	case DA_EV_PROC_EXIT:
		on_exit_event(st, ev);
		break;
	case DA_EV_PROC_SESSION:
		on_session(st, ev);
		break;
	case DA_EV_SYSCALL_OTHER:
		on_sleep(st, ev);
		break;
	case DA_EV_TARGET_EXIT:
		/* arg[2] = 1: the window closed, nothing "outlived" anything */
		if (ev->arg[2] == 0 && !st->main_exited)
			process_ended(st, st->main_pid ? st->main_pid : ev->pid, ev->time_s);
		break;
	default:
		on_file(st, ev);
		break;
	}
	return 0;
}

static int process_finish(void *state, char *err, size_t errlen)
{
	struct state *st = state;
	for (size_t i = 0; i < st->n_procs; i++) {
		const struct proc *p = &st->procs[i];
		if (p->alive && p->orphaned_at >= 0 && p->pid != st->main_pid)
			report_lingering(st, p, p->orphaned_at,
					 st->main_exited ? "the main program exited" : "its parent exited");
	}
	if (st->procs_dropped || st->created_dropped)
		st->host->log(st->host, 1, "process: %zu processes and %zu paths not remembered (limits reached)",
			      st->procs_dropped, st->created_dropped);

	char observation[128], remarks[384];
	if (st->n_forks == 0 && st->n_exec_other == 0) {
		st->host->set_summary(st->host, "None", "No subprocesses or shell activity");
		return 0;
	}
	size_t spawned = st->n_exec_other > st->n_forks ? st->n_exec_other : st->n_forks;
	snprintf(observation, sizeof(observation), "%zu subprocess%s%s", spawned,
		 spawned == 1 ? "" : "es", st->n_shells ? ", shell spawned" : "");
	/* The first flagged behaviour leads (a shell outranks the id it ran). */
	if (st->first_flagged[0] && st->recon_seen[0])
		snprintf(remarks, sizeof(remarks), "%s; reconnaissance: %s", st->first_flagged,
			 st->recon_seen);
	else if (st->first_flagged[0])
		snprintf(remarks, sizeof(remarks), "%s", st->first_flagged);
	else if (st->recon_seen[0])
		snprintf(remarks, sizeof(remarks), "Reconnaissance commands run: %s", st->recon_seen);
	else
		snprintf(remarks, sizeof(remarks), "Only allow-listed programs were run");
	st->host->set_summary(st->host, observation, remarks);
	return 0;
}

static void process_destroy(void *state)
{
	struct state *st = state;
	if (!st)
		return;
	for (size_t i = 0; i < st->n_procs; i++) {
		free(st->procs[i].image);
		free(st->procs[i].fork_text);
	}
	for (size_t i = 0; i < CREATED_SLOTS; i++)
		free(st->created[i]);
	free(st->own_base);
	free(st->own_path);
	free(st);
}

static const struct da_plugin process_plugin = {
	DA_PLUGIN_HEADER,
	.name = "process",
	.version = "1.0.0",
	.description = "Shells, unexpected programs, reconnaissance, daemons and fork bombs",
	.category_id = "process",
	.category_title = "Process Spawning",
	.subscriptions = {
		(1ull << DA_EV_PROC_EXEC) | (1ull << DA_EV_PROC_FORK) | (1ull << DA_EV_PROC_EXIT) |
		(1ull << DA_EV_PROC_SESSION) | (1ull << DA_EV_FILE_OPEN) |
		(1ull << DA_EV_FILE_RENAME) | (1ull << DA_EV_FILE_CHMOD) | (1ull << DA_EV_FILE_LINK),
		(1ull << (DA_EV_TARGET_EXIT - 64)) | (1ull << (DA_EV_SYSCALL_OTHER - 64)),
	},
	.init = process_init,
	.on_event = process_on_event,
	.finish = process_finish,
	.destroy = process_destroy,
};

DYNAUDIT_PLUGIN(process_plugin)

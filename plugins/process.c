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
 *                         A symlink the target made is judged by the file
 *                         it leads to: nothing for a venv's bin/python ->
 *                         /usr/bin/python3; medium ("possibly a link") when
 *                         the chain ends where the detector cannot judge.
 *                         low: a file the run itself wrote in the workdir
 *                         under a name with no hidden (".") component,
 *                         before any inet connect or network tool of the run
 *                         (code generation: gen/add.sh, then ./gen/add.sh);
 *                         a shell, interpreter or network tool copied there
 *                         stays high.
 *                         Ignores files the toolchain (cc, ld...) or the
 *                         setup phase built in the workdir (`make && ./a.out`:
 *                         the build itself is judged by exec_unlisted), and
 *                         the own command.
 *   process.shell         critical  a shell whose stdin/stdout is an inet
 *                         socket (reverse or bind shell), even if allowed (a
 *                         unix socketpair, as node gives children, is not).
 *                         high: a shell without -c (interactive, reading a
 *                         script) not allowed; a -c string with a network
 *                         tool (curl, nc...), /dev/tcp, decoded data run as
 *                         code, `sh -i`, rm -rf of home or root, chmod +s;
 *                         `curl | sh` (a shell reading a pipe a sibling
 *                         downloads into); any -c string run by a process
 *                         that (or whose ancestor) accepted an inet
 *                         connection first: remote command execution,
 *                         whatever the command.  low: a -c string that only
 *                         runs ordinary programs (the programs it names are
 *                         covered by that finding), also from the own shell
 *                         (`sh run.sh` starting `sh -c`).  Shells run by the
 *                         setup phase or an allowed build driver (make
 *                         recipes) are expected and ignored.
 *   process.remote_exec   critical  an exec whose argv holds a string (4+
 *                         bytes) the process or an ancestor received from
 *                         an inet socket moments before (live tracer:
 *                         the exec event's arg[2]); a -c string or inline
 *                         code run after reading a file on stdin is rated
 *                         as after an accept (arg[3]).
 *   process.inline_code   medium    a child (not the run's first exec) runs
 *                         code from its command line: python -c, perl/ruby
 *                         -e, node -e/--eval, php -r; high when the code
 *                         decodes, evals, spawns or connects (even if
 *                         allowed), or runs after an inet accept.  Ignores python's multiprocessing
 *                         helpers (resource_tracker, forkserver, spawn).
 *   process.exec_unlisted medium    exec of any other program not in
 *                         allow_exec; low for everyday tools (coreutils,
 *                         text tools, archivers, interpreters, compilers,
 *                         git) and for the submission's own shipped
 *                         programs; info in the setup phase (a build runs
 *                         sed, cat, touch...) except network tools.  Ignores
 *                         the own command, an interpreter re-exec'ing itself
 *                         in the same process, the setup command, the build
 *                         toolchain (cc, cc1, as, ld, collect2, make...) when
 *                         run by the setup phase or by an allowed make/cc,
 *                         and what a compiler driver (gcc, gfortran,
 *                         rustc...) runs (cc1, f951, as, collect2, ld): that
 *                         is part of the driver's own finding.  low: a
 *                         command found nowhere (ENOENT on every PATH
 *                         entry: nothing ran), except a network tool.
 *                         Ignores JDK 17's lib/jspawnhelper exec'd by java
 *                         (ProcessBuilder's plumbing): the program it then
 *                         execs in the same process is judged.
 *   process.recon         medium    reconnaissance commands (id, whoami,
 *                         uname, hostname, ps, netstat, ss, ip, ifconfig, w,
 *                         who, last, env/printenv, cat/head/less of /etc,
 *                         find / ...), run directly or inside a shell -c
 *                         string (even when the shell itself is allowed);
 *                         low for identity questions (whoami, id, uname,
 *                         hostname...) until three kinds make a sweep;
 *                         info in the setup phase.  An allow-listed recon
 *                         program is not reported.
 *   process.signal        high      kill(-1, ...) or a signal to pid 1.
 *                         medium: to a process or group the target did not
 *                         create (low for signal 0, a probe).  Its own
 *                         processes, threads and group are fine.
 *   process.masquerade    medium    a process showing a kernel thread's or a
 *                         system daemon's name (argv[0] at exec, or its
 *                         command line in a process snapshot: "[kworker/0:1]",
 *                         "sshd: ..."); high when it also connects out.
 *                         A snapshot's "[comm]" that is no such name is
 *                         ignored when comm is the program the pid last
 *                         exec'd (an exiting cc1 has an empty command
 *                         line), when the row is a zombie (Z, X) or the pid
 *                         has already ended.
 *                         prctl(PR_SET_NAME) is not seen: no source reports it.
 *   process.daemon        medium    a process keeps running >= 1 s after its
 *                         parent (double fork) or the main program exited;
 *                         a child's setsid when it or its session does so.
 *                         low: a setsid whose session did not outlive its
 *                         parent (a test starting a server in its own
 *                         session, then killpg).  Ignores processes still
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
 *                         least as long as the whole observation window, or
 *                         a process still idle in a timed wait (epoll_wait,
 *                         futex, poll... of setTimeout, Event.wait; or
 *                         pause() under an armed alarm) whose wake-up is a
 *                         whole window or more away when the window closes:
 *                         what follows is hidden from the audit, whether or
 *                         not a line was printed first (a cover is cheap).
 *                         Also sleeps under a second adding up to 80% of the
 *                         window before anything observable (a wait cut
 *                         up).  info: a run that listens (a server waits by
 *                         design), a wait of 10 s or more that merely ends
 *                         after the window, and the setup phase.
 *   process.runaway       high      more than max_processes processes, or a
 *                         fork failing with EAGAIN (process limit hit);
 *                         medium: a thread creation failing with EAGAIN (the
 *                         task limit counts threads too: a thread bomb).
 *                         Threads are not processes; setup-phase processes
 *                         (a parallel build) are not counted.
 * A failed exec counts as an attempt: its strace line (with the error) is
 * the evidence; a PATH search (ENOENT/EACCES/ENOTDIR, then the same argv
 * again in the same process) is one attempt.
 *
 * Summary: "None" / "No subprocesses or shell activity".
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
#include "dynaudit/pathclass.h"
#include "dynaudit/plugin.h"
#include "dynaudit/progclass.h"

#define MAX_PROCS 4096         /* processes remembered */
#define MAX_CREATED 4096       /* created/changed paths remembered */
#define CREATED_SLOTS 8192     /* hash slots, twice MAX_CREATED */
#define LINGER_S 1.0           /* outliving a parent this long is detaching */
#define CLONE_THREAD_FLAG 0x00010000
#define MAX_LINKS 1024         /* symlinks the target made, remembered */
#define MAX_TIDS 4096          /* thread ids remembered (signal targets) */
#define MAX_PIPED 64           /* shells reading a pipe / downloaders, remembered */
#define MAX_MASQ 64            /* masquerading processes remembered */
#define MAX_SLEEPS 16          /* long sleeps judged at the end */
#define OUTPUT_LAG_S 0.5       /* an output line is captured this late at most */

/* A deep copy of an exec event (a failed PATH-search attempt held back). */
struct held_exec {
	struct da_event ev;
	char **argv;
};

struct proc {
	int pid, ppid;
	bool alive;
	bool setup;            /* created by the setup phase (a build) */
	bool builder;          /* an allowed build driver (make, cc...) or its toolchain */
	double orphaned_at;    /* when its parent (or the main program) ended; < 0 never */
	bool driver;           /* a compiler driver (gcc...) or a toolchain program it runs */
	char *image;           /* base name of the current executable */
	char *fork_text;       /* evidence: the fork that created it */
	char *cover;           /* -c string of a reported shell this process runs under */
	struct held_exec *held; /* failed exec (ENOENT...) waiting for a retry */
	int session;           /* pid of the setsid caller whose session this is, 0 none */
	char *setsid_text;     /* evidence: its own setsid call, NULL none */
	double setsid_t;
	char setsid_note[48];  /* ", failed: EPERM" or "" */
	bool session_outlived; /* (leader) a member outlived its parent or the main program */
	bool served;           /* accepted an inet connection (it serves the network) */
};

struct piped {                 /* a shell reading a pipe, or a downloader writing one */
	int pid, ppid;
	double t;
	char *text;
	char *name;
};

struct masq {
	int pid;
	double t;
	char *what;            /* the name it shows */
	char *text;            /* evidence */
};

struct long_sleep {
	int pid;
	double t;
	int64_t wait;
	char *text;
	char *pending;          /* a timed wait seen at the window's end: its call */
	int64_t short_sleeps;   /* > 0: wait is the total of this many short sleeps */
	bool cut;               /* sandbox.time.skip_sleeps returned it at once */
	bool timer;             /* a timer armed that far, cut by skip_sleeps */
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
	bool thread_limit_reported;
	bool listening;           /* the run serves: idle waits are its job */
	char recon_seen[256];     /* "id, uname" for the summary */
	unsigned n_recon_kinds;   /* distinct recon commands seen (a sweep from 3) */
	char first_flagged[200];  /* first finding of low or above, for the summary */
	bool first_is_recon;      /* first_flagged is a recon finding */

	char *link_from[MAX_LINKS]; /* symlinks the target made: path -> absolute target */
	char *link_to[MAX_LINKS];
	size_t n_links;

	int tids[MAX_TIDS];       /* threads the target created */
	size_t n_tids;

	struct piped pipe_shells[MAX_PIPED], downloads[MAX_PIPED];
	size_t n_pipe_shells, n_downloads;

	struct masq masqs[MAX_MASQ];
	size_t n_masqs;
	int connected[MAX_MASQ];  /* pids that made an inet connect */
	size_t n_connected;
	bool net_seen;            /* an inet connect or a network tool was seen (so far) */

	struct long_sleep sleeps[MAX_SLEEPS];
	size_t n_sleeps;
	bool activity_seen;       /* observable run-phase work was seen... */
	double first_activity_s;  /* ...first at this time */
	double last_activity_s;   /* ...last at this time */
	int sleeping_tids[MAX_SLEEPS]; /* a thread that slept: its next sleep means it woke */
	size_t n_sleeping;
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
		p->driver = parent->driver;
		p->session = parent->session;
		if (parent->image)
			p->image = strdup(parent->image);
		if (parent->cover)
			p->cover = strdup(parent->cover);
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
	if (sev >= DA_SEV_LOW && st->n_flagged++ == 0) {
		snprintf(st->first_flagged, sizeof(st->first_flagged), "%.199s", message);
		st->first_is_recon = strcmp(rule, "process.recon") == 0;
	}
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

/* Shells: libdynaudit-sdk's class (da_prog_is_shell), the one backdoor and
 * file ask too. */

/* The build toolchain a setup command (make, cc ...) runs. */
static const char *const toolchain[] = {
	"make", "gmake", "cmake", "ninja", "cc", "gcc", "g++", "c++", "cpp", "cc1",
	"cc1plus", "cc1obj", "cc1objplus", "f951", "gnat1", "d21", "go1", "as", "ld",
	"ld.bfd", "ld.gold", "ld.lld", "lld", "collect2", "lto-wrapper", "lto1",
	"objcopy", "ar", "ranlib", "strip", "clang", "clang++", "gfortran", "gccgo",
	"rustc", "cargo", "javac", "go", "pkg-config", "install", "mkdir", "rm", "cp",
	"mv", "ln", "echo", "true", "uname", NULL};

/* Compiler drivers: the programs they run for one compilation are part of
 * the driver's own finding, not separate ones. */
static const char *const drivers[] = {
	"cc", "c++", "gcc", "g++", "clang", "clang++", "gfortran", "gccgo", "rustc", NULL};

/* What a compiler driver runs: compilers proper, assembler, linkers (and
 * itself again, from lto-wrapper or rustc's linker call). */
static const char *const driver_internals[] = {
	"cpp", "cc1", "cc1plus", "cc1obj", "cc1objplus", "f951", "gnat1", "d21", "go1",
	"lto1", "lto-wrapper", "collect2", "as", "ld", "ld.bfd", "ld.gold", "ld.lld", "lld",
	"objcopy", "cc", "c++", "gcc", "g++", "clang", "clang++", "gfortran", NULL};

/* Programs that move data over the network: full strength in every phase,
 * and a shell -c string naming one is not a plain shell command. */
static const char *const net_tools[] = {
	"nc", "ncat", "netcat", "nc.openbsd", "nc.traditional", "socat", "curl", "wget",
	"telnet", "ssh", "scp", "sftp", "ftp", "tftp", "rsync", "nmap", "dig", "nslookup", NULL};

/* Code interpreters whose inline code (-c, -e...) is judged. */
static const char *const code_interpreters[] = {
	"python", "python3", "python2", "pypy", "pypy3", "perl", "ruby", "node", "nodejs",
	"php", "lua", NULL};

/* Names a process shows to pass for a kernel thread or a system daemon. */
static const char *const kernel_threads[] = {
	"kworker", "ksoftirqd", "kthreadd", "migration", "rcu_", "kswapd", "khugepaged",
	"kblockd", "watchdog", "jbd2", "kcompactd", "irq/", NULL};
static const char *const system_daemons[] = {
	"systemd", "sshd", "cron", "crond", "dbus-daemon", "init", "rsyslogd", "syslogd",
	"agetty", "udevd", "polkitd", NULL};

/* Everyday userland that scripts and programs call (coreutils, text
 * tools, archivers, the compilers of a build-and-run script): running one
 * outside allow_exec is worth a remark (low), not a warning of its own.
 * Reconnaissance (id, uname, printenv, env alone: see recon_name),
 * network, shell, privilege and detaching (nohup, setsid) tools are not
 * here, nor decoders (base64, xxd: decoded data run as code). */
static const char *const ordinary_tools[] = {
	"basename", "dirname", "pwd", "cat", "tac", "head", "tail", "tee", "sort", "uniq", "wc",
	"tr", "cut", "paste", "join", "sed", "awk", "gawk", "mawk", "nawk", "grep", "egrep",
	"fgrep", "date", "sleep", "echo", "printf", "test", "[", "expr", "seq", "true", "false",
	"yes", "mkdir", "rmdir", "cp", "mv", "rm", "ln", "ls", "touch", "chmod", "realpath",
	"readlink", "find", "xargs", "diff", "cmp", "comm", "md5sum", "sha1sum", "sha224sum",
	"sha256sum", "sha384sum", "sha512sum", "b2sum", "cksum", "sum", "gzip", "gunzip", "zcat",
	"tar", "bzip2", "xz", "unzip", "zip", "clear", "tput", "stty", "tty", "nproc", "mktemp",
	"fold", "fmt", "nl", "od", "hexdump", "column", "split", "csplit", "expand", "unexpand",
	"pr", "tsort", "factor", "numfmt", "timeout", "nice", "stdbuf", "less", "more", "file",
	"stat", "du", "df", "sync", "truncate", "unlink", "install", "mkfifo", "getopt",
	"envsubst", "getconf", "locale", "which", "shuf", "rev", "iconv", "bc", "dc",
	"env", /* running a program: env alone is recon, judged before this list */
	"python", "python3", "perl", "ruby", "node", "nodejs", "java", "javac", "php", "lua",
	"make", "cmake", "ninja", "gcc", "g++", "cc", "c++", "clang", "clang++", "gfortran",
	"rustc", "go", "git", "ldconfig", NULL};

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

/* ---- words of a shell -c string -------------------------------------- */

/* A shell command string cut into words; quote marks are dropped and each
 * of ; & | ( ) ` < > (and "$(") is a word of its own.  Good enough to
 * name the programs a string runs, not a shell parser. */
struct words {
	char buf[4096];
	const char *w[256];
	size_t n;
};

static bool is_separator_word(const char *w)
{
	return w[0] && !w[1] && strchr(";&|()`", w[0]);
}

static void split_words(const char *script, struct words *out)
{
	size_t used = 0;
	out->n = 0;
	for (const char *p = script; p && *p && out->n < 256;) {
		if (strchr(" \t\n\r'\"\\", *p)) {
			p++;
			continue;
		}
		size_t start = used;
		if (strchr(";&|()`<>", *p) || (p[0] == '$' && p[1] == '(')) {
			if (*p == '$')
				p++;
			if (used + 2 >= sizeof(out->buf))
				return;
			out->buf[used++] = *p++;
		} else {
			while (*p && !strchr(" \t\n\r'\"\\;&|()`<>", *p) && !(p[0] == '$' && p[1] == '(')) {
				if (used + 1 < sizeof(out->buf))
					out->buf[used++] = *p;
				p++;
			}
			if (used + 1 >= sizeof(out->buf))
				return;
		}
		out->buf[used++] = '\0';
		out->w[out->n++] = out->buf + start;
	}
}

static bool in_version_list(const char *base, const char *const *list)
{
	for (; *list; list++)
		if (same_program(base, *list))
			return true;
	return false;
}

static bool is_net_tool(const char *name)
{
	return in_version_list(base_name(name), net_tools);
}

/* The program a simple command starting at word i runs: VAR=x words and
 * wrappers (exec, nohup, sudo, timeout N...) skipped.  Returns its index. */
static size_t command_word(const struct words *ws, size_t i)
{
	while (i < ws->n && !is_separator_word(ws->w[i])) {
		const char *w = ws->w[i];
		size_t name_len = strspn(w, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");
		if (name_len > 0 && w[name_len] == '=') {
			i++;
			continue;
		}
		if (strcmp(w, "exec") == 0 || strcmp(w, "nohup") == 0 || strcmp(w, "command") == 0 ||
		    strcmp(w, "time") == 0 || strcmp(w, "sudo") == 0 || strcmp(w, "env") == 0 ||
		    strcmp(w, "xargs") == 0 || strcmp(w, "nice") == 0) {
			i++;
			continue;
		}
		if (strcmp(w, "timeout") == 0) {
			i += 2;
			continue;
		}
		break;
	}
	return i;
}

/* The -c string names program applet as a command. */
static bool script_names(const char *script, const char *applet)
{
	struct words ws;
	split_words(script, &ws);
	for (size_t i = 0; i < ws.n;) {
		size_t c = command_word(&ws, i);
		if (c < ws.n && !is_separator_word(ws.w[c]) && same_program(applet, base_name(ws.w[c])))
			return true;
		i = c;
		while (i < ws.n && !is_separator_word(ws.w[i]))
			i++;
		i++;
	}
	return false;
}

static bool is_home_or_root(const char *w)
{
	static const char *const targets[] = {
		"/", "/*", "~", "~/", "~/*", "$HOME", "$HOME/", "$HOME/*", "${HOME}", "${HOME}/",
		"${HOME}/*", "/root", "/root/", "/root/*", "/home", "/home/", "/home/*", NULL};
	return in_list(w, targets);
}

/*
 * shell_danger — what makes a shell -c string more than a plain command:
 * a network tool, /dev/tcp, decoded data run as code, an interactive
 * shell, rm -rf of the home or root directory, a setuid bit.  Returns a
 * static phrase, or NULL for a string that only runs ordinary programs.
 */
static const char *shell_danger(const char *script)
{
	if (strstr(script, "/dev/tcp/") || strstr(script, "/dev/udp/"))
		return "a /dev/tcp or /dev/udp connection";
	struct words ws;
	split_words(script, &ws);
	bool decoded = false, evals = false;
	for (size_t i = 0; i < ws.n; i++) {
		if (is_separator_word(ws.w[i]))
			continue;
		if (is_net_tool(ws.w[i]))
			return "a network tool";
	}
	for (size_t i = 0; i < ws.n;) {
		size_t c = command_word(&ws, i);
		size_t end = c;
		while (end < ws.n && !is_separator_word(ws.w[end]))
			end++;
		if (c < end) {
			const char *cmd = base_name(ws.w[c]);
			bool shell = da_prog_is_shell(cmd);
			evals |= strcmp(cmd, "eval") == 0 || strcmp(cmd, "source") == 0;
			bool rm = strcmp(cmd, "rm") == 0, recursive = false, force = false, home = false;
			for (size_t a = c + 1; a < end; a++) {
				const char *w = ws.w[a];
				bool opt = w[0] == '-' && w[1] && w[1] != '-';
				if ((strcmp(cmd, "base64") == 0 || strcmp(cmd, "openssl") == 0 ||
				     strcmp(cmd, "basenc") == 0) &&
				    (strcmp(w, "-d") == 0 || strcmp(w, "-D") == 0 || strcmp(w, "--decode") == 0))
					decoded = true;
				if (strcmp(cmd, "xxd") == 0 && opt && strchr(w, 'r'))
					decoded = true;
				if (shell && opt && strchr(w, 'i'))
					return "an interactive shell";
				if (rm && opt) {
					recursive |= strchr(w, 'r') || strchr(w, 'R');
					force |= strchr(w, 'f') != NULL;
				}
				if (rm && (strcmp(w, "--recursive") == 0))
					recursive = true;
				if (rm && is_home_or_root(w))
					home = true;
				if (strcmp(cmd, "chmod") == 0 &&
				    (strstr(w, "+s") || (strlen(w) == 4 && strspn(w, "01234567") == 4 &&
							 strchr("2467", w[0]))))
					return "a setuid or setgid bit";
			}
			if (rm && recursive && force && home)
				return "deleting the home or root directory";
			/* decoded data piped into a shell or an interpreter, or eval'd */
			if (decoded && (shell || in_version_list(cmd, code_interpreters) ||
					strcmp(cmd, "eval") == 0 || strcmp(cmd, "source") == 0 ||
					strcmp(cmd, ".") == 0))
				return "decoded data run as code";
		}
		i = end + 1;
	}
	return decoded && evals ? "decoded data run as code" : NULL;
}

/*
 * inline_code — the code an interpreter exec runs from its command line
 * (python -c CODE, perl/ruby/lua -e CODE, node -e/--eval/-p CODE, php -r
 * CODE), or NULL.  Options after the first script argument are the
 * script's, not the interpreter's.
 */
static const char *inline_code(const struct da_event *ev, const char *applet)
{
	if (!ev->argv || !in_version_list(applet, code_interpreters))
		return NULL;
	bool python = strncmp(applet, "python", 6) == 0 || strncmp(applet, "pypy", 4) == 0;
	bool node = strncmp(applet, "node", 4) == 0;
	char letter = python ? 'c' : strcmp(applet, "php") == 0 ? 'r' : 'e';
	for (int i = 1; i < ev->argc; i++) {
		const char *a = ev->argv[i];
		if (!a || a[0] != '-')
			return NULL; /* the script: what follows are its arguments */
		const char *next = i + 1 < ev->argc ? ev->argv[i + 1] : NULL;
		if (node && (strcmp(a, "--eval") == 0 || strcmp(a, "--print") == 0 || strcmp(a, "-p") == 0))
			return next;
		if (node && strncmp(a, "--eval=", 7) == 0)
			return a + 7;
		if (a[1] == '-' || !a[1])
			continue;
		size_t len = strlen(a);
		if (strspn(a + 1, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") != len - 1)
			continue; /* -W ignore, -X dev... */
		char last = a[len - 1];
		if (last == letter || (letter == 'e' && last == 'E'))
			return next;
		if (python && strchr(a, 'm'))
			return NULL; /* python -m module */
	}
	return NULL;
}

/* Python's multiprocessing starts its helpers with -c: not the program's code. */
static bool multiprocessing_helper(const char *code)
{
	static const char *const helpers[] = {
		"from multiprocessing.resource_tracker import main",
		"from multiprocessing.semaphore_tracker import main",
		"from multiprocessing.forkserver import main",
		"from multiprocessing.spawn import spawn_main", NULL};
	while (*code == ' ' || *code == '\n')
		code++;
	for (const char *const *h = helpers; *h; h++)
		if (strncmp(code, *h, strlen(*h)) == 0)
			return true;
	return false;
}

/* Inline code doing what droppers and reverse shells do. */
static bool code_danger(const char *code)
{
	static const char *const marks[] = {
		"base64", "b64decode", "decode(", "exec(", "eval(", "socket", "Socket", "subprocess",
		"os.system", "os.popen", "os.exec", "os.dup2", "pty.spawn", "urllib", "urlopen",
		"requests.", "http.client", "connect", "child_process", "fsockopen", "system(",
		"__import__", "marshal.loads", "zlib.decompress", "ctypes", "/dev/tcp", NULL};
	for (const char *const *m = marks; *m; m++)
		if (strstr(code, *m))
			return true;
	return false;
}

/* The code for a message: newlines shown as "; ", bounded. */
static void code_excerpt(const char *code, char *out, size_t outlen)
{
	size_t used = 0;
	for (const char *p = code; *p && used + 3 < outlen; p++) {
		if (*p == '\n' || *p == '\r') {
			if (p[1] && used && out[used - 1] != ' ') {
				out[used++] = ';';
				out[used++] = ' ';
			}
			continue;
		}
		out[used++] = *p;
	}
	out[used] = '\0';
	if (used + 3 >= outlen && outlen > 4)
		memcpy(out + outlen - 4, "...", 4);
}

/* A name passing for a kernel thread ("[kworker/0:1]", "kworker/0:1") or a
 * system daemon ("sshd: root@pts/0", "/usr/sbin/cron").  brackets: a
 * leading '[' alone is enough (user processes never show one: only
 * kernel threads, or a zombie's "[comm]", which is not passed here). */
static bool masquerade_name(const char *name, bool brackets, const char *real)
{
	if (!name || !*name)
		return false;
	if (brackets && name[0] == '[' && ((name[1] >= 'a' && name[1] <= 'z') ||
					   (name[1] >= 'A' && name[1] <= 'Z') ||
					   (name[1] >= '0' && name[1] <= '9')))
		return true;
	const char *n = name[0] == '[' ? name + 1 : name;
	for (const char *const *k = kernel_threads; *k; k++)
		if (strncmp(n, *k, strlen(*k)) == 0)
			return true;
	char word[64];
	size_t len = strcspn(n, " :]");
	snprintf(word, sizeof(word), "%.*s", (int)(len < sizeof(word) - 1 ? len : sizeof(word) - 1), n);
	const char *b = base_name(word);
	if (real && *real && same_program(base_name(real), b))
		return false;
	for (const char *const *d = system_daemons; *d; d++)
		if (strcmp(b, *d) == 0 || (strcmp(*d, "systemd") == 0 && strncmp(b, "systemd", 7) == 0))
			return true;
	return false;
}

/* ---- events kept for later ------------------------------------------- */

static char *dup_or_null(const char *s, bool *ok)
{
	if (!s)
		return NULL;
	char *d = strdup(s);
	if (!d)
		*ok = false;
	return d;
}

static void held_free(struct held_exec *h)
{
	if (!h)
		return;
	struct da_event *e = &h->ev;
	free((char *)e->syscall);
	free((char *)e->errname);
	free((char *)e->path);
	free((char *)e->path2);
	free((char *)e->raw_path);
	free((char *)e->fd_desc);
	free((char *)e->addr);
	free((char *)e->detail);
	free((char *)e->phase);
	free((char *)e->text);
	free((char *)e->loader_env);
	for (int i = 0; i < 3; i++)
		free((char *)e->stdio[i]);
	for (int i = 0; h->argv && i < e->argc; i++)
		free(h->argv[i]);
	free(h->argv);
	free(h);
}

/* A copy of an exec event that owns its strings, or NULL (out of memory). */
static struct held_exec *held_copy(const struct da_event *ev)
{
	struct held_exec *h = calloc(1, sizeof(*h));
	if (!h)
		return NULL;
	bool ok = true;
	struct da_event *e = &h->ev;
	*e = *ev;
	e->struct_size = sizeof(*e);
	e->syscall = dup_or_null(ev->syscall, &ok);
	e->errname = dup_or_null(ev->errname, &ok);
	e->path = dup_or_null(ev->path, &ok);
	e->path2 = dup_or_null(ev->path2, &ok);
	e->raw_path = dup_or_null(ev->raw_path, &ok);
	e->fd_desc = dup_or_null(ev->fd_desc, &ok);
	e->addr = dup_or_null(ev->addr, &ok);
	e->detail = dup_or_null(ev->detail, &ok);
	e->phase = dup_or_null(ev->phase, &ok);
	e->text = dup_or_null(ev->text, &ok);
	e->loader_env = dup_or_null(DA_EVENT_HAS(ev, loader_env) ? ev->loader_env : NULL, &ok);
	for (int i = 0; i < 3; i++)
		e->stdio[i] = dup_or_null(ev->stdio[i], &ok);
	e->argc = ev->argv && ev->argc > 0 ? ev->argc : 0;
	if (e->argc) {
		h->argv = calloc((size_t)e->argc + 1, sizeof(char *));
		if (!h->argv)
			ok = false;
		for (int i = 0; h->argv && i < e->argc; i++)
			h->argv[i] = dup_or_null(ev->argv[i], &ok);
	}
	e->argv = (const char *const *)h->argv;
	if (!ok) {
		held_free(h);
		return NULL;
	}
	return h;
}

static bool same_argv(const struct da_event *a, const struct da_event *b)
{
	if (a->argc != b->argc || (a->argc > 0 && (!a->argv || !b->argv)))
		return false;
	for (int i = 0; i < a->argc; i++) {
		const char *x = a->argv[i], *y = b->argv[i];
		if ((!x || !y) ? x != y : strcmp(x, y) != 0)
			return false;
	}
	return true;
}

/* ---- symlinks the target made --------------------------------------- */

static void link_add(struct state *st, const char *path, const char *target)
{
	if (!path || !target || !*target || path[0] != '/')
		return;
	char abs[1024], dir[1024];
	const char *slash = strrchr(path, '/');
	snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	(void)da_path_normalize(target, dir, abs, sizeof(abs)); /* libdynaudit-sdk */
	for (size_t i = 0; i < st->n_links; i++)
		if (strcmp(st->link_from[i], path) == 0) {
			set_str(&st->link_to[i], abs);
			return;
		}
	if (st->n_links >= MAX_LINKS)
		return;
	st->link_from[st->n_links] = strdup(path);
	st->link_to[st->n_links] = strdup(abs);
	if (st->link_from[st->n_links] && st->link_to[st->n_links])
		st->n_links++;
	else {
		free(st->link_from[st->n_links]);
		free(st->link_to[st->n_links]);
	}
}

/* Follow the links the target made from path (at most 8).  Returns the
 * final path (path itself when it is no known link). */
static const char *link_resolve(const struct state *st, const char *path)
{
	for (int hop = 0; hop < 8 && path; hop++) {
		const char *next = NULL;
		for (size_t i = 0; i < st->n_links && !next; i++)
			if (strcmp(st->link_from[i], path) == 0)
				next = st->link_to[i];
		if (!next)
			return path;
		path = next;
	}
	return path;
}

/* Where the system keeps its programs: read-only to the target. */
static bool in_system_dir(const char *path)
{
	static const char *const dirs[] = {"/usr", "/bin", "/sbin", "/lib", "/lib64", "/lib32",
					   "/opt", "/etc/alternatives", NULL};
	for (const char *const *d = dirs; *d; d++)
		if (path_under(path, *d))
			return true;
	return false;
}

/* ---- small sets ------------------------------------------------------- */

static bool int_in(const int *set, size_t n, int v)
{
	for (size_t i = 0; i < n; i++)
		if (set[i] == v)
			return true;
	return false;
}

static void note_activity(struct state *st, double t)
{
	if (!st->activity_seen || t < st->first_activity_s)
		st->first_activity_s = t;
	if (!st->activity_seen || t > st->last_activity_s)
		st->last_activity_s = t;
	st->activity_seen = true;
}

/* ---- rules -------------------------------------------------------------- */

static void found_recon(struct state *st, const struct da_event *ev, const char *label)
{
	/* an allow-listed recon program (allow_exec: [uname]) is not reported */
	for (size_t i = 0; i < st->n_allow; i++)
		if (fnmatch(st->allow[i], label, 0) == 0)
			return;
	/* a build probing the host (lsb_release, uname) is what builds do */
	bool setup = ev->phase && strcmp(ev->phase, "setup") == 0;
	bool quiet = setup && !is_net_tool(label);
	size_t used = strlen(st->recon_seen);
	if (!quiet && !strstr(st->recon_seen, label) && used + strlen(label) + 3 < sizeof(st->recon_seen)) {
		snprintf(st->recon_seen + used, sizeof(st->recon_seen) - used, "%s%s",
			 used ? ", " : "", label);
		st->n_recon_kinds++;
	}
	/* Asking who and where one runs (whoami for a greeting, python's
	 * platform module running uname) is low on its own; a sweep of three
	 * kinds or more, or looking at processes, sockets, interfaces or the
	 * environment, is reconnaissance. */
	static const char *const identity[] = {"whoami", "id", "uname", "hostname", "groups",
					       "logname", "arch", "lsb_release", NULL};
	bool mild = in_list(label, identity) && st->n_recon_kinds < 3;
	report(st, "process.recon", quiet ? DA_SEV_INFO : mild ? DA_SEV_LOW : DA_SEV_MEDIUM, ev,
	       "Find out why the program inspects the host; a submission has no reason to.",
	       "Runs a reconnaissance command: %s%s", label, quiet ? " (setup phase)" : "");
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

/* stdin or stdout of the exec'd program is a network socket
 * ("socket:inet/stream->...", "socket:inet6/..."): a unix socketpair is how
 * node/libuv and others wire a child's stdio, not a remote peer. */
static bool stdio_on_inet_socket(const struct da_event *ev)
{
	for (int i = 0; i < 2; i++)
		if (ev->stdio[i] && strncmp(ev->stdio[i], "socket:inet", 11) == 0)
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

/* Whether p, or a process it descends from, accepted an inet connection
 * before now: what it runs may be what a client sent (remote command
 * execution).  Bounded walk: a pid loop cannot hang it. */
static bool serves_network(struct state *st, const struct proc *p)
{
	for (int depth = 0; p && depth < 64; depth++) {
		if (p->served)
			return true;
		p = p->ppid > 0 && p->ppid != p->pid ? proc_find(st, p->ppid) : NULL;
	}
	return false;
}

/* Report a shell's -c string: low when it only runs ordinary programs,
 * high when it reaches the network, runs decoded data, opens an
 * interactive shell, wipes home or root or sets a setuid bit.  Programs it
 * names are covered by this finding (see the cover of struct proc). */
static void report_shell_script(struct state *st, const struct da_event *ev, const char *applet,
				const char *script, struct proc *p)
{
	const char *danger = shell_danger(script);
	const char *name = (ev->argc > 0 && ev->argv && ev->argv[0]) ? base_name(ev->argv[0]) : applet;
	const struct proc *parent = p && p->ppid > 0 ? proc_find(st, p->ppid) : NULL;
	bool served = serves_network(st, p) || serves_network(st, parent);
	bool fed = ev->arg[3] == 1; /* live: its stdin, a file, was read first */
	if (!danger && (served || fed))
		report(st, "process.shell", DA_SEV_HIGH, ev,
		       "Treat as a backdoor unless the assignment asks for it: a program that runs a shell once it got input executes what its input says.",
		       "Spawns a shell after %s (remote command execution): %s -c '%.200s'",
		       served ? "accepting a network connection" : "reading its input", name, script);
	else if (danger)
		report(st, "process.shell", DA_SEV_HIGH, ev,
		       "Find out what the command does: it goes beyond running ordinary programs.",
		       "Spawns a shell running %s: %s -c '%.200s'", danger, name, script);
	else /* os.system("clear"), shell=True: a habit, not an attack */
		report(st, "process.shell", DA_SEV_LOW, ev,
		       "Prefer running programs directly over a shell command string; add the shell to allow_exec if it is expected.",
		       "Spawns a shell: %s -c '%.200s'", name, script);
	if (p)
		set_str(&p->cover, script);
}

/* A child running code given on its command line (python -c, perl -e...). */
static bool check_inline_code(struct state *st, const struct da_event *ev, const char *applet,
			      bool setup, bool allowed_explicitly)
{
	const char *code = inline_code(ev, applet);
	if (!code || multiprocessing_helper(code))
		return false;
	bool danger = code_danger(code);
	/* inline code started by a server that accepted a client: remote
	 * command execution, whatever the code */
	bool remote = !setup && (serves_network(st, proc_find(st, ev->pid)) || ev->arg[3] == 1);
	if (!danger && !remote && allowed_explicitly)
		return false;
	char excerpt[220];
	code_excerpt(code, excerpt, sizeof(excerpt));
	enum da_severity sev = danger || remote ? DA_SEV_HIGH : setup ? DA_SEV_INFO : DA_SEV_MEDIUM;
	report(st, "process.inline_code", sev, ev,
	       danger ? "Read the code: inline code that decodes, evaluates, spawns or connects is a dropper pattern."
	       : remote ? "Treat as a backdoor unless the assignment asks for it: a server running code once a client connected executes what the network sends."
		      : "Check why the program runs code from a command line instead of its own files.",
	       "Runs inline %s code%s: %s", applet,
	       danger ? " that decodes, spawns or connects"
	       : remote ? " after accepting a network connection (remote command execution)" : "", excerpt);
	return true;
}

/* Remember the two ends of a `curl URL | sh` pipeline (siblings: same
 * parent): a shell reading its script from a pipe, a downloader writing
 * one.  Matched at the end (the shell's exec may come first). */
static void note_piped(struct state *st, const struct da_event *ev, const char *applet,
		       const char *script, bool is_shell)
{
	if (ev->err || ev->ppid <= 0)
		return;
	struct piped *slot = NULL;
	if (is_shell && !script && ev->stdio[0] && strcmp(ev->stdio[0], "pipe") == 0) {
		bool plain = true;
		for (int i = 1; i < ev->argc && ev->argv; i++)
			if (!ev->argv[i] || (strcmp(ev->argv[i], "-s") != 0 && strcmp(ev->argv[i], "-") != 0))
				plain = false;
		if (plain && st->n_pipe_shells < MAX_PIPED)
			slot = &st->pipe_shells[st->n_pipe_shells++];
	} else if (is_net_tool(applet) && ev->stdio[1] && strcmp(ev->stdio[1], "pipe") == 0 &&
		   st->n_downloads < MAX_PIPED) {
		slot = &st->downloads[st->n_downloads++];
	}
	if (!slot)
		return;
	slot->pid = ev->pid;
	slot->ppid = ev->ppid;
	slot->t = ev->time_s;
	slot->text = ev->text ? strdup(ev->text) : NULL;
	slot->name = strdup(applet);
}

/* JDK 17's ProcessBuilder: the JVM vforks, the child execs the JDK's own
 * lib/jspawnhelper (argv: version, fd numbers), which execs the real
 * program in the same process.  The helper is the JVM's plumbing, like
 * python's multiprocessing helpers; the exec after it is judged. */
static bool java_spawn_helper(const struct state *st, const struct da_event *ev,
			      const char *applet, const char *previous)
{
	return ev->err == 0 && strcmp(applet, "jspawnhelper") == 0 && previous &&
	       same_program(previous, "java") && ev->path && in_system_dir(ev->path) &&
	       !created_has(st, ev->path);
}

/* A program the run wrote in its workdir (gen/add.sh, then ./gen/add.sh):
 * code generation, as file.exec_created sees a build.  Not under a hidden
 * name (workdir/.cache/x, gen/.x), not in /tmp, /dev/shm or HOME outside
 * the workdir, and not after the run reached the network (a connect, a
 * network tool): then it may be a download being run. */
static bool generated_in_workdir(const struct state *st, const char *path)
{
	const struct da_run_info *run = st->host->run;
	if (!path || st->net_seen || !created_has(st, path) || !path_under(path, run->workdir) ||
	    path_under(path, "/tmp") || path_under(path, "/dev/shm") ||
	    path_under(path, "/var/tmp") || path_under(path, run->tmpdir))
		return false;
	size_t n = strlen(run->workdir);
	while (n > 1 && run->workdir[n - 1] == '/')
		n--;
	for (const char *c = path + n; *c; c++)
		if (c[0] == '/' && c[1] == '.')
			return false;
	return true;
}

/* Whether a shell -c string reaches the network (a network tool, /dev/tcp). */
static bool script_uses_network(const char *script)
{
	if (strstr(script, "/dev/tcp/") || strstr(script, "/dev/udp/"))
		return true;
	struct words ws;
	split_words(script, &ws);
	for (size_t i = 0; i < ws.n; i++)
		if (!is_separator_word(ws.w[i]) && is_net_tool(ws.w[i]))
			return true;
	return false;
}

static void judge_exec(struct state *st, const struct da_event *ev_in)
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
	if (java_spawn_helper(st, ev, applet, previous)) {
		free(previous);
		return;
	}
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
	bool toolchain_or_shell = is_toolchain(applet) || da_prog_is_shell(applet) ||
				  (ev->argc > 0 && ev->argv && ev->argv[0] &&
				   is_toolchain(base_name(ev->argv[0])));
	/* an allowed make or cc runs its toolchain and recipe shells */
	bool under_builder = p && p->builder;
	bool by_config = allowed_by_config(st, ev, applet);
	bool allowed = own || reexec || setup_command || by_config ||
		       ((setup || under_builder) && toolchain_or_shell);
	/* what a compiler driver runs (cc1, as, collect2, ld) is the driver's doing */
	bool part_of_driver = p && p->driver && in_toolchain_list(applet, driver_internals);
	bool is_shell = da_prog_is_shell(applet);
	const char *script = is_shell ? shell_script(ev) : NULL;
	/* from here on a program the run writes may be a download */
	if (is_net_tool(applet) || (script && script_uses_network(script)))
		st->net_seen = true;
	/* a program the reported shell -c string names is in that finding */
	bool covered = p && p->cover && !is_shell && script_names(p->cover, applet);
	if (p && ev->err == 0) {
		p->builder = (allowed && is_toolchain(applet)) || (setup_command && !own) ||
			     (under_builder && toolchain_or_shell);
		p->driver = in_toolchain_list(applet, drivers) || part_of_driver;
		if (!covered)
			set_str(&p->cover, NULL);
	}
	free(previous);
	if (!own)
		st->n_exec_other++;

	char cmdline[300];
	join_argv(ev, applet, cmdline, sizeof(cmdline));
	note_piped(st, ev, applet, script, is_shell);
	if (!launched_by_dynaudit && ev->argc > 0 && ev->argv && ev->argv[0] &&
	    masquerade_name(ev->argv[0], true, applet) &&
	    !masquerade_name(applet, true, NULL) && st->n_masqs < MAX_MASQ) {
		struct masq *m = &st->masqs[st->n_masqs++];
		m->pid = ev->pid;
		m->t = ev->time_s;
		m->what = strdup(ev->argv[0]);
		m->text = ev->text ? strdup(ev->text) : NULL;
	}

	if (is_memfd_exec(ev)) {
		report(st, "process.memfd_exec", DA_SEV_CRITICAL, ev,
		       "Treat as malicious: the program runs code that exists only in memory.",
		       "Executes an in-memory file (%s)%s%s", ev->path ? ev->path : "memfd",
		       ev->err ? ", failed: " : "", ev->err ? (ev->errname ? ev->errname : "error") : "");
		return;
	}
	if (is_shell && !own)
		st->n_shells++;
	/* a link the target made is judged by the file it leads to */
	const char *real = link_resolve(st, ev->path);
	bool via_link = real && ev->path && real != ev->path;
	bool writable = via_link ? in_writable_place(st, real) || in_writable_place(st, ev->path)
				 : in_writable_place(st, ev->path);
	if (via_link && in_system_dir(real) && !created_has(st, real))
		writable = false; /* .venv/bin/python -> /usr/bin/python3.11 */
	bool unresolved_link = via_link && writable && !in_writable_place(st, real);
	/* a shell, interpreter or network tool copied into the workdir is
	 * judged as a dropped file, never as generated code */
	bool generated = !via_link && generated_in_workdir(st, ev->path) && !is_shell &&
			 !is_net_tool(applet) && !in_version_list(applet, code_interpreters) &&
			 !stdio_on_inet_socket(ev);
	if (!allowed && !(setup && path_under(ev->path, st->host->run->workdir)) && writable &&
	    !part_of_driver) {
		if (generated)
			report(st, "process.exec_writable", DA_SEV_LOW, ev,
			       "Check that the generated program is the assignment's own code generation.",
			       "Runs a program it generated in its workdir: %.250s", cmdline);
		else if (unresolved_link)
			report(st, "process.exec_writable", DA_SEV_MEDIUM, ev,
			       "Check what the link leads to; programs dropped at run time are a backdoor pattern.",
			       "Executes a file in a writable location (possibly a link): %s -> %s", ev->path, real);
		else if (via_link)
			report(st, "process.exec_writable", DA_SEV_HIGH, ev,
			       "Find out where the file came from; programs dropped at run time are a backdoor pattern.",
			       "Executes a file from a writable location: %s (a link to %s)", ev->path, real);
		else
			report(st, "process.exec_writable", DA_SEV_HIGH, ev,
			       "Find out where the file came from; programs dropped at run time are a backdoor pattern.",
			       "Executes a file from a writable location: %s", ev->path);
	} else if (is_shell && !launched_by_dynaudit && stdio_on_inet_socket(ev)) {
		report(st, "process.shell", DA_SEV_CRITICAL, ev,
		       "Treat as a backdoor: a shell whose input/output is a socket is remote control.",
		       "Spawns a shell with its stdin/stdout on a socket (remote shell): %.250s", cmdline);
	} else if (is_shell && !allowed) {
		if (script)
			report_shell_script(st, ev, applet, script, p);
		else
			report(st, "process.shell", DA_SEV_HIGH, ev,
			       "Remove the shell invocation or add the shell to allow_exec if it is expected.",
			       "Spawns a shell: %.250s", cmdline);
	} else if (is_shell && own && script && !launched_by_dynaudit && !setup && !by_config) {
		/* `sh run.sh` starting `sh -c '...'`: the same shell, new code */
		report_shell_script(st, ev, applet, script, p);
	} else if (!launched_by_dynaudit && !setup_command &&
		   check_inline_code(st, ev, applet, setup, by_config)) {
		/* the inline-code finding says what runs */
	} else if (!allowed && !covered && !part_of_driver &&
		   !recon_name(ev->argv, ev->argv ? (size_t)ev->argc : 0)) {
		bool quiet = setup && !is_net_tool(applet);
		/* everyday tools, and the submission's own programs */
		bool ordinary = in_toolchain_list(applet, ordinary_tools) ||
				(ev->path && path_under(ev->path, st->host->run->workdir) &&
				 !created_has(st, ev->path) && !via_link);
		/* a command found nowhere on PATH (a shell's typo test): nothing
		 * ran; trying a network tool still says what was wanted */
		bool missing = (ev->err == ENOENT || ev->err == ENOTDIR) && !is_net_tool(applet);
		report(st, "process.exec_unlisted",
		       quiet ? DA_SEV_INFO : (ordinary || missing) ? DA_SEV_LOW : DA_SEV_MEDIUM, ev,
		       "Check that this program is needed; add it to allow_exec if it is.",
		       "Runs a program not in allow_exec%s: %.250s%s", quiet ? " (setup phase)" : "",
		       cmdline, missing ? " (not found: nothing ran)" : "");
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
	if (script)
		scan_shell_command(st, ev, script, found_recon);
}

/* Judge the exec a process held back (a failed PATH-search attempt). */
static void flush_held(struct state *st, struct proc *p)
{
	if (!p || !p->held)
		return;
	struct held_exec *h = p->held;
	p->held = NULL;
	judge_exec(st, &h->ev);
	held_free(h);
}

/*
 * execvp and friends try each PATH directory in turn: ENOENT, ENOENT, then
 * success, all with the same argv in the same process.  That is one
 * attempt, judged once: a failed exec is held until the process tries
 * again (the retry replaces it), tries something else, ends, or the input
 * ends (then the last failure is the attempt).
 */
static void on_exec(struct state *st, const struct da_event *ev)
{
	struct proc *p = proc_get(st, ev->pid, ev->ppid);
	if (p && p->held) {
		if (same_argv(&p->held->ev, ev)) {
			held_free(p->held);
			p->held = NULL;
		} else {
			flush_held(st, p);
		}
	}
	bool retryable = ev->err == ENOENT || ev->err == EACCES || ev->err == ENOTDIR;
	if (p && retryable && !is_memfd_exec(ev)) {
		p->held = held_copy(ev);
		if (p->held)
			return;
	}
	/* bytes a connection sent moments before, now on a command line
	 * (the live tracer's arg[2]: 1 + that argv index) */
	if (!ev->err && ev->arg[2] > 0 && ev->arg[2] <= ev->argc && ev->argv && ev->argv[ev->arg[2] - 1])
		report(st, "process.remote_exec", DA_SEV_CRITICAL, ev,
		       "Treat as a backdoor: the program runs what a network peer sent it.",
		       "Runs %s with '%.200s' on its command line, received from a network connection moments before (remote command execution)",
		       ev->path ? base_name(ev->path) : "a program", ev->argv[ev->arg[2] - 1]);
	judge_exec(st, ev);
}

/* A wait that ends after the observation window: whatever comes next was
 * not seen (a delayed payload waits out a short audit).  Short waits near
 * the end are ordinary; a heartbeat crossing the end is worth knowing;
 * one call waiting the whole window or longer before the program did
 * anything observable is the time-bomb pattern (judged at the end: output
 * lines are captured a little after they are written). */
/* A process idle in a timed wait when the window closed (epoll_wait,
 * futex, poll...: node's setTimeout, python's Event.wait, Java's sleep).
 * Only its remaining time is known, so it is judged as a long sleep made
 * at the end, against what the whole run did before. */
static void on_pending_wait(struct state *st, const struct da_event *ev)
{
	/* which waits count is the source's business (tracer_waits.c) */
	if (ev->arg[0] < 10 || st->n_sleeps >= MAX_SLEEPS ||
	    (ev->phase && strcmp(ev->phase, "setup") == 0))
		return;
	struct long_sleep *s = &st->sleeps[st->n_sleeps++];
	s->pid = ev->pid;
	s->t = ev->time_s;
	s->wait = ev->arg[0];
	s->text = ev->text ? strdup(ev->text) : NULL;
	s->pending = strdup(ev->syscall);
	s->short_sleeps = 0;
	s->cut = false;
	s->timer = false;
}

/* A wait split into sleeps shorter than a second (a time bomb evading
 * long_sleep): their total by the window's end.  Judged at finish, against
 * the whole run: a poller that shows work is not this. */
static void on_short_sleeps(struct state *st, const struct da_event *ev)
{
	double window = st->host->run->duration_s;
	if (window <= 0 || (double)ev->arg[0] < 0.8 * window || st->n_sleeps >= MAX_SLEEPS ||
	    (ev->phase && strcmp(ev->phase, "setup") == 0))
		return;
	struct long_sleep *s = &st->sleeps[st->n_sleeps++];
	s->pid = ev->pid;
	s->t = ev->time_s;
	s->wait = ev->arg[0];
	s->text = ev->text ? strdup(ev->text) : NULL;
	s->pending = NULL;
	s->cut = false;
	s->timer = false;
	s->short_sleeps = ev->arg[1] > 0 ? ev->arg[1] : 1;
}

static void on_sleep(struct state *st, const struct da_event *ev)
{
	if (ev->syscall && ev->detail && strcmp(ev->detail, "pending") == 0) {
		on_pending_wait(st, ev);
		return;
	}
	if (ev->syscall && ev->detail && strcmp(ev->detail, "short sleeps") == 0) {
		on_short_sleeps(st, ev);
		return;
	}
	/* A timer cut by skip_sleeps fired within the window: the wait it
	 * asked for is judged as a sleep that long (left alone, it is seen
	 * pending at the end instead, tracer_waits.c). */
	bool timer = ev->syscall && ev->detail && strcmp(ev->detail, "timer cut") == 0;
	bool wait_cut = ev->syscall && ev->detail && strcmp(ev->detail, "cut") == 0; /* poll, futex... */
	if (!ev->syscall || (!timer && !wait_cut && strcmp(ev->syscall, "nanosleep") != 0 &&
			     strcmp(ev->syscall, "clock_nanosleep") != 0))
		return;
	bool setup = ev->phase && strcmp(ev->phase, "setup") == 0;
	/* a thread sleeping again woke up from its previous sleep: a loop */
	if (!setup && !timer) {
		if (int_in(st->sleeping_tids, st->n_sleeping, ev->tid))
			note_activity(st, ev->time_s);
		else if (st->n_sleeping < MAX_SLEEPS)
			st->sleeping_tids[st->n_sleeping++] = ev->tid;
	}
	double window = st->host->run->duration_s;
	int64_t wait = ev->arg[0];
	if (wait < 10 || window <= 0 || ev->time_s + (double)wait <= window)
		return;
	if ((double)wait >= window && !setup && st->n_sleeps < MAX_SLEEPS) {
		struct long_sleep *s = &st->sleeps[st->n_sleeps++];
		s->pid = ev->pid;
		s->t = ev->time_s;
		s->wait = wait;
		s->text = ev->text ? strdup(ev->text) : NULL;
		s->cut = timer || (ev->detail && strcmp(ev->detail, "cut") == 0);
		s->timer = timer;
		s->pending = timer ? strdup(ev->syscall) : NULL;
		return;
	}
	report(st, "process.long_sleep", DA_SEV_INFO, ev,
	       "Re-run with a longer target.duration to see what follows the wait.",
	       "Waits %lld s from %.1f s on, past the end of the %.0f s observation window",
	       (long long)wait, ev->time_s, window);
}

static void report_long_sleeps(struct state *st)
{
	double window = st->host->run->duration_s;
	for (size_t i = 0; i < st->n_sleeps; i++) {
		const struct long_sleep *s = &st->sleeps[i];
		bool after_work = st->activity_seen && st->first_activity_s <= s->t;
		struct da_event ev = {.struct_size = sizeof(ev), .pid = s->pid, .time_s = s->t,
				      .text = s->text};
		if (s->short_sleeps > 0) {
			/* a poller shows work between its naps; a cut-up wait shows
			 * nothing once the naps began (a line printed first is a
			 * cheap cover) */
			bool idle = !st->activity_seen || st->last_activity_s <= s->t - 0.8 * (double)s->wait;
			if (idle && !st->listening)
				report(st, "process.long_sleep", DA_SEV_MEDIUM, &ev,
				       "Re-run with a longer target.duration to see what it does after the wait.",
				       "Spends %lld s of the %.0f s window asleep in %lld sleeps under a second each, doing nothing observable meanwhile (one long wait, cut up)",
				       (long long)s->wait, window, (long long)s->short_sleeps);
			continue;
		}
		/* A wait at least as long as the whole window hides what comes
		 * after it, whether or not a line was printed first (a cover is
		 * cheap): medium.  A server waits by design, and a shorter
		 * wait (a server's 30 s housekeeping) is information. */
		bool hides = (double)s->wait >= window && !st->listening;
		if (s->timer) {
			report(st, "process.long_sleep", hides ? DA_SEV_MEDIUM : DA_SEV_INFO, &ev,
			       "Find out what the program does when its timer fires.",
			       "Arms a timer with %s for %lld s from %.1f s on, longer than the whole %.0f s observation window%s; the timer was cut short, so what it triggers ran in the window",
			       s->pending, (long long)s->wait, s->t, window,
			       after_work ? "" : ", before doing anything observable");
			continue;
		}
		if (s->pending) {
			report(st, "process.long_sleep", hides ? DA_SEV_MEDIUM : DA_SEV_INFO, &ev,
			       "Re-run with a target.duration longer than the wait to see what it does afterwards.",
			       "Is still waiting for a timer in %s when the %.0f s window closes: it wakes up in %lld s%s",
			       s->pending, window, (long long)s->wait,
			       after_work ? "" : ", and did nothing observable before");
			continue;
		}
		/* cut by skip_sleeps: what followed ran and was judged */
		const char *cut = s->cut ? "; the sleep was cut short, so what follows it ran in the window" : "";
		if (after_work)
			report(st, "process.long_sleep", hides ? DA_SEV_MEDIUM : DA_SEV_INFO, &ev,
			       "Re-run with a target.duration longer than the wait to see the next round.",
			       "Waits %lld s in one call from %.1f s on, after some visible work, longer than the whole %.0f s observation window%s",
			       (long long)s->wait, s->t, window, cut);
		else
			report(st, "process.long_sleep", DA_SEV_MEDIUM, &ev,
			       "Re-run with a target.duration longer than the wait to see what it does afterwards.",
			       "Waits %lld s in one call from %.1f s on, before doing anything observable, longer than the whole %.0f s observation window%s",
			       (long long)s->wait, s->t, window, cut);
	}
}

/*
 * Signals sent with kill/tkill/tgkill/rt_sigqueueinfo: to its own
 * processes and threads they are ordinary; to every process (-1), to
 * pid 1, or to processes and groups it did not create they reach beyond
 * the submission.
 */
static void on_signal(struct state *st, const struct da_event *ev)
{
	if (!ev->syscall)
		return; /* a signal delivered to the target, not sent by it */
	int target = ev->target_pid;
	if (target == 0 || target == ev->pid || target == ev->tid)
		return; /* its own group (or pidfd_send_signal: target unknown) */
	char sig[48];
	if (ev->detail)
		snprintf(sig, sizeof(sig), "%.40s", ev->detail);
	else
		snprintf(sig, sizeof(sig), "signal %lld", (long long)ev->arg[0]);
	bool probe = ev->arg[0] == 0;
	const char *how = ev->err ? " (failed)" : "";
	if (target == -1) {
		report(st, "process.signal", probe ? DA_SEV_MEDIUM : DA_SEV_HIGH, ev,
		       "Find out why the program signals every process it can reach; that is an attack on the host.",
		       "Sends %s to every process it can reach (kill -1)%s", sig, how);
		return;
	}
	if (target == 1 && st->main_pid != 1) {
		report(st, "process.signal", probe ? DA_SEV_MEDIUM : DA_SEV_HIGH, ev,
		       "Find out why the program signals the init process; that is an attack on the host.",
		       "Sends %s to pid 1 (init)%s", sig, how);
		return;
	}
	int who = target < 0 ? -target : target;
	if (proc_find(st, who) || int_in(st->tids, st->n_tids, who))
		return; /* one of its own */
	if (target < 0)
		report(st, "process.signal", probe ? DA_SEV_LOW : DA_SEV_MEDIUM, ev,
		       "Find out which processes the program signals; they are not its own.",
		       "Sends %s to a process group that is not its own%s", sig, how);
	else
		report(st, "process.signal", probe ? DA_SEV_LOW : DA_SEV_MEDIUM, ev,
		       "Find out which processes the program signals; they are not its own.",
		       probe ? "Probes for a process that is not its own (signal 0)%s"
			     : "Sends %s to a process that is not its own%s",
		       probe ? how : sig, how);
}

/* A process snapshot row: "USER PID PPID STAT ELAPSED COMMAND".  A
 * command line rewritten to pass for a kernel thread or a daemon. */
/* shown is "[comm]" (trailing blanks allowed) and comm is the base name
 * of image, or its first 15 characters (the kernel's comm limit). */
static bool brackets_own_comm(const char *shown, const char *image)
{
	if (!image || !*image || shown[0] != '[')
		return false;
	size_t len = strcspn(shown + 1, "]");
	const char *rest = shown + 1 + len;
	if (len == 0 || *rest != ']' || rest[1 + strspn(rest + 1, " ")] != '\0')
		return false;
	if (len == strlen(image))
		return strncmp(shown + 1, image, len) == 0;
	return len == 15 && strlen(image) > 15 && strncmp(shown + 1, image, 15) == 0;
}

static void on_snapshot(struct state *st, const struct da_event *ev)
{
	if (ev->pid <= 0 || !ev->detail || st->n_masqs >= MAX_MASQ)
		return;
	const char *p = ev->detail;
	char stat[16] = "";
	for (int field = 0; field < 5 && *p; field++) {
		while (*p == ' ')
			p++;
		size_t len = strcspn(p, " ");
		if (field == 3)
			snprintf(stat, sizeof(stat), "%.*s", (int)(len < 15 ? len : 15), p);
		p += len;
	}
	while (*p == ' ')
		p++;
	/* a zombie (or a dying process, X) shows "[comm]": only a kernel or
	 * daemon name counts then */
	bool zombie = stat[0] == 'Z' || stat[0] == 'X';
	if (!*p || !masquerade_name(p, !zombie, ev->path))
		return;
	if (ev->path && masquerade_name(base_name(ev->path), false, NULL))
		return; /* it really is that program */
	/* ps also shows "[comm]" when the command line is empty: a process
	 * exiting (its memory already gone) or between fork and exec.  When
	 * the brackets hold the name of the program the pid last ran (cc1),
	 * or the pid has ended, that is all it is; a kernel thread's or
	 * daemon's name is never excused. */
	const struct proc *proc = proc_find(st, ev->pid);
	if (proc && !masquerade_name(p, false, ev->path) &&
	    (!proc->alive || brackets_own_comm(p, proc->image)))
		return;
	for (size_t i = 0; i < st->n_masqs; i++)
		if (st->masqs[i].pid == ev->pid)
			return;
	struct masq *m = &st->masqs[st->n_masqs++];
	m->pid = ev->pid;
	m->t = ev->time_s;
	m->what = strdup(p);
	m->text = ev->text ? strdup(ev->text) : NULL;
}

static void report_masquerades(struct state *st)
{
	for (size_t i = 0; i < st->n_masqs; i++) {
		const struct masq *m = &st->masqs[i];
		bool connects = int_in(st->connected, st->n_connected, m->pid);
		struct da_event ev = {.struct_size = sizeof(ev), .pid = m->pid, .time_s = m->t,
				      .text = m->text};
		report(st, "process.masquerade", connects ? DA_SEV_HIGH : DA_SEV_MEDIUM, &ev,
		       "Treat as hiding: a submission has no reason to pass for a kernel thread or a system daemon.",
		       "A process passes itself off as a kernel thread or system daemon (%.60s)%s",
		       m->what ? m->what : "?", connects ? " and connects out" : "");
	}
}

/* `curl URL | sh`: a shell of the target reading its commands from a pipe
 * while a sibling downloads into one (a shell not already reported). */
static void report_piped_downloads(struct state *st)
{
	for (size_t i = 0; i < st->n_pipe_shells; i++) {
		const struct piped *s = &st->pipe_shells[i];
		for (size_t j = 0; j < st->n_downloads; j++) {
			const struct piped *d = &st->downloads[j];
			if (d->ppid != s->ppid || d->pid == s->pid || d->t - s->t > 2.0 || s->t - d->t > 2.0)
				continue;
			const char *evidence[2] = {d->text, s->text};
			char message[200];
			snprintf(message, sizeof(message),
				 "Runs downloaded commands: a shell reads its script from a pipe fed by %s",
				 d->name ? d->name : "a download");
			struct da_finding f = {
				.struct_size = sizeof(f),
				.rule = "process.shell",
				.severity = DA_SEV_HIGH,
				.message = message,
				.pid = s->pid,
				.time_s = s->t,
				.evidence = evidence,
				.n_evidence = (d->text ? 1u : 0u) + (s->text ? 1u : 0u),
				.recommendation = "Treat as a dropper: commands fetched at run time are not the submission's code.",
			};
			if (!d->text)
				evidence[0] = s->text;
			st->host->emit(st->host, &f);
			if (st->n_flagged++ == 0)
				snprintf(st->first_flagged, sizeof(st->first_flagged), "%.199s", message);
			break;
		}
	}
}

/* Observable work of the run phase (for long_sleep), inet connects (for
 * masquerade). */
static void on_activity(struct state *st, const struct da_event *ev)
{
	bool inet = ev->kind == DA_EV_NET_CONNECT &&
		    (ev->family == 2 || ev->family == 10 ||
		     (ev->fd_desc && strncmp(ev->fd_desc, "socket:inet", 11) == 0));
	/* any attempt, in any phase: what the run writes afterwards may be
	 * what it fetched (exec_writable) */
	if (inet)
		st->net_seen = true;
	if (ev->phase && strcmp(ev->phase, "setup") == 0)
		return;
	switch (ev->kind) {
	case DA_EV_OUTPUT:
		/* results on stdout (not warnings on stderr, like a loader's
		 * complaint about LD_PRELOAD); captured after it was written,
		 * so the line may predate a sleep */
		if (ev->fd == 1)
			note_activity(st, ev->time_s - OUTPUT_LAG_S);
		break;
	case DA_EV_NET_LISTEN: /* a server is up: waiting is its job */
		if (ev->err == 0) {
			note_activity(st, ev->time_s);
			st->listening = true;
		}
		break;
	case DA_EV_NET_CONNECT:
		/* not the C library asking nscd for a user name (a failed unix
		 * connect): nothing observable happened */
		if (ev->family != 1 || ev->err == 0)
			note_activity(st, ev->time_s);
		if (inet && !int_in(st->connected, st->n_connected, ev->pid) && st->n_connected < MAX_MASQ)
			st->connected[st->n_connected++] = ev->pid;
		break;
	default:
		break;
	}
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
	/* threads count against the same limit (pids.max counts tasks): a
	 * thread bomb, or a program that starts far more threads than cores */
	if (ev->err == EAGAIN && thread && !setup && !st->thread_limit_reported) {
		st->thread_limit_reported = true;
		report(st, "process.runaway", DA_SEV_MEDIUM, ev,
		       "Look for a thread-creation loop; the program hit the task limit.",
		       "Thread creation failed with EAGAIN: the task limit (sandbox.limits.processes) was hit");
		return;
	}
	if (thread && ev->target_pid > 0 && st->n_tids < MAX_TIDS &&
	    !int_in(st->tids, st->n_tids, ev->target_pid))
		st->tids[st->n_tids++] = ev->target_pid;
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
		if (parent && parent->cover && !child->cover)
			set_str(&child->cover, parent->cover);
		if (parent && parent->driver)
			child->driver = true;
		if (parent && !child->session)
			child->session = parent->session;
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
	/* its session (a setsid before) outlived its parent: see report_setsids */
	struct proc *leader = p->session ? proc_find(st, p->session) : NULL;
	if (leader)
		leader->session_outlived = true;
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
	flush_held(st, p); /* its last exec attempt failed */
	if (p && p->alive) {
		p->alive = false;
		if (p->orphaned_at >= 0 && ev->time_s - p->orphaned_at >= LINGER_S)
			report_lingering(st, p, ev->time_s, "its parent exited");
	}
	process_ended(st, ev->pid, ev->time_s);
}

static void on_session(struct state *st, const struct da_event *ev)
{
	/* prctl(PR_SET_NAME): the name ps and top show from now on */
	if (ev->detail && strcmp(ev->detail, "PR_SET_NAME") == 0) {
		if (ev->raw_path && masquerade_name(ev->raw_path, true, NULL) && st->n_masqs < MAX_MASQ) {
			for (size_t i = 0; i < st->n_masqs; i++)
				if (st->masqs[i].pid == ev->pid)
					return;
			struct masq *m = &st->masqs[st->n_masqs++];
			m->pid = ev->pid;
			m->t = ev->time_s;
			m->what = strdup(ev->raw_path);
			m->text = ev->text ? strdup(ev->text) : NULL;
		}
		return;
	}
	if (!ev->syscall || strcmp(ev->syscall, "setsid") != 0 || ev->pid == st->main_pid)
		return;
	if (ev->phase && strcmp(ev->phase, "setup") == 0)
		return;
	/* judged at the end: a test harness starting a server in its own
	 * session (Popen(start_new_session=True), then killpg) is not a
	 * daemon; the session outliving its parent is */
	struct proc *p = proc_get(st, ev->pid, ev->ppid);
	if (!p || p->setsid_text)
		return;
	p->session = ev->pid;
	p->setsid_t = ev->time_s;
	p->setsid_text = strdup(ev->text ? ev->text : "setsid()");
	snprintf(p->setsid_note, sizeof(p->setsid_note), "%s%.30s", ev->err ? ", failed: " : "",
		 ev->err ? (ev->errname ? ev->errname : "error") : "");
}

/* Each setsid of a child: medium when the process or anything in its new
 * session outlived its parent or the main program (a double fork
 * included: report_lingering marks the session), low when the session
 * ended with its parent still there. */
static void report_setsids(struct state *st)
{
	for (size_t i = 0; i < st->n_procs; i++) {
		const struct proc *p = &st->procs[i];
		if (!p->setsid_text)
			continue;
		struct da_event ev = {.struct_size = sizeof(ev), .pid = p->pid, .time_s = p->setsid_t,
				      .text = p->setsid_text};
		if (p->session_outlived)
			report(st, "process.daemon", DA_SEV_MEDIUM, &ev,
			       "Check why a child process detaches into its own session; daemons are a backdoor pattern.",
			       "A child process detaches into a new session that outlives its parent (setsid%s)",
			       p->setsid_note);
		else
			report(st, "process.daemon", DA_SEV_LOW, &ev,
			       "Check why the child runs in its own session; it did not outlive its parent (a test harness's server does this).",
			       "A child process starts a new session (setsid%s) that did not outlive its parent",
			       p->setsid_note);
	}
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
	case DA_EV_FILE_MKDIR:
		break;
	default:
		return;
	}
	/* creating files and directories is observable work (not a runtime's
	 * own start-up files: python's byte-code cache, the JVM's perf data
	 * and its write to /proc/self/coredump_filter) */
	if (!setup && !ev->err && path && !strstr(path, "/__pycache__/") &&
	    !strstr(path, "/hsperfdata_") && !path_under(path, "/proc") && !path_under(path, "/sys") &&
	    !path_under(path, "/dev"))
		note_activity(st, ev->time_s);
	if (ev->kind == DA_EV_FILE_MKDIR)
		return;
	if (ev->kind == DA_EV_FILE_LINK && ev->detail && strcmp(ev->detail, "symlink") == 0) {
		/* a symlink is judged by what it leads to (a venv's bin/python) */
		if (!ev->err)
			link_add(st, path, ev->path2);
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
	case DA_EV_PROC_SIGNAL:
		on_signal(st, ev);
		break;
	case DA_EV_PROC_SNAPSHOT:
		on_snapshot(st, ev);
		break;
	case DA_EV_OUTPUT:
	case DA_EV_NET_CONNECT:
	case DA_EV_NET_LISTEN:
		on_activity(st, ev);
		break;
	case DA_EV_NET_ACCEPT:
		/* a connection from an inet client (not a unix socket) */
		if (!setup && ev->err == 0 && ev->pid > 0 &&
		    (ev->family == 2 || ev->family == 10 ||
		     (ev->fd_desc && strncmp(ev->fd_desc, "socket:inet", 11) == 0))) {
			struct proc *sp = proc_get(st, ev->pid, ev->ppid);
			if (sp)
				sp->served = true;
		}
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
	for (size_t i = 0; i < st->n_procs; i++)
		flush_held(st, &st->procs[i]);
	report_long_sleeps(st);
	report_masquerades(st);
	report_piped_downloads(st);
	for (size_t i = 0; i < st->n_procs; i++) {
		const struct proc *p = &st->procs[i];
		if (p->alive && p->orphaned_at >= 0 && p->pid != st->main_pid)
			report_lingering(st, p, p->orphaned_at,
					 st->main_exited ? "the main program exited" : "its parent exited");
	}
	report_setsids(st);
	if (st->procs_dropped || st->created_dropped)
		st->host->log(st->host, 1, "process: %zu processes and %zu paths not remembered (limits reached)",
			      st->procs_dropped, st->created_dropped);

	char observation[128], remarks[384];
	if (st->n_forks == 0 && st->n_exec_other == 0) {
		st->host->set_summary(st->host, "None", "No subprocesses or shell activity");
		return 0;
	}
	/* The same count as the report's "N child processes created" line:
	 * child processes, or (a program that only exec'd others) programs. */
	if (st->n_forks > 0)
		snprintf(observation, sizeof(observation), "%zu child process%s%s", st->n_forks,
			 st->n_forks == 1 ? "" : "es", st->n_shells ? ", shell spawned" : "");
	else
		snprintf(observation, sizeof(observation), "%zu program%s run%s", st->n_exec_other,
			 st->n_exec_other == 1 ? "" : "s", st->n_shells ? ", shell spawned" : "");
	/* The first flagged behaviour leads (a shell outranks the id it ran);
	 * a recon finding leading is already the recon list's first entry. */
	if (st->first_is_recon && st->recon_seen[0])
		snprintf(remarks, sizeof(remarks), "Reconnaissance commands run: %s", st->recon_seen);
	else if (st->first_flagged[0] && st->recon_seen[0])
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
		free(st->procs[i].cover);
		free(st->procs[i].setsid_text);
		held_free(st->procs[i].held);
	}
	for (size_t i = 0; i < st->n_links; i++) {
		free(st->link_from[i]);
		free(st->link_to[i]);
	}
	for (size_t i = 0; i < st->n_pipe_shells; i++) {
		free(st->pipe_shells[i].text);
		free(st->pipe_shells[i].name);
	}
	for (size_t i = 0; i < st->n_downloads; i++) {
		free(st->downloads[i].text);
		free(st->downloads[i].name);
	}
	for (size_t i = 0; i < st->n_masqs; i++) {
		free(st->masqs[i].what);
		free(st->masqs[i].text);
	}
	for (size_t i = 0; i < st->n_sleeps; i++) {
		free(st->sleeps[i].text);
		free(st->sleeps[i].pending);
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
		(1ull << DA_EV_PROC_SIGNAL) | (1ull << DA_EV_PROC_SESSION) | (1ull << DA_EV_FILE_OPEN) |
		(1ull << DA_EV_FILE_RENAME) | (1ull << DA_EV_FILE_CHMOD) | (1ull << DA_EV_FILE_LINK) |
		(1ull << DA_EV_FILE_MKDIR) | (1ull << DA_EV_NET_CONNECT) | (1ull << DA_EV_NET_LISTEN) |
		(1ull << DA_EV_NET_ACCEPT),
		(1ull << (DA_EV_TARGET_EXIT - 64)) | (1ull << (DA_EV_SYSCALL_OTHER - 64)) |
		(1ull << (DA_EV_OUTPUT - 64)) | (1ull << (DA_EV_PROC_SNAPSHOT - 64)),
	},
	.init = process_init,
	.on_event = process_on_event,
	.finish = process_finish,
	.destroy = process_destroy,
};

DYNAUDIT_PLUGIN(process_plugin)

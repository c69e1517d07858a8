/*
 * file.c — detector "file" (category "File Access").
 *
 * Judges every path the target opens or changes: secrets it reads, places
 * it writes outside the allowed ones, persistence hooks it plants and
 * executables it drops.  Attempts count whether they succeeded or not: the
 * result ("failed: EACCES") is in the message.
 *
 * Options (plugins: file: {...}):
 *   sensitive    list of extra sensitive paths or globs, ADDED to the
 *                built-in list below (libdynaudit-sdk's da_path_sensitive_globs,
 *                the list backdoor's exfiltration rule reads too); "~" means the target's HOME.  A
 *                pattern also covers everything below it.
 *   allow_write  list of places writes may go: the words workdir, tmp
 *                (/tmp, /var/tmp, /dev/shm), home, or paths/globs ("~/out").
 *                Default: [workdir, tmp, home].
 *
 * Rules (id, severity, trigger; what is deliberately ignored):
 *   file.sensitive_read   high     an open without write access of a
 *                         sensitive path: /etc/shadow,
 *                         /etc/gshadow, /etc/sudoers(.d), SSH host keys,
 *                         ~/.ssh and /home/x/.ssh, /root, cloud and tool
 *                         credentials (~/.aws, ~/.config/gcloud, ~/.azure,
 *                         ~/.kube, ~/.docker/config.json, .netrc,
 *                         .git-credentials, .pgpass, ~/.gnupg, registry and
 *                         forge tokens (.npmrc, .pypirc, gh, vault, rclone,
 *                         terraform, maven, gradle, cargo, s3cfg, boto),
 *                         shell/REPL histories, keyrings and wallets), TLS and
 *                         VPN keys (/etc/ssl/private, /etc/wireguard,
 *                         NetworkManager connections), /dev/mem, /dev/kmem,
 *                         /proc/kcore, /proc/1/ns, /sys/kernel/debug, other
 *                         users' homes (/home/x not HOME), /proc/PID/{mem,
 *                         environ,maps,...} of another process (not by ps,
 *                         top, pgrep...: they read them all), plus
 *                         `sensitive`.  A tool's own token file read by that
 *                         tool (~/.npmrc by npm, ~/.m2/settings.xml by mvn...)
 *                         or in the setup phase is not one.  Also: symlink()
 *                         or link() to a sensitive path or to a directory
 *                         holding one (/etc, /root, ~/.ssh, /): reads
 *                         through the link bypass path checks; failed or not.
 *   file.sensitive_write  high     an open with write access (O_WRONLY or
 *                         O_RDWR) of a sensitive path: a credential
 *                         overwritten or a key planted.
 *                         Not when file.persistence covers the path
 *                         (authorized_keys, /etc/shadow, /etc/sudoers).
 *   file.account_db       info     /etc/passwd or /etc/group read (glibc's
 *                         getpwuid does this); low when read by a shell or a
 *                         text tool (cat, head, grep...) other than through
 *                         glibc's lookup (which opens it close-on-exec),
 *                         i.e. enumeration.
 *   file.persistence      high     write, create, rename-to, link or mkdir at
 *                         a persistence location: shell rc files (~/.bashrc,
 *                         ~/.profile, ~/.zshrc...), /etc/profile(.d), cron,
 *                         systemd units (/etc/systemd, ~/.config/systemd),
 *                         XDG autostart, /etc/rc.local, /etc/init.d,
 *                         /etc/passwd, /etc/shadow, /etc/sudoers, and cron
 *                         tables staged outside the workdir (a cron/ or
 *                         crontabs/ dir, a file named crontab, e.g.
 *                         /tmp/cron/user), ~/.xsessionrc, ~/.pam_environment,
 *                         ~/.config/environment.d, ~/.vimrc, pip.conf,
 *                         ~/.npmrc, ~/.gitconfig, ~/.ssh/config, desktop
 *                         entries, ~/.local/bin (PATH hijack; not by pip in
 *                         the setup phase), and a link at a directory
 *                         holding such a location (~/.ssh -> /tmp/x); critical
 *                         for authorized_keys and /etc/ld.so.preload.  Also
 *                         inside the private HOME: it is an attempt,
 *                         at full strength even when it failed.  Also: rc
 *                         names (.bashrc, .kshrc, .xinitrc...), .ssh/rc,
 *                         authorized_keys, sitecustomize.py in any
 *                         directory outside the workdir (another user's
 *                         home, a HOME copied to /tmp), *.pth in a
 *                         *-packages dir, git hooks (in the workdir too;
 *                         not *.sample), /etc/ssh/sshd_config, /etc/skel.
 *                         The list is libdynaudit-sdk's (da_path_persistence),
 *                         shared with backdoor; this rule is the one owner
 *                         of a persistence write (backdoor does not score
 *                         it again).
 *   file.write_outside    high     write/create/unlink/rename/chmod/chown/
 *                         truncate/link/mkdir in a system path (/etc, /usr,
 *                         /bin, /sbin, /lib*, /boot, /root, /var except
 *                         /var/tmp, /opt, /sys, /proc, /dev); medium
 *                         anywhere else outside allow_write.  low when
 *                         an open or mkdir failed with ENOENT, EACCES,
 *                         EROFS, EPERM or EEXIST (nothing was written),
 *                         except where a planted file would hijack the
 *                         system (PATH directories, /etc/hosts,
 *                         /etc/resolv.conf, /etc/nsswitch.conf) or a write
 *                         crashes or escapes the host (/proc/sysrq-trigger,
 *                         /proc/sys/... e.g. core_pattern, /sys/...): high.  info for
 *                         state files libraries keep themselves (libuuid's
 *                         /var/lib/libuuid/clock.txt, fontconfig caches,
 *                         Java's /etc/.java prefs).  Ignores /dev/null,
 *                         /dev/tty, /dev/pts, /dev/shm, /proc/self,
 *                         bytecode caches (__pycache__), and a mkdir that
 *                         fails with EEXIST (`mkdir -p` probing parents).
 *   file.exec_created     high     a file created executable (mode & 0111,
 *                         so 0700 too) or chmod +x outside the workdir,
 *                         /dev/shm included.  Inside the workdir it is a
 *                         build and is ignored, as are directories the
 *                         target made and device nodes under /dev.
 * Links: the run's own symlinks and hard links are remembered; a path
 * below a link is judged again at its target (open "cfg/gshadow" with
 * cfg -> /etc reads /etc/gshadow), and a path below a link's target again
 * at the link (a key written to /tmp/x/authorized_keys with ~/.ssh -> /tmp/x
 * is planted in ~/.ssh); such findings say "through a link the run made".
 * The links a submission ships (announced by the core as DA_EV_FILE_LINK
 * with phase "submission" before the target starts) are remembered the
 * same way: shipping a link to a secret is medium by itself, a read
 * through it is judged as a read of the secret ("through a link the
 * submission ships").
 * Relative paths (core could not resolve them) are taken as relative to the
 * workdir.  Summary: "Local only" / "None" + "No sensitive paths accessed".
 */
#include <errno.h>
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

#define MAX_SEEN 4096      /* paths already reported or noted */
#define SEEN_SLOTS 8192
#define MAX_PROCS 4096     /* pid -> program name */
#define PATH_MAX_LEN 4096
#define MAX_LINKS 256      /* links the run made, remembered */
#define MAX_ALIASES 4      /* other names of one path judged */

enum write_action { W_OPEN, W_APPEND, W_CREATE, W_UNLINK, W_RENAME_FROM, W_RENAME_TO, W_CHMOD,
		    W_CHOWN, W_LINK, W_MKDIR, W_TRUNCATE, W_MONITOR };

static const char *const action_verbs[] = {
	[W_OPEN] = "Writes", [W_APPEND] = "Appends to", [W_CREATE] = "Creates", [W_UNLINK] = "Deletes",
	[W_RENAME_FROM] = "Renames away", [W_RENAME_TO] = "Renames a file to",
	[W_CHMOD] = "Changes permissions of", [W_CHOWN] = "Changes owner of",
	[W_LINK] = "Creates a link at", [W_MKDIR] = "Creates directory",
	[W_TRUNCATE] = "Truncates", [W_MONITOR] = "Modifies"};

struct proc_name {
	int pid;
	char name[32];
	char script[32];   /* an interpreter's script or -m module ("npm-cli.js") */
};

/* A link the run made: link (absolute) names target (absolute). */
struct link_alias {
	char *link;
	char *target;
	bool shipped;              /* in the submission as shipped, not made by the run */
};

/* The answers of the sensitive list for the last paths asked: a program
 * opens the same few paths again and again, and each open is judged
 * against the whole list (some seventy patterns, a microsecond). */
#define LISTED_SLOTS 64
#define LISTED_PATH 152

struct listed_memo {
	uint32_t hash;             /* 0: empty */
	bool listed;
	char path[LISTED_PATH];
};

struct state {
	const struct da_host *host;
	char **sensitive;          /* expanded patterns: defaults + config */
	size_t n_sensitive;
	char **allow_write;        /* expanded roots / globs */
	size_t n_allow_write;
	char *home_user;           /* "auditor" when HOME is /home/auditor */

	char *seen[SEEN_SLOTS];    /* "r:/path", "w:/path", "d:/dir" ... */
	size_t n_seen;
	struct proc_name procs[MAX_PROCS];
	size_t n_procs;
	struct link_alias links[MAX_LINKS];
	size_t n_links;
	const char *via;           /* path as the program named it, while judging an alias */
	bool via_shipped;          /* ... through a link the submission shipped */
	size_t dropped;

	char *decoys[8];           /* honeytoken files the core planted (syscall "honeytoken_file") */
	size_t n_decoys;

	struct listed_memo listed[LISTED_SLOTS];
	size_t n_events;           /* file events seen */
	size_t n_sensitive_hits, n_write_hits, n_persistence_hits, n_exec_hits;
	char first_flagged[200];
};

/* The built-in sensitive paths and the persistence locations are
 * libdynaudit-sdk's lists (dynaudit/pathclass.h), shared with backdoor. */

/* Tool configuration holding tokens that the tool itself reads on every run
 * (npm its .npmrc, Maven its settings.xml...): not a secret read when that
 * tool reads it, or in the setup phase (the build). */
static const struct {
	const char *pattern;
	const char *const tools[6];
} tool_config[] = {
	{"~/.npmrc", {"npm", "npx", "npm-cli.js", "npx-cli.js", "yarn", "pnpm"}},
	{"~/.pypirc", {"twine", NULL}},
	{"~/.m2/settings.xml", {"mvn", "mvnd", NULL}},
	{"~/.gradle/gradle.properties", {"gradle", "gradlew", NULL}},
	{"~/.cargo/credentials*", {"cargo", NULL}},
	{"~/.local/bin", {"pip", "pip3", "pipx", NULL}},
};

/* Where a planted file would run or answer in place of the system's own
 * (programs on PATH, name resolution): even a refused attempt there shows
 * intent, like an attempt at a persistence location. */
static const char *const hijack_targets[] = {
	"/bin", "/sbin", "/usr/bin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin",
	"/etc/hosts", "/etc/resolv.conf", "/etc/nsswitch.conf", "/etc/ld.so.cache",
	/* kernel knobs: crash the host (sysrq), run a program as root on the
	 * next core dump (core_pattern), or reconfigure the kernel */
	"/proc/sysrq-trigger", "/proc/sys", "/sys", NULL};

/* State files libraries keep on their own, outside any program's say:
 * writing (or failing to create) them is library behaviour. */
static const struct {
	const char *dir;     /* the file is below this directory */
	const char *base;    /* ... with this name (NULL: any) */
	const char *library;
} library_state[] = {
	{"/var/lib/libuuid", NULL, "libuuid keeps its clock there (uuid_generate_time, Python's uuid.uuid1)"},
	{"/var/cache/fontconfig", NULL, "fontconfig caches its font list there"},
	{"/usr/share/fonts", ".uuid", "fontconfig tags its font directories so"},
	{"/usr/local/share/fonts", ".uuid", "fontconfig tags its font directories so"},
	{"/etc/.java", NULL, "Java keeps its system preferences there (java.util.prefs)"},
};

static const char *const system_roots[] = {
	"/etc", "/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/boot", "/root",
	"/var", "/opt", "/sys", "/proc", "/dev", "/snap", NULL};

/* Programs that read the account database to enumerate it. */
#define O_CLOEXEC_FLAG 02000000 /* Linux O_CLOEXEC, spelled out like the kinds */

static const char *const enumerators[] = {
	/* and every shell (da_prog_is_shell) */
	"busybox", "cat",
	"head", "tail", "less", "more", "grep", "egrep", "awk", "gawk", "mawk", "sed", "cut",
	"sort", "strings", "getent", "cp", "base64", "xxd", "od", "nc", "curl", "wget", NULL};

/* ---- helpers ------------------------------------------------------------------ */

static void copy_text(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);
	if (n >= size)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static bool seen_has(const struct state *st, const char *key)
{
	for (size_t i = hash_str(key) % SEEN_SLOTS; st->seen[i]; i = (i + 1) % SEEN_SLOTS)
		if (strcmp(st->seen[i], key) == 0)
			return true;
	return false;
}

/* Remembers key; returns true when it was new (or could not be stored:
 * better a repeated finding than a lost one). */
static bool seen_add(struct state *st, const char *key)
{
	if (seen_has(st, key))
		return false;
	if (st->n_seen >= MAX_SEEN) {
		st->dropped++;
		return true;
	}
	size_t i = hash_str(key) % SEEN_SLOTS;
	while (st->seen[i])
		i = (i + 1) % SEEN_SLOTS;
	st->seen[i] = strdup(key);
	if (st->seen[i])
		st->n_seen++;
	return true;
}

static bool seen_once(struct state *st, char tag, const char *path)
{
	char key[PATH_MAX_LEN + 4];
	snprintf(key, sizeof(key), "%c:%s", tag, path);
	return seen_add(st, key);
}

/* "~/x" -> HOME/x; anything else copied. */
static char *expand_home(const char *pattern, const char *home)
{
	char buf[PATH_MAX_LEN];
	if (pattern[0] == '~' && (pattern[1] == '/' || pattern[1] == '\0'))
		snprintf(buf, sizeof(buf), "%s%s", home ? home : "", pattern + 1);
	else
		snprintf(buf, sizeof(buf), "%s", pattern);
	return strdup(buf);
}

/* A pattern covers the path itself and everything below it
 * (patterns here are already expanded: no HOME needed). */
static bool pattern_covers(const char *pattern, const char *path)
{
	return da_path_covers(pattern, NULL, path);
}

static const char *proc_name(const struct state *st, int pid)
{
	for (size_t i = st->n_procs; i-- > 0;)
		if (st->procs[i].pid == pid)
			return st->procs[i].name;
	return "";
}

static void remember_exec(struct state *st, const struct da_event *ev)
{
	const char *path = ev->path ? ev->path : ev->raw_path;
	if (!path || ev->err)
		return;
	const char *slash = strrchr(path, '/');
	const char *name = slash ? slash + 1 : path;
	struct proc_name *p = NULL;
	for (size_t i = st->n_procs; i-- > 0 && !p;)
		if (st->procs[i].pid == ev->pid)
			p = &st->procs[i];
	if (!p && st->n_procs < MAX_PROCS)
		p = &st->procs[st->n_procs++];
	if (!p) {
		st->dropped++;
		return;
	}
	p->pid = ev->pid;
	copy_text(p->name, sizeof(p->name), name);
	p->script[0] = '\0';
	const char *script = ev->argc > 1 && ev->argv ? ev->argv[1] : NULL;
	if (script && strcmp(script, "-m") == 0)
		script = ev->argc > 2 ? ev->argv[2] : NULL;
	if (script && script[0] != '-') {
		slash = strrchr(script, '/');
		copy_text(p->script, sizeof(p->script), slash ? slash + 1 : script);
	}
}

/* Is path a tool's own configuration read (or written) by that tool, or
 * touched during the setup phase (the build)?  See tool_config. */
static bool tool_own_config(const struct state *st, const struct da_event *ev, const char *path)
{
	const char *home = st->host->run->home;
	bool setup = ev->phase && strcmp(ev->phase, "setup") == 0;
	const struct proc_name *p = NULL;
	for (size_t i = st->n_procs; i-- > 0 && !p;)
		if (st->procs[i].pid == ev->pid)
			p = &st->procs[i];
	for (size_t i = 0; i < sizeof(tool_config) / sizeof(tool_config[0]); i++) {
		const char *const list[] = {tool_config[i].pattern, NULL};
		if (!da_path_covered_by(list, home, path))
			continue;
		if (setup)
			return true;
		for (size_t t = 0; p && t < 6 && tool_config[i].tools[t]; t++)
			if (strcmp(p->name, tool_config[i].tools[t]) == 0 ||
			    strcmp(p->script, tool_config[i].tools[t]) == 0)
				return true;
	}
	return false;
}

static const char *result_text(const struct da_event *ev, char *buf, size_t len)
{
	if (!ev->err)
		return "";
	snprintf(buf, len, " (failed: %s)", ev->errname ? ev->errname : "error");
	return buf;
}

__attribute__((format(printf, 6, 7)))
static void report(struct state *st, const char *rule, enum da_severity sev,
		   const struct da_event *ev, const char *recommendation, const char *fmt, ...)
{
	char message[600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	if (st->via) {
		size_t used = strlen(message);
		snprintf(message + used, sizeof(message) - used, ", as %s through a link %s", st->via,
			 st->via_shipped ? "the submission ships" : "the run made");
	}
	/* A planted decoy (or the directory holding one): the read is real,
	 * the secret is not, and the user should know which. */
	for (size_t i = 0; ev->path && i < st->n_decoys && strcmp(rule, "file.sensitive_read") == 0; i++)
		if (da_path_under(st->decoys[i], ev->path)) {
			size_t used = strlen(message);
			snprintf(message + used, sizeof(message) - used,
				 " (a decoy credential dynaudit planted: sandbox.deception.honeytokens)");
			break;
		}
	const char *evidence[1] = {ev->text ? ev->text : ev->detail};
	struct da_finding f = {
		.struct_size = sizeof(f),
		.rule = rule,
		.severity = sev,
		.message = message,
		.pid = ev->pid,
		.time_s = ev->time_s,
		.evidence = evidence,
		.n_evidence = evidence[0] ? 1 : 0,
		.recommendation = recommendation,
	};
	st->host->emit(st->host, &f);
	if (sev >= DA_SEV_LOW && !st->first_flagged[0])
		copy_text(st->first_flagged, sizeof(st->first_flagged), message);
}

/* ---- classification ---------------------------------------------------------- */

/* /proc/N/... of a process other than the caller. */
static bool other_process_memory(const struct da_event *ev, const char *path)
{
	static const char *const files[] = {"mem", "environ", "maps", "smaps", "smaps_rollup",
					    "pagemap", "auxv", "stack", "syscall", "fd", NULL};
	if (strncmp(path, "/proc/", 6) != 0)
		return false;
	const char *p = path + 6;
	size_t digits = strspn(p, "0123456789");
	if (digits == 0 || p[digits] != '/')
		return false;
	long pid = strtol(p, NULL, 10);
	if (pid == ev->pid || pid == ev->tid)
		return false;
	const char *rest = p + digits + 1;
	/* /proc/N/task/M/environ is the same thing */
	if (strncmp(rest, "task/", 5) == 0) {
		rest += 5 + strspn(rest + 5, "0123456789");
		if (*rest == '/')
			rest++;
	}
	for (const char *const *f = files; *f; f++) {
		size_t n = strlen(*f);
		if (strncmp(rest, *f, n) == 0 && (rest[n] == '\0' || rest[n] == '/'))
			return true;
	}
	return false;
}

/* Config lookups walk up from the working directory to / with one name
 * (node's package.json, .git, .editorconfig...): ~/NAME, then /home/NAME,
 * then /NAME.  Each NAME looked up right under HOME is remembered, so that
 * /home/NAME afterwards reads as the next step of that walk, not as a
 * look at another user's home. */
static void note_home_lookup(struct state *st, const char *path)
{
	const char *home = st->host->run->home;
	size_t hl = home ? strlen(home) : 0;
	if (!hl || strncmp(path, home, hl) != 0 || path[hl] != '/' || !path[hl + 1] ||
	    strchr(path + hl + 1, '/'))
		return;
	seen_once(st, 'w', path + hl + 1);
}

/* /home/X/... with X not the target's own HOME user. */
static bool other_users_home(const struct state *st, const struct da_event *ev, const char *path)
{
	if (strncmp(path, "/home/", 6) != 0 || path[6] == '\0')
		return false;
	const char *user = path + 6;
	size_t n = strcspn(user, "/");
	if (st->home_user && strlen(st->home_user) == n && strncmp(user, st->home_user, n) == 0)
		return false;
	if (!user[n] && !(ev->access & DA_ACC_DIR)) {
		char key[PATH_MAX_LEN + 4];
		snprintf(key, sizeof(key), "w:%s", user);
		if (seen_has(st, key))
			return false; /* the walk up, see note_home_lookup */
	}
	return true;
}

static bool listed_uncached(const struct state *st, const char *path)
{
	const struct da_run_info *run = st->host->run;
	for (size_t i = 0; i < st->n_sensitive; i++) {
		/* /root is HOME when the target runs as root: only its secrets count */
		if (strcmp(st->sensitive[i], "/root") == 0 && da_path_under(run->home, "/root"))
			continue;
		if (pattern_covers(st->sensitive[i], path))
			return true;
	}
	return false;
}

/* Does the sensitive list (built-in and configured) cover path? */
static bool listed_sensitive(struct state *st, const char *path)
{
	uint32_t h = 2166136261u;
	const char *p = path;
	for (; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	size_t len = (size_t)(p - path);
	h = h ? h : 1;
	if (len >= LISTED_PATH)
		return listed_uncached(st, path);
	struct listed_memo *m = &st->listed[h % LISTED_SLOTS];
	if (m->hash == h && strcmp(m->path, path) == 0)
		return m->listed;
	m->hash = h;
	m->listed = listed_uncached(st, path);
	memcpy(m->path, path, len + 1);
	return m->listed;
}

static bool is_sensitive(struct state *st, const struct da_event *ev, const char *path)
{
	/* the tool's own configuration last: only a hit needs it */
	bool hit = listed_sensitive(st, path) || other_users_home(st, ev, path) ||
		   (other_process_memory(ev, path) && !da_prog_is_process_lister(proc_name(st, ev->pid)));
	return hit && !tool_own_config(st, ev, path);
}

static bool write_allowed(const struct state *st, const struct da_event *ev, const char *path)
{
	static const char *const always[] = {
		"/dev/null", "/dev/zero", "/dev/full", "/dev/tty", "/dev/pts", "/dev/ptmx",
		"/dev/stdout", "/dev/stderr", "/dev/stdin", "/dev/fd", "/dev/shm", "/dev/random",
		"/dev/urandom", "/proc/self", "/proc/thread-self", NULL};
	for (const char *const *a = always; *a; a++)
		if (da_path_under(path, *a))
			return true;
	char own[32];
	snprintf(own, sizeof(own), "/proc/%d", (int)ev->pid);
	if (da_path_under(path, own))
		return true;
	/* interpreters cache bytecode next to any module they import */
	if (strstr(path, "/__pycache__/") || (strlen(path) > 12 &&
					       strcmp(path + strlen(path) - 12, "/__pycache__") == 0))
		return true;
	for (size_t i = 0; i < st->n_allow_write; i++)
		if (pattern_covers(st->allow_write[i], path))
			return true;
	return false;
}

static bool is_system_path(const char *path)
{
	if (da_path_under(path, "/var/tmp"))
		return false;
	for (const char *const *r = system_roots; *r; r++)
		if (da_path_under(path, *r))
			return true;
	return false;
}

/* ---- rules --------------------------------------------------------------------- */

/* An open with write access (O_WRONLY or O_RDWR) of a sensitive path: a
 * credential overwritten or a key planted, reported as a write.  Nothing more to say when
 * the path is a persistence location (file.persistence covers it). */
static void judge_sensitive_write(struct state *st, const struct da_event *ev, const char *path,
				  const char *verb)
{
	char rbuf[64];
	if (!is_sensitive(st, ev, path) || !seen_once(st, 's', path))
		return;
	st->n_sensitive_hits++;
	report(st, "file.sensitive_write", DA_SEV_HIGH, ev,
	       "Find out why the program writes to this credential; restore it from a trusted copy.",
	       "%s sensitive path %s%s", verb, path, result_text(ev, rbuf, sizeof(rbuf)));
}

static void judge_read(struct state *st, const struct da_event *ev, const char *path)
{
	char rbuf[64];
	const char *res = result_text(ev, rbuf, sizeof(rbuf));
	if (is_sensitive(st, ev, path)) {
		if (!seen_once(st, 'r', path))
			return;
		st->n_sensitive_hits++;
		report(st, "file.sensitive_read", DA_SEV_HIGH, ev,
		       "Find out why the program touches this secret; treat it as compromised if it was read.",
		       "%s sensitive path %s%s", (ev->access & DA_ACC_DIR) ? "Lists" : "Opens", path, res);
		return;
	}
	if (strcmp(path, "/etc/passwd") == 0 || strcmp(path, "/etc/group") == 0) {
		const char *who = proc_name(st, ev->pid);
		bool enumerating = da_prog_is_shell(who);
		for (const char *const *e = enumerators; *e; e++)
			if (strcmp(who, *e) == 0)
				enumerating = true;
		/* glibc's own user lookup (nss files) opens it close-on-exec;
		 * `cat /etc/passwd` or a shell redirect does not */
		if (ev->flags & O_CLOEXEC_FLAG)
			enumerating = false;
		char key[64];
		snprintf(key, sizeof(key), "%s%s", enumerating ? "e" : "g", path);
		if (!seen_once(st, 'a', key))
			return;
		if (enumerating)
			report(st, "file.account_db", DA_SEV_LOW, ev,
			       "Check why the program lists local accounts.",
			       "Account database %s read by %s%s", path, who, res);
		else
			report(st, "file.account_db", DA_SEV_INFO, ev, NULL,
			       "Reads the account database %s (user name lookup)%s", path, res);
	}
}

static bool nothing_written(const struct da_event *ev, enum write_action action)
{
	if (action != W_OPEN && action != W_APPEND && action != W_CREATE && action != W_MKDIR)
		return false;
	return ev->err == ENOENT || ev->err == EACCES || ev->err == EROFS || ev->err == EPERM ||
	       ev->err == EEXIST;
}

/* Index into library_state of the library that keeps path, or -1. */
static int library_state_of(const char *path)
{
	for (size_t i = 0; i < sizeof(library_state) / sizeof(library_state[0]); i++) {
		const char *base = strrchr(path, '/') + 1; /* path is absolute */
		if (da_path_under(path, library_state[i].dir) &&
		    (!library_state[i].base || strcmp(base, library_state[i].base) == 0))
			return (int)i;
	}
	return -1;
}

/* Judges one change of path.  Returns true when path is a persistence
 * location (reported now or before). */
static bool judge_write(struct state *st, const struct da_event *ev, const char *path,
			enum write_action action)
{
	char rbuf[64];
	const char *res = result_text(ev, rbuf, sizeof(rbuf));
	const char *home = st->host->run->home;
	const char *verb = action_verbs[action];
	bool plants = action != W_UNLINK && action != W_RENAME_FROM && action != W_CHOWN;
	if (plants && !tool_own_config(st, ev, path)) {
		enum da_persistence level = da_path_persistence(path, home, st->host->run->workdir);
		bool critical = level == DA_PERSIST_CRITICAL;
		if (level != DA_PERSIST_NONE) {
			/* the attempt is the intent: full strength, failed or not */
			if (!seen_once(st, 'p', path))
				return true;
			st->n_persistence_hits++;
			report(st, "file.persistence", critical ? DA_SEV_CRITICAL : DA_SEV_HIGH, ev,
			       "Treat as a persistence attempt: remove the change and find the code that made it.",
			       "%s persistence location %s%s", verb, path, res);
			return true;
		}
	}
	if (write_allowed(st, ev, path))
		return false;
	if (!seen_once(st, 'w', path))
		return false;
	int lib = library_state_of(path);
	if (lib >= 0) {
		report(st, "file.write_outside", DA_SEV_INFO, ev, NULL,
		       "%s %s%s: library behaviour, not the program's own doing: %s", verb,
		       path, res, library_state[lib].library);
		return false;
	}
	st->n_write_hits++;
	bool system = is_system_path(path);
	/* A refused create (ENOENT, EACCES, EROFS...) wrote nothing: libraries
	 * try such things on their own.  Low, unless the place itself shows
	 * intent (persistence, above, or hijack_targets). */
	if (nothing_written(ev, action) && !da_path_covered_by(hijack_targets, home, path)) {
		report(st, "file.write_outside", DA_SEV_LOW, ev,
		       "Nothing was written; check which code tried and why.",
		       "%s %s%s%s: nothing was written", verb, system ? "system path " : "", path,
		       res);
		return false;
	}
	if (system)
		report(st, "file.write_outside", DA_SEV_HIGH, ev,
		       "A submission must not modify the system; find the code that does this.",
		       "%s system path %s%s", verb, path, res);
	else
		report(st, "file.write_outside", DA_SEV_MEDIUM, ev,
		       "Keep output in the workdir or /tmp, or extend allow_write if this place is expected.",
		       "%s %s outside the allowed places%s", verb, path, res);
	return false;
}

static void judge_exec_bits(struct state *st, const struct da_event *ev, const char *path)
{
	char rbuf[64];
	/* /dev holds device nodes, but /dev/shm is a tmpfs anyone can drop files in */
	bool device = da_path_under(path, "/dev") && !da_path_under(path, "/dev/shm");
	if (!(ev->mode & 0111) || da_path_under(path, st->host->run->workdir) || device ||
	    strstr(path, "/__pycache__"))
		return;
	char key[PATH_MAX_LEN + 4];
	snprintf(key, sizeof(key), "d:%s", path);
	if (seen_has(st, key))
		return; /* a directory the target made: x bit means "enter" */
	if (!seen_once(st, 'x', path))
		return;
	st->n_exec_hits++;
	report(st, "file.exec_created", DA_SEV_HIGH, ev,
	       "Find out what the dropped executable is and whether it was run.",
	       "%s executable file %s outside the workdir (mode %04llo)%s",
	       ev->kind == DA_EV_FILE_CHMOD ? "Makes" : "Creates", path,
	       (unsigned long long)(ev->mode & 07777), result_text(ev, rbuf, sizeof(rbuf)));
}

/* The first pattern of list (expanded) that lies below dir, or NULL: a
 * link at or to dir reaches that place too. */
static const char *pattern_below(const char *const *list, char *const *expanded, size_t n,
				 const char *home, const char *dir, char *buf, size_t buflen)
{
	for (size_t i = 0; list && list[i]; i++) {
		char *p = expand_home(list[i], home);
		bool hit = p && da_path_under(p, dir);
		if (hit)
			copy_text(buf, buflen, p);
		free(p);
		if (hit)
			return buf;
	}
	for (size_t i = 0; i < n; i++)
		if (da_path_under(expanded[i], dir)) {
			copy_text(buf, buflen, expanded[i]);
			return buf;
		}
	return NULL;
}

/*
 * symlink()/link(): a link to a secret (or to a directory holding secrets:
 * /etc, /root, ~/.ssh...) lets the program read it under a harmless name;
 * a link at a directory holding persistence locations (~/.ssh, ~/.config)
 * makes whatever its target holds take effect there.  Successful links are
 * remembered (see judge_aliases).
 */
static void judge_link(struct state *st, const struct da_event *ev, const char *link,
		       const char *target)
{
	char rbuf[64], found[PATH_MAX_LEN], key[2 * PATH_MAX_LEN + 4];
	const char *home = st->host->run->home;
	const char *res = result_text(ev, rbuf, sizeof(rbuf));
	bool root_home = da_path_under(home, "/root");
	const char *held = NULL;
	for (size_t i = 0; i < st->n_sensitive && !held; i++)
		if (da_path_under(st->sensitive[i], target) &&
		    !(root_home && strcmp(st->sensitive[i], "/root") == 0)) {
			copy_text(found, sizeof(found), st->sensitive[i]);
			held = found;
		}
	snprintf(key, sizeof(key), "%s>%s", link, target);
	bool shipped = ev->phase && strcmp(ev->phase, "submission") == 0;
	if ((is_sensitive(st, ev, target) || held) && shipped && seen_once(st, 'l', key)) {
		/* not an act of the run; a read through it is (judge_aliases) */
		report(st, "file.sensitive_read", DA_SEV_MEDIUM, ev,
		       "Find out why the submission carries a link to a secret; a read through it is judged as a read of the secret.",
		       "The submission ships a link to %s at %s: reads through it bypass path checks", target, link);
	} else if ((is_sensitive(st, ev, target) || held) && seen_once(st, 'l', key)) {
		st->n_sensitive_hits++;
		if (held && strcmp(held, target) != 0)
			report(st, "file.sensitive_read", DA_SEV_HIGH, ev,
			       "Treat the secrets below the target as read; find the code that made the link.",
			       "Creates a link to %s (which holds %s) at %s: reads through it bypass path checks%s",
			       target, held, link, res);
		else
			report(st, "file.sensitive_read", DA_SEV_HIGH, ev,
			       "Treat the secret as read; find the code that made the link.",
			       "Creates a link to %s at %s: reads through it bypass path checks%s", target,
			       link, res);
	}
	bool critical = pattern_below(da_path_persistence_globs(DA_PERSIST_CRITICAL), NULL, 0, home, link, found, sizeof(found));
	if ((critical || pattern_below(da_path_persistence_globs(DA_PERSIST_HIGH), NULL, 0, home, link, found, sizeof(found))) &&
	    da_path_persistence(link, home, st->host->run->workdir) == DA_PERSIST_NONE && seen_once(st, 'p', link)) {
		/* (a link covered by the list itself was judged by judge_write) */
		found[strcspn(found, "*?[")] = '\0'; /* "authorized_keys*": name the place */
		st->n_persistence_hits++;
		report(st, "file.persistence", critical ? DA_SEV_CRITICAL : DA_SEV_HIGH, ev,
		       "Treat as a persistence attempt: what the link's target holds takes effect.",
		       "Creates a link at %s, which holds persistence location %s, to %s%s", link, found,
		       target, res);
	}
	if (ev->err)
		return;
	if (st->n_links >= MAX_LINKS) {
		st->dropped++;
		return;
	}
	struct link_alias *l = &st->links[st->n_links];
	l->link = strdup(link);
	l->target = strdup(target);
	l->shipped = shipped;
	if (!l->link || !l->target) {
		free(l->link);
		free(l->target);
		return;
	}
	st->n_links++;
}

/* One file event at one name of the file.  second: the rename's new name. */
static void judge_at(struct state *st, const struct da_event *ev, const char *path, bool second)
{
	switch (ev->kind) {
	case DA_EV_FILE_OPEN: {
		note_home_lookup(st, path);
		if (ev->access & DA_ACC_PATH) {
			/* O_PATH touches no data, but probing a secret is still reaching for it */
			if (is_sensitive(st, ev, path))
				judge_read(st, ev, path);
			return;
		}
		bool creates = ev->access & DA_ACC_CREATE;
		/* write access (O_WRONLY or O_RDWR): a write, whatever the path
		 * holds; the write rules word and weigh it */
		bool writes = ev->access & DA_ACC_WRITE;
		if (!writes)
			judge_read(st, ev, path);
		if (ev->access & (DA_ACC_WRITE | DA_ACC_CREATE | DA_ACC_TRUNC | DA_ACC_APPEND)) {
			enum write_action action = (ev->access & DA_ACC_APPEND) ? W_APPEND
						   : creates ? W_CREATE : W_OPEN;
			bool persistence = judge_write(st, ev, path, action);
			if (writes && !persistence)
				judge_sensitive_write(st, ev, path,
						      (ev->access & DA_ACC_READ) && action == W_OPEN
						      ? "Opens for reading and writing" : action_verbs[action]);
		}
		if (creates)
			judge_exec_bits(st, ev, path);
		return;
	}
	case DA_EV_FILE_WRITE:
		judge_write(st, ev, path, W_OPEN);
		return;
	case DA_EV_FILE_UNLINK:
		judge_write(st, ev, path, W_UNLINK);
		return;
	case DA_EV_FILE_RENAME:
		judge_write(st, ev, path, second ? W_RENAME_TO : W_RENAME_FROM);
		return;
	case DA_EV_FILE_CHMOD:
		judge_write(st, ev, path, W_CHMOD);
		judge_exec_bits(st, ev, path);
		return;
	case DA_EV_FILE_CHOWN:
		judge_write(st, ev, path, W_CHOWN);
		return;
	case DA_EV_FILE_LINK:
		judge_write(st, ev, path, W_LINK);
		return;
	case DA_EV_FILE_MKDIR:
		if (ev->err == EEXIST)
			return; /* `mkdir -p` probing every parent: nothing was created */
		if (!ev->err)
			seen_once(st, 'd', path);
		judge_write(st, ev, path, W_MKDIR);
		return;
	case DA_EV_SYSCALL_OTHER:
		if (ev->syscall && strcmp(ev->syscall, "honeytoken_file") == 0 && ev->path &&
		    st->n_decoys < sizeof(st->decoys) / sizeof(st->decoys[0])) {
			char *d = strdup(ev->path);
			if (d)
				st->decoys[st->n_decoys++] = d;
			return;
		}
		if (ev->syscall && strcmp(ev->syscall, "truncate") == 0)
			judge_write(st, ev, path, W_TRUNCATE);
		return;
	case DA_EV_FS_MONITOR:
		if (ev->detail && (strstr(ev->detail, "CREATE") || strstr(ev->detail, "MODIFY") ||
				   strstr(ev->detail, "CLOSE_WRITE") || strstr(ev->detail, "MOVED_TO") ||
				   strstr(ev->detail, "DELETE") || strstr(ev->detail, "ATTRIB")))
			judge_write(st, ev, path, W_MONITOR);
		return;
	default:
		return;
	}
}

/*
 * The event paths are the names the program used, not what they resolve
 * to: open("cfg/gshadow") with cfg -> /etc reads /etc/gshadow, and a file
 * written in /tmp/st/ssh lands in ~/.ssh when ~/.ssh -> /tmp/st/ssh.  For
 * each link the run made, path below the link is judged again at the
 * target, and path below the target again at the link.
 */
static void judge_aliases(struct state *st, const struct da_event *ev, const char *path, bool second)
{
	char alias[PATH_MAX_LEN], joined[PATH_MAX_LEN];
	size_t n = 0;
	for (size_t i = 0; i < st->n_links && n < MAX_ALIASES; i++) {
		const struct link_alias *l = &st->links[i];
		const char *from, *to;
		/* unlinking, renaming or seeing (inotify) the link itself acts
		 * on the link, not on what it names */
		bool on_name = ev->kind == DA_EV_FILE_UNLINK || ev->kind == DA_EV_FILE_RENAME ||
			       ev->kind == DA_EV_FS_MONITOR || ev->kind == DA_EV_FILE_MKDIR;
		if (on_name && (strcmp(path, l->link) == 0 || strcmp(path, l->target) == 0))
			continue;
		if (da_path_under(path, l->link) && strcmp(l->link, "/") != 0) {
			from = l->link;
			to = l->target;
		} else if (da_path_under(path, l->target) && strcmp(l->target, "/") != 0) {
			from = l->target;
			to = l->link;
		} else {
			continue;
		}
		snprintf(joined, sizeof(joined), "%s/%s", to, path + strlen(from));
		da_path_normalize(joined, NULL, alias, sizeof(alias));
		if (strcmp(alias, path) == 0)
			continue;
		n++;
		st->via = path;
		st->via_shipped = l->shipped;
		judge_at(st, ev, alias, second);
		st->via = NULL;
		st->via_shipped = false;
	}
}

static void on_file_event(struct state *st, const struct da_event *ev)
{
	const char *base = st->host->run->workdir;
	char path[PATH_MAX_LEN], path2[PATH_MAX_LEN];
	const char *raw = ev->path ? ev->path : ev->raw_path;
	if (ev->kind == DA_EV_FILE_WRITE)
		raw = (ev->fd_desc && ev->fd_desc[0] == '/') ? ev->fd_desc : NULL;
	if (!raw || !*raw)
		return;
	st->n_events++;
	da_path_normalize(raw, base, path, sizeof(path));

	/* a link the submission ships was not written by the run */
	bool shipped = ev->phase && strcmp(ev->phase, "submission") == 0;
	if (!shipped)
		judge_at(st, ev, path, false);
	if (ev->kind == DA_EV_FILE_LINK) {
		if (ev->path2 && *ev->path2) {
			/* a symlink's relative target is relative to the link's directory */
			bool sym = ev->detail && strcmp(ev->detail, "symlink") == 0;
			char dir[PATH_MAX_LEN];
			copy_text(dir, sizeof(dir), path);
			char *slash = strrchr(dir, '/');
			if (slash)
				slash[slash == dir ? 1 : 0] = '\0';
			da_path_normalize(ev->path2, sym ? dir : base, path2, sizeof(path2));
			judge_link(st, ev, path, path2);
		}
		return;
	}
	judge_aliases(st, ev, path, false);
	if (ev->kind == DA_EV_FILE_RENAME && ev->path2) {
		da_path_normalize(ev->path2, base, path2, sizeof(path2));
		judge_at(st, ev, path2, true);
		judge_aliases(st, ev, path2, true);
	}
}

/* ---- configuration ------------------------------------------------------------ */

static int add_pattern(char ***list, size_t *n, const char *pattern, const char *home)
{
	char **grown = realloc(*list, (*n + 1) * sizeof(**list));
	if (!grown)
		return -ENOMEM;
	*list = grown;
	grown[*n] = expand_home(pattern, home);
	if (!grown[*n])
		return -ENOMEM;
	(*n)++;
	return 0;
}

static int load_config(struct state *st, const struct da_cfg *cfg, char *err, size_t errlen)
{
	const struct da_host *host = st->host;
	const struct da_run_info *run = host->run;
	const char *key;
	for (size_t i = 0; (key = host->cfg_key_at(host, cfg, i)) != NULL; i++) {
		if (strcmp(key, "sensitive") != 0 && strcmp(key, "allow_write") != 0) {
			snprintf(err, errlen, "%s: %s: unknown key (known: sensitive, allow_write)",
				 host->cfg_where(host, cfg, key), key);
			return -EINVAL;
		}
	}
	int rc = 0;
	for (const char *const *d = da_path_sensitive_globs(); *d && rc == 0; d++)
		rc = add_pattern(&st->sensitive, &st->n_sensitive, *d, run->home);
	const char *const *items;
	size_t n = host->cfg_list(host, cfg, "sensitive", &items);
	for (size_t i = 0; i < n && rc == 0; i++) {
		if (!items[i] || (items[i][0] != '/' && items[i][0] != '~')) {
			snprintf(err, errlen, "%s: sensitive: '%s' is not an absolute path or ~/path",
				 host->cfg_where(host, cfg, "sensitive"), items[i] ? items[i] : "");
			return -EINVAL;
		}
		rc = add_pattern(&st->sensitive, &st->n_sensitive, items[i], run->home);
	}

	static const char *const default_allow[] = {"workdir", "tmp", "home", NULL};
	const char *const *allow = default_allow;
	/* an explicit allow_write, even an empty list, replaces the default */
	for (size_t i = 0; (key = host->cfg_key_at(host, cfg, i)) != NULL; i++)
		if (strcmp(key, "allow_write") == 0) {
			host->cfg_list(host, cfg, "allow_write", &allow);
			break;
		}
	for (size_t i = 0; allow && allow[i] && rc == 0; i++) {
		const char *a = allow[i];
		if (strcmp(a, "workdir") == 0) {
			rc = add_pattern(&st->allow_write, &st->n_allow_write, run->workdir, NULL);
		} else if (strcmp(a, "home") == 0) {
			rc = add_pattern(&st->allow_write, &st->n_allow_write, run->home, NULL);
		} else if (strcmp(a, "tmp") == 0) {
			const char *tmp[] = {run->tmpdir ? run->tmpdir : "/tmp", "/tmp", "/var/tmp", "/dev/shm"};
			for (size_t t = 0; t < 4 && rc == 0; t++)
				rc = add_pattern(&st->allow_write, &st->n_allow_write, tmp[t], NULL);
		} else if (a[0] == '/' || a[0] == '~') {
			rc = add_pattern(&st->allow_write, &st->n_allow_write, a, run->home);
		} else {
			snprintf(err, errlen,
				 "%s: allow_write: '%s' is not workdir, tmp, home or an absolute path",
				 host->cfg_where(host, cfg, "allow_write"), a);
			return -EINVAL;
		}
	}
	if (rc) {
		snprintf(err, errlen, "out of memory");
		return rc;
	}
	if (run->home && strncmp(run->home, "/home/", 6) == 0) {
		st->home_user = strndup(run->home + 6, strcspn(run->home + 6, "/"));
		if (!st->home_user) {
			snprintf(err, errlen, "out of memory");
			return -ENOMEM;
		}
	}
	return 0;
}

/* ---- lifecycle ---------------------------------------------------------------- */

static int file_init(const struct da_host *host, const struct da_cfg *cfg, void **out, char *err,
		     size_t errlen)
{
	struct state *st = calloc(1, sizeof(*st));
	if (!st) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	*out = st;
	st->host = host;
	return load_config(st, cfg, err, errlen);
}

static int file_on_event(void *state, const struct da_event *ev, char *err, size_t errlen)
{
	struct state *st = state;
	if (ev->kind == DA_EV_PROC_EXEC)
		remember_exec(st, ev);
	else
		on_file_event(st, ev);
	return 0;
}

static int file_finish(void *state, char *err, size_t errlen)
{
	struct state *st = state;
	char observation[128];
	if (st->dropped)
		st->host->log(st->host, 1, "file: %zu paths or processes not remembered (limits reached)",
			      st->dropped);
	if (st->n_events == 0) {
		st->host->set_summary(st->host, "None", "No sensitive paths accessed");
		return 0;
	}
	if (!st->first_flagged[0]) {
		st->host->set_summary(st->host, "Local only", "No sensitive paths accessed");
		return 0;
	}
	if (st->n_persistence_hits)
		snprintf(observation, sizeof(observation), "Persistence attempt");
	else if (st->n_sensitive_hits)
		snprintf(observation, sizeof(observation), "%zu sensitive path%s accessed",
			 st->n_sensitive_hits, st->n_sensitive_hits == 1 ? "" : "s");
	else if (st->n_exec_hits)
		snprintf(observation, sizeof(observation), "Executable dropped");
	else if (st->n_write_hits)
		snprintf(observation, sizeof(observation), "%zu write%s outside allowed places",
			 st->n_write_hits, st->n_write_hits == 1 ? "" : "s");
	else
		snprintf(observation, sizeof(observation), "Account database read");
	st->host->set_summary(st->host, observation, st->first_flagged);
	return 0;
}

static void file_destroy(void *state)
{
	struct state *st = state;
	if (!st)
		return;
	for (size_t i = 0; i < st->n_sensitive; i++)
		free(st->sensitive[i]);
	free(st->sensitive);
	for (size_t i = 0; i < st->n_allow_write; i++)
		free(st->allow_write[i]);
	free(st->allow_write);
	for (size_t i = 0; i < SEEN_SLOTS; i++)
		free(st->seen[i]);
	for (size_t i = 0; i < st->n_decoys; i++)
		free(st->decoys[i]);
	for (size_t i = 0; i < st->n_links; i++) {
		free(st->links[i].link);
		free(st->links[i].target);
	}
	free(st->home_user);
	free(st);
}

static const struct da_plugin file_plugin = {
	DA_PLUGIN_HEADER,
	.name = "file",
	.version = "1.0.0",
	.description = "Sensitive reads, writes outside allowed places, persistence, dropped executables",
	.category_id = "file",
	.category_title = "File Access",
	.subscriptions = {
		(1ull << DA_EV_PROC_EXEC) | (1ull << DA_EV_FILE_OPEN) | (1ull << DA_EV_FILE_UNLINK) |
		(1ull << DA_EV_FILE_RENAME) | (1ull << DA_EV_FILE_CHMOD) | (1ull << DA_EV_FILE_CHOWN) |
		(1ull << DA_EV_FILE_LINK) | (1ull << DA_EV_FILE_MKDIR) | (1ull << DA_EV_FILE_WRITE),
		(1ull << (DA_EV_FS_MONITOR - 64)) | (1ull << (DA_EV_SYSCALL_OTHER - 64)),
	},
	.init = file_init,
	.on_event = file_on_event,
	.finish = file_finish,
	.destroy = file_destroy,
};

DYNAUDIT_PLUGIN(file_plugin)

/*
 * classify.c — the policy data and what a path is (sensitive, allowed, system)
 */
#include "file.h"

/* ---- policy data ------------------------------------------------------------ */

const char *const action_verbs[] = {
	[W_OPEN] = "Writes", [W_APPEND] = "Appends to", [W_CREATE] = "Creates", [W_UNLINK] = "Deletes",
	[W_RENAME_FROM] = "Renames away", [W_RENAME_TO] = "Renames a file to",
	[W_CHMOD] = "Changes permissions of", [W_CHOWN] = "Changes owner of",
	[W_LINK] = "Creates a link at", [W_MKDIR] = "Creates directory",
	[W_TRUNCATE] = "Truncates", [W_MONITOR] = "Modifies"};


/* Where a planted file would run or answer in place of the system's own
 * (programs on PATH, name resolution): even a refused attempt there shows
 * intent, like an attempt at a persistence location. */
const char *const hijack_targets[] = {
	"/bin", "/sbin", "/usr/bin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin",
	"/etc/hosts", "/etc/resolv.conf", "/etc/nsswitch.conf", "/etc/ld.so.cache",
	/* kernel knobs: crash the host (sysrq), run a program as root on the
	 * next core dump (core_pattern), or reconfigure the kernel */
	"/proc/sysrq-trigger", "/proc/sys", "/sys", NULL};

static const char *const system_roots[] = {
	"/etc", "/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/boot", "/root",
	"/var", "/opt", "/sys", "/proc", "/dev", "/snap", NULL};

/* Programs that read the account database to enumerate it. */
const char *const enumerators[] = {
	/* and every shell (da_prog_is_shell) */
	"busybox", "cat",
	"head", "tail", "less", "more", "grep", "egrep", "awk", "gawk", "mawk", "sed", "cut",
	"sort", "strings", "getent", "cp", "base64", "xxd", "od", "nc", "curl", "wget", NULL};

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
void note_home_lookup(struct state *st, const char *path)
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
static bool listed_sensitive(const struct state *st, const char *path)
{
	uint32_t h = 2166136261u;
	const char *p = path;
	for (; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	size_t len = (size_t)(p - path);
	h = h ? h : 1;
	if (len >= LISTED_PATH || !st->listed)
		return listed_uncached(st, path);
	struct listed_memo *m = &st->listed[h % LISTED_SLOTS];
	if (m->hash == h && strcmp(m->path, path) == 0)
		return m->listed;
	m->hash = h;
	m->listed = listed_uncached(st, path);
	memcpy(m->path, path, len + 1);
	return m->listed;
}

bool is_sensitive(const struct state *st, const struct da_event *ev, const char *path)
{
	/* the tool's own configuration last: only a hit needs it */
	bool hit = listed_sensitive(st, path) || other_users_home(st, ev, path) ||
		   (other_process_memory(ev, path) && !da_prog_is_process_lister(proc_name(st, ev->pid)));
	return hit && !tool_own_config(st, ev, path);
}

bool write_allowed(const struct state *st, const struct da_event *ev, const char *path)
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

bool is_system_path(const char *path)
{
	if (da_path_under(path, "/var/tmp"))
		return false;
	for (const char *const *r = system_roots; *r; r++)
		if (da_path_under(path, *r))
			return true;
	return false;
}


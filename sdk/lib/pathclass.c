/*
 * pathclass.c — the persistence and sensitive path lists of
 * libdynaudit-sdk (see dynaudit/pathclass.h).  Each list exists here once.
 */
#include <fnmatch.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "dynaudit/pathclass.h"

#define PATH_LEN 4096

/* ---- the lists ----------------------------------------------------------- */

/* Persistence globs; "~" is HOME.  Each also covers what is below. */
static const char *const persistence_critical[] = {
	"/etc/ld.so.preload", "~/.ssh/authorized_keys*", "/root/.ssh/authorized_keys*",
	"/home/*/.ssh/authorized_keys*", NULL};
static const char *const persistence_high[] = {
	"~/.bashrc", "~/.bash_profile", "~/.bash_login", "~/.bash_logout", "~/.profile",
	"~/.zshrc", "~/.zprofile", "~/.zshenv", "~/.zlogin", "~/.config/fish/config.fish",
	"/root/.bashrc", "/root/.profile", "/etc/profile", "/etc/profile.d", "/etc/bash.bashrc",
	"/etc/environment", "/etc/zsh", "/etc/cron*", "/var/spool/cron", "/etc/anacrontab",
	"/etc/systemd", "/lib/systemd", "/usr/lib/systemd", "~/.config/systemd",
	"~/.local/share/systemd", "~/.config/autostart", "/etc/xdg/autostart", "/etc/rc.local",
	"/etc/init.d", "/etc/rc.d", "/etc/rc[0-6S].d", "/etc/passwd", "/etc/shadow", "/etc/group",
	"/etc/sudoers", "/etc/sudoers.d", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/pam.d",
	"/etc/update-motd.d", "/etc/xinetd.d", "/etc/ssh/sshd_config", "/etc/skel",
	/* run at login or by the desktop session */
	"~/.xsessionrc", "~/.pam_environment", "~/.config/environment.d",
	"~/.local/share/applications/*.desktop",
	/* run or obeyed by tools the user starts: editor, pip, npm, git, ssh */
	"~/.vimrc", "~/.config/pip/pip.conf", "~/.npmrc", "~/.gitconfig", "~/.ssh/config",
	/* first on a user's PATH: a planted `ls` or `sudo` hijacks the command */
	"~/.local/bin", NULL};

/* Names sourced by a shell, a session or Python wherever the home that
 * holds them is (another user's, a HOME copied to /tmp). */
static const char *const rc_names[] = {
	".bashrc", ".bash_profile", ".bash_login", ".bash_logout", ".profile", ".zshrc",
	".zprofile", ".zshenv", ".zlogin", ".kshrc", ".cshrc", ".tcshrc", ".xinitrc",
	".xprofile", ".xsession", "config.fish", "sitecustomize.py", "usercustomize.py",
	"authorized_keys", "authorized_keys2", NULL};
/* Directory parts that make a hook wherever they sit. */
static const char *const hook_parts[] = {"/.config/systemd/", "/.config/autostart/",
					 "/.ssh/rc", "/.ssh/environment", "/.git/hooks/", NULL};

/* Built-in sensitive paths; "~" is HOME.  Each also covers what is below. */
static const char *const sensitive[] = {
	"/etc/shadow", "/etc/shadow-", "/etc/gshadow", "/etc/gshadow-", "/etc/sudoers",
	"/etc/sudoers.d", "/etc/security/opasswd", "/etc/master.passwd", "/etc/ssh/ssh_host_*_key",
	"/etc/krb5.keytab", "/var/lib/sss",
	"~/.ssh", "/root", "/home/*/.ssh", "~/.aws", "~/.config/gcloud", "~/.azure", "~/.kube",
	"~/.docker/config.json", "~/.netrc", "~/.git-credentials", "~/.pgpass", "~/.gnupg",
	"~/.password-store", "~/.bash_history", "~/.mozilla", "~/.config/google-chrome",
	"~/.config/chromium", "/run/secrets", "/var/run/secrets",
	/* shell and client histories: typed passwords and connection strings */
	"~/.zsh_history", "~/.python_history", "~/.mysql_history", "~/.psql_history",
	/* package-registry, forge and cloud-tool tokens */
	"~/.npmrc", "~/.pypirc", "~/.config/gh/hosts.yml", "~/.vault-token",
	"~/.config/rclone/rclone.conf", "~/.terraform.d/credentials.tfrc.json", "~/.m2/settings.xml",
	"~/.gradle/gradle.properties", "~/.cargo/credentials*", "~/.config/hub", "~/.s3cfg", "~/.boto",
	"~/.local/share/keyrings", "~/.bitcoin/wallet.dat", "~/.electrum",
	/* system keys and saved network secrets */
	"/etc/ssl/private", "/etc/wireguard", "/etc/NetworkManager/system-connections",
	"/var/lib/postgresql/.pgpass",
	/* kernel memory and other namespaces */
	"/dev/mem", "/dev/kmem", "/proc/kcore", "/proc/1/ns", "/sys/kernel/debug", NULL};

/* ---- coverage ----------------------------------------------------------- */

bool da_path_under(const char *path, const char *dir)
{
	if (!path || !dir || !*dir)
		return false;
	size_t n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		n--;
	return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/' || n == 1);
}

bool da_path_normalize(const char *in, const char *base, char *out, size_t outlen)
{
	char joined[PATH_LEN];
	if (outlen < 2) {
		if (outlen)
			out[0] = '\0';
		return false;
	}
	if (!in)
		in = "";
	int n = in[0] == '/' ? snprintf(joined, sizeof(joined), "%s", in)
			     : snprintf(joined, sizeof(joined), "%s/%s", base ? base : "", in);
	bool fits = n >= 0 && (size_t)n < sizeof(joined);
	size_t used = 0;
	out[0] = '\0';
	char *save = NULL;
	for (char *seg = strtok_r(joined, "/", &save); seg; seg = strtok_r(NULL, "/", &save)) {
		if (strcmp(seg, ".") == 0)
			continue;
		if (strcmp(seg, "..") == 0) {
			while (used > 0 && out[used - 1] != '/')
				used--;
			if (used > 0)
				used--;
			out[used] = '\0';
			continue;
		}
		size_t len = strlen(seg);
		if (used + 1 + len + 1 > outlen) {
			fits = false;
			break;
		}
		out[used++] = '/';
		memcpy(out + used, seg, len);
		used += len;
		out[used] = '\0';
	}
	if (used == 0)
		snprintf(out, outlen, "/");
	return fits;
}

/* An expanded pattern covers path or one of its leading directories. */
static bool covers(const char *pattern, const char *path)
{
	/* most patterns are plain paths: no fnmatch needed (every open of
	 * every process is judged against the whole list) */
	if (!strpbrk(pattern, "*?[\\"))
		return da_path_under(path, pattern);
	if (fnmatch(pattern, path, FNM_PATHNAME) == 0 || da_path_under(path, pattern))
		return true;
	/* a glob like /home/X/.ssh (X any) covers /home/x/.ssh/id_rsa: test each leading part */
	char prefix[PATH_LEN];
	size_t n = strlen(path);
	if (n >= sizeof(prefix))
		return false;
	memcpy(prefix, path, n + 1);
	for (size_t i = 1; i < n; i++) {
		if (prefix[i] != '/')
			continue;
		prefix[i] = '\0';
		bool hit = fnmatch(pattern, prefix, FNM_PATHNAME) == 0;
		prefix[i] = '/';
		if (hit)
			return true;
	}
	return false;
}

bool da_path_covers(const char *pattern, const char *home, const char *path)
{
	char buf[PATH_LEN];
	if (!pattern || !path)
		return false;
	if (pattern[0] == '~' && (pattern[1] == '/' || pattern[1] == '\0')) {
		const char *h = home ? home : "";
		size_t hn = strlen(h), rn = strlen(pattern + 1);
		/* The expanded pattern starts with HOME as it is: a path that
		 * does not cannot be covered (unless HOME itself has glob
		 * characters).  Most paths are not in HOME, and every open is
		 * judged against the whole list. */
		if (strncmp(path, h, hn) != 0 && !strpbrk(h, "*?[\\"))
			return false;
		if (hn + rn >= sizeof(buf))
			return false;
		memcpy(buf, h, hn);
		memcpy(buf + hn, pattern + 1, rn + 1);
		pattern = buf;
	}
	return covers(pattern, path);
}

bool da_path_covered_by(const char *const *patterns, const char *home, const char *path)
{
	for (; patterns && *patterns; patterns++)
		if (da_path_covers(*patterns, home, path))
			return true;
	return false;
}

/* ---- persistence -------------------------------------------------------- */

const char *const *da_path_persistence_globs(enum da_persistence level)
{
	static const char *const none[] = {NULL};
	return level == DA_PERSIST_CRITICAL ? persistence_critical
	       : level == DA_PERSIST_HIGH   ? persistence_high
					    : none;
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* A cron table staged anywhere: a directory cron, cron.d, crontabs... or a
 * file named crontab. */
static bool is_cron_path(const char *path)
{
	static const char *const dirs[] = {"cron", "cron.d", "cron.daily", "cron.hourly",
					   "crontabs", NULL};
	for (const char *p = path; (p = strchr(p, '/')) != NULL;) {
		p++;
		size_t n = strcspn(p, "/");
		for (const char *const *d = dirs; *d; d++)
			if (strlen(*d) == n && strncmp(p, *d, n) == 0 && p[n] == '/')
				return true;
		if (n == 7 && strncmp(p, "crontab", 7) == 0)
			return true;
	}
	return false;
}

enum da_persistence da_path_persistence(const char *path, const char *home, const char *workdir)
{
	if (!path || path[0] != '/')
		return DA_PERSIST_NONE;
	if (has_suffix(path, ".sample") && strstr(path, "/.git/hooks/"))
		return DA_PERSIST_NONE; /* git init writes inert hook samples */
	if (da_path_covered_by(persistence_critical, home, path))
		return DA_PERSIST_CRITICAL;
	if (da_path_covered_by(persistence_high, home, path))
		return DA_PERSIST_HIGH;
	if (workdir && *workdir && da_path_under(path, workdir))
		return strstr(path, "/.git/hooks/") ? DA_PERSIST_HIGH : DA_PERSIST_NONE;
	for (const char *const *p = hook_parts; *p; p++)
		if (strstr(path, *p))
			return DA_PERSIST_HIGH;
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	for (const char *const *r = rc_names; *r; r++)
		if (strcmp(base, *r) == 0)
			return DA_PERSIST_HIGH;
	if (strstr(path, "-packages/") && has_suffix(path, ".pth"))
		return DA_PERSIST_HIGH;
	if (is_cron_path(path) && !strstr(path, "/__pycache__"))
		return DA_PERSIST_HIGH;
	return DA_PERSIST_NONE;
}

/* ---- sensitive ---------------------------------------------------------- */

const char *const *da_path_sensitive_globs(void)
{
	return sensitive;
}

/* "~/X" below any directory: "/X" covers some suffix of path that starts
 * at a '/'. */
static bool covers_anywhere(const char *pattern, const char *path)
{
	const char *rest = pattern + 1; /* "/X" */
	if (!strpbrk(rest, "*?[\\")) {
		/* a plain "/X": find it where it ends a component */
		size_t n = strlen(rest);
		for (const char *p = path; (p = strstr(p, rest)) != NULL; p++)
			if (p[n] == '\0' || p[n] == '/')
				return true;
		return false;
	}
	for (const char *p = path; (p = strchr(p, '/')) != NULL; p++)
		if (covers(rest, p))
			return true;
	return false;
}

/* The last answers of da_path_sensitive, per thread: a program opens the
 * same few paths again and again (a loop over one file, the loader's
 * libraries, an interpreter's imports), and detectors ask about every
 * open, some twice; the whole list costs microseconds a path.  Paths and
 * homes too long for a slot are not remembered. */
#define MEMO_SLOTS 64
#define MEMO_PATH 152
#define MEMO_HOME 96

struct sensitive_memo {
	uint32_t hash;       /* 0: empty */
	unsigned flags;
	bool result;
	char home[MEMO_HOME];
	char path[MEMO_PATH];
};

static __thread struct sensitive_memo memo[MEMO_SLOTS];

static uint32_t memo_hash(const char *path, size_t *len)
{
	uint32_t h = 2166136261u;
	const char *p = path;
	for (; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	*len = (size_t)(p - path);
	return h ? h : 1;
}

static bool sensitive_uncached(const char *path, const char *home, unsigned flags)
{
	bool root_home = da_path_under(home, "/root");
	for (const char *const *s = sensitive; *s; s++) {
		/* /root is HOME when the target runs as root: only its secrets count */
		if (root_home && strcmp(*s, "/root") == 0)
			continue;
		if (da_path_covers(*s, home, path))
			return true;
		if ((flags & DA_PATH_ANY_HOME) && (*s)[0] == '~' && covers_anywhere(*s, path))
			return true;
	}
	return false;
}

bool da_path_sensitive(const char *path, const char *home, unsigned flags)
{
	if (!path)
		return false;
	size_t plen, hlen = home ? strlen(home) : 0;
	uint32_t h = memo_hash(path, &plen) ^ (flags * 0x9e3779b9u);
	h = h ? h : 1;
	if (plen >= MEMO_PATH || hlen >= MEMO_HOME)
		return sensitive_uncached(path, home, flags);
	struct sensitive_memo *m = &memo[h % MEMO_SLOTS];
	const char *hs = home ? home : "";
	if (m->hash == h && m->flags == flags && strcmp(m->path, path) == 0 && strcmp(m->home, hs) == 0)
		return m->result;
	bool r = sensitive_uncached(path, home, flags);
	m->hash = h;
	m->flags = flags;
	m->result = r;
	memcpy(m->path, path, plen + 1);
	memcpy(m->home, hs, hlen + 1);
	return r;
}

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
 *                         except a hidden name (a "." component) failing
 *                         with ENOENT: its parent is missing because the
 *                         sandbox hides a place the real machine has
 *                         (/run/lock, /mnt), and the attempt keeps its
 *                         full weight;
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
 *   file.mass_delete      high     sabotage: 20 or more files the run did not
 *                         create deleted or truncated (outside the temp
 *                         directories, not in the setup phase; counted
 *                         whoever runs it, an allowed rm too), or rm -r
 *                         of HOME, the workdir, a directory above them or
 *                         / (deletion.c).
 *   file.sandbox_probe    low      a read or a stat (stat, access, statx,
 *                         readlink...) of a container, VM or tracer mark:
 *                         /.dockerenv, /run/.containerenv, /proc/1/cgroup
 *                         (and sched, mountinfo, status, comm, cmdline),
 *                         /sys/class/dmi/id/..., /sys/hypervisor, /proc/xen,
 *                         and /proc/self/status read by a shell or text
 *                         tool (TracerPid); not by process listers, nor a
 *                         stat of a name in a directory the same process
 *                         listed (ls -la /, find: a walk) (probe.c).
 *   file.exec_created     high     a file created executable (mode & 0111,
 *                         so 0700 too) or chmod +x outside the workdir,
 *                         /dev/shm included, judged once it is known what
 *                         became of it (execbits.c): reported when run or
 *                         at the end; not when a later chmod took the bits
 *                         away (git's core.filemode probe), nor, if never
 *                         run, for an owner-only (0700) file created with
 *                         O_EXCL under a name that is not hidden (a
 *                         private temporary file) or a git sample hook
 *                         (.git/hooks/NAME.sample).  Inside the workdir it
 *                         is a build and is ignored, as are directories
 *                         the target made and device nodes under /dev.
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
#include "file.h"

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
			rc = add_pattern(&st->allow_write, &st->n_allow_write,
					 run->tmpdir ? run->tmpdir : "/tmp", NULL);
			for (const char *const *t = da_temp_dirs; *t && rc == 0; t++)
				rc = add_pattern(&st->allow_write, &st->n_allow_write, *t, NULL);
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
	st->deletions = deletions_new();
	st->seen = da_strset_new(MAX_SEEN);
	st->listed = calloc(LISTED_SLOTS, sizeof(*st->listed));
	st->exec_pending = exec_pending_new();
	if (!st->deletions || !st->seen || !st->listed || !st->exec_pending) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	return load_config(st, cfg, err, errlen);
}

static int file_on_event(void *state, const struct da_event *ev, char *err, size_t errlen)
{
	struct state *st = state;
	if (ev->kind == DA_EV_PROC_EXEC) {
		remember_exec(st, ev);
		check_rm(st, ev);
		exec_bits_ran(st, ev);
	} else if (ev->kind == DA_EV_FILE_STAT) {
		judge_stat_probe(st, ev); /* probing only: a stat reads nothing */
	} else
		on_file_event(st, ev);
	return 0;
}

static int file_finish(void *state, char *err, size_t errlen)
{
	struct state *st = state;
	char observation[128];
	exec_bits_finish(st);
	report_deletions(st);
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
	else if (strncmp(st->first_flagged, "Deletes", 7) == 0)
		snprintf(observation, sizeof(observation), "Mass deletion");
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
	da_strset_free(st->seen);
	for (size_t i = 0; i < st->n_decoys; i++)
		free(st->decoys[i]);
	for (size_t i = 0; i < st->n_links; i++) {
		free(st->links[i].link);
		free(st->links[i].target);
	}
	free(st->home_user);
	deletions_free(st->deletions);
	exec_pending_free(st->exec_pending);
	free(st->listed);
	free(st);
}

/* Every rule this detector emits (ABI 1.2): the core refuses others and
 * checks `rules:` overrides against this list; `dynaudit plugins -v` shows it. */
static const struct da_rule_decl file_rules[] = {
	{"file.sensitive_read", DA_SEV_HIGH,
	 "a sensitive path read (or linked to): secrets, keys, credentials, other users' files"},
	{"file.sensitive_write", DA_SEV_HIGH,
	 "a sensitive path opened for writing"},
	{"file.account_db", DA_SEV_LOW,
	 "/etc/passwd or /etc/group read (low when enumerated by a shell or text tool)"},
	{"file.persistence", DA_SEV_CRITICAL,
	 "a write at a persistence location (rc files, cron, systemd, authorized_keys...)"},
	{"file.write_outside", DA_SEV_HIGH,
	 "a write, create, delete or change outside allow_write"},
	{"file.mass_delete", DA_SEV_HIGH,
	 "sabotage: many pre-existing files deleted or rewritten, or rm -r of HOME or /"},
	{"file.sandbox_probe", DA_SEV_LOW,
	 "a read or stat of a container, virtual machine or tracer mark (/.dockerenv, /proc/1/cgroup, TracerPid)"},
	{"file.exec_created", DA_SEV_HIGH,
	 "a file made executable outside the workdir and kept so (not a mode probe or private temp file)"},
	{0},
};

/* Its config keys (ABI 1.2): the core checks them before init(). */
static const struct da_option_decl file_options[] = {
	{"sensitive", DA_OPT_LIST,
	 "extra sensitive paths or globs, added to the built-in list (~ is HOME)"},
	{"allow_write", DA_OPT_LIST,
	 "places writes may go: workdir, tmp, home or paths/globs (default [workdir, tmp, home])"},
	{0},
};

static const struct da_plugin file_plugin = {
	DA_PLUGIN_HEADER,
	.name = "file",
	.version = "1.0.0",
	.description = "Sensitive reads, writes outside allowed places, persistence, dropped executables",
	.category_id = "file",
	.category_title = "File Access",
	.kinds = DA_KINDS(DA_EV_PROC_EXEC, DA_EV_FILE_OPEN, DA_EV_FILE_UNLINK, DA_EV_FILE_RENAME,
			DA_EV_FILE_CHMOD, DA_EV_FILE_CHOWN, DA_EV_FILE_LINK, DA_EV_FILE_MKDIR, DA_EV_FILE_WRITE,
			DA_EV_FS_MONITOR, DA_EV_SYSCALL_OTHER, DA_EV_FILE_STAT),
	.rules = file_rules,
	.options = file_options,
	.init = file_init,
	.on_event = file_on_event,
	.finish = file_finish,
	.destroy = file_destroy,
};

DYNAUDIT_PLUGIN(file_plugin)

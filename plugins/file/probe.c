/*
 * probe.c — sandbox probing (rule file.sandbox_probe, low).
 *
 * Malware that suspects an audit stays quiet: it first looks for the marks
 * of a container, a virtual machine or a tracer.  Looking is evidence of
 * intent even when nothing else happens, so each mark is reported once,
 * low (it weighs little alone, but says why a run was quiet):
 *   - container marks: /.dockerenv, /run/.containerenv, /.dockerinit,
 *     /run/systemd/container, and what pid 1 is (/proc/1/cgroup, sched,
 *     mountinfo, status, comm, cmdline, environ);
 *   - virtual machine marks: /sys/class/dmi/id/..., /sys/hypervisor,
 *     /proc/xen, OpenVZ's /proc/vz and /proc/bc, VirtualBox's guest devices;
 *   - the tracer: /proc/self/status (TracerPid) read by a text tool
 *     (`grep TracerPid /proc/self/status`); a runtime reading its own
 *     status for memory figures is not one.
 * Seen as opens, and as stat/lstat/newfstatat/statx/access/faccessat/
 * readlink (DA_EV_FILE_STAT: `test -e /.dockerenv`, os.path.exists), live
 * and replayed alike; whether the mark exists does not matter (in the
 * sandbox none does).  A stat of the own /proc/self/status shows no
 * TracerPid and is no probe.
 * Not probing: process listers (ps, top, pgrep) reading every /proc/PID,
 * and a directory walk (ls -la /, find, du) stat'ing the names of a
 * directory the same process listed (opened with O_DIRECTORY) before: the
 * name came from the listing, not from knowing where to look.
 * /proc/1/environ is also another process's memory: that is
 * file.sensitive_read's, reported there.
 */
#include "file.h"

#include <fnmatch.h>

static const char *const probe_globs[] = {
	"/.dockerenv", "/run/.containerenv", "/.containerenv", "/.dockerinit", "/run/systemd/container",
	"/proc/1/cgroup", "/proc/1/sched", "/proc/1/mountinfo", "/proc/1/status", "/proc/1/comm",
	"/proc/1/cmdline",
	"/sys/class/dmi/id", "/sys/class/dmi/id/*", "/sys/devices/virtual/dmi/id/*", "/sys/hypervisor", "/sys/hypervisor/*",
	"/proc/xen", "/proc/xen/*", "/proc/vz", "/proc/bc", "/dev/vboxguest", "/dev/vboxuser", NULL};

/* The directories those marks are in: a listing of one of them makes the
 * stat of its names a walk (see the header). */
static const char *const probe_dirs[] = {
	"/", "/run", "/run/systemd", "/proc", "/proc/1", "/sys/class/dmi/id",
	"/sys/devices/virtual/dmi/id", "/sys/hypervisor", "/proc/xen", "/dev", NULL};

static bool is_probe_dir(const char *path)
{
	for (const char *const *d = probe_dirs; *d; d++)
		if (strcmp(*d, path) == 0)
			return true;
	return false;
}

/* "L:PID:DIR" in the seen set: pid listed DIR. */
static void listing_key(char *key, size_t len, int pid, const char *dir)
{
	snprintf(key, len, "%d:%s", pid, dir);
}

/* /proc/self/status or /proc/PID/status of the reader itself. */
static bool own_status(const struct da_event *ev, const char *path)
{
	char mine[64];
	snprintf(mine, sizeof(mine), "/proc/%d/status", ev->pid);
	return strcmp(path, "/proc/self/status") == 0 || strcmp(path, "/proc/thread-self/status") == 0 ||
	       strcmp(path, mine) == 0;
}

/* Judges a read of path; returns true when it was a probe. */
bool judge_probe(struct state *st, const struct da_event *ev, const char *path)
{
	if (ev->kind == DA_EV_FILE_OPEN && (ev->access & DA_ACC_DIR) && is_probe_dir(path)) {
		char key[PATH_MAX_LEN + 32];
		listing_key(key, sizeof(key), ev->pid, path);
		(void)seen_once(st, 'L', key);
		return false;
	}
	const char *who = proc_name(st, ev->pid);
	if (da_prog_is_process_lister(who))
		return false;
	bool probe = false;
	for (const char *const *g = probe_globs; *g && !probe; g++)
		probe = fnmatch(*g, path, FNM_PATHNAME) == 0;
	bool tracer = false;
	if (!probe && own_status(ev, path) && ev->kind != DA_EV_FILE_STAT) {
		tracer = da_prog_is_shell(who);
		for (const char *const *e = enumerators; *e && !tracer; e++)
			tracer = strcmp(who, *e) == 0;
		probe = tracer;
	}
	if (!probe || !seen_once(st, 'b', path))
		return probe;
	char rbuf[64];
	char how[64] = "reads";
	if (ev->kind == DA_EV_FILE_STAT)
		snprintf(how, sizeof(how), "checks for (%s)", ev->syscall ? ev->syscall : "stat");
	report(st, "file.sandbox_probe", DA_SEV_LOW, ev,
	       "Check what the program does when it believes it is not watched: probing for a sandbox is how evasive code decides to stay quiet.",
	       "Probes for a sandbox or tracer: %s %s %s%s%s", who[0] ? who : "the program", how, path,
	       tracer ? " (TracerPid)" : "", result_text(ev, rbuf, sizeof(rbuf)));
	return true;
}

void judge_stat_probe(struct state *st, const struct da_event *ev)
{
	const char *raw = ev->path ? ev->path : ev->raw_path;
	char path[PATH_MAX_LEN], dir[PATH_MAX_LEN], key[PATH_MAX_LEN + 32];
	if (!raw || !*raw || ev->phase)
		return; /* the build's own stats (target.setup) are not the program's */
	da_path_normalize(raw, st->host->run->workdir, path, sizeof(path));
	da_copy_text(dir, sizeof(dir), path);
	char *slash = strrchr(dir, '/');
	if (!slash)
		return;
	slash[slash == dir ? 1 : 0] = '\0';
	listing_key(key, sizeof(key), ev->pid, dir);
	char tagged[PATH_MAX_LEN + 36];
	snprintf(tagged, sizeof(tagged), "L:%s", key);
	if (seen_has(st, tagged))
		return; /* a name from a listing: a walk */
	(void)judge_probe(st, ev, path);
}

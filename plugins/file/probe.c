/*
 * probe.c — sandbox probing (rule file.sandbox_probe, low).
 *
 * Malware that suspects an audit stays quiet: it first looks for the marks
 * of a container, a virtual machine or a tracer.  Reading them is evidence
 * of intent even when nothing else happens, so each is reported once, low
 * (it weighs little alone, but says why a run was quiet).  Seen as opens:
 *   - container marks: /.dockerenv, /run/.containerenv, and what pid 1 is
 *     (/proc/1/cgroup, sched, mountinfo, status, comm, cmdline, environ);
 *   - virtual machine marks: /sys/class/dmi/id/..., /sys/hypervisor/...;
 *   - the tracer: /proc/self/status (TracerPid) read by a text tool
 *     (`grep TracerPid /proc/self/status`); a runtime reading its own
 *     status for memory figures is not one.
 * Process listers (ps, top, pgrep) read every /proc/PID and are not
 * probing.  /proc/1/environ is also another process's memory: that is
 * file.sensitive_read's, reported there.
 */
#include "file.h"

#include <fnmatch.h>

static const char *const probe_globs[] = {
	"/.dockerenv", "/run/.containerenv", "/.containerenv",
	"/proc/1/cgroup", "/proc/1/sched", "/proc/1/mountinfo", "/proc/1/status", "/proc/1/comm",
	"/proc/1/cmdline",
	"/sys/class/dmi/id/*", "/sys/devices/virtual/dmi/id/*", "/sys/hypervisor/*", NULL};

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
	const char *who = proc_name(st, ev->pid);
	if (da_prog_is_process_lister(who))
		return false;
	bool probe = false;
	for (const char *const *g = probe_globs; *g && !probe; g++)
		probe = fnmatch(*g, path, FNM_PATHNAME) == 0;
	bool tracer = false;
	if (!probe && own_status(ev, path)) {
		tracer = da_prog_is_shell(who);
		for (const char *const *e = enumerators; *e && !tracer; e++)
			tracer = strcmp(who, *e) == 0;
		probe = tracer;
	}
	if (!probe || !seen_once(st, 'b', path))
		return probe;
	char rbuf[64];
	report(st, "file.sandbox_probe", DA_SEV_LOW, ev,
	       "Check what the program does when it believes it is not watched: probing for a sandbox is how evasive code decides to stay quiet.",
	       "Probes for a sandbox or tracer: %s reads %s%s%s", who[0] ? who : "the program", path,
	       tracer ? " (TracerPid)" : "", result_text(ev, rbuf, sizeof(rbuf)));
	return true;
}

/*
 * privilege.c — detector "privilege" (category "Privilege Use").
 *
 * A student program runs as an unprivileged user in a sandbox and has no
 * reason to touch identities, capabilities, namespaces, mounts, other
 * processes' memory or the kernel's rarely used interfaces.  Every attempt
 * counts, whether it succeeded or not: the message says which (with the
 * errno), because a refused escalation is still an escalation attempt.
 *
 * Rules (id, severity, trigger; what is deliberately ignored):
 *   privilege.set_id        high  setuid/setgid/setre*id/setres*id/setfs*id
 *                                 asking for id 0, or refused with EPERM
 *                                 (an id it does not have); setgroups with a
 *                                 non-empty list.
 *                           low   a successful change from the known current
 *                                 ids (getuid() & co.) to others: a drop;
 *                                 setgroups(0, ...).
 *                                 Ignored: ids that are -1 or already held
 *                                 (make's setresuid(-1, getuid(), -1)), and
 *                                 successful calls when the current ids were
 *                                 never seen (success proves they were its own).
 *   privilege.capability    high  capset that sets capabilities, prctl
 *                                 PR_CAP_AMBIENT_RAISE, PR_SET_SECUREBITS.
 *                           medium prctl PR_SET_KEEPCAPS(1), and any other
 *                                 capability prctl the core reports.
 *                           low   PR_SET_PTRACER (opens itself to tracing).
 *                           info  capset clearing all sets, PR_CAPBSET_DROP,
 *                                 PR_CAP_AMBIENT lower/clear.  Ignored:
 *                                 read-only queries (PR_CAPBSET_READ,
 *                                 PR_GET_*, PR_CAP_AMBIENT_IS_SET).
 *   privilege.hardening     info  PR_SET_NO_NEW_PRIVS, PR_SET_DUMPABLE,
 *                                 PR_SET_SECCOMP / seccomp(): the program
 *                                 restricting itself.
 *   privilege.namespace     high  unshare/setns/clone with CLONE_NEW* flags
 *                                 (the user namespace is named first).
 *   privilege.mount         high  mount/umount/pivot_root/chroot/fsopen/...
 *   privilege.ptrace        critical PTRACE_ATTACH/SEIZE/POKE{TEXT,DATA,USER}/SETREGS,
 *                                 process_vm_writev; high: PTRACE_TRACEME,
 *                                 other requests, process_vm_readv,
 *                                 pidfd_getfd.
 *   privilege.setuid_bit    critical chmod (or the create mode of open/creat) with
 *                                 S_ISUID or S_ISGID (mode & 06000).
 *                                 Ignored: the sticky bit, mkdir modes.
 *   privilege.chown_root    high  chown to uid 0 or gid 0.
 *                           info  chown to other ids (not an escalation).
 *   privilege.kernel        critical init_module/finit_module/
 *                                 delete_module/kexec_*; high: bpf,
 *                                 perf_event_open, keyctl/add_key/
 *                                 request_key, userfaultfd, io_uring_*,
 *                                 iopl/ioperm, personality (a plain
 *                                 personality(0xffffffff) query is info),
 *                                 32-bit syscall entry and anything else the
 *                                 core files under DA_EV_PRIV_KERNEL.
 *   privilege.setuid_tool   high  exec of sudo, su, pkexec, doas, passwd,
 *                                 mount, fusermount, newuidmap ... (setuid
 *                                 helpers that exist to change privilege).
 *
 * Summary: "None" / "No privilege escalation"; "N escalation attempts" (high
 * or critical) or "N privilege changes" (low/medium) with the worst message.
 *
 * Options: none (any key is rejected).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dynaudit/event.h"
#include "dynaudit/plugin.h"

#define KIND_BIT(k) ((uint64_t)1 << ((k) % 64))
#define MAX_KNOWN_IDS 8

struct known_ids {
	long ids[MAX_KNOWN_IDS];
	size_t n;
};

struct privilege {
	const struct da_host *host;
	struct known_ids uids, gids; /* ids the processes were seen to hold */
	size_t n_by_sev[5];
	enum da_severity worst;
	char worst_message[256];     /* the first finding of the worst severity */
};

/* ---- small helpers ---------------------------------------------------- */

static const char *base_name(const char *path)
{
	const char *slash = path ? strrchr(path, '/') : NULL;
	return slash ? slash + 1 : (path ? path : "");
}

/* Ids arrive as int64; a -1 may have been written as its 32-bit form. */
static long norm_id(int64_t v)
{
	if (v == 0xFFFFFFFFLL)
		return -1;
	return (long)v;
}

static void known_add(struct known_ids *k, long id)
{
	for (size_t i = 0; i < k->n; i++)
		if (k->ids[i] == id)
			return;
	if (k->n < MAX_KNOWN_IDS)
		k->ids[k->n++] = id;
}

static bool known_has(const struct known_ids *k, long id)
{
	for (size_t i = 0; i < k->n; i++)
		if (k->ids[i] == id)
			return true;
	return false;
}

/* " (failed: EPERM)" or " (succeeded)" — attempts count either way. */
static void outcome(const struct da_event *ev, char *buf, size_t len)
{
	if (ev->err == 0 && ev->text && strstr(ev->text, ") = ?")) {
		snprintf(buf, len, " (result not observed)"); /* seen at entry only, or it died in the call */
	} else if (ev->err != 0 || ev->result < 0) {
		if (ev->errname)
			snprintf(buf, len, " (failed: %s)", ev->errname);
		else
			snprintf(buf, len, " (failed: errno %d)", ev->err);
	} else {
		snprintf(buf, len, " (succeeded)");
	}
}

static const char *name_of(const struct da_event *ev, const char *fallback)
{
	return ev->syscall ? ev->syscall : fallback;
}

__attribute__((format(printf, 6, 7))) static int report(struct privilege *st,
							const struct da_event *ev,
							const char *rule, enum da_severity sev,
							const char *recommendation,
							const char *fmt, ...)
{
	char msg[512], res[64];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (ev->syscall) {
		outcome(ev, res, sizeof(res));
		size_t used = strlen(msg);
		snprintf(msg + used, sizeof(msg) - used, "%s", res);
	}
	const char *evidence[1] = {ev->text};
	struct da_finding f = {
		.struct_size = sizeof(f),
		.rule = rule,
		.severity = sev,
		.message = msg,
		.pid = ev->pid,
		.time_s = ev->time_s,
		.evidence = ev->text ? evidence : NULL,
		.n_evidence = ev->text ? 1 : 0,
		.recommendation = recommendation,
	};
	st->n_by_sev[sev]++;
	if (st->n_by_sev[sev] == 1 && (sev > st->worst || st->worst_message[0] == '\0')) {
		st->worst = sev;
		snprintf(st->worst_message, sizeof(st->worst_message), "%s", msg);
	}
	/* emit only refuses malformed findings, which this file never builds */
	(void)st->host->emit(st->host, &f);
	return 0;
}

static const char REC_ESCALATE[] =
	"Remove the privilege change: the program must run as the unprivileged user it is given";
static const char REC_KERNEL[] =
	"Remove the use of this kernel interface; a course project has no need for it";

/* ---- identities --------------------------------------------------------- */

static int on_set_id(struct privilege *st, const struct da_event *ev)
{
	const char *sc = name_of(ev, "setuid");
	bool is_gid = strstr(sc, "gid") != NULL || strstr(sc, "groups") != NULL;

	if (strncmp(sc, "setgroups", 9) == 0) {
		bool clears = ev->arg[0] == 0 || (ev->text && strstr(ev->text, "setgroups(0,"));
		if (clears)
			return report(st, ev, "privilege.set_id", DA_SEV_LOW, NULL,
				      "%s clears the supplementary groups (a privilege drop)", sc);
		return report(st, ev, "privilege.set_id", DA_SEV_HIGH, REC_ESCALATE,
			      "%s sets supplementary groups", sc);
	}

	size_t n = strncmp(sc, "setres", 6) == 0 ? 3 : strncmp(sc, "setre", 5) == 0 ? 2 : 1;
	const struct known_ids *known = is_gid ? &st->gids : &st->uids;
	/* Setting an id one already has always succeeds, so a refusal (EPERM)
	 * means another identity was asked for, even when getuid() was never
	 * seen; a success to an id that is not known to be current is a drop
	 * only when the current ids are known (make restores its own ids).
	 * In a user namespace an id with no mapping is refused with EINVAL:
	 * the same request. */
	bool refused = ev->err == EPERM || ev->err == EINVAL;
	bool root = false, other = false, drop = false;
	long shown = -1;
	for (size_t i = 0; i < n; i++) {
		long id = norm_id(ev->arg[i]);
		if (id == -1 || known_has(known, id))
			continue; /* unchanged, or an id it already holds */
		if (id == 0)
			root = true;
		else if (refused)
			other = true;
		else if (known->n > 0)
			drop = true;
		else
			continue; /* succeeded, current ids unknown: its own id */
		if (shown == -1 || id == 0)
			shown = id;
	}
	const char *what = is_gid ? "gid" : "uid";
	if (root)
		return report(st, ev, "privilege.set_id", DA_SEV_HIGH, REC_ESCALATE,
			      "%s asks for root (%s 0)", sc, what);
	if (other)
		return report(st, ev, "privilege.set_id", DA_SEV_HIGH, REC_ESCALATE,
			      "%s asks to become another user (%s %ld)", sc, what, shown);
	if (drop)
		return report(st, ev, "privilege.set_id", DA_SEV_LOW, NULL,
			      "%s drops to %s %ld", sc, what, shown);
	return 0; /* a no-op: the ids it already has */
}

/* getuid() & co. tell which ids a process already holds. */
static void on_other_syscall(struct privilege *st, const struct da_event *ev)
{
	if (!ev->syscall || ev->err != 0 || ev->result < 0)
		return;
	if (strcmp(ev->syscall, "getuid") == 0 || strcmp(ev->syscall, "geteuid") == 0 ||
	    strcmp(ev->syscall, "getuid32") == 0 || strcmp(ev->syscall, "geteuid32") == 0)
		known_add(&st->uids, (long)ev->result);
	else if (strcmp(ev->syscall, "getgid") == 0 || strcmp(ev->syscall, "getegid") == 0 ||
		 strcmp(ev->syscall, "getgid32") == 0 || strcmp(ev->syscall, "getegid32") == 0)
		known_add(&st->gids, (long)ev->result);
}

/* ---- capabilities and self-restriction ------------------------------- */

/* capset text: "capset({...}, {effective=0, permitted=0, inheritable=0})".
 * All three sets empty is a drop; anything else (or no text) is a raise. */
static bool capset_clears_all(const char *text)
{
	if (!text)
		return false;
	const char *sets[] = {"effective=", "permitted=", "inheritable="};
	for (size_t i = 0; i < 3; i++) {
		const char *p = strstr(text, sets[i]);
		if (!p)
			return false;
		p += strlen(sets[i]);
		if (p[0] != '0' || (p[1] != ',' && p[1] != '}' && p[1] != ' '))
			return false;
	}
	return true;
}

static int on_cap(struct privilege *st, const struct da_event *ev)
{
	const char *opt = ev->detail ? ev->detail : name_of(ev, "capset");
	const char *text = ev->text ? ev->text : "";

	if (strcmp(opt, "capset") == 0) {
		if (capset_clears_all(ev->text))
			return report(st, ev, "privilege.capability", DA_SEV_INFO, NULL,
				      "capset clears all capabilities");
		return report(st, ev, "privilege.capability", DA_SEV_HIGH, REC_ESCALATE,
			      "capset sets capabilities");
	}
	if (strcmp(opt, "seccomp") == 0 || strstr(opt, "SECCOMP") ||
	    strstr(opt, "NO_NEW_PRIVS") || strstr(opt, "DUMPABLE")) {
		if (strncmp(opt, "PR_GET_", 7) == 0)
			return 0;
		return report(st, ev, "privilege.hardening", DA_SEV_INFO, NULL,
			      "the program restricts itself with %s", opt);
	}
	if (strcmp(opt, "PR_CAP_AMBIENT") == 0) {
		/* arg[0] is the sub-operation: 1 IS_SET, 2 RAISE, 3 LOWER, 4 CLEAR_ALL */
		if (ev->arg[0] == 2 || strstr(text, "RAISE"))
			return report(st, ev, "privilege.capability", DA_SEV_HIGH, REC_ESCALATE,
				      "prctl PR_CAP_AMBIENT_RAISE raises an ambient capability");
		if (ev->arg[0] == 1 || strstr(text, "IS_SET"))
			return 0;
		return report(st, ev, "privilege.capability", DA_SEV_INFO, NULL,
			      "prctl PR_CAP_AMBIENT lowers ambient capabilities");
	}
	if (strcmp(opt, "PR_CAPBSET_DROP") == 0)
		return report(st, ev, "privilege.capability", DA_SEV_INFO, NULL,
			      "prctl PR_CAPBSET_DROP drops a bounding-set capability");
	if (strcmp(opt, "PR_SET_SECUREBITS") == 0)
		return report(st, ev, "privilege.capability", DA_SEV_HIGH, REC_ESCALATE,
			      "prctl PR_SET_SECUREBITS changes how root privileges are kept");
	if (strcmp(opt, "PR_SET_KEEPCAPS") == 0) {
		if (ev->arg[0] == 0)
			return 0;
		return report(st, ev, "privilege.capability", DA_SEV_MEDIUM, REC_ESCALATE,
			      "prctl PR_SET_KEEPCAPS keeps capabilities across a uid change");
	}
	if (strncmp(opt, "PR_GET_", 7) == 0 || strcmp(opt, "PR_CAPBSET_READ") == 0)
		return 0; /* queries change nothing */
	if (strcmp(opt, "PR_SET_PTRACER") == 0)
		return report(st, ev, "privilege.capability", DA_SEV_LOW, NULL,
			      "prctl PR_SET_PTRACER lets another process trace this one");
	return report(st, ev, "privilege.capability", DA_SEV_MEDIUM, NULL,
		      "capability-related prctl %s", opt);
}

/* ---- namespaces, mounts, other processes ------------------------------ */

static int on_namespace(struct privilege *st, const struct da_event *ev)
{
	const char *sc = name_of(ev, "unshare");
	const char *names = ev->detail && ev->detail[0] ? ev->detail : NULL;
	const long clone_newuser = 0x10000000;
	if ((ev->flags & clone_newuser) || (names && strstr(names, "CLONE_NEWUSER")))
		return report(st, ev, "privilege.namespace", DA_SEV_HIGH, REC_ESCALATE,
			      "%s creates a user namespace (%s), gaining root inside it", sc,
			      names ? names : "CLONE_NEWUSER");
	if (strcmp(sc, "setns") == 0)
		return report(st, ev, "privilege.namespace", DA_SEV_HIGH, REC_ESCALATE,
			      "setns joins another namespace%s%s", names ? " " : "",
			      names ? names : "");
	return report(st, ev, "privilege.namespace", DA_SEV_HIGH, REC_ESCALATE,
		      "%s creates new namespaces (%s)", sc, names ? names : "unnamed flags");
}

static int on_mount(struct privilege *st, const struct da_event *ev)
{
	const char *sc = name_of(ev, "mount");
	return report(st, ev, "privilege.mount", DA_SEV_HIGH, REC_ESCALATE, "%s on %s", sc,
		      ev->path ? ev->path : "an unknown target");
}

static int on_ptrace(struct privilege *st, const struct da_event *ev)
{
	const char *sc = name_of(ev, "ptrace");
	const char *req = ev->detail ? ev->detail : sc;
	static const char REC[] = "A program must not inspect or alter other processes";

	if (strcmp(req, "PTRACE_TRACEME") == 0)
		return report(st, ev, "privilege.ptrace", DA_SEV_HIGH, REC,
			      "PTRACE_TRACEME asks to be traced by its parent (anti-debugging or injection set-up)");
	bool critical = strstr(req, "ATTACH") || strstr(req, "SEIZE") || strstr(req, "POKE") ||
			strstr(req, "SETREGS") || strstr(req, "SETFPREGS") ||
			strstr(req, "process_vm_writev") || strcmp(sc, "process_vm_writev") == 0;
	return report(st, ev, "privilege.ptrace", critical ? DA_SEV_CRITICAL : DA_SEV_HIGH, REC,
		      "%s%s%s on another process (pid %d)", sc,
		      strcmp(req, sc) != 0 ? " " : "", strcmp(req, sc) != 0 ? req : "",
		      (int)ev->target_pid);
}

/* ---- files: setuid bits and ownership --------------------------------- */

static const char *file_of(const struct da_event *ev)
{
	if (ev->path)
		return ev->path;
	if (ev->fd_desc)
		return ev->fd_desc;
	return "an unknown file";
}

static int on_mode(struct privilege *st, const struct da_event *ev)
{
	if (ev->kind == DA_EV_FILE_OPEN && !(ev->access & DA_ACC_CREATE))
		return 0; /* the mode argument only matters when creating */
	if ((ev->mode & 06000) == 0)
		return 0;
	const char *bits = (ev->mode & 04000) && (ev->mode & 02000) ? "setuid and setgid bits"
			   : (ev->mode & 04000)                  ? "setuid bit"
								 : "setgid bit";
	return report(st, ev, "privilege.setuid_bit", DA_SEV_CRITICAL,
		      "Never create set-id files: they run with their owner's privileges",
		      "%s sets the %s on %s (mode %04llo)", name_of(ev, "chmod"), bits, file_of(ev),
		      (unsigned long long)(ev->mode & 07777));
}

static int on_chown(struct privilege *st, const struct da_event *ev)
{
	long uid = norm_id(ev->arg[0]), gid = norm_id(ev->arg[1]);
	const char *sc = name_of(ev, "chown");
	if (uid == 0 || gid == 0)
		return report(st, ev, "privilege.chown_root", DA_SEV_HIGH, REC_ESCALATE,
			      "%s gives %s to root (uid %ld, gid %ld)", sc, file_of(ev), uid, gid);
	if (uid == -1 && gid == -1)
		return 0;
	return report(st, ev, "privilege.chown_root", DA_SEV_INFO, NULL,
		      "%s changes the owner of %s (uid %ld, gid %ld)", sc, file_of(ev), uid, gid);
}

/* ---- kernel attack surface --------------------------------------------- */

static int on_kernel(struct privilege *st, const struct da_event *ev)
{
	const char *sc = name_of(ev, "unknown");
	static const char *const critical[] = {"init_module", "finit_module", "delete_module",
					       "kexec_load", "kexec_file_load"};
	for (size_t i = 0; i < sizeof(critical) / sizeof(critical[0]); i++)
		if (strcmp(sc, critical[i]) == 0)
			return report(st, ev, "privilege.kernel", DA_SEV_CRITICAL, REC_KERNEL,
				      "%s tries to change the running kernel", sc);
	if (strcmp(sc, "personality") == 0 &&
	    (norm_id(ev->arg[0]) == -1 || (ev->text && strstr(ev->text, "0xffffffff"))))
		return report(st, ev, "privilege.kernel", DA_SEV_INFO, NULL,
			      "personality queried (no change)");
	const char *why = "uses a rarely needed kernel interface";
	if (strcmp(sc, "i386") == 0 || strcmp(sc, "x32") == 0) {
		/* the tracer names the call in the foreign ABI: "setuid32[i386](0)" */
		char call[64] = "";
		if (ev->text)
			snprintf(call, sizeof(call), "%.*s", (int)strcspn(ev->text, "["), ev->text);
		return report(st, ev, "privilege.kernel", DA_SEV_HIGH, REC_KERNEL,
			      "Enters the kernel through the %s system-call table%s%s (a way around "
			      "filters written for x86-64)",
			      strcmp(sc, "i386") == 0 ? "32-bit (int 0x80)" : "x32",
			      call[0] ? " to call " : "", call);
	}
	if (strcmp(sc, "bpf") == 0)
		why = "loads or manipulates eBPF programs";
	else if (strcmp(sc, "perf_event_open") == 0)
		why = "opens kernel performance counters";
	else if (strcmp(sc, "keyctl") == 0 || strcmp(sc, "add_key") == 0 ||
		 strcmp(sc, "request_key") == 0)
		why = "uses the kernel keyring";
	else if (strcmp(sc, "userfaultfd") == 0)
		why = "creates a userfaultfd (a common kernel-exploit primitive)";
	else if (strncmp(sc, "io_uring", 8) == 0)
		why = "uses io_uring (large kernel attack surface)";
	else if (strcmp(sc, "iopl") == 0 || strcmp(sc, "ioperm") == 0)
		why = "asks for direct hardware I/O port access";
	else if (strcmp(sc, "personality") == 0)
		why = "changes the execution domain (e.g. disables ASLR)";
	return report(st, ev, "privilege.kernel", DA_SEV_HIGH, REC_KERNEL, "%s %s", sc, why);
}

/* ---- set-id helper programs ---------------------------------------------- */

static int on_exec(struct privilege *st, const struct da_event *ev)
{
	static const char *const tools[] = {
		"sudo", "sudoedit", "su", "pkexec", "doas", "passwd", "chsh", "chfn",
		"newgrp", "gpasswd", "chage", "expiry", "mount", "umount", "fusermount",
		"fusermount3", "newuidmap", "newgidmap", "unix_chkpwd", "ssh-keysign",
		"pppd", "runuser", "crontab", "at", "ksu", "calife", "super",
	};
	const char *exe = ev->path ? ev->path : (ev->argc > 0 && ev->argv ? ev->argv[0] : NULL);
	const char *base = base_name(exe);
	for (size_t i = 0; i < sizeof(tools) / sizeof(tools[0]); i++)
		if (strcmp(base, tools[i]) == 0)
			return report(st, ev, "privilege.setuid_tool", DA_SEV_HIGH, REC_ESCALATE,
				      "runs the privilege tool %s", base);
	return 0;
}

/* ---- lifecycle ------------------------------------------------------------ */

static int privilege_init(const struct da_host *host, const struct da_cfg *cfg, void **state,
			  char *err, size_t errlen)
{
	const char *key = host->cfg_key_at(host, cfg, 0);
	if (key) {
		snprintf(err, errlen, "%s: %s: unknown option (privilege takes no options)",
			 host->cfg_where(host, cfg, key), key);
		return -EINVAL;
	}
	struct privilege *st = calloc(1, sizeof(*st));
	if (!st) {
		snprintf(err, errlen, "privilege: out of memory");
		return -ENOMEM;
	}
	st->host = host;
	*state = st;
	return 0;
}

static int privilege_on_event(void *state, const struct da_event *ev, char *err, size_t errlen)
{
	struct privilege *st = state;
	switch (ev->kind) {
	case DA_EV_PRIV_ID: return on_set_id(st, ev);
	case DA_EV_PRIV_CAP: return on_cap(st, ev);
	case DA_EV_PRIV_NS: return on_namespace(st, ev);
	case DA_EV_PRIV_MOUNT: return on_mount(st, ev);
	case DA_EV_PRIV_PTRACE: return on_ptrace(st, ev);
	case DA_EV_PRIV_KERNEL: return on_kernel(st, ev);
	case DA_EV_FILE_CHMOD:
	case DA_EV_FILE_OPEN: return on_mode(st, ev);
	case DA_EV_FILE_CHOWN: return on_chown(st, ev);
	case DA_EV_PROC_EXEC: return on_exec(st, ev);
	case DA_EV_SYSCALL_OTHER: on_other_syscall(st, ev); return 0;
	default: return 0;
	}
}

static int privilege_finish(void *state, char *err, size_t errlen)
{
	struct privilege *st = state;
	size_t escalations = st->n_by_sev[DA_SEV_HIGH] + st->n_by_sev[DA_SEV_CRITICAL];
	size_t lesser = st->n_by_sev[DA_SEV_LOW] + st->n_by_sev[DA_SEV_MEDIUM];
	char obs[64];

	if (escalations > 0) {
		snprintf(obs, sizeof(obs), "%zu escalation attempt%s", escalations,
			 escalations == 1 ? "" : "s");
		st->host->set_summary(st->host, obs, st->worst_message);
	} else if (lesser > 0) {
		snprintf(obs, sizeof(obs), "%zu privilege change%s", lesser, lesser == 1 ? "" : "s");
		st->host->set_summary(st->host, obs, st->worst_message);
	} else if (st->n_by_sev[DA_SEV_INFO] > 0) {
		st->host->set_summary(st->host, "Self-restriction only",
				      "No privilege escalation; only privilege drops or harmless calls");
	} else {
		st->host->set_summary(st->host, "None", "No privilege escalation");
	}
	return 0;
}

static void privilege_destroy(void *state)
{
	free(state);
}

static const struct da_plugin privilege_plugin = {
	DA_PLUGIN_HEADER,
	.name = "privilege",
	.version = "1.0.0",
	.description = "identity, capability, namespace, mount, ptrace and kernel-interface use",
	.category_id = "privilege",
	.category_title = "Privilege Use",
	.subscriptions = {
		KIND_BIT(DA_EV_PROC_EXEC) | KIND_BIT(DA_EV_FILE_OPEN) | KIND_BIT(DA_EV_FILE_CHMOD) |
		KIND_BIT(DA_EV_FILE_CHOWN) | KIND_BIT(DA_EV_PRIV_ID) |
		KIND_BIT(DA_EV_PRIV_CAP) | KIND_BIT(DA_EV_PRIV_NS) | KIND_BIT(DA_EV_PRIV_MOUNT) |
		KIND_BIT(DA_EV_PRIV_PTRACE) | KIND_BIT(DA_EV_PRIV_KERNEL),
		KIND_BIT(DA_EV_SYSCALL_OTHER), /* kind 90 lives in the second word */
	},
	.init = privilege_init,
	.on_event = privilege_on_event,
	.finish = privilege_finish,
	.destroy = privilege_destroy,
};

DYNAUDIT_PLUGIN(privilege_plugin)

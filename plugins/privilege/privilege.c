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
 *                           info  the same by a process already holding uid
 *                                 0 (its getuid()/geteuid() returned 0 and it
 *                                 set no other uid since: tar run as root
 *                                 restoring 0:0): nothing gained.
 *                           info  chown to other ids (not an escalation).
 *   privilege.kernel        critical init_module/finit_module/
 *                                 delete_module/kexec_*; high: bpf,
 *                                 perf_event_open, keyctl/add_key/
 *                                 request_key, userfaultfd, io_uring_*,
 *                                 iopl/ioperm, personality (a plain
 *                                 personality(0xffffffff) query is info),
 *                                 32-bit syscall entry by an x86-64
 *                                 program (by a 32-bit program: low, it
 *                                 cannot run here) and anything else the
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
#include "privilege.h"

/* ---- lifecycle ------------------------------------------------------------ */

static int privilege_init(const struct da_host *host, const struct da_cfg *cfg, void **state,
			  char *err, size_t errlen)
{
	/* any key is refused by the core before init (.options = da_no_options) */
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

/* Every rule this detector emits (ABI 1.2): the core refuses others and
 * checks `rules:` overrides against this list; `dynaudit plugins -v` shows it. */
static const struct da_rule_decl privilege_rules[] = {
	{"privilege.set_id", DA_SEV_HIGH,
	 "set*id asking for root or an id the process does not have"},
	{"privilege.capability", DA_SEV_HIGH,
	 "capabilities set or raised (capset, ambient raise, securebits)"},
	{"privilege.hardening", DA_SEV_INFO,
	 "the program restricting itself (no_new_privs, seccomp, dumpable)"},
	{"privilege.namespace", DA_SEV_HIGH,
	 "unshare, setns or clone with new namespaces"},
	{"privilege.mount", DA_SEV_HIGH,
	 "mount, umount, pivot_root, chroot and the new mount API"},
	{"privilege.ptrace", DA_SEV_CRITICAL,
	 "ptrace of another process, process_vm_* or pidfd_getfd"},
	{"privilege.setuid_bit", DA_SEV_CRITICAL,
	 "a setuid or setgid bit set on a file"},
	{"privilege.chown_root", DA_SEV_HIGH,
	 "chown to uid or gid 0 by a process not already root"},
	{"privilege.kernel", DA_SEV_CRITICAL,
	 "kernel modules, kexec, bpf, perf, keyrings, io_uring and other kernel surface"},
	{"privilege.setuid_tool", DA_SEV_HIGH,
	 "exec of sudo, su, pkexec, passwd and other set-id helpers"},
	{0},
};

static const struct da_plugin privilege_plugin = {
	DA_PLUGIN_HEADER,
	.name = "privilege",
	.version = "1.0.0",
	.description = "identity, capability, namespace, mount, ptrace and kernel-interface use",
	.category_id = "privilege",
	.category_title = "Privilege Use",
	.kinds = DA_KINDS(DA_EV_PROC_EXEC, DA_EV_FILE_OPEN, DA_EV_FILE_CHMOD, DA_EV_FILE_CHOWN,
			DA_EV_PRIV_ID, DA_EV_PRIV_CAP, DA_EV_PRIV_NS, DA_EV_PRIV_MOUNT, DA_EV_PRIV_PTRACE,
			DA_EV_PRIV_KERNEL, DA_EV_SYSCALL_OTHER),
	.rules = privilege_rules,
	.options = da_no_options, /* no keys: any is rejected */
	.init = privilege_init,
	.on_event = privilege_on_event,
	.finish = privilege_finish,
	.destroy = privilege_destroy,
};

DYNAUDIT_PLUGIN(privilege_plugin)

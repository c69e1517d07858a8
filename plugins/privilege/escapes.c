/*
 * escapes.c — namespaces, mounts, ptrace, setuid files, kernel surface, set-id helpers
 */
#include "privilege.h"

/* ---- namespaces, mounts, other processes ------------------------------ */

int on_namespace(struct privilege *st, const struct da_event *ev)
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

int on_mount(struct privilege *st, const struct da_event *ev)
{
	const char *sc = name_of(ev, "mount");
	return report(st, ev, "privilege.mount", DA_SEV_HIGH, REC_ESCALATE, "%s on %s", sc,
		      ev->path ? ev->path : "an unknown target");
}

int on_ptrace(struct privilege *st, const struct da_event *ev)
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

int on_mode(struct privilege *st, const struct da_event *ev)
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

int on_chown(struct privilege *st, const struct da_event *ev)
{
	long uid = norm_id(ev->arg[0]), gid = norm_id(ev->arg[1]);
	const char *sc = name_of(ev, "chown");
	/* a process that already holds uid 0 (its geteuid() said so: tar
	 * extracting as root restores the archive's 0:0) gains nothing; a
	 * setuid bit it sets afterwards is still privilege.setuid_bit */
	if ((uid == 0 || gid == 0) && root_pid_has(st, (int)ev->pid))
		return report(st, ev, "privilege.chown_root", DA_SEV_INFO, NULL,
			      "%s gives %s to root (uid %ld, gid %ld) as root: no privilege gained", sc,
			      file_of(ev), uid, gid);
	if (uid == 0 || gid == 0)
		return report(st, ev, "privilege.chown_root", DA_SEV_HIGH, REC_ESCALATE,
			      "%s gives %s to root (uid %ld, gid %ld)", sc, file_of(ev), uid, gid);
	if (uid == -1 && gid == -1)
		return 0;
	return report(st, ev, "privilege.chown_root", DA_SEV_INFO, NULL,
		      "%s changes the owner of %s (uid %ld, gid %ld)", sc, file_of(ev), uid, gid);
}

/* ---- kernel attack surface --------------------------------------------- */

int on_kernel(struct privilege *st, const struct da_event *ev)
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
	if (strcmp(sc, "i386") == 0 && ev->detail && strstr(ev->detail, "of a 32-bit program")) {
		/* a 32-bit binary (ldd runs /lib/ld-linux.so.2 --version): its
		 * calls are refused, so it cannot run; nothing stepped around
		 * the filter.  Repeats merge into one finding (same text). */
		return report(st, ev, "privilege.kernel", DA_SEV_LOW, NULL,
			      "Runs a 32-bit program; the sandbox refuses its int 0x80 system calls, so it "
			      "cannot run here");
	}
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

int on_exec(struct privilege *st, const struct da_event *ev)
{
	static const char *const tools[] = {
		"sudo", "sudoedit", "su", "pkexec", "doas", "passwd", "chsh", "chfn",
		"newgrp", "gpasswd", "chage", "expiry", "mount", "umount", "fusermount",
		"fusermount3", "newuidmap", "newgidmap", "unix_chkpwd", "ssh-keysign",
		"pppd", "runuser", "crontab", "at", "ksu", "calife", "super",
	};
	const char *exe = ev->path ? ev->path : (ev->argc > 0 && ev->argv ? ev->argv[0] : NULL);
	const char *base = da_prog_base_name(exe);
	for (size_t i = 0; i < sizeof(tools) / sizeof(tools[0]); i++)
		if (strcmp(base, tools[i]) == 0)
			return report(st, ev, "privilege.setuid_tool", DA_SEV_HIGH, REC_ESCALATE,
				      "runs the privilege tool %s", base);
	return 0;
}


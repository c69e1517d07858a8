/*
 * test_privilege.c — the "privilege" detector fed hand-built events through
 * the real bus: each rule fires on its behaviour (also when the attempt
 * failed) and stays silent on a benign Python start-up and a build.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"

static void publish(struct harness *h, struct da_event *ev)
{
	cr_assert_eq(harness_publish(h, ev), 0);
}

static void fail_with(struct da_event *ev, int err, const char *name)
{
	ev->err = err;
	ev->errname = name;
	ev->result = -1;
}

static void publish_open(struct harness *h, int pid, double t, const char *path, int flags,
			 unsigned access, int mode)
{
	struct da_event ev = ev_make(DA_EV_FILE_OPEN, pid, t);
	char text[512];
	snprintf(text, sizeof(text), "openat(AT_FDCWD, \"%s\", %#o, %#o) = 3", path, flags, mode);
	ev.syscall = "openat";
	ev.path = path;
	ev.flags = flags;
	ev.access = access;
	ev.mode = mode;
	ev.fd = 3;
	ev.result = 3;
	ev.text = text;
	publish(h, &ev);
}

static void publish_id(struct harness *h, const char *sc, long a, long b, long c, int err)
{
	struct da_event ev = ev_make(DA_EV_PRIV_ID, 100, 1.0);
	char text[128];
	snprintf(text, sizeof(text), "%s(%ld, %ld, %ld) = %s", sc, a, b, c,
		 err ? "-1 EPERM (Operation not permitted)" : "0");
	ev.syscall = sc;
	ev.arg[0] = a;
	ev.arg[1] = b;
	ev.arg[2] = c;
	ev.text = text;
	if (err)
		fail_with(&ev, EPERM, "EPERM");
	publish(h, &ev);
}

/* What `python3 server.py` does in its first milliseconds, then a build. */
static void publish_benign_run(struct harness *h)
{
	static const char *const argv[] = {"python3", "server.py", NULL};
	struct da_event ev = ev_make(DA_EV_PROC_EXEC, 100, 0.0);
	ev.syscall = "execve";
	ev.path = "/usr/bin/python3";
	ev.argv = argv;
	ev.argc = 2;
	ev.stdio[0] = "/dev/null";
	ev.stdio[1] = "pipe";
	ev.stdio[2] = "pipe";
	ev.text = "execve(\"/usr/bin/python3\", [\"python3\", \"server.py\"], 0x7ffd /* 5 vars */) = 0";
	publish(h, &ev);
	publish_open(h, 100, 0.01, "/etc/ld.so.cache", O_RDONLY | O_CLOEXEC, DA_ACC_READ, 0);
	publish_open(h, 100, 0.02, "/usr/lib/python3.11/encodings/__init__.py", O_RDONLY | O_CLOEXEC,
		     DA_ACC_READ, 0);
	publish_open(h, 100, 0.03, "/etc/localtime", O_RDONLY | O_CLOEXEC, DA_ACC_READ, 0);
	publish_open(h, 100, 0.04, "/home/auditor/app/server.py", O_RDONLY | O_CLOEXEC, DA_ACC_READ, 0);
	/* .pyc cache written with mode 0644 (never set-id) */
	publish_open(h, 100, 0.05, "/home/auditor/app/__pycache__/util.cpython-311.pyc.1402",
		     O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, DA_ACC_WRITE | DA_ACC_CREATE, 0644);
	struct da_event other = ev_make(DA_EV_SYSCALL_OTHER, 100, 0.06);
	other.syscall = "getrandom";
	other.text = "getrandom(\"\\x12...\", 24, GRND_NONBLOCK) = 24";
	publish(h, &other);
	other.syscall = "getuid";
	other.result = 1000;
	other.text = "getuid() = 1000";
	publish(h, &other);
	other.syscall = "ioctl";
	other.result = -1;
	other.text = "ioctl(0, TCGETS, 0x7ffd) = -1 ENOTTY";
	publish(h, &other);
	/* a build: ld writes a.out 0755, chmod 0755 */
	struct da_event chmod = ev_make(DA_EV_FILE_CHMOD, 101, 0.5);
	chmod.syscall = "chmod";
	chmod.path = "/home/auditor/app/a.out";
	chmod.mode = 0755;
	chmod.phase = "setup";
	chmod.text = "chmod(\"a.out\", 0755) = 0";
	publish(h, &chmod);
	struct da_event cap = ev_make(DA_EV_PRIV_CAP, 100, 0.07);
	cap.syscall = "prctl";
	cap.detail = "PR_CAPBSET_READ";
	cap.text = "prctl(PR_CAPBSET_READ, CAP_MAC_OVERRIDE) = 1";
	publish(h, &cap);
}

Test(privilege, benign_python_run_is_silent)
{
	struct harness *h = harness_new("privilege", NULL, NULL);
	publish_benign_run(h);
	cr_assert_eq(harness_finish(h), 0);
	cr_assert_eq(harness_count(h, NULL), 0, "unexpected findings");
	cr_assert_str_eq(harness_status(h), "safe");
	cr_assert_str_eq(harness_observation(h), "None");
	harness_free(h);
}

Test(privilege, setuid_root_is_high_even_when_refused)
{
	struct harness *h = harness_new("privilege", NULL, NULL);
	publish_id(h, "setuid", 0, -1, -1, 1);
	harness_finish(h);
	const struct harness_finding *f = harness_get(h, "privilege.set_id");
	cr_assert_not_null(f);
	cr_assert_eq(f->severity, DA_SEV_HIGH);
	cr_assert(strstr(f->message, "root") && strstr(f->message, "EPERM"), "%s", f->message);
	cr_assert_eq(f->n_evidence, 1);
	cr_assert_not_null(f->recommendation);
	cr_assert_str_eq(harness_status(h), "fail");
	cr_assert(strstr(harness_observation(h), "escalation"));
	harness_free(h);
}

static void publish_getuid(struct harness *h, long uid)
{
	struct da_event ev = ev_make(DA_EV_SYSCALL_OTHER, 100, 0.1);
	char text[64];
	snprintf(text, sizeof(text), "getuid() = %ld", uid);
	ev.syscall = "getuid";
	ev.result = uid;
	ev.text = text;
	publish(h, &ev);
}

Test(privilege, own_ids_are_silent_another_user_is_high)
{
	struct harness *h = harness_new("privilege", NULL, NULL);
	publish_getuid(h, 1000);
	/* make restores its own ids before running a recipe */
	publish_id(h, "setresuid", -1, 1000, -1, 0);
	/* success with never-seen current ids proves they were its own */
	publish_id(h, "setgid", 1000, -1, -1, 0);
	cr_assert_eq(harness_count(h, NULL), 0);
	/* a refusal means it asked for an id it does not have */
	publish_id(h, "setresuid", 4242, 4242, 4242, 1);
	cr_assert_eq(harness_max_severity(h, "privilege.set_id"), DA_SEV_HIGH);
	cr_assert(strstr(harness_get(h, "privilege.set_id")->message, "another user"));
	/* a 32-bit -1 means "unchanged", all-unchanged changes nothing */
	publish_id(h, "setresgid", 0xFFFFFFFFL, 0xFFFFFFFFL, 0xFFFFFFFFL, 0);
	cr_assert_eq(harness_count(h, "privilege.set_id"), 1);
	harness_free(h);
}

Test(privilege, root_dropping_to_a_user_is_low)
{
	struct harness *h = harness_new("privilege", NULL, NULL);
	publish_getuid(h, 0);
	publish_id(h, "setresuid", -1, 0, -1, 0); /* no-op as root */
	cr_assert_eq(harness_count(h, NULL), 0);
	publish_id(h, "setresuid", 65534, 65534, 65534, 0);
	cr_assert_eq(harness_max_severity(h, NULL), DA_SEV_LOW);
	harness_finish(h);
	cr_assert_str_eq(harness_status(h), "warn");
	harness_free(h);
}

Test(privilege, setgroups_clear_is_low_set_is_high)
{
	struct harness *h = harness_new("privilege", NULL, NULL);
	struct da_event ev = ev_make(DA_EV_PRIV_ID, 100, 1.0);
	ev.syscall = "setgroups";
	ev.arg[0] = 0;
	ev.text = "setgroups(0, NULL) = 0";
	publish(h, &ev);
	cr_assert_eq(harness_max_severity(h, NULL), DA_SEV_LOW);
	ev.arg[0] = 1;
	ev.text = "setgroups(1, [0]) = -1 EPERM";
	fail_with(&ev, EPERM, "EPERM");
	publish(h, &ev);
	cr_assert_eq(harness_max_severity(h, NULL), DA_SEV_HIGH);
	harness_free(h);
}

Test(privilege, capabilities_raise_high_drop_info_hardening_info)
{
	struct harness *h = harness_new("privilege", NULL, NULL);
	struct da_event ev = ev_make(DA_EV_PRIV_CAP, 100, 1.0);
	ev.syscall = "prctl";
	ev.detail = "PR_SET_NO_NEW_PRIVS";
	ev.arg[0] = 1;
	ev.text = "prctl(PR_SET_NO_NEW_PRIVS, 1) = 0";
	publish(h, &ev);
	ev.detail = "PR_CAPBSET_DROP";
	ev.text = "prctl(PR_CAPBSET_DROP, CAP_SYS_ADMIN) = 0";
	publish(h, &ev);
	cr_assert_eq(harness_max_severity(h, NULL), DA_SEV_INFO);
	cr_assert_str_eq(harness_status(h), "info");
	cr_assert_eq(harness_count(h, "privilege.hardening"), 1);

	ev.detail = "PR_CAP_AMBIENT";
	ev.arg[0] = 2;
	ev.text = "prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_RAW) = -1 EPERM";
	fail_with(&ev, EPERM, "EPERM");
	publish(h, &ev);
	cr_assert_eq(harness_max_severity(h, "privilege.capability"), DA_SEV_HIGH);

	struct da_event cs = ev_make(DA_EV_PRIV_CAP, 100, 2.0);
	cs.syscall = "capset";
	cs.detail = "capset";
	cs.text = "capset({_LINUX_CAPABILITY_VERSION_3, 0}, {effective=0, permitted=0, inheritable=0}) = 0";
	publish(h, &cs);
	cr_assert(harness_count(h, "privilege.capability") == 3);
	harness_finish(h);
	cr_assert_str_eq(harness_status(h), "fail");
	harness_free(h);
}

Test(privilege, namespaces_mounts_and_kernel_interfaces)
{
	struct harness *h = harness_new("privilege", NULL, NULL);
	struct da_event ns = ev_make(DA_EV_PRIV_NS, 100, 1.0);
	ns.syscall = "unshare";
	ns.flags = 0x10000000 | 0x40000000;
	ns.detail = "CLONE_NEWUSER|CLONE_NEWNET";
	ns.text = "unshare(CLONE_NEWUSER|CLONE_NEWNET) = 0";
	publish(h, &ns);
	const struct harness_finding *f = harness_get(h, "privilege.namespace");
	cr_assert_not_null(f);
	cr_assert(strstr(f->message, "user namespace"), "%s", f->message);
	cr_assert_eq(f->severity, DA_SEV_HIGH);

	struct da_event m = ev_make(DA_EV_PRIV_MOUNT, 100, 1.1);
	m.syscall = "chroot";
	m.path = "/tmp/jail";
	m.text = "chroot(\"/tmp/jail\") = -1 EPERM";
	fail_with(&m, EPERM, "EPERM");
	publish(h, &m);
	cr_assert_eq(harness_max_severity(h, "privilege.mount"), DA_SEV_HIGH);

	static const char *const high[] = {"bpf", "perf_event_open", "keyctl", "userfaultfd",
					   "io_uring_setup", "ioperm", "add_key"};
	for (size_t i = 0; i < sizeof(high) / sizeof(high[0]); i++) {
		struct da_event k = ev_make(DA_EV_PRIV_KERNEL, 100, 2.0);
		k.syscall = high[i];
		k.text = high[i];
		fail_with(&k, EPERM, "EPERM");
		publish(h, &k);
	}
	cr_assert_eq(harness_count(h, "privilege.kernel"), 7);
	cr_assert_eq(harness_max_severity(h, "privilege.kernel"), DA_SEV_HIGH);
	struct da_event mod = ev_make(DA_EV_PRIV_KERNEL, 100, 3.0);
	mod.syscall = "finit_module";
	mod.text = "finit_module(3, \"\", 0) = -1 EPERM";
	fail_with(&mod, EPERM, "EPERM");
	publish(h, &mod);
	cr_assert_eq(harness_max_severity(h, "privilege.kernel"), DA_SEV_CRITICAL);
	harness_free(h);
}

Test(privilege, ptrace_attach_critical_traceme_high)
{
	struct harness *h = harness_new("privilege", NULL, NULL);
	struct da_event ev = ev_make(DA_EV_PRIV_PTRACE, 100, 1.0);
	ev.syscall = "ptrace";
	ev.detail = "PTRACE_TRACEME";
	ev.text = "ptrace(PTRACE_TRACEME) = 0";
	publish(h, &ev);
	cr_assert_eq(harness_max_severity(h, "privilege.ptrace"), DA_SEV_HIGH);
	ev.detail = "PTRACE_ATTACH";
	ev.target_pid = 1;
	ev.text = "ptrace(PTRACE_ATTACH, 1) = -1 EPERM";
	fail_with(&ev, EPERM, "EPERM");
	publish(h, &ev);
	cr_assert_eq(harness_max_severity(h, "privilege.ptrace"), DA_SEV_CRITICAL);
	struct da_event vm = ev_make(DA_EV_PRIV_PTRACE, 100, 1.5);
	vm.syscall = "process_vm_writev";
	vm.detail = "process_vm_writev";
	vm.target_pid = 77;
	vm.text = "process_vm_writev(77, ...) = -1 EPERM";
	publish(h, &vm);
	cr_assert_eq(harness_count(h, "privilege.ptrace"), 3);
	harness_free(h);
}

Test(privilege, setuid_bit_chmod_and_create_are_critical)
{
	struct harness *h = harness_new("privilege", NULL, NULL);
	struct da_event ev = ev_make(DA_EV_FILE_CHMOD, 100, 1.0);
	ev.syscall = "chmod";
	ev.path = "/tmp/sh";
	ev.mode = 04755;
	ev.text = "chmod(\"/tmp/sh\", 04755) = 0";
	publish(h, &ev);
	const struct harness_finding *f = harness_get(h, "privilege.setuid_bit");
	cr_assert_not_null(f);
	cr_assert_eq(f->severity, DA_SEV_CRITICAL);
	cr_assert(strstr(f->message, "/tmp/sh") && strstr(f->message, "setuid"), "%s", f->message);
	publish_open(h, 100, 1.1, "/tmp/x", O_WRONLY | O_CREAT, DA_ACC_WRITE | DA_ACC_CREATE, 02755);
	cr_assert_eq(harness_count(h, "privilege.setuid_bit"), 2);
	/* the mode of an open without O_CREAT means nothing */
	publish_open(h, 100, 1.2, "/tmp/y", O_RDONLY, DA_ACC_READ, 04755);
	cr_assert_eq(harness_count(h, "privilege.setuid_bit"), 2);
	harness_free(h);
}

Test(privilege, chown_to_root_high_other_info)
{
	struct harness *h = harness_new("privilege", NULL, NULL);
	struct da_event ev = ev_make(DA_EV_FILE_CHOWN, 100, 1.0);
	ev.syscall = "chown";
	ev.path = "/home/auditor/app/data.txt";
	ev.arg[0] = 1001;
	ev.arg[1] = -1;
	ev.text = "chown(\"data.txt\", 1001, -1) = -1 EPERM";
	fail_with(&ev, EPERM, "EPERM");
	publish(h, &ev);
	cr_assert_eq(harness_max_severity(h, NULL), DA_SEV_INFO);
	ev.arg[0] = 0;
	ev.text = "chown(\"data.txt\", 0, -1) = -1 EPERM";
	publish(h, &ev);
	cr_assert_eq(harness_max_severity(h, "privilege.chown_root"), DA_SEV_HIGH);
	harness_free(h);
}

/* tar extracting as root restores the archive's 0:0: a process that holds
 * uid 0 gains nothing by it; another process, or the same one after it set
 * another uid, still escalates; a setuid bit stays critical either way. */
Test(privilege, chown_to_root_by_root_is_info)
{
	struct harness *h = harness_new("privilege", NULL, NULL);
	publish_getuid(h, 0); /* pid 100 */
	struct da_event ev = ev_make(DA_EV_FILE_CHOWN, 100, 1.0);
	ev.syscall = "fchown";
	ev.path = "/root/out/a.txt";
	ev.arg[0] = 0;
	ev.arg[1] = 0;
	ev.text = "fchown(5, 0, 0) = 0";
	publish(h, &ev);
	const struct harness_finding *f = harness_get(h, "privilege.chown_root");
	cr_assert_not_null(f);
	cr_expect_eq(f->severity, DA_SEV_INFO);
	cr_expect(strstr(f->message, "as root"), "%s", f->message);
	struct da_event mode = ev_make(DA_EV_FILE_CHMOD, 100, 1.1);
	mode.syscall = "fchmod";
	mode.path = "/root/out/a.txt";
	mode.mode = 04755;
	mode.text = "fchmod(5, 04755) = 0";
	publish(h, &mode);
	cr_expect_eq(harness_max_severity(h, "privilege.setuid_bit"), DA_SEV_CRITICAL);
	/* another process, never seen holding uid 0 */
	ev.pid = 101;
	publish(h, &ev);
	cr_expect_eq(harness_max_severity(h, "privilege.chown_root"), DA_SEV_HIGH);
	harness_free(h);

	/* root that dropped to uid 1000 first gains by a chown to 0 again */
	h = harness_new("privilege", NULL, NULL);
	publish_getuid(h, 0);
	struct da_event drop = ev_make(DA_EV_PRIV_ID, 100, 0.5);
	drop.syscall = "setuid";
	drop.arg[0] = 1000;
	drop.text = "setuid(1000) = 0";
	publish(h, &drop);
	ev.pid = 100;
	publish(h, &ev);
	cr_expect_eq(harness_max_severity(h, "privilege.chown_root"), DA_SEV_HIGH);
	harness_free(h);
}

Test(privilege, exec_of_setuid_tools_is_high)
{
	struct harness *h = harness_new("privilege", NULL, NULL);
	static const char *const argv[] = {"sudo", "-n", "id", NULL};
	struct da_event ev = ev_make(DA_EV_PROC_EXEC, 101, 2.0);
	ev.syscall = "execve";
	ev.path = "/usr/bin/sudo";
	ev.argv = argv;
	ev.argc = 3;
	ev.text = "execve(\"/usr/bin/sudo\", [\"sudo\", \"-n\", \"id\"], ...) = 0";
	publish(h, &ev);
	cr_assert_eq(harness_max_severity(h, "privilege.setuid_tool"), DA_SEV_HIGH);
	/* an ordinary program of the same directory is not one */
	ev.path = "/usr/bin/id";
	ev.text = "execve(\"/usr/bin/id\", ...) = 0";
	publish(h, &ev);
	cr_assert_eq(harness_count(h, NULL), 1);
	harness_free(h);
}

Test(privilege, unknown_option_is_rejected)
{
	int rc = 0;
	struct harness *h = harness_new("privilege", "allow_setuid: true\n", &rc);
	cr_assert_eq(rc, -EINVAL);
	cr_assert(strstr(harness_error(h), "allow_setuid"), "%s", harness_error(h));
	cr_assert(strstr(harness_error(h), ".yaml:"), "no file:line in %s", harness_error(h));
	harness_free(h);
}

/* Every kind with empty members, then with hostile ones: no crash, no error. */
Test(privilege, empty_and_hostile_events_are_survived)
{
	struct harness *h = harness_new("privilege", NULL, NULL);
	harness_publish_hostile_events(h);
	harness_free(h);
}

/* A foreign-ABI entry names the call it made and the table it used. */
Test(privilege, foreign_abi_entry_names_the_call)
{
	struct harness *h = harness_new("privilege", NULL, NULL);
	struct da_event ev = ev_make(DA_EV_PRIV_KERNEL, 100, 1.0);
	ev.syscall = "i386";
	ev.detail = "32-bit syscall (int 0x80)";
	ev.result = -1;
	ev.err = EPERM;
	ev.errname = "EPERM";
	ev.text = "setuid32[i386](0) = -1 EPERM (Operation not permitted)";
	publish(h, &ev);
	harness_finish(h);
	const struct harness_finding *f = harness_get(h, "privilege.kernel");
	cr_assert_not_null(f);
	cr_expect_eq(f->severity, DA_SEV_HIGH);
	cr_expect(strstr(f->message, "32-bit (int 0x80)") && strstr(f->message, "setuid32") &&
		  strstr(f->message, "EPERM"), "%s", f->message);
	harness_free(h);

	/* a 32-bit program (ldd runs /lib/ld-linux.so.2 --version) calls the
	 * kernel that way: low, one finding for its refused calls */
	h = harness_new("privilege", NULL, NULL);
	ev.detail = "32-bit syscall (int 0x80) of a 32-bit program";
	ev.text = "brk[i386](0) = -1 EPERM (Operation not permitted)";
	publish(h, &ev);
	ev.text = "exit_group[i386](0) = -1 EPERM (Operation not permitted)";
	publish(h, &ev);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "privilege.kernel"), DA_SEV_LOW);
	cr_expect_eq(harness_count(h, "privilege.kernel"), 1, "one finding, merged");
	harness_free(h);
}

/*
 * test_file.c — the "file" detector fed hand-built file events through the
 * real bus: secrets, writes outside the allowed places, persistence and
 * dropped executables fire; a Python start-up stays "Local only".
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"

#define RD DA_ACC_READ
#define WR (DA_ACC_WRITE | DA_ACC_CREATE | DA_ACC_TRUNC)

static void publish_open_ex(struct harness *h, int pid, const char *path, unsigned access, int mode,
			    int err, const char *errname)
{
	struct da_event ev = ev_make(DA_EV_FILE_OPEN, pid, 1.0);
	char text[512];
	snprintf(text, sizeof(text), "openat(AT_FDCWD, \"%s\", %s) = %s", path,
		 (access & DA_ACC_WRITE) ? "O_WRONLY|O_CREAT|O_TRUNC" : "O_RDONLY",
		 err ? errname : "3");
	ev.syscall = "openat";
	ev.path = path;
	ev.raw_path = path;
	ev.access = access;
	ev.mode = mode;
	ev.fd = err ? -1 : 3;
	ev.result = err ? -1 : 3;
	ev.err = err;
	ev.errname = errname;
	ev.text = text;
	cr_assert_eq(harness_publish(h, &ev), 0);
}

static void publish_open(struct harness *h, int pid, const char *path, unsigned access, int mode)
{
	publish_open_ex(h, pid, path, access, mode, 0, NULL);
}

static void publish_path(struct harness *h, enum da_event_kind kind, int pid, const char *path,
			 const char *path2, int mode)
{
	struct da_event ev = ev_make(kind, pid, 2.0);
	ev.path = path;
	ev.path2 = path2;
	ev.mode = mode;
	ev.text = "renameat(...) = 0";
	cr_assert_eq(harness_publish(h, &ev), 0);
}

static void publish_exec(struct harness *h, int pid, const char *path, const char *const *argv)
{
	struct da_event ev = ev_make(DA_EV_PROC_EXEC, pid, 0.0);
	int argc = 0;
	while (argv[argc])
		argc++;
	ev.path = path;
	ev.argv = argv;
	ev.argc = argc;
	cr_assert_eq(harness_publish(h, &ev), 0);
}

/* What `python3 server.py` touches in its first milliseconds. */
static void python_startup(struct harness *h, int pid)
{
	static const char *const argv[] = {"python3", "server.py", NULL};
	publish_exec(h, pid, "/usr/bin/python3.11", argv);
	const char *reads[] = {
		"/etc/ld.so.cache", "/lib/x86_64-linux-gnu/libc.so.6", "/usr/bin/pyvenv.cfg",
		"/usr/lib/python3.11/encodings/__pycache__/__init__.cpython-311.pyc",
		"/usr/lib/python3.11", "/etc/localtime", "/proc/self/maps",
		"/home/auditor/app/server.py", "/home/auditor/app/chat/__init__.py",
		"/usr/lib/locale/locale-archive", "/dev/urandom", NULL};
	for (size_t i = 0; reads[i]; i++)
		publish_open(h, pid, reads[i], RD, 0);
	publish_open(h, pid, "/home/auditor/app/__pycache__/server.cpython-311.pyc.140234",
		     DA_ACC_WRITE | DA_ACC_CREATE, 0644);
	publish_path(h, DA_EV_FILE_RENAME, pid,
		     "/home/auditor/app/__pycache__/server.cpython-311.pyc.140234",
		     "/home/auditor/app/__pycache__/server.cpython-311.pyc", 0);
	publish_path(h, DA_EV_FILE_MKDIR, pid, "/home/auditor/app/__pycache__", NULL, 0755);
	publish_open(h, pid, "/tmp/tmpab12cd", DA_ACC_READ | WR, 0600);
	publish_open(h, pid, "/home/auditor/.cache/app.log", WR | DA_ACC_APPEND, 0644);
	publish_open(h, pid, "/dev/null", WR, 0);
	publish_open(h, pid, "/dev/pts/0", DA_ACC_READ | DA_ACC_WRITE, 0);
	/* a stdlib module without a cached .pyc: the cache write fails */
	publish_open_ex(h, pid, "/usr/lib/python3/dist-packages/__pycache__/six.cpython-311.pyc.99",
			DA_ACC_WRITE | DA_ACC_CREATE, 0644, EACCES, "EACCES");
}

static bool message_has(const struct harness *h, const char *rule, const char *text)
{
	return harness_find(h, rule, text) != NULL;
}

Test(file, python_startup_is_local_only)
{
	struct harness *h = harness_new("file", NULL, NULL);
	python_startup(h, 100);
	harness_finish(h);
	harness_dump(h);
	cr_expect_lt(harness_max_severity(h, NULL), DA_SEV_LOW);
	cr_expect_str_eq(harness_observation(h), "Local only");
	harness_free(h);
}

Test(file, no_file_events_is_none)
{
	struct harness *h = harness_new("file", NULL, NULL);
	harness_finish(h);
	cr_expect_eq(harness_count(h, NULL), 0);
	cr_expect_str_eq(harness_observation(h), "None");
	harness_free(h);
}

Test(file, sensitive_reads)
{
	const char *secrets[] = {
		"/etc/shadow", "/etc/sudoers.d/90-cloud", "/home/auditor/.ssh/id_rsa",
		"/root/.bash_history", "/home/alice/notes.txt", "/home/bob/.ssh/authorized_keys",
		"/home/auditor/.aws/credentials", "/home/auditor/.kube/config", "/proc/1/environ",
		"/etc/ssh/ssh_host_ed25519_key", "/home/auditor/.git-credentials", NULL};
	for (size_t i = 0; secrets[i]; i++) {
		struct harness *h = harness_new("file", NULL, NULL);
		publish_open_ex(h, 100, secrets[i], RD, 0, EACCES, "EACCES");
		harness_finish(h);
		cr_expect_eq(harness_max_severity(h, "file.sensitive_read"), DA_SEV_HIGH, "%s", secrets[i]);
		cr_expect(message_has(h, "file.sensitive_read", "EACCES"), "result in message: %s", secrets[i]);
		cr_expect_str_eq(harness_status(h), "fail");
		harness_free(h);
	}
	/* its own /proc entries and public host keys are fine */
	struct harness *h = harness_new("file", NULL, NULL);
	publish_open(h, 100, "/proc/100/maps", RD, 0);
	publish_open(h, 100, "/proc/self/environ", RD, 0);
	publish_open(h, 100, "/etc/ssh/ssh_host_ed25519_key.pub", RD, 0);
	publish_open(h, 100, "/home/auditor/app/data/users.json", RD, 0);
	harness_finish(h);
	cr_expect_eq(harness_count(h, NULL), 0);
	harness_free(h);

	/* ps reads every process's environ by design: process.recon's business */
	h = harness_new("file", NULL, NULL);
	static const char *const ps[] = {"ps", "aux", NULL};
	publish_exec(h, 117, "/usr/bin/ps", ps);
	publish_open(h, 117, "/proc/1/environ", RD, 0);
	publish_open(h, 117, "/proc/8/environ", RD, 0);
	harness_finish(h);
	cr_expect_eq(harness_count(h, "file.sensitive_read"), 0);
	harness_free(h);
}

/* A read of a file the core planted as a honeytoken says it is a decoy. */
Test(file, sensitive_read_of_a_planted_decoy_says_so)
{
	struct harness *h = harness_new("file", NULL, NULL);
	struct da_event ev = ev_make(DA_EV_SYSCALL_OTHER, 0, 0);
	ev.syscall = "honeytoken_file";
	ev.path = "/home/auditor/.aws/credentials";
	cr_assert_eq(harness_publish(h, &ev), 0);
	publish_open(h, 100, "/home/auditor/.aws/credentials", RD, 0);
	publish_open(h, 100, "/home/auditor/.kube/config", RD, 0);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "file.sensitive_read"), DA_SEV_HIGH);
	cr_expect(message_has(h, "file.sensitive_read", "decoy credential dynaudit planted"));
	const struct harness_finding *f = harness_find(h, "file.sensitive_read", ".kube/config");
	cr_assert_not_null(f);
	cr_expect_null(strstr(f->message, "decoy"), "%s", f->message);
	harness_free(h);
}

Test(file, sensitive_option_adds_and_expands_home)
{
	struct harness *h = harness_new("file", "sensitive: [\"~/secret.txt\", \"/srv/keys\"]\n", NULL);
	publish_open(h, 100, "/home/auditor/secret.txt", RD, 0);
	publish_open(h, 100, "/srv/keys/a.pem", RD, 0);
	publish_open(h, 100, "/etc/shadow", RD, 0);
	harness_finish(h);
	cr_expect_eq(harness_count(h, "file.sensitive_read"), 3, "option adds to the defaults");
	harness_free(h);
}

Test(file, account_database)
{
	struct harness *h = harness_new("file", NULL, NULL);
	python_startup(h, 100);
	publish_open(h, 100, "/etc/passwd", RD, 0);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "file.account_db"), DA_SEV_INFO);
	harness_free(h);

	h = harness_new("file", NULL, NULL);
	static const char *const cat[] = {"cat", "/etc/passwd", NULL};
	publish_exec(h, 101, "/usr/bin/cat", cat);
	publish_open(h, 101, "/etc/passwd", RD, 0);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "file.account_db"), DA_SEV_LOW);
	harness_free(h);

	/* bash looking up its own user through glibc (close-on-exec open) */
	h = harness_new("file", NULL, NULL);
	static const char *const bash[] = {"bash", "-c", "date", NULL};
	publish_exec(h, 102, "/usr/bin/bash", bash);
	struct da_event ev = ev_make(DA_EV_FILE_OPEN, 102, 1.0);
	ev.syscall = "openat";
	ev.path = ev.raw_path = "/etc/passwd";
	ev.access = RD;
	ev.flags = O_RDONLY | O_CLOEXEC;
	ev.text = "openat(AT_FDCWD, \"/etc/passwd\", O_RDONLY|O_CLOEXEC) = 3";
	cr_assert_eq(harness_publish(h, &ev), 0);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "file.account_db"), DA_SEV_INFO);
	harness_free(h);
}

Test(file, writes_outside_allowed_places)
{
	struct harness *h = harness_new("file", NULL, NULL);
	publish_open_ex(h, 100, "/etc/hosts", WR, 0644, EACCES, "EACCES");
	publish_path(h, DA_EV_FILE_UNLINK, 100, "/var/log/auth.log", NULL, 0);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "file.write_outside"), DA_SEV_HIGH);
	cr_expect_eq(harness_count(h, "file.write_outside"), 2);
	cr_expect(message_has(h, "file.write_outside", "EACCES"));
	harness_free(h);

	/* outside allow_write but not a system path: medium */
	h = harness_new("file", "allow_write: [workdir]\n", NULL);
	publish_open(h, 100, "/tmp/out.txt", WR, 0644);
	publish_open(h, 100, "/home/auditor/app/out.txt", WR, 0644);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, NULL), DA_SEV_MEDIUM);
	cr_expect_eq(harness_count(h, "file.write_outside"), 1);
	cr_expect(message_has(h, "file.write_outside", "/tmp/out.txt"));
	harness_free(h);

	/* a path given in allow_write, with ~ */
	h = harness_new("file", "allow_write: [workdir, \"~/results\", \"/srv/out\"]\n", NULL);
	publish_open(h, 100, "/home/auditor/results/r.csv", WR, 0644);
	publish_open(h, 100, "/srv/out/x", WR, 0644);
	harness_finish(h);
	cr_expect_eq(harness_count(h, NULL), 0);
	harness_free(h);

	/* /var/tmp is not a system path; unresolved ../ is normalised */
	h = harness_new("file", NULL, NULL);
	publish_open(h, 100, "/var/tmp/x", WR, 0644);
	publish_open(h, 100, "/home/auditor/app/../../../etc/cron.d/x", WR, 0644);
	harness_finish(h);
	cr_expect_eq(harness_count(h, "file.write_outside"), 0);
	cr_expect(message_has(h, "file.persistence", "/etc/cron.d/x"));
	harness_free(h);
}

Test(file, persistence_locations)
{
	struct {
		const char *path;
		int severity;
	} cases[] = {
		{"/home/auditor/.bashrc", DA_SEV_HIGH},
		{"/home/auditor/.config/systemd/user/x.service", DA_SEV_HIGH},
		{"/home/auditor/.config/autostart/x.desktop", DA_SEV_HIGH},
		{"/etc/cron.d/job", DA_SEV_HIGH},
		{"/var/spool/cron/crontabs/auditor", DA_SEV_HIGH},
		{"/etc/profile.d/x.sh", DA_SEV_HIGH},
		{"/tmp/cron/auditor", DA_SEV_HIGH},
		{"/home/auditor/app/mycrontab", DA_SEV_INFO - 1},
		{"/home/auditor/.ssh/authorized_keys", DA_SEV_CRITICAL},
		{"/etc/ld.so.preload", DA_SEV_CRITICAL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct harness *h = harness_new("file", NULL, NULL);
		publish_open(h, 100, cases[i].path, WR | DA_ACC_APPEND, 0644);
		harness_finish(h);
		cr_expect_eq(harness_max_severity(h, "file.persistence"), cases[i].severity, "%s",
			     cases[i].path);
		if (cases[i].severity < 0)
			cr_expect_eq(harness_count(h, NULL), 0, "%s", cases[i].path);
		harness_free(h);
	}
	/* renaming a prepared file into place is the same attempt */
	struct harness *h = harness_new("file", NULL, NULL);
	publish_path(h, DA_EV_FILE_RENAME, 100, "/tmp/k", "/home/auditor/.ssh/authorized_keys", 0);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "file.persistence"), DA_SEV_CRITICAL);
	harness_free(h);

	/* reading ~/.bashrc is not planting anything */
	h = harness_new("file", NULL, NULL);
	publish_open(h, 100, "/home/auditor/.bashrc", RD, 0);
	harness_finish(h);
	cr_expect_eq(harness_count(h, "file.persistence"), 0);
	harness_free(h);
}

Test(file, executables_created_outside_workdir)
{
	struct harness *h = harness_new("file", NULL, NULL);
	publish_open(h, 100, "/tmp/.x", WR, 0755);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "file.exec_created"), DA_SEV_HIGH);
	harness_free(h);

	/* created plain, then chmod +x */
	h = harness_new("file", NULL, NULL);
	publish_open(h, 100, "/home/auditor/.local/bin/tool", WR, 0644);
	publish_path(h, DA_EV_FILE_CHMOD, 100, "/home/auditor/.local/bin/tool", NULL, 0755);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "file.exec_created"), DA_SEV_HIGH);
	harness_free(h);

	/* a build in the workdir, and directories the program made, are normal */
	h = harness_new("file", NULL, NULL);
	publish_open(h, 100, "/home/auditor/app/a.out", WR, 0777);
	publish_path(h, DA_EV_FILE_MKDIR, 100, "/tmp/work", NULL, 0755);
	publish_path(h, DA_EV_FILE_CHMOD, 100, "/tmp/work", NULL, 0755);
	harness_finish(h);
	cr_expect_eq(harness_count(h, NULL), 0);
	harness_free(h);
}

Test(file, config_errors)
{
	int rc = 0;
	struct harness *h = harness_new("file", "allow_write: [workdir]\nallow_read: [x]\n", &rc);
	cr_expect_eq(rc, -EINVAL);
	cr_expect(strstr(harness_error(h), "allow_read"), "names the key: %s", harness_error(h));
	harness_free(h);

	h = harness_new("file", "allow_write: [everywhere]\n", &rc);
	cr_expect_eq(rc, -EINVAL);
	cr_expect(strstr(harness_error(h), "everywhere"));
	harness_free(h);

	h = harness_new("file", "sensitive: [relative/path]\n", &rc);
	cr_expect_eq(rc, -EINVAL);
	harness_free(h);
}

Test(file, hostile_events_do_not_crash)
{
	static char long_path[9000];
	for (size_t i = 0; i < sizeof(long_path) - 1; i++)
		long_path[i] = (i % 3) ? 'a' : '/';
	const char *paths[] = {long_path, "", "/", "//..//../", "relative/../../x", "/proc/", "/proc/12",
			       "/proc/12/task/", "/home/", "/home", "~", NULL};
	enum da_event_kind kinds[] = {DA_EV_FILE_OPEN, DA_EV_FILE_UNLINK, DA_EV_FILE_RENAME,
				      DA_EV_FILE_CHMOD, DA_EV_FILE_CHOWN, DA_EV_FILE_LINK, DA_EV_FILE_MKDIR,
				      DA_EV_FILE_WRITE, DA_EV_FS_MONITOR, DA_EV_SYSCALL_OTHER, DA_EV_PROC_EXEC};
	struct harness *h = harness_new("file", NULL, NULL);
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		struct da_event ev = ev_make(kinds[k], 0, 0);
		cr_expect_eq(harness_publish(h, &ev), 0);
		for (size_t i = 0; paths[i]; i++) {
			ev.path = paths[i];
			ev.path2 = paths[i];
			ev.fd_desc = paths[i];
			ev.access = DA_ACC_READ | DA_ACC_WRITE | DA_ACC_CREATE;
			ev.mode = 0777;
			ev.detail = "CREATE";
			ev.syscall = "truncate";
			cr_expect_eq(harness_publish(h, &ev), 0);
		}
	}
	cr_expect_eq(harness_finish(h), 0);
	harness_free(h);
}

Test(file, many_paths_are_bounded)
{
	struct harness *h = harness_new("file", NULL, NULL);
	char path[64];
	for (int i = 0; i < 6000; i++) {
		snprintf(path, sizeof(path), "/etc/x%d", i);
		publish_open(h, 100, path, WR, 0644);
	}
	harness_finish(h);
	cr_expect_eq(harness_count(h, "file.write_outside"), 6000,
		     "past the memory cap findings repeat rather than vanish");
	harness_free(h);
}

Test(file, relative_paths_are_judged_where_the_core_resolved_them)
{
	/* chdir("/") then relative paths: the core's resolution is the truth,
	 * so "etc/shadow" is /etc/shadow and "a.out" is /a.out. */
	struct harness *h = harness_new("file", NULL, NULL);
	struct da_event ev = ev_make(DA_EV_FILE_OPEN, 100, 1.0);
	ev.path = "/etc/shadow";
	ev.raw_path = "etc/shadow";
	ev.access = DA_ACC_READ;
	harness_publish(h, &ev);
	ev = ev_make(DA_EV_FILE_OPEN, 100, 1.5);
	ev.path = "/a.out";
	ev.raw_path = "a.out";
	ev.access = WR;
	ev.mode = 0777;
	harness_publish(h, &ev);
	ev.path = "/etc/motd";
	ev.raw_path = "../../../etc/motd";
	ev.mode = 0644;
	harness_publish(h, &ev);
	harness_finish(h);
	cr_expect(message_has(h, "file.sensitive_read", "/etc/shadow"));
	cr_expect(message_has(h, "file.write_outside", "/etc/motd"));
	cr_expect(message_has(h, "file.write_outside", "/a.out"));
	harness_free(h);
}

/* Every kind with empty members, then with hostile ones: no crash, no error. */
Test(file, empty_and_hostile_events_are_survived)
{
	struct harness *h = harness_new("file", NULL, NULL);
	harness_publish_hostile_events(h);
	harness_free(h);
}

/* node, git and editors look a name up in every directory from the cwd to
 * /: ~/package.json, /home/package.json, /package.json.  That walk is not
 * a look at another user's home; the same open without the walk, a
 * listing of /home/bob, or a file in it still is. */
Test(file, config_lookup_walking_up_is_not_another_home)
{
	struct harness *h = harness_new("file", NULL, NULL);
	const char *walk[] = { "/home/auditor/app/package.json", "/home/auditor/package.json",
			       "/home/package.json", "/package.json", NULL };
	for (size_t i = 0; walk[i]; i++)
		publish_open_ex(h, 100, walk[i], RD, 0, ENOENT, "ENOENT");
	harness_finish(h);
	cr_expect_eq(harness_count(h, "file.sensitive_read"), 0);
	harness_free(h);

	/* no walk before it */
	h = harness_new("file", NULL, NULL);
	publish_open(h, 100, "/home/package.json", RD, 0);
	harness_finish(h);
	cr_expect_eq(harness_count(h, "file.sensitive_read"), 1, "/home/package.json alone");
	harness_free(h);
	/* after ~/bob: listing /home/bob, or a file inside it */
	const char *probes[] = { "/home/bob", "/home/bob/notes.txt", NULL };
	for (size_t i = 0; probes[i]; i++) {
		h = harness_new("file", NULL, NULL);
		publish_open(h, 100, "/home/auditor/bob", RD, 0);
		publish_open(h, 100, probes[i], RD | (i == 0 ? DA_ACC_DIR : 0), 0);
		harness_finish(h);
		cr_expect_eq(harness_count(h, "file.sensitive_read"), 1, "%s", probes[i]);
		harness_free(h);
	}
}

static void publish_mkdir(struct harness *h, const char *path, int err, const char *errname)
{
	struct da_event ev = ev_make(DA_EV_FILE_MKDIR, 100, 1.0);
	char text[512];
	snprintf(text, sizeof(text), "mkdir(\"%s\", 0777) = %s", path, err ? errname : "0");
	ev.syscall = "mkdir";
	ev.path = path;
	ev.mode = 0777;
	ev.err = err;
	ev.errname = errname;
	ev.result = err ? -1 : 0;
	ev.text = text;
	cr_assert_eq(harness_publish(h, &ev), 0);
}

/* `mkdir -p ~/.ssh` tries every parent: mkdir("/home") = -1 EEXIST made
 * nothing.  A refused mkdir elsewhere is still an attempt, a low one. */
Test(file, mkdir_of_an_existing_directory_is_not_a_write)
{
	struct harness *h = harness_new("file", NULL, NULL);
	publish_mkdir(h, "/home", EEXIST, "EEXIST");
	publish_mkdir(h, "/home/auditor", EEXIST, "EEXIST");
	publish_mkdir(h, "/etc/cron.d", EEXIST, "EEXIST");
	publish_mkdir(h, "/home/auditor/.ssh", 0, NULL);
	harness_finish(h);
	if (harness_count(h, NULL))
		harness_dump(h);
	cr_expect_eq(harness_count(h, NULL), 0);
	harness_free(h);

	h = harness_new("file", NULL, NULL);
	publish_mkdir(h, "/opt/tool", EACCES, "EACCES");
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "file.write_outside"), DA_SEV_LOW);
	harness_free(h);
}

/* echo KEY >> ~/.ssh/authorized_keys opens O_WRONLY|O_CREAT|O_APPEND: a
 * planted key (persistence), not a read of a secret.  Overwriting a
 * private key is a write to a credential, as severe as reading it. */
Test(file, write_only_open_of_a_sensitive_path_is_a_write)
{
	struct harness *h = harness_new("file", NULL, NULL);
	publish_open(h, 100, "/home/auditor/.ssh/authorized_keys", DA_ACC_WRITE | DA_ACC_CREATE |
		     DA_ACC_APPEND, 0666);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "file.persistence"), DA_SEV_CRITICAL);
	cr_expect_eq(harness_count(h, "file.sensitive_read"), 0);
	cr_expect_eq(harness_count(h, "file.sensitive_write"), 0, "persistence says it already");
	harness_free(h);

	h = harness_new("file", NULL, NULL);
	publish_open(h, 100, "/home/auditor/.ssh/id_ed25519", WR, 0600);
	publish_open(h, 100, "/home/auditor/.aws/credentials", DA_ACC_READ | DA_ACC_WRITE, 0);
	harness_finish(h);
	const struct harness_finding *f = harness_get(h, "file.sensitive_write");
	cr_assert_not_null(f);
	cr_expect_eq(f->severity, DA_SEV_HIGH);
	cr_expect(strstr(f->message, "Creates sensitive path /home/auditor/.ssh/id_ed25519"), "%s",
		  f->message);
	cr_expect_null(harness_find(h, "file.sensitive_read", "id_ed25519"));
	/* read-write: a write (that can read the secret too), worded so */
	cr_expect_null(harness_find(h, "file.sensitive_read", ".aws/credentials"));
	cr_expect_not_null(harness_find(h, "file.sensitive_write",
					"Opens for reading and writing sensitive path /home/auditor/.aws/credentials"));
	cr_expect_str_eq(harness_status(h), "fail");
	harness_free(h);
}

/* Python's uuid.uuid1() lets libuuid try to keep its clock in
 * /var/lib/libuuid/clock.txt: library behaviour, not the program's. */
Test(file, library_state_files_are_library_behaviour)
{
	struct harness *h = harness_new("file", NULL, NULL);
	python_startup(h, 100);
	publish_open_ex(h, 100, "/var/lib/libuuid/clock.txt", DA_ACC_READ | DA_ACC_WRITE |
			DA_ACC_CREATE, 0660, ENOENT, "ENOENT");
	publish_open_ex(h, 100, "/usr/share/fonts/truetype/.uuid", WR, 0644, EACCES, "EACCES");
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, NULL), DA_SEV_INFO);
	const struct harness_finding *f = harness_find(h, "file.write_outside", "libuuid");
	cr_assert_not_null(f);
	cr_expect(strstr(f->message, "library behaviour"), "%s", f->message);
	cr_expect_str_eq(harness_observation(h), "Local only");
	harness_free(h);
}

/* A create refused with ENOENT/EACCES/EROFS wrote nothing: low.  Where the
 * attempt itself shows intent (persistence, PATH, name resolution, a hidden
 * name whose parent is missing) it keeps its full weight; a create that
 * worked keeps its own. */
Test(file, refused_creates_weigh_less_unless_the_place_shows_intent)
{
	struct {
		const char *path;
		int err;
		const char *errname;
		const char *rule;
		int severity;
	} cases[] = {
		{"/usr/share/app/cache.db", EACCES, "EACCES", "file.write_outside", DA_SEV_LOW},
		{"/var/lib/app/state", ENOENT, "ENOENT", "file.write_outside", DA_SEV_LOW},
		{"/srv/data/out.csv", EROFS, "EROFS", "file.write_outside", DA_SEV_LOW},
		{"/usr/share/app/cache.db", 0, NULL, "file.write_outside", DA_SEV_HIGH},
		{"/srv/data/out.csv", 0, NULL, "file.write_outside", DA_SEV_MEDIUM},
		{"/etc/cron.d/job", EACCES, "EACCES", "file.persistence", DA_SEV_HIGH},
		{"/home/auditor/.bashrc", EACCES, "EACCES", "file.persistence", DA_SEV_HIGH},
		{"/etc/ld.so.preload", EROFS, "EROFS", "file.persistence", DA_SEV_CRITICAL},
		{"/etc/systemd/system/x.service", EROFS, "EROFS", "file.persistence", DA_SEV_HIGH},
		{"/usr/local/bin/sudo", EACCES, "EACCES", "file.write_outside", DA_SEV_HIGH},
		{"/etc/hosts", EACCES, "EACCES", "file.write_outside", DA_SEV_HIGH},
		/* a hidden name whose parent the sandbox hides: an attempt */
		{"/run/lock/.cache/p", ENOENT, "ENOENT", "file.write_outside", DA_SEV_MEDIUM},
		{"/mnt/.x", ENOENT, "ENOENT", "file.write_outside", DA_SEV_MEDIUM},
		{"/usr/local/share/.h/f", ENOENT, "ENOENT", "file.write_outside", DA_SEV_HIGH},
		/* ... but refused by the system, or not hidden: nothing written */
		{"/run/lock/.cache/p", EACCES, "EACCES", "file.write_outside", DA_SEV_LOW},
		{"/run/lock/app/../p", ENOENT, "ENOENT", "file.write_outside", DA_SEV_LOW},
		{"/srv/./data/p", ENOENT, "ENOENT", "file.write_outside", DA_SEV_LOW},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct harness *h = harness_new("file", NULL, NULL);
		publish_open_ex(h, 100, cases[i].path, WR | DA_ACC_APPEND, 0644, cases[i].err,
				cases[i].errname);
		harness_finish(h);
		cr_expect_eq(harness_max_severity(h, NULL), cases[i].severity, "%s %s", cases[i].path,
			     cases[i].errname ? cases[i].errname : "ok");
		cr_expect_eq(harness_max_severity(h, cases[i].rule), cases[i].severity, "%s",
			     cases[i].path);
		if (cases[i].err)
			cr_expect(message_has(h, cases[i].rule, cases[i].errname), "%s", cases[i].path);
		harness_free(h);
	}
}

/* A payload dropped in /dev/shm (a tmpfs, not a device) with mode 0700
 * and run from there: created executable like a 0755 file in /tmp. */
Test(file, executable_dropped_in_dev_shm)
{
	struct harness *h = harness_new("file", NULL, NULL);
	publish_open(h, 100, "/dev/shm/.u", WR, 0700);
	harness_finish(h);
	const struct harness_finding *f = harness_get(h, "file.exec_created");
	cr_assert_not_null(f);
	cr_expect_eq(f->severity, DA_SEV_HIGH);
	cr_expect(strstr(f->message, "/dev/shm/.u") && strstr(f->message, "0700"), "%s", f->message);
	cr_expect_eq(harness_count(h, "file.write_outside"), 0, "/dev/shm is a place to write");
	harness_free(h);

	/* device nodes and a plain 0600 file in /dev/shm are not executables */
	h = harness_new("file", NULL, NULL);
	publish_open(h, 100, "/dev/shm/sem.lock", WR, 0600);
	publish_open(h, 100, "/dev/tty", WR, 0666);
	publish_open(h, 100, "/dev/null", WR, 0777);
	harness_finish(h);
	cr_expect_eq(harness_count(h, NULL), 0);
	harness_free(h);
}

static void publish_link(struct harness *h, int pid, const char *link, const char *target,
			 const char *kind, int err, const char *errname)
{
	struct da_event ev = ev_make(DA_EV_FILE_LINK, pid, 1.5);
	char text[512];
	snprintf(text, sizeof(text), "%s(\"%s\", \"%s\") = %s", strcmp(kind, "symlink") == 0 ? "symlink" : "link",
		 target, link, err ? errname : "0");
	ev.syscall = strcmp(kind, "symlink") == 0 ? "symlink" : "link";
	ev.path = link;
	ev.path2 = target;
	ev.detail = kind;
	ev.err = err;
	ev.errname = errname;
	ev.result = err ? -1 : 0;
	ev.text = text;
	cr_assert_eq(harness_publish(h, &ev), 0);
}

/* symlink("/etc/shadow", "cache.db") then open("cache.db"): the open names
 * the link, the read is of /etc/shadow. */
Test(file, links_to_sensitive_paths_and_reads_through_them)
{
	struct harness *h = harness_new("file", NULL, NULL);
	publish_link(h, 100, "/home/auditor/app/cache.db", "/etc/shadow", "symlink", 0, NULL);
	publish_open_ex(h, 100, "/home/auditor/app/cache.db", RD, 0, EACCES, "EACCES");
	/* a directory holding secrets, then a plain relative path below it */
	publish_link(h, 100, "/home/auditor/app/cfg", "/etc", "symlink", 0, NULL);
	publish_open_ex(h, 100, "/home/auditor/app/cfg/gshadow", RD, 0, EACCES, "EACCES");
	/* a refused hard link is still the attempt */
	publish_link(h, 100, "/home/auditor/app/h.db", "/etc/shadow", "hardlink", EXDEV, "EXDEV");
	/* a relative symlink target, relative to the link's directory */
	publish_link(h, 100, "/home/auditor/app/k", "../.ssh/id_rsa", "symlink", 0, NULL);
	harness_finish(h);
	harness_dump(h);
	cr_expect(harness_find(h, "file.sensitive_read",
			       "Creates a link to /etc/shadow at /home/auditor/app/cache.db: reads through it bypass path checks"));
	cr_expect(harness_find(h, "file.sensitive_read", "Creates a link to /etc (which holds /etc/shadow)"));
	cr_expect(harness_find(h, "file.sensitive_read", "h.db: reads through it bypass path checks (failed: EXDEV)"));
	cr_expect(harness_find(h, "file.sensitive_read", "Creates a link to /home/auditor/.ssh/id_rsa"));
	const struct harness_finding *f = harness_find(h, "file.sensitive_read", "Opens sensitive path /etc/shadow");
	cr_assert(f, "read through the link judged at its target");
	cr_expect(strstr(f->message, "as /home/auditor/app/cache.db through a link"), "%s", f->message);
	cr_expect(harness_find(h, "file.sensitive_read", "Opens sensitive path /etc/gshadow"));
	cr_expect_eq(harness_max_severity(h, "file.sensitive_read"), DA_SEV_HIGH);
	harness_free(h);

	/* ordinary links (a venv, a build's lib64 -> lib) are not findings */
	h = harness_new("file", NULL, NULL);
	publish_link(h, 100, "/home/auditor/app/.venv/bin/python3", "/usr/bin/python3", "symlink", 0, NULL);
	publish_link(h, 100, "/home/auditor/app/.venv/lib64", "lib", "symlink", 0, NULL);
	publish_open(h, 100, "/home/auditor/app/.venv/bin/python3", RD, 0);
	publish_open(h, 100, "/home/auditor/app/.venv/lib64/python3.11/site.py", RD, 0);
	harness_finish(h);
	cr_expect_eq(harness_count(h, NULL), 0);
	harness_free(h);
}

/* ~/.ssh -> /tmp/st/ssh, then the key written at the staging path: it lands
 * in ~/.ssh/authorized_keys. */
Test(file, persistence_through_a_linked_directory)
{
	struct harness *h = harness_new("file", NULL, NULL);
	publish_path(h, DA_EV_FILE_MKDIR, 100, "/tmp/st/ssh", NULL, 0755);
	publish_link(h, 100, "/home/auditor/.ssh", "/tmp/st/ssh", "symlink", 0, NULL);
	publish_open(h, 100, "/tmp/st/ssh/authorized_keys", WR, 0644);
	harness_finish(h);
	harness_dump(h);
	const struct harness_finding *f = harness_find(h, "file.persistence",
		"Creates persistence location /home/auditor/.ssh/authorized_keys");
	cr_assert(f);
	cr_expect_eq(f->severity, DA_SEV_CRITICAL);
	cr_expect(strstr(f->message, "as /tmp/st/ssh/authorized_keys through a link"), "%s", f->message);
	cr_expect(harness_find(h, "file.persistence",
			       "Creates a link at /home/auditor/.ssh, which holds persistence location "
			       "/home/auditor/.ssh/authorized_keys, to /tmp/st/ssh"));
	harness_free(h);

	/* the other order: a write to ~/.ssh/authorized_keys where ~/.ssh -> /tmp/x */
	h = harness_new("file", NULL, NULL);
	publish_link(h, 100, "/home/auditor/.config", "/tmp/x", "symlink", 0, NULL);
	publish_open(h, 100, "/tmp/x/autostart/u.desktop", WR, 0644);
	harness_finish(h);
	cr_expect(harness_find(h, "file.persistence", "/home/auditor/.config/autostart/u.desktop"));
	harness_free(h);
}

Test(file, more_secrets_and_persistence_locations)
{
	const char *secrets[] = {
		"/home/auditor/.zsh_history", "/home/auditor/.python_history", "/home/auditor/.mysql_history",
		"/home/auditor/.psql_history", "/home/auditor/.npmrc", "/home/auditor/.pypirc",
		"/home/auditor/.config/gh/hosts.yml", "/home/auditor/.vault-token",
		"/home/auditor/.config/rclone/rclone.conf", "/home/auditor/.terraform.d/credentials.tfrc.json",
		"/home/auditor/.m2/settings.xml", "/home/auditor/.gradle/gradle.properties",
		"/home/auditor/.cargo/credentials.toml", "/home/auditor/.config/hub", "/home/auditor/.s3cfg",
		"/home/auditor/.boto", "/home/auditor/.local/share/keyrings/login.keyring",
		"/home/auditor/.bitcoin/wallet.dat", "/home/auditor/.electrum/wallets/default_wallet",
		"/etc/ssl/private/ssl-cert-snakeoil.key", "/etc/wireguard/wg0.conf",
		"/etc/NetworkManager/system-connections/home.nmconnection", "/var/lib/postgresql/.pgpass",
		"/dev/mem", "/dev/kmem", "/proc/kcore", "/proc/1/ns/mnt", "/sys/kernel/debug/tracing/trace",
		NULL};
	struct harness *h = harness_new("file", NULL, NULL);
	size_t n = 0;
	for (; secrets[n]; n++)
		publish_open_ex(h, 100, secrets[n], RD, 0, ENOENT, "ENOENT");
	harness_finish(h);
	for (size_t i = 0; secrets[i]; i++)
		cr_expect(harness_find(h, "file.sensitive_read", secrets[i]), "%s", secrets[i]);
	cr_expect_eq(harness_count(h, "file.sensitive_read"), n);
	harness_free(h);

	/* the tool reading its own token file, or the build, is not a theft */
	h = harness_new("file", NULL, NULL);
	static const char *const npm_argv[] = {"node", "/usr/bin/npm", "test", NULL};
	publish_exec(h, 100, "/usr/bin/node", npm_argv);
	publish_open_ex(h, 100, "/home/auditor/.npmrc", RD, 0, ENOENT, "ENOENT");
	harness_finish(h);
	cr_expect_eq(harness_count(h, NULL), 0);
	harness_free(h);

	const char *plants[] = {
		"/home/auditor/.xsessionrc", "/home/auditor/.pam_environment",
		"/home/auditor/.config/environment.d/10-x.conf", "/home/auditor/.vimrc",
		"/home/auditor/.config/pip/pip.conf", "/home/auditor/.npmrc",
		"/home/auditor/.local/share/applications/x.desktop", "/home/auditor/.local/bin/ls",
		"/home/auditor/.gitconfig", "/home/auditor/.ssh/config", NULL};
	h = harness_new("file", NULL, NULL);
	for (n = 0; plants[n]; n++)
		publish_open(h, 100, plants[n], WR, 0644);
	harness_finish(h);
	for (size_t i = 0; plants[i]; i++)
		cr_expect(harness_find(h, "file.persistence", plants[i]), "%s", plants[i]);
	cr_expect_eq(harness_max_severity(h, "file.persistence"), DA_SEV_HIGH);
	harness_free(h);

	/* kernel knobs: high even when the write was refused */
	const char *knobs[] = {"/proc/sysrq-trigger", "/proc/sys/kernel/core_pattern",
			       "/proc/sys/vm/drop_caches", "/sys/kernel/uevent_helper", NULL};
	h = harness_new("file", NULL, NULL);
	for (n = 0; knobs[n]; n++)
		publish_open_ex(h, 100, knobs[n], DA_ACC_WRITE | DA_ACC_TRUNC, 0, EACCES, "EACCES");
	harness_finish(h);
	cr_expect_eq(harness_count(h, "file.write_outside"), n);
	for (size_t i = 0; knobs[i]; i++) {
		const struct harness_finding *f = harness_find(h, "file.write_outside", knobs[i]);
		cr_assert(f, "%s", knobs[i]);
		cr_expect_eq(f->severity, DA_SEV_HIGH, "%s", knobs[i]);
	}
	harness_free(h);
}

/* open(authorized_keys, O_RDWR|O_CREAT) then mmap: a plant, not a read. */
Test(file, read_write_open_is_judged_as_a_write)
{
	struct harness *h = harness_new("file", NULL, NULL);
	publish_open(h, 100, "/home/auditor/.ssh/authorized_keys", DA_ACC_READ | DA_ACC_WRITE | DA_ACC_CREATE, 0600);
	publish_open(h, 100, "/home/auditor/.bashrc", DA_ACC_READ | DA_ACC_WRITE | DA_ACC_CREATE | DA_ACC_APPEND, 0644);
	harness_finish(h);
	cr_expect_eq(harness_count(h, "file.sensitive_read"), 0);
	cr_expect_eq(harness_max_severity(h, "file.persistence"), DA_SEV_CRITICAL);
	cr_expect(harness_find(h, "file.persistence", "Creates persistence location /home/auditor/.ssh/authorized_keys"));
	cr_expect(harness_find(h, "file.persistence", "Appends to persistence location /home/auditor/.bashrc"));
	harness_free(h);
}

/* A link the submission ships (announced by the core with phase
 * "submission"): shipping it is medium, a read through it is a read of
 * the secret; a shipped link to an ordinary file is nothing. */
Test(file, links_the_submission_ships_are_followed_too)
{
	struct harness *h = harness_new("file", NULL, NULL);
	struct da_event ev = ev_make(DA_EV_FILE_LINK, 0, 0);
	ev.syscall = "symlink";
	ev.path = "/home/auditor/app/secret";
	ev.path2 = "/etc/shadow";
	ev.detail = "symlink";
	ev.phase = "submission";
	ev.text = "shipped with the submission: /home/auditor/app/secret -> /etc/shadow";
	cr_assert_eq(harness_publish(h, &ev), 0);
	ev.path = "/home/auditor/app/data.txt";
	ev.path2 = "real/data.txt";
	ev.text = "shipped with the submission: /home/auditor/app/data.txt -> real/data.txt";
	cr_assert_eq(harness_publish(h, &ev), 0);
	publish_open_ex(h, 100, "/home/auditor/app/data.txt", RD, 0, 0, NULL);
	harness_finish(h);
	cr_assert_eq(harness_count(h, NULL), 1, "a shipped link alone: one medium finding");
	const struct harness_finding *f =
		harness_find(h, "file.sensitive_read", "The submission ships a link to /etc/shadow");
	cr_assert_not_null(f);
	cr_assert_eq(f->severity, DA_SEV_MEDIUM);
	harness_free(h);

	h = harness_new("file", NULL, NULL);
	ev.path = "/home/auditor/app/secret";
	ev.path2 = "/etc/shadow";
	cr_assert_eq(harness_publish(h, &ev), 0);
	publish_open_ex(h, 100, "/home/auditor/app/secret", RD, 0, EACCES, "EACCES");
	harness_finish(h);
	f = harness_find(h, "file.sensitive_read", "through a link the submission ships");
	cr_assert_not_null(f, "a read through a shipped link was not judged at its target");
	cr_assert(strstr(f->message, "/etc/shadow"), "%s", f->message);
	cr_assert_geq(f->severity, DA_SEV_HIGH);
	harness_free(h);
}

/* Sandbox probing: container, VM and tracer marks; not a process lister
 * or a runtime reading its own status. */
Test(file, sandbox_marks_read_are_probing)
{
	static const char *const grep_argv[] = {"grep", "TracerPid", "/proc/self/status", NULL};
	static const char *const ps_argv[] = {"ps", "-e", NULL};
	struct harness *h = harness_new("file", NULL, NULL);
	publish_open_ex(h, 100, "/.dockerenv", DA_ACC_READ, 0, ENOENT, "ENOENT");
	publish_open(h, 100, "/proc/1/cgroup", DA_ACC_READ, 0);
	publish_open(h, 100, "/sys/class/dmi/id/product_name", DA_ACC_READ, 0);
	publish_exec(h, 101, "/usr/bin/grep", grep_argv);
	publish_open(h, 101, "/proc/self/status", DA_ACC_READ, 0);
	harness_finish(h);
	cr_expect_eq(harness_count(h, "file.sandbox_probe"), 4);
	cr_expect_eq(harness_max_severity(h, "file.sandbox_probe"), DA_SEV_LOW);
	cr_expect_not_null(harness_find(h, "file.sandbox_probe", "TracerPid"));
	harness_free(h);

	h = harness_new("file", NULL, NULL);
	python_startup(h, 100);
	publish_open(h, 100, "/proc/self/status", DA_ACC_READ, 0); /* its own memory figures */
	publish_exec(h, 102, "/usr/bin/ps", ps_argv);
	publish_open(h, 102, "/proc/1/status", DA_ACC_READ, 0);
	publish_open(h, 102, "/proc/1/cmdline", DA_ACC_READ, 0);
	harness_finish(h);
	cr_expect_eq(harness_count(h, "file.sandbox_probe"), 0);
	harness_free(h);
}

static void publish_stat(struct harness *h, int pid, const char *sc, const char *path, int err)
{
	struct da_event ev = ev_make(DA_EV_FILE_STAT, pid, 1.5);
	char text[512];
	snprintf(text, sizeof(text), "%s(AT_FDCWD, \"%s\", ...) = %s", sc, path, err ? "-1 ENOENT" : "0");
	ev.syscall = sc;
	ev.path = path;
	ev.raw_path = path;
	ev.err = err;
	ev.errname = err ? "ENOENT" : NULL;
	ev.result = err ? -1 : 0;
	ev.text = text;
	cr_assert_eq(harness_publish(h, &ev), 0);
}

/* The same marks looked up with stat/access/statx: probing, once per
 * mark, whatever the result; a walk over a directory the process listed
 * (ls -la / in a container, where /.dockerenv exists), a stat of the own
 * /proc/self/status (no TracerPid in a stat) and ordinary stats are not. */
Test(file, sandbox_marks_stat_are_probing)
{
	static const char *const sh_argv[] = {"sh", "probe.sh", NULL};
	static const char *const ls_argv[] = {"ls", "-la", "/", NULL};
	struct harness *h = harness_new("file", NULL, NULL);
	publish_exec(h, 100, "/bin/sh", sh_argv);
	publish_stat(h, 100, "newfstatat", "/.dockerenv", ENOENT);
	publish_stat(h, 100, "newfstatat", "/.dockerenv", ENOENT); /* once */
	publish_stat(h, 100, "faccessat2", "/run/.containerenv", ENOENT);
	publish_stat(h, 100, "statx", "/sys/hypervisor", ENOENT);
	publish_stat(h, 100, "access", "/proc/xen", 0);
	publish_stat(h, 100, "stat", "/proc/1/cgroup", 0);
	harness_finish(h);
	cr_expect_eq(harness_count(h, "file.sandbox_probe"), 5);
	cr_expect_eq(harness_max_severity(h, "file.sandbox_probe"), DA_SEV_LOW);
	cr_expect_not_null(harness_find(h, "file.sandbox_probe", "sh checks for (newfstatat) /.dockerenv"));
	harness_free(h);

	h = harness_new("file", NULL, NULL);
	python_startup(h, 100);
	publish_stat(h, 100, "newfstatat", "/usr/lib/python3.11/os.py", 0);
	publish_stat(h, 100, "newfstatat", "/etc/localtime", 0);
	publish_stat(h, 100, "newfstatat", "/proc/self/status", 0);
	publish_exec(h, 101, "/usr/bin/ls", ls_argv);
	publish_open(h, 101, "/", DA_ACC_READ | DA_ACC_DIR, 0);
	publish_stat(h, 101, "statx", "/bin", 0);
	publish_stat(h, 101, "statx", "/.dockerenv", 0);
	publish_stat(h, 101, "statx", "/etc", 0);
	harness_finish(h);
	cr_expect_eq(harness_count(h, "file.sandbox_probe"), 0);
	harness_free(h);
}

/* Mass deletion of files the run did not create is sabotage; deleting
 * what it made, truncating one file again and again, and temp files are not. */
Test(file, mass_deletion_of_preexisting_files)
{
	char path[128];
	struct harness *h = harness_new("file", NULL, NULL);
	for (int i = 0; i < 25; i++) {
		snprintf(path, sizeof(path), "/home/auditor/app/data/f%d.txt", i);
		publish_path(h, DA_EV_FILE_UNLINK, 100, path, NULL, 0);
	}
	harness_finish(h);
	const struct harness_finding *f = harness_get(h, "file.mass_delete");
	cr_assert_not_null(f);
	cr_expect_eq(f->severity, DA_SEV_HIGH);
	cr_expect(strstr(f->message, "25 files"), "%s", f->message);
	harness_free(h);

	h = harness_new("file", NULL, NULL);
	for (int i = 0; i < 40; i++) {
		snprintf(path, sizeof(path), "/home/auditor/app/out/t%d.txt", i);
		publish_open(h, 100, path, DA_ACC_WRITE | DA_ACC_CREATE | DA_ACC_TRUNC, 0644);
		publish_path(h, DA_EV_FILE_UNLINK, 100, path, NULL, 0);
		snprintf(path, sizeof(path), "/tmp/x%d", i);
		publish_path(h, DA_EV_FILE_UNLINK, 100, path, NULL, 0);
		publish_open(h, 100, "/home/auditor/app/state.json", DA_ACC_WRITE | DA_ACC_TRUNC, 0644);
	}
	harness_finish(h);
	cr_expect_eq(harness_count(h, "file.mass_delete"), 0);
	harness_free(h);
}

/* rm -r of HOME, the workdir, above them or /: at once, whoever allowed rm. */
Test(file, rm_of_home_or_root)
{
	static const char *const cases[][4] = {
		{"rm", "-rf", "/home/auditor/app", NULL},
		{"rm", "-r", "/home/auditor/*", NULL},
		{"rm", "--recursive", "/", NULL},
		{"rm", "-fr", "/home/auditor/..", NULL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct harness *h = harness_new("file", NULL, NULL);
		publish_exec(h, 100, "/usr/bin/rm", cases[i]);
		harness_finish(h);
		cr_expect_eq(harness_max_severity(h, "file.mass_delete"), DA_SEV_HIGH, "%s", cases[i][2]);
		harness_free(h);
	}
	static const char *const fine[][4] = {
		{"rm", "-rf", "/home/auditor/app/build", NULL},
		{"rm", "-f", "/home/auditor/app", NULL},
		{"rm", "-rf", "/tmp/work", NULL},
	};
	for (size_t i = 0; i < sizeof(fine) / sizeof(fine[0]); i++) {
		struct harness *h = harness_new("file", NULL, NULL);
		publish_exec(h, 100, "/usr/bin/rm", fine[i]);
		harness_finish(h);
		cr_expect_eq(harness_count(h, "file.mass_delete"), 0, "%s %s", fine[i][1], fine[i][2]);
		harness_free(h);
	}
}

/* An open that creates path exclusively (O_EXCL), as mkstemp and git do. */
static void publish_create_excl(struct harness *h, int pid, const char *path, int mode)
{
	struct da_event ev = ev_make(DA_EV_FILE_OPEN, pid, 1.0);
	ev.syscall = "openat";
	ev.path = path;
	ev.raw_path = path;
	ev.access = WR;
	ev.flags = 0100 | 0200 | 02; /* O_CREAT|O_EXCL|O_RDWR */
	ev.mode = mode;
	ev.fd = 3;
	ev.result = 3;
	ev.text = "openat(AT_FDCWD, \"...\", O_RDWR|O_CREAT|O_EXCL, 0700) = 3";
	cr_assert_eq(harness_publish(h, &ev), 0);
}

/* file.exec_created waits to see what becomes of the file: git's
 * core.filemode probe (chmod +x and back), a private 0700 temp file and
 * git's sample hooks are no executables; the same files run are. */
Test(file, exec_bits_probe_and_temp_files_are_not_executables)
{
	struct harness *h = harness_new("file", NULL, NULL);
	publish_open(h, 100, "/tmp/x/.git/config", WR, 0666);
	publish_path(h, DA_EV_FILE_CHMOD, 100, "/tmp/x/.git/config", NULL, 0100744);
	publish_path(h, DA_EV_FILE_CHMOD, 100, "/tmp/x/.git/config", NULL, 0100644);
	publish_create_excl(h, 100, "/clamavtmp/clamav-40a2.tmp", 0700);
	publish_create_excl(h, 100, "/tmp/x/.git/hooks/pre-push.sample", 0777);
	harness_finish(h);
	cr_expect_eq(harness_count(h, "file.exec_created"), 0);
	harness_free(h);

	/* the same temp file run: a dropped program */
	h = harness_new("file", NULL, NULL);
	publish_create_excl(h, 100, "/clamavtmp/clamav-40a2.tmp", 0700);
	static const char *const argv[] = {"/clamavtmp/clamav-40a2.tmp", NULL};
	publish_exec(h, 101, "/clamavtmp/clamav-40a2.tmp", argv);
	const struct harness_finding *f = harness_get(h, "file.exec_created");
	cr_assert_not_null(f, "reported at the exec, before the end");
	cr_expect_eq(f->severity, DA_SEV_HIGH);
	cr_expect(strstr(f->message, "runs it"), "%s", f->message);
	harness_finish(h);
	cr_expect_eq(harness_count(h, "file.exec_created"), 1);
	harness_free(h);

	/* +x, -x, +x again is kept executable; a temp file renamed to a
	 * hidden name, and a sample hook that is run, are droppers */
	h = harness_new("file", NULL, NULL);
	publish_open(h, 100, "/tmp/tool", WR, 0644);
	publish_path(h, DA_EV_FILE_CHMOD, 100, "/tmp/tool", NULL, 0755);
	publish_path(h, DA_EV_FILE_CHMOD, 100, "/tmp/tool", NULL, 0644);
	publish_path(h, DA_EV_FILE_CHMOD, 100, "/tmp/tool", NULL, 0755);
	publish_create_excl(h, 100, "/tmp/tmpab12", 0700);
	publish_path(h, DA_EV_FILE_RENAME, 100, "/tmp/tmpab12", "/tmp/.cache-x", 0);
	publish_create_excl(h, 100, "/tmp/r/.git/hooks/x.sample", 0777);
	static const char *const hook[] = {"/tmp/r/.git/hooks/x.sample", NULL};
	publish_exec(h, 102, "/tmp/r/.git/hooks/x.sample", hook);
	harness_finish(h);
	cr_expect_eq(harness_count(h, "file.exec_created"), 3);
	cr_expect(message_has(h, "file.exec_created", "/tmp/tool"));
	cr_expect(message_has(h, "file.exec_created", "/tmp/.cache-x"));
	cr_expect(message_has(h, "file.exec_created", "x.sample"));
	harness_free(h);
}

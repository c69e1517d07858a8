/*
 * test_pathclass.c — persistence places and sensitive paths of
 * libdynaudit-sdk: the one list file and backdoor judge by.
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

#include "dynaudit/pathclass.h"

#define HOME "/home/auditor"
#define WORK "/home/auditor/app"

Test(pathclass, persistence_places)
{
	struct {
		const char *path;
		enum da_persistence level;
	} cases[] = {
		{HOME "/.bashrc", DA_PERSIST_HIGH},
		{HOME "/.profile", DA_PERSIST_HIGH},
		{HOME "/.npmrc", DA_PERSIST_HIGH},
		{HOME "/.config/systemd/user/x.service", DA_PERSIST_HIGH},
		{HOME "/.local/lib/python3.11/site-packages/evil.pth", DA_PERSIST_HIGH},
		{"/usr/lib/python3/dist-packages/sitecustomize.py", DA_PERSIST_HIGH},
		{WORK "/.git/hooks/pre-commit", DA_PERSIST_HIGH},
		{"/home/bob/.kshrc", DA_PERSIST_HIGH},
		{"/tmp/home/.bashrc", DA_PERSIST_HIGH},
		{"/tmp/cron/auditor", DA_PERSIST_HIGH},
		{"/etc/cron.d/job", DA_PERSIST_HIGH},
		{"/etc/crontab", DA_PERSIST_HIGH},
		{"/etc/systemd/system/x.service", DA_PERSIST_HIGH},
		{"/etc/ssh/sshd_config", DA_PERSIST_HIGH},
		{HOME "/.ssh/authorized_keys", DA_PERSIST_CRITICAL},
		{"/home/bob/.ssh/authorized_keys2", DA_PERSIST_CRITICAL},
		{"/etc/ld.so.preload", DA_PERSIST_CRITICAL},
		/* not places */
		{WORK "/.profile", DA_PERSIST_NONE},
		{WORK "/mycrontab", DA_PERSIST_NONE},
		{WORK "/.git/hooks/pre-commit.sample", DA_PERSIST_NONE},
		{HOME "/.bashrc.bak", DA_PERSIST_NONE},
		{"/tmp/notes.pth", DA_PERSIST_NONE},
		{"/tmp/out.txt", DA_PERSIST_NONE},
		{"relative/.bashrc", DA_PERSIST_NONE},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		cr_expect_eq(da_path_persistence(cases[i].path, HOME, WORK), cases[i].level, "%s",
			     cases[i].path);
	cr_expect_eq(da_path_persistence(NULL, HOME, WORK), DA_PERSIST_NONE);
	cr_expect_eq(da_path_persistence("/etc/profile.d/x.sh", NULL, NULL), DA_PERSIST_HIGH);
}

Test(pathclass, persistence_globs_name_the_places)
{
	const char *const *crit = da_path_persistence_globs(DA_PERSIST_CRITICAL);
	cr_expect(da_path_covered_by(crit, HOME, HOME "/.ssh/authorized_keys"));
	cr_expect_not(da_path_covered_by(crit, HOME, HOME "/.bashrc"));
	cr_expect(da_path_covered_by(da_path_persistence_globs(DA_PERSIST_HIGH), HOME, HOME "/.bashrc"));
	cr_expect_null(da_path_persistence_globs(DA_PERSIST_NONE)[0]);
}

Test(pathclass, sensitive_paths)
{
	cr_expect(da_path_sensitive("/etc/shadow", HOME, 0));
	cr_expect(da_path_sensitive(HOME "/.ssh/id_rsa", HOME, 0));
	cr_expect(da_path_sensitive("/home/bob/.ssh/id_rsa", HOME, 0));
	cr_expect(da_path_sensitive(HOME "/.aws/credentials", HOME, 0));
	cr_expect(da_path_sensitive("/etc/ssh/ssh_host_ed25519_key", HOME, 0));
	cr_expect_not(da_path_sensitive("/etc/ssh/ssh_host_ed25519_key.pub", HOME, 0));
	cr_expect(da_path_sensitive("/root/.bash_history", HOME, 0));
	cr_expect_not(da_path_sensitive("/etc/hostname", HOME, 0));
	/* ~/X counts below any directory only when asked */
	cr_expect_not(da_path_sensitive("/tmp/copy/.aws/credentials", HOME, 0));
	cr_expect(da_path_sensitive("/tmp/copy/.aws/credentials", HOME, DA_PATH_ANY_HOME));
	cr_expect_not(da_path_sensitive("/tmp/copy/aws/credentials", HOME, DA_PATH_ANY_HOME));
	/* a target running as root reads its own HOME */
	cr_expect_not(da_path_sensitive("/root/.cache/pip/x", "/root", 0));
	cr_expect(da_path_sensitive("/root/.ssh/id_rsa", "/root", 0));
	cr_expect_not(da_path_sensitive(NULL, HOME, 0));
}

Test(pathclass, coverage)
{
	cr_expect(da_path_covers("~/.ssh", HOME, HOME "/.ssh"));
	cr_expect(da_path_covers("~/.ssh", HOME, HOME "/.ssh/id_rsa"));
	cr_expect_not(da_path_covers("~/.ssh", HOME, HOME "/.sshx"));
	cr_expect(da_path_covers("/home/*/.ssh", HOME, "/home/bob/.ssh/id_rsa"));
	cr_expect_not(da_path_covers("/home/*/.ssh", HOME, "/home/bob/x/.ssh"));
	/* "~" expands to HOME as it is, globs and all */
	cr_expect(da_path_covers("~/.ssh", "/home/a*", "/home/ab/.ssh/id_rsa"));
	cr_expect_not(da_path_covers("~/.ssh", "/home/a", "/home/ab/.ssh/id_rsa"));
	cr_expect(da_path_covers("~", HOME, HOME "/x"));
	cr_expect(da_path_under("/a/b", "/a/"));
	cr_expect(da_path_under("/a", "/"));
	cr_expect_not(da_path_under("/ab", "/a"));
	cr_expect_not(da_path_under("/a", NULL));
}

Test(pathclass, normalize)
{
	char out[64];
	cr_expect(da_path_normalize("/a/b/../c/./d", NULL, out, sizeof(out)));
	cr_expect_str_eq(out, "/a/c/d");
	cr_expect(da_path_normalize("./build.dat", "/home/a/app", out, sizeof(out)));
	cr_expect_str_eq(out, "/home/a/app/build.dat");
	cr_expect(da_path_normalize("../../../..", "/a", out, sizeof(out)));
	cr_expect_str_eq(out, "/");
	cr_expect(da_path_normalize("//x//y/", NULL, out, sizeof(out)));
	cr_expect_str_eq(out, "/x/y");
	cr_expect(da_path_normalize("x", NULL, out, sizeof(out)));
	cr_expect_str_eq(out, "/x");
	char small[8];
	cr_expect_not(da_path_normalize("/abc/defgh", NULL, small, sizeof(small)));
	cr_expect_str_eq(small, "/abc", "what fits, at a component boundary");
	cr_expect_not(da_path_normalize("/a", NULL, small, 1));
}

/* da_path_sensitive remembers its last answers: the same path asked with
 * another HOME, other flags, or after other paths must still get its own
 * answer (the memo is keyed by all three), also from another thread. */
static void *ask_other_home(void *arg)
{
	(void)arg;
	bool a = da_path_sensitive("/srv/x/.netrc", "/srv/x", 0);
	bool b = da_path_sensitive("/srv/x/.netrc", "/srv/y", 0);
	return (void *)(intptr_t)(a && !b);
}

Test(pathclass, sensitive_memo_keys_on_home_and_flags)
{
	for (int round = 0; round < 3; round++) {
		cr_expect(da_path_sensitive("/srv/a/.netrc", "/srv/a", 0));
		cr_expect(!da_path_sensitive("/srv/a/.netrc", "/srv/b", 0));
		cr_expect(!da_path_sensitive("/srv/a/.netrc", NULL, 0));
		cr_expect(da_path_sensitive("/srv/a/.netrc", "/srv/b", DA_PATH_ANY_HOME));
		cr_expect(!da_path_sensitive("/srv/a/netrc", "/srv/a", 0));
		/* many other paths in between push the first out of its slot */
		for (int i = 0; i < 500; i++) {
			char p[64];
			snprintf(p, sizeof(p), "/usr/lib/x/%d.so", i);
			cr_expect(!da_path_sensitive(p, "/srv/a", DA_PATH_ANY_HOME));
		}
	}
	/* longer than a memo slot: answered, not remembered */
	char longp[400];
	snprintf(longp, sizeof(longp), "/srv/a/.ssh/%0300d", 1);
	cr_expect(da_path_sensitive(longp, "/srv/a", 0));
	cr_expect(!da_path_sensitive(longp, "/srv/c", 0));
	pthread_t t;
	void *ok = NULL;
	cr_assert_eq(pthread_create(&t, NULL, ask_other_home, NULL), 0);
	pthread_join(t, &ok);
	cr_expect(ok != NULL);
}

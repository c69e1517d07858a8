/*
 * test_fixtures.c — replay every recorded fixture (tests/fixtures): real
 * strace logs parse without a warning and show the behaviour they pin.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect.h"
#include "recorded/source_strace.h"

static struct collect c;
static struct strace_replay_result res;

static void replay_fixture(const char *log)
{
	char path[1024], err[256];
	snprintf(path, sizeof(path), "%s/%s", FIXTURES_DIR, log);
	collect_init(&c);
	cr_assert_eq(source_strace_replay(path, "/home/auditor/app", c.bus, &res, err, sizeof(err)),
		     0, "%s", err);
	cr_assert_eq(res.warnings, 0, "%s: %s", log, res.first_warning);
	cr_assert_gt(res.events, 0);
	cr_assert_eq(collect_count(&c, DA_EV_TARGET_EXIT), 1);
}

static void done(void)
{
	strace_replay_result_free(&res);
	collect_fini(&c);
}

static size_t count_exec_of(const char *path)
{
	size_t n = 0;
	for (size_t i = 0; i < c.n; i++)
		n += c.v[i].ev.kind == DA_EV_PROC_EXEC && c.v[i].ev.path &&
		     !strcmp(c.v[i].ev.path, path);
	return n;
}

static const struct da_event *find_output(const char *prefix)
{
	for (size_t i = 0; i < c.n; i++)
		if (c.v[i].ev.kind == DA_EV_OUTPUT && !strncmp(c.v[i].ev.detail, prefix, strlen(prefix)))
			return &c.v[i].ev;
	return NULL;
}

Test(fixtures, every_manifest_log_replays_cleanly)
{
	char path[1024], line[2048];
	snprintf(path, sizeof(path), "%s/MANIFEST.tsv", FIXTURES_DIR);
	FILE *f = fopen(path, "r");
	cr_assert_not_null(f);
	int n = 0;
	while (fgets(line, sizeof(line), f)) {
		if (line[0] == '#')
			continue;
		char *tab = strchr(line, '\t');
		cr_assert_not_null(tab);
		*tab = '\0';
		replay_fixture(line);
		done();
		n++;
	}
	fclose(f);
	cr_assert_geq(n, 13);
}

Test(fixtures, impl05_indentation_error, .fini = done)
{
	replay_fixture("impl05-indentation-error/strace_log.6");
	cr_assert_str_eq(res.command[0], "python3");
	cr_assert_str_eq(res.command[1], "server.py");
	cr_assert_eq(collect_count(&c, DA_EV_PROC_EXEC), 1);
	cr_assert_eq(collect_count(&c, DA_EV_PROC_FORK), 0);
	cr_assert_eq(collect_count(&c, DA_EV_NET_CONNECT) + collect_count(&c, DA_EV_NET_BIND), 0);
	const struct da_event *o = find_output("IndentationError: expected an indented block after function definition on line 10");
	cr_assert_not_null(o);
	cr_assert_eq(o->fd, 2);
	cr_assert_not_null(collect_find(&c, DA_EV_FILE_OPEN, "openat", "/home/auditor/app/server.py"));
	cr_assert_eq(collect_find(&c, DA_EV_TARGET_EXIT, NULL, NULL)->arg[0], 1);
	cr_assert_gt(res.last_time_s, 0);
}

Test(fixtures, reverse_shell_exec_has_socket_stdin, .fini = done)
{
	replay_fixture("reverse-shell/strace.log");
	const struct da_event *e = NULL;
	for (size_t i = 0; i < c.n; i++)
		if (c.v[i].ev.kind == DA_EV_PROC_EXEC && !strcmp(c.v[i].ev.path, "/bin/sh"))
			e = &c.v[i].ev;
	cr_assert_not_null(e);
	cr_assert(!strncmp(e->stdio[0], "socket:", 7), "%s", e->stdio[0]);
	cr_assert_str_eq(e->stdio[0], "socket:inet/stream->127.0.0.1:4444");
	cr_assert_neq(e->pid, res.main_pid);
	cr_assert_eq(e->ppid, res.main_pid);
	cr_assert_str_eq(collect_find(&c, DA_EV_NET_CONNECT, NULL, NULL)->addr, "127.0.0.1:4444");
}

Test(fixtures, bind_shell_listens_everywhere_and_hands_over, .fini = done)
{
	replay_fixture("bind-shell/strace.log");
	const struct da_event *l = collect_find(&c, DA_EV_NET_LISTEN, NULL, NULL);
	cr_assert_str_eq(l->addr, "0.0.0.0:4445");
	cr_assert_not_null(collect_find(&c, DA_EV_NET_ACCEPT, NULL, NULL));
	const struct da_event *e = collect_find(&c, DA_EV_PROC_EXEC, NULL, "/bin/sh");
	cr_assert_not_null(e);
	cr_assert(!strncmp(e->stdio[0], "socket:inet/stream->127.0.0.1:", 30), "%s", e->stdio[0]);
}

Test(fixtures, secret_read_through_symlink, .fini = done)
{
	replay_fixture("secret-read-symlink/strace.log");
	cr_assert_not_null(collect_find(&c, DA_EV_FILE_LINK, NULL, "/home/auditor/app/etc_link"));
	cr_assert_not_null(collect_find(&c, DA_EV_FILE_OPEN, NULL, "/etc/shadow"));
	cr_assert_not_null(collect_find(&c, DA_EV_FILE_OPEN, NULL, "/home/auditor/.ssh/id_rsa"));
	const struct da_event *s = collect_find(&c, DA_EV_NET_SEND, "sendto", NULL);
	cr_assert_str_eq(s->addr, "127.0.0.1:9999");
}

Test(fixtures, persistence_and_dropper, .fini = done)
{
	replay_fixture("persistence-bashrc-cron/strace.log");
	const struct da_event *o = collect_find(&c, DA_EV_FILE_OPEN, NULL, "/home/auditor/.bashrc");
	cr_assert(o && (o->access & DA_ACC_APPEND));
	cr_assert_not_null(collect_find(&c, DA_EV_FILE_OPEN, NULL, "/tmp/cron/auditor"));
	cr_assert_not_null(collect_find(&c, DA_EV_FILE_WRITE, NULL, "/home/auditor/.bashrc"));
	done();
	replay_fixture("dropped-payload/strace.log");
	cr_assert_not_null(collect_find(&c, DA_EV_FILE_CHMOD, NULL, "/tmp/.x"));
	cr_assert_eq(count_exec_of("/tmp/.x"), 1);
	cr_assert_not_null(find_output("payload ran"));
}

Test(fixtures, fork_bomb_privileges_crashes, .fini = done)
{
	replay_fixture("fork-bomb-bounded/strace.log");
	size_t forks = 0; /* clone interrupted by SIGCHLD is retried (ERESTARTNOINTR) */
	for (size_t i = 0; i < c.n; i++)
		forks += c.v[i].ev.kind == DA_EV_PROC_FORK && c.v[i].ev.target_pid > 0;
	cr_assert_eq(forks, 200);
	cr_assert_eq(collect_count(&c, DA_EV_PROC_EXIT), 201);
	done();
	replay_fixture("privilege-attempts/strace.log");
	cr_assert_not_null(collect_find(&c, DA_EV_PRIV_ID, "setuid", NULL));
	cr_assert_str_eq(collect_find(&c, DA_EV_PRIV_NS, "unshare", NULL)->detail, "CLONE_NEWUSER");
	cr_assert_str_eq(collect_find(&c, DA_EV_PRIV_MOUNT, NULL, NULL)->path, "/mnt");
	cr_assert_str_eq(collect_find(&c, DA_EV_PRIV_PTRACE, NULL, NULL)->detail, "PTRACE_ATTACH");
	cr_assert_str_eq(collect_find(&c, DA_EV_PROC_EXIT, NULL, NULL)->detail, "SIGKILL");
	done();
	replay_fixture("crash-segv/strace.log");
	const struct da_event *t = collect_find(&c, DA_EV_TARGET_EXIT, NULL, NULL);
	cr_assert_eq(t->arg[0], -1);
	cr_assert_str_eq(t->detail, "SIGSEGV");
	cr_assert_str_eq(collect_find(&c, DA_EV_PROC_SIGNAL, NULL, NULL)->detail, "SIGSEGV");
	cr_assert_not_null(find_output("about to crash"));
	done();
	replay_fixture("python-exception/strace.log");
	cr_assert_not_null(find_output("ValueError: invalid literal for int()"));
	cr_assert_eq(collect_find(&c, DA_EV_TARGET_EXIT, NULL, NULL)->arg[0], 1);
}

Test(fixtures, benign_logs_stay_benign, .fini = done)
{
	replay_fixture("chat-server/strace.log");
	cr_assert_str_eq(collect_find(&c, DA_EV_NET_LISTEN, NULL, NULL)->addr, "127.0.0.1:5555");
	cr_assert_eq(collect_count(&c, DA_EV_NET_CONNECT), 0);
	cr_assert_not_null(find_output("served one client"));
	done();
	replay_fixture("python-imports/strace.log");
	cr_assert_eq(collect_count(&c, DA_EV_PROC_FORK), 0);
	cr_assert_eq(collect_count(&c, DA_EV_NET_CONNECT), 0);
	cr_assert_eq(collect_count(&c, DA_EV_PRIV_ID) + collect_count(&c, DA_EV_PRIV_NS), 0);
	done();
	replay_fixture("benign-c-make/strace.log");
	cr_assert_not_null(find_output("hello from a.out, sum=55"));
	cr_assert_eq(count_exec_of("/home/auditor/app/a.out"), 1);
}

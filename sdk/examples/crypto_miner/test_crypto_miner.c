/*
 * test_crypto_miner.c — unit tests of the crypto_miner detector at the
 * on_event level, with libdynaudit-sdk's testkit (dynaudit/testkit.h): no
 * dynaudit binary, no tracer.  Build and run:
 *
 *   cc -o test_crypto_miner test_crypto_miner.c crypto_miner.c $(pkg-config --cflags --libs dynaudit)
 *   ./test_crypto_miner
 *
 * Prints one line per test and exits 1 when any fails.
 */
#include <dynaudit/plugin.h>
#include <dynaudit/testkit.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

const struct da_plugin *dynaudit_plugin(void);

static int failures;

#define EXPECT(cond)                                                                      \
	do {                                                                              \
		if (!(cond)) {                                                            \
			fprintf(stderr, "  %s:%d: expected %s\n", __FILE__, __LINE__, #cond); \
			ok = 0;                                                           \
		}                                                                         \
	} while (0)

static struct da_testkit *kit(const char *const *kv)
{
	struct da_testkit *tk = da_testkit_new(dynaudit_plugin());
	for (size_t i = 0; kv && kv[i]; i += 2)
		da_testkit_set(tk, kv[i], kv[i + 1]);
	return tk;
}

static void exec_ev(struct da_testkit *tk, int pid, const char *path, const char *const *argv,
		    int err)
{
	struct da_event ev = da_testkit_event(DA_EV_PROC_EXEC, pid, 0.5);
	ev.path = path;
	ev.argv = argv;
	for (ev.argc = 0; argv && argv[ev.argc]; ev.argc++)
		;
	ev.err = err;
	ev.result = err ? -1 : 0;
	ev.text = "execve(...)";
	da_testkit_send(tk, &ev);
}

static void connect_ev(struct da_testkit *tk, int pid, const char *addr)
{
	struct da_event ev = da_testkit_event(DA_EV_NET_CONNECT, pid, 1.0);
	ev.addr = addr;
	ev.fd = 3;
	da_testkit_send(tk, &ev);
}

static int test_miner_exec(void)
{
	int ok = 1;
	char err[256];
	struct da_testkit *tk = kit(NULL);
	EXPECT(da_testkit_init(tk, err, sizeof(err)) == 0);
	const char *argv[] = {"xmrig", "--threads", "2", NULL};
	exec_ev(tk, 10, "/tmp/xmrig", argv, 0);
	exec_ev(tk, 11, "/tmp/cpuminer-sse2", argv, ENOENT);
	da_testkit_finish(tk);
	EXPECT(da_testkit_count(tk, "crypto_miner.miner_exec") == 2);
	const struct da_testkit_finding *f = da_testkit_find(tk, "crypto_miner.miner_exec", "ran the miner xmrig");
	EXPECT(f && f->severity == DA_SEV_CRITICAL);
	f = da_testkit_find(tk, "crypto_miner.miner_exec", "tried to run");
	EXPECT(f && f->severity == DA_SEV_HIGH);
	EXPECT(da_testkit_remarks(tk) && strstr(da_testkit_remarks(tk), "1 miner run(s)"));
	EXPECT(da_testkit_emit_errors(tk) == 0);
	da_testkit_free(tk);
	return ok;
}

static int test_stratum_url_through_shell(void)
{
	int ok = 1;
	char err[256];
	struct da_testkit *tk = kit(NULL);
	EXPECT(da_testkit_init(tk, err, sizeof(err)) == 0);
	const char *argv[] = {"sh", "-c", "./a.out -o stratum+tcp://pool.example:3333", NULL};
	exec_ev(tk, 20, "/bin/sh", argv, 0);
	EXPECT(da_testkit_count(tk, "crypto_miner.stratum_url") == 1);
	EXPECT(da_testkit_find(tk, NULL, "through a shell or interpreter") != NULL);
	EXPECT(da_testkit_count(tk, "crypto_miner.miner_exec") == 0);
	da_testkit_free(tk);
	return ok;
}

static int test_pool_connect_and_state(void)
{
	int ok = 1;
	char err[256];
	struct da_testkit *tk = kit(NULL);
	EXPECT(da_testkit_init(tk, err, sizeof(err)) == 0);
	connect_ev(tk, 30, "203.0.113.9:3333");             /* a pool port */
	connect_ev(tk, 30, "[::ffff:203.0.113.9]:4444");    /* mapped: the same host */
	connect_ev(tk, 30, "203.0.113.9:443");              /* not a pool port */
	connect_ev(tk, 30, "127.0.0.1:5555");               /* loopback: ignored */
	connect_ev(tk, 30, "/run/x.sock");                  /* unix: ignored */
	const char *argv[] = {"xmrig", NULL};
	exec_ev(tk, 31, "/usr/bin/xmrig", argv, 0);
	connect_ev(tk, 31, "198.51.100.1:14444");           /* by the miner: critical */
	EXPECT(da_testkit_count(tk, "crypto_miner.pool_connect") == 3);
	EXPECT(da_testkit_find(tk, "crypto_miner.pool_connect", "203.0.113.9:4444") != NULL);
	const struct da_testkit_finding *f = da_testkit_find(tk, "crypto_miner.pool_connect", "ran a miner");
	EXPECT(f && f->severity == DA_SEV_CRITICAL && f->pid == 31);
	da_testkit_free(tk);
	return ok;
}

static int test_options(void)
{
	int ok = 1;
	char err[256];
	/* allow_connect (endpoint matcher), custom ports and names, loopback */
	const char *const kv[] = {"allow_connect", "203.0.113.9:*", "pool_ports", "6666",
				  "miners", "mysecretminer", "include_loopback", "yes", NULL};
	struct da_testkit *tk = kit(kv);
	EXPECT(da_testkit_init(tk, err, sizeof(err)) == 0);
	connect_ev(tk, 40, "203.0.113.9:6666");  /* allowed */
	connect_ev(tk, 40, "198.51.100.2:3333"); /* not a pool port any more */
	connect_ev(tk, 40, "127.0.0.1:6666");    /* loopback judged */
	const char *argv[] = {"mysecretminer", NULL};
	exec_ev(tk, 41, "/tmp/mysecretminer", argv, 0);
	EXPECT(da_testkit_count(tk, "crypto_miner.pool_connect") == 1);
	EXPECT(da_testkit_find(tk, NULL, "127.0.0.1:6666") != NULL);
	EXPECT(da_testkit_count(tk, "crypto_miner.miner_exec") == 1);
	da_testkit_free(tk);

	/* declared options: the kit refuses what the core would */
	const char *const unknown[] = {"colour", "blue", NULL};
	tk = kit(unknown);
	EXPECT(da_testkit_init(tk, err, sizeof(err)) == -EINVAL);
	EXPECT(strstr(err, "plugins.crypto_miner.colour: unknown key") != NULL);
	da_testkit_free(tk);
	const char *const badbool[] = {"include_loopback", "sometimes", NULL};
	tk = kit(badbool);
	EXPECT(da_testkit_init(tk, err, sizeof(err)) == -EINVAL);
	EXPECT(strstr(err, "not a boolean") != NULL);
	da_testkit_free(tk);
	/* what a type cannot say, init checks */
	const char *const badport[] = {"pool_ports", "3333,99999", NULL};
	tk = kit(badport);
	EXPECT(da_testkit_init(tk, err, sizeof(err)) == -EINVAL);
	EXPECT(strstr(err, "'99999' is not a port") != NULL);
	da_testkit_free(tk);
	const char *const badallow[] = {"allow_connect", "[::1", NULL};
	tk = kit(badallow);
	EXPECT(da_testkit_init(tk, err, sizeof(err)) == -EINVAL);
	EXPECT(strstr(err, "allow_connect") != NULL);
	da_testkit_free(tk);
	return ok;
}

static int test_subscriptions_and_hostile(void)
{
	int ok = 1;
	char err[256];
	struct da_testkit *tk = kit(NULL);
	EXPECT(da_testkit_init(tk, err, sizeof(err)) == 0);
	/* kinds it does not subscribe to never reach it */
	struct da_event ev = da_testkit_event(DA_EV_FILE_OPEN, 50, 0.1);
	ev.path = "/tmp/xmrig";
	da_testkit_send(tk, &ev);
	EXPECT(da_testkit_delivered(tk) == 0);
	/* empty and odd members do not crash it or make it report */
	struct da_event e2 = da_testkit_event(DA_EV_PROC_EXEC, 51, 0.2);
	da_testkit_send(tk, &e2);
	const char *argv[] = {NULL, "", NULL};
	e2.argv = argv;
	e2.argc = 2;
	e2.path = "";
	da_testkit_send(tk, &e2);
	struct da_event e3 = da_testkit_event(DA_EV_NET_CONNECT, 52, 0.3);
	da_testkit_send(tk, &e3);
	e3.addr = "[";
	da_testkit_send(tk, &e3);
	e3.addr = "1.2.3.4:";
	da_testkit_send(tk, &e3);
	EXPECT(da_testkit_delivered(tk) == 5);
	EXPECT(da_testkit_count(tk, NULL) == 0);
	EXPECT(da_testkit_finish(tk) == 0);
	EXPECT(da_testkit_observation(tk) == NULL); /* nothing seen: the default row */
	da_testkit_free(tk);
	return ok;
}

int main(void)
{
	static const struct {
		const char *name;
		int (*fn)(void);
	} tests[] = {
		{"miner_exec", test_miner_exec},
		{"stratum_url_through_shell", test_stratum_url_through_shell},
		{"pool_connect_and_state", test_pool_connect_and_state},
		{"options", test_options},
		{"subscriptions_and_hostile", test_subscriptions_and_hostile},
	};
	for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		int ok = tests[i].fn();
		printf("%s %s\n", ok ? "ok    " : "not ok", tests[i].name);
		failures += !ok;
	}
	return failures ? 1 : 0;
}

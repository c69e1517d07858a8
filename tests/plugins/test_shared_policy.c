/*
 * test_shared_policy.c — detectors that share policy (libdynaudit-sdk) give
 * one answer.  The same events are published to two detectors, each behind
 * its own harness and bus, and the verdicts are compared:
 *   - one allow_connect entry allows an IPv4 peer also when a dual-stack
 *     socket reaches it as ::ffff:a.b.c.d, for network and backdoor alike
 *     (backdoor used to call that beaconing, high);
 *   - a write to a persistence location is scored once, by
 *     file.persistence (backdoor used to score it a second time).
 * Addresses are documentation ranges, used only as strings.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "harness.h"

#define WRITE_APPEND (DA_ACC_WRITE | DA_ACC_APPEND)

static void both(struct harness *a, struct harness *b, struct da_event *ev)
{
	cr_assert_eq(harness_publish(a, ev), 0);
	cr_assert_eq(harness_publish(b, ev), 0);
}

/* socket(AF_INET6, SOCK_STREAM) = fd, then connect(fd, addr) failing with err. */
static void connect6(struct harness *a, struct harness *b, int pid, double t, int fd,
		     const char *addr, int port)
{
	struct da_event ev = ev_make(DA_EV_NET_SOCKET, pid, t);
	ev.syscall = "socket";
	ev.family = AF_INET6;
	ev.sock_type = SOCK_STREAM;
	ev.fd = fd;
	ev.result = fd;
	ev.text = "socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP) = 3";
	both(a, b, &ev);
	char text[256];
	snprintf(text, sizeof(text),
		 "connect(%d, {sa_family=AF_INET6, sin6_port=htons(%d), sin6_addr=%s}, 28) = -1 "
		 "ECONNREFUSED (Connection refused)", fd, port, addr);
	ev = ev_make(DA_EV_NET_CONNECT, pid, t + 0.001);
	ev.syscall = "connect";
	ev.fd = fd;
	ev.fd_desc = "socket:inet6/stream";
	ev.family = AF_INET6;
	ev.sock_type = SOCK_STREAM;
	ev.addr = addr;
	ev.port = port;
	ev.result = -1;
	ev.err = ECONNREFUSED;
	ev.errname = "ECONNREFUSED";
	ev.text = text;
	both(a, b, &ev);
}

/* A client polling its server every two seconds over a dual-stack socket:
 * with the server in allow_connect, neither detector finds anything above
 * info. */
Test(shared_policy, ipv4_mapped_peer_is_allowed_by_network_and_backdoor)
{
	const char *cfg = "allow_connect: [\"203.0.113.7:8080\"]\n";
	struct harness *net = harness_new("network", cfg, NULL);
	struct harness *bd = harness_new("backdoor", cfg, NULL);
	for (int i = 0; i < 5; i++)
		connect6(net, bd, 100, 1.0 + 2.0 * i, 3, "[::ffff:203.0.113.7]:8080", 8080);
	harness_finish(net);
	harness_finish(bd);
	cr_expect_eq(harness_max_severity(net, NULL), DA_SEV_INFO, "network: %s",
		     harness_get(net, NULL) ? harness_get(net, NULL)->message : "");
	cr_expect_eq(harness_count(bd, NULL), 0, "backdoor: %s",
		     harness_get(bd, NULL) ? harness_get(bd, NULL)->message : "");
	harness_free(net);
	harness_free(bd);

	/* the same peer on another port is outside the entry for both */
	net = harness_new("network", cfg, NULL);
	bd = harness_new("backdoor", cfg, NULL);
	for (int i = 0; i < 5; i++)
		connect6(net, bd, 100, 1.0 + 2.0 * i, 3, "[::ffff:203.0.113.7]:8081", 8081);
	harness_finish(net);
	harness_finish(bd);
	cr_expect_eq(harness_max_severity(net, "network.connect"), DA_SEV_HIGH);
	cr_expect_eq(harness_max_severity(bd, "backdoor.beaconing"), DA_SEV_HIGH);
	harness_free(net);
	harness_free(bd);
}

static void open_write(struct harness *a, struct harness *b, int pid, const char *path)
{
	char text[512];
	snprintf(text, sizeof(text), "openat(AT_FDCWD, \"%s\", O_WRONLY|O_APPEND) = 3", path);
	struct da_event ev = ev_make(DA_EV_FILE_OPEN, pid, 1.0);
	ev.syscall = "openat";
	ev.path = path;
	ev.raw_path = path;
	ev.access = WRITE_APPEND;
	ev.flags = O_WRONLY | O_APPEND;
	ev.fd = 3;
	ev.result = 3;
	ev.text = text;
	both(a, b, &ev);
}

/* Scored findings (above info) of both detectors that name path. */
static size_t scored_naming(const struct harness *h, const char *path)
{
	size_t n = 0;
	const char *rules[] = {"file.persistence", "file.write_outside", "file.sensitive_write",
			       "backdoor.persistence"};
	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		const struct harness_finding *f = harness_find(h, rules[i], path);
		if (f && f->severity > DA_SEV_INFO)
			n++;
	}
	return n;
}

Test(shared_policy, a_persistence_write_is_scored_once_by_file_persistence)
{
	static const char *const places[] = {
		"/home/auditor/.bashrc",
		"/home/auditor/.npmrc",
		"/home/auditor/.local/lib/python3.11/site-packages/evil.pth",
		"/home/auditor/app/.git/hooks/pre-commit",
		"/home/bob/.kshrc",
	};
	for (size_t i = 0; i < sizeof(places) / sizeof(places[0]); i++) {
		struct harness *file = harness_new("file", NULL, NULL);
		struct harness *bd = harness_new("backdoor", NULL, NULL);
		open_write(file, bd, 100, places[i]);
		harness_finish(file);
		harness_finish(bd);
		const struct harness_finding *f = harness_find(file, "file.persistence", places[i]);
		cr_expect(f && f->severity == DA_SEV_HIGH, "%s: file.persistence high", places[i]);
		cr_expect_eq(scored_naming(file, places[i]) + scored_naming(bd, places[i]), 1,
			     "%s scored once", places[i]);
		cr_expect_eq(harness_count(bd, "backdoor.persistence"), 0, "%s", places[i]);
		harness_free(file);
		harness_free(bd);
	}
}

/*
 * test_network.c — the "network" detector fed hand-built socket events
 * through the real bus: each rule fires on its behaviour, allowed endpoints
 * stay at info, a Python start-up with no sockets says "None".
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"

enum { AF_UNIX_ = 1, AF_INET_ = 2, AF_INET6_ = 10, AF_NETLINK_ = 16, AF_PACKET_ = 17 };
enum { STREAM = 1, DGRAM = 2, RAW = 3 };

static void publish_socket(struct harness *h, int pid, int fd, int family, int type, int protocol)
{
	struct da_event ev = ev_make(DA_EV_NET_SOCKET, pid, 1.0);
	char text[128];
	snprintf(text, sizeof(text), "socket(%d, %d, %d) = %d", family, type, protocol, fd);
	ev.syscall = "socket";
	ev.family = family;
	ev.sock_type = type;
	ev.protocol = protocol;
	ev.fd = fd;
	ev.result = fd;
	ev.text = text;
	cr_assert_eq(harness_publish(h, &ev), 0);
}

/* connect/bind/listen/sendto on fd with address addr (err 0 = success). */
static void publish_addr(struct harness *h, enum da_event_kind kind, int pid, int fd, int family,
			 int type, const char *addr, int port, int err, const char *errname)
{
	struct da_event ev = ev_make(kind, pid, 1.5);
	char text[256];
	const char *name = kind == DA_EV_NET_CONNECT ? "connect" : kind == DA_EV_NET_BIND ? "bind"
			 : kind == DA_EV_NET_LISTEN ? "listen" : "sendto";
	snprintf(text, sizeof(text), "%s(%d, {%s}, 16) = %s", name, fd, addr ? addr : "?",
		 err ? errname : "0");
	ev.syscall = name;
	ev.fd = fd;
	ev.family = family;
	ev.sock_type = type;
	ev.addr = addr;
	ev.port = port;
	ev.err = err;
	ev.errname = errname;
	ev.result = err ? -1 : 0;
	ev.text = text;
	cr_assert_eq(harness_publish(h, &ev), 0);
}

static void publish_open(struct harness *h, int pid, const char *path)
{
	struct da_event ev = ev_make(DA_EV_FILE_OPEN, pid, 0.5);
	ev.syscall = "openat";
	ev.path = path;
	ev.access = DA_ACC_READ;
	ev.fd = 3;
	ev.text = "openat(AT_FDCWD, \"/etc/resolv.conf\", O_RDONLY|O_CLOEXEC) = 3";
	cr_assert_eq(harness_publish(h, &ev), 0);
}

static void python_startup(struct harness *h, int pid)
{
	static const char *const argv[] = {"python3", "server.py", NULL};
	struct da_event ev = ev_make(DA_EV_PROC_EXEC, pid, 0.0);
	ev.path = "/usr/bin/python3.11";
	ev.argv = argv;
	ev.argc = 2;
	harness_publish(h, &ev);
	const char *files[] = {"/etc/ld.so.cache", "/usr/lib/python3.11/os.py", "/etc/localtime",
			       "/home/auditor/app/server.py"};
	for (size_t i = 0; i < 4; i++) {
		ev = ev_make(DA_EV_FILE_OPEN, pid, 0.01 * (double)i);
		ev.path = files[i];
		ev.access = DA_ACC_READ;
		harness_publish(h, &ev);
	}
}

static bool message_has(const struct harness *h, const char *rule, const char *text)
{
	const struct harness_finding *f = harness_get(h, rule);
	return f && strstr(f->message, text);
}

Test(network, no_sockets_is_none)
{
	struct harness *h = harness_new("network", NULL, NULL);
	python_startup(h, 100);
	harness_finish(h);
	cr_expect_eq(harness_count(h, NULL), 0);
	cr_expect_str_eq(harness_observation(h), "None");
	harness_free(h);
}

Test(network, allowed_chat_server_is_info_only)
{
	struct harness *h = harness_new("network",
		"allow_listen: [\"127.0.0.1:5555\"]\nallow_connect: [\"127.0.0.1:5555\"]\n", NULL);
	python_startup(h, 100);
	publish_socket(h, 100, 3, AF_INET_, STREAM, 6);
	publish_addr(h, DA_EV_NET_BIND, 100, 3, AF_INET_, STREAM, "127.0.0.1:5555", 5555, 0, NULL);
	publish_addr(h, DA_EV_NET_LISTEN, 100, 3, AF_INET_, STREAM, "127.0.0.1:5555", 5555, 0, NULL);
	publish_socket(h, 101, 4, AF_INET_, STREAM, 6);
	publish_addr(h, DA_EV_NET_CONNECT, 101, 4, AF_INET_, STREAM, "127.0.0.1:5555", 5555, 0, NULL);
	/* glibc syslog */
	publish_socket(h, 100, 5, AF_UNIX_, DGRAM, 0);
	publish_addr(h, DA_EV_NET_CONNECT, 100, 5, AF_UNIX_, DGRAM, "/dev/log", 0, ENOENT, "ENOENT");
	harness_finish(h);
	harness_dump(h);
	cr_expect_eq(harness_max_severity(h, NULL), DA_SEV_INFO);
	cr_expect(message_has(h, "network.listen", "127.0.0.1:5555 (allowed)"));
	cr_expect(message_has(h, "network.connect", "(allowed)"));
	cr_expect_eq(harness_count(h, "network.unix_connect"), 0, "/dev/log is glibc's");
	cr_expect_str_eq(harness_observation(h), "Local only");
	harness_free(h);
}

Test(network, connect_outside_allow_list)
{
	struct harness *h = harness_new("network", "allow_connect: [\"127.0.0.1:5555\"]\n", NULL);
	python_startup(h, 100);
	publish_socket(h, 100, 3, AF_INET_, STREAM, 6);
	publish_addr(h, DA_EV_NET_CONNECT, 100, 3, AF_INET_, STREAM, "93.184.216.34:443", 443,
		     EINPROGRESS, "EINPROGRESS");
	publish_addr(h, DA_EV_NET_CONNECT, 100, 4, AF_INET_, STREAM, "127.0.0.1:6379", 6379,
		     ECONNREFUSED, "ECONNREFUSED");
	publish_addr(h, DA_EV_NET_CONNECT, 100, 5, AF_INET6_, STREAM, "[2001:db8::1]:22", 22,
		     ENETUNREACH, "ENETUNREACH");
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "network.connect"), DA_SEV_HIGH);
	cr_expect_eq(harness_count(h, "network.connect"), 3);
	cr_expect(message_has(h, "network.connect", "93.184.216.34:443"));
	cr_expect(message_has(h, "network.connect", "in progress"), "EINPROGRESS is an attempt");
	cr_expect_str_eq(harness_status(h), "fail");
	cr_expect_str_eq(harness_observation(h), "3 connections outside the allow-list");
	harness_free(h);

	/* loopback-only destination outside the list: medium */
	h = harness_new("network", NULL, NULL);
	publish_addr(h, DA_EV_NET_CONNECT, 100, 4, AF_INET_, STREAM, "127.0.0.1:6379", 6379,
		     ECONNREFUSED, "ECONNREFUSED");
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, NULL), DA_SEV_MEDIUM);
	cr_expect(message_has(h, "network.connect", "ECONNREFUSED"));
	harness_free(h);

	/* a dual-stack socket reaches an allowed IPv4 peer as ::ffff:a.b.c.d */
	h = harness_new("network", "allow_connect: [\"127.0.0.1:5555\"]\n", NULL);
	publish_addr(h, DA_EV_NET_CONNECT, 100, 3, AF_INET6_, STREAM, "[::ffff:127.0.0.1]:5555", 5555, 0,
		     NULL);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, NULL), DA_SEV_INFO);
	harness_free(h);

	/* globs on each side */
	h = harness_new("network", "allow_connect: [\"*:443\", \"[::1]:*\", \"localhost:6379\"]\n", NULL);
	publish_addr(h, DA_EV_NET_CONNECT, 100, 3, AF_INET_, STREAM, "93.184.216.34:443", 443, 0, NULL);
	publish_addr(h, DA_EV_NET_CONNECT, 100, 4, AF_INET6_, STREAM, "[::1]:8080", 8080, 0, NULL);
	publish_addr(h, DA_EV_NET_CONNECT, 100, 5, AF_INET_, STREAM, "127.0.0.1:6379", 6379, 0, NULL);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, NULL), DA_SEV_INFO);
	harness_free(h);
}

Test(network, listeners)
{
	struct harness *h = harness_new("network", "allow_listen: [\"127.0.0.1:5555\"]\n", NULL);
	publish_socket(h, 100, 3, AF_INET_, STREAM, 6);
	publish_addr(h, DA_EV_NET_BIND, 100, 3, AF_INET_, STREAM, "0.0.0.0:4444", 4444, 0, NULL);
	/* listen without an address (no strace -y): the bind supplies it */
	publish_addr(h, DA_EV_NET_LISTEN, 100, 3, AF_INET_, STREAM, NULL, 0, 0, NULL);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "network.listen"), DA_SEV_HIGH);
	cr_expect(message_has(h, "network.listen", "0.0.0.0:4444"));
	/* the bind chose the address: it is the first evidence, before the listen */
	const struct harness_finding *lf = harness_get(h, "network.listen");
	cr_assert_not_null(lf);
	cr_assert_geq(lf->n_evidence, 2);
	cr_expect(strstr(lf->evidence[0], "bind(3, {0.0.0.0:4444}"), "%s", lf->evidence[0]);
	cr_expect(strstr(lf->evidence[1], "listen(3"), "%s", lf->evidence[1]);
	harness_free(h);

	/* allowed port but on all interfaces: low (frameworks bind so by default) */
	h = harness_new("network", "allow_listen: [\"127.0.0.1:5555\"]\n", NULL);
	publish_addr(h, DA_EV_NET_LISTEN, 100, 3, AF_INET_, STREAM, "0.0.0.0:5555", 5555, 0, NULL);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, NULL), DA_SEV_LOW);
	cr_expect_eq(harness_count(h, "network.listen_any"), 1);
	harness_free(h);

	/* unless the entry itself names 0.0.0.0 or * */
	const char *wide[] = {"allow_listen: [\"0.0.0.0:5555\"]\n", "allow_listen: [\"*:5555\"]\n"};
	for (size_t i = 0; i < 2; i++) {
		h = harness_new("network", wide[i], NULL);
		publish_addr(h, DA_EV_NET_LISTEN, 100, 3, AF_INET_, STREAM, "0.0.0.0:5555", 5555, 0, NULL);
		publish_addr(h, DA_EV_NET_LISTEN, 100, 4, AF_INET6_, STREAM, "[::]:5555", 5555, 0, NULL);
		harness_finish(h);
		cr_expect_eq(harness_max_severity(h, NULL), DA_SEV_INFO, "%s", wide[i]);
		harness_free(h);
	}

	/* a UDP server bound to a fixed port */
	h = harness_new("network", NULL, NULL);
	publish_socket(h, 100, 3, AF_INET_, DGRAM, 17);
	publish_addr(h, DA_EV_NET_BIND, 100, 3, AF_INET_, DGRAM, "0.0.0.0:9999", 9999, 0, NULL);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "network.listen"), DA_SEV_HIGH);
	harness_free(h);
}

Test(network, listener_seen_only_in_snapshot)
{
	struct harness *h = harness_new("network", "allow_listen: [\"127.0.0.1:5555\"]\n", NULL);
	struct da_event ev = ev_make(DA_EV_SOCK_SNAPSHOT, 0, 30.0);
	ev.addr = "0.0.0.0:31337";
	ev.port = 31337;
	ev.sock_type = STREAM;
	ev.detail = "LISTEN";
	ev.path2 = "0.0.0.0:*";
	ev.text = "tcp LISTEN 0 5 0.0.0.0:31337 0.0.0.0:*";
	harness_publish(h, &ev);
	ev.addr = "127.0.0.1:5555";
	ev.port = 5555;
	ev.text = "tcp LISTEN 0 5 127.0.0.1:5555 0.0.0.0:*";
	harness_publish(h, &ev);
	/* unix rows carry the inode after the path */
	ev.addr = "/home/auditor/app/chat.sock 41234";
	ev.text = "u_str LISTEN 0 5 /home/auditor/app/chat.sock 41234 * 0";
	harness_publish(h, &ev);
	ev.addr = "* 41235";
	harness_publish(h, &ev);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "network.listen"), DA_SEV_HIGH);
	cr_expect(message_has(h, "network.listen", "31337"));
	cr_expect_eq(harness_count(h, "network.listen"), 3, "31337, 5555 (info), chat.sock (info)");
	harness_free(h);
}

Test(network, raw_packet_and_netlink_sockets)
{
	struct harness *h = harness_new("network", NULL, NULL);
	publish_socket(h, 100, 3, AF_INET_, RAW, 1);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "network.raw_socket"), DA_SEV_HIGH);
	harness_free(h);

	h = harness_new("network", NULL, NULL);
	publish_socket(h, 100, 3, AF_PACKET_, RAW, 768);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "network.raw_socket"), DA_SEV_HIGH);
	harness_free(h);

	/* getifaddrs: netlink route is info only */
	h = harness_new("network", NULL, NULL);
	publish_socket(h, 100, 3, AF_NETLINK_, RAW, 0);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, NULL), DA_SEV_INFO);
	harness_free(h);

	h = harness_new("network", NULL, NULL);
	publish_socket(h, 100, 3, AF_NETLINK_, RAW, 9 /* NETLINK_AUDIT */);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "network.netlink"), DA_SEV_MEDIUM);
	harness_free(h);
}

Test(network, dns_attempts)
{
	struct harness *h = harness_new("network", NULL, NULL);
	publish_socket(h, 100, 3, AF_INET_, DGRAM, 17);
	publish_addr(h, DA_EV_NET_CONNECT, 100, 3, AF_INET_, DGRAM, "10.0.0.2:53", 53, 0, NULL);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "network.dns"), DA_SEV_MEDIUM);
	cr_expect_eq(harness_count(h, "network.connect"), 0);
	harness_free(h);

	/* getaddrinfo answered from /etc/hosts: resolv.conf read, UDP sockets
	 * connected to port 0 to rank the answers; no DNS, nothing reached */
	h = harness_new("network", NULL, NULL);
	publish_open(h, 100, "/etc/resolv.conf");
	publish_socket(h, 100, 4, AF_INET_, DGRAM, 17);
	publish_addr(h, DA_EV_NET_CONNECT, 100, 4, AF_INET_, DGRAM, "127.0.1.1:0", 0, 0, NULL);
	publish_addr(h, DA_EV_NET_CONNECT, 100, 5, AF_INET6_, DGRAM, "[::1]:0", 0, 0, NULL);
	harness_finish(h);
	cr_expect_eq(harness_count(h, NULL), 0);
	harness_free(h);

	/* then a real query, A and AAAA: one finding, with the resolv.conf read */
	h = harness_new("network", NULL, NULL);
	publish_open(h, 100, "/etc/resolv.conf");
	publish_socket(h, 100, 4, AF_INET_, DGRAM, 17);
	publish_addr(h, DA_EV_NET_CONNECT, 100, 4, AF_INET_, DGRAM, "10.255.255.53:53", 53, 0, NULL);
	publish_addr(h, DA_EV_NET_CONNECT, 100, 4, AF_INET_, DGRAM, "10.255.255.53:53", 53, 0, NULL);
	harness_finish(h);
	const struct harness_finding *f = harness_get(h, "network.dns");
	cr_assert(f);
	cr_expect_eq(f->severity, DA_SEV_MEDIUM);
	cr_expect_eq(f->count, 1, "one resolver, one finding");
	cr_expect_eq(f->n_evidence, 2, "resolv.conf read and the query");
	harness_free(h);

	/* sendto port 53 with allow_dns: info */
	h = harness_new("network", "allow_dns: true\n", NULL);
	publish_socket(h, 100, 3, AF_INET_, DGRAM, 17);
	publish_addr(h, DA_EV_NET_SEND, 100, 3, AF_INET_, DGRAM, "8.8.8.8:53", 53, 0, NULL);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, NULL), DA_SEV_INFO);
	harness_free(h);
}

/* A UDP server answering its own client: the destination port is a
 * socket of the run itself (its fd description names it). */
Test(network, replies_to_the_runs_own_socket_are_info)
{
	struct harness *h = harness_new("network",
					"allow_listen: [\"127.0.0.1:5555\"]\nallow_connect: [\"127.0.0.1:5555\"]\n",
					NULL);
	struct da_event ev = ev_make(DA_EV_NET_SEND, 101, 1.0);
	ev.syscall = "sendto";
	ev.fd = 3;
	ev.fd_desc = "socket:inet/dgram@0.0.0.0:38219";
	ev.family = AF_INET_;
	ev.sock_type = DGRAM;
	ev.addr = "127.0.0.1:5555";
	ev.port = 5555;
	ev.text = "sendto(3, \"ping\", 4, 0, {127.0.0.1:5555}, 16) = 4";
	cr_assert_eq(harness_publish(h, &ev), 0);
	publish_addr(h, DA_EV_NET_SEND, 100, 3, AF_INET_, DGRAM, "127.0.0.1:38219", 38219, 0, NULL);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "network.connect"), DA_SEV_INFO);
	cr_expect_not_null(harness_find(h, "network.connect", "a socket of the run itself"));
	harness_free(h);

	/* another loopback port is still medium */
	h = harness_new("network", NULL, NULL);
	publish_addr(h, DA_EV_NET_SEND, 100, 3, AF_INET_, DGRAM, "127.0.0.1:38219", 38219, 0, NULL);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "network.connect"), DA_SEV_MEDIUM);
	harness_free(h);
}

Test(network, sendto_unlisted_destination)
{
	struct harness *h = harness_new("network", NULL, NULL);
	publish_socket(h, 100, 3, AF_INET_, DGRAM, 17);
	publish_addr(h, DA_EV_NET_SEND, 100, 3, AF_INET_, DGRAM, "198.51.100.7:9000", 9000, 0, NULL);
	publish_addr(h, DA_EV_NET_SEND, 100, 3, AF_INET_, DGRAM, "198.51.100.7:9000", 9000, 0, NULL);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "network.connect"), DA_SEV_HIGH);
	cr_expect_eq(harness_count(h, "network.connect"), 1, "one finding per destination");
	harness_free(h);
}

Test(network, sensitive_unix_sockets)
{
	struct harness *h = harness_new("network", NULL, NULL);
	publish_socket(h, 100, 3, AF_UNIX_, STREAM, 0);
	publish_addr(h, DA_EV_NET_CONNECT, 100, 3, AF_UNIX_, STREAM, "/var/run/docker.sock", 0,
		     ENOENT, "ENOENT");
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "network.unix_sensitive"), DA_SEV_CRITICAL);
	cr_expect(message_has(h, "network.unix_sensitive", "ENOENT"));
	harness_free(h);

	h = harness_new("network", NULL, NULL);
	publish_addr(h, DA_EV_NET_CONNECT, 100, 3, AF_UNIX_, STREAM, "/run/dbus/system_bus_socket", 0, 0, NULL);
	publish_addr(h, DA_EV_NET_CONNECT, 100, 4, AF_UNIX_, STREAM, "@/org/freedesktop/systemd1/notify", 0, 0, NULL);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "network.unix_sensitive"), DA_SEV_HIGH);
	cr_expect_eq(harness_count(h, "network.unix_sensitive"), 2);
	harness_free(h);

	/* another service's socket outside allow_connect: medium; allowed: info */
	h = harness_new("network", NULL, NULL);
	publish_addr(h, DA_EV_NET_CONNECT, 100, 3, AF_UNIX_, STREAM, "/run/mysqld/mysqld.sock", 0, ENOENT, "ENOENT");
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "network.unix_connect"), DA_SEV_MEDIUM);
	harness_free(h);
	h = harness_new("network", "allow_connect: [/run/mysqld/mysqld.sock]\n", NULL);
	publish_addr(h, DA_EV_NET_CONNECT, 100, 3, AF_UNIX_, STREAM, "/run/mysqld/mysqld.sock", 0, 0, NULL);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, NULL), DA_SEV_INFO);
	harness_free(h);

	/* nscd, uuidd and the program's own socket in the workdir are not findings */
	h = harness_new("network", NULL, NULL);
	publish_addr(h, DA_EV_NET_CONNECT, 100, 3, AF_UNIX_, STREAM, "/var/run/nscd/socket", 0, ENOENT, "ENOENT");
	publish_addr(h, DA_EV_NET_CONNECT, 100, 5, AF_UNIX_, STREAM, "/run/uuidd/request", 0, ENOENT, "ENOENT");
	publish_addr(h, DA_EV_NET_CONNECT, 100, 4, AF_UNIX_, STREAM, "/home/auditor/app/chat.sock", 0, 0, NULL);
	publish_addr(h, DA_EV_NET_CONNECT, 100, 6, AF_UNIX_, STREAM,
		     "/run/systemd/userdb/io.systemd.Multiplexer", 0, ENOENT, "ENOENT");
	harness_finish(h);
	cr_expect_lt(harness_max_severity(h, NULL), DA_SEV_LOW);
	harness_free(h);

	/* nss-resolve's socket is a name lookup: network.dns as port 53 would
	 * be (medium; info with allow_dns), never a privileged socket */
	h = harness_new("network", NULL, NULL);
	publish_addr(h, DA_EV_NET_CONNECT, 100, 3, AF_UNIX_, STREAM,
		     "/run/systemd/resolve/io.systemd.Resolve", 0, 0, NULL);
	harness_finish(h);
	cr_expect_eq(harness_count(h, "network.unix_sensitive"), 0);
	cr_expect_eq(harness_max_severity(h, "network.dns"), DA_SEV_MEDIUM);
	cr_expect(message_has(h, "network.dns", "systemd-resolved"));
	harness_free(h);
	h = harness_new("network", "allow_dns: true\n", NULL);
	publish_addr(h, DA_EV_NET_CONNECT, 100, 3, AF_UNIX_, STREAM,
		     "/run/systemd/resolve/io.systemd.Resolve", 0, 0, NULL);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, NULL), DA_SEV_INFO);
	harness_free(h);
	/* the rest of /run/systemd still is one */
	h = harness_new("network", NULL, NULL);
	publish_addr(h, DA_EV_NET_CONNECT, 100, 3, AF_UNIX_, STREAM, "/run/systemd/private", 0, 0, NULL);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "network.unix_sensitive"), DA_SEV_HIGH);
	harness_free(h);
}

Test(network, config_errors)
{
	int rc = 0;
	struct harness *h = harness_new("network", "allow_connect: [\"127.0.0.1:5555\"]\nallow_udp: true\n", &rc);
	cr_expect_eq(rc, -EINVAL);
	cr_expect(strstr(harness_error(h), "allow_udp"), "names the key: %s", harness_error(h));
	harness_free(h);

	h = harness_new("network", "allow_listen: [\"5555\"]\n", &rc);
	cr_expect_eq(rc, -EINVAL, "a bare port is not host:port");
	harness_free(h);

	h = harness_new("network", "allow_dns: maybe\n", &rc);
	cr_expect_eq(rc, -EINVAL);
	cr_expect(strstr(harness_error(h), "allow_dns"));
	harness_free(h);
}

Test(network, server_replies_and_undecoded_connects)
{
	struct harness *h = harness_new("network", "allow_listen: [\"127.0.0.1:5555\"]\n", NULL);
	publish_socket(h, 100, 3, AF_INET_, STREAM, 6);
	publish_addr(h, DA_EV_NET_BIND, 100, 3, AF_INET_, STREAM, "127.0.0.1:5555", 5555, 0, NULL);
	publish_addr(h, DA_EV_NET_LISTEN, 100, 3, AF_INET_, STREAM, "127.0.0.1:5555", 5555, 0, NULL);
	struct da_event ev = ev_make(DA_EV_NET_ACCEPT, 100, 2.0);
	ev.fd = 3;
	ev.target_fd = 4;
	ev.addr = "127.0.0.1:40312";
	harness_publish(h, &ev);
	/* replies on the accepted socket, without fd decoding */
	publish_addr(h, DA_EV_NET_SEND, 100, 4, 0, 0, "127.0.0.1:40312", 40312, 0, NULL);
	harness_finish(h);
	cr_expect_lt(harness_max_severity(h, NULL), DA_SEV_LOW);
	harness_free(h);

	h = harness_new("network", NULL, NULL);
	publish_addr(h, DA_EV_NET_CONNECT, 100, 3, AF_INET_, STREAM, NULL, 0, 0, NULL);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "network.connect"), DA_SEV_MEDIUM,
		     "an undecoded connect is still reported");
	harness_free(h);
}

Test(network, hostile_events_do_not_crash)
{
	static char long_addr[9000];
	memset(long_addr, '9', sizeof(long_addr) - 1);
	const char *addrs[] = {long_addr, "[", "[::1", "]:80", ":", "@", "/", "1.2.3.4:", "::1", "", NULL};
	enum da_event_kind kinds[] = {DA_EV_NET_SOCKET, DA_EV_NET_CONNECT, DA_EV_NET_BIND, DA_EV_NET_LISTEN,
				      DA_EV_NET_ACCEPT, DA_EV_NET_SEND, DA_EV_SOCK_SNAPSHOT, DA_EV_FILE_OPEN};
	struct harness *h = harness_new("network", "allow_connect: [\"*:*\"]\n", NULL);
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		struct da_event ev = ev_make(kinds[k], 0, 0);
		cr_expect_eq(harness_publish(h, &ev), 0);
		for (size_t i = 0; addrs[i]; i++) {
			ev.addr = addrs[i];
			ev.detail = "LISTEN";
			ev.sock_type = DGRAM;
			ev.family = AF_INET_;
			ev.port = 7;
			cr_expect_eq(harness_publish(h, &ev), 0);
		}
	}
	cr_expect_eq(harness_finish(h), 0);
	harness_free(h);
}

/* Every kind with empty members, then with hostile ones: no crash, no error. */
Test(network, empty_and_hostile_events_are_survived)
{
	struct harness *h = harness_new("network", NULL, NULL);
	harness_publish_hostile_events(h);
	harness_free(h);
}

/* What python -m http.server does before it listens: glibc's getaddrinfo
 * ranks the passive addresses by connecting a UDP socket to each ([::],
 * 0.0.0.0), then dissociates it (AF_UNSPEC).  No packet leaves: nothing
 * to report.  A TCP connect to 0.0.0.0 reaches this host: loopback. */
Test(network, getaddrinfo_ranking_is_not_a_connection)
{
	struct harness *h = harness_new("network", NULL, NULL);
	publish_socket(h, 100, 3, AF_INET6_, DGRAM, 0);
	publish_addr(h, DA_EV_NET_CONNECT, 100, 3, AF_INET6_, DGRAM, "[::]:8000", 8000, 0, NULL);
	publish_addr(h, DA_EV_NET_CONNECT, 100, 3, 0, DGRAM, NULL, 0, 0, NULL);
	publish_addr(h, DA_EV_NET_CONNECT, 100, 3, AF_INET_, DGRAM, "0.0.0.0:8000", 8000, 0, NULL);
	harness_finish(h);
	cr_expect_eq(harness_count(h, "network.connect"), 0);
	harness_free(h);

	h = harness_new("network", NULL, NULL);
	publish_socket(h, 100, 3, AF_INET_, STREAM, 0);
	publish_addr(h, DA_EV_NET_CONNECT, 100, 3, AF_INET_, STREAM, "0.0.0.0:8000", 8000, 0, NULL);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "network.connect"), DA_SEV_MEDIUM, "0.0.0.0 is this host");
	harness_free(h);

	/* a listener on loopback only is medium; on every interface high */
	h = harness_new("network", NULL, NULL);
	publish_socket(h, 100, 3, AF_INET_, STREAM, 0);
	publish_addr(h, DA_EV_NET_LISTEN, 100, 3, AF_INET_, STREAM, "127.0.0.1:51093", 51093, 0, NULL);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "network.listen"), DA_SEV_MEDIUM);
	harness_free(h);
	h = harness_new("network", NULL, NULL);
	publish_addr(h, DA_EV_NET_LISTEN, 100, 4, AF_INET_, STREAM, "0.0.0.0:4444", 4444, 0, NULL);
	harness_finish(h);
	cr_expect_eq(harness_max_severity(h, "network.listen"), DA_SEV_HIGH);
	harness_free(h);
	/* allowed on every interface: exposed, not "Local only" */
	h = harness_new("network", "allow_listen: [\"0.0.0.0:4444\"]\n", NULL);
	publish_addr(h, DA_EV_NET_LISTEN, 100, 4, AF_INET_, STREAM, "0.0.0.0:4444", 4444, 0, NULL);
	harness_finish(h);
	cr_expect_str_eq(harness_observation(h), "Allowed endpoints only");
	harness_free(h);
}

/* An unprivileged ICMP "ping" socket (SOCK_DGRAM, IPPROTO_ICMP) is a
 * tunnel: reported like a raw socket even when socket() failed, and its
 * echo requests are judged by their destination host. */
Test(network, icmp_ping_sockets_and_their_sends)
{
	struct harness *h = harness_new("network", NULL, NULL);
	struct da_event ev = ev_make(DA_EV_NET_SOCKET, 100, 1.0);
	ev.syscall = "socket";
	ev.family = AF_INET_;
	ev.sock_type = DGRAM;
	ev.protocol = 1;
	ev.result = -1;
	ev.err = EACCES;
	ev.errname = "EACCES";
	ev.text = "socket(AF_INET, SOCK_DGRAM, 1) = -1 EACCES (Permission denied)";
	cr_assert_eq(harness_publish(h, &ev), 0);
	/* the program goes on sending on fd -1 */
	publish_addr(h, DA_EV_NET_SEND, 100, -1, AF_INET_, 0, "127.0.0.1:0", 0, EBADF, "EBADF");
	publish_addr(h, DA_EV_NET_SEND, 100, -1, AF_INET_, 0, "127.0.0.1:0", 0, EBADF, "EBADF");
	/* ICMPv6, opened, to a remote host */
	publish_socket(h, 100, 4, AF_INET6_, DGRAM, 58);
	publish_addr(h, DA_EV_NET_SEND, 100, 4, AF_INET6_, 0, "[2001:db8::1]:0", 0, 0, NULL);
	/* an ordinary UDP socket is not one */
	publish_socket(h, 100, 5, AF_INET_, DGRAM, 17);
	harness_finish(h);
	harness_dump(h);
	cr_expect_eq(harness_count(h, "network.raw_socket"), 2);
	cr_expect_eq(harness_max_severity(h, "network.raw_socket"), DA_SEV_HIGH);
	cr_expect(harness_find(h, "network.raw_socket", "ICMP socket"));
	cr_expect(harness_find(h, "network.raw_socket", "EACCES"), "failed, still reported");
	const struct harness_finding *f = harness_find(h, "network.connect", "ICMP packets to loopback address 127.0.0.1");
	cr_assert(f);
	cr_expect_eq(f->severity, DA_SEV_MEDIUM);
	f = harness_find(h, "network.connect", "ICMP packets to 2001:db8::1");
	cr_assert(f);
	cr_expect_eq(f->severity, DA_SEV_HIGH);
	cr_expect_eq(harness_count(h, "network.connect"), 2, "one finding per host");
	harness_free(h);
}

/* Thousands of connects to the ports of one host are one port scan, not
 * thousands of findings. */
Test(network, port_scans_are_one_finding_per_host)
{
	struct harness *h = harness_new("network", NULL, NULL);
	char addr[64], text[128];
	for (int p = 1; p <= 1031; p++) {
		snprintf(addr, sizeof(addr), "127.0.0.1:%d", p);
		publish_addr(h, DA_EV_NET_CONNECT, 100, 3, AF_INET_, STREAM, addr, p, EINPROGRESS, "EINPROGRESS");
		snprintf(addr, sizeof(addr), "[::1]:%d", p);
		publish_addr(h, DA_EV_NET_CONNECT, 100, 3, AF_INET6_, STREAM, addr, p, ECONNREFUSED, "ECONNREFUSED");
	}
	for (int p = 20; p < 40; p++) {
		struct da_event ev = ev_make(DA_EV_NET_CONNECT, 100, 2.0 + p);
		snprintf(addr, sizeof(addr), "192.0.2.7:%d", p);
		snprintf(text, sizeof(text), "connect(3, {%s}, 16) = 0", addr);
		ev.syscall = "connect";
		ev.fd = 3;
		ev.family = AF_INET_;
		ev.sock_type = STREAM;
		ev.addr = addr;
		ev.port = p;
		ev.text = text;
		cr_assert_eq(harness_publish(h, &ev), 0);
	}
	/* three ports of another host: no scan */
	publish_addr(h, DA_EV_NET_CONNECT, 100, 3, AF_INET_, STREAM, "192.0.2.8:80", 80, 0, NULL);
	publish_addr(h, DA_EV_NET_CONNECT, 100, 3, AF_INET_, STREAM, "192.0.2.8:443", 443, 0, NULL);
	publish_addr(h, DA_EV_NET_CONNECT, 100, 3, AF_INET_, STREAM, "192.0.2.8:8080", 8080, 0, NULL);
	harness_finish(h);
	cr_expect_eq(harness_count(h, "network.port_scan"), 3);
	cr_expect_leq(harness_count(h, "network.connect"), 3 * 5 + 3, "per-port findings are bounded");
	const struct harness_finding *f = harness_find(h, "network.port_scan", "1031 ports of 127.0.0.1");
	cr_assert(f);
	cr_expect_eq(f->severity, DA_SEV_MEDIUM, "loopback");
	cr_expect_geq(f->n_evidence, 1);
	cr_expect(strstr(f->evidence[0], "127.0.0.1:1}"), "first connect as evidence: %s", f->evidence[0]);
	cr_expect(harness_find(h, "network.port_scan", "1031 ports of ::1"));
	f = harness_find(h, "network.port_scan", "20 ports of 192.0.2.7 in 19.0 s (a port scan)");
	cr_assert(f);
	cr_expect_eq(f->severity, DA_SEV_HIGH);
	cr_expect(harness_find(h, "network.connect", "192.0.2.8:8080"));
	cr_expect(!harness_find(h, "network.port_scan", "192.0.2.8"));
	harness_free(h);

	/* one port each on many hosts: the per-destination findings stay bounded */
	h = harness_new("network", NULL, NULL);
	for (int i = 0; i < 600; i++) {
		snprintf(addr, sizeof(addr), "10.1.%d.%d:80", i / 200, i % 200 + 1);
		publish_addr(h, DA_EV_NET_CONNECT, 100, 3, AF_INET_, STREAM, addr, 80, 0, NULL);
	}
	harness_finish(h);
	cr_expect_leq(harness_count(h, "network.connect"), 201);
	f = harness_find(h, "network.connect", "400 more destinations");
	cr_assert(f);
	cr_expect_eq(f->severity, DA_SEV_HIGH);
	harness_free(h);
}

/* TCP to port 53 is a connection (DNS over TCP needs a UDP query first);
 * UDP and sendto to 53 stay DNS lookups. */
Test(network, tcp_connect_to_port_53_is_a_plain_connect)
{
	struct harness *h = harness_new("network", NULL, NULL);
	publish_socket(h, 100, 3, AF_INET_, STREAM, 6);
	publish_addr(h, DA_EV_NET_CONNECT, 100, 3, AF_INET_, STREAM, "203.0.113.9:53", 53, 0, NULL);
	harness_finish(h);
	cr_expect_eq(harness_count(h, "network.dns"), 0);
	cr_expect_eq(harness_max_severity(h, "network.connect"), DA_SEV_HIGH);
	harness_free(h);

	/* the type known only from socket() */
	h = harness_new("network", NULL, NULL);
	publish_socket(h, 100, 3, AF_INET_, STREAM, 6);
	publish_addr(h, DA_EV_NET_CONNECT, 100, 3, AF_INET_, 0, "203.0.113.9:53", 53, 0, NULL);
	publish_socket(h, 100, 4, AF_INET_, DGRAM, 17);
	publish_addr(h, DA_EV_NET_CONNECT, 100, 4, AF_INET_, 0, "203.0.113.10:53", 53, 0, NULL);
	harness_finish(h);
	cr_expect(harness_find(h, "network.connect", "203.0.113.9:53"));
	cr_expect(harness_find(h, "network.dns", "203.0.113.10:53"));
	harness_free(h);
}

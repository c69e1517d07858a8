/*
 * test_ss_parser.c — ss -tunap / -tulpn listings to socket snapshots.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "collect.h"
#include "recorded/source_strace.h"

static void replay_ss(struct collect *c, const char *text, struct ss_replay_result *r)
{
	char path[] = "/tmp/dynaudit-ss-XXXXXX";
	int fd = mkstemp(path);
	cr_assert(fd >= 0);
	cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	char err[256];
	collect_init(c);
	cr_assert_eq(source_ss_replay(path, 2.5, c->bus, r, err, sizeof(err)), 0, "%s", err);
	unlink(path);
}

Test(ss_parser, tunap_with_netid_v4_v6_users)
{
	struct collect c;
	struct ss_replay_result r;
	replay_ss(&c,
		  "Netid State  Recv-Q Send-Q      Local Address:Port  Peer Address:Port Process\n"
		  "udp   UNCONN 0      0       127.0.0.53%lo:53            0.0.0.0:*\n"
		  "tcp   LISTEN 0      5           127.0.0.1:5555          0.0.0.0:*     users:((\"python3\",pid=12,fd=3))\n"
		  "tcp   ESTAB  0      0   [::ffff:127.0.0.1]:5555 [::ffff:127.0.0.1]:40000 users:((\"python3\",pid=12,fd=4))\n"
		  "tcp   LISTEN 0      128              [::]:80               [::]:*\n"
		  "tcp   LISTEN 0      128                 *:22                  *:*\n",
		  &r);
	cr_assert_eq(r.sockets, 5);
	cr_assert_eq(r.warnings, 0, "%s", r.first_warning);
	const struct da_event *e = collect_nth(&c, DA_EV_SOCK_SNAPSHOT, 0);
	cr_assert_str_eq(e->addr, "127.0.0.53:53");
	cr_assert_eq(e->port, 53);
	cr_assert_eq(e->sock_type, SOCK_DGRAM);
	cr_assert_str_eq(e->detail, "UNCONN");
	e = collect_nth(&c, DA_EV_SOCK_SNAPSHOT, 1);
	cr_assert_str_eq(e->addr, "127.0.0.1:5555");
	cr_assert_eq(e->pid, 12);
	cr_assert_eq(e->sock_type, SOCK_STREAM);
	cr_assert_str_eq(e->detail, "LISTEN");
	cr_assert_str_eq(e->path2, "0.0.0.0:*");
	cr_assert(strstr(e->text, "users:") != NULL);
	cr_assert_eq(e->time_s, 2.5);
	e = collect_nth(&c, DA_EV_SOCK_SNAPSHOT, 2);
	cr_assert_str_eq(e->addr, "[::ffff:127.0.0.1]:5555");
	cr_assert_str_eq(e->path2, "[::ffff:127.0.0.1]:40000");
	cr_assert_str_eq(e->detail, "ESTAB");
	e = collect_nth(&c, DA_EV_SOCK_SNAPSHOT, 3);
	cr_assert_str_eq(e->addr, "[::]:80");
	cr_assert_eq(e->port, 80);
	cr_assert_eq(e->pid, 0);
	e = collect_nth(&c, DA_EV_SOCK_SNAPSHOT, 4);
	cr_assert_eq(e->port, 22);
	collect_fini(&c);
}

Test(ss_parser, tulpn_without_netid_and_garbage)
{
	struct collect c;
	struct ss_replay_result r;
	replay_ss(&c,
		  "State  Recv-Q Send-Q Local Address:Port Peer Address:Port Process\n"
		  "LISTEN 0      1            0.0.0.0:4445      0.0.0.0:*    users:((\"bindshell\",pid=13,fd=3))\n"
		  "this is not a socket line\n"
		  "LISTEN 0 1 nonsense peer\n"
		  "\n",
		  &r);
	cr_assert_eq(r.sockets, 1);
	cr_assert_eq(r.warnings, 2);
	cr_assert(strstr(r.first_warning, ":3: ") != NULL, "%s", r.first_warning);
	const struct da_event *e = collect_nth(&c, DA_EV_SOCK_SNAPSHOT, 0);
	cr_assert_str_eq(e->addr, "0.0.0.0:4445");
	cr_assert_eq(e->pid, 13);
	cr_assert_eq(e->sock_type, SOCK_STREAM);
	collect_fini(&c);
}

Test(ss_parser, missing_file_is_an_error)
{
	struct bus *bus = bus_new();
	struct ss_replay_result r;
	char err[256];
	cr_assert_lt(source_ss_replay("/nonexistent/ss.txt", 0, bus, &r, err, sizeof(err)), 0);
	cr_assert(strstr(err, "/nonexistent/ss.txt") != NULL);
	bus_free(bus);
}

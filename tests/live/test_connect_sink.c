/*
 * test_connect_sink.c — the connect sink (core/live/connect_sink.c) and
 * the helper that makes its sockets (core/live/netns_sockets.c).
 *
 * The byte handling (preview text, protocol answers) is fuzzed with
 * random and mutated input: never past its buffers, always terminated.
 * The live part runs the helper in this test's own network namespace
 * (root): a connect to a free loopback port is accepted and its bytes
 * published; a bind to a port a sink holds gets the port back; a port in
 * use is left alone.
 */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "engine/bus.h"
#include "live/connect_sink.h"
#include "live/netns_sockets.h"

Test(connect_sink, preview_escapes_and_bounds)
{
	char out[64];
	connect_sink_preview((const uint8_t *)"GET /\r\n\x01\\", 9, out, sizeof out);
	cr_expect_str_eq(out, "GET /\\r\\n\\x01\\x5c");
	uint8_t big[1000];
	memset(big, 'a', sizeof big);
	connect_sink_preview(big, sizeof big, out, sizeof out);
	cr_expect_eq(strlen(out), sizeof out - 1);
	cr_expect(strstr(out, "...") != NULL);
	connect_sink_preview(big, 0, out, sizeof out);
	cr_expect_str_eq(out, "");
	char tiny[2];
	connect_sink_preview(big, 10, tiny, sizeof tiny);
	cr_expect(strlen(tiny) <= 1);
}

Test(connect_sink, fuzz_preview_and_answer)
{
	srand(42);
	uint8_t buf[512];
	for (int round = 0; round < 20000; round++) {
		size_t len = (size_t)rand() % sizeof buf;
		for (size_t i = 0; i < len; i++)
			buf[i] = (uint8_t)rand();
		if (round % 3 == 0 && len > 8)
			memcpy(buf, "POST / HTTP/1.1\r\n", len < 17 ? len : 17);
		size_t cap = 1 + (size_t)rand() % 300;
		char *out = malloc(cap + 16);
		memset(out, 'Z', cap + 16);
		connect_sink_preview(buf, len, out, cap);
		cr_assert(memchr(out, '\0', cap) != NULL, "not terminated within %zu", cap);
		for (size_t i = cap; i < cap + 16; i++)
			cr_assert_eq(out[i], 'Z', "wrote past the buffer");
		free(out);
		size_t al = 99;
		const char *a = connect_sink_answer(buf, len, &al);
		cr_assert(a ? al > 0 : al == 0);
	}
}

Test(connect_sink, protocol_answers)
{
	size_t al;
	const char *a = connect_sink_answer((const uint8_t *)"GET / HTTP/1.1\r\nHost: x\r\n\r\n", 27, &al);
	cr_assert(a);
	cr_expect(strncmp(a, "HTTP/1.1 200 OK", 15) == 0);
	cr_expect_null(connect_sink_answer((const uint8_t *)"GET / HTTP/1.1\r\nHost: x\r\n", 25, &al),
		       "answered before the headers ended");
	cr_expect_null(connect_sink_answer((const uint8_t *)"hello\n\n", 7, &al), "not HTTP");
	const uint8_t hello[] = { 0x16, 0x03, 0x01, 0x02, 0x00, 0x01 };
	a = connect_sink_answer(hello, sizeof hello, &al);
	cr_assert(a);
	cr_expect_eq(a[0], 0x15); /* an alert record */
}

/* ---- live ---------------------------------------------------------------- */

struct seen {
	pthread_mutex_t lock;
	char data[256];
	int opens, datas;
};

static int on_event(void *ctx, const struct da_event *ev)
{
	struct seen *s = ctx;
	if (ev->kind != DA_EV_SYSCALL_OTHER || !ev->syscall)
		return 0;
	pthread_mutex_lock(&s->lock);
	if (strcmp(ev->syscall, "sink_open") == 0)
		s->opens++;
	if (strcmp(ev->syscall, "sink_data") == 0) {
		s->datas++;
		snprintf(s->data, sizeof s->data, "%s", ev->detail ? ev->detail : "");
	}
	pthread_mutex_unlock(&s->lock);
	return 0;
}

static struct sockaddr_in loop_addr(const char *ip, int port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	inet_pton(AF_INET, ip, &sa.sin_addr);
	return sa;
}

/* A free port on 127.0.0.1 (bound then closed). */
static int free_port(void)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = loop_addr("127.0.0.1", 0);
	socklen_t l = sizeof sa;
	bind(s, (struct sockaddr *)&sa, sizeof sa);
	getsockname(s, (struct sockaddr *)&sa, &l);
	close(s);
	return ntohs(sa.sin_port);
}

Test(connect_sink, accepts_records_and_gives_back)
{
	if (geteuid() != 0)
		cr_skip_test("needs root (setns into its own namespace)");
	int nsfd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	cr_assert(nsfd >= 0);
	char err[256];
	struct netns_sockets *ns;
	cr_assert_eq(netns_sockets_start(&ns, getpid(), nsfd, false, err, sizeof err), 0, "%s", err);
	struct bus *bus = bus_new();
	struct seen seen = { .lock = PTHREAD_MUTEX_INITIALIZER };
	bus_subscribe(bus, NULL, on_event, &seen);
	struct connect_sink *s;
	cr_assert_eq(connect_sink_start(&s, ns, bus, NULL, NULL, err, sizeof err), 0, "%s", err);

	/* a connect to a free port: accepted, its bytes recorded */
	int port = free_port();
	struct sockaddr_in sa = loop_addr("127.0.0.1", port);
	int c = socket(AF_INET, SOCK_STREAM, 0);
	connect_sink_at_call(s, false, getpid(), c, &sa, sizeof sa);
	cr_assert_eq(connect(c, (struct sockaddr *)&sa, sizeof sa), 0, "the sink did not accept");
	cr_assert_eq(write(c, "secret\x01", 7), 7);
	close(c);

	/* a bind to that port gets it back */
	connect_sink_at_call(s, true, getpid(), -1, &sa, sizeof sa);
	int b = socket(AF_INET, SOCK_STREAM, 0);
	cr_expect_eq(bind(b, (struct sockaddr *)&sa, sizeof sa), 0, "the port was not given back");
	listen(b, 1);

	/* a port in use is left alone: the connect reaches its owner */
	int c2 = socket(AF_INET, SOCK_STREAM, 0);
	connect_sink_at_call(s, false, getpid(), c2, &sa, sizeof sa);
	cr_expect_eq(connect(c2, (struct sockaddr *)&sa, sizeof sa), 0);
	int a = accept(b, NULL, NULL);
	cr_expect(a >= 0, "the owner did not get the connection");
	close(a);
	close(c2);
	close(b);

	/* a non-loopback destination is not sunk */
	struct sockaddr_in far = loop_addr("192.0.2.1", 80);
	int c3 = socket(AF_INET, SOCK_STREAM, 0);
	connect_sink_at_call(s, false, getpid(), c3, &far, sizeof far);
	close(c3);

	for (int i = 0; i < 200 && seen.datas == 0; i++)
		usleep(10000);
	connect_sink_stop(s);
	netns_sockets_stop(ns);
	bus_free(bus);
	close(nsfd);
	cr_expect_eq(seen.opens, 1, "%d sink_open events", seen.opens);
	cr_expect_eq(seen.datas, 1, "%d sink_data events", seen.datas);
	cr_expect_str_eq(seen.data, "secret\\x01");
}

/*
 * dns_sink.c — see dns_sink.h.
 */
#include "live/dns_sink.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/dns_wire.h"
#include "engine/bus.h"

struct dns_sink {
	int sock;
	int stop_fd;
	pthread_t thread;
	bool running;
	struct bus *bus;
	double (*clock)(void *ctx);
	void *clock_ctx;
	atomic_uint_fast64_t queries, unpublished;
};

static const char *type_name(uint16_t t)
{
	switch (t) {
	case 1: return "A";
	case 28: return "AAAA";
	case 5: return "CNAME";
	case 15: return "MX";
	case 16: return "TXT";
	case 12: return "PTR";
	case 33: return "SRV";
	case 65: return "HTTPS";
	default: return "other";
	}
}

static void serve_one(struct dns_sink *s)
{
	uint8_t pkt[1500], ans[512];
	struct sockaddr_in from;
	socklen_t fl = sizeof from;
	ssize_t n = recvfrom(s->sock, pkt, sizeof pkt, MSG_DONTWAIT, (struct sockaddr *)&from, &fl);
	if (n <= 0)
		return;
	struct dns_query q;
	if (dns_parse_query(pkt, (size_t)n, &q) < 0)
		return; /* not a query: dropped, as a real resolver would */
	size_t al = dns_build_answer(pkt, &q, ans, sizeof ans);
	if (al)
		(void)sendto(s->sock, ans, al, MSG_DONTWAIT, (struct sockaddr *)&from, fl);
	uint64_t nth = atomic_fetch_add(&s->queries, 1);
	if (nth >= DNS_SINK_MAX_EVENTS) {
		atomic_fetch_add(&s->unpublished, 1);
		return;
	}
	char text[DNS_MAX_NAME + 96], ip[INET_ADDRSTRLEN] = "";
	if (q.qtype == 1) {
		struct in_addr a = { .s_addr = htonl(dns_sink_addr(q.name)) };
		inet_ntop(AF_INET, &a, ip, sizeof ip);
	}
	snprintf(text, sizeof text, "dns query %s %s -> %s", type_name(q.qtype), q.name,
		 ip[0] ? ip : "(no record)");
	struct da_event ev;
	da_event_init(&ev, DA_EV_SYSCALL_OTHER);
	ev.time_s = s->clock ? s->clock(s->clock_ctx) : 0;
	ev.syscall = "dns_query";
	ev.detail = q.name;
	ev.arg[0] = q.qtype;
	ev.addr = DNS_SINK_ADDR ":53";
	ev.port = 53;
	ev.text = text;
	bus_publish(s->bus, &ev);
}

static void *serve(void *arg)
{
	struct dns_sink *s = arg;
	struct pollfd p[2] = { { .fd = s->sock, .events = POLLIN }, { .fd = s->stop_fd, .events = POLLIN } };
	for (;;) {
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p[1].revents)
			break;
		if (p[0].revents & POLLIN)
			for (int i = 0; i < 64; i++) /* a burst, then look at stop again */
				serve_one(s);
	}
	return NULL;
}

int dns_sink_start(struct dns_sink **out, int sock, struct bus *bus,
		   double (*clock)(void *ctx), void *clock_ctx, char *err, size_t errlen)
{
	int rc = 0;
	*out = NULL;
	if (sock < 0) {
		snprintf(err, errlen, "no socket in the sandbox");
		return -EINVAL;
	}
	struct dns_sink *s = calloc(1, sizeof *s);
	if (!s) {
		close(sock);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	s->sock = sock;
	s->bus = bus;
	s->clock = clock;
	s->clock_ctx = clock_ctx;
	s->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (s->stop_fd < 0 || (rc = pthread_create(&s->thread, NULL, serve, s)) != 0) {
		rc = s->stop_fd < 0 ? errno : rc;
		snprintf(err, errlen, "sink thread: %s", strerror(rc));
		dns_sink_stop(s);
		return -rc;
	}
	s->running = true;
	*out = s;
	return 0;
}

void dns_sink_counts(const struct dns_sink *s, uint64_t *queries, uint64_t *unpublished)
{
	*queries = s ? atomic_load(&s->queries) : 0;
	*unpublished = s ? atomic_load(&s->unpublished) : 0;
}

void dns_sink_stop(struct dns_sink *s)
{
	if (!s)
		return;
	if (s->running) {
		uint64_t one = 1;
		(void)!write(s->stop_fd, &one, sizeof one);
		pthread_join(s->thread, NULL);
	}
	if (s->stop_fd >= 0)
		close(s->stop_fd);
	close(s->sock);
	free(s);
}

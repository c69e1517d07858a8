/*
 * connect_sink.c — see connect_sink.h.
 */
#include "live/connect_sink.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "engine/bus.h"
#include "live/netns_sockets.h"

#define READ_CHUNK 16384
#define MAX_ATTEMPTS 4096     /* helper requests in all (a connect storm to busy ports) */
#define RELEASE_WAIT_MS 200   /* a bind waits this long at most for its port */
#define PREVIEW_CHARS 200
#define HEX_BYTES 32

struct listener {
	int fd;
	int type;                 /* SOCK_STREAM or SOCK_DGRAM */
	unsigned id;
	int port;
	bool release;             /* a bind of the target wants the port */
	struct sockaddr_storage sa;
	socklen_t salen;
	char addr[INET6_ADDRSTRLEN + 8];
};

struct conn {
	int fd;
	unsigned listener;        /* its listener's id */
	uint64_t no;              /* connection number, from 1 */
	uint8_t *buf;             /* CONNECT_SINK_KEEP bytes, allocated on first data */
	size_t kept;
	uint64_t total;
	bool answered, published;
	char addr[INET6_ADDRSTRLEN + 8];
	int port;
};

struct connect_sink {
	struct netns_sockets *ns;
	struct bus *bus;
	double (*clock)(void *ctx);
	void *clock_ctx;
	pthread_t thread;
	bool running;
	int wake_fd;
	pthread_mutex_t lock;     /* listeners, release_*, stopping */
	pthread_cond_t released;
	struct listener l[CONNECT_SINK_LISTENERS];
	int nl;
	unsigned next_id;
	unsigned release_req, release_done;
	bool stopping;
	uint64_t owned[CONNECT_SINK_LISTENERS + CONNECT_SINK_CONNS]; /* inodes of our sockets */
	int nowned;
	struct conn c[CONNECT_SINK_CONNS]; /* the thread's alone */
	int nc;
	atomic_uint_fast64_t sinks, conns, unrecorded, events, attempts;
};

/* ---- text of what was received ----------------------------------------- */

void connect_sink_preview(const uint8_t *data, size_t len, char *out, size_t outlen)
{
	size_t w = 0;
	if (!outlen)
		return;
	for (size_t i = 0; i < len; i++) {
		char tmp[8];
		uint8_t b = data[i];
		if (b == '\n')
			snprintf(tmp, sizeof tmp, "\\n");
		else if (b == '\r')
			snprintf(tmp, sizeof tmp, "\\r");
		else if (b == '\t')
			snprintf(tmp, sizeof tmp, "\\t");
		else if (b >= 0x20 && b < 0x7f && b != '\\')
			snprintf(tmp, sizeof tmp, "%c", b);
		else
			snprintf(tmp, sizeof tmp, "\\x%02x", b);
		size_t tl = strlen(tmp);
		if (w + tl + 4 > outlen) { /* room for "..." */
			if (outlen >= 4) {
				memcpy(out + (w < outlen - 4 ? w : outlen - 4), "...", 4);
				return;
			}
			break;
		}
		memcpy(out + w, tmp, tl);
		w += tl;
	}
	out[w < outlen ? w : outlen - 1] = '\0';
}

static bool starts_with(const uint8_t *d, size_t len, const char *p)
{
	size_t pl = strlen(p);
	return len >= pl && memcmp(d, p, pl) == 0;
}

static bool has_header_end(const uint8_t *d, size_t len)
{
	for (size_t i = 0; i + 3 < len; i++)
		if (d[i] == '\r' && d[i + 1] == '\n' && d[i + 2] == '\r' && d[i + 3] == '\n')
			return true;
	for (size_t i = 0; i + 1 < len; i++) /* bare-LF clients */
		if (d[i] == '\n' && d[i + 1] == '\n')
			return true;
	return false;
}

const char *connect_sink_answer(const uint8_t *data, size_t len, size_t *answer_len)
{
	static const char http_ok[] =
		"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
	static const char tls_alert[] = { 0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x28 };
	static const char *const methods[] = { "GET ", "POST ", "PUT ", "HEAD ", "DELETE ",
					       "PATCH ", "OPTIONS ", NULL };
	*answer_len = 0;
	if (!data || !len)
		return NULL;
	if (len >= 3 && data[0] == 0x16 && data[1] == 0x03) { /* TLS handshake record */
		*answer_len = sizeof tls_alert;
		return tls_alert;
	}
	for (int i = 0; methods[i]; i++)
		if (starts_with(data, len, methods[i]) && has_header_end(data, len)) {
			*answer_len = sizeof http_ok - 1;
			return http_ok;
		}
	return NULL;
}

static double now_s(struct connect_sink *s)
{
	return s->clock ? s->clock(s->clock_ctx) : 0;
}

static uint64_t inode_of(int fd)
{
	struct stat st;
	return fstat(fd, &st) == 0 ? (uint64_t)st.st_ino : 0;
}

/* Called with the lock held. */
static void own_add(struct connect_sink *s, uint64_t ino)
{
	if (ino && s->nowned < (int)(sizeof s->owned / sizeof s->owned[0]))
		s->owned[s->nowned++] = ino;
}

static void own_del(struct connect_sink *s, uint64_t ino)
{
	for (int i = 0; i < s->nowned; i++)
		if (s->owned[i] == ino) {
			s->owned[i] = s->owned[--s->nowned];
			return;
		}
}

bool connect_sink_owns(struct connect_sink *s, uint64_t ino)
{
	bool yes = false;
	if (!s || !ino)
		return false;
	pthread_mutex_lock(&s->lock);
	for (int i = 0; i < s->nowned && !yes; i++)
		yes = s->owned[i] == ino;
	pthread_mutex_unlock(&s->lock);
	return yes;
}

static bool may_publish(struct connect_sink *s)
{
	if (atomic_fetch_add(&s->events, 1) < CONNECT_SINK_EVENTS)
		return true;
	atomic_fetch_add(&s->unrecorded, 1);
	return false;
}

static void publish_data(struct connect_sink *s, const char *addr, int port, int type, uint64_t no,
			 const uint8_t *d, size_t kept, uint64_t total)
{
	if (!may_publish(s))
		return;
	char *detail = malloc(kept * 4 + 1);
	if (!detail)
		return;
	size_t w = 0;
	for (size_t i = 0; i < kept; i++) {
		if (d[i] >= 0x20 && d[i] < 0x7f && d[i] != '\\')
			detail[w++] = (char)d[i];
		else
			w += (size_t)snprintf(detail + w, 5, "\\x%02x", d[i]);
	}
	detail[w] = '\0';
	char preview[PREVIEW_CHARS + 4], hex[HEX_BYTES * 3 + 4] = "", text[PREVIEW_CHARS + HEX_BYTES * 3 + 200];
	connect_sink_preview(d, kept, preview, sizeof preview);
	for (size_t i = 0; i < kept && i < HEX_BYTES; i++)
		snprintf(hex + i * 3, 4, "%02x ", d[i]);
	if (kept > HEX_BYTES)
		strcat(hex, "...");
	const char *kind = type == SOCK_DGRAM ? "udp datagram" : "tcp connection";
	if (total == 0)
		snprintf(text, sizeof text, "sink %s %s %llu received nothing", addr, kind,
			 (unsigned long long)no);
	else
		snprintf(text, sizeof text, "sink %s %s %llu received %llu bytes%s: \"%s\" hex: %s", addr,
			 kind, (unsigned long long)no, (unsigned long long)total,
			 total > kept ? " (first 64 KiB kept)" : "", preview, hex);
	struct da_event ev;
	da_event_init(&ev, DA_EV_SYSCALL_OTHER);
	ev.time_s = now_s(s);
	ev.syscall = "sink_data";
	ev.addr = addr;
	ev.port = port;
	ev.sock_type = type;
	ev.detail = detail;
	ev.arg[0] = (int64_t)kept;
	ev.arg[1] = (int64_t)total;
	ev.arg[2] = (int64_t)no;
	ev.text = text;
	bus_publish(s->bus, &ev);
	free(detail);
}

/* ---- the thread --------------------------------------------------------- */

static void close_reset(int fd)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 }; /* RST: no TIME_WAIT on the port */
	setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
	close(fd);
}

/* Reads what c has now (at most 8 chunks): 1 more may come, 0 it ended
 * (EOF or an error). */
static int conn_take(struct connect_sink *s, struct conn *c)
{
	uint8_t tmp[READ_CHUNK];
	for (int round = 0; round < 8; round++) { /* then let the others have a turn */
		ssize_t n = recv(c->fd, tmp, sizeof tmp, MSG_DONTWAIT);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return 1;
		if (n <= 0)
			return 0;
		c->total += (uint64_t)n;
		if (c->kept < CONNECT_SINK_KEEP) {
			if (!c->buf && !(c->buf = malloc(CONNECT_SINK_KEEP)))
				return 1;
			size_t take = (size_t)n < CONNECT_SINK_KEEP - c->kept ? (size_t)n : CONNECT_SINK_KEEP - c->kept;
			memcpy(c->buf + c->kept, tmp, take);
			c->kept += take;
		}
		if (!c->answered) {
			size_t al;
			const char *a = connect_sink_answer(c->buf, c->kept, &al);
			if (a) {
				c->answered = true;
				(void)!send(c->fd, a, al, MSG_DONTWAIT | MSG_NOSIGNAL);
			}
		}
		if (c->kept == CONNECT_SINK_KEEP && !c->published) {
			publish_data(s, c->addr, c->port, SOCK_STREAM, c->no, c->buf, c->kept, c->total);
			c->published = true;
		}
	}
	return 1;
}

/* reset: the port is wanted back; what arrived is read first */
static void conn_end(struct connect_sink *s, int i, bool reset)
{
	struct conn *c = &s->c[i];
	if (reset)
		(void)conn_take(s, c);
	if (!c->published)
		publish_data(s, c->addr, c->port, SOCK_STREAM, c->no, c->buf, c->kept, c->total);
	pthread_mutex_lock(&s->lock);
	own_del(s, inode_of(c->fd));
	pthread_mutex_unlock(&s->lock);
	if (reset)
		close_reset(c->fd);
	else
		close(c->fd);
	free(c->buf);
	s->c[i] = s->c[--s->nc];
}

static void conn_read(struct connect_sink *s, int i)
{
	if (conn_take(s, &s->c[i]) == 0)
		conn_end(s, i, false);
}

static void on_listener(struct connect_sink *s, const struct listener *l)
{
	if (l->type == SOCK_DGRAM) {
		uint8_t d[READ_CHUNK];
		for (int round = 0; round < 64; round++) {
			ssize_t n = recv(l->fd, d, sizeof d, MSG_DONTWAIT | MSG_TRUNC);
			if (n < 0)
				return;
			uint64_t no = atomic_fetch_add(&s->conns, 1) + 1;
			size_t kept = (size_t)n < sizeof d ? (size_t)n : sizeof d;
			publish_data(s, l->addr, l->port, SOCK_DGRAM, no, d, kept, (uint64_t)n);
		}
		return;
	}
	for (int round = 0; round < 16; round++) {
		int fd = accept4(l->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0)
			return;
		uint64_t no = atomic_fetch_add(&s->conns, 1) + 1;
		if (s->nc >= CONNECT_SINK_CONNS) {
			atomic_fetch_add(&s->unrecorded, 1);
			close_reset(fd);
			continue;
		}
		pthread_mutex_lock(&s->lock);
		own_add(s, inode_of(fd));
		pthread_mutex_unlock(&s->lock);
		struct conn *c = &s->c[s->nc++];
		memset(c, 0, sizeof *c);
		c->fd = fd;
		c->listener = l->id;
		c->no = no;
		c->port = l->port;
		memcpy(c->addr, l->addr, sizeof c->addr);
	}
}

/* Closes the listeners a bind of the target asked for, and their
 * connections, then tells the waiting bind. */
static void do_releases(struct connect_sink *s)
{
	unsigned ids[CONNECT_SINK_LISTENERS];
	int n = 0;
	pthread_mutex_lock(&s->lock);
	for (int i = 0; i < s->nl; i++)
		if (s->l[i].release)
			ids[n++] = s->l[i].id;
	unsigned req = s->release_req;
	struct listener gone[CONNECT_SINK_LISTENERS];
	int ng = 0;
	for (int i = 0; i < s->nl; i++)
		if (s->l[i].release)
			gone[ng++] = s->l[i];
	pthread_mutex_unlock(&s->lock);
	for (int k = 0; k < ng; k++) /* connections still in the backlog have bytes too */
		on_listener(s, &gone[k]);
	for (int k = 0; k < n; k++)
		for (int i = s->nc - 1; i >= 0; i--)
			if (s->c[i].listener == ids[k])
				conn_end(s, i, true);
	pthread_mutex_lock(&s->lock);
	for (int i = s->nl - 1; i >= 0; i--)
		if (s->l[i].release) {
			own_del(s, inode_of(s->l[i].fd));
			close_reset(s->l[i].fd);
			s->l[i] = s->l[--s->nl];
		}
	s->release_done = req;
	pthread_cond_broadcast(&s->released);
	pthread_mutex_unlock(&s->lock);
}

static void *serve(void *arg)
{
	struct connect_sink *s = arg;
	struct pollfd p[1 + CONNECT_SINK_LISTENERS + CONNECT_SINK_CONNS];
	struct listener ls[CONNECT_SINK_LISTENERS];
	for (;;) {
		pthread_mutex_lock(&s->lock);
		bool stop = s->stopping;
		int nl = s->nl;
		memcpy(ls, s->l, sizeof(ls[0]) * (size_t)nl);
		pthread_mutex_unlock(&s->lock);
		if (stop)
			break;
		p[0] = (struct pollfd){ .fd = s->wake_fd, .events = POLLIN };
		for (int i = 0; i < nl; i++)
			p[1 + i] = (struct pollfd){ .fd = ls[i].fd, .events = POLLIN };
		int nc = s->nc;
		for (int i = 0; i < nc; i++)
			p[1 + nl + i] = (struct pollfd){ .fd = s->c[i].fd, .events = POLLIN };
		if (poll(p, (nfds_t)(1 + nl + nc), -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p[0].revents) {
			uint64_t v;
			(void)!read(s->wake_fd, &v, sizeof v);
			do_releases(s);
			continue; /* the sets changed */
		}
		for (int i = nc - 1; i >= 0; i--) /* backwards: conn_end moves the last one */
			if (p[1 + nl + i].revents)
				conn_read(s, i);
		for (int i = 0; i < nl; i++)
			if (p[1 + i].revents & POLLIN)
				on_listener(s, &ls[i]);
	}
	while (s->nc > 0)
		conn_end(s, s->nc - 1, false);
	return NULL;
}

/* ---- the tracer's side --------------------------------------------------- */

static void wake(struct connect_sink *s)
{
	uint64_t one = 1;
	(void)!write(s->wake_fd, &one, sizeof one);
}

/* The socket type of the target's fd, -1 when it cannot be told. */
static int socket_type(pid_t tgid, int fd)
{
	int pfd = (int)syscall(SYS_pidfd_open, tgid, 0);
	if (pfd < 0)
		return -1;
	int dup = (int)syscall(SYS_pidfd_getfd, pfd, fd, 0);
	close(pfd);
	if (dup < 0)
		return -1;
	int type = -1;
	socklen_t l = sizeof type;
	if (getsockopt(dup, SOL_SOCKET, SO_TYPE, &type, &l) < 0)
		type = -1;
	close(dup);
	return type;
}

/* The loopback destination in sa as an AF_INET/AF_INET6 address a sink
 * can bind (a v4-mapped ::ffff:127.x becomes AF_INET); false otherwise. */
static bool loopback_dest(const void *sa, size_t salen, struct sockaddr_storage *out,
			  socklen_t *outlen, int *port)
{
	memset(out, 0, sizeof *out);
	sa_family_t fam;
	if (salen < sizeof fam)
		return false;
	memcpy(&fam, sa, sizeof fam);
	if (fam == AF_INET && salen >= sizeof(struct sockaddr_in)) {
		struct sockaddr_in in;
		memcpy(&in, sa, sizeof in);
		if ((ntohl(in.sin_addr.s_addr) >> 24) != 127 || !in.sin_port)
			return false;
		*port = ntohs(in.sin_port);
		memcpy(out, &in, sizeof in);
		*outlen = sizeof in;
		return true;
	}
	if (fam == AF_INET6 && salen >= sizeof(struct sockaddr_in6)) {
		struct sockaddr_in6 in6;
		memcpy(&in6, sa, sizeof in6);
		if (!in6.sin6_port)
			return false;
		*port = ntohs(in6.sin6_port);
		if (IN6_IS_ADDR_LOOPBACK(&in6.sin6_addr)) {
			in6.sin6_flowinfo = 0;
			in6.sin6_scope_id = 0;
			memcpy(out, &in6, sizeof in6);
			*outlen = sizeof in6;
			return true;
		}
		if (IN6_IS_ADDR_V4MAPPED(&in6.sin6_addr) && in6.sin6_addr.s6_addr[12] == 127) {
			struct sockaddr_in in = { .sin_family = AF_INET, .sin_port = in6.sin6_port };
			memcpy(&in.sin_addr, &in6.sin6_addr.s6_addr[12], 4);
			memcpy(out, &in, sizeof in);
			*outlen = sizeof in;
			return true;
		}
	}
	return false;
}

static int port_of(const void *sa, size_t salen)
{
	sa_family_t fam;
	if (salen < sizeof fam)
		return 0;
	memcpy(&fam, sa, sizeof fam);
	if (fam == AF_INET && salen >= sizeof(struct sockaddr_in)) {
		struct sockaddr_in in;
		memcpy(&in, sa, sizeof in);
		return ntohs(in.sin_port);
	}
	if (fam == AF_INET6 && salen >= sizeof(struct sockaddr_in6)) {
		struct sockaddr_in6 in6;
		memcpy(&in6, sa, sizeof in6);
		return ntohs(in6.sin6_port);
	}
	return 0;
}

static void release_port(struct connect_sink *s, int port)
{
	pthread_mutex_lock(&s->lock);
	bool any = false;
	for (int i = 0; i < s->nl; i++)
		if (s->l[i].port == port)
			s->l[i].release = any = true;
	if (!any) {
		pthread_mutex_unlock(&s->lock);
		return;
	}
	unsigned req = ++s->release_req;
	wake(s);
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_nsec += RELEASE_WAIT_MS * 1000000L;
	until.tv_sec += until.tv_nsec / 1000000000L;
	until.tv_nsec %= 1000000000L;
	while ((int)(s->release_done - req) < 0 && s->running)
		if (pthread_cond_timedwait(&s->released, &s->lock, &until) == ETIMEDOUT)
			break;
	pthread_mutex_unlock(&s->lock);
}

static bool held(struct connect_sink *s, int type, const struct sockaddr_storage *sa, socklen_t len)
{
	for (int i = 0; i < s->nl; i++)
		if (s->l[i].type == type && s->l[i].salen == len && memcmp(&s->l[i].sa, sa, len) == 0)
			return true;
	return false;
}

void connect_sink_at_call(struct connect_sink *s, bool is_bind, pid_t tgid, int fd, const void *sa,
			  size_t salen)
{
	if (!s || !sa)
		return;
	if (is_bind) {
		int port = port_of(sa, salen);
		if (port)
			release_port(s, port);
		return;
	}
	struct sockaddr_storage dst;
	socklen_t dl;
	int port;
	if (!loopback_dest(sa, salen, &dst, &dl, &port))
		return;
	int type = socket_type(tgid, fd);
	if (type != SOCK_STREAM && type != SOCK_DGRAM)
		return;
	pthread_mutex_lock(&s->lock);
	bool skip = held(s, type, &dst, dl) || s->nl >= CONNECT_SINK_LISTENERS;
	pthread_mutex_unlock(&s->lock);
	if (skip || atomic_fetch_add(&s->attempts, 1) >= MAX_ATTEMPTS)
		return;
	int lfd = netns_sockets_bind(s->ns, type, (const struct sockaddr *)&dst, dl);
	if (lfd < 0)
		return; /* something listens there (EADDRINUSE), or no sink can */
	struct listener l = { .fd = lfd, .type = type, .port = port, .sa = dst, .salen = dl };
	char ip[INET6_ADDRSTRLEN] = "?";
	if (dst.ss_family == AF_INET)
		inet_ntop(AF_INET, &((struct sockaddr_in *)&dst)->sin_addr, ip, sizeof ip);
	else
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&dst)->sin6_addr, ip, sizeof ip);
	snprintf(l.addr, sizeof l.addr, dst.ss_family == AF_INET6 ? "[%s]:%d" : "%s:%d", ip, port);
	pthread_mutex_lock(&s->lock);
	if (held(s, type, &dst, dl) || s->nl >= CONNECT_SINK_LISTENERS) {
		pthread_mutex_unlock(&s->lock);
		close(lfd);
		return;
	}
	l.id = ++s->next_id;
	s->l[s->nl++] = l;
	own_add(s, inode_of(lfd));
	pthread_mutex_unlock(&s->lock);
	wake(s);
	atomic_fetch_add(&s->sinks, 1);
	if (may_publish(s)) {
		char text[160];
		snprintf(text, sizeof text, "connect sink opened at %s/%s (nothing listened there)", l.addr,
			 type == SOCK_DGRAM ? "udp" : "tcp");
		struct da_event ev;
		da_event_init(&ev, DA_EV_SYSCALL_OTHER);
		ev.time_s = now_s(s);
		ev.syscall = "sink_open";
		ev.addr = l.addr;
		ev.port = port;
		ev.sock_type = type;
		ev.text = text;
		bus_publish(s->bus, &ev);
	}
}

/* ---- start / stop -------------------------------------------------------- */

int connect_sink_start(struct connect_sink **out, struct netns_sockets *ns, struct bus *bus,
		       double (*clock)(void *ctx), void *clock_ctx, char *err, size_t errlen)
{
	*out = NULL;
	struct connect_sink *s = calloc(1, sizeof *s);
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	s->ns = ns;
	s->bus = bus;
	s->clock = clock;
	s->clock_ctx = clock_ctx;
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->released, NULL);
	s->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	int rc = s->wake_fd < 0 ? errno : pthread_create(&s->thread, NULL, serve, s);
	if (rc) {
		snprintf(err, errlen, "sink thread: %s", strerror(rc));
		if (s->wake_fd >= 0)
			close(s->wake_fd);
		free(s);
		return -rc;
	}
	s->running = true;
	*out = s;
	return 0;
}

void connect_sink_counts(const struct connect_sink *s, uint64_t *sinks, uint64_t *conns,
			 uint64_t *unrecorded)
{
	*sinks = s ? atomic_load(&s->sinks) : 0;
	*conns = s ? atomic_load(&s->conns) : 0;
	*unrecorded = s ? atomic_load(&s->unrecorded) : 0;
}

void connect_sink_stop(struct connect_sink *s)
{
	if (!s)
		return;
	pthread_mutex_lock(&s->lock);
	s->stopping = true;
	pthread_mutex_unlock(&s->lock);
	wake(s);
	pthread_join(s->thread, NULL);
	pthread_mutex_lock(&s->lock);
	s->running = false;
	pthread_cond_broadcast(&s->released);
	for (int i = 0; i < s->nl; i++)
		close(s->l[i].fd);
	s->nl = 0;
	pthread_mutex_unlock(&s->lock);
	close(s->wake_fd);
	pthread_cond_destroy(&s->released);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

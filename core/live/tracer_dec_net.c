/*
 * tracer_dec_net.c — the socket families of the live tracer
 * (tracer_dec.h): socket/socketpair, and the calls on a socket fd
 * (connect, bind, listen, accept, send*, recv*).  The fd description
 * (tracer_fd.c: the kernel's truth, prefetched at the stop) gives the
 * family, type and the connected or bound address when the call itself
 * carries no sockaddr.  Also data leaving a socket without a send call
 * (write/writev on a socket, sendfile/splice/copy_file_range into one),
 * TCP Fast Open (a sendto that connects), the DNS query inside a send to
 * port 53, and descriptors handed over with SCM_RIGHTS.
 */
#include "live/tracer_dec.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "common/dns_wire.h"
#include "common/procstate_stdio.h"
#include "common/syscall_shapes.h"
#include "live/dns_sink.h"

#ifndef MSG_FASTOPEN
#define MSG_FASTOPEN 0x20000000
#endif

/* ---- socket/socketpair --------------------------------------------------- */

static bool socket_build(struct sc_ctx *x)
{
	const uint64_t *a = x->a;
	struct sc_call *c = x->c;
	x->ev.family = (int32_t)a[0];
	x->ev.sock_type = (int32_t)(a[1] & 0xf);
	x->ev.protocol = (int32_t)a[2];
	x->ev.fd = x->ok ? (int32_t)(x->row->id == SC_SOCKET ? c->ret : c->fds[0]) : -1;
	if (x->row->id == SC_SOCKETPAIR)
		x->ev.target_fd = x->ok ? c->fds[1] : -1;
	return true;
}

static void socket_state(struct sc_ctx *x)
{
	const uint64_t *a = x->a;
	if (!x->ok)
		return;
	snprintf(x->desc, sizeof(x->desc), "socket:%s/%s", tracer_family_name((int)a[0]),
		 tracer_socktype_name((int)a[1]));
	bool cloexec = (a[1] & SOCK_CLOEXEC) != 0;
	procstate_fd_set(x->t->ps, x->th->ns_tid, x->ev.fd, x->desc, cloexec);
	if (x->row->id == SC_SOCKETPAIR)
		procstate_fd_set(x->t->ps, x->th->ns_tid, x->ev.target_fd, x->desc, cloexec);
}

static void socket_text(struct sc_ctx *x)
{
	const uint64_t *a = x->a;
	stext_family(x->tt, (int)a[0]);
	stext_printf(x->tt, ", ");
	stext_socktype(x->tt, a[1]);
	stext_printf(x->tt, ", %d", (int)a[2]);
	if (x->row->id != SC_SOCKETPAIR)
		return;
	if (x->ok)
		stext_printf(x->tt, ", [%d, %d]", x->c->fds[0], x->c->fds[1]);
	else
		stext_printf(x->tt, ", %#llx", (unsigned long long)a[3]);
}

const struct sc_family sc_fam_socket = { "socket", socket_build, socket_state, socket_text, NULL };

/* ---- calls on a socket fd ------------------------------------------------ */

/* Family and type from a "socket:inet/stream..." description. */
static void sock_kind_from_desc(struct da_event *ev)
{
	if (!ev->fd_desc || strncmp(ev->fd_desc, "socket:", 7) != 0)
		return;
	const char *fam = ev->fd_desc + 7;
	ev->family = strncmp(fam, "inet6/", 6) == 0 ? AF_INET6
		   : strncmp(fam, "inet/", 5) == 0 ? AF_INET
		   : strncmp(fam, "unix/", 5) == 0 ? AF_UNIX : 0;
	const char *ty = strchr(fam, '/');
	if (ty)
		ev->sock_type = strncmp(ty + 1, "stream", 6) == 0 ? SOCK_STREAM
			      : strncmp(ty + 1, "dgram", 5) == 0 ? SOCK_DGRAM
			      : strncmp(ty + 1, "raw", 3) == 0 ? SOCK_RAW : 0;
}

/* A unix socket named by a relative path lies below the cwd, as a file
 * would: the event names it resolved, to be judged where it lies
 * ("srv.sock" in the workdir, "docker.sock" after chdir("/var/run")). */
static void unix_resolve(struct sc_ctx *x)
{
	const char *a = x->ev.addr;
	if (!a || a[0] == '/' || a[0] == '@' || !a[0] || strcmp(a, "unnamed") == 0)
		return;
	const char *abs = tracer_resolve(x->t, x->th, AT_FDCWD, a, x->path2, sizeof(x->path2));
	if (abs)
		x->ev.addr = abs;
}

/* The address of the event: the call's sockaddr, else the connected peer
 * of the description ("->"), else (listen and bind only: a socket's own
 * address is no destination) its bound address ("@"). */
static void sock_addr(struct sc_ctx *x)
{
	struct da_event *ev = &x->ev;
	enum sc_id id = x->row->id;
	const struct sc_call *c = x->c;
	if (c->salen) {
		sa_family_t f;
		memcpy(&f, c->sa, sizeof(f));
		if (!ev->family)
			ev->family = f;
		if (f == AF_UNSPEC && id == SC_CONNECT)
			ev->family = AF_UNSPEC; /* dissociation: no destination */
		else
			ev->addr = tracer_sockaddr_text(c->sa, c->salen, x->addr, sizeof(x->addr), &ev->port);
		if (f == AF_UNIX)
			unix_resolve(x);
		return;
	}
	if (!ev->fd_desc || id == SC_ACCEPT || id == SC_ACCEPT4)
		return;
	const char *p = strstr(ev->fd_desc, "->");
	const char *l = id == SC_LISTEN || id == SC_BIND ? strchr(ev->fd_desc, '@') : NULL;
	const char *s = p ? p + 2 : (l ? l + 1 : NULL);
	if (!s)
		return;
	snprintf(x->addr, sizeof(x->addr), "%s", s);
	ev->addr = x->addr;
	if (strncmp(ev->fd_desc, "socket:unix", 11) == 0)
		unix_resolve(x); /* the kernel keeps the name as bound */
	const char *colon = strrchr(x->addr, ':');
	if (colon && (ev->family == AF_INET || ev->family == AF_INET6))
		ev->port = atoi(colon + 1);
}

static bool sockop_build(struct sc_ctx *x)
{
	struct da_event *ev = &x->ev;
	const uint64_t *a = x->a;
	ev->fd = (int32_t)a[0];
	if (x->c->payload[0])
		ev->detail = x->c->payload;
	/* after bind/connect the fd description carries the address */
	ev->fd_desc = tracer_fd_describe(x->t, x->th, ev->fd, x->desc, sizeof(x->desc));
	sock_kind_from_desc(ev);
	sock_addr(x);
	switch (x->row->id) {
	case SC_LISTEN:
		ev->arg[0] = (int64_t)a[1];
		break;
	case SC_ACCEPT: case SC_ACCEPT4:
		ev->target_fd = x->ok ? (int32_t)x->c->ret : -1;
		break;
	case SC_SENDTO: case SC_RECVFROM:
		ev->arg[0] = x->ok ? x->c->ret : (int64_t)a[2];
		break;
	case SC_CONNECT: case SC_BIND:
		break;
	default:
		ev->arg[0] = x->ok ? x->c->ret : 0;
		break;
	}
	/* TCP Fast Open: the first send names the peer and connects */
	uint64_t flags = x->row->id == SC_SENDTO ? a[3] : x->row->id == SC_SENDMSG ? a[2] : 0;
	if ((flags & MSG_FASTOPEN) && x->c->salen && ev->sock_type == SOCK_STREAM)
		ev->kind = DA_EV_NET_CONNECT;
	return true;
}

static void sockop_state(struct sc_ctx *x)
{
	const struct da_event *ev = &x->ev;
	if (ev->fd_desc && strncmp(ev->fd_desc, "socket:", 7) == 0)
		procstate_fd_refine(x->t->ps, x->th->ns_tid, ev->fd, ev->fd_desc);
	enum sc_id id = x->row->id;
	if ((id == SC_ACCEPT || id == SC_ACCEPT4) && x->ok) {
		char d2[512];
		const char *nd = tracer_fd_describe(x->t, x->th, ev->target_fd, d2, sizeof(d2));
		if (nd)
			procstate_fd_set(x->t->ps, x->th->ns_tid, ev->target_fd, nd,
					 id == SC_ACCEPT4 && (x->a[3] & SOCK_CLOEXEC));
	}
}

static void sockop_text(struct sc_ctx *x)
{
	const uint64_t *a = x->a;
	const struct sc_call *c = x->c;
	struct stext *tt = x->tt;
	stext_printf(tt, "%d", (int)a[0]);
	switch (x->row->id) {
	case SC_CONNECT: case SC_BIND:
		stext_printf(tt, ", ");
		stext_sockaddr(tt, c);
		stext_printf(tt, ", %u", (unsigned)a[2]);
		break;
	case SC_LISTEN:
		stext_printf(tt, ", %d", (int)a[1]);
		break;
	case SC_ACCEPT: case SC_ACCEPT4:
		stext_printf(tt, ", ");
		if (c->salen)
			stext_sockaddr(tt, c);
		else
			stext_printf(tt, "NULL");
		stext_printf(tt, ", %s", a[2] ? "[...]" : "NULL");
		if (x->row->id == SC_ACCEPT4)
			stext_printf(tt, ", %#llx", (unsigned long long)a[3]);
		break;
	case SC_SENDTO: case SC_RECVFROM:
		stext_printf(tt, ", %#llx, %llu, %#llx, ", (unsigned long long)a[1],
			     (unsigned long long)a[2], (unsigned long long)a[3]);
		if (c->salen)
			stext_sockaddr(tt, c);
		else
			stext_printf(tt, "NULL");
		stext_printf(tt, ", %llu", (unsigned long long)(x->row->id == SC_SENDTO ? a[5] : 0));
		break;
	default:
		stext_printf(tt, ", %#llx, %#llx", (unsigned long long)a[1], (unsigned long long)a[2]);
		break;
	}
}

/* ---- what a send carries: a DNS query, descriptors -------------------- */

/* A query to port 53 as the sink resolver's event shape (network.dns_query
 * and dns_tunnel judge the name).  Queries to the sink itself are its own
 * to publish. */
static void dns_after(struct sc_ctx *x)
{
	const struct da_event *ev = &x->ev;
	const struct sc_call *c = x->c;
	if (ev->port != 53 || !c->raw_len || !ev->addr || strcmp(ev->addr, DNS_SINK_ADDR ":53") == 0)
		return;
	bool stream = ev->sock_type == SOCK_STREAM, len_only;
	size_t mlen = 0;
	struct dns_query q;
	const uint8_t *m = shape_dns_message(c->raw, c->raw_len, stream, &mlen, &len_only);
	if (!m || dns_parse_query(m, mlen, &q) < 0) {
		/* a stream's message written after its length, in a call of its own */
		if (!stream || dns_parse_query(c->raw, c->raw_len, &q) < 0)
			return;
	}
	struct da_event d;
	char addr[sizeof(x->addr)];
	snprintf(addr, sizeof(addr), "%s", ev->addr);
	da_event_init(&d, DA_EV_SYSCALL_OTHER);
	tracer_event_origin(x->t, x->th, &d);
	d.time_s = c->time_s;
	shape_dns_query_event(&d, &q, addr);
	d.fd = ev->fd;
	x->tt->len = 0;
	stext_printf(x->tt, "dns query type %u %s sent by %s(%d) to %s", (unsigned)q.qtype, q.name,
		     x->row->name, (int)ev->fd, addr);
	d.text = x->tt->buf;
	tracer_event_send(x->t, &d);
}

/* Descriptors that reach beyond the receiver's own: inet, packet and
 * netlink sockets, files and directories (pipes, memfds and unix sockets
 * are how cooperating processes talk: multiprocessing, job servers). */
static bool passes_reach(const char *desc)
{
	if (!desc)
		return false;
	return desc[0] == '/' || strncmp(desc, "socket:inet", 11) == 0 ||
	       strncmp(desc, "socket:packet", 13) == 0 || strncmp(desc, "socket:netlink", 14) == 0;
}

/* sendmsg with SCM_RIGHTS: the receiver gets the fd without opening or
 * connecting anything itself; judged as reaching into another process's
 * descriptors, like pidfd_getfd (DA_EV_PRIV_PTRACE). */
static void rights_after(struct sc_ctx *x)
{
	const struct sc_call *c = x->c;
	if (x->row->id != SC_SENDMSG || c->n_passed <= 0 || c->passed_fd < 0)
		return;
	char desc[512];
	const char *dd = tracer_fd_describe(x->t, x->th, c->passed_fd, desc, sizeof(desc));
	if (!passes_reach(dd))
		return;
	struct da_event p;
	da_event_init(&p, DA_EV_PRIV_PTRACE);
	tracer_event_origin(x->t, x->th, &p);
	p.time_s = c->time_s;
	p.syscall = "sendmsg";
	p.detail = "SCM_RIGHTS";
	tracer_event_result(&p, c);
	p.fd = x->ev.fd;
	p.target_fd = c->passed_fd;
	p.fd_desc = dd;
	p.path = dd[0] == '/' ? dd : NULL;
	p.arg[0] = c->n_passed;
	x->tt->len = 0;
	stext_printf(x->tt, "sendmsg(%d, {msg_control=[{cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, "
		     "cmsg_data=[%d%s]}]} /* %s */, %#llx)", (int)x->ev.fd, c->passed_fd,
		     c->n_passed > 1 ? ", ..." : "", dd, (unsigned long long)x->a[2]);
	stext_result(x->tt, c);
	p.text = x->tt->buf;
	tracer_event_send(x->t, &p);
}

static void sockop_after(struct sc_ctx *x)
{
	enum sc_id id = x->row->id;
	if (id == SC_SENDTO || id == SC_SENDMSG || id == SC_SENDMMSG) {
		dns_after(x);
		rights_after(x);
	}
}

const struct sc_family sc_fam_sockop = { "sockop", sockop_build, sockop_state, sockop_text,
					 sockop_after };

/* ---- write/writev on a socket ------------------------------------------- */

/* The socket side of a data-moving call on fd: its description, family,
 * type and peer. */
static void socket_side(struct sc_ctx *x, int fd)
{
	struct da_event *ev = &x->ev;
	ev->fd = fd;
	if (x->c->payload[0])
		ev->detail = x->c->payload;
	ev->fd_desc = tracer_fd_describe(x->t, x->th, fd, x->desc, sizeof(x->desc));
	sock_kind_from_desc(ev);
	sock_addr(x);
}

static bool write_build(struct sc_ctx *x)
{
	if (!x->c->out_is_socket)
		return false; /* a file, a pipe, a tty: not traced as data */
	socket_side(x, (int32_t)x->a[0]);
	x->ev.arg[0] = x->ok ? x->c->ret : (int64_t)x->c->send_len;
	return true;
}

static void write_text(struct sc_ctx *x)
{
	stext_printf(x->tt, "%d, %#llx, %llu", (int)x->a[0], (unsigned long long)x->a[1],
		     (unsigned long long)x->a[2]);
}

const struct sc_family sc_fam_write = { "write", write_build, sockop_state, write_text, dns_after };

/* ---- sendfile/splice/copy_file_range into a socket ------------------------ */

static bool copy_build(struct sc_ctx *x)
{
	int out = shape_copy_out_arg(x->row->name), in = shape_copy_in_arg(x->row->name);
	if (!x->c->out_is_socket || out < 0 || in < 0)
		return false; /* file to file: a copy, not data leaving */
	socket_side(x, (int32_t)x->a[out]);
	uint64_t count = out == 0 ? x->a[3] : x->a[4];
	x->ev.arg[0] = x->ok ? x->c->ret : (int64_t)count;
	/* where the data comes from: the file read (x->path is free here) */
	const char *src = tracer_fd_describe(x->t, x->th, (int32_t)x->a[in], x->path, sizeof(x->path));
	x->ev.path = src && src[0] == '/' ? src : NULL;
	return true;
}

static void copy_text(struct sc_ctx *x)
{
	const uint64_t *a = x->a;
	if (shape_copy_out_arg(x->row->name) == 0)
		stext_printf(x->tt, "%d, %d, %#llx, %llu", (int)a[0], (int)a[1], (unsigned long long)a[2],
			     (unsigned long long)a[3]);
	else
		stext_printf(x->tt, "%d, %#llx, %d, %#llx, %llu, %#llx", (int)a[0],
			     (unsigned long long)a[1], (int)a[2], (unsigned long long)a[3],
			     (unsigned long long)a[4], (unsigned long long)a[5]);
}

const struct sc_family sc_fam_copy = { "copy", copy_build, sockop_state, copy_text, NULL };

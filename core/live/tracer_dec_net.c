/*
 * tracer_dec_net.c — the socket families of the live tracer
 * (tracer_dec.h): socket/socketpair, and the calls on a socket fd
 * (connect, bind, listen, accept, send*, recv*).  The fd description
 * (tracer_fd.c: the kernel's truth, prefetched at the stop) gives the
 * family, type and the connected or bound address when the call itself
 * carries no sockaddr.
 */
#include "live/tracer_dec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "common/procstate_stdio.h"

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

const struct sc_family sc_fam_sockop = { "sockop", sockop_build, sockop_state, sockop_text, NULL };

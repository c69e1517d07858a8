/*
 * strace_decode_net.c — socket syscalls: socket/socketpair, connect, bind,
 * listen, accept, send/recv families (and read/write on sockets, handed
 * over by the file decoder).  Socket fds get descriptions that carry the
 * peer ("->") or the local address ("@"), so a later dup2 onto fd 0 and an
 * exec show a shell whose stdin is a network connection.
 */
#include "recorded/strace_decode_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>

const struct strace_flag dec_af_names[] = {
	{"AF_UNSPEC", 0}, {"AF_UNIX", 1}, {"AF_LOCAL", 1}, {"AF_INET", 2}, {"AF_INET6", 10},
	{"AF_NETLINK", 16}, {"AF_PACKET", 17}, {"AF_CAN", 29}, {"AF_BLUETOOTH", 31},
	{"AF_ALG", 38}, {"AF_VSOCK", 40}, {"AF_XDP", 44}, {NULL, 0},
};

const struct strace_flag dec_sock_types[] = {
	{"SOCK_STREAM", 1}, {"SOCK_DGRAM", 2}, {"SOCK_RAW", 3}, {"SOCK_RDM", 4},
	{"SOCK_SEQPACKET", 5}, {"SOCK_DCCP", 6}, {"SOCK_PACKET", 10}, {NULL, 0},
};

static const char *family_word(int family)
{
	switch (family) {
	case 1: return "unix";
	case 2: return "inet";
	case 10: return "inet6";
	case 16: return "netlink";
	case 17: return "packet";
	case 40: return "vsock";
	case 38: return "alg";
	case 31: return "bluetooth";
	default: return "other";
	}
}

static const char *type_word(int type)
{
	switch (type) {
	case 1: return "stream";
	case 2: return "dgram";
	case 3: return "raw";
	case 4: return "rdm";
	case 5: return "seqpacket";
	case 10: return "packet";
	default: return "other";
	}
}

/* Family and type back from a description "socket:inet/stream->...". */
static void desc_family_type(const char *desc, int *family, int *type)
{
	*family = 0;
	*type = 0;
	if (!desc || strncmp(desc, "socket:", 7) != 0)
		return;
	const char *f = desc + 7, *slash = strchr(f, '/');
	size_t fl = slash ? (size_t)(slash - f) : strlen(f);
	/* the word of each af once, "other" (no family) last: this runs for
	 * every send and receive on a socket */
	for (int af = 0; af < 64; af++) {
		const char *w = family_word(af);
		if (w[0] == f[0] && !strncmp(w, f, fl) && w[fl] == '\0' && strcmp(w, "other") != 0) {
			*family = af;
			break;
		}
	}
	if (!slash)
		return;
	const char *t = slash + 1;
	size_t tl = strcspn(t, "-@");
	for (int ty = 1; ty <= 10; ty++) {
		const char *w = type_word(ty);
		if (w[0] == t[0] && !strncmp(w, t, tl) && w[tl] == '\0') {
			*type = ty;
			break;
		}
	}
}

/* "socket:inet/stream" (the family/type part of a description). */
static size_t desc_base_len(const char *desc)
{
	const char *arrow = strstr(desc, "->");
	const char *at = strchr(desc, '@');
	if (arrow && (!at || arrow < at))
		return (size_t)(arrow - desc);
	return at ? (size_t)(at - desc) : strlen(desc);
}

/* desc's "socket:FAMILY/TYPE" part + sep + addr; a description that is not
 * a socket's (an inherited fd we never saw) is rebuilt from family/type so
 * every socket description starts with "socket:". */
static const char *desc_with(struct strace_decoder *d, const char *desc, const char *sep,
			     const char *addr, int family, int type)
{
	char base[64];
	size_t bl;
	if (desc && strncmp(desc, "socket:", 7) == 0 && strncmp(desc, "socket:unknown", 14) != 0) {
		bl = desc_base_len(desc);
		if (bl >= sizeof(base))
			bl = sizeof(base) - 1;
		memcpy(base, desc, bl);
		base[bl] = '\0';
	} else {
		bl = (size_t)snprintf(base, sizeof(base), "socket:%s/%s", family_word(family),
				      type ? type_word(type) : "stream");
	}
	char *s = malloc(bl + strlen(sep) + strlen(addr) + 1);
	if (!s)
		return NULL;
	sprintf(s, "%s%s%s", base, sep, addr);
	return dec_keep(d, s);
}

struct saddr {
	int family;
	int port;
	const char *text; /* kept */
};

/* The bytes of a quoted field value: -X raw and -X verbose print
 * sin_port, sin_addr and sin6_addr as the raw network-order bytes
 * ("\x11\x5c"), verbose adding the usual form in a comment.  Returns
 * how many bytes (exactly want), else 0. */
static size_t field_bytes(struct strace_span v, unsigned char *out, size_t want)
{
	size_t n = 0;
	char *raw = strace_unquote(v, &n, NULL);
	if (!raw)
		return 0;
	if (n == want)
		memcpy(out, raw, want);
	free(raw);
	return n == want ? want : 0;
}

/* sin_port / sin6_port: htons(4444), raw bytes, or a bare number. */
static int sockaddr_port(struct strace_span a)
{
	struct strace_span v;
	unsigned char b[2];
	int64_t port = 0;
	if (!strace_field(a, "sin_port", &v) && !strace_field(a, "sin6_port", &v))
		return 0;
	if (field_bytes(v, b, 2))
		return (b[0] << 8) | b[1];
	const char *open = memchr(v.p, '(', v.n);
	struct strace_span num = open ? (struct strace_span){open + 1, v.n - (size_t)(open + 1 - v.p)}
				      : v;
	strace_arg_int(num, &port);
	return (int)port;
}

/* The address of an AF_INET/AF_INET6 sockaddr as text (malloc'd), NULL
 * when the log does not show it. */
static char *sockaddr_ip(struct strace_span a, int family)
{
	struct strace_span v;
	unsigned char b[16];
	char text[INET6_ADDRSTRLEN];
	bool v6 = family == AF_INET6;
	if (strace_field(a, v6 ? "sin6_addr" : "sin_addr", &v)) {
		if (field_bytes(v, b, v6 ? 16 : 4))
			return inet_ntop(family, b, text, sizeof(text)) ? strdup(text) : NULL;
		/* sin_addr=inet_addr("127.0.0.1") */
		const char *q = memchr(v.p, '"', v.n);
		if (q && !v6)
			return strace_unquote((struct strace_span){q, v.n - (size_t)(q - v.p)}, NULL, NULL);
	}
	/* inet_pton(AF_INET6, "::1", &sin6_addr): a pseudo-field of its own */
	const char *hit = memmem(a.p, a.n, "inet_pton(AF_INET6, ", 20);
	if (v6 && hit)
		return strace_unquote((struct strace_span){hit + 20, a.n - (size_t)(hit + 20 - a.p)},
				      NULL, NULL);
	return NULL;
}

/* Appends s[0..n) to buf (size bytes, *len used, NUL kept) as snprintf
 * would: what does not fit is cut. */
static void buf_append(char *buf, size_t size, size_t *len, const char *s, size_t n)
{
	if (n > size - 1 - *len)
		n = size - 1 - *len;
	memcpy(buf + *len, s, n);
	*len += n;
	buf[*len] = '\0';
}

/* "1.2.3.4:80" / "[::1]:80", as snprintf("%s:%d") / ("[%s]:%d") writes it
 * into buf (size bytes): by hand, as every sendto and recvfrom names one. */
static void ip_port_text(char *buf, size_t size, const char *ip, int port, bool v6)
{
	char num[16];
	size_t n = 0, len = 0;
	unsigned u = port < 0 ? 0u - (unsigned)port : (unsigned)port;
	do {
		num[sizeof(num) - 1 - n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (port < 0)
		num[sizeof(num) - 1 - n++] = '-';
	buf[0] = '\0';
	if (v6)
		buf_append(buf, size, &len, "[", 1);
	buf_append(buf, size, &len, ip, strlen(ip));
	buf_append(buf, size, &len, v6 ? "]:" : ":", v6 ? 2 : 1);
	buf_append(buf, size, &len, num + sizeof(num) - n, n);
}

/* {sa_family=AF_INET, sin_port=htons(4444), sin_addr=inet_addr("127.0.0.1")},
 * and the -X raw / -X verbose spellings of the same.  A unix socket named
 * by a relative path lies below pid's cwd, as a file would: it is given
 * resolved ("srv.sock" -> /home/u/proj/srv.sock), to be judged where it is. */
static bool parse_sockaddr(struct strace_decoder *d, int pid, struct strace_span a,
			   struct saddr *out)
{
	struct strace_span v;
	memset(out, 0, sizeof(*out));
	if (!strace_field(a, "sa_family", &v))
		return false;
	out->family = (int)strace_flags(v, dec_af_names);
	out->port = sockaddr_port(a);
	char buf[512];
	if (out->family == AF_INET || out->family == AF_INET6) {
		char *ip = sockaddr_ip(a, out->family);
		ip_port_text(buf, sizeof(buf), ip ? ip : "?", out->port, out->family == AF_INET6);
		free(ip);
	} else if (out->family == AF_UNIX) {
		if (!strace_field(a, "sun_path", &v)) {
			snprintf(buf, sizeof(buf), "(unnamed)");
		} else {
			bool abstract = v.n > 0 && v.p[0] == '@';
			if (abstract) {
				v.p++;
				v.n--;
			}
			char *s = strace_unquote(v, NULL, NULL);
			const char *abs = NULL;
			if (!abstract && s && s[0] && s[0] != '/')
				abs = procstate_resolve(d->ps, pid, -100, s, buf, sizeof(buf));
			if (!abs)
				snprintf(buf, sizeof(buf), "%s%s", abstract ? "@" : "", s ? s : "?");
			free(s);
		}
	} else {
		snprintf(buf, sizeof(buf), "%s", family_word(out->family));
	}
	out->text = dec_keep(d, strdup(buf));
	return out->text != NULL;
}

/* Port of "1.2.3.4:80" / "[::1]:80"; 0 when none. */
static int addr_port(const char *addr)
{
	if (!addr || addr[0] == '/' || addr[0] == '@')
		return 0;
	const char *colon = strrchr(addr, ':');
	const char *bracket = strrchr(addr, ']');
	if (!colon || (bracket && colon < bracket))
		return 0;
	return atoi(colon + 1);
}

static void decode_socket(struct strace_decoder *d, const struct call *c, bool pair)
{
	struct da_event ev;
	dec_event(c, &ev, DA_EV_NET_SOCKET);
	ev.family = c->nargs > 0 ? (int)strace_flags(c->a[0], dec_af_names) : 0;
	int64_t type = c->nargs > 1 ? strace_flags(c->a[1], dec_sock_types) : 0;
	ev.sock_type = (int)(type & 0xf);
	int64_t proto = 0;
	if (c->nargs > 2)
		strace_arg_int(c->a[2], &proto);
	if (c->nargs > 2 && (strace_has_word(c->a[2], "IPPROTO_TCP")))
		proto = 6;
	else if (c->nargs > 2 && strace_has_word(c->a[2], "IPPROTO_UDP"))
		proto = 17;
	else if (c->nargs > 2 && strace_has_word(c->a[2], "IPPROTO_ICMP"))
		proto = 1;
	ev.protocol = (int)proto;
	bool cloexec = c->nargs > 1 && strace_has_word(c->a[1], "SOCK_CLOEXEC");
	char desc[64];
	snprintf(desc, sizeof(desc), "socket:%s/%s", family_word(ev.family), type_word(ev.sock_type));
	if (c->ok && !pair && c->result >= 0) {
		ev.fd = (int)c->result;
		procstate_fd_set(d->ps, c->pid, ev.fd, desc, cloexec);
		dec_learn_result_fd(d, c, ev.fd);
		ev.fd_desc = dec_fd_get(d, c->pid, ev.fd);
	} else if (c->ok && pair && c->nargs > 3) {
		struct strace_span arr = c->a[3], fds[2];
		if (arr.n >= 2 && arr.p[0] == '[') {
			arr.p++;
			arr.n -= 2;
			if (strace_split(arr, fds, 2) == 2) {
				for (int k = 0; k < 2; k++) {
					int64_t v;
					if (strace_arg_int(fds[k], &v)) {
						procstate_fd_set(d->ps, c->pid, (int)v, desc, cloexec);
						if (k == 0)
							ev.fd = (int)v;
						else
							ev.target_fd = (int)v;
					}
				}
				ev.fd_desc = dec_keep(d, strdup(desc));
			}
		}
	}
	dec_publish(d, &ev);
}

static void decode_connect_bind(struct strace_decoder *d, const struct call *c, bool bind)
{
	struct da_event ev;
	dec_event(c, &ev, bind ? DA_EV_NET_BIND : DA_EV_NET_CONNECT);
	int fd;
	const char *desc = dec_fd_desc(d, c, 0, &fd);
	ev.fd = fd;
	ev.fd_desc = desc;
	int family, type;
	desc_family_type(desc, &family, &type);
	ev.sock_type = type;
	ev.family = family;
	struct saddr sa;
	if (c->nargs > 1 && parse_sockaddr(d, c->pid, c->a[1], &sa)) {
		ev.family = sa.family;
		ev.addr = sa.text;
		ev.port = sa.port;
		if (sa.family == 0 && !bind) /* AF_UNSPEC: a datagram socket's disconnect */
			ev.kind = DA_EV_SYSCALL_OTHER;
	}
	bool attempt = c->ok || (c->errname && !strcmp(c->errname, "EINPROGRESS"));
	if (attempt && fd >= 0 && ev.addr && ev.kind != DA_EV_SYSCALL_OTHER) {
		const char *nd = desc_with(d, desc, bind ? "@" : "->", ev.addr, ev.family, type);
		if (nd)
			procstate_fd_refine(d->ps, c->pid, fd, nd);
	}
	dec_publish(d, &ev);
}

static void decode_listen(struct strace_decoder *d, const struct call *c)
{
	struct da_event ev;
	dec_event(c, &ev, DA_EV_NET_LISTEN);
	int fd;
	const char *desc = dec_fd_desc(d, c, 0, &fd);
	ev.fd = fd;
	ev.fd_desc = desc;
	desc_family_type(desc, &ev.family, &ev.sock_type);
	const char *at = desc ? strchr(desc, '@') : NULL;
	if (at) {
		ev.addr = at + 1;
		ev.port = addr_port(ev.addr);
	}
	int64_t backlog;
	if (dec_int(c, 1, &backlog))
		ev.arg[0] = backlog;
	dec_publish(d, &ev);
}

static void decode_accept(struct strace_decoder *d, const struct call *c)
{
	struct da_event ev;
	dec_event(c, &ev, DA_EV_NET_ACCEPT);
	int fd;
	const char *desc = dec_fd_desc(d, c, 0, &fd);
	ev.fd = fd;
	ev.fd_desc = desc;
	desc_family_type(desc, &ev.family, &ev.sock_type);
	struct saddr sa;
	if (c->nargs > 1 && parse_sockaddr(d, c->pid, c->a[1], &sa)) {
		ev.addr = sa.text;
		ev.port = sa.port;
		if (!ev.family)
			ev.family = sa.family;
	}
	if (c->ok && c->result >= 0 && c->result <= INT32_MAX) {
		int nfd = (int)c->result;
		ev.target_fd = nfd;
		bool cloexec = c->nargs > 3 && strace_has_word(c->a[3], "SOCK_CLOEXEC");
		const char *ndesc = ev.addr ? desc_with(d, desc, "->", ev.addr, ev.family, ev.sock_type)
					    : desc;
		if (!ndesc || strncmp(ndesc, "socket:", 7) != 0)
			ndesc = "socket:unknown";
		procstate_fd_set(d->ps, c->pid, nfd, ndesc, cloexec);
		dec_learn_result_fd(d, c, nfd);
		if (!ev.addr) {
			const char *learned = procstate_fd_get(d->ps, c->pid, nfd);
			const char *arrow = learned ? strstr(learned, "->") : NULL;
			if (arrow) {
				ev.addr = dec_keep(d, strdup(arrow + 2));
				ev.port = addr_port(ev.addr);
			}
		}
	}
	dec_publish(d, &ev);
}

static void send_recv_event(struct strace_decoder *d, const struct call *c, int fd,
			    const char *desc, bool send, const struct saddr *explicit_addr)
{
	unsigned bit = send ? MARK_SEND : MARK_RECV;
	bool first = !(procstate_fd_mark(d->ps, c->pid, fd, bit) & bit);
	if (!first && !explicit_addr)
		return;
	struct da_event ev;
	dec_event(c, &ev, send ? DA_EV_NET_SEND : DA_EV_NET_RECV);
	ev.fd = fd;
	ev.fd_desc = desc;
	desc_family_type(desc, &ev.family, &ev.sock_type);
	if (explicit_addr) {
		ev.addr = explicit_addr->text;
		ev.port = explicit_addr->port;
		ev.family = explicit_addr->family;
	} else if (desc && strstr(desc, "->")) {
		ev.addr = strstr(desc, "->") + 2;
		ev.port = addr_port(ev.addr);
	}
	int64_t count = 0;
	if (c->ok)
		count = c->result;
	else
		dec_int(c, 2, &count);
	ev.arg[0] = count;
	dec_publish(d, &ev);
}

void dec_net_io(struct strace_decoder *d, const struct call *c, int fd, const char *desc, bool send)
{
	send_recv_event(d, c, fd, desc, send, NULL);
}

static void decode_sendrecv(struct strace_decoder *d, const struct call *c, bool send)
{
	int fd;
	const char *desc = dec_fd_desc(d, c, 0, &fd);
	if (fd < 0)
		return;
	struct saddr sa;
	bool explicit_addr = false;
	const char *n = c->name;
	if (!strcmp(n, "sendto") || !strcmp(n, "recvfrom")) {
		explicit_addr = c->nargs > 4 && parse_sockaddr(d, c->pid, c->a[4], &sa);
	} else if (c->nargs > 1) {
		/* sendmsg/recvmsg/sendmmsg/recvmmsg: msg_name={...} */
		struct strace_span v;
		explicit_addr = strace_field(c->a[1], "msg_name", &v) && parse_sockaddr(d, c->pid, v, &sa);
	}
	send_recv_event(d, c, fd, desc, send, explicit_addr ? &sa : NULL);
}

bool dec_net(struct strace_decoder *d, const struct call *c)
{
	const char *n = c->name;
	if (!strcmp(n, "socket"))
		decode_socket(d, c, false);
	else if (!strcmp(n, "socketpair"))
		decode_socket(d, c, true);
	else if (!strcmp(n, "connect"))
		decode_connect_bind(d, c, false);
	else if (!strcmp(n, "bind"))
		decode_connect_bind(d, c, true);
	else if (!strcmp(n, "listen"))
		decode_listen(d, c);
	else if (!strcmp(n, "accept") || !strcmp(n, "accept4"))
		decode_accept(d, c);
	else if (!strcmp(n, "sendto") || !strcmp(n, "sendmsg") || !strcmp(n, "sendmmsg") ||
		 !strcmp(n, "send"))
		decode_sendrecv(d, c, true);
	else if (!strcmp(n, "recvfrom") || !strcmp(n, "recvmsg") || !strcmp(n, "recvmmsg") ||
		 !strcmp(n, "recv"))
		decode_sendrecv(d, c, false);
	else
		return false;
	return true;
}

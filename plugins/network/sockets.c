/*
 * sockets.c — listening, raw and ICMP sockets, binds, sends, snapshots
 */
#include "network.h"

/* A listening endpoint (listen, UDP bind, or an ss LISTEN row). */
/* bind_text: the bind that chose the address (the evidence for it, before
 * the listen call), or NULL. */
static void judge_listen(struct state *st, const struct da_event *ev, const char *addr, bool snapshot,
			 const char *bind_text)
{
	char host[256], port[32], key[320], rbuf[64];
	const struct da_run_info *run = st->host->run;
	st->n_activity++;
	if (!addr || !*addr) {
		report(st, "network.listen", DA_SEV_MEDIUM, ev, bind_text,
		       "Rerun with fd decoding (strace -y) to see the address.",
		       "Listens on a socket whose address is unknown");
		return;
	}
	snprintf(key, sizeof(key), "listen %s", addr);
	if (!first_time(st, key))
		return;
	const char *res = snapshot ? "" : result_text(ev, rbuf, sizeof(rbuf));
	const char *how = snapshot ? " (seen in a socket snapshot)" : "";
	long match = da_endpoint_match(st->allow_listen, addr);
	bool rule = match >= 0;
	if (da_endpoint_is_unix(addr)) {
		bool local = addr[0] == '@' || da_path_under(addr, run->workdir) || da_path_under(addr, "/tmp") ||
			     da_path_under(addr, run->tmpdir) || da_path_under(addr, run->home);
		if (rule || local) {
			report(st, "network.listen", DA_SEV_INFO, ev, bind_text, NULL,
			       "Listens on unix socket %s%s%s%s", addr, rule ? " (allowed)" : "", how, res);
			note_allowed(st, "listens on ", addr);
		} else {
			report(st, "network.listen", DA_SEV_MEDIUM, ev, bind_text,
			       "Add the socket path to allow_listen if the program is meant to serve on it.",
			       "Listens on unix socket %s outside allow_listen%s%s", addr, how, res);
		}
		return;
	}
	if (!da_endpoint_split(addr, host, sizeof(host), port, sizeof(port)))
		return;
	if (!da_endpoint_is_loopback(host))
		st->only_local = false;
	/* 0.0.0.0:5555 when only 127.0.0.1:5555 is allowed: the port is expected,
	 * the exposure on every interface is not */
	bool port_allowed = !rule && da_endpoint_port_listed(st->allow_listen, port);
	if (!rule && da_endpoint_is_any_interface(host) && port_allowed) {
		/* the expected service, bound the way most frameworks bind by
		 * default (Java ServerSocket, node listen(port), python ""):
		 * worth a remark, not a warning of its own */
		report(st, "network.listen_any", DA_SEV_LOW, ev, bind_text,
		       "Bind to the allowed address only (or list 0.0.0.0 explicitly in allow_listen).",
		       "Listens on all interfaces %s (only a narrower address is allowed)%s%s", addr, how, res);
	} else if (!rule && da_endpoint_is_loopback(host)) {
		/* reachable from this host only: test servers, helper processes */
		report(st, "network.listen", DA_SEV_MEDIUM, ev, bind_text,
		       "Check why the program serves on this endpoint; only one the assignment asks for belongs in allow_listen.",
		       "Listens on loopback address %s outside allow_listen%s%s", addr, how, res);
	} else if (!rule) {
		report(st, "network.listen", DA_SEV_HIGH, ev, bind_text,
		       "Find out why the program opens this port; an unexpected listener is a backdoor pattern.",
		       "Listens on %s outside allow_listen%s%s", addr, how, res);
	} else if (da_endpoint_is_any_interface(host) &&
		   !da_endpoint_names_any_interface(st->allow_listen, (size_t)match)) {
		report(st, "network.listen_any", DA_SEV_LOW, ev, bind_text,
		       "Bind to 127.0.0.1 (or list 0.0.0.0 explicitly in allow_listen).",
		       "Listens on all interfaces %s%s%s", addr, how, res);
	} else {
		report(st, "network.listen", DA_SEV_INFO, ev, bind_text, NULL, "Listens on %s (allowed)%s%s",
		       addr, how, res);
		note_allowed(st, "listens on ", addr);
	}
}

void on_socket(struct state *st, const struct da_event *ev)
{
	if (ev->fd >= 0 && ev->err == 0) {
		struct sock *s = sock_find(st, ev->pid, ev->fd);
		if (!s && st->n_socks < MAX_SOCKETS)
			s = &st->socks[st->n_socks++];
		else if (!s)
			st->dropped++;
		if (s) {
			free(s->bound);
			free(s->bind_text);
			*s = (struct sock){.pid = ev->pid, .fd = ev->fd, .family = ev->family,
					   .type = ev->sock_type, .protocol = ev->protocol};
		}
	}
	char rbuf[64];
	const char *res = result_text(ev, rbuf, sizeof(rbuf));
	if (is_icmp(ev->family, ev->protocol)) {
		/* a ping socket needs no privilege (net.ipv4.ping_group_range) and
		 * its echo payloads carry whatever the program puts in them */
		st->n_activity++;
		if ((ev->err || ev->fd < 0) && !icmp_pid(st, ev->pid) && st->n_icmp_pids < MAX_ICMP_PIDS)
			st->icmp_pids[st->n_icmp_pids++] = ev->pid;
		report(st, "network.raw_socket", DA_SEV_HIGH, ev, NULL,
		       "ICMP echo payloads can tunnel data out; a submission has no use for ICMP sockets.",
		       "Opens an ICMP socket (%s%s)%s", ev->sock_type == TYPE_RAW ? "SOCK_RAW" : "ping, SOCK_DGRAM",
		       ev->family == FAM_INET6 ? ", ICMPv6" : "", res);
	} else if (ev->family == FAM_PACKET || (ev->sock_type == TYPE_RAW && (ev->family == FAM_INET ||
								       ev->family == FAM_INET6))) {
		st->n_activity++;
		report(st, "network.raw_socket", DA_SEV_HIGH, ev, NULL,
		       "Raw and packet sockets sniff or forge traffic; a submission has no use for them.",
		       "Opens a %s socket%s", ev->family == FAM_PACKET ? "packet (AF_PACKET)" : "raw (SOCK_RAW)",
		       res);
	} else if (ev->family == FAM_NETLINK) {
		st->n_activity++;
		if (ev->protocol == NETLINK_ROUTE_PROTO)
			report(st, "network.netlink", DA_SEV_INFO, ev, NULL, NULL,
			       "Queries network interfaces (netlink route socket)%s", res);
		else
			report(st, "network.netlink", DA_SEV_MEDIUM, ev, NULL,
			       "Check why the program talks to this kernel subsystem.",
			       "Opens a netlink socket of protocol %d%s", ev->protocol, res);
	} else if (ev->family == FAM_INET || ev->family == FAM_INET6) {
		st->n_activity++;
	}
}

void on_bind(struct state *st, const struct da_event *ev)
{
	struct sock *s = sock_find(st, ev->pid, ev->fd);
	if (s && ev->addr) {
		free(s->bound);
		s->bound = strdup(ev->addr);
		free(s->bind_text);
		s->bind_text = ev->text ? strdup(ev->text) : NULL;
	}
	int type = s ? s->type : ev->sock_type;
	/* a UDP socket bound to a fixed port is a server; port 0 is a client */
	if (ev->addr && !da_endpoint_is_unix(ev->addr) && type == TYPE_DGRAM && ev->port > 0)
		judge_listen(st, ev, ev->addr, false, NULL);
}

/* The bound address of a listening fd: "socket:inet/stream@0.0.0.0:80". */
static const char *addr_from_desc(const char *desc)
{
	if (!desc || strncmp(desc, "socket:", 7) != 0)
		return NULL;
	const char *at = strchr(desc, '@');
	return (at && at[1]) ? at + 1 : NULL;
}

void on_listen(struct state *st, const struct da_event *ev)
{
	const char *addr = ev->addr;
	const struct sock *s = sock_find(st, ev->pid, ev->fd);
	if (!addr || !*addr)
		addr = s && s->bound ? s->bound : addr_from_desc(ev->fd_desc);
	judge_listen(st, ev, addr, false, s ? s->bind_text : NULL);
}

/*
 * Only datagrams are judged per send: a stream's destination was judged at
 * connect(), and a server's replies on accepted sockets go to its clients.
 */
/* sendto on an ICMP socket: the destination host (the "port" is the echo
 * id).  A failed socket() leaves the program sending on fd -1: judged too,
 * the attempt is the intent. */
static void judge_icmp_send(struct state *st, const struct da_event *ev)
{
	char host[256], port[32], key[320], rbuf[64];
	if (!ev->addr || !da_endpoint_split(ev->addr, host, sizeof(host), port, sizeof(port)) ||
	    da_endpoint_is_unix(ev->addr))
		return;
	st->n_activity++;
	snprintf(key, sizeof(key), "icmp %s", host);
	if (!first_time(st, key))
		return;
	const char *res = result_text(ev, rbuf, sizeof(rbuf));
	if (da_endpoint_match(st->allow_connect, ev->addr) >= 0) {
		report(st, "network.connect", DA_SEV_INFO, ev, NULL, NULL,
		       "Sends ICMP packets to %s (allowed)%s", host, res);
		note_allowed(st, "pings ", host);
	} else if (is_this_host(host)) {
		report(st, "network.connect", DA_SEV_MEDIUM, ev, NULL,
		       "ICMP echo payloads can carry data; find the code that sends them.",
		       "Sends ICMP packets to loopback address %s outside allow_connect%s", host, res);
	} else {
		st->only_local = false;
		report(st, "network.connect", DA_SEV_HIGH, ev, NULL,
		       "ICMP echo payloads can carry data out; find the code that sends them.",
		       "Sends ICMP packets to %s outside allow_connect%s", host, res);
	}
}

void on_send(struct state *st, const struct da_event *ev)
{
	const struct sock *s = sock_find(st, ev->pid, ev->fd);
	if (s ? is_icmp(s->family, s->protocol)
	      : ev->fd < 0 && icmp_pid(st, ev->pid) && (ev->family == FAM_INET || ev->family == FAM_INET6)) {
		judge_icmp_send(st, ev);
		return;
	}
	int type = s ? s->type : ev->sock_type;
	int family = s ? s->family : ev->family;
	bool dgram = type == TYPE_DGRAM || (!type && ev->fd_desc && strstr(ev->fd_desc, "/dgram"));
	if (!dgram || family == FAM_NETLINK || family == FAM_PACKET)
		return;
	judge_destination(st, ev, ev->addr, "Sends to");
}

void on_open(struct state *st, const struct da_event *ev)
{
	if (!ev->path || strcmp(ev->path, "/etc/resolv.conf") != 0)
		return;
	for (size_t i = 0; i < st->n_resolv; i++)
		if (st->resolv_pids[i] == ev->pid)
			return;
	if (st->n_resolv >= MAX_RESOLV_PIDS) {
		st->dropped++;
		return;
	}
	st->resolv_pids[st->n_resolv] = ev->pid;
	st->resolv_text[st->n_resolv] = ev->text ? strdup(ev->text) : NULL;
	st->n_resolv++;
}

/* An ss LISTEN row.  Unix rows read "PATH INODE" ("* INODE" unnamed). */
void on_snapshot_listen(struct state *st, const struct da_event *ev)
{
	char local[512];
	if (!ev->addr)
		return;
	da_copy_text(local, sizeof(local), ev->addr);
	if (local[0] == '*' && (local[1] == ' ' || local[1] == '\0'))
		return; /* unnamed unix socket: nothing to judge */
	if (da_endpoint_is_unix(local))
		local[strcspn(local, " ")] = '\0';
	judge_listen(st, ev, local, true, NULL);
}


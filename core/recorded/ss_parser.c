/*
 * ss_parser.c — replay of an `ss -tunap` / `ss -tulpn` listing as
 * DA_EV_SOCK_SNAPSHOT events.  See source_strace.h.
 *
 * Columns: [Netid] State Recv-Q Send-Q Local:Port Peer:Port [Process].
 * The header says whether Netid is there; without a header the first word
 * decides (tcp/udp/raw/u_str... is a Netid).  Addresses may be IPv4, IPv6 in
 * brackets, "*", and carry an interface suffix ("127.0.0.53%lo:53", which
 * is dropped from addr).  Lines that do not fit are counted warnings.
 */
#include "recorded/source_strace.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define SS_LINE_MAX 65536
#define SS_FIELDS 16

static bool is_netid(const char *w)
{
	static const char *const ids[] = {"tcp", "udp", "raw", "u_str", "u_dgr", "u_seq",
					  "nl", "p_raw", "p_dgr", "sctp", "mptcp", "tipc",
					  "v_str", "v_dgr", "xdp", "icmp6", NULL};
	for (const char *const *p = ids; *p; p++)
		if (!strcmp(*p, w))
			return true;
	return false;
}

static int sock_type_of(const char *netid, const char *state)
{
	if (netid) {
		if (!strcmp(netid, "tcp") || !strcmp(netid, "u_str") || !strcmp(netid, "mptcp") ||
		    !strcmp(netid, "v_str"))
			return SOCK_STREAM;
		if (!strcmp(netid, "udp") || !strcmp(netid, "u_dgr") || !strcmp(netid, "p_dgr") ||
		    !strcmp(netid, "v_dgr"))
			return SOCK_DGRAM;
		if (!strcmp(netid, "raw") || !strcmp(netid, "p_raw") || !strcmp(netid, "nl") ||
		    !strcmp(netid, "icmp6"))
			return SOCK_RAW;
		if (!strcmp(netid, "u_seq") || !strcmp(netid, "sctp"))
			return SOCK_SEQPACKET;
		return 0;
	}
	/* ss -t/-u without a Netid column: UNCONN is a datagram socket */
	return !strcmp(state, "UNCONN") ? SOCK_DGRAM : SOCK_STREAM;
}

/* "127.0.0.53%lo:53" -> "127.0.0.53:53" in place; returns the port (0: "*"). */
static int split_addr(char *a)
{
	char *pct = strchr(a, '%');
	char *colon = strrchr(a, ':');
	if (pct && colon && pct < colon && !(strchr(a, ']') && pct < strchr(a, '[')))
		memmove(pct, colon, strlen(colon) + 1);
	colon = strrchr(a, ':');
	if (!colon || (strchr(a, ']') && colon < strrchr(a, ']')))
		return -1;
	if (!strcmp(colon + 1, "*"))
		return 0;
	char *end;
	long port = strtol(colon + 1, &end, 10);
	if (*end || port < 0 || port > 65535)
		return -1;
	return (int)port;
}

static int users_pid(const char *process)
{
	const char *p = process ? strstr(process, "pid=") : NULL;
	return p ? atoi(p + 4) : 0;
}

static bool in_sorted(const int *v, size_t n, int x)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v[mid] == x)
			return true;
		if (v[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

static bool tied(const struct strace_ties *t, int pid, int port, int peer_port)
{
	return !t || (pid > 0 && in_sorted(t->pids, t->n_pids, pid)) ||
	       (port > 0 && in_sorted(t->ports, t->n_ports, port)) ||
	       (peer_port > 0 && in_sorted(t->ports, t->n_ports, peer_port));
}

int source_ss_replay(const char *path, double time_s, struct bus *bus, struct ss_replay_result *res,
		     char *err, size_t errlen)
{
	return source_ss_replay_tied(path, time_s, NULL, bus, res, err, errlen);
}

int source_ss_replay_tied(const char *path, double time_s, const struct strace_ties *ties,
			  struct bus *bus, struct ss_replay_result *res, char *err, size_t errlen)
{
	memset(res, 0, sizeof(*res));
	FILE *f = fopen(path, "r");
	if (!f) {
		int e = errno;
		snprintf(err, errlen, "%s: %s", path, strerror(e));
		return -e;
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int has_netid = -1; /* unknown until a header or the first row */
	uint64_t lineno = 0;
	while ((n = getline(&line, &cap, f)) >= 0) {
		lineno++;
		res->lines++;
		const char *why = NULL;
		if ((size_t)n > SS_LINE_MAX)
			why = "line too long";
		else if (strlen(line) != (size_t)n)
			why = "NUL byte in line";
		if (!why) {
			while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
				line[--n] = '\0';
			char copy[SS_LINE_MAX + 1];
			memcpy(copy, line, (size_t)n + 1);
			char *fields[SS_FIELDS];
			int nf = 0;
			char *save = NULL;
			for (char *w = strtok_r(copy, " \t", &save); w && nf < SS_FIELDS;
			     w = strtok_r(NULL, " \t", &save))
				fields[nf++] = w;
			if (nf == 0)
				continue;
			if (!strcmp(fields[0], "Netid") || !strcmp(fields[0], "State")) {
				has_netid = !strcmp(fields[0], "Netid");
				continue;
			}
			int netid = has_netid >= 0 ? has_netid : is_netid(fields[0]);
			int base = netid ? 1 : 0;
			if (nf < base + 5) {
				why = "too few columns";
			} else {
				char *local = fields[base + 3], *peer = fields[base + 4];
				int port = split_addr(local);
				if (port < 0) {
					why = "unreadable local address";
				} else {
					int peer_port = split_addr(peer);
					char *process = nf > base + 5 ? strstr(line, "users:") : NULL;
					if (!tied(ties, users_pid(process), port, peer_port)) {
						res->untied++;
						continue;
					}
					struct da_event ev;
					da_event_init(&ev, DA_EV_SOCK_SNAPSHOT);
					ev.time_s = time_s;
					ev.addr = local;
					ev.path2 = peer;
					ev.detail = fields[base];
					ev.port = port;
					ev.pid = users_pid(process);
					ev.sock_type = sock_type_of(netid ? fields[0] : NULL, fields[base]);
					ev.text = line;
					bus_publish(bus, &ev);
					res->sockets++;
				}
			}
		}
		if (why && res->warnings++ == 0)
			snprintf(res->first_warning, sizeof(res->first_warning), "%s:%llu: %s", path,
				 (unsigned long long)lineno, why);
	}
	free(line);
	fclose(f);
	return 0;
}

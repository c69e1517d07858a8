/*
 * network.c — detector "network" (category "Network Connections").
 *
 * Records every socket the target opens and judges each endpoint against
 * the allow-lists.  Attempts count whether they succeeded or not (the
 * result, e.g. ECONNREFUSED or "in progress", is in the message).
 *
 * Options (plugins: network: {...}):
 *   allow_connect  list of "host:port" (fnmatch globs on each side:
 *                  "127.0.0.1:5555", "*:443", "[::1]:*", "localhost:8080")
 *                  or unix socket paths ("/run/app.sock", "@abstract").
 *   allow_listen   same form, for listening (and bound UDP) sockets.
 *   allow_dns      true/false (default false): DNS lookups are expected.
 *
 * Rules (id, severity, trigger; what is deliberately ignored):
 *   network.connect        high      connect/sendto to an inet address
 *                          outside allow_connect; medium when the destination
 *                          is loopback only.  Allowed ones are info.
 *                          Ignores AF_UNSPEC connects (dissociation) and
 *                          UDP connects to port 0 or 0.0.0.0/:: (glibc's getaddrinfo
 *                          ranking a server's passive address: no packet).
 *                          0.0.0.0 and :: count as loopback.
 *   network.listen         high      listen (or UDP bind to a fixed port)
 *                          outside allow_listen, also when seen only in a
 *                          socket snapshot (ss LISTEN row); medium on a
 *                          loopback address only.  Allowed: info.
 *   network.listen_any     low       listening on all interfaces (0.0.0.0,
 *                          [::], *) on an allowed port, unless the allow
 *                          entry itself names 0.0.0.0 / :: / *.
 * Allow entries are parsed and matched by libdynaudit-sdk
 * (dynaudit/endpoint.h), the matcher backdoor uses too: IPv4-mapped
 * addresses (::ffff:127.0.0.1) match by their IPv4 form.
 *   network.raw_socket     high      SOCK_RAW inet sockets, AF_PACKET sockets,
 *                          ICMP sockets (SOCK_DGRAM with IPPROTO_ICMP or
 *                          IPPROTO_ICMPV6: unprivileged "ping" sockets, an
 *                          ICMP tunnel carries data), also when socket()
 *                          failed.  Their sendto is judged like a connect
 *                          destination (network.connect, by host: ICMP has
 *                          no port); a failed ICMP socket's sendto (fd -1) too.
 *   network.port_scan      high      more than SCAN_PORTS (5) distinct ports
 *                          of one host contacted (connect/sendto); medium
 *                          for a loopback host.  One finding per host at
 *                          finish, the first connects as evidence; after the
 *                          first SCAN_PORTS ports of a host its ports are no
 *                          longer reported one by one, and per-destination
 *                          findings stop after MAX_DEST_FINDINGS (one
 *                          network.connect finding counts the rest).
 *   network.netlink        info      NETLINK_ROUTE (glibc getifaddrs);
 *                          medium    any other netlink protocol (audit,
 *                          netfilter, xfrm, sock_diag...).
 *   network.dns            medium    DNS attempt: UDP connect or sendto to port 53
 *                          (one finding per resolver, with the process's
 *                          resolv.conf read as evidence); info when
 *                          allow_dns is true.  Reading resolv.conf and
 *                          opening a UDP socket alone is not one: glibc's
 *                          getaddrinfo does that to rank even /etc/hosts
 *                          answers (UDP connects to port 0, not judged).
 *                          A TCP connect to port 53 is a plain connect
 *                          (network.connect), not a lookup.
 *   network.dns_query, network.dns_tunnel: the names the sink resolver
 *                          answered (network_dns.h).
 *   network.unix_sensitive critical  container runtime sockets (docker.sock,
 *                          containerd.sock, podman, cri-o); high: the D-Bus
 *                          system/session bus, systemd private sockets,
 *                          abstract @/org/freedesktop/..., ssh-agent.
 *   network.unix_connect   medium    another unix socket outside
 *                          allow_connect and outside workdir/tmp/home (inside
 *                          them: info, local IPC).  Ignores /dev/log,
 *                          /run/systemd/journal/..., nscd (glibc) and
 *                          libuuid's /run/uuidd/request.
 * Summary: "None" / "No sockets or external communications".
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dynaudit/endpoint.h"
#include "dynaudit/event.h"
#include "dynaudit/plugin.h"

#include "network_dns.h"

#define MAX_SOCKETS 4096   /* (pid, fd) sockets remembered */
#define MAX_JUDGED 4096    /* endpoints already reported */
#define JUDGED_SLOTS 8192
#define MAX_RESOLV_PIDS 64 /* processes that read /etc/resolv.conf */
#define SCAN_PORTS 5        /* distinct ports of one host reported one by one */
#define MAX_SCAN_HOSTS 256  /* hosts whose ports are counted */
#define SCAN_EVIDENCE 3     /* first connect lines kept per host */
#define MAX_DEST_FINDINGS 200 /* per-destination network.connect findings */
#define MAX_ICMP_PIDS 64    /* processes whose ICMP socket() failed */

/* Linux constants, spelled out so the plugin needs only libc headers. */
enum { FAM_UNSPEC = 0, FAM_UNIX = 1, FAM_INET = 2, FAM_INET6 = 10, FAM_NETLINK = 16,
       FAM_PACKET = 17 };
enum { TYPE_STREAM = 1, TYPE_DGRAM = 2, TYPE_RAW = 3, TYPE_SEQPACKET = 5 };
enum { NETLINK_ROUTE_PROTO = 0 };
enum { PROTO_ICMP = 1, PROTO_ICMPV6 = 58 };

struct sock {
	int pid, fd;
	int family, type, protocol;
	char *bound;  /* address given to bind */
	char *bind_text; /* the bind call's line: the evidence of where it listens */
};

/* The distinct ports contacted on one host (port-scan detection). */
struct scan_host {
	char *host;
	uint64_t ports[1024];  /* bitmap of ports 0..65535 */
	size_t n_ports;
	int pid;
	double first_s, last_s;
	char *evidence[SCAN_EVIDENCE];
	size_t n_evidence;
};

struct state {
	struct nd_state *dns;        /* names looked up (network_dns.c) */
	const struct da_host *host;
	struct da_endpoint_list *allow_connect, *allow_listen; /* libdynaudit-sdk */
	bool allow_dns;

	struct sock socks[MAX_SOCKETS];
	size_t n_socks;
	char *judged[JUDGED_SLOTS]; /* "connect 1.2.3.4:80" already reported */
	size_t n_judged;
	int resolv_pids[MAX_RESOLV_PIDS];
	char *resolv_text[MAX_RESOLV_PIDS];
	size_t n_resolv;
	struct scan_host *scans[MAX_SCAN_HOSTS];
	size_t n_scans;
	size_t n_dest_findings;     /* per-destination findings emitted */
	size_t n_dest_suppressed;   /* ... and those left out past the bound */
	int worst_suppressed;       /* their worst severity */
	int icmp_pids[MAX_ICMP_PIDS];
	size_t n_icmp_pids;
	size_t dropped;
	int own_ports[256];  /* local ports of the run's own inet sockets */
	size_t n_own_ports;

	size_t n_activity;   /* sockets seen (ignored glibc ones excluded) */
	size_t n_bad_connect, n_bad_listen, n_other_flagged;
	bool only_local;     /* every endpoint so far is loopback or unix */
	char first_allowed[160];
	char first_flagged[200];
};

/* ---- helpers -------------------------------------------------------------- */

static bool path_under(const char *path, const char *dir)
{
	if (!path || !dir || !*dir)
		return false;
	size_t n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		n--;
	return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

/* Returns true the first time key is seen (and remembers it). */
static bool first_time(struct state *st, const char *key)
{
	size_t i = hash_str(key) % JUDGED_SLOTS;
	for (; st->judged[i]; i = (i + 1) % JUDGED_SLOTS)
		if (strcmp(st->judged[i], key) == 0)
			return false;
	if (st->n_judged >= MAX_JUDGED) {
		st->dropped++;
		return true; /* cannot remember: report again rather than lose it */
	}
	st->judged[i] = strdup(key);
	if (st->judged[i])
		st->n_judged++;
	return true;
}

static const char *result_text(const struct da_event *ev, char *buf, size_t len)
{
	if (!ev->err)
		return "";
	if (ev->err == EINPROGRESS)
		return ", in progress";
	snprintf(buf, len, ", failed: %s", ev->errname ? ev->errname : "error");
	return buf;
}

/* Bounded copy that always terminates (truncation is fine for summaries). */
static void copy_text(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);
	if (n >= size)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* Address classes and allow-list matching live in libdynaudit-sdk
 * (dynaudit/endpoint.h), shared with every detector that allows endpoints. */
/* A destination on this host: loopback, or 0.0.0.0 / :: (a connect there
 * reaches this host too; a listener there is exposed everywhere). */
static bool is_this_host(const char *host)
{
	return da_endpoint_is_loopback(host) || (*host && da_endpoint_is_any_interface(host));
}

static struct sock *sock_find(struct state *st, int pid, int fd)
{
	for (size_t i = st->n_socks; i-- > 0;)
		if (st->socks[i].pid == pid && st->socks[i].fd == fd)
			return &st->socks[i];
	return NULL;
}

__attribute__((format(printf, 7, 8)))
static void report(struct state *st, const char *rule, enum da_severity sev,
		   const struct da_event *ev, const char *extra_evidence, const char *recommendation,
		   const char *fmt, ...)
{
	char message[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	const char *evidence[2];
	size_t n = 0;
	if (extra_evidence)
		evidence[n++] = extra_evidence;
	if (ev->text)
		evidence[n++] = ev->text;
	else if (ev->kind == DA_EV_SOCK_SNAPSHOT && ev->detail)
		evidence[n++] = ev->detail;
	struct da_finding f = {
		.struct_size = sizeof(f),
		.rule = rule,
		.severity = sev,
		.message = message,
		.pid = ev->pid,
		.time_s = ev->time_s,
		.evidence = evidence,
		.n_evidence = n,
		.recommendation = recommendation,
	};
	st->host->emit(st->host, &f);
	if (sev >= DA_SEV_LOW) {
		if (!st->first_flagged[0])
			copy_text(st->first_flagged, sizeof(st->first_flagged), message);
		if (strcmp(rule, "network.connect") == 0)
			st->n_bad_connect++;
		else if (strcmp(rule, "network.listen") == 0 || strcmp(rule, "network.listen_any") == 0)
			st->n_bad_listen++;
		else
			st->n_other_flagged++;
	}
}

static void note_allowed(struct state *st, const char *verb, const char *addr)
{
	if (st->first_allowed[0])
		return;
	copy_text(st->first_allowed, sizeof(st->first_allowed), verb);
	size_t used = strlen(st->first_allowed);
	copy_text(st->first_allowed + used, sizeof(st->first_allowed) - used, addr);
}

/* "socket:inet/dgram@0.0.0.0:38219": a local port of the run's own. */
static void note_own_port(struct state *st, const struct da_event *ev)
{
	if (!ev->fd_desc || strncmp(ev->fd_desc, "socket:inet", 11) != 0)
		return;
	const char *at = strchr(ev->fd_desc, '@');
	const char *end = at ? strstr(at, "->") : NULL;
	char local[128];
	snprintf(local, sizeof(local), "%.*s", end ? (int)(end - at - 1) : (int)strlen(at ? at + 1 : ""),
		 at ? at + 1 : "");
	const char *colon = strrchr(local, ':');
	int port = colon ? atoi(colon + 1) : 0;
	if (port <= 0)
		return;
	for (size_t i = 0; i < st->n_own_ports; i++)
		if (st->own_ports[i] == port)
			return;
	if (st->n_own_ports < sizeof(st->own_ports) / sizeof(st->own_ports[0]))
		st->own_ports[st->n_own_ports++] = port;
}

static bool own_port(const struct state *st, const char *port)
{
	int p = atoi(port);
	for (size_t i = 0; p > 0 && i < st->n_own_ports; i++)
		if (st->own_ports[i] == p)
			return true;
	return false;
}

static bool is_icmp(int family, int protocol)
{
	return (family == FAM_INET && protocol == PROTO_ICMP) ||
	       (family == FAM_INET6 && protocol == PROTO_ICMPV6);
}

static bool icmp_pid(const struct state *st, int pid)
{
	for (size_t i = 0; i < st->n_icmp_pids; i++)
		if (st->icmp_pids[i] == pid)
			return true;
	return false;
}

/* Counts port as contacted on host.  Returns the host's entry, or NULL when
 * the table is full; *new_port tells whether the port was new for it. */
static struct scan_host *scan_note(struct state *st, const struct da_event *ev, const char *host,
				   const char *port, bool *new_port)
{
	*new_port = false;
	char *end;
	long p = strtol(port, &end, 10);
	if (!*port || *end || p < 0 || p > 65535)
		return NULL;
	struct scan_host *sh = NULL;
	for (size_t i = 0; i < st->n_scans && !sh; i++)
		if (strcmp(st->scans[i]->host, host) == 0)
			sh = st->scans[i];
	if (!sh) {
		if (st->n_scans >= MAX_SCAN_HOSTS) {
			st->dropped++;
			return NULL;
		}
		sh = calloc(1, sizeof(*sh));
		if (!sh || !(sh->host = strdup(host))) {
			free(sh);
			return NULL;
		}
		sh->pid = ev->pid;
		sh->first_s = ev->time_s;
		st->scans[st->n_scans++] = sh;
	}
	uint64_t bit = (uint64_t)1 << (p % 64);
	if (sh->ports[p / 64] & bit)
		return sh;
	sh->ports[p / 64] |= bit;
	sh->n_ports++;
	sh->last_s = ev->time_s;
	*new_port = true;
	if (sh->n_evidence < SCAN_EVIDENCE && ev->text && (sh->evidence[sh->n_evidence] = strdup(ev->text)))
		sh->n_evidence++;
	return sh;
}

/* One finding per host whose ports were swept (called at finish). */
static void report_port_scans(struct state *st)
{
	for (size_t i = 0; i < st->n_scans; i++) {
		const struct scan_host *sh = st->scans[i];
		if (sh->n_ports <= SCAN_PORTS)
			continue;
		char message[400];
		snprintf(message, sizeof(message), "Connects to %zu ports of %s in %.1f s (a port scan)",
			 sh->n_ports, sh->host, sh->last_s - sh->first_s);
		bool local = is_this_host(sh->host);
		struct da_finding f = {
			.struct_size = sizeof(f),
			.rule = "network.port_scan",
			.severity = local ? DA_SEV_MEDIUM : DA_SEV_HIGH,
			.message = message,
			.pid = sh->pid,
			.time_s = sh->first_s,
			.evidence = (const char *const *)sh->evidence,
			.n_evidence = sh->n_evidence,
			.recommendation = "A submission has no reason to probe ports; find the code that sweeps them.",
		};
		st->host->emit(st->host, &f);
		st->n_other_flagged++;
		if (!st->first_flagged[0])
			copy_text(st->first_flagged, sizeof(st->first_flagged), message);
	}
	if (st->n_dest_suppressed) {
		char message[200];
		snprintf(message, sizeof(message),
			 "Contacts %zu more destinations, not listed one by one (%d listed)",
			 st->n_dest_suppressed, MAX_DEST_FINDINGS);
		struct da_finding f = {
			.struct_size = sizeof(f),
			.rule = "network.connect",
			.severity = (enum da_severity)st->worst_suppressed,
			.message = message,
			.pid = 0,
			.recommendation = "See trace.log for every destination.",
		};
		st->host->emit(st->host, &f);
		if (st->worst_suppressed >= DA_SEV_LOW)
			st->n_bad_connect++;
	}
}

/* ---- rules ------------------------------------------------------------------- */

static void dns_attempt(struct state *st, const struct da_event *ev, const char *extra, const char *dest)
{
	if (st->allow_dns) {
		report(st, "network.dns", DA_SEV_INFO, ev, extra, NULL, "Performs DNS lookups (allowed)");
		return;
	}
	report(st, "network.dns", DA_SEV_MEDIUM, ev, extra,
	       "DNS lookups can leak data; set allow_dns: true if name resolution is expected.",
	       "Attempts a DNS lookup%s%s", dest ? " via " : "", dest ? dest : "");
}

/* The C library's own unix sockets: syslog, journal, nscd, and libuuid's
 * uuidd (uuid.uuid1() asks it for a time-based uuid). */
static bool is_glibc_unix(const char *path)
{
	return strcmp(path, "/dev/log") == 0 || path_under(path, "/run/systemd/journal") ||
	       strcmp(path, "/var/run/nscd/socket") == 0 || strcmp(path, "/run/nscd/socket") == 0 ||
	       strcmp(path, "/run/uuidd/request") == 0 || strcmp(path, "/var/run/uuidd/request") == 0;
}

/* Returns the severity of a sensitive unix endpoint, or -1. */
static int unix_sensitivity(const char *path)
{
	static const char *const critical[] = {
		"*/docker.sock", "*/containerd.sock", "*/containerd/*.sock", "*/crio.sock",
		"*/podman.sock", "*/podman/*.sock", "*/dockershim.sock", "*/buildkitd.sock", NULL};
	static const char *const high[] = {
		"*/dbus/system_bus_socket", "/run/user/*/bus", "/run/systemd/private",
		"/run/systemd/*", "/run/user/*/systemd/*", "@/org/freedesktop/*",
		"@/tmp/dbus-*", "/tmp/dbus-*", "*/ssh-*/agent.*", "/run/user/*/keyring/*",
		"/run/user/*/gnupg/*", "*/polkit*", "/run/snapd.socket", NULL};
	for (const char *const *p = critical; *p; p++)
		if (fnmatch(*p, path, 0) == 0)
			return DA_SEV_CRITICAL;
	for (const char *const *p = high; *p; p++)
		if (fnmatch(*p, path, 0) == 0)
			return DA_SEV_HIGH;
	return -1;
}

static void judge_unix_connect(struct state *st, const struct da_event *ev, const char *path)
{
	char key[300], rbuf[64];
	if (is_glibc_unix(path))
		return;
	st->n_activity++;
	snprintf(key, sizeof(key), "unix %s", path);
	if (!first_time(st, key))
		return;
	const char *res = result_text(ev, rbuf, sizeof(rbuf));
	int sens = unix_sensitivity(path);
	if (sens >= 0) {
		report(st, "network.unix_sensitive", (enum da_severity)sens, ev, NULL,
		       "Treat as an escape or privilege attempt: this socket controls the host.",
		       "Connects to a privileged unix socket %s%s", path, res);
		return;
	}
	const struct da_run_info *run = st->host->run;
	if (da_endpoint_match(st->allow_connect, path) >= 0) {
		report(st, "network.unix_connect", DA_SEV_INFO, ev, NULL, NULL,
		       "Connects to unix socket %s (allowed)%s", path, res);
		note_allowed(st, "connects to ", path);
	} else if (path_under(path, run->workdir) || path_under(path, run->tmpdir) ||
		   path_under(path, "/tmp") || path_under(path, run->home) || path[0] == '@') {
		report(st, "network.unix_connect", DA_SEV_INFO, ev, NULL, NULL,
		       "Connects to local unix socket %s%s", path, res);
		note_allowed(st, "connects to ", path);
	} else {
		report(st, "network.unix_connect", DA_SEV_MEDIUM, ev, NULL,
		       "Check what service this socket belongs to; add it to allow_connect if expected.",
		       "Connects to unix socket %s outside allow_connect%s", path, res);
	}
}

/* connect(), or sendto() with an explicit destination. */
static void judge_destination(struct state *st, const struct da_event *ev, const char *addr,
			      const char *verb)
{
	char host[256], port[32], key[320], rbuf[64];
	if (!addr || !*addr)
		return;
	if (da_endpoint_is_unix(addr)) {
		judge_unix_connect(st, ev, addr);
		return;
	}
	if (!da_endpoint_split(addr, host, sizeof(host), port, sizeof(port)))
		return;
	/* glibc's getaddrinfo ranks its results by connecting a UDP socket to
	 * each, port 0 (no packet is sent); for a server's own passive address
	 * that is 0.0.0.0 or ::.  Nothing is reached: not judged. */
	if (ev->kind == DA_EV_NET_CONNECT && ev->sock_type == TYPE_DGRAM && *host &&
	    (da_endpoint_is_any_interface(host) || strcmp(port, "0") == 0))
		return;
	st->n_activity++;
	int type = ev->sock_type;
	if (!type) {
		const struct sock *s = sock_find(st, ev->pid, ev->fd);
		type = s ? s->type : 0;
	}
	/* a TCP connect to port 53 alone is a connection like any other */
	bool dns = (strcmp(port, "53") == 0 || ev->port == 53) &&
		   (ev->kind == DA_EV_NET_SEND || type != TYPE_STREAM);
	if (dns) {
		/* one resolver is one finding, however many queries (A, AAAA,
		 * retries) go to it */
		snprintf(key, sizeof(key), "dns %s", addr);
		const char *resolv = NULL; /* its resolv.conf read, as evidence */
		for (size_t i = 0; i < st->n_resolv; i++)
			if (st->resolv_pids[i] == ev->pid)
				resolv = st->resolv_text[i];
		if (first_time(st, key))
			dns_attempt(st, ev, resolv, addr);
		return;
	}
	snprintf(key, sizeof(key), "dest %s", addr);
	if (!first_time(st, key))
		return;
	const char *res = result_text(ev, rbuf, sizeof(rbuf));
	if (!is_this_host(host))
		st->only_local = false;
	bool allowed = da_endpoint_match(st->allow_connect, addr) >= 0;
	bool new_port;
	const struct scan_host *sh = scan_note(st, ev, host, port, &new_port);
	/* past the first ports of a host, its sweep is one network.port_scan */
	if (sh && new_port && sh->n_ports > SCAN_PORTS && !allowed)
		return;
	if (st->n_dest_findings >= MAX_DEST_FINDINGS) {
		int sev = allowed ? DA_SEV_INFO : is_this_host(host) ? DA_SEV_MEDIUM : DA_SEV_HIGH;
		if (!st->n_dest_suppressed || sev > st->worst_suppressed)
			st->worst_suppressed = sev;
		st->n_dest_suppressed++;
		return;
	}
	st->n_dest_findings++;
	if (allowed) {
		report(st, "network.connect", DA_SEV_INFO, ev, NULL, NULL, "%s %s (allowed)%s", verb, addr, res);
		note_allowed(st, "connects to ", addr);
	} else if (da_endpoint_is_loopback(host) && own_port(st, port)) {
		/* a server answering its own client (UDP echo), or two processes
		 * of the run talking over loopback */
		report(st, "network.connect", DA_SEV_INFO, ev, NULL, NULL,
		       "%s %s, a socket of the run itself%s", verb, addr, res);
		note_allowed(st, "talks to ", addr);
	} else if (is_this_host(host)) {
		report(st, "network.connect", DA_SEV_MEDIUM, ev, NULL,
		       "Find out what the program connects to and why; only an endpoint the assignment itself provides belongs in allow_connect.",
		       "%s loopback address %s outside allow_connect%s", verb, addr, res);
	} else {
		st->only_local = false;
		report(st, "network.connect", DA_SEV_HIGH, ev, NULL,
		       "Find out why the program contacts this host; outbound traffic is how data leaves.",
		       "%s %s outside allow_connect%s", verb, addr, res);
	}
}

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
		bool local = addr[0] == '@' || path_under(addr, run->workdir) || path_under(addr, "/tmp") ||
			     path_under(addr, run->tmpdir) || path_under(addr, run->home);
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

static void on_socket(struct state *st, const struct da_event *ev)
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

static void on_bind(struct state *st, const struct da_event *ev)
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

static void on_listen(struct state *st, const struct da_event *ev)
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

static void on_send(struct state *st, const struct da_event *ev)
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

static void on_open(struct state *st, const struct da_event *ev)
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
static void on_snapshot_listen(struct state *st, const struct da_event *ev)
{
	char local[512];
	if (!ev->addr)
		return;
	copy_text(local, sizeof(local), ev->addr);
	if (local[0] == '*' && (local[1] == ' ' || local[1] == '\0'))
		return; /* unnamed unix socket: nothing to judge */
	if (da_endpoint_is_unix(local))
		local[strcspn(local, " ")] = '\0';
	judge_listen(st, ev, local, true, NULL);
}

/* ---- configuration ---------------------------------------------------------- */

static int load_rules(const struct da_host *host, const struct da_cfg *cfg, const char *key,
		      struct da_endpoint_list **out, char *err, size_t errlen)
{
	const char *const *items;
	size_t n = host->cfg_list(host, cfg, key, &items);
	*out = da_endpoint_list_new();
	if (!*out) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		char why[512];
		int rc = da_endpoint_list_add(*out, items[i], DA_ENDPOINT_UNIX, why, sizeof(why));
		if (rc) {
			snprintf(err, errlen, "%s: %s: %s", host->cfg_where(host, cfg, key), key, why);
			return rc;
		}
	}
	return 0;
}

static int network_init(const struct da_host *host, const struct da_cfg *cfg, void **out,
			char *err, size_t errlen)
{
	struct state *st = calloc(1, sizeof(*st));
	if (st && !(st->dns = nd_new())) {
		free(st);
		st = NULL;
	}
	if (!st) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	*out = st;
	st->host = host;
	st->only_local = true;
	const char *key;
	for (size_t i = 0; (key = host->cfg_key_at(host, cfg, i)) != NULL; i++) {
		if (strcmp(key, "allow_connect") != 0 && strcmp(key, "allow_listen") != 0 &&
		    strcmp(key, "allow_dns") != 0) {
			snprintf(err, errlen,
				 "%s: %s: unknown key (known: allow_connect, allow_listen, allow_dns)",
				 host->cfg_where(host, cfg, key), key);
			return -EINVAL;
		}
	}
	int rc = load_rules(host, cfg, "allow_connect", &st->allow_connect, err, errlen);
	if (rc == 0)
		rc = load_rules(host, cfg, "allow_listen", &st->allow_listen, err, errlen);
	if (rc)
		return rc;
	const char *dns = host->cfg_string(host, cfg, "allow_dns");
	if (dns) {
		if (!strcmp(dns, "true") || !strcmp(dns, "yes") || !strcmp(dns, "on") || !strcmp(dns, "1")) {
			st->allow_dns = true;
		} else if (strcmp(dns, "false") && strcmp(dns, "no") && strcmp(dns, "off") && strcmp(dns, "0")) {
			snprintf(err, errlen, "%s: allow_dns: '%s' is not a boolean (true or false)",
				 host->cfg_where(host, cfg, "allow_dns"), dns);
			return -EINVAL;
		}
	} else if (host->cfg_child(host, cfg, "allow_dns")) {
		snprintf(err, errlen, "%s: allow_dns: expected true or false",
			 host->cfg_where(host, cfg, "allow_dns"));
		return -EINVAL;
	}
	return 0;
}

/* A name the sink resolver answered (sandbox.deception.dns: sink). */
static void on_dns_query(struct state *st, const struct da_event *ev)
{
	struct nd_verdict v;
	if (!ev->syscall || strcmp(ev->syscall, "dns_query") != 0 || !ev->detail)
		return;
	nd_judge(st->dns, ev->detail, &v);
	st->n_activity++;
	if (v.first_seen)
		report(st, "network.dns_query", DA_SEV_INFO, ev, NULL, NULL, "Looks up %s", ev->detail);
	if (v.tunnel) {
		st->n_other_flagged++;
		report(st, "network.dns_tunnel", DA_SEV_HIGH, ev, NULL,
		       "Find the code that builds these names: data encoded in DNS labels leaves even "
		       "where connections are blocked.",
		       "Sends data in DNS names (%s): %.200s", v.why, ev->detail);
	}
}

static int network_on_event(void *state, const struct da_event *ev, char *err, size_t errlen)
{
	struct state *st = state;
	if (ev->kind == DA_EV_SYSCALL_OTHER) {
		on_dns_query(st, ev);
		return 0;
	}
	note_own_port(st, ev);
	switch (ev->kind) {
	case DA_EV_NET_SOCKET:
		on_socket(st, ev);
		break;
	case DA_EV_NET_CONNECT:
		if (ev->addr && *ev->addr) {
			judge_destination(st, ev, ev->addr, "Connects to");
		} else if (ev->family != FAM_UNSPEC) {
			/* never drop an attempt just because its address was not decoded */
			st->n_activity++;
			report(st, "network.connect", DA_SEV_MEDIUM, ev, NULL,
			       "Rerun with full address decoding to see the destination.",
			       "Connects to an address that could not be decoded");
		}
		break;
	case DA_EV_NET_BIND:
		on_bind(st, ev);
		break;
	case DA_EV_NET_LISTEN:
		on_listen(st, ev);
		break;
	case DA_EV_NET_SEND:
		on_send(st, ev);
		break;
	case DA_EV_NET_ACCEPT:
		st->n_activity++;
		break;
	case DA_EV_SOCK_SNAPSHOT:
		if (ev->detail && strncmp(ev->detail, "LISTEN", 6) == 0)
			on_snapshot_listen(st, ev);
		break;
	case DA_EV_FILE_OPEN:
		on_open(st, ev);
		break;
	default:
		break;
	}
	return 0;
}

static int network_finish(void *state, char *err, size_t errlen)
{
	struct state *st = state;
	char observation[128], remarks[300];
	report_port_scans(st);
	if (st->dropped)
		st->host->log(st->host, 1, "network: %zu sockets or endpoints not remembered (limits reached)",
			      st->dropped);
	if (st->n_activity == 0) {
		st->host->set_summary(st->host, "None", "No sockets or external communications");
		return 0;
	}
	size_t flagged = st->n_bad_connect + st->n_bad_listen + st->n_other_flagged;
	if (flagged == 0) {
		snprintf(observation, sizeof(observation), "%s",
			 st->only_local ? "Local only" : "Allowed endpoints only");
		if (st->first_allowed[0])
			snprintf(remarks, sizeof(remarks), "Only allow-listed or local endpoints used (%s)",
				 st->first_allowed);
		else
			snprintf(remarks, sizeof(remarks), "No external communications");
	} else {
		if (st->n_bad_connect && !st->n_bad_listen)
			snprintf(observation, sizeof(observation), "%zu connection%s outside the allow-list",
				 st->n_bad_connect, st->n_bad_connect == 1 ? "" : "s");
		else if (st->n_bad_listen && !st->n_bad_connect)
			snprintf(observation, sizeof(observation), "%zu listener%s outside the allow-list",
				 st->n_bad_listen, st->n_bad_listen == 1 ? "" : "s");
		else
			snprintf(observation, sizeof(observation), "%zu suspicious network action%s",
				 flagged, flagged == 1 ? "" : "s");
		snprintf(remarks, sizeof(remarks), "%s", st->first_flagged);
	}
	st->host->set_summary(st->host, observation, remarks);
	return 0;
}

static void network_destroy(void *state)
{
	struct state *st = state;
	if (!st)
		return;
	da_endpoint_list_free(st->allow_connect);
	da_endpoint_list_free(st->allow_listen);
	for (size_t i = 0; i < st->n_socks; i++) {
		free(st->socks[i].bound);
		free(st->socks[i].bind_text);
	}
	for (size_t i = 0; i < JUDGED_SLOTS; i++)
		free(st->judged[i]);
	for (size_t i = 0; i < st->n_resolv; i++)
		free(st->resolv_text[i]);
	for (size_t i = 0; i < st->n_scans; i++) {
		for (size_t j = 0; j < st->scans[i]->n_evidence; j++)
			free(st->scans[i]->evidence[j]);
		free(st->scans[i]->host);
		free(st->scans[i]);
	}
	nd_free(st->dns);
	free(st);
}

static const struct da_plugin network_plugin = {
	DA_PLUGIN_HEADER,
	.name = "network",
	.version = "1.0.0",
	.description = "Sockets, connections, listeners and DNS against the allow-lists",
	.category_id = "network",
	.category_title = "Network Connections",
	.subscriptions = {
		(1ull << DA_EV_NET_SOCKET) | (1ull << DA_EV_NET_CONNECT) | (1ull << DA_EV_NET_BIND) |
		(1ull << DA_EV_NET_LISTEN) | (1ull << DA_EV_NET_ACCEPT) | (1ull << DA_EV_NET_SEND) |
		(1ull << DA_EV_FILE_OPEN),
		(1ull << (DA_EV_SOCK_SNAPSHOT - 64)) | (1ull << (DA_EV_SYSCALL_OTHER - 64)),
	},
	.init = network_init,
	.on_event = network_on_event,
	.finish = network_finish,
	.destroy = network_destroy,
};

DYNAUDIT_PLUGIN(network_plugin)

/*
 * network.h — the inside of the "network" detector, for its own files.
 *
 * One state (struct state, below) fed event by event:
 *   network.c   the rules (top comment), the descriptor, the configuration
 *               (allow_connect, allow_listen...) and the lifecycle.
 *   state.c     small helpers, endpoints already judged, the sockets of the
 *               run, its own ports, report() (the one emit site), port scans.
 *   connect.c   the judgement of a connect: unix sockets, destinations.
 *   sockets.c   listening, raw and ICMP sockets, binds, sends, snapshots.
 *   dns.c       names looked up through the sink resolver (dns.h).
 */
#ifndef DA_PLUGIN_NETWORK_H
#define DA_PLUGIN_NETWORK_H

#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dynaudit/endpoint.h"
#include "dynaudit/options.h"
#include "dynaudit/detector.h"
#include "dynaudit/pathclass.h"
#include "dynaudit/event.h"
#include "dynaudit/plugin.h"
#include "dynaudit/strset.h"

#include "dns.h"

#define MAX_SOCKETS 4096   /* (pid, fd) sockets remembered */
#define MAX_JUDGED 4096    /* endpoints already reported */
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
	struct nd_state *dns;        /* names looked up (dns.c) */
	const struct da_host *host;
	struct da_endpoint_list *allow_connect, *allow_listen; /* libdynaudit-sdk */
	bool allow_dns;

	struct sock socks[MAX_SOCKETS];
	size_t n_socks;
	struct da_strset *judged;   /* "connect 1.2.3.4:80" already reported */
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

/* ---- state.c: helpers, endpoints judged, sockets, own ports, report(), port scans */
bool first_time(struct state *st, const char *key);
const char *result_text(const struct da_event *ev, char *buf, size_t len);
/* Address classes and allow-list matching live in libdynaudit-sdk
 * (dynaudit/endpoint.h), shared with every detector that allows endpoints. */
/* A destination on this host: loopback, or 0.0.0.0 / :: (a connect there
 * reaches this host too; a listener there is exposed everywhere). */
bool is_this_host(const char *host);
struct sock *sock_find(struct state *st, int pid, int fd);
__attribute__((format(printf, 7, 8)))
void report(struct state *st, const char *rule, enum da_severity sev,
	    const struct da_event *ev, const char *extra_evidence, const char *recommendation,
	    const char *fmt, ...);
void note_allowed(struct state *st, const char *verb, const char *addr);
/* "socket:inet/dgram@0.0.0.0:38219": a local port of the run's own. */
void note_own_port(struct state *st, const struct da_event *ev);
bool own_port(const struct state *st, const char *port);
bool is_icmp(int family, int protocol);
bool icmp_pid(const struct state *st, int pid);
/* Counts port as contacted on host.  Returns the host's entry, or NULL when
 * the table is full; *new_port tells whether the port was new for it. */
struct scan_host *scan_note(struct state *st, const struct da_event *ev, const char *host,
			    const char *port, bool *new_port);
/* One finding per host whose ports were swept (called at finish). */
void report_port_scans(struct state *st);

/* ---- connect.c: judging connects: unix sockets and destinations */
void judge_destination(struct state *st, const struct da_event *ev, const char *addr,
		       const char *verb);

/* ---- sockets.c: listening, raw and ICMP sockets, binds, sends, snapshots */
void on_socket(struct state *st, const struct da_event *ev);
void on_bind(struct state *st, const struct da_event *ev);
void on_listen(struct state *st, const struct da_event *ev);
void on_send(struct state *st, const struct da_event *ev);
void on_open(struct state *st, const struct da_event *ev);
/* An ss LISTEN row.  Unix rows read "PATH INODE" ("* INODE" unnamed). */
void on_snapshot_listen(struct state *st, const struct da_event *ev);

#endif /* DA_PLUGIN_NETWORK_H */

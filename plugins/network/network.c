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
 *                          answered (dns.h).
 *   network.unix_sensitive critical  container runtime sockets (docker.sock,
 *                          containerd.sock, podman, cri-o); high: the D-Bus
 *                          system/session bus, systemd private sockets,
 *                          abstract @/org/freedesktop/..., ssh-agent.
 *   network.unix_connect   medium    another unix socket outside
 *                          allow_connect and outside workdir/tmp/home (inside
 *                          them: info, local IPC).  Ignores /dev/log,
 *                          /run/systemd/journal/..., nscd (glibc),
 *                          nss-systemd's /run/systemd/userdb/... and
 *                          libuuid's /run/uuidd/request; systemd-resolved's
 *                          io.systemd.Resolve (nss-resolve) is a network.dns
 *                          lookup.
 * Summary: "None" / "No sockets or external communications".
 */
#include "network.h"

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
	if (st && (!(st->dns = nd_new()) || !(st->judged = da_strset_new(MAX_JUDGED)))) {
		nd_free(st->dns);
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
	/* unknown keys and wrong types: refused by the core before init
	 * (network_options below) */
	int rc = load_rules(host, cfg, "allow_connect", &st->allow_connect, err, errlen);
	if (rc == 0)
		rc = load_rules(host, cfg, "allow_listen", &st->allow_listen, err, errlen);
	if (rc == 0)
		rc = da_opt_bool(host, cfg, "allow_dns", false, &st->allow_dns, err, errlen);
	return rc;
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
	da_strset_free(st->judged);
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

/* Every rule this detector emits (ABI 1.2): the core refuses others and
 * checks `rules:` overrides against this list; `dynaudit plugins -v` shows it. */
static const struct da_rule_decl network_rules[] = {
	{"network.connect", DA_SEV_HIGH,
	 "a connect or send to an inet address outside allow_connect"},
	{"network.listen", DA_SEV_HIGH,
	 "a listening socket outside allow_listen"},
	{"network.listen_any", DA_SEV_LOW,
	 "an allowed port listened on all interfaces"},
	{"network.raw_socket", DA_SEV_HIGH,
	 "a raw, packet or ICMP socket"},
	{"network.port_scan", DA_SEV_HIGH,
	 "more than five distinct ports of one host contacted"},
	{"network.netlink", DA_SEV_MEDIUM,
	 "a netlink socket other than NETLINK_ROUTE"},
	{"network.dns", DA_SEV_MEDIUM,
	 "a DNS lookup attempt (UDP to port 53)"},
	{"network.dns_query", DA_SEV_INFO,
	 "a name looked up through the sink resolver"},
	{"network.dns_tunnel", DA_SEV_HIGH,
	 "a looked-up name that carries data (long or high-entropy labels, many names)"},
	{"network.unix_sensitive", DA_SEV_CRITICAL,
	 "a connect to a container runtime, D-Bus, systemd or ssh-agent socket"},
	{"network.unix_connect", DA_SEV_MEDIUM,
	 "a connect to another unix socket outside allow_connect"},
	{0},
};

/* Its config keys (ABI 1.2): the core checks them before init(). */
static const struct da_option_decl network_options[] = {
	{"allow_connect", DA_OPT_LIST,
	 "host:port patterns or unix socket paths that may be connected (default: none)"},
	{"allow_listen", DA_OPT_LIST,
	 "host:port patterns that may listen or bind (default: none)"},
	{"allow_dns", DA_OPT_BOOL,
	 "DNS lookups are expected (default false)"},
	{0},
};

static const struct da_plugin network_plugin = {
	DA_PLUGIN_HEADER,
	.name = "network",
	.version = "1.0.0",
	.description = "Sockets, connections, listeners and DNS against the allow-lists",
	.category_id = "network",
	.category_title = "Network Connections",
	.kinds = DA_KINDS(DA_EV_NET_SOCKET, DA_EV_NET_CONNECT, DA_EV_NET_BIND, DA_EV_NET_LISTEN,
			DA_EV_NET_ACCEPT, DA_EV_NET_SEND, DA_EV_FILE_OPEN, DA_EV_SOCK_SNAPSHOT,
			DA_EV_SYSCALL_OTHER),
	.rules = network_rules,
	.options = network_options,
	.init = network_init,
	.on_event = network_on_event,
	.finish = network_finish,
	.destroy = network_destroy,
};

DYNAUDIT_PLUGIN(network_plugin)

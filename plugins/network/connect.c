/*
 * connect.c — judging connects: unix sockets and destinations
 */
#include "network.h"

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

/* The C library's own unix sockets: syslog, journal, nscd, libuuid's
 * uuidd (uuid.uuid1() asks it for a time-based uuid), and nss-systemd's
 * user database (getpwnam on a systemd host asks /run/systemd/userdb/). */
static bool is_glibc_unix(const char *path)
{
	return strcmp(path, "/dev/log") == 0 || da_path_under(path, "/run/systemd/journal") ||
	       da_path_under(path, "/run/systemd/userdb") ||
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
	if (strcmp(path, "/run/systemd/resolve/io.systemd.Resolve") == 0) {
		/* nss-resolve: glibc's getaddrinfo on a systemd host asks
		 * systemd-resolved here, not port 53: a name lookup */
		dns_attempt(st, ev, NULL, "systemd-resolved (nss-resolve)");
		return;
	}
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
	} else if (da_path_under(path, run->workdir) || da_path_under(path, run->tmpdir) ||
		   da_path_under(path, "/tmp") || da_path_under(path, run->home) || path[0] == '@') {
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
void judge_destination(struct state *st, const struct da_event *ev, const char *addr,
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


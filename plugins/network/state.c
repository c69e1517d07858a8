/*
 * state.c — helpers, endpoints judged, sockets, own ports, report(), port scans
 */
#include "network.h"

/* ---- helpers -------------------------------------------------------------- */

/* Returns true the first time key is seen (and remembers it). */
bool first_time(struct state *st, const char *key)
{
	int rc = da_strset_add(st->judged, key);
	if (rc < 0 && da_strset_len(st->judged) >= MAX_JUDGED)
		st->dropped++; /* cannot remember: report again rather than lose it */
	return rc != 0;
}

const char *result_text(const struct da_event *ev, char *buf, size_t len)
{
	if (!ev->err)
		return "";
	if (ev->err == EINPROGRESS)
		return ", in progress";
	snprintf(buf, len, ", failed: %s", ev->errname ? ev->errname : "error");
	return buf;
}

/* Address classes and allow-list matching live in libdynaudit-sdk
 * (dynaudit/endpoint.h), shared with every detector that allows endpoints. */
/* A destination on this host: loopback, or 0.0.0.0 / :: (a connect there
 * reaches this host too; a listener there is exposed everywhere). */
bool is_this_host(const char *host)
{
	return da_endpoint_is_loopback(host) || (*host && da_endpoint_is_any_interface(host));
}

struct sock *sock_find(struct state *st, int pid, int fd)
{
	for (size_t i = st->n_socks; i-- > 0;)
		if (st->socks[i].pid == pid && st->socks[i].fd == fd)
			return &st->socks[i];
	return NULL;
}

__attribute__((format(printf, 7, 8)))
void report(struct state *st, const char *rule, enum da_severity sev,
	    const struct da_event *ev, const char *extra_evidence, const char *recommendation,
	    const char *fmt, ...)
{
	char message[400];
	const char *evidence[2];
	size_t n = 0;
	if (extra_evidence)
		evidence[n++] = extra_evidence;
	if (ev->text)
		evidence[n++] = ev->text;
	else if (ev->kind == DA_EV_SOCK_SNAPSHOT && ev->detail)
		evidence[n++] = ev->detail;
	struct da_finding f = {.rule = rule, .severity = sev, .pid = ev->pid, .time_s = ev->time_s,
			       .evidence = evidence, .n_evidence = n, .recommendation = recommendation};
	va_list ap;
	va_start(ap, fmt);
	da_emit_findingv(st->host, &f, message, sizeof(message), fmt, ap);
	va_end(ap);
	if (sev >= DA_SEV_LOW) {
		if (!st->first_flagged[0])
			da_copy_text(st->first_flagged, sizeof(st->first_flagged), message);
		if (strcmp(rule, "network.connect") == 0)
			st->n_bad_connect++;
		else if (strcmp(rule, "network.listen") == 0 || strcmp(rule, "network.listen_any") == 0)
			st->n_bad_listen++;
		else
			st->n_other_flagged++;
	}
}

void note_allowed(struct state *st, const char *verb, const char *addr)
{
	if (st->first_allowed[0])
		return;
	da_copy_text(st->first_allowed, sizeof(st->first_allowed), verb);
	size_t used = strlen(st->first_allowed);
	da_copy_text(st->first_allowed + used, sizeof(st->first_allowed) - used, addr);
}

/* "socket:inet/dgram@0.0.0.0:38219": a local port of the run's own. */
void note_own_port(struct state *st, const struct da_event *ev)
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

bool own_port(const struct state *st, const char *port)
{
	int p = atoi(port);
	for (size_t i = 0; p > 0 && i < st->n_own_ports; i++)
		if (st->own_ports[i] == p)
			return true;
	return false;
}

bool is_icmp(int family, int protocol)
{
	return (family == FAM_INET && protocol == PROTO_ICMP) ||
	       (family == FAM_INET6 && protocol == PROTO_ICMPV6);
}

bool icmp_pid(const struct state *st, int pid)
{
	for (size_t i = 0; i < st->n_icmp_pids; i++)
		if (st->icmp_pids[i] == pid)
			return true;
	return false;
}

/* Counts port as contacted on host.  Returns the host's entry, or NULL when
 * the table is full; *new_port tells whether the port was new for it. */
struct scan_host *scan_note(struct state *st, const struct da_event *ev, const char *host,
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
void report_port_scans(struct state *st)
{
	for (size_t i = 0; i < st->n_scans; i++) {
		const struct scan_host *sh = st->scans[i];
		if (sh->n_ports <= SCAN_PORTS)
			continue;
		char message[400];
		snprintf(message, sizeof(message), "Connects to %zu ports of %s in %.1f s (a port scan)",
			 sh->n_ports, sh->host, sh->last_s - sh->first_s);
		bool local = is_this_host(sh->host);
		da_emit_finding(st->host, "network.port_scan",
				local ? DA_SEV_MEDIUM : DA_SEV_HIGH, message, sh->pid,
				sh->first_s, (const char *const *)sh->evidence, sh->n_evidence,
				"A submission has no reason to probe ports; find the code that sweeps them.");
		st->n_other_flagged++;
		if (!st->first_flagged[0])
			da_copy_text(st->first_flagged, sizeof(st->first_flagged), message);
	}
	if (st->n_dest_suppressed) {
		char message[200];
		snprintf(message, sizeof(message),
			 "Contacts %zu more destinations, not listed one by one (%d listed)",
			 st->n_dest_suppressed, MAX_DEST_FINDINGS);
		da_emit_finding(st->host, "network.connect",
				(enum da_severity)st->worst_suppressed, message, 0, 0, NULL, 0,
				"See trace.log for every destination.");
		if (st->worst_suppressed >= DA_SEV_LOW)
			st->n_bad_connect++;
	}
}


/*
 * exfil.c — exfiltration (a secret read, then sent) and beaconing
 */
#include "backdoor.h"

static int proc_secret_class(const char *path, int reader_pid)
{
	if (!da_str_starts_with(path, "/proc/"))
		return 0;
	const char *p = path + 6, *slash = strchr(p, '/');
	if (!slash || (strcmp(slash, "/environ") != 0 && strcmp(slash, "/mem") != 0))
		return 0;
	if (da_str_starts_with(p, "self/") || da_str_starts_with(p, "thread-self/"))
		return 2;
	char *end;
	long pid = strtol(p, &end, 10);
	if (end != slash || pid <= 0)
		return 0;
	return pid == reader_pid ? 2 : 1;
}

/* The sensitive paths are libdynaudit-sdk's list (dynaudit/pathclass.h),
 * the one file.sensitive_read judges by; "~/X" counts below any directory
 * here (another user's home, a copied HOME). */
static int secret_class(const struct backdoor *st, const char *path, int reader_pid)
{
	if (!path || in_workdir(st, path))
		return 0;
	if (strcmp(path, "/etc/passwd") == 0 || strcmp(path, "/etc/group") == 0)
		return 2;
	int proc_cls = proc_secret_class(path, reader_pid);
	if (proc_cls)
		return proc_cls;
	return da_path_sensitive(path, st->home_len ? st->home : NULL, DA_PATH_ANY_HOME) ? 1 : 0;
}

void give_secret(struct proc *p, const char *path, const char *text, bool weak)
{
	if (p->secret && (!p->secret_weak || weak))
		return; /* keep the first, unless a strong one replaces a weak one */
	replace_text(&p->secret, path);
	replace_text(&p->secret_text, text);
	p->secret_weak = weak;
	p->exfil_reported = false;
}

/* The secret arrives after the connection was made: the bytes can then
 * leave by write(), which a live run does not stop on (it would stop on
 * every write of every program). Holding the connection while reading
 * the secret is the evidence left. */
static void check_held_connection(struct backdoor *st, struct proc *p, const struct da_event *ev)
{
	if (!p->secret || p->exfil_reported)
		return;
	for (size_t i = 0; i < p->n_fds; i++) {
		const struct tracked_fd *t = &p->fds[i];
		if (t->kind != FD_CONNECTED)
			continue;
		const char *colon = strrchr(t->desc, ':');
		bool dns = colon && strcmp(colon, ":53") == 0;
		if (p->secret_weak && (is_loopback(t->desc) || allowed(st, t->desc) || dns))
			continue;
		p->exfil_reported = true;
		const char *evidence[2] = {p->connect_text ? p->connect_text : t->desc, ev->text};
		emit(st, "backdoor.exfiltration", DA_SEV_CRITICAL, "Exfiltration", ev->pid,
		     ev->time_s, evidence, 2,
		     "Remove the code that reads credentials or account data and sends them over the network",
		     "exfiltration: reads %s while holding a connection to %s (fd %d, opened before the read)",
		     p->secret, t->desc, t->fd);
		return;
	}
}

void on_secret_read(struct backdoor *st, const struct da_event *ev)
{
	int cls = secret_class(st, ev->path, ev->pid);
	if (cls == 0 || ev->err != 0 || ev->result < 0)
		return;
	struct proc *p = proc_get(st, ev->pid, ev->ppid);
	if (!p)
		return;
	/* ps reads every process's environ by design */
	if (da_str_starts_with(ev->path, "/proc/") && da_prog_is_process_lister(p->exe))
		return;
	give_secret(p, ev->path, ev->text, cls == 2);
	check_held_connection(st, p, ev);
	/* a child may read for its parent: `cat ~/.ssh/id_rsa` via subprocess */
	int up = p->ppid;
	for (int level = 0; level < ANCESTOR_REACH && up > 0; level++) {
		struct proc *a = proc_find(st, up);
		if (!a)
			break;
		give_secret(a, ev->path, ev->text, cls == 2);
		check_held_connection(st, a, ev);
		up = a->ppid;
	}
}

void check_exfiltration(struct backdoor *st, struct proc *p, const struct da_event *ev)
{
	if (!p->secret || p->exfil_reported)
		return;
	bool inet = ev->family == AF_INET || ev->family == AF_INET6 || is_net_socket(ev->fd_desc);
	if (!inet || !ev->addr)
		return;
	/* the C library reads /etc/passwd for a user name and asks DNS for a
	 * host name: a weak secret and a lookup are two routine things */
	if (p->secret_weak && (is_loopback(ev->addr) || allowed(st, ev->addr) || ev->port == 53))
		return;
	p->exfil_reported = true;
	char res[64];
	outcome(ev, res, sizeof(res));
	const char *evidence[2] = {p->secret_text, ev->text};
	emit(st, "backdoor.exfiltration", DA_SEV_CRITICAL, "Exfiltration", ev->pid, ev->time_s,
	     evidence, 2,
	     "Remove the code that reads credentials or account data and sends them over the network",
	     "exfiltration: reads %s and then %s %s%s", p->secret,
	     ev->kind == DA_EV_NET_CONNECT ? "connects to" : "sends data to", ev->addr, res);
}

/* ---- beaconing ------------------------------------------------------------- */

/* A connect attempt, or a send with an explicit destination (sendto or
 * sendmsg on an unconnected socket: a UDP beacon never connects).  Only the
 * first send of a burst counts: a datagram stream is one contact, not a
 * series. */
void note_contact(struct backdoor *st, const struct da_event *ev, bool send)
{
	if (!ev->addr || ev->addr[0] == '/' || ev->addr[0] == '@' || ev->port == 53 ||
	    ev->family == AF_UNIX || allowed(st, ev->addr))
		return;
	struct dest *d = NULL;
	for (size_t i = 0; i < st->n_dests; i++)
		if (strcmp(st->dests[i].addr, ev->addr) == 0)
			d = &st->dests[i];
	if (!d) {
		if (st->n_dests >= MAX_DESTS) {
			st->dests_dropped++;
			return;
		}
		d = &st->dests[st->n_dests++];
		snprintf(d->addr, sizeof(d->addr), "%s", ev->addr);
		d->loopback = is_loopback(ev->addr);
		d->first_text = copy_text(ev->text);
		d->pid = ev->pid;
	} else if (send && ev->time_s - d->last_seen < BURST_GAP) {
		d->last_seen = ev->time_s;
		return;
	}
	d->last_seen = ev->time_s;
	if (d->n < MAX_TIMES)
		d->times[d->n] = ev->time_s;
	d->n++;
	if (send)
		d->n_sends++;
}

/* sendto/sendmsg naming its destination: the socket is not connected (no
 * "->" peer in its description) and the call carries an address. */
bool is_explicit_send(const struct da_event *ev)
{
	/* a datagram is a contact of its own on a connected socket too (a
	 * UDP beacon that connects once and then write()s) */
	if (ev->addr && ev->sock_type == SOCK_DGRAM && (ev->family == AF_INET || ev->family == AF_INET6))
		return true;
	if (!ev->addr || (ev->fd_desc && strstr(ev->fd_desc, "->")))
		return false;
	if (!(ev->family == AF_INET || ev->family == AF_INET6 || is_net_socket(ev->fd_desc)))
		return false;
	return !(ev->text && strstr(ev->text, ", NULL, 0)"));
}

/* The local port of "socket:inet/dgram@0.0.0.0:38604" (0 when none). */
int local_port(const char *desc)
{
	const char *at = desc && da_str_starts_with(desc, "socket:inet") ? strchr(desc, '@') : NULL;
	const char *colon = at ? strrchr(at, ':') : NULL;
	return colon ? atoi(colon + 1) : 0;
}

void note_own_port(struct backdoor *st, int port)
{
	if (port <= 0)
		return;
	for (size_t i = 0; i < st->n_own_ports; i++)
		if (st->own_ports[i] == port)
			return;
	if (st->n_own_ports < MAX_OWN_PORTS)
		st->own_ports[st->n_own_ports++] = port;
}

/* addr's port is one the run listens on or has bound (a UDP server, or the
 * local port of its own client socket a server replies to). */
static bool run_owns_port(const struct backdoor *st, const char *addr)
{
	const char *colon = strrchr(addr, ':');
	int port = colon ? atoi(colon + 1) : 0;
	for (size_t i = 0; port > 0 && i < st->n_own_ports; i++)
		if (st->own_ports[i] == port)
			return true;
	return false;
}

void report_beacons(struct backdoor *st)
{
	for (size_t i = 0; i < st->n_dests; i++) {
		struct dest *d = &st->dests[i];
		/* a client polling the run's own server is the app talking to itself */
		if (d->loopback && run_owns_port(st, d->addr))
			continue;
		size_t n = d->n < MAX_TIMES ? d->n : MAX_TIMES;
		if (n < 3 || d->times[n - 1] - d->times[0] < 2.0)
			continue;
		double mean = (d->times[n - 1] - d->times[0]) / (double)(n - 1), var = 0;
		for (size_t k = 1; k < n; k++) {
			double gap = d->times[k] - d->times[k - 1] - mean;
			var += gap * gap;
		}
		/* regular: coefficient of variation of the gaps <= 0.5 (no libm) */
		if (var / (double)(n - 1) > 0.25 * mean * mean)
			continue;
		const char *what = d->n_sends == 0 ? "connect attempts"
				   : d->n_sends == d->n ? "sends (first of each burst)"
							: "connects and sends";
		const char *evidence[1] = {d->first_text};
		emit(st, "backdoor.beaconing", d->loopback ? DA_SEV_MEDIUM : DA_SEV_HIGH,
		     "Beaconing", d->pid, d->times[0], evidence, 1,
		     "Explain the periodic connections or remove them; allow-list the destination (backdoor.allow_connect) if it is the intended server",
		     "beaconing: %zu %s to %s about every %.1fs%s", d->n, what, d->addr, mean,
		     d->loopback ? " (loopback)" : "");
	}
}


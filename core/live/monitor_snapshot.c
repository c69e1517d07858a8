/*
 * monitor_snapshot.c — ps/ss-style snapshots of the sandbox.  See
 * monitor_snapshot.h.
 *
 * Everything read here (/proc text, netlink replies) is written by, or
 * about, an untrusted target: every read is bounded, every parse checks
 * its input, names are sanitized before they reach a report line.
 */
#include "live/monitor_snapshot.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <pwd.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

/* Bounds against a hostile target. */
#define MAX_PROCS 4096          /* rows per process snapshot */
#define MAX_FD_LINKS 65536      /* readlink()s per snapshot for socket owners */
#define MAX_SOCKETS 8192        /* rows per socket snapshot */
#define STOP_WAIT_S 2           /* monitor_snapshot_stop: longest wait for the thread */

struct proc_row {
	pid_t host_pid;
	pid_t ns_pid;
	pid_t host_ppid;
	pid_t ns_ppid;
	unsigned long long start;   /* clock ticks after boot */
	char stat[8];
	char user[33];
	char elapsed[40];
	char comm[64];
	char cmd[256];
	char exe[256];
};

struct sock_owner {
	unsigned long ino;
	pid_t ns_pid;
	int fd;
	char comm[64];
};

/* A sorted set of strings: what the previous snapshot published. */
struct seen {
	char **items;
	size_t n;
};

struct monitor_snapshot {
	struct monitor_snapshot_options opt;
	char pidns[64];           /* readlink of the init's ns/pid */
	int nspid_level;          /* index of the sandbox pid in NSpid lines */
	int diag_fd;              /* NETLINK_SOCK_DIAG in the sandbox netns, -1 */
	bool own_netns;           /* the diag socket sees only the sandbox */
	bool header_done;
	struct proc_row *procs;
	size_t n_procs;
	pid_t *host_pids;
	size_t n_host_pids;
	struct sock_owner *owners;
	size_t n_owners;
	struct seen seen_procs;
	struct seen seen_socks;
	struct monitor_snapshot_stats stats;
	uint32_t nl_seq;
	/* the snapshot thread (monitor_snapshot_start), when running */
	pthread_t thread;
	bool thread_on;
	int timer_fd, wake_fd, done_fd;
	int requested;            /* atomic: a snapshot was asked for */
	int stop;                 /* atomic: the thread must end, publish nothing more */
	bool orphaned;            /* it did not end in time: m is left to it */
};

/* ---- small helpers ------------------------------------------------------ */

/* Asked to end (monitor_snapshot_stop): the scan in progress is cut short. */
static bool stopping(const struct monitor_snapshot *m)
{
	return __atomic_load_n(&m->stop, __ATOMIC_ACQUIRE) != 0;
}

static double now(const struct monitor_snapshot *m)
{
	return m->opt.clock ? m->opt.clock(m->opt.clock_ctx) : 0.0;
}

/* Read at most len-1 bytes of a /proc file; returns bytes or -1. */
static ssize_t read_small(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	size_t got = 0;
	while (got + 1 < len) {
		ssize_t n = read(fd, buf + got, len - 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	buf[got] = '\0';
	return (ssize_t)got;
}

/* Replace what would break a one-line report row. */
static void sanitize(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s == 0x7f)
			*s = '?';
}

static bool parse_pid(const char *name, pid_t *pid)
{
	char *end;
	if (!isdigit((unsigned char)name[0]))
		return false;
	errno = 0;
	long v = strtol(name, &end, 10);
	if (errno || *end || v <= 0 || v > INT32_MAX)
		return false;
	*pid = (pid_t)v;
	return true;
}

static int ns_link(pid_t pid, const char *ns, char *buf, size_t len)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)pid, ns);
	ssize_t n = readlink(path, buf, len - 1);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

/* The field after "Key:" in /proc/N/status text, or NULL. */
static const char *status_field(const char *status, const char *key)
{
	size_t klen = strlen(key);
	for (const char *p = status; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, key, klen) && p[klen] == ':')
			return p + klen + 1;
	return NULL;
}

static int nspid_entries(const char *status, long *vals, int max)
{
	const char *p = status_field(status, "NSpid");
	int n = 0;
	while (p && n < max) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!isdigit((unsigned char)*p))
			break;
		char *end;
		vals[n++] = strtol(p, &end, 10);
		p = end;
	}
	return n;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool seen_has(const struct seen *s, const char *key)
{
	return s->n && bsearch(&key, s->items, s->n, sizeof(char *), cmp_str) != NULL;
}

static void seen_free(struct seen *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->items[i]);
	free(s->items);
	s->items = NULL;
	s->n = 0;
}

/* Replace *old by the keys of this snapshot (sorted). */
static void seen_replace(struct seen *old, char **keys, size_t n)
{
	seen_free(old);
	qsort(keys, n, sizeof(char *), cmp_str);
	old->items = keys;
	old->n = n;
}

/* ---- processes ---------------------------------------------------------- */

static void format_elapsed(double secs, char *buf, size_t len)
{
	long t = secs > 0 ? (long)secs : 0;
	long d = t / 86400, h = (t / 3600) % 24, mi = (t / 60) % 60, s = t % 60;
	if (d)
		snprintf(buf, len, "%ld-%02ld:%02ld:%02ld", d, h, mi, s);
	else if (h)
		snprintf(buf, len, "%02ld:%02ld:%02ld", h, mi, s);
	else
		snprintf(buf, len, "%02ld:%02ld", mi, s);
}

static double uptime_now(void)
{
	char buf[128];
	if (read_small("/proc/uptime", buf, sizeof(buf)) <= 0)
		return 0;
	return strtod(buf, NULL);
}

static void user_name(uid_t uid, char *buf, size_t len)
{
	struct passwd pw, *res = NULL;
	char pwbuf[1024];
	if (getpwuid_r(uid, &pw, pwbuf, sizeof(pwbuf), &res) == 0 && res)
		snprintf(buf, len, "%s", res->pw_name);
	else
		snprintf(buf, len, "%u", (unsigned)uid);
}

/* Fill row from /proc/<pid>; false when it vanished or is unreadable. */
static bool read_proc(const struct monitor_snapshot *m, pid_t pid, double uptime,
		      struct proc_row *row)
{
	char path[64], stat[1024], status[4096];

	memset(row, 0, sizeof(*row));
	row->host_pid = pid;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (read_small(path, stat, sizeof(stat)) <= 0)
		return false;
	/* comm may hold anything, ')' included: the last ')' ends it. */
	char *open_paren = strchr(stat, '('), *close_paren = strrchr(stat, ')');
	if (!open_paren || !close_paren || close_paren < open_paren)
		return false;
	size_t clen = (size_t)(close_paren - open_paren - 1);
	if (clen >= sizeof(row->comm))
		clen = sizeof(row->comm) - 1;
	memcpy(row->comm, open_paren + 1, clen);
	row->comm[clen] = '\0';
	sanitize(row->comm);
	char state = 0;
	int ppid = 0, pgrp = 0, session = 0;
	long threads = 1;
	unsigned long long start = 0;
	/* state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt
	 * utime stime cutime cstime priority nice num_threads itrealvalue starttime */
	if (sscanf(close_paren + 1, " %c %d %d %d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %ld %*d %llu",
		   &state, &ppid, &pgrp, &session, &threads, &start) != 6)
		return false;
	row->host_ppid = ppid;
	row->start = start;
	snprintf(row->stat, sizeof(row->stat), "%c%s%s", state, session == pid ? "s" : "",
		 threads > 1 ? "l" : "");
	long ticks = sysconf(_SC_CLK_TCK);
	format_elapsed(uptime - (double)start / (double)(ticks > 0 ? ticks : 100), row->elapsed,
		       sizeof(row->elapsed));

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if (read_small(path, status, sizeof(status)) <= 0)
		return false;
	long ns[16];
	int n = nspid_entries(status, ns, 16);
	row->ns_pid = n > m->nspid_level ? (pid_t)ns[m->nspid_level] : (n ? (pid_t)ns[n - 1] : pid);
	const char *uid = status_field(status, "Uid");
	user_name(uid ? (uid_t)strtoul(uid, NULL, 10) : 0, row->user, sizeof(row->user));

	char cmd[sizeof(row->cmd)];
	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	ssize_t cl = read_small(path, cmd, sizeof(cmd));
	if (cl > 0) {
		for (ssize_t i = 0; i < cl; i++)
			if (cmd[i] == '\0')
				cmd[i] = ' ';
		while (cl > 0 && cmd[cl - 1] == ' ')
			cmd[--cl] = '\0';
		snprintf(row->cmd, sizeof(row->cmd), "%s", cmd);
	} else {
		snprintf(row->cmd, sizeof(row->cmd), "[%s]", row->comm);
	}
	sanitize(row->cmd);
	snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
	ssize_t el = readlink(path, row->exe, sizeof(row->exe) - 1);
	row->exe[el > 0 ? el : 0] = '\0';
	return true;
}

static int snapshot_processes(struct monitor_snapshot *m, struct proc_row **rows, size_t *n_rows)
{
	DIR *proc = opendir("/proc");
	if (!proc)
		return -errno;
	size_t cap = 64, n = 0;
	struct proc_row *out = malloc(cap * sizeof(*out));
	double uptime = uptime_now();
	struct dirent *de;
	char link[64];
	int rc = 0;

	while (out && !stopping(m) && (de = readdir(proc)) != NULL) {
		pid_t pid;
		if (!parse_pid(de->d_name, &pid) || pid == m->opt.init_host_pid)
			continue;
		if (ns_link(pid, "pid", link, sizeof(link)) < 0 || strcmp(link, m->pidns) != 0)
			continue;
		if (n >= MAX_PROCS) {
			m->stats.rows_dropped++;
			continue;
		}
		if (n == cap) {
			struct proc_row *grown = realloc(out, 2 * cap * sizeof(*out));
			if (!grown) {
				rc = -ENOMEM;
				break;
			}
			out = grown;
			cap *= 2;
		}
		if (read_proc(m, pid, uptime, &out[n]))
			n++;
	}
	closedir(proc);
	if (!out)
		return -ENOMEM;
	/* Parents by namespace pid: the init is 1, others from this list. */
	for (size_t i = 0; i < n; i++) {
		out[i].ns_ppid = 0;
		if (out[i].host_ppid == m->opt.init_host_pid)
			out[i].ns_ppid = 1;
		for (size_t k = 0; k < n && !out[i].ns_ppid; k++)
			if (out[k].host_pid == out[i].host_ppid)
				out[i].ns_ppid = out[k].ns_pid;
	}
	*rows = out;
	*n_rows = n;
	return rc;
}

static int publish_processes(struct monitor_snapshot *m)
{
	struct proc_row *rows = NULL;
	size_t n = 0;
	int rc = snapshot_processes(m, &rows, &n);
	if (rc < 0 && !rows)
		return rc;
	if (stopping(m)) {
		free(rows); /* a cut scan is no snapshot: publish nothing of it */
		return 0;
	}
	double t = now(m);
	int published = 0;
	char line[512];
	struct da_event ev;

	if (!m->header_done) {
		m->header_done = true;
		da_event_init(&ev, DA_EV_PROC_SNAPSHOT);
		ev.time_s = t;
		snprintf(line, sizeof(line), "%-8s %6s %6s %-4s %11s %s", "USER", "PID", "PPID", "STAT",
			 "ELAPSED", "COMMAND");
		ev.detail = line;
		ev.text = line;
		bus_publish(m->opt.bus, &ev);
		published++;
	}
	char **keys = calloc(n ? n : 1, sizeof(char *));
	size_t n_keys = 0;
	for (size_t i = 0; i < n; i++) {
		struct proc_row *r = &rows[i];
		char key[400];
		snprintf(key, sizeof(key), "%d %llu %s %s", (int)r->host_pid, r->start, r->stat, r->cmd);
		bool old = seen_has(&m->seen_procs, key);
		if (keys && (keys[n_keys] = strdup(key)) != NULL)
			n_keys++;
		if (old)
			continue;
		snprintf(line, sizeof(line), "%-8s %6d %6d %-4s %11s %s", r->user, (int)r->ns_pid,
			 (int)r->ns_ppid, r->stat, r->elapsed, r->cmd);
		da_event_init(&ev, DA_EV_PROC_SNAPSHOT);
		ev.time_s = t;
		ev.pid = r->ns_pid;
		ev.tid = r->ns_pid;
		ev.ppid = r->ns_ppid;
		ev.path = r->exe[0] ? r->exe : NULL;
		ev.detail = line;
		ev.text = line;
		bus_publish(m->opt.bus, &ev);
		m->stats.process_rows++;
		published++;
	}
	if (keys)
		seen_replace(&m->seen_procs, keys, n_keys);
	free(m->procs);
	m->procs = rows;
	m->n_procs = n;
	pid_t *pids = realloc(m->host_pids, (n ? n : 1) * sizeof(pid_t));
	if (pids) {
		for (size_t i = 0; i < n; i++)
			pids[i] = rows[i].host_pid;
		m->host_pids = pids;
		m->n_host_pids = n;
	}
	return published;
}

int snapshot_pidns_link(pid_t pid, char *buf, size_t len)
{
	return ns_link(pid, "pid", buf, len);
}

ssize_t snapshot_list_pids(const char *pidns_link, pid_t exclude, pid_t **pids)
{
	char link[64];
	*pids = NULL;
	DIR *proc = opendir("/proc");
	if (!proc)
		return -errno;
	size_t cap = 64, n = 0;
	pid_t *out = malloc(cap * sizeof(*out));
	struct dirent *de;
	while (out && (de = readdir(proc)) != NULL) {
		pid_t pid;
		if (!parse_pid(de->d_name, &pid) || pid == exclude)
			continue;
		if (ns_link(pid, "pid", link, sizeof(link)) < 0 || strcmp(link, pidns_link) != 0)
			continue;
		if (n == cap) {
			pid_t *grown = realloc(out, 2 * cap * sizeof(*out));
			if (!grown)
				break;
			out = grown;
			cap *= 2;
		}
		out[n++] = pid;
	}
	closedir(proc);
	if (!out)
		return -ENOMEM;
	*pids = out;
	return (ssize_t)n;
}

/* ---- sockets ------------------------------------------------------------ */

static int cmp_owner(const void *a, const void *b)
{
	const struct sock_owner *x = a, *y = b;
	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	return x->ns_pid - y->ns_pid;
}

/* Socket inode -> first owner, from /proc/<pid>/fd of the sandbox processes. */
static void collect_owners(struct monitor_snapshot *m)
{
	size_t cap = 64, n = 0, links = 0;
	struct sock_owner *out = malloc(cap * sizeof(*out));

	for (size_t i = 0; out && i < m->n_procs && links < MAX_FD_LINKS; i++) {
		char dirpath[64];
		snprintf(dirpath, sizeof(dirpath), "/proc/%d/fd", (int)m->procs[i].host_pid);
		DIR *d = opendir(dirpath);
		if (!d)
			continue;
		struct dirent *de;
		while ((de = readdir(d)) != NULL && links < MAX_FD_LINKS) {
			pid_t fd;
			if (!parse_pid(de->d_name, &fd) && strcmp(de->d_name, "0") != 0)
				continue;
			if (!strcmp(de->d_name, "0"))
				fd = 0;
			char target[64];
			links++;
			ssize_t tl = readlinkat(dirfd(d), de->d_name, target, sizeof(target) - 1);
			if (tl <= 0)
				continue;
			target[tl] = '\0';
			unsigned long ino;
			if (sscanf(target, "socket:[%lu]", &ino) != 1)
				continue;
			if (n == cap) {
				struct sock_owner *grown = realloc(out, 2 * cap * sizeof(*out));
				if (!grown)
					break;
				out = grown;
				cap *= 2;
			}
			out[n].ino = ino;
			out[n].ns_pid = m->procs[i].ns_pid;
			out[n].fd = (int)fd;
			snprintf(out[n].comm, sizeof(out[n].comm), "%s", m->procs[i].comm);
			n++;
		}
		closedir(d);
	}
	if (out)
		qsort(out, n, sizeof(*out), cmp_owner);
	free(m->owners);
	m->owners = out;
	m->n_owners = out ? n : 0;
}

static const struct sock_owner *find_owner(const struct monitor_snapshot *m, unsigned long ino)
{
	size_t lo = 0, hi = m->n_owners;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (m->owners[mid].ino < ino)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < m->n_owners && m->owners[lo].ino == ino && ino != 0 ? &m->owners[lo] : NULL;
}

/* One socket row before publication. */
struct sock_row {
	const char *netid;   /* "tcp", "udp", "u_str" ... */
	const char *state;
	int family, sock_type, protocol;
	unsigned rq, wq;
	char local[128];
	char peer[128];
	int port;
	unsigned long ino;
};

static const char *tcp_state_name(int st)
{
	static const char *const names[] = {
		[TCP_ESTABLISHED] = "ESTAB", [TCP_SYN_SENT] = "SYN-SENT",
		[TCP_SYN_RECV] = "SYN-RECV", [TCP_FIN_WAIT1] = "FIN-WAIT-1",
		[TCP_FIN_WAIT2] = "FIN-WAIT-2", [TCP_TIME_WAIT] = "TIME-WAIT",
		[TCP_CLOSE] = "UNCONN", [TCP_CLOSE_WAIT] = "CLOSE-WAIT",
		[TCP_LAST_ACK] = "LAST-ACK", [TCP_LISTEN] = "LISTEN", [TCP_CLOSING] = "CLOSING",
	};
	if (st >= 0 && (size_t)st < sizeof(names) / sizeof(names[0]) && names[st])
		return names[st];
	return "UNKNOWN";
}

static void publish_socket(struct monitor_snapshot *m, const struct sock_row *r, char **keys,
			   size_t *n_keys, double t)
{
	const struct sock_owner *o = find_owner(m, r->ino);
	if (!o && !m->own_netns)
		return; /* host network: only the sandbox's sockets */
	char users[128] = "", key[512], line[640];
	if (o)
		snprintf(users, sizeof(users), " users:((\"%s\",pid=%d,fd=%d))", o->comm,
			 (int)o->ns_pid, o->fd);
	snprintf(key, sizeof(key), "%s %s %s %s %lu %d", r->netid, r->state, r->local, r->peer,
		 r->ino, o ? (int)o->ns_pid : 0);
	bool old = seen_has(&m->seen_socks, key);
	if (*n_keys < MAX_SOCKETS && (keys[*n_keys] = strdup(key)) != NULL)
		(*n_keys)++;
	if (old)
		return;
	snprintf(line, sizeof(line), "%-5s %-10s %u %u %s %s%s", r->netid, r->state, r->rq, r->wq,
		 r->local, r->peer, users);
	struct da_event ev;
	da_event_init(&ev, DA_EV_SOCK_SNAPSHOT);
	ev.time_s = t;
	ev.pid = o ? o->ns_pid : 0;
	ev.tid = ev.pid;
	ev.fd = o ? o->fd : -1;
	ev.family = r->family;
	ev.sock_type = r->sock_type;
	ev.protocol = r->protocol;
	ev.addr = r->local;
	ev.path2 = r->peer;
	ev.port = r->port;
	ev.detail = r->state;
	ev.text = line;
	bus_publish(m->opt.bus, &ev);
	m->stats.socket_rows++;
}

static void format_inet(int family, const uint32_t *addr, uint16_t port_be, bool wildcard_port,
			char *buf, size_t len)
{
	char ip[INET6_ADDRSTRLEN] = "?";
	inet_ntop(family, addr, ip, sizeof(ip));
	char portbuf[16];
	if (wildcard_port && port_be == 0)
		snprintf(portbuf, sizeof(portbuf), "*");
	else
		snprintf(portbuf, sizeof(portbuf), "%u", ntohs(port_be));
	if (family == AF_INET6)
		snprintf(buf, len, "[%s]:%s", ip, portbuf);
	else
		snprintf(buf, len, "%s:%s", ip, portbuf);
}

/* Send a dump request and hand each reply message to fn. */
typedef void (*diag_fn)(struct monitor_snapshot *m, const struct nlmsghdr *h, void *ctx);

static int diag_dump(struct monitor_snapshot *m, void *req, size_t req_len, diag_fn fn, void *ctx)
{
	struct nlmsghdr *nh = req;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	nh->nlmsg_len = (uint32_t)req_len;
	nh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	nh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nh->nlmsg_seq = ++m->nl_seq;
	if (sendto(m->diag_fd, req, req_len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -errno;
	static char buf[32768] __attribute__((aligned(NLMSG_ALIGNTO)));
	for (int rounds = 0; rounds < 4096; rounds++) {
		ssize_t n = recv(m->diag_fd, buf, sizeof(buf), 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			return -EIO;
		for (struct nlmsghdr *h = (struct nlmsghdr *)(void *)buf; NLMSG_OK(h, (size_t)n);
		     h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_seq != m->nl_seq)
				continue; /* a late reply to an earlier, abandoned dump */
			if (h->nlmsg_type == NLMSG_DONE)
				return 0;
			if (h->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(h);
				return h->nlmsg_len >= NLMSG_LENGTH(sizeof(*e)) && e->error ? e->error : -EIO;
			}
			fn(m, h, ctx);
		}
	}
	return -E2BIG;
}

struct dump_ctx {
	const char *netid;
	int protocol;
	int sock_type;
	char **keys;
	size_t *n_keys;
	double t;
	size_t rows;
};

static void on_inet(struct monitor_snapshot *m, const struct nlmsghdr *h, void *vctx)
{
	struct dump_ctx *c = vctx;
	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(struct inet_diag_msg)))
		return;
	if (c->rows >= MAX_SOCKETS) {
		m->stats.rows_dropped++;
		return;
	}
	const struct inet_diag_msg *d = NLMSG_DATA(h);
	struct sock_row r = { .netid = c->netid, .family = d->idiag_family,
			      .sock_type = c->sock_type, .protocol = c->protocol,
			      .rq = d->idiag_rqueue, .wq = d->idiag_wqueue,
			      .ino = d->idiag_inode, .port = ntohs(d->id.idiag_sport) };
	if (d->idiag_family != AF_INET && d->idiag_family != AF_INET6)
		return;
	if (m->opt.hidden_socket && m->opt.hidden_socket(m->opt.hidden_ctx, d->idiag_inode))
		return;
	r.state = tcp_state_name(d->idiag_state);
	if (c->protocol == IPPROTO_UDP && d->idiag_state == TCP_ESTABLISHED)
		r.state = "ESTAB";
	format_inet(d->idiag_family, d->id.idiag_src, d->id.idiag_sport, false, r.local,
		    sizeof(r.local));
	format_inet(d->idiag_family, d->id.idiag_dst, d->id.idiag_dport, true, r.peer,
		    sizeof(r.peer));
	c->rows++;
	publish_socket(m, &r, c->keys, c->n_keys, c->t);
}

static void on_unix(struct monitor_snapshot *m, const struct nlmsghdr *h, void *vctx)
{
	struct dump_ctx *c = vctx;
	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(struct unix_diag_msg)))
		return;
	if (c->rows >= MAX_SOCKETS) {
		m->stats.rows_dropped++;
		return;
	}
	const struct unix_diag_msg *d = NLMSG_DATA(h);
	struct sock_row r = { .family = AF_UNIX, .sock_type = d->udiag_type, .ino = d->udiag_ino };
	r.netid = d->udiag_type == SOCK_STREAM ? "u_str" :
		  d->udiag_type == SOCK_DGRAM ? "u_dgr" : "u_seq";
	r.state = tcp_state_name(d->udiag_state);
	char name[110] = "*";
	unsigned long peer = 0;
	size_t attr_len = h->nlmsg_len - NLMSG_LENGTH(sizeof(*d));
	for (const struct rtattr *a = (const struct rtattr *)(const void *)(d + 1);
	     RTA_OK(a, attr_len); a = RTA_NEXT(a, attr_len)) {
		size_t plen = RTA_PAYLOAD(a);
		const char *p = RTA_DATA(a);
		if (a->rta_type == UNIX_DIAG_NAME && plen > 0) {
			size_t k = plen < sizeof(name) - 1 ? plen : sizeof(name) - 1;
			memcpy(name, p, k);
			name[k] = '\0';
			if (name[0] == '\0') {
				/* Abstract: shown as "@name" like ss does. */
				memmove(name + 1, p + 1, k > 1 ? k - 1 : 0);
				name[0] = '@';
				name[k] = '\0';
			}
			sanitize(name);
		} else if (a->rta_type == UNIX_DIAG_PEER && plen >= 4) {
			uint32_t v;
			memcpy(&v, p, 4);
			peer = v;
		} else if (a->rta_type == UNIX_DIAG_RQLEN && plen >= sizeof(struct unix_diag_rqlen)) {
			struct unix_diag_rqlen q;
			memcpy(&q, p, sizeof(q));
			r.rq = q.udiag_rqueue;
			r.wq = q.udiag_wqueue;
		}
	}
	snprintf(r.local, sizeof(r.local), "%s %lu", name, r.ino);
	if (peer)
		snprintf(r.peer, sizeof(r.peer), "* %lu", peer);
	else
		snprintf(r.peer, sizeof(r.peer), "* 0");
	c->rows++;
	publish_socket(m, &r, c->keys, c->n_keys, c->t);
}

static int publish_sockets(struct monitor_snapshot *m)
{
	if (m->diag_fd < 0)
		return 0;
	collect_owners(m);
	char **keys = calloc(MAX_SOCKETS, sizeof(char *));
	size_t n_keys = 0;
	uint64_t before = m->stats.socket_rows;
	if (!keys)
		return -ENOMEM;
	static const struct { const char *netid; int family, protocol, type; } inet[] = {
		{ "tcp", AF_INET, IPPROTO_TCP, SOCK_STREAM }, { "tcp", AF_INET6, IPPROTO_TCP, SOCK_STREAM },
		{ "udp", AF_INET, IPPROTO_UDP, SOCK_DGRAM }, { "udp", AF_INET6, IPPROTO_UDP, SOCK_DGRAM },
	};
	double t = now(m);
	for (size_t i = 0; i < sizeof(inet) / sizeof(inet[0]); i++) {
		struct {
			struct nlmsghdr nh;
			struct inet_diag_req_v2 r;
		} req;
		memset(&req, 0, sizeof(req));
		req.r.sdiag_family = (uint8_t)inet[i].family;
		req.r.sdiag_protocol = (uint8_t)inet[i].protocol;
		req.r.idiag_states = ~0u;
		struct dump_ctx c = { .netid = inet[i].netid, .protocol = inet[i].protocol,
				      .sock_type = inet[i].type, .keys = keys, .n_keys = &n_keys, .t = t };
		if (diag_dump(m, &req, sizeof(req), on_inet, &c) < 0)
			m->stats.diag_errors++;
	}
	struct {
		struct nlmsghdr nh;
		struct unix_diag_req r;
	} ureq;
	memset(&ureq, 0, sizeof(ureq));
	ureq.r.sdiag_family = AF_UNIX;
	ureq.r.udiag_states = ~0u;
	ureq.r.udiag_show = UDIAG_SHOW_NAME | UDIAG_SHOW_PEER | UDIAG_SHOW_RQLEN;
	struct dump_ctx uc = { .keys = keys, .n_keys = &n_keys, .t = t };
	if (diag_dump(m, &ureq, sizeof(ureq), on_unix, &uc) < 0)
		m->stats.diag_errors++;
	seen_replace(&m->seen_socks, keys, n_keys);
	return (int)(m->stats.socket_rows - before);
}

/* ---- set-up ------------------------------------------------------------- */

struct netns_job {
	int netns_fd;
	int fd;   /* result */
	int err;
};

static int open_diag_socket(void)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (fd < 0)
		return -errno;
	/* A dump that never ends must not freeze the run loop. */
	struct timeval tv = { .tv_sec = 1 };
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return fd;
}

/* Runs in a throw-away thread: setns() changes only the calling thread's
 * network namespace, and a netlink socket stays bound to the namespace it
 * was created in, so the fd keeps looking into the sandbox afterwards. */
static void *netns_thread(void *arg)
{
	struct netns_job *job = arg;
	if (setns(job->netns_fd, CLONE_NEWNET) < 0) {
		job->err = errno;
		return NULL;
	}
	job->fd = open_diag_socket();
	if (job->fd < 0) {
		job->err = -job->fd;
		job->fd = -1;
	}
	return NULL;
}

/* Without root, entering the sandbox's network namespace needs
 * CAP_SYS_ADMIN over it, which the caller has only inside the user
 * namespace that owns it (its own creation): a forked child joins that
 * user namespace, then the network namespace, opens the socket there and
 * hands the fd back over a socketpair.  The child is reaped here, before
 * the run loop (whose tracer reaps with waitpid(-1)) ever runs. */
static int diag_socket_via_userns(pid_t init_pid, int netns_fd)
{
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return -errno;
	pid_t pid = fork();
	if (pid < 0) {
		int e = errno;
		close(sv[0]);
		close(sv[1]);
		return -e;
	}
	if (pid == 0) {
		char path[64];
		snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)init_pid);
		int ufd = open(path, O_RDONLY | O_CLOEXEC);
		int fd = -1;
		if (ufd >= 0 && setns(ufd, CLONE_NEWUSER) == 0 && setns(netns_fd, CLONE_NEWNET) == 0)
			fd = open_diag_socket();
		int code = fd >= 0 ? 0 : (fd < 0 && ufd >= 0 ? EPERM : ENOENT);
		char byte = (char)code;
		struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
		union {
			char buf[CMSG_SPACE(sizeof(int))];
			struct cmsghdr align;
		} u;
		memset(&u, 0, sizeof(u));
		struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
		if (fd >= 0) {
			msg.msg_control = u.buf;
			msg.msg_controllen = sizeof(u.buf);
			struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
			c->cmsg_level = SOL_SOCKET;
			c->cmsg_type = SCM_RIGHTS;
			c->cmsg_len = CMSG_LEN(sizeof(int));
			memcpy(CMSG_DATA(c), &fd, sizeof(int));
		}
		_exit(sendmsg(sv[1], &msg, 0) == 1 ? 0 : 1);
	}
	close(sv[1]);
	char byte = 0;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
			      .msg_controllen = sizeof(u.buf) };
	ssize_t n = recvmsg(sv[0], &msg, MSG_CMSG_CLOEXEC);
	close(sv[0]);
	while (waitpid(pid, NULL, __WALL) < 0 && errno == EINTR)
		;
	struct cmsghdr *c = n == 1 ? CMSG_FIRSTHDR(&msg) : NULL;
	if (!c || c->cmsg_type != SCM_RIGHTS)
		return -(byte ? byte : EPERM);
	int fd;
	memcpy(&fd, CMSG_DATA(c), sizeof(int));
	return fd;
}

int monitor_snapshot_new(struct monitor_snapshot **out, const struct monitor_snapshot_options *opt,
			 char *err, size_t errlen)
{
	struct monitor_snapshot *m = calloc(1, sizeof(*m));
	*out = NULL;
	if (!m) {
		snprintf(err, errlen, "snapshots: out of memory");
		return -ENOMEM;
	}
	m->opt = *opt;
	m->diag_fd = -1;
	m->timer_fd = m->wake_fd = m->done_fd = -1;
	int rc = ns_link(opt->init_host_pid, "pid", m->pidns, sizeof(m->pidns));
	if (rc < 0) {
		snprintf(err, errlen, "snapshots: /proc/%d/ns/pid: %s", (int)opt->init_host_pid,
			 strerror(-rc));
		free(m);
		return rc;
	}
	char status[4096];
	long ns[16];
	m->nspid_level = read_small("/proc/self/status", status, sizeof(status)) > 0 ?
			 nspid_entries(status, ns, 16) : 1;
	if (opt->netns_fd >= 0) {
		struct netns_job job = { .netns_fd = opt->netns_fd, .fd = -1 };
		pthread_t th;
		int e = pthread_create(&th, NULL, netns_thread, &job);
		if (e == 0)
			pthread_join(th, NULL);
		else
			job.err = e;
		if (job.fd < 0 && job.err == EPERM) {
			int fd = diag_socket_via_userns(opt->init_host_pid, opt->netns_fd);
			if (fd >= 0)
				job.fd = fd;
			else
				job.err = -fd;
		}
		m->diag_fd = job.fd;
		m->own_netns = true;
		if (m->diag_fd < 0)
			snprintf(err, errlen, "socket snapshots disabled: cannot enter the sandbox network namespace: %s",
				 strerror(job.err));
	} else {
		m->diag_fd = open_diag_socket();
		if (m->diag_fd < 0) {
			snprintf(err, errlen, "socket snapshots disabled: NETLINK_SOCK_DIAG: %s",
				 strerror(-m->diag_fd));
			m->diag_fd = -1;
		}
	}
	*out = m;
	return 0;
}

int monitor_snapshot_take(struct monitor_snapshot *m)
{
	int procs = publish_processes(m);
	if (procs < 0)
		return procs;
	if (stopping(m))
		return procs;
	int socks = publish_sockets(m);
	m->stats.snapshots++;
	return procs + (socks > 0 ? socks : 0);
}

size_t monitor_snapshot_host_pids(const struct monitor_snapshot *m, const pid_t **pids)
{
	*pids = m->host_pids;
	return m->n_host_pids;
}

bool monitor_snapshot_sockets_enabled(const struct monitor_snapshot *m)
{
	return m->diag_fd >= 0;
}

const struct monitor_snapshot_stats *monitor_snapshot_get_stats(const struct monitor_snapshot *m)
{
	return &m->stats;
}

/* ---- the snapshot thread ------------------------------------------------ */

/* Why a thread: reading /proc/PID/cmdline takes the target's mmap lock,
 * which fork() holds while it copies the address space; a fork bomb
 * makes every read wait (16 processes: 7.5 s per snapshot).  The run loop
 * that enforces the window and answers SIGINT must never wait for that:
 * it only asks, and this thread waits instead. */
static void *snapshot_thread(void *arg)
{
	struct monitor_snapshot *m = arg;
	uint64_t v;
	while (!stopping(m)) {
		struct pollfd p[2] = { { .fd = m->timer_fd, .events = POLLIN },
				       { .fd = m->wake_fd, .events = POLLIN } };
		if (poll(p, 2, -1) < 0 && errno != EINTR)
			break;
		if (stopping(m))
			break;
		if (p[0].revents & POLLIN)
			(void)!read(m->timer_fd, &v, sizeof(v));
		if (p[1].revents & POLLIN)
			(void)!read(m->wake_fd, &v, sizeof(v));
		bool asked = __atomic_exchange_n(&m->requested, 0, __ATOMIC_ACQ_REL) != 0;
		if (!(p[0].revents & POLLIN) && !asked)
			continue;
		monitor_snapshot_take(m);
		if (asked) {
			v = 1;
			(void)!write(m->done_fd, &v, sizeof(v));
		}
	}
	return NULL;
}

static void close_thread_fds(struct monitor_snapshot *m)
{
	int *fds[3] = { &m->timer_fd, &m->wake_fd, &m->done_fd };
	for (int i = 0; i < 3; i++)
		if (*fds[i] >= 0) {
			close(*fds[i]);
			*fds[i] = -1;
		}
}

int monitor_snapshot_start(struct monitor_snapshot *m, double first_s, double interval_s)
{
	if (m->thread_on)
		return 0;
	m->timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	m->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	m->done_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (m->timer_fd < 0 || m->wake_fd < 0 || m->done_fd < 0) {
		int e = errno;
		close_thread_fds(m);
		return -e;
	}
	struct itimerspec its = { 0 };
	if (first_s < 0.001)
		first_s = 0.001;
	its.it_value.tv_sec = (time_t)first_s;
	its.it_value.tv_nsec = (long)((first_s - (double)(time_t)first_s) * 1e9);
	its.it_interval.tv_sec = (time_t)interval_s;
	its.it_interval.tv_nsec = (long)((interval_s - (double)(time_t)interval_s) * 1e9);
	if (timerfd_settime(m->timer_fd, 0, &its, NULL) < 0) {
		int e = errno;
		close_thread_fds(m);
		return -e;
	}
	/* No signal for this thread: they are the run loop's business. */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	int rc = pthread_create(&m->thread, NULL, snapshot_thread, m);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		close_thread_fds(m);
		return -rc;
	}
	m->thread_on = true;
	return 0;
}

int monitor_snapshot_request(struct monitor_snapshot *m)
{
	if (!m->thread_on)
		return -EINVAL;
	uint64_t v;
	while (read(m->done_fd, &v, sizeof(v)) > 0)
		; /* an answer to an older request is not this one's */
	__atomic_store_n(&m->requested, 1, __ATOMIC_RELEASE);
	v = 1;
	return write(m->wake_fd, &v, sizeof(v)) == (ssize_t)sizeof(v) ? 0 : -errno;
}

int monitor_snapshot_done_fd(const struct monitor_snapshot *m)
{
	return m && m->thread_on ? m->done_fd : -1;
}

void monitor_snapshot_stop(struct monitor_snapshot *m)
{
	if (!m || !m->thread_on || m->orphaned)
		return;
	__atomic_store_n(&m->stop, 1, __ATOMIC_RELEASE);
	uint64_t v = 1;
	(void)!write(m->wake_fd, &v, sizeof(v));
	/* At most the one /proc read in progress: the caller killed the
	 * sandbox first, and a dead process's files answer at once.  Should
	 * one not (a process that could not be killed), the audit does not
	 * wait for it: the thread keeps m, and publishes nothing more. */
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += STOP_WAIT_S;
	if (pthread_timedjoin_np(m->thread, NULL, &until) != 0) {
		pthread_detach(m->thread);
		m->orphaned = true;
		return;
	}
	m->thread_on = false;
	close_thread_fds(m);
}

void monitor_snapshot_free(struct monitor_snapshot *m)
{
	if (!m)
		return;
	monitor_snapshot_stop(m);
	if (m->orphaned)
		return; /* still the thread's: a leak, not a use after free */
	if (m->diag_fd >= 0)
		close(m->diag_fd);
	seen_free(&m->seen_procs);
	seen_free(&m->seen_socks);
	free(m->procs);
	free(m->host_pids);
	free(m->owners);
	free(m);
}

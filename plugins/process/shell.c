/*
 * shell.c — shell -c strings and inline code: words, dangers, sockets, curl | sh
 */
#include "process.h"

/* ---- words of a shell -c string -------------------------------------- */

bool is_separator_word(const char *w)
{
	return w[0] && !w[1] && strchr(";&|()`", w[0]);
}

void split_words(const char *script, struct words *out)
{
	size_t used = 0;
	out->n = 0;
	for (const char *p = script; p && *p && out->n < 256;) {
		if (strchr(" \t\n\r'\"\\", *p)) {
			p++;
			continue;
		}
		size_t start = used;
		if (strchr(";&|()`<>", *p) || (p[0] == '$' && p[1] == '(')) {
			if (*p == '$')
				p++;
			if (used + 2 >= sizeof(out->buf))
				return;
			out->buf[used++] = *p++;
		} else {
			while (*p && !strchr(" \t\n\r'\"\\;&|()`<>", *p) && !(p[0] == '$' && p[1] == '(')) {
				if (used + 1 < sizeof(out->buf))
					out->buf[used++] = *p;
				p++;
			}
			if (used + 1 >= sizeof(out->buf))
				return;
		}
		out->buf[used++] = '\0';
		out->w[out->n++] = out->buf + start;
	}
}

bool in_version_list(const char *base, const char *const *list)
{
	for (; *list; list++)
		if (same_program(base, *list))
			return true;
	return false;
}

bool is_net_tool(const char *name)
{
	return in_version_list(da_prog_base_name(name), net_tools);
}

size_t command_word(const struct words *ws, size_t i)
{
	while (i < ws->n && !is_separator_word(ws->w[i])) {
		const char *w = ws->w[i];
		size_t name_len = strspn(w, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");
		if (name_len > 0 && w[name_len] == '=') {
			i++;
			continue;
		}
		if (strcmp(w, "exec") == 0 || strcmp(w, "nohup") == 0 || strcmp(w, "command") == 0 ||
		    strcmp(w, "time") == 0 || strcmp(w, "sudo") == 0 || strcmp(w, "env") == 0 ||
		    strcmp(w, "xargs") == 0 || strcmp(w, "nice") == 0) {
			i++;
			continue;
		}
		if (strcmp(w, "timeout") == 0) {
			i += 2;
			continue;
		}
		break;
	}
	return i;
}

/* The -c string names program applet as a command. */
bool script_names(const char *script, const char *applet)
{
	struct words ws;
	split_words(script, &ws);
	for (size_t i = 0; i < ws.n;) {
		size_t c = command_word(&ws, i);
		if (c < ws.n && !is_separator_word(ws.w[c]) && same_program(applet, da_prog_base_name(ws.w[c])))
			return true;
		i = c;
		while (i < ws.n && !is_separator_word(ws.w[i]))
			i++;
		i++;
	}
	return false;
}

static bool is_home_or_root(const char *w)
{
	static const char *const targets[] = {
		"/", "/*", "~", "~/", "~/*", "$HOME", "$HOME/", "$HOME/*", "${HOME}", "${HOME}/",
		"${HOME}/*", "/root", "/root/", "/root/*", "/home", "/home/", "/home/*", NULL};
	return in_list(w, targets);
}

/*
 * shell_danger — what makes a shell -c string more than a plain command:
 * a network tool, /dev/tcp, decoded data run as code, an interactive
 * shell, rm -rf of the home or root directory, a setuid bit.  Returns a
 * static phrase, or NULL for a string that only runs ordinary programs.
 */
const char *shell_danger(const char *script)
{
	if (strstr(script, "/dev/tcp/") || strstr(script, "/dev/udp/"))
		return "a /dev/tcp or /dev/udp connection";
	struct words ws;
	split_words(script, &ws);
	bool decoded = false, evals = false;
	for (size_t i = 0; i < ws.n; i++) {
		if (is_separator_word(ws.w[i]))
			continue;
		if (is_net_tool(ws.w[i]))
			return "a network tool";
	}
	for (size_t i = 0; i < ws.n;) {
		size_t c = command_word(&ws, i);
		size_t end = c;
		while (end < ws.n && !is_separator_word(ws.w[end]))
			end++;
		if (c < end) {
			const char *cmd = da_prog_base_name(ws.w[c]);
			bool shell = da_prog_is_shell(cmd);
			evals |= strcmp(cmd, "eval") == 0 || strcmp(cmd, "source") == 0;
			bool rm = strcmp(cmd, "rm") == 0, recursive = false, force = false, home = false;
			for (size_t a = c + 1; a < end; a++) {
				const char *w = ws.w[a];
				bool opt = w[0] == '-' && w[1] && w[1] != '-';
				if ((strcmp(cmd, "base64") == 0 || strcmp(cmd, "openssl") == 0 ||
				     strcmp(cmd, "basenc") == 0) &&
				    (strcmp(w, "-d") == 0 || strcmp(w, "-D") == 0 || strcmp(w, "--decode") == 0))
					decoded = true;
				if (strcmp(cmd, "xxd") == 0 && opt && strchr(w, 'r'))
					decoded = true;
				if (shell && opt && strchr(w, 'i'))
					return "an interactive shell";
				if (rm && opt) {
					recursive |= strchr(w, 'r') || strchr(w, 'R');
					force |= strchr(w, 'f') != NULL;
				}
				if (rm && (strcmp(w, "--recursive") == 0))
					recursive = true;
				if (rm && is_home_or_root(w))
					home = true;
				if (strcmp(cmd, "chmod") == 0 &&
				    (strstr(w, "+s") || (strlen(w) == 4 && strspn(w, "01234567") == 4 &&
							 strchr("2467", w[0]))))
					return "a setuid or setgid bit";
			}
			if (rm && recursive && force && home)
				return "deleting the home or root directory";
			/* decoded data piped into a shell or an interpreter, or eval'd */
			if (decoded && (shell || in_version_list(cmd, code_interpreters) ||
					strcmp(cmd, "eval") == 0 || strcmp(cmd, "source") == 0 ||
					strcmp(cmd, ".") == 0))
				return "decoded data run as code";
		}
		i = end + 1;
	}
	return decoded && evals ? "decoded data run as code" : NULL;
}

/*
 * inline_code — the code an interpreter exec runs from its command line
 * (python -c CODE, perl/ruby/lua -e CODE, node -e/--eval/-p CODE, php -r
 * CODE), or NULL.  Options after the first script argument are the
 * script's, not the interpreter's.
 */
static const char *inline_code(const struct da_event *ev, const char *applet)
{
	if (!ev->argv || !in_version_list(applet, code_interpreters))
		return NULL;
	bool python = strncmp(applet, "python", 6) == 0 || strncmp(applet, "pypy", 4) == 0;
	bool node = strncmp(applet, "node", 4) == 0;
	char letter = python ? 'c' : strcmp(applet, "php") == 0 ? 'r' : 'e';
	for (int i = 1; i < ev->argc; i++) {
		const char *a = ev->argv[i];
		if (!a || a[0] != '-')
			return NULL; /* the script: what follows are its arguments */
		const char *next = i + 1 < ev->argc ? ev->argv[i + 1] : NULL;
		if (node && (strcmp(a, "--eval") == 0 || strcmp(a, "--print") == 0 || strcmp(a, "-p") == 0))
			return next;
		if (node && strncmp(a, "--eval=", 7) == 0)
			return a + 7;
		if (a[1] == '-' || !a[1])
			continue;
		size_t len = strlen(a);
		if (strspn(a + 1, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") != len - 1)
			continue; /* -W ignore, -X dev... */
		char last = a[len - 1];
		if (last == letter || (letter == 'e' && last == 'E'))
			return next;
		if (python && strchr(a, 'm'))
			return NULL; /* python -m module */
	}
	return NULL;
}

/* Python's multiprocessing starts its helpers with -c: not the program's code. */
static bool multiprocessing_helper(const char *code)
{
	static const char *const helpers[] = {
		"from multiprocessing.resource_tracker import main",
		"from multiprocessing.semaphore_tracker import main",
		"from multiprocessing.forkserver import main",
		"from multiprocessing.spawn import spawn_main", NULL};
	while (*code == ' ' || *code == '\n')
		code++;
	for (const char *const *h = helpers; *h; h++)
		if (strncmp(code, *h, strlen(*h)) == 0)
			return true;
	return false;
}

/* Inline code doing what droppers and reverse shells do. */
static bool code_danger(const char *code)
{
	static const char *const marks[] = {
		"base64", "b64decode", "decode(", "exec(", "eval(", "socket", "Socket", "subprocess",
		"os.system", "os.popen", "os.exec", "os.dup2", "pty.spawn", "urllib", "urlopen",
		"requests.", "http.client", "connect", "child_process", "fsockopen", "system(",
		"__import__", "marshal.loads", "zlib.decompress", "ctypes", "/dev/tcp", NULL};
	for (const char *const *m = marks; *m; m++)
		if (strstr(code, *m))
			return true;
	return false;
}

/* The code for a message: newlines shown as "; ", bounded. */
static void code_excerpt(const char *code, char *out, size_t outlen)
{
	size_t used = 0;
	for (const char *p = code; *p && used + 3 < outlen; p++) {
		if (*p == '\n' || *p == '\r') {
			if (p[1] && used && out[used - 1] != ' ') {
				out[used++] = ';';
				out[used++] = ' ';
			}
			continue;
		}
		out[used++] = *p;
	}
	out[used] = '\0';
	if (used + 3 >= outlen && outlen > 4)
		memcpy(out + outlen - 4, "...", 4);
}

/* The script a shell runs: the word after -c (or -ec, -lc ...). */
const char *shell_script(const struct da_event *ev)
{
	/* options come before the first operand: in `bash SCRIPT -c x` the -c
	 * is SCRIPT's argument (an `#!/usr/bin/env bash` script run with -c) */
	for (int i = 1; i + 1 < ev->argc && ev->argv; i++) {
		const char *a = ev->argv[i];
		if (!a || (a[0] != '-' && a[0] != '+') || strcmp(a, "--") == 0 || strcmp(a, "-") == 0)
			return NULL;
		if (a[0] == '-' && a[1] != '-' && strchr(a, 'c'))
			return ev->argv[i + 1];
		if (!strcmp(a, "-o") || !strcmp(a, "+o") || !strcmp(a, "-O") || !strcmp(a, "+O") ||
		    !strcmp(a, "--rcfile") || !strcmp(a, "--init-file"))
			i++; /* the option's value */
	}
	return NULL;
}

/* The first operand of a shell's argv (the script file it runs), or NULL. */
const char *shell_operand(const struct da_event *ev)
{
	for (int i = 1; i < ev->argc && ev->argv; i++) {
		const char *a = ev->argv[i];
		if (!a)
			return NULL;
		if (!strcmp(a, "--"))
			return i + 1 < ev->argc ? ev->argv[i + 1] : NULL;
		if (a[0] != '-' && a[0] != '+')
			return a;
		if (a[0] == '-' && a[1] != '-' && strchr(a, 'c'))
			return NULL; /* -c: a command string, no script file */
		if (!strcmp(a, "-o") || !strcmp(a, "+o") || !strcmp(a, "-O") || !strcmp(a, "+O") ||
		    !strcmp(a, "--rcfile") || !strcmp(a, "--init-file"))
			i++;
	}
	return NULL;
}

/* stdin or stdout of the exec'd program is a network socket
 * ("socket:inet/stream->...", "socket:inet6/..."): a unix socketpair is how
 * node/libuv and others wire a child's stdio, not a remote peer. */
bool stdio_on_inet_socket(const struct da_event *ev)
{
	for (int i = 0; i < 2; i++)
		if (ev->stdio[i] && strncmp(ev->stdio[i], "socket:inet", 11) == 0)
			return true;
	return false;
}

/* Whether p, or a process it descends from, accepted an inet connection
 * before now: what it runs may be what a client sent (remote command
 * execution).  Bounded walk: a pid loop cannot hang it. */
static bool serves_network(struct state *st, const struct proc *p)
{
	for (int depth = 0; p && depth < 64; depth++) {
		if (p->served)
			return true;
		p = p->ppid > 0 && p->ppid != p->pid ? proc_find(st, p->ppid) : NULL;
	}
	return false;
}

/* Report a shell's -c string: low when it only runs ordinary programs,
 * high when it reaches the network, runs decoded data, opens an
 * interactive shell, wipes home or root or sets a setuid bit.  Programs it
 * names are covered by this finding (see the cover of struct proc). */
void report_shell_script(struct state *st, const struct da_event *ev, const char *applet,
			 const char *script, struct proc *p)
{
	const char *danger = shell_danger(script);
	const char *name = (ev->argc > 0 && ev->argv && ev->argv[0]) ? da_prog_base_name(ev->argv[0]) : applet;
	const struct proc *parent = p && p->ppid > 0 ? proc_find(st, p->ppid) : NULL;
	char chain[256];
	enum da_severity chain_sev;
	bool served = serves_network(st, p) || serves_network(st, parent);
	bool fed = ev->arg[3] == 1; /* live: its stdin, a file, was read first */
	if (!danger && (served || fed))
		report(st, "process.shell", DA_SEV_HIGH, ev,
		       "Treat as a backdoor unless the assignment asks for it: a program that runs a shell once it got input executes what its input says.",
		       "Spawns a shell after %s (remote command execution): %s -c '%.200s'",
		       served ? "accepting a network connection" : "reading its input", name, script);
	else if (danger)
		report(st, "process.shell", DA_SEV_HIGH, ev,
		       "Find out what the command does: it goes beyond running ordinary programs.",
		       "Spawns a shell running %s: %s -c '%.200s'", danger, name, script);
	else if ((chain_sev = shell_chain(st, ev, script, chain, sizeof(chain))) > DA_SEV_LOW)
		report(st, "process.shell", chain_sev, ev,
		       "Find out why the program waits before running this: a delay, a hidden file and a survey of the machine are a dropper's steps.",
		       "Spawns a shell%s: %s -c '%.200s'", chain, name, script);
	else /* os.system("clear"), shell=True: a habit, not an attack */
		report(st, "process.shell", DA_SEV_LOW, ev,
		       "Prefer running programs directly over a shell command string; add the shell to allow_exec if it is expected.",
		       "Spawns a shell: %s -c '%.200s'", name, script);
	if (p)
		set_str(&p->cover, script);
}

/* A child running code given on its command line (python -c, perl -e...). */
bool check_inline_code(struct state *st, const struct da_event *ev, const char *applet,
		       bool setup, bool allowed_explicitly)
{
	const char *code = inline_code(ev, applet);
	if (!code || multiprocessing_helper(code))
		return false;
	bool danger = code_danger(code);
	/* inline code started by a server that accepted a client: remote
	 * command execution, whatever the code */
	bool remote = !setup && (serves_network(st, proc_find(st, ev->pid)) || ev->arg[3] == 1);
	if (!danger && !remote && allowed_explicitly)
		return false;
	char excerpt[220];
	code_excerpt(code, excerpt, sizeof(excerpt));
	enum da_severity sev = danger || remote ? DA_SEV_HIGH : setup ? DA_SEV_INFO : DA_SEV_MEDIUM;
	report(st, "process.inline_code", sev, ev,
	       danger ? "Read the code: inline code that decodes, evaluates, spawns or connects is a dropper pattern."
	       : remote ? "Treat as a backdoor unless the assignment asks for it: a server running code once a client connected executes what the network sends."
		      : "Check why the program runs code from a command line instead of its own files.",
	       "Runs inline %s code%s: %s", applet,
	       danger ? " that decodes, spawns or connects"
	       : remote ? " after accepting a network connection (remote command execution)" : "", excerpt);
	return true;
}

/* Remember the two ends of a `curl URL | sh` pipeline (siblings: same
 * parent): a shell reading its script from a pipe, a downloader writing
 * one.  Matched at the end (the shell's exec may come first). */
void note_piped(struct state *st, const struct da_event *ev, const char *applet,
		const char *script, bool is_shell)
{
	if (ev->err || ev->ppid <= 0)
		return;
	struct piped *slot = NULL;
	if (is_shell && !script && ev->stdio[0] && strcmp(ev->stdio[0], "pipe") == 0) {
		bool plain = true;
		for (int i = 1; i < ev->argc && ev->argv; i++)
			if (!ev->argv[i] || (strcmp(ev->argv[i], "-s") != 0 && strcmp(ev->argv[i], "-") != 0))
				plain = false;
		if (plain && st->n_pipe_shells < MAX_PIPED)
			slot = &st->pipe_shells[st->n_pipe_shells++];
	} else if (is_net_tool(applet) && ev->stdio[1] && strcmp(ev->stdio[1], "pipe") == 0 &&
		   st->n_downloads < MAX_PIPED) {
		slot = &st->downloads[st->n_downloads++];
	}
	if (!slot)
		return;
	slot->pid = ev->pid;
	slot->ppid = ev->ppid;
	slot->t = ev->time_s;
	slot->text = ev->text ? strdup(ev->text) : NULL;
	slot->name = strdup(applet);
}

/* Whether a shell -c string reaches the network (a network tool, /dev/tcp). */
bool script_uses_network(const char *script)
{
	if (strstr(script, "/dev/tcp/") || strstr(script, "/dev/udp/"))
		return true;
	struct words ws;
	split_words(script, &ws);
	for (size_t i = 0; i < ws.n; i++)
		if (!is_separator_word(ws.w[i]) && is_net_tool(ws.w[i]))
			return true;
	return false;
}

/* `curl URL | sh`: a shell of the target reading its commands from a pipe
 * while a sibling downloads into one (a shell not already reported). */
void report_piped_downloads(struct state *st)
{
	for (size_t i = 0; i < st->n_pipe_shells; i++) {
		const struct piped *s = &st->pipe_shells[i];
		for (size_t j = 0; j < st->n_downloads; j++) {
			const struct piped *d = &st->downloads[j];
			if (d->ppid != s->ppid || d->pid == s->pid || d->t - s->t > 2.0 || s->t - d->t > 2.0)
				continue;
			const char *evidence[2] = {d->text, s->text};
			char message[200];
			snprintf(message, sizeof(message),
				 "Runs downloaded commands: a shell reads its script from a pipe fed by %s",
				 d->name ? d->name : "a download");
			if (!d->text)
				evidence[0] = s->text;
			da_emit_finding(st->host, "process.shell", DA_SEV_HIGH, message, s->pid, s->t,
					evidence, (d->text ? 1u : 0u) + (s->text ? 1u : 0u),
					"Treat as a dropper: commands fetched at run time are not the submission's code.");
			if (st->n_flagged++ == 0)
				snprintf(st->first_flagged, sizeof(st->first_flagged), "%.199s", message);
			break;
		}
	}
}


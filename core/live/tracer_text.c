/*
 * tracer_text.c — strace-style text of traced syscalls.  See tracer_text.h.
 */
#include "live/tracer_text.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>

#ifndef AT_FDCWD
#define AT_FDCWD -100
#endif

void stext_printf(struct stext *t, const char *fmt, ...)
{
	if (t->len >= sizeof(t->buf) - 1)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(t->buf + t->len, sizeof(t->buf) - t->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		t->len += (size_t)n < sizeof(t->buf) - t->len ? (size_t)n : sizeof(t->buf) - 1 - t->len;
}

void stext_char(struct stext *t, char ch)
{
	if (t->len < sizeof(t->buf) - 1) {
		t->buf[t->len++] = ch;
		t->buf[t->len] = '\0';
	}
}

/* A quoted C string as strace prints it (escapes, "..." when cut). */
void stext_str(struct stext *t, const char *s, bool trunc, size_t max)
{
	static const char hex[] = "0123456789abcdef";
	if (!s) {
		stext_printf(t, "NULL");
		return;
	}
	stext_char(t, '"');
	size_t i = 0;
	for (; s[i] && i < max; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch == '"' || ch == '\\') {
			stext_char(t, '\\');
			stext_char(t, (char)ch);
		} else if (ch == '\n') {
			stext_char(t, '\\');
			stext_char(t, 'n');
		} else if (ch == '\t') {
			stext_char(t, '\\');
			stext_char(t, 't');
		} else if (ch < 0x20 || ch >= 0x7f) {
			stext_char(t, '\\');
			stext_char(t, 'x');
			stext_char(t, hex[ch >> 4]);
			stext_char(t, hex[ch & 15]);
		} else {
			stext_char(t, (char)ch);
		}
	}
	stext_char(t, '"');
	if (trunc || s[i])
		stext_printf(t, "...");
}

void stext_dirfd(struct stext *t, int64_t fd)
{
	if ((int)fd == AT_FDCWD)
		stext_printf(t, "AT_FDCWD");
	else
		stext_printf(t, "%d", (int)fd);
}

void stext_flags(struct stext *t, uint64_t v, const struct stext_flag *names, const char *zero)
{
	bool first = true;
	for (const struct stext_flag *f = names; f->name; f++) {
		if ((v & f->bit) == f->bit && f->bit) {
			stext_printf(t, "%s%s", first ? "" : "|", f->name);
			v &= ~f->bit;
			first = false;
		}
	}
	if (v)
		stext_printf(t, "%s%#llx", first ? "" : "|", (unsigned long long)v);
	else if (first)
		stext_printf(t, "%s", zero);
}

static const struct stext_flag stext_open_flag_names[] = {
	{ O_CREAT, "O_CREAT" }, { O_EXCL, "O_EXCL" }, { O_NOCTTY, "O_NOCTTY" },
	{ O_TRUNC, "O_TRUNC" }, { O_APPEND, "O_APPEND" }, { O_NONBLOCK, "O_NONBLOCK" },
	{ O_DSYNC, "O_DSYNC" }, { O_DIRECT, "O_DIRECT" }, { O_LARGEFILE, "O_LARGEFILE" },
	{ O_DIRECTORY, "O_DIRECTORY" }, { O_NOFOLLOW, "O_NOFOLLOW" }, { O_NOATIME, "O_NOATIME" },
	{ O_CLOEXEC, "O_CLOEXEC" }, { O_PATH, "O_PATH" }, { __O_TMPFILE, "O_TMPFILE" },
	{ 0, NULL },
};

void stext_open_flags(struct stext *t, uint64_t flags)
{
	uint64_t acc = flags & O_ACCMODE;
	stext_printf(t, "%s", acc == O_RDONLY ? "O_RDONLY" : acc == O_WRONLY ? "O_WRONLY"
		 : acc == O_RDWR ? "O_RDWR" : "O_ACCMODE");
	uint64_t rest = flags & ~(uint64_t)O_ACCMODE;
	if (rest & O_PATH)
		rest &= ~(uint64_t)O_LARGEFILE; /* glibc adds it; strace hides it */
	if (rest) {
		stext_printf(t, "|");
		stext_flags(t, rest, stext_open_flag_names, "0");
	}
}

const struct stext_flag stext_clone_flags[] = {
	{ CLONE_VM, "CLONE_VM" }, { CLONE_FS, "CLONE_FS" }, { CLONE_FILES, "CLONE_FILES" },
	{ CLONE_SIGHAND, "CLONE_SIGHAND" }, { CLONE_PIDFD, "CLONE_PIDFD" },
	{ CLONE_PTRACE, "CLONE_PTRACE" }, { CLONE_VFORK, "CLONE_VFORK" },
	{ CLONE_PARENT, "CLONE_PARENT" }, { CLONE_THREAD, "CLONE_THREAD" },
	{ CLONE_NEWNS, "CLONE_NEWNS" }, { CLONE_SYSVSEM, "CLONE_SYSVSEM" },
	{ CLONE_SETTLS, "CLONE_SETTLS" }, { CLONE_PARENT_SETTID, "CLONE_PARENT_SETTID" },
	{ CLONE_CHILD_CLEARTID, "CLONE_CHILD_CLEARTID" }, { 0x00800000, "CLONE_UNTRACED" },
	{ CLONE_CHILD_SETTID, "CLONE_CHILD_SETTID" }, { CLONE_NEWCGROUP, "CLONE_NEWCGROUP" },
	{ CLONE_NEWUTS, "CLONE_NEWUTS" }, { CLONE_NEWIPC, "CLONE_NEWIPC" },
	{ CLONE_NEWUSER, "CLONE_NEWUSER" }, { CLONE_NEWPID, "CLONE_NEWPID" },
	{ CLONE_NEWNET, "CLONE_NEWNET" }, { CLONE_IO, "CLONE_IO" },
	{ 0, NULL },
};

const struct stext_flag stext_ns_flags[] = {
	{ CLONE_NEWNS, "CLONE_NEWNS" }, { CLONE_NEWCGROUP, "CLONE_NEWCGROUP" },
	{ CLONE_NEWUTS, "CLONE_NEWUTS" }, { CLONE_NEWIPC, "CLONE_NEWIPC" },
	{ CLONE_NEWUSER, "CLONE_NEWUSER" }, { CLONE_NEWPID, "CLONE_NEWPID" },
	{ CLONE_NEWNET, "CLONE_NEWNET" }, { 0x80, "CLONE_NEWTIME" },
	{ 0, NULL },
};

const struct stext_flag stext_prot_flags[] = {
	{ PROT_READ, "PROT_READ" }, { PROT_WRITE, "PROT_WRITE" }, { PROT_EXEC, "PROT_EXEC" },
	{ 0, NULL },
};

static const char *family_macro(int fam)
{
	switch (fam) {
	case AF_UNIX: return "AF_UNIX";
	case AF_INET: return "AF_INET";
	case AF_INET6: return "AF_INET6";
	case AF_NETLINK: return "AF_NETLINK";
	case AF_PACKET: return "AF_PACKET";
	default: return NULL;
	}
}

static const char *socktype_macro(int type)
{
	switch (type & 0xf) {
	case SOCK_STREAM: return "SOCK_STREAM";
	case SOCK_DGRAM: return "SOCK_DGRAM";
	case SOCK_RAW: return "SOCK_RAW";
	case SOCK_SEQPACKET: return "SOCK_SEQPACKET";
	default: return NULL;
	}
}

void stext_family(struct stext *t, int fam)
{
	const char *m = family_macro(fam);
	if (m)
		stext_printf(t, "%s", m);
	else
		stext_printf(t, "%d", fam);
}

void stext_socktype(struct stext *t, uint64_t type)
{
	const char *m = socktype_macro((int)type);
	if (m)
		stext_printf(t, "%s", m);
	else
		stext_printf(t, "%d", (int)(type & 0xf));
	if (type & SOCK_CLOEXEC)
		stext_printf(t, "|SOCK_CLOEXEC");
	if (type & SOCK_NONBLOCK)
		stext_printf(t, "|SOCK_NONBLOCK");
}

void stext_sockaddr(struct stext *t, const struct sc_call *c)
{
	char addr[160];
	int port;
	sa_family_t fam;
	if (c->salen < sizeof(fam)) {
		stext_printf(t, "NULL");
		return;
	}
	memcpy(&fam, c->sa, sizeof(fam));
	tracer_sockaddr_text(c->sa, c->salen, addr, sizeof(addr), &port);
	if (fam == AF_INET) {
		char *colon = strrchr(addr, ':');
		if (colon)
			*colon = '\0';
		stext_printf(t, "{sa_family=AF_INET, sin_port=htons(%d), sin_addr=inet_addr(\"%s\")}", port, addr);
	} else if (fam == AF_INET6) {
		char *end = strrchr(addr, ']');
		if (end)
			*end = '\0';
		stext_printf(t, "{sa_family=AF_INET6, sin6_port=htons(%d), sin6_flowinfo=htonl(0), "
		      "inet_pton(AF_INET6, \"%s\", &sin6_addr), sin6_scope_id=0}", port, addr + 1);
	} else if (fam == AF_UNIX) {
		stext_printf(t, "{sa_family=AF_UNIX, sun_path=");
		stext_str(t, addr[0] == '@' ? addr + 1 : addr, false, TRACER_STR_MAX);
		if (addr[0] == '@')
			stext_printf(t, " (abstract)");
		stext_printf(t, "}");
	} else {
		stext_printf(t, "{sa_family=");
		stext_family(t, fam);
		stext_printf(t, ", ...}");
	}
}

const char *tracer_signal_name(int sig)
{
	static const char *const names[] = {
		[SIGHUP] = "SIGHUP", [SIGINT] = "SIGINT", [SIGQUIT] = "SIGQUIT", [SIGILL] = "SIGILL",
		[SIGTRAP] = "SIGTRAP", [SIGABRT] = "SIGABRT", [SIGBUS] = "SIGBUS", [SIGFPE] = "SIGFPE",
		[SIGKILL] = "SIGKILL", [SIGUSR1] = "SIGUSR1", [SIGSEGV] = "SIGSEGV",
		[SIGUSR2] = "SIGUSR2", [SIGPIPE] = "SIGPIPE", [SIGALRM] = "SIGALRM",
		[SIGTERM] = "SIGTERM", [SIGSTKFLT] = "SIGSTKFLT", [SIGCHLD] = "SIGCHLD",
		[SIGCONT] = "SIGCONT", [SIGSTOP] = "SIGSTOP", [SIGTSTP] = "SIGTSTP",
		[SIGTTIN] = "SIGTTIN", [SIGTTOU] = "SIGTTOU", [SIGURG] = "SIGURG",
		[SIGXCPU] = "SIGXCPU", [SIGXFSZ] = "SIGXFSZ", [SIGVTALRM] = "SIGVTALRM",
		[SIGPROF] = "SIGPROF", [SIGWINCH] = "SIGWINCH", [SIGIO] = "SIGIO",
		[SIGPWR] = "SIGPWR", [SIGSYS] = "SIGSYS",
	};
	if (sig > 0 && (size_t)sig < sizeof(names) / sizeof(names[0]) && names[sig])
		return names[sig];
	if (sig >= SIGRTMIN && sig <= SIGRTMAX)
		return "SIGRT";
	return sig == 0 ? "0" : "SIG?";
}

void stext_result(struct stext *t, const struct sc_call *c)
{
	if (!c->has_result) {
		stext_printf(t, " = ?");
		return;
	}
	if (c->ret >= 0) {
		if (c->row && (c->row->id == SC_MMAP))
			stext_printf(t, " = %#llx", (unsigned long long)c->ret);
		else
			stext_printf(t, " = %lld", (long long)c->ret);
		return;
	}
	int e = (int)-c->ret;
	if (e >= 512 && e <= 516) {
		static const char *const restart[] = { "ERESTARTSYS", "ERESTARTNOINTR",
						       "ERESTARTNOHAND", "ERESTART_RESTARTBLOCK", "ERESTART_RESTARTBLOCK" };
		stext_printf(t, " = ? %s (To be restarted)", restart[e - 512]);
		return;
	}
	const char *name = strerrorname_np(e);
	stext_printf(t, " = -1 %s (%s)", name ? name : "E?", strerror(e));
}


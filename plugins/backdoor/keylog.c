/*
 * keylog.c — input capture: opens of keyboards, input devices, consoles
 * and console screens, and the terminal ioctls of keystroke injection and
 * console capture (rule backdoor.keylogging).
 *
 * A submission has no reason to read the machine's input devices or its
 * consoles: that is how a keylogger or a screen grabber starts.  The open
 * is the attempt, whether it succeeded or not (the sandbox shows none of
 * these devices, so live it fails with ENOENT; on the machine it would
 * read keystrokes).  /dev/tty (the process's own terminal) is not one.
 *
 * Terminal ioctls (DA_EV_SYSCALL_OTHER "ioctl", live and replayed alike;
 * each an attempt, denied or not: newer kernels refuse TIOCSTI with EIO
 * unless dev.tty.legacy_tiocsti, the sandbox gives no terminal so most
 * fail with ENOTTY, and the intent is the same):
 *   TIOCSTI                  high    pushes bytes into a terminal's input:
 *                                    commands typed for whoever reads it next
 *   TIOCLINUX selection/paste high   copies the console screen or pastes it
 *   (other TIOCLINUX)        medium  console control (shift state, blanking)
 *   KDSKBMODE raw/mediumraw  high    the console keyboard's scancodes
 *   (other KDSKBMODE modes)  medium  K_OFF disables the keyboard
 *   TIOCCONS                 medium  console output redirected to a terminal
 *   KDGKBMODE                low     asks what the console keyboard sends
 *                                    (not on its own terminal)
 *   TCSETS* with ICANON or ECHO cleared (raw mode, echo off):
 *     on /dev/console, /dev/ttyN, /dev/vc/N    high
 *     on another terminal (/dev/pts/N, /dev/ttyS0 ...)  medium
 *     not at all on its own terminal: its stdin/stdout/stderr as it was
 *     given them (every editor, REPL and password prompt does this; a
 *     descriptor the program re-opened onto another terminal is not its
 *     own), /dev/tty (its controlling terminal), a pseudo-terminal it or an
 *     ancestor created (/dev/ptmx: expect, script, pty.spawn), or a
 *     descriptor that is no terminal.
 * One finding per request and terminal.
 */
#include "backdoor.h"

#include <fnmatch.h>

#include "dynaudit/strset.h"

static const struct {
	const char *glob;
	enum da_severity severity;
	const char *what;
} input_places[] = {
	{"/dev/input/by-path/*-kbd", DA_SEV_HIGH, "a keyboard"},
	{"/dev/input/by-id/*-kbd", DA_SEV_HIGH, "a keyboard"},
	{"/dev/input/event*", DA_SEV_HIGH, "an input device (keyboards are event devices)"},
	{"/dev/uinput", DA_SEV_HIGH, "the input injection device (uinput)"},
	{"/dev/input/uinput", DA_SEV_HIGH, "the input injection device (uinput)"},
	{"/dev/hidraw*", DA_SEV_HIGH, "a raw HID device (keyboards among them)"},
	{"/dev/vcs*", DA_SEV_HIGH, "a virtual console's screen contents"},
	{"/dev/input/*", DA_SEV_MEDIUM, "an input device"},
	{"/dev/input/*/*", DA_SEV_MEDIUM, "an input device"},
	{"/dev/console", DA_SEV_MEDIUM, "the system console"},
	{"/dev/tty[0-9]*", DA_SEV_MEDIUM, "a virtual console"},
};

/* What this file remembers, as keys of one bounded set: findings made
 * ("k:0:REQUEST TERMINAL"), the stdio each process was given at its exec
 * ("s:PID:FD:tty" or ":other") and the terminals it opened itself
 * ("o:PID:PATH"). */
struct keylog {
	struct da_strset *seen;
};

#define KEYLOG_KEYS 4096
#define TERM_KEY 300

void keylog_free(struct keylog *kl)
{
	if (!kl)
		return;
	da_strset_free(kl->seen);
	free(kl);
}

static struct da_strset *keys(struct backdoor *st)
{
	if (!st->keylog && (st->keylog = calloc(1, sizeof(*st->keylog))) != NULL &&
	    !(st->keylog->seen = da_strset_new(KEYLOG_KEYS))) {
		free(st->keylog);
		st->keylog = NULL;
	}
	return st->keylog ? st->keylog->seen : NULL;
}

static bool has_key(struct backdoor *st, char tag, int pid, const char *what)
{
	char key[TERM_KEY];
	snprintf(key, sizeof(key), "%c:%d:%s", tag, pid, what);
	struct da_strset *set = keys(st);
	return set && da_strset_has(set, key);
}

static void add_key(struct backdoor *st, char tag, int pid, const char *what)
{
	char key[TERM_KEY];
	snprintf(key, sizeof(key), "%c:%d:%s", tag, pid, what);
	struct da_strset *set = keys(st);
	if (set)
		(void)da_strset_add(set, key); /* full: own-terminal facts are lost, findings repeat */
}

enum term_class { T_NONE, T_CONSOLE, T_TERMINAL };

/* What a path or fd description names: the system console or a virtual
 * console, another terminal ("tty": the live tracer's word for any), or
 * no terminal. */
static enum term_class term_class(const char *t)
{
	if (!t)
		return T_NONE;
	if (!strcmp(t, "/dev/console") || !strcmp(t, "/dev/tty0") || da_str_starts_with(t, "/dev/vc/") ||
	    fnmatch("/dev/tty[1-9]*", t, FNM_PATHNAME) == 0)
		return T_CONSOLE;
	if (!strcmp(t, "tty") || da_str_starts_with(t, "/dev/pts/") || da_str_starts_with(t, "/dev/tty"))
		return T_TERMINAL;
	return T_NONE;
}

/* An exec's stdio description that may be a terminal: a terminal, or
 * unknown (a log recorded without -y). */
static bool maybe_terminal(const char *desc)
{
	return !desc || !strcmp(desc, "unknown") || term_class(desc) != T_NONE;
}

/* "0:tty", "2:other": what fd 0-2 was at the exec. */
static const char *stdio_key(int fd, bool tty)
{
	static const char *const k[3][2] = {{"0:other", "0:tty"}, {"1:other", "1:tty"}, {"2:other", "2:tty"}};
	return k[fd][tty];
}

static void note_exec(struct backdoor *st, const struct da_event *ev)
{
	if (ev->err || ev->result < 0)
		return;
	for (int fd = 0; fd < 3; fd++)
		add_key(st, 's', ev->pid, stdio_key(fd, maybe_terminal(ev->stdio[fd])));
}

static void note_fork(struct backdoor *st, const struct da_event *ev)
{
	if (ev->target_pid <= 0)
		return;
	for (int fd = 0; fd < 3; fd++)
		for (int tty = 0; tty < 2; tty++)
			if (has_key(st, 's', ev->pid, stdio_key(fd, tty)))
				add_key(st, 's', ev->target_pid, stdio_key(fd, tty));
}

/* The process or an ancestor opened /dev/ptmx: its /dev/pts/N are its own. */
static bool made_pty(struct backdoor *st, int pid)
{
	struct proc *p = proc_find(st, pid);
	for (int up = 0; p && up <= ANCESTOR_REACH; up++) {
		if (p->pty_master)
			return true;
		p = p->ppid > 0 && p->ppid != p->pid ? proc_find(st, p->ppid) : NULL;
	}
	return false;
}

/* The process's own terminal (see the header). */
static bool own_terminal(struct backdoor *st, const struct da_event *ev, const char *term)
{
	if (term && !strcmp(term, "/dev/tty"))
		return true;
	if (term && da_str_starts_with(term, "/dev/pts/") && made_pty(st, ev->pid))
		return true;
	if (ev->fd < 0 || ev->fd > 2 || (term && has_key(st, 'o', ev->pid, term)))
		return false;
	if (has_key(st, 's', ev->pid, stdio_key(ev->fd, false)))
		return false; /* given a pipe or a file, then moved a terminal onto it */
	return true;      /* given a terminal, or started before the log did */
}

static void emit_ioctl(struct backdoor *st, const struct da_event *ev, const char *term,
		       enum da_severity sev, const char *what)
{
	char key[TERM_KEY];
	snprintf(key, sizeof(key), "%s %s", ev->detail, term ? term : "?");
	if (has_key(st, 'k', 0, key))
		return;
	add_key(st, 'k', 0, key);
	char res[64], on[300];
	outcome(ev, res, sizeof(res));
	if (term)
		snprintf(on, sizeof(on), "fd %d (%s)", ev->fd, term);
	else
		snprintf(on, sizeof(on), "fd %d", ev->fd);
	const char *evidence[1] = {ev->text};
	emit(st, "backdoor.keylogging", sev, sev >= DA_SEV_HIGH ? "Keystroke injection or capture" : "Terminal capture",
	     ev->pid, ev->time_s, evidence, 1,
	     "Remove the code that injects keystrokes, reads the console or takes over a terminal: a submission uses its own stdin only",
	     "keylogging: %s on %s: %s%s", ev->detail, on, what, res);
}

static void check_tty_ioctl(struct backdoor *st, const struct da_event *ev)
{
	const char *d = ev->detail;
	/* the path when the source knows it, else what the fd is */
	const char *term = ev->path ? ev->path : ev->fd_desc;
	enum term_class cls = term_class(term);
	int64_t v = ev->arg[1];
	if (!strcmp(d, "TIOCSTI")) {
		emit_ioctl(st, ev, term, DA_SEV_HIGH, "pushes input into a terminal (keystroke injection)");
	} else if (!strcmp(d, "TIOCLINUX")) {
		if (v < 0 || v == 2 || v == 3)
			emit_ioctl(st, ev, term, DA_SEV_HIGH, "copies or pastes the console's screen (console selection)");
		else
			emit_ioctl(st, ev, term, DA_SEV_MEDIUM, "console control (TIOCLINUX)");
	} else if (!strcmp(d, "KDSKBMODE")) {
		if (v < 0 || v == 0 || v == 2)
			emit_ioctl(st, ev, term, DA_SEV_HIGH, "switches the console keyboard to raw scancodes");
		else
			emit_ioctl(st, ev, term, DA_SEV_MEDIUM, "changes the console keyboard's mode");
	} else if (!strcmp(d, "TIOCCONS")) {
		emit_ioctl(st, ev, term, DA_SEV_MEDIUM, "redirects the console's output to a terminal");
	} else if (!strcmp(d, "KDGKBMODE")) {
		if (!own_terminal(st, ev, term) || cls == T_CONSOLE)
			emit_ioctl(st, ev, term, DA_SEV_LOW, "asks what the console keyboard sends");
	} else if (da_str_starts_with(d, "TCSETS") && ev->arg[2] != 0 && cls != T_NONE &&
		   (cls == T_CONSOLE || !own_terminal(st, ev, term))) {
		const char *how = (ev->arg[2] & 1) ? "raw mode (keys one by one)" : "echo off";
		char what[160];
		snprintf(what, sizeof(what), "%s on %s", how,
			 cls == T_CONSOLE ? "the console" : "a terminal it was not given");
		emit_ioctl(st, ev, term, cls == T_CONSOLE ? DA_SEV_HIGH : DA_SEV_MEDIUM, what);
	}
}

static void check_open(struct backdoor *st, const struct da_event *ev)
{
	if (!ev->path || !da_str_starts_with(ev->path, "/dev/"))
		return;
	if (term_class(ev->path) != T_NONE && ev->fd >= 0 && !ev->err)
		add_key(st, 'o', ev->pid, ev->path); /* a terminal it opened itself */
	for (size_t i = 0; i < sizeof(input_places) / sizeof(input_places[0]); i++) {
		if (fnmatch(input_places[i].glob, ev->path, FNM_PATHNAME) != 0)
			continue;
		char res[64];
		outcome(ev, res, sizeof(res));
		const char *evidence[1] = {ev->text};
		emit(st, "backdoor.keylogging", input_places[i].severity, "Input capture", ev->pid,
		     ev->time_s, evidence, 1,
		     "Remove the code that reads input devices or consoles: a submission reads its own stdin only",
		     "keylogging: opens %s, %s%s", ev->path, input_places[i].what, res);
		return;
	}
}

void check_input_capture(struct backdoor *st, const struct da_event *ev)
{
	switch (ev->kind) {
	case DA_EV_FILE_OPEN: check_open(st, ev); break;
	case DA_EV_PROC_EXEC: note_exec(st, ev); break;
	case DA_EV_PROC_FORK: note_fork(st, ev); break;
	case DA_EV_SYSCALL_OTHER:
		if (ev->syscall && !strcmp(ev->syscall, "ioctl") && ev->detail)
			check_tty_ioctl(st, ev);
		break;
	default: break;
	}
}

/*
 * keylog.c — input capture: opens of keyboards, input devices, consoles
 * and console screens (rule backdoor.keylogging).
 *
 * A submission has no reason to read the machine's input devices or its
 * consoles: that is how a keylogger or a screen grabber starts.  The open
 * is the attempt, whether it succeeded or not (the sandbox shows none of
 * these devices, so live it fails with ENOENT; on the machine it would
 * read keystrokes).  /dev/tty (the process's own terminal) is not one.
 *
 * Not seen: raw mode on a terminal and TIOCSTI/TIOCLINUX (keystroke
 * injection, console selection): they are ioctl(2) calls, which no event
 * source reports yet.
 */
#include "backdoor.h"

#include <fnmatch.h>

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

void check_input_capture(struct backdoor *st, const struct da_event *ev)
{
	if (ev->kind != DA_EV_FILE_OPEN || !ev->path || !da_str_starts_with(ev->path, "/dev/"))
		return;
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

/*
 * access.c — judging reads and writes (executable bits: execbits.c)
 */
#include "file.h"

/* ---- rules --------------------------------------------------------------------- */

/* An open with write access (O_WRONLY or O_RDWR) of a sensitive path: a
 * credential overwritten or a key planted, reported as a write.  Nothing more to say when
 * the path is a persistence location (file.persistence covers it). */
void judge_sensitive_write(struct state *st, const struct da_event *ev, const char *path,
			   const char *verb)
{
	char rbuf[64];
	if (!is_sensitive(st, ev, path) || !seen_once(st, 's', path))
		return;
	st->n_sensitive_hits++;
	report(st, "file.sensitive_write", DA_SEV_HIGH, ev,
	       "Find out why the program writes to this credential; restore it from a trusted copy.",
	       "%s sensitive path %s%s", verb, path, result_text(ev, rbuf, sizeof(rbuf)));
}

void judge_read(struct state *st, const struct da_event *ev, const char *path)
{
	char rbuf[64];
	const char *res = result_text(ev, rbuf, sizeof(rbuf));
	if (is_sensitive(st, ev, path)) {
		if (!seen_once(st, 'r', path))
			return;
		st->n_sensitive_hits++;
		report(st, "file.sensitive_read", DA_SEV_HIGH, ev,
		       "Find out why the program touches this secret; treat it as compromised if it was read.",
		       "%s sensitive path %s%s", (ev->access & DA_ACC_DIR) ? "Lists" : "Opens", path, res);
		return;
	}
	if (judge_probe(st, ev, path))
		return;
	if (strcmp(path, "/etc/passwd") == 0 || strcmp(path, "/etc/group") == 0) {
		const char *who = proc_name(st, ev->pid);
		bool enumerating = da_prog_is_shell(who);
		for (const char *const *e = enumerators; *e; e++)
			if (strcmp(who, *e) == 0)
				enumerating = true;
		/* glibc's own user lookup (nss files) opens it close-on-exec;
		 * `cat /etc/passwd` or a shell redirect does not */
		if (ev->flags & O_CLOEXEC_FLAG)
			enumerating = false;
		char key[64];
		snprintf(key, sizeof(key), "%s%s", enumerating ? "e" : "g", path);
		if (!seen_once(st, 'a', key))
			return;
		if (enumerating)
			report(st, "file.account_db", DA_SEV_LOW, ev,
			       "Check why the program lists local accounts.",
			       "Account database %s read by %s%s", path, who, res);
		else
			report(st, "file.account_db", DA_SEV_INFO, ev, NULL,
			       "Reads the account database %s (user name lookup)%s", path, res);
	}
}

/* A failed create whose parent is missing (ENOENT) of a hidden name: the
 * sandbox hides a place the real machine has (/run/lock, /mnt, /media),
 * where the same call would have planted the file.  The attempt is the
 * intent, as for any hidden file outside the allowed places. */
static bool hidden_attempt(const struct da_event *ev, const char *path)
{
	return ev->err == ENOENT && da_path_has_hidden(path);
}

/* A create the system refused (ENOENT, EACCES, EROFS, EPERM) or that found
 * its name taken (EEXIST) wrote nothing: libraries try such things on
 * their own.  Not a hidden attempt (above). */
static bool nothing_written(const struct da_event *ev, const char *path, enum write_action action)
{
	if (action != W_OPEN && action != W_APPEND && action != W_CREATE && action != W_MKDIR)
		return false;
	if (hidden_attempt(ev, path))
		return false;
	return ev->err == ENOENT || ev->err == EACCES || ev->err == EROFS || ev->err == EPERM ||
	       ev->err == EEXIST;
}

/* The remark of a hidden attempt. */
static const char *attempt_note(const struct da_event *ev, const char *path)
{
	if (!hidden_attempt(ev, path))
		return "";
	return ": an attempt at a hidden name, its parent does not exist in the sandbox";
}

/* State files libraries keep on their own, outside any program's say:
 * writing (or failing to create) them is library behaviour. */
static const struct {
	const char *dir;     /* the file is below this directory */
	const char *base;    /* ... with this name (NULL: any) */
	const char *library;
} library_state[] = {
	{"/var/lib/libuuid", NULL, "libuuid keeps its clock there (uuid_generate_time, Python's uuid.uuid1)"},
	{"/var/cache/fontconfig", NULL, "fontconfig caches its font list there"},
	{"/usr/share/fonts", ".uuid", "fontconfig tags its font directories so"},
	{"/usr/local/share/fonts", ".uuid", "fontconfig tags its font directories so"},
	{"/etc/.java", NULL, "Java keeps its system preferences there (java.util.prefs)"},
};

/* Index into library_state of the library that keeps path, or -1. */
static int library_state_of(const char *path)
{
	for (size_t i = 0; i < sizeof(library_state) / sizeof(library_state[0]); i++) {
		const char *base = strrchr(path, '/') + 1; /* path is absolute */
		if (da_path_under(path, library_state[i].dir) &&
		    (!library_state[i].base || strcmp(base, library_state[i].base) == 0))
			return (int)i;
	}
	return -1;
}

/* Judges one change of path.  Returns true when path is a persistence
 * location (reported now or before). */
bool judge_write(struct state *st, const struct da_event *ev, const char *path,
		 enum write_action action)
{
	char rbuf[64];
	const char *res = result_text(ev, rbuf, sizeof(rbuf));
	const char *home = st->host->run->home;
	const char *verb = action_verbs[action];
	bool plants = action != W_UNLINK && action != W_RENAME_FROM && action != W_CHOWN;
	if (plants && !tool_own_config(st, ev, path)) {
		enum da_persistence level = da_path_persistence(path, home, st->host->run->workdir);
		bool critical = level == DA_PERSIST_CRITICAL;
		if (level != DA_PERSIST_NONE) {
			/* the attempt is the intent: full strength, failed or not */
			if (!seen_once(st, 'p', path))
				return true;
			st->n_persistence_hits++;
			report(st, "file.persistence", critical ? DA_SEV_CRITICAL : DA_SEV_HIGH, ev,
			       "Treat as a persistence attempt: remove the change and find the code that made it.",
			       "%s persistence location %s%s", verb, path, res);
			return true;
		}
	}
	if (write_allowed(st, ev, path))
		return false;
	if (!seen_once(st, 'w', path))
		return false;
	int lib = library_state_of(path);
	if (lib >= 0) {
		report(st, "file.write_outside", DA_SEV_INFO, ev, NULL,
		       "%s %s%s: library behaviour, not the program's own doing: %s", verb,
		       path, res, library_state[lib].library);
		return false;
	}
	st->n_write_hits++;
	bool system = is_system_path(path);
	/* A refused create (ENOENT, EACCES, EROFS...) wrote nothing: libraries
	 * try such things on their own.  Low, unless the place itself shows
	 * intent (persistence, above, or hijack_targets). */
	if (nothing_written(ev, path, action) && !da_path_covered_by(hijack_targets, home, path)) {
		report(st, "file.write_outside", DA_SEV_LOW, ev,
		       "Nothing was written; check which code tried and why.",
		       "%s %s%s%s: nothing was written", verb, system ? "system path " : "", path,
		       res);
		return false;
	}
	if (system)
		report(st, "file.write_outside", DA_SEV_HIGH, ev,
		       "A submission must not modify the system; find the code that does this.",
		       "%s system path %s%s%s", verb, path, res, attempt_note(ev, path));
	else
		report(st, "file.write_outside", DA_SEV_MEDIUM, ev,
		       "Keep output in the workdir or /tmp, or extend allow_write if this place is expected.",
		       "%s %s outside the allowed places%s%s", verb, path, res, attempt_note(ev, path));
	return false;
}

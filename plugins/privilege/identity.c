/*
 * identity.c — set*id calls and capabilities
 */
#include "privilege.h"

/* ---- identities --------------------------------------------------------- */

int on_set_id(struct privilege *st, const struct da_event *ev)
{
	const char *sc = name_of(ev, "setuid");
	bool is_gid = strstr(sc, "gid") != NULL || strstr(sc, "groups") != NULL;

	if (strncmp(sc, "setgroups", 9) == 0) {
		bool clears = ev->arg[0] == 0 || (ev->text && strstr(ev->text, "setgroups(0,"));
		if (clears)
			return report(st, ev, "privilege.set_id", DA_SEV_LOW, NULL,
				      "%s clears the supplementary groups (a privilege drop)", sc);
		return report(st, ev, "privilege.set_id", DA_SEV_HIGH, REC_ESCALATE,
			      "%s sets supplementary groups", sc);
	}

	size_t n = strncmp(sc, "setres", 6) == 0 ? 3 : strncmp(sc, "setre", 5) == 0 ? 2 : 1;
	const struct known_ids *known = is_gid ? &st->gids : &st->uids;
	/* Setting an id one already has always succeeds, so a refusal (EPERM)
	 * means another identity was asked for, even when getuid() was never
	 * seen; a success to an id that is not known to be current is a drop
	 * only when the current ids are known (make restores its own ids).
	 * In a user namespace an id with no mapping is refused with EINVAL:
	 * the same request. */
	bool refused = ev->err == EPERM || ev->err == EINVAL;
	bool root = false, other = false, drop = false;
	long shown = -1;
	for (size_t i = 0; i < n; i++) {
		long id = norm_id(ev->arg[i]);
		if (id == -1 || known_has(known, id))
			continue; /* unchanged, or an id it already holds */
		if (id == 0)
			root = true;
		else if (refused)
			other = true;
		else if (known->n > 0)
			drop = true;
		else
			continue; /* succeeded, current ids unknown: its own id */
		if (shown == -1 || id == 0)
			shown = id;
	}
	const char *what = is_gid ? "gid" : "uid";
	if (!is_gid && shown > 0 && !refused)
		root_pid_set(st, (int)ev->pid, false); /* it left uid 0 */
	if (root)
		return report(st, ev, "privilege.set_id", DA_SEV_HIGH, REC_ESCALATE,
			      "%s asks for root (%s 0)", sc, what);
	if (other)
		return report(st, ev, "privilege.set_id", DA_SEV_HIGH, REC_ESCALATE,
			      "%s asks to become another user (%s %ld)", sc, what, shown);
	if (drop)
		return report(st, ev, "privilege.set_id", DA_SEV_LOW, NULL,
			      "%s drops to %s %ld", sc, what, shown);
	return 0; /* a no-op: the ids it already has */
}

/* getuid() & co. tell which ids a process already holds. */
void on_other_syscall(struct privilege *st, const struct da_event *ev)
{
	if (!ev->syscall || ev->err != 0 || ev->result < 0)
		return;
	if (strcmp(ev->syscall, "getuid") == 0 || strcmp(ev->syscall, "geteuid") == 0 ||
	    strcmp(ev->syscall, "getuid32") == 0 || strcmp(ev->syscall, "geteuid32") == 0) {
		known_add(&st->uids, (long)ev->result);
		if (ev->result == 0)
			root_pid_set(st, (int)ev->pid, true);
	}
	else if (strcmp(ev->syscall, "getgid") == 0 || strcmp(ev->syscall, "getegid") == 0 ||
		 strcmp(ev->syscall, "getgid32") == 0 || strcmp(ev->syscall, "getegid32") == 0)
		known_add(&st->gids, (long)ev->result);
}

/* ---- capabilities and self-restriction ------------------------------- */

/* capset text: "capset({...}, {effective=0, permitted=0, inheritable=0})".
 * All three sets empty is a drop; anything else (or no text) is a raise. */
static bool capset_clears_all(const char *text)
{
	if (!text)
		return false;
	const char *sets[] = {"effective=", "permitted=", "inheritable="};
	for (size_t i = 0; i < 3; i++) {
		const char *p = strstr(text, sets[i]);
		if (!p)
			return false;
		p += strlen(sets[i]);
		if (p[0] != '0' || (p[1] != ',' && p[1] != '}' && p[1] != ' '))
			return false;
	}
	return true;
}

int on_cap(struct privilege *st, const struct da_event *ev)
{
	const char *opt = ev->detail ? ev->detail : name_of(ev, "capset");
	const char *text = ev->text ? ev->text : "";

	if (strcmp(opt, "capset") == 0) {
		if (capset_clears_all(ev->text))
			return report(st, ev, "privilege.capability", DA_SEV_INFO, NULL,
				      "capset clears all capabilities");
		return report(st, ev, "privilege.capability", DA_SEV_HIGH, REC_ESCALATE,
			      "capset sets capabilities");
	}
	if (strcmp(opt, "seccomp") == 0 || strstr(opt, "SECCOMP") ||
	    strstr(opt, "NO_NEW_PRIVS") || strstr(opt, "DUMPABLE")) {
		if (strncmp(opt, "PR_GET_", 7) == 0)
			return 0;
		return report(st, ev, "privilege.hardening", DA_SEV_INFO, NULL,
			      "the program restricts itself with %s", opt);
	}
	if (strcmp(opt, "PR_CAP_AMBIENT") == 0) {
		/* arg[0] is the sub-operation: 1 IS_SET, 2 RAISE, 3 LOWER, 4 CLEAR_ALL */
		if (ev->arg[0] == 2 || strstr(text, "RAISE"))
			return report(st, ev, "privilege.capability", DA_SEV_HIGH, REC_ESCALATE,
				      "prctl PR_CAP_AMBIENT_RAISE raises an ambient capability");
		if (ev->arg[0] == 1 || strstr(text, "IS_SET"))
			return 0;
		return report(st, ev, "privilege.capability", DA_SEV_INFO, NULL,
			      "prctl PR_CAP_AMBIENT lowers ambient capabilities");
	}
	if (strcmp(opt, "PR_CAPBSET_DROP") == 0)
		return report(st, ev, "privilege.capability", DA_SEV_INFO, NULL,
			      "prctl PR_CAPBSET_DROP drops a bounding-set capability");
	if (strcmp(opt, "PR_SET_SECUREBITS") == 0)
		return report(st, ev, "privilege.capability", DA_SEV_HIGH, REC_ESCALATE,
			      "prctl PR_SET_SECUREBITS changes how root privileges are kept");
	if (strcmp(opt, "PR_SET_KEEPCAPS") == 0) {
		if (ev->arg[0] == 0)
			return 0;
		return report(st, ev, "privilege.capability", DA_SEV_MEDIUM, REC_ESCALATE,
			      "prctl PR_SET_KEEPCAPS keeps capabilities across a uid change");
	}
	if (strncmp(opt, "PR_GET_", 7) == 0 || strcmp(opt, "PR_CAPBSET_READ") == 0)
		return 0; /* queries change nothing */
	if (strcmp(opt, "PR_SET_PTRACER") == 0)
		return report(st, ev, "privilege.capability", DA_SEV_LOW, NULL,
			      "prctl PR_SET_PTRACER lets another process trace this one");
	return report(st, ev, "privilege.capability", DA_SEV_MEDIUM, NULL,
		      "capability-related prctl %s", opt);
}


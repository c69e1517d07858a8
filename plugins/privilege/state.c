/*
 * state.c — small helpers, known ids, shared recommendations
 */
#include "privilege.h"

/* ---- small helpers ---------------------------------------------------- */

/* Ids arrive as int64; a -1 may have been written as its 32-bit form. */
long norm_id(int64_t v)
{
	if (v == 0xFFFFFFFFLL)
		return -1;
	return (long)v;
}

void known_add(struct known_ids *k, long id)
{
	for (size_t i = 0; i < k->n; i++)
		if (k->ids[i] == id)
			return;
	if (k->n < MAX_KNOWN_IDS)
		k->ids[k->n++] = id;
}

bool known_has(const struct known_ids *k, long id)
{
	for (size_t i = 0; i < k->n; i++)
		if (k->ids[i] == id)
			return true;
	return false;
}

void root_pid_set(struct privilege *st, int pid, bool holds_root)
{
	size_t n = st->n_root_pids < MAX_ROOT_PIDS ? st->n_root_pids : MAX_ROOT_PIDS;
	for (size_t i = 0; i < n; i++)
		if (st->root_pids[i] == pid) {
			if (!holds_root)
				st->root_pids[i] = 0; /* pid 0 is never an event's */
			return;
		}
	if (holds_root)
		st->root_pids[st->n_root_pids++ % MAX_ROOT_PIDS] = pid;
}

bool root_pid_has(const struct privilege *st, int pid)
{
	size_t n = st->n_root_pids < MAX_ROOT_PIDS ? st->n_root_pids : MAX_ROOT_PIDS;
	for (size_t i = 0; i < n; i++)
		if (pid != 0 && st->root_pids[i] == pid)
			return true;
	return false;
}

/* " (failed: EPERM)" or " (succeeded)" — attempts count either way. */
static void outcome(const struct da_event *ev, char *buf, size_t len)
{
	if (ev->err == 0 && ev->text && strstr(ev->text, ") = ?")) {
		snprintf(buf, len, " (result not observed)"); /* seen at entry only, or it died in the call */
	} else if (ev->err != 0 || ev->result < 0) {
		if (ev->errname)
			snprintf(buf, len, " (failed: %s)", ev->errname);
		else
			snprintf(buf, len, " (failed: errno %d)", ev->err);
	} else {
		snprintf(buf, len, " (succeeded)");
	}
}

const char *name_of(const struct da_event *ev, const char *fallback)
{
	return ev->syscall ? ev->syscall : fallback;
}

int report(struct privilege *st, const struct da_event *ev, const char *rule,
	   enum da_severity sev, const char *recommendation, const char *fmt, ...)
{
	char msg[512], res[64] = "";
	if (ev->syscall)
		outcome(ev, res, sizeof(res));
	const char *evidence[1] = {ev->text};
	struct da_finding f = {.rule = rule, .severity = sev, .message = res, .pid = ev->pid,
			       .time_s = ev->time_s, .evidence = evidence, .n_evidence = ev->text ? 1 : 0,
			       .recommendation = recommendation};
	va_list ap;
	va_start(ap, fmt);
	/* emit only refuses malformed findings, which this file never builds */
	(void)da_emit_findingv(st->host, &f, msg, sizeof(msg), fmt, ap);
	va_end(ap);
	st->n_by_sev[sev]++;
	if (st->n_by_sev[sev] == 1 && (sev > st->worst || st->worst_message[0] == '\0')) {
		st->worst = sev;
		snprintf(st->worst_message, sizeof(st->worst_message), "%s", msg);
	}
	return 0;
}

const char REC_ESCALATE[] =
	"Remove the privilege change: the program must run as the unprivileged user it is given";
const char REC_KERNEL[] =
	"Remove the use of this kernel interface; a course project has no need for it";


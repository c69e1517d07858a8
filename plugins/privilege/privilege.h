/*
 * privilege.h — the inside of the "privilege" detector, for its own files.
 *
 * One state (struct privilege, below) fed event by event:
 *   privilege.c   the rules (top comment), the descriptor and the lifecycle.
 *   state.c       small helpers, the ids the run already holds, the
 *                 recommendations shared by several rules.
 *   identity.c    set*id calls and capabilities (and self-restriction).
 *   escapes.c     namespaces, mounts, ptrace of others, setuid bits and
 *                 ownership, the kernel's attack surface, set-id helpers.
 */
#ifndef DA_PLUGIN_PRIVILEGE_H
#define DA_PLUGIN_PRIVILEGE_H

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dynaudit/detector.h"
#include "dynaudit/progclass.h"
#include "dynaudit/event.h"
#include "dynaudit/plugin.h"

#define MAX_KNOWN_IDS 8
#define MAX_ROOT_PIDS 32

struct known_ids {
	long ids[MAX_KNOWN_IDS];
	size_t n;
};

struct privilege {
	const struct da_host *host;
	struct known_ids uids, gids; /* ids the processes were seen to hold */
	/* processes getuid()/geteuid() showed holding uid 0, until they set
	 * another uid (the oldest forgotten when full) */
	int root_pids[MAX_ROOT_PIDS];
	size_t n_root_pids;
	size_t n_by_sev[5];
	enum da_severity worst;
	char worst_message[256];     /* the first finding of the worst severity */
};

/* ---- state.c: small helpers, known ids, shared recommendations */
/* The one emit site: the message from fmt, the outcome of ev's call
 * appended, ev's line as evidence. */
__attribute__((format(printf, 6, 7)))
int report(struct privilege *st, const struct da_event *ev, const char *rule,
	   enum da_severity sev, const char *recommendation, const char *fmt, ...);
/* Ids arrive as int64; a -1 may have been written as its 32-bit form. */
long norm_id(int64_t v);
void known_add(struct known_ids *k, long id);
bool known_has(const struct known_ids *k, long id);
void root_pid_set(struct privilege *st, int pid, bool holds_root);
bool root_pid_has(const struct privilege *st, int pid);
const char *name_of(const struct da_event *ev, const char *fallback);
extern const char REC_ESCALATE[];
extern const char REC_KERNEL[];

/* ---- identity.c: set*id calls and capabilities */
int on_set_id(struct privilege *st, const struct da_event *ev);
/* getuid() & co. tell which ids a process already holds. */
void on_other_syscall(struct privilege *st, const struct da_event *ev);
int on_cap(struct privilege *st, const struct da_event *ev);

/* ---- escapes.c: namespaces, mounts, ptrace, setuid files, kernel surface, set-id helpers */
int on_namespace(struct privilege *st, const struct da_event *ev);
int on_mount(struct privilege *st, const struct da_event *ev);
int on_ptrace(struct privilege *st, const struct da_event *ev);
int on_mode(struct privilege *st, const struct da_event *ev);
int on_chown(struct privilege *st, const struct da_event *ev);
int on_kernel(struct privilege *st, const struct da_event *ev);
int on_exec(struct privilege *st, const struct da_event *ev);

#endif /* DA_PLUGIN_PRIVILEGE_H */

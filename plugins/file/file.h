/*
 * file.h — the inside of the "file" detector, for its own files.
 *
 * One state (struct state, below) fed event by event:
 *   file.c      the rules (top comment), the descriptor, the configuration
 *               (allow_read, allow_write, sensitive...) and the lifecycle.
 *   state.c     small helpers, the set of paths already judged, the
 *               pid -> program table and report() (the one emit site).
 *   classify.c  the policy data and what a path is: sensitive, allowed,
 *               system, another user's home, another process's memory.
 *   access.c    the judgement of reads and writes.
 *   execbits.c  executables made outside the workdir, judged by what
 *               became of them (run, probed and reverted, temporary).
 *   deletion.c  sabotage: many files deleted or rewritten, rm -rf of HOME.
 *   probe.c     sandbox probing: container, VM and tracer marks read.
 *   links.c     paths reached through links the run made, and the event
 *               dispatch that judges every name of a path.
 */
#ifndef DA_PLUGIN_FILE_H
#define DA_PLUGIN_FILE_H

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dynaudit/detector.h"
#include "dynaudit/event.h"
#include "dynaudit/pathclass.h"
#include "dynaudit/plugin.h"
#include "dynaudit/progclass.h"
#include "dynaudit/strset.h"

#define MAX_SEEN 4096      /* paths already reported or noted */
#define MAX_PROCS 4096     /* pid -> program name */
#define PATH_MAX_LEN 4096
#define MAX_LINKS 256      /* links the run made, remembered */
#define O_CLOEXEC_FLAG 02000000 /* Linux O_CLOEXEC, spelled out like the kinds */
#define MAX_ALIASES 4      /* other names of one path judged */

enum write_action { W_OPEN, W_APPEND, W_CREATE, W_UNLINK, W_RENAME_FROM, W_RENAME_TO, W_CHMOD,
		    W_CHOWN, W_LINK, W_MKDIR, W_TRUNCATE, W_MONITOR };


struct proc_name {
	int pid;
	char name[32];
	char script[32];   /* an interpreter's script or -m module ("npm-cli.js") */
};

/* A link the run made: link (absolute) names target (absolute). */
struct link_alias {
	char *link;
	char *target;
	bool shipped;              /* in the submission as shipped, not made by the run */
};

/* The answers of the sensitive list for the last paths asked: a program
 * opens the same few paths again and again, and each open is judged
 * against the whole list (some seventy patterns, a microsecond).  Behind
 * a pointer so the const judging functions can fill it. */
#define LISTED_SLOTS 64
#define LISTED_PATH 152

struct listed_memo {
	uint32_t hash;             /* 0: empty */
	bool listed;
	char path[LISTED_PATH];
};

struct state {
	const struct da_host *host;
	char **sensitive;          /* expanded patterns: defaults + config */
	size_t n_sensitive;
	char **allow_write;        /* expanded roots / globs */
	size_t n_allow_write;
	char *home_user;           /* "auditor" when HOME is /home/auditor */

	struct da_strset *seen;        /* "r:/path", "w:/path", "d:/dir" ... */
	struct proc_name procs[MAX_PROCS];
	size_t n_procs;
	struct link_alias links[MAX_LINKS];
	size_t n_links;
	const char *via;           /* path as the program named it, while judging an alias */
	bool via_shipped;          /* ... through a link the submission shipped */
	size_t dropped;

	char *decoys[8];           /* honeytoken files the core planted (syscall "honeytoken_file") */
	size_t n_decoys;

	struct listed_memo *listed; /* LISTED_SLOTS answers of the sensitive list (classify.c) */
	size_t n_events;           /* file events seen */
	size_t n_sensitive_hits, n_write_hits, n_persistence_hits, n_exec_hits;
	char first_flagged[200];
	struct deletions *deletions; /* files deleted or rewritten (deletion.c) */
	struct exec_pending *exec_pending; /* executables not judged yet (execbits.c) */
};

/* The built-in sensitive paths and the persistence locations are
 * libdynaudit-sdk's lists (dynaudit/pathclass.h), shared with backdoor. */

/* ---- classify.c: the policy data and what a path is (sensitive, allowed, system) */
extern const char *const action_verbs[];
extern const char *const hijack_targets[];
extern const char *const enumerators[];
/* Config lookups walk up from the working directory to / with one name
 * (node's package.json, .git, .editorconfig...): ~/NAME, then /home/NAME,
 * then /NAME.  Each NAME looked up right under HOME is remembered, so that
 * /home/NAME afterwards reads as the next step of that walk, not as a
 * look at another user's home. */
void note_home_lookup(struct state *st, const char *path);
bool is_sensitive(const struct state *st, const struct da_event *ev, const char *path);
bool write_allowed(const struct state *st, const struct da_event *ev, const char *path);
bool is_system_path(const char *path);

/* ---- state.c: small helpers, paths already judged, pid -> program, report() */
bool seen_has(const struct state *st, const char *key);
bool seen_once(struct state *st, char tag, const char *path);
/* "~/x" -> HOME/x; anything else copied. */
char *expand_home(const char *pattern, const char *home);
/* A pattern covers the path itself and everything below it
 * (patterns here are already expanded: no HOME needed). */
bool pattern_covers(const char *pattern, const char *path);
const char *proc_name(const struct state *st, int pid);
void remember_exec(struct state *st, const struct da_event *ev);
/* Is path a tool's own configuration read (or written) by that tool, or
 * touched during the setup phase (the build)?  See tool_config. */
bool tool_own_config(const struct state *st, const struct da_event *ev, const char *path);
const char *result_text(const struct da_event *ev, char *buf, size_t len);
__attribute__((format(printf, 6, 7)))
void report(struct state *st, const char *rule, enum da_severity sev,
	    const struct da_event *ev, const char *recommendation, const char *fmt, ...);

/* ---- access.c: judging reads, writes and executable bits */
void judge_sensitive_write(struct state *st, const struct da_event *ev, const char *path,
			   const char *verb);
void judge_read(struct state *st, const struct da_event *ev, const char *path);
/* Judges one change of path.  Returns true when path is a persistence
 * location (reported now or before). */
bool judge_write(struct state *st, const struct da_event *ev, const char *path,
		 enum write_action action);

/* ---- execbits.c: file.exec_created, judged by what became of the file */
struct exec_pending;
struct exec_pending *exec_pending_new(void);
void exec_pending_free(struct exec_pending *q);
/* A create or chmod of path with its mode: remembered when executable
 * outside the workdir, forgotten when a chmod takes the bits away. */
void judge_exec_bits(struct state *st, const struct da_event *ev, const char *path);
void exec_bits_renamed(struct state *st, const char *from, const char *to);
/* An exec of a remembered file: reported now, as run. */
void exec_bits_ran(struct state *st, const struct da_event *ev);
/* The end: what was never run is reported, unless temporary (see execbits.c). */
void exec_bits_finish(struct state *st);

/* ---- links.c: links the run made, every name of a path, the event dispatch */
void on_file_event(struct state *st, const struct da_event *ev);

/* ---- deletion.c: mass deletion or rewriting (sabotage) */
struct deletions;
struct deletions *deletions_new(void);
void deletions_free(struct deletions *d);
/* Notes a create (remembered) or a delete/truncate (counted) of path
 * (path2: a rename's destination). */
void note_deletion(struct state *st, const struct da_event *ev, const char *path, const char *path2);
void check_rm(struct state *st, const struct da_event *ev);
void report_deletions(struct state *st);

/* ---- probe.c: sandbox probing (container, VM and tracer marks) */
/* Judges a read (or a directory listing, remembered) of path; true when
 * it was a probe. */
bool judge_probe(struct state *st, const struct da_event *ev, const char *path);
/* Judges a stat/access/readlink of a path (DA_EV_FILE_STAT). */
void judge_stat_probe(struct state *st, const struct da_event *ev);

#endif /* DA_PLUGIN_FILE_H */

/*
 * process.h — the inside of the "process" detector, for its own files.
 *
 * The detector is one state (struct state, below) fed event by event:
 *   process.c   the rules (top comment), the descriptor and the lifecycle:
 *               init reads allow_exec/max_processes, on_event dispatches by
 *               kind, finish emits what can only be judged at the end.
 *   state.c     the tables kept per run: processes (struct proc), paths the
 *               run created, small sets, and report() (the one emit site).
 *   programs.c  what a program is: toolchain, recon tools, daemons' and
 *               kernel threads' names (masquerade), process snapshots.
 *   shell.c     shells and inline code: the words of a -c string, what makes
 *               one dangerous, shells on sockets, curl | sh.
 *   exec.c      the judgement of one exec: allow_exec, writable places,
 *               symlinks the run made, loader variables, PATH searches held
 *               until they resolve.
 *   loader.c    loader variables in the environment (LD_PRELOAD...).
 *   chain.c     delayed shell chains: a wait, then a hidden file, a survey.
 *   harvest.c   secrets harvested to local files (env, environ, grep TOKEN).
 *   timing.c    sleeps and timed waits that outlast the window.
 *   tree.c      the process tree: forks (runaway), exits, orphans and
 *               sessions (daemon), signals to others.
 */
#ifndef DA_PLUGIN_PROCESS_H
#define DA_PLUGIN_PROCESS_H

#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dynaudit/detector.h"
#include "dynaudit/event.h"
#include "dynaudit/options.h"
#include "dynaudit/pathclass.h"
#include "dynaudit/plugin.h"
#include "dynaudit/progclass.h"
#include "dynaudit/strset.h"

#define MAX_PROCS 4096         /* processes remembered */
#define MAX_CREATED 4096       /* created/changed paths remembered */
#define LINGER_S 1.0           /* outliving a parent this long is detaching */
#define CLONE_THREAD_FLAG 0x00010000
#define MAX_LINKS 1024         /* symlinks the target made, remembered */
#define THREAD_BOMB 128        /* run-phase threads created: a thread bomb */
#define MAX_TIDS 4096          /* thread ids remembered (signal targets) */
#define MAX_PIPED 64           /* shells reading a pipe / downloaders, remembered */
#define MAX_MASQ 64            /* masquerading processes remembered */
#define MAX_SLEEPS 16          /* long sleeps judged at the end */
#define OUTPUT_LAG_S 0.5       /* an output line is captured this late at most */

/* A deep copy of an exec event (a failed PATH-search attempt held back). */
struct held_exec {
	struct da_event ev;
	char **argv;
};

struct proc {
	int pid, ppid;
	bool alive;
	bool setup;            /* created by the setup phase (a build) */
	bool builder;          /* an allowed build driver (make, cc...) or its toolchain */
	double orphaned_at;    /* when its parent (or the main program) ended; < 0 never */
	bool driver;           /* a compiler driver (gcc...) or a toolchain program it runs */
	char *image;           /* base name of the current executable */
	char *image_path;      /* its path and its path as the caller wrote it (the name */
	char *image_raw;       /* the kernel hands a script's #! interpreter), or NULL */
	char *fork_text;       /* evidence: the fork that created it */
	char *cover;           /* -c string of a reported shell this process runs under */
	struct held_exec *held; /* failed exec (ENOENT...) waiting for a retry */
	int session;           /* pid of the setsid caller whose session this is, 0 none */
	char *setsid_text;     /* evidence: its own setsid call, NULL none */
	double setsid_t;
	char setsid_note[48];  /* ", failed: EPERM" or "" */
	bool session_outlived; /* (leader) a member outlived its parent or the main program */
	bool served;           /* accepted an inet connection (it serves the network) */
};

struct piped {                 /* a shell reading a pipe, or a downloader writing one */
	int pid, ppid;
	double t;
	char *text;
	char *name;
};

struct masq {
	int pid;
	double t;
	char *what;            /* the name it shows */
	char *text;            /* evidence */
};

struct long_sleep {
	int pid;
	double t;
	int64_t wait;
	char *text;
	char *pending;          /* a timed wait seen at the window's end: its call */
	int64_t short_sleeps;   /* > 0: wait is the total of this many short sleeps */
	bool cut;               /* sandbox.time.skip_sleeps returned it at once */
	bool timer;             /* a timer armed that far, cut by skip_sleeps */
};

struct state {
	const struct da_host *host;
	const char *const *allow; /* from the host, valid until destroy */
	size_t n_allow;
	long max_processes;
	char *own_base;           /* base name of the run's command[0] */
	char *own_path;           /* command[0] as given */

	int main_pid;             /* first process of the run phase, 0 unknown */
	double start_s;           /* time of its first event, < 0 unknown */
	bool setup_started;       /* the setup command's exec was seen */
	bool main_exited;

	struct proc procs[MAX_PROCS];
	size_t n_procs;
	size_t procs_dropped;

	struct da_strset *created; /* paths the run created or changed (MAX_CREATED) */
	size_t created_dropped;

	size_t n_forks;           /* run-phase processes created */
	size_t n_threads;         /* run-phase threads created */
	size_t n_exec_other;      /* execs other than the own command */
	size_t n_shells;
	size_t n_flagged;         /* findings of severity low or above */
	bool runaway_reported;
	bool thread_limit_reported;
	bool listening;           /* the run serves: idle waits are its job */
	char recon_seen[256];     /* "id, uname" for the summary */
	unsigned n_recon_kinds;   /* distinct recon commands seen (a sweep from 3) */
	char first_flagged[200];  /* first finding of low or above, for the summary */
	bool first_is_recon;      /* first_flagged is a recon finding */

	char *link_from[MAX_LINKS]; /* symlinks the target made: path -> absolute target */
	char *link_to[MAX_LINKS];
	size_t n_links;

	int tids[MAX_TIDS];       /* threads the target created */
	size_t n_tids;

	struct piped pipe_shells[MAX_PIPED], downloads[MAX_PIPED];
	size_t n_pipe_shells, n_downloads;

	struct masq masqs[MAX_MASQ];
	size_t n_masqs;
	int connected[MAX_MASQ];  /* pids that made an inet connect */
	size_t n_connected;
	bool net_seen;            /* an inet connect or a network tool was seen (so far) */

	struct long_sleep sleeps[MAX_SLEEPS];
	size_t n_sleeps;
	bool activity_seen;       /* observable run-phase work was seen... */
	double first_activity_s;  /* ...first at this time */
	double last_activity_s;   /* ...last at this time */
	int sleeping_tids[MAX_SLEEPS]; /* a thread that slept: its next sleep means it woke */
	size_t n_sleeping;
};

/* A shell command string cut into words; quote marks are dropped and each
 * of ; & | ( ) ` < > (and "$(") is a word of its own.  Good enough to
 * name the programs a string runs, not a shell parser (shell.c). */
struct words {
	char buf[4096];
	const char *w[256];
	size_t n;
};

/* ---- state.c: the run's tables: processes, created paths, small sets, report() */
bool in_list(const char *word, const char *const *list);
/* "python3.11" is a versioned "python3": same program for allow rules. */
bool same_program(const char *base, const char *want);
bool created_has(const struct state *st, const char *path);
void created_add(struct state *st, const char *path);
struct proc *proc_find(struct state *st, int pid);
struct proc *proc_get(struct state *st, int pid, int ppid);
void set_str(char **slot, const char *value);
__attribute__((format(printf, 6, 7)))
void report(struct state *st, const char *rule, enum da_severity sev,
	    const struct da_event *ev, const char *recommendation, const char *fmt, ...);
/* "name arg1 arg2", bounded, for messages.  name is the program really run:
 * argv[0] may be truncated by strace -s or be anything the caller chose. */
void join_argv(const struct da_event *ev, const char *name, char *out, size_t outlen);
/* The primary path of ev: the core's resolution (cwd, dirfd, symlinks),
 * or the path as written when the core had none. */
const char *event_path(const struct da_event *ev);
bool int_in(const int *set, size_t n, int v);
void note_activity(struct state *st, double t);

/* ---- programs.c: what a program is: classes, recon, masquerade names, snapshots */
extern const char *const toolchain[];
extern const char *const drivers[];
extern const char *const driver_internals[];
extern const char *const net_tools[];
extern const char *const code_interpreters[];
extern const char *const ordinary_tools[];
extern const char *const compilers[];
/* "x86_64-linux-gnu-gcc-12" -> is "gcc" in list? */
bool in_toolchain_list(const char *name, const char *const *list);
bool is_toolchain(const char *name);
bool is_interpreter(const char *base);
/* The program name the exec really runs: busybox dispatches on argv[0]. */
const char *applet_of(const struct da_event *ev);
/*
 * recon_name — words[0] is a command name, words[1..] its arguments.
 * Returns a static label for a reconnaissance command, or NULL.
 */
const char *recon_name(const char *const *words, size_t n);
/*
 * Scan a shell command string for reconnaissance commands: split it into
 * simple commands at ; & | newline ( ) ` and $(, drop leading VAR=value
 * words and wrappers (exec, nohup...), and test each.  Calls found(label)
 * for each hit.  Quoting is handled only as far as stripping quote marks.
 */
void scan_shell_command(struct state *st, const struct da_event *ev, const char *script,
			void (*found)(struct state *, const struct da_event *, const char *));
/* A name passing for a kernel thread ("[kworker/0:1]", "kworker/0:1") or a
 * system daemon ("sshd: root@pts/0", "/usr/sbin/cron").  brackets: a
 * leading '[' alone is enough (user processes never show one: only
 * kernel threads, or a zombie's "[comm]", which is not passed here). */
bool masquerade_name(const char *name, bool brackets, const char *real);
void found_recon(struct state *st, const struct da_event *ev, const char *label);
void on_snapshot(struct state *st, const struct da_event *ev);
/* Remember that ev's process passes for what (once per pid, MAX_MASQ at most). */
void note_masquerade(struct state *st, const struct da_event *ev, const char *what);
void report_masquerades(struct state *st);

/* ---- exec.c: judging one exec: allow_exec, writable places, links, loader variables */
void held_free(struct held_exec *h);
/* Judge the exec a process held back (a failed PATH-search attempt). */
void flush_held(struct state *st, struct proc *p);
bool in_writable_place(const struct state *st, const char *path);
/*
 * execvp and friends try each PATH directory in turn: ENOENT, ENOENT, then
 * success, all with the same argv in the same process.  That is one
 * attempt, judged once: a failed exec is held until the process tries
 * again (the retry replaces it), tries something else, ends, or the input
 * ends (then the last failure is the attempt).
 */
void on_exec(struct state *st, const struct da_event *ev);
/* Files the target creates or changes may later be executed. */
void on_file(struct state *st, const struct da_event *ev);

/* ---- shell.c: shell -c strings and inline code: words, dangers, sockets, curl | sh */
bool is_separator_word(const char *w);
void split_words(const char *script, struct words *out);
/* The program a simple command starting at word i runs: VAR=x words and
 * wrappers (exec, nohup, sudo, timeout N...) skipped.  Returns its index. */
size_t command_word(const struct words *ws, size_t i);
bool in_version_list(const char *base, const char *const *list);
bool is_net_tool(const char *name);
/* The -c string names program applet as a command. */
bool script_names(const char *script, const char *applet);
/* What makes a -c string dangerous (a network tool, /dev/tcp...), or NULL. */
const char *shell_danger(const char *script);
/* The script a shell runs: the word after -c (or -ec, -lc ...). */
const char *shell_script(const struct da_event *ev);
const char *shell_operand(const struct da_event *ev);
/* stdin or stdout of the exec'd program is a network socket
 * ("socket:inet/stream->...", "socket:inet6/..."): a unix socketpair is how
 * node/libuv and others wire a child's stdio, not a remote peer. */
bool stdio_on_inet_socket(const struct da_event *ev);
/* Report a shell's -c string: low when it only runs ordinary programs,
 * high when it reaches the network, runs decoded data, opens an
 * interactive shell, wipes home or root or sets a setuid bit.  Programs it
 * names are covered by this finding (see the cover of struct proc). */
void report_shell_script(struct state *st, const struct da_event *ev, const char *applet,
			 const char *script, struct proc *p);
/* A child running code given on its command line (python -c, perl -e...). */
bool check_inline_code(struct state *st, const struct da_event *ev, const char *applet,
		       bool setup, bool allowed_explicitly);
/* Remember the two ends of a `curl URL | sh` pipeline (siblings: same
 * parent): a shell reading its script from a pipe, a downloader writing
 * one.  Matched at the end (the shell's exec may come first). */
void note_piped(struct state *st, const struct da_event *ev, const char *applet,
		const char *script, bool is_shell);
/* Whether a shell -c string reaches the network (a network tool, /dev/tcp). */
bool script_uses_network(const char *script);
/* `curl URL | sh`: a shell of the target reading its commands from a pipe
 * while a sibling downloads into one (a shell not already reported). */
void report_piped_downloads(struct state *st);

/* ---- chain.c: delayed shell chains (a quiet wait, then a hidden file, a survey) */
/* The weight of a shell -c string run at ev: DA_SEV_LOW for none, else
 * medium or high with the chain written into what ("after 3 s of quiet,
 * writing a hidden file (/tmp/.x)"). */
enum da_severity shell_chain(const struct state *st, const struct da_event *ev, const char *script,
			     char *what, size_t len);

/* ---- loader.c: LD_PRELOAD, LD_AUDIT, LD_LIBRARY_PATH in a program's environment */
void check_loader_env(struct state *st, const struct da_event *ev, const char *applet,
		      bool setup);

/* ---- harvest.c: secrets harvested to local files */
void check_harvest(struct state *st, const struct da_event *ev);

/* ---- timing.c: sleeps and timed waits that outlast the observation window */
void on_sleep(struct state *st, const struct da_event *ev);
void report_long_sleeps(struct state *st);

/* ---- tree.c: the process tree: forks, exits, orphans, sessions, signals */
void on_signal(struct state *st, const struct da_event *ev);
/* Observable work of the run phase (for long_sleep), inet connects (for
 * masquerade). */
void on_activity(struct state *st, const struct da_event *ev);
void on_fork(struct state *st, const struct da_event *ev);
void report_lingering(struct state *st, const struct proc *p, double at, const char *what);
/* A process ended: children it leaves behind are detached (double fork). */
void process_ended(struct state *st, int pid, double t);
void on_exit_event(struct state *st, const struct da_event *ev);
void on_session(struct state *st, const struct da_event *ev);
/* Each setsid of a child: medium when the process or anything in its new
 * session outlived its parent or the main program (a double fork
 * included: report_lingering marks the session), low when the session
 * ended with its parent still there. */
void report_setsids(struct state *st);

#endif /* DA_PLUGIN_PROCESS_H */

/*
 * backdoor.h — the inside of the "backdoor" detector, for its own files.
 *
 * One state (struct backdoor, below) fed event by event:
 *   backdoor.c    the rules (top comment), the descriptor and the lifecycle:
 *                 init reads allow_connect, on_event dispatches by kind,
 *                 finish reports beacons and shells that connected.
 *   state.c       small helpers, emit() (the one emit site), processes and
 *                 the sockets/memfds each holds (struct proc, tracked_fd).
 *   shells.c      reverse and bind shells: a shell or interpreter whose stdio
 *                 is a socket, shells that connect, scripts run from argv.
 *   payloads.c    dropped payloads: files written in temp places or the
 *                 workdir and then executed, mapped executable or loaded.
 *   exfil.c       exfiltration (a secret read, then sent) and beaconing
 *                 (regular contacts to one destination).
 *   honeytoken.c  decoy credentials leaving the process (honeytoken.h).
 *   keylog.c      input capture: keyboards, input devices, consoles,
 *                 terminal ioctls (injection, raw mode).
 */
#ifndef DA_PLUGIN_BACKDOOR_H
#define DA_PLUGIN_BACKDOOR_H

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "dynaudit/endpoint.h"
#include "dynaudit/detector.h"
#include "dynaudit/event.h"
#include "dynaudit/pathclass.h"
#include "dynaudit/plugin.h"
#include "dynaudit/progclass.h"

#include "honeytoken.h"

#define MAX_PROCS 1024
#define MAX_FDS 16         /* tracked sockets/memfds per process */
#define MAX_DROPPED 2048   /* remembered written files */
#define MAX_DESTS 128      /* connect destinations tracked for beaconing */
#define MAX_TIMES 32       /* connect times kept per destination */
#define MAX_OWN_PORTS 128  /* ports the run itself listens on or bound */
#define MAX_PEERS 8        /* outbound peers remembered per process */
#define MAX_WORK 512       /* workdir files written at run time by non-toolchain programs */
#define MAX_RS_DESTS 32    /* destinations already reported as reverse shells */
#define BURST_GAP 0.5      /* sends closer than this to the last contact are one burst */
#define EVIDENCE_MAX 512   /* characters kept of one evidence line */
#define ANCESTOR_REACH 3

enum fd_kind { FD_NONE = 0, FD_CONNECTED, FD_ACCEPTED, FD_MEMFD };

struct tracked_fd {
	int fd;
	enum fd_kind kind;
	char desc[96];              /* destination or memfd name */
};

struct proc {
	int pid, ppid;              /* pid 0: free slot */
	struct tracked_fd fds[MAX_FDS];
	size_t n_fds;
	bool connected;             /* this pid attempted a connect */
	char exe[64];               /* base name of its current program */
	char *cwd;                  /* its working directory (NULL: the workdir) */
	char *script;               /* the script its interpreter was started on */
	char peers[MAX_PEERS][96];  /* inet peers it connected to itself */
	size_t n_peers;
	bool pty_master;            /* opened /dev/ptmx (pty.spawn, forkpty) */
	char *connect_text, *accept_text, *dup_text;
	char tried[96];             /* first inet peer outside allow_connect it (or its
				     * parent before the fork) tried, answered or not */
	char *tried_text;
	char *secret;               /* path of a secret it (or kin) read */
	char *secret_text;
	bool secret_weak;           /* /etc/passwd-like: only non-local sends count */
	bool exfil_reported;
};

struct dropped {
	char *path;
	char *text;                 /* the write that dropped it */
	bool setup;                 /* written by the build (target.setup): expected */
};

/* A file written under an ordinary name in the workdir during the run by a
 * program that is not a compiler or linker: not a drop by itself (programs
 * write their output there), but it may not be run through ld.so or loaded
 * as a library the interpreter wrote. */
struct work_write {
	char *path;
	char *text;
	char writer[64];
	bool interp;                /* the writer is an interpreter (python, node, sh ...) */
};

struct dest {
	char addr[96];
	bool loopback;
	size_t n;
	double times[MAX_TIMES];
	char *first_text;
	int pid;
	size_t n_sends;             /* contacts that were explicit-destination sends */
	double last_seen;           /* time of the last connect or send, counted or not */
};

struct backdoor {
	const struct da_host *host;
	struct bd_honey *honey;    /* the planted decoys (honeytoken.c) */
	const char *workdir, *home;
	size_t workdir_len, home_len;
	struct da_endpoint_list *allow; /* allow_connect */

	struct proc procs[MAX_PROCS];
	size_t procs_used;         /* slots ever taken: [0, procs_used) is all a lookup reads */
	size_t procs_dropped;
	struct dropped drops[MAX_DROPPED];
	size_t n_drops, drops_dropped;
	struct dest dests[MAX_DESTS];
	size_t n_dests, dests_dropped;
	struct work_write works[MAX_WORK];
	size_t n_works, works_dropped;
	int own_ports[MAX_OWN_PORTS];
	size_t n_own_ports;
	char rs_dests[MAX_RS_DESTS][96];
	size_t n_rs_dests;
	/* a shell's own connect that reached its peer: reported at finish
	 * unless an exec on that connection told the fuller story first */
	struct shell_connect {
		char dest[96], exe[64], *text;
		int pid;
		double t;
	} shell_connects[MAX_RS_DESTS];
	size_t n_shell_connects;

	struct keylog *keylog;     /* keylog.c's own memory (NULL until needed) */

	enum da_severity worst;
	size_t n_findings;
	char worst_label[64];
	char worst_message[256];
};

/* ---- state.c: small helpers, emit(), processes and the descriptors they hold */
char *copy_text(const char *text);
void replace_text(char **slot, const char *text);
bool under(const char *path, const char *dir, size_t len);
bool in_workdir(const struct backdoor *st, const char *path);
bool in_temp_dir(const char *path);
/* addr is "host:port" as the events spell it; the address classes live
 * in libdynaudit-sdk (dynaudit/endpoint.h). */
bool is_loopback(const char *addr);
bool is_net_socket(const char *desc);
/* allow_connect is matched by libdynaudit-sdk's endpoint matcher, the one
 * the network detector uses: one entry means the same to both. */
bool allowed(const struct backdoor *st, const char *addr);
/* The one emit site: the message is fmt and its arguments (formatted by
 * libdynaudit-sdk's da_emit_findingv); NULL evidence lines are skipped;
 * label and message of the worst finding feed the summary. */
void emit(struct backdoor *st, const char *rule, enum da_severity sev, const char *label, int pid,
	  double t, const char *const *evidence, size_t n_in, const char *recommendation,
	  const char *fmt, ...) __attribute__((format(printf, 10, 11)));
void outcome(const struct da_event *ev, char *buf, size_t len);
void proc_clear(struct proc *p);
struct proc *proc_find(struct backdoor *st, int pid);
/* The state of pid, created when new; NULL when the table is full. */
struct proc *proc_get(struct backdoor *st, int pid, int ppid);
struct tracked_fd *fd_find(struct proc *p, int fd);
void fd_forget(struct proc *p, int fd);
void fd_track(struct proc *p, int fd, enum fd_kind kind, const char *desc);
/* Remember an outbound peer ("127.0.0.1:4444") of the process that
 * connected; kept after close, since live runs do not see dup2/close. */
void note_peer(struct proc *p, const char *addr);
/* What sits on fd 0 or 1 according to our own dup tracking. */
const struct tracked_fd *socket_on_stdio(struct proc *p);
void on_fork(struct backdoor *st, const struct da_event *ev);
void on_chdir(struct backdoor *st, const struct da_event *ev);

/* ---- payloads.c: dropped payloads: files written and then run, mapped or loaded */
const struct dropped *dropped_find(const struct backdoor *st, const char *path);
/* base equals one of exact[] or starts with one of prefixes[]. */
bool name_in(const char *base, const char *const *exact, size_t n_exact,
	     const char *const *prefixes, size_t n_prefixes);
/* The dynamic loader run as a program: ld-linux-x86-64.so.2 FILE. */
bool is_loader(const char *base);
const struct work_write *work_find(const struct backdoor *st, const char *path);
bool is_fileless(const struct da_event *ev, const char *path);
void on_mmap_exec(struct backdoor *st, const struct da_event *ev);
void on_write_like(struct backdoor *st, const struct da_event *ev);
void on_memfd(struct backdoor *st, const struct da_event *ev);

/* ---- exfil.c: exfiltration (a secret read, then sent) and beaconing */
void give_secret(struct proc *p, const char *path, const char *text, bool weak);
void on_secret_read(struct backdoor *st, const struct da_event *ev);
void check_exfiltration(struct backdoor *st, struct proc *p, const struct da_event *ev);
/* A connect attempt, or a send with an explicit destination (sendto or
 * sendmsg on an unconnected socket: a UDP beacon never connects).  Only the
 * first send of a burst counts: a datagram stream is one contact, not a
 * series. */
void note_contact(struct backdoor *st, const struct da_event *ev, bool send);
/* sendto/sendmsg naming its destination: the socket is not connected (no
 * "->" peer in its description) and the call carries an address. */
bool is_explicit_send(const struct da_event *ev);
/* The local port of "socket:inet/dgram@0.0.0.0:38604" (0 when none). */
int local_port(const char *desc);
void note_own_port(struct backdoor *st, int port);
void report_beacons(struct backdoor *st);

/* ---- shells.c: reverse and bind shells, shells that connect, scripts run from argv */
void on_exec(struct backdoor *st, const struct da_event *ev);
void on_other(struct backdoor *st, const struct da_event *ev);
/* At the end: a shell's connection that no exec on it was reported for. */
void report_shell_connects(struct backdoor *st);
void on_net(struct backdoor *st, const struct da_event *ev);

/* ---- keylog.c: input capture (keyboards, consoles, screens, terminal ioctls) */
/* Every event goes through it (it keeps what each exec was given). */
void check_input_capture(struct backdoor *st, const struct da_event *ev);
void keylog_free(struct keylog *kl);

#endif /* DA_PLUGIN_BACKDOOR_H */

/*
 * tracer_priv.h — what the tracer's files share: the state of each traced
 * thread and process, one captured syscall, and the internal functions of
 * tracer_filter.c, tracer_mem.c, tracer_decode.c, tracer_event.c,
 * tracer_text.c, tracer_fd.c and tracer_probe.c.
 * Not part of any public interface.
 */
#ifndef DYNAUDIT_TRACER_PRIV_H
#define DYNAUDIT_TRACER_PRIV_H

#include <linux/filter.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "common/procstate.h"
#include "live/tracer.h"
#include "live/tracer_syscalls.h"

/* seccomp SECCOMP_RET_TRACE data values (the "ret_data" of a stop). */
#define TRACER_DATA_SYSCALL 0   /* a table syscall */
#define TRACER_DATA_BADARCH 1   /* 32-bit or x32 entry */

/* The call tracer_install_filter makes right after installing the
 * notifying program: its stop is where the tracer takes the listener,
 * before the child's next write (the sandbox's status pipe) would wait on
 * a listener nobody holds yet.  getppid: allowed by every outer filter
 * (a container's), rare, harmless.  The tracer answers it with
 * TRACER_MARK_ACK (no pid is that large) once it holds the listener; the
 * child refuses to go on with any other answer. */
#define TRACER_LISTENER_MARK "getppid"
#define TRACER_MARK_ACK 0x40000001L

/* Listeners (notification fds) held at once: one per child that installs
 * the filter, i.e. target.setup and the target. */
#define TRACER_MAX_LISTENERS TRACER_POLL_FDS_MAX

/* Sleeps shorter than this (seconds) are answered but not published. */
#define TRACER_SLEEP_MIN_S 1

/* Caps on what is read from tracee memory (hostile input). */
#define TRACER_STR_MAX 4096
#define TRACER_ARGV_MAX 256
#define TRACER_ARGV_BYTES 65536
#define TRACER_SOCKADDR_MAX 128

/* One syscall, captured at its seccomp stop and completed at its exit. */
struct sc_call {
	const struct sc_row *row;   /* NULL for a bad-arch entry */
	long nr;
	uint32_t arch;              /* AUDIT_ARCH_* */
	uint64_t args[6];
	double time_s;
	int deny_errno;             /* > 0: the tracer failed the call */
	bool has_result;
	int64_t ret;                /* kernel return: >= 0, or -errno */
	/* memory read at entry (NULL when absent or unreadable) */
	char *str[2];               /* path-like arguments */
	bool str_trunc[2];
	uint8_t sa[TRACER_SOCKADDR_MAX];
	uint32_t salen;             /* 0: no sockaddr captured */
	char payload[TRACER_PAYLOAD_MAX * 4 + 1]; /* send with opt.capture_sends: the first
				     * bytes, non-printables as \xNN ("" none) */
	uint8_t raw[TRACER_PAYLOAD_MAX]; /* sends: their first bytes as sent (DNS decoding) */
	uint32_t raw_len;
	uint64_t send_len;          /* sends: bytes handed to the kernel (all iovecs) */
	bool out_is_socket;         /* write/writev/sendfile...: the fd written is a socket */
	int passed_fd;              /* sendmsg: the first fd passed with SCM_RIGHTS, -1 none */
	int n_passed;               /* how many */
	int32_t pidfd_pid;          /* pidfd_send_signal: the pid its pidfd refers to, 0 unknown */
	char **argv;                /* exec argv, argc entries */
	int argc;
	bool argv_trunc;
	uint64_t envc;              /* exec envp entries (counted) */
	char loader_env[1024];      /* exec: its LD_PRELOAD/LD_AUDIT/LD_LIBRARY_PATH, "" none */
	uint64_t clone3_flags;      /* clone3: clone_args.flags, read at entry */
	int64_t ioctl_value;        /* terminal ioctl: what its argument says (c_lflag, the
				     * byte, the subcode, the mode; tracer_dec_tty.c), -1 unread */
	char fstype[64];            /* mount: the filesystem type ("" unknown) */
	int64_t sleep_s, sleep_ns;  /* sleeps: the requested time (-1 unread) */
	int64_t sleep_left_s;       /* sleeps: seconds from now until it ends */
	double sleep_left;          /* the same, with its fraction (-1 unread) */
	double cut_from_s, cut_to_s;/* skip_sleeps cut it from/to these seconds (-1: not cut) */
	/* memory read at exit */
	int fds[2];                 /* socketpair results, -1 when none */
	/* storage for the strings above */
	char *arena;
	size_t arena_used, arena_cap;
};

/* A traced thread (host tid). */
struct tracee {
	pid_t tid;
	pid_t tgid;
	int ns_tid;
	struct tproc *proc;
	bool awaiting_exit;         /* resumed with PTRACE_SYSCALL after a seccomp stop */
	bool skip_entry_stop;       /* pre-4.8 ordering: the next syscall stop is the entry */
	bool in_exec;               /* between an execve seccomp stop and its exit */
	bool call_valid;
	bool birth_published;       /* its fork/clone event went out from its own first stop */
	struct sc_call call;
};

/* A traced process (thread group, host tgid). */
struct tproc {
	pid_t tgid;
	int ns_pid;
	int ns_ppid;
	int nthreads;
	bool is_init;
	bool is_target;
	bool exit_published;
	bool exec_seen;             /* its first execve (or listener mark) was checked for a listener */
	double timer_at;            /* CLOCK_MONOTONIC seconds its last armed timer fires, 0 none */
	double short_sleep_s;       /* sleeps under TRACER_SLEEP_MIN_S, added up */
	unsigned short_sleeps;
	const char *timer_call;     /* the call that armed it ("alarm") */
	unsigned cuts;              /* its sleeps and timers cut by skip_sleeps */
	pid_t cut_tid;              /* the thread of its last cut timed wait, 0 none */
	double cut_end;             /* CLOCK_MONOTONIC s that wait would have ended */
	unsigned clones_failed;     /* plain clones that failed (tracer_dec_proc.c folds them) */
};

/* An fd described while its process was still stopped (tracer_prefetch_fds):
 * events are published after the process runs on, when the fd may be
 * closed or reused already (ld.so closes a library's fd right after its
 * mmap; getaddrinfo closes its probe socket right after connect). */
#define TRACER_PREFETCH_FDS 3
struct fd_prefetch {
	pid_t tid;
	int fd;
	bool open;                  /* false: the fd was not open */
	char desc[TRACER_STR_MAX + 1];
};

/* tracer_oracle.c: remembered outcomes of notified opens, by path. */
#define TRACER_ORACLE_SLOTS 256
#define TRACER_ORACLE_PATH 256
struct oracle_entry {
	bool used;
	uint32_t hash;
	uint64_t flags;             /* O_NOFOLLOW | O_DIRECTORY of the open */
	int err;                    /* 0 readable, else errno */
	char path[TRACER_ORACLE_PATH];
};

struct ptr_map;   /* tiny int -> pointer hash (tracer.c) */
struct taint;     /* what processes received (tracer_taint.c) */
struct codesrc;   /* temp files read back (tracer_codesrc.c) */

struct tracer {
	struct tracer_options opt;
	struct tracer_stats stats;
	uint64_t mask[2];
	struct sock_fprog prog;
	struct sock_fprog prog_notify;  /* fast_notify: with SCMP_ACT_NOTIFY rules */
	int notify_fds[TRACER_MAX_LISTENERS]; /* listeners taken from the target (and setup) */
	int n_notify;
	bool notify_sync_wakeup;    /* SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP is on */
	bool notify_noted;          /* the hand-over is said in notes */
	void *notif_req, *notif_resp;
	size_t notif_req_size, notif_resp_size;
	bool have_syscall_info;     /* PTRACE_GET_SYSCALL_INFO works */
	bool seccomp_before_entry;  /* pre-4.8: seccomp stop precedes syscall-entry stop */
	bool have_vm_readv;         /* process_vm_readv works (else PEEKDATA) */
	bool have_notify;           /* user notifications with CONTINUE + pidfd_getfd */
	char notes[320];            /* probe results, for logs */
	const struct sc_row *by_nr[1024];
	int listener_mark_nr;       /* TRACER_LISTENER_MARK's number, -1 when the arch lacks it */
	struct ptr_map *threads;    /* tid -> struct tracee */
	struct ptr_map *procs;      /* tgid -> struct tproc */
	struct procstate *ps;       /* keyed by namespace pid */
	/* Threads that ended recently: a child can come and go before its
	 * parent's fork event is handled, which still needs its pid. */
	struct { pid_t host, ns; bool birth_published; } gone[128]; /* threads freed lately */
	unsigned gone_next;
	struct fd_prefetch pre[TRACER_PREFETCH_FDS]; /* for the call being published */
	int n_pre;
	int oracle_root;            /* /proc/PID/root of the sandbox, -1 until needed */
	struct taint *taint;        /* received bytes, NULL until some came */
	struct codesrc *codesrc;    /* temp files opened for reading, NULL until one was */
	struct oracle_entry oracle_cache[TRACER_ORACLE_SLOTS];
	size_t oracle_cached;
	pid_t init_pid;
	pid_t target_pid;
	bool target_done;
	int target_code, target_signo;
	bool target_core;
	int alive;
};

/* tracer.c: the thread of a host tid (created from /proc when new), or
 * NULL when it cannot be accounted for. */
struct tracee *tracer_thread_get(struct tracer *t, pid_t tid);
/* tracer.c: call fn for every thread known (map order). */
void tracer_for_each_thread(struct tracer *t, void (*fn)(struct tracer *, struct tracee *, void *),
			    void *ctx);

/* tracer_probe.c: fills have_syscall_info, have_vm_readv,
 * seccomp_before_entry and notes. */
void tracer_probe_kernel(struct tracer *t);

/* tracer_filter.c: t->prog, and t->prog_notify when notifications are
 * wanted and available. */
int tracer_filter_build(struct tracer *t, char *err, size_t errlen);
/* Open flags that make an open need its result (a ptrace exit stop);
 * opens without any of them may go through a notification. */
#define TRACER_OPEN_WANTS_RESULT 0x210643u /* O_WRONLY|O_RDWR|O_CREAT|O_TRUNC|O_APPEND|O_DIRECTORY|O_PATH */

/* tracer_notify.c */
/* At a process's first execve seccomp stop: take its listener fd if it
 * has one.  Returns 0, or -errno when it has one that could not be taken. */
int tracer_notify_acquire(struct tracer *t, struct tracee *th);
/* Handle pending notifications; returns how many. */
int tracer_notify_drain(struct tracer *t);

/* tracer_timeskip.c — sandbox.time.skip_sleeps.  At a sleep's stop, after
 * tracer_decode_entry: true when it is to be cut (the caller then skips
 * it with return 0; c has its result and cut_from_s set). */
bool tracer_timeskip_sleep(struct tracer *t, struct tracee *th, struct sc_call *c);
/* At a timer's ptrace seccomp stop, after tracer_decode_entry: arm it for
 * the threshold instead when it asks for more (registers rewritten). */
void tracer_timeskip_timer(struct tracer *t, struct tracee *th, struct sc_call *c);
/* The filter rules of the timed waits (poll, select, epoll_wait, futex:
 * not table syscalls), when skipping is on; scmp_ctx is a
 * scmp_filter_ctx.  0 or a libseccomp error. */
int tracer_timeskip_rules(struct tracer *t, void *scmp_ctx);
/* At the seccomp stop of a syscall without a table row: a timed wait
 * longer than the threshold gets a zero timeout (published as a cut). */
void tracer_timeskip_wait(struct tracer *t, struct tracee *th, struct sc_call *c);

/* tracer_taint.c — received data reaching exec argv (opt.track_received).
 * At a recv's exit stop: keep its first bytes (inet sockets only). */
void tracer_taint_recv(struct tracer *t, struct tracee *th, struct sc_call *c);
/* Before an exec event is published: its arg[2] (1 + the index of an argv
 * string received shortly before by the process tree, 0 none) and arg[3]
 * (1: fd 0 is a file read past its start). */
struct da_event;
void tracer_taint_exec(struct tracer *t, const struct tracee *th, const struct sc_call *c,
		       struct da_event *ev);
void tracer_taint_free(struct tracer *t);
/* CLOCK_MONOTONIC seconds; is pid anc or a descendant (namespace pids)? */
double tracer_mono_s(void);
bool tracer_in_tree(const struct tracer *t, int pid, int anc);
/* Did the process tree of ns_pid receive these bytes (in one recv)? */
bool tracer_taint_holds(const struct tracer *t, int ns_pid, const void *bytes, size_t n);

/* tracer_codesrc.c — the code in anonymous executable memory: received
 * (CODESRC_RECEIVED) or read back from a temp file (CODESRC_FILE: its path
 * in path), 0 neither.  note_open remembers a published read-only open. */
enum { CODESRC_RECEIVED = 1, CODESRC_FILE = 2 };
void tracer_codesrc_note_open(struct tracer *t, const struct da_event *ev);
int tracer_codesrc_exec_memory(struct tracer *t, const struct tracee *th, uint64_t addr, uint64_t len,
			       char *path, size_t pathlen);
void tracer_codesrc_free(struct tracer *t);

/* tracer_oracle.c — the outcome of a notified read-only open of path
 * (absolute, sandbox view): 0 readable, an errno the open would fail
 * with, or -1 unknown (not checked: program trees, /proc, /sys, /dev). */
int tracer_oracle_open(struct tracer *t, const struct tracee *th, const char *path, uint64_t flags);
/* A regular file of the sandbox opened for reading as the target would:
 * resolved in the sandbox's root, its own links followed only there, no
 * magic links, no FIFO or device.  The fd, or -1. */
int tracer_oracle_read_fd(struct tracer *t, const struct tracee *th, const char *path);
/* After a traced call that may change the tree: forget every outcome. */
void tracer_oracle_forget(struct tracer *t);

/* tracer_mem.c — reads from a stopped tracee (host tid). */
ssize_t tracer_mem_read(const struct tracer *t, pid_t tid, uint64_t addr, void *buf, size_t len);
/* String at addr into buf (always NUL-terminated); returns its length or
 * -errno; *trunc when cut at cap or at an unreadable page. */
ssize_t tracer_mem_string(const struct tracer *t, pid_t tid, uint64_t addr, char *buf,
			  size_t cap, bool *trunc);

/* tracer_decode.c — copying what the arguments point to */
void sc_call_reset(struct sc_call *c);
void sc_call_free(struct sc_call *c);
/* Read the memory the call's arguments point to (at the seccomp stop). */
void tracer_decode_entry(struct tracer *t, struct tracee *th, struct sc_call *c);
/* tracer_dec_tty.c: a terminal ioctl's argument and terminal, at its entry stop. */
void tracer_tty_entry(struct tracer *t, struct tracee *th, struct sc_call *c);
/* Does the event need the syscall's result (an exit stop)? */
bool tracer_decode_wants_exit(const struct tracer *t, const struct sc_call *c);
/* At the exit stop: result-dependent memory (accepted peer, socketpair). */
void tracer_decode_exit(struct tracer *t, struct tracee *th, struct sc_call *c);
/* tracer_capture.c — the entry copies of sends, writes, copies to sockets
 * and pidfd signals (tracer_decode_entry hands them over). */
void tracer_capture_sockaddr(struct tracer *t, struct tracee *th, struct sc_call *c, uint64_t addr,
			     uint64_t len);
bool tracer_capture_entry(struct tracer *t, struct tracee *th, struct sc_call *c);
/* tracer_event.c — building and publishing events */
/* Build the event(s) and publish them; updates procstate. */
void tracer_event_publish(struct tracer *t, struct tracee *th, struct sc_call *c);
/* Exec event at PTRACE_EVENT_EXEC (success) or a failed exec's exit. */
void tracer_publish_exec(struct tracer *t, struct tracee *th, struct sc_call *c);
/* Fill ev's pid/tid/ppid/time from the thread. */
struct da_event;
void tracer_event_origin(const struct tracer *t, const struct tracee *th, struct da_event *ev);

/* tracer_fd.c — what an fd of a process is, from /proc (kernel truth).
 * tracer_fd_describe answers from the prefetched descriptions first. */
/* Before the stopped caller of c runs on: describe the fds its event
 * will name (dirfds of relative paths, sockets, fchmod/fchdir/mmap fds,
 * an accepted fd). */
void tracer_prefetch_fds(struct tracer *t, const struct tracee *th, const struct sc_call *c);
/* After the event is published: forget them. */
void tracer_prefetch_clear(struct tracer *t);
const char *tracer_fd_describe(struct tracer *t, const struct tracee *th, int fd, char *buf,
			       size_t len);
/* Text of a sockaddr ("127.0.0.1:80", "[::1]:80", "/run/x.sock",
 * "@abstract"); *port set when it has one.  Returns buf. */
const char *tracer_sockaddr_text(const void *sa, size_t salen, char *buf, size_t len, int *port);
const char *tracer_family_name(int family);
const char *tracer_signal_name(int sig);  /* "SIGTERM" (tracer_text.c) */
const char *tracer_socktype_name(int type);

#endif /* DYNAUDIT_TRACER_PRIV_H */

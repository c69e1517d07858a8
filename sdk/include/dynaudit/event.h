/*
 * dynaudit/event.h — the one event type every source publishes on the bus.
 *
 * Part of the dynaudit detector SDK (see dynaudit/plugin.h for the ABI
 * version and the plugin lifecycle).  A detector never builds events; it
 * receives them, read-only, in its on_event() callback.
 *
 * OWNERSHIP: every pointer inside a struct da_event (strings, argv, stdio)
 * is owned by the core and is valid only for the duration of the on_event()
 * call that received it.  A detector that needs a value later copies it.
 *
 * COMPATIBILITY: struct da_event only grows at the end.  A detector must
 * check ev->struct_size before reading a member added after ABI 1.0 (use
 * DA_EVENT_HAS(ev, member)).  Event kind numbers are never reused.
 *
 * TIME: time_s is seconds since the target started (live) or since the first
 * line of the recorded log (replay).  The bus delivers events to each
 * subscriber in non-decreasing publication order.
 */
#ifndef DYNAUDIT_EVENT_H
#define DYNAUDIT_EVENT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Event kinds.  A detector subscribes with DA_KINDS(kind, ...) (plugin.h).
 * Which members of struct da_event are meaningful for each kind is listed
 * next to the kind; members not listed are 0 / NULL.
 */
enum da_event_kind {
	DA_EV_NONE = 0,

	/* ---- process ---------------------------------------------------- */
	/* execve/execveat.  path: resolved executable; argv/argc; stdio[0..2]:
	 * what fds 0,1,2 of the process were at the exec (see "fd descriptions"
	 * below); result/err: whether the exec succeeded; fd: dirfd for
	 * execveat (or -1); detail: "memfd" when the executable is a memfd;
	 * loader_env (ABI 1.1): LD_PRELOAD/LD_AUDIT/LD_LIBRARY_PATH set. */
	DA_EV_PROC_EXEC = 1,
	/* fork/vfork/clone/clone3 in the parent.  target_pid: the new pid (or
	 * -1 on failure, err set); flags: clone flags (SIGCHLD for fork);
	 * detail: "thread" when CLONE_THREAD is set, else "process". */
	DA_EV_PROC_FORK = 2,
	/* A process (thread group) ended.  arg[0]: exit code, or -1 when it was
	 * killed; detail: the killing signal name ("SIGKILL") or NULL;
	 * arg[1]: 1 when a core was dumped. */
	DA_EV_PROC_EXIT = 3,
	/* A signal.  Delivered to pid (syscall == NULL, detail = "SIGSEGV",
	 * arg[0] = signo, arg[1] = si_code, target_pid = sender or 0) or sent
	 * by pid with kill/tkill/tgkill (syscall set, target_pid = destination,
	 * arg[0] = signo, detail = signal name).  pidfd_send_signal: target_pid
	 * is the pid the pidfd refers to (live; 0 when unknown). */
	DA_EV_PROC_SIGNAL = 4,
	/* setsid/setpgid/prctl(PR_SET_CHILD_SUBREAPER)...: session and
	 * process-group changes.  syscall tells which; detail: the prctl
	 * option.  prctl(PR_SET_NAME) (the name ps shows) is one too, with
	 * raw_path: the new name. */
	DA_EV_PROC_SESSION = 5,

	/* ---- file ------------------------------------------------------- */
	/* open/openat/openat2/creat.  path: resolved absolute path;
	 * raw_path: as the program wrote it; flags: open flags; mode: create
	 * mode; access: DA_ACC_* bits; fd: the returned fd (or -1). */
	DA_EV_FILE_OPEN = 10,
	/* unlink/unlinkat/rmdir.  path. */
	DA_EV_FILE_UNLINK = 11,
	/* rename/renameat/renameat2.  path: old; path2: new. */
	DA_EV_FILE_RENAME = 12,
	/* chmod/fchmod/fchmodat.  path (fd resolved for fchmod); mode. */
	DA_EV_FILE_CHMOD = 13,
	/* chown/fchown/lchown/fchownat.  path; arg[0]: uid; arg[1]: gid. */
	DA_EV_FILE_CHOWN = 14,
	/* link/linkat/symlink/symlinkat.  path: the new name; path2: the
	 * target (for symlinks: the text as written); detail: "symlink" or
	 * "hardlink". */
	DA_EV_FILE_LINK = 15,
	/* mmap/mprotect with PROT_EXEC of a file mapping.  path: the file
	 * (fd resolved); flags: prot; detail: "mmap" or "mprotect". */
	DA_EV_FILE_MMAP_EXEC = 16,
	/* mkdir/mkdirat/mknod.  path; mode. */
	DA_EV_FILE_MKDIR = 17,
	/* chdir/fchdir.  path: the new cwd. */
	DA_EV_FILE_CHDIR = 18,
	/* write/pwrite/writev/sendfile... to a regular file or device (not a
	 * socket: see DA_EV_NET_SEND).  fd, fd_desc; arg[0]: byte count. Only
	 * the first write per (pid, fd) open is published (intent, not volume). */
	DA_EV_FILE_WRITE = 19,
	/* memfd_create.  detail: the name; fd. */
	DA_EV_FILE_MEMFD = 20,
	/* stat/access/readlink/statx... on a path (probing).  path. */
	DA_EV_FILE_STAT = 21,

	/* ---- network ---------------------------------------------------- */
	/* socket/socketpair.  family (AF_*), sock_type (SOCK_* without flags),
	 * protocol; fd: the new fd. */
	DA_EV_NET_SOCKET = 30,
	/* connect.  fd, fd_desc, family, sock_type, addr ("127.0.0.1:5555",
	 * "[::1]:80", "/run/x.sock", "@abstract"), port; result/err
	 * (EINPROGRESS counts as an attempt).  A TCP Fast Open send
	 * (sendto/sendmsg with MSG_FASTOPEN and an address) is a connect too,
	 * syscall "sendto"/"sendmsg". */
	DA_EV_NET_CONNECT = 31,
	/* bind.  as connect. */
	DA_EV_NET_BIND = 32,
	/* listen.  fd, fd_desc (carries the bound address), addr, port;
	 * arg[0]: backlog. */
	DA_EV_NET_LISTEN = 33,
	/* accept/accept4.  fd: the listening fd; target_fd: the new fd;
	 * addr: the peer. */
	DA_EV_NET_ACCEPT = 34,
	/* sendto/sendmsg/sendmmsg/write/writev on a socket, and sendfile/
	 * splice/copy_file_range into one (path: the file read, when it is
	 * one).  fd, fd_desc, addr: the explicit destination or the connected
	 * peer; arg[0]: byte count.
	 * detail: NULL, or (live audits with sandbox.deception.honeytokens)
	 * the first 512 bytes sent, non-printable bytes as \xNN. */
	DA_EV_NET_SEND = 35,
	/* recvfrom/recvmsg/read on a socket.  as send. */
	DA_EV_NET_RECV = 36,

	/* ---- privilege -------------------------------------------------- */
	/* setuid/setgid/setreuid/setregid/setresuid/setresgid/setfsuid/
	 * setfsgid/setgroups.  arg[0..2]: the requested ids (-1 unchanged). */
	DA_EV_PRIV_ID = 50,
	/* capset, and prctl options about capabilities, securebits,
	 * no_new_privs, dumpable, seccomp.  detail: "capset" or the prctl
	 * option name ("PR_CAPBSET_DROP"); arg[0..1]: raw args. */
	DA_EV_PRIV_CAP = 51,
	/* unshare/setns, and clone/clone3 with namespace flags.  flags: the
	 * CLONE_NEW* flags; detail: their names ("CLONE_NEWUSER|CLONE_NEWNET"). */
	DA_EV_PRIV_NS = 52,
	/* mount/umount/umount2/pivot_root/chroot/fsopen/move_mount.  path:
	 * target or new root; path2: source; detail: fs type. */
	DA_EV_PRIV_MOUNT = 53,
	/* ptrace/process_vm_writev/process_vm_readv/pidfd_getfd on another
	 * process.  target_pid; detail: the request ("PTRACE_ATTACH").  Live
	 * audits also publish here clone with CLONE_UNTRACED (syscall "clone",
	 * detail "CLONE_UNTRACED": a child hidden from the tracer) and
	 * descriptors handed over with SCM_RIGHTS (syscall "sendmsg", detail
	 * "SCM_RIGHTS", target_fd: the fd passed, fd_desc/path: what it is,
	 * arg[0]: how many; only inet/packet/netlink sockets, files and
	 * directories, not pipes or unix sockets). */
	DA_EV_PRIV_PTRACE = 54,
	/* Kernel attack surface: init_module/finit_module/delete_module,
	 * kexec_*, bpf, perf_event_open, keyctl/add_key/request_key,
	 * userfaultfd, io_uring_setup/enter/register, iopl/ioperm,
	 * personality, reboot, sethostname/setdomainname, and x32/32-bit
	 * syscall entry.  syscall tells which. */
	DA_EV_PRIV_KERNEL = 55,

	/* ---- target and monitors ----------------------------------------- */
	/* One line of the target's stdout (fd = 1) or stderr (fd = 2).
	 * detail: the line without its newline (may be truncated). */
	DA_EV_OUTPUT = 70,
	/* The target's first process ended, or the window closed.  arg[0]:
	 * exit code or -1; detail: killing signal name or NULL; arg[1]: core
	 * dumped; arg[2]: 1 when the window closed with the target running. */
	DA_EV_TARGET_EXIT = 71,
	/* Filesystem monitor (inotify).  path: the file; detail: inotify
	 * event names as inotifywait prints them ("CREATE", "CLOSE_WRITE,CLOSE"). */
	DA_EV_FS_MONITOR = 72,
	/* One row of a process snapshot.  pid, ppid; path: exe; detail: the
	 * ps-style line. */
	DA_EV_PROC_SNAPSHOT = 73,
	/* One row of a socket snapshot (ss).  addr: local; path2: peer text;
	 * sock_type; detail: state ("LISTEN", "ESTAB"); port: local port;
	 * pid: owner or 0. */
	DA_EV_SOCK_SNAPSHOT = 74,

	/* Any traced syscall the decoder has no specific kind for (unknown
	 * syscalls in a strace log are kept here).  syscall, text; for
	 * nanosleep/clock_nanosleep arg[0] is the seconds until the sleep
	 * would end (-1 unknown).  Live audits also publish here, before the
	 * target starts, syscall "honeytoken" (detail: a decoy credential's
	 * name, text: its value) and "honeytoken_file" (path: a decoy file).
	 * syscall "dns_query": a DNS query (detail: the name, arg[0]: its
	 * type, addr/port: the server), from the sink resolver (pid 0) or
	 * decoded by the tracer from a send to port 53 (pid: the sender).
	 * syscall "ioctl" with detail set: a terminal or console request
	 * (detail: "TIOCSTI", "TIOCLINUX", "TIOCCONS", "KDSKBMODE",
	 * "KDGKBMODE", "TCSETS", "TCSETSW", "TCSETSF", "TCSETS2"...; live
	 * audits trace only these ioctls); fd, fd_desc, path: the terminal
	 * when known ("/dev/pts/0"); arg[0]: the request number; arg[1]: what
	 * the argument says (a termios set's c_lflag, TIOCSTI's byte,
	 * TIOCLINUX's subcode, KDSKBMODE's mode; -1 unread); arg[2]: for a
	 * termios set, 1 = ICANON cleared (raw mode) | 2 = ECHO cleared. */
	DA_EV_SYSCALL_OTHER = 90,

	DA_EV_KIND_MAX = 96 /* kinds are < 96; never reused */
};

/* Subscription mask helpers: kinds live in two 64-bit words. */
#define DA_EVMASK_WORDS 2
#define DA_EVMASK_SET(mask, kind) ((mask)[(kind) / 64] |= (uint64_t)1 << ((kind) % 64))
#define DA_EVMASK_HAS(mask, kind) (((mask)[(kind) / 64] >> ((kind) % 64)) & 1u)

/* Access intent bits of DA_EV_FILE_OPEN (derived from the open flags). */
enum da_access {
	DA_ACC_READ = 1 << 0,   /* O_RDONLY or O_RDWR */
	DA_ACC_WRITE = 1 << 1,  /* O_WRONLY or O_RDWR */
	DA_ACC_CREATE = 1 << 2, /* O_CREAT (or creat()) */
	DA_ACC_TRUNC = 1 << 3,  /* O_TRUNC */
	DA_ACC_APPEND = 1 << 4, /* O_APPEND */
	DA_ACC_DIR = 1 << 5,    /* O_DIRECTORY */
	DA_ACC_PATH = 1 << 6    /* O_PATH: no data access */
};

/*
 * Fd descriptions (fd_desc, stdio[]): a short text saying what an fd is.
 *   "/abs/path"                       a file, device or directory
 *   "socket:inet/stream->1.2.3.4:80"  a connected socket (peer after "->")
 *   "socket:inet6/stream@[::]:8080"   a bound/listening socket ("@" local)
 *   "socket:unix/stream->/run/docker.sock"
 *   "socket:inet/dgram", "socket:netlink/raw", "socket:packet/raw"
 *   "pipe", "memfd:NAME", "anon:[eventfd]", "tty", "unknown"
 * NULL when the fd is not open or was never seen.  Every socket description
 * starts with "socket:".
 */

/* One event.  See the kind list for which members each kind fills. */
struct da_event {
	/* Set by the core.  Required: always set.  Optional: may be the
	 * "none" value given (0, NULL, -1); the kind list says which members
	 * each kind fills. */
	uint32_t struct_size;  /* Required: sizeof(struct da_event) of the core */
	uint32_t kind;         /* Required: enum da_event_kind */
	uint64_t seq;          /* Required: publication order, from 1 */
	double time_s;         /* Required: seconds since the target started */
	int32_t pid;           /* Required: thread-group id (sandbox namespace view);
	                          0 only for events of no process (snapshots) */
	int32_t tid;           /* Optional: thread id (== pid for the leader), 0 none */
	int32_t ppid;          /* Optional: parent pid, 0 when unknown */
	int32_t target_pid;    /* Optional: other process involved (child, signal target), 0 */
	const char *syscall;   /* Optional: "openat", or NULL when not from a syscall */
	int64_t result;        /* Optional: return value (>= 0), or -1 when err is set */
	int32_t err;           /* Optional: errno of a failed call (positive), 0 on success */
	const char *errname;   /* Optional: "ENOENT", or NULL */
	const char *path;      /* Optional: primary resolved absolute path, NULL */
	const char *path2;     /* Optional: second path (rename target, link target...), NULL */
	const char *raw_path;  /* Optional: path as written by the program, NULL */
	int32_t fd;            /* Optional: fd argument or result, -1 when none */
	int32_t target_fd;     /* Optional: second fd (accept result, dup target), -1 */
	const char *fd_desc;   /* Optional: what fd is (see "Fd descriptions"), NULL */
	int64_t flags;         /* Optional: open flags / clone flags / prot, 0 */
	int64_t mode;          /* Optional: file mode bits, 0 */
	uint32_t access;       /* Optional: DA_ACC_* for FILE_OPEN, 0 */
	int32_t family;        /* Optional: AF_*, 0 */
	int32_t sock_type;     /* Optional: SOCK_STREAM, SOCK_DGRAM, SOCK_RAW ..., 0 */
	int32_t protocol;      /* Optional: socket protocol, 0 */
	const char *addr;      /* Optional: socket address text, NULL */
	int32_t port;          /* Optional: port of addr, 0 when none */
	int32_t argc;          /* Optional: number of argv strings, 0 */
	const char *const *argv; /* Optional: exec argv (argc entries; an entry may be
	                            NULL when unreadable), NULL */
	const char *stdio[3];  /* Optional: descriptions of fds 0,1,2 at exec, NULLs */
	int64_t arg[4];        /* Optional: kind-specific numbers (see the kind list), 0s */
	const char *detail;    /* Optional: kind-specific text (see the kind list), NULL */
	const char *phase;     /* Optional: "setup" for target.setup events, else NULL */
	const char *text;      /* Optional: strace-style line, the evidence shown to
	                          users; NULL when the source has none */
	/* ABI 1.0 ends here; new members go below. */

	/* Optional (ABI 1.1): PROC_EXEC: the dynamic-loader variables of the new
	 * program's environment (LD_PRELOAD, LD_AUDIT, LD_LIBRARY_PATH), one
	 * "NAME=value" per line, each ending in '\n'; NULL when there are none
	 * or when the source cannot see the environment (a strace log recorded
	 * without -v).  Read it through DA_EVENT_HAS(ev, loader_env). */
	const char *loader_env;
};

#define DA_EVENT_HAS(ev, member) \
	((ev)->struct_size >= offsetof(struct da_event, member) + sizeof((ev)->member))

#ifdef __cplusplus
}
#endif
#endif /* DYNAUDIT_EVENT_H */

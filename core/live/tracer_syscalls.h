/*
 * tracer_syscalls.h — which syscalls the live tracer stops on, and why.
 *
 * One table row per syscall name: the event kind it produces, how its
 * arguments are decoded (enum sc_id), whether it is one of the dangerous
 * syscalls the sandbox denies, and the family whose decoder turns a
 * completed call into its event (tracer_dec.h).  Numbers are resolved with
 * libseccomp for the native architecture at tracer_new() time, so a name
 * the architecture lacks (open, creat... on aarch64) is simply skipped.
 *
 * Deliberately NOT traced: read/readv/pread64/pwrite64, write/writev on
 * fds 0-2 (and close, dup*, fcntl), ioctl except the terminal requests of
 * keystroke injection and console capture (an argument filter), and the
 * fstat form of newfstatat/statx (AT_EMPTY_PATH on an fd).  They are the bulk of every program's
 * syscalls and stopping on them would multiply the audit's overhead; the
 * target's output is captured from pipes by the output module, and fd
 * descriptions are taken from /proc/<pid>/fd at the moment they are needed
 * (the kernel's truth), so an untraced dup2() or close() cannot make them
 * stale.  write/writev on fds >= 3 are traced (a notification when
 * fast_notify is on, never an exit stop) and published only when the fd
 * is a socket: a connected UDP beacon or a DNS query sent with write().
 * Consequently DA_EV_FILE_WRITE, and NET_RECV through plain read(), are
 * not produced by the live tracer; a socket moved onto fd 0-2 and written
 * there is seen only through the exec's stdio.
 */
#ifndef DYNAUDIT_TRACER_SYSCALLS_H
#define DYNAUDIT_TRACER_SYSCALLS_H

#include <stdbool.h>
#include <stdint.h>

/* How a syscall's arguments are decoded (see tracer_decode.c). */
enum sc_id {
	SC_NONE = 0,
	SC_OPEN, SC_OPENAT, SC_OPENAT2, SC_CREAT,
	SC_EXECVE, SC_EXECVEAT,
	SC_CLONE, SC_CLONE3, SC_FORK, SC_VFORK,
	SC_KILL, SC_TKILL, SC_TGKILL, SC_SIGQUEUE, SC_TGSIGQUEUE, SC_PIDFD_SEND_SIGNAL,
	SC_SETSID, SC_SETPGID, SC_PRCTL,
	SC_UNLINK, SC_UNLINKAT, SC_RMDIR,
	SC_RENAME, SC_RENAMEAT, SC_RENAMEAT2,
	SC_CHMOD, SC_FCHMOD, SC_FCHMODAT,
	SC_CHOWN, SC_FCHOWN, SC_LCHOWN, SC_FCHOWNAT,
	SC_LINK, SC_LINKAT, SC_SYMLINK, SC_SYMLINKAT,
	SC_MMAP, SC_MPROTECT,
	SC_MKDIR, SC_MKDIRAT, SC_MKNOD, SC_MKNODAT,
	SC_CHDIR, SC_FCHDIR,
	SC_MEMFD_CREATE,
	SC_STAT_PATH,      /* stat/lstat/access/readlink: path is arg 0 */
	SC_STAT_AT,        /* newfstatat/statx/faccessat/readlinkat: dirfd, path */
	SC_SOCKET, SC_SOCKETPAIR, SC_CONNECT, SC_BIND, SC_LISTEN, SC_ACCEPT, SC_ACCEPT4,
	SC_SENDTO, SC_SENDMSG, SC_SENDMMSG, SC_RECVFROM, SC_RECVMSG, SC_RECVMMSG,
	SC_SETID1, SC_SETID2, SC_SETID3, SC_SETGROUPS,
	SC_CAPSET,
	SC_UNSHARE, SC_SETNS,
	SC_MOUNT, SC_UMOUNT2, SC_PIVOT_ROOT, SC_CHROOT, SC_MOUNT_API,
	SC_PTRACE, SC_PROCESS_VM, SC_PIDFD_GETFD,
	SC_KERNEL,         /* kernel attack surface: syscall name is the detail */
	SC_PERSONALITY,
	SC_IO_URING,
	SC_OPEN_BY_HANDLE_AT,
	SC_SLEEP,          /* nanosleep / clock_nanosleep: how long it waits */
	SC_TIMER,          /* alarm / setitimer / timer_settime / timerfd_settime: when it fires */
	SC_WRITE, SC_WRITEV, /* only on fds >= 3, published only when the fd is a socket */
	SC_COPY,           /* sendfile / splice / copy_file_range: published when writing to a socket */
	SC_HOSTNAME,       /* sethostname / setdomainname(name, len) */
	SC_IOCTL,          /* ioctl: only the terminal requests of syscall_shapes.h stop */
};

/* When the dangerous-syscall policy denies a call. */
enum sc_deny {
	SC_DENY_NEVER = 0,
	SC_DENY_ALWAYS,       /* EPERM */
	SC_DENY_ENOSYS,       /* clone3: ENOSYS so libc falls back to clone */
	SC_DENY_CONDITIONAL,  /* decided from the arguments (clone, unshare, personality) */
};

struct sc_family;           /* its decoder (tracer_dec.h) */

struct sc_row {
	const char *name;
	enum sc_id id;
	uint32_t kind;          /* enum da_event_kind produced */
	enum sc_deny deny;      /* under deny_dangerous */
	const struct sc_family *family; /* builds its event, text and state */
};

/* The rows, terminated by a row with name == NULL. */
extern const struct sc_row tracer_syscall_table[];

/* Clone/unshare flags that create namespaces (denied and reported). */
#define TRACER_NS_FLAGS 0x7e020080ULL /* NEWNS|NEWCGROUP|NEWUTS|NEWIPC|NEWUSER|NEWPID|NEWNET|NEWTIME */

/* Would the dangerous policy deny this call with these arguments?
 * Returns the positive errno to fail it with, or 0 to let it run. */
int tracer_syscall_denial(const struct sc_row *row, const uint64_t args[6]);

#endif /* DYNAUDIT_TRACER_SYSCALLS_H */

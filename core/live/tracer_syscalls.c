/*
 * tracer_syscalls.c — the table of traced syscalls (see tracer_syscalls.h).
 */
#include "live/tracer_syscalls.h"

#include <errno.h>
#include <sched.h>

#include "dynaudit/event.h"

#ifndef CLONE_UNTRACED
#define CLONE_UNTRACED 0x00800000
#endif

#define ROW(n, i, k) { #n, i, k, SC_DENY_NEVER }
#define DENY(n, i, k) { #n, i, k, SC_DENY_ALWAYS }
#define COND(n, i, k) { #n, i, k, SC_DENY_CONDITIONAL }

const struct sc_row tracer_syscall_table[] = {
	/* process */
	ROW(execve, SC_EXECVE, DA_EV_PROC_EXEC),
	ROW(execveat, SC_EXECVEAT, DA_EV_PROC_EXEC),
	/* fork/vfork/clone are seen through PTRACE_EVENT_FORK/VFORK/CLONE;
	 * clone is stopped on only for CLONE_UNTRACED and namespace flags
	 * (an argument filter in tracer_filter.c), clone3 for its denial. */
	COND(clone, SC_CLONE, DA_EV_PROC_FORK),
	{ "clone3", SC_CLONE3, DA_EV_PROC_FORK, SC_DENY_ENOSYS },
	ROW(kill, SC_KILL, DA_EV_PROC_SIGNAL),
	ROW(tkill, SC_TKILL, DA_EV_PROC_SIGNAL),
	ROW(tgkill, SC_TGKILL, DA_EV_PROC_SIGNAL),
	ROW(rt_sigqueueinfo, SC_SIGQUEUE, DA_EV_PROC_SIGNAL),
	ROW(rt_tgsigqueueinfo, SC_TGSIGQUEUE, DA_EV_PROC_SIGNAL),
	ROW(pidfd_send_signal, SC_PIDFD_SEND_SIGNAL, DA_EV_PROC_SIGNAL),
	ROW(setsid, SC_SETSID, DA_EV_PROC_SESSION),
	ROW(setpgid, SC_SETPGID, DA_EV_PROC_SESSION),
	/* prctl: kind chosen from the option (session or capability). */
	ROW(prctl, SC_PRCTL, DA_EV_PRIV_CAP),

	/* file */
	ROW(open, SC_OPEN, DA_EV_FILE_OPEN),
	ROW(openat, SC_OPENAT, DA_EV_FILE_OPEN),
	ROW(openat2, SC_OPENAT2, DA_EV_FILE_OPEN),
	ROW(creat, SC_CREAT, DA_EV_FILE_OPEN),
	ROW(unlink, SC_UNLINK, DA_EV_FILE_UNLINK),
	ROW(unlinkat, SC_UNLINKAT, DA_EV_FILE_UNLINK),
	ROW(rmdir, SC_RMDIR, DA_EV_FILE_UNLINK),
	ROW(rename, SC_RENAME, DA_EV_FILE_RENAME),
	ROW(renameat, SC_RENAMEAT, DA_EV_FILE_RENAME),
	ROW(renameat2, SC_RENAMEAT2, DA_EV_FILE_RENAME),
	ROW(chmod, SC_CHMOD, DA_EV_FILE_CHMOD),
	ROW(fchmod, SC_FCHMOD, DA_EV_FILE_CHMOD),
	ROW(fchmodat, SC_FCHMODAT, DA_EV_FILE_CHMOD),
	ROW(chown, SC_CHOWN, DA_EV_FILE_CHOWN),
	ROW(fchown, SC_FCHOWN, DA_EV_FILE_CHOWN),
	ROW(lchown, SC_LCHOWN, DA_EV_FILE_CHOWN),
	ROW(fchownat, SC_FCHOWNAT, DA_EV_FILE_CHOWN),
	ROW(link, SC_LINK, DA_EV_FILE_LINK),
	ROW(linkat, SC_LINKAT, DA_EV_FILE_LINK),
	ROW(symlink, SC_SYMLINK, DA_EV_FILE_LINK),
	ROW(symlinkat, SC_SYMLINKAT, DA_EV_FILE_LINK),
	/* mmap/mprotect: only with PROT_EXEC (argument filter). */
	ROW(mmap, SC_MMAP, DA_EV_FILE_MMAP_EXEC),
	ROW(mprotect, SC_MPROTECT, DA_EV_FILE_MMAP_EXEC),
	ROW(mkdir, SC_MKDIR, DA_EV_FILE_MKDIR),
	ROW(mkdirat, SC_MKDIRAT, DA_EV_FILE_MKDIR),
	ROW(mknod, SC_MKNOD, DA_EV_FILE_MKDIR),
	ROW(mknodat, SC_MKNODAT, DA_EV_FILE_MKDIR),
	ROW(chdir, SC_CHDIR, DA_EV_FILE_CHDIR),
	ROW(fchdir, SC_FCHDIR, DA_EV_FILE_CHDIR),
	ROW(memfd_create, SC_MEMFD_CREATE, DA_EV_FILE_MEMFD),
	/* a long wait can outlast the observation window (a delayed payload) */
	ROW(nanosleep, SC_SLEEP, DA_EV_SYSCALL_OTHER),
	ROW(clock_nanosleep, SC_SLEEP, DA_EV_SYSCALL_OTHER),
	/* a timer armed far ahead, then an idle wait (pause, a timerfd read) */
	ROW(alarm, SC_TIMER, DA_EV_SYSCALL_OTHER),
	ROW(setitimer, SC_TIMER, DA_EV_SYSCALL_OTHER),
	ROW(timer_settime, SC_TIMER, DA_EV_SYSCALL_OTHER),
	ROW(timerfd_settime, SC_TIMER, DA_EV_SYSCALL_OTHER),
	ROW(stat, SC_STAT_PATH, DA_EV_FILE_STAT),
	ROW(lstat, SC_STAT_PATH, DA_EV_FILE_STAT),
	ROW(access, SC_STAT_PATH, DA_EV_FILE_STAT),
	ROW(readlink, SC_STAT_PATH, DA_EV_FILE_STAT),
	ROW(newfstatat, SC_STAT_AT, DA_EV_FILE_STAT),
	ROW(statx, SC_STAT_AT, DA_EV_FILE_STAT),
	ROW(faccessat, SC_STAT_AT, DA_EV_FILE_STAT),
	ROW(faccessat2, SC_STAT_AT, DA_EV_FILE_STAT),
	ROW(readlinkat, SC_STAT_AT, DA_EV_FILE_STAT),

	/* network */
	ROW(socket, SC_SOCKET, DA_EV_NET_SOCKET),
	ROW(socketpair, SC_SOCKETPAIR, DA_EV_NET_SOCKET),
	ROW(connect, SC_CONNECT, DA_EV_NET_CONNECT),
	ROW(bind, SC_BIND, DA_EV_NET_BIND),
	ROW(listen, SC_LISTEN, DA_EV_NET_LISTEN),
	ROW(accept, SC_ACCEPT, DA_EV_NET_ACCEPT),
	ROW(accept4, SC_ACCEPT4, DA_EV_NET_ACCEPT),
	ROW(sendto, SC_SENDTO, DA_EV_NET_SEND),
	ROW(sendmsg, SC_SENDMSG, DA_EV_NET_SEND),
	ROW(sendmmsg, SC_SENDMMSG, DA_EV_NET_SEND),
	ROW(recvfrom, SC_RECVFROM, DA_EV_NET_RECV),
	ROW(recvmsg, SC_RECVMSG, DA_EV_NET_RECV),
	ROW(recvmmsg, SC_RECVMMSG, DA_EV_NET_RECV),

	/* privilege */
	ROW(setuid, SC_SETID1, DA_EV_PRIV_ID),
	ROW(setgid, SC_SETID1, DA_EV_PRIV_ID),
	ROW(setfsuid, SC_SETID1, DA_EV_PRIV_ID),
	ROW(setfsgid, SC_SETID1, DA_EV_PRIV_ID),
	ROW(setreuid, SC_SETID2, DA_EV_PRIV_ID),
	ROW(setregid, SC_SETID2, DA_EV_PRIV_ID),
	ROW(setresuid, SC_SETID3, DA_EV_PRIV_ID),
	ROW(setresgid, SC_SETID3, DA_EV_PRIV_ID),
	ROW(setgroups, SC_SETGROUPS, DA_EV_PRIV_ID),
	ROW(capset, SC_CAPSET, DA_EV_PRIV_CAP),
	COND(unshare, SC_UNSHARE, DA_EV_PRIV_NS),
	DENY(setns, SC_SETNS, DA_EV_PRIV_NS),
	DENY(mount, SC_MOUNT, DA_EV_PRIV_MOUNT),
	DENY(umount2, SC_UMOUNT2, DA_EV_PRIV_MOUNT),
	DENY(pivot_root, SC_PIVOT_ROOT, DA_EV_PRIV_MOUNT),
	DENY(chroot, SC_CHROOT, DA_EV_PRIV_MOUNT),
	DENY(fsopen, SC_MOUNT_API, DA_EV_PRIV_MOUNT),
	DENY(fsmount, SC_MOUNT_API, DA_EV_PRIV_MOUNT),
	DENY(move_mount, SC_MOUNT_API, DA_EV_PRIV_MOUNT),
	DENY(open_tree, SC_MOUNT_API, DA_EV_PRIV_MOUNT),
	DENY(ptrace, SC_PTRACE, DA_EV_PRIV_PTRACE),
	ROW(process_vm_readv, SC_PROCESS_VM, DA_EV_PRIV_PTRACE),
	ROW(process_vm_writev, SC_PROCESS_VM, DA_EV_PRIV_PTRACE),
	ROW(pidfd_getfd, SC_PIDFD_GETFD, DA_EV_PRIV_PTRACE),
	DENY(kexec_load, SC_KERNEL, DA_EV_PRIV_KERNEL),
	DENY(kexec_file_load, SC_KERNEL, DA_EV_PRIV_KERNEL),
	DENY(init_module, SC_KERNEL, DA_EV_PRIV_KERNEL),
	DENY(finit_module, SC_KERNEL, DA_EV_PRIV_KERNEL),
	DENY(delete_module, SC_KERNEL, DA_EV_PRIV_KERNEL),
	DENY(bpf, SC_KERNEL, DA_EV_PRIV_KERNEL),
	DENY(perf_event_open, SC_KERNEL, DA_EV_PRIV_KERNEL),
	DENY(keyctl, SC_KERNEL, DA_EV_PRIV_KERNEL),
	DENY(add_key, SC_KERNEL, DA_EV_PRIV_KERNEL),
	DENY(request_key, SC_KERNEL, DA_EV_PRIV_KERNEL),
	DENY(userfaultfd, SC_KERNEL, DA_EV_PRIV_KERNEL),
	DENY(io_uring_setup, SC_IO_URING, DA_EV_PRIV_KERNEL),
	DENY(io_uring_enter, SC_IO_URING, DA_EV_PRIV_KERNEL),
	DENY(io_uring_register, SC_IO_URING, DA_EV_PRIV_KERNEL),
	DENY(iopl, SC_KERNEL, DA_EV_PRIV_KERNEL),
	DENY(ioperm, SC_KERNEL, DA_EV_PRIV_KERNEL),
	COND(personality, SC_PERSONALITY, DA_EV_PRIV_KERNEL),
	DENY(open_by_handle_at, SC_OPEN_BY_HANDLE_AT, DA_EV_PRIV_KERNEL),
	{ 0, SC_NONE, 0, SC_DENY_NEVER },
};

int tracer_syscall_denial(const struct sc_row *row, const uint64_t args[6])
{
	switch (row->deny) {
	case SC_DENY_NEVER:
		return 0;
	case SC_DENY_ALWAYS:
		return EPERM;
	case SC_DENY_ENOSYS:
		return ENOSYS;
	case SC_DENY_CONDITIONAL:
		break;
	}
	switch (row->id) {
	case SC_CLONE:
		/* The low byte of clone flags is the exit signal, so
		 * CLONE_NEWTIME (0x80) is not a namespace flag here. */
		return (args[0] & (CLONE_UNTRACED | (TRACER_NS_FLAGS & ~0xffULL))) ? EPERM : 0;
	case SC_UNSHARE:
		return (args[0] & TRACER_NS_FLAGS) ? EPERM : 0;
	case SC_PERSONALITY:
		/* 0 (PER_LINUX) and 0xffffffff (query) keep the default. */
		return ((uint32_t)args[0] == 0 || (uint32_t)args[0] == 0xffffffffu) ? 0 : EPERM;
	default:
		return 0;
	}
}

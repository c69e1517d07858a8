/*
 * tracer_syscalls.c — the table of traced syscalls (see tracer_syscalls.h).
 */
#include "live/tracer_syscalls.h"

#include <errno.h>
#include <sched.h>

#include "dynaudit/event.h"
#include "live/tracer_dec.h"

#ifndef CLONE_UNTRACED
#define CLONE_UNTRACED 0x00800000
#endif

/* name, how its arguments are read, the kind it produces, its family's
 * decoder (tracer_dec.h) */
#define ROW(n, i, k, f) { #n, i, k, SC_DENY_NEVER, &sc_fam_##f }
#define DENY(n, i, k, f) { #n, i, k, SC_DENY_ALWAYS, &sc_fam_##f }
#define COND(n, i, k, f) { #n, i, k, SC_DENY_CONDITIONAL, &sc_fam_##f }

const struct sc_row tracer_syscall_table[] = {
	/* process */
	ROW(execve, SC_EXECVE, DA_EV_PROC_EXEC, exec),
	ROW(execveat, SC_EXECVEAT, DA_EV_PROC_EXEC, exec),
	/* fork/vfork/clone are seen through PTRACE_EVENT_FORK/VFORK/CLONE;
	 * clone also stops for its result (a failed fork has no event), or,
	 * without fork events subscribed, only for CLONE_UNTRACED and
	 * namespace flags (tracer_filter.c); clone3 for its denial. */
	COND(clone, SC_CLONE, DA_EV_PROC_FORK, clone),
	{ "clone3", SC_CLONE3, DA_EV_PROC_FORK, SC_DENY_ENOSYS, &sc_fam_clone },
	ROW(kill, SC_KILL, DA_EV_PROC_SIGNAL, signal),
	ROW(tkill, SC_TKILL, DA_EV_PROC_SIGNAL, signal),
	ROW(tgkill, SC_TGKILL, DA_EV_PROC_SIGNAL, signal),
	ROW(rt_sigqueueinfo, SC_SIGQUEUE, DA_EV_PROC_SIGNAL, signal),
	ROW(rt_tgsigqueueinfo, SC_TGSIGQUEUE, DA_EV_PROC_SIGNAL, signal),
	ROW(pidfd_send_signal, SC_PIDFD_SEND_SIGNAL, DA_EV_PROC_SIGNAL, signal),
	ROW(setsid, SC_SETSID, DA_EV_PROC_SESSION, session),
	ROW(setpgid, SC_SETPGID, DA_EV_PROC_SESSION, session),
	/* prctl: kind chosen from the option (session or capability). */
	ROW(prctl, SC_PRCTL, DA_EV_PRIV_CAP, prctl),

	/* file */
	ROW(open, SC_OPEN, DA_EV_FILE_OPEN, open),
	ROW(openat, SC_OPENAT, DA_EV_FILE_OPEN, open),
	ROW(openat2, SC_OPENAT2, DA_EV_FILE_OPEN, open),
	ROW(creat, SC_CREAT, DA_EV_FILE_OPEN, open),
	ROW(unlink, SC_UNLINK, DA_EV_FILE_UNLINK, path),
	ROW(unlinkat, SC_UNLINKAT, DA_EV_FILE_UNLINK, path_at),
	ROW(rmdir, SC_RMDIR, DA_EV_FILE_UNLINK, path),
	ROW(rename, SC_RENAME, DA_EV_FILE_RENAME, two_paths),
	ROW(renameat, SC_RENAMEAT, DA_EV_FILE_RENAME, two_paths_at),
	ROW(renameat2, SC_RENAMEAT2, DA_EV_FILE_RENAME, two_paths_at),
	ROW(chmod, SC_CHMOD, DA_EV_FILE_CHMOD, path),
	ROW(fchmod, SC_FCHMOD, DA_EV_FILE_CHMOD, fd_path),
	ROW(fchmodat, SC_FCHMODAT, DA_EV_FILE_CHMOD, path_at),
	ROW(chown, SC_CHOWN, DA_EV_FILE_CHOWN, path),
	ROW(fchown, SC_FCHOWN, DA_EV_FILE_CHOWN, fd_path),
	ROW(lchown, SC_LCHOWN, DA_EV_FILE_CHOWN, path),
	ROW(fchownat, SC_FCHOWNAT, DA_EV_FILE_CHOWN, path_at),
	ROW(link, SC_LINK, DA_EV_FILE_LINK, two_paths),
	ROW(linkat, SC_LINKAT, DA_EV_FILE_LINK, two_paths_at),
	ROW(symlink, SC_SYMLINK, DA_EV_FILE_LINK, two_paths),
	ROW(symlinkat, SC_SYMLINKAT, DA_EV_FILE_LINK, symlinkat),
	/* mmap/mprotect: only with PROT_EXEC (argument filter). */
	ROW(mmap, SC_MMAP, DA_EV_FILE_MMAP_EXEC, mmap),
	ROW(mprotect, SC_MPROTECT, DA_EV_FILE_MMAP_EXEC, mmap),
	ROW(mkdir, SC_MKDIR, DA_EV_FILE_MKDIR, path),
	ROW(mkdirat, SC_MKDIRAT, DA_EV_FILE_MKDIR, path_at),
	ROW(mknod, SC_MKNOD, DA_EV_FILE_MKDIR, path),
	ROW(mknodat, SC_MKNODAT, DA_EV_FILE_MKDIR, path_at),
	ROW(chdir, SC_CHDIR, DA_EV_FILE_CHDIR, path),
	ROW(fchdir, SC_FCHDIR, DA_EV_FILE_CHDIR, fd_path),
	ROW(memfd_create, SC_MEMFD_CREATE, DA_EV_FILE_MEMFD, memfd),
	/* terminal ioctls: keystroke injection, console keyboard, raw mode
	 * (the request is an argument filter: tracer_filter.c) */
	ROW(ioctl, SC_IOCTL, DA_EV_SYSCALL_OTHER, ioctl),
	/* a long wait can outlast the observation window (a delayed payload) */
	ROW(nanosleep, SC_SLEEP, DA_EV_SYSCALL_OTHER, sleep),
	ROW(clock_nanosleep, SC_SLEEP, DA_EV_SYSCALL_OTHER, sleep),
	/* a timer armed far ahead, then an idle wait (pause, a timerfd read) */
	ROW(alarm, SC_TIMER, DA_EV_SYSCALL_OTHER, timer),
	ROW(setitimer, SC_TIMER, DA_EV_SYSCALL_OTHER, timer),
	ROW(timer_settime, SC_TIMER, DA_EV_SYSCALL_OTHER, timer),
	ROW(timerfd_settime, SC_TIMER, DA_EV_SYSCALL_OTHER, timer),
	ROW(stat, SC_STAT_PATH, DA_EV_FILE_STAT, path),
	ROW(lstat, SC_STAT_PATH, DA_EV_FILE_STAT, path),
	ROW(access, SC_STAT_PATH, DA_EV_FILE_STAT, path),
	ROW(readlink, SC_STAT_PATH, DA_EV_FILE_STAT, path),
	ROW(newfstatat, SC_STAT_AT, DA_EV_FILE_STAT, path_at),
	ROW(statx, SC_STAT_AT, DA_EV_FILE_STAT, path_at),
	ROW(faccessat, SC_STAT_AT, DA_EV_FILE_STAT, path_at),
	ROW(faccessat2, SC_STAT_AT, DA_EV_FILE_STAT, path_at),
	ROW(readlinkat, SC_STAT_AT, DA_EV_FILE_STAT, path_at),

	/* network */
	ROW(socket, SC_SOCKET, DA_EV_NET_SOCKET, socket),
	ROW(socketpair, SC_SOCKETPAIR, DA_EV_NET_SOCKET, socket),
	ROW(connect, SC_CONNECT, DA_EV_NET_CONNECT, sockop),
	ROW(bind, SC_BIND, DA_EV_NET_BIND, sockop),
	ROW(listen, SC_LISTEN, DA_EV_NET_LISTEN, sockop),
	ROW(accept, SC_ACCEPT, DA_EV_NET_ACCEPT, sockop),
	ROW(accept4, SC_ACCEPT4, DA_EV_NET_ACCEPT, sockop),
	ROW(sendto, SC_SENDTO, DA_EV_NET_SEND, sockop),
	ROW(sendmsg, SC_SENDMSG, DA_EV_NET_SEND, sockop),
	ROW(sendmmsg, SC_SENDMMSG, DA_EV_NET_SEND, sockop),
	ROW(recvfrom, SC_RECVFROM, DA_EV_NET_RECV, sockop),
	ROW(recvmsg, SC_RECVMSG, DA_EV_NET_RECV, sockop),
	ROW(recvmmsg, SC_RECVMMSG, DA_EV_NET_RECV, sockop),
	/* data leaving through a socket without a send call: write/writev
	 * (fds >= 3, an argument filter) and the kernel's copies */
	ROW(write, SC_WRITE, DA_EV_NET_SEND, write),
	ROW(writev, SC_WRITEV, DA_EV_NET_SEND, write),
	ROW(sendfile, SC_COPY, DA_EV_NET_SEND, copy),
	ROW(splice, SC_COPY, DA_EV_NET_SEND, copy),
	ROW(copy_file_range, SC_COPY, DA_EV_NET_SEND, copy),

	/* privilege */
	ROW(setuid, SC_SETID1, DA_EV_PRIV_ID, setid),
	ROW(setgid, SC_SETID1, DA_EV_PRIV_ID, setid),
	ROW(setfsuid, SC_SETID1, DA_EV_PRIV_ID, setid),
	ROW(setfsgid, SC_SETID1, DA_EV_PRIV_ID, setid),
	ROW(setreuid, SC_SETID2, DA_EV_PRIV_ID, setid),
	ROW(setregid, SC_SETID2, DA_EV_PRIV_ID, setid),
	ROW(setresuid, SC_SETID3, DA_EV_PRIV_ID, setid),
	ROW(setresgid, SC_SETID3, DA_EV_PRIV_ID, setid),
	ROW(setgroups, SC_SETGROUPS, DA_EV_PRIV_ID, setid),
	ROW(capset, SC_CAPSET, DA_EV_PRIV_CAP, capset),
	COND(unshare, SC_UNSHARE, DA_EV_PRIV_NS, ns),
	DENY(setns, SC_SETNS, DA_EV_PRIV_NS, ns),
	DENY(mount, SC_MOUNT, DA_EV_PRIV_MOUNT, mount),
	DENY(umount2, SC_UMOUNT2, DA_EV_PRIV_MOUNT, path),
	DENY(pivot_root, SC_PIVOT_ROOT, DA_EV_PRIV_MOUNT, two_paths),
	DENY(chroot, SC_CHROOT, DA_EV_PRIV_MOUNT, path),
	DENY(fsopen, SC_MOUNT_API, DA_EV_PRIV_MOUNT, kernel),
	DENY(fsmount, SC_MOUNT_API, DA_EV_PRIV_MOUNT, kernel),
	DENY(move_mount, SC_MOUNT_API, DA_EV_PRIV_MOUNT, kernel),
	DENY(open_tree, SC_MOUNT_API, DA_EV_PRIV_MOUNT, kernel),
	DENY(ptrace, SC_PTRACE, DA_EV_PRIV_PTRACE, ptrace),
	ROW(process_vm_readv, SC_PROCESS_VM, DA_EV_PRIV_PTRACE, process_vm),
	ROW(process_vm_writev, SC_PROCESS_VM, DA_EV_PRIV_PTRACE, process_vm),
	ROW(pidfd_getfd, SC_PIDFD_GETFD, DA_EV_PRIV_PTRACE, pidfd_getfd),
	DENY(kexec_load, SC_KERNEL, DA_EV_PRIV_KERNEL, kernel),
	DENY(kexec_file_load, SC_KERNEL, DA_EV_PRIV_KERNEL, kernel),
	DENY(init_module, SC_KERNEL, DA_EV_PRIV_KERNEL, kernel),
	DENY(finit_module, SC_KERNEL, DA_EV_PRIV_KERNEL, kernel),
	DENY(delete_module, SC_KERNEL, DA_EV_PRIV_KERNEL, kernel),
	DENY(bpf, SC_KERNEL, DA_EV_PRIV_KERNEL, kernel),
	DENY(perf_event_open, SC_KERNEL, DA_EV_PRIV_KERNEL, kernel),
	DENY(keyctl, SC_KERNEL, DA_EV_PRIV_KERNEL, kernel),
	DENY(add_key, SC_KERNEL, DA_EV_PRIV_KERNEL, kernel),
	DENY(request_key, SC_KERNEL, DA_EV_PRIV_KERNEL, kernel),
	DENY(userfaultfd, SC_KERNEL, DA_EV_PRIV_KERNEL, kernel),
	DENY(io_uring_setup, SC_IO_URING, DA_EV_PRIV_KERNEL, kernel),
	DENY(io_uring_enter, SC_IO_URING, DA_EV_PRIV_KERNEL, kernel),
	DENY(io_uring_register, SC_IO_URING, DA_EV_PRIV_KERNEL, kernel),
	DENY(iopl, SC_KERNEL, DA_EV_PRIV_KERNEL, kernel),
	DENY(ioperm, SC_KERNEL, DA_EV_PRIV_KERNEL, kernel),
	COND(personality, SC_PERSONALITY, DA_EV_PRIV_KERNEL, personality),
	DENY(open_by_handle_at, SC_OPEN_BY_HANDLE_AT, DA_EV_PRIV_KERNEL, kernel),
	/* the machine itself: restarting it, renaming it */
	DENY(reboot, SC_KERNEL, DA_EV_PRIV_KERNEL, kernel),
	ROW(sethostname, SC_HOSTNAME, DA_EV_PRIV_KERNEL, kernel),
	ROW(setdomainname, SC_HOSTNAME, DA_EV_PRIV_KERNEL, kernel),
	{ 0, SC_NONE, 0, SC_DENY_NEVER, NULL },
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

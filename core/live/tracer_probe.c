/*
 * tracer_probe.c — what the running kernel offers the tracer, probed once
 * in tracer_new() and recorded in the tracer (and, as text, in
 * tracer_notes() for the run log).  Each missing feature has a tested
 * fallback: PTRACE_GETREGS for PTRACE_GET_SYSCALL_INFO, PTRACE_PEEKDATA for
 * process_vm_readv, and an extra syscall-entry stop to skip on kernels
 * before 4.8.
 */
#include "live/tracer_priv.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/ptrace.h>
#include <sched.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

static long probe_pt(long req, pid_t pid, void *addr, void *data)
{
	return syscall(SYS_ptrace, req, (long)pid, addr, data);
}

/* A child that stops on one getppid() through a seccomp TRACE filter tells
 * us (1) whether PTRACE_GET_SYSCALL_INFO works, (2) whether
 * process_vm_readv works, and (3) the order of seccomp and syscall stops:
 * since Linux 4.8 the seccomp stop comes after syscall-entry, so resuming
 * it with PTRACE_SYSCALL leads straight to the exit stop; before, an entry
 * stop came first. */
static volatile uint64_t probe_word = 0x6479617564697421ULL;

/* The probe child shares our memory (CLONE_VM, its own small stack): no
 * copy of the page tables, and no copy-on-write faults in dynaudit after
 * it, which a fork of a process with seven plugins loaded cost every run.
 * So the child makes raw system calls only, touches nothing but its own
 * stack and what the parent left for it, and exits with SYS_exit (no
 * atexit, no stdio).  It shares the parent thread's errno: one is set
 * only on a failure, after which the child exits and the parent, waiting
 * for it, reads no errno. */
#define PROBE_STACK_SIZE (64 * 1024)

struct probe_child {
	int go_fd;
	struct sock_fprog *prog;
};

static int probe_child_main(void *arg)
{
	struct probe_child *c = arg;
	char ch;
	if (syscall(SYS_read, c->go_fd, &ch, 1) != 1)
		syscall(SYS_exit, 1);
	if (syscall(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, c->prog) != 0)
		syscall(SYS_exit, 2);
	syscall(SYS_getppid);
	syscall(SYS_exit, 0);
	return 0;
}

void tracer_probe_kernel(struct tracer *t)
{
	struct sock_filter insns[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { sizeof(insns) / sizeof(insns[0]), insns };
	int go[2];
	t->have_syscall_info = false;
	t->have_vm_readv = false;
	t->seccomp_before_entry = false;
	if (pipe2(go, O_CLOEXEC) < 0) {
		snprintf(t->notes, sizeof(t->notes), "probe skipped (pipe: %s)", strerror(errno));
		return;
	}
	void *stack = mmap(NULL, PROBE_STACK_SIZE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	struct probe_child pc = { go[0], &prog };
	pid_t child = stack == MAP_FAILED ? -1
		      : clone(probe_child_main, (char *)stack + PROBE_STACK_SIZE, CLONE_VM | SIGCHLD, &pc);
	if (child < 0) {
		int e = errno;
		close(go[0]);
		close(go[1]);
		if (stack != MAP_FAILED)
			munmap(stack, PROBE_STACK_SIZE);
		snprintf(t->notes, sizeof(t->notes), "probe skipped (clone: %s)", strerror(e));
		return;
	}
	int st = 0;
	bool ok = probe_pt(PTRACE_SEIZE, child, 0,
		     (void *)(long)(PTRACE_O_TRACESECCOMP | PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL)) == 0;
	if (write(go[1], "g", 1) != 1)
		ok = false;
	close(go[1]);
	close(go[0]);
	if (ok && waitpid(child, &st, __WALL) == child && WIFSTOPPED(st) &&
	    (st >> 8) == (SIGTRAP | (PTRACE_EVENT_SECCOMP << 8))) {
		struct ptrace_syscall_info info;
		memset(&info, 0, sizeof(info));
		long n = probe_pt(PTRACE_GET_SYSCALL_INFO, child, (void *)sizeof(info), &info);
		t->have_syscall_info = n > 0 && info.op == PTRACE_SYSCALL_INFO_SECCOMP &&
				       info.seccomp.nr == SYS_getppid;
		uint64_t w = 0;
		struct iovec l = { &w, sizeof(w) }, r = { (void *)&probe_word, sizeof(w) };
		t->have_vm_readv = process_vm_readv(child, &l, 1, &r, 1, 0) == sizeof(w) &&
				   w == probe_word;
		probe_pt(PTRACE_SYSCALL, child, 0, 0);
		if (waitpid(child, &st, __WALL) == child && WIFSTOPPED(st) &&
		    WSTOPSIG(st) == (SIGTRAP | 0x80)) {
			struct user_regs_struct regs;
			memset(&info, 0, sizeof(info));
			if (t->have_syscall_info &&
			    probe_pt(PTRACE_GET_SYSCALL_INFO, child, (void *)sizeof(info), &info) > 0)
				t->seccomp_before_entry = info.op == PTRACE_SYSCALL_INFO_ENTRY;
#if defined(__x86_64__)
			else if (probe_pt(PTRACE_GETREGS, child, 0, &regs) == 0)
				t->seccomp_before_entry = (long)regs.rax == -ENOSYS;
#else
			(void)regs;
#endif
		}
	}
	kill(child, SIGKILL);
	while (waitpid(child, &st, __WALL) == child && !WIFEXITED(st) && !WIFSIGNALED(st))
		;
	munmap(stack, PROBE_STACK_SIZE); /* the child is gone: nothing runs on it */
	/* Notifications need SECCOMP_RET_USER_NOTIF, the CONTINUE flag (5.5)
	 * and pidfd_getfd (5.6, so also a proxy for CONTINUE), and reads that
	 * work without a ptrace stop (process_vm_readv). */
	uint32_t action = SECCOMP_RET_USER_NOTIF;
	struct seccomp_notif_sizes sizes;
	t->have_notify = t->have_vm_readv &&
			 syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &action) == 0 &&
			 syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes) == 0 &&
			 syscall(SYS_pidfd_getfd, -1, 0, 0) < 0 && errno == EBADF;
	if (t->have_notify) {
		t->notif_req_size = sizes.seccomp_notif;
		t->notif_resp_size = sizes.seccomp_notif_resp;
	}
	snprintf(t->notes, sizeof(t->notes), "PTRACE_GET_SYSCALL_INFO: %s; process_vm_readv: %s; "
		 "seccomp stop %s syscall-entry stop; seccomp notifications: %s",
		 t->have_syscall_info ? "yes" : "no (PTRACE_GETREGS fallback)",
		 t->have_vm_readv ? "yes" : "no (PTRACE_PEEKDATA fallback)",
		 t->seccomp_before_entry ? "before (pre-4.8)" : "after",
		 t->have_notify ? "yes" : "no (ptrace stops for every event)");
}


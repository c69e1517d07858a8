/* tr_deny — tries the dangerous syscalls the sandbox policy denies; each
 * must fail with the expected errno (and the test checks each was
 * reported).  Prints "FAIL name" lines; exit 0 when all were denied. */
#include <errno.h>
#include <linux/io_uring.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <unistd.h>

static int failures;

static void expect(const char *name, long r, int want)
{
	if (r == 0 && want) {
		/* a clone that was not denied returns 0 in the child */
	}
	if (r != -1 || errno != want) {
		fprintf(stderr, "FAIL %s: r=%ld errno=%d want %d\n", name, r, errno, want);
		failures++;
	}
}

int main(void)
{
	pid_t me = getpid();
	long r;

	r = syscall(SYS_clone, CLONE_UNTRACED | SIGCHLD, 0, 0, 0, 0);
	if (r == 0)
		_exit(0);
	expect("clone_untraced", r, EPERM);

	struct clone_args ca;
	memset(&ca, 0, sizeof(ca));
	ca.exit_signal = SIGCHLD;
	r = syscall(SYS_clone3, &ca, sizeof(ca));
	if (r == 0)
		_exit(0);
	expect("clone3", r, ENOSYS);

	struct io_uring_params p;
	memset(&p, 0, sizeof(p));
	expect("io_uring_setup", syscall(SYS_io_uring_setup, 4, &p), EPERM);
	expect("ptrace", syscall(SYS_ptrace, PTRACE_TRACEME, 0, 0, 0), EPERM);
	expect("unshare_net", syscall(SYS_unshare, CLONE_NEWNET), EPERM);
	if (syscall(SYS_unshare, CLONE_FILES) != 0) {
		fprintf(stderr, "FAIL unshare_files allowed: %s\n", strerror(errno));
		failures++;
	}
	expect("personality", syscall(SYS_personality, PER_LINUX32), EPERM);
	expect("mount", syscall(SYS_mount, "none", "/mnt", "tmpfs", 0, 0), EPERM);
	expect("bpf", syscall(SYS_bpf, 0, 0, 0), EPERM);
	expect("keyctl", syscall(SYS_keyctl, 0, 0, 0, 0, 0), EPERM);

#if defined(__x86_64__)
	/* 32-bit entry: getpid (20 on i386) through int 0x80 */
	long ret;
	__asm__ volatile("int $0x80" : "=a"(ret) : "a"(20) : "memory");
	if (ret != -EPERM) {
		fprintf(stderr, "FAIL int80: ret=%ld\n", ret);
		failures++;
	}
	/* x32 entry: getpid with the x32 bit (ENOSYS when the kernel lacks x32) */
	r = syscall(0x40000000 | 39);
	if (r != -1 || (errno != EPERM && errno != ENOSYS)) {
		fprintf(stderr, "FAIL x32: r=%ld errno=%d\n", r, errno);
		failures++;
	}
#endif
	(void)me;
	return failures ? 1 : 0;
}

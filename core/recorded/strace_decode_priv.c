/*
 * strace_decode_priv.c — privilege syscalls: identity changes, capabilities
 * and the prctl options that govern them, namespaces, mounts, ptrace and
 * cross-process memory access, and the kernel attack surface (modules,
 * kexec, bpf, perf, keys, userfaultfd, io_uring, iopl/ioperm, personality).
 * Attempts count: failed calls are published like successful ones.
 */
#include "recorded/strace_decode_int.h"

#include <string.h>

static const char *const kernel_calls[] = {
	"init_module", "finit_module", "delete_module", "kexec_load", "kexec_file_load",
	"bpf", "perf_event_open", "keyctl", "add_key", "request_key", "userfaultfd",
	"io_uring_setup", "io_uring_enter", "io_uring_register", "personality", "iopl",
	"ioperm", NULL,
};

/* prctl options published as DA_EV_PRIV_CAP. */
static const char *const cap_prctls[] = {
	"PR_CAPBSET_DROP", "PR_CAPBSET_READ", "PR_CAP_AMBIENT", "PR_SET_SECUREBITS",
	"PR_SET_KEEPCAPS", "PR_SET_NO_NEW_PRIVS", "PR_SET_SECCOMP", "PR_SET_DUMPABLE", NULL,
};

static bool in_list(const char *const *list, const char *name)
{
	for (; *list; list++)
		if (!strcmp(*list, name))
			return true;
	return false;
}

static void decode_id(struct strace_decoder *d, const struct call *c)
{
	struct da_event ev;
	dec_event(c, &ev, DA_EV_PRIV_ID);
	size_t nids = strstr(c->name, "setres") ? 3 : strstr(c->name, "setre") ? 2 : 1;
	for (size_t i = 0; i < 3; i++) {
		int64_t v;
		ev.arg[i] = i < nids && dec_int(c, i, &v) ? v : -1;
	}
	if (strstr(c->name, "setgroups")) {
		int64_t v;
		ev.arg[0] = dec_int(c, 0, &v) ? v : -1; /* number of groups */
	}
	dec_publish(d, &ev);
}

static void decode_prctl(struct strace_decoder *d, const struct call *c)
{
	if (c->nargs == 0)
		return;
	char *opt = strace_span_dup(c->a[0]);
	const char *option = dec_keep(d, opt);
	if (!option)
		return;
	struct da_event ev;
	if (!strcmp(option, "PR_SET_NAME")) {
		/* the name ps shows: a process may pass for a kernel thread */
		dec_event(c, &ev, DA_EV_PROC_SESSION);
		ev.detail = option;
		ev.raw_path = c->nargs > 1 ? dec_str(d, c, 1) : NULL;
		dec_publish(d, &ev);
		return;
	}
	if (in_list(cap_prctls, option))
		dec_event(c, &ev, DA_EV_PRIV_CAP);
	else if (!strcmp(option, "PR_SET_CHILD_SUBREAPER"))
		dec_event(c, &ev, DA_EV_PROC_SESSION);
	else
		return;
	ev.detail = option;
	int64_t v;
	if (dec_int(c, 1, &v))
		ev.arg[0] = v;
	else if (c->nargs > 1 && strace_has_word(c->a[1], "SECCOMP_MODE_FILTER"))
		ev.arg[0] = 2;
	if (dec_int(c, 2, &v))
		ev.arg[1] = v;
	dec_publish(d, &ev);
}

static void decode_ns(struct strace_decoder *d, const struct call *c)
{
	struct da_event ev;
	dec_event(c, &ev, DA_EV_PRIV_NS);
	size_t fi = strcmp(c->name, "setns") == 0 ? 1 : 0;
	int64_t flags = fi < c->nargs ? strace_flags(c->a[fi], dec_clone_flags) : 0;
	ev.flags = flags & DEC_NS_MASK;
	ev.detail = dec_ns_names(d, flags);
	if (fi == 1) {
		int fd;
		ev.fd_desc = dec_fd_desc(d, c, 0, &fd);
		ev.fd = fd;
	}
	dec_publish(d, &ev);
}

static void decode_mount(struct strace_decoder *d, const struct call *c)
{
	const char *n = c->name;
	struct da_event ev;
	dec_event(c, &ev, DA_EV_PRIV_MOUNT);
	const char *raw;
	if (!strcmp(n, "mount")) {
		ev.path = dec_path(d, c, -1, 1, &raw);
		ev.raw_path = raw;
		ev.path2 = dec_str(d, c, 0);
		ev.detail = dec_str(d, c, 2);
		if (c->nargs > 3)
			ev.flags = 0; /* MS_* names are kept in the evidence text */
	} else if (!strcmp(n, "umount") || !strcmp(n, "umount2") || !strcmp(n, "chroot")) {
		ev.path = dec_path(d, c, -1, 0, &raw);
		ev.raw_path = raw;
	} else if (!strcmp(n, "pivot_root")) {
		ev.path = dec_path(d, c, -1, 0, &raw);
		ev.raw_path = raw;
		ev.path2 = dec_path(d, c, -1, 1, NULL);
	} else if (!strcmp(n, "fsopen")) {
		ev.detail = dec_str(d, c, 0);
	} else if (!strcmp(n, "move_mount")) {
		ev.path = dec_path(d, c, 2, 3, &raw);
		ev.raw_path = raw;
		ev.path2 = dec_path(d, c, 0, 1, NULL);
	} else if (!strcmp(n, "open_tree") || !strcmp(n, "mount_setattr")) {
		ev.path = dec_path(d, c, 0, 1, &raw);
		ev.raw_path = raw;
	}
	dec_publish(d, &ev);
}

static void decode_ptrace(struct strace_decoder *d, const struct call *c)
{
	struct da_event ev;
	dec_event(c, &ev, DA_EV_PRIV_PTRACE);
	int64_t pid = 0;
	if (!strcmp(c->name, "ptrace")) {
		ev.detail = c->nargs > 0 ? dec_keep(d, strace_span_dup(c->a[0])) : NULL;
		dec_int(c, 1, &pid);
	} else if (!strcmp(c->name, "pidfd_getfd")) {
		ev.detail = "pidfd_getfd";
		int fd;
		ev.fd_desc = dec_fd_desc(d, c, 0, &fd);
		ev.fd = fd;
		int64_t tfd;
		if (dec_int(c, 1, &tfd))
			ev.target_fd = (int)tfd;
	} else {
		ev.detail = c->name;
		dec_int(c, 0, &pid);
	}
	ev.target_pid = (int32_t)pid;
	dec_publish(d, &ev);
}

bool dec_priv(struct strace_decoder *d, const struct call *c)
{
	const char *n = c->name;
	if (!strncmp(n, "set", 3) &&
	    (strstr(n, "uid") || strstr(n, "gid") || !strncmp(n, "setgroups", 9)) &&
	    strcmp(n, "set_tid_address") != 0) {
		decode_id(d, c);
	} else if (!strcmp(n, "capset")) {
		struct da_event ev;
		dec_event(c, &ev, DA_EV_PRIV_CAP);
		ev.detail = "capset";
		dec_publish(d, &ev);
	} else if (!strcmp(n, "prctl")) {
		decode_prctl(d, c);
	} else if (!strcmp(n, "seccomp")) {
		struct da_event ev;
		dec_event(c, &ev, DA_EV_PRIV_CAP);
		ev.detail = c->nargs ? dec_keep(d, strace_span_dup(c->a[0])) : "seccomp";
		dec_publish(d, &ev);
	} else if (!strcmp(n, "unshare") || !strcmp(n, "setns")) {
		decode_ns(d, c);
	} else if (!strcmp(n, "mount") || !strcmp(n, "umount") || !strcmp(n, "umount2") ||
		   !strcmp(n, "pivot_root") || !strcmp(n, "chroot") || !strcmp(n, "fsopen") ||
		   !strcmp(n, "move_mount") || !strcmp(n, "open_tree") ||
		   !strcmp(n, "mount_setattr")) {
		decode_mount(d, c);
	} else if (!strcmp(n, "ptrace") || !strcmp(n, "process_vm_readv") ||
		   !strcmp(n, "process_vm_writev") || !strcmp(n, "pidfd_getfd")) {
		decode_ptrace(d, c);
	} else if (in_list(kernel_calls, n)) {
		struct da_event ev;
		dec_event(c, &ev, DA_EV_PRIV_KERNEL);
		if ((!strcmp(n, "bpf") || !strcmp(n, "keyctl")) && c->nargs)
			ev.detail = dec_keep(d, strace_span_dup(c->a[0]));
		dec_publish(d, &ev);
	} else {
		return false;
	}
	return true;
}

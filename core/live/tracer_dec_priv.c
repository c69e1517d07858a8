/*
 * tracer_dec_priv.c — the privilege families of the live tracer
 * (tracer_dec.h): identity changes, capset, namespaces, mounts, calls on
 * other processes (ptrace, process_vm_*, pidfd_getfd), personality and
 * the kernel's rarely needed interfaces.
 */
#include "live/tracer_dec.h"

#include <stdio.h>

#ifndef AT_FDCWD
#define AT_FDCWD -100
#endif

void sc_text_args_hex(struct sc_ctx *x, int n)
{
	for (int i = 0; i < n; i++)
		stext_printf(x->tt, "%s%#llx", i ? ", " : "", (unsigned long long)x->a[i]);
}

/* ---- setuid & co (1, 2 or 3 ids), setgroups ----------------------------- */

static int setid_count(enum sc_id id)
{
	return id == SC_SETID1 ? 1 : id == SC_SETID2 ? 2 : id == SC_SETID3 ? 3 : 0;
}

static bool setid_build(struct sc_ctx *x)
{
	int n = setid_count(x->row->id);
	if (!n) { /* setgroups(size, list) */
		x->ev.arg[0] = (int64_t)x->a[0];
		return true;
	}
	for (int i = 0; i < 3; i++)
		x->ev.arg[i] = i < n ? (int32_t)x->a[i] : -1; /* -1: unchanged */
	return true;
}

static void setid_text(struct sc_ctx *x)
{
	int n = setid_count(x->row->id);
	if (!n) {
		stext_printf(x->tt, "%d, %#llx", (int)x->a[0], (unsigned long long)x->a[1]);
		return;
	}
	for (int i = 0; i < n; i++)
		stext_printf(x->tt, "%s%d", i ? ", " : "", (int)x->a[i]);
}

const struct sc_family sc_fam_setid = { "setid", setid_build, NULL, setid_text, NULL };

/* ---- capset --------------------------------------------------------------- */

static bool capset_build(struct sc_ctx *x)
{
	x->ev.detail = "capset";
	x->ev.arg[0] = (int64_t)x->a[0];
	x->ev.arg[1] = (int64_t)x->a[1];
	return true;
}

static void capset_text(struct sc_ctx *x)
{
	stext_printf(x->tt, "%#llx, %#llx", (unsigned long long)x->a[0], (unsigned long long)x->a[1]);
}

const struct sc_family sc_fam_capset = { "capset", capset_build, NULL, capset_text, NULL };

/* ---- unshare/setns -------------------------------------------------------- */

static uint64_t ns_flags_arg(const struct sc_ctx *x)
{
	return x->row->id == SC_UNSHARE ? x->a[0] : x->a[1];
}

static bool ns_build(struct sc_ctx *x)
{
	uint64_t f = ns_flags_arg(x);
	struct stext nt = { .len = 0 };
	x->ev.flags = (int64_t)(f & TRACER_NS_FLAGS);
	stext_flags(&nt, f & TRACER_NS_FLAGS, stext_ns_flags, "");
	snprintf(x->addr, sizeof(x->addr), "%s", nt.buf);
	x->ev.detail = x->addr[0] ? x->addr : NULL;
	if (x->row->id == SC_SETNS)
		x->ev.fd = (int32_t)x->a[0];
	/* unshare(CLONE_FILES) & co: no namespace */
	return !(x->row->id == SC_UNSHARE && !(f & TRACER_NS_FLAGS));
}

static void ns_text(struct sc_ctx *x)
{
	uint64_t f = ns_flags_arg(x);
	if (x->row->id == SC_SETNS)
		stext_printf(x->tt, "%d, ", (int)x->a[0]);
	if (x->addr[0])
		stext_printf(x->tt, "%s", x->addr);
	else
		stext_printf(x->tt, "%#llx", (unsigned long long)f);
}

const struct sc_family sc_fam_ns = { "ns", ns_build, NULL, ns_text, NULL };

/* ---- mount(source, target, fstype, flags, data) --------------------------- */

static bool mount_build(struct sc_ctx *x)
{
	struct sc_call *c = x->c;
	x->ev.path = tracer_resolve(x->t, x->th, AT_FDCWD, c->str[1], x->path, sizeof(x->path));
	x->ev.raw_path = c->str[1];
	x->ev.path2 = c->str[0];
	x->ev.detail = c->fstype[0] ? c->fstype : NULL;
	return true;
}

static void mount_text(struct sc_ctx *x)
{
	struct sc_call *c = x->c;
	stext_str(x->tt, c->str[0], c->str_trunc[0], TRACER_STR_MAX);
	stext_printf(x->tt, ", ");
	stext_str(x->tt, c->str[1], c->str_trunc[1], TRACER_STR_MAX);
	stext_printf(x->tt, ", ");
	stext_str(x->tt, c->fstype[0] ? c->fstype : NULL, false, sizeof(c->fstype));
	stext_printf(x->tt, ", %#llx, %#llx", (unsigned long long)x->a[3], (unsigned long long)x->a[4]);
}

const struct sc_family sc_fam_mount = { "mount", mount_build, NULL, mount_text, NULL };

/* ---- ptrace(request, pid, addr, data) ------------------------------------- */

static bool ptrace_build(struct sc_ctx *x)
{
	static const char *const req[] = {
		[0] = "PTRACE_TRACEME", [1] = "PTRACE_PEEKTEXT", [2] = "PTRACE_PEEKDATA",
		[4] = "PTRACE_POKETEXT", [5] = "PTRACE_POKEDATA", [7] = "PTRACE_CONT",
		[8] = "PTRACE_KILL", [16] = "PTRACE_ATTACH", [17] = "PTRACE_DETACH",
	};
	uint64_t r = x->a[0];
	x->ev.target_pid = (int32_t)x->a[1];
	x->ev.detail = r < sizeof(req) / sizeof(req[0]) && req[r] ? req[r]
		     : r == 0x4206 ? "PTRACE_SEIZE" : "PTRACE_OTHER";
	return true;
}

static void ptrace_text(struct sc_ctx *x)
{
	stext_printf(x->tt, "%s, %d, %#llx, %#llx", x->ev.detail, (int)x->a[1],
		     (unsigned long long)x->a[2], (unsigned long long)x->a[3]);
}

const struct sc_family sc_fam_ptrace = { "ptrace", ptrace_build, NULL, ptrace_text, NULL };

/* ---- process_vm_readv/writev, pidfd_getfd --------------------------------- */

static bool process_vm_build(struct sc_ctx *x)
{
	x->ev.target_pid = (int32_t)x->a[0];
	x->ev.detail = x->row->name;
	return true;
}

static void args6_text(struct sc_ctx *x)
{
	sc_text_args_hex(x, 6);
}

const struct sc_family sc_fam_process_vm = { "process_vm", process_vm_build, NULL, args6_text, NULL };

static bool pidfd_getfd_build(struct sc_ctx *x)
{
	x->ev.detail = "pidfd_getfd";
	x->ev.fd = (int32_t)x->a[1];
	return true;
}

static void pidfd_getfd_text(struct sc_ctx *x)
{
	stext_printf(x->tt, "%d, %d, %#llx", (int)x->a[0], (int)x->a[1], (unsigned long long)x->a[2]);
}

const struct sc_family sc_fam_pidfd_getfd = { "pidfd_getfd", pidfd_getfd_build, NULL,
					      pidfd_getfd_text, NULL };

/* ---- personality ---------------------------------------------------------- */

static bool personality_build(struct sc_ctx *x)
{
	x->ev.arg[0] = (int64_t)x->a[0];
	x->ev.detail = "personality";
	/* the default (PER_LINUX) or a query: nothing to report */
	return !((uint32_t)x->a[0] == 0 || (uint32_t)x->a[0] == 0xffffffffu);
}

static void personality_text(struct sc_ctx *x)
{
	stext_printf(x->tt, "%#llx", (unsigned long long)x->a[0]);
}

const struct sc_family sc_fam_personality = { "personality", personality_build, NULL,
					      personality_text, NULL };

/* ---- the kernel's rarely needed interfaces: the name is the detail ------- */

static bool kernel_build(struct sc_ctx *x)
{
	x->ev.detail = x->row->name;
	return true;
}

static void kernel_text(struct sc_ctx *x)
{
	if (x->row->id == SC_HOSTNAME) { /* sethostname/setdomainname(name, len) */
		stext_str(x->tt, x->c->str[0], x->c->str_trunc[0], 64);
		stext_printf(x->tt, ", %llu", (unsigned long long)x->a[1]);
		return;
	}
	sc_text_args_hex(x, x->row->id == SC_IO_URING ? 2 : 3);
}

const struct sc_family sc_fam_kernel = { "kernel", kernel_build, NULL, kernel_text, NULL };

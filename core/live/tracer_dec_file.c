/*
 * tracer_dec_file.c — the file families of the live tracer (tracer_dec.h):
 * opens, calls on one path, on a dirfd and a path, on an fd, on two paths,
 * executable mappings and memfds.  Paths are resolved in the sandbox's
 * view (tracer_resolve); opened fds and the cwd go to procstate.
 */
#include "live/tracer_dec.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <stdio.h>

#include "common/syscall_shapes.h"

#ifndef AT_FDCWD
#define AT_FDCWD -100
#endif

/* ---- open/openat/openat2/creat -------------------------------------- */

static uint64_t open_flags(const struct sc_row *row, const uint64_t *a)
{
	switch (row->id) {
	case SC_OPEN: return a[1];
	case SC_OPENAT: return a[2];
	case SC_OPENAT2: return a[4]; /* copied from struct open_how at the stop */
	default: return (uint64_t)(O_CREAT | O_WRONLY | O_TRUNC); /* creat */
	}
}

static uint64_t open_mode(const struct sc_row *row, const uint64_t *a)
{
	switch (row->id) {
	case SC_OPEN: return a[2];
	case SC_OPENAT: return a[3];
	case SC_OPENAT2: return a[5];
	default: return a[1];
	}
}

/* A read-only open published without its result: ask the kernel whether
 * it fails (tracer_oracle.c), so "No such file" is not shown as a read.  A
 * predicted failure becomes the call's result. */
static void predict_open_failure(struct tracer *t, const struct tracee *th, struct sc_call *c,
				 const char *path, uint64_t flags)
{
	if (c->has_result || c->str_trunc[0])
		return;
	int e = tracer_oracle_open(t, th, path, flags);
	if (e > 0) {
		c->has_result = true;
		c->ret = -e;
	}
}

static bool open_build(struct sc_ctx *x)
{
	const struct sc_row *row = x->row;
	struct sc_call *c = x->c;
	int dirfd = (row->id == SC_OPEN || row->id == SC_CREAT) ? AT_FDCWD : (int)x->a[0];
	uint64_t flags = open_flags(row, x->a), mode = open_mode(row, x->a);
	x->ev.raw_path = c->str[0];
	x->ev.path = tracer_resolve(x->t, x->th, dirfd, c->str[0], x->path, sizeof(x->path));
	if (row->id == SC_OPEN || row->id == SC_OPENAT) {
		predict_open_failure(x->t, x->th, c, x->ev.path, flags);
		tracer_event_result(&x->ev, c);
	}
	x->ev.flags = (int64_t)flags;
	x->ev.mode = (flags & (O_CREAT | __O_TMPFILE)) ? (int64_t)(mode & 07777) : 0;
	x->ev.access = shape_open_access(flags);
	x->ev.fd = x->ok ? (int32_t)c->ret : -1;
	return true;
}

static void open_state(struct sc_ctx *x)
{
	if (x->ok && x->ev.path)
		procstate_fd_set(x->t->ps, x->th->ns_tid, x->ev.fd, x->ev.path,
				 (open_flags(x->row, x->a) & O_CLOEXEC) != 0);
}

static void open_text(struct sc_ctx *x)
{
	const struct sc_row *row = x->row;
	uint64_t flags = open_flags(row, x->a), mode = open_mode(row, x->a);
	if (row->id != SC_OPEN && row->id != SC_CREAT) {
		stext_dirfd(x->tt, x->a[0]);
		stext_printf(x->tt, ", ");
	}
	stext_str(x->tt, x->c->str[0], x->c->str_trunc[0], TRACER_STR_MAX);
	if (row->id == SC_CREAT) {
		stext_printf(x->tt, ", %#llo", (unsigned long long)mode);
	} else if (row->id == SC_OPENAT2) {
		stext_printf(x->tt, ", {flags=");
		stext_open_flags(x->tt, flags);
		stext_printf(x->tt, ", mode=%#llo}, %llu", (unsigned long long)mode,
			     (unsigned long long)x->a[3]);
	} else {
		stext_printf(x->tt, ", ");
		stext_open_flags(x->tt, flags);
		if (flags & (O_CREAT | __O_TMPFILE))
			stext_printf(x->tt, ", %#llo", (unsigned long long)mode);
	}
}

const struct sc_family sc_fam_open = { "open", open_build, open_state, open_text, NULL };

/* ---- one path: unlink, rmdir, chmod, chown, mkdir, chdir, stat... ----- */

static bool path_build(struct sc_ctx *x)
{
	enum sc_id id = x->row->id;
	x->ev.raw_path = x->c->str[0];
	x->ev.path = tracer_resolve(x->t, x->th, AT_FDCWD, x->c->str[0], x->path, sizeof(x->path));
	if (id == SC_CHMOD || id == SC_MKDIR || id == SC_MKNOD) {
		x->ev.mode = (int64_t)(x->a[1] & 07777);
	} else if (id == SC_CHOWN || id == SC_LCHOWN) {
		x->ev.arg[0] = (int32_t)x->a[1];
		x->ev.arg[1] = (int32_t)x->a[2];
	}
	return true;
}

/* chdir/fchdir: the cwd every later relative path is resolved against */
static void chdir_state(struct sc_ctx *x)
{
	if ((x->row->id == SC_CHDIR || x->row->id == SC_FCHDIR) && x->ok && x->ev.path)
		procstate_chdir(x->t->ps, x->th->ns_tid, x->ev.path);
}

static void path_text(struct sc_ctx *x)
{
	enum sc_id id = x->row->id;
	stext_str(x->tt, x->c->str[0], x->c->str_trunc[0], TRACER_STR_MAX);
	if (id == SC_CHMOD || id == SC_MKDIR || id == SC_MKNOD)
		stext_printf(x->tt, ", %#llo", (unsigned long long)x->a[1]);
	else if (id == SC_CHOWN || id == SC_LCHOWN)
		stext_printf(x->tt, ", %d, %d", (int)x->a[1], (int)x->a[2]);
	else if (id == SC_UMOUNT2 || id == SC_STAT_PATH)
		stext_printf(x->tt, ", %#llx", (unsigned long long)x->a[1]);
}

const struct sc_family sc_fam_path = { "path", path_build, chdir_state, path_text, NULL };

/* ---- a dirfd and a path: unlinkat, fchmodat, fchownat, mkdirat, stat_at */

static bool path_at_build(struct sc_ctx *x)
{
	enum sc_id id = x->row->id;
	x->ev.raw_path = x->c->str[0];
	x->ev.path = tracer_resolve(x->t, x->th, (int)x->a[0], x->c->str[0], x->path, sizeof(x->path));
	if (id == SC_FCHMODAT || id == SC_MKDIRAT || id == SC_MKNODAT) {
		x->ev.mode = (int64_t)(x->a[2] & 07777);
	} else if (id == SC_FCHOWNAT) {
		x->ev.arg[0] = (int32_t)x->a[2];
		x->ev.arg[1] = (int32_t)x->a[3];
	}
	return true;
}

static void path_at_text(struct sc_ctx *x)
{
	enum sc_id id = x->row->id;
	const uint64_t *a = x->a;
	stext_dirfd(x->tt, a[0]);
	stext_printf(x->tt, ", ");
	stext_str(x->tt, x->c->str[0], x->c->str_trunc[0], TRACER_STR_MAX);
	if (id == SC_FCHMODAT || id == SC_MKDIRAT || id == SC_MKNODAT)
		stext_printf(x->tt, ", %#llo", (unsigned long long)a[2]);
	else if (id == SC_FCHOWNAT)
		stext_printf(x->tt, ", %d, %d, %#llx", (int)a[2], (int)a[3], (unsigned long long)a[4]);
	else
		stext_printf(x->tt, ", %#llx", (unsigned long long)a[2]);
}

const struct sc_family sc_fam_path_at = { "path_at", path_at_build, NULL, path_at_text, NULL };

/* ---- an fd: fchmod, fchown, fchdir ------------------------------------ */

static bool fd_path_build(struct sc_ctx *x)
{
	enum sc_id id = x->row->id;
	x->ev.fd = (int32_t)x->a[0];
	x->ev.fd_desc = tracer_fd_describe(x->t, x->th, x->ev.fd, x->desc, sizeof(x->desc));
	x->ev.path = (x->ev.fd_desc && x->ev.fd_desc[0] == '/') ? x->ev.fd_desc : NULL;
	if (id == SC_FCHMOD) {
		x->ev.mode = (int64_t)(x->a[1] & 07777);
	} else if (id == SC_FCHOWN) {
		x->ev.arg[0] = (int32_t)x->a[1];
		x->ev.arg[1] = (int32_t)x->a[2];
	}
	return true;
}

static void fd_path_text(struct sc_ctx *x)
{
	stext_printf(x->tt, "%d", (int)x->a[0]);
	if (x->row->id == SC_FCHMOD)
		stext_printf(x->tt, ", %#llo", (unsigned long long)x->a[1]);
	else if (x->row->id == SC_FCHOWN)
		stext_printf(x->tt, ", %d, %d", (int)x->a[1], (int)x->a[2]);
}

const struct sc_family sc_fam_fd_path = { "fd_path", fd_path_build, chdir_state, fd_path_text, NULL };

/* ---- two paths: rename, link, symlink, pivot_root --------------------- */

static bool two_paths_build(struct sc_ctx *x)
{
	struct sc_call *c = x->c;
	enum sc_id id = x->row->id;
	/* link(old, new), symlink(target, new): path is the new name */
	int named = (id == SC_SYMLINK || id == SC_LINK) ? 1 : 0;
	x->ev.path = tracer_resolve(x->t, x->th, AT_FDCWD, c->str[named], x->path, sizeof(x->path));
	x->ev.raw_path = c->str[named];
	if (id == SC_SYMLINK)
		x->ev.path2 = c->str[0]; /* a symlink's target is text, as written */
	else
		x->ev.path2 = tracer_resolve(x->t, x->th, AT_FDCWD, c->str[1 - named], x->path2,
					     sizeof(x->path2));
	if (id == SC_SYMLINK || id == SC_LINK)
		x->ev.detail = shape_link_detail(id == SC_SYMLINK);
	return true;
}

static void two_paths_text(struct sc_ctx *x)
{
	stext_str(x->tt, x->c->str[0], x->c->str_trunc[0], TRACER_STR_MAX);
	stext_printf(x->tt, ", ");
	stext_str(x->tt, x->c->str[1], x->c->str_trunc[1], TRACER_STR_MAX);
}

const struct sc_family sc_fam_two_paths = { "two_paths", two_paths_build, NULL, two_paths_text, NULL };

/* ---- two dirfds and paths: renameat, renameat2, linkat ----------------- */

static bool two_paths_at_build(struct sc_ctx *x)
{
	struct sc_call *c = x->c;
	const uint64_t *a = x->a;
	if (x->row->id == SC_LINKAT) {
		x->ev.path = tracer_resolve(x->t, x->th, (int)a[2], c->str[1], x->path, sizeof(x->path));
		x->ev.raw_path = c->str[1];
		x->ev.path2 = tracer_resolve(x->t, x->th, (int)a[0], c->str[0], x->path2, sizeof(x->path2));
		x->ev.detail = shape_link_detail(false);
	} else {
		x->ev.path = tracer_resolve(x->t, x->th, (int)a[0], c->str[0], x->path, sizeof(x->path));
		x->ev.raw_path = c->str[0];
		x->ev.path2 = tracer_resolve(x->t, x->th, (int)a[2], c->str[1], x->path2, sizeof(x->path2));
	}
	return true;
}

static void two_paths_at_text(struct sc_ctx *x)
{
	stext_dirfd(x->tt, x->a[0]);
	stext_printf(x->tt, ", ");
	stext_str(x->tt, x->c->str[0], x->c->str_trunc[0], TRACER_STR_MAX);
	stext_printf(x->tt, ", ");
	stext_dirfd(x->tt, x->a[2]);
	stext_printf(x->tt, ", ");
	stext_str(x->tt, x->c->str[1], x->c->str_trunc[1], TRACER_STR_MAX);
	if (x->row->id != SC_RENAMEAT)
		stext_printf(x->tt, ", %#llx", (unsigned long long)x->a[4]);
}

const struct sc_family sc_fam_two_paths_at = { "two_paths_at", two_paths_at_build, NULL,
					       two_paths_at_text, NULL };

/* ---- symlinkat(target, newdirfd, linkpath) ---------------------------- */

static bool symlinkat_build(struct sc_ctx *x)
{
	x->ev.path = tracer_resolve(x->t, x->th, (int)x->a[1], x->c->str[1], x->path, sizeof(x->path));
	x->ev.raw_path = x->c->str[1];
	x->ev.path2 = x->c->str[0];
	x->ev.detail = shape_link_detail(true);
	return true;
}

static void symlinkat_text(struct sc_ctx *x)
{
	stext_str(x->tt, x->c->str[0], x->c->str_trunc[0], TRACER_STR_MAX);
	stext_printf(x->tt, ", ");
	stext_dirfd(x->tt, x->a[1]);
	stext_printf(x->tt, ", ");
	stext_str(x->tt, x->c->str[1], x->c->str_trunc[1], TRACER_STR_MAX);
}

const struct sc_family sc_fam_symlinkat = { "symlinkat", symlinkat_build, NULL, symlinkat_text, NULL };

/* ---- mmap/mprotect with PROT_EXEC ------------------------------------- */

/* Anonymous memory made executable: published with where its code came
 * from (arg[2], path2: tracer_codesrc.c); an anonymous mmap only then (a
 * JIT's fresh code cache is zeros). */
static int anon_exec_source(struct sc_ctx *x)
{
	int src = tracer_codesrc_exec_memory(x->t, x->th, x->a[0], x->a[1], x->path2, sizeof(x->path2));
	x->ev.arg[2] = src;
	if (src == CODESRC_FILE)
		x->ev.path2 = x->path2;
	return src;
}

static bool mmap_build(struct sc_ctx *x)
{
	bool mm = x->row->id == SC_MMAP;
	x->ev.flags = (int64_t)x->a[2];
	x->ev.detail = mm ? "mmap" : "mprotect";
	if (!mm) {
		anon_exec_source(x);
		return true;
	}
	x->ev.fd = (int32_t)x->a[4];
	if (x->ev.fd < 0) /* anonymous executable memory: not a file mapping */
		return (x->a[3] & MAP_FIXED) && anon_exec_source(x) != 0;
	x->ev.fd_desc = tracer_fd_describe(x->t, x->th, x->ev.fd, x->desc, sizeof(x->desc));
	x->ev.path = x->ev.fd_desc;
	return true;
}

static void mmap_text(struct sc_ctx *x)
{
	const uint64_t *a = x->a;
	stext_printf(x->tt, "%#llx, %llu, ", (unsigned long long)a[0], (unsigned long long)a[1]);
	stext_flags(x->tt, a[2], stext_prot_flags, "PROT_NONE");
	if (x->row->id == SC_MMAP)
		stext_printf(x->tt, ", %#llx, %d, %#llx", (unsigned long long)a[3], (int)a[4],
			     (unsigned long long)a[5]);
}

const struct sc_family sc_fam_mmap = { "mmap", mmap_build, NULL, mmap_text, NULL };

/* ---- memfd_create ------------------------------------------------------ */

static bool memfd_build(struct sc_ctx *x)
{
	x->ev.detail = x->c->str[0];
	x->ev.fd = x->ok ? (int32_t)x->c->ret : -1;
	return true;
}

static void memfd_state(struct sc_ctx *x)
{
	if (!x->ok || !x->c->str[0])
		return;
	snprintf(x->desc, sizeof(x->desc), "memfd:%s", x->c->str[0]);
	procstate_fd_set(x->t->ps, x->th->ns_tid, x->ev.fd, x->desc, (x->a[1] & 1) != 0);
}

static void memfd_text(struct sc_ctx *x)
{
	stext_str(x->tt, x->c->str[0], x->c->str_trunc[0], 256);
	stext_printf(x->tt, ", %#llx", (unsigned long long)x->a[1]);
}

const struct sc_family sc_fam_memfd = { "memfd", memfd_build, memfd_state, memfd_text, NULL };

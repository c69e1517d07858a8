/*
 * strace_decode_file.c — file syscalls and the fd table: open family,
 * unlink/rename/chmod/chown/link/mkdir/chdir, exec mappings, writes (and
 * reads, handed to the network decoder on sockets), memfd, path probes,
 * and the fd bookkeeping calls (dup*, fcntl, close*, pipe*, eventfd...).
 */
#include "recorded/strace_decode_int.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#define PROT_EXEC_F 4
#define O_CLOEXEC_F 02000000
#define O_PATH_F 010000000
#define MAPS_MAX 1024

const struct strace_flag dec_open_flags[] = {
	{"O_RDONLY", 0}, {"O_WRONLY", 01}, {"O_RDWR", 02}, {"O_CREAT", 0100},
	{"O_EXCL", 0200}, {"O_NOCTTY", 0400}, {"O_TRUNC", 01000}, {"O_APPEND", 02000},
	{"O_NONBLOCK", 04000}, {"O_NDELAY", 04000}, {"O_DSYNC", 010000}, {"O_ASYNC", 020000},
	{"FASYNC", 020000}, {"O_DIRECT", 040000}, {"O_LARGEFILE", 0100000},
	{"O_DIRECTORY", 0200000}, {"O_NOFOLLOW", 0400000}, {"O_NOATIME", 01000000},
	{"O_CLOEXEC", O_CLOEXEC_F}, {"O_SYNC", 04010000}, {"O_PATH", O_PATH_F},
	{"O_TMPFILE", 020200000}, {NULL, 0},
};

const struct strace_flag dec_prot_flags[] = {
	{"PROT_NONE", 0}, {"PROT_READ", 1}, {"PROT_WRITE", 2}, {"PROT_EXEC", PROT_EXEC_F},
	{"PROT_SEM", 8}, {"PROT_GROWSDOWN", 0x01000000}, {"PROT_GROWSUP", 0x02000000},
	{NULL, 0},
};

const struct strace_flag dec_mode_flags[] = {
	{"S_IFSOCK", 0140000}, {"S_IFLNK", 0120000}, {"S_IFREG", 0100000},
	{"S_IFBLK", 060000}, {"S_IFDIR", 040000}, {"S_IFCHR", 020000}, {"S_IFIFO", 010000},
	{"S_ISUID", 04000}, {"S_ISGID", 02000}, {"S_ISVTX", 01000}, {NULL, 0},
};

struct mapping {
	int pid;
	uint64_t start, end;
	char *path;
};

static uint32_t access_bits(int64_t flags)
{
	uint32_t acc = 0;
	if (flags & O_PATH_F)
		return DA_ACC_PATH;
	switch (flags & 3) {
	case 0: acc |= DA_ACC_READ; break;
	case 1: acc |= DA_ACC_WRITE; break;
	default: acc |= DA_ACC_READ | DA_ACC_WRITE; break;
	}
	if (flags & 0100)
		acc |= DA_ACC_CREATE;
	if (flags & 01000)
		acc |= DA_ACC_TRUNC;
	if (flags & 02000)
		acc |= DA_ACC_APPEND;
	if (flags & 0200000)
		acc |= DA_ACC_DIR;
	return acc;
}

static int64_t mode_of(const struct call *c, size_t i)
{
	return i < c->nargs ? strace_flags(c->a[i], dec_mode_flags) : 0;
}

static void decode_open(struct strace_decoder *d, const struct call *c)
{
	int di = -1;
	size_t pi = 0, fi = 1, mi = 2;
	int64_t flags = 0, mode = 0;
	if (!strcmp(c->name, "openat") || !strcmp(c->name, "openat2")) {
		di = 0;
		pi = 1;
		fi = 2;
		mi = 3;
	}
	if (!strcmp(c->name, "creat")) {
		flags = 0100 | 01 | 01000;
		mode = mode_of(c, 1);
	} else if (!strcmp(c->name, "openat2")) {
		struct strace_span v;
		if (fi < c->nargs && strace_field(c->a[fi], "flags", &v))
			flags = strace_flags(v, dec_open_flags);
		if (fi < c->nargs && strace_field(c->a[fi], "mode", &v))
			mode = strace_flags(v, dec_mode_flags);
	} else {
		flags = fi < c->nargs ? strace_flags(c->a[fi], dec_open_flags) : 0;
		mode = mode_of(c, mi);
	}
	struct da_event ev;
	dec_event(c, &ev, DA_EV_FILE_OPEN);
	const char *raw;
	ev.path = dec_path(d, c, di, pi, &raw);
	ev.raw_path = raw;
	ev.flags = flags;
	ev.mode = mode;
	ev.access = access_bits(flags);
	if (c->ok && c->result >= 0 && c->result <= INT32_MAX) {
		int fd = (int)c->result;
		ev.fd = fd;
		const char *kernel = c->rec->ret_annot.n ? dec_annot_desc(d, c->rec->ret_annot) : NULL;
		if (kernel && kernel[0] == '/')
			ev.path = kernel; /* the kernel's resolution, symlinks followed */
		procstate_fd_set(d->ps, c->pid, fd, kernel ? kernel : ev.path,
				 flags & O_CLOEXEC_F);
		ev.fd_desc = dec_fd_get(d, c->pid, fd);
	}
	dec_publish(d, &ev);
}

/* Events whose only member is a path (plus mode): unlink, mkdir, stat... */
static void decode_path_event(struct strace_decoder *d, const struct call *c,
			      enum da_event_kind kind, int di, size_t pi, int mi)
{
	struct da_event ev;
	dec_event(c, &ev, kind);
	const char *raw;
	ev.path = dec_path(d, c, di, pi, &raw);
	ev.raw_path = raw;
	if (mi >= 0)
		ev.mode = mode_of(c, (size_t)mi);
	if (!ev.path)
		return; /* not a path (e.g. fstatat with AT_EMPTY_PATH on an fd): OTHER */
	dec_publish(d, &ev);
}

static void decode_rename(struct strace_decoder *d, const struct call *c)
{
	bool at = strncmp(c->name, "renameat", 8) == 0;
	struct da_event ev;
	dec_event(c, &ev, DA_EV_FILE_RENAME);
	const char *raw;
	ev.path = dec_path(d, c, at ? 0 : -1, at ? 1 : 0, &raw);
	ev.raw_path = raw;
	ev.path2 = dec_path(d, c, at ? 2 : -1, at ? 3 : 1, NULL);
	dec_publish(d, &ev);
}

static void decode_chmod_chown(struct strace_decoder *d, const struct call *c, bool chown)
{
	const char *n = c->name;
	struct da_event ev;
	dec_event(c, &ev, chown ? DA_EV_FILE_CHOWN : DA_EV_FILE_CHMOD);
	size_t first; /* index of mode / uid */
	if (n[0] == 'f' && (!strcmp(n, "fchmod") || !strcmp(n, "fchown"))) {
		ev.path = dec_fd_desc(d, c, 0, &ev.fd);
		first = 1;
	} else if (!strcmp(n, "fchmodat") || !strcmp(n, "fchmodat2") || !strcmp(n, "fchownat")) {
		const char *raw;
		ev.path = dec_path(d, c, 0, 1, &raw);
		ev.raw_path = raw;
		first = 2;
	} else {
		const char *raw;
		ev.path = dec_path(d, c, -1, 0, &raw);
		ev.raw_path = raw;
		first = 1;
	}
	if (chown) {
		int64_t v;
		ev.arg[0] = dec_int(c, first, &v) ? v : -1;
		ev.arg[1] = dec_int(c, first + 1, &v) ? v : -1;
	} else {
		ev.mode = mode_of(c, first);
	}
	dec_publish(d, &ev);
}

static void decode_link(struct strace_decoder *d, const struct call *c)
{
	const char *n = c->name;
	struct da_event ev;
	dec_event(c, &ev, DA_EV_FILE_LINK);
	const char *raw;
	if (!strcmp(n, "symlink") || !strcmp(n, "symlinkat")) {
		bool at = n[7] == 'a';
		ev.detail = "symlink";
		ev.path2 = dec_str(d, c, 0); /* the target as written */
		ev.path = dec_path(d, c, at ? 1 : -1, at ? 2 : 1, &raw);
		ev.raw_path = raw;
		if (c->ok && ev.path && ev.path2)
			procstate_add_symlink(d->ps, ev.path, ev.path2);
	} else {
		bool at = !strcmp(n, "linkat");
		ev.detail = "hardlink";
		ev.path2 = dec_path(d, c, at ? 0 : -1, at ? 1 : 0, NULL);
		ev.path = dec_path(d, c, at ? 2 : -1, at ? 3 : 1, &raw);
		ev.raw_path = raw;
	}
	dec_publish(d, &ev);
}

/* File mappings sit in a fixed ring (newest overwrite oldest), so every
 * scan is bounded by MAPS_MAX whatever the log does. */
static void maps_add(struct strace_decoder *d, int pid, uint64_t start, uint64_t len,
		     const char *path)
{
	if (!path)
		return;
	if (!d->maps) {
		d->maps = calloc(MAPS_MAX, sizeof(*d->maps));
		if (!d->maps)
			return;
		d->cap_maps = MAPS_MAX;
	}
	struct mapping *m = &d->maps[d->n_maps % MAPS_MAX];
	char *copy = strdup(path);
	if (!copy)
		return;
	free(m->path);
	m->path = copy;
	m->pid = pid;
	m->start = start;
	m->end = start + len;
	d->n_maps++;
}

void dec_maps_forget(struct strace_decoder *d, int pid)
{
	for (size_t i = 0; d->maps && i < MAPS_MAX; i++) {
		if (d->maps[i].pid == pid && d->maps[i].path) {
			free(d->maps[i].path);
			memset(&d->maps[i], 0, sizeof(d->maps[i]));
		}
	}
}

void dec_maps_free(struct strace_decoder *d)
{
	for (size_t i = 0; d->maps && i < MAPS_MAX; i++)
		free(d->maps[i].path);
	free(d->maps);
	d->maps = NULL;
	d->n_maps = d->cap_maps = 0;
}

static void decode_mmap(struct strace_decoder *d, const struct call *c)
{
	int64_t prot = c->nargs > 2 ? strace_flags(c->a[2], dec_prot_flags) : 0;
	int fd = -1;
	const char *desc = c->nargs > 4 ? dec_fd_desc(d, c, 4, &fd) : NULL;
	if (fd < 0 || !c->ok)
		return;
	int64_t len = 0;
	dec_int(c, 1, &len);
	maps_add(d, c->pid, (uint64_t)c->result, (uint64_t)len, desc);
	if (!(prot & PROT_EXEC_F))
		return;
	struct da_event ev;
	dec_event(c, &ev, DA_EV_FILE_MMAP_EXEC);
	ev.fd = fd;
	ev.fd_desc = desc;
	ev.path = desc;
	ev.flags = prot;
	ev.detail = "mmap";
	dec_publish(d, &ev);
}

static void decode_mprotect(struct strace_decoder *d, const struct call *c)
{
	int64_t prot = c->nargs > 2 ? strace_flags(c->a[2], dec_prot_flags) : 0;
	int64_t addr;
	if (!(prot & PROT_EXEC_F) || !dec_int(c, 0, &addr))
		return;
	/* newest first: a later mapping of the same range wins */
	size_t n = d->n_maps < MAPS_MAX ? d->n_maps : MAPS_MAX;
	for (size_t k = 0; d->maps && k < n; k++) {
		const struct mapping *m = &d->maps[(d->n_maps - 1 - k) % MAPS_MAX];
		if (!m->path || m->pid != c->pid || (uint64_t)addr < m->start ||
		    (uint64_t)addr >= m->end)
			continue;
		struct da_event ev;
		dec_event(c, &ev, DA_EV_FILE_MMAP_EXEC);
		ev.path = dec_keep(d, strdup(m->path));
		ev.flags = prot;
		ev.detail = "mprotect";
		dec_publish(d, &ev);
		return;
	}
}

static void decode_chdir(struct strace_decoder *d, const struct call *c)
{
	struct da_event ev;
	dec_event(c, &ev, DA_EV_FILE_CHDIR);
	if (!strcmp(c->name, "fchdir")) {
		ev.path = dec_fd_desc(d, c, 0, &ev.fd);
	} else {
		const char *raw;
		ev.path = dec_path(d, c, -1, 0, &raw);
		ev.raw_path = raw;
	}
	if (c->ok && ev.path && ev.path[0] == '/')
		procstate_chdir(d->ps, c->pid, ev.path);
	dec_publish(d, &ev);
}

/* The bytes of a write: buf string, or the iov_base strings of writev. */
static char *write_data(const struct call *c, size_t *len, bool *truncated)
{
	*len = 0;
	*truncated = false;
	if (c->nargs < 2)
		return NULL;
	bool vec = strstr(c->name, "writev") != NULL;
	if (!vec)
		return strace_unquote(c->a[1], len, truncated);
	struct strace_span a = c->a[1];
	char *out = malloc(a.n + 1);
	if (!out)
		return NULL;
	const char *p = a.p, *end = a.p + a.n;
	while (p < end) {
		const char *hit = memmem(p, (size_t)(end - p), "iov_base=", 9);
		if (!hit)
			break;
		struct strace_span v = {hit + 9, (size_t)(end - hit - 9)};
		size_t l;
		bool t;
		/* strace_unquote stops at the closing quote */
		char *s = strace_unquote(v, &l, &t);
		if (s) {
			memcpy(out + *len, s, l); /* decoded <= raw, so it fits */
			*len += l;
			*truncated |= t;
			free(s);
		}
		p = hit + 9;
	}
	out[*len] = '\0';
	return out;
}

static void decode_write(struct strace_decoder *d, const struct call *c)
{
	int fd;
	const char *desc = dec_fd_desc(d, c, 0, &fd);
	if (fd < 0)
		return;
	int origin = procstate_fd_origin(d->ps, c->pid, fd);
	bool plain = !strcmp(c->name, "write") || !strcmp(c->name, "writev") ||
		     !strcmp(c->name, "pwrite64") || !strcmp(c->name, "pwritev") ||
		     !strcmp(c->name, "pwritev2");
	if ((origin == 1 || origin == 2) && plain) {
		size_t len;
		bool truncated;
		char *data = write_data(c, &len, &truncated);
		if (data) {
			/* Only what the kernel accepted was output. */
			if (c->ok && c->result >= 0 && (uint64_t)c->result < len && !truncated)
				len = (size_t)c->result;
			dec_output(d, c, origin, data, len, truncated);
			free(data);
		}
		return;
	}
	if (desc && strncmp(desc, "socket:", 7) == 0) {
		dec_net_io(d, c, fd, desc, true);
		return;
	}
	if (desc && (!strcmp(desc, "pipe") || !strncmp(desc, "anon:", 5)))
		return;
	if (procstate_fd_mark(d->ps, c->pid, fd, MARK_WRITE) & MARK_WRITE)
		return;
	struct da_event ev;
	dec_event(c, &ev, DA_EV_FILE_WRITE);
	ev.fd = fd;
	ev.fd_desc = desc;
	ev.path = desc && (desc[0] == '/' || !strncmp(desc, "memfd:", 6)) ? desc : NULL;
	int64_t count = 0;
	if (c->ok)
		count = c->result;
	else
		dec_int(c, 2, &count);
	ev.arg[0] = count;
	dec_publish(d, &ev);
}

static void decode_read(struct strace_decoder *d, const struct call *c)
{
	int fd;
	const char *desc = dec_fd_desc(d, c, 0, &fd);
	if (desc && strncmp(desc, "socket:", 7) == 0)
		dec_net_io(d, c, fd, desc, false);
}

static void decode_memfd(struct strace_decoder *d, const struct call *c)
{
	struct da_event ev;
	dec_event(c, &ev, DA_EV_FILE_MEMFD);
	const char *name = dec_str(d, c, 0);
	ev.detail = name;
	if (c->ok) {
		ev.fd = (int)c->result;
		char *desc = malloc(strlen(name ? name : "") + 7);
		if (desc) {
			strcpy(desc, "memfd:");
			strcat(desc, name ? name : "");
			bool cloexec = c->nargs > 1 && strace_has_word(c->a[1], "MFD_CLOEXEC");
			procstate_fd_set(d->ps, c->pid, ev.fd, desc, cloexec);
			ev.fd_desc = dec_keep(d, desc);
		}
	}
	dec_publish(d, &ev);
}

/* fd bookkeeping; these publish nothing specific (the caller emits OTHER). */
static bool fd_table_call(struct strace_decoder *d, const struct call *c)
{
	const char *n = c->name;
	int64_t a0 = -1, a1 = -1;
	int fd;
	bool has0 = dec_int(c, 0, &a0);
	dec_int(c, 1, &a1);
	if (!strcmp(n, "close")) {
		if (has0 && c->ok)
			procstate_fd_close(d->ps, c->pid, (int)a0);
	} else if (!strcmp(n, "close_range")) {
		int64_t last = a1 < 0 || a1 > INT32_MAX ? INT32_MAX : a1;
		bool cloexec = c->nargs > 2 && strace_has_word(c->a[2], "CLOSE_RANGE_CLOEXEC");
		if (c->ok && a0 >= 0 && a0 <= INT32_MAX)
			procstate_fd_close_range(d->ps, c->pid, (int)a0, (int)last, cloexec);
	} else if (!strcmp(n, "dup") || !strcmp(n, "dup2") || !strcmp(n, "dup3")) {
		dec_fd_desc(d, c, 0, &fd);
		if (c->ok && has0 && c->result >= 0) {
			bool cloexec = !strcmp(n, "dup3") && c->nargs > 2 &&
				       strace_has_word(c->a[2], "O_CLOEXEC");
			procstate_fd_dup(d->ps, c->pid, (int)a0, (int)c->result, cloexec);
		}
	} else if (!strcmp(n, "fcntl") || !strcmp(n, "fcntl64")) {
		if (!has0 || c->nargs < 2)
			return true;
		dec_fd_desc(d, c, 0, &fd);
		if (strace_span_eq(c->a[1], "F_DUPFD") || strace_span_eq(c->a[1], "F_DUPFD_CLOEXEC")) {
			if (c->ok && c->result >= 0)
				procstate_fd_dup(d->ps, c->pid, (int)a0, (int)c->result,
						 strace_span_eq(c->a[1], "F_DUPFD_CLOEXEC"));
		} else if (strace_span_eq(c->a[1], "F_SETFD") && c->ok && c->nargs > 2) {
			procstate_fd_set_cloexec(d->ps, c->pid, (int)a0,
						 strace_has_word(c->a[2], "FD_CLOEXEC") ||
							 strace_span_eq(c->a[2], "1"));
		}
	} else if (!strcmp(n, "pipe") || !strcmp(n, "pipe2")) {
		if (!c->ok || c->nargs < 1)
			return true;
		struct strace_span arr = c->a[0], fds[2];
		if (arr.n < 2 || arr.p[0] != '[')
			return true;
		arr.p++;
		arr.n -= 2;
		if (strace_split(arr, fds, 2) != 2)
			return true;
		bool cloexec = c->nargs > 1 && strace_has_word(c->a[1], "O_CLOEXEC");
		for (int k = 0; k < 2; k++) {
			int64_t v;
			if (strace_arg_int(fds[k], &v))
				procstate_fd_set(d->ps, c->pid, (int)v, "pipe", cloexec);
		}
	} else if (!strcmp(n, "eventfd") || !strcmp(n, "eventfd2") || !strcmp(n, "epoll_create") ||
		   !strcmp(n, "epoll_create1") || !strcmp(n, "signalfd") || !strcmp(n, "signalfd4") ||
		   !strcmp(n, "timerfd_create") || !strcmp(n, "inotify_init") ||
		   !strcmp(n, "inotify_init1") || !strcmp(n, "pidfd_open") ||
		   !strcmp(n, "perf_event_open") || !strcmp(n, "fanotify_init")) {
		if (!c->ok || c->result < 0 || !strcmp(n, "perf_event_open"))
			return !strcmp(n, "perf_event_open") ? false : true;
		const char *kind = strstr(n, "eventfd") ? "anon:[eventfd]"
				   : strstr(n, "epoll") ? "anon:[eventpoll]"
				   : strstr(n, "signalfd") ? "anon:[signalfd]"
				   : strstr(n, "timerfd") ? "anon:[timerfd]"
				   : strstr(n, "inotify") ? "anon:inotify"
				   : strstr(n, "pidfd") ? "anon:[pidfd]" : "anon:[fanotify]";
		bool cloexec = c->nargs > 0 && strace_has_word(c->a[c->nargs - 1], "O_CLOEXEC");
		for (size_t k = 0; k < c->nargs; k++)
			cloexec |= strace_has_word(c->a[k], "EFD_CLOEXEC") ||
				   strace_has_word(c->a[k], "EPOLL_CLOEXEC") ||
				   strace_has_word(c->a[k], "TFD_CLOEXEC") ||
				   strace_has_word(c->a[k], "SFD_CLOEXEC") ||
				   strace_has_word(c->a[k], "IN_CLOEXEC");
		procstate_fd_set(d->ps, c->pid, (int)c->result, kind, cloexec);
		dec_learn_result_fd(d, c, (int)c->result);
	} else {
		return false;
	}
	return true;
}

/* What dec_file does with a call (file_calls maps names to it). */
enum file_op {
	OP_NONE, OP_OPEN, OP_UNLINK, OP_UNLINKAT, OP_RENAME, OP_CHMOD, OP_CHOWN, OP_LINK,
	OP_MMAP, OP_MPROTECT, OP_MKDIR, OP_MKDIRAT, OP_CHDIR, OP_WRITE, OP_WRITE_THIRD,
	OP_READ, OP_IOCTL, OP_MEMFD, OP_STAT, OP_STATAT,
};

/* The calls dec_file decodes, sorted by name (strcmp order: keep it so) for bsearch:
 * a chain of some eighty strcmp ran for every read, write and close. */
static const struct file_call {
	const char *name;
	enum file_op op;
} file_calls[] = {
	{"access", OP_STAT}, {"chdir", OP_CHDIR}, {"chmod", OP_CHMOD}, {"chown", OP_CHOWN},
	{"chown32", OP_CHOWN}, {"copy_file_range", OP_WRITE_THIRD}, {"creat", OP_OPEN},
	{"faccessat", OP_STATAT}, {"faccessat2", OP_STATAT}, {"fchdir", OP_CHDIR},
	{"fchmod", OP_CHMOD}, {"fchmodat", OP_CHMOD}, {"fchmodat2", OP_CHMOD},
	{"fchown", OP_CHOWN}, {"fchown32", OP_CHOWN}, {"fchownat", OP_CHOWN},
	{"fstatat64", OP_STATAT}, {"getxattr", OP_STAT}, {"ioctl", OP_IOCTL},
	{"lchown", OP_CHOWN}, {"lchown32", OP_CHOWN}, {"lgetxattr", OP_STAT}, {"link", OP_LINK},
	{"linkat", OP_LINK}, {"lstat", OP_STAT}, {"lstat64", OP_STAT},
	{"memfd_create", OP_MEMFD}, {"memfd_secret", OP_MEMFD}, {"mkdir", OP_MKDIR},
	{"mkdirat", OP_MKDIRAT}, {"mknod", OP_MKDIR}, {"mknodat", OP_MKDIRAT}, {"mmap", OP_MMAP},
	{"mmap2", OP_MMAP}, {"mprotect", OP_MPROTECT}, {"newfstatat", OP_STATAT},
	{"open", OP_OPEN}, {"openat", OP_OPEN}, {"openat2", OP_OPEN},
	{"pkey_mprotect", OP_MPROTECT}, {"pread64", OP_READ}, {"preadv", OP_READ},
	{"preadv2", OP_READ}, {"pwrite64", OP_WRITE}, {"pwritev", OP_WRITE},
	{"pwritev2", OP_WRITE}, {"read", OP_READ}, {"readlink", OP_STAT},
	{"readlinkat", OP_STATAT}, {"readv", OP_READ}, {"rename", OP_RENAME},
	{"renameat", OP_RENAME}, {"renameat2", OP_RENAME}, {"rmdir", OP_UNLINK},
	{"sendfile", OP_WRITE}, {"sendfile64", OP_WRITE}, {"splice", OP_WRITE_THIRD},
	{"stat", OP_STAT}, {"stat64", OP_STAT}, {"statfs", OP_STAT}, {"statx", OP_STATAT},
	{"symlink", OP_LINK}, {"symlinkat", OP_LINK}, {"tee", OP_WRITE}, {"truncate", OP_STAT},
	{"unlink", OP_UNLINK}, {"unlinkat", OP_UNLINKAT}, {"utimensat", OP_STATAT},
	{"utimes", OP_STAT}, {"vmsplice", OP_WRITE}, {"write", OP_WRITE}, {"writev", OP_WRITE},
};

static int cmp_file_call(const void *key, const void *elem)
{
	return strcmp(key, ((const struct file_call *)elem)->name);
}

static enum file_op file_op_of(const char *name)
{
	const struct file_call *f = bsearch(name, file_calls, sizeof(file_calls) / sizeof(file_calls[0]),
					    sizeof(file_calls[0]), cmp_file_call);
	return f ? f->op : OP_NONE;
}

bool dec_file(struct strace_decoder *d, const struct call *c)
{
	switch (file_op_of(c->name)) {
	case OP_OPEN:
		decode_open(d, c);
		break;
	case OP_UNLINK:
		decode_path_event(d, c, DA_EV_FILE_UNLINK, -1, 0, -1);
		break;
	case OP_UNLINKAT:
		decode_path_event(d, c, DA_EV_FILE_UNLINK, 0, 1, -1);
		break;
	case OP_RENAME:
		decode_rename(d, c);
		break;
	case OP_CHMOD:
		decode_chmod_chown(d, c, false);
		break;
	case OP_CHOWN:
		decode_chmod_chown(d, c, true);
		break;
	case OP_LINK:
		decode_link(d, c);
		break;
	case OP_MMAP:
		decode_mmap(d, c);
		break;
	case OP_MPROTECT:
		decode_mprotect(d, c);
		break;
	case OP_MKDIR:
		decode_path_event(d, c, DA_EV_FILE_MKDIR, -1, 0, 1);
		break;
	case OP_MKDIRAT:
		decode_path_event(d, c, DA_EV_FILE_MKDIR, 0, 1, 2);
		break;
	case OP_CHDIR:
		decode_chdir(d, c);
		break;
	case OP_WRITE:
		decode_write(d, c);
		break;
	case OP_WRITE_THIRD: {
		/* copy_file_range, splice: the output fd is the third argument */
		struct call c2 = *c;
		if (c2.nargs > 2) {
			c2.a[0] = c->a[2];
			decode_write(d, &c2);
		}
		break;
	}
	case OP_READ:
		decode_read(d, c);
		break;
	case OP_IOCTL:
		dec_tty_ioctl(d, c); /* any other ioctl: the plain syscall event */
		break;
	case OP_MEMFD:
		decode_memfd(d, c);
		break;
	case OP_STAT:
		decode_path_event(d, c, DA_EV_FILE_STAT, -1, 0, -1);
		break;
	case OP_STATAT: {
		const char *raw = dec_str(d, c, 1);
		if (raw && raw[0]) /* "" + AT_EMPTY_PATH is fstat of an fd, not a probe */
			decode_path_event(d, c, DA_EV_FILE_STAT, 0, 1, -1);
		else
			dec_fd_desc(d, c, 0, &(int){0});
		break;
	}
	case OP_NONE:
	default:
		return fd_table_call(d, c);
	}
	return true;
}

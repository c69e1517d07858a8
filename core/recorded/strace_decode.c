/*
 * strace_decode.c — the decoder engine: builds a call from a record,
 * tracks which pid is whose child, decodes the process syscalls (exec,
 * fork/clone, signals, session) and process ends, and hands
 * the other families to strace_decode_{file,net,priv}.c and output lines
 * to strace_decode_out.c.  See
 * strace_decode.h.
 */
#include "recorded/strace_decode_int.h"
#include "recorded/source_strace.h"

#include "common/loader_env.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CLONE_THREAD_F 0x10000LL
#define CLONE_FILES_F 0x400LL
#define CLONE_FS_F 0x200LL
#define CLONE_VM_F 0x100LL
#define CLONE_VFORK_F 0x4000LL
#define PENDING_CLONES_MAX 256
#define ENDS_MAX 256

/* ---- kept strings -------------------------------------------------- */

const char *dec_keep(struct strace_decoder *d, char *s)
{
	if (!s)
		return NULL;
	if (d->n_keep == DEC_MAX_KEEP) {
		/* Never reached by the decoders (they keep a handful per call);
		 * dropping the value beats growing without bound. */
		free(s);
		return NULL;
	}
	d->keep[d->n_keep++] = s;
	return s;
}

static void keep_release(struct strace_decoder *d)
{
	for (size_t i = 0; i < d->n_keep; i++)
		free(d->keep[i]);
	d->n_keep = 0;
}

/* ---- events -------------------------------------------------------- */

void dec_event(const struct call *c, struct da_event *ev, enum da_event_kind kind)
{
	da_event_init(ev, kind);
	ev->time_s = c->time_s;
	ev->pid = c->pid;
	ev->tid = c->tid;
	ev->ppid = c->ppid;
	ev->syscall = c->name;
	ev->result = c->result;
	ev->err = c->err;
	ev->errname = c->errname;
	ev->text = c->text;
}

#define TIES_MAX (1u << 20)

static void tie_add(int **v, size_t *n, size_t *cap, int x)
{
	if (x <= 0 || (*n && (*v)[*n - 1] == x) || *n >= TIES_MAX)
		return;
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 64;
		int *nv = realloc(*v, nc * sizeof(*nv));
		if (!nv)
			return;
		*v = nv;
		*cap = nc;
	}
	(*v)[(*n)++] = x;
}

void dec_publish(struct strace_decoder *d, struct da_event *ev)
{
	bus_publish(d->bus, ev);
	d->events++;
	tie_add(&d->tie_pids, &d->n_tie_pids, &d->cap_tie_pids, ev->pid);
	if (ev->kind >= DA_EV_NET_SOCKET && ev->kind <= DA_EV_NET_RECV)
		tie_add(&d->tie_ports, &d->n_tie_ports, &d->cap_tie_ports, ev->port);
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

static size_t sort_unique(int *v, size_t n)
{
	if (!n)
		return 0;
	qsort(v, n, sizeof(*v), cmp_int);
	size_t w = 1;
	for (size_t i = 1; i < n; i++)
		if (v[i] != v[w - 1])
			v[w++] = v[i];
	return w;
}

void strace_decoder_take_ties(struct strace_decoder *d, struct strace_ties *out)
{
	out->pids = d->tie_pids;
	out->n_pids = sort_unique(d->tie_pids, d->n_tie_pids);
	out->ports = d->tie_ports;
	out->n_ports = sort_unique(d->tie_ports, d->n_tie_ports);
	d->tie_pids = d->tie_ports = NULL;
	d->n_tie_pids = d->n_tie_ports = d->cap_tie_pids = d->cap_tie_ports = 0;
}

/* ---- argument access ---------------------------------------------- */

bool dec_int(const struct call *c, size_t i, int64_t *v)
{
	return i < c->nargs && strace_arg_int(c->a[i], v);
}

const char *dec_str(struct strace_decoder *d, const struct call *c, size_t i)
{
	if (i >= c->nargs)
		return NULL;
	return dec_keep(d, strace_unquote(c->a[i], NULL, NULL));
}

/* Description text for an fd from its -y / -yy annotation. */
const char *dec_annot_desc(struct strace_decoder *d, struct strace_span an)
{
	static const struct {
		const char *prefix, *desc;
	} sock[] = {
		{"TCPv6:", "socket:inet6/stream"}, {"TCP:", "socket:inet/stream"},
		{"UDPv6:", "socket:inet6/dgram"},  {"UDP:", "socket:inet/dgram"},
		{"UNIX-STREAM:", "socket:unix/stream"}, {"UNIX-DGRAM:", "socket:unix/dgram"},
		{"UNIX-SEQPACKET:", "socket:unix/seqpacket"}, {"UNIX:", "socket:unix/stream"},
		{"NETLINK:", "socket:netlink/raw"}, {"PACKET:", "socket:packet/raw"},
		{"RAWv6:", "socket:inet6/raw"}, {"RAW:", "socket:inet/raw"},
	};
	if (an.n == 0)
		return NULL;
	if (an.p[0] == '/') {
		/* "/dev/pts/0<char 136:0>" (-yy): the path is before the nested part */
		size_t n = 0;
		while (n < an.n && an.p[n] != '<')
			n++;
		const char *path = dec_keep(d, strace_unescape(an.p, n, NULL));
		if (path && strncmp(path, "/memfd:", 7) == 0) {
			char *m = strdup(path + 1);
			char *del = m ? strstr(m, " (deleted)") : NULL;
			if (del)
				*del = '\0';
			return dec_keep(d, m);
		}
		return path;
	}
	if (an.n >= 5 && memcmp(an.p, "pipe:", 5) == 0)
		return "pipe";
	if (an.n >= 11 && memcmp(an.p, "anon_inode:", 11) == 0) {
		char *s = malloc(an.n);
		if (!s)
			return NULL;
		memcpy(s, "anon:", 5);
		memcpy(s + 5, an.p + 11, an.n - 11);
		s[an.n - 6] = '\0';
		return dec_keep(d, s);
	}
	for (size_t k = 0; k < sizeof(sock) / sizeof(sock[0]); k++) {
		size_t pl = strlen(sock[k].prefix);
		if (an.n < pl || memcmp(an.p, sock[k].prefix, pl) != 0)
			continue;
		/* "[local->peer]" or "[local]" or "[inode]" */
		struct strace_span in = {an.p + pl, an.n - pl};
		if (in.n >= 2 && in.p[0] == '[' && in.p[in.n - 1] == ']') {
			in.p++;
			in.n -= 2;
		}
		const char *arrow = memmem(in.p, in.n, "->", 2);
		bool inet = strncmp(sock[k].desc, "socket:inet", 11) == 0;
		size_t dl = strlen(sock[k].desc);
		char *s = malloc(dl + in.n + 3);
		if (!s)
			return NULL;
		memcpy(s, sock[k].desc, dl + 1);
		if (inet && arrow) {
			size_t pn = in.n - (size_t)(arrow + 2 - in.p);
			memcpy(s + dl, "->", 2);
			memcpy(s + dl + 2, arrow + 2, pn);
			s[dl + 2 + pn] = '\0';
		} else if (inet && memchr(in.p, ':', in.n)) {
			s[dl] = '@';
			memcpy(s + dl + 1, in.p, in.n);
			s[dl + 1 + in.n] = '\0';
		}
		return dec_keep(d, s);
	}
	return NULL; /* "socket:[123]" and friends: nothing the table lacks */
}

static bool desc_is_vague(const char *desc)
{
	return !desc || strcmp(desc, "unknown") == 0 ||
	       (strncmp(desc, "socket:", 7) == 0 && !strstr(desc, "->") && !strchr(desc, '@'));
}

/* Learn from an annotation of fd: the kernel's word wins, except that a
 * vague "socket:[inode]" never replaces what connect/bind taught us. */
static void learn_annot(struct strace_decoder *d, int pid, int fd, struct strace_span an)
{
	const char *desc = dec_annot_desc(d, an);
	if (!desc)
		return;
	const char *cur = procstate_fd_get(d->ps, pid, fd);
	if (cur && strcmp(cur, desc) == 0)
		return;
	if (desc_is_vague(desc) && cur && strcmp(cur, "unknown") != 0 &&
	    strncmp(cur, "socket:", 7) == 0)
		return;
	procstate_fd_refine(d->ps, pid, fd, desc);
}

const char *dec_fd_get(struct strace_decoder *d, int pid, int fd)
{
	const char *desc = procstate_fd_get(d->ps, pid, fd);
	return desc ? dec_keep(d, strdup(desc)) : NULL;
}

const char *dec_fd_desc(struct strace_decoder *d, const struct call *c, size_t i, int *fd)
{
	int64_t v;
	*fd = -1;
	if (!dec_int(c, i, &v) || v < 0 || v > INT32_MAX)
		return NULL;
	*fd = (int)v;
	struct strace_span an;
	if (strace_arg_annot(c->a[i], &an))
		learn_annot(d, c->pid, *fd, an);
	return dec_fd_get(d, c->pid, *fd);
}

void dec_learn_result_fd(struct strace_decoder *d, const struct call *c, int fd)
{
	if (c->rec->ret_annot.n)
		learn_annot(d, c->pid, fd, c->rec->ret_annot);
}

const char *dec_path(struct strace_decoder *d, const struct call *c, int di, size_t i,
		     const char **raw)
{
	const char *path = dec_str(d, c, i);
	if (raw)
		*raw = path;
	if (!path)
		return NULL;
	int dirfd = -100;
	if (di >= 0) {
		int64_t v;
		if (dec_int(c, (size_t)di, &v))
			dirfd = (int)v;
		struct strace_span an;
		if (path[0] != '/' && strace_arg_annot(c->a[di], &an)) {
			const char *base = dec_annot_desc(d, an);
			if (base && base[0] == '/') {
				char *full = malloc(strlen(base) + strlen(path) + 2);
				if (!full)
					return NULL;
				strcpy(full, base);
				if (path[0]) {
					strcat(full, "/");
					strcat(full, path);
				}
				char buf[DEC_PATH_MAX];
				const char *r = procstate_resolve(d->ps, c->pid, -100, full, buf,
								  sizeof(buf));
				free(full);
				return r ? dec_keep(d, strdup(r)) : path;
			}
		}
	}
	char buf[DEC_PATH_MAX];
	const char *r = procstate_resolve(d->ps, c->pid, dirfd, path, buf, sizeof(buf));
	return r ? dec_keep(d, strdup(r)) : path;
}

/* ---- names --------------------------------------------------------- */

const struct strace_flag dec_clone_flags[] = {
	{"CLONE_VM", 0x100}, {"CLONE_FS", 0x200}, {"CLONE_FILES", 0x400},
	{"CLONE_SIGHAND", 0x800}, {"CLONE_PIDFD", 0x1000}, {"CLONE_PTRACE", 0x2000},
	{"CLONE_VFORK", 0x4000}, {"CLONE_PARENT", 0x8000}, {"CLONE_THREAD", 0x10000},
	{"CLONE_NEWNS", 0x20000}, {"CLONE_SYSVSEM", 0x40000}, {"CLONE_SETTLS", 0x80000},
	{"CLONE_PARENT_SETTID", 0x100000}, {"CLONE_CHILD_CLEARTID", 0x200000},
	{"CLONE_DETACHED", 0x400000}, {"CLONE_UNTRACED", 0x800000},
	{"CLONE_CHILD_SETTID", 0x1000000}, {"CLONE_NEWCGROUP", 0x2000000},
	{"CLONE_NEWUTS", 0x4000000}, {"CLONE_NEWIPC", 0x8000000},
	{"CLONE_NEWUSER", 0x10000000}, {"CLONE_NEWPID", 0x20000000},
	{"CLONE_NEWNET", 0x40000000}, {"CLONE_IO", 0x80000000LL}, {"CLONE_NEWTIME", 0x80},
	{"SIGCHLD", SIGCHLD}, {NULL, 0},
};

const char *dec_ns_names(struct strace_decoder *d, int64_t flags)
{
	static const struct strace_flag ns[] = {
		{"CLONE_NEWNS", 0x20000}, {"CLONE_NEWCGROUP", 0x2000000},
		{"CLONE_NEWUTS", 0x4000000}, {"CLONE_NEWIPC", 0x8000000},
		{"CLONE_NEWUSER", 0x10000000}, {"CLONE_NEWPID", 0x20000000},
		{"CLONE_NEWNET", 0x40000000}, {"CLONE_NEWTIME", 0x80}, {NULL, 0},
	};
	char buf[256] = "";
	for (const struct strace_flag *f = ns; f->name; f++) {
		if (!(flags & f->value))
			continue;
		if (buf[0])
			strcat(buf, "|");
		strcat(buf, f->name);
	}
	return buf[0] ? dec_keep(d, strdup(buf)) : NULL;
}

int dec_signal_number(const char *name, size_t n)
{
	if (n > 3 && memcmp(name, "SIG", 3) == 0) {
		name += 3;
		n -= 3;
	}
	for (int s = 1; s < 65; s++) {
		const char *abbrev = sigabbrev_np(s);
		if (abbrev && strlen(abbrev) == n && memcmp(abbrev, name, n) == 0)
			return s;
	}
	int64_t v;
	if (strace_arg_int((struct strace_span){name, n}, &v))
		return (int)v;
	return 0;
}

/* A signal as strace wrote it ("SIGKILL", -X raw "9", -X verbose
 * "9" followed by the comment "SIGKILL") -> "SIGKILL" (kept); NULL when
 * it is not a signal. */
const char *dec_signal_name(struct strace_decoder *d, struct strace_span s)
{
	s = strace_span_trim(s);
	const char *sig = memmem(s.p, s.n, "SIG", 3);
	if (sig) {
		size_t e = (size_t)(sig - s.p);
		while (e < s.n && (s.p[e] == '_' || (s.p[e] >= 'A' && s.p[e] <= 'Z') ||
				   (s.p[e] >= '0' && s.p[e] <= '9')))
			e++;
		return dec_keep(d, strace_span_dup((struct strace_span){sig, e - (size_t)(sig - s.p)}));
	}
	int64_t n;
	const char *abbrev = strace_arg_int(s, &n) && n > 0 && n < 65 ? sigabbrev_np((int)n) : NULL;
	if (!abbrev)
		return NULL;
	char *name = malloc(strlen(abbrev) + 4);
	if (name)
		sprintf(name, "SIG%s", abbrev);
	return dec_keep(d, name);
}

static int errno_number(const char *name)
{
	if (!name)
		return 0;
	if (strncmp(name, "ERESTART", 8) == 0)
		return EINTR; /* kernel-internal restarts: the caller saw EINTR */
	for (int e = 1; e < 200; e++) {
		const char *en = strerrorname_np(e);
		if (en && strcmp(en, name) == 0)
			return e;
	}
	return EINVAL;
}

/* ---- decoder lifecycle --------------------------------------------- */

struct strace_decoder *strace_decoder_new(const char *initial_cwd, struct bus *bus)
{
	struct strace_decoder *d = calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	d->bus = bus;
	d->ps = procstate_new(initial_cwd ? initial_cwd : "/");
	if (!d->ps) {
		free(d);
		return NULL;
	}
	return d;
}

static void free_argv(char **argv)
{
	for (size_t i = 0; argv && argv[i]; i++)
		free(argv[i]);
	free(argv);
}

void strace_decoder_free(struct strace_decoder *d)
{
	if (!d)
		return;
	dec_output_free(d);
	free(d->tie_pids);
	free(d->tie_ports);
	free(d->pending);
	free(d->ends);
	dec_maps_free(d);
	free_argv(d->command);
	keep_release(d);
	procstate_free(d->ps);
	free(d);
}

void strace_decoder_set_main(struct strace_decoder *d, int pid)
{
	d->main_pid = pid;
	procstate_set_original_stdio(d->ps, pid, "unknown");
}

void strace_decoder_set_ordered(struct strace_decoder *d, bool ordered)
{
	d->unordered = !ordered;
}

uint64_t strace_decoder_events(const struct strace_decoder *d)
{
	return d->events;
}

char **strace_decoder_take_command(struct strace_decoder *d)
{
	char **c = d->command;
	d->command = NULL;
	return c;
}

/* ---- children ------------------------------------------------------ */

static int64_t clone_flags_of(const struct call *c)
{
	if (strcmp(c->name, "fork") == 0)
		return SIGCHLD;
	if (strcmp(c->name, "vfork") == 0)
		return CLONE_VM_F | CLONE_VFORK_F | SIGCHLD;
	struct strace_span v;
	if (strcmp(c->name, "clone3") == 0 && c->nargs > 0) {
		int64_t f = 0;
		if (strace_field(c->a[0], "flags", &v))
			f = strace_flags(v, dec_clone_flags);
		if (strace_field(c->a[0], "exit_signal", &v))
			f |= dec_signal_number(v.p, v.n);
		return f;
	}
	for (size_t i = 0; i < c->nargs; i++)
		if (c->a[i].n > 6 && memcmp(c->a[i].p, "flags=", 6) == 0)
			return strace_flags((struct strace_span){c->a[i].p + 6, c->a[i].n - 6},
					    dec_clone_flags);
	return 0;
}

static void end_forget(struct strace_decoder *d, int pid);

static void apply_fork(struct strace_decoder *d, int parent, int child, int64_t flags)
{
	end_forget(d, child); /* a reused pid: what we knew of its namesake is void */
	procstate_fork(d->ps, parent, child, flags & CLONE_THREAD_F, flags & CLONE_FILES_F,
		       flags & CLONE_FS_F);
}

void strace_decoder_note_unfinished(struct strace_decoder *d, int tid, const struct strace_rec *rec)
{
	static const char *const forks[] = {"clone", "clone3", "fork", "vfork"};
	bool is_fork = false;
	for (size_t i = 0; i < 4; i++)
		if (strace_span_eq(rec->name, forks[i]))
			is_fork = true;
	if (!is_fork)
		return;
	if (d->n_pending == PENDING_CLONES_MAX) {
		/* Bounded: the oldest guess is the least likely to matter. */
		memmove(&d->pending[0], &d->pending[1], (d->n_pending - 1) * sizeof(*d->pending));
		d->n_pending--;
	}
	if (d->n_pending == d->cap_pending) {
		size_t nc = d->cap_pending ? d->cap_pending * 2 : 8;
		struct pending_clone *np = realloc(d->pending, nc * sizeof(*np));
		if (!np)
			return;
		d->pending = np;
		d->cap_pending = nc;
	}
	/* Flags from the first half: split what is there. */
	struct call c = {.rec = rec};
	char name[16];
	size_t nl = rec->name.n < sizeof(name) - 1 ? rec->name.n : sizeof(name) - 1;
	memcpy(name, rec->name.p, nl);
	name[nl] = '\0';
	c.name = name;
	if (rec->head.n > rec->name.n + 1) {
		struct strace_span args = {rec->head.p + rec->name.n + 1,
					   rec->head.n - rec->name.n - 1};
		c.nargs = strace_split(args, c.a, DEC_MAX_ARGS);
		if (c.nargs > DEC_MAX_ARGS)
			c.nargs = DEC_MAX_ARGS;
	}
	d->pending[d->n_pending].tid = tid;
	d->pending[d->n_pending].flags = clone_flags_of(&c);
	d->n_pending++;
}

/* A pid not seen before: the child of an unfinished clone, when there is one. */
static void adopt(struct strace_decoder *d, int tid)
{
	if (procstate_known(d->ps, tid))
		return;
	if (!d->main_pid) {
		strace_decoder_set_main(d, tid);
		return;
	}
	if (d->n_pending) {
		struct pending_clone *p = &d->pending[d->n_pending - 1];
		apply_fork(d, p->tid, tid, p->flags);
		d->n_pending--;
	}
}

static void drop_pending(struct strace_decoder *d, int tid)
{
	for (size_t i = 0; i < d->n_pending; i++) {
		if (d->pending[i].tid == tid) {
			memmove(&d->pending[i], &d->pending[i + 1],
				(d->n_pending - i - 1) * sizeof(*d->pending));
			d->n_pending--;
			return;
		}
	}
}

/* ---- process syscalls ---------------------------------------------- */

/* An array of strings.  With mark, an element strace cut at -s keeps its
 * "..." (strace's own notation: "pytho"... is not the name "pytho"), and
 * *first_cut says whether the first one was cut. */
static char **parse_argv(struct strace_span a, int *argc, bool mark, bool *first_cut)
{
	struct strace_span inner = strace_span_trim(a);
	*argc = 0;
	if (inner.n < 2 || inner.p[0] != '[')
		return NULL;
	inner.p++;
	inner.n -= 2;
	size_t total = strace_split(inner, NULL, 0);
	struct strace_span *items = calloc(total + 1, sizeof(*items));
	char **argv = calloc(total + 1, sizeof(*argv));
	if (!items || !argv) {
		free(items);
		free(argv);
		return NULL;
	}
	strace_split(inner, items, total);
	int n = 0;
	if (first_cut)
		*first_cut = false;
	for (size_t i = 0; i < total; i++) {
		bool cut = false;
		char *s = strace_unquote(items[i], NULL, &cut);
		if (s && cut && mark) {
			size_t l = strlen(s);
			char *m = realloc(s, l + 4);
			if (m) {
				memcpy(m + l, "...", 4);
				s = m;
			}
			if (n == 0 && first_cut)
				*first_cut = true;
		}
		if (s)
			argv[n++] = s;
	}
	free(items);
	*argc = n;
	return argv;
}

/* nanosleep(req, ...), clock_nanosleep(clock, flags, req, ...): the
 * seconds a relative sleep asks for; -1 when unknown (an absolute end:
 * the clock's "now" at that moment is not in the log). */
static int64_t sleep_seconds(const struct call *c)
{
	bool clock = strcmp(c->name, "clock_nanosleep") == 0;
	size_t ri = clock ? 2 : 0;
	if (c->nargs <= ri)
		return -1;
	if (clock && memmem(c->a[1].p, c->a[1].n, "TIMER_ABSTIME", 13))
		return -1;
	const char *sec = memmem(c->a[ri].p, c->a[ri].n, "tv_sec=", 7);
	if (!sec)
		return -1;
	char num[24];
	size_t n = 0;
	const char *end = c->a[ri].p + c->a[ri].n;
	for (const char *q = sec + 7; q < end && n + 1 < sizeof(num) && *q >= '0' && *q <= '9'; q++)
		num[n++] = *q;
	num[n] = '\0';
	return n ? strtoll(num, NULL, 10) : -1;
}

static void decode_exec(struct strace_decoder *d, const struct call *c)
{
	bool at = strcmp(c->name, "execveat") == 0;
	size_t pi = at ? 1 : 0;
	struct da_event ev;
	dec_event(c, &ev, DA_EV_PROC_EXEC);
	const char *raw;
	const char *path = dec_path(d, c, at ? 0 : -1, pi, &raw);
	ev.raw_path = raw;
	if (at && raw && !raw[0]) {
		/* AT_EMPTY_PATH: the fd itself is the program (fexecve, a memfd).
		 * Its -y annotation ("3</memfd:x (deleted)>") says what it is,
		 * else the fd table (memfd_create, open); never the cwd. */
		int fd;
		path = dec_fd_desc(d, c, 0, &fd);
		ev.fd = fd;
	} else if (at) {
		int64_t v;
		ev.fd = dec_int(c, 0, &v) ? (int)v : -1;
	}
	/* /proc/self/fd/N or /proc/PID/fd/N: what fd N is (fexecve, memfd). */
	if (path && strncmp(path, "/proc/", 6) == 0) {
		const char *fdp = strstr(path + 6, "/fd/");
		if (fdp) {
			int64_t v;
			if (strace_arg_int((struct strace_span){fdp + 4, strlen(fdp + 4)}, &v)) {
				const char *desc = dec_fd_get(d, c->pid, (int)v);
				if (desc)
					path = desc;
			}
		}
	}
	if (path && strncmp(path, "memfd:", 6) == 0)
		ev.detail = "memfd";
	ev.path = path;
	int argc = 0;
	bool first_cut = false;
	char **argv = c->nargs > pi + 1 ? parse_argv(c->a[pi + 1], &argc, true, &first_cut) : NULL;
	if (first_cut && raw && raw[0]) {
		/* strace -s cut argv[0] ("/usr"... for /usr/bin/python3): the
		 * program's name is the path, which strace never cuts */
		char *whole = strdup(raw);
		if (whole) {
			free(argv[0]);
			argv[0] = whole;
		}
	}
	ev.argc = argc;
	ev.argv = (const char *const *)argv;
	/* The environment is an array only with strace -v (else an address
	 * and a count): keep its dynamic-loader variables. */
	char loader_env[1024] = "";
	int envc = 0;
	char **envp = c->nargs > pi + 2 ? parse_argv(c->a[pi + 2], &envc, false, NULL) : NULL;
	for (int i = 0; i < envc; i++)
		loader_env_append(loader_env, sizeof(loader_env), envp[i]);
	free_argv(envp);
	ev.loader_env = loader_env[0] ? loader_env : NULL;
	for (int fd = 0; fd < 3; fd++)
		ev.stdio[fd] = dec_fd_get(d, c->pid, fd);
	dec_publish(d, &ev);
	if (argv && (!d->command || (c->ok && !d->command_from_success))) {
		free_argv(d->command);
		d->command = argv;
		d->command_from_success = c->ok;
		argv = NULL;
	}
	free_argv(argv);
	if (c->ok) {
		dec_output_flush_pid(d, c, c->pid);
		procstate_exec(d->ps, c->pid);
		dec_maps_forget(d, c->pid);
	}
}

static void decode_fork(struct strace_decoder *d, const struct call *c)
{
	int64_t flags = clone_flags_of(c);
	struct da_event ev;
	dec_event(c, &ev, DA_EV_PROC_FORK);
	ev.flags = flags;
	ev.target_pid = c->ok && c->result > 0 ? (int32_t)c->result : -1;
	ev.detail = (flags & CLONE_THREAD_F) ? "thread" : "process";
	/* A child that already showed up (adopted while the call was
	 * unfinished) keeps its state; otherwise it starts now. */
	if (c->ok && c->result > 0 && c->result <= INT32_MAX &&
	    !procstate_known(d->ps, (int)c->result))
		apply_fork(d, c->tid, (int)c->result, flags);
	dec_publish(d, &ev);
	if (flags & DEC_NS_MASK) {
		dec_event(c, &ev, DA_EV_PRIV_NS);
		ev.flags = flags & DEC_NS_MASK;
		ev.detail = dec_ns_names(d, flags);
		ev.target_pid = c->ok ? (int32_t)c->result : -1;
		dec_publish(d, &ev);
	}
}

static void decode_kill(struct strace_decoder *d, const struct call *c)
{
	bool tg = strcmp(c->name, "tgkill") == 0;
	size_t si = tg ? 2 : 1;
	int64_t target = 0;
	dec_int(c, 0, &target); /* tgkill: the thread group, like every pid here */
	struct da_event ev;
	dec_event(c, &ev, DA_EV_PROC_SIGNAL);
	ev.target_pid = (int32_t)target;
	if (si < c->nargs) {
		struct strace_span s = c->a[si];
		ev.arg[0] = dec_signal_number(s.p, s.n);
		ev.detail = dec_signal_name(d, s);
		if (!ev.detail)
			ev.detail = dec_keep(d, strace_span_dup(s));
	}
	dec_publish(d, &ev);
}

static int si_code_number(struct strace_span v)
{
	static const struct strace_flag codes[] = {
		{"SI_USER", 0}, {"SI_KERNEL", 0x80}, {"SI_QUEUE", -1}, {"SI_TIMER", -2},
		{"SI_MESGQ", -3}, {"SI_ASYNCIO", -4}, {"SI_SIGIO", -5}, {"SI_TKILL", -6},
		{"CLD_EXITED", 1}, {"CLD_KILLED", 2}, {"CLD_DUMPED", 3}, {"CLD_TRAPPED", 4},
		{"CLD_STOPPED", 5}, {"CLD_CONTINUED", 6}, {"SEGV_MAPERR", 1}, {"SEGV_ACCERR", 2},
		{"BUS_ADRALN", 1}, {"BUS_ADRERR", 2}, {"ILL_ILLOPC", 1}, {"FPE_INTDIV", 1},
		{"TRAP_BRKPT", 1}, {"TRAP_TRACE", 2}, {"SYS_SECCOMP", 1}, {NULL, 0},
	};
	int64_t n;
	if (strace_arg_int(v, &n))
		return (int)n;
	for (const struct strace_flag *f = codes; f->name; f++)
		if (strace_span_eq(v, f->name))
			return (int)f->value;
	return 0;
}

static void decode_signal(struct strace_decoder *d, const struct call *c)
{
	const struct strace_rec *r = c->rec;
	struct da_event ev;
	dec_event(c, &ev, DA_EV_PROC_SIGNAL);
	ev.syscall = NULL;
	ev.detail = dec_keep(d, strace_span_dup(r->name));
	ev.arg[0] = dec_signal_number(r->name.p, r->name.n);
	struct strace_span v;
	if (strace_field(r->args, "si_code", &v))
		ev.arg[1] = si_code_number(v);
	int64_t sender;
	if (strace_field(r->args, "si_pid", &v) && strace_arg_int(v, &sender))
		ev.target_pid = (int32_t)sender;
	dec_publish(d, &ev);
}

/* ---- process ends ------------------------------------------------ */

/* Thread c->tid ended with code (-1: killed by sig): publish the end of
 * its process when it leads one, of the target when it is the first
 * process, and forget its state. */
static void end_process(struct strace_decoder *d, const struct call *c, int64_t code, bool core,
			const char *sig)
{
	dec_output_flush_pid(d, c, c->tid);
	bool leader = procstate_tgid(d->ps, c->tid) == c->tid;
	struct da_event ev;
	if (leader) {
		dec_event(c, &ev, DA_EV_PROC_EXIT);
		ev.syscall = NULL;
		ev.arg[0] = code;
		ev.arg[1] = core;
		ev.detail = sig;
		dec_publish(d, &ev);
	}
	if (c->tid == d->main_pid && !d->main_ended) {
		d->main_ended = true;
		dec_event(c, &ev, DA_EV_TARGET_EXIT);
		ev.syscall = NULL;
		ev.arg[0] = code;
		ev.arg[1] = core;
		ev.detail = sig;
		dec_publish(d, &ev);
	}
	drop_pending(d, c->tid);
	dec_output_drop_pid(d, c->tid);
	if (leader)
		dec_maps_forget(d, c->tid);
	procstate_exit(d->ps, c->tid);
}

static struct proc_end *end_find(struct strace_decoder *d, int pid)
{
	for (size_t i = 0; i < d->n_ends; i++)
		if (d->ends[i].pid == pid)
			return &d->ends[i];
	return NULL;
}

static void end_forget(struct strace_decoder *d, int pid)
{
	struct proc_end *e = end_find(d, pid);
	if (!e)
		return;
	size_t i = (size_t)(e - d->ends);
	memmove(&d->ends[i], &d->ends[i + 1], (d->n_ends - i - 1) * sizeof(*d->ends));
	d->n_ends--;
}

static struct proc_end *end_note(struct strace_decoder *d, int pid)
{
	struct proc_end *e = end_find(d, pid);
	if (e)
		return e;
	if (d->n_ends == ENDS_MAX) {
		/* Bounded: the oldest is the least likely to still get a line. */
		memmove(&d->ends[0], &d->ends[1], (d->n_ends - 1) * sizeof(*d->ends));
		d->n_ends--;
	}
	if (d->n_ends == d->cap_ends) {
		size_t nc = d->cap_ends ? d->cap_ends * 2 : 8;
		struct proc_end *ne = realloc(d->ends, nc * sizeof(*ne));
		if (!ne)
			return NULL;
		d->ends = ne;
		d->cap_ends = nc;
	}
	e = &d->ends[d->n_ends++];
	e->pid = pid;
	e->code = -1;
	e->published = false;
	return e;
}

/* "+++ exited with N +++" / "+++ killed by SIG +++". */
static void decode_end(struct strace_decoder *d, const struct call *c)
{
	const struct strace_rec *r = c->rec;
	int64_t code = r->kind == STRACE_REC_EXITED ? r->exit_code : -1;
	const char *sig = r->kind == STRACE_REC_KILLED ? dec_keep(d, strace_span_dup(r->name)) : NULL;
	end_forget(d, c->tid);
	end_process(d, c, code, r->core_dumped, sig);
}

/* exit_group(N) = ?: the process is ending with N.  strace -qq prints no
 * "+++ exited" line after it, so remember N for a reap or the log's end. */
static void note_exit_call(struct strace_decoder *d, const struct call *c)
{
	bool group = !strcmp(c->name, "exit_group");
	if (!group && (strcmp(c->name, "exit") || procstate_tgid(d->ps, c->tid) != c->tid))
		return; /* a thread's exit ends no process */
	int64_t v;
	struct proc_end *e = dec_int(c, 0, &v) ? end_note(d, c->pid) : NULL;
	if (e && !e->published)
		e->code = v & 0xff;
}

/* The wait status of a reap: "[{WIFEXITED(s) && WEXITSTATUS(s) == 3}]",
 * "[{WIFSIGNALED(s) && WTERMSIG(s) == SIGKILL && WCOREDUMP(s)}]", -X raw
 * "[0x300]"; waitid's "{..., si_code=CLD_EXITED, ..., si_status=3, ...}".
 * Leaves *code -1 and *sig NULL when the log does not say. */
static void wait_status(struct strace_decoder *d, struct strace_span a, bool waitid,
			int64_t *code, bool *core, const char **sig)
{
	struct strace_span v;
	int64_t n;
	const char *hit;
	if (waitid) {
		struct strace_span how;
		if (!strace_field(a, "si_code", &how) || !strace_field(a, "si_status", &v))
			return;
		if (strace_has_word(how, "CLD_EXITED") && strace_arg_int(v, &n)) {
			*code = n;
		} else if (strace_has_word(how, "CLD_KILLED") || strace_has_word(how, "CLD_DUMPED")) {
			*core = strace_has_word(how, "CLD_DUMPED");
			*sig = dec_signal_name(d, v);
		}
		return;
	}
	if ((hit = memmem(a.p, a.n, "WEXITSTATUS(s) == ", 18))) {
		v = (struct strace_span){hit + 18, a.n - (size_t)(hit + 18 - a.p)};
		if (strace_arg_int(v, &n))
			*code = n;
	} else if ((hit = memmem(a.p, a.n, "WTERMSIG(s) == ", 15))) {
		size_t k = (size_t)(hit + 15 - a.p), e = k;
		while (e < a.n && (a.p[e] == '_' || (a.p[e] >= 'A' && a.p[e] <= 'Z') ||
				   (a.p[e] >= '0' && a.p[e] <= '9')))
			e++;
		*sig = dec_signal_name(d, (struct strace_span){a.p + k, e - k});
		*core = memmem(a.p, a.n, "WCOREDUMP", 9) != NULL;
	} else if (a.n > 2 && a.p[0] == '[' &&
		   strace_arg_int((struct strace_span){a.p + 1, a.n - 1}, &n)) {
		if ((n & 0x7f) == 0) {
			*code = (n >> 8) & 0xff;
		} else {
			char num[8];
			snprintf(num, sizeof(num), "%d", (int)(n & 0x7f));
			*sig = dec_signal_name(d, (struct strace_span){num, strlen(num)});
			*core = (n & 0x80) != 0;
		}
	}
}

/* wait4/waitpid/waitid reaped a child: when no "+++" line ended it (-qq,
 * -e signal=none, a child killed in a syscall: "<... pause resumed>) = ?"),
 * this is the only evidence that it is gone. */
static void decode_wait(struct strace_decoder *d, const struct call *c)
{
	struct da_event ev;
	dec_event(c, &ev, DA_EV_SYSCALL_OTHER);
	dec_publish(d, &ev);
	bool waitid = !strcmp(c->name, "waitid");
	int64_t child = c->result;
	struct strace_span v;
	if (waitid) {
		/* waitid(P_PID, 101, {..., si_pid=101, ...}, WEXITED, NULL) = 0 */
		if (c->nargs < 4 || strace_has_word(c->a[3], "WNOWAIT") ||
		    !strace_field(c->a[2], "si_pid", &v) || !strace_arg_int(v, &child))
			return;
	}
	if (!c->ok || child <= 0 || child > INT32_MAX || child == c->pid || d->unordered)
		return;
	int pid = (int)child;
	if (!procstate_known(d->ps, pid) || procstate_tgid(d->ps, pid) != pid)
		return; /* its "+++" line came first, as it does with plain -f */
	struct proc_end *e = end_find(d, pid);
	int64_t code = e ? e->code : -1;
	bool core = false;
	const char *sig = NULL;
	if (code < 0 && c->nargs > (waitid ? 2u : 1u))
		wait_status(d, c->a[waitid ? 2 : 1], waitid, &code, &core, &sig);
	struct call end = *c;
	end.tid = end.pid = pid;
	end.ppid = procstate_ppid(d->ps, pid);
	end_process(d, &end, code, core, sig);
	e = end_note(d, pid);
	if (e)
		e->published = true;
}

/* End of the log: processes that called exit_group but whose "+++" line
 * never came (-qq) ended with that status; they are not still running. */
static void flush_exit_calls(struct strace_decoder *d, struct call *c)
{
	for (size_t i = 0; i < d->n_ends; i++) {
		struct proc_end *e = &d->ends[i];
		if (e->published || !procstate_known(d->ps, e->pid))
			continue;
		e->published = true;
		c->tid = c->pid = e->pid;
		c->ppid = procstate_ppid(d->ps, e->pid);
		c->text = "(end of log: exit_group without its '+++ exited' line)";
		end_process(d, c, e->code, false, NULL);
	}
}

static bool dec_proc(struct strace_decoder *d, const struct call *c)
{
	const char *n = c->name;
	if (!strcmp(n, "execve") || !strcmp(n, "execveat")) {
		decode_exec(d, c);
	} else if (!strcmp(n, "clone") || !strcmp(n, "clone3") || !strcmp(n, "fork") ||
		   !strcmp(n, "vfork")) {
		decode_fork(d, c);
	} else if (!strcmp(n, "kill") || !strcmp(n, "tkill") || !strcmp(n, "tgkill")) {
		decode_kill(d, c);
	} else if (!strcmp(n, "wait4") || !strcmp(n, "waitpid") || !strcmp(n, "waitid")) {
		decode_wait(d, c);
	} else if (!strcmp(n, "setsid") || !strcmp(n, "setpgid")) {
		struct da_event ev;
		dec_event(c, &ev, DA_EV_PROC_SESSION);
		int64_t v;
		if (dec_int(c, 0, &v))
			ev.arg[0] = v;
		if (dec_int(c, 1, &v))
			ev.arg[1] = v;
		dec_publish(d, &ev);
	} else {
		return false;
	}
	return true;
}

/* ---- entry --------------------------------------------------------- */

/* The families, in the order they are asked. */
enum { FAM_PROC, FAM_FILE, FAM_NET, FAM_PRIV, FAM_NONE };

static bool run_family(struct strace_decoder *d, const struct call *c, int fam)
{
	switch (fam) {
	case FAM_PROC: return dec_proc(d, c);
	case FAM_FILE: return dec_file(d, c);
	case FAM_NET: return dec_net(d, c);
	case FAM_PRIV: return dec_priv(d, c);
	default: return false;
	}
}

/* Hand c to the family that decodes its name: remembered per name after
 * the first time (a bounded table; names beyond it take the full chain). */
static void dispatch(struct strace_decoder *d, const struct call *c)
{
	const size_t slots = sizeof(d->families) / sizeof(d->families[0]);
	size_t nl = strlen(c->name);
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < nl; i++)
		h = (h ^ (unsigned char)c->name[i]) * 16777619u;
	struct family_slot *slot = NULL;
	if (nl < sizeof(d->families[0].name)) {
		for (size_t k = 0, i = h & (slots - 1); k < 8; k++, i = (i + 1) & (slots - 1)) {
			struct family_slot *f = &d->families[i];
			if (!f->name[0]) {
				slot = f;
				break;
			}
			if (!strcmp(f->name, c->name)) {
				run_family(d, c, f->family);
				return;
			}
		}
	}
	int fam = FAM_PROC;
	while (fam < FAM_NONE && !run_family(d, c, fam))
		fam++;
	if (slot) {
		memcpy(slot->name, c->name, nl + 1);
		slot->family = (signed char)fam;
	}
}

int strace_decode(struct strace_decoder *d, int tid, double time_s, const struct strace_rec *rec,
		  const char *text, const char **why)
{
	char name[64];
	struct call c;
	int rc = 0;
	memset(&c, 0, sizeof(c));
	*why = NULL;
	if (rec->kind == STRACE_REC_EXITED || rec->kind == STRACE_REC_KILLED) {
		struct proc_end *e = end_find(d, tid);
		if (e && e->published) {
			/* its end went out from a reap: this line repeats it */
			end_forget(d, tid);
			return 0;
		}
	}
	adopt(d, tid);
	c.tid = tid;
	c.pid = procstate_tgid(d->ps, tid);
	c.ppid = procstate_ppid(d->ps, tid);
	c.time_s = time_s;
	c.rec = rec;
	c.text = text;
	size_t nl = rec->name.n < sizeof(name) - 1 ? rec->name.n : sizeof(name) - 1;
	if (nl) /* exits carry no name */
		memcpy(name, rec->name.p, nl);
	name[nl] = '\0';
	c.name = name;

	switch (rec->kind) {
	case STRACE_REC_SIGNAL:
		decode_signal(d, &c);
		break;
	case STRACE_REC_EXITED:
	case STRACE_REC_KILLED:
		decode_end(d, &c);
		break;
	case STRACE_REC_CALL: {
		size_t total = strace_split(rec->args, c.a, DEC_MAX_ARGS);
		c.nargs = total < DEC_MAX_ARGS ? total : DEC_MAX_ARGS;
		if (rec->errname.n) {
			char *en = strace_span_dup(rec->errname);
			c.errname = dec_keep(d, en);
			c.err = errno_number(c.errname);
			c.result = -1;
			c.ok = false;
		} else {
			c.result = rec->has_ret ? rec->ret : 0;
			c.ok = !rec->has_ret || rec->ret >= 0;
		}
		uint64_t before = d->events;
		dispatch(d, &c);
		if (d->events == before) {
			struct da_event ev;
			dec_event(&c, &ev, DA_EV_SYSCALL_OTHER);
			if (!strcmp(name, "nanosleep") || !strcmp(name, "clock_nanosleep"))
				ev.arg[0] = sleep_seconds(&c);
			dec_publish(d, &ev);
		}
		if (!strcmp(name, "clone") || !strcmp(name, "clone3") || !strcmp(name, "fork") ||
		    !strcmp(name, "vfork"))
			drop_pending(d, tid);
		if (!rec->has_ret)
			note_exit_call(d, &c);
		break;
	}
	default:
		*why = "not a complete record";
		rc = -1;
	}
	keep_release(d);
	return rc;
}

void strace_decoder_finish(struct strace_decoder *d, double time_s)
{
	struct call c;
	struct strace_rec rec;
	memset(&c, 0, sizeof(c));
	memset(&rec, 0, sizeof(rec));
	c.rec = &rec;
	c.time_s = time_s;
	c.text = "";
	dec_output_flush_all(d, &c);
	flush_exit_calls(d, &c);
	c.text = "";
	if (d->main_pid && !d->main_ended) {
		struct da_event ev;
		c.pid = c.tid = d->main_pid;
		dec_event(&c, &ev, DA_EV_TARGET_EXIT);
		ev.syscall = NULL;
		ev.text = "(end of log: the target was still running)";
		ev.arg[0] = -1;
		ev.arg[2] = 1;
		dec_publish(d, &ev);
		d->main_ended = true;
	}
	keep_release(d);
}

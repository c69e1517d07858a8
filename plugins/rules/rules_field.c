/*
 * rules_field.c — the event fields a condition or a message can name.
 *
 * One table: name, type, symbolic values and a line of help (the README
 * and dynaudit-config(5) list the same).  rf_get() reads a field from the
 * event and the process tree into a struct rf_value that borrows memory:
 * derived text (cmdline, the host of addr, ancestors) goes into the
 * context's fixed buffers, filled at most once per event.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "dynaudit/pathclass.h"
#include "dynaudit/progclass.h"
#include "rules.h"

enum rf_id {
	F_KIND, F_SYSCALL, F_PID, F_PPID, F_TID, F_TARGET_PID, F_RESULT, F_ERR, F_ERRNO,
	F_SUCCESS, F_PATH, F_PATH2, F_RAW_PATH, F_FD, F_TARGET_FD, F_FD_DESC, F_FD_KIND,
	F_FLAGS, F_MODE, F_ACCESS, F_FAMILY, F_SOCK_TYPE, F_PROTOCOL, F_ADDR, F_ADDR_HOST,
	F_PORT, F_ARGC, F_ARGV, F_CMDLINE, F_DETAIL, F_PHASE, F_TEXT, F_ARG0, F_ARG1, F_ARG2,
	F_ARG3, F_STDIN, F_STDOUT, F_STDERR, F_STDIN_KIND, F_STDOUT_KIND, F_STDERR_KIND,
	F_EXE, F_NAME, F_PARENT_EXE, F_PARENT_NAME, F_ANC_EXE, F_ANC_NAME, F_INITIAL_EXEC,
	F_LOADER_ENV, F_PATH_SENSITIVE, F_PATH_PERSISTENCE, F_PATH_IN_WORKDIR, F_NAME_SHELL,
	F_NAME_SCRIPT_RUNNER, F_NAME_TOOLCHAIN,
};

static const struct rf_name kind_names[] = {
	{"exec", DA_EV_PROC_EXEC}, {"fork", DA_EV_PROC_FORK}, {"exit", DA_EV_PROC_EXIT},
	{"signal", DA_EV_PROC_SIGNAL}, {"session", DA_EV_PROC_SESSION},
	{"open", DA_EV_FILE_OPEN}, {"unlink", DA_EV_FILE_UNLINK}, {"rename", DA_EV_FILE_RENAME},
	{"chmod", DA_EV_FILE_CHMOD}, {"chown", DA_EV_FILE_CHOWN}, {"link", DA_EV_FILE_LINK},
	{"mmap_exec", DA_EV_FILE_MMAP_EXEC}, {"mkdir", DA_EV_FILE_MKDIR},
	{"chdir", DA_EV_FILE_CHDIR}, {"write", DA_EV_FILE_WRITE}, {"memfd", DA_EV_FILE_MEMFD},
	{"stat", DA_EV_FILE_STAT}, {"socket", DA_EV_NET_SOCKET}, {"connect", DA_EV_NET_CONNECT},
	{"bind", DA_EV_NET_BIND}, {"listen", DA_EV_NET_LISTEN}, {"accept", DA_EV_NET_ACCEPT},
	{"send", DA_EV_NET_SEND}, {"recv", DA_EV_NET_RECV}, {"setid", DA_EV_PRIV_ID},
	{"capability", DA_EV_PRIV_CAP}, {"namespace", DA_EV_PRIV_NS}, {"mount", DA_EV_PRIV_MOUNT},
	{"ptrace", DA_EV_PRIV_PTRACE}, {"kernel", DA_EV_PRIV_KERNEL}, {"output", DA_EV_OUTPUT},
	{"target_exit", DA_EV_TARGET_EXIT}, {"fs_monitor", DA_EV_FS_MONITOR},
	{"proc_snapshot", DA_EV_PROC_SNAPSHOT}, {"sock_snapshot", DA_EV_SOCK_SNAPSHOT},
	{"other", DA_EV_SYSCALL_OTHER}, {NULL, 0}};

static const struct rf_name access_names[] = {
	{"read", DA_ACC_READ}, {"write", DA_ACC_WRITE}, {"create", DA_ACC_CREATE},
	{"trunc", DA_ACC_TRUNC}, {"append", DA_ACC_APPEND}, {"dir", DA_ACC_DIR},
	{"opath", DA_ACC_PATH}, {NULL, 0}};

static const struct rf_name family_names[] = {
	{"unix", 1}, {"inet", 2}, {"inet6", 10}, {"netlink", 16}, {"packet", 17}, {NULL, 0}};

static const struct rf_name socktype_names[] = {
	{"stream", 1}, {"dgram", 2}, {"raw", 3}, {"seqpacket", 5}, {NULL, 0}};

static const struct rf_name bool_names[] = {{"true", 1}, {"false", 0}, {NULL, 0}};

static const struct rf_field fields[] = {
	{"kind", RF_NUM, F_KIND, kind_names, "event kind (names as in kind_names)"},
	{"syscall", RF_STR, F_SYSCALL, NULL, "system call name (\"openat\")"},
	{"pid", RF_NUM, F_PID, NULL, "process (thread group) id"},
	{"ppid", RF_NUM, F_PPID, NULL, "parent pid"},
	{"tid", RF_NUM, F_TID, NULL, "thread id"},
	{"target_pid", RF_NUM, F_TARGET_PID, NULL, "other process (child, signal target)"},
	{"result", RF_NUM, F_RESULT, NULL, "return value, -1 on failure"},
	{"err", RF_NUM, F_ERR, NULL, "errno number, 0 on success"},
	{"errno", RF_STR, F_ERRNO, NULL, "errno name (\"EPERM\"), absent on success"},
	{"success", RF_NUM, F_SUCCESS, bool_names, "true when the call did not fail"},
	{"path", RF_STR, F_PATH, NULL, "resolved path"},
	{"path2", RF_STR, F_PATH2, NULL, "second path (rename/link target)"},
	{"raw_path", RF_STR, F_RAW_PATH, NULL, "path as the program wrote it"},
	{"fd", RF_NUM, F_FD, NULL, "fd argument or result"},
	{"target_fd", RF_NUM, F_TARGET_FD, NULL, "second fd"},
	{"fd.desc", RF_STR, F_FD_DESC, NULL, "what fd is (\"socket:inet/stream->1.2.3.4:80\")"},
	{"fd.kind", RF_STR, F_FD_KIND, NULL, "file, socket, pipe, memfd, anon, tty or unknown"},
	{"flags", RF_NUM, F_FLAGS, NULL, "open/clone flags, prot"},
	{"mode", RF_NUM, F_MODE, NULL, "mode bits (write 0755 or 04000)"},
	{"access", RF_NUM, F_ACCESS, access_names, "open intent: read, write, create, trunc, append, dir, opath"},
	{"family", RF_NUM, F_FAMILY, family_names, "socket family: unix, inet, inet6, netlink, packet"},
	{"sock_type", RF_NUM, F_SOCK_TYPE, socktype_names, "stream, dgram, raw, seqpacket"},
	{"protocol", RF_NUM, F_PROTOCOL, NULL, "socket protocol"},
	{"addr", RF_STR, F_ADDR, NULL, "socket address (\"127.0.0.1:80\", \"[::1]:80\", \"/run/x.sock\")"},
	{"addr.host", RF_STR, F_ADDR_HOST, NULL, "host part of addr, IPv4-mapped IPv6 unmapped"},
	{"port", RF_NUM, F_PORT, NULL, "port of addr"},
	{"argc", RF_NUM, F_ARGC, NULL, "number of exec arguments"},
	{"argv", RF_LIST, F_ARGV, NULL, "exec arguments (argv[N] for one)"},
	{"cmdline", RF_STR, F_CMDLINE, NULL, "exec arguments joined by spaces"},
	{"detail", RF_STR, F_DETAIL, NULL, "kind-specific text (signal name, ptrace request...)"},
	{"phase", RF_STR, F_PHASE, NULL, "\"setup\" for target.setup events, else absent"},
	{"text", RF_STR, F_TEXT, NULL, "the strace-style line"},
	{"arg0", RF_NUM, F_ARG0, NULL, "kind-specific number 0"},
	{"arg1", RF_NUM, F_ARG1, NULL, "kind-specific number 1"},
	{"arg2", RF_NUM, F_ARG2, NULL, "kind-specific number 2"},
	{"arg3", RF_NUM, F_ARG3, NULL, "kind-specific number 3"},
	{"stdin", RF_STR, F_STDIN, NULL, "exec: what fd 0 was"},
	{"stdout", RF_STR, F_STDOUT, NULL, "exec: what fd 1 was"},
	{"stderr", RF_STR, F_STDERR, NULL, "exec: what fd 2 was"},
	{"stdin.kind", RF_STR, F_STDIN_KIND, NULL, "kind of fd 0 (as fd.kind)"},
	{"stdout.kind", RF_STR, F_STDOUT_KIND, NULL, "kind of fd 1"},
	{"stderr.kind", RF_STR, F_STDERR_KIND, NULL, "kind of fd 2"},
	{"exe", RF_STR, F_EXE, NULL, "program path (exec: the new program)"},
	{"name", RF_STR, F_NAME, NULL, "program base name (exec: the new program)"},
	{"parent.exe", RF_STR, F_PARENT_EXE, NULL, "parent's program path"},
	{"parent.name", RF_STR, F_PARENT_NAME, NULL, "parent's program base name"},
	{"ancestor.exe", RF_LIST, F_ANC_EXE, NULL, "programs of all ancestors (nearest first)"},
	{"ancestor.name", RF_LIST, F_ANC_NAME, NULL, "base names of all ancestors"},
	{"initial_exec", RF_NUM, F_INITIAL_EXEC, bool_names, "the target's own first exec (dynaudit's)"},
	{"loader_env", RF_STR, F_LOADER_ENV, NULL, "exec: LD_PRELOAD/LD_AUDIT/LD_LIBRARY_PATH lines"},
	{"path.sensitive", RF_NUM, F_PATH_SENSITIVE, bool_names, "path is a built-in sensitive path"},
	{"path.persistence", RF_STR, F_PATH_PERSISTENCE, NULL, "none, high or critical"},
	{"path.in_workdir", RF_NUM, F_PATH_IN_WORKDIR, bool_names, "path is in the workdir"},
	{"name.shell", RF_NUM, F_NAME_SHELL, bool_names, "name is a command shell"},
	{"name.script_runner", RF_NUM, F_NAME_SCRIPT_RUNNER, bool_names, "name runs scripts"},
	{"name.toolchain", RF_NUM, F_NAME_TOOLCHAIN, bool_names, "name is a compiler/build tool"},
};

#define N_FIELDS (sizeof(fields) / sizeof(fields[0]))

const struct rf_field *rf_lookup(const char *name, size_t len)
{
	for (size_t i = 0; i < N_FIELDS; i++)
		if (strlen(fields[i].name) == len && memcmp(fields[i].name, name, len) == 0)
			return &fields[i];
	return NULL;
}

const struct rf_field *rf_parse(const char *s, size_t len, int *idx)
{
	*idx = -1;
	if (len > 6 && memcmp(s, "argv[", 5) == 0 && s[len - 1] == ']') {
		int v = 0;
		for (size_t i = 5; i + 1 < len; i++) {
			if (s[i] < '0' || s[i] > '9' || v > 100000)
				return NULL;
			v = v * 10 + (s[i] - '0');
		}
		*idx = v;
		return rf_lookup("argv", 4);
	}
	return rf_lookup(s, len);
}

const struct rf_field *rf_at(size_t i)
{
	return i < N_FIELDS ? &fields[i] : NULL;
}

static const char *fd_kind(const char *desc)
{
	if (!desc)
		return NULL;
	if (desc[0] == '/')
		return strncmp(desc, "/dev/pts", 8) == 0 || strcmp(desc, "/dev/tty") == 0 ? "tty" : "file";
	static const char *const kinds[] = {"socket", "pipe", "memfd", "anon", "tty"};
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strncmp(desc, kinds[i], strlen(kinds[i])) == 0)
			return kinds[i];
	return "unknown";
}

enum { FILLED_ANC = 1, FILLED_CMD = 2, FILLED_HOST = 4 };

static void fill_ancestors(struct rctx *c)
{
	c->filled |= FILLED_ANC;
	c->n_anc = 0;
	const struct rproc *p = c->proc;
	int32_t seen = p ? p->pid : 0;
	while (p && p->ppid > 0 && p->ppid != seen && c->n_anc < RULES_MAX_ANCESTORS) {
		p = rproc_find(c->procs, p->ppid);
		if (!p)
			break;
		c->anc_exe[c->n_anc] = p->exe;
		c->anc_name[c->n_anc] = da_prog_base_name(p->exe);
		c->n_anc++;
	}
}

static const char *cmdline(struct rctx *c)
{
	if (!(c->filled & FILLED_CMD)) {
		c->filled |= FILLED_CMD;
		size_t used = 0;
		c->cmdline[0] = '\0';
		for (int i = 0; c->ev->argv && i < c->ev->argc && used + 1 < sizeof(c->cmdline); i++) {
			int w = snprintf(c->cmdline + used, sizeof(c->cmdline) - used, "%s%s",
					 i ? " " : "", c->ev->argv[i] ? c->ev->argv[i] : "");
			used = w < 0 ? used : used + (size_t)w;
		}
	}
	return c->cmdline;
}

static const char *addr_host(struct rctx *c)
{
	if (!(c->filled & FILLED_HOST)) {
		c->filled |= FILLED_HOST;
		char port[16];
		if (!c->ev->addr || !da_endpoint_split(c->ev->addr, c->host, sizeof(c->host), port,
						       sizeof(port)))
			c->host[0] = '\0';
		else
			memmove(c->host, da_endpoint_unmapped(c->host),
				strlen(da_endpoint_unmapped(c->host)) + 1);
	}
	return c->host[0] ? c->host : NULL;
}

/* The program the event is about: the new one for an exec. */
static const char *exe_of(const struct rctx *c)
{
	const struct da_event *ev = c->ev;
	if (ev->kind == DA_EV_PROC_EXEC)
		return ev->path ? ev->path : (ev->argc > 0 && ev->argv) ? ev->argv[0] : NULL;
	return c->proc && c->proc->exe[0] ? c->proc->exe : NULL;
}

static void set_str(struct rf_value *v, const char *s)
{
	v->present = s != NULL;
	v->s = s;
}

static void set_num(struct rf_value *v, int64_t n)
{
	v->present = true;
	v->n = n;
}

void rf_get(struct rctx *c, const struct rf_field *f, int idx, struct rf_value *v)
{
	const struct da_event *ev = c->ev;
	memset(v, 0, sizeof(*v));
	const struct rproc *parent = NULL;
	switch (f->id) {
	case F_KIND: set_num(v, ev->kind); break;
	case F_SYSCALL: set_str(v, ev->syscall); break;
	case F_PID: set_num(v, ev->pid); break;
	case F_PPID: set_num(v, ev->ppid); break;
	case F_TID: set_num(v, ev->tid); break;
	case F_TARGET_PID: set_num(v, ev->target_pid); break;
	case F_RESULT: set_num(v, ev->result); break;
	case F_ERR: set_num(v, ev->err); break;
	case F_ERRNO: set_str(v, ev->err ? ev->errname : NULL); break;
	case F_SUCCESS: set_num(v, ev->err == 0); break;
	case F_PATH: set_str(v, ev->path); break;
	case F_PATH2: set_str(v, ev->path2); break;
	case F_RAW_PATH: set_str(v, ev->raw_path); break;
	case F_FD: set_num(v, ev->fd); break;
	case F_TARGET_FD: set_num(v, ev->target_fd); break;
	case F_FD_DESC: set_str(v, ev->fd_desc); break;
	case F_FD_KIND: set_str(v, fd_kind(ev->fd_desc)); break;
	case F_FLAGS: set_num(v, ev->flags); break;
	case F_MODE: set_num(v, ev->mode); break;
	case F_ACCESS: set_num(v, ev->access); break;
	case F_FAMILY: set_num(v, ev->family); break;
	case F_SOCK_TYPE: set_num(v, ev->sock_type); break;
	case F_PROTOCOL: set_num(v, ev->protocol); break;
	case F_ADDR: set_str(v, ev->addr); break;
	case F_ADDR_HOST: set_str(v, addr_host(c)); break;
	case F_PORT: set_num(v, ev->port); break;
	case F_ARGC: set_num(v, ev->argc); break;
	case F_ARGV:
		if (idx >= 0) {
			set_str(v, ev->argv && idx < ev->argc ? ev->argv[idx] : NULL);
		} else {
			v->present = ev->argv != NULL;
			v->list = ev->argv;
			v->n_list = ev->argv ? ev->argc : 0;
		}
		break;
	case F_CMDLINE: set_str(v, ev->argv ? cmdline(c) : NULL); break;
	case F_DETAIL: set_str(v, ev->detail); break;
	case F_PHASE: set_str(v, ev->phase); break;
	case F_TEXT: set_str(v, ev->text); break;
	case F_ARG0: case F_ARG1: case F_ARG2: case F_ARG3: set_num(v, ev->arg[f->id - F_ARG0]); break;
	case F_STDIN: case F_STDOUT: case F_STDERR: set_str(v, ev->stdio[f->id - F_STDIN]); break;
	case F_STDIN_KIND: case F_STDOUT_KIND: case F_STDERR_KIND:
		set_str(v, fd_kind(ev->stdio[f->id - F_STDIN_KIND]));
		break;
	case F_EXE: set_str(v, exe_of(c)); break;
	case F_NAME: set_str(v, exe_of(c) ? da_prog_base_name(exe_of(c)) : NULL); break;
	case F_PARENT_EXE: case F_PARENT_NAME:
		parent = c->proc && c->proc->ppid > 0 ? rproc_find(c->procs, c->proc->ppid) : NULL;
		if (parent && parent->exe[0])
			set_str(v, f->id == F_PARENT_EXE ? parent->exe : da_prog_base_name(parent->exe));
		break;
	case F_ANC_EXE: case F_ANC_NAME:
		if (!(c->filled & FILLED_ANC))
			fill_ancestors(c);
		v->present = c->n_anc > 0;
		v->list = f->id == F_ANC_EXE ? c->anc_exe : c->anc_name;
		v->n_list = c->n_anc;
		break;
	case F_INITIAL_EXEC: set_num(v, c->initial_exec); break;
	case F_LOADER_ENV: set_str(v, DA_EVENT_HAS(ev, loader_env) ? ev->loader_env : NULL); break;
	case F_PATH_SENSITIVE:
		set_num(v, ev->path && da_path_sensitive(ev->path, c->run ? c->run->home : NULL, 0));
		break;
	case F_PATH_PERSISTENCE: {
		static const char *const level[] = {"none", "high", "critical"};
		enum da_persistence p = ev->path ? da_path_persistence(ev->path, c->run ? c->run->home : NULL,
							     c->run ? c->run->workdir : NULL)
					  : DA_PERSIST_NONE;
		set_str(v, ev->path ? level[p] : NULL);
		break;
	}
	case F_PATH_IN_WORKDIR:
		set_num(v, ev->path && c->run && da_path_under(ev->path, c->run->workdir));
		break;
	case F_NAME_SHELL: case F_NAME_SCRIPT_RUNNER: case F_NAME_TOOLCHAIN: {
		const char *e = exe_of(c);
		const char *b = e ? da_prog_base_name(e) : NULL;
		set_num(v, b && (f->id == F_NAME_SHELL ? da_prog_is_shell(b)
				 : f->id == F_NAME_TOOLCHAIN ? da_prog_is_toolchain(b)
							     : da_prog_is_script_runner(b)));
		break;
	}
	default: break;
	}
}

const char *rf_text(const struct rf_field *f, const struct rf_value *v, char *buf, size_t len)
{
	if (!v->present)
		return "";
	if (f->type == RF_STR)
		return v->s;
	if (f->type == RF_NUM) {
		for (const struct rf_name *n = f->names; n && n->name && f->id == F_KIND; n++)
			if (n->value == v->n)
				return n->name;
		if (f->id == F_MODE)
			snprintf(buf, len, "0%llo", (unsigned long long)v->n);
		else
			snprintf(buf, len, "%lld", (long long)v->n);
		return buf;
	}
	size_t used = 0;
	buf[0] = '\0';
	for (int i = 0; i < v->n_list && used + 1 < len; i++) {
		int w = snprintf(buf + used, len - used, "%s%s", i ? " " : "", v->list[i] ? v->list[i] : "");
		used = w < 0 ? used : used + (size_t)w;
	}
	return buf;
}

/*
 * state.c — small helpers, emit(), processes and the descriptors they hold
 */
#include "backdoor.h"

/* ---- small helpers ---------------------------------------------------- */

/* A bounded copy of an evidence line (NULL stays NULL). */
char *copy_text(const char *text)
{
	return text ? strndup(text, EVIDENCE_MAX) : NULL;
}

void replace_text(char **slot, const char *text)
{
	free(*slot);
	*slot = copy_text(text);
}

bool under(const char *path, const char *dir, size_t len)
{
	return path && len > 0 && strncmp(path, dir, len) == 0 && path[len] == '/';
}

bool in_workdir(const struct backdoor *st, const char *path)
{
	return under(path, st->workdir, st->workdir_len);
}

bool in_temp_dir(const char *path)
{
	return da_path_in_temp(path);
}

/* addr is "host:port" as the events spell it; the address classes live
 * in libdynaudit-sdk (dynaudit/endpoint.h). */
bool is_loopback(const char *addr)
{
	char host[256], port[32];
	return da_endpoint_split(addr, host, sizeof(host), port, sizeof(port)) &&
	       da_endpoint_is_loopback(host);
}

bool is_net_socket(const char *desc)
{
	return da_str_starts_with(desc, "socket:inet");
}

/* allow_connect is matched by libdynaudit-sdk's endpoint matcher, the one
 * the network detector uses: one entry means the same to both. */
bool allowed(const struct backdoor *st, const char *addr)
{
	return addr && da_endpoint_match(st->allow, addr) >= 0;
}

void emit(struct backdoor *st, const char *rule, enum da_severity sev, const char *label, int pid,
	  double t, const char *const *evidence, size_t n_in, const char *recommendation,
	  const char *fmt, ...)
{
	const char *lines[8];
	size_t n = 0;
	for (size_t i = 0; i < n_in && n < 5; i++)
		if (evidence[i])
			lines[n++] = evidence[i];
	char msg[768];
	struct da_finding f = {.rule = rule, .severity = sev, .pid = pid, .time_s = t,
			       .evidence = lines, .n_evidence = n, .recommendation = recommendation};
	va_list ap;
	va_start(ap, fmt);
	/* emit only refuses malformed findings, which this file never builds */
	(void)da_emit_findingv(st->host, &f, msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (st->n_findings++ == 0 || sev > st->worst) {
		st->worst = sev;
		snprintf(st->worst_label, sizeof(st->worst_label), "%s", label);
		snprintf(st->worst_message, sizeof(st->worst_message), "%s", msg);
	}
}

void outcome(const struct da_event *ev, char *buf, size_t len)
{
	if (ev->err == 0 && ev->text && strstr(ev->text, ") = ?"))
		snprintf(buf, len, " (result not observed)"); /* seen at entry only, or it died in the call */
	else if (ev->err != 0 || ev->result < 0)
		snprintf(buf, len, " (failed: %s)", ev->errname ? ev->errname : "error");
	else
		buf[0] = '\0';
}

/* ---- per-process state -------------------------------------------------- */

void proc_clear(struct proc *p)
{
	free(p->connect_text);
	free(p->tried_text);
	free(p->accept_text);
	free(p->dup_text);
	free(p->secret);
	free(p->secret_text);
	free(p->cwd);
	free(p->script);
	memset(p, 0, sizeof(*p));
}

/* The slot of pid; pid 0 finds a free slot (the caller takes it).  Only
 * the slots ever used are read: the table is 2.7 MB, and a lookup of a
 * new pid used to touch all of it. */
static struct proc *slot_of(struct backdoor *st, int pid)
{
	for (size_t i = 0; i < st->procs_used; i++)
		if (st->procs[i].pid == pid)
			return &st->procs[i];
	if (pid == 0 && st->procs_used < MAX_PROCS)
		return &st->procs[st->procs_used++];
	return NULL;
}

struct proc *proc_find(struct backdoor *st, int pid)
{
	return pid > 0 ? slot_of(st, pid) : NULL;
}

/* The state of pid, created when new; NULL when the table is full. */
struct proc *proc_get(struct backdoor *st, int pid, int ppid)
{
	if (pid <= 0)
		return NULL;
	struct proc *p = proc_find(st, pid);
	if (!p) {
		p = slot_of(st, 0);
		if (!p) {
			st->procs_dropped++;
			return NULL;
		}
		p->pid = pid;
	}
	if (ppid > 0 && p->ppid == 0)
		p->ppid = ppid;
	return p;
}

struct tracked_fd *fd_find(struct proc *p, int fd)
{
	for (size_t i = 0; i < p->n_fds; i++)
		if (p->fds[i].fd == fd)
			return &p->fds[i];
	return NULL;
}

void fd_forget(struct proc *p, int fd)
{
	for (size_t i = 0; i < p->n_fds; i++)
		if (p->fds[i].fd == fd) {
			p->fds[i] = p->fds[--p->n_fds];
			return;
		}
}

void fd_track(struct proc *p, int fd, enum fd_kind kind, const char *desc)
{
	if (fd < 0)
		return;
	struct tracked_fd *t = fd_find(p, fd);
	if (!t) {
		if (p->n_fds >= MAX_FDS)
			return; /* a process juggling more sockets than this is no shell stager */
		t = &p->fds[p->n_fds++];
	}
	t->fd = fd;
	t->kind = kind;
	snprintf(t->desc, sizeof(t->desc), "%s", desc ? desc : "?");
}

/* Remember an outbound peer ("127.0.0.1:4444") of the process that
 * connected; kept after close, since live runs do not see dup2/close. */
void note_peer(struct proc *p, const char *addr)
{
	if (!addr || !addr[0])
		return;
	for (size_t i = 0; i < p->n_peers; i++)
		if (strcmp(p->peers[i], addr) == 0)
			return;
	size_t i = p->n_peers < MAX_PEERS ? p->n_peers++ : MAX_PEERS - 1; /* newest wins */
	snprintf(p->peers[i], sizeof(p->peers[i]), "%s", addr);
}

/* What sits on fd 0 or 1 according to our own dup tracking. */
const struct tracked_fd *socket_on_stdio(struct proc *p)
{
	for (int fd = 0; fd <= 2; fd++) {
		const struct tracked_fd *t = fd_find(p, fd);
		if (t && (t->kind == FD_CONNECTED || t->kind == FD_ACCEPTED))
			return t;
	}
	return NULL;
}

void on_fork(struct backdoor *st, const struct da_event *ev)
{
	if (ev->target_pid <= 0 || (ev->detail && strcmp(ev->detail, "thread") == 0))
		return;
	/* the parent is remembered too: a child may read secrets for it */
	struct proc *parent = proc_get(st, ev->pid, ev->ppid);
	struct proc *child = proc_get(st, ev->target_pid, ev->pid);
	if (!child || !parent)
		return;
	child->ppid = ev->pid;
	/* the child inherits its parent's descriptors and what it learned */
	memcpy(child->fds, parent->fds, sizeof(parent->fds));
	child->n_fds = parent->n_fds;
	replace_text(&child->connect_text, parent->connect_text);
	snprintf(child->tried, sizeof(child->tried), "%s", parent->tried);
	replace_text(&child->tried_text, parent->tried_text);
	replace_text(&child->accept_text, parent->accept_text);
	replace_text(&child->dup_text, parent->dup_text);
	replace_text(&child->cwd, parent->cwd);
	/* a fork runs its parent's program until it execs */
	snprintf(child->exe, sizeof(child->exe), "%s", parent->exe);
	if (parent->secret)
		give_secret(child, parent->secret, parent->secret_text, parent->secret_weak);
	child->exfil_reported = parent->exfil_reported;
}

void on_chdir(struct backdoor *st, const struct da_event *ev)
{
	struct proc *p = proc_get(st, ev->pid, ev->ppid);
	if (p && ev->path && ev->path[0] == '/' && ev->err == 0 && ev->result >= 0)
		replace_text(&p->cwd, ev->path);
}


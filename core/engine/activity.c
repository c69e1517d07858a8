/*
 * activity.c — see activity.h.
 */
#include "engine/activity.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* A small bounded multiset of names, in first-seen order. */
struct names {
	char *name[ACTIVITY_MAX_NAMES];
	unsigned count[ACTIVITY_MAX_NAMES];
	size_t n;
	unsigned long dropped;
};

enum area { AREA_WORKDIR, AREA_SYSTEM, AREA_ETC, AREA_PSEUDO, AREA_TMP, AREA_HOME, AREA_OTHER, AREA_N };

static const char *const area_label[AREA_N] = {
	"in the workdir", "in system directories (/usr, /lib, ...)", "under /etc",
	"in /proc, /sys and /dev", "under /tmp", "in HOME outside the workdir", "elsewhere",
};

struct activity {
	char *workdir;
	char *home;
	unsigned long execs, forks, exec_failed;
	struct names programs;
	unsigned long opens, opens_failed, opens_unseen, area_opens[AREA_N];
	struct names workdir_files;
	struct names written;
	unsigned long sockets[4]; /* inet, inet6, unix, other */
	struct names connects, binds, listens, accepts;
	unsigned long sends;
	unsigned long priv;
	struct names priv_calls;
	unsigned long out_lines[3];
};

static void names_add(struct names *ns, const char *name)
{
	if (!name || !*name)
		return;
	for (size_t i = 0; i < ns->n; i++)
		if (strcmp(ns->name[i], name) == 0) {
			ns->count[i]++;
			return;
		}
	if (ns->n == ACTIVITY_MAX_NAMES || !(ns->name[ns->n] = strdup(name))) {
		ns->dropped++;
		return;
	}
	ns->count[ns->n++] = 1;
}

static void names_free(struct names *ns)
{
	for (size_t i = 0; i < ns->n; i++)
		free(ns->name[i]);
}

static bool under(const char *path, const char *dir)
{
	size_t n = dir ? strlen(dir) : 0;
	return n && strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

static enum area area_of(const struct activity *a, const char *p)
{
	if (under(p, a->workdir))
		return AREA_WORKDIR;
	if (under(p, "/usr") || under(p, "/lib") || under(p, "/lib64") || under(p, "/bin") ||
	    under(p, "/sbin") || under(p, "/opt"))
		return AREA_SYSTEM;
	if (under(p, "/etc"))
		return AREA_ETC;
	if (under(p, "/proc") || under(p, "/sys") || under(p, "/dev"))
		return AREA_PSEUDO;
	if (under(p, "/tmp") || under(p, "/var/tmp") || under(p, "/dev/shm"))
		return AREA_TMP;
	if (under(p, a->home))
		return AREA_HOME;
	return AREA_OTHER;
}

static int on_event(void *ctx, const struct da_event *ev)
{
	struct activity *a = ctx;
	switch (ev->kind) {
	case DA_EV_PROC_EXEC:
		a->execs++;
		if (ev->err)
			a->exec_failed++;
		else
			names_add(&a->programs, ev->path);
		break;
	case DA_EV_PROC_FORK:
		/* the target's own children, as the process detector counts
		 * them (a build's are the setup's), so the two numbers agree */
		if (ev->target_pid > 0 && !(ev->detail && strcmp(ev->detail, "thread") == 0) &&
		    !(ev->phase && strcmp(ev->phase, "setup") == 0))
			a->forks++;
		break;
	case DA_EV_FILE_OPEN:
		if (!ev->path)
			break;
		a->opens++;
		if (ev->err)
			a->opens_failed++;
		else if (ev->fd < 0 && ev->result == 0)
			a->opens_unseen++; /* published without its result (live read-only open) */
		enum area ar = area_of(a, ev->path);
		a->area_opens[ar]++;
		if (ar == AREA_WORKDIR && ev->path[strlen(a->workdir)] == '/')
			names_add(&a->workdir_files, ev->path + strlen(a->workdir) + 1);
		if ((ev->access & (DA_ACC_WRITE | DA_ACC_CREATE)) && ar != AREA_PSEUDO)
			names_add(&a->written, ev->path);
		break;
	case DA_EV_NET_SOCKET:
		a->sockets[ev->family == AF_INET ? 0 : ev->family == AF_INET6 ? 1 : ev->family == AF_UNIX ? 2 : 3]++;
		break;
	case DA_EV_NET_CONNECT:
		names_add(&a->connects, ev->addr ? ev->addr : "(unknown address)");
		break;
	case DA_EV_NET_BIND:
		names_add(&a->binds, ev->addr ? ev->addr : "(unknown address)");
		break;
	case DA_EV_NET_LISTEN:
		names_add(&a->listens, ev->addr ? ev->addr : ev->fd_desc ? ev->fd_desc : "(unknown)");
		break;
	case DA_EV_NET_ACCEPT:
		names_add(&a->accepts, ev->addr ? ev->addr : "(unknown peer)");
		break;
	case DA_EV_NET_SEND:
		a->sends++;
		break;
	case DA_EV_PRIV_ID: case DA_EV_PRIV_CAP: case DA_EV_PRIV_NS:
	case DA_EV_PRIV_MOUNT: case DA_EV_PRIV_PTRACE: case DA_EV_PRIV_KERNEL:
		a->priv++;
		names_add(&a->priv_calls, ev->syscall ? ev->syscall : ev->detail);
		break;
	case DA_EV_OUTPUT:
		if (ev->fd == 1 || ev->fd == 2)
			a->out_lines[ev->fd]++;
		break;
	default:
		break;
	}
	return 0;
}

struct activity *activity_new(struct bus *bus, const char *workdir, const char *home)
{
	struct activity *a = calloc(1, sizeof(*a));
	if (!a)
		return NULL;
	a->workdir = strdup(workdir ? workdir : "/home/auditor/app");
	a->home = strdup(home ? home : "/home/auditor");
	uint64_t mask[DA_EVMASK_WORDS] = {0};
	static const enum da_event_kind kinds[] = {
		DA_EV_PROC_EXEC, DA_EV_PROC_FORK, DA_EV_FILE_OPEN, DA_EV_NET_SOCKET, DA_EV_NET_CONNECT,
		DA_EV_NET_BIND, DA_EV_NET_LISTEN, DA_EV_NET_ACCEPT, DA_EV_NET_SEND, DA_EV_PRIV_ID,
		DA_EV_PRIV_CAP, DA_EV_PRIV_NS, DA_EV_PRIV_MOUNT, DA_EV_PRIV_PTRACE, DA_EV_PRIV_KERNEL,
		DA_EV_OUTPUT,
	};
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		DA_EVMASK_SET(mask, kinds[i]);
	if (!a->workdir || !a->home || bus_subscribe(bus, mask, on_event, a) < 0) {
		activity_free(a);
		return NULL;
	}
	return a;
}

/* "a (x2), b, c and 4 more" into buf. */
static const char *list_names(const struct names *ns, size_t max, char *buf, size_t len)
{
	size_t used = 0;
	buf[0] = '\0';
	size_t shown = ns->n < max ? ns->n : max;
	for (size_t i = 0; i < shown && used < len; i++) {
		int w = snprintf(buf + used, len - used, "%s%s", i ? ", " : "", ns->name[i]);
		if (w > 0)
			used += (size_t)w;
		if (ns->count[i] > 1 && used < len) {
			w = snprintf(buf + used, len - used, " (x%u)", ns->count[i]);
			if (w > 0)
				used += (size_t)w;
		}
	}
	unsigned long more = (ns->n - shown) + ns->dropped;
	if (more && used < len)
		snprintf(buf + used, len - used, " and %lu more", more);
	return buf;
}

static void add_line(struct report_input *in, const char *id, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void add_line(struct report_input *in, const char *id, const char *fmt, ...)
{
	for (size_t i = 0; i < in->n_categories; i++) {
		struct category_rec *c = &in->categories[i];
		if (strcmp(c->id, id) != 0)
			continue;
		char **na = realloc(c->activity, (c->n_activity + 1) * sizeof(*na));
		if (!na)
			return;
		c->activity = na;
		char buf[1536];
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(buf, sizeof(buf), fmt, ap);
		va_end(ap);
		if ((na[c->n_activity] = strdup(buf)))
			c->n_activity++;
		return;
	}
}

void activity_describe(const struct activity *a, struct report_input *in)
{
	char l1[1024], l2[1024];
	/* process */
	if (a->programs.n <= 1 && !a->forks)
		add_line(in, "process", "Programs executed: %s only; no child process was created.",
			 a->programs.n ? a->programs.name[0] : "none");
	else
		add_line(in, "process", "Programs executed: %s; %lu child process%s created%s.",
			 list_names(&a->programs, 8, l1, sizeof(l1)), a->forks, a->forks == 1 ? "" : "es",
			 a->exec_failed ? " (some exec attempts failed)" : "");
	/* file */
	if (!a->opens) {
		add_line(in, "file", "No file was opened by a traced process.");
	} else {
		size_t used = 0;
		l2[0] = '\0';
		for (int ar = 0; ar < AREA_N; ar++) {
			if (!a->area_opens[ar])
				continue;
			int w = snprintf(l2 + used, sizeof(l2) - used, "%s%lu %s", used ? ", " : "",
					 a->area_opens[ar], area_label[ar]);
			if (w > 0 && (size_t)w < sizeof(l2) - used)
				used += (size_t)w;
		}
		if (a->opens_unseen)
			add_line(in, "file", "%lu file opens (%lu failed, %lu read-only with no result observed): %s.",
				 a->opens, a->opens_failed, a->opens_unseen, l2);
		else
			add_line(in, "file", "%lu file opens (%lu failed): %s.", a->opens, a->opens_failed, l2);
		if (a->workdir_files.n)
			add_line(in, "file", "Files of the submission used: %s.",
				 list_names(&a->workdir_files, 10, l1, sizeof(l1)));
		if (a->written.n)
			add_line(in, "file", "Opened for writing or created: %s.",
				 list_names(&a->written, 8, l1, sizeof(l1)));
		else
			add_line(in, "file", "No file was opened for writing.");
	}
	/* network */
	unsigned long socks = a->sockets[0] + a->sockets[1] + a->sockets[2] + a->sockets[3];
	if (!socks && !a->connects.n && !a->binds.n && !a->listens.n)
		add_line(in, "network", "No socket was created; no connect(), bind() or listen() call.");
	else {
		add_line(in, "network", "Sockets created: %lu (IPv4 %lu, IPv6 %lu, unix %lu, other %lu).",
			 socks, a->sockets[0], a->sockets[1], a->sockets[2], a->sockets[3]);
		if (a->connects.n)
			add_line(in, "network", "connect() to: %s.", list_names(&a->connects, 8, l1, sizeof(l1)));
		if (a->binds.n)
			add_line(in, "network", "bind() to: %s.", list_names(&a->binds, 8, l1, sizeof(l1)));
		if (a->listens.n)
			add_line(in, "network", "listen() on: %s.", list_names(&a->listens, 8, l1, sizeof(l1)));
		if (a->accepts.n)
			add_line(in, "network", "Connections accepted from: %s.",
				 list_names(&a->accepts, 8, l1, sizeof(l1)));
	}
	/* privilege */
	if (a->priv)
		add_line(in, "privilege", "Privilege-related system calls: %s.",
			 list_names(&a->priv_calls, 10, l1, sizeof(l1)));
	else
		add_line(in, "privilege", "No setuid/setgid, capability, namespace, mount, ptrace or kernel-interface call.");
	/* code integrity */
	add_line(in, "code_integrity", "Output: %lu line%s on stdout, %lu on stderr.", a->out_lines[1],
		 a->out_lines[1] == 1 ? "" : "s", a->out_lines[2]);
}

void activity_free(struct activity *a)
{
	if (!a)
		return;
	names_free(&a->programs);
	names_free(&a->workdir_files);
	names_free(&a->written);
	names_free(&a->connects);
	names_free(&a->binds);
	names_free(&a->listens);
	names_free(&a->accepts);
	names_free(&a->priv_calls);
	free(a->workdir);
	free(a->home);
	free(a);
}

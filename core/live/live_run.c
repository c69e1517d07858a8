/*
 * live_run.c — `dynaudit run`: one poll loop (the snapshots on a thread of
 * their own, see "The loop never waits" below).  See live_run.h.
 *
 * Order of the set-up (each step needs the previous one):
 *   sandbox_prepare      private workdir copy, /tmp and HOME backing dirs
 *   output pipes         the target's stdout/stderr (our ends close-on-exec)
 *   tracer_new           the seccomp filter is built from what detectors need
 *   sandbox_spawn        the init, which installs the filter in the target
 *   tracer_seize_init    before the target exists, so no instruction escapes
 *   monitors             inotify and snapshots, before the target starts
 *   sandbox_start_target the clock starts here
 * With target.setup the tracer and the output capture publish on a private
 * bus whose one forwarder tags the setup tree's events phase = "setup" (see
 * "the setup phase" below) before they reach the audit's bus.
 * The loop then multiplexes: SIGCHLD (tracer), SIGINT/SIGTERM (stop early),
 * the window timer, inotify, the two pipes and the sandbox status pipe.
 * It ends when every traced process exited, or the window closed: then
 * the last snapshot (waited for a short while), SIGTERM to every sandbox
 * process, a grace period (still dispatching, so the exits are seen),
 * SIGKILL of the whole pid namespace, and a bounded wait for the tracer
 * to see the last exit.
 *
 * The loop never waits for the target: it is what ends the window and
 * answers SIGINT, and a hostile target must not be able to stop it.  So
 * the process snapshots (whose /proc reads wait for a forking target's
 * mmap lock) run on their own thread (monitor_snapshot_start), the
 * tracer's dispatch does bounded work per call, and what the loop itself
 * reads of a target's /proc (the ns/pid links, /proc/TID/syscall once at
 * the window's end) never takes a lock the target can hold.
 */
#include "live/live_run.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "live/connect_sink.h"
#include "live/dns_sink.h"
#include "live/driver.h"
#include "live/honeytokens.h"
#include "live/netns_sockets.h"
#include "live/left_behind.h"
#include "live/monitor_fs.h"
#include "live/monitor_snapshot.h"
#include "live/output_capture.h"
#include "live/progress.h"
#include "live/sandbox.h"
#include "live/shipped_links.h"
#include "live/tracer.h"
#include "engine/phase_times.h"

#define GRACE_S 2.0     /* SIGTERM -> SIGKILL at the end of the window */
#define KILL_WAIT_S 5.0 /* SIGKILL -> give up waiting for the exits */
#define KILL_SCAN_AFTER_S 0.2 /* SIGKILL -> list the namespace's processes (init still there) */
#define TICK_MS 200     /* upper bound of one poll: progress, safety dispatch */
#define LAST_SNAP_S 0.5 /* the window's last snapshot: how long SIGTERM waits for it */

enum phase {
	PHASE_RUNNING,     /* target running inside its window */
	PHASE_LAST_SNAP,   /* window closed: waiting (bounded) for the last snapshot */
	PHASE_TERMINATING, /* SIGTERM sent, grace period */
	PHASE_KILLING,     /* SIGKILL sent, waiting for the tracer to see it */
	PHASE_DONE
};

struct live_clock {
	struct timespec start;
	bool started;
};

static double mono_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double clock_since_start(void *ctx)
{
	const struct live_clock *c = ctx;
	if (!c->started)
		return 0.0;
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)(ts.tv_sec - c->start.tv_sec) + (double)(ts.tv_nsec - c->start.tv_nsec) / 1e9;
}

static int install_filter_hook(void *ctx)
{
	return tracer_install_filter(ctx);
}

struct run {
	const struct audit_config *cfg;
	size_t steps_recorded;  /* sandbox steps already in the report */
	struct audit *audit;
	struct bus *bus;
	struct sandbox sb;
	struct honeytokens ht;  /* sandbox.deception.honeytokens (planted when ht_on) */
	bool ht_on;
	struct dns_sink *dns;   /* sandbox.deception.dns: sink, NULL when off */
	struct connect_sink *csink; /* sandbox.deception.connect: sink, NULL when off */
	struct netns_sockets *nss;  /* makes the sinks' sockets in the sandbox's netns */
	bool sb_prepared;
	bool sb_spawned;
	char pidns[64];
	struct tracer *tracer;
	struct output_capture *capture;
	struct monitor_fs *fs;
	struct monitor_snapshot *snap;
	struct driver *driver;  /* driver.command, or NULL */
	struct live_clock clock;
	struct progress progress;
	int sig_fd;
	int window_timer;
	int status_fd;          /* -1 once the exec outcome is known */
	sigset_t old_mask;
	bool mask_set;
	enum phase phase;
	double phase_deadline;  /* monotonic seconds */
	bool window_closed;     /* the window ended before the tree did */
	bool running_at_window; /* ... with the target's first process alive */
	bool interrupted;
	double last_exit_s;     /* clock when the tree was seen gone */
	int exec_error;         /* negative errno from the status pipe */
	char exec_msg[256];
	/* target.setup only (src_bus NULL without it) */
	struct bus *src_bus;    /* tracer + capture publish here; forwarded to bus */
	uint64_t lost_forwarded;/* src_bus events_lost already counted on bus */
	int32_t *setup_pids;    /* the setup tree (namespace pids, alive) */
	size_t n_setup, cap_setup;
	int32_t setup_root;     /* first process started by the init, 0 unknown */
	int32_t target_root;    /* first other process started by the init */
	bool setup_ended;       /* the setup root's exit was seen */
	int setup_ev_code;      /* ... its exit code (-1 killed) */
	char setup_ev_signal[32]; /* ... its killing signal, "" */
	double setup_ev_time;   /* ... when */
	bool output_in_setup;   /* output lines belong to the setup */
	bool setup_failed;      /* the init reported a failed setup: no target */
	bool target_done;       /* target_root's exit (from the forwarder) */
	int target_code;
	char target_signal[32];
	bool target_core;
};

/* ---- signalling the sandbox --------------------------------------------- */

/* Signal through a pidfd re-checked against the namespace: a pid that was
 * recycled by a host process between listing and kill is never hit. */
static void signal_ns_pid(const char *pidns, pid_t pid, int sig)
{
	int pfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pfd < 0)
		return;
	char link[64];
	if (snapshot_pidns_link(pid, link, sizeof(link)) == 0 && !strcmp(link, pidns))
		syscall(SYS_pidfd_send_signal, pfd, sig, NULL, 0);
	close(pfd);
}

/* Send sig to every process of the sandbox but its init; returns how many. */
static ssize_t signal_sandbox(struct run *r, int sig)
{
	pid_t *pids = NULL;
	ssize_t n = snapshot_list_pids(r->pidns, r->sb.init_pid, &pids);
	for (ssize_t i = 0; i < n; i++)
		signal_ns_pid(r->pidns, pids[i], sig);
	free(pids);
	return n;
}

static ssize_t count_sandbox(struct run *r, bool with_init)
{
	pid_t *pids = NULL;
	ssize_t n = snapshot_list_pids(r->pidns, with_init ? 0 : r->sb.init_pid, &pids);
	free(pids);
	return n;
}

/* ---- the setup phase ---------------------------------------------------- */

/* The setup tree is the init's first child (the setup command) and all its
 * descendants; the target root is the init's next child.  The tracer knows
 * nothing of phases: the forwarder sorts its events by pid, in order. */

static bool setup_has(const struct run *r, int32_t pid)
{
	for (size_t i = 0; pid > 0 && i < r->n_setup; i++)
		if (r->setup_pids[i] == pid)
			return true;
	return false;
}

static void setup_add(struct run *r, int32_t pid)
{
	if (pid <= 0 || setup_has(r, pid))
		return;
	if (r->n_setup == r->cap_setup) {
		size_t ncap = r->cap_setup ? r->cap_setup * 2 : 64;
		int32_t *np = realloc(r->setup_pids, ncap * sizeof(*np));
		if (!np)
			return; /* its events then go untagged: never lost */
		r->setup_pids = np;
		r->cap_setup = ncap;
	}
	r->setup_pids[r->n_setup++] = pid;
}

static void setup_del(struct run *r, int32_t pid)
{
	for (size_t i = 0; i < r->n_setup; i++)
		if (r->setup_pids[i] == pid) {
			r->setup_pids[i] = r->setup_pids[--r->n_setup];
			return;
		}
}

/* Is this tracer event part of the setup phase?  Updates the tree. */
static bool classify_setup(struct run *r, const struct da_event *ev)
{
	bool setup = setup_has(r, ev->pid) || (ev->ppid > 0 && setup_has(r, ev->ppid));
	if (!setup && r->setup_root == 0 && ev->pid > 0 && (ev->ppid == 1 || ev->ppid == 0)) {
		r->setup_root = ev->pid;
		setup = true;
	} else if (!setup && r->target_root == 0 && r->setup_root != 0 && ev->pid > 0 &&
		   ev->pid != r->setup_root && (ev->ppid == 1 || (ev->ppid == 0 && r->setup_ended))) {
		r->target_root = ev->pid;
	}
	if (setup)
		setup_add(r, ev->pid);
	if (setup && ev->kind == DA_EV_PROC_FORK && ev->target_pid > 0 && ev->err == 0)
		setup_add(r, ev->target_pid);
	return setup;
}

/* Forward one event of the private bus to the audit's bus, tagged. */
static int forward_event(void *ctx, const struct da_event *ev)
{
	struct run *r = ctx;
	struct da_event copy = *ev;

	if (ev->kind == DA_EV_OUTPUT) {
		if (r->output_in_setup)
			copy.phase = "setup";
	} else if (ev->pid > 0 && classify_setup(r, ev)) {
		copy.phase = "setup";
		if (ev->kind == DA_EV_PROC_EXIT && ev->pid == r->setup_root && !r->setup_ended) {
			/* Everything the setup printed is in the pipes by now:
			 * publish it as setup output, before its exit. */
			r->setup_ended = true;
			r->setup_ev_code = (int)ev->arg[0];
			r->setup_ev_time = ev->time_s;
			snprintf(r->setup_ev_signal, sizeof(r->setup_ev_signal), "%s",
				 ev->detail ? ev->detail : "");
			while (r->capture && (output_capture_read(r->capture, 1) > 0 ||
					      output_capture_read(r->capture, 2) > 0))
				;
			r->output_in_setup = false;
		}
		if (ev->kind == DA_EV_PROC_EXIT && ev->pid != r->setup_root)
			setup_del(r, ev->pid);
	} else if (ev->kind == DA_EV_PROC_EXIT && ev->pid == r->target_root && !r->target_done) {
		r->target_done = true;
		r->target_code = (int)ev->arg[0];
		r->target_core = ev->arg[1] != 0;
		snprintf(r->target_signal, sizeof(r->target_signal), "%s", ev->detail ? ev->detail : "");
	}
	return bus_publish(r->bus, &copy);
}

/* Only there for its mask: the tracer builds its seccomp filter from
 * bus_subscribed_mask() of the bus it publishes on, which ignores
 * catch-all subscribers like the forwarder. */
static int mask_carrier(void *ctx, const struct da_event *ev)
{
	(void)ctx;
	(void)ev;
	return 0;
}

static int setup_bus_new(struct run *r, char *err, size_t errlen)
{
	uint64_t mask[DA_EVMASK_WORDS];
	r->src_bus = bus_new();
	if (!r->src_bus) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	bus_subscribed_mask(r->bus, mask);
	if (bus_subscribe(r->src_bus, mask, mask_carrier, NULL) < 0 ||
	    bus_subscribe(r->src_bus, NULL, forward_event, r) < 0) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	r->output_in_setup = true;
	return 0;
}

/* Events a source of the private bus knew it lost count on the audit's. */
static void forward_lost(struct run *r)
{
	if (!r->src_bus)
		return;
	uint64_t lost = bus_get_stats(r->src_bus)->events_lost;
	if (lost > r->lost_forwarded) {
		bus_count_lost(r->bus, lost - r->lost_forwarded);
		r->lost_forwarded = lost;
	}
}

/* The target's end: the tracer's first child of the init, or with a setup
 * (then the init's first child) the target root seen by the forwarder.
 * signame gets "SIGSEGV" or "" (len >= 32). */
static bool target_exit_info(const struct run *r, int *code, char *signame, size_t len, bool *core)
{
	if (r->src_bus) {
		if (!r->target_done)
			return false;
		*code = r->target_code;
		*core = r->target_core;
		snprintf(signame, len, "%s", r->target_signal);
		return true;
	}
	int signo = 0;
	bool exited = tracer_target_exited(r->tracer, code, &signo, core);
	signame[0] = '\0';
	if (exited && signo) {
		const char *abbrev = sigabbrev_np(signo);
		if (abbrev)
			snprintf(signame, len, "SIG%s", abbrev);
		else
			snprintf(signame, len, "signal %d", signo);
	}
	return exited;
}

static void setup_command_text(const struct run *r, char *buf, size_t len)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; r->cfg->setup && r->cfg->setup[i] && used + 1 < len; i++) {
		int n = snprintf(buf + used, len - used, "%s%s", i ? " " : "", r->cfg->setup[i]);
		if (n < 0)
			break;
		used += (size_t)n < len - used ? (size_t)n : len - used - 1;
	}
}

/* The setup's outcome as a sandbox fact (and a note when it failed). */
static void record_setup(struct run *r)
{
	char cmd[128], fact[256], sig[48] = "";
	int code = -1, signo = 0;
	double secs = 0;
	setup_command_text(r, cmd, sizeof(cmd));
	if (r->sb.status_fd >= 0) {
		char msg[256]; /* an outcome still in the pipe (the loop ended early) */
		sandbox_read_status(&r->sb, msg, sizeof(msg));
	}
	bool known = sandbox_setup_outcome(&r->sb, &code, &signo, &secs) == 1;
	if (!known && r->setup_ended) {
		/* the init was killed before it could say: the tracer saw it */
		known = true;
		code = r->setup_ev_code;
		secs = r->setup_ev_time;
		snprintf(sig, sizeof(sig), "%s", r->setup_ev_signal);
		signo = sig[0] ? -1 : 0;
	}
	if (!known) {
		snprintf(fact, sizeof(fact), "%s: did not finish%s: the target was not run", cmd,
			 r->window_closed ? " within the observation window" : "");
		audit_set_sandbox_fact(r->audit, "setup", fact);
		audit_add_note(r->audit, "target.setup (%s) did not finish; the target was not run", cmd);
		audit_set_not_started(r->audit, fact);
		return;
	}
	if (signo > 0) {
		const char *abbrev = sigabbrev_np(signo);
		if (abbrev)
			snprintf(sig, sizeof(sig), "SIG%s", abbrev);
		else
			snprintf(sig, sizeof(sig), "signal %d", signo);
	}
	if (!signo && code == 0) {
		snprintf(fact, sizeof(fact), "%s: exited 0 after %.2f s", cmd, secs);
		audit_set_sandbox_fact(r->audit, "setup", fact);
		return;
	}
	if (signo)
		snprintf(fact, sizeof(fact), "%s: killed by %s after %.2f s%s: the target was not run",
			 cmd, sig, secs, r->window_closed ? " (observation window closed)" : "");
	else
		snprintf(fact, sizeof(fact), "%s: failed with exit %d: the target was not run", cmd, code);
	audit_set_sandbox_fact(r->audit, "setup", fact);
	char how[64];
	if (signo)
		snprintf(how, sizeof(how), "was killed by %s", sig);
	else
		snprintf(how, sizeof(how), "failed with exit %d", code);
	audit_add_note(r->audit,
		       "the setup command (target.setup: %s) %s, so the target was not run; the findings cover the setup only",
		       cmd, how);
	audit_set_not_started(r->audit, fact);
}

/* ---- set-up ------------------------------------------------------------- */

/* The init's steps arrive with sandbox_spawn; the target child's own
 * (limits, identity, capabilities, no_new_privs, seccomp) only once it has
 * exec'd: record whatever is new each time. */
static void record_steps(struct run *r)
{
	for (size_t i = r->steps_recorded; i < r->sb.n_steps && i < SANDBOX_MAX_STEPS; i++)
		audit_set_sandbox_fact(r->audit, r->sb.steps[i].name, r->sb.steps[i].detail);
	if (r->sb.n_steps > r->steps_recorded)
		r->steps_recorded = r->sb.n_steps;
}

static int make_timer(double first_s, double interval_s)
{
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	struct itimerspec its = { 0 };
	if (first_s < 0.001)
		first_s = 0.001;
	its.it_value.tv_sec = (time_t)first_s;
	its.it_value.tv_nsec = (long)((first_s - (double)(time_t)first_s) * 1e9);
	if (interval_s > 0) {
		its.it_interval.tv_sec = (time_t)interval_s;
		its.it_interval.tv_nsec = (long)((interval_s - (double)(time_t)interval_s) * 1e9);
	}
	if (timerfd_settime(fd, 0, &its, NULL) < 0) {
		int e = errno;
		close(fd);
		return -e;
	}
	return fd;
}

static void drain_fd(int fd)
{
	char buf[256];
	while (read(fd, buf, sizeof(buf)) > 0)
		;
}

static bool sink_socket(void *ctx, uint64_t ino);

static void start_monitors(struct run *r)
{
	char msg[256] = "";

	if (r->cfg->monitor_fs) {
		if (monitor_fs_new(&r->fs, r->bus, clock_since_start, &r->clock, msg, sizeof(msg)) < 0) {
			audit_add_note(r->audit, "filesystem monitor disabled: %s", msg);
		} else {
			const char *hosts[3] = { r->sb.workdir_host, r->sb.tmp_host, r->sb.home_host };
			const char *views[3] = { r->sb.workdir, "/tmp", r->sb.home };
			int ok = 0;
			for (int i = 0; i < 3; i++) {
				if (!hosts[i][0] || !views[i])
					continue;
				if (monitor_fs_add_root(r->fs, hosts[i], views[i], msg, sizeof(msg)) < 0)
					audit_add_note(r->audit, "%s", msg);
				else
					ok++;
			}
			if (ok)
				audit_add_source(r->audit, "inotify: workdir, /tmp, HOME");
		}
	}
	struct monitor_snapshot_options so = {
		.bus = r->bus,
		.init_host_pid = r->sb.init_pid,
		.netns_fd = r->cfg->network == NETWORK_NONE ? r->sb.netns_fd : -1,
		.clock = clock_since_start,
		.clock_ctx = &r->clock,
		.hidden_socket = sink_socket,
		.hidden_ctx = r,
	};
	msg[0] = '\0';
	if (monitor_snapshot_new(&r->snap, &so, msg, sizeof(msg)) < 0) {
		audit_add_note(r->audit, "process/socket snapshots disabled: %s", msg);
		return;
	}
	if (msg[0])
		audit_add_note(r->audit, "%s", msg);
	char src[96];
	snprintf(src, sizeof(src), "%s snapshots every %gs",
		 monitor_snapshot_sockets_enabled(r->snap) ? "process/socket" : "process",
		 r->cfg->snapshot_interval);
	audit_add_source(r->audit, src);
}

/* The snapshot's filter: the connect sink's sockets are not the target's. */
static bool sink_socket(void *ctx, uint64_t ino)
{
	struct run *r = ctx;
	return connect_sink_owns(r->csink, ino);
}

/* The tracer's hook at connect/bind/send stops (tracer.h net_call). */
static void at_net_call(void *ctx, bool is_bind, pid_t tgid, int fd, const void *sa, size_t salen)
{
	struct run *r = ctx;
	connect_sink_at_call(r->csink, is_bind, tgid, fd, sa, salen);
}

/* sandbox.deception.dns and .connect: sink, in the sandbox's own network
 * namespace (with network: host there is none of ours to answer in).
 * Their sockets come from one helper inside the namespace, with or
 * without root (netns_sockets.h). */
static void start_sinks(struct run *r)
{
	char msg[256];
	if (!r->cfg->dns_sink && !r->cfg->connect_sink)
		return;
	if (r->cfg->network != NETWORK_NONE) {
		audit_add_note(r->audit, "sandbox.deception: the sinks need sandbox.network: none; not started");
		return;
	}
	if (netns_sockets_start(&r->nss, r->sb.init_pid, r->sb.netns_fd, r->sb.in_userns, msg,
				sizeof(msg)) < 0) {
		audit_add_note(r->audit, "deception sinks not started: %s; lookups and connects fail as "
			       "without them", msg);
		return;
	}
	if (r->cfg->dns_sink) {
		struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(53) };
		inet_pton(AF_INET, DNS_SINK_ADDR, &sa.sin_addr);
		int sock = netns_sockets_bind(r->nss, SOCK_DGRAM, (struct sockaddr *)&sa, sizeof sa);
		if (sock < 0)
			snprintf(msg, sizeof(msg), "socket on %s:53 in the sandbox: %s", DNS_SINK_ADDR,
				 strerror(-sock));
		if (sock < 0 || dns_sink_start(&r->dns, sock, r->bus, clock_since_start, &r->clock, msg,
					       sizeof(msg)) < 0) {
			audit_add_note(r->audit, "DNS sink not started: %s; lookups fail as without it", msg);
		} else {
			audit_set_sandbox_fact(r->audit, "dns sink",
					       "every name resolves to a loopback address (127.64.0.0/10); each query is recorded");
			audit_add_source(r->audit, "DNS sink resolver");
		}
	}
	if (r->cfg->connect_sink) {
		if (connect_sink_start(&r->csink, r->nss, r->bus, clock_since_start, &r->clock, msg,
				       sizeof(msg)) < 0) {
			audit_add_note(r->audit, "connect sink not started: %s; connects fail as without it", msg);
		} else {
			audit_set_sandbox_fact(r->audit, "connect sink",
					       "connects and UDP sends to a loopback port nobody listens on are accepted; "
					       "the first 64 KiB of each connection are recorded");
			audit_add_source(r->audit, "connect sink");
		}
	}
}

/* The sinks publish from their threads: stopped before the last event. */
static void stop_sinks(struct run *r)
{
	uint64_t q, unpublished, sinks, conns, unrecorded;
	dns_sink_counts(r->dns, &q, &unpublished);
	connect_sink_counts(r->csink, &sinks, &conns, &unrecorded);
	dns_sink_stop(r->dns);
	r->dns = NULL;
	connect_sink_stop(r->csink);
	r->csink = NULL;
	netns_sockets_stop(r->nss);
	r->nss = NULL;
	if (unpublished)
		audit_add_note(r->audit, "the DNS sink answered %llu queries; the %llu after the first %d were "
			       "not recorded as events", (unsigned long long)q, (unsigned long long)unpublished,
			       DNS_SINK_MAX_EVENTS);
	if (unrecorded)
		audit_add_note(r->audit, "the connect sink took %llu connections or datagrams at %llu addresses; "
			       "%llu were not recorded (more than %d open at once, or %d events)",
			       (unsigned long long)conns, (unsigned long long)sinks,
			       (unsigned long long)unrecorded, CONNECT_SINK_CONNS, CONNECT_SINK_EVENTS);
}

/* The decoy credentials, before anything of the target runs; a failure
 * to plant them is a note, not a reason to refuse the audit. */
static void plant_honeytokens(struct run *r)
{
	char msg[256];

	if (!r->cfg->honeytokens)
		return;
	int rc = honeytokens_generate(&r->ht);
	if (rc == 0)
		rc = honeytokens_plant(&r->ht, r->sb.home_host, !r->sb.in_userns, r->sb.uid,
				       r->sb.gid, msg, sizeof(msg));
	else
		snprintf(msg, sizeof(msg), "honeytokens: %s", strerror(-rc));
	if (rc < 0) {
		audit_add_note(r->audit, "%s; no decoy credentials were planted", msg);
		honeytokens_free(&r->ht);
		return;
	}
	r->ht_on = true;
	r->sb.extra_env = r->ht.env;
	char fact[512];
	honeytokens_describe(&r->ht, fact, sizeof(fact));
	audit_set_sandbox_fact(r->audit, "honeytokens", fact);
}

static int setup(struct run *r, char *err, size_t errlen)
{
	int out_pipe[2] = { -1, -1 }, err_pipe[2] = { -1, -1 };
	int rc;

	if (!r->cfg->command || !r->cfg->command[0]) {
		snprintf(err, errlen, "no target command (set target.command or give -- COMMAND)");
		return -EINVAL;
	}
	rc = sandbox_prepare(&r->sb, r->cfg, err, errlen);
	phase_mark("sandbox_prepare");
	if (rc < 0)
		return rc;
	r->sb_prepared = true;
	plant_honeytokens(r);
	phase_mark("honeytokens");

	/* Our ends close-on-exec: a target must not inherit its own pipe. */
	if (pipe2(out_pipe, O_CLOEXEC) < 0 || pipe2(err_pipe, O_CLOEXEC) < 0) {
		rc = -errno;
		snprintf(err, errlen, "pipe: %s", strerror(-rc));
		goto fail_pipes;
	}
	/* A bigger pipe: fewer wake-ups under a flood (best effort). */
	fcntl(out_pipe[0], F_SETPIPE_SZ, 1 << 20);
	fcntl(err_pipe[0], F_SETPIPE_SZ, 1 << 20);

	/* With a setup, the tracer and the capture publish on a private bus
	 * (same subscription mask) whose forwarder tags the setup phase. */
	struct bus *src = r->bus;
	if (r->cfg->setup && r->cfg->setup[0]) {
		rc = setup_bus_new(r, err, errlen);
		if (rc < 0)
			goto fail_pipes;
		src = r->src_bus;
	}
	struct tracer_options topt = {
		.bus = src,
		.workdir = r->sb.workdir,
		.clock = clock_since_start,
		.clock_ctx = &r->clock,
		.deny_dangerous = r->cfg->seccomp,
		/* Read-only opens and stat probes through seccomp notifications:
		 * the loop below polls tracer_notify_fds(). */
		.fast_notify = true,
		/* root switches to the target's ids to re-check a notified open;
		 * in a user namespace dynaudit already is the target's uid */
		.check_as_user = !r->sb.in_userns,
		.target_uid = r->sb.uid,
		.target_gid = r->sb.gid,
		/* the honeytoken detector looks for its values in what is sent */
		.capture_sends = r->ht_on,
		.skip_sleeps_s = r->cfg->skip_sleeps_s,
		.net_call = r->cfg->connect_sink ? at_net_call : NULL,
		.net_call_ctx = r,
		/* a client's bytes reaching exec argv: only something outside
		 * the target can send them (the driver, a peer behind the
		 * connect sink).  Off otherwise, as every recv then costs a stop. */
		.track_received = r->driver != NULL || r->cfg->connect_sink,
	};
	rc = tracer_new(&r->tracer, &topt, err, errlen);
	phase_mark("tracer_new");
	if (rc < 0)
		goto fail_pipes;

	rc = sandbox_spawn(&r->sb, r->cfg->command, out_pipe[1], err_pipe[1], install_filter_hook,
			   r->tracer, err, errlen);
	close(out_pipe[1]);
	close(err_pipe[1]);
	out_pipe[1] = err_pipe[1] = -1;
	record_steps(r);
	phase_mark("sandbox_spawn");
	if (rc < 0)
		goto fail_pipes;
	r->sb_spawned = true;
	if (snapshot_pidns_link(r->sb.init_pid, r->pidns, sizeof(r->pidns)) < 0)
		r->pidns[0] = '\0';

	rc = output_capture_new(&r->capture, src, out_pipe[0], err_pipe[0], NULL,
				clock_since_start, &r->clock);
	out_pipe[0] = err_pipe[0] = -1; /* owned by the capture, also on failure */
	if (rc < 0) {
		snprintf(err, errlen, "output capture: %s", strerror(-rc));
		return rc;
	}

	rc = tracer_seize_init(r->tracer, r->sb.init_pid, err, errlen);
	phase_mark("capture+seize");
	if (rc < 0)
		return rc;
	audit_add_source(r->audit, "ptrace+seccomp tracer");
	/* The links the submission ships, before anything runs: the file
	 * detector judges reads through them as it does the run's own. */
	long dropped = 0;
	if (shipped_links_publish(r->bus, r->sb.workdir_host, r->sb.workdir, &dropped) > 0 && dropped)
		audit_add_note(r->audit, "the submission ships more than %d symbolic links: %ld were not announced "
			       "to the detectors", SHIPPED_LINKS_MAX, dropped);
	if (r->ht_on)
		honeytokens_publish(&r->ht, r->bus, r->sb.home);
	phase_mark("links+tokens");
	start_sinks(r);
	phase_mark("sinks");
	start_monitors(r);
	phase_mark("monitors");
	audit_add_source(r->audit, "stdout/stderr capture");

	/* Signals become fd events; blocked only now so the sandbox child
	 * did not inherit a blocked mask. */
	sigset_t mask;
	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &mask, &r->old_mask) == 0)
		r->mask_set = true;
	r->sig_fd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (r->sig_fd < 0) {
		rc = -errno;
		snprintf(err, errlen, "signalfd: %s", strerror(-rc));
		return rc;
	}
	r->window_timer = make_timer(r->cfg->duration_s, 0);
	if (r->window_timer < 0) {
		rc = r->window_timer;
		snprintf(err, errlen, "timerfd: %s", strerror(-rc));
		return rc;
	}

	rc = sandbox_start_target(&r->sb, err, errlen);
	phase_mark("start_target");
	if (rc < 0)
		return rc;
	clock_gettime(CLOCK_MONOTONIC, &r->clock.start);
	r->clock.started = true;
	r->status_fd = r->sb.status_fd;
	return 0;

fail_pipes:
	for (int i = 0; i < 2; i++) {
		if (out_pipe[i] >= 0)
			close(out_pipe[i]);
		if (err_pipe[i] >= 0)
			close(err_pipe[i]);
	}
	return rc;
}

/* The snapshot thread publishes on the audit's bus: only with asynchronous
 * delivery (one thread calls the subscribers).  Without it no snapshots:
 * taking them on the loop would let a forking target stall the loop. */
static void start_snapshots(struct run *r, int async_rc)
{
	if (!r->snap)
		return;
	double interval = r->cfg->snapshot_interval > 0.05 ? r->cfg->snapshot_interval : 0.05;
	/* The first snapshot soon after the start: a short-lived target is
	 * still listed in processes.txt. */
	int rc = async_rc < 0 ? async_rc : monitor_snapshot_start(r->snap, 0.1 < interval ? 0.1 : interval,
								   interval);
	if (rc < 0) {
		audit_add_note(r->audit, "process/socket snapshots disabled: no snapshot thread: %s",
			       strerror(-rc));
		monitor_snapshot_free(r->snap);
		r->snap = NULL;
	}
}

/* ---- the loop ----------------------------------------------------------- */

static void enter_phase(struct run *r, enum phase p)
{
	r->phase = p;
	if (p == PHASE_TERMINATING) {
		r->phase_deadline = mono_now() + GRACE_S;
		signal_sandbox(r, SIGTERM);
	} else if (p == PHASE_KILLING && r->sb_spawned) {
		r->phase_deadline = mono_now() + KILL_WAIT_S;
		/* The namespace init dies, and the kernel kills everything in it;
		 * the direct kills cover a process stopped in a ptrace stop. */
		sandbox_kill_all(&r->sb);
		signal_sandbox(r, SIGKILL);
	}
}

static void on_signal(struct run *r)
{
	struct signalfd_siginfo si;
	while (read(r->sig_fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		if (si.ssi_signo != SIGINT && si.ssi_signo != SIGTERM)
			continue;
		if (!r->interrupted) {
			r->interrupted = true;
			audit_mark_interrupted(r->audit, (int)si.ssi_signo);
		}
		if (r->phase < PHASE_KILLING)
			enter_phase(r, PHASE_KILLING);
	}
}

static void on_status(struct run *r)
{
	char msg[256] = "";
	int rc = sandbox_read_status(&r->sb, msg, sizeof(msg));
	if (rc == 0)
		return;
	r->status_fd = -1;
	if (rc < 0) {
		r->exec_error = rc;
		snprintf(r->exec_msg, sizeof(r->exec_msg), "%s", msg[0] ? msg : strerror(-rc));
		if (r->phase < PHASE_KILLING)
			enter_phase(r, PHASE_KILLING);
	} else if (rc == 2) {
		/* The setup failed: the init starts no target and leaves once
		 * the setup's leftovers are gone. */
		r->setup_failed = true;
		r->output_in_setup = false;
	}
}

static bool tree_gone(const struct run *r)
{
	int code;
	bool core;
	char sig[32];
	/* A failed setup (known from the init, or from its exit event when
	 * the init is already gone) means no target will come. */
	bool no_target = r->setup_failed ||
			 (r->setup_ended && (r->setup_ev_code != 0 || r->setup_ev_signal[0]));
	return tracer_alive(r->tracer) == 0 &&
	       (target_exit_info(r, &code, sig, sizeof(sig), &core) || r->exec_error || no_target);
}

static void loop(struct run *r)
{
	enum { P_SIG, P_SNAP, P_WINDOW, P_FS, P_OUT, P_ERR, P_STATUS, P_N };
	bool busy = false; /* the last dispatch had work: look again at once */

	while (r->phase != PHASE_DONE) {
		struct pollfd pfd[P_N + TRACER_POLL_FDS_MAX];
		pfd[P_SIG] = (struct pollfd){ .fd = r->sig_fd, .events = POLLIN };
		/* the last snapshot published: SIGTERM may go */
		pfd[P_SNAP] = (struct pollfd){ .fd = r->phase == PHASE_LAST_SNAP ?
							     monitor_snapshot_done_fd(r->snap) : -1,
					       .events = POLLIN };
		pfd[P_WINDOW] = (struct pollfd){ .fd = r->phase == PHASE_RUNNING ? r->window_timer : -1,
						 .events = POLLIN };
		pfd[P_FS] = (struct pollfd){ .fd = r->fs ? monitor_fs_fd(r->fs) : -1, .events = POLLIN };
		pfd[P_OUT] = (struct pollfd){ .fd = output_capture_fd(r->capture, 1), .events = POLLIN };
		pfd[P_ERR] = (struct pollfd){ .fd = output_capture_fd(r->capture, 2), .events = POLLIN };
		pfd[P_STATUS] = (struct pollfd){ .fd = r->status_fd, .events = POLLIN };
		/* The tracer's seccomp notification fds: a target waiting on one
		 * is answered by the tracer_dispatch() below. */
		int notify_fds[TRACER_POLL_FDS_MAX];
		int n_notify = tracer_notify_fds(r->tracer, notify_fds, TRACER_POLL_FDS_MAX);
		for (int i = 0; i < n_notify; i++)
			pfd[P_N + i] = (struct pollfd){ .fd = notify_fds[i], .events = POLLIN };

		int timeout = busy ? 0 : TICK_MS;
		if (r->phase == PHASE_LAST_SNAP || r->phase == PHASE_TERMINATING ||
		    r->phase == PHASE_KILLING) {
			double left = r->phase_deadline - mono_now();
			timeout = left <= 0 ? 0 : (int)(left * 1000) + 1;
			if (timeout > TICK_MS)
				timeout = TICK_MS;
			if (busy)
				timeout = 0;
		}
		int n = poll(pfd, (nfds_t)(P_N + n_notify), timeout);
		if (n < 0 && errno != EINTR)
			break; /* cannot happen with valid fds; the teardown still kills */

		if (n > 0 && (pfd[P_SIG].revents & POLLIN))
			on_signal(r);
		/* Every wake-up dispatches: cheap (WNOHANG), and a coalesced
		 * SIGCHLD can never leave a tracee stopped.  A dispatch does
		 * bounded work; with more left the next poll does not sleep. */
		int handled = tracer_dispatch(r->tracer);
		busy = handled > 0;
		if (handled < 0 && r->phase < PHASE_KILLING)
			enter_phase(r, PHASE_KILLING);
		forward_lost(r);
		if (n > 0 && (pfd[P_STATUS].revents & (POLLIN | POLLHUP | POLLERR)))
			on_status(r);
		if (n > 0 && (pfd[P_OUT].revents & (POLLIN | POLLHUP | POLLERR)))
			output_capture_read(r->capture, 1);
		if (n > 0 && (pfd[P_ERR].revents & (POLLIN | POLLHUP | POLLERR)))
			output_capture_read(r->capture, 2);
		if (n > 0 && r->fs && (pfd[P_FS].revents & POLLIN))
			monitor_fs_read(r->fs);
		if (n > 0 && (pfd[P_SNAP].revents & POLLIN) && r->phase == PHASE_LAST_SNAP)
			enter_phase(r, PHASE_TERMINATING);
		if (n > 0 && (pfd[P_WINDOW].revents & POLLIN) && r->phase == PHASE_RUNNING) {
			drain_fd(r->window_timer);
			/* The state at the end of the window, before anything is
			 * killed: asked for now, waited for LAST_SNAP_S at most. */
			bool last_snap = r->snap && monitor_snapshot_request(r->snap) == 0;
			int code;
			bool core;
			char sig[32];
			r->window_closed = true;
			/* what is still waiting for a timer, before SIGTERM wakes it */
			tracer_report_pending_waits(r->tracer);
			/* With a setup still running, the target never started. */
			r->running_at_window = !target_exit_info(r, &code, sig, sizeof(sig), &core) &&
					       (!r->src_bus || r->target_root != 0);
			if (last_snap) {
				r->phase = PHASE_LAST_SNAP;
				r->phase_deadline = mono_now() + LAST_SNAP_S;
			} else {
				enter_phase(r, PHASE_TERMINATING);
			}
		}

		if (tree_gone(r)) {
			/* An exec failure also ends the tree: make sure its reason
			 * is read before the run counts as a normal one. */
			if (r->status_fd >= 0)
				on_status(r);
			if (r->last_exit_s == 0)
				r->last_exit_s = clock_since_start(&r->clock);
			r->phase = PHASE_DONE;
		} else if (r->phase == PHASE_LAST_SNAP && mono_now() >= r->phase_deadline) {
			enter_phase(r, PHASE_TERMINATING);
		} else if (r->phase == PHASE_TERMINATING && mono_now() >= r->phase_deadline) {
			enter_phase(r, PHASE_KILLING);
		} else if (r->phase == PHASE_KILLING && mono_now() >= r->phase_deadline) {
			r->phase = PHASE_DONE;
		}
		if (r->phase == PHASE_RUNNING)
			driver_tick(r->driver, r->sb.init_pid,
				    r->cfg->network == NETWORK_NONE ? r->sb.netns_fd : -1,
				    r->sb.workdir_host, clock_since_start(&r->clock));
		const struct bus_stats *bs = bus_get_stats(r->bus);
		progress_update(&r->progress, clock_since_start(&r->clock), tracer_alive(r->tracer),
				bs->events);
	}
}

/* ---- teardown ----------------------------------------------------------- */

/* Nothing of the target may outlive the audit: kill the namespace, wait
 * (bounded) until it is empty, still dispatching so the exits are seen. */
static void kill_everything(struct run *r)
{
	if (!r->sb_spawned)
		return;
	sandbox_kill_all(&r->sb);
	double start = mono_now(), deadline = start + KILL_WAIT_S;
	while (mono_now() < deadline) {
		tracer_dispatch(r->tracer);
		/* The init gone means the namespace is empty: no /proc scan (a
		 * readlink per host process, three times an audit, was a
		 * millisecond and more on a busy host).  With a pidfd the first
		 * KILL_SCAN_AFTER_S only wait: the init's SIGKILL kills the
		 * rest, and the scan is the fallback. */
		bool wait_only = r->sb.init_pidfd >= 0 && mono_now() - start < KILL_SCAN_AFTER_S;
		ssize_t left = sandbox_init_gone(&r->sb) || !r->pidns[0] ? 0
			       : wait_only ? 1
			       : count_sandbox(r, true);
		if (left <= 0 && tracer_alive(r->tracer) == 0)
			break;
		if (left > 0 && !wait_only)
			signal_sandbox(r, SIGKILL);
		/* Until the next SIGCHLD (an exit to reap) or the init's end, at
		 * most 20 ms: a fixed sleep here was most of a short audit's
		 * run time. */
		struct pollfd p[2] = { { .fd = r->sig_fd, .events = POLLIN },
				       { .fd = left > 0 ? r->sb.init_pidfd : -1, .events = POLLIN } };
		if (r->sig_fd >= 0 && poll(p, 2, 20) > 0 && (p[0].revents & POLLIN))
			on_signal(r);
		else if (r->sig_fd < 0)
			nanosleep(&(struct timespec){ 0, 20 * 1000 * 1000 }, NULL);
	}
	tracer_dispatch(r->tracer);
	ssize_t left = r->pidns[0] && !sandbox_init_gone(&r->sb) ? count_sandbox(r, true) : 0;
	if (left > 0)
		audit_add_note(r->audit, "%zd sandbox processes were still present after SIGKILL", left);
	long oom = sandbox_oom_kills(&r->sb);
	if (oom > 0)
		audit_add_note(r->audit,
			       "the memory limit (sandbox.limits.memory) was reached: the kernel killed %ld "
			       "process(es) of the target (a SIGKILL below is that, not the program)", oom);
	if (tracer_alive(r->tracer) > 0)
		audit_add_note(r->audit, "%d traced processes were never seen exiting",
			       tracer_alive(r->tracer));
}

static void publish_target_exit(struct run *r)
{
	int code = -1;
	bool core = false;
	char signame[32] = "";
	bool exited = target_exit_info(r, &code, signame, sizeof(signame), &core);
	struct da_event ev;

	/* A target that was never started (its setup failed) has no end. */
	if (r->src_bus && r->target_root == 0 && !r->running_at_window)
		return;

	da_event_init(&ev, DA_EV_TARGET_EXIT);
	ev.time_s = clock_since_start(&r->clock);
	if (r->running_at_window) {
		/* The window closed first (a server, a daemon): a normal end. */
		ev.arg[0] = -1;
		ev.arg[2] = 1;
	} else if (exited) {
		ev.arg[0] = signame[0] ? -1 : code;
		ev.arg[1] = core ? 1 : 0;
		if (signame[0])
			ev.detail = signame;
	} else {
		ev.arg[0] = -1; /* never seen exiting (interrupted, tracer failure) */
	}
	bus_publish(r->bus, &ev);
}

static void record_stats(struct run *r)
{
	const struct tracer_stats *ts = tracer_get_stats(r->tracer);
	if (ts) {
		audit_set_stat(r->audit, "tracer_stops", (double)ts->stops);
		audit_set_stat(r->audit, "syscalls_traced", (double)ts->syscalls);
		audit_set_stat(r->audit, "syscalls_notified", (double)ts->notified);
		audit_set_stat(r->audit, "syscalls_denied", (double)ts->denied);
		audit_set_stat(r->audit, "tracee_read_errors", (double)ts->read_errors);
		audit_set_sandbox_fact(r->audit, "tracer", tracer_notes(r->tracer));
		audit_set_stat(r->audit, "sleeps_cut", (double)ts->cuts);
		audit_set_stat(r->audit, "sleep_seconds_skipped", ts->skipped_s);
		char fact[160];
		if (r->cfg->skip_sleeps_s > 0)
			snprintf(fact, sizeof(fact), "waits over %g s cut short (sandbox.time.skip_sleeps)",
				 r->cfg->skip_sleeps_s);
		else
			snprintf(fact, sizeof(fact), "off: sleeps and timers run as asked");
		audit_set_sandbox_fact(r->audit, "skip_sleeps", fact);
		if (ts->cuts)
			audit_add_note(r->audit,
				       "time: %llu sleeps and timers longer than %g s were cut short, %.0f s of waiting skipped, so what followed them ran in the window; clock readings were not moved (a program comparing them can notice)",
				       (unsigned long long)ts->cuts, r->cfg->skip_sleeps_s, ts->skipped_s);
		if (ts->cuts_refused)
			audit_add_note(r->audit,
				       "time: %llu more long sleeps were left to run as asked (a process gets at most 64 cuts)",
				       (unsigned long long)ts->cuts_refused);
	}
	if (r->capture) {
		audit_set_stat(r->audit, "output_bytes", (double)output_capture_bytes_read(r->capture));
		audit_set_stat(r->audit, "output_bytes_cut", (double)output_capture_bytes_cut(r->capture));
	}
	if (r->fs) {
		const struct monitor_fs_stats *fs = monitor_fs_get_stats(r->fs);
		audit_set_stat(r->audit, "fs_events", (double)fs->events);
		if (fs->overflows)
			audit_add_note(r->audit,
				       "filesystem monitor: the inotify queue overflowed %llu times; some file events were lost",
				       (unsigned long long)fs->overflows);
		if (fs->watches_refused)
			audit_add_note(r->audit,
				       "filesystem monitor: %llu directories were not watched (limit of %d watches or depth %d)",
				       (unsigned long long)fs->watches_refused, MONITOR_FS_MAX_WATCHES,
				       MONITOR_FS_MAX_DEPTH);
	}
	if (r->snap) {
		const struct monitor_snapshot_stats *ss = monitor_snapshot_get_stats(r->snap);
		audit_set_stat(r->audit, "snapshots", (double)ss->snapshots);
		if (ss->rows_dropped)
			audit_add_note(r->audit, "snapshots: %llu process/socket rows beyond the per-snapshot caps were not listed",
				       (unsigned long long)ss->rows_dropped);
		if (ss->diag_errors)
			audit_add_note(r->audit, "snapshots: %llu socket dumps failed", (unsigned long long)ss->diag_errors);
	}
}

static void record_steps(struct run *r);

static void teardown(struct run *r)
{
	record_steps(r);
	progress_clear(&r->progress);
	monitor_fs_stop(r->fs);
	monitor_snapshot_free(r->snap);
	dns_sink_stop(r->dns);
	connect_sink_stop(r->csink);
	netns_sockets_stop(r->nss);
	output_capture_free(r->capture);
	if (r->tracer)
		tracer_free(r->tracer);
	bus_free(r->src_bus); /* after its sources */
	free(r->setup_pids);
	if (r->sig_fd >= 0) {
		on_signal(r); /* a late SIGINT still marks the audit incomplete */
		close(r->sig_fd);
	}
	if (r->window_timer >= 0)
		close(r->window_timer);
	if (r->sb_prepared)
		sandbox_cleanup(&r->sb);
	honeytokens_free(&r->ht);
	/* Its close waits for the kernel (see monitor_fs_stop): after the reports. */
	audit_close_late(r->audit, monitor_fs_release_fd(r->fs));
	monitor_fs_free(r->fs);
	if (r->mask_set) {
		/* Leave no SIGINT pending for the CLI's default handler. */
		sigset_t pending;
		struct timespec zero = { 0, 0 };
		sigemptyset(&pending);
		sigaddset(&pending, SIGCHLD);
		sigaddset(&pending, SIGINT);
		sigaddset(&pending, SIGTERM);
		while (sigtimedwait(&pending, NULL, &zero) > 0)
			;
		sigprocmask(SIG_SETMASK, &r->old_mask, NULL);
	}
}

int live_run(const struct audit_config *cfg, struct audit *audit, const char *outdir,
	     char *err, size_t errlen)
{
	struct run *r = calloc(1, sizeof(*r));
	if (!r) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	(void)outdir; /* the engine writes every output file from the events */
	r->cfg = cfg;
	r->audit = audit;
	r->bus = audit_bus(audit);
	r->sig_fd = r->window_timer = r->status_fd = -1;
	r->sb.netns_fd = r->sb.init_pidfd = -1;
	progress_init(&r->progress, stderr, cfg->duration_s, false);

	int rc = driver_new(&r->driver, cfg, audit_outdir_fd(audit), err, errlen);
	if (rc == 0)
		rc = setup(r, err, errlen);
	if (rc == 0) {
		/* Detectors and writers on the bus's own thread: the tracer
		 * answers the target without waiting for them.  Stopped (every
		 * event delivered) before anything reads what they hold. */
		start_snapshots(r, bus_start_async(r->bus));
		phase_mark("threads");
		loop(r);
		phase_mark("loop");
		/* The driver first: it must not see the target die and log that. */
		driver_finish(r->driver, audit);
		kill_everything(r);
		phase_mark("kill");
		/* Before the last events: nothing of the target is left to read. */
		monitor_snapshot_stop(r->snap);
		stop_sinks(r);
		phase_mark("snap_stop");
		if (r->exec_error) {
			bus_stop_async(r->bus);
			rc = r->exec_error;
			snprintf(err, errlen, "%s", r->exec_msg);
		} else {
			/* Read what the pipes and inotify still hold, then the end. */
			if (r->fs)
				monitor_fs_read(r->fs);
			monitor_fs_stop(r->fs);
			output_capture_finish(r->capture);
			forward_lost(r);
			if (r->src_bus)
				record_setup(r);
			publish_target_exit(r);
			bus_stop_async(r->bus);
			phase_mark("bus_stop");
			double observed = r->window_closed ? cfg->duration_s : r->last_exit_s;
			audit_set_observed(audit, observed > 0 ? observed : clock_since_start(&r->clock));
			record_stats(r);
			/* the target is dead, its scratch not yet removed (teardown) */
			left_behind_record(&r->sb, audit, r->ht.n_files ? r->ht.files : NULL);
			phase_mark("left_behind");
		}
	} else {
		kill_everything(r);
	}
	teardown(r);
	phase_mark("teardown");
	driver_free(r->driver);
	free(r);
	return rc;
}

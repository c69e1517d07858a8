/*
 * test_monitors.c — the live monitors against real kernels objects:
 * inotify on a real directory tree, sock_diag in a network namespace made
 * here, /proc of a pid namespace made here, a real 50 MB pipe flood.
 */
#include <criterion/criterion.h>

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <stddef.h>
#include <sys/wait.h>
#include <arpa/inet.h>
#include <unistd.h>

#include "engine/bus.h"
#include "live/monitor_fs.h"
#include "live/monitor_snapshot.h"
#include "live/output_capture.h"
#include "live/progress.h"

/* ---- a subscriber that keeps copies of what it receives ----------------- */

struct seen_event {
	uint32_t kind;
	int pid, ppid, fd, port;
	char *path, *path2, *addr, *detail, *text;
};

struct recorder {
	struct seen_event *ev;
	size_t n, cap;
};

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static int record(void *ctx, const struct da_event *ev)
{
	struct recorder *r = ctx;
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 256;
		r->ev = realloc(r->ev, r->cap * sizeof(*r->ev));
		cr_assert_not_null(r->ev);
	}
	r->ev[r->n++] = (struct seen_event){
		.kind = ev->kind, .pid = ev->pid, .ppid = ev->ppid, .fd = ev->fd, .port = ev->port,
		.path = dup_or_null(ev->path), .path2 = dup_or_null(ev->path2),
		.addr = dup_or_null(ev->addr), .detail = dup_or_null(ev->detail),
		.text = dup_or_null(ev->text),
	};
	return 0;
}

static void recorder_reset(struct recorder *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->ev[i].path);
		free(r->ev[i].path2);
		free(r->ev[i].addr);
		free(r->ev[i].detail);
		free(r->ev[i].text);
	}
	free(r->ev);
	memset(r, 0, sizeof(*r));
}

static const struct seen_event *find(const struct recorder *r, uint32_t kind, const char *path,
				     const char *detail)
{
	for (size_t i = 0; i < r->n; i++) {
		const struct seen_event *e = &r->ev[i];
		if (e->kind == kind && (!path || (e->path && !strcmp(e->path, path))) &&
		    (!detail || (e->detail && !strcmp(e->detail, detail))))
			return e;
	}
	return NULL;
}

static struct bus *new_recording_bus(struct recorder *rec)
{
	struct bus *bus = bus_new();
	cr_assert_not_null(bus);
	cr_assert_eq(bus_subscribe(bus, NULL, record, rec), 0);
	return bus;
}

/* ---- inotify ------------------------------------------------------------ */

Test(monitor_fs, event_names_follow_inotifywait)
{
	char buf[128];
	cr_assert_str_eq(monitor_fs_event_names(IN_CLOSE_WRITE, buf, sizeof(buf)), "CLOSE_WRITE,CLOSE");
	cr_assert_str_eq(monitor_fs_event_names(IN_CREATE | IN_ISDIR, buf, sizeof(buf)), "CREATE,ISDIR");
	cr_assert_str_eq(monitor_fs_event_names(IN_MOVED_TO, buf, sizeof(buf)), "MOVED_TO");
}

static void write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	cr_assert_geq(fd, 0, "open %s: %s", path, strerror(errno));
	cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

Test(monitor_fs, new_directory_is_watched_and_scanned)
{
	struct recorder rec = { 0 };
	struct bus *bus = new_recording_bus(&rec);
	char root[] = "/tmp/dynaudit-test-fs-XXXXXX", err[256], path[512];
	cr_assert_not_null(mkdtemp(root));

	struct monitor_fs *m;
	cr_assert_eq(monitor_fs_new(&m, bus, NULL, NULL, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(monitor_fs_add_root(m, root, "/tmp", err, sizeof(err)), 0, "%s", err);

	/* sub/early is created before the monitor reads the CREATE of sub:
	 * only the scan of the new directory can report it. */
	snprintf(path, sizeof(path), "%s/sub", root);
	cr_assert_eq(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/sub/early", root);
	write_file(path, "x");
	cr_assert_geq(monitor_fs_read(m), 1);
	cr_assert_not_null(find(&rec, DA_EV_FS_MONITOR, "/tmp/sub", "CREATE,ISDIR"));
	cr_assert_not_null(find(&rec, DA_EV_FS_MONITOR, "/tmp/sub/early", "CREATE"),
			   "a file created before the watch was missed");

	/* After the watch exists: the full event sequence, inotifywait text. */
	snprintf(path, sizeof(path), "%s/sub/late", root);
	write_file(path, "hello");
	cr_assert_geq(monitor_fs_read(m), 1);
	const struct seen_event *created = find(&rec, DA_EV_FS_MONITOR, "/tmp/sub/late", "CREATE");
	cr_assert_not_null(created);
	cr_assert_str_eq(created->text, "/tmp/sub/ CREATE late");
	cr_assert_not_null(find(&rec, DA_EV_FS_MONITOR, "/tmp/sub/late", "CLOSE_WRITE,CLOSE"));
	cr_assert_eq(unlink(path), 0);
	monitor_fs_read(m);
	cr_assert_not_null(find(&rec, DA_EV_FS_MONITOR, "/tmp/sub/late", "DELETE"));
	cr_assert_eq(monitor_fs_get_stats(m)->overflows, 0);

	monitor_fs_free(m);
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	cr_assert_eq(system(cmd), 0);
	bus_free(bus);
	recorder_reset(&rec);
}

Test(monitor_fs, queue_overflow_is_counted_as_lost)
{
	struct recorder rec = { 0 };
	struct bus *bus = new_recording_bus(&rec);
	char root[] = "/tmp/dynaudit-test-fs-XXXXXX", err[256], path[512];
	cr_assert_not_null(mkdtemp(root));
	struct monitor_fs *m;
	cr_assert_eq(monitor_fs_new(&m, bus, NULL, NULL, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(monitor_fs_add_root(m, root, "/tmp", err, sizeof(err)), 0, "%s", err);

	/* More events than the kernel queues (max_queued_events, 16384 by
	 * default), none read meanwhile. */
	long max_queued = 16384;
	FILE *f = fopen("/proc/sys/fs/inotify/max_queued_events", "r");
	if (f) {
		cr_assert_eq(fscanf(f, "%ld", &max_queued), 1);
		fclose(f);
	}
	cr_assert_lt(max_queued, 200000, "max_queued_events too large for this test");
	for (long i = 0; i < max_queued / 2 + 100; i++) {
		snprintf(path, sizeof(path), "%s/f%ld", root, i);
		int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
		cr_assert_geq(fd, 0);
		close(fd);
	}
	monitor_fs_read(m);
	cr_assert_geq(monitor_fs_get_stats(m)->overflows, 1);
	cr_assert_geq(bus_get_stats(bus)->events_lost, 1, "the overflow was not counted as loss");

	monitor_fs_free(m);
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	cr_assert_eq(system(cmd), 0);
	bus_free(bus);
	recorder_reset(&rec);
}

/* ---- a pid + network namespace with a listener in it ------------------- */

struct sandboxlet {
	pid_t outer;    /* our child, outside the namespaces */
	pid_t init;     /* host pid of the namespace init */
	int netns_fd;
};

static void bring_up_loopback(void)
{
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct ifreq ifr = { 0 };
	strcpy(ifr.ifr_name, "lo");
	if (s < 0 || ioctl(s, SIOCGIFFLAGS, &ifr) < 0)
		_exit(10);
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0)
		_exit(11);
	close(s);
}

/* outer: unshare pid+net, fork the init; init: fork pid 2, which listens on
 * 127.0.0.1:5555 and execs sleep with the socket as fd 3. */
static struct sandboxlet sandboxlet_start(void)
{
	/* Two pipes: the init's pid and the listener's readiness come from
	 * different processes, in no fixed order. */
	int ready[2], pidpipe[2];
	cr_assert_eq(pipe(ready), 0);
	cr_assert_eq(pipe(pidpipe), 0);
	pid_t outer = fork();
	cr_assert_geq(outer, 0);
	if (outer == 0) {
		close(ready[0]);
		close(pidpipe[0]);
		if (unshare(CLONE_NEWPID | CLONE_NEWNET) < 0)
			_exit(2);
		pid_t init = fork();
		if (init < 0)
			_exit(3);
		if (init == 0) {
			bring_up_loopback();
			pid_t worker = fork();
			if (worker == 0) {
				int s = socket(AF_INET, SOCK_STREAM, 0);
				struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(5555) };
				sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
				if (s < 0 || bind(s, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(s, 5) < 0)
					_exit(12);
				if (s != 3 && (dup2(s, 3) < 0 || close(s) < 0))
					_exit(13);
				/* And an abstract unix listener as fd 4. */
				int u = socket(AF_UNIX, SOCK_STREAM, 0);
				struct sockaddr_un su = { .sun_family = AF_UNIX };
				memcpy(su.sun_path, "\0dynaudit-test", 14);
				if (u < 0 || bind(u, (struct sockaddr *)&su, offsetof(struct sockaddr_un, sun_path) + 14) < 0 ||
				    listen(u, 2) < 0)
					_exit(16);
				if (u != 4 && (dup2(u, 4) < 0 || close(u) < 0))
					_exit(17);
				char ok = 'k';
				if (write(ready[1], &ok, 1) != 1)
					_exit(14);
				close(ready[1]);
				execl("/bin/sleep", "sleep", "37", (char *)NULL);
				_exit(15);
			}
			close(ready[1]);
			close(pidpipe[1]);
			while (wait(NULL) > 0 || errno == EINTR)
				;
			_exit(0);
		}
		/* Tell the test the init's host pid, then wait for it. */
		close(ready[1]);
		if (write(pidpipe[1], &init, sizeof(init)) != (ssize_t)sizeof(init))
			_exit(4);
		close(pidpipe[1]);
		waitpid(init, NULL, 0);
		_exit(0);
	}
	close(ready[1]);
	close(pidpipe[1]);
	struct sandboxlet sl = { .outer = outer };
	cr_assert_eq(read(pidpipe[0], &sl.init, sizeof(sl.init)), (ssize_t)sizeof(sl.init));
	close(pidpipe[0]);
	char ok;
	cr_assert_eq(read(ready[0], &ok, 1), 1, "the listener did not start");
	close(ready[0]);
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)sl.init);
	sl.netns_fd = open(path, O_RDONLY | O_CLOEXEC);
	cr_assert_geq(sl.netns_fd, 0);
	/* Let sleep finish its exec and fall asleep, so /proc shows its command
	 * and the state stays put between two snapshots. */
	bool settled = false;
	for (int i = 0; i < 300 && !settled; i++) {
		pid_t *pids = NULL;
		char ns[64], buf[256] = "";
		cr_assert_eq(snapshot_pidns_link(sl.init, ns, sizeof(ns)), 0);
		if (snapshot_list_pids(ns, sl.init, &pids) == 1) {
			snprintf(path, sizeof(path), "/proc/%d/stat", (int)pids[0]);
			FILE *f = fopen(path, "r");
			char state = 0;
			if (f && fgets(buf, sizeof(buf), f) && strstr(buf, "(sleep) "))
				state = strstr(buf, "(sleep) ")[8];
			if (f)
				fclose(f);
			snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pids[0]);
			f = fopen(path, "r");
			size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;
			if (f)
				fclose(f);
			settled = state == 'S' && n > 5 && !strncmp(buf, "sleep", 5);
		}
		free(pids);
		if (!settled)
			usleep(10000);
	}
	cr_assert(settled, "the child never settled into sleep");
	return sl;
}

static void sandboxlet_stop(struct sandboxlet *sl)
{
	kill(sl->init, SIGKILL); /* the pid namespace dies with its init */
	waitpid(sl->outer, NULL, 0);
	close(sl->netns_fd);
}

Test(monitor_snapshot, sees_listener_and_process_in_their_namespaces)
{
	if (geteuid() != 0)
		cr_skip_test("needs root: the test makes pid and net namespaces without a user namespace");
	struct recorder rec = { 0 };
	struct bus *bus = new_recording_bus(&rec);
	struct sandboxlet sl = sandboxlet_start();
	char err[256] = "";

	struct monitor_snapshot_options opt = { .bus = bus, .init_host_pid = sl.init,
						.netns_fd = sl.netns_fd };
	struct monitor_snapshot *m;
	cr_assert_eq(monitor_snapshot_new(&m, &opt, err, sizeof(err)), 0, "%s", err);
	cr_assert(monitor_snapshot_sockets_enabled(m), "%s", err);
	cr_assert_gt(monitor_snapshot_take(m), 0);

	/* The process: namespace pids, ps-style line, header first. */
	cr_assert_eq(rec.ev[0].kind, DA_EV_PROC_SNAPSHOT);
	cr_assert_not_null(strstr(rec.ev[0].detail, "USER"));
	const struct seen_event *proc = NULL;
	for (size_t i = 1; i < rec.n; i++)
		if (rec.ev[i].kind == DA_EV_PROC_SNAPSHOT)
			proc = proc ? proc : &rec.ev[i];
	cr_assert_not_null(proc);
	cr_assert_eq(proc->pid, 2);
	cr_assert_eq(proc->ppid, 1);
	cr_assert_not_null(strstr(proc->detail, "sleep 37"), "row: %s", proc->detail);
	const pid_t *hp;
	cr_assert_eq(monitor_snapshot_host_pids(m, &hp), 1, "only the child, not the init");

	/* The socket: seen inside the namespace, mapped to pid 2, fd 3. */
	const struct seen_event *sock = find(&rec, DA_EV_SOCK_SNAPSHOT, NULL, "LISTEN");
	cr_assert_not_null(sock, "no LISTEN row");
	cr_assert_str_eq(sock->addr, "127.0.0.1:5555");
	cr_assert_eq(sock->port, 5555);
	cr_assert_eq(sock->pid, 2);
	cr_assert_eq(sock->fd, 3);
	cr_assert_not_null(strstr(sock->text, "users:((\"sleep\",pid=2,fd=3))"), "line: %s", sock->text);
	cr_assert_not_null(strstr(sock->text, "tcp"));
	const struct seen_event *unix_sock = NULL;
	for (size_t i = 0; i < rec.n; i++)
		if (rec.ev[i].kind == DA_EV_SOCK_SNAPSHOT && rec.ev[i].addr &&
		    !strncmp(rec.ev[i].addr, "@dynaudit-test", 14))
			unix_sock = &rec.ev[i];
	cr_assert_not_null(unix_sock, "no abstract unix socket row");
	cr_assert_str_eq(unix_sock->detail, "LISTEN");
	cr_assert_eq(unix_sock->pid, 2);
	cr_assert_eq(unix_sock->fd, 4);

	/* Nothing changed: the next snapshot publishes nothing. */
	size_t before = rec.n;
	cr_assert_eq(monitor_snapshot_take(m), 0);
	cr_assert_eq(rec.n, before);

	monitor_snapshot_free(m);
	sandboxlet_stop(&sl);
	bus_free(bus);
	recorder_reset(&rec);
}

Test(monitor_snapshot, host_socket_of_another_namespace_is_not_seen)
{
	if (geteuid() != 0)
		cr_skip_test("needs root: the test makes pid and net namespaces without a user namespace");
	/* Our own namespace's diag socket must not see the sandbox listener
	 * (and with the host network, only sandbox-owned sockets are shown). */
	struct recorder rec = { 0 };
	struct bus *bus = new_recording_bus(&rec);
	struct sandboxlet sl = sandboxlet_start();
	char err[256] = "";
	struct monitor_snapshot_options opt = { .bus = bus, .init_host_pid = sl.init,
						.netns_fd = -1 };
	struct monitor_snapshot *m;
	cr_assert_eq(monitor_snapshot_new(&m, &opt, err, sizeof(err)), 0, "%s", err);
	monitor_snapshot_take(m);
	cr_assert_null(find(&rec, DA_EV_SOCK_SNAPSHOT, NULL, "LISTEN"));
	monitor_snapshot_free(m);
	sandboxlet_stop(&sl);
	bus_free(bus);
	recorder_reset(&rec);
}

/* ---- output capture ----------------------------------------------------- */

#define LINE_LEN 100                        /* bytes per line, newline included */
#define FLOOD_LINES (50u * 1024 * 1024 / LINE_LEN)

struct output_count {
	size_t lines;         /* data lines published */
	size_t markers;
	uint64_t kept_bytes;  /* their bytes, newline included */
	long *numbers;        /* line numbers in publication order */
};

static int count_output(void *ctx, const struct da_event *ev)
{
	struct output_count *c = ctx;
	if (ev->kind != DA_EV_OUTPUT || ev->fd != 1)
		return 0;
	if (!strncmp(ev->detail, "[dynaudit:", 10)) {
		c->markers++;
		return 0;
	}
	cr_assert_eq(strlen(ev->detail), LINE_LEN - 1);
	c->numbers[c->lines++] = strtol(ev->detail, NULL, 10);
	c->kept_bytes += LINE_LEN;
	return 0;
}

Test(output_capture, flood_keeps_head_and_tail_and_counts_the_cut_exactly, .timeout = 60)
{
	int p[2];
	cr_assert_eq(pipe(p), 0);
	pid_t writer = fork();
	cr_assert_geq(writer, 0);
	if (writer == 0) {
		close(p[0]);
		static char chunk[LINE_LEN * 1024];
		for (unsigned base = 0; base < FLOOD_LINES; base += 1024) {
			for (unsigned i = 0; i < 1024; i++) {
				char *l = chunk + (size_t)i * LINE_LEN;
				memset(l, 'x', LINE_LEN - 1);
				char num[16];
				int k = snprintf(num, sizeof(num), "%09u", base + i);
				memcpy(l, num, (size_t)k);
				l[LINE_LEN - 1] = '\n';
			}
			for (size_t off = 0; off < sizeof(chunk);) {
				ssize_t n = write(p[1], chunk + off, sizeof(chunk) - off);
				if (n <= 0)
					_exit(1);
				off += (size_t)n;
			}
		}
		_exit(0);
	}
	close(p[1]);

	struct output_count cnt = { .numbers = calloc(FLOOD_LINES, sizeof(long)) };
	struct bus *bus = bus_new();
	bus_subscribe(bus, NULL, count_output, &cnt);
	struct output_capture *oc;
	cr_assert_eq(output_capture_new(&oc, bus, p[0], -1, NULL, NULL, NULL), 0);
	while (output_capture_fd(oc, 1) >= 0) {
		struct pollfd pfd = { .fd = output_capture_fd(oc, 1), .events = POLLIN };
		cr_assert_geq(poll(&pfd, 1, 5000), 1, "the capture stalled");
		output_capture_read(oc, 1);
	}
	output_capture_finish(oc);
	int status;
	cr_assert_eq(waitpid(writer, &status, 0), writer);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);

	uint64_t total = (uint64_t)FLOOD_LINES * LINE_LEN;
	cr_assert_eq(output_capture_bytes_read(oc), total);
	cr_assert_eq(output_capture_bytes_cut(oc), total - cnt.kept_bytes, "cut %llu, expected %llu",
		     (unsigned long long)output_capture_bytes_cut(oc),
		     (unsigned long long)(total - cnt.kept_bytes));
	cr_assert_eq(cnt.markers, 1);
	/* Head: 0, 1, 2 ... contiguous; tail: contiguous up to the last line. */
	cr_assert_gt(cnt.lines, 1000);
	cr_assert_lt(cnt.kept_bytes, 2u * 1024 * 1024, "memory bound not applied");
	size_t head = 0;
	while (head < cnt.lines && cnt.numbers[head] == (long)head)
		head++;
	cr_assert_geq(head, 1000);
	for (size_t i = head; i < cnt.lines; i++)
		cr_assert_eq(cnt.numbers[i], (long)(FLOOD_LINES - (cnt.lines - i)),
			     "tail line %zu is %ld", i, cnt.numbers[i]);
	cr_assert_lt(head, cnt.lines, "no tail kept");

	output_capture_free(oc);
	bus_free(bus);
	free(cnt.numbers);
}

struct last_line {
	size_t lines;
	size_t len;
};

static int keep_len(void *ctx, const struct da_event *ev)
{
	struct last_line *l = ctx;
	if (ev->kind == DA_EV_OUTPUT && strncmp(ev->detail, "[dynaudit:", 10) != 0) {
		l->lines++;
		l->len = strlen(ev->detail);
	}
	return 0;
}

Test(output_capture, huge_line_is_cut_to_line_max)
{
	int p[2];
	cr_assert_eq(pipe(p), 0);
	struct bus *bus = bus_new();
	struct last_line l = { 0 };
	bus_subscribe(bus, NULL, keep_len, &l);
	struct output_capture *oc;
	cr_assert_eq(output_capture_new(&oc, bus, -1, p[0], NULL, NULL, NULL), 0);
	static char big[20000];
	memset(big, 'A', sizeof(big));
	big[sizeof(big) - 1] = '\n';
	cr_assert_eq(write(p[1], big, sizeof(big)), (ssize_t)sizeof(big));
	cr_assert_eq(write(p[1], "tail", 4), 4); /* unterminated last line */
	close(p[1]);
	while (output_capture_fd(oc, 2) >= 0)
		output_capture_read(oc, 2);
	output_capture_finish(oc);
	cr_assert_eq(l.lines, 2);
	cr_assert_eq(l.len, 4);
	cr_assert_eq(output_capture_bytes_cut(oc), sizeof(big) - 4096);
	output_capture_free(oc);
	bus_free(bus);
}

/* ---- progress line ------------------------------------------------------ */

Test(progress, draws_in_place_and_erases_itself)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	struct progress p;
	progress_init(&p, f, 10, true);
	progress_update(&p, 1.0, 3, 120);
	progress_update(&p, 1.1, 3, 130); /* too soon: not drawn */
	progress_update(&p, 2.0, 1, 1500);
	progress_clear(&p);
	fclose(f);
	cr_assert_not_null(strstr(text, "\rdynaudit: 1.0s / 10s  processes 3  events 120"));
	cr_assert_null(strstr(text, "events 130"));
	cr_assert_not_null(strstr(text, "\rdynaudit: 2.0s / 10s  processes 1  events 1500"));
	cr_assert_eq(text[len - 1], '\r', "the line is not erased at the end");
	free(text);

	/* Not a terminal and not forced: silent. */
	f = open_memstream(&text, &len);
	progress_init(&p, f, 10, false);
	progress_update(&p, 1.0, 1, 1);
	progress_clear(&p);
	fclose(f);
	cr_assert_eq(len, 0);
	free(text);
}

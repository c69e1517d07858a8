/*
 * test_event_json.c — events.jsonl: every member of struct da_event
 * survives write + replay (through the real bus), and hostile files give
 * counted warnings or a clear error, never a crash.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/bus.h"
#include "engine/event_json.h"

/* ---- helpers ----------------------------------------------------------- */

static char *tmp_path(void)
{
	char *p = strdup("/tmp/test_event_json.XXXXXX");
	int fd = mkstemp(p);
	cr_assert_geq(fd, 0);
	close(fd);
	return p;
}

static void write_text(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f);
	cr_assert_eq(fwrite(text, 1, len, f), len);
	fclose(f);
}

static bool same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Every member but struct_size and seq (seq is re-assigned by the bus). */
static void assert_same_event(const struct da_event *a, const struct da_event *b)
{
	cr_assert_eq(a->kind, b->kind);
	cr_assert_eq(a->time_s, b->time_s, "%.17g vs %.17g", a->time_s, b->time_s);
	cr_assert_eq(a->pid, b->pid);
	cr_assert_eq(a->tid, b->tid);
	cr_assert_eq(a->ppid, b->ppid);
	cr_assert_eq(a->target_pid, b->target_pid);
	cr_assert(same_str(a->syscall, b->syscall));
	cr_assert_eq(a->result, b->result);
	cr_assert_eq(a->err, b->err);
	cr_assert(same_str(a->errname, b->errname));
	cr_assert(same_str(a->path, b->path), "path %s vs %s", a->path, b->path);
	cr_assert(same_str(a->path2, b->path2));
	cr_assert(same_str(a->raw_path, b->raw_path));
	cr_assert_eq(a->fd, b->fd);
	cr_assert_eq(a->target_fd, b->target_fd);
	cr_assert(same_str(a->fd_desc, b->fd_desc));
	cr_assert_eq(a->flags, b->flags);
	cr_assert_eq(a->mode, b->mode);
	cr_assert_eq(a->access, b->access);
	cr_assert_eq(a->family, b->family);
	cr_assert_eq(a->sock_type, b->sock_type);
	cr_assert_eq(a->protocol, b->protocol);
	cr_assert(same_str(a->addr, b->addr));
	cr_assert_eq(a->port, b->port);
	cr_assert_eq(a->argc, b->argc);
	for (int i = 0; i < a->argc && a->argv; i++)
		cr_assert(same_str(a->argv[i], b->argv[i]), "argv[%d]", i);
	cr_assert_eq(!a->argv, !b->argv);
	for (int i = 0; i < 3; i++)
		cr_assert(same_str(a->stdio[i], b->stdio[i]), "stdio[%d]", i);
	for (int i = 0; i < 4; i++)
		cr_assert_eq(a->arg[i], b->arg[i], "arg[%d]", i);
	cr_assert(same_str(a->detail, b->detail));
	cr_assert(same_str(a->loader_env, b->loader_env));
	cr_assert(same_str(a->phase, b->phase));
	cr_assert(same_str(a->text, b->text));
}

struct expect {
	const struct da_event *events;
	size_t n;
	size_t seen;
};

static int check_handler(void *ctx, const struct da_event *ev)
{
	struct expect *x = ctx;
	cr_assert_lt(x->seen, x->n, "more events than written");
	assert_same_event(&x->events[x->seen], ev);
	cr_assert_eq(ev->seq, x->seen + 1);
	x->seen++;
	return 0;
}

static int count_handler(void *ctx, const struct da_event *ev)
{
	(void)ev;
	(*(size_t *)ctx)++;
	return 0;
}

static void round_trip(const struct da_event *events, size_t n)
{
	char *path = tmp_path();
	FILE *f = fopen(path, "w");
	cr_assert_eq(event_json_write_header(f, "0.1.0", 0), 0);
	for (size_t i = 0; i < n; i++)
		cr_assert_eq(event_json_write(f, &events[i]), 0);
	fclose(f);

	struct bus *bus = bus_new();
	struct expect x = {events, n, 0};
	cr_assert_eq(bus_subscribe(bus, NULL, check_handler, &x), 0);
	struct events_replay_result res;
	char err[256];
	int rc = source_events_replay(path, bus, &res, err, sizeof(err));
	cr_assert_eq(rc, 0, "%s", err);
	cr_assert_eq(res.warnings, 0, "%s", res.first_warning);
	cr_assert_eq(res.events, n);
	cr_assert_eq(x.seen, n);
	cr_assert_eq(res.lines, n + 1);
	bus_free(bus);
	unlink(path);
	free(path);
}

/* Replay text; return the number of published events. */
static size_t replay_text(const char *text, size_t len, struct events_replay_result *res, int *rc,
			  char *err, size_t errlen)
{
	char *path = tmp_path();
	write_text(path, text, len);
	struct bus *bus = bus_new();
	size_t seen = 0;
	bus_subscribe(bus, NULL, count_handler, &seen);
	*rc = source_events_replay(path, bus, res, err, errlen);
	bus_free(bus);
	unlink(path);
	free(path);
	return seen;
}

/* ---- round trips ------------------------------------------------------- */

Test(event_json, every_member_round_trips)
{
	static const char *const argv[] = {"python3", "-c", "print(\"hi\")\n\ttab", "\xff\xfe odd", "é€😀", ""};
	struct da_event ev;
	da_event_init(&ev, DA_EV_PROC_EXEC);
	ev.time_s = 0.004512;
	ev.pid = 2;
	ev.tid = 3;
	ev.ppid = 1;
	ev.target_pid = -1;
	ev.syscall = "execve";
	ev.result = -1;
	ev.err = 2;
	ev.errname = "ENOENT";
	ev.path = "/usr/bin/python3";
	ev.path2 = "/tmp/\x01\x7f\x80";
	ev.raw_path = "./p\"q\\r";
	ev.fd = 0;
	ev.target_fd = 7;
	ev.fd_desc = "socket:inet/stream->1.2.3.4:80";
	ev.flags = INT64_MIN;
	ev.mode = 0755;
	ev.access = DA_ACC_READ | DA_ACC_WRITE | DA_ACC_PATH;
	ev.family = 10;
	ev.sock_type = 2;
	ev.protocol = 17;
	ev.addr = "[::1]:80";
	ev.port = 65535;
	ev.argc = 6;
	ev.argv = argv;
	ev.stdio[0] = "/dev/null";
	ev.stdio[2] = "pipe";
	ev.arg[0] = INT64_MAX;
	ev.arg[1] = -1;
	ev.arg[3] = 42;
	ev.detail = "memfd";
	ev.loader_env = "LD_PRELOAD=/tmp/\"x\".so\nLD_AUDIT=a\n";
	ev.phase = "setup";
	ev.text = "execve(\"/usr/bin/python3\", [\"python3\"], 0x7ffd /* 3 vars */) = -1 ENOENT";

	struct da_event plain;
	da_event_init(&plain, DA_EV_SYSCALL_OTHER); /* everything at "nothing" */

	struct da_event times[3];
	double t[3] = {1.0 / 3.0, 1e-9, 12345.678901234};
	for (int i = 0; i < 3; i++) {
		da_event_init(&times[i], DA_EV_OUTPUT);
		times[i].time_s = t[i];
		times[i].fd = 2;
		times[i].detail = "IndentationError: expected an indented block";
	}
	struct da_event all[5] = {ev, plain, times[0], times[1], times[2]};
	round_trip(all, 5);
}

Test(event_json, every_kind_round_trips)
{
	struct da_event evs[DA_EV_KIND_MAX];
	size_t n = 0;
	for (uint32_t k = 1; k < DA_EV_KIND_MAX; k++) {
		if (!da_event_kind_name(k))
			continue;
		da_event_init(&evs[n], (enum da_event_kind)k);
		evs[n].pid = (int32_t)k;
		evs[n].time_s = k / 10.0;
		n++;
	}
	cr_assert_geq(n, 36);
	round_trip(evs, n);
}

Test(event_json, long_argv_round_trips)
{
	enum { N = 5000 };
	char **strs = calloc(N, sizeof(*strs));
	for (int i = 0; i < N; i++)
		cr_assert_geq(asprintf(&strs[i], "arg-%d-\xc3\xa9-\xff", i), 0);
	struct da_event ev;
	da_event_init(&ev, DA_EV_PROC_EXEC);
	ev.argc = N;
	ev.argv = (const char *const *)strs;
	round_trip(&ev, 1);
	for (int i = 0; i < N; i++)
		free(strs[i]);
	free(strs);
}

Test(event_json, line_shape)
{
	struct da_event ev;
	da_event_init(&ev, DA_EV_FILE_OPEN);
	ev.seq = 12;
	ev.time_s = 0.5;
	ev.pid = 4;
	ev.path = "/etc/passwd";
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	cr_assert_eq(event_json_write(f, &ev), 0);
	fclose(f);
	cr_assert_str_eq(buf, "{\"seq\":12,\"t\":0.5,\"kind\":\"open\",\"pid\":4,\"path\":\"/etc/passwd\"}\n");
	free(buf);
}

/* ---- hostile files ----------------------------------------------------- */

Test(event_json, malformed_lines_are_counted_warnings)
{
	const char text[] = "{\"dynaudit_events\":1,\"version\":\"0.1.0\"}\n"
			    "{\"kind\":\"exec\",\"pid\":1}\n"
			    "\n"
			    "{\"kind\":\"exec\",\"pid\":\n"            /* truncated JSON */
			    "{\"kind\":\"nosuchkind\"}\n"              /* unknown kind */
			    "{\"pid\":3}\n"                            /* no kind */
			    "{\"kind\":\"open\",\"pid\":\"x\"}\n"      /* wrong type */
			    "{\"kind\":\"open\",\"pid\":99999999999}\n" /* out of int32 range */
			    "{\"kind\":\"open\",\"path\":\"a\\u0000b\"}\n" /* NUL in a string */
			    "{\"kind\":\"open\",\"arg\":[1,2,3,4,5]}\n"
			    "{\"kind\":\"open\",\"stdio\":[\"a\"]}\n"
			    "[1,2]\n"
			    "garbage\n"
			    "{\"kind\":\"open\",\"future_member\":{\"x\":1},\"pid\":2}\n" /* unknown: ignored */
			    "{\"kind\":\"exit\",\"t\":2.5}"; /* no final newline */
	struct events_replay_result res;
	char err[256];
	int rc;
	size_t seen = replay_text(text, sizeof(text) - 1, &res, &rc, err, sizeof(err));
	cr_assert_eq(rc, 0, "%s", err);
	cr_assert_eq(seen, 3);
	cr_assert_eq(res.events, 3);
	cr_assert_eq(res.warnings, 10);
	cr_assert_eq(res.lines, 15);
	cr_assert_eq(res.last_time_s, 2.5);
	cr_assert(strstr(res.first_warning, ":4: offset"), "%s", res.first_warning);
}

Test(event_json, missing_header_is_an_error)
{
	struct events_replay_result res;
	char err[256];
	int rc;
	const char *text = "{\"kind\":\"exec\",\"pid\":1}\n";
	size_t seen = replay_text(text, strlen(text), &res, &rc, err, sizeof(err));
	cr_assert_eq(rc, -EINVAL);
	cr_assert_eq(seen, 0);
	cr_assert(strstr(err, "not an events.jsonl file"), "%s", err);

	seen = replay_text("", 0, &res, &rc, err, sizeof(err));
	cr_assert_eq(rc, -EINVAL);
	cr_assert(strstr(err, "empty"), "%s", err);

	text = "{\"dynaudit_events\":2}\n";
	replay_text(text, strlen(text), &res, &rc, err, sizeof(err));
	cr_assert_eq(rc, -EINVAL);
	cr_assert(strstr(err, "not supported"), "%s", err);
}

Test(event_json, unreadable_file_is_an_error)
{
	struct bus *bus = bus_new();
	struct events_replay_result res;
	char err[256];
	int rc = source_events_replay("/nonexistent/events.jsonl", bus, &res, err, sizeof(err));
	cr_assert_eq(rc, -ENOENT);
	cr_assert(strstr(err, "/nonexistent/events.jsonl"), "%s", err);
	bus_free(bus);
}

Test(event_json, huge_line_is_skipped_with_a_warning)
{
	size_t big = 3 * 1024 * 1024;
	const char *head = "{\"dynaudit_events\":1}\n{\"kind\":\"output\",\"detail\":\"";
	const char *tail = "\"}\n{\"kind\":\"exit\"}\n";
	size_t len = strlen(head) + big + strlen(tail);
	char *text = malloc(len);
	memcpy(text, head, strlen(head));
	memset(text + strlen(head), 'A', big);
	memcpy(text + strlen(head) + big, tail, strlen(tail));
	struct events_replay_result res;
	char err[256];
	int rc;
	size_t seen = replay_text(text, len, &res, &rc, err, sizeof(err));
	cr_assert_eq(rc, 0, "%s", err);
	cr_assert_eq(seen, 1);
	cr_assert_eq(res.warnings, 1);
	cr_assert(strstr(res.first_warning, ":2: line longer than 1 MiB"), "%s", res.first_warning);
	free(text);
}

Test(event_json, random_lines_never_crash)
{
	/* Mutations of a real line; every line is an event or a warning. */
	struct da_event ev;
	da_event_init(&ev, DA_EV_NET_CONNECT);
	ev.pid = 5;
	ev.addr = "127.0.0.1:5555";
	ev.text = "connect(3, {sa_family=AF_INET, sin_port=htons(5555)}, 16) = 0";
	ev.arg[2] = 9;
	char *line = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&line, &len);
	event_json_write(f, &ev);
	fclose(f);
	len--; /* newline */

	char *path = tmp_path();
	f = fopen(path, "w");
	event_json_write_header(f, "0.1.0", 0);
	unsigned seed = 777;
	const int lines = 3000;
	for (int i = 0; i < lines; i++) {
		char buf[512];
		memcpy(buf, line, len);
		int flips = rand_r(&seed) % 3;
		for (int k = 0; k < flips; k++)
			buf[rand_r(&seed) % len] = (char)(rand_r(&seed) % 256 ?: '\n' + 1);
		for (size_t k = 0; k < len; k++)
			if (buf[k] == '\n')
				buf[k] = ' ';
		fwrite(buf, 1, len, f);
		fputc('\n', f);
	}
	fclose(f);
	struct bus *bus = bus_new();
	size_t seen = 0;
	bus_subscribe(bus, NULL, count_handler, &seen);
	struct events_replay_result res;
	char err[256];
	cr_assert_eq(source_events_replay(path, bus, &res, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(res.events + res.warnings, (uint64_t)lines);
	cr_assert_eq(seen, res.events);
	cr_assert_gt(res.events, 0);
	cr_assert_gt(res.warnings, 0);
	bus_free(bus);
	unlink(path);
	free(path);
	free(line);
}

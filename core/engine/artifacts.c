/*
 * artifacts.c — see artifacts.h.
 */
#include "engine/artifacts.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dynaudit_build.h"
#include "engine/event_json.h"

enum artifact_id { ART_EVENTS, ART_TRACE, ART_STDOUT, ART_STDERR, ART_SOCKETS, ART_PROCS, ART_FS, ART_COUNT };

static const char *const artifact_names[ART_COUNT] = {
	"events.jsonl", "trace.log", "stdout.log", "stderr.log",
	"sockets.txt", "processes.txt", "fs-events.log",
};

struct artifacts {
	char *outdir;
	FILE *f[ART_COUNT];
	int write_error;   /* first errno of a failed write */
};

static int mkdir_p(const char *path)
{
	char buf[4096];
	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return -ENAMETOOLONG;
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(buf, 0755) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

static void tmp_name(const struct artifacts *a, int id, char *buf, size_t len)
{
	snprintf(buf, len, "%s/.%s.tmp", a->outdir, artifact_names[id]);
}

static void put_line(struct artifacts *a, int id, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void put_line(struct artifacts *a, int id, const char *fmt, ...)
{
	if (!a->f[id])
		return;
	va_list ap;
	va_start(ap, fmt);
	if (vfprintf(a->f[id], fmt, ap) < 0 && !a->write_error)
		a->write_error = errno ? errno : EIO;
	va_end(ap);
}

static int on_event(void *ctx, const struct da_event *ev)
{
	struct artifacts *a = ctx;
	if (a->f[ART_EVENTS] && event_json_write(a->f[ART_EVENTS], ev) < 0 && !a->write_error)
		a->write_error = errno ? errno : EIO;
	switch (ev->kind) {
	case DA_EV_OUTPUT:
		put_line(a, ev->fd == 2 ? ART_STDERR : ART_STDOUT, "%s\n", ev->detail ? ev->detail : "");
		break;
	case DA_EV_SOCK_SNAPSHOT:
		put_line(a, ART_SOCKETS, "%10.3f %s\n", ev->time_s, ev->text ? ev->text : "");
		break;
	case DA_EV_PROC_SNAPSHOT:
		put_line(a, ART_PROCS, "%10.3f %s\n", ev->time_s,
			 ev->text ? ev->text : ev->detail ? ev->detail : "");
		break;
	case DA_EV_FS_MONITOR:
		put_line(a, ART_FS, "%s\n", ev->text ? ev->text : ev->path ? ev->path : "");
		break;
	case DA_EV_TARGET_EXIT:
		break;
	default:
		/* Syscall-derived events: strace -f -tt style, pid first. */
		if (ev->text)
			put_line(a, ART_TRACE, "%-6d %10.6f %s\n", ev->pid, ev->time_s, ev->text);
		break;
	}
	return 0;
}

int artifacts_open(struct artifacts **out, const char *outdir, struct bus *bus, int write_events,
		   int write_others, double window_s, char *err, size_t errlen)
{
	int rc = mkdir_p(outdir);
	if (rc < 0) {
		snprintf(err, errlen, "cannot create output directory %s: %s", outdir, strerror(-rc));
		return rc;
	}
	struct artifacts *a = calloc(1, sizeof(*a));
	if (!a || !(a->outdir = strdup(outdir))) {
		free(a);
		return -ENOMEM;
	}
	for (int id = 0; id < ART_COUNT; id++) {
		if ((id == ART_EVENTS && !write_events) || (id != ART_EVENTS && !write_others))
			continue;
		char p[4096];
		tmp_name(a, id, p, sizeof(p));
		a->f[id] = fopen(p, "w");
		if (!a->f[id]) {
			rc = -errno;
			snprintf(err, errlen, "cannot write %s: %s", p, strerror(errno));
			artifacts_free(a);
			return rc;
		}
	}
	if (a->f[ART_EVENTS])
		event_json_write_header(a->f[ART_EVENTS], DYNAUDIT_VERSION, window_s);
	rc = bus_subscribe(bus, NULL, on_event, a);
	if (rc < 0) {
		artifacts_free(a);
		return rc;
	}
	*out = a;
	return 0;
}

int artifacts_close(struct artifacts *a, char *err, size_t errlen)
{
	int first = a->write_error ? -a->write_error : 0;
	for (int id = 0; id < ART_COUNT; id++) {
		if (!a->f[id])
			continue;
		char tmp[4096], final[4096];
		tmp_name(a, id, tmp, sizeof(tmp));
		snprintf(final, sizeof(final), "%s/%s", a->outdir, artifact_names[id]);
		int bad = fflush(a->f[id]) != 0 || fsync(fileno(a->f[id])) != 0;
		bad |= fclose(a->f[id]) != 0;
		a->f[id] = NULL;
		if (!bad && rename(tmp, final) == 0)
			continue;
		if (!first) {
			first = -(errno ? errno : EIO);
			snprintf(err, errlen, "cannot write %s: %s", final, strerror(-first));
		}
	}
	return first;
}

void artifacts_free(struct artifacts *a)
{
	if (!a)
		return;
	for (int id = 0; id < ART_COUNT; id++) {
		if (a->f[id]) {
			char tmp[4096];
			fclose(a->f[id]);
			tmp_name(a, id, tmp, sizeof(tmp));
			unlink(tmp);
		}
	}
	free(a->outdir);
	free(a);
}

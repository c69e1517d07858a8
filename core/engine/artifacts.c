/*
 * artifacts.c — see artifacts.h.
 */
#include "engine/artifacts.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dynaudit_build.h"
#include "engine/event_json.h"
#include "engine/report.h"

enum artifact_id { ART_EVENTS, ART_TRACE, ART_STDOUT, ART_STDERR, ART_SOCKETS, ART_PROCS, ART_FS, ART_COUNT };

static const char *const artifact_names[ART_COUNT] = {
	"events.jsonl", "trace.log", "stdout.log", "stderr.log",
	"sockets.txt", "processes.txt", "fs-events.log",
};

struct artifacts {
	int dirfd;         /* the output directory (a dup: ours to close) */
	FILE *f[ART_COUNT];
	int write_error;   /* first errno of a failed write */
};

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

int artifacts_open(struct artifacts **out, int dirfd, struct bus *bus, int write_events,
		   int write_others, double window_s, char *err, size_t errlen)
{
	int rc;
	struct artifacts *a = calloc(1, sizeof(*a));
	if (!a)
		return -ENOMEM;
	a->dirfd = fcntl(dirfd, F_DUPFD_CLOEXEC, 3);
	if (a->dirfd < 0) {
		rc = -errno;
		free(a);
		snprintf(err, errlen, "output directory: %s", strerror(-rc));
		return rc;
	}
	for (int id = 0; id < ART_COUNT; id++) {
		if ((id == ART_EVENTS && !write_events) || (id != ART_EVENTS && !write_others))
			continue;
		int fd = atomic_file_begin(a->dirfd, artifact_names[id], err, errlen);
		if (fd >= 0 && !(a->f[id] = fdopen(fd, "w")))
			atomic_file_abort(a->dirfd, artifact_names[id], fd);
		if (!a->f[id]) {
			rc = fd < 0 ? fd : -ENOMEM;
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
	if (first)
		snprintf(err, errlen, "cannot write the audit's files: %s", strerror(-first));
	for (int id = 0; id < ART_COUNT; id++) {
		if (!a->f[id])
			continue;
		/* The stream's buffer first; commit fsyncs, closes the fd and
		 * renames the temporary into place. */
		int bad = fflush(a->f[id]) != 0 ? (errno ? errno : EIO) : 0;
		int fd = dup(fileno(a->f[id]));
		fclose(a->f[id]);
		a->f[id] = NULL;
		char why[512] = "";
		int rc = bad ? -bad : fd < 0 ? -errno : 0;
		if (rc == 0)
			rc = atomic_file_commit(a->dirfd, artifact_names[id], fd, why, sizeof(why));
		else
			atomic_file_abort(a->dirfd, artifact_names[id], fd);
		if (rc < 0 && !first) {
			first = rc;
			snprintf(err, errlen, "cannot write %s: %s", artifact_names[id],
				 why[0] ? why : strerror(-rc));
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
			fclose(a->f[id]);
			atomic_file_abort(a->dirfd, artifact_names[id], -1);
		}
	}
	if (a->dirfd >= 0)
		close(a->dirfd);
	free(a);
}

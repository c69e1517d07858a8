/*
 * tracer_codesrc.c — where the code in anonymous executable memory came
 * from.
 *
 * A stager receives machine code (a socket) or reads it back from a file
 * it dropped, copies it into anonymous memory and makes that memory
 * executable (mprotect or mmap with PROT_EXEC: the seccomp filter stops
 * only on those, tracer_filter.c).  JITs (the JVM, V8) map anonymous
 * executable memory all the time, so that alone says nothing: what is
 * judged is the chain, shown by content.  At the stop, the first
 * CODESRC_PROBE bytes of the region are read and looked for in
 *   - what the process tree received on inet sockets (tracer_taint.c,
 *     on with opt.track_received), and
 *   - the temp files (/tmp, /var/tmp, /dev/shm: the sandbox's own, so the
 *     run wrote them) the process tree opened for reading in the last
 *     CODESRC_RECENT_S seconds: their path is remembered at the open
 *     event, their content read back as the target would read it, inside
 *     the sandbox's root (tracer_oracle_read_fd: no host file behind a link).
 * A match sets the event's arg[2] (CODESRC_RECEIVED or CODESRC_FILE, and
 * path2 the file).  Bounded: CODESRC_FILES remembered opens, CODESRC_READ
 * bytes read of each, and only at an anonymous PROT_EXEC call.
 * Not seen: code transformed (decrypted, decompressed) before it is made
 * executable, or received with read()/readv().
 */
#include "live/tracer_priv.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dynaudit/event.h"

#define CODESRC_PROBE 64         /* region bytes compared */
#define CODESRC_MIN 16           /* fewer readable bytes: nothing to compare */
#define CODESRC_FILES 16         /* temp files remembered */
#define CODESRC_READ (1 << 20)   /* bytes read back of each */
#define CODESRC_RECENT_S 60.0

struct codesrc_open {
	int ns_pid;      /* 0: empty */
	double mono;
	char path[TRACER_STR_MAX + 1];
};

struct codesrc {
	struct codesrc_open open[CODESRC_FILES];
	unsigned next;
};

static bool in_temp(const char *p)
{
	return strncmp(p, "/tmp/", 5) == 0 || strncmp(p, "/var/tmp/", 9) == 0 ||
	       strncmp(p, "/dev/shm/", 9) == 0;
}

void tracer_codesrc_note_open(struct tracer *t, const struct da_event *ev)
{
	if (ev->kind != DA_EV_FILE_OPEN || ev->err || !ev->path || !in_temp(ev->path) ||
	    (ev->access & (DA_ACC_WRITE | DA_ACC_CREATE | DA_ACC_TRUNC | DA_ACC_APPEND)) ||
	    strlen(ev->path) > TRACER_STR_MAX)
		return;
	if (!t->codesrc && !(t->codesrc = calloc(1, sizeof *t->codesrc)))
		return;
	struct codesrc_open *o = NULL;
	for (int i = 0; i < CODESRC_FILES && !o; i++)
		if (t->codesrc->open[i].ns_pid == ev->pid && strcmp(t->codesrc->open[i].path, ev->path) == 0)
			o = &t->codesrc->open[i];
	if (!o)
		o = &t->codesrc->open[t->codesrc->next++ % CODESRC_FILES];
	o->ns_pid = ev->pid;
	o->mono = tracer_mono_s();
	snprintf(o->path, sizeof o->path, "%s", ev->path);
}

/* Does the file (the tracee's view of path, opened as the target would:
 * tracer_oracle_read_fd) hold probe? */
static bool file_holds(struct tracer *t, const struct tracee *th, const char *path, const uint8_t *probe,
		       size_t n)
{
	int fd = tracer_oracle_read_fd(t, th, path);
	if (fd < 0)
		return false;
	uint8_t *buf = malloc(CODESRC_READ);
	ssize_t got = buf ? read(fd, buf, CODESRC_READ) : -1;
	close(fd);
	bool hit = got >= (ssize_t)n && memmem(buf, (size_t)got, probe, n) != NULL;
	free(buf);
	return hit;
}

int tracer_codesrc_exec_memory(struct tracer *t, const struct tracee *th, uint64_t addr, uint64_t len,
			       char *path, size_t pathlen)
{
	if (!th->proc || !addr || len < CODESRC_MIN)
		return 0;
	uint8_t probe[CODESRC_PROBE];
	size_t want = len < CODESRC_PROBE ? (size_t)len : CODESRC_PROBE;
	ssize_t got = tracer_mem_read(t, th->tid, addr, probe, want);
	while (got > 0 && probe[got - 1] == 0)
		got--; /* a short stub followed by the page's zeros */
	if (got < CODESRC_MIN)
		return 0;
	/* zero pages (a fresh mapping) or one repeated byte are no code */
	size_t same = 1;
	for (ssize_t i = 1; i < got; i++)
		same += probe[i] == probe[0];
	if (same == (size_t)got)
		return 0;
	if (tracer_taint_holds(t, th->proc->ns_pid, probe, (size_t)got))
		return CODESRC_RECEIVED;
	double now = tracer_mono_s();
	for (int i = 0; t->codesrc && i < CODESRC_FILES; i++) {
		const struct codesrc_open *o = &t->codesrc->open[i];
		if (!o->ns_pid || now - o->mono > CODESRC_RECENT_S || !tracer_in_tree(t, th->proc->ns_pid, o->ns_pid))
			continue;
		if (file_holds(t, th, o->path, probe, (size_t)got)) {
			snprintf(path, pathlen, "%s", o->path);
			return CODESRC_FILE;
		}
	}
	return 0;
}

void tracer_codesrc_free(struct tracer *t)
{
	free(t->codesrc);
	t->codesrc = NULL;
}

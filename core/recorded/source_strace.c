/*
 * source_strace.c — replay of a recorded strace log: reads one combined
 * file or the per-pid files of -ff, merges them by timestamp, joins
 * "<unfinished ...>" / "<... resumed>" halves per pid, and feeds complete
 * records to the decoder.  See source_strace.h.
 *
 * Robustness: each file is read by strace_stream.c (length cap, CR and
 * NUL handling); program output glued to or cutting strace's lines is
 * taken apart (strace_glue.h), strace's own extra output read as such
 * (strace_extra.h); every scan is linear.  An unreadable file, or one
 * without a single syscall line, is an error: an audit of nothing must
 * not pass.
 */
#include "recorded/source_strace.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "recorded/strace_args.h"
#include "recorded/strace_decode.h"
#include "recorded/strace_extra.h"
#include "recorded/strace_glue.h"
#include "recorded/strace_lexer.h"
#include "recorded/strace_stream.h"

#define PENDING_MAX 4096      /* unfinished calls waiting for their resume */
#define PENDING_SLOTS 8192    /* their hash table (pid -> first half), load <= 1/2 */
#define MAX_FILES 65536
/* Beyond this share of unparsable lines the replay saw too little of the
 * run to vouch for it: the lines count as lost events, which marks the
 * report incomplete. */
#define UNPARSED_MIN 20
#define UNPARSED_PERCENT 10


struct pending {
	int pid;              /* 0: empty slot */
	char *text;           /* the first half, prefix included */
};

struct replay {
	struct stream *streams;
	size_t n_streams;
	struct strace_decoder *dec;
	struct strace_replay_result *res;
	int unprefixed_pid;   /* pid of lines without a prefix (combined log) */
	bool have_first_time;
	double first_time;
	uint64_t seq_lines;   /* merged line counter: time base without timestamps */
	bool any_time;
	struct pending *pend;
	size_t n_pend;
	const char *cur_path;
	uint64_t cur_lineno;
	uint64_t calls;       /* lines that lexed as (halves of) syscalls */
	uint64_t extra[STRACE_EXTRA_KINDS]; /* strace's own non-call lines, by kind */
	int first_pid;        /* the first pid a call line had */
	bool other_pids;      /* a call line of another pid: children were traced (-f) */
	uint64_t forks;       /* successful fork/clone calls */
	uint64_t output_lines;/* program output between a split call's head and tail */
};

static void warn(struct replay *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add_note(struct strace_replay_result *res, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void warn(struct replay *r, const char *fmt, ...)
{
	if (r->res->warnings++ == 0) {
		char what[200];
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(what, sizeof(what), fmt, ap);
		va_end(ap);
		snprintf(r->res->first_warning, sizeof(r->res->first_warning), "%s:%llu: %s",
			 r->cur_path, (unsigned long long)r->cur_lineno, what);
	}
}

/* ---- time ------------------------------------------------------------ */

static double stream_time(struct stream *s)
{
	if (!s->pfx.has_time)
		return s->last_raw + s->day_offset;
	if (s->pfx.time_is_delta) {
		/* -r: each line says how long after the previous one it came */
		s->last_raw += s->pfx.time;
		return s->last_raw;
	}
	double t = s->pfx.time;
	/* -t/-tt are times of day: going back by more than 12 h is midnight */
	if (t < 86400.0 && s->last_raw - t > 43200.0)
		s->day_offset += 86400.0;
	s->last_raw = t;
	return t + s->day_offset;
}

/* ---- unfinished calls ---------------------------------------------- */

/* Unfinished first halves live in an open-addressing hash keyed by pid, so
 * a log with thousands of blocked threads stays linear. */
static size_t pending_home(int pid)
{
	return ((uint32_t)pid * 2654435761u) & (PENDING_SLOTS - 1);
}

static struct pending *pending_find(struct replay *r, int pid)
{
	if (!r->pend)
		return NULL;
	for (size_t i = pending_home(pid); r->pend[i].pid; i = (i + 1) & (PENDING_SLOTS - 1))
		if (r->pend[i].pid == pid)
			return &r->pend[i];
	return NULL;
}

/* Backward-shift deletion: no tombstones, probe chains stay short. */
static void pending_remove(struct replay *r, struct pending *p)
{
	size_t hole = (size_t)(p - r->pend);
	free(p->text);
	p->text = NULL;
	p->pid = 0;
	r->n_pend--;
	for (size_t j = (hole + 1) & (PENDING_SLOTS - 1); r->pend[j].pid;
	     j = (j + 1) & (PENDING_SLOTS - 1)) {
		size_t home = pending_home(r->pend[j].pid);
		/* stays when its home lies cyclically in (hole, j] */
		bool stays = hole < j ? (home > hole && home <= j) : (home > hole || home <= j);
		if (stays)
			continue;
		r->pend[hole] = r->pend[j];
		r->pend[j].pid = 0;
		r->pend[j].text = NULL;
		hole = j;
	}
}

static void decode_text(struct replay *r, int pid, double t, char *text, size_t len);
static int child_of(const struct strace_rec *rec);

/* A first half that will never be resumed (its process ended, or another
 * call replaced it): decode it with an unknown result so it is not lost. */
static void pending_flush(struct replay *r, struct pending *p, double t)
{
	size_t l = strlen(p->text);
	char *joined = malloc(l + 8);
	if (joined) {
		memcpy(joined, p->text, l);
		memcpy(joined + l, ") = ?", 6);
		decode_text(r, p->pid, t, joined, l + 5);
		free(joined);
	}
	pending_remove(r, p);
}

static void pending_add(struct replay *r, int pid, const char *text, size_t len, double t)
{
	if (!r->pend) {
		r->pend = calloc(PENDING_SLOTS, sizeof(*r->pend));
		if (!r->pend)
			return;
	}
	struct pending *p = pending_find(r, pid);
	if (p)
		pending_flush(r, p, t);
	if (r->n_pend >= PENDING_MAX) {
		/* Full (hostile log): the first half nearest in the table goes out
		 * with an unknown result; it is published, not dropped. */
		size_t i = pending_home(pid);
		while (!r->pend[i].pid)
			i = (i + 1) & (PENDING_SLOTS - 1);
		pending_flush(r, &r->pend[i], t);
	}
	char *copy = malloc(len + 1);
	if (!copy)
		return;
	memcpy(copy, text, len);
	copy[len] = '\0';
	size_t i = pending_home(pid);
	while (r->pend[i].pid)
		i = (i + 1) & (PENDING_SLOTS - 1);
	r->pend[i].pid = pid;
	r->pend[i].text = copy;
	r->n_pend++;
}

/* ---- one line ------------------------------------------------------- */

static int line_pid(struct replay *r, const struct stream *s, const struct strace_prefix *pfx)
{
	if (pfx->has_pid)
		return pfx->pid;
	if (s->file_pid)
		return s->file_pid;
	return r->unprefixed_pid;
}

/* Lex and decode a complete text (NUL-terminated, prefix included). */
static void decode_text(struct replay *r, int pid, double t, char *text, size_t len)
{
	struct strace_prefix pfx;
	struct strace_rec rec;
	const char *why;
	strace_lex_prefix(text, len, &pfx);
	if (strace_lex_body(text + pfx.body_off, len - pfx.body_off, &rec, &why) < 0) {
		warn(r, "%s", why);
		return;
	}
	switch (rec.kind) {
	case STRACE_REC_CALL:
	case STRACE_REC_SIGNAL:
	case STRACE_REC_EXITED:
	case STRACE_REC_KILLED:
		if (strace_decode(r->dec, pid, t, &rec, text, &why) < 0)
			warn(r, "%s", why);
		break;
	default:
		warn(r, "unexpected record");
	}
}

/* Program output glued in front of the line (strace_glue.h): drop it so
 * the call behind it is read.  True when the line changed. */
static bool unglue(struct replay *r, struct stream *s)
{
	size_t at;
	if (!strace_find_glued(s->line, s->len, &at))
		return false;
	memmove(s->line, s->line + at, s->len - at + 1);
	s->len -= at;
	strace_lex_prefix(s->line, s->len, &s->pfx);
	r->res->glued_recovered++;
	return true;
}

/* Time of s's current line, seconds since the log's first timestamp
 * (without timestamps: its rank, in microseconds). */
static double line_time(struct replay *r, struct stream *s)
{
	if (s->pfx.has_time) {
		double raw = stream_time(s);
		if (!r->have_first_time) {
			r->have_first_time = true;
			r->first_time = raw;
		}
		r->any_time = true;
		double t = raw - r->first_time;
		return t < 0 ? 0 : t;
	}
	if (r->any_time)
		return r->res->last_time_s; /* a line without time amid timed ones */
	return (double)r->seq_lines * 1e-6;
}

#define SPLIT_OUTPUT_MAX 256 /* output lines a split call may enclose */

/* body starts like a call: a known syscall name and its '(' */
static bool call_head(const char *body, size_t blen)
{
	size_t i = 0;
	while (i < blen && ((body[i] >= 'a' && body[i] <= 'z') || (body[i] >= '0' && body[i] <= '9') ||
			    body[i] == '_'))
		i++;
	return i > 0 && i < blen && body[i] == '(' && strace_known_syscall(body, i);
}

static void split_lost(struct replay *r, struct stream *s)
{
	if (!s->split)
		return;
	r->res->glued_lost++;
	warn(r, "a call cut by the program's output never got its end");
	free(s->split);
	s->split = NULL;
}

/* The program's output held a newline and cut a call's line in two: keep
 * the head, take the lines after it as output, and join it with the line
 * holding its tail (") = N").  True when the line was used. */
static bool split_call(struct replay *r, struct stream *s, int pid, double t, const char *body,
		       size_t blen)
{
	if (!s->split) {
		if (!call_head(body, blen) || strace_has_call_tail(body, blen))
			return false;
		s->split = strdup(s->line);
		s->split_pid = pid;
		s->split_out = 0;
		return s->split != NULL;
	}
	if (!strace_find_result(s->line, s->len)) {
		if (++s->split_out > SPLIT_OUTPUT_MAX) {
			split_lost(r, s);
			return false;
		}
		r->output_lines++;
		return true;
	}
	/* the line holds the rest: maybe more output, the arguments after it
	 * ("NULL, 0, NULL)" of a wait4 the output interrupted), the result */
	size_t hl = strlen(s->split), tl = s->len;
	char *joined = malloc(hl + tl + 1);
	if (joined) {
		memcpy(joined, s->split, hl);
		memcpy(joined + hl, s->line, tl + 1);
		r->calls++;
		r->res->glued_recovered++;
		decode_text(r, s->split_pid, t, joined, hl + tl);
		free(joined);
	}
	free(s->split);
	s->split = NULL;
	return true;
}

static void handle_line(struct replay *r, struct stream *s, double t)
{
	r->res->lines++;
	r->cur_path = s->path;
	r->cur_lineno = s->lineno;
	if (s->too_long) {
		warn(r, "line longer than %u bytes skipped", LINE_CAP);
		return;
	}
	if (s->extra) {
		r->extra[s->extra]++;
		return;
	}
	const struct strace_prefix *pfx = &s->pfx;
	const char *body = s->line + pfx->body_off;
	size_t blen = s->len - pfx->body_off;
	struct strace_rec rec;
	const char *why;
	int lexed = strace_lex_body(body, blen, &rec, &why);
	bool unknown_call = lexed == 0 &&
			    (rec.kind == STRACE_REC_CALL || rec.kind == STRACE_REC_UNFINISHED) &&
			    !strace_known_syscall(rec.name.p, rec.name.n);
	bool had_time = pfx->has_time;
	if ((lexed < 0 || unknown_call) && unglue(r, s)) {
		if (!had_time && pfx->has_time)
			t = line_time(r, s); /* the timestamp was behind the output too */
		body = s->line + pfx->body_off;
		blen = s->len - pfx->body_off;
		lexed = strace_lex_body(body, blen, &rec, &why);
	}
	int pid = line_pid(r, s, pfx);
	if (lexed < 0 && !(s->unterminated && blen > 0) && split_call(r, s, pid, t, body, blen))
		return;
	if (lexed == 0 && s->split)
		split_lost(r, s); /* strace went on: the head's tail never came */
	if (lexed < 0 && !(s->unterminated && blen > 0) && strace_has_call_tail(s->line, s->len)) {
		/* a call mixed with output beyond recovery: lost, not noise */
		r->res->glued_lost++;
		warn(r, "a strace line mixed with program output: %s", why);
		return;
	}
	if (lexed < 0) {
		if (s->unterminated && blen > 0) {
			/* strace (or a copy) was cut off mid-line: that call is lost */
			r->res->truncated = true;
			warn(r, "the log ends mid-line (truncated): %s", why);
			return;
		}
		if (blen == 0 && !s->has_nul)
			return; /* blank line */
		warn(r, "%s%s", blen ? why : "line of NUL bytes",
		     blen && s->has_nul ? " (the line held NUL bytes)" : "");
		return;
	}
	if (rec.kind == STRACE_REC_CALL || rec.kind == STRACE_REC_UNFINISHED ||
	    rec.kind == STRACE_REC_RESUMED)
		r->calls++;
	if (pid <= 0) {
		warn(r, "line without a pid");
		return;
	}
	if (rec.kind == STRACE_REC_CALL || rec.kind == STRACE_REC_UNFINISHED ||
	    rec.kind == STRACE_REC_RESUMED) {
		if (!r->first_pid)
			r->first_pid = pid;
		else if (pid != r->first_pid)
			r->other_pids = true;
		if (child_of(&rec) > 0)
			r->forks++;
	}
	switch (rec.kind) {
	case STRACE_REC_NOTE:
		return;
	case STRACE_REC_UNFINISHED:
		pending_add(r, pid, s->line, pfx->body_off + rec.head.n, t);
		strace_decoder_note_unfinished(r->dec, pid, &rec);
		if (rec.detached) {
			/* "exit(0 <detached ...>": no second half will come */
			struct pending *p = pending_find(r, pid);
			if (p)
				pending_flush(r, p, t);
		}
		return;
	case STRACE_REC_RESUMED: {
		struct pending *p = pending_find(r, pid);
		if (!p) {
			warn(r, "'<... %.*s resumed>' without its first half", (int)rec.name.n,
			     rec.name.p);
			return;
		}
		size_t hl = strlen(p->text);
		char *joined = malloc(hl + rec.tail.n + 1);
		if (!joined)
			return;
		memcpy(joined, p->text, hl);
		memcpy(joined + hl, rec.tail.p, rec.tail.n);
		joined[hl + rec.tail.n] = '\0';
		pending_remove(r, p);
		decode_text(r, pid, t, joined, hl + rec.tail.n);
		free(joined);
		return;
	}
	case STRACE_REC_EXITED:
	case STRACE_REC_KILLED: {
		struct pending *p = pending_find(r, pid);
		if (p)
			pending_flush(r, p, t);
		break;
	}
	default:
		break;
	}
	if (strace_decode(r->dec, pid, t, &rec, s->line, &why) < 0)
		warn(r, "%s", why);
}

/* ---- files ---------------------------------------------------------- */

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

static int cmp_stream_pid(const void *a, const void *b)
{
	const struct stream *x = a, *y = b;
	return (x->file_pid > y->file_pid) - (x->file_pid < y->file_pid);
}

/* PREFIX.PID files of -ff.  Returns the count, or negative errno. */
static int open_per_pid(struct replay *r, const char *prefix, char *err, size_t errlen)
{
	char dir[4096];
	const char *slash = strrchr(prefix, '/');
	const char *base = slash ? slash + 1 : prefix;
	if (slash)
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - prefix + (slash == prefix)), prefix);
	else
		snprintf(dir, sizeof(dir), ".");
	DIR *dh = opendir(dir);
	if (!dh) {
		int e = errno;
		snprintf(err, errlen, "%s: %s", prefix, strerror(e));
		return -e;
	}
	size_t bl = strlen(base);
	struct dirent *de;
	int rc = 0;
	while ((de = readdir(dh))) {
		if (strncmp(de->d_name, base, bl) != 0 || de->d_name[bl] != '.' ||
		    !all_digits(de->d_name + bl + 1) || strlen(de->d_name + bl + 1) > 9)
			continue;
		if (r->n_streams == MAX_FILES)
			break;
		struct stream *ns = realloc(r->streams, (r->n_streams + 1) * sizeof(*ns));
		if (!ns) {
			rc = -ENOMEM;
			snprintf(err, errlen, "out of memory");
			break;
		}
		r->streams = ns;
		char path[8192];
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		rc = stream_open(&r->streams[r->n_streams], path, atoi(de->d_name + bl + 1), err,
				 errlen);
		/* thousands of files are open at once: small blocks each */
		r->streams[r->n_streams].block = 4096;
		if (rc < 0) {
			stream_close(&r->streams[r->n_streams]);
			break;
		}
		r->n_streams++;
	}
	closedir(dh);
	if (rc < 0)
		return rc;
	if (r->n_streams == 0) {
		snprintf(err, errlen, "%s: no such file (nor %s.PID files)", prefix, prefix);
		return -ENOENT;
	}
	qsort(r->streams, r->n_streams, sizeof(*r->streams), cmp_stream_pid);
	return (int)r->n_streams;
}

static bool is_fork_name(struct strace_span name)
{
	return strace_span_eq(name, "clone") || strace_span_eq(name, "clone3") ||
	       strace_span_eq(name, "fork") || strace_span_eq(name, "vfork");
}

/* The pid a clone-family line returns (0 when it is not one). */
static int child_of(const struct strace_rec *rec)
{
	if (!is_fork_name(rec->name))
		return 0;
	if (rec->kind == STRACE_REC_CALL)
		return rec->has_ret && rec->ret > 0 && rec->ret <= INT32_MAX ? (int)rec->ret : 0;
	if (rec->kind == STRACE_REC_RESUMED) {
		/* "<... clone resumed>..., ) = N" */
		const char *eq = memmem(rec->tail.p, rec->tail.n, ") = ", 4);
		return eq ? atoi(eq + 4) : 0;
	}
	return 0;
}

/* For a combined log whose first lines carry no pid (strace -f writing to a
 * terminal prefixes "[pid N]" only while several processes live): the
 * first prefixed pid that is not a known child is the unprefixed one.
 * While an unprefixed call is unfinished (typically the clone that made
 * the second thread), the new thread speaks first: the unprefixed pid is
 * the one that resumes that call. */
static int prescan_main_pid(const char *path)
{
	struct stream s;
	char err[64];
	int found = 0, fallback = 0;
	int children[256];
	size_t nchildren = 0;
	char pending[32] = ""; /* name of the unprefixed unfinished call */
	if (stream_open(&s, path, 0, err, sizeof(err)) < 0) {
		stream_close(&s);
		return 0;
	}
	while (!found && stream_next(&s)) {
		if (s.too_long)
			continue;
		struct strace_rec rec;
		const char *why;
		if (strace_lex_body(s.line + s.pfx.body_off, s.len - s.pfx.body_off, &rec, &why) < 0)
			rec.kind = STRACE_REC_NOTE;
		int kid = child_of(&rec);
		if (kid > 0 && nchildren < 256)
			children[nchildren++] = kid;
		if (!s.pfx.has_pid) {
			if (rec.kind == STRACE_REC_UNFINISHED && rec.name.n < sizeof(pending))
				snprintf(pending, sizeof(pending), "%.*s", (int)rec.name.n, rec.name.p);
			else if (rec.kind == STRACE_REC_CALL)
				pending[0] = '\0';
			continue;
		}
		bool child = false;
		for (size_t i = 0; i < nchildren; i++)
			child |= children[i] == s.pfx.pid;
		if (pending[0]) {
			if (rec.kind == STRACE_REC_RESUMED && strace_span_eq(rec.name, pending))
				found = s.pfx.pid;
			else if (!child && !fallback)
				fallback = s.pfx.pid;
		} else if (!child) {
			found = s.pfx.pid;
		}
	}
	stream_close(&s);
	return found ? found : fallback;
}

static void add_note(struct strace_replay_result *res, const char *fmt, ...)
{
	if (res->n_notes == STRACE_NOTES_MAX)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(res->notes[res->n_notes++], sizeof(res->notes[0]), fmt, ap);
	va_end(ap);
}

/* The end of the replay: judge how much of the log was understood. */
static int replay_verdict(struct replay *r, struct bus *bus, const char *path, char *err,
			  size_t errlen)
{
	struct strace_replay_result *res = r->res;
	if (r->calls == 0 && r->extra[STRACE_EXTRA_SUMMARY]) {
		snprintf(err, errlen, "%s holds only a strace -c summary table (counts, no calls): "
			 "nothing to audit", path);
		return -ENODATA;
	}
	if (r->calls == 0) {
		/* Empty, binary, or not strace output at all: nothing was audited. */
		snprintf(err, errlen, "no strace syscall lines in %s (%llu line(s) read%s%s)", path,
			 (unsigned long long)res->lines, res->warnings ? "; first problem: " : "",
			 res->warnings ? res->first_warning : "");
		return -ENODATA;
	}
	uint64_t lost = 0;
	size_t off = 0;
	if (res->truncated) {
		lost++;
		off += (size_t)snprintf(res->incomplete + off, sizeof(res->incomplete) - off,
					"the strace log ends mid-line (truncated): its last call is lost");
	}
	if (res->glued_lost) {
		lost += res->glued_lost;
		off += (size_t)snprintf(res->incomplete + off, sizeof(res->incomplete) - off,
					"%s%llu strace line(s) mixed with the program's output could not be "
					"read: their calls are lost", off ? "; " : "",
					(unsigned long long)res->glued_lost);
		if (off >= sizeof(res->incomplete))
			off = sizeof(res->incomplete) - 1;
	}
	static const char *const extra_what[STRACE_EXTRA_KINDS] = {
		[STRACE_EXTRA_STACK] = "-k stack-frame",
		[STRACE_EXTRA_HEXDUMP] = "-e read=/write= hex-dump",
		[STRACE_EXTRA_SUMMARY] = "-c/-C summary-table",
	};
	for (int k = 1; k < STRACE_EXTRA_KINDS; k++)
		if (r->extra[k])
			add_note(res, "%llu %s line(s) of strace were read as such, not as calls",
				 (unsigned long long)r->extra[k], extra_what[k]);
	uint64_t notes = 0;
	for (size_t i = 0; i < r->n_streams; i++)
		notes += r->streams[i].notes;
	if (notes)
		add_note(res, "%llu strace process note(s) (\"Process N attached\") were cut out of "
			 "the lines they interrupted", (unsigned long long)notes);
	if (r->forks && !r->other_pids && r->n_streams == 1)
		add_note(res, "the log shows %llu fork/clone call(s) but no other process: it was "
			 "recorded without -f, so the children were not traced and what they did "
			 "is not in the log", (unsigned long long)r->forks);
	if (r->output_lines)
		add_note(res, "%llu line(s) of the program's own output sat inside strace's lines "
			 "(its stdout or stderr shared strace's output) and were read as output",
			 (unsigned long long)r->output_lines);
	if (res->glued_recovered)
		add_note(res, "%llu strace line(s) had the program's own output glued in front "
			 "(its stderr shared strace's output); their calls were read behind it",
			 (unsigned long long)res->glued_recovered);
	if (res->warnings > UNPARSED_MIN && res->warnings * 100 > res->lines * UNPARSED_PERCENT) {
		lost = lost > res->warnings ? lost : res->warnings;
		if (off < sizeof(res->incomplete))
			snprintf(res->incomplete + off, sizeof(res->incomplete) - off,
				 "%s%llu of %llu lines of the strace log could not be parsed",
				 off ? "; " : "", (unsigned long long)res->warnings,
				 (unsigned long long)res->lines);
	}
	if (lost)
		bus_count_lost(bus, lost);
	return 0;
}

/* ---- entry ---------------------------------------------------------- */

static int open_inputs(struct replay *r, const char *path, char *err, size_t errlen)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		if (errno == ENOENT)
			return open_per_pid(r, path, err, errlen);
		int e = errno;
		snprintf(err, errlen, "%s: %s", path, strerror(e));
		return -e;
	}
	if (S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s: is a directory", path);
		return -EISDIR;
	}
	r->streams = calloc(1, sizeof(*r->streams));
	if (!r->streams) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	int rc = stream_open(&r->streams[0], path, 0, err, errlen);
	r->n_streams = 1;
	if (rc < 0)
		return rc;
	/* PREFIX.PID whose lines carry no pid: one of a -ff set, read them all. */
	const char *dot = strrchr(path, '.');
	const char *slash = strrchr(path, '/');
	if (dot && (!slash || dot > slash) && all_digits(dot + 1) && strlen(dot + 1) <= 9) {
		struct stream *s = &r->streams[0];
		bool per_pid = stream_next(s) && !s->pfx.has_pid;
		stream_close(s);
		free(r->streams);
		r->streams = NULL;
		r->n_streams = 0;
		if (per_pid) {
			char prefix[4096];
			snprintf(prefix, sizeof(prefix), "%.*s", (int)(dot - path), path);
			return open_per_pid(r, prefix, err, errlen);
		}
		r->streams = calloc(1, sizeof(*r->streams));
		if (!r->streams)
			return -ENOMEM;
		r->n_streams = 1;
		return stream_open(&r->streams[0], path, 0, err, errlen);
	}
	return 0;
}

int source_strace_replay(const char *path, const char *initial_cwd, struct bus *bus,
			 struct strace_replay_result *res, char *err, size_t errlen)
{
	struct replay r;
	int rc;
	memset(&r, 0, sizeof(r));
	memset(res, 0, sizeof(*res));
	if (errlen)
		err[0] = '\0';
	r.res = res;
	r.dec = strace_decoder_new(initial_cwd, bus);
	if (!r.dec) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	rc = open_inputs(&r, path, err, errlen);
	if (rc < 0)
		goto out;
	rc = 0;
	for (size_t i = 0; i < r.n_streams; i++)
		stream_next(&r.streams[i]);
	/* -ff: without timestamps the files are read one after the other;
	 * with them, lines merge by the time each call was entered, so a
	 * blocking wait4 sorts before the life of the child it reaps. */
	if (r.n_streams > 1)
		strace_decoder_set_ordered(r.dec, false);
	if (r.n_streams == 1 && !r.streams[0].file_pid && r.streams[0].have &&
	    !r.streams[0].pfx.has_pid) {
		r.unprefixed_pid = prescan_main_pid(path);
		if (!r.unprefixed_pid) {
			/* one process only: the pid is not in the log; a ".N" suffix says it */
			const char *dot = strrchr(path, '.');
			r.unprefixed_pid = dot && all_digits(dot + 1) ? atoi(dot + 1) : 1;
		}
	}
	for (;;) {
		/* The stream whose current line is earliest (per-pid files). */
		struct stream *best = NULL;
		for (size_t i = 0; i < r.n_streams; i++) {
			struct stream *s = &r.streams[i];
			if (!s->have)
				continue;
			if (!s->pfx.has_time)
				s->key = s->last_raw + s->day_offset;
			else if (s->pfx.time_is_delta)
				s->key = s->last_raw + s->pfx.time;
			else
				s->key = s->pfx.time + s->day_offset;
			if (!best || s->key < best->key)
				best = s;
			if (!s->pfx.has_time)
				break; /* without timestamps: file after file */
		}
		if (!best)
			break;
		r.seq_lines++;
		double t = line_time(&r, best);
		if (!res->main_pid) {
			int pid = line_pid(&r, best, &best->pfx);
			if (pid > 0) {
				res->main_pid = pid;
				strace_decoder_set_main(r.dec, pid);
			}
		}
		handle_line(&r, best, t);
		if (r.any_time && t > res->last_time_s)
			res->last_time_s = t;
		stream_next(best);
	}
	for (size_t i = 0; i < r.n_streams; i++) {
		struct stream *s = &r.streams[i];
		if (s->split && !s->split_out) {
			/* the log's last line is a call strace was stopped inside
			 * (attached with -p, then interrupted): like an unfinished
			 * call, it goes out with an unknown result */
			size_t l = strlen(s->split);
			char *joined = malloc(l + 8);
			if (joined) {
				memcpy(joined, s->split, l);
				memcpy(joined + l, ") = ?", 6);
				r.calls++;
				decode_text(&r, s->split_pid, res->last_time_s, joined, l + 5);
				free(joined);
			}
			free(s->split);
			s->split = NULL;
		}
		split_lost(&r, s);
	}
	/* The log ended inside these calls: publish them with unknown results.
	 * A flush may shift a later entry into slot i: look at i again. */
	for (size_t i = 0; r.pend && i < PENDING_SLOTS;) {
		if (r.pend[i].pid)
			pending_flush(&r, &r.pend[i], res->last_time_s);
		else
			i++;
	}
	strace_decoder_finish(r.dec, res->last_time_s);
	res->events = strace_decoder_events(r.dec);
	res->command = strace_decoder_take_command(r.dec);
	strace_decoder_take_ties(r.dec, &res->ties);
	rc = replay_verdict(&r, bus, path, err, errlen);
out:
	for (size_t i = 0; i < r.n_streams; i++)
		stream_close(&r.streams[i]);
	free(r.streams);
	for (size_t i = 0; r.pend && i < PENDING_SLOTS; i++)
		free(r.pend[i].text);
	free(r.pend);
	strace_decoder_free(r.dec);
	/* no audit: nothing of the result is the caller's to free (its
	 * counters, warnings above all, stay readable) */
	if (rc < 0)
		strace_replay_result_free(res);
	return rc;
}

void strace_replay_result_free(struct strace_replay_result *res)
{
	if (!res)
		return;
	free(res->ties.pids);
	free(res->ties.ports);
	memset(&res->ties, 0, sizeof(res->ties));
	if (!res->command)
		return;
	for (size_t i = 0; res->command[i]; i++)
		free(res->command[i]);
	free(res->command);
	res->command = NULL;
}

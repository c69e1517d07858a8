/*
 * crashes.c — crash signatures in the output: tracebacks, JVM, node, compilers
 */
#include "code_integrity.h"

/* ---- crash signatures in the output ------------------------------------ */

/* `  File "/home/auditor/app/server.py", line 10, in main` */
static bool parse_frame(const char *line, char *file, size_t len, long *lineno)
{
	while (*line == ' ')
		line++;
	if (!da_str_starts_with(line, "File \""))
		return false;
	line += 6;
	const char *end = strstr(line, "\", line ");
	if (!end)
		return false;
	snprintf(file, len, "%.*s", (int)(end - line), line);
	*lineno = strtol(end + 8, NULL, 10);
	return true;
}

/* "IndentationError: expected ..." or "KeyboardInterrupt" at column 0: a
 * dotted identifier whose last part names an error.  Returns the length of
 * the exception name, 0 when line is not one. */
size_t exception_name_len(const char *line)
{
	static const char *const endings[] = {"Error", "Exception", "Interrupt", "Exit",
					      "Warning", "Iteration", "Group"};
	size_t n = 0;
	if (!((line[0] >= 'A' && line[0] <= 'Z') || (line[0] >= 'a' && line[0] <= 'z') ||
	      line[0] == '_'))
		return 0;
	while (line[n] && (line[n] == '_' || line[n] == '.' || (line[n] >= '0' && line[n] <= '9') ||
			   (line[n] >= 'A' && line[n] <= 'Z') || (line[n] >= 'a' && line[n] <= 'z')))
		n++;
	if (line[n] != '\0' && line[n] != ':')
		return 0;
	char name[128];
	snprintf(name, sizeof(name), "%.*s", (int)n, line);
	for (size_t i = 0; i < sizeof(endings) / sizeof(endings[0]); i++)
		if (da_str_ends_with(name, endings[i]))
			return n;
	return 0;
}

/* "main.c:12:5: error: expected ';'" — a compiler diagnostic. */
bool is_compiler_error(const char *line)
{
	const char *p = strstr(line, ": error: ");
	if (!p)
		p = strstr(line, ": fatal error: ");
	if (!p || p == line)
		return false;
	const char *colon = memchr(line, ':', (size_t)(p - line));
	if (!colon || colon == line || memchr(line, ' ', (size_t)(colon - line)))
		return false;
	return colon[1] >= '0' && colon[1] <= '9';
}

/* Which runtime-agnostic crash line is this?  Returns a short label or NULL. */
const char *crash_signature(const char *line)
{
	static const struct {
		const char *needle;
		bool prefix;  /* must start the line */
		const char *label;
	} sigs[] = {
		{"Segmentation fault", false, "Segmentation fault"},
		{"Bus error", true, "Bus error"},
		{"Illegal instruction", false, "Illegal instruction"},
		{"Floating point exception", false, "Floating point exception"},
		{"Aborted (core dumped)", false, "Aborted"},
		{"core dumped", false, "core dump"},
		{"Fatal Python error: ", false, "Fatal Python error"},
		{"ERROR: AddressSanitizer", false, "AddressSanitizer report"},
		{"ERROR: LeakSanitizer", false, "LeakSanitizer report"},
		{"WARNING: ThreadSanitizer", false, "ThreadSanitizer report"},
		{"MemorySanitizer:", false, "MemorySanitizer report"},
		{": runtime error: ", false, "UBSan runtime error"},
		{"Exception in thread \"", true, "Java uncaught exception"},
		{"Uncaught ", true, "Node uncaught exception"},
		{"[UnhandledPromiseRejection", false, "Node unhandled rejection"},
		{"panic: ", true, "Go panic"},
		{"fatal error: ", true, "Go fatal error"},
		{"' panicked at", false, "Rust panic"},
		{"terminate called after throwing", true, "C++ uncaught exception"},
		{"terminate called without an active exception", true, "C++ terminate"},
	};
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		bool hit = sigs[i].prefix ? da_str_starts_with(line, sigs[i].needle)
					  : strstr(line, sigs[i].needle) != NULL;
		if (hit)
			return sigs[i].label;
	}
	if (strcmp(line, "Aborted") == 0 || da_str_ends_with(line, " Aborted"))
		return "Aborted";
	if (is_compiler_error(line))
		return "compiler error";
	return NULL;
}

/* `Exception in thread "main" java.lang.NullPointerException: ...` names its
 * exception; the short class name labels the crash better than the runtime.
 * Writes it to out and returns true, or false for any other line. */
static bool java_exception(const char *line, char *out, size_t len)
{
	const char *q = da_str_starts_with(line, "Exception in thread \"") ? strstr(line + 21, "\" ") : NULL;
	if (!q || !q[2] || strchr(": ", q[2]))
		return false;
	q += 2;
	size_t n = strcspn(q, ": ");
	const char *dot = memrchr(q, '.', n);
	if (dot && (size_t)(dot - q) + 1 < n) {
		n -= (size_t)(dot - q) + 1;
		q = dot + 1;
	}
	snprintf(out, len, "%.*s", (int)n, q);
	return true;
}

/* Does an error line say the program ran out of memory? */
static bool mentions_memory(const char *line)
{
	static const char *const words[] = {"OutOfMemoryError", "MemoryError", "bad_alloc",
					    "Cannot allocate memory", "out of memory",
					    "Out of memory", "Out of Memory", "insufficient memory",
					    "Not enough space"};
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strstr(line, words[i]))
			return true;
	return false;
}

static void output_finding(struct code_integrity *st, const struct da_event *ev,
			   const struct stream *s, const char *msg, const char *rec)
{
	if (st->n_output_findings >= MAX_OUTPUT_FINDINGS) {
		st->output_dropped++;
		return;
	}
	st->n_output_findings++;
	const char *evidence[RING_LINES];
	size_t n = s->n_lines < RING_LINES ? s->n_lines : RING_LINES;
	for (size_t i = 0; i < n; i++)
		evidence[i] = s->ring[(s->n_lines - n + i) % RING_LINES];
	emit(st, "code_integrity.error_output", DA_SEV_INFO, ev->pid, ev->time_s, evidence, n, rec,
	     "%s", msg);
}

static void on_python_exception(struct code_integrity *st, const struct da_event *ev,
				struct stream *s, const char *line, size_t name_len)
{
	char name[128];
	snprintf(name, sizeof(name), "%.*s", (int)name_len, line);
	const char *short_name = strrchr(name, '.') ? strrchr(name, '.') + 1 : name;
	bool syntax = strcmp(short_name, "SyntaxError") == 0 ||
		      strcmp(short_name, "IndentationError") == 0 ||
		      strcmp(short_name, "TabError") == 0;
	bool memory = strcmp(short_name, "MemoryError") == 0;
	const char *why = syntax ? ": the code did not even start" : memory ? ": " MEMORY_CAUSE : "";
	char msg[1536];
	if (s->frame_file[0])
		snprintf(msg, sizeof(msg), "Python %s: \"%.400s\" in %.400s, line %ld%s", short_name,
			 line, s->frame_file, s->frame_lineno, why);
	else
		snprintf(msg, sizeof(msg), "Python %s: \"%.400s\"%s", short_name, line, why);
	st->memory_hint = st->memory_hint || memory;
	char rec[512];
	const char *where = s->frame_file[0] ? da_prog_base_name(s->frame_file) : "the program";
	if (memory)
		snprintf(rec, sizeof(rec), "%s", MEMORY_FIX);
	else if (syntax)
		snprintf(rec, sizeof(rec),
			 "Fix the syntax issue (%s) in %s to allow full runtime evaluation", short_name,
			 where);
	else
		snprintf(rec, sizeof(rec), "Handle or fix the %s raised in %s", short_name, where);
	output_finding(st, ev, s, msg, rec);

	/* the last exception of a chain is the one that ends the program */
	snprintf(st->crash_label, sizeof(st->crash_label), "%s", short_name);
	if (s->frame_file[0])
		snprintf(st->crash_file, sizeof(st->crash_file), "%s", da_prog_base_name(s->frame_file));
	st->syntax_error = st->syntax_error || syntax;
	s->in_traceback = false;
	s->frame_file[0] = '\0';
	s->frame_is_app = false;
}

/* "/home/auditor/app/srv.js:3": where Node says an uncaught error was thrown. */
static bool is_js_location(const char *line)
{
	const char *colon = strrchr(line, ':');
	if (line[0] != '/' || !colon || strchr(line, ' ') || !colon[1])
		return false;
	for (const char *p = colon + 1; *p; p++)
		if (*p < '0' || *p > '9')
			return false;
	size_t n = (size_t)(colon - line);
	return (n > 3 && memcmp(colon - 3, ".js", 3) == 0) || (n > 4 && memcmp(colon - 4, ".mjs", 4) == 0) ||
	       (n > 4 && memcmp(colon - 4, ".cjs", 4) == 0) || (n > 3 && memcmp(colon - 3, ".ts", 3) == 0);
}

/* Node ends an uncaught exception with its version ("Node.js v18.19.0")
 * after the location, the source line, the error and its stack. */
static void on_node_crash(struct code_integrity *st, const struct da_event *ev, struct stream *s)
{
	const char *error = s->last_error[0] ? s->last_error : "an uncaught exception";
	size_t name_len = exception_name_len(error);
	char name[128], file[LINE_MAX_KEPT] = "", msg[1536], rec[512];
	snprintf(name, sizeof(name), "%.*s", (int)(name_len ? name_len : 5),
		 name_len ? error : "Error");
	if (s->js_location[0])
		snprintf(file, sizeof(file), "%.*s", (int)(strrchr(s->js_location, ':') - s->js_location),
			 s->js_location);
	snprintf(msg, sizeof(msg), "Node uncaught %s: \"%.400s\"%s%.400s", name, error,
		 file[0] ? " thrown at " : "", file[0] ? s->js_location : "");
	snprintf(rec, sizeof(rec), "Handle or fix the %s thrown in %s", name,
		 file[0] ? da_prog_base_name(file) : "the program");
	output_finding(st, ev, s, msg, rec);
	snprintf(st->crash_label, sizeof(st->crash_label), "%s", name);
	if (file[0])
		snprintf(st->crash_file, sizeof(st->crash_file), "%s", da_prog_base_name(file));
}

/* HotSpot reports its own death in a block of '#' lines, on stdout:
 *   # There is insufficient memory for the Java Runtime Environment to continue.
 *   # Native memory allocation (mmap) failed to map 6225920 bytes. ...
 *   # An error report file with more information is saved as:
 *   # /home/auditor/app/hs_err_pid2.log
 * or "# A fatal error has been detected by the Java Runtime Environment:"
 * (a crash inside the VM); a VM that cannot even start says "Error occurred
 * during initialization of VM" and why.  One finding per report: its first
 * telling line names it; a later line only adds that memory ran out.
 * Returns true when line belongs to such a report. */
static bool on_jvm_line(struct code_integrity *st, const struct da_event *ev,
			const struct stream *s, const char *line)
{
	static const struct {
		const char *prefix;
		const char *label;
		bool memory;
	} reports[] = {
		{"# There is insufficient memory for the Java Runtime Environment", "JVM out of memory", true},
		{"# Out of Memory Error", "JVM out of memory", true},
		{"# Native memory allocation", "JVM out of memory", true},
		{"Could not reserve enough space for", "JVM out of memory", true},
		{"# A fatal error has been detected by the Java Runtime Environment", "JVM fatal error", false},
		{"Error occurred during initialization of VM", "JVM start-up error", false},
	};
	size_t i = 0, n = sizeof(reports) / sizeof(reports[0]);
	while (i < n && !da_str_starts_with(line, reports[i].prefix))
		i++;
	/* the report's file names the crash even when its header went elsewhere */
	bool hs_err = i == n && line[0] == '#' && strstr(line, "/hs_err_pid") && da_str_ends_with(line, ".log");
	if (i == n && !hs_err)
		return false;
	bool memory = i < n && reports[i].memory;
	if (st->jvm_reported && !(memory && !st->memory_hint))
		return true;
	st->jvm_reported = true;
	const char *label = i < n ? reports[i].label : "JVM fatal error";
	char msg[768], rec[320];
	if (memory) {
		snprintf(msg, sizeof(msg), "%s: the Java runtime stopped: \"%.400s\": " MEMORY_CAUSE,
			 label, line);
		snprintf(rec, sizeof(rec), "%s, and re-run the audit", MEMORY_FIX);
	} else if (i < n && strcmp(label, "JVM start-up error") == 0) {
		snprintf(msg, sizeof(msg), "%s: the Java runtime could not start: \"%.400s\"", label, line);
		snprintf(rec, sizeof(rec), "Check the JVM options and limits the command uses, and re-run the audit");
	} else {
		snprintf(msg, sizeof(msg), "%s: the Java runtime itself crashed: \"%.400s\"", label, line);
		snprintf(rec, sizeof(rec), "Read the JVM's error report (hs_err_pid*.log) for the failing frame, fix it and re-run the audit");
	}
	output_finding(st, ev, s, msg, rec);
	st->memory_hint = st->memory_hint || memory;
	if (!st->crash_label[0] || memory)
		snprintf(st->crash_label, sizeof(st->crash_label), "%s", label);
	return true;
}

/* What an interpreter prints when it cannot load the program it was
 * given at all (before any of its code runs). */
static bool is_load_error(const char *line)
{
	static const char *const said[] = {
		"can't open file '",                  /* python */
		"Could not find or load main class ", /* java */
		"Unable to access jarfile ",          /* java -jar */
		"Can't open perl script \"",          /* perl */
		": No such file or directory -- ",    /* ruby */
	};
	for (size_t i = 0; i < sizeof(said) / sizeof(said[0]); i++)
		if (strstr(line, said[i]))
			return true;
	return false;
}

void on_output(struct code_integrity *st, const struct da_event *ev)
{
	if (!ev->detail || (ev->fd != 1 && ev->fd != 2))
		return;
	struct stream *s = &st->out[ev->fd == 2 ? 1 : 0];
	const char *line = ev->detail;
	snprintf(s->ring[s->n_lines % RING_LINES], LINE_MAX_KEPT, "%s", line);
	s->n_lines++;

	char file[LINE_MAX_KEPT];
	long lineno = 0;
	if (da_str_starts_with(line, "Traceback (most recent call last)")) {
		s->in_traceback = true;
		s->frame_file[0] = '\0';
		s->frame_is_app = false;
		return;
	}
	if (line[0] == ' ' && parse_frame(line, file, sizeof(file), &lineno)) {
		bool app = under_workdir(st, file) || file[0] != '/';
		if (app || !s->frame_is_app) {
			snprintf(s->frame_file, sizeof(s->frame_file), "%s", file);
			s->frame_lineno = lineno;
			s->frame_is_app = app;
		}
		s->frame_line = s->n_lines;
		return;
	}
	if (ev->fd == 2 && !st->load_error[0] && is_load_error(line))
		snprintf(st->load_error, sizeof(st->load_error), "%s", line);
	size_t name_len = exception_name_len(line);
	bool near_frame = s->frame_line > 0 && s->n_lines - s->frame_line <= TRACEBACK_REACH;
	if (name_len > 0 && (s->in_traceback || near_frame)) {
		on_python_exception(st, ev, s, line, name_len);
		s->frame_line = 0;
		return;
	}
	if (name_len > 0)
		snprintf(s->last_error, sizeof(s->last_error), "%s", line);
	else if (is_js_location(line))
		snprintf(s->js_location, sizeof(s->js_location), "%s", line);
	if (da_str_starts_with(line, "Node.js v") && line[9] >= '0' && line[9] <= '9') {
		on_node_crash(st, ev, s);
		return;
	}
	if (on_jvm_line(st, ev, s, line))
		return;
	const char *label = crash_signature(line);
	if (!label)
		return;
	bool memory = mentions_memory(line);
	st->memory_hint = st->memory_hint || memory;
	char msg[768];
	snprintf(msg, sizeof(msg), "%s: \"%.500s\"%s", label, line, memory ? ": " MEMORY_CAUSE : "");
	char rec[320];
	if (memory)
		snprintf(rec, sizeof(rec), "%s, and re-run the audit", MEMORY_FIX);
	else
		snprintf(rec, sizeof(rec), "Fix the %s reported in the output and re-run the audit", label);
	output_finding(st, ev, s, msg, rec);
	if (!st->crash_label[0] && !java_exception(line, st->crash_label, sizeof(st->crash_label)))
		snprintf(st->crash_label, sizeof(st->crash_label), "%s", label);
}


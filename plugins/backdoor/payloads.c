/*
 * payloads.c — dropped payloads: files written and then run, mapped or loaded
 */
#include "backdoor.h"

/* ---- dropped files ------------------------------------------------------- */

const struct dropped *dropped_find(const struct backdoor *st, const char *path)
{
	for (size_t i = 0; path && i < st->n_drops; i++)
		if (strcmp(st->drops[i].path, path) == 0)
			return &st->drops[i];
	return NULL;
}

static bool is_drop_location(const struct backdoor *st, const char *path)
{
	if (!path || path[0] != '/' || strstr(path, "/__pycache__/") || da_str_ends_with(path, ".pyc"))
		return false;
	if (da_str_starts_with(path, "/dev/") && !da_str_starts_with(path, "/dev/shm/"))
		return false;
	if (da_str_starts_with(path, "/proc/") || da_str_starts_with(path, "/sys/"))
		return false;
	return !in_workdir(st, path) || da_prog_base_name(path)[0] == '.';
}

static void note_dropped(struct backdoor *st, const char *path, const struct da_event *ev)
{
	if (!is_drop_location(st, path) || dropped_find(st, path))
		return;
	if (st->n_drops >= MAX_DROPPED) {
		st->drops_dropped++;
		return;
	}
	st->drops[st->n_drops].path = strdup(path);
	if (!st->drops[st->n_drops].path)
		return;
	st->drops[st->n_drops].text = copy_text(ev->text);
	st->drops[st->n_drops].setup = ev->phase != NULL;
	st->n_drops++;
}

/* base equals one of exact[] or starts with one of prefixes[]. */
bool name_in(const char *base, const char *const *exact, size_t n_exact,
	     const char *const *prefixes, size_t n_prefixes)
{
	for (size_t i = 0; i < n_exact; i++)
		if (strcmp(base, exact[i]) == 0)
			return true;
	for (size_t i = 0; i < n_prefixes; i++)
		if (da_str_starts_with(base, prefixes[i]))
			return true;
	return false;
}
#define NAME_IN(base, exact, prefixes) \
	name_in(base, exact, sizeof(exact) / sizeof(exact[0]), prefixes, sizeof(prefixes) / sizeof(prefixes[0]))

/* The dynamic loader run as a program: ld-linux-x86-64.so.2 FILE. */
bool is_loader(const char *base)
{
	return da_str_starts_with(base, "ld-linux") || da_str_starts_with(base, "ld-musl") ||
	       da_str_starts_with(base, "ld.so") || da_str_starts_with(base, "ld64.so");
}

/* The program pid runs, or the one its parent ran (a fork that did not exec). */
static const char *writer_of(struct backdoor *st, struct proc *p)
{
	if (!p)
		return "";
	if (p->exe[0])
		return p->exe;
	struct proc *parent = p->ppid > 0 ? proc_find(st, p->ppid) : NULL;
	return parent ? parent->exe : "";
}

const struct work_write *work_find(const struct backdoor *st, const char *path)
{
	for (size_t i = 0; path && i < st->n_works; i++)
		if (strcmp(st->works[i].path, path) == 0)
			return &st->works[i];
	return NULL;
}

static void note_work_write(struct backdoor *st, const char *path, const struct da_event *ev)
{
	if (ev->phase || !in_workdir(st, path) || is_drop_location(st, path) ||
	    strstr(path, "/__pycache__/") || da_str_ends_with(path, ".pyc") || work_find(st, path))
		return;
	const char *writer = writer_of(st, proc_find(st, ev->pid));
	if (da_prog_is_toolchain(writer))
		return; /* a build output */
	if (st->n_works >= MAX_WORK) {
		st->works_dropped++;
		return;
	}
	struct work_write *w = &st->works[st->n_works];
	w->path = strdup(path);
	if (!w->path)
		return;
	w->text = copy_text(ev->text);
	snprintf(w->writer, sizeof(w->writer), "%s", writer);
	w->interp = da_prog_is_script_runner(writer) || strcmp(writer, "busybox") == 0;
	st->n_works++;
}

bool is_fileless(const struct da_event *ev, const char *path)
{
	if (ev->detail && strcmp(ev->detail, "memfd") == 0)
		return true;
	if (!path)
		return false;
	if (strstr(path, "memfd:") || da_str_starts_with(path, "/dev/fd/"))
		return true;
	return da_str_starts_with(path, "/proc/") && strstr(path, "/fd/");
}

/* JVM libraries that unpack their own native code to /tmp or ~/.cache and
 * load it (sqlite-jdbc, JNA, Netty, snappy-java ...). */
static bool is_known_extractor(const char *base)
{
	static const char *const prefixes[] = {
		"sqlite-", "libsqlitejdbc", "jna", "libjnidispatch", "libnetty_", "netty_",
		"snappy-", "libsnappyjava", "liblz4-java", "libzstd-jni", "librocksdbjni",
		"libconscrypt", "libleveldbjni"};
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (da_str_starts_with(base, prefixes[i]))
			return true;
	return false;
}

/* Anonymous memory made executable holding bytes the tracer found in what
 * the process received on a socket (arg[2] 1) or in a temp file it read
 * back (arg[2] 2, path2): a stager.  A JIT's anonymous code carries
 * neither, so the mapping alone is not judged. */
static bool check_anon_code(struct backdoor *st, const struct da_event *ev)
{
	if (ev->path || ev->fd_desc || (ev->arg[2] != 1 && ev->arg[2] != 2) || ev->phase)
		return false;
	struct proc *p = proc_find(st, ev->pid);
	const char *who = p && p->exe[0] ? p->exe : "the program";
	const char *evidence[1] = {ev->text};
	if (ev->arg[2] == 1)
		emit(st, "backdoor.dropped_payload", DA_SEV_CRITICAL, "Received code executed", ev->pid,
		     ev->time_s, evidence, 1,
		     "Find where the program copies data into memory and executes it; that is a stager",
		     "dropped payload: %s runs code it received from a network connection (anonymous memory made executable with %s)",
		     who, ev->detail ? ev->detail : "mprotect");
	else
		emit(st, "backdoor.dropped_payload", DA_SEV_CRITICAL, "Dropped code executed", ev->pid,
		     ev->time_s, evidence, 1,
		     "Find where the program copies data into memory and executes it; that is a stager",
		     "dropped payload: %s runs code read back from %s, a file it wrote (anonymous memory made executable with %s)",
		     who, ev->path2 ? ev->path2 : "a temp file", ev->detail ? ev->detail : "mprotect");
	return true;
}

void on_mmap_exec(struct backdoor *st, const struct da_event *ev)
{
	if (check_anon_code(st, ev))
		return;
	const char *path = ev->path ? ev->path : ev->fd_desc;
	if (!path)
		return;
	const char *base = da_prog_base_name(path);
	bool libffi = strstr(path, "memfd:libffi") ||
		      (in_temp_dir(path) && da_str_starts_with(base, "ffi") && !strstr(base, ".so"));
	if (libffi || is_known_extractor(base))
		return; /* trampolines and libraries unpacked from the program's own jar */
	const char *rec = "Load code only from the submission or the system library directories";
	const struct dropped *d = dropped_find(st, path);
	const struct work_write *w;
	if (d && d->setup)
		return; /* installed by target.setup (pip install --user ...) */
	if (strstr(path, "memfd:")) {
		const char *evidence[1] = {ev->text};
		emit(st, "backdoor.dropped_payload", DA_SEV_CRITICAL, "Fileless code", ev->pid,
		     ev->time_s, evidence, 1, rec,
		     "dropped payload: maps an in-memory file as code (%s)", path);
	} else if (d) {
		const char *evidence[2] = {d->text, ev->text};
		emit(st, "backdoor.dropped_payload", DA_SEV_CRITICAL, "Dropped payload loaded",
		     ev->pid, ev->time_s, evidence, 2, rec,
		     "dropped payload: loads %s as code, a file it wrote", path);
	} else if ((w = work_find(st, path)) != NULL && w->interp && strstr(base, ".so") &&
		   !strstr(path, "-packages/")) {
		/* a native library comes from a compiler (a build in setup or in
		 * the run), not from a script writing bytes (base64 -> ctypes);
		 * pip's site-packages/dist-packages unpacking is not counted */
		const char *evidence[2] = {w->text, ev->text};
		emit(st, "backdoor.dropped_payload", DA_SEV_HIGH, "Dropped payload loaded", ev->pid,
		     ev->time_s, evidence, 2, rec,
		     "dropped payload: loads %s as code, a library %s wrote in the workdir during the run",
		     path, w->writer);
	} else if (path[0] == '/' && !in_workdir(st, path) &&
		   (in_temp_dir(path) || (st->host->run->live && under(path, st->home, st->home_len)))) {
		/* a replayed log's HOME is the user's own (anaconda, pyenv): only
		 * what the run wrote there (dropped_find, above) is suspect */
		const char *evidence[1] = {ev->text};
		emit(st, "backdoor.writable_library", DA_SEV_HIGH,
		     "Library from a writable directory", ev->pid, ev->time_s, evidence, 1, rec,
		     "loads the library %s from a writable directory", path);
	}
}

static bool ends_with_any(const char *path, const char *const *ext)
{
	for (; *ext; ext++)
		if (da_str_ends_with(path, *ext))
			return true;
	return false;
}

/* Compiled code a runtime loads by reading it, whatever the runtime (the
 * JVM is no script runner): Java classes and archives of them.  Only from
 * a temp directory or a hidden file: ~/.m2 and ~/.gradle are build caches
 * a run may fill and load. */
static bool is_dropped_bytecode(const struct backdoor *st, const char *path)
{
	static const char *const bytecode_ext[] = {".class", ".jar", NULL};
	return ends_with_any(path, bytecode_ext) &&
	       (in_temp_dir(path) || (da_prog_base_name(path)[0] == '.' && is_drop_location(st, path)));
}

/* An interpreter reading source code the run itself dropped outside the
 * workdir: `import helper` from a module written to /tmp, a script
 * required or sourced from there; or any runtime reading compiled code it
 * dropped there (a JVM's URLClassLoader on a /tmp directory).  No exec
 * shows it: the open is the evidence. */
static void check_dropped_code_load(struct backdoor *st, const struct da_event *ev)
{
	static const char *const code_ext[] = {".py", ".js", ".mjs", ".cjs", ".pl", ".pm", ".rb",
					       ".php", ".lua", ".sh", NULL};
	if (!ev->path || ev->err != 0)
		return;
	const struct dropped *d = dropped_find(st, ev->path);
	if (!d || d->setup)
		return;
	struct proc *p = proc_find(st, ev->pid);
	if (p && p->script && strcmp(p->script, ev->path) == 0)
		return; /* the script it was started on: judged at the exec */
	if (!p)
		return;
	bool bytecode = is_dropped_bytecode(st, ev->path);
	if (!bytecode && !(ends_with_any(ev->path, code_ext) && da_prog_is_script_runner(p->exe)))
		return;
	const char *evidence[2] = {d->text, ev->text};
	emit(st, "backdoor.dropped_payload", DA_SEV_HIGH, "Dropped code loaded", ev->pid,
	     ev->time_s, evidence, 2,
	     "Remove the code that writes source files outside the submission and loads them",
	     "dropped payload: %s loads %s it wrote to %s (%s, no exec)",
	     p->exe[0] ? p->exe : "the program", bytecode ? "compiled code" : "code", ev->path,
	     bytecode ? "a class loader reading it back" : "an import or require");
}

void on_write_like(struct backdoor *st, const struct da_event *ev)
{
	const char *path = NULL;
	switch (ev->kind) {
	case DA_EV_FILE_OPEN:
		if (ev->path && strcmp(ev->path, "/dev/ptmx") == 0 && ev->err == 0) {
			struct proc *p = proc_get(st, ev->pid, ev->ppid);
			if (p)
				p->pty_master = true;
			return;
		}
		if (!(ev->access & (DA_ACC_WRITE | DA_ACC_CREATE | DA_ACC_TRUNC | DA_ACC_APPEND))) {
			on_secret_read(st, ev);
			check_dropped_code_load(st, ev);
			return;
		}
		path = ev->path;
		break;
	case DA_EV_FILE_WRITE:
		path = ev->path ? ev->path : ev->fd_desc;
		break;
	case DA_EV_FILE_RENAME: path = ev->path2; break;
	case DA_EV_FILE_LINK: path = ev->path; break;
	default: return;
	}
	if (!path)
		return;
	if (ev->err == 0 && ev->result >= 0) {
		note_dropped(st, path, ev);
		note_work_write(st, path, ev);
	}
}

void on_memfd(struct backdoor *st, const struct da_event *ev)
{
	struct proc *p = proc_get(st, ev->pid, ev->ppid);
	if (p && ev->fd >= 0)
		fd_track(p, ev->fd, FD_MEMFD, ev->detail);
}


/*
 * strace_context.c — infer the recording's cwd, HOME and user from the
 * start of a strace log.  See strace_context.h.
 */
#include "recorded/strace_context.h"

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "recorded/strace_args.h"
#include "recorded/strace_lexer.h"

#define SCAN_LINES 20000
#define LINE_MAX_SCAN 65536  /* longer lines are skipped: the start of a log is short lines */
#define NAMES_MAX 8
#define ARGS_MAX 8

struct scan {
	struct strace_context *ctx;
	int main_pid;           /* pid of the first line; 0: unprefixed */
	bool seen_exec, chdir_seen;
	int cwd_rank;           /* 3 getcwd, 2 -y annotation, 1 name match, 0 none */
	char *names[NAMES_MAX]; /* relative names of the first execve, "./" stripped */
	size_t n_names;
	long uid;               /* -1 unknown */
	char xdg[4096];         /* the first home with XDG state the process touched */
	char first_home[4096];  /* the first /home/U or /root a non-hidden path lay in */
};

static void set_str(char *dst, size_t cap, const char *src, size_t n)
{
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
	/* a trailing slash says nothing ("/home/u/" is /home/u) */
	while (n > 1 && dst[n - 1] == '/')
		dst[--n] = '\0';
}

static void set_cwd(struct scan *s, const char *p, size_t n, int rank, const char *from)
{
	if (s->chdir_seen || rank <= s->cwd_rank || n == 0 || p[0] != '/')
		return;
	set_str(s->ctx->cwd, sizeof(s->ctx->cwd), p, n);
	s->ctx->cwd_from = from;
	s->cwd_rank = rank;
}

static const char *skip_dot_slash(const char *p)
{
	while (p[0] == '.' && p[1] == '/')
		p += 2;
	return p;
}

/* A name worth matching: a relative file name ("app.py", "bin/x"), not
 * an option, a number or "." */
static bool file_like(const char *p)
{
	if (!p[0] || p[0] == '-' || p[0] == '/' || strstr(p, ".."))
		return false;
	return strlen(p) >= 3 && (strchr(p, '.') || strchr(p, '/'));
}

static void add_name(struct scan *s, char *str)
{
	const char *p = skip_dot_slash(str);
	/* "./prog" names a file even without a dot */
	if (s->n_names < NAMES_MAX && (file_like(p) || (p != str && p[0] && !strstr(p, "..")))) {
		s->names[s->n_names] = strdup(p);
		if (s->names[s->n_names])
			s->n_names++;
	}
	free(str);
}

/* The XDG state directories a program keeps in its own home. */
static bool xdg_home(const char *path, size_t *home_len)
{
	static const char *const dirs[] = {"/.config", "/.cache", "/.local"};
	const char *rest;
	if (!strncmp(path, "/root/", 6)) {
		rest = path + 5;
	} else if (!strncmp(path, "/home/", 6) && path[6] && path[6] != '/') {
		rest = strchr(path + 6, '/');
		if (!rest)
			return false;
	} else {
		return false;
	}
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		size_t dl = strlen(dirs[i]);
		if (!strncmp(rest, dirs[i], dl) && (rest[dl] == '/' || rest[dl] == '\0')) {
			*home_len = (size_t)(rest - path);
			return true;
		}
	}
	return false;
}

/* An absolute path the first process used: a name of its command met
 * again as this path's tail gives the cwd; XDG state gives the home. */
static void absolute_path(struct scan *s, const char *path)
{
	size_t pl = strlen(path);
	for (size_t i = 0; i < s->n_names; i++) {
		size_t nl = strlen(s->names[i]);
		if (pl > nl + 1 && path[pl - nl - 1] == '/' && !strcmp(path + pl - nl, s->names[i]))
			set_cwd(s, path, pl - nl - 1, 1, "a relative name of the command met as an absolute path");
	}
	size_t hl;
	if (!s->xdg[0] && xdg_home(path, &hl))
		set_str(s->xdg, sizeof(s->xdg), path, hl);
	/* /home/U/project/...: a hidden entry (~/.ssh) is never evidence */
	if (!s->first_home[0] && !strncmp(path, "/home/", 6) && path[6] && path[6] != '.') {
		const char *end = strchr(path + 6, '/');
		if (end && end[1] && end[1] != '.' && end - path > 6)
			set_str(s->first_home, sizeof(s->first_home), path, (size_t)(end - path));
	}
}

static void first_exec(struct scan *s, const struct strace_span *a, size_t n)
{
	char *prog = n > 0 ? strace_unquote(a[0], NULL, NULL) : NULL;
	if (prog)
		add_name(s, prog);
	/* argv "[\"python3\", \"app.py\"]": its names after argv[0] */
	if (n > 1 && a[1].n >= 2 && a[1].p[0] == '[') {
		struct strace_span inner = {a[1].p + 1, a[1].n - 2}, items[ARGS_MAX];
		size_t k = strace_split(inner, items, ARGS_MAX);
		for (size_t i = 1; i < k && i < ARGS_MAX; i++) {
			bool cut = false;
			char *v = strace_unquote(items[i], NULL, &cut);
			if (v && !cut)
				add_name(s, v);
			else
				free(v);
		}
	}
	/* -v environment: ["HOME=/home/u", ...] */
	if (n > 2 && a[2].n >= 2 && a[2].p[0] == '[') {
		struct strace_span inner = {a[2].p + 1, a[2].n - 2}, items[256];
		size_t k = strace_split(inner, items, 256);
		for (size_t i = 0; i < k && i < 256; i++) {
			bool cut = false;
			char *v = strace_unquote(items[i], NULL, &cut);
			if (v && !cut && !strncmp(v, "HOME=/", 6)) {
				set_str(s->ctx->home, sizeof(s->ctx->home), v + 5, strlen(v + 5));
				s->ctx->home_from = "HOME in the environment of the first execve";
			}
			free(v);
		}
	}
}

static void one_call(struct scan *s, const struct strace_rec *rec)
{
	struct strace_span a[ARGS_MAX];
	size_t n = strace_split(rec->args, a, ARGS_MAX);
	if (n > ARGS_MAX)
		n = ARGS_MAX;
	const struct strace_span name = rec->name;
	bool ok = rec->has_ret && rec->ret >= 0;
	if ((strace_span_eq(name, "execve") || strace_span_eq(name, "execveat")) && !s->seen_exec) {
		s->seen_exec = true;
		first_exec(s, strace_span_eq(name, "execveat") && n > 1 ? a + 1 : a,
			   strace_span_eq(name, "execveat") && n > 1 ? n - 1 : n);
	}
	if (strace_span_eq(name, "getcwd") && ok && n > 0) {
		char *v = strace_unquote(a[0], NULL, NULL);
		if (v)
			set_cwd(s, v, strlen(v), 3, "getcwd()");
		free(v);
	}
	if ((strace_span_eq(name, "getuid") || strace_span_eq(name, "geteuid") ||
	     strace_span_eq(name, "getuid32") || strace_span_eq(name, "geteuid32")) &&
	    rec->has_ret && s->uid < 0)
		s->uid = (long)rec->ret;
	/* a relative open whose -y annotation says where it landed */
	bool is_openat = strace_span_eq(name, "openat");
	if ((strace_span_eq(name, "open") || is_openat) && ok && rec->ret_annot.n &&
	    n > (size_t)is_openat && rec->ret_annot.p[0] == '/') {
		char *rel = strace_unquote(a[is_openat], NULL, NULL);
		char *abs = strace_unescape(rec->ret_annot.p, rec->ret_annot.n, NULL);
		if (rel && abs && rel[0] != '/' && (!is_openat || !strncmp(a[0].p, "AT_FDCWD", 8))) {
			const char *r = skip_dot_slash(rel);
			size_t al = strlen(abs), rl = strlen(r);
			if (!strcmp(r, "."))
				set_cwd(s, abs, al, 2, "the -y annotation of a relative open");
			else if (al > rl + 1 && abs[al - rl - 1] == '/' && !strcmp(abs + al - rl, r))
				set_cwd(s, abs, al - rl - 1, 2, "the -y annotation of a relative open");
		}
		free(rel);
		free(abs);
	}
	if (strace_span_eq(name, "chdir") || strace_span_eq(name, "fchdir") ||
	    strace_span_eq(name, "chroot")) {
		if (ok)
			s->chdir_seen = true;
		return;
	}
	for (size_t i = 0; i < n; i++) {
		/* -y shows the cwd itself: AT_FDCWD</home/u/proj> */
		if (a[i].n > 11 && !strncmp(a[i].p, "AT_FDCWD</", 10) && a[i].p[a[i].n - 1] == '>') {
			char *v = strace_unescape(a[i].p + 9, a[i].n - 10, NULL);
			if (v)
				set_cwd(s, v, strlen(v), 2, "the -y annotation of AT_FDCWD");
			free(v);
			continue;
		}
		if (a[i].n < 3 || a[i].p[0] != '"' || a[i].p[1] != '/')
			continue;
		bool cut = false;
		char *v = strace_unquote(a[i], NULL, &cut);
		if (v && !cut)
			absolute_path(s, v);
		free(v);
	}
}

/* -ff: PREFIX itself does not exist; read the lowest PREFIX.PID. */
static FILE *open_log(const char *path)
{
	struct stat st;
	if (stat(path, &st) == 0)
		return S_ISREG(st.st_mode) ? fopen(path, "r") : NULL;
	char dir[4096];
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - path + (slash == path)) : 1,
		 slash ? path : ".");
	DIR *dh = opendir(dir);
	if (!dh)
		return NULL;
	size_t bl = strlen(base);
	long best = -1;
	struct dirent *de;
	while ((de = readdir(dh))) {
		if (strncmp(de->d_name, base, bl) || de->d_name[bl] != '.')
			continue;
		char *end;
		long pid = strtol(de->d_name + bl + 1, &end, 10);
		if (*end || end == de->d_name + bl + 1 || pid <= 0)
			continue;
		if (best < 0 || pid < best)
			best = pid;
	}
	closedir(dh);
	if (best < 0)
		return NULL;
	char file[8192];
	snprintf(file, sizeof(file), "%s/%s.%ld", dir, base, best);
	return fopen(file, "r");
}

static void derive(struct scan *s)
{
	struct strace_context *c = s->ctx;
	const char *cwd = c->cwd;
	if (!c->home[0] && (!strncmp(cwd, "/home/", 6) || !strncmp(cwd, "/root", 5))) {
		size_t hl;
		if (!strncmp(cwd, "/root", 5) && (cwd[5] == '/' || !cwd[5])) {
			hl = 5;
		} else {
			const char *end = strchr(cwd + 6, '/');
			hl = end ? (size_t)(end - cwd) : strlen(cwd);
		}
		if (hl > 6 || (hl == 5 && !strncmp(cwd, "/root", 5))) {
			set_str(c->home, sizeof(c->home), cwd, hl);
			c->home_from = "the home the working directory lies in";
		}
	}
	if (!c->home[0] && s->xdg[0]) {
		snprintf(c->home, sizeof(c->home), "%s", s->xdg);
		c->home_from = "where the program keeps its own state (~/.config, ~/.cache, ~/.local)";
	}
	if (!c->home[0] && s->first_home[0] && !s->seen_exec) {
		/* attached (-p) or an excerpt: the program's own files show whose
		 * home it ran from */
		snprintf(c->home, sizeof(c->home), "%s", s->first_home);
		c->home_from = "the first home directory the log's files lie in (no execve in the log)";
	}
	if (!c->home[0] && s->uid == 0) {
		snprintf(c->home, sizeof(c->home), "/root");
		c->home_from = "the program runs as uid 0";
	}
	if (s->uid == 0) {
		snprintf(c->user, sizeof(c->user), "root");
		c->user_from = "getuid()/geteuid() returned 0";
	} else if (!strncmp(c->home, "/home/", 6) && c->home[6] && !strchr(c->home + 6, '/')) {
		if (s->uid > 0)
			snprintf(c->user, sizeof(c->user), "%.200s (uid %ld)", c->home + 6, s->uid);
		else
			snprintf(c->user, sizeof(c->user), "%.200s", c->home + 6);
		c->user_from = "the owner of HOME";
	} else if (!strcmp(c->home, "/root")) {
		snprintf(c->user, sizeof(c->user), "root");
		c->user_from = "the owner of HOME";
	}
}

void strace_infer_context(const char *path, struct strace_context *out)
{
	memset(out, 0, sizeof(*out));
	struct scan s = {.ctx = out, .main_pid = -1, .uid = -1};
	FILE *f = open_log(path);
	if (!f)
		return;
	char *line = malloc(LINE_MAX_SCAN);
	bool skipping = false;
	for (unsigned n = 0; line && n < SCAN_LINES && fgets(line, LINE_MAX_SCAN, f); n++) {
		size_t len = strlen(line);
		bool whole = len && line[len - 1] == '\n';
		bool was_skipping = skipping;
		skipping = !whole && !feof(f);
		if (was_skipping || skipping)
			continue; /* a part of a line too long to matter here */
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		struct strace_prefix pfx;
		struct strace_rec rec;
		const char *why;
		strace_lex_prefix(line, len, &pfx);
		int pid = pfx.has_pid ? pfx.pid : 0;
		if (strace_lex_body(line + pfx.body_off, len - pfx.body_off, &rec, &why) < 0 ||
		    rec.kind != STRACE_REC_CALL)
			continue;
		if (s.main_pid < 0)
			s.main_pid = pid;
		if (pid && s.main_pid && pid != s.main_pid)
			continue; /* another process: its cwd is its own */
		one_call(&s, &rec);
	}
	free(line);
	fclose(f);
	derive(&s);
	for (size_t i = 0; i < s.n_names; i++)
		free(s.names[i]);
}

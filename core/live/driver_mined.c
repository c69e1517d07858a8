/*
 * driver_mined.c — the built-in line driver (driver.mined: true): the
 * submission's own string literals that look like commands are sent to
 * the target, line by line, so a magic-string backdoor fires without
 * staff writing a client.  See driver_mined.h.
 *
 * Mining reads the sandbox's workdir copy (already made by the copy's
 * rules) fd-relative, never following a link at any level and skipping
 * files with several names, so the target (running by then) cannot point
 * it at a host file: the worst it can do is choose what it is sent.
 */
#include "live/driver_mined.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MINED_FILE_MAX (256 * 1024) /* bytes read of one source file */
#define MINED_FILES_MAX 400         /* files looked at */
#define MINED_DEPTH_MAX 8
#define MINED_LIT_MAX 48            /* longest literal kept */
#define MINED_LINES_PER_CONN 6      /* a fresh connection every few lines */
#define MINED_TIME_MAX_S 10.0       /* the whole send */

static const char *const source_ext[] = {".py", ".c", ".h", ".cc", ".cpp", ".js", ".mjs", ".ts",
					 ".java", ".pl", ".pm", ".sh", ".rb", ".go", NULL};

static bool is_source(const char *name)
{
	size_t n = strlen(name);
	for (size_t i = 0; source_ext[i]; i++) {
		size_t e = strlen(source_ext[i]);
		if (n > e && strcmp(name + n - e, source_ext[i]) == 0)
			return true;
	}
	return false;
}

/* A line that compares something with a literal. */
static bool compares(const char *line, size_t len)
{
	static const char *const ops[] = {"==", "!=", "startswith", "endswith", "strcmp", "strncmp",
					  "strcasecmp", "equals", "case ", " eq ", " in ", "match",
					  "includes", "indexOf", "strstr", "===", NULL};
	for (size_t i = 0; ops[i]; i++) {
		size_t ol = strlen(ops[i]);
		for (size_t k = 0; k + ol <= len; k++)
			if (memcmp(line + k, ops[i], ol) == 0)
				return true;
	}
	return false;
}

/* Whether a literal looks like a trigger: a command word (!exec, /admin,
 * .debug, #op), or anything short that a comparison tests. */
static bool looks_like_trigger(const char *s, size_t n, bool in_comparison)
{
	if (n < 2 || n > MINED_LIT_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] >= 0x7f || s[i] == '%' ||
		    s[i] == '\\')
			return false;
	bool command = strchr("!/.#@$:~^", s[0]) && n > 1 &&
		       ((s[1] >= 'a' && s[1] <= 'z') || (s[1] >= 'A' && s[1] <= 'Z'));
	if (command)
		return !memchr(s + 1, '/', n - 1); /* "/admin", not a path */
	return in_comparison && !memchr(s, ' ', n - 1) && n <= 24;
}

static bool add(struct mined *m, const char *s, size_t n)
{
	if (m->n >= MINED_MAX)
		return false;
	for (size_t i = 0; i < m->n; i++)
		if (strlen(m->lines[i]) == n && memcmp(m->lines[i], s, n) == 0)
			return true;
	char *c = strndup(s, n);
	if (c)
		m->lines[m->n++] = c;
	return m->n < MINED_MAX;
}

static void scan(struct mined *m, const char *buf, size_t len)
{
	size_t line_start = 0;
	bool cmp = false;
	for (size_t i = 0; i < len && m->n < MINED_MAX; i++) {
		if (i == line_start) {
			size_t e = i;
			while (e < len && buf[e] != '\n')
				e++;
			cmp = compares(buf + i, e - i);
		}
		if (buf[i] == '\n') {
			line_start = i + 1;
			continue;
		}
		if (buf[i] != '"' && buf[i] != '\'')
			continue;
		char q = buf[i];
		size_t j = i + 1;
		while (j < len && buf[j] != q && buf[j] != '\n' && j - i <= MINED_LIT_MAX + 1)
			j += buf[j] == '\\' ? 2 : 1;
		if (j < len && buf[j] == q) {
			if (looks_like_trigger(buf + i + 1, j - i - 1, cmp))
				add(m, buf + i + 1, j - i - 1);
			i = j;
		}
	}
}

static void walk(struct mined *m, int dfd, int depth, int *files)
{
	int fd = dup(dfd);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d) {
		if (fd >= 0)
			close(fd);
		return;
	}
	struct dirent *de;
	while ((de = readdir(d)) && *files < MINED_FILES_MAX && m->n < MINED_MAX) {
		if (de->d_name[0] == '.')
			continue; /* ".", "..", .git, .venv */
		struct stat st;
		if (fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if (S_ISDIR(st.st_mode) && depth < MINED_DEPTH_MAX) {
			int sub = openat(dfd, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (sub >= 0) {
				walk(m, sub, depth + 1, files);
				close(sub);
			}
		} else if (S_ISREG(st.st_mode) && st.st_nlink == 1 && is_source(de->d_name)) {
			int f = openat(dfd, de->d_name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
			if (f < 0)
				continue;
			(*files)++;
			struct stat now;
			char *buf = malloc(MINED_FILE_MAX);
			ssize_t n = buf && fstat(f, &now) == 0 && S_ISREG(now.st_mode) && now.st_nlink == 1
				? read(f, buf, MINED_FILE_MAX) : -1;
			if (n > 0)
				scan(m, buf, (size_t)n);
			free(buf);
			close(f);
		}
	}
	closedir(d);
}

void mined_collect(struct mined *m, const char *workdir)
{
	memset(m, 0, sizeof(*m));
	int fd = open(workdir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return;
	int files = 0;
	walk(m, fd, 0, &files);
	close(fd);
}

void mined_free(struct mined *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->lines[i]);
	m->n = 0;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Whatever came back within ms, into the log as "< ..." lines. */
static void drain(int s, int log, int ms)
{
	char buf[2048];
	struct pollfd p = {.fd = s, .events = POLLIN};
	while (poll(&p, 1, ms) > 0) {
		ssize_t n = recv(s, buf, sizeof buf, 0);
		if (n <= 0)
			break;
		dprintf(log, "< %.*s%s", (int)n, buf, buf[n - 1] == '\n' ? "" : "\n");
		ms = 50;
	}
}

void mined_send(const struct mined *m, const unsigned char addr[4], unsigned port, int log)
{
	double until = now_s() + MINED_TIME_MAX_S;
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((unsigned short)port)};
	memcpy(&a.sin_addr, addr, 4);
	/* each literal as it is, and as a command with an argument */
	for (size_t i = 0; i < m->n && now_s() < until;) {
		int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (s < 0 || connect(s, (struct sockaddr *)&a, sizeof a) < 0) {
			dprintf(log, "mined: connect %u.%u.%u.%u:%u: %s\n", addr[0], addr[1], addr[2],
				addr[3], port, strerror(errno));
			if (s >= 0)
				close(s);
			return;
		}
		for (int k = 0; k < MINED_LINES_PER_CONN && i < m->n && now_s() < until; k++, i++) {
			const char *l = m->lines[i];
			size_t n = strlen(l);
			for (int v = 0; v < 2; v++) {
				char out[MINED_LIT_MAX + 8];
				int len = v ? snprintf(out, sizeof out, "%s%sid\n", l,
						       n && l[n - 1] == ' ' ? "" : " ")
					    : snprintf(out, sizeof out, "%s\n", l);
				dprintf(log, "> %s", out);
				if (send(s, out, (size_t)len, MSG_NOSIGNAL) < 0)
					break;
				drain(s, log, 150);
			}
		}
		close(s);
	}
}

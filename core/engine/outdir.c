/*
 * outdir.c — open, check and clear the output directory.  See outdir.h.
 */
#include "engine/outdir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dynaudit_build.h"
#include "engine/report.h"

/* Names dynaudit writes into an audit directory (and their ".NAME.tmp"
 * temporaries).  Anything else makes a directory without the marker
 * someone else's. */
static const char *const audit_names[] = {
	OUTDIR_MARKER, "report.json", "report.md", "report.html", "report.junit.xml",
	"report.sarif", "events.jsonl", "trace.log", "stdout.log", "stderr.log",
	"sockets.txt", "processes.txt", "fs-events.log", "driver.log",
};

static bool is_audit_name(const char *name)
{
	char plain[NAME_MAX + 1];
	size_t len = strlen(name);
	/* ".report.json.tmp" -> "report.json" */
	if (name[0] == '.' && len > 5 && strcmp(name + len - 4, ".tmp") == 0 && len - 5 < sizeof(plain)) {
		memcpy(plain, name + 1, len - 5);
		plain[len - 5] = '\0';
		name = plain;
	}
	for (size_t i = 0; i < sizeof(audit_names) / sizeof(audit_names[0]); i++)
		if (strcmp(name, audit_names[i]) == 0)
			return true;
	return false;
}

bool outdir_path_within(const char *inner, const char *outer)
{
	size_t n = strlen(outer);
	if (n == 1 && outer[0] == '/')
		return true;
	return strncmp(inner, outer, n) == 0 && (inner[n] == '\0' || inner[n] == '/');
}

/* mkdir -p of a path the user chose (not one the submission controls). */
static int make_parents(const char *path)
{
	char buf[PATH_MAX];
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

int outdir_default(const char *submission, char *buf, size_t len, char *err, size_t errlen)
{
	char cwd[PATH_MAX];
	if (!getcwd(cwd, sizeof(cwd))) {
		int e = errno;
		snprintf(err, errlen, "cannot read the current directory: %s", strerror(e));
		return -e;
	}
	if (!submission || !outdir_path_within(cwd, submission)) {
		snprintf(buf, len, "%s", OUTDIR_DEFAULT);
		return 0;
	}
	/* Run from inside the submission: beside it, never in it. */
	if (strcmp(submission, "/") == 0) {
		snprintf(err, errlen, "the submission is '/': give an output directory with -o");
		return -EINVAL;
	}
	if (snprintf(buf, len, "%s.dynaudit-out", submission) >= (int)len) {
		snprintf(err, errlen, "%s.dynaudit-out: path too long", submission);
		return -ENAMETOOLONG;
	}
	return 0;
}

/* Remove name below dfd without following any link: a directory is
 * emptied through its own fd first.  Bounded depth; returns 0 or -errno. */
static int remove_at(int dfd, const char *name, int depth)
{
	if (unlinkat(dfd, name, 0) == 0 || errno == ENOENT)
		return 0;
	if (errno != EISDIR && errno != EPERM)
		return -errno;
	if (depth > 32)
		return -ELOOP;
	int sub = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (sub < 0)
		return -errno;
	DIR *d = fdopendir(sub);
	if (!d) {
		int e = errno;
		close(sub);
		return -e;
	}
	int rc = 0;
	struct dirent *de;
	while (rc == 0 && (de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			rc = remove_at(dirfd(d), de->d_name, depth + 1);
	}
	closedir(d);
	if (rc == 0 && unlinkat(dfd, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
		rc = -errno;
	return rc;
}

enum contents { EMPTY, EARLIER_AUDIT, FOREIGN };

/* A listing of dfd from its start: a fresh open of ".", not dup() (a dup
 * shares the read offset with dfd).  NULL with errno set. */
static DIR *open_listing(int dfd)
{
	int fd = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d && fd >= 0) {
		int e = errno;
		close(fd);
		errno = e;
	}
	return d;
}

static int survey(int dfd, enum contents *what, char *first_foreign, size_t len)
{
	DIR *d = open_listing(dfd);
	if (!d)
		return -errno;
	bool any = false, marker = false, foreign = false;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		any = true;
		if (!strcmp(de->d_name, OUTDIR_MARKER))
			marker = true;
		else if (!is_audit_name(de->d_name) && !foreign) {
			foreign = true;
			snprintf(first_foreign, len, "%s", de->d_name);
		}
	}
	closedir(d);
	*what = !any ? EMPTY : (marker || !foreign) ? EARLIER_AUDIT : FOREIGN;
	return 0;
}

/* Empty the directory: everything when it holds an earlier audit, only
 * dynaudit's own names when it is someone else's (--force). */
static int clear(int dfd, bool everything, char *err, size_t errlen, const char *shown)
{
	DIR *d = open_listing(dfd);
	if (!d) {
		int e = errno;
		snprintf(err, errlen, "output directory %s: %s", shown, strerror(e));
		return -e;
	}
	int rc = 0;
	struct dirent *de;
	while (rc == 0 && (de = readdir(d)) != NULL) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (!everything && !is_audit_name(de->d_name))
			continue;
		rc = remove_at(dfd, de->d_name, 0);
		if (rc < 0)
			snprintf(err, errlen, "cannot remove the earlier audit's %s/%s: %s", shown,
				 de->d_name, strerror(-rc));
	}
	closedir(d);
	return rc;
}

/* Split path into its parent and last component, without trailing '/'. */
static int split_path(const char *path, char *parent, size_t plen, char *base, size_t blen)
{
	char buf[PATH_MAX];
	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return -ENAMETOOLONG;
	size_t n = strlen(buf);
	while (n > 1 && buf[n - 1] == '/')
		buf[--n] = '\0';
	char *slash = strrchr(buf, '/');
	const char *b = slash ? slash + 1 : buf;
	if (!slash)
		snprintf(parent, plen, ".");
	else if (slash == buf)
		snprintf(parent, plen, "/");
	else {
		*slash = '\0';
		snprintf(parent, plen, "%s", buf);
	}
	if (snprintf(base, blen, "%s", b) >= (int)blen)
		return -ENAMETOOLONG;
	return 0;
}

int outdir_open(const char *path, const char *submission, bool force, char *err, size_t errlen)
{
	char parent[PATH_MAX], base[NAME_MAX + 1], real_parent[PATH_MAX], real[PATH_MAX + NAME_MAX + 2];
	int rc = split_path(path, parent, sizeof(parent), base, sizeof(base));
	if (rc == 0 && (!base[0] || !strcmp(base, ".") || !strcmp(base, "..") || !strcmp(base, "/"))) {
		/* "-o ." or "-o dir/..": name the directory by its real path */
		char whole[PATH_MAX];
		if (!realpath(path, whole)) {
			rc = -errno;
			snprintf(err, errlen, "output directory %s: %s", path, strerror(-rc));
			return rc;
		}
		rc = split_path(whole, parent, sizeof(parent), base, sizeof(base));
		if (rc == 0 && !strcmp(base, "/"))
			rc = -EINVAL;
	}
	if (rc < 0) {
		snprintf(err, errlen, "output directory %s: %s", path,
			 rc == -EINVAL ? "cannot be /" : strerror(-rc));
		return rc;
	}
	rc = make_parents(parent);
	if (rc < 0 || !realpath(parent, real_parent)) {
		rc = rc < 0 ? rc : -errno;
		snprintf(err, errlen, "cannot create output directory %s: %s", path, strerror(-rc));
		return rc;
	}
	snprintf(real, sizeof(real), "%s%s%s", real_parent, strcmp(real_parent, "/") ? "/" : "", base);
	if (submission && outdir_path_within(real, submission)) {
		snprintf(err, errlen,
			 "output directory %s lies inside the submission %s (its files must not decide "
			 "where dynaudit writes): choose one outside it with -o", real, submission);
		return -EINVAL;
	}
	int pfd = open(real_parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (pfd < 0) {
		rc = -errno;
		snprintf(err, errlen, "output directory %s: %s", real_parent, strerror(-rc));
		return rc;
	}
	if (mkdirat(pfd, base, 0755) < 0 && errno != EEXIST) {
		rc = -errno;
		snprintf(err, errlen, "cannot create output directory %s: %s", real, strerror(-rc));
		close(pfd);
		return rc;
	}
	int dfd = openat(pfd, base, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0) {
		rc = -errno;
		struct stat st;
		bool link = fstatat(pfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode);
		snprintf(err, errlen, "output directory %s: %s", real,
			 link ? "is a symbolic link (give the directory it points to)" : strerror(-rc));
		close(pfd);
		return link ? -EINVAL : rc;
	}
	close(pfd);

	enum contents what = EMPTY;
	char foreign[NAME_MAX + 1] = "";
	rc = survey(dfd, &what, foreign, sizeof(foreign));
	if (rc < 0) {
		snprintf(err, errlen, "output directory %s: %s", real, strerror(-rc));
		goto fail;
	}
	if (what == FOREIGN && !force) {
		snprintf(err, errlen,
			 "output directory %s is not empty and holds no dynaudit audit (it has '%s'); "
			 "choose another, or give --force to write into it", real, foreign);
		rc = -EEXIST;
		goto fail;
	}
	if (what != EMPTY && (rc = clear(dfd, what == EARLIER_AUDIT, err, errlen, real)) < 0)
		goto fail;
	static const char marker_text[] =
		"This directory holds one dynaudit audit; the next audit into it replaces it whole.\n";
	rc = write_file_atomic(dfd, OUTDIR_MARKER, marker_text, sizeof(marker_text) - 1, err, errlen);
	if (rc < 0)
		goto fail;
	return dfd;
fail:
	close(dfd);
	return rc;
}

/*
 * atomic_file.c — write a whole file so that readers see the old file or
 * the complete new one, never a torn one (an interrupted audit must still
 * leave readable reports).  See report.h.
 *
 * Every name is created relative to a directory fd, exclusively and
 * without following links: the directory may be one whose entries were
 * planted by someone else (a stale temporary, a link to a host file), and
 * dynaudit must only ever write files it created itself.
 *
 * No fsync: the rename is what readers (and an audit cut short by a
 * signal or a crash of dynaudit) depend on, and it is atomic without one.
 * What fsync adds is the file's data surviving a power loss or a kernel
 * crash, and an audit that did not finish before one is re-run anyway (a
 * batch re-audits a submission whose report.json does not parse).  On
 * this ext4 VM the dozen fsyncs of an audit were 10-60 ms of its fixed
 * cost under load (bench/fixed_cost.sh), more than everything else.
 */
#include "engine/report.h"

#include "engine/json.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int tmp_name(const char *name, char *buf, size_t len)
{
	if (strchr(name, '/') || snprintf(buf, len, ".%s.tmp", name) >= (int)len)
		return -EINVAL;
	return 0;
}

int atomic_file_begin(int dirfd, const char *name, char *err, size_t errlen)
{
	char tmp[NAME_MAX + 8];
	if (tmp_name(name, tmp, sizeof(tmp)) < 0) {
		snprintf(err, errlen, "%s: not a plain file name", name);
		return -EINVAL;
	}
	for (int attempt = 0; attempt < 2; attempt++) {
		int fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
		if (fd >= 0)
			return fd;
		/* A stale temporary (or a planted link): remove the name itself,
		 * never what it points to, and create ours. */
		if (errno != EEXIST || unlinkat(dirfd, tmp, 0) < 0)
			break;
	}
	int e = errno;
	snprintf(err, errlen, "cannot create %s: %s", tmp, strerror(e));
	return -e;
}

void atomic_file_abort(int dirfd, const char *name, int fd)
{
	char tmp[NAME_MAX + 8];
	if (fd >= 0)
		close(fd);
	if (tmp_name(name, tmp, sizeof(tmp)) == 0)
		unlinkat(dirfd, tmp, 0);
}

int atomic_file_commit(int dirfd, const char *name, int fd, char *err, size_t errlen)
{
	char tmp[NAME_MAX + 8];
	int e = 0;
	const char *what = "";
	if (close(fd) < 0) {
		e = errno;
		what = "close: ";
	}
	if (!e && (tmp_name(name, tmp, sizeof(tmp)) < 0 || renameat(dirfd, tmp, dirfd, name) < 0)) {
		e = errno ? errno : EINVAL;
		what = "rename: ";
	}
	if (e) {
		snprintf(err, errlen, "%s: %s%s", name, what, strerror(e));
		atomic_file_abort(dirfd, name, -1);
		return -e;
	}
	return 0;
}

int write_file_atomic(int dirfd, const char *path, const char *data, size_t len, char *err,
		      size_t errlen)
{
	/* A path with directories (AT_FDCWD callers): its parent is the
	 * caller's choice and is followed; the file itself is not. */
	const char *slash = strrchr(path, '/');
	const char *name = slash ? slash + 1 : path;
	int pfd = dirfd;
	if (slash) {
		char parent[PATH_MAX];
		size_t plen = slash == path ? 1 : (size_t)(slash - path);
		if (plen >= sizeof(parent)) {
			snprintf(err, errlen, "%s: path too long", path);
			return -ENAMETOOLONG;
		}
		memcpy(parent, path, plen);
		parent[plen] = '\0';
		pfd = openat(dirfd, parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (pfd < 0) {
			int e = errno;
			snprintf(err, errlen, "%s: %s", path, strerror(e));
			return -e;
		}
	}
	int rc = 0;
	int fd = atomic_file_begin(pfd, name, err, errlen);
	if (fd < 0) {
		rc = fd;
		goto out;
	}
	size_t done = 0;
	while (done < len) {
		ssize_t n = write(fd, data + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int e = n < 0 ? errno : EIO;
			snprintf(err, errlen, "%s: %s", path, strerror(e));
			atomic_file_abort(pfd, name, fd);
			rc = -e;
			goto out;
		}
		done += (size_t)n;
	}
	rc = atomic_file_commit(pfd, name, fd, err, errlen);
out:
	if (pfd != dirfd)
		close(pfd);
	return rc;
}

int report_buf_write(struct json_buf *b, int dirfd, const char *path, char *err, size_t errlen)
{
	int rc;
	if (b->failed) {
		snprintf(err, errlen, "%s: out of memory", path);
		rc = -ENOMEM;
	} else {
		rc = write_file_atomic(dirfd, path, b->data ? b->data : "", b->len, err, errlen);
	}
	json_buf_free(b);
	return rc;
}

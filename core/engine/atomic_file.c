/*
 * atomic_file.c — write a whole file so that readers see the old file or
 * the complete new one, never a torn one (an interrupted audit must still
 * leave readable reports).  See report.h.
 */
#include "engine/report.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int write_file_atomic(const char *path, const char *data, size_t len, char *err, size_t errlen)
{
	char tmp[4096];
	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp)) {
		snprintf(err, errlen, "%s: path too long", path);
		return -ENAMETOOLONG;
	}
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0) {
		int e = errno;
		snprintf(err, errlen, "%s: %s", tmp, strerror(e));
		return -e;
	}
	size_t done = 0;
	while (done < len) {
		ssize_t n = write(fd, data + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int e = n < 0 ? errno : EIO;
			snprintf(err, errlen, "%s: %s", tmp, strerror(e));
			close(fd);
			unlink(tmp);
			return -e;
		}
		done += (size_t)n;
	}
	/* fsync before rename: otherwise a crash can leave the new name
	 * pointing at an empty file on some filesystems. */
	if (fsync(fd) < 0 && errno != EINVAL) {
		int e = errno;
		snprintf(err, errlen, "%s: fsync: %s", tmp, strerror(e));
		close(fd);
		unlink(tmp);
		return -e;
	}
	if (close(fd) < 0) {
		int e = errno;
		snprintf(err, errlen, "%s: close: %s", tmp, strerror(e));
		unlink(tmp);
		return -e;
	}
	if (rename(tmp, path) < 0) {
		int e = errno;
		snprintf(err, errlen, "%s: rename: %s", path, strerror(e));
		unlink(tmp);
		return -e;
	}
	return 0;
}

/*
 * sandbox_input.c — what the target reads on its standard input
 * (target.stdin).
 *
 * The staff's file is read here, by dynaudit, and handed to the target as
 * a sealed memfd rather than as the file itself: the target gets the bytes
 * and nothing else (no descriptor of a host file it could reopen through
 * /proc/self/fd for writing, no name of the host's tree), and a file that
 * changes while the audit runs cannot change what the target read.  The
 * last component is opened without following a link, only a regular file
 * is accepted, and its size is bounded.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "live/sandbox_priv.h"

int sb_open_stdin(const char *path, char *err, size_t errlen)
{
	int e = 0;
	int in = open(path, O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (in < 0) {
		e = errno;
		snprintf(err, errlen, "target.stdin %s: %s%s", path, strerror(e),
			 e == ELOOP ? " (a symbolic link: name the file itself)" : "");
		return -e;
	}
	struct stat st;
	const char *bad = NULL;
	if (fstat(in, &st) < 0)
		bad = strerror(e = errno);
	else if (!S_ISREG(st.st_mode))
		bad = "not a regular file", e = EINVAL;
	else if (st.st_size > SANDBOX_STDIN_MAX_BYTES)
		bad = "larger than " SANDBOX_STDIN_MAX_TEXT, e = EFBIG;
	if (bad) {
		snprintf(err, errlen, "target.stdin %s: %s", path, bad);
		close(in);
		return -e;
	}
	int m = memfd_create("dynaudit-stdin", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (m < 0) {
		e = errno;
		snprintf(err, errlen, "target.stdin: memfd: %s", strerror(e));
		close(in);
		return -e;
	}
	char buf[65536];
	long long total = 0;
	for (;;) {
		ssize_t n = read(in, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			e = errno;
			snprintf(err, errlen, "target.stdin %s: reading: %s", path, strerror(e));
			close(in);
			close(m);
			return -e;
		}
		if (n == 0)
			break;
		total += n;
		if (total > SANDBOX_STDIN_MAX_BYTES) { /* grew while read */
			snprintf(err, errlen, "target.stdin %s: larger than " SANDBOX_STDIN_MAX_TEXT, path);
			close(in);
			close(m);
			return -EFBIG;
		}
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(m, buf + off, (size_t)(n - off));
			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0) {
				e = errno;
				snprintf(err, errlen, "target.stdin: memfd: %s", strerror(e));
				close(in);
				close(m);
				return -e;
			}
			off += w;
		}
	}
	close(in);
	/* Sealed: nobody, the target included, can change what it reads. */
	if (fcntl(m, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_SEAL) < 0 ||
	    lseek(m, 0, SEEK_SET) < 0) {
		e = errno;
		snprintf(err, errlen, "target.stdin: sealing the memfd: %s", strerror(e));
		close(m);
		return -e;
	}
	return m;
}

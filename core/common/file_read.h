/*
 * file_read.h — a whole file into memory, bounded: for files dynaudit reads
 * that anyone may have written (scenario files, the reports a scenario's
 * audit wrote).
 *
 * Only a regular file is read (a FIFO or a device would block or never
 * end: opened O_NONBLOCK, then refused), at most max bytes, and never
 * through a symbolic link in its last component when nofollow is set.
 */
#ifndef DYNAUDIT_FILE_READ_H
#define DYNAUDIT_FILE_READ_H

#include <stdbool.h>
#include <stddef.h>

/* 0 with *text (NUL-terminated, caller frees) and *len; -ENOENT, -EFBIG
 * (larger than max), -EINVAL (not a regular file), -ENOMEM or another
 * negative errno. */
int file_read_bounded(const char *path, size_t max, bool nofollow, char **text, size_t *len);

#endif /* DYNAUDIT_FILE_READ_H */

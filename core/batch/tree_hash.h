/*
 * tree_hash.h — one SHA-256 over a submission directory, so a re-run of a
 * batch can tell an unchanged submission from a changed one.
 *
 * What is hashed, in name order (bytewise) at every level: each entry's
 * relative path, its type and size, and then a regular file's bytes or a
 * symbolic link's target text.  Links are never followed (openat with
 * O_NOFOLLOW, fstatat with AT_SYMLINK_NOFOLLOW), so a submission's
 * `data -> /` costs nothing and reveals nothing.  Devices, fifos and
 * sockets contribute their type only (never opened).
 *
 * Bounds (a submission is untrusted): TREE_HASH_MAX_ENTRIES entries,
 * TREE_HASH_MAX_DEPTH levels, TREE_HASH_MAX_BYTES file bytes.  Beyond a
 * bound the walk stops and tree_hash returns -E2BIG: the caller treats
 * such a submission as never seen before (it is always re-audited).
 */
#ifndef DYNAUDIT_TREE_HASH_H
#define DYNAUDIT_TREE_HASH_H

#include <stddef.h>

#define TREE_HASH_MAX_ENTRIES 100000
#define TREE_HASH_MAX_DEPTH 64
#define TREE_HASH_MAX_BYTES (2ULL << 30)

/* Hash the tree at dir into hex (64 digits + NUL).  Returns 0, -E2BIG
 * (a bound was hit) or another negative errno with the reason in err. */
int tree_hash(const char *dir, char hex[65], char *err, size_t errlen);

#endif /* DYNAUDIT_TREE_HASH_H */

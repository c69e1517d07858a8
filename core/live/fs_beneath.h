/*
 * fs_beneath.h — fd-relative walking of trees the target controls.
 *
 * dynaudit (root in CI) lists, watches and removes directories the target
 * writes: its /tmp, HOME and workdir copy.  A path string into such a tree
 * is resolved by the kernel at each use, and the target can swap any
 * component for a symlink in between ("check the directory, then open
 * host/tmp/d/sub": d now leads to the host's /).  So every step here goes
 * from a directory fd that was already verified, one name at a time, with
 * openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS |
 * RESOLVE_NO_XDEV): the target chooses names, never where they lead.
 * Kernels without openat2 (before 5.6) get the same guarantees from a walk
 * of single components with O_NOFOLLOW and a device check.
 *
 * Nothing here prints, exits or keeps state beyond a probe of openat2.
 * Safe from any thread; fsb_remove_below allocates (fdopendir).
 */
#ifndef DYNAUDIT_FS_BENEATH_H
#define DYNAUDIT_FS_BENEATH_H

/* Open the directory rel (one or more components, "." for dirfd itself)
 * below dirfd: no symlink anywhere on the way, no "..", no mount crossed.
 * Returns a new O_RDONLY|O_DIRECTORY|O_CLOEXEC fd, or negative errno
 * (-ELOOP: a symlink, -EXDEV: a mount or "..", -ENOTDIR: not a directory,
 * -ENOENT: gone). */
int fsb_open_dir(int dirfd, const char *rel);

/* Remove everything below the directory dirfd (the directory itself
 * stays): directories are entered only through fsb_open_dir, files and
 * links are unlinked by name, never followed; a directory the walk cannot
 * enter for its mode is given u+rwx first (fchmod on the verified fd).
 * Mounts below are not entered (detach them first).  Bounded: at most 64
 * levels of descriptors are held; deeper directories are moved up to dirfd
 * (rename within the same filesystem) and removed from there.  Returns 0,
 * or the first negative errno (the walk goes on past errors). */
int fsb_remove_below(int dirfd);

#endif /* DYNAUDIT_FS_BENEATH_H */

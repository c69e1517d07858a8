/*
 * outdir.h — the output directory of one audit, opened once and then used
 * only through its fd.
 *
 * Why: dynaudit writes its files with its own privileges (root in CI), and
 * the names around them can come from the submission (a shipped
 * `dynaudit-out -> /etc` link, a `.report.json.tmp -> /tmp/victim` link, a
 * forged PASS report.json).  So:
 *   - the directory may not lie inside the submission (the default moves
 *     beside it, an explicit one there is refused);
 *   - its last component is never a symbolic link: it is opened with
 *     O_NOFOLLOW | O_DIRECTORY, and every file in it is created relative to
 *     that fd, O_EXCL | O_NOFOLLOW, then renamed into place (atomic_file.c);
 *   - an earlier audit in it is removed whole before this one starts, so a
 *     report that survives is always this audit's; a non-empty directory
 *     that holds no dynaudit audit is refused unless force is set.
 * A directory counts as an earlier audit when it holds the marker file
 * OUTDIR_MARKER (written by outdir_open), or only names dynaudit writes.
 *
 * Errors: negative errno with a one-line reason in err.  -EINVAL and
 * -EEXIST are the user's to fix (exit status 2); others mean the audit
 * cannot run (exit status 3).
 */
#ifndef DYNAUDIT_OUTDIR_H
#define DYNAUDIT_OUTDIR_H

#include <stdbool.h>
#include <stddef.h>

#define OUTDIR_MARKER ".dynaudit-audit"
#define OUTDIR_DEFAULT "./dynaudit-out"

/* The output directory to use when the user gave none: ./dynaudit-out,
 * or <submission>.dynaudit-out beside the submission when the current
 * directory lies inside it.  submission: the submission's real path, or
 * NULL (replay of a log: no submission).  Returns 0 or -errno. */
int outdir_default(const char *submission, char *buf, size_t len, char *err, size_t errlen);

/* Open path as this audit's output directory (its parents are created as
 * needed), refusing it inside submission (NULL: no check), clear an
 * earlier audit out of it, and write the marker.  Returns the directory
 * fd (O_CLOEXEC; the caller closes it) or a negative errno. */
int outdir_open(const char *path, const char *submission, bool force, char *err, size_t errlen);

/* Is the real path `inner` equal to or below the real path `outer`? */
bool outdir_path_within(const char *inner, const char *outer);

#endif /* DYNAUDIT_OUTDIR_H */

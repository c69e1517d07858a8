/*
 * dynaudit/detector.h — small helpers every detector needs (libdynaudit-sdk).
 *
 * The pieces each built-in detector used to carry a copy of: building a
 * struct da_finding from its parts and handing it to host->emit, the
 * string hash of the detectors' bounded sets, a copy that always
 * terminates, and prefix/suffix tests.  One home, so a fix reaches every
 * detector.
 *
 * Every function is documented in the same order: arguments, return value,
 * ownership, threading.  None keeps state.
 */
#ifndef DYNAUDIT_DETECTOR_H
#define DYNAUDIT_DETECTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dynaudit/plugin.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * da_emit_finding — record one finding through host->emit.
 * Arguments: host of the calling detector; rule, severity, message and
 * recommendation (may be NULL) as in struct da_finding; pid (0: none),
 * time_s (< 0: none); evidence[n_evidence] evidence lines (n_evidence 0:
 * none, evidence may then be NULL).
 * Returns: what host->emit returns (0, or -EINVAL for a malformed finding).
 * Ownership: everything stays the caller's; the core copies what it keeps.
 * Threading: only from the detector's own lifecycle callbacks.
 */
int da_emit_finding(const struct da_host *host, const char *rule, enum da_severity severity,
		    const char *message, int pid, double time_s, const char *const *evidence,
		    size_t n_evidence, const char *recommendation);

/*
 * da_hash_str — a 64-bit FNV-1a hash of a string, for hash tables.  Its
 * basis is the one the detectors always used (1469598103934665603, not
 * FNV's 14695981039346656037): a table's slots, and so which entries a full
 * table keeps, stay as they were.
 * Arguments: s (not NULL).  Returns: the hash.  Threading: any thread.
 */
uint64_t da_hash_str(const char *s);

/*
 * da_copy_text — copy src into dst[size], cut to fit, always terminated.
 * Arguments: dst with size >= 1; src (not NULL).  Returns nothing.
 * Threading: any thread.
 */
void da_copy_text(char *dst, size_t size, const char *src);

/*
 * da_str_starts_with / da_str_ends_with — whether s begins / ends with the
 * given text.  Arguments: s (NULL: false), the text (not NULL).
 * Threading: any thread.
 */
bool da_str_starts_with(const char *s, const char *prefix);
bool da_str_ends_with(const char *s, const char *suffix);

/*
 * da_temp_dirs — the machine's shared temporary directories, where anyone
 * may write and a dropped file is expected: "/tmp", "/var/tmp", "/dev/shm",
 * then NULL.  da_path_in_temp — path is one of them or below one.
 * Arguments: path (NULL: false).  Ownership: static, read-only.
 * Threading: any thread.
 */
extern const char *const da_temp_dirs[];
bool da_path_in_temp(const char *path);

/*
 * da_path_has_hidden — whether a component of path starts with '.' (a
 * hidden file or directory: "/tmp/.x", ".cache/p"), "." and ".." aside.
 * Arguments: path, absolute or relative (NULL: false).
 * Threading: any thread.
 */
bool da_path_has_hidden(const char *path);

/*
 * da_no_options — the option list of a detector that takes no config keys
 * (struct da_plugin.options = da_no_options): the core then rejects any key
 * before init().  Ownership: static, read-only.
 */
extern const struct da_option_decl da_no_options[];

#ifdef __cplusplus
}
#endif
#endif /* DYNAUDIT_DETECTOR_H */

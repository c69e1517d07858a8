/*
 * dynaudit/detector.h — small helpers every detector needs (libdynaudit-sdk).
 *
 * The pieces each built-in detector used to carry a copy of: building a
 * struct da_finding from its parts (or from a printf-style message) and
 * handing it to host->emit, the
 * string hash of the detectors' bounded sets, a copy that always
 * terminates, and prefix/suffix tests.  One home, so a fix reaches every
 * detector.
 *
 * Every function is documented in the same order: arguments, return value,
 * ownership, threading.  None keeps state.
 */
#ifndef DYNAUDIT_DETECTOR_H
#define DYNAUDIT_DETECTOR_H

#include <stdarg.h>
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
 * da_emit_findingf / da_emit_findingv — record one finding whose message is
 * written printf-style: fmt and its arguments are formatted into buf[size]
 * (cut to fit), finding->message, when not NULL, is appended after them
 * (cut to fit: a tail every message of the detector carries, such as the
 * call's outcome " (failed: EACCES)"), and the finding is emitted with that
 * message.  buf holds the message afterwards, so the caller can keep it (a
 * summary line names its first finding).
 * Arguments: host of the calling detector; finding, every other member as
 *   in struct da_finding (rule, severity, pid, time_s, evidence,
 *   n_evidence, recommendation; struct_size is set here, n_evidence 0 sends
 *   no evidence pointer); buf[size] with size >= 1, or buf NULL (size
 *   ignored) for a buffer of DA_FINDING_MESSAGE_MAX bytes of the call's
 *   own; fmt, checked by the compiler as printf's.  da_emit_findingv takes
 *   the arguments as a va_list, for a detector's own variadic report():
 *   ap is used up, va_end stays the caller's.
 * Returns: what host->emit returns (0, or -EINVAL for a malformed finding).
 * Ownership: everything stays the caller's; the core copies what it keeps.
 * Threading: only from the detector's own lifecycle callbacks.
 */
#define DA_FINDING_MESSAGE_MAX 1024
int da_emit_findingf(const struct da_host *host, const struct da_finding *finding, char *buf,
		     size_t size, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
int da_emit_findingv(const struct da_host *host, const struct da_finding *finding, char *buf,
		     size_t size, const char *fmt, va_list ap) __attribute__((format(printf, 5, 0)));

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

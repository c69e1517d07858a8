/*
 * dynaudit/progclass.h — what kind of program a name is (libdynaudit-sdk).
 *
 * One home for the program lists detectors judge by: shells, script
 * runners, toolchains, process listers.  A detector asks here instead of
 * keeping its own list, so that two detectors never disagree about whether
 * "mksh" is a shell.  Names are base names as exec shows them ("bash",
 * "python3.11"); da_prog_base_name strips a directory.
 *
 * Every function is documented in the same order: arguments, return value,
 * ownership, threading.  All of them only read their argument, keep no
 * state and may run on any thread.
 */
#ifndef DYNAUDIT_PROGCLASS_H
#define DYNAUDIT_PROGCLASS_H

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * da_prog_base_name — the last component of a path.
 * Arguments: path ("/usr/bin/bash", "bash"; NULL is fine).
 * Returns: a pointer into path past its last '/', or "" for NULL.
 * Ownership: the result points into path (or to a static "").
 * Threading: any thread.
 */
const char *da_prog_base_name(const char *path);

/*
 * da_prog_is_shell — a command shell: sh, bash, dash, zsh, ksh (ksh93,
 *   mksh, pdksh), ash, fish, csh, tcsh, yash, rbash, posh.  Not busybox
 *   (a multi-call binary: callers that care name it themselves).
 * Arguments: name, a base name (NULL: false).
 * Returns: true or false.
 * Ownership / threading: only reads name; any thread.
 */
bool da_prog_is_shell(const char *name);

/*
 * da_prog_is_script_runner — a program that runs the script named on its
 *   command line: the Bourne-family shells (sh, bash, dash, zsh, ksh, mksh,
 *   ash), node/nodejs, and python*, perl*, ruby*, php*, lua* (versioned
 *   names included).
 * Arguments: name, a base name (NULL: false).
 * Returns: true or false.
 * Ownership / threading: only reads name; any thread.
 */
bool da_prog_is_script_runner(const char *name);

/*
 * da_prog_is_toolchain — a compiler, assembler, linker or build driver
 *   (cc, gcc*, clang*, ld, as, rustc, cargo, go, javac, make, cmake, ninja,
 *   ar, strip, cross-prefixed x86_64-linux-gnu-* ...): what it writes is a
 *   build output.
 * Arguments: name, a base name (NULL: false).
 * Returns: true or false.
 * Ownership / threading: only reads name; any thread.
 */
bool da_prog_is_toolchain(const char *name);

/*
 * da_prog_is_process_lister — ps, top, htop, pgrep, pkill, pidof, pstree,
 *   w, killall, procps: they read every process's /proc files (ps even
 *   environ) by design; running one is process.recon's business, what it
 *   reads is not a secret read.
 * Arguments: name, a base name (NULL: false).
 * Returns: true or false.
 * Ownership / threading: only reads name; any thread.
 */
bool da_prog_is_process_lister(const char *name);

#ifdef __cplusplus
}
#endif

#endif

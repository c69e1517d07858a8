/*
 * dynaudit/pathclass.h — path classes: persistence locations and
 * sensitive (credential) paths, and the glob coverage they are written in
 * (libdynaudit-sdk).
 *
 * One home for the place lists detectors judge by.  The file detector
 * reports a write to a persistence location (file.persistence) and a read
 * of a sensitive path (file.sensitive_read); the backdoor detector uses the
 * same lists for its correlations (a secret read, then a send).  Neither
 * keeps a list of its own, so they cannot disagree about ~/.bashrc.
 *
 * Patterns: a path or shell glob (fnmatch with FNM_PATHNAME); a leading
 * "~/" is the target's HOME; a pattern covers the path itself and
 * everything below it ("~/.ssh" covers ~/.ssh/id_rsa; a glob matching one
 * leading part, /home/ then a star then /.ssh, covers /home/bob/.ssh/id_rsa).
 *
 * Every function is documented in the same order: arguments, return value,
 * ownership, threading.  Nothing here keeps state (but a per-thread memo
 * of da_path_sensitive's recent answers); every function may run on any
 * thread.
 */
#ifndef DYNAUDIT_PATHCLASS_H
#define DYNAUDIT_PATHCLASS_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* How strongly a write to a place plants persistence. */
enum da_persistence {
	DA_PERSIST_NONE = 0,
	DA_PERSIST_HIGH = 1,     /* rc files, cron, systemd, autostart, hooks ... */
	DA_PERSIST_CRITICAL = 2, /* authorized_keys, /etc/ld.so.preload */
};

/* Flags of da_path_sensitive. */
#define DA_PATH_ANY_HOME 0x1 /* "~/X" also matches X below any directory
			      * (another user's home, a copied HOME in /tmp) */

/*
 * da_path_under — path is dir or lies below it.
 * Arguments: path, dir (absolute; NULL or "" dir: false; trailing '/' of
 *   dir ignored; dir "/" holds everything).
 * Returns: true or false.
 * Ownership / threading: only reads; any thread.
 */
bool da_path_under(const char *path, const char *dir);

/*
 * da_path_normalize — an absolute path without "//", "/./" and "/../",
 *   folded lexically (symlinks are not followed: the path need not exist,
 *   and is often the target's, not ours).
 * Arguments: in, the path; base, the directory a relative in is taken
 *   from (NULL: "/"); out[outlen], where the result goes.
 * Returns: true; false when the result did not fit (out then holds the
 *   components that did, still a valid absolute path) or outlen < 2.
 * Ownership: the caller owns out; in and base are only read.
 * Threading: any thread.
 */
bool da_path_normalize(const char *in, const char *base, char *out, size_t outlen);

/*
 * da_path_covers — pattern (after "~/" expansion with home) covers path:
 *   it matches path or one of path's leading directories.
 * Arguments: pattern (see the top of this file); home, the target's HOME
 *   (NULL: "~/" expands to "/"); path, absolute and normalized.
 * Returns: true or false (false when the expansion does not fit 4096 bytes).
 * Ownership / threading: only reads; any thread.
 */
bool da_path_covers(const char *pattern, const char *home, const char *path);

/*
 * da_path_covered_by — da_path_covers for each pattern of a NULL-ended list.
 * Arguments: patterns (NULL-ended); home; path.
 * Returns: true when one pattern covers path.
 * Ownership / threading: only reads; any thread.
 */
bool da_path_covered_by(const char *const *patterns, const char *home, const char *path);

/*
 * da_path_persistence_globs — the glob part of the persistence list, as
 *   patterns (for a caller that must ask "does a link at DIR reach one?").
 * Arguments: level, DA_PERSIST_HIGH or DA_PERSIST_CRITICAL.
 * Returns: a NULL-ended static list (an empty one for another level).
 * Ownership: static; never freed.
 * Threading: any thread.
 */
const char *const *da_path_persistence_globs(enum da_persistence level);

/*
 * da_path_persistence — is a write to path planting persistence?
 *   Covers: shell rc files and login scripts (any directory outside the
 *   workdir), /etc/profile(.d), cron (also tables staged in a cron/ or
 *   crontabs/ directory or a file named crontab), systemd units, XDG
 *   autostart, init scripts, /etc/ld.so.preload, ld.so.conf, sudoers, PAM,
 *   passwd/shadow, sshd_config, ~/.ssh/rc|environment|config,
 *   authorized_keys, git hooks (also in the workdir; not *.sample), Python
 *   start-up hooks (*.pth in a *-packages dir, sitecustomize.py,
 *   usercustomize.py), ~/.npmrc, ~/.gitconfig, ~/.vimrc, pip.conf,
 *   ~/.local/bin (PATH hijack), desktop entries.  Inside the workdir only
 *   git hooks count (a project's own "profile" or cron module runs
 *   nowhere).
 * Arguments: path, absolute and normalized; home, the target's HOME (NULL
 *   allowed); workdir, the audit's workdir (NULL allowed).
 * Returns: DA_PERSIST_NONE, _HIGH or _CRITICAL.
 * Ownership / threading: only reads; any thread.
 */
enum da_persistence da_path_persistence(const char *path, const char *home, const char *workdir);

/*
 * da_path_sensitive_globs — the built-in sensitive (credential) paths, as
 *   patterns: shadow files, sudoers, SSH keys, /root, cloud and tool
 *   credentials, registry and forge tokens, shell/REPL histories, keyrings,
 *   wallets, TLS/VPN keys, kernel memory.
 * Arguments: none.
 * Returns: a NULL-ended static list.
 * Ownership: static; never freed.
 * Threading: any thread.
 */
const char *const *da_path_sensitive_globs(void);

/*
 * da_path_sensitive — does the built-in list cover path?  /root counts only
 *   when it is not HOME itself (a target running as root reads its own
 *   HOME; only the secrets below it count).
 * Arguments: path, absolute and normalized; home, the target's HOME (NULL
 *   allowed); flags, DA_PATH_* bits.
 * Returns: true or false.
 * Ownership / threading: only reads; any thread (the last answers are
 *   remembered per thread, keyed by path, home and flags).
 */
bool da_path_sensitive(const char *path, const char *home, unsigned flags);

#ifdef __cplusplus
}
#endif

#endif

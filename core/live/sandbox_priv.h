/*
 * sandbox_priv.h — internals shared by sandbox.c (the set-up sequence),
 * sandbox_fs.c (the filesystem view) and sandbox_identity.c (user, limits,
 * capabilities, environment).  Not part of the engine's interface.
 *
 * Two kinds of code live here:
 *   - parent side (dynaudit): may allocate, records steps directly in
 *     struct sandbox;
 *   - child side (sandbox init and target child): runs after a fork-like
 *     clone of a possibly multi-threaded process, so it never allocates and
 *     reports each step as one fixed-size message on the status pipe.
 * Every function returns 0 or a negative errno; child-side functions also
 * fill a caller-owned text buffer with the reason.
 */
#ifndef DYNAUDIT_SANDBOX_PRIV_H
#define DYNAUDIT_SANDBOX_PRIV_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "live/sandbox.h"

/* The workdir copy refuses submissions larger than this (bytes, counting
 * each file's apparent size: a sparse file is refused for what it would
 * become in the tmpfs, which is memory outside the sandbox's memory limit)
 * and deeper/larger trees than these: a submission is source code, not a
 * disk. */
#define SANDBOX_COPY_MAX_BYTES   (256LL * 1024 * 1024)
/* target.stdin: the largest file fed to the target's standard input. */
#define SANDBOX_STDIN_MAX_BYTES  (16LL * 1024 * 1024)
#define SANDBOX_STDIN_MAX_TEXT   "16 MiB"
#define SANDBOX_COPY_MAX_ENTRIES 200000
#define SANDBOX_COPY_MAX_DEPTH   64

#define SANDBOX_PATH "/usr/local/bin:/usr/bin:/bin"
#define SANDBOX_HOSTNAME "dynaudit-sandbox"
/* /dev/shm in the sandbox is a symlink to this directory of its /tmp. */
#define SANDBOX_SHM_DIR ".dev-shm"
/* The same for /var/tmp: a directory of the private /tmp bound there. */
#define SANDBOX_VAR_TMP_DIR ".var-tmp"

/* One message on the status pipe (child -> dynaudit).  Fixed size, well
 * under PIPE_BUF, so each write is atomic and each read gets one whole
 * message even with several writers (init and target). */
enum sb_msg_kind { SB_MSG_STEP = 'S', SB_MSG_READY = 'R', SB_MSG_ERROR = 'E', SB_MSG_SETUP = 'U' };
struct sb_msg {
	char kind;         /* enum sb_msg_kind */
	bool ok;           /* SB_MSG_STEP; SB_MSG_SETUP: exited 0 */
	int err;           /* SB_MSG_ERROR: positive errno; SB_MSG_SETUP: exit
			    * code, or -signal when killed (text: milliseconds) */
	char name[48];
	char text[300];    /* step detail or error reason */
};

/* Parent side: append a step to sb->steps (silently capped at
 * SANDBOX_MAX_STEPS; the last slot then says how many were dropped). */
void sb_step(struct sandbox *sb, const char *name, bool ok, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void sb_step_from_msg(struct sandbox *sb, const struct sb_msg *m);

/* Child side: send a step / the fatal error on the status pipe. */
void sb_send_step(int fd, const char *name, bool ok, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void sb_send_error(int fd, int err, const char *text);

/* ---- sandbox_fs.c ---- */

/* Parent: recursive private copy of src into dst (which must not exist):
 * modes kept, symlinks copied as symlinks, fifos recreated, devices and
 * sockets skipped.  Bounded by the SANDBOX_COPY_* limits.  Files are
 * chowned to uid:gid when chown_to is true.  *bytes gets the copied size.
 * As root the source is read with the invoking user's rights (SUDO_UID,
 * or the submission's owner; see sandbox_fs.c): what that user may not
 * read, hard links included, refuses the copy with the file's name. */
int sb_copy_tree(const char *src, const char *dst, bool chown_to, uid_t uid, gid_t gid,
		 long long *bytes, char *err, size_t errlen);
/* ---- sandbox_input.c ---- */

/* Parent: target.stdin's file (no link followed at its last component, a
 * regular file of at most SANDBOX_STDIN_MAX_BYTES) copied into a sealed
 * memfd positioned at 0.  Returns the fd, or -errno with err filled. */
int sb_open_stdin(const char *path, char *err, size_t errlen);

/* ---- sandbox_fs.c (continued) ---- */

/* Parent: the entry `name` of directory srcdir (a file, a directory, a
 * link: never followed) copied into the existing directory dst, by the
 * same rules and bounds as sb_copy_tree (target.files). */
int sb_copy_into(const char *srcdir, const char *name, const char *dst, bool chown_to, uid_t uid,
		 gid_t gid, long long *bytes, char *err, size_t errlen);
/* Parent: remove a tree without following symlinks; unmounts (lazily) any
 * mount found on the way first.  Missing tree is not an error. */
int sb_remove_tree(const char *path);

/* Child (init): build the new root at <scratch>/root and pivot into it.
 * Reports each mount as a step on status_fd. */
int sb_build_root(const struct sandbox *sb, int status_fd, char *why, size_t whylen);

/* ---- sandbox_scratch.c (the scratch dir's lifetime; see its header) ---- */

/* Parent, as root, before any mount and while single-threaded: enter a
 * private mount namespace (once per process); a step says how it went. */
void sb_private_mount_ns(struct sandbox *sb);
/* Parent: remove the scratch dirs in tmpdir of audits that are gone (their
 * lock is free).  Returns how many. */
int sb_scratch_reap(const char *tmpdir);
/* Parent: mkdtemp sb->scratch in tmpdir, lock it (sb->scratch_lock_fd),
 * and as root mount a small tmpfs on it.  Nothing is left on failure. */
int sb_scratch_make(struct sandbox *sb, const char *tmpdir, char *err, size_t errlen);
/* Parent: detach, remove, then release the lock.  Safe to repeat. */
void sb_scratch_remove(struct sandbox *sb);

/* ---- sandbox_identity.c ---- */

/* Parent: "nobody" or "65534" -> uid, gid (primary group, or uid when the
 * uid has no passwd entry) and a name for USER/LOGNAME/messages. */
int sb_resolve_user(const char *spec, uid_t *uid, gid_t *gid, char *name, size_t namelen,
		    char *err, size_t errlen);
/* Parent: the target's whole environment (NULL-terminated, one malloc'd
 * block: free the returned pointer only). */
char **sb_build_env(const struct audit_config *cfg, const char *home, const char *user,
		     char *const *extra);
/* Parent, before the init exists: make a pids cgroup capped at max
 * (cgroup v1 pids hierarchy, or v2 with pids enabled); sets
 * sb->cgroup_path ("" when none, with a step saying why) and
 * sb->cgroup_note.  With v1, *join_fd is the cgroup's "tasks" file: the
 * init writes "0" there itself, first thing.  Moving one's own single
 * thread skips the kernel's global threadgroup lock, whose RCU grace
 * period made the parent's cgroup.procs write cost 6-15 ms; the step is
 * then the init's.  With v2 (no tasks file) *join_fd is -1: call
 * sb_cgroup_attach after the clone. */
void sb_cgroup_prepare(struct sandbox *sb, long max, int *join_fd);
/* Parent, after sb_cgroup_prepare: bound the tree's memory to bytes in a
 * memory cgroup (v1: its own hierarchy, *join_fd its "tasks" file for the
 * init to write "0" to, as for pids; v2: memory.max beside pids.max, *join_fd
 * -1).  Sets sb->memcg_path (v1 only) and a step when it cannot. */
void sb_memcg_prepare(struct sandbox *sb, long long bytes, int *join_fd);
/* Parent: move the init into sb->cgroup_path from outside; a step. */
void sb_cgroup_attach(struct sandbox *sb, pid_t init_pid);
/* SIGKILL every process in the cgroup dir (cgroup.kill where there is
 * one, else by listing cgroup.procs until it is empty; bounded). */
void sb_cgroup_kill_all(const char *dir);

/* Child (target): resource limits, one step each. */
int sb_apply_limits(const struct audit_config *cfg, bool under_memcg, bool under_pids_cgroup,
		    int status_fd, char *why, size_t whylen);
/* Child (target): drop bounding set, groups, gid, uid, ambient and all
 * capability sets; verify with capget. */
int sb_become_user(uid_t uid, gid_t gid, const char *user, bool in_userns, bool drop_caps,
		   int status_fd, char *why, size_t whylen);
/* Child (target): argv0 looked up on search_path (or taken as a path)
 * into out; checks X_OK as the current (sandbox) user.  Errors come with
 * the precise reason ("python3: not found on the sandbox PATH (...)"). */
int sb_resolve_command(const char *argv0, const char *search_path, uid_t uid, const char *user,
		       char *out, size_t outlen, char *why, size_t whylen);

/* The program an interpreter is told to run ("python3 server.py",
 * "node app.js", "java -jar app.jar") must exist in the sandbox's view:
 * a wrong entry point is an audit that cannot run (exit 3), not a PASS of
 * an interpreter that printed "can't open file".  Checked in the target
 * child, as the sandbox user, after the setup.  Returns 0 (also when the
 * command is no known interpreter or runs inline code) or -errno with
 * the reason in why. */
int sb_check_entry(char *const argv[], char *why, size_t whylen);

#endif /* DYNAUDIT_SANDBOX_PRIV_H */

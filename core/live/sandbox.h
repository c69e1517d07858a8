/*
 * sandbox.h — the sandbox a live target runs in.
 *
 * sandbox_prepare() (in dynaudit, before anything runs) makes the private
 * copy of the submission and the directories that back the target's /tmp
 * and HOME, so the monitors can watch them from outside.
 * sandbox_spawn() starts the sandbox init: a process in new pid, mount,
 * ipc, uts (and, for network: none, net) namespaces — plus a user
 * namespace when dynaudit is not root — that sets up the filesystem view
 * (host read-only, private /tmp and HOME tmpfs-backed copies, fresh /proc,
 * minimal /dev, the workdir copy), then waits for the go signal (so the
 * tracer can seize it), forks the target, and in the target: limits,
 * identity (sandbox.user), capabilities dropped, no_new_privs, clean
 * environment, cwd = workdir, and the seccomp filter last, right before
 * execve.  The init reaps orphans and exits when the target tree is gone.
 *
 * Each step is recorded in sandbox->steps for the report overview.
 * Nothing here prints or exits (the child side reports failures through a
 * pipe: sandbox_spawn() and sandbox_read_status() return them as text,
 * e.g. "python3: not found on the sandbox PATH").
 *
 * Errors: functions returning int return 0 (or 1, see read_status) or a
 * negative errno with a one-line reason in the caller's err buffer.
 * Files: sandbox.c (the set-up sequences), sandbox_fs.c (workdir copy, new
 * root, removal), sandbox_identity.c (user, environment, limits, caps),
 * sandbox_scratch.c (private mount namespace, scratch dir lock, removal of
 * killed audits' leftovers), fs_beneath.c (fd-relative walks and removal).
 */
#ifndef DYNAUDIT_SANDBOX_H
#define DYNAUDIT_SANDBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "config/config.h"

#define SANDBOX_MAX_STEPS 32

struct sandbox_step {
	char name[48];     /* "pid namespace", "seccomp", ... */
	char detail[160];  /* "ok", "own namespace, loopback only", "skipped: ..." */
	bool ok;
};

struct sandbox {
	/* filled by sandbox_prepare */
	char scratch[256];      /* host dir holding everything below (removed by sandbox_cleanup) */
	char workdir_host[320]; /* host path of the private workdir copy */
	char tmp_host[320];     /* host path backing the target's /tmp */
	char home_host[320];    /* host path backing the target's HOME */
	const char *workdir;    /* the workdir as the target sees it */
	const char *home;       /* HOME as the target sees it */
	/* filled by sandbox_spawn */
	pid_t init_pid;         /* host pid of the sandbox init */
	int netns_fd;           /* /proc/<init>/ns/net, -1 when not opened */
	struct sandbox_step steps[SANDBOX_MAX_STEPS];
	size_t n_steps;
	/* private */
	int ctl_fd;             /* go / error pipe to the init */
	int status_fd;
	uid_t uid;
	gid_t gid;
	const struct audit_config *cfg;
	/* private, added by the sandbox module (additive) */
	bool in_userns;         /* dynaudit not root: a user namespace maps the ids */
	char user_name[64];     /* sandbox.user resolved to a name ("nobody", or the uid) */
	char workdir_buf[320];  /* storage behind ->workdir */
	char cgroup_path[256];  /* pids cgroup made for this run, "" when none */
	char cgroup_note[128];  /* what it is, for the step ("cgroup v1 pids: ...") */
	char memcg_path[256];   /* v1 memory cgroup made for this run, "" when none */
	char memcg_note[128];
	bool memcg_on;          /* a memory cgroup (v1 or v2) bounds the tree */
	char **envp;            /* the target's environment (built by sandbox_spawn) */
	int outcome;            /* sandbox_read_status: 0 unknown, 1 exec'd, <0 error */
	char outcome_text[300]; /* the error reason, repeated on later calls */
	bool tmpfs_mounted;     /* size-capped tmpfs mounted on tmp_host/home_host */
	/* private, target.setup (additive): filled by sandbox_read_status */
	bool setup_done;        /* the setup command ended (outcome below) */
	int setup_code;         /* its exit code, -1 when killed */
	int setup_signo;        /* the killing signal, 0 when it exited */
	double setup_seconds;   /* from its fork to its end */
	/* private, scratch lifetime (additive): see sandbox_prepare */
	int scratch_lock_fd;    /* flock held on <scratch>/lock while the audit lives */
	bool scratch_tmpfs;     /* a tmpfs of its own is mounted on the scratch dir */
	/* set by the caller before sandbox_spawn (additive) */
	char *const *extra_env; /* "NAME=value" added to the environment unless target.env
				 * sets NAME (the honeytokens), NULL-terminated or NULL */
	/* filled by sandbox_spawn (additive) */
	int init_pidfd;         /* pidfd of the init, -1 when the kernel has none */
};

/* Hook run in the target child right before execve (installs seccomp). */
typedef int (*sandbox_exec_hook)(void *ctx);

/* Resolve sandbox.user, make the scratch dir (mkdtemp in $TMPDIR or /tmp),
 * /tmp and HOME backing dirs and the private copy of cfg->workdir at
 * HOME/app (modes kept, symlinks as symlinks, refused above 256 MiB of
 * apparent size, read with the invoking user's rights).
 * As root, first moves dynaudit into a private mount namespace of its own
 * (when still single-threaded), so the tmpfs mounts die with it even when
 * it is SIGKILLed; then removes the scratch dirs of audits that were
 * killed (their lock is free).  The scratch dir holds a lock file, flocked
 * for the audit's lifetime.
 * Initializes *sb completely (fds -1); cfg is borrowed for the sandbox's
 * lifetime.  On failure nothing is left on disk. */
int sandbox_prepare(struct sandbox *sb, const struct audit_config *cfg, char *err, size_t errlen);

/* Start the init; the target's stdout/stderr go to out_fd/err_fd (pipe write
 * ends, closed in dynaudit by the caller afterwards); stdin is /dev/null.
 * argv is borrowed (argv[0] is looked up on the sandbox PATH in the target).
 * Blocks until the init has built the sandbox (steps appended to
 * sb->steps) or failed (init reaped, reason in err; -EPERM/-EINVAL/-ENOSPC
 * when the kernel refuses the namespaces).  hook runs in the target child
 * right before execve and must not allocate; NULL for none. */
int sandbox_spawn(struct sandbox *sb, char *const argv[], int out_fd, int err_fd,
		  sandbox_exec_hook hook, void *hook_ctx, char *err, size_t errlen);

/* Tell the init to fork and exec the target (after the tracer seized it).
 * Does not block: the tracer must keep running while the target starts.
 * The outcome arrives on sb->status_fd; when it is readable call
 * sandbox_read_status(). */
int sandbox_start_target(struct sandbox *sb, char *err, size_t errlen);

/* target.setup (cfg->setup non-NULL): the init first runs the setup
 * command through the same child path as the target (limits, identity,
 * capabilities, no_new_privs, the hook, clean environment, cwd =
 * workdir), waits for it, reports how it ended on the status pipe, and
 * forks the target only when it exited 0; otherwise the init exits
 * without starting the target.  The target's command lookup happens only
 * then (the setup may build it).  sandbox_read_status() then returns:
 * 1 target exec'd (after a setup that exited 0), 2 the setup failed (exit
 * code or signal: the target was not started; see sandbox_setup_outcome),
 * or negative when the setup or the target could not be executed (the
 * setup's reason starts with "target.setup: ").
 *
 * Returns 1 when the target exec'd (status pipe closed by CLOEXEC), 0 when
 * nothing is known yet, or -ENOENT / -EACCES / ... with the reason in err
 * ("python3: not found on the sandbox PATH"): the audit cannot run (exit 3).
 * The check is made in the target child as the sandbox user, before the
 * seccomp filter, so the reason is precise.
 * Never blocks.  The target's own steps (limits, identity, capabilities,
 * no_new_privs, seccomp) are appended to sb->steps as they arrive, so read
 * sb->steps again after this returned nonzero.  Once the outcome is known
 * sb->status_fd is closed and set to -1; later calls repeat the outcome.
 * The init exits with the target's status (128 + signal when killed). */
int sandbox_read_status(struct sandbox *sb, char *err, size_t errlen);

/* How the setup command ended, once sandbox_read_status() has seen it:
 * returns 1 and fills *code (exit code, -1 when killed), *signo (killing
 * signal or 0) and *seconds (its run time); any pointer may be NULL.
 * Returns 0 while unknown, or when no setup is configured. */
int sandbox_setup_outcome(const struct sandbox *sb, int *code, int *signo, double *seconds);

/* Kill every process of the sandbox (SIGKILL to the pid namespace init).
 * Does not reap: the init is dynaudit's child (the tracer reaps it). */
void sandbox_kill_all(struct sandbox *sb);
/* Has the init exited?  A pid namespace's init only exits once every other
 * process of the namespace was reaped, so true means the sandbox is empty
 * (no /proc scan needed).  False also when unknown (no pidfd). */
bool sandbox_init_gone(const struct sandbox *sb);
/* How many processes the kernel's OOM killer ended in the sandbox's memory
 * cgroup (0 without one): "killed by SIGKILL" then means the memory limit. */
long sandbox_oom_kills(const struct sandbox *sb);
/* Close the descriptors, remove the pids cgroup and the scratch directory
 * (detaching the size-capped tmpfs mounts first; never follows symlinks).
 * Call after the init was reaped.  Safe after a failed prepare/spawn. */
void sandbox_cleanup(struct sandbox *sb);

/* Notes for callers:
 *  - Call sandbox_spawn from a thread that lives as long as the sandbox:
 *    the init has PR_SET_PDEATHSIG(SIGKILL), which fires when the thread
 *    that created it exits.
 *  - The init is pid 1 of its namespace: the kernel drops SIGTERM/SIGINT
 *    sent to it from outside (no handler); only SIGKILL works on it.  Send
 *    a polite SIGTERM to the target tree, not to init_pid.
 *  - As root, /tmp and HOME are tmpfs mounts (size sandbox.limits.tmpfs)
 *    under sb->scratch, itself a small tmpfs, all in a private mount
 *    namespace dynaudit entered (the host never sees them); without root
 *    they are plain directories (RLIMIT_FSIZE still bounds each file) and
 *    the ids are mapped by a user namespace. */

#endif /* DYNAUDIT_SANDBOX_H */

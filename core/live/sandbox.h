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
 * pipe: sandbox_wait_ready() returns them as text, e.g. "python3: not
 * found on the sandbox PATH").
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
};

/* Hook run in the target child right before execve (installs seccomp). */
typedef int (*sandbox_exec_hook)(void *ctx);

int sandbox_prepare(struct sandbox *sb, const struct audit_config *cfg, char *err, size_t errlen);

/* Start the init; the target's stdout/stderr go to out_fd/err_fd (pipe write
 * ends, closed in dynaudit by the caller afterwards); stdin is /dev/null. */
int sandbox_spawn(struct sandbox *sb, char *const argv[], int out_fd, int err_fd,
		  sandbox_exec_hook hook, void *hook_ctx, char *err, size_t errlen);

/* Tell the init to fork and exec the target (after the tracer seized it).
 * Does not block: the tracer must keep running while the target starts.
 * The outcome arrives on sb->status_fd; when it is readable call
 * sandbox_read_status(). */
int sandbox_start_target(struct sandbox *sb, char *err, size_t errlen);

/* Returns 1 when the target exec'd (status pipe closed by CLOEXEC), 0 when
 * nothing is known yet, or -ENOENT / -EACCES / ... with the reason in err
 * ("python3: not found on the sandbox PATH"): the audit cannot run (exit 3).
 * The check is made in the target child as the sandbox user, before the
 * seccomp filter, so the reason is precise. */
int sandbox_read_status(struct sandbox *sb, char *err, size_t errlen);

/* Kill every process of the sandbox (SIGKILL to the pid namespace init). */
void sandbox_kill_all(struct sandbox *sb);
/* Remove the scratch directory. */
void sandbox_cleanup(struct sandbox *sb);

#endif /* DYNAUDIT_SANDBOX_H */

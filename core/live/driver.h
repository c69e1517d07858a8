/*
 * driver.h — the staff's driver (driver.command): trusted code that talks
 * to the target during the window, e.g. the assignment's test client.
 *
 * It starts once driver.wait_for holds (the target listens on an address,
 * read from the sandbox's /proc/<init>/net/tcp*, or a duration into the
 * window), in the sandbox's network namespace but outside its pid
 * namespace, as an identity the target cannot signal, trace or write to
 * (uid/gid 65533 under root; the caller itself otherwise, out of the
 * target's sight), with the config's folder as its cwd.  Never traced,
 * none of its events reach the bus: only what the target does in response
 * is judged.  Its stdout/stderr go to driver.log in the output directory
 * (bounded by RLIMIT_FSIZE).  Killed at the window's end.  The report's
 * sandbox facts say when it started, how it ended and what it wrote.
 */
#ifndef DYNAUDIT_DRIVER_H
#define DYNAUDIT_DRIVER_H

#include <stddef.h>
#include <sys/types.h>

#include "config/config.h"
#include "engine/audit.h"

struct driver;

/* *out is NULL when the config has no driver.command and no driver.mined
 * (the built-in line driver, driver_mined.h: it mines the workdir copy
 * when wait_for holds, sends, then the command runs if there is one).  outdir_fd < 0:
 * the output is discarded.  Fails (with err) on an invalid wait_for. */
int driver_new(struct driver **out, const struct audit_config *cfg, int outdir_fd, char *err,
	       size_t errlen);
/* Called from the run loop while the window is open: starts the driver
 * once its condition holds (checked at most every 100 ms), notes its end. */
void driver_tick(struct driver *d, pid_t init_pid, int netns_fd, const char *workdir,
		 double since_start);
/* The window's end: kill what is left of the driver, wait (bounded) for
 * its status, commit driver.log, and put the facts in the report. */
void driver_finish(struct driver *d, struct audit *a);
void driver_free(struct driver *d);

#endif /* DYNAUDIT_DRIVER_H */

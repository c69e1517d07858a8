/*
 * live_run.h — `dynaudit run`: sandbox the target, trace it, run the
 * monitors, and feed everything to an open audit until the target tree has
 * exited or the window closed; then kill whatever is left (SIGTERM, grace,
 * SIGKILL of the whole pid namespace).
 *
 * Returns 0 when the audit ran (whatever the target did), negative errno
 * with a message when it could not run at all (target not found or not
 * executable in the sandbox, sandbox set-up refused): exit status 3.
 * On SIGINT/SIGTERM to dynaudit it stops early, marks the audit
 * incomplete and returns 0 so the caller still writes the report.
 */
#ifndef DYNAUDIT_LIVE_RUN_H
#define DYNAUDIT_LIVE_RUN_H

#include <stddef.h>

#include "config/config.h"
#include "engine/audit.h"

int live_run(const struct audit_config *cfg, struct audit *audit, const char *outdir,
	     char *err, size_t errlen);

#endif /* DYNAUDIT_LIVE_RUN_H */

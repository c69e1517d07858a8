/*
 * proctree.h — who started whom: every process of the audit with its
 * parent, what it ran (argv of its last exec) and how it ended, kept in
 * report_input.procs for report.html's process tree.
 *
 * From the bus: DA_EV_PROC_FORK (a new process; threads are ignored),
 * DA_EV_PROC_EXEC (argv, executable), DA_EV_PROC_EXIT (code or signal).
 * A pid first seen in an exec or exit (the target itself, or a log that
 * starts late) becomes a root under its ppid when known.  A pid reused
 * after its process ended starts a new record.
 *
 * Bounded: at most PROCTREE_MAX processes are kept (a fork bomb's 10,000
 * children would make a page nobody reads); the rest are counted in
 * report_input.procs_dropped and the page says so.
 */
#ifndef DYNAUDIT_PROCTREE_H
#define DYNAUDIT_PROCTREE_H

#include "engine/bus.h"
#include "engine/report.h"

#define PROCTREE_MAX 512

/* Record the processes of bus into in->procs (in must outlive the bus;
 * report_input_free frees them).  Returns 0 or a negative errno. */
int proctree_subscribe(struct bus *bus, struct report_input *in);

#endif /* DYNAUDIT_PROCTREE_H */

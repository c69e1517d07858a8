#!/bin/sh
# e2e: alone
# `for (;;) fork();` at the process limit: the audit still ends on time
# (window + grace + a margin, measured in ms), with a valid report that
# names the runaway.  Each failing fork holds the forker's mmap lock, which
# a read of its /proc/PID/cmdline waits for: a run loop that read /proc on
# its own thread took minutes here, and answered no signal meanwhile.
. "$(dirname "$0")/lib.sh"
t0=$(date +%s%N)
run_audit -- "$(prog host_forkstorm)" "$MARK"
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
# 2 s grace, 0.5 s for the window's last snapshot, 6 s margin (2 busy cores)
[ "$ms" -le $(( (DUR + 2 + 6) * 1000 )) ] || fail "took ${ms} ms for a ${DUR} s window"
assert_common
grep -q '"process.runaway"' "$OUT/report.json" || fail "no process.runaway finding"
pass "fork storm: ${ms} ms for a ${DUR} s window"

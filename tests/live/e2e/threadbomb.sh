#!/bin/sh
# e2e: alone
# A thread bomb (threads creating threads, forking when they cannot) at
# the process limit: the audit ends on time with a valid report.  The
# margin is 3 s here, not 6: a run loop that reads /proc itself is late by
# 4 to 8 s on this one (7.5 s is the expected end: 0.5 s for the last
# snapshot, 2 s of grace for the forks that follow the SIGTERM).
. "$(dirname "$0")/lib.sh"
t0=$(date +%s%N)
run_audit -- "$(prog host_threadbomb)" "$MARK"
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
[ "$ms" -le $(( (DUR + 2 + 3) * 1000 )) ] || fail "took ${ms} ms for a ${DUR} s window"
assert_common
pass "thread bomb: ${ms} ms for a ${DUR} s window"

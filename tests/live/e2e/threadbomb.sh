#!/bin/sh
# A thread bomb (threads creating threads, forking when they cannot) at
# the process limit: the audit ends on time with a valid report.
. "$(dirname "$0")/lib.sh"
t0=$(date +%s%N)
run_audit -- "$(prog host_threadbomb)" "$MARK"
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
[ "$ms" -le $(( (DUR + 2 + 6) * 1000 )) ] || fail "took ${ms} ms for a ${DUR} s window"
assert_common
pass "thread bomb: ${ms} ms for a ${DUR} s window"

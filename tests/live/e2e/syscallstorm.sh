#!/bin/sh
# e2e: alone
# 240 threads (16 processes) making traced calls (notified opens, ptrace-stopped opens
# and unlinks) as fast as they can: the tracer's dispatch must leave the
# run loop its turn, so the window ends on time and SIGINT is answered.
. "$(dirname "$0")/lib.sh"
t0=$(date +%s%N)
run_audit -- "$(prog host_syscallstorm)" "$MARK"
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
[ "$ms" -le $(( (DUR + 2 + 6) * 1000 )) ] || fail "took ${ms} ms for a ${DUR} s window"
assert_common
[ "$(json 'r["stats"]["syscalls_traced"]')" -gt 1000 ] || fail "the storm was not traced"
# and a SIGINT in the middle of it
rm -rf "$OUT"
"$DYNAUDIT" run -o "$OUT" --target "$tmp/work" --set target.duration=60 \
	-- "./host_syscallstorm" "$MARK" >"$tmp/dyn.out" 2>"$tmp/dyn.err" &
pid=$!
sleep 2
t1=$(date +%s%N)
kill -INT "$pid"
( sleep 30; kill -KILL "$pid" 2>/dev/null ) &
guard=$!
wait "$pid"
RC=$?
sms=$(( ($(date +%s%N) - t1) / 1000000 ))
kill "$guard" 2>/dev/null
ELAPSED=0
[ "$sms" -le 2500 ] || fail "SIGINT answered after ${sms} ms"
[ "$RC" -eq 130 ] || fail "SIGINT gave exit $RC (want 130)"
RC=0 # the verdict check of assert_common: exit 130 stands for it
[ "$(json 'r["verdict"]')" = PASS ] || RC=1
assert_common
[ "$(json 'r["incomplete"]')" = True ] || fail "report.json not marked incomplete"
RC=130
pass "syscall storm: ${ms} ms for a ${DUR} s window, SIGINT answered in ${sms} ms"

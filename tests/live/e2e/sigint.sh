#!/bin/sh
# SIGINT to dynaudit: it stops early, kills the target and still writes a
# report (marked incomplete), with the verdict as exit status.
. "$(dirname "$0")/lib.sh"
DUR=60
start=$(date +%s)
"$DYNAUDIT" run -o "$OUT" --target "$tmp/work" --set target.duration=$DUR \
	-- "$(prog host_ignterm)" "$MARK" >"$tmp/dyn.out" 2>"$tmp/dyn.err" &
pid=$!
sleep 2
kill -INT "$pid"
wait "$pid"
RC=$?
ELAPSED=$(( $(date +%s) - start ))
DUR=2
assert_common
grep -qi incomplete "$OUT/report.json" "$OUT/report.md" || fail "the report does not say it is incomplete"
pass "SIGINT"

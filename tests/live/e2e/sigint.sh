#!/bin/sh
# SIGINT (and SIGTERM) to dynaudit: it stops early, kills the target and
# still writes a report (marked incomplete, coverage partial); the exit
# status is 128 + the signal (130, 143), as a shell reports an interrupt.
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
[ "$RC" -eq 130 ] || fail "SIGINT gave exit $RC (want 130)"
DUR=2
RC=0 # the verdict check of assert_common: exit 130 stands for it
v=$(json 'r["verdict"]')
[ "$v" = PASS ] || RC=1
assert_common
grep -qi incomplete "$OUT/report.json" "$OUT/report.md" || fail "the report does not say it is incomplete"
[ "$(json 'r["coverage"]')" = partial ] || fail "an interrupted audit is not coverage partial"

"$DYNAUDIT" run -o "$OUT" --target "$tmp/work" --set target.duration=60 \
	-- "$(prog host_ignterm)" "$MARK" >"$tmp/dyn.out" 2>"$tmp/dyn.err" &
pid=$!
sleep 2
kill -TERM "$pid"
wait "$pid"
rc=$?
[ "$rc" -eq 143 ] || fail "SIGTERM gave exit $rc (want 143)"
[ -s "$OUT/report.json" ] || fail "no report after SIGTERM"
RC=130
pass "SIGINT and SIGTERM"

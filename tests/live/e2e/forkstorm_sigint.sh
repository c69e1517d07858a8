#!/bin/sh
# e2e: alone
# SIGINT to dynaudit 2 s into `for (;;) fork();`: it answers at once (the
# run loop does not wait for the target), kills the tree and writes a
# report marked incomplete.
. "$(dirname "$0")/lib.sh"
DUR=60
"$DYNAUDIT" run -o "$OUT" --target "$tmp/work" --set target.duration=$DUR \
	-- "$(prog host_forkstorm)" "$MARK" >"$tmp/dyn.out" 2>"$tmp/dyn.err" &
pid=$!
sleep 2
t0=$(date +%s%N)
kill -INT "$pid"
# a deaf dynaudit is killed after 30 s, so the test ends either way
( sleep 30; kill -KILL "$pid" 2>/dev/null ) &
guard=$!
wait "$pid"
RC=$?
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
kill "$guard" 2>/dev/null
ELAPSED=0
[ "$ms" -le 2500 ] || fail "SIGINT answered after ${ms} ms"
[ "$RC" -eq 130 ] || fail "SIGINT gave exit $RC (want 130)"
RC=0 # the verdict check of assert_common: exit 130 stands for it
[ "$(json 'r["verdict"]')" = PASS ] || RC=1
assert_common
grep -qi incomplete "$OUT/report.json" "$OUT/report.md" || fail "the report does not say it is incomplete"
[ "$(json 'r["incomplete"]')" = True ] || fail "report.json not marked incomplete"
RC=130
pass "SIGINT during a fork storm: exit after ${ms} ms"

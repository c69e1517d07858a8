#!/bin/sh
# DYNAUDIT_PHASE_TIMES: with it set, `dynaudit run` prints one line of phase
# times on stderr (bench/fixed_cost.sh reads it): every phase from the
# configuration to the reports, each a number of milliseconds, and their
# total; without it, no such line.  A target that exits at once leaves
# nothing to wait for: the total stays below 5 s even on a loaded machine
# (a fixed sleep or a stuck wait at the end would show).
. "$(dirname "$0")/lib.sh"

run_audit -- /bin/true
assert_common
grep -q 'phases (ms)' "$tmp/dyn.err" && fail "phase times printed without DYNAUDIT_PHASE_TIMES"

rm -rf "$OUT"
DYNAUDIT_PHASE_TIMES=1
export DYNAUDIT_PHASE_TIMES
run_audit -- /bin/true
assert_common
line=$(grep '^dynaudit: phases (ms): ' "$tmp/dyn.err") || fail "no phase times: $(cat "$tmp/dyn.err")"
for p in config outdir plugins sandbox_prepare tracer_new sandbox_spawn monitors loop kill \
	teardown artifacts_close reports free total; do
	echo "$line" | grep -Eq " $p [0-9]+\.[0-9]{2}( |$)" || fail "phase $p missing or not a number: $line"
done
total=$(echo "$line" | sed -n 's/.* total \([0-9.]*\)$/\1/p')
awk -v t="$total" 'BEGIN { exit !(t > 0 && t < 5000) }' || fail "total $total ms (0 < total < 5000 expected)"
pass "phase times: $line"

#!/bin/sh
# e2e: alone
# stdout and stderr flooded until the window closes: the output kept is
# bounded, the cut is said, and the audit still ends on time.
. "$(dirname "$0")/lib.sh"
run_audit -- "$(prog host_flood)" "$MARK"
assert_common
for f in stdout.log stderr.log; do
	[ -f "$OUT/$f" ] || fail "no $f"
	size=$(stat -c %s "$OUT/$f")
	[ "$size" -lt $((4 * 1024 * 1024)) ] || fail "$f is $size bytes: not bounded"
	assert_file_contains "$OUT/$f" "flood line 0 out"
	assert_file_contains "$OUT/$f" "dynaudit: .* cut here"
done
cut=$(json 'int(r["stats"].get("output_bytes_cut", 0))')
[ "$cut" -gt 0 ] || fail "stats.output_bytes_cut is $cut"
pass "output flood"

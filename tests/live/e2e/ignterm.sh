#!/bin/sh
# A target that ignores SIGTERM: SIGKILL after the grace period.
. "$(dirname "$0")/lib.sh"
run_audit -- "$(prog host_ignterm)" "$MARK"
assert_common
[ "$(json 'r["target"]["exit"]["code"]')" = None ] || fail "exit code should be null (still running at the window)"
pass "ignores SIGTERM"

#!/bin/sh
# A target that closes all its fds (stdout/stderr included) still audits.
. "$(dirname "$0")/lib.sh"
run_audit -- "$(prog host_closefds)" "$MARK"
assert_common
[ "$(json 'r["target"]["exit"]["code"]')" = 0 ] || fail "target exit code not 0"
pass "closed fds"

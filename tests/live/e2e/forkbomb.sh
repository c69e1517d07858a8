#!/bin/sh
# e2e: alone
# A fork bomb: the process limit holds, the audit ends on time, nothing survives.
. "$(dirname "$0")/lib.sh"
run_audit -- "$(prog host_forkbomb)" "$MARK"
assert_common
[ "$(json 'r["stats"]["processes"]')" -gt 2 ] || fail "the forks were not seen"
pass "fork bomb"

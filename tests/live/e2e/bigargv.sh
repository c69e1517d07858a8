#!/bin/sh
# Huge argv and environment, up to E2BIG.
. "$(dirname "$0")/lib.sh"
run_audit -- "$(prog host_bigargv)" "$MARK"
assert_common
assert_file_contains "$OUT/stdout.log" "too big"
pass "huge argv/env"

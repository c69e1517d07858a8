#!/bin/sh
# io_uring_setup is seen (and denied by the default policy).
. "$(dirname "$0")/lib.sh"
run_audit -- "$(prog host_iouring)" "$MARK"
assert_common
assert_file_contains "$OUT/stdout.log" "io_uring_setup = "
grep -q io_uring_setup "$OUT/events.jsonl" || fail "io_uring_setup not in events.jsonl"
pass "io_uring"

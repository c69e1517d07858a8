#!/bin/sh
# Connections out: in the sandbox's own network namespace 10.255.255.1 is
# unreachable (no packet leaves), 127.0.0.1 is the sandbox's own loopback.
. "$(dirname "$0")/lib.sh"
run_audit -- "$(prog host_connect)" "$MARK"
assert_common
assert_file_contains "$OUT/stdout.log" "connect 10.255.255.1:9 = -1 ENETUNREACH"
assert_file_contains "$OUT/stdout.log" "connect 127.0.0.1:9 = -1 ECONNREFUSED"
assert_file_contains "$OUT/stdout.log" "sendto 10.255.255.1:9 = -1 ENETUNREACH"
grep -q '10.255.255.1' "$OUT/events.jsonl" || fail "the connect attempt is not in events.jsonl"
pass "outbound connect"

#!/bin/sh
# A server running until the window closes: the monitors' files show it
# (sockets.txt: the listener with its owner; processes.txt: the process;
# fs-events.log: its files in /tmp and HOME), the exit says "still running".
. "$(dirname "$0")/lib.sh"
run_audit -- python3 "$(prog host_server.py)" "$MARK"
assert_common
[ "$ELAPSED" -ge "$DUR" ] || fail "ended after ${ELAPSED}s, before the window"
[ "$(json 'r["target"]["exit"]["code"]')" = None ] || fail "exit code should be null"
grep -E 'tcp +LISTEN .*127\.0\.0\.1:5555 .*users:\(\("python3",pid=2,fd=[0-9]+\)\)' "$OUT/sockets.txt" >/dev/null ||
	fail "sockets.txt lacks the listener: $(cat "$OUT/sockets.txt")"
grep -E 'tcp +ESTAB .*127\.0\.0\.1:5555' "$OUT/sockets.txt" >/dev/null || fail "sockets.txt lacks the connection"
grep -E ' 2 +1 .*python3 \./host_server\.py' "$OUT/processes.txt" >/dev/null ||
	fail "processes.txt lacks the server: $(cat "$OUT/processes.txt")"
assert_file_contains "$OUT/fs-events.log" "/tmp/ CREATE server-state"
assert_file_contains "$OUT/fs-events.log" "CREATE,ISDIR cache"
assert_file_contains "$OUT/fs-events.log" "/cache/ CREATE seen"
assert_file_contains "$OUT/stdout.log" "serving"
pass "server with monitors"

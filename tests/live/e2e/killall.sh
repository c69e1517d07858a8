#!/bin/sh
# kill(-1, SIGKILL), signals and ptrace to pid 1 and random pids: dynaudit
# and the host are out of reach; the target goes on and exits normally.
. "$(dirname "$0")/lib.sh"
run_audit -- "$(prog host_killall)" "$MARK"
assert_common
assert_file_contains "$OUT/stdout.log" "survived"
[ "$(json 'r["target"]["exit"]["code"]')" = 0 ] || fail "target exit code not 0"
pass "kill(-1) and ptrace of others"

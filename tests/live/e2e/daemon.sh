#!/bin/sh
# setsid and double-fork daemons outlive the main process: the audit waits
# for the window, then kills them.
. "$(dirname "$0")/lib.sh"
run_audit -- "$(prog host_daemon)" "$MARK"
assert_common
[ "$ELAPSED" -ge "$DUR" ] || fail "ended after ${ELAPSED}s, before the window, with daemons alive"
pass "daemons"

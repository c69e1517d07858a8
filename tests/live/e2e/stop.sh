#!/bin/sh
# SIGSTOP to itself and its children: stopped processes are killed too.
. "$(dirname "$0")/lib.sh"
run_audit -- "$(prog host_stop)" "$MARK"
assert_common
pass "SIGSTOP"

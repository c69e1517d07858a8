#!/bin/sh
# clone(CLONE_UNTRACED): the escaped child is killed with the namespace.
. "$(dirname "$0")/lib.sh"
run_audit -- "$(prog host_untraced)" "$MARK"
assert_common
pass "CLONE_UNTRACED"

#!/bin/sh
# clone(CLONE_UNTRACED): denied (EPERM), and judged — a child the tracer
# would not see is tampering with the audit (privilege.ptrace); any escaped
# child is killed with the namespace.
. "$(dirname "$0")/lib.sh"
run_audit -- "$(prog host_untraced)" "$MARK"
assert_common
msg=$(json '[f["message"] for c in r["categories"] for f in c["findings"] if f["rule"]=="privilege.ptrace"]')
echo "$msg" | grep -q "CLONE_UNTRACED" || fail "no privilege.ptrace finding for CLONE_UNTRACED: $msg"
pass "CLONE_UNTRACED"

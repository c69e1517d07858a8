#!/bin/sh
# Exec of setuid binaries (passwd, su): no privilege is gained
# (no_new_privs), the attempt is audited.
. "$(dirname "$0")/lib.sh"
run_audit -- /bin/sh -c "/usr/bin/passwd -S root; su -c id root; id -u; echo $MARK" </dev/null
assert_common
uid=$(grep -E '^[0-9]+$' "$OUT/stdout.log" | head -n 1)
[ -n "$uid" ] && [ "$uid" != 0 ] || fail "the target ran as uid '$uid'"
pass "setuid exec"

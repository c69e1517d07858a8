#!/bin/sh
# A target that cannot be executed: exit status 3 with a clear message.
. "$(dirname "$0")/lib.sh"
run_audit -- /nonexistent/prog-$MARK
[ "$RC" -eq 3 ] || fail "exit status $RC, expected 3"
grep -q "dynaudit: " "$tmp/dyn.err" || fail "no error message"
[ -z "$(survivors)" ] || fail "processes left"
pass "target not executable"

#!/bin/sh
# Filling /tmp, HOME and the workdir: the limits stop it, the host's /tmp
# and the submission directory stay as they were.
. "$(dirname "$0")/lib.sh"
cmd=$(prog host_fill)
before=$(ls -A "$tmp/work" | sort | tr '\n' ' ')
run_audit -- "$cmd" "$MARK"
assert_common
[ ! -e "/tmp/fill-$MARK" ] || fail "the host /tmp was written"
[ "$(ls -A "$tmp/work" | sort | tr '\n' ' ')" = "$before" ] || fail "the submission directory changed"
assert_file_contains "$OUT/stdout.log" "fill done"
pass "fill /tmp and workdir"

#!/bin/sh
# A refused identity change (issue 13): an unprivileged program asking to
# become another unprivileged user gets EPERM; live runs now fetch that
# result, so the privilege detector judges it (it said nothing on "= ?").
# Dropping to one's own ids is nothing.
. "$(dirname "$0")/lib.sh"
cat > "$tmp/work/s.py" <<'PY'
import os
os.setgid(os.getgid())
os.setuid(os.getuid())
try:
    os.setuid(12345)
except OSError as e:
    print("refused", e)
PY
run_audit -- python3 s.py
assert_common
grep -q "setuid(12345) = -1 EPERM" "$OUT/trace.log" || fail "trace.log does not show the refusal: $(grep setuid "$OUT/trace.log")"
st=$(json '[c["status"] for c in r["categories"] if c["id"]=="privilege"][0]')
[ "$st" = fail ] || fail "privilege is $st for a refused setuid to another user"
n=$(json 'sum(1 for c in r["categories"] if c["id"]=="privilege" for f in c["findings"])')
[ "$n" = 1 ] || fail "$n privilege findings (want 1: dropping to one's own ids is nothing)"
pass "refused setuid judged by its result"

#!/bin/sh
# Links shipped in the submission (issue 13): `secret -> /etc/shadow` and
# `rootdir -> /root`, opened under their harmless names, are reads of the
# secret (file fails), and the report names the link.
. "$(dirname "$0")/lib.sh"
ln -s /etc/shadow "$tmp/work/secret"
ln -s /root "$tmp/work/rootdir"
ln -s README "$tmp/work/readme-link"
printf 'cat readme-link\ncat secret 2>/dev/null\nls rootdir 2>/dev/null\necho "done %s"\n' "$MARK" > "$tmp/work/run.sh"
run_audit -- sh run.sh
assert_common
[ "$RC" -eq 1 ] || fail "reads through shipped links did not fail the audit (exit $RC)"
grep -q "/etc/shadow.*through a link the submission ships" "$OUT/report.json" || fail "the read of /etc/shadow through 'secret' is not reported"
grep -q "/root.*through a link the submission ships" "$OUT/report.json" || fail "the listing of /root through 'rootdir' is not reported"
n=$(json 'sum("readme-link" in f["message"] for c in r["categories"] if c["id"]=="file" for f in c["findings"])')
[ "$n" = 0 ] || fail "a shipped link to an ordinary file was reported"
pass "reads through links the submission ships"

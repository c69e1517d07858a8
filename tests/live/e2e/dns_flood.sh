#!/bin/sh
# The sink resolver under a hostile client (random datagrams, a pointer
# loop, 20 distinct names under one domain): dynaudit ends on time with
# its report and no event lost, a later ordinary lookup is still
# answered, and the many names are one network.dns_tunnel finding.
. "$(dirname "$0")/lib.sh"
DUR=${DUR_DNS:-30}
run_audit --set sandbox.deception.dns=sink -- python3 "$(prog host_dns_flood.py)" "$MARK"
assert_common
assert_file_contains "$OUT/stdout.log" "resolved 127\."
n=$(json 'len([f for c in r["categories"] for f in c["findings"] if f["rule"]=="network.dns_tunnel" and "flood.invalid" in f["message"]])')
[ "$n" = 1 ] || fail "$n dns_tunnel findings for the names under flood.invalid (want 1)"
pass "DNS sink flood"

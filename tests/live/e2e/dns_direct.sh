#!/bin/sh
# Issue 13, DNS: queries sent straight to port 53 without the sandbox's
# resolver — UDP sendto, TCP with the length prefix (sendto MSG_FASTOPEN)
# and write() on a connected UDP socket — carry their name in a
# "dns_query" event, so network.dns_tunnel judges the 60-character hex
# labels of each (the resolvers are unreachable: the names still left).
. "$(dirname "$0")/lib.sh"
run_audit -- "$(prog host_dns_direct)" "$MARK"
assert_common
assert_file_contains "$OUT/stdout.log" "udp write"
msg=$(json '[f["message"] for c in r["categories"] for f in c["findings"] if f["rule"]=="network.dns_tunnel" and f["severity"]=="high"]')
for via in udp tcp write; do
	echo "$msg" | grep -q "[0-9a-f]\{60\}\.$via\.tunnel\.example" || fail "no network.dns_tunnel for the $via query: $msg"
done
[ "$RC" -eq 1 ] || fail "the tunnel did not fail the audit (exit $RC)"
pass "DNS queries decoded from sends to port 53"

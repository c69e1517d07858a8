#!/bin/sh
# sandbox.deception.dns and .connect: sink with dynaudit run by an
# unprivileged user (nobody; the sandbox is then a user namespace): the
# sinks' sockets come from a helper that joins the sandbox's user and
# network namespaces, so collector.invalid still resolves into
# 127.64.0.0/10 and the connect to it reaches the connect sink.
. "$(dirname "$0")/lib.sh"
DUR=${DUR_SINK:-12}
command -v setpriv >/dev/null || { echo "skip: no setpriv"; exit 77; }
[ "$(id -u)" = 0 ] || { echo "skip: needs root to become nobody"; exit 77; }
chmod 777 "$tmp"
real=$DYNAUDIT
cat > "$tmp/as-nobody.sh" <<EOS
#!/bin/sh
exec setpriv --reuid=65534 --regid=65534 --clear-groups env HOME=$tmp "$real" "\$@"
EOS
chmod 755 "$tmp/as-nobody.sh"
DYNAUDIT=$tmp/as-nobody.sh
run_audit --set sandbox.deception.dns=sink --set sandbox.deception.connect=sink -- \
	python3 "$(prog host_dns_lookup.py)" collector.invalid "$MARK"
grep -q "user namespace" "$tmp/dyn.err" "$OUT/report.md" 2>/dev/null && [ ! -s "$OUT/report.json" ] &&
	{ echo "skip: no user namespaces for nobody"; exit 77; }
assert_common
grep -q "DNS sink not started" "$OUT/report.md" && fail "the DNS sink did not start without root: $(grep 'sink not started' "$OUT/report.md")"
assert_file_contains "$OUT/stdout.log" "resolved collector.invalid 127\."
assert_file_contains "$OUT/stdout.log" "connected?"
json '[f["message"] for c in r["categories"] for f in c["findings"] if f["rule"]=="network.dns_query"]' |
	grep -q "Looks up collector.invalid" || fail "the query is not in the report"
pass "DNS and connect sinks without root"

#!/bin/sh
# sandbox.deception.connect: sink keeps benign programs working: a client
# that tries its own server before the server binds the port reaches the
# sink, the server's bind then gets the port (the sink gives it back) and
# the echo works; the loopback server of server.sh serves as before.  No
# finding above info, PASS.
. "$(dirname "$0")/lib.sh"
DUR=${DUR_SINK:-10}
for prog in host_early_client.py host_server.py; do
	run_audit --set sandbox.deception.dns=sink --set sandbox.deception.connect=sink \
		--set plugins.network.allow_listen=127.0.0.1:5600,127.0.0.1:5555 \
		--set plugins.network.allow_connect=127.0.0.1:5600,127.0.0.1:5555 -- python3 "$(prog $prog)" "$MARK"
	assert_common
	assert_file_contains "$OUT/stdout.log" "serving"
	[ "$RC" -eq 0 ] || fail "$prog: a benign program fails with the sink (exit $RC)"
	above=$(json '[f["rule"]+" "+f["severity"] for c in r["categories"] for f in c["findings"] if f["severity"] not in ("info",)]')
	[ "$above" = "[]" ] || fail "$prog: findings above info: $above"
done
run_audit --set sandbox.deception.dns=sink --set sandbox.deception.connect=sink -- python3 "$(prog host_early_client.py)" "$MARK"
assert_file_contains "$OUT/stdout.log" "early try connected"
assert_file_contains "$OUT/stdout.log" "echo ping"
pass "benign client and servers with the connect sink"

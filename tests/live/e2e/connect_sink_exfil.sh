#!/bin/sh
# sandbox.deception.connect: sink.  The decoy AWS secret key leaves to
# names the DNS sink answers: an HTTP POST (the sink answers 200, urllib
# sees it), raw bytes written with write(2) (the tracer sees them as a
# send on the socket, and the sink receives them) and a UDP datagram.  Critical
# backdoor.honeytoken naming the token and the sink's address; each
# connection's bytes are a sink_data event with a preview and hex.
. "$(dirname "$0")/lib.sh"
DUR=${DUR_SINK:-20}
run_audit --set sandbox.deception.dns=sink --set sandbox.deception.connect=sink -- \
	python3 "$(prog host_exfil_sink.py)" "$MARK"
assert_common
assert_file_contains "$OUT/stdout.log" "http status 200"
assert_file_contains "$OUT/stdout.log" "raw sent 127\."
assert_file_contains "$OUT/stdout.log" "udp sent 127\."
[ "$RC" -eq 1 ] || fail "exfiltration did not fail the audit (exit $RC)"
raw=$(sed -n 's/^raw sent \(127[0-9.]*\)$/\1/p' "$OUT/stdout.log")
msg=$(json '[f["message"] for c in r["categories"] for f in c["findings"] if f["rule"]=="backdoor.honeytoken" and f["severity"]=="critical"]')
echo "$msg" | grep -q "AWS_SECRET_ACCESS_KEY.* $raw:9" ||
	fail "no critical honeytoken naming the token and the sink for the write(2) bytes: $msg"
grep '"syscall":"sink_data"' "$OUT/events.jsonl" | grep -q 'POST /collect HTTP/1.1' || fail "the HTTP request is not recorded"
grep '"syscall":"sink_data"' "$OUT/events.jsonl" | grep '"sock_type":2' | grep -q 'ping' || fail "the datagram is not recorded"
grep '"syscall":"sink_data"' "$OUT/events.jsonl" | grep -q 'hex: 73 65 63 72' || fail "no hex dump in the sink's evidence"
pass "exfiltration to the connect sink"

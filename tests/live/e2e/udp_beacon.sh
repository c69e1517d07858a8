#!/bin/sh
# Issue 13, invisible calls: a UDP beacon that connect()s once and then
# write()s a heartbeat every 0.7 s.  The writes on the connected socket are
# data leaving (DA_EV_NET_SEND, addr: the peer), each a contact:
# backdoor.beaconing names the destination.
. "$(dirname "$0")/lib.sh"
run_audit -- "$(prog host_udp_beacon)" "$MARK"
assert_common
assert_file_contains "$OUT/stdout.log" "write = 4"
grep -q '"kind":"send".*"syscall":"write".*127.0.0.1:4444' "$OUT/events.jsonl" ||
	grep -q '"syscall":"write".*"kind":"send"' "$OUT/events.jsonl" ||
	fail "the write() on the UDP socket is not a send event"
msg=$(json '[f["message"] for c in r["categories"] for f in c["findings"] if f["rule"]=="backdoor.beaconing"]')
echo "$msg" | grep -q "127.0.0.1:4444" || fail "no backdoor.beaconing naming 127.0.0.1:4444: $msg"
pass "UDP connect()+write() beacon"

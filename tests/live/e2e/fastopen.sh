#!/bin/sh
# Issue 13, invisible calls: TCP Fast Open — sendto(MSG_FASTOPEN) connects
# without connect().  It is a connect (DA_EV_NET_CONNECT): network.connect
# judges 10.255.255.1:443 (unreachable in the sandbox's namespace).
. "$(dirname "$0")/lib.sh"
run_audit -- "$(prog host_fastopen)" "$MARK"
assert_common
assert_file_contains "$OUT/stdout.log" "sendto(MSG_FASTOPEN) 10.255.255.1:443"
grep '"kind":"connect"' "$OUT/events.jsonl" | grep -q '"syscall":"sendto"' ||
	fail "sendto(MSG_FASTOPEN) is not a connect event"
msg=$(json '[f["message"]+" "+f["severity"] for c in r["categories"] for f in c["findings"] if f["rule"]=="network.connect"]')
echo "$msg" | grep -q "10.255.255.1:443.*high" || fail "no high network.connect to 10.255.255.1:443: $msg"
[ "$RC" -eq 1 ] || fail "the Fast Open connect did not fail the audit (exit $RC)"
pass "TCP Fast Open is a connect"

#!/bin/sh
# Issue 13, invisible calls: a server hands the decoy ~/.ssh/id_rsa to the
# client that connected to it with sendfile, splice (file -> pipe ->
# socket) or copy_file_range (refused by the kernel for a socket: still an
# attempt), never write() or send().  Each copy into a socket is data
# leaving (DA_EV_NET_SEND): backdoor.exfiltration cites it as evidence;
# sendfile from a file also carries the bytes (backdoor.honeytoken).
. "$(dirname "$0")/lib.sh"
p=$(prog host_sendfile)
for how in sendfile splice copy_file_range; do
	rm -rf "$OUT"
	run_audit -- "$p" "$how" "$MARK"
	assert_common
	assert_file_contains "$OUT/stdout.log" "^$how("
	ev=$(json '[" | ".join(f["evidence"]) for c in r["categories"] for f in c["findings"] if f["rule"]=="backdoor.exfiltration" and f["severity"]=="critical"]')
	echo "$ev" | grep -q "$how(" || fail "no critical backdoor.exfiltration citing $how: $ev"
	[ "$RC" -eq 1 ] || fail "$how: the audit did not fail (exit $RC)"
done
msg=$(json '[f["message"] for c in r["categories"] for f in c["findings"] if f["rule"]=="backdoor.honeytoken"]')
echo "$msg" | grep -q "id_rsa" || fail "the copied key is not recognised as the decoy: $msg"
pass "sendfile/splice/copy_file_range to a socket"

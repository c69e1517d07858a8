#!/bin/sh
# Issue 13, invisible calls: signals to pid 1 (the namespace's init), with
# kill() and with pidfd_send_signal, whose pidfd names the pid only in the
# kernel (read from /proc/PID/fdinfo while the caller is stopped).  Both
# are process.signal "to pid 1".
. "$(dirname "$0")/lib.sh"
p=$(prog host_signal_init)
for how in kill pidfd; do
	rm -rf "$OUT"
	run_audit -- "$p" "$how" "$MARK"
	assert_common
	assert_file_contains "$OUT/stdout.log" "^$how(1, SIGURG)"
	msg=$(json '[f["message"]+" "+f["severity"] for c in r["categories"] for f in c["findings"] if f["rule"]=="process.signal"]')
	echo "$msg" | grep -q "SIGURG to pid 1 (init).*high" || fail "$how: no high process.signal to pid 1: $msg"
done
grep '"syscall":"pidfd_send_signal"' "$OUT/events.jsonl" | grep -q '"target_pid":1' ||
	fail "pidfd_send_signal's event does not name pid 1"
pass "signals to pid 1 (kill, pidfd_send_signal)"

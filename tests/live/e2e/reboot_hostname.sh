#!/bin/sh
# Issue 13, invisible calls: reboot (denied) and renaming the machine
# (sethostname, setdomainname) are the kernel's rarely needed interfaces:
# privilege.kernel, one finding per call.
. "$(dirname "$0")/lib.sh"
run_audit -- "$(prog host_reboot)" "$MARK"
assert_common
assert_file_contains "$OUT/stdout.log" "reboot = -1"
msg=$(json '[f["message"] for c in r["categories"] for f in c["findings"] if f["rule"]=="privilege.kernel"]')
for call in reboot sethostname setdomainname; do
	echo "$msg" | grep -q "$call" || fail "no privilege.kernel finding for $call: $msg"
done
grep -q 'sethostname(\\"pwned\\", 5)' "$OUT/events.jsonl" || fail "the new host name is not in the evidence"
pass "reboot, sethostname, setdomainname"

#!/bin/sh
# sandbox.deception.honeytokens: a target reads the decoy ~/.aws/credentials
# and sends the secret key over TCP (to its own loopback server).  The
# audit fails with backdoor.honeytoken naming AWS_SECRET_ACCESS_KEY and
# the destination; the read is called a decoy; the overview lists the
# planted files and variables but never their values.
. "$(dirname "$0")/lib.sh"
run_audit -- python3 "$(prog host_honeytoken_send.py)" "$MARK"
assert_common
assert_file_contains "$OUT/stdout.log" "sent "
[ "$RC" -eq 1 ] || fail "the stolen credential did not fail the audit (exit $RC)"
msg=$(json '[f["message"] for c in r["categories"] for f in c["findings"] if f["rule"]=="backdoor.honeytoken" and f["severity"]=="critical"]')
echo "$msg" | grep -q "AWS_SECRET_ACCESS_KEY" || fail "no critical backdoor.honeytoken naming the token: $msg"
echo "$msg" | grep -q "sent to 127.0.0.1:" || fail "the finding does not name the destination: $msg"
grep -q "a decoy credential dynaudit planted" "$OUT/report.json" || fail "the read is not called a decoy"
assert_file_contains "$OUT/report.md" "honeytokens: .*~/.aws/credentials.*AWS_SECRET_ACCESS_KEY"
secret=$(grep '"syscall":"honeytoken","detail":"AWS_SECRET_ACCESS_KEY"' "$OUT/events.jsonl" |
	python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())["text"])')
[ ${#secret} -eq 40 ] || fail "the token's value is not published to the detectors ($secret)"
sed -n '/^## 1/,/^## 2/p' "$OUT/report.md" | grep -qF -- "$secret" && fail "the overview shows the value"
pass "honeytoken sent over TCP"

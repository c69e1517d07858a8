#!/bin/sh
# A program that never touches the decoys (it lists its workdir, runs a
# child, talks to itself over loopback) has no honeytoken or secret-read
# finding; with sandbox.deception.honeytokens: false no decoy exists.
. "$(dirname "$0")/lib.sh"
cat > "$tmp/work/ok.sh" <<'EOS'
#!/bin/sh
ls . >/dev/null
echo hello | cat
echo done
EOS
run_audit -- sh ok.sh "$MARK"
assert_common
assert_file_contains "$OUT/stdout.log" "done"
n=$(json 'len([f for c in r["categories"] for f in c["findings"] if f["rule"] in ("backdoor.honeytoken","file.sensitive_read","backdoor.exfiltration")])')
[ "$n" = 0 ] || fail "$n honeytoken/secret findings for a benign program"
assert_file_contains "$OUT/report.md" "honeytokens: decoy credentials"
cat > "$tmp/work/look.sh" <<'EOS'
#!/bin/sh
test -e ~/.aws/credentials && echo planted || echo absent
env | grep -c AWS_ || true
EOS
run_audit --set sandbox.deception.honeytokens=false -- sh look.sh "$MARK"
assert_common
assert_file_contains "$OUT/stdout.log" "absent"
assert_file_contains "$OUT/stdout.log" "^0"
grep -q "honeytokens: decoy" "$OUT/report.md" && fail "honeytokens listed while off"
pass "benign program and honeytokens off"

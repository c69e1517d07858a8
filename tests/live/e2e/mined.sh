#!/bin/sh
# driver.mined: with no staff client at all, the built-in line driver sends
# the submission's own command-like literals ("!exec " here) to wait_for;
# the chat server's hidden command fires and the audit FAILs.  The report
# lists what was sent; driver.log has each line and the answers.  Python
# and C servers (the C one ships its source next to the binary).
. "$(dirname "$0")/lib.sh"
DUR=8
cat >"$tmp/mined.yaml" <<Y
driver:
  mined: true
  wait_for: "127.0.0.1:5555"
Y
chmod 644 "$tmp/mined.yaml"

P=$(prog host_chat_backdoor.py)
run_audit -c "$tmp/mined.yaml" --set target.duration=$DUR -- python3 "$P" 5555 "$MARK"
assert_common
grep '"kind":"exec"' "$OUT/events.jsonl" | grep -q '"argv":\["/bin/sh","-c","id"\]' ||
	fail "python: the mined '!exec id' ran no shell: $(head -c 600 "$OUT/driver.log" 2>/dev/null)"
[ "$RC" -eq 1 ] || fail "python: verdict $(json 'r["verdict"]'), expected FAIL"
assert_file_contains "$OUT/driver.log" "> !exec id"
assert_file_contains "$OUT/driver.log" "< uid=65534"
json 'r["sandbox"]["driver.mined"]' | grep -q "'!exec '" || fail "the report does not list what was sent: $(json 'r["sandbox"]')"
assert_file_contains "$OUT/report.md" "driver.mined sent"

rm -rf "$OUT" "$tmp/work/host_chat_backdoor.py"
C=$(prog host_chat_backdoor)
cp "$(dirname "$0")/../progs/host_chat_backdoor.c" "$tmp/work/"
run_audit -c "$tmp/mined.yaml" --set target.duration=$DUR -- "$C" 5555 "$MARK"
assert_common
grep '"kind":"exec"' "$OUT/events.jsonl" | grep -q '"argv":\["sh","-c","id"\]' ||
	fail "C: the mined '!exec id' ran no shell: $(head -c 600 "$OUT/driver.log" 2>/dev/null)"
[ "$RC" -eq 1 ] || fail "C: verdict $(json 'r["verdict"]'), expected FAIL"

# mined needs an address to talk to
rm -rf "$OUT"
printf 'driver:\n  mined: true\n  wait_for: 1s\n' >"$tmp/bad.yaml"
timeout 60 "$DYNAUDIT" run -c "$tmp/bad.yaml" -o "$OUT" --target "$tmp/work" -- "$C" 5555 "$MARK" \
	>"$tmp/dyn.out" 2>"$tmp/dyn.err"
RC=$?
[ "$RC" -ne 0 ] && [ "$RC" -ne 1 ] || fail "mined without an address: exit $RC"
grep -q 'driver.mined' "$tmp/dyn.err" || fail "the refusal does not name driver.mined: $(cat "$tmp/dyn.err")"
RC=0
pass "driver.mined fires magic-command backdoors"

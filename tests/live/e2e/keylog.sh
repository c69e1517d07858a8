#!/bin/sh
# Keylogging (issue 13 §1): opens of keyboards and input devices, consoles
# and console screens are judged, denied or not (the sandbox shows none,
# so they fail; live the result is not even fetched): backdoor.keylogging
# high for /dev/input/event* and a by-path keyboard, medium for
# /dev/console.  The other direction: a
# program reading its own stdin, /dev/tty, /dev/urandom and /dev/null
# raises no keylogging finding.
. "$(dirname "$0")/lib.sh"
rules() { json '"\n".join("%s %s %s" % (f["rule"], f["severity"], f["message"]) for c in r["categories"] for f in c["findings"])'; }
cat > "$tmp/work/kl.sh" <<'EOF2'
for dev in /dev/input/event0 /dev/input/by-path/platform-i8042-serio-0-event-kbd /dev/console; do
	read -r line < "$dev" 2>/dev/null
done
echo done
EOF2
run_audit --set plugins.process.allow_exec=sh -- sh kl.sh "$MARK"
assert_common
rules > "$tmp/rules.txt"
grep -q '^backdoor.keylogging high .*/dev/input/event0' "$tmp/rules.txt" ||
	fail "no keylogging finding for /dev/input/event0: $(cat "$tmp/rules.txt")"
grep -q '^backdoor.keylogging high .*event-kbd' "$tmp/rules.txt" ||
	fail "no keylogging finding for the keyboard: $(cat "$tmp/rules.txt")"
grep -q '^backdoor.keylogging medium .*/dev/console' "$tmp/rules.txt" ||
	fail "no keylogging finding for /dev/console: $(cat "$tmp/rules.txt")"

cat > "$tmp/work/benign.sh" <<'EOF2'
read -r line
head -c 8 /dev/urandom > /dev/null
read -r t < /dev/tty 2>/dev/null
echo "got $line"
EOF2
rm -rf "$OUT"
echo hello > "$tmp/stdin.txt"
run_audit --set plugins.process.allow_exec=sh,head --set target.stdin="$tmp/stdin.txt" -- sh benign.sh "$MARK"
assert_common
rules > "$tmp/rules2.txt"
grep -q '^backdoor.keylogging' "$tmp/rules2.txt" && fail "benign reads judged as keylogging: $(cat "$tmp/rules2.txt")"
pass "input devices and consoles are keylogging; stdin and /dev/tty are not"

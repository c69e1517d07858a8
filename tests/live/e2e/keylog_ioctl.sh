#!/bin/sh
# Keylogging through ioctl(2) (issue 13 §1): keystroke injection (TIOCSTI),
# console selection (TIOCLINUX), the console keyboard in raw mode
# (KDSKBMODE) are attempts whether or not they succeed (the sandbox gives no
# terminal: they fail with ENOTTY), and raw mode on a pseudo-terminal the
# program did not create (another sandboxed process's) is terminal capture:
# backdoor.keylogging high, high, high and medium.  The other direction:
# raw mode and echo off on its own stdin (an editor, a password prompt) and
# on a pseudo-terminal it created itself (expect, script) raise nothing.
. "$(dirname "$0")/lib.sh"
rules() { json '"\n".join("%s %s %s" % (f["rule"], f["severity"], f["message"]) for c in r["categories"] for f in c["findings"])'; }
kl=$(prog host_keylog)
cat > "$tmp/work/kl.sh" <<EOF2
$kl inject
$kl linux
$kl kbd
$kl hold 3 &
sleep 0.2
$kl snoop
wait
EOF2
run_audit --set plugins.process.allow_exec=sh,sleep,host_keylog -- sh kl.sh "$MARK"
assert_common
rules > "$tmp/rules.txt"
grep -q '^backdoor.keylogging high .*TIOCSTI on fd 0 .*keystroke injection.*failed' "$tmp/rules.txt" ||
	fail "no keylogging finding for TIOCSTI: $(cat "$tmp/rules.txt")"
grep -q '^backdoor.keylogging high .*TIOCLINUX' "$tmp/rules.txt" ||
	fail "no keylogging finding for TIOCLINUX: $(cat "$tmp/rules.txt")"
grep -q '^backdoor.keylogging high .*KDSKBMODE.*raw scancodes' "$tmp/rules.txt" ||
	fail "no keylogging finding for KDSKBMODE: $(cat "$tmp/rules.txt")"
grep -q '^backdoor.keylogging medium .*TCSETS on fd [0-9]* (/dev/pts/0): raw mode' "$tmp/rules.txt" ||
	fail "no keylogging finding for raw mode on another pty: $(cat "$tmp/rules.txt")"
grep -q 'ioctl(0</dev/null>, TIOCSTI, "x") = -1 ENOTTY' "$OUT/trace.log" ||
	fail "trace.log lacks the TIOCSTI call: $(grep ioctl "$OUT/trace.log")"
[ "$(json 'r["verdict"]')" = FAIL ] || fail "keystroke injection did not fail the audit"

cat > "$tmp/work/benign.sh" <<EOF2
$kl stdin
$kl ownpty
stty -a
EOF2
rm -rf "$OUT"
run_audit --set plugins.process.allow_exec=sh,stty,host_keylog -- sh benign.sh "$MARK"
assert_common
rules > "$tmp/rules2.txt"
grep -q '^backdoor.keylogging' "$tmp/rules2.txt" && fail "own terminals judged as keylogging: $(cat "$tmp/rules2.txt")"
grep -q 'raw slave: ok' "$OUT/stdout.log" || fail "the own-pty case did not run: $(cat "$OUT/stdout.log")"
grep -q 'TCSETS' "$OUT/trace.log" || fail "the benign raw-mode calls were not traced (the test would prove nothing)"
pass "TIOCSTI, TIOCLINUX, KDSKBMODE and raw mode on a foreign pty are keylogging; own stdin and own pty are not"

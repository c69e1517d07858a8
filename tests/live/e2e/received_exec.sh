#!/bin/sh
# Judging in context (issue 9 §1): (a) a chat server runs what a client
# sent ("!exec uname -a"): the shell's argv holds bytes the server just
# received from its connection, a critical process.remote_exec naming
# them; (b) the same server driven with plain chat lines stays below
# critical; (c) a program that reads its stdin (target.stdin) and then
# runs a shell is high ("after reading its input"), as after an accept,
# where it was low before.
. "$(dirname "$0")/lib.sh"
P=$(prog host_chat_backdoor.py)
SRC=$(cd "$(dirname "$0")/../drivers" && pwd)
mkdir -p "$tmp/course"
cp "$SRC/chat_client.py" "$tmp/course/"
chmod -R a+rX "$tmp/course"
DUR=${DUR_DRIVEN:-15}
crit() { json '"\n".join(f["rule"]+" "+f["message"] for c in r["categories"] for f in c["findings"] if f["severity"]=="critical")'; }

cat >"$tmp/course/audit.yaml" <<Y
driver:
  command: [python3, chat_client.py, hello, "!exec uname -a"]
  wait_for: "127.0.0.1:5555"
Y
run_audit -c "$tmp/course/audit.yaml" -- python3 "$P" 5555 "$MARK"
assert_common
grep '"kind":"exec"' "$OUT/events.jsonl" | grep -q '"argv":\["/bin/sh","-c","uname -a"\]' ||
	fail "the driver's command did not run"
crit >"$tmp/crit.txt"
grep -q "^process.remote_exec Runs sh with 'uname -a' on its command line, received from a network connection" "$tmp/crit.txt" ||
	fail "no critical process.remote_exec: $(cat "$tmp/crit.txt")"
[ "$RC" -eq 1 ] || fail "exit $RC"

cat >"$tmp/course/plain.yaml" <<Y
driver:
  command: [python3, chat_client.py, hello, "how are you today"]
  wait_for: "127.0.0.1:5555"
Y
rm -rf "$OUT"
run_audit -c "$tmp/course/plain.yaml" -- python3 "$P" 5555 "$MARK"
assert_common
crit >"$tmp/crit.txt"
! grep -q . "$tmp/crit.txt" || fail "plain chat lines gave critical findings: $(cat "$tmp/crit.txt")"
grep -q '"kind":"recv"' "$OUT/events.jsonl" || fail "no recv events: the server's reads were not seen"

printf '1+1\n!debug\n' >"$tmp/course/input.txt"
chmod 644 "$tmp/course/input.txt"
rm -rf "$OUT"
run_audit --set target.stdin="$tmp/course/input.txt" -- python3 "$(prog host_stdin_magic.py)" "$MARK"
assert_common
msg=$(json '[f["message"] for c in r["categories"] for f in c["findings"] if f["rule"]=="process.shell" and f["severity"]=="high"]')
echo "$msg" | grep -q "Spawns a shell after reading its input (remote command execution): sh -c 'id'" ||
	fail "the shell after reading stdin is not high: $(json '[(f["rule"], f["severity"], f["message"]) for c in r["categories"] for f in c["findings"]]')"
pass "received bytes reaching exec argv are critical; a shell after stdin is high"

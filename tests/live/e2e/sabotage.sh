#!/bin/sh
# Runaway and destruction (issue 13 §1): an allow-listed rm deleting the
# submission's 30 shipped files, and `rm -rf "$HOME"/*`, are sabotage
# (file.mass_delete high); 150 threads that stay under the task limit are
# a thread bomb (process.runaway medium).  The other direction: a program
# that creates 40 files and deletes them again, with 8 worker threads,
# raises neither.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null 2>&1 || { echo "skip: no python3"; exit 77; }
rules() { json '"\n".join("%s %s %s" % (f["rule"], f["severity"], f["message"]) for c in r["categories"] for f in c["findings"])'; }
mkdir -p "$tmp/work/data"
for i in $(seq 1 30); do echo "$i" > "$tmp/work/data/f$i.txt"; done
cat > "$tmp/work/wipe.sh" <<'EOF2'
rm -f data/*.txt
rm -rf "$HOME"/*
python3 -c '
import threading, time
ts = [threading.Thread(target=time.sleep, args=(0.5,)) for _ in range(150)]
[t.start() for t in ts]
[t.join() for t in ts]
'
echo done
EOF2
run_audit --set plugins.process.allow_exec=sh,rm,python3 -- sh wipe.sh "$MARK"
assert_common
rules > "$tmp/rules.txt"
grep -q '^file.mass_delete high Deletes or rewrites 3[0-9] files the run did not create' "$tmp/rules.txt" ||
	fail "no mass deletion finding: $(cat "$tmp/rules.txt")"
grep -q '^file.mass_delete high Deletes recursively /home/' "$tmp/rules.txt" ||
	fail "rm -rf of HOME not reported: $(cat "$tmp/rules.txt")"
grep -q '^process.runaway medium .*thread bomb under the task limit' "$tmp/rules.txt" ||
	fail "no thread bomb finding: $(cat "$tmp/rules.txt")"

cat > "$tmp/work/churn.py" <<'PY'
import os, threading
os.makedirs("out", exist_ok=True)
for i in range(40):
    with open("out/t%d.txt" % i, "w") as f:
        f.write("x")
for i in range(40):
    os.unlink("out/t%d.txt" % i)
ts = [threading.Thread(target=sum, args=([1, 2],)) for _ in range(8)]
[t.start() for t in ts]
[t.join() for t in ts]
PY
rm -rf "$OUT"
run_audit --set plugins.process.allow_exec=python3 -- python3 churn.py "$MARK"
assert_common
rules > "$tmp/rules2.txt"
grep -q '^file.mass_delete\|^process.runaway' "$tmp/rules2.txt" &&
	fail "benign churn judged sabotage: $(cat "$tmp/rules2.txt")"
pass "mass deletion, rm -rf HOME and a thread bomb under the limit are reported; churn is not"

#!/bin/sh
# A delayed shell chain (issue 13 §1): the program stays quiet for 3 s,
# then runs a shell -c string that writes a hidden file and lists the
# system.  Each step is ordinary; the chain is high (process.shell), not
# the low of a shell habit.  The other direction: the same string run at
# once, and a delayed shell that only writes an ordinary file, stay low.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null 2>&1 || { echo "skip: no python3"; exit 77; }
rules() { json '"\n".join("%s %s %s" % (f["rule"], f["severity"], f["message"]) for c in r["categories"] for f in c["findings"])'; }
cat > "$tmp/work/chain.py" <<'PY'
import os, sys, time
if sys.argv[1] != "now":
    time.sleep(3)
if sys.argv[1] == "plain":
    os.system("echo done > result.txt")
else:
    os.system("echo x > /tmp/.sysupd; uname -a; ls / > /dev/null")
PY
DUR=8
run_audit --set plugins.process.allow_exec=python3 -- python3 chain.py delayed "$MARK"
assert_common
rules > "$tmp/rules.txt"
grep -q "^process.shell high Spawns a shell after [0-9]* s of quiet, writing a hidden file (/tmp/.sysupd) and listing the system" "$tmp/rules.txt" ||
	fail "no high delayed chain: $(cat "$tmp/rules.txt")"
for mode in now plain; do
	rm -rf "$OUT"
	run_audit --set plugins.process.allow_exec=python3 -- python3 chain.py $mode "$MARK"
	assert_common
	rules > "$tmp/rules-$mode.txt"
	grep -q '^process.shell low ' "$tmp/rules-$mode.txt" || fail "$mode: no low shell finding: $(cat "$tmp/rules-$mode.txt")"
	grep -q '^process.shell \(medium\|high\)' "$tmp/rules-$mode.txt" &&
		fail "$mode: the shell weighs more than low: $(cat "$tmp/rules-$mode.txt")"
done
pass "a shell after a quiet wait, writing a hidden file and listing the system, is high"

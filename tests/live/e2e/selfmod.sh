#!/bin/sh
# Self-modification seen live.  A live run publishes read-only opens without
# their result ("= ?"), so only inotify can tell a shipped file from one the
# run made; code_integrity must still find:
#  (a) a Python submission that imports helper.py, then rewrites it and the
#      answers.json it was shipped with (open(..., "w")): modifies_source
#      for helper.py, modifies_file for answers.json; the out.txt it
#      creates, rewrites and deletes, and its __pycache__, are its own;
#  (b) a shell submission that deletes a script shipped with it: a
#      modifies_source; the temporary file it makes and deletes is silent.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null 2>&1 || { echo "skip: no python3 on this host"; exit 77; }

# findings RULE: the messages of rule, one a line.
findings() {
	json "'\n'.join(f['message'] for c in r['categories'] for f in c['findings'] if f['rule'] == '$1')"
}

# (a) MARK is in the target's argv: it must not survive the audit.
cat >"$tmp/work/helper.py" <<'PY'
def grade(x):
    return x + 1
PY
echo '{"q1": "b"}' >"$tmp/work/answers.json"
cat >"$tmp/work/main.py" <<'PY'
import os, sys
import helper
print("score", helper.grade(1), flush=True)
with open("out.txt", "w") as f:
    f.write("first\n")
with open("out.txt", "w") as f:
    f.write("second\n")
os.remove("out.txt")
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "helper.py"), "w") as f:
    f.write("def grade(x):\n    return 10\n")
with open("answers.json", "w") as f:
    f.write('{"q1": "tampered"}')
PY
run_audit -- python3 main.py "$MARK"
assert_common
findings code_integrity.modifies_source >"$tmp/src.txt"
findings code_integrity.modifies_file >"$tmp/file.txt"
grep -q "its own source .*/helper.py" "$tmp/src.txt" ||
	fail "no modifies_source for helper.py: $(cat "$tmp/src.txt")"
grep -q "/answers.json" "$tmp/file.txt" || fail "no modifies_file for answers.json: $(cat "$tmp/file.txt")"
grep -q "out.txt\|__pycache__\|main.py" "$tmp/src.txt" "$tmp/file.txt" &&
	fail "files the run made, or left alone, reported: $(cat "$tmp/src.txt" "$tmp/file.txt")"
[ "$(json 'next(c["status"] for c in r["categories"] if c["id"] == "code_integrity")')" = warn ] ||
	fail "code_integrity is not warn"
grep -q "x + 1" "$tmp/work/helper.py" || fail "the submission itself was changed"

# (b) a shipped script deleted, a temporary file made and deleted
OUT="$tmp/out-sh"
rm -f "$tmp/work/"*.py "$tmp/work/answers.json"
printf 'echo tool\n' >"$tmp/work/tool.sh"
cat >"$tmp/work/run.sh" <<'SH'
echo scratch > scratch.dat
rm -f scratch.dat tool.sh
echo done
SH
run_audit -- sh run.sh "$MARK"
assert_common
findings code_integrity.modifies_source >"$tmp/src.txt"
findings code_integrity.modifies_file >"$tmp/file.txt"
grep -q "deletes its own source .*/tool.sh" "$tmp/src.txt" ||
	fail "no modifies_source for the deleted tool.sh: $(cat "$tmp/src.txt")"
grep -q "scratch.dat" "$tmp/src.txt" "$tmp/file.txt" &&
	fail "the run's own temporary file reported: $(cat "$tmp/file.txt")"
pass "rewritten and deleted shipped files found live; the run's own files silent"

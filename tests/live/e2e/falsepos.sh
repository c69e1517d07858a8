#!/bin/sh
# False positives to keep away (issue 13 §1): tar's own `sh -c gzip` when
# tar and gzip are allowed is tar's plumbing, not the submission's shell;
# an LD_PRELOAD of a library the submission ships in its workdir (a
# profiler) is medium, not high on its own.  The other direction: an
# allowed python3 running `sh -c gzip` is still the submission's shell,
# and a preload from /tmp stays high.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null 2>&1 || { echo "skip: no python3"; exit 77; }
rules() { json '"\n".join("%s %s %s" % (f["rule"], f["severity"], f["message"]) for c in r["categories"] for f in c["findings"])'; }
echo data > "$tmp/work/data.txt"
echo mark > "$tmp/work/$MARK" # tar archives it: the marker is in its argv
run_audit --set plugins.process.allow_exec=tar,gzip -- tar czf out.tgz data.txt "$MARK"
assert_common
rules > "$tmp/rules-tar.txt"
grep -q 'gzip' "$OUT/events.jsonl" || fail "tar ran no gzip: $(cat "$tmp/rules-tar.txt")"
grep -q '^process.shell' "$tmp/rules-tar.txt" && fail "tar's own shell reported: $(cat "$tmp/rules-tar.txt")"

cp /usr/lib/x86_64-linux-gnu/libm.so.6 "$tmp/work/libprof.so"
cat > "$tmp/work/pre.py" <<'PY'
import os, subprocess, sys
subprocess.run(["/bin/true"], env=dict(os.environ, LD_PRELOAD=os.getcwd() + "/libprof.so"))
subprocess.run(["/bin/true"], env=dict(os.environ, LD_PRELOAD="/tmp/.hook.so"))
os.system("gzip -k data.txt")
PY
rm -rf "$OUT"
run_audit --set plugins.process.allow_exec=python3,gzip,true -- python3 pre.py "$MARK"
assert_common
rules > "$tmp/rules-pre.txt"
grep -q '^process.loader_injection medium .*libprof.so' "$tmp/rules-pre.txt" ||
	fail "the workdir preload is not medium: $(cat "$tmp/rules-pre.txt")"
grep -q '^process.loader_injection high .*LD_PRELOAD=/tmp/.hook.so' "$tmp/rules-pre.txt" ||
	fail "the /tmp preload is not high: $(cat "$tmp/rules-pre.txt")"
grep -q "^process.shell low .*gzip -k data.txt" "$tmp/rules-pre.txt" ||
	fail "python3's os.system is not the submission's shell: $(cat "$tmp/rules-pre.txt")"
pass "tar's own shell is quiet, a workdir preload is medium; python's shell and a /tmp preload still count"

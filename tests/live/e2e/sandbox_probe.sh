#!/bin/sh
# Sandbox probing (issue 13 §1): reading TracerPid from /proc/self/status
# with grep, what pid 1 is (/proc/1/cgroup) and a container mark
# (/.dockerenv), then staying quiet: file.sandbox_probe (low) for each.
# The other direction: a runtime reading its own /proc/self/status for
# memory figures, and ps listing processes, are not probing.
# (A mark tested with stat(2), `test -e /.dockerenv`: sandbox_probe_stat.sh.)
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null 2>&1 || { echo "skip: no python3"; exit 77; }
rules() { json '"\n".join("%s %s %s" % (f["rule"], f["severity"], f["message"]) for c in r["categories"] for f in c["findings"])'; }
cat > "$tmp/work/probe.sh" <<'EOF2'
grep TracerPid /proc/self/status
cat /proc/1/cgroup > /dev/null
cat /.dockerenv 2>/dev/null
echo quiet
EOF2
run_audit --set plugins.process.allow_exec=sh,grep,cat -- sh probe.sh "$MARK"
assert_common
rules > "$tmp/rules.txt"
for want in '/proc/self/status (TracerPid)\|/proc/[0-9]*/status (TracerPid)' '/proc/1/cgroup' '/.dockerenv'; do
	grep -q "^file.sandbox_probe low .*$want" "$tmp/rules.txt" ||
		fail "no sandbox_probe for $want: $(cat "$tmp/rules.txt")"
done
cat > "$tmp/work/benign.py" <<'PY'
import subprocess
with open("/proc/self/status") as f:
    rss = [l for l in f if l.startswith("VmRSS")]
print(rss)
subprocess.run(["ps", "-e"], stdout=subprocess.DEVNULL)
PY
rm -rf "$OUT"
run_audit --set plugins.process.allow_exec=python3,ps -- python3 benign.py "$MARK"
assert_common
rules > "$tmp/rules2.txt"
grep -q '^file.sandbox_probe' "$tmp/rules2.txt" && fail "benign reads judged probing: $(cat "$tmp/rules2.txt")"
pass "tracer, container and pid-1 marks read are sandbox probing; own status and ps are not"

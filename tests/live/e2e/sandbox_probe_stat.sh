#!/bin/sh
# Sandbox probing with stat-like calls (issue 13 §1): `test -e /.dockerenv`,
# `[ -f /run/.containerenv ]`, `test -d /sys/hypervisor`, Python's
# os.path.exists("/proc/1/cgroup") (stat) and os.access("/proc/xen")
# (faccessat), then staying quiet: file.sandbox_probe (low) for each, as for
# the same marks opened (sandbox_probe.sh).  The other direction: Python's
# start-up (hundreds of stats), `ls -la /`, `find / -maxdepth 1`, a stat of
# the program's own file and of /etc/localtime raise no probe finding.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null 2>&1 || { echo "skip: no python3"; exit 77; }
rules() { json '"\n".join("%s %s %s" % (f["rule"], f["severity"], f["message"]) for c in r["categories"] for f in c["findings"])'; }
cat > "$tmp/work/probe.sh" <<'EOF2'
test -e /.dockerenv && echo docker
[ -f /run/.containerenv ] && echo podman
test -d /sys/hypervisor && echo vm
python3 -c 'import os; print(os.path.exists("/proc/1/cgroup"), os.access("/proc/xen", os.F_OK))'
echo quiet
EOF2
run_audit --set plugins.process.allow_exec=sh,python3 -- sh probe.sh "$MARK"
assert_common
rules > "$tmp/rules.txt"
for want in 'sh checks for .*/.dockerenv' 'sh checks for .*/run/.containerenv' 'sh checks for .*/sys/hypervisor' \
	'python3 checks for (newfstatat\|stat\|statx) /proc/1/cgroup' 'python3 checks for (faccessat2\?\|access) /proc/xen'; do
	grep -q "^file.sandbox_probe low .*$want" "$tmp/rules.txt" ||
		fail "no sandbox_probe for $want: $(cat "$tmp/rules.txt")"
done

cat > "$tmp/work/benign.sh" <<'EOF2'
python3 -c 'import json, os; print(os.path.exists("/etc/localtime"), os.path.isdir("/usr/lib"))'
ls -la / > /dev/null
find / -maxdepth 1 > /dev/null 2>&1
stat benign.sh > /dev/null
test -e /etc/localtime
echo done
EOF2
rm -rf "$OUT"
run_audit --set plugins.process.allow_exec=sh,python3,ls,find,stat -- sh benign.sh "$MARK"
assert_common
rules > "$tmp/rules2.txt"
grep -q '^file.sandbox_probe' "$tmp/rules2.txt" && fail "benign stats judged probing: $(cat "$tmp/rules2.txt")"
grep -q 'statx(AT_FDCWD, "/' "$OUT/trace.log" || grep -q 'newfstatat(AT_FDCWD, "/' "$OUT/trace.log" ||
	fail "the benign stats were not traced (the test would prove nothing)"
pass "stat, access and statx of container, VM and pid-1 marks are probing; python, ls -la / and find are not"

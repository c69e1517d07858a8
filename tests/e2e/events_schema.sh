#!/usr/bin/env bash
# events.jsonl conforms to tests/schema/events.schema.json: the files a
# live run, a strace replay and an events replay write, line by line; and
# the checker is not a rubber stamp (an unknown member, a wrong type, a
# missing header are each caught).
. "$(dirname "$0")/lib.sh"
D=$DYNAUDIT
CHK="$DYNAUDIT_SRC/tests/schema/check-events.py"
python3 -c 'import jsonschema' 2>/dev/null && echo "# using python3-jsonschema" || echo "# jsonschema module absent: the checker's own walk"
mkdir -p "$TMP/sub"
printf 'print("hello")\nopen("/tmp/x", "w").write("y")\n' >"$TMP/sub/app.py"
$D run --target "$TMP/sub" -o "$TMP/live" -q -- sh -c 'python3 app.py; ls / >/dev/null' 2>"$TMP/err"
check "live run wrote events.jsonl: $(cat "$TMP/err")" [ -s "$TMP/live/events.jsonl" ]
check "live events.jsonl conforms: $(python3 "$CHK" "$TMP/live/events.jsonl" 2>&1 | head -5)" \
  python3 "$CHK" "$TMP/live/events.jsonl"
for fx in persistence-bashrc-cron chat-server bind-shell; do
  $D replay --strace "$DYNAUDIT_SRC/tests/fixtures/$fx/strace.log" -o "$TMP/$fx" -q 2>/dev/null
  check "replay of $fx: events.jsonl conforms: $(python3 "$CHK" "$TMP/$fx/events.jsonl" 2>&1 | head -5)" \
    python3 "$CHK" "$TMP/$fx/events.jsonl"
done
$D replay --events "$TMP/live/events.jsonl" -o "$TMP/again" -q 2>/dev/null
check "events replay's events.jsonl conforms" python3 "$CHK" "$TMP/again/events.jsonl"
# a cut file (report.limits.events) with its dynaudit_cut records
$D replay --strace "$DYNAUDIT_SRC/tests/fixtures/benign-c-make/strace.log" --set report.limits.events=64K -o "$TMP/cut" -q 2>/dev/null
check "the cut file has dynaudit_cut records" grep -q '"dynaudit_cut"' "$TMP/cut/events.jsonl"
check "a cut events.jsonl conforms: $(python3 "$CHK" "$TMP/cut/events.jsonl" 2>&1 | head -3)" python3 "$CHK" "$TMP/cut/events.jsonl"

ev="$TMP/persistence-bashrc-cron/events.jsonl"
sed '2s/"seq":/"colour":"blue","seq":/' "$ev" >"$TMP/unknown.jsonl"
check "an unknown member is caught" bash -c '! python3 "$1" "$2" >/dev/null' _ "$CHK" "$TMP/unknown.jsonl"
sed '2s/"pid":\([0-9]*\)/"pid":"\1"/' "$ev" >"$TMP/type.jsonl"
check "a wrong type is caught" bash -c '! python3 "$1" "$2" >/dev/null' _ "$CHK" "$TMP/type.jsonl"
sed 1d "$ev" >"$TMP/nohdr.jsonl"
check "a missing header is caught" bash -c 'python3 "$1" "$2" | grep -q "not the header"' _ "$CHK" "$TMP/nohdr.jsonl"
sed '3s/"kind":"[a-z_]*"/"kind":"teleport"/' "$ev" >"$TMP/kind.jsonl"
check "an unknown kind is caught" bash -c '! python3 "$1" "$2" >/dev/null' _ "$CHK" "$TMP/kind.jsonl"
finish

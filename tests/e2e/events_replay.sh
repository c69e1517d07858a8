#!/usr/bin/env bash
# events.jsonl is replayable: replaying the events of a replay gives the
# same verdict, score and findings (for every fixture).
. "$(dirname "$0")/lib.sh"
n=0
for log in "$DYNAUDIT_SRC"/tests/fixtures/*/strace.log "$DYNAUDIT_SRC"/tests/fixtures/*/strace_log.[0-9]*; do
  [ -f "$log" ] || continue
  b=$(basename "$(dirname "$log")")
  "$DYNAUDIT" replay --strace "$log" -o "$TMP/$b-1" >/dev/null 2>&1
  "$DYNAUDIT" replay --events "$TMP/$b-1/events.jsonl" -o "$TMP/$b-2" >/dev/null 2>&1
  for k in '(r["verdict"], r["score"], r["risk"])' '[(c["id"], c["status"], [(f["rule"], f["severity"], f["message"], f.get("count")) for f in c["findings"]]) for c in r["categories"]]' 'r["stats"]["events"]'; do
    a=$(json "$TMP/$b-1/report.json" "$k" 2>&1); c=$(json "$TMP/$b-2/report.json" "$k" 2>&1)
    check "$b: $k differs after events replay: $a vs $c" [ "$a" = "$c" ]
  done
  n=$((n + 1))
done
check "at least one fixture replayed" [ "$n" -gt 0 ]
finish

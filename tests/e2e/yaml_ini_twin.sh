#!/usr/bin/env bash
# A YAML config and its INI twin give identical reports (apart from the
# config file name) on every fixture.
. "$(dirname "$0")/lib.sh"
n=0
for y in "$DYNAUDIT_SRC"/configs/assignments/*.yaml "$DYNAUDIT_SRC"/configs/*.yaml; do
  i="${y%.yaml}.ini"
  [ -f "$i" ] || continue
  for log in "$DYNAUDIT_SRC"/tests/fixtures/*/strace.log "$DYNAUDIT_SRC"/tests/fixtures/*/strace_log.[0-9]*; do
    [ -f "$log" ] || continue
    b=$(basename "$y" .yaml)-$(basename "$(dirname "$log")")
    "$DYNAUDIT" replay -c "$y" --strace "$log" -o "$TMP/$b-y" >/dev/null 2>&1
    "$DYNAUDIT" replay -c "$i" --strace "$log" -o "$TMP/$b-i" >/dev/null 2>&1
    strip='json.dumps({k: v for k, v in r.items() if k not in ("config",)}, sort_keys=True)'
    check "$b: reports differ between YAML and INI" [ "$(json "$TMP/$b-y/report.json" "$strip")" = "$(json "$TMP/$b-i/report.json" "$strip")" ]
    n=$((n + 1))
  done
done
check "compared at least one twin" [ "$n" -gt 0 ]
finish

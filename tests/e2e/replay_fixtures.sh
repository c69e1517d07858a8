#!/usr/bin/env bash
# Replays every recorded fixture listed in tests/fixtures/MANIFEST.tsv and
# compares verdict and category statuses with what the manifest expects.
# Prints the fixture -> expected -> got table.
. "$(dirname "$0")/lib.sh"
FIX="$DYNAUDIT_SRC/tests/fixtures"
printf '%-34s %-44s %s\n' fixture expected got
while IFS=$'\t' read -r log prog what verdict cats rest; do
  case "$log" in ''|'#'*|fixture*|log*) continue ;; esac
  out="$TMP/$(basename "$log")"
  cfg=()
  [ -f "$FIX/$log.config.yaml" ] && cfg=(-c "$FIX/$log.config.yaml")
  "$DYNAUDIT" replay "${cfg[@]}" --strace "$FIX/$log" -o "$out" 2>"$out.err"
  rc=$?
  if [ ! -f "$out/report.json" ]; then
    fail "$log: no report (exit $rc): $(head -c 300 "$out.err")"
    continue
  fi
  got_v=$(json "$out/report.json" 'r["verdict"]')
  got_c=$(statuses "$out/report.json")
  want_c=$(echo "$cats" | tr -d ' ')
  printf '%-34s %-44s %s\n' "$log" "$verdict $want_c" "$got_v $got_c"
  check "$log: verdict $got_v, expected $verdict" [ "$got_v" = "$verdict" ]
  check "$log: statuses $got_c, expected $want_c" [ "$got_c" = "$want_c" ]
  check "$log: exit status $rc matches verdict" [ "$rc" = "$([ "$verdict" = PASS ] && echo 0 || echo 1)" ]
  check "$log: report.json conforms to the schema" schema_ok "$out/report.json"
  lost=$(json "$out/report.json" 'r["stats"]["events_lost"]')
  check "$log: no event lost" [ "$lost" = 0 ]
done < "$FIX/MANIFEST.tsv"
finish

#!/usr/bin/env bash
# Replays every recorded fixture listed in tests/fixtures/MANIFEST.tsv and
# compares verdict and category statuses with what the manifest expects.
# Prints the fixture -> expected -> got table.
. "$(dirname "$0")/lib.sh"
FIX="$DYNAUDIT_SRC/tests/fixtures"
printf '%-34s %-44s %s\n' fixture expected got
while IFS=$'\t' read -r log prog what verdict c1 c2 c3 c4 c5 c6 rest; do
  case "$log" in ''|'#'*) continue ;; esac
  name=$(dirname "$log")
  out="$TMP/$name"
  cfg=()
  [ -f "$FIX/$name/dynaudit.yaml" ] && cfg=(-c "$FIX/$name/dynaudit.yaml")
  "$DYNAUDIT" replay "${cfg[@]}" --strace "$FIX/$log" -o "$out" 2>"$out.err"
  rc=$?
  if [ ! -f "$out/report.json" ]; then
    fail "$log: no report (exit $rc): $(head -c 300 "$out.err")"
    continue
  fi
  want_c="$c1,$c2,$c3,$c4,$c5,$c6"
  got_v=$(json "$out/report.json" 'r["verdict"]')
  got_c=$(statuses "$out/report.json")
  printf '%-34s %-44s %s\n' "$name" "$verdict $want_c" "$got_v $got_c"
  check "$log: verdict $got_v, expected $verdict" [ "$got_v" = "$verdict" ]
  check "$log: statuses $got_c, expected $want_c" [ "$got_c" = "$want_c" ]
  check "$log: exit status $rc matches verdict" [ "$rc" = "$([ "$verdict" = PASS ] && echo 0 || echo 1)" ]
  check "$log: report.json conforms to the schema" schema_ok "$out/report.json"
  lost=$(json "$out/report.json" 'r["stats"]["events_lost"]')
  check "$log: no event lost" [ "$lost" = 0 ]
done < "$FIX/MANIFEST.tsv"
finish

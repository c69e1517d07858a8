#!/usr/bin/env bash
# Replays every recorded strace fixture under tests/fixtures with two
# dynaudit binaries (OLD, NEW) and diffs what the detectors concluded:
# verdict, score, risk, category statuses and every finding's rule,
# severity, message and count.  Used to show that refactoring the detectors
# changed no behaviour.  Each fixture is replayed with the default config
# and, when it has one, with its own dynaudit.yaml.
#   usage: tests/plugins/replay_diff.sh OLD_DYNAUDIT NEW_DYNAUDIT
set -u
old=$1 new=$2
src=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
summary() {
  python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
print("verdict", r["verdict"], "score", r.get("score"), "risk", r.get("risk"))
for c in r["categories"]:
    print(c["id"], c["status"])
    for f in c["findings"]:
        print("  ", f["rule"], f["severity"], f.get("count"), f["message"])
' "$1"
}
n=0 bad=0
for log in "$src"/tests/fixtures/*/strace.log "$src"/tests/fixtures/*/strace_log.[0-9]*; do
  [ -f "$log" ] || continue
  dir=$(dirname "$log"); name=$(basename "$dir")
  cfgs=(default); [ -f "$dir/dynaudit.yaml" ] && cfgs+=("$dir/dynaudit.yaml")
  for cfg in "${cfgs[@]}"; do
    args=(); [ "$cfg" != default ] && args=(-c "$cfg")
    for side in old new; do
      bin=$old; [ $side = new ] && bin=$new
      "$bin" replay "${args[@]}" --strace "$log" -o "$tmp/$name-$side" >/dev/null 2>&1
      summary "$tmp/$name-$side/report.json" > "$tmp/$name-$side.txt" 2>&1
      rm -rf "$tmp/$name-$side"
    done
    n=$((n + 1))
    if ! diff -u "$tmp/$name-old.txt" "$tmp/$name-new.txt" > "$tmp/diff"; then
      echo "DIFFERS: $name ($(basename "$cfg"))"; cat "$tmp/diff"; bad=$((bad + 1))
    fi
  done
done
echo "compared $n replays ($bad differ)"
[ "$bad" = 0 ] && [ "$n" -gt 0 ]

#!/usr/bin/env bash
# The rules detector against the built-in detectors it re-expresses:
# every fixture of tests/fixtures/MANIFEST.tsv is replayed once with the
# built-in detectors and configs/rules/builtin-equivalents.rules.yaml
# loaded together; for each rule tagged `equivalent:<built-in rule>` the
# findings must be the same events: the same pids, the same time of the
# first event and the same counts
# (restricted to the built-in's case named by equivalent_severity: /
# equivalent_message:).  Prints the rule -> matches table.
. "$(dirname "$0")/lib.sh"
FIX="$DYNAUDIT_SRC/tests/fixtures"
RULES="$DYNAUDIT_SRC/configs/rules/builtin-equivalents.rules.yaml"
reports=()
while IFS=$'\t' read -r log rest; do
  case "$log" in ''|'#'*) continue ;; esac
  name=$(dirname "$log")
  base="$DYNAUDIT_SRC/configs/default.yaml"
  [ -f "$FIX/$name/dynaudit.yaml" ] && base="$FIX/$name/dynaudit.yaml"
  printf 'extends: %s\nplugins:\n  rules:\n    files: [%s]\n' "$base" "$RULES" > "$TMP/$name.yaml"
  "$DYNAUDIT" replay -c "$TMP/$name.yaml" --strace "$FIX/$log" -o "$TMP/$name" 2>"$TMP/$name.err"
  if [ ! -f "$TMP/$name/report.json" ]; then
    fail "$log: no report: $(head -c 300 "$TMP/$name.err")"
    continue
  fi
  check "$log: report.json conforms to the schema" schema_ok "$TMP/$name/report.json"
  reports+=("$TMP/$name/report.json")
done < "$FIX/MANIFEST.tsv"

python3 - "$RULES" "${reports[@]}" > "$TMP/compare.out" <<'PY'
import json, sys, yaml
rules = yaml.safe_load(open(sys.argv[1]))["rules"]
fired = 0
for r in rules:
    tags = dict(t.split(":", 1) for t in r.get("tags", []) if ":" in t)
    if "equivalent" not in tags:
        print("FAIL rules.%s has no equivalent: tag" % r["id"]); continue
    total = 0
    for path in sys.argv[2:]:
        rep = json.load(open(path))
        fixture = path.split("/")[-2]
        mine, theirs = {}, {}
        for c in rep["categories"]:
            for f in c.get("findings", []):
                key = (f["pid"], f["time_s"])  # the process and its first event
                if f["rule"] == "rules." + r["id"]:
                    mine[key] = mine.get(key, 0) + f["count"]
                elif (f["rule"] == tags["equivalent"]
                      and f["severity"] == tags.get("equivalent_severity", f["severity"])
                      and tags.get("equivalent_message", "") in f["message"]):
                    theirs[key] = theirs.get(key, 0) + f["count"]
        total += sum(mine.values())
        mine = {"%d@%.6f" % k: n for k, n in mine.items()}
        theirs = {"%d@%.6f" % k: n for k, n in theirs.items()}
        if mine != theirs:
            print("FAIL %s: rules.%s %s, %s %s" % (fixture, r["id"], mine, tags["equivalent"], theirs))
    fired += total > 0
    print("ok rules.%-26s = %-26s %d finding(s)" % (r["id"], tags["equivalent"], total))
print("rules %d, firing on the fixtures %d" % (len(rules), fired))
PY
cat "$TMP/compare.out"
while read -r line; do
  case "$line" in FAIL*) fail "$line" ;; ok*) ok ;; esac
done < "$TMP/compare.out"
n=$(sed -n 's/^rules \([0-9]*\),.*/\1/p' "$TMP/compare.out")
check "at least ten rules re-expressed (got ${n:-0})" [ "${n:-0}" -ge 10 ]
finish

#!/usr/bin/env bash
# report.formats html, junit and sarif through their real consumers.
#   formats.sh html   every fixture's report.html in headless Chromium: no
#                     console message (a blocked load or a script would log
#                     one), the DOM has the verdict, the assessment table
#                     (one row per category), the process tree and the SVG
#                     timeline; a hostile strace log's argv stays text; a
#                     screenshot of a FAIL report is taken (kept in
#                     $FORMATS_SCREENSHOT when set).
#   formats.sh junit  every fixture's report.junit.xml read by junitparser
#                     (Debian's python3-junitparser, under /usr/bin/python3):
#                     one suite, a testcase per category + score + coverage,
#                     failures exactly for the fail categories (and warn under
#                     --fail-on warn).
#   formats.sh sarif  every fixture's report.sarif validated by the SARIF
#                     multitool (no error result), one result per finding.
# Each fixture of tests/fixtures/MANIFEST.tsv is replayed once with all five
# formats.  A missing consumer skips (exit 77) with the reason.
. "$(dirname "$0")/lib.sh"
WHAT=${1:?html, junit or sarif}
FIX="$DYNAUDIT_SRC/tests/fixtures"
FORMATS=markdown,json,html,junit,sarif

case "$WHAT" in
html)
  CHROMIUM=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
  [ -n "$CHROMIUM" ] || { echo "SKIP: chromium is not installed (apt-get install chromium; .ci/install-deps does)"; exit 77; }
  ;;
junit)
  PY=/usr/bin/python3
  $PY -c 'import junitparser' 2>/dev/null ||
    { echo "SKIP: junitparser is not importable by /usr/bin/python3 (apt-get install python3-junitparser)"; exit 77; }
  ;;
sarif)
  MT=${SARIF_MULTITOOL:-$DYNAUDIT_SRC/tests/formats/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool}
  [ -f "$MT" ] || { echo "SKIP: no SARIF multitool at $MT (npm ci --prefix tests/formats; .ci/install-deps does)"; exit 77; }
  [ -x "$MT" ] || chmod u+x "$MT" 2>/dev/null # its postinstall is a chmod, which npm may skip
  [ -x "$MT" ] || { echo "SKIP: $MT is not executable"; exit 77; }
  ;;
*) echo "usage: formats.sh html|junit|sarif" >&2; exit 2 ;;
esac

# chrome FILE.html OUT.dom: dump the DOM; console lines go to OUT.dom.log
chrome() {
  local prof; prof=$(mktemp -d "$TMP/chrome.XXXXXX")
  timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --user-data-dir="$prof" \
    --enable-logging=stderr --v=0 "${@:3}" "file://$1" >"$2" 2>"$2.log"
}

check_html() { # DIR NAME
  local d=$1 name=$2
  chrome "$d/report.html" "$d/dom.html" --dump-dom
  check "$name: chromium loaded report.html" [ -s "$d/dom.html" ]
  if grep -E ':CONSOLE|Uncaught' "$d/dom.html.log" >"$d/console.txt"; then
    fail "$name: console messages: $(head -c 400 "$d/console.txt")"
  else ok; fi
  local ncat rows
  ncat=$(json "$d/report.json" 'len(r["categories"])')
  rows=$(python3 - "$d/dom.html" <<'PY'
import sys, html.parser
class P(html.parser.HTMLParser):
    def __init__(s):
        super().__init__(); s.ids=set(); s.stack=[]; s.rows=0; s.tree_li=0; s.tree=0; s.imgs=0; s.scripts=0
    def handle_starttag(s, tag, a):
        a=dict(a)
        if 'id' in a: s.ids.add(a['id'])
        if tag in ('img','script','iframe','object','embed','link'): s.imgs+=1
        if tag=='table': s.stack.append(a.get('id'))
        if tag=='ul' and (s.tree or a.get('id')=='process-tree'): s.tree+=1
        if tag=='tr' and 'assessment' in s.stack[-1:]: s.rows+=1
        if tag=='li' and s.tree: s.tree_li+=1
    def handle_endtag(s, tag):
        if tag=='table' and s.stack: s.stack.pop()
        if tag=='ul' and s.tree: s.tree-=1
p=P(); p.feed(open(sys.argv[1]).read())
need={'verdict','assessment','process-tree','timeline','findings','sandbox'}
print(p.rows-1, p.tree_li, p.imgs, ','.join(sorted(need-p.ids)) or '-')
PY
)
  set -- $rows
  check "$name: table has $1 category rows, report.json $ncat" [ "$1" = "$ncat" ]
  check "$name: no active element in the DOM ($3)" [ "$3" = 0 ]
  check "$name: DOM misses sections: $4" [ "$4" = - ]
  local nproc; nproc=$(grep -c '<span class="pid">' "$d/report.html")
  check "$name: process tree has $2 nodes, report.html $nproc" [ "$2" = "$nproc" ]
}

check_junit() { # DIR NAME FAIL_ON_WARN
  $PY - "$1/report.junit.xml" "$1/report.json" "$3" <<'PY' || fail "$2: junitparser: see above"
import json, sys
from junitparser import JUnitXml, Failure, Skipped, Error
x = JUnitXml.fromfile(sys.argv[1]); r = json.load(open(sys.argv[2])); warn = sys.argv[3] == "1"
suites = list(x)
assert len(suites) == 1, "one testsuite"
s = suites[0]
cases = {c.classname: c for c in s}
want = ["dynaudit." + c["id"] for c in r["categories"]] + ["dynaudit.score", "dynaudit.coverage"]
assert list(cases) == want, (list(cases), want)
for c in r["categories"]:
    res = cases["dynaudit." + c["id"]].result
    failed = [e for e in res if isinstance(e, Failure)]
    should = c["status"] == "fail" or (warn and c["status"] == "warn")
    assert bool(failed) == should, (c["id"], c["status"], res)
    if failed:
        assert failed[0].type == c["status"], failed[0].type
        for f in c["findings"]:
            assert f["rule"] in (failed[0].text or ""), (f["rule"], "not in the failure text")
cov = cases["dynaudit.coverage"].result
assert (r["coverage"] != "full") == bool(cov), (r["coverage"], cov)
print("junitparser: %s: tests=%d failures=%d errors=%d skipped=%d" % (s.name, s.tests, s.failures, s.errors, s.skipped))
PY
}

check_sarif() { # DIR NAME
  DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 "$MT" validate "$1/report.sarif" >"$1/validate.txt" 2>&1
  local rc=$?
  check "$2: multitool exit $rc" [ "$rc" = 0 ]
  if grep -E ': error [A-Z]+[0-9]+:' "$1/validate.txt" >"$1/errors.txt"; then
    fail "$2: SARIF errors: $(head -c 600 "$1/errors.txt")"
  else ok; fi
  check "$2: multitool verdict" grep -q 'Analysis completed successfully' "$1/validate.txt"
  local nf nr
  nf=$(json "$1/report.json" 'sum(len(c["findings"]) for c in r["categories"])')
  nr=$(json "$1/report.sarif" 'len(r["runs"][0]["results"])')
  check "$2: $nr results for $nf findings" [ "$nf" = "$nr" ]
  echo "multitool: $2: $(grep -c ': warning ' "$1/validate.txt") warnings, 0 errors, $nr results: $(grep 'Analysis completed' "$1/validate.txt")"
}

# A recorded run whose argv, paths and output are hostile to a page.
mkdir -p "$TMP/hostile-src"
cat >"$TMP/hostile-src/strace.log" <<'LOG'
100 execve("/usr/bin/python3", ["python3", "x.py"], 0x7ffd /* 5 vars */) = 0
100 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f) = 101
101 execve("/bin/sh", ["sh", "-c", "</script><script>alert(1)</script><img src=x onerror=alert(2)> \"'&\x01\xff"], 0x7ffd /* 5 vars */) = 0
101 openat(AT_FDCWD, "/home/auditor/app/<img src=x onerror=alert(3)>.txt", O_WRONLY|O_CREAT|O_TRUNC, 0644) = 3
101 write(2, "<svg onload=alert(4)>\n", 22) = 22
101 exit_group(0)                     = ?
101 +++ exited with 0 +++
100 wait4(-1, NULL, 0, NULL)          = 101
100 exit_group(1)                     = ?
100 +++ exited with 1 +++
LOG

run_one() { # NAME LOG [CONFIG]
  local name=$1 log=$2 out="$TMP/$1"; shift 2
  "$DYNAUDIT" replay "$@" --strace "$log" --set report.formats=$FORMATS -o "$out" 2>"$out.err"
  local f missing=
  for f in report.json report.md report.html report.junit.xml report.sarif; do
    [ -f "$out/$f" ] || missing="$missing $f"
  done
  if [ -n "$missing" ]; then fail "$name: missing$missing: $(head -c 300 "$out.err")"; return; fi
  ok
  case "$WHAT" in
  html) check_html "$out" "$name" ;;
  junit) check_junit "$out" "$name" 0 ;;
  sarif) check_sarif "$out" "$name" ;;
  esac
}

while IFS=$'\t' read -r log rest; do
  case "$log" in ''|'#'*) continue ;; esac
  name=$(dirname "$log")
  cfg=()
  [ -f "$FIX/$name/dynaudit.yaml" ] && cfg=(-c "$FIX/$name/dynaudit.yaml")
  run_one "$name" "$FIX/$log" "${cfg[@]}"
done < "$FIX/MANIFEST.tsv"
run_one hostile "$TMP/hostile-src/strace.log"

case "$WHAT" in
html)
  # the hostile strings reached the page, as text only
  check "hostile: argv shown as text" grep -q '&lt;/script&gt;&lt;script&gt;alert(1)' "$TMP/hostile/report.html"
  check "hostile: no element from the target in the DOM" \
    sh -c '! grep -Eq "<(script|img|svg onload)[ >]" "$1"' _ "$TMP/hostile/dom.html"
  # a FAIL report, looked at: the screenshot shows the table and the tree
  chrome "$TMP/reverse-shell/report.html" "$TMP/shot.out" --hide-scrollbars --window-size=1200,1800 \
    --screenshot="$TMP/reverse-shell.png"
  check "screenshot of a FAIL report written" [ -s "$TMP/reverse-shell.png" ]
  check "screenshot is a PNG" sh -c 'head -c 8 "$1" | od -An -c | grep -q "P   N   G"' _ "$TMP/reverse-shell.png"
  [ -n "${FORMATS_SCREENSHOT:-}" ] && cp "$TMP/reverse-shell.png" "$FORMATS_SCREENSHOT"
  ;;
junit)
  # --fail-on warn fails the warn categories too, and agrees with the exit status
  out="$TMP/warn"
  "$DYNAUDIT" replay --strace "$FIX/reverse-shell/strace.log" --fail-on warn \
    --set report.formats=$FORMATS -o "$out" 2>/dev/null
  check "--fail-on warn exit 1" [ $? = 1 ]
  check_junit "$out" "reverse-shell --fail-on warn" 1
  ;;
esac
finish

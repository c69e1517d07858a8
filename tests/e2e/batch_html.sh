#!/bin/bash
# index.html of `dynaudit batch` / `dynaudit summarize` (html among
# report.formats): loaded in headless Chromium (no console message: a
# blocked load or a script would log one), one table row per submission,
# each audited row linking to its NAME/report.html, the cohort section,
# strings escaped, byte-identical when summarize rebuilds it, and absent
# without html.  Skipped (77) without Chromium or without live audits.
. "$(dirname "$0")/lib.sh"
if [ "$(id -u)" != 0 ] && [ "$(cat /proc/sys/kernel/unprivileged_userns_clone 2>/dev/null || echo 1)" = 0 ]; then
  echo "SKIP: live audits need root or user namespaces"; exit 77
fi
CHROMIUM=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
[ -n "$CHROMIUM" ] || { echo "SKIP: chromium is not installed (apt-get install chromium; .ci/install-deps does)"; exit 77; }
S=$TMP/subs
for n in honest1 honest2 shadow; do mkdir -p "$S/$n"; done
echo 'print("one")' > "$S/honest1/main.py"
echo 'print("two")' > "$S/honest2/main.py"
echo 'print(open("/etc/shadow").read()[:10])' > "$S/shadow/main.py"
mkdir -p "$S/nomain"
cat > "$TMP/cfg.yaml" <<'EOF2'
target:
  command: python3 main.py
  duration: 1
report:
  formats: [markdown, json, html]
EOF2
"$DYNAUDIT" batch -q -c "$TMP/cfg.yaml" -j 4 -o "$TMP/out" "$S"/*; rc=$?
check "batch exits 1 (a FAIL; got $rc)" [ "$rc" -eq 1 ]
IDX=$TMP/out/index.html
check "index.html written" [ -s "$IDX" ]
check "it has a Content-Security-Policy forbidding everything but inline style" \
  grep -q "Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\"" "$IDX"

prof=$(mktemp -d "$TMP/chrome.XXXXXX")
timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-background-networking \
  --disable-component-update --disable-sync --no-first-run --user-data-dir="$prof" \
  --enable-logging=stderr --v=0 --dump-dom "file://$IDX" >"$TMP/dom.html" 2>"$TMP/dom.log"
check "chromium loaded index.html" [ -s "$TMP/dom.html" ]
if grep -E ':CONSOLE|Uncaught' "$TMP/dom.log" >"$TMP/console.txt"; then
  fail "console messages: $(head -c 400 "$TMP/console.txt")"
else ok; fi
# rows, links and resources as the browser parsed them
python3 - "$TMP/dom.html" >"$TMP/parsed.txt" <<'PY'
import sys, html.parser
class P(html.parser.HTMLParser):
    def __init__(s):
        super().__init__(); s.in_body = s.in_table = False; s.rows = 0; s.links = []; s.active = 0
    def handle_starttag(s, tag, a):
        a = dict(a)
        if tag in ('script', 'img', 'iframe', 'object', 'embed', 'link'): s.active += 1
        if tag == 'table' and a.get('id') == 'summary': s.in_table = True
        if tag == 'tbody' and s.in_table: s.in_body = True
        if tag == 'tr' and s.in_body: s.rows += 1
        if tag == 'a' and s.in_body: s.links.append(a.get('href'))
    def handle_endtag(s, tag):
        if tag == 'tbody': s.in_body = False
        if tag == 'table': s.in_table = False
p = P(); p.feed(open(sys.argv[1]).read())
print(p.rows); print(p.active); print(" ".join(sorted(p.links)))
PY
check "one table row per submission ($(sed -n 1p "$TMP/parsed.txt"))" [ "$(sed -n 1p "$TMP/parsed.txt")" = 4 ]
check "no script, image, frame or external resource" [ "$(sed -n 2p "$TMP/parsed.txt")" = 0 ]
check "each audited row links to its report.html ($(sed -n 3p "$TMP/parsed.txt"))" \
  [ "$(sed -n 3p "$TMP/parsed.txt")" = "./honest1/report.html ./honest2/report.html ./shadow/report.html" ]
for l in $(sed -n 3p "$TMP/parsed.txt"); do
  check "link $l resolves" [ -f "$TMP/out/$l" ]
done
check "the FAIL row comes first" python3 -c '
import sys, re
rows = re.findall(r"<tr class=\"(st-[a-z-]+)\"><td>\d+</td><td>(?:<a [^>]*>)?([^<]*)", open(sys.argv[1]).read())
sys.exit(0 if rows and rows[0] == ("st-fail", "shadow") else 1)' "$IDX"
check "the not-audited reason is on the page" grep -q "nomain.*main.py" "$IDX"
check "the cohort section is on the page" grep -q '<ul id="outliers">' "$IDX"

# summarize rebuilds the same bytes; a hostile name is escaped
"$DYNAUDIT" summarize -q -o "$TMP/again" "$TMP/out"
same_html() { # on a difference, say where (tags one a line)
  cmp -s "$1" "$2" && return 0
  diff <(tr '>' '\n' <"$1") <(tr '>' '\n' <"$2") | head -n 20 >&2
  for f in summary.json; do diff "$TMP/out/$f" "$TMP/again/$f" | head -n 20 >&2; done
  return 1
}
check "summarize writes a byte-identical index.html" same_html "$IDX" "$TMP/again/index.html"
python3 - "$TMP/out/honest2/batch.json" <<'PY'
import json, sys
b = json.load(open(sys.argv[1])); b["name"] = '<b id="x">x</b>&<script>alert(1)</script>'
json.dump(b, open(sys.argv[1], "w"))
PY
"$DYNAUDIT" summarize -q -o "$TMP/hostile" "$TMP/out"
check "a name's markup is escaped" grep -q '&lt;b id=&quot;x&quot;&gt;x&lt;/b&gt;&amp;&lt;script&gt;' "$TMP/hostile/index.html"
check "no markup of the name survives" [ "$(grep -c '<script\|<b id' "$TMP/hostile/index.html")" = 0 ]

# without html among the formats: no index.html
sed -i 's/, html\]/]/' "$TMP/cfg.yaml"
"$DYNAUDIT" batch -q -c "$TMP/cfg.yaml" -j 4 -o "$TMP/nohtml" "$S/honest1"
check "no index.html without html among report.formats" [ ! -e "$TMP/nohtml/index.html" ]
check "but summary.md" [ -s "$TMP/nohtml/summary.md" ]
finish

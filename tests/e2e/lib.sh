# Shared helpers of the end-to-end tests (sourced).  Every test runs the
# real dynaudit binary ($DYNAUDIT) and asserts on what it wrote.
set -u
: "${DYNAUDIT:?set by meson test}"
: "${DYNAUDIT_SRC:?set by meson test}"
TMP=$(mktemp -d /tmp/dynaudit-e2e.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
FAILS=0
PASSES=0

fail() { echo "FAIL: $*" >&2; FAILS=$((FAILS + 1)); }
ok() { PASSES=$((PASSES + 1)); }
check() { # check DESCRIPTION CMD...
  local what=$1; shift
  if "$@"; then ok; else fail "$what"; fi
}
# json FILE EXPR: print a python expression evaluated on the report (r)
json() { python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"; }
statuses() { json "$1" '",".join(c["status"] for c in r["categories"])'; }
schema_ok() {
  python3 "$DYNAUDIT_SRC/tests/schema/check-report.py" "$1"
}
finish() {
  echo "$PASSES passed, $FAILS failed"
  [ "$FAILS" -eq 0 ]
}

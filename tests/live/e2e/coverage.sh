#!/bin/sh
# Coverage and the exit status (issue 11 §1): what never ran is never a
# plain PASS.  A syntax error is PASS with coverage none and says
# "inconclusive"; --fail-on inconclusive makes it exit 1; a missing entry
# point and a host path the sandbox cannot see are exit 3 with the reason;
# a failed setup is coverage none; --fail-on warn fails a warning; -q
# prints nothing but errors.
. "$(dirname "$0")/lib.sh"
sub="$tmp/work"
printf 'import os\nif True:\nprint("never")\n' > "$sub/broken.py"
cat > "$sub/conn.py" <<'PY'
import socket
s = socket.socket()
try:
    s.connect(("127.0.0.1", 9))
except OSError as e:
    print("refused", e)
PY
echo 'print("hello")' > "$sub/hello.py"
audit() { # audit NAME [options...] -- command...
	name=$1; shift
	"$DYNAUDIT" run -o "$tmp/$name" --target "$sub" --set target.duration=3 "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
}
cov() { python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print(r['coverage'])" "$tmp/$1/report.json"; }

audit syntax -- python3 broken.py; rc=$?
[ "$rc" -eq 0 ] || fail "a syntax error gave exit $rc (want 0: PASS, inconclusive)"
[ "$(cov syntax)" = none ] || fail "a syntax error is coverage $(cov syntax)"
grep -q "inconclusive" "$tmp/syntax.err" || fail "the summary line does not say inconclusive: $(cat "$tmp/syntax.err")"
grep -q "coverage none" "$tmp/syntax.err" || fail "the summary line does not give the coverage"
grep -q "Result: PASS — inconclusive" "$tmp/syntax/report.md" || fail "the conclusion does not say inconclusive"
grep -qi "re-run" "$tmp/syntax/report.md" || fail "no re-run recommendation"
python3 "$CHECK_REPORT" "$tmp/syntax/report.json" >/dev/null || fail "report.json does not validate"

audit syntax2 --fail-on inconclusive -- python3 broken.py; rc=$?
[ "$rc" -eq 1 ] || fail "--fail-on inconclusive gave exit $rc for a syntax error (want 1)"

audit missing -- python3 no_such_entry.py; rc=$?
[ "$rc" -eq 3 ] || fail "a missing entry point gave exit $rc (want 3)"
grep -q "no_such_entry.py" "$tmp/missing.err" || fail "the reason does not name the entry point: $(cat "$tmp/missing.err")"

echo 'print(1)' > "$tmp/host_only.py"
audit hostpath -- python3 "$tmp/host_only.py"; rc=$?
[ "$rc" -eq 3 ] || fail "a host path outside the sandbox gave exit $rc (want 3)"

audit setup --set target.setup=false -- python3 hello.py; rc=$?
[ "$rc" -eq 0 ] || [ "$rc" -eq 1 ] || fail "a failed setup gave exit $rc"
[ "$(cov setup)" = none ] || fail "a failed setup is coverage $(cov setup)"

audit full -- python3 hello.py; rc=$?
[ "$rc" -eq 0 ] && [ "$(cov full)" = full ] || fail "a program that ran is exit $rc, coverage $(cov full)"
grep -q "coverage full" "$tmp/full.err" || fail "no coverage on the summary line"

audit warn -- python3 conn.py; rc=$?
[ "$rc" -eq 0 ] || fail "a warning alone gave exit $rc without --fail-on"
grep -q "1 warn\|[1-9] warn" "$tmp/warn.err" || fail "the summary does not count the warning: $(cat "$tmp/warn.err")"
audit warn2 --fail-on fail,warn -- python3 conn.py; rc=$?
[ "$rc" -eq 1 ] || fail "--fail-on fail,warn gave exit $rc for a warning (want 1)"

audit quiet -q -- python3 hello.py; rc=$?
[ "$rc" -eq 0 ] && [ ! -s "$tmp/quiet.err" ] || fail "-q printed: $(cat "$tmp/quiet.err")"
"$DYNAUDIT" run --fail-on maybe -o "$tmp/bad" --target "$sub" -- python3 hello.py >/dev/null 2>&1
[ $? -eq 2 ] || fail "a bad --fail-on list is not a usage error"
RC=0
pass "coverage and exit status"

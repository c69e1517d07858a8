#!/bin/sh
# Output files never follow what the submission ships (issue 8, attacks 1
# and 2).  A submission that carries its own dynaudit-out/ with links in
# it, or a dynaudit-out link, or a forged PASS report, is audited from its
# own directory with the default output directory:
#   - root never writes through a shipped link (the victim file is intact);
#   - the output goes beside the submission (<submission>.dynaudit-out);
#   - an explicit -o inside the submission is refused (exit 2);
#   - a report that survives an audit that could not run is never an
#     earlier one (exit 3 leaves no report.json behind);
#   - planted temporaries in an output directory are replaced, not followed.
. "$(dirname "$0")/lib.sh"
victim="$tmp/victim"
echo "precious" > "$victim"
elsewhere="$tmp/elsewhere"
mkdir -p "$elsewhere"
sub="$tmp/work"

mkdir -p "$sub/dynaudit-out"
for n in .stdout.log.tmp .report.json.tmp .events.jsonl.tmp .trace.log.tmp stdout.log report.md.tmp; do
	ln -s "$victim" "$sub/dynaudit-out/$n"
done
ln -s /nonexistent/dangling "$sub/dynaudit-out/report.json.tmp"
cat > "$sub/dynaudit-out/report.json" <<'JSON'
{"schema": "dynaudit.report/1", "verdict": "PASS", "score": 100}
JSON
cat > "$sub/steal.sh" <<'SH'
#!/bin/sh
echo "stdout line for the victim"
cat /etc/shadow 2>/dev/null
echo done
SH
chmod 755 "$sub/steal.sh"

# 1. From inside the submission, default -o: beside it, nothing followed.
start=$(date +%s%N)
(cd "$sub" && timeout -s KILL $((DUR + 60)) "$DYNAUDIT" run --set target.duration="$DUR" \
	-- ./steal.sh >"$tmp/dyn.out" 2>"$tmp/dyn.err")
RC=$?
ELAPSED=$(( ($(date +%s%N) - start) / 1000000000 ))
[ "$(cat "$victim")" = precious ] || fail "a shipped link was followed: the victim now holds: $(head -c 200 "$victim")"
OUT="$tmp/work.dynaudit-out"
[ -d "$OUT" ] && [ ! -L "$OUT" ] || fail "no output directory beside the submission ($OUT)"
assert_common
[ "$(json 'r["verdict"]')" = FAIL ] || fail "reading /etc/shadow did not fail the audit"
grep -q 'work.dynaudit-out/report.md' "$tmp/dyn.err" || fail "the summary line does not name the new place: $(cat "$tmp/dyn.err")"
# the shipped directory is untouched (the submission is never written)
grep -q '"score": 100}' "$sub/dynaudit-out/report.json" ||
	fail "the submission's own files were changed"

# 2. dynaudit-out itself a link the submission ships: not used, not followed.
rm -rf "$sub/dynaudit-out" "$OUT"
ln -s "$elsewhere" "$sub/dynaudit-out"
(cd "$sub" && "$DYNAUDIT" run --set target.duration=1 -- ./steal.sh >/dev/null 2>"$tmp/dyn.err")
[ -z "$(ls -A "$elsewhere")" ] || fail "files were created behind the shipped dynaudit-out link: $(ls -A "$elsewhere")"
[ -s "$OUT/report.json" ] || fail "no report beside the submission when it ships a dynaudit-out link"

# 3. An explicit output directory inside the submission: refused.
"$DYNAUDIT" run -o "$sub/out" --target "$sub" --set target.duration=1 -- ./steal.sh >/dev/null 2>"$tmp/dyn.err"
rc=$?
[ "$rc" -eq 2 ] || fail "-o inside the submission gave exit $rc (want 2): $(cat "$tmp/dyn.err")"
grep -q "inside the submission" "$tmp/dyn.err" || fail "no reason given: $(cat "$tmp/dyn.err")"
[ ! -e "$sub/out" ] || fail "the refused directory was created"
"$DYNAUDIT" run -o "$sub/dynaudit-out" --target "$sub" --set target.duration=1 -- ./steal.sh >/dev/null 2>&1
[ $? -eq 2 ] || fail "-o through the shipped link into elsewhere was not refused"
[ -z "$(ls -A "$elsewhere")" ] || fail "files were created behind the link given as -o"

# 4. A stale PASS report never survives an audit that could not run.
out2="$tmp/out2"
"$DYNAUDIT" run -o "$out2" --target "$sub" --set target.duration=1 -- ./steal.sh >/dev/null 2>&1
[ -s "$out2/report.json" ] || fail "no report in $out2"
"$DYNAUDIT" run -o "$out2" --target "$sub" --set target.duration=1 -- ./no-such-entry >/dev/null 2>"$tmp/dyn.err"
rc=$?
[ "$rc" -eq 3 ] || fail "a missing entry point gave exit $rc (want 3)"
[ ! -e "$out2/report.json" ] || fail "the earlier audit's report.json survived an audit that could not run"

# 5. Links planted as temporaries in an output directory: replaced.
out3="$tmp/out3"
mkdir -p "$out3"
ln -s "$victim" "$out3/.report.json.tmp"
ln -s "$victim" "$out3/.stdout.log.tmp"
ln -s /nonexistent/dangling "$out3/.report.md.tmp"
"$DYNAUDIT" run -o "$out3" --target "$sub" --set target.duration=1 -- ./steal.sh >/dev/null 2>"$tmp/dyn.err"
rc=$?
[ "$rc" -eq 1 ] || fail "planted temporaries gave exit $rc (want 1, a FAIL verdict): $(cat "$tmp/dyn.err")"
[ "$(cat "$victim")" = precious ] || fail "a planted temporary was followed"
[ -f "$out3/report.json" ] && [ ! -L "$out3/report.json" ] || fail "no real report.json in $out3"

# 6. Someone else's non-empty directory: refused unless --force.
mkdir -p "$tmp/notes" && echo mine > "$tmp/notes/todo.txt"
"$DYNAUDIT" run -o "$tmp/notes" --target "$sub" --set target.duration=1 -- ./steal.sh >/dev/null 2>&1
[ $? -eq 2 ] || fail "a foreign non-empty directory was not refused"
"$DYNAUDIT" run --force -o "$tmp/notes" --target "$sub" --set target.duration=1 -- ./steal.sh >/dev/null 2>&1
[ $? -eq 1 ] || fail "--force did not audit into the foreign directory"
[ -s "$tmp/notes/todo.txt" ] && [ -s "$tmp/notes/report.json" ] || fail "--force lost a file or wrote no report"
pass "output files never follow the submission's links"

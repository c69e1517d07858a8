#!/bin/sh
# target.files: course files and directories copied into the workdir copy
# before the setup.  The target reads its commands from a course file whose
# hidden line "!debug" opens a shell: without target.files the submission's
# own (stale) copy holds no such line and the shell never runs; with it the
# course's version replaces the submission's, the shell is seen, a link in a
# course directory stays a link (never followed to the host's file), and
# the report's sandbox facts name the course files.
. "$(dirname "$0")/lib.sh"
P=$(prog host_stdin_magic.py)
printf '1+1\n' >"$tmp/work/commands.txt"
mkdir -p "$tmp/course/data"
printf '3+3\n!debug\n' >"$tmp/course/commands.txt"
echo "table" >"$tmp/course/data/table.csv"
ln -s /etc/shadow "$tmp/course/data/shadow"
chmod -R a+rX "$tmp/course"

# (a) no course files: the submission's commands only.
run_audit --set target.setup="sh -c 'test -s commands.txt'" -- python3 "$P" --file commands.txt "$MARK"
assert_common
grep -q '"argv":\["sh","-c","id"\]' "$OUT/events.jsonl" && fail "without target.files the shell ran"
assert_file_contains "$OUT/stdout.log" "result: 1+1"

# (b) the course's files, there before the setup (which checks data/).
rm -rf "$OUT"
run_audit --set target.files="$tmp/course/commands.txt,$tmp/course/data" \
	--set target.setup="sh -c 'test -s data/table.csv && grep -q debug commands.txt'" \
	-- python3 "$P" --file commands.txt "$MARK"
assert_common
assert_file_contains "$OUT/report.md" "setup: sh -c .*exited 0"
grep '"kind":"exec"' "$OUT/events.jsonl" | grep -q '"argv":\["sh","-c","id"\]' ||
	fail "with target.files the shell never ran"
assert_file_contains "$OUT/stdout.log" "result: 3+3"
assert_file_contains "$OUT/stdout.log" "data: shadow link->/etc/shadow"
assert_file_contains "$OUT/stdout.log" "data: table.csv file"
grep -q "result: 1+1" "$OUT/stdout.log" && fail "the submission's commands.txt was not replaced"
assert_file_contains "$OUT/report.md" "course files"
json 'r["sandbox"]' | grep -q "commands.txt, data" || fail "sandbox facts lack the course files: $(json 'r["sandbox"]')"

# (c) a course file that does not exist: exit 3, naming it.
rm -rf "$OUT"
timeout 60 "$DYNAUDIT" run -o "$OUT" --target "$tmp/work" --set target.duration=2 \
	--set target.files="$tmp/course/missing.txt" -- python3 "$P" "$MARK" >"$tmp/dyn.out" 2>"$tmp/dyn.err"
RC=$?
[ "$RC" -eq 3 ] || fail "a missing course file: exit $RC, expected 3"
grep -q 'target.files.*missing.txt' "$tmp/dyn.err" || fail "the refusal does not name the file: $(cat "$tmp/dyn.err")"
RC=0
pass "target.files copied before the setup"

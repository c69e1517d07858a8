#!/bin/sh
# target.stdin: the target reads the staff's input on fd 0.  A program whose
# backdoor fires on the input line "!debug" PASSes with the default empty
# stdin, and is caught (the shell it runs) once target.stdin feeds the line.
# The setup keeps /dev/null; the file given is a copy, so the target cannot
# change it; a symlink or a non-regular file is refused (exit 3).
. "$(dirname "$0")/lib.sh"
P=$(prog host_stdin_magic.py)
mkdir -p "$tmp/course"
printf '1+1\n!debug\n2+2\n' >"$tmp/course/input.txt"
chmod 644 "$tmp/course/input.txt"

# (a) no stdin: the backdoor never fires.
run_audit -- python3 "$P" "$MARK"
assert_common
[ "$(json 'r["verdict"]')" = PASS ] || fail "without stdin: verdict $(json 'r["verdict"]'), expected PASS"
grep -q '"argv":\["sh","-c","id"\]' "$OUT/events.jsonl" && fail "without stdin the shell ran"

# (b) the staff's input: the shell runs and is judged; the setup read nothing.
rm -rf "$OUT"
run_audit --set target.stdin="$tmp/course/input.txt" \
	--set target.setup="sh -c 'cat > setup-read.txt'" --set 'plugins.process.allow_exec=sh' \
	-- python3 "$P" "$MARK"
assert_common
grep '"kind":"exec"' "$OUT/events.jsonl" | grep -v '"phase":"setup"' | grep -q '"argv":\["sh","-c","id"\]' ||
	fail "with stdin the shell never ran: $(grep '"kind":"exec"' "$OUT/events.jsonl" | head)"
assert_file_contains "$OUT/stdout.log" "result: 1+1"
assert_file_contains "$OUT/stdout.log" "result: 2+2"
assert_file_contains "$OUT/stdout.log" "uid="
cmp -s "$tmp/course/input.txt" /dev/stdin <<'X' || fail "the staff's input file changed"
1+1
!debug
2+2
X

# (c) without the allow rule, the backdoor's shell is a finding.
rm -rf "$OUT"
run_audit --set target.stdin="$tmp/course/input.txt" -- python3 "$P" "$MARK"
assert_common
json '[f["rule"] for c in r["categories"] for f in c["findings"]]' | grep -q "process.shell" || fail "with stdin: no process.shell finding"

# (d) a link, a directory: refused before anything runs (exit 3, naming it).
ln -s input.txt "$tmp/course/link.txt"
rm -rf "$OUT"
timeout 60 "$DYNAUDIT" run -o "$OUT" --target "$tmp/work" --set target.duration=2 \
	--set target.stdin="$tmp/course/link.txt" -- python3 "$P" "$MARK" >"$tmp/dyn.out" 2>"$tmp/dyn.err"
RC=$?
[ "$RC" -eq 3 ] || fail "stdin through a symlink: exit $RC, expected 3"
grep -q 'target.stdin' "$tmp/dyn.err" || fail "the refusal does not name target.stdin: $(cat "$tmp/dyn.err")"
timeout 60 "$DYNAUDIT" run -o "$OUT.2" --target "$tmp/work" --set target.duration=2 \
	--set target.stdin="$tmp/course" -- python3 "$P" "$MARK" >"$tmp/dyn.out" 2>"$tmp/dyn.err"
RC=$?
[ "$RC" -eq 3 ] || fail "stdin a directory: exit $RC, expected 3"
RC=0
pass "target.stdin feeds the target, not the setup"

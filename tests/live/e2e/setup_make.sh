#!/bin/sh
# target.setup: a submission built by make in the sandbox before it runs.
#  (a) make builds ./main with cc, then ./main runs: the build's events are
#      tagged "phase":"setup", the target's are not, and the target's exit
#      code (not make's) is in the report;
#  (b) the build fails: the report is still written, code_integrity names
#      the compiler's error line, and ./main is never run;
#  (c) a setup command that does not exist: exit 3, naming it.
. "$(dirname "$0")/lib.sh"
command -v make >/dev/null 2>&1 && command -v cc >/dev/null 2>&1 ||
	{ echo "skip: no make or cc on this host"; exit 77; }
ALLOW='plugins.process.allow_exec=make,cc,gcc,./*'

# (a) a build that works; the target exits 7 so its code cannot be make's.
# MARK is in make's, cc's and main's argv: none may survive the audit.
cat >"$tmp/work/main.c" <<'C'
#include <stdio.h>
int main(void) { puts("built and running"); return 7; }
C
printf 'main: main.c\n\tcc -DMARK=$(MARK) -o main main.c\n' >"$tmp/work/Makefile"
run_audit --set target.setup="make MARK=$MARK" --set "$ALLOW" -- ./main "$MARK"
assert_common
[ "$RC" -eq 0 ] || fail "verdict $(json 'r["verdict"]'), expected PASS"
ev="$OUT/events.jsonl"
grep '"kind":"exec"' "$ev" | grep '"argv":\["make"' | grep -q '"phase":"setup"' ||
	fail "make's exec is not tagged phase setup"
grep '"kind":"exec"' "$ev" | grep '"argv":\["cc"' | grep -q '"phase":"setup"' ||
	fail "cc's exec is not tagged phase setup"
main_exec=$(grep '"kind":"exec"' "$ev" | grep '"argv":\["./main"')
[ -n "$main_exec" ] || fail "no exec of ./main"
echo "$main_exec" | grep -q '"phase"' && fail "the target's exec is tagged with a phase"
grep '"kind":"output"' "$ev" | grep '"built and running"' | grep -q '"phase"' &&
	fail "the target's output is tagged with a phase"
code=$(json 'r["target"]["exit"]["code"]')
[ "$code" = 7 ] || fail "target exit code $code, expected 7 (the target's, not make's)"
json '"\n".join(r.get("notes", []))' | grep -q "still present\|never seen exiting" &&
	fail "processes left: $(json 'r.get("notes")')"
assert_file_contains "$OUT/report.md" "setup: make MARK=$MARK: exited 0 after"
# make and ./main each install the filter with their own notification
# listener: the target's read-only opens (its libc) must come through the
# second one, not hang until the window closes.
grep '"kind":"open"' "$ev" | grep '"path":"[^"]*libc\.so[^"]*"' | grep -v '"phase"' | grep -q . ||
	fail "no read-only open of libc by the target"
if grep -q 'seccomp notifications: yes' "$OUT/report.json"; then
	[ "$(json 'r["stats"]["syscalls_notified"] > 0')" = True ] || fail "no syscall came through a notification"
fi
[ "$ELAPSED" -lt "$DUR" ] || fail "the run lasted the whole window (${ELAPSED}s): a target blocked?"

# (b) a build that fails: a finding about the submission, not an audit failure.
OUT="$tmp/out-fail"
printf '#include <stdio.h>\nint main(void) { puts("x") return 0; }\n' >"$tmp/work/main.c"
rm -f "$tmp/work/main"
run_audit --set target.setup="make MARK=$MARK" --set "$ALLOW" -- ./main "$MARK"
assert_common
json '[f["message"] for c in r["categories"] for f in c["findings"]
       if f["rule"] == "code_integrity.setup_failed"]' >"$tmp/setup_failed.txt"
grep -q "make MARK=$MARK. failed with exit 2" "$tmp/setup_failed.txt" ||
	fail "no code_integrity.setup_failed naming make: $(cat "$tmp/setup_failed.txt")"
grep -q "main.c:2:[0-9]*: error: " "$tmp/setup_failed.txt" ||
	fail "setup_failed does not name the compiler error: $(cat "$tmp/setup_failed.txt")"
grep '"kind":"exec"' "$OUT/events.jsonl" | grep -q '"argv":\["./main"' &&
	fail "./main was run after a failed build"
assert_file_contains "$OUT/report.md" "the target was not run"
assert_file_contains "$OUT/report.md" "Target ended: never started"
json 'r["target"]["exit"].get("not_started") or ""' | grep -q "failed with exit 2" ||
	fail "report.json target.exit.not_started does not say the setup failed"
# nothing of the target was seen: the report says it is incomplete
json 'r.get("incomplete_reason") or ""' | grep -q "never run" ||
	fail "report.json is not marked incomplete: $(json 'r.get("incomplete_reason")')"

# (c) a setup command that does not exist: the audit cannot run.
OUT="$tmp/out-missing"
run_audit --set target.setup="no-such-build-$MARK" -- ./main "$MARK"
[ "$RC" -eq 3 ] || fail "exit status $RC for a missing setup command, expected 3"
grep -q "dynaudit: .*no-such-build-$MARK: not found" "$tmp/dyn.err" ||
	fail "the error does not name the setup command: $(cat "$tmp/dyn.err")"
[ -z "$(survivors)" ] || fail "processes left"
pass "make in the sandbox: build+run, failed build, missing setup command"

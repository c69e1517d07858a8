#!/bin/sh
# A correct program that writes through /dev/stdout and /dev/stderr
# (`echo >/dev/stderr`, `tee /dev/stderr`): the capture pipes must be
# reopenable by the sandbox user, or the program fails only under audit.
. "$(dirname "$0")/lib.sh"
cat > "$tmp/work/run.sh" <<'SH'
echo "to stdout" > /dev/stdout || exit 7
echo "to stderr" > /dev/stderr || exit 8
echo "teed" | tee /dev/stderr > /dev/null || exit 9
SH
run_audit -- sh run.sh "$MARK"
assert_common
assert_file_contains "$OUT/stdout.log" "to stdout"
assert_file_contains "$OUT/stderr.log" "to stderr"
assert_file_contains "$OUT/stderr.log" "teed"
code=$(json 'r["target"]["exit"].get("code")')
[ "$code" = "0" ] || fail "target exit code $code, expected 0"
pass "/dev/stdout and /dev/stderr reopen"

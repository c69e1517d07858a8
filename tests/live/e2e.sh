#!/bin/sh
# e2e.sh — run the live end-to-end tests (tests/live/e2e/*.sh) against the
# real dynaudit binary.
#
#   DYNAUDIT=/path/to/dynaudit LIVE_PROGS=/build/tests/live sh e2e.sh [NAME...]
#
# Most tests spend their time waiting for an audit window to close, so they
# run E2E_JOBS at a time (default 3; 1 runs them one after the other).
# Each checks for survivors by its own random mark and each audit has its
# own network namespace and scratch directory, so they do not see each
# other.  A test whose file has the line `# e2e: alone` measures how fast
# the audit ends under a storm of its own (forks, threads, syscalls,
# output): those run afterwards, one at a time, so the load of the others
# does not decide their timing.
#
# Exit 0 when every test passed or was skipped (exit 77), 1 otherwise.
here=$(cd "$(dirname "$0")" && pwd)
: "${DYNAUDIT:?set DYNAUDIT to the dynaudit binary}"
if [ ! -x "$DYNAUDIT" ]; then
	echo "e2e: $DYNAUDIT is not executable"
	exit 1
fi
jobs=${E2E_JOBS:-3}
case $jobs in '' | *[!0-9]* | 0) echo "e2e: E2E_JOBS must be a positive number"; exit 1 ;; esac

if [ $# -gt 0 ]; then
	tests=$(for n in "$@"; do echo "$here/e2e/${n%.sh}.sh"; done)
else
	tests=$(ls "$here"/e2e/*.sh | grep -v '/lib\.sh$')
fi
for t in $tests; do
	[ -f "$t" ] || { echo "e2e: no such test: $t"; exit 1; }
done
shared=$(for t in $tests; do grep -q '^# e2e: alone$' "$t" || echo "$t"; done)
alone=$(for t in $tests; do grep -q '^# e2e: alone$' "$t" && echo "$t"; done)

res=$(mktemp -d /tmp/dynaudit-e2e-results.XXXXXX) || exit 1
trap 'rm -rf "$res"' EXIT

# One test: its whole output to RES/NAME.out, its status to RES/NAME.rc,
# and one line on stdout when it ends (the details of a failure come in
# the summary, so parallel tests do not interleave them).
run_one='t=$1 res=$2
name=$(basename "$t" .sh)
start=$(date +%s)
sh "$t" >"$res/$name.out" 2>&1
rc=$?
took=$(( $(date +%s) - start ))
echo "$rc" >"$res/$name.rc"
case $rc in
0) echo "PASS $name (${took}s): $(tail -n 1 "$res/$name.out")" ;;
77) echo "SKIP $name: $(tail -n 1 "$res/$name.out")" ;;
*) echo "FAIL $name (${took}s, exit $rc)" ;;
esac'

[ -z "$shared" ] || printf '%s\n' $shared | xargs -P "$jobs" -I{} sh -c "$run_one" sh {} "$res"
for t in $alone; do sh -c "$run_one" sh "$t" "$res"; done

passed=0 failed=0 skipped=0 failures=""
for t in $tests; do
	name=$(basename "$t" .sh)
	rc=$(cat "$res/$name.rc" 2>/dev/null || echo lost)
	case $rc in
	0) passed=$((passed + 1)) ;;
	77) skipped=$((skipped + 1)) ;;
	*) failed=$((failed + 1)); failures="$failures $name"
	   echo "--- FAIL $name (exit $rc)"; sed 's/^/    /' "$res/$name.out" 2>/dev/null ;;
	esac
done
echo "e2e: $passed passed, $failed failed, $skipped skipped ($jobs at a time, $(echo $alone | wc -w) alone)"
[ "$failed" -eq 0 ] || { echo "failed:$failures"; exit 1; }
exit 0

#!/bin/sh
# e2e.sh — run the live end-to-end tests (tests/live/e2e/*.sh) against the
# real dynaudit binary, one after the other (each owns the machine's
# process table while it checks for survivors).
#
#   DYNAUDIT=/path/to/dynaudit LIVE_PROGS=/build/tests/live sh e2e.sh [NAME...]
#
# Exit 0 when every test passed or was skipped (exit 77), 1 otherwise.
here=$(cd "$(dirname "$0")" && pwd)
: "${DYNAUDIT:?set DYNAUDIT to the dynaudit binary}"
if [ ! -x "$DYNAUDIT" ]; then
	echo "e2e: $DYNAUDIT is not executable"
	exit 1
fi

if [ $# -gt 0 ]; then
	tests=$(for n in "$@"; do echo "$here/e2e/${n%.sh}.sh"; done)
else
	tests=$(ls "$here"/e2e/*.sh | grep -v '/lib\.sh$')
fi

passed=0 failed=0 skipped=0 failures=""
for t in $tests; do
	name=$(basename "$t" .sh)
	out=$(sh "$t" 2>&1)
	rc=$?
	case $rc in
	0) passed=$((passed + 1)); echo "PASS $name: $(echo "$out" | tail -n 1)" ;;
	77) skipped=$((skipped + 1)); echo "SKIP $name: $(echo "$out" | tail -n 1)" ;;
	*) failed=$((failed + 1)); failures="$failures $name"
	   echo "FAIL $name"; echo "$out" | sed 's/^/    /' ;;
	esac
done
echo "e2e: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] || { echo "failed:$failures"; exit 1; }
exit 0

# lib.sh — sourced by every tests/live/e2e/*.sh (not a test itself).
#
# Each test runs the real dynaudit on one target, then checks what every
# live audit must guarantee whatever the target does:
#   - dynaudit exits with 0 or 1 (the verdict), never crashes;
#   - it ends within the window + grace + a few seconds;
#   - report.json exists and validates against the schema (tests/schema/);
#   - no process of the target is left (all carry $MARK in their argv).
# Environment: DYNAUDIT (the binary), LIVE_PROGS (built host_* targets),
# DUR (window, seconds; default 5).
set -u

: "${DYNAUDIT:?set DYNAUDIT to the dynaudit binary}"
PROGS=${LIVE_PROGS:-${DYNAUDIT_BUILD:-.}/tests/live}
CHECK_REPORT=${CHECK_REPORT:-$(cd "$(dirname "$0")/../../schema" && pwd)/check-report.py}
DUR=${DUR:-5}
MARK="dynamark$$x$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')"
tmp=$(mktemp -d /tmp/dynaudit-e2e.XXXXXX)
chmod 755 "$tmp"
mkdir -p "$tmp/work"
echo "submission" > "$tmp/work/README"
OUT="$tmp/out"
RC=0
ELAPSED=0

fail() {
	echo "FAIL: $*"
	for f in dyn.err dyn.out; do
		[ -s "$tmp/$f" ] && { echo "--- $f (tail)"; tail -n 20 "$tmp/$f"; }
	done
	exit 1
}

survivors() {
	pgrep -f "$MARK" || true
}

cleanup() {
	# Anything still carrying the marker is a bug already reported; kill it
	# by pid so the next test starts clean.
	for p in $(survivors); do kill -KILL "$p" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT

# prog NAME: copy the built target into the submission directory (the
# sandbox hides the rest of the host) and print how the target runs it.
prog() {
	src="$PROGS/$1"
	[ -e "$src" ] || src="$(dirname "$0")/../progs/$1" # scripts (*.py) are not built
	cp "$src" "$tmp/work/$1" || fail "no $PROGS/$1 (build the host_* targets)"
	echo "./$1"
}

# run_audit [dynaudit run options...] -- COMMAND...
run_audit() {
	start=$(date +%s%N)
	timeout -s KILL $((DUR + 60)) "$DYNAUDIT" run -o "$OUT" --target "$tmp/work" \
		--set target.duration="$DUR" "$@" >"$tmp/dyn.out" 2>"$tmp/dyn.err"
	RC=$?
	ELAPSED=$(( ($(date +%s%N) - start) / 1000000000 ))
}

# json EXPR: print a Python expression over r = report.json.
json() {
	python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print($1)" "$OUT/report.json"
}

# The guarantees of every live audit.  $1: extra seconds allowed.
assert_common() {
	extra=${1:-0}
	[ "$RC" -eq 0 ] || [ "$RC" -eq 1 ] || fail "dynaudit exited with $RC"
	limit=$((DUR + 2 + 5 + 8 + extra))
	[ "$ELAPSED" -le "$limit" ] || fail "took ${ELAPSED}s (limit ${limit}s)"
	[ -s "$OUT/report.json" ] || fail "no report.json"
	[ -s "$OUT/report.md" ] || fail "no report.md"
	python3 "$CHECK_REPORT" "$OUT/report.json" >"$tmp/check.out" 2>&1 ||
		fail "report.json does not validate: $(head -n 5 "$tmp/check.out")"
	v=$(json 'r["verdict"]')
	{ [ "$RC" -eq 0 ] && [ "$v" = PASS ]; } || { [ "$RC" -eq 1 ] && [ "$v" = FAIL ]; } ||
		fail "exit status $RC does not match verdict $v"
	lost=$(json 'r["stats"]["events_lost"]')
	[ "$lost" = 0 ] || fail "stats.events_lost is $lost: the audit lost events"
	sleep 0.2
	left=$(survivors)
	[ -z "$left" ] || fail "target processes survived the audit: $left"
}

assert_file_contains() {
	grep -q -- "$2" "$1" || fail "$1 does not contain '$2'"
}

pass() {
	echo "ok: $* (exit $RC, ${ELAPSED}s)"
	exit 0
}

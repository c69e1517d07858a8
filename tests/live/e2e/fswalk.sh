#!/bin/sh
# Issue 8, attack 3: the file monitor (outside the sandbox, root in CI) must
# never walk a host directory.  The target swaps directories it made in /tmp
# with symlinks to / and /var (each directory holding a "root" or "tmp") (RENAME_EXCHANGE, tight loop, the
# whole window); a monitor that opens "host/tmp/<name>" by path follows the
# link at the wrong moment and lists the host's directories.  Marker files
# whose names the target never learns are planted in /root and /var/tmp:
# they must not appear in fs-events.log or events.jsonl.
. "$(dirname "$0")/lib.sh"
secret="hostonly$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
planted=""
for d in /root /var/tmp; do
	mkdir -p "$d/$secret-dir" 2>/dev/null && : >"$d/$secret-file" && planted="$planted $d"
done
[ -n "$planted" ] || { echo "skip: cannot plant markers in /root or /var/tmp"; exit 77; }
cleanup_markers() {
	for d in $planted; do rm -rf "$d/$secret-dir" "$d/$secret-file"; done
	cleanup
}
trap cleanup_markers EXIT
DUR=${DUR:-6}
run_audit -- "$(prog host_fswalk)" $((DUR - 1))
# The flood can overflow the inotify queue (counted as lost, by design):
# check the common guarantees without the events_lost one.
[ "$RC" -eq 0 ] || [ "$RC" -eq 1 ] || fail "dynaudit exited with $RC"
[ -s "$OUT/report.json" ] || fail "no report.json"
[ -s "$OUT/fs-events.log" ] || fail "no fs-events.log"
grep -q "swaps" "$OUT/stdout.log" || fail "the target did not run: $(head -c 300 "$OUT/stdout.log")"
hits=$(cat "$OUT/fs-events.log" "$OUT/events.jsonl" | grep -c "$secret")
[ "$hits" -eq 0 ] || fail "host names reached the audit ($hits lines name $secret): $(grep -h "$secret" "$OUT/fs-events.log" "$OUT/events.jsonl" | head -n 3)"
# Nothing of the host's own root listing either (names a sandbox /tmp never holds).
for n in "/tmp/r[0-9]*_[dl][0-9]*/etc/" "/tmp/r[0-9]*_[dl][0-9]*/usr/"; do
	! grep -q "$n" "$OUT/fs-events.log" || fail "fs-events.log lists a host directory: $(grep -m 3 "$n" "$OUT/fs-events.log")"
done
for d in $planted; do
	[ -e "$d/$secret-file" ] || fail "host marker $d/$secret-file is gone"
done
pass "monitor stays in the sandbox ($(cat "$OUT/stdout.log" | tail -n 1))"

#!/bin/sh
# Issue 8, attack 4 (the scratch side): a SIGKILLed dynaudit must leave no
# tmpfs mounted on the host, and the next audit removes the dead audit's
# scratch dir; a live audit's scratch dir and directories that only look
# alike are never touched.  TMPDIR points dynaudit's scratch dirs at a
# directory of this test, so concurrent audits elsewhere do not matter.
. "$(dirname "$0")/lib.sh"
scr="$tmp/scr"
mkdir -m 755 "$scr"
pid="" live_pid=""
unmount_left() {
	for p in $pid $live_pid; do kill -KILL "$p" 2>/dev/null; done
	grep -F " $scr/" /proc/self/mountinfo | awk '{print $5}' | sort -r |
		while read -r m; do umount -l "$m" 2>/dev/null; done
	cleanup
}
trap unmount_left EXIT
mkdir "$scr/dynaudit-e2e.keep" "$scr/dynaudit-NOLOCK" # look-alikes: never ours to remove
: >"$scr/dynaudit-NOLOCK/busy"

# 1. An audit killed mid-window.
# Started directly ($! must be dynaudit itself, not a timeout wrapper).
TMPDIR="$scr" "$DYNAUDIT" run -o "$tmp/out.killed" --target "$tmp/work" \
	--set target.duration=30 --set sandbox.time.skip_sleeps=off -- /bin/sleep 30 >"$tmp/dyn.out" 2>"$tmp/dyn.err" &
pid=$!
dead=""
for i in $(seq 1 100); do
	dead=$(ls "$scr" | grep -E '^dynaudit-[A-Za-z0-9]{6}$' | grep -v NOLOCK)
	[ -n "$dead" ] && [ -e "$scr/$dead/home/app/README" ] && break
	sleep 0.1
done
[ -n "$dead" ] || fail "no scratch dir appeared in $scr"
sleep 0.5
kill -KILL "$pid"
wait "$pid" 2>/dev/null
kill -0 "$pid" 2>/dev/null && fail "dynaudit $pid survived SIGKILL"
sleep 1
[ -d "$scr/$dead" ] || fail "the killed audit's scratch $dead vanished by itself (test assumption)"
mounted=$(grep -F " $scr/$dead" /proc/self/mountinfo)
[ -z "$mounted" ] || fail "tmpfs of the killed audit still mounted on the host: $mounted"

# 2. A live audit, running while the next one starts.
TMPDIR="$scr" "$DYNAUDIT" run -o "$tmp/out.live" --target "$tmp/work" \
	--set target.duration=6 --set sandbox.time.skip_sleeps=off -- /bin/sleep 30 >"$tmp/live.out" 2>"$tmp/live.err" &
live_pid=$!
live=""
for i in $(seq 1 100); do
	live=$(ls "$scr" | grep -E '^dynaudit-[A-Za-z0-9]{6}$' | grep -v -e NOLOCK -e "$dead")
	[ -n "$live" ] && break
	sleep 0.1
done
[ -n "$live" ] || fail "the live audit made no scratch dir"

# 3. The next audit reaps the dead one only.
TMPDIR="$scr" run_audit -- /bin/true
[ "$RC" -eq 0 ] || [ "$RC" -eq 1 ] || fail "next audit exited $RC: $(tail -n 3 "$tmp/dyn.err")"
[ ! -e "$scr/$dead" ] || fail "the next audit left the dead scratch $dead"
[ -d "$scr/$live" ] || fail "the next audit removed the live audit's scratch $live"
[ -e "$scr/dynaudit-NOLOCK/busy" ] || fail "a lock-less look-alike was removed"
[ -d "$scr/dynaudit-e2e.keep" ] || fail "dynaudit-e2e.keep was removed"
wait "$live_pid"
lrc=$?
[ "$lrc" -eq 0 ] || [ "$lrc" -eq 1 ] || fail "the live audit exited $lrc: $(tail -n 3 "$tmp/live.err")"
[ -s "$tmp/out.live/report.json" ] || fail "the live audit wrote no report"
[ ! -e "$scr/$live" ] || fail "the live audit left its scratch $live"
pass "killed audit: nothing mounted on the host, scratch reaped by the next; live one untouched"

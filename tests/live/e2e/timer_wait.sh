#!/bin/sh
# A delayed payload that never calls nanosleep: it waits for a timer in
# select() (as node's setTimeout waits in epoll_wait, python's Event.wait
# in futex).  When the window closes the process is idle with its next
# wake-up an hour away: process.long_sleep, medium (a printed line first
# changes nothing); info for a server that listens.  The select cases run
# with sandbox.time.skip_sleeps off: with it on the wait is cut and the
# payload runs in the window instead (wait_bomb.sh).
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null 2>&1 || { echo "skip: no python3"; exit 77; }
cat >"$tmp/work/bomb.py" <<'PY'
import select, sys
select.select([], [], [], 3600)
open("/etc/shadow").read()
PY
DUR=3
run_audit --set sandbox.time.skip_sleeps=off -- python3 bomb.py "$MARK"
assert_common
[ "$ELAPSED" -le $((DUR + 10)) ] || fail "the waiter kept the audit for ${ELAPSED}s"
rules() { json '"\n".join("%s %s %s" % (f["rule"], f["severity"], f["message"]) for c in r["categories"] for f in c["findings"])'; }
rules >"$tmp/rules.txt"
grep -q '^process.long_sleep medium .*waiting for a timer in [a-z0-9_]*select.* wakes up in 3[0-9][0-9][0-9] s' "$tmp/rules.txt" ||
	fail "no pending-timer finding: $(cat "$tmp/rules.txt")"

# alarm(3600) then pause(): blocked with no timeout, woken by its timer
cat >"$tmp/work/alarm.py" <<'PY'
import signal
signal.signal(signal.SIGALRM, lambda *a: None)
signal.alarm(3600)
signal.pause()
open("/etc/shadow").read()
PY
run_audit -- python3 alarm.py "$MARK"
assert_common
rules >"$tmp/rules.txt"
grep -q '^process.long_sleep medium .*alarm.* 3[0-9][0-9][0-9] s' "$tmp/rules.txt" ||
	fail "no finding for alarm + pause: $(cat "$tmp/rules.txt")"

# the same wait cut into sleeps under a second
cat >"$tmp/work/naps.py" <<'PY'
import time
for i in range(4000):
    time.sleep(0.9)
open("/etc/shadow").read()
PY
run_audit -- python3 naps.py "$MARK"
assert_common
rules >"$tmp/rules.txt"
grep -q '^process.long_sleep medium .*asleep in [0-9]* sleeps under a second' "$tmp/rules.txt" ||
	fail "no finding for a loop of short sleeps: $(cat "$tmp/rules.txt")"

# a server that is up waits by design: information only
cat >"$tmp/work/server.py" <<'PY'
import select, socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen()
select.select([], [], [], 3600)
PY
run_audit --set sandbox.time.skip_sleeps=off -- python3 server.py "$MARK"
assert_common
rules >"$tmp/rules.txt"
grep -q '^process.long_sleep info .*waiting for a timer' "$tmp/rules.txt" ||
	fail "the server's wait is not info: $(cat "$tmp/rules.txt")"
pass "timed waits pending at the end of the window"

#!/bin/sh
# dynaudit SIGKILLed in the middle of a fork storm leaves its cgroups (a
# SIGKILL gives it no chance to clean up); the next audit must reap them,
# processes still in them included, not only the empty ones.
. "$(dirname "$0")/lib.sh"
ls -d /sys/fs/cgroup/pids /sys/fs/cgroup/memory /sys/fs/cgroup/unified >/dev/null 2>&1 ||
	ls /sys/fs/cgroup/cgroup.controllers >/dev/null 2>&1 || { echo "skip: no cgroups"; exit 77; }
[ -w /sys/fs/cgroup/pids ] || [ -w /sys/fs/cgroup ] || { echo "skip: cgroups not writable"; exit 77; }
"$DYNAUDIT" run -o "$OUT" --target "$tmp/work" --set target.duration=60 \
	-- "$(prog host_forkstorm)" "$MARK" >"$tmp/dyn.out" 2>"$tmp/dyn.err" &
pid=$!
sleep 3
ls -d /sys/fs/cgroup/*/dynaudit-"$pid" /sys/fs/cgroup/dynaudit-"$pid" >"$tmp/cg.before" 2>/dev/null
[ -s "$tmp/cg.before" ] || { kill -KILL "$pid"; echo "skip: the audit made no cgroup"; exit 77; }
kill -KILL "$pid"
wait "$pid" 2>/dev/null
# at once: what the dead audit left is still there, maybe not yet empty
run_audit -- "$(prog host_closefds)" "$MARK"
assert_common
left=$(ls -d /sys/fs/cgroup/*/dynaudit-"$pid" /sys/fs/cgroup/dynaudit-"$pid" 2>/dev/null)
[ -z "$left" ] || fail "the killed audit's cgroups are still there: $left"
pass "cgroups of a SIGKILLed audit reaped by the next one"

#!/bin/sh
# e2e: alone
# dynaudit SIGKILLed in the middle of a fork storm leaves its pids and
# memory cgroups (a SIGKILL gives it no chance to clean up); the next audit
# must reap them:
#  1. at once, while the dead audit's processes are still dying in them;
#  2. after its pid was given to another process (a live process with the
#     owner's pid does not make the owner alive).
. "$(dirname "$0")/lib.sh"
[ -w /sys/fs/cgroup/pids ] || [ -w /sys/fs/cgroup/cgroup.procs ] || { echo "skip: cgroups not writable"; exit 77; }

cgroups_of() {
	ls -d /sys/fs/cgroup/*/dynaudit-"$1" /sys/fs/cgroup/dynaudit-"$1" 2>/dev/null
}

# start_and_kill: an audit of the storm, SIGKILLed 3 s in; its pid in $pid
start_and_kill() {
	rm -rf "$OUT"
	"$DYNAUDIT" run -o "$OUT" --target "$tmp/work" --set target.duration=60 \
		-- ./host_forkstorm "$MARK" >"$tmp/dyn.out" 2>"$tmp/dyn.err" &
	pid=$!
	sleep 3
	[ -n "$(cgroups_of "$pid")" ] || { kill -KILL "$pid"; echo "skip: the audit made no cgroup"; exit 77; }
	kill -KILL "$pid"
}

prog host_forkstorm >/dev/null
second=$(prog host_closefds)

start_and_kill
run_audit -- "$second" "$MARK"
wait "$pid" 2>/dev/null
assert_common
left=$(cgroups_of "$pid")
[ -z "$left" ] || fail "the killed audit's cgroups are still there (reaped at once): $left"

start_and_kill
wait "$pid" 2>/dev/null
# the next process of the host gets the dead audit's pid (root only)
reused=""
for try in 1 2 3 4 5; do
	echo $((pid - 1)) >/proc/sys/kernel/ns_last_pid 2>/dev/null || break
	sleep 60 &
	if [ "$!" = "$pid" ]; then reused=$!; break; fi
	kill "$!"
done
sleep 1 # its processes are gone: the leftover is empty now
# (an audit of another checkout running meanwhile may have reaped it)
if [ -n "$reused" ] && [ -n "$(cgroups_of "$pid")" ]; then
	run_audit -- "$second" "$MARK"
	kill "$reused"
	assert_common
	left=$(cgroups_of "$pid")
	[ -z "$left" ] || fail "the killed audit's cgroups stay while its pid is reused: $left"
	pass "cgroups of a SIGKILLed audit reaped by the next one (also with its pid reused)"
fi
[ -z "$reused" ] || kill "$reused"
run_audit -- "$second" "$MARK"
assert_common
pass "cgroups of a SIGKILLed audit reaped by the next one (pid reuse not tried)"

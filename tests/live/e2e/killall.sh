#!/bin/sh
# kill(-1, SIGKILL), signals and ptrace to pid 1 and random pids: dynaudit
# and the host are out of reach; the target goes on and exits normally.
. "$(dirname "$0")/lib.sh"
run_audit -- "$(prog host_killall)" "$MARK"
assert_common
assert_file_contains "$OUT/stdout.log" "survived"
[ "$(json 'r["target"]["exit"]["code"]')" = 0 ] || fail "target exit code not 0"
# the process detector sees the signals: kill(-1) and pid 1 high, random pids medium
sig() { json "max([{'info':0,'low':1,'medium':2,'high':3,'critical':4}[f['severity']] for c in r['categories'] for f in c['findings'] if f['rule'] == 'process.signal' and '$1' in f['message']] or [-1])"; }
[ "$(sig 'every process')" = 3 ] || fail "kill(-1) not reported high"
[ "$(sig 'pid 1')" = 3 ] || fail "kill(1) not reported high"
[ "$(sig 'not its own')" = 2 ] || fail "signals to random pids not reported medium"
pass "kill(-1) and ptrace of others"

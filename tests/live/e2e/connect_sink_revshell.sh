#!/bin/sh
# sandbox.deception.connect: sink with dns: sink.  A reverse shell to
# collector.invalid:4444 (nothing listens there) reaches the sink, so it
# goes on to exec sh -i with the socket as its stdio: a critical
# backdoor.reverse_shell, FAIL.  The sink records what the shell wrote
# (its greeting, the prompt) as a sink_data event, and its own listener is
# not judged as the target's (no network.listen).
. "$(dirname "$0")/lib.sh"
DUR=${DUR_SINK:-12}
run_audit --set sandbox.deception.dns=sink --set sandbox.deception.connect=sink -- \
	python3 "$(prog host_revshell.py)" "$MARK"
assert_common
assert_file_contains "$OUT/stdout.log" "connected 127\."
[ "$RC" -eq 1 ] || fail "the reverse shell did not fail the audit (exit $RC)"
json '[f["rule"] for c in r["categories"] for f in c["findings"] if f["severity"]=="critical"]' |
	grep -q "backdoor.reverse_shell" || fail "no critical backdoor.reverse_shell"
grep '"syscall":"sink_data"' "$OUT/events.jsonl" | grep -q 'hello from the reverse shell' ||
	fail "the sink did not record what the shell sent"
grep '"syscall":"sink_open"' "$OUT/events.jsonl" | grep -q ':4444' || fail "no sink_open event"
n=$(json 'len([f for c in r["categories"] for f in c["findings"] if f["rule"]=="network.listen"])')
[ "$n" = 0 ] || fail "the sink's listener is judged as the target's ($n network.listen)"
assert_file_contains "$OUT/report.md" "connect sink: connects and UDP sends"
pass "reverse shell reaches sh -i through the connect sink"

#!/bin/sh
# Issue 13, invisible calls: descriptors handed to another process with
# sendmsg(SCM_RIGHTS) — an open directory and a connected inet socket.
# Each is judged like pidfd_getfd (DA_EV_PRIV_PTRACE, detail SCM_RIGHTS):
# privilege.ptrace.  Pipes and unix sockets passed are not (cooperating
# processes: multiprocessing, job servers).
. "$(dirname "$0")/lib.sh"
run_audit -- "$(prog host_scm_rights)" "$MARK"
assert_common
assert_file_contains "$OUT/stdout.log" "pass socket: 1"
grep '"detail":"SCM_RIGHTS"' "$OUT/events.jsonl" | grep -q '"fd_desc":"/etc"' ||
	fail "the directory passed is not an SCM_RIGHTS event"
grep '"detail":"SCM_RIGHTS"' "$OUT/events.jsonl" | grep -q '"fd_desc":"socket:inet/dgram->127.0.0.1:9"' ||
	fail "the socket passed is not an SCM_RIGHTS event"
msg=$(json '[f["message"] for c in r["categories"] for f in c["findings"] if f["rule"]=="privilege.ptrace"]')
echo "$msg" | grep -q "SCM_RIGHTS" || fail "no privilege.ptrace finding for SCM_RIGHTS: $msg"
pass "SCM_RIGHTS fd passing"

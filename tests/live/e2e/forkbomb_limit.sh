#!/bin/sh
# e2e: alone
# A fork bomb that meets the task limit before max_processes (issue 13
# §1: PASS 100 as an ordinary user, whose RLIMIT_NPROC counts the uid's
# other processes too).  Its failed forks have no fork event: the tracer
# must see the clone's EAGAIN.  Limit 24 tasks, max_processes 64:
#  (a) the C fork bomb as root, (b) the same as an ordinary user (nobody,
#      the sandbox then a user namespace), (c) bash's `:(){ :|:& };:` as
#      nobody: each FAIL with process.runaway high;
#  (d) threads created until the limit refuses them: process.runaway
#      medium (a thread bomb at the task limit);
#  (e) benign: a shell running ten commands one after another and a
#      program with a few threads: no process.runaway.
. "$(dirname "$0")/lib.sh"
DUR=${DUR_BOMB:-4}
LIM="--set sandbox.limits.processes=24"
runaway() {
	json '"\n".join(f["severity"]+" "+f["message"] for c in r["categories"] for f in c["findings"] if f["rule"]=="process.runaway")'
}
expect_bomb() { # $1: what
	assert_common 10
	runaway >"$tmp/runaway.txt"
	grep -q "^high .*process limit was hit" "$tmp/runaway.txt" ||
		fail "$1: no high process.runaway: $(cat "$tmp/runaway.txt")"
	[ "$RC" -eq 1 ] || fail "$1: exit $RC, the fork bomb PASSes"
	rm -rf "$OUT"
}

P=$(prog host_forkbomb)
printf ':(){ :|:& };:\n' >"$tmp/work/bomb.sh"
chmod -R a+rX "$tmp/work"
# (a)
run_audit $LIM -- "$P" "$MARK"
expect_bomb "root"

# (b), (c): as nobody when this host lets it make a user namespace
asnobody=""
if command -v setpriv >/dev/null && [ "$(id -u)" = 0 ]; then
	chmod 777 "$tmp"
	real=$DYNAUDIT
	printf '#!/bin/sh\nexec setpriv --reuid=65534 --regid=65534 --clear-groups env HOME=%s "%s" "$@"\n' \
		"$tmp" "$real" >"$tmp/as-nobody.sh"
	chmod 755 "$tmp/as-nobody.sh"
	DYNAUDIT=$tmp/as-nobody.sh
	run_audit $LIM -- "$P" "$MARK"
	if grep -q "user namespace" "$tmp/dyn.err" && [ ! -s "$OUT/report.json" ]; then
		echo "note: no user namespaces for nobody: (b) and (c) skipped"
	else
		expect_bomb "nobody"
		run_audit $LIM -- bash bomb.sh "$MARK"
		expect_bomb "nobody, bash"
		asnobody=" (and as nobody, C and bash)"
	fi
	DYNAUDIT=$real
fi

# (d)
run_audit $LIM -- "$(prog host_threadloop)" "$MARK"
assert_common 10
assert_file_contains "$OUT/stdout.log" "failures 8"
runaway >"$tmp/runaway.txt"
grep -q "^medium Thread creation failed with EAGAIN" "$tmp/runaway.txt" ||
	fail "threads at the task limit: no medium process.runaway: $(cat "$tmp/runaway.txt")"
rm -rf "$OUT"

# (e)
printf 'for i in 1 2 3 4 5 6 7 8 9 10; do /bin/true; done\necho ran ten\n' >"$tmp/work/ten.sh"
chmod a+r "$tmp/work/ten.sh"
run_audit $LIM -- bash ten.sh "$MARK"
assert_common
assert_file_contains "$OUT/stdout.log" "ran ten"
[ -z "$(runaway)" ] || fail "ten commands in a row: $(runaway)"
rm -rf "$OUT"
run_audit $LIM -- python3 -c 'import threading; ts=[threading.Thread(target=sum, args=([1],)) for _ in range(6)]; [t.start() for t in ts]; [t.join() for t in ts]; print("six threads")' "$MARK"
assert_common
assert_file_contains "$OUT/stdout.log" "six threads"
[ -z "$(runaway)" ] || fail "six threads: $(runaway)"
pass "fork and thread bombs at a task limit under max_processes are runaway$asnobody; ten commands and six threads are not"

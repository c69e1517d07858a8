#!/bin/sh
# Issue 13 §3: a unix socket named by a relative path is resolved against
# the process's cwd like a file path, and judged where it lies: srv.sock in
# the workdir (and an abstract socket) are local, no finding above info;
# "docker.sock" after chdir("/var/run") is the docker socket (critical).
. "$(dirname "$0")/lib.sh"
run_audit -- python3 "$(prog host_unix_relative.py)" "$MARK"
assert_common
assert_file_contains "$OUT/stdout.log" "got ping"
above=$(json '[f["rule"]+" "+f["message"] for c in r["categories"] for f in c["findings"] if f["severity"] != "info"]')
[ "$above" = "[]" ] || fail "relative socket in the workdir: findings above info: $above"
json '[f["message"] for c in r["categories"] for f in c["findings"] if f["rule"]=="network.unix_connect"]' |
	grep -q "/app/srv.sock" || fail "the connect does not name the socket below the workdir"
[ "$RC" -eq 0 ] || fail "a local unix socket fails the audit (exit $RC)"
run_audit -- python3 "$(prog host_unix_relative.py)" "$MARK" docker
assert_common
sev=$(json '[f["severity"] for c in r["categories"] for f in c["findings"] if f["rule"]=="network.unix_sensitive" and "/var/run/docker.sock" in f["message"]]')
[ "$sev" = "['critical']" ] || fail "connect(\"docker.sock\") in /var/run is not critical: $sev"
pass "relative unix socket paths judged where they resolve"

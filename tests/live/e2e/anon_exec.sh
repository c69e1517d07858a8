#!/bin/sh
# Anonymous memory made executable holding code that came from somewhere
# (issue 13 §1).  A C target copies machine code into an anonymous page,
# mprotects it PROT_READ|PROT_EXEC and calls it:
#  (a) code received on a loopback port from a client (the driver, so
#      received bytes are tracked): backdoor.dropped_payload critical;
#  (b) code written to /tmp and read back: critical, naming the file;
#  (c) code generated in place while the program also reads back a temp
#      data file and receives bytes: no dropped_payload (the chain's parts
#      without the code passing through them);
#  (d) JITs: `node -e` and `java Hello.java` (anonymous executable memory
#      all the time) stay without dropped_payload, nothing above info.
. "$(dirname "$0")/lib.sh"
[ "$(uname -m)" = x86_64 ] || { echo "skip: the target's machine code is x86-64"; exit 77; }
P=$(prog host_anonexec)
drops() {
	json '"\n".join(f["severity"]+" "+f["message"] for c in r["categories"] for f in c["findings"] if f["rule"]=="backdoor.dropped_payload")'
}
above_info() {
	json '"\n".join(f["rule"]+" "+f["severity"]+" "+f["message"] for c in r["categories"] for f in c["findings"] if f["severity"]!="info")'
}
CODE=90909090909090909090909090909090909090909090909090909090909090909090909090909090b82a000000c390

# (a)
mkdir -p "$tmp/course"
cat >"$tmp/course/send.py" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(bytes.fromhex(sys.argv[2]))
s.close()
PY
chmod -R a+rX "$tmp/course"
cat >"$tmp/course/audit.yaml" <<Y
driver:
  command: [python3, send.py, "5557", "$CODE"]
  wait_for: "127.0.0.1:5557"
Y
DUR=${DUR_DRIVEN:-10}
run_audit -c "$tmp/course/audit.yaml" -- "$P" serve 5557 "$MARK"
assert_common
assert_file_contains "$OUT/stdout.log" "code returned 42"
drops >"$tmp/d.txt"
grep -q "^critical dropped payload: host_anonexec runs code it received from a network connection" "$tmp/d.txt" ||
	fail "received code made executable: $(above_info)"
[ "$RC" -eq 1 ] || fail "received code: exit $RC"
rm -rf "$OUT"
DUR=5

# (b)
run_audit -- "$P" file "$MARK"
assert_common
assert_file_contains "$OUT/stdout.log" "code returned 42"
drops >"$tmp/d.txt"
grep -q "^critical dropped payload: host_anonexec runs code read back from /tmp/.cache.bin, a file it wrote" "$tmp/d.txt" ||
	fail "code read back from /tmp made executable: $(above_info)"
rm -rf "$OUT"

# (c)
run_audit -- "$P" jit "$MARK"
assert_common
assert_file_contains "$OUT/stdout.log" "code returned 42"
[ -z "$(drops)" ] || fail "generated code reported: $(drops)"
rm -rf "$OUT"

# (d)
if command -v node >/dev/null 2>&1; then
	run_audit -- node -e 'let s=0; for (let i=0;i<3e6;i++) s+=i%7; console.log("sum", s)' "$MARK"
	assert_common
	assert_file_contains "$OUT/stdout.log" "sum"
	[ -z "$(above_info)" ] || fail "node -e: $(above_info)"
	rm -rf "$OUT"
fi
if command -v java >/dev/null 2>&1 && command -v javac >/dev/null 2>&1; then
	printf 'public class Hello { public static void main(String[] a) { long s = 0; for (int i = 0; i < 50000000; i++) s += i %% 7; System.out.println("hello " + s); } }\n' >"$tmp/work/Hello.java"
	chmod a+r "$tmp/work/Hello.java"
	DUR=30
	run_audit -- java Hello.java "$MARK"
	assert_common
	assert_file_contains "$OUT/stdout.log" "hello"
	[ -z "$(above_info)" ] || fail "java Hello.java: $(above_info)"
fi
pass "received and dropped code made executable is critical; generated code and JITs are not"

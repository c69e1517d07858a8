#!/bin/sh
# Time bombs behind timed waits that are not sleeps (issue 9 §3): select,
# poll, epoll, threading.Event.wait, threading.Timer of 600 to 3600 s run
# their payload inside a 10 s window with skip_sleeps on (the
# default): the wait gets a zero timeout at its stop, each cut is in
# trace.log and the stats.  Benign timed waits keep working: a server's
# idle epoll/select loop, short Event.wait/Condition timeouts in threads
# (PASS, nothing cut).  Not cut for good: queue.get(timeout=) and the
# like, which compare the clock and wait again for what is left (the
# documented limit: clocks are not moved).
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null 2>&1 || { echo "skip: no python3"; exit 77; }
DUR=10
BOMB=$(prog host_waitbomb.py)
rules() { json '"\n".join("%s %s %s" % (f["rule"], f["severity"], f["message"]) for c in r["categories"] for f in c["findings"])'; }
payload_seen() { grep -q '"kind":"exec".*"argv":\["sh","-c","id"\]' "$OUT/events.jsonl"; }

for case in select:3600 poll:600 epoll:1800 event:3600 timer:600; do
	how=${case%%:*} secs=${case#*:}
	run_audit -- python3 "$BOMB" "$how" "$secs" "$MARK"
	assert_common
	payload_seen || fail "$how $secs: the payload after the wait was not seen: $(rules)"
	assert_file_contains "$OUT/stdout.log" "payload"
	grep -q "cut from $secs s to 0 s by sandbox.time.skip_sleeps" "$OUT/trace.log" ||
		fail "$how: the cut is not in trace.log"
	[ "$(json 'int(r["stats"]["sleep_seconds_skipped"]) >= '"$secs"' - 10')" = True ] ||
		fail "$how: stats.sleep_seconds_skipped: $(json 'r["stats"]["sleep_seconds_skipped"]')"
	rules >"$tmp/rules.txt"
	case $how in event|timer) ;; # futex waits: cut, not judged (runtimes park idle threads for a day)
	*) grep -q "^process.long_sleep medium .*$secs s" "$tmp/rules.txt" || fail "$how: no long_sleep finding: $(cat "$tmp/rules.txt")" ;;
	esac
done

# benign: threads with short timed waits, a select loop with a 1 s
# timeout, an idle ThreadingHTTPServer: nothing cut, PASS
cat >"$tmp/work/waits.py" <<'PY'
import queue, select, threading, time
q = queue.Queue()
ev = threading.Event()
def worker():
    n = 0
    while not ev.wait(0.5):
        n += 1
        q.put(n)
threading.Thread(target=worker, daemon=True).start()
t0 = time.monotonic()
got = 0
while time.monotonic() - t0 < 4:
    select.select([], [], [], 1.0)
    try:
        while True:
            q.get(timeout=0.1); got += 1
    except queue.Empty:
        pass
print("ticks", got, "took %.1f" % (time.monotonic() - t0), flush=True)
ev.set()
PY
run_audit -- python3 waits.py "$MARK"
assert_common
took=$(sed -n 's/^ticks [0-9]* took //p' "$OUT/stdout.log")
python3 -c "import sys; sys.exit(0 if float('$took') >= 3.9 else 1)" || fail "short waits were cut (took $took s)"
[ "$(json 'int(r["stats"]["sleeps_cut"])')" = 0 ] || fail "short waits were cut"
[ "$RC" -eq 0 ] || fail "benign waits: $(rules)"
cat >"$tmp/work/serve.py" <<'PY'
import http.server
http.server.ThreadingHTTPServer(("127.0.0.1", 8765), http.server.SimpleHTTPRequestHandler).serve_forever()
PY
run_audit --set 'plugins.network.allow_listen=127.0.0.1:8765' -- python3 serve.py "$MARK"
assert_common
[ "$ELAPSED" -ge "$DUR" ] || fail "http.server ended early: $(cat "$OUT/stderr.log")"
[ "$RC" -eq 0 ] || fail "http.server does not PASS: $(rules)"
[ "$(json 'int(r["stats"]["sleeps_cut"])')" = 0 ] || fail "http.server had waits cut"
above=$(json '[f["rule"] for c in r["categories"] for f in c["findings"] if f["severity"] not in ("info",)]')
[ "$above" = "[]" ] || fail "http.server: findings above info: $above"
# benign: a JVM (timed parks, a scheduled executor, Thread.sleep loop)
# keeps its timing and PASSes: its day-long idle parks are cut at most once
# per thread and not judged
if command -v java >/dev/null 2>&1; then
	cat >"$tmp/work/Waits.java" <<'JAVA'
import java.util.concurrent.*;
public class Waits {
    public static void main(String[] a) throws Exception {
        ScheduledExecutorService ex = Executors.newScheduledThreadPool(2);
        final int[] n = {0};
        ex.scheduleAtFixedRate(() -> { n[0]++; }, 0, 300, TimeUnit.MILLISECONDS);
        long t0 = System.nanoTime();
        for (int i = 0; i < 8; i++) { Thread.sleep(500); }
        System.out.printf("ticks %d took %.1f%n", n[0], (System.nanoTime() - t0) / 1e9);
        ex.shutdownNow();
    }
}
JAVA
	DUR=40
	run_audit -- java Waits.java "$MARK"
	assert_common
	took=$(sed -n 's/^ticks [0-9]* took //p' "$OUT/stdout.log")
	[ -n "$took" ] || fail "java did not finish: $(tail -3 "$OUT/stderr.log")"
	python3 -c "import sys; sys.exit(0 if float('$took') >= 3.9 else 1)" || fail "java's sleeps were cut (took $took s)"
	[ "$RC" -eq 0 ] || fail "java does not PASS: $(rules)"
	above=$(json '[f["rule"] for c in r["categories"] for f in c["findings"] if f["severity"] not in ("info",)]')
	[ "$above" = "[]" ] || fail "java: findings above info: $above"
fi
pass "time bombs behind select/poll/epoll/Event/Timer run within the window; benign waits untouched"

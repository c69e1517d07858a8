#!/usr/bin/env bash
# The reference report (shared/reference/seed-report-impl05.txt), reproduced
# from a real strace log of the impl05 submission: PASS, Code Integrity Info
# naming the IndentationError and its line, every other category Safe.
. "$(dirname "$0")/lib.sh"
log="$DYNAUDIT_SRC/tests/fixtures/impl05-indentation-error/strace_log.6"

"$DYNAUDIT" replay --strace "$log" -o "$TMP/out" 2>"$TMP/err"
rc=$?
r="$TMP/out/report.json"
check "exit 0 (PASS), got $rc: $(cat "$TMP/err")" [ "$rc" = 0 ]
check "verdict PASS" [ "$(json "$r" 'r["verdict"]')" = PASS ]
check "statuses safe,safe,safe,safe,info,safe: $(statuses "$r")" [ "$(statuses "$r")" = "safe,safe,safe,safe,info,safe" ]
ci=$(json "$r" '[c for c in r["categories"] if c["id"]=="code_integrity"][0]')
check "code integrity names the error" grep -q "IndentationError" <<<"$ci"
check "code integrity names the line" grep -q "line 10" <<<"$ci"
check "score 100 or close" python3 -c "import json,sys; sys.exit(0 if json.load(open('$r'))['score']>=95 else 1)"
check "risk low" [ "$(json "$r" 'r["risk"]')" = low ]
md="$TMP/out/report.md"
check "markdown has the assessment table" grep -q "| Category | Observation | Status | Remarks |" "$md"
check "markdown: process safe row" grep -Eq "^\| Process Spawning \|.*Safe" "$md"
check "markdown: code integrity info row" grep -Eq "^\| Code Integrity \|.*IndentationError.*Info" "$md"
check "markdown: recommends re-running after the fix" grep -qi "re-run" "$md"
check "markdown: PASS conclusion" grep -q "PASS" "$md"
check "schema" schema_ok "$r"
for f in events.jsonl trace.log stderr.log; do
  check "writes $f" [ -s "$TMP/out/$f" ]
done
check "stderr.log holds the traceback" grep -q "IndentationError" "$TMP/out/stderr.log"
check "markdown says what was observed: the submission's own file" grep -q "Files of the submission used: server.py" "$md"
check "markdown says no process was spawned" grep -q "no child process was created" "$md"
check "json carries the activity lines" grep -q '"activity"' "$r"

# --ss: the socket listing taken during the run joins the strace log.  The
# reference run's ss showed nothing: the verdict stays; a listener on all
# interfaces that only the listing shows must be reported.
printf 'Netid State  Recv-Q Send-Q Local Address:Port Peer Address:Port Process\n' >"$TMP/ss-empty.txt"
"$DYNAUDIT" replay --strace "$log" --ss "$TMP/ss-empty.txt" -o "$TMP/ss1" 2>/dev/null
check "replay with an empty ss listing still PASS" [ "$(json "$TMP/ss1/report.json" 'r["verdict"]')" = PASS ]
check "the ss listing is named as a source" grep -q "ss listing" "$TMP/ss1/report.md"
cat >"$TMP/ss-listen.txt" <<'SS'
Netid State  Recv-Q Send-Q Local Address:Port Peer Address:Port Process
tcp   LISTEN 0      5            0.0.0.0:4444      0.0.0.0:*     users:(("python3",pid=6,fd=3))
SS
"$DYNAUDIT" replay --strace "$log" --ss "$TMP/ss-listen.txt" -o "$TMP/ss2" 2>/dev/null
check "a listener seen only by ss fails the network category" [ "$(json "$TMP/ss2/report.json" '[c["status"] for c in r["categories"] if c["id"]=="network"][0]')" = fail ]
check "sockets.txt lists it" grep -q "0.0.0.0:4444" "$TMP/ss2/sockets.txt"
printf 'garbage \x01\x02 line\n' >>"$TMP/ss-listen.txt"
"$DYNAUDIT" replay --strace "$log" --ss "$TMP/ss-listen.txt" -o "$TMP/ss3" 2>/dev/null
check "a broken ss line is a counted note, not a crash" grep -q "ss listing could not be parsed" "$TMP/ss3/report.md"
finish

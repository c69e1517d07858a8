#!/usr/bin/env bash
# Replay of strace logs recorded outside dynaudit's sandbox (issue 13 §3),
# on logs recorded for this test (tests/fixtures/anywhere/, see its README):
# the recording's cwd/HOME/user inferred or configured, lines glued to the
# target's own output, strace's extra output (-k, -e read=, -c, no -f), and
# -s truncation.
. "$(dirname "$0")/lib.sh"
FIX="$DYNAUDIT_SRC/tests/fixtures/anywhere"

# replay NAME LOG [ARGS...]: report in $TMP/NAME, exit status in $TMP/NAME.rc
replay() {
  local name=$1 log=$2; shift 2
  "$DYNAUDIT" replay --strace "$FIX/$log" -o "$TMP/$name" "$@" >"$TMP/$name.out" 2>&1
  echo $? > "$TMP/$name.rc"
  [ -f "$TMP/$name/report.json" ] || fail "$name: no report: $(head -c 300 "$TMP/$name.out")"
}
verdict() { json "$TMP/$1/report.json" 'r["verdict"]'; }
notes() { json "$TMP/$1/report.json" '"\n".join(r.get("notes", []))'; }
rules() { json "$TMP/$1/report.json" '" ".join(sorted({f["rule"] for c in r["categories"] for f in c.get("findings", [])}))'; }
stat_of() { json "$TMP/$1/report.json" "r['stats'].get('$2', 0)"; }
coverage() { json "$TMP/$1/report.json" 'r["coverage"]'; }

# --- (a) a benign log recorded in a user's own home ----------------------
# python3 app.py in /home/dynaudit-carol/project reads ~/.config/app/settings.json
replay home home-getcwd.log
check "home: PASS (got $(verdict home): $(rules home))" [ "$(verdict home)" = PASS ]
check "home: the note says the cwd came from getcwd()" \
  grep -q "cwd /home/dynaudit-carol/project (getcwd())" <<<"$(notes home)"
check "home: the note says HOME" grep -q "HOME /home/dynaudit-carol (" <<<"$(notes home)"
# cat with -y and no getcwd: AT_FDCWD</...> says the cwd
replay home_y home-at-fdcwd.log
check "home -y: PASS (got $(verdict home_y): $(rules home_y))" [ "$(verdict home_y)" = PASS ]
check "home -y: cwd from AT_FDCWD" grep -q "the -y annotation of AT_FDCWD" <<<"$(notes home_y)"
# the config says otherwise: the same reads are another user's home again
replay home_cfg home-getcwd.log --set replay.home=/home/auditor --set replay.cwd=/home/auditor/app
check "home with replay.home=/home/auditor: FAIL" [ "$(verdict home_cfg)" = FAIL ]
check "home with replay.home: file.sensitive_read" grep -q file.sensitive_read <<<"$(rules home_cfg)"
check "home with replay.home: the note names the key" grep -q "(replay.home)" <<<"$(notes home_cfg)"
"$DYNAUDIT" check --set replay.cwd=relative/dir >"$TMP/badcwd.out" 2>&1
check "replay.cwd must be absolute" grep -q "replay.cwd.*not an absolute path" "$TMP/badcwd.out"

# --- (b) output glued to strace lines ---------------------------------------
# "payloadexecve(\"/bin/sh\", ...)": the execve is read behind the output
replay glued glued-exec.log
check "glued: the execve of /bin/sh is an exec event" python3 -c '
import json, sys
evs = [json.loads(l) for l in open(sys.argv[1])]
sys.exit(0 if any(e.get("kind") == "exec" and e.get("path") == "/bin/sh" for e in evs) else 1)' "$TMP/glued/events.jsonl"
check "glued: the note says output was glued" grep -q "glued in front" <<<"$(notes glued)"
check "glued: nothing lost, coverage full" [ "$(coverage glued)" = full ]

# --- (c) strace's own extra output, and a log without -f -------------------
for t in stack:stack-k.log:-k\ stack-frame hexdump:hexdump-e-read.log:hex-dump summary:summary-C.log:summary-table; do
  name=${t%%:*}; rest=${t#*:}; log=${rest%%:*}; what=${rest#*:}
  replay "$name" "$log"
  check "$name: no parse warnings (got $(stat_of "$name" parse_warnings))" [ "$(stat_of "$name" parse_warnings)" = 0 ]
  check "$name: the note names the $what lines" grep -q -- "$what" <<<"$(notes "$name")"
  check "$name: coverage full" [ "$(coverage "$name")" = full ]
done
obs=$(json "$TMP/summary/report.json" 'r["target"]["observed_s"]')
check "summary: the -C row '100.00 ...' is no timestamp (observed $obs s)" python3 -c "import sys; sys.exit(0 if $obs < 5 else 1)"
check "glued (no -f): the note says children were not traced" grep -q "recorded without -f" <<<"$(notes glued)"
check "home (-f): no such note" bash -c '! grep -q "recorded without -f" <<<"$1"' _ "$(notes home)"

# --- (d) -s truncation -------------------------------------------------------
replay trunc truncated-s4.log
cmd=$(json "$TMP/trunc/report.json" '" ".join(r["target"]["command"])')
check "trunc: a cut argv[0] is not the command name (got: $cmd)" [ "$cmd" = "/usr/bin/python3 -c impo..." ]

# --- (d) --ss rows belong to the run only when a pid or port ties them ----
cat >"$TMP/ss-host.txt" <<'SS'
Netid State  Recv-Q Send-Q Local Address:Port Peer Address:Port Process
tcp   LISTEN 0      128          0.0.0.0:22        0.0.0.0:*     users:(("sshd",pid=999999,fd=3))
tcp   LISTEN 0      80         127.0.0.1:3306      0.0.0.0:*
SS
replay ss_host home-getcwd.log --ss "$TMP/ss-host.txt"
check "ss: the machine's own listeners are not the run's (got $(verdict ss_host): $(rules ss_host))" [ "$(verdict ss_host)" = PASS ]
check "ss: the note counts the rows left out" grep -q "2 row(s) of the ss listing were left out" <<<"$(notes ss_host)"
printf 'tcp   LISTEN 0      5            0.0.0.0:4444      0.0.0.0:*     users:(("python3",pid=16643,fd=3))\n' >>"$TMP/ss-host.txt"
replay ss_run home-getcwd.log --ss "$TMP/ss-host.txt"
check "ss: a listener of a pid of the log is the run's" grep -q network.listen <<<"$(rules ss_run)"

finish

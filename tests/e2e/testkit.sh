#!/usr/bin/env bash
# `dynaudit test`: scenario files that hold (strace, events and live
# inputs; inline config and config file; exact and minimum counts), that do
# not (wrong count, a rule that must not fire fired, wrong verdict) and that
# are malformed (file:line, exit 2); TAP and JUnit output; --set.
. "$(dirname "$0")/lib.sh"
D=$DYNAUDIT
FX="$DYNAUDIT_SRC/tests/fixtures"
mkdir -p "$TMP/s"
cp "$FX/persistence-bashrc-cron/strace.log" "$TMP/s/persist.log"
S=$TMP/s
$D replay --strace "$S/persist.log" -o "$TMP/ev" 2>/dev/null
cp "$TMP/ev/events.jsonl" "$S/persist.events.jsonl"

cat >"$S/persist.yaml" <<'Y'
name: persistence is flagged
input: {strace: persist.log}
expect:
  verdict: FAIL
  findings:
    file.persistence: 2
    file.write_outside: {min: 0}
  must_not_fire: [network.dns, backdoor.reverse_shell]
Y
cat >"$S/events.yaml" <<'Y'
name: the same from events.jsonl
config:
  rules: {file.persistence: {severity: low}}
input: {events: persist.events.jsonl}
expect:
  findings: {file.persistence: {count: 2}}
Y
cat >"$S/make-ok.yaml" <<'Y'
name: a benign build passes with its config file
config: FX/benign-c-make/dynaudit.yaml
input: {strace: FX/benign-c-make/strace.log}
expect: {verdict: PASS, must_not_fire: [process.shell]}
Y
cat >"$S/off.yaml" <<'Y'
name: an override switches the rule off
config:
  rules: {file.persistence: off}
input: {strace: persist.log}
expect: {must_not_fire: [file.persistence]}
Y
sed -i "s|FX/|$FX/|g" "$S/make-ok.yaml"
$D test "$S/persist.yaml" "$S/events.yaml" "$S/make-ok.yaml" "$S/off.yaml" >"$TMP/out" 2>&1; rc=$?
check "passing scenarios: exit 0 (got $rc): $(cat "$TMP/out")" [ $rc = 0 ]
check "one ok line per scenario" [ "$(grep -c '^ok ' "$TMP/out")" = 4 ]
check "a line names the scenario and its file" grep -q "^ok .*persistence is flagged (.*persist.yaml)" "$TMP/out"

# live input
cat >"$S/live.yaml" <<'Y'
name: a live shell is seen
config:
  target: {duration: 10}
  plugins: {process: {allow_exec: [sh, true]}, code_integrity: {}}
input:
  command: [sh, -c, "true; true"]
timeout: 2m
expect:
  verdict: PASS
  must_not_fire: [code_integrity.crash]
Y
$D test "$S/live.yaml" >"$TMP/out" 2>&1; rc=$?
check "live scenario holds: exit 0 (got $rc): $(cat "$TMP/out")" [ $rc = 0 ]

# failing scenarios: each says why
cat >"$S/count.yaml" <<'Y'
input: {strace: persist.log}
expect: {findings: {file.persistence: 3, backdoor.persistence: {min: 1}}}
Y
cat >"$S/fired.yaml" <<'Y'
input: {strace: persist.log}
expect: {must_not_fire: [file.persistence]}
Y
cat >"$S/verdict.yaml" <<'Y'
input: {strace: persist.log}
expect: {verdict: PASS}
Y
$D test "$S/persist.yaml" "$S/count.yaml" "$S/fired.yaml" "$S/verdict.yaml" >"$TMP/out" 2>&1; rc=$?
check "failing scenarios: exit 1 (got $rc)" [ $rc = 1 ]
check "the passing one still ok" grep -q "^ok .*persistence is flagged" "$TMP/out"
check "wrong count: $(grep count.yaml "$TMP/out")" \
  grep -q "^not ok count.yaml .*file.persistence: 2 finding(s), expected 3; backdoor.persistence: 0 finding(s), expected at least 1" "$TMP/out"
check "must-not-fire fired: $(grep fired.yaml "$TMP/out")" \
  grep -q "^not ok fired.yaml .*file.persistence fired 2 time(s), must not fire" "$TMP/out"
check "wrong verdict: $(grep verdict.yaml "$TMP/out")" \
  grep -q "^not ok verdict.yaml .*verdict FAIL, expected PASS" "$TMP/out"

# TAP and JUnit
$D test --tap --junit "$TMP/j.xml" "$S/persist.yaml" "$S/count.yaml" >"$TMP/tap" 2>&1; rc=$?
check "--tap: exit 1 (got $rc)" [ $rc = 1 ]
check "TAP header and plan" bash -c 'head -2 "$1" | tr "\n" " " | grep -q "^TAP version 13 1..2 "' _ "$TMP/tap"
check "TAP ok and not ok lines" bash -c 'grep -q "^ok 1 - persistence is flagged" "$1" && grep -q "^not ok 2 - count.yaml" "$1"' _ "$TMP/tap"
check "TAP diagnostics in YAML" grep -q "^  message: '.*expected 3" "$TMP/tap"
check "TAP diagnostics parse as YAML" python3 - "$TMP/tap" <<'P'
import sys, yaml
text = open(sys.argv[1]).read()
block = text.split("  ---\n", 1)[1].split("  ...\n", 1)[0]
d = yaml.safe_load(block)
assert "expected 3" in d["message"] and d["severity"] == "fail", d
P
check "JUnit parses, 2 tests, 1 failure: $(head -c 300 "$TMP/j.xml")" python3 - "$TMP/j.xml" <<'P'
import sys, xml.etree.ElementTree as ET
r = ET.parse(sys.argv[1]).getroot()
s = r.find("testsuite")
cases = s.findall("testcase")
assert s.get("tests") == "2" and s.get("failures") == "1", s.attrib
assert cases[1].find("failure") is not None and "expected 3" in cases[1].find("failure").get("message")
assert cases[0].find("failure") is None
P

# -o keeps the audits; --set reaches every scenario's config
cat >"$S/set.yaml" <<'Y'
config: {plugins: {process: {}}}
input: {strace: persist.log}
expect: {findings: {file.persistence: 2}}
Y
$D test "$S/set.yaml" >"$TMP/out" 2>&1; rc=$?
check "without the file detector: not ok (exit $rc)" [ $rc = 1 ]
$D test -o "$TMP/keep" --set plugins.file.allow_write=workdir "$S/set.yaml" >"$TMP/out" 2>&1; rc=$?
check "--set applies to the scenario's config: exit 0 (got $rc): $(cat "$TMP/out")" [ $rc = 0 ]
check "-o keeps the audit" [ -f "$TMP/keep/001/audit/report.json" ]

# malformed scenarios: file:line, exit 2, nothing runs
bad() { # NAME EXPECTED-MESSAGE, scenario text on stdin
  cat >"$S/$1"
  $D test "$S/persist.yaml" "$S/$1" >"$TMP/out" 2>&1; rc=$?
  check "malformed $1: exit 2 (got $rc)" [ $rc = 2 ]
  check "malformed $1: $(cat "$TMP/out")" grep -q "$2" "$TMP/out"
  check "malformed $1: nothing ran" bash -c '! grep -q "^ok" "$1"' _ "$TMP/out"
}
printf 'input: {strace: persist.log}\nexpect: {verdict: PASS}\ncolour: blue\n' | bad unknown.yaml "unknown.yaml:3: colour: unknown key (known: name, config, input, timeout, expect)"
printf 'input: {strace: persist.log}\nexpect:\n  findings:\n    file.persistence: lots\n' | bad count-word.yaml "count-word.yaml:4: expect.findings.file.persistence: expected a count"
printf 'input: {strace: persist.log}\nexpect:\n  findings:\n    file.persistence: {min: 1, count: 2}\n' | bad minmax.yaml "minmax.yaml:4: .*give one of {min: N} or {count: N}"
printf 'input: {strace: persist.log}\n' | bad noexpect.yaml "noexpect.yaml:1: expect: missing"
printf 'input: {strace: a.log, events: b.jsonl}\nexpect: {verdict: PASS}\n' | bad twoinputs.yaml "twoinputs.yaml:1: input: give exactly one of strace, events, command"
printf 'input: {strace: persist.log}\nexpect: {verdict: MAYBE}\n' | bad verdictword.yaml "verdictword.yaml:2: expect.verdict: expected PASS or FAIL"
printf 'input: {strace: persist.log}\nexpect: {must_not_fire: [shell]}\n' | bad notid.yaml "notid.yaml:2: expect.must_not_fire: 'shell' is not a rule id"
printf 'input: [\nexpect' | bad syntax.yaml "syntax.yaml:[0-9]*: YAML syntax error"
printf 'input: {strace: persist.log}\ntimeout: forever\nexpect: {verdict: FAIL}\n' | bad timeout.yaml "timeout.yaml:2: timeout: expected a duration"
# an invalid inline config is caught when its audit starts: file:line of the scenario
printf 'config:\n  target: {colour: blue}\ninput: {strace: persist.log}\nexpect: {verdict: FAIL}\n' >"$S/badcfg.yaml"
$D test "$S/badcfg.yaml" >"$TMP/out" 2>&1; rc=$?
check "invalid inline config: exit 2 (got $rc)" [ $rc = 2 ]
check "invalid inline config: scenario file:line: $(cat "$TMP/out")" grep -q "not ok .*badcfg.yaml:2: target.colour" "$TMP/out"
$D test "$S/missing.yaml" >"$TMP/out" 2>&1; rc=$?
check "missing scenario file: exit 2 (got $rc): $(cat "$TMP/out")" bash -c '[ "$1" = 2 ] && grep -q "missing.yaml: No such file" "$2"' _ $rc "$TMP/out"
$D test >"$TMP/out" 2>&1; rc=$?
check "no scenario: exit 2 (got $rc)" [ $rc = 2 ]
# hostile: a huge scenario file is refused, not read
head -c 2000000 /dev/zero | tr '\0' 'a' >"$S/huge.yaml"
$D test "$S/huge.yaml" >"$TMP/out" 2>&1; rc=$?
check "huge scenario refused: exit 2 (got $rc): $(cat "$TMP/out")" bash -c '[ "$1" = 2 ] && grep -q "larger than" "$2"' _ $rc "$TMP/out"
# a scenario whose input never ends within its timeout
mkfifo "$S/fifo.log"
printf 'input: {strace: fifo.log}\ntimeout: 2s\nexpect: {verdict: PASS}\n' >"$S/slow.yaml"
$D test "$S/slow.yaml" >"$TMP/out" 2>&1; rc=$?
check "timeout: not ok, exit 1 (got $rc): $(cat "$TMP/out")" bash -c '[ "$1" = 1 ] && grep -q "timed out after 2 s" "$2"' _ $rc "$TMP/out"
finish

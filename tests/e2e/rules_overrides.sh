#!/usr/bin/env bash
# `rules:` overrides applied where the engine records findings: the
# persistence fixture (~/.bashrc and a staged cron table, file.persistence
# high) replayed with file.persistence lowered to low (category warn) and
# switched off (no finding left), in YAML and in INI; an override of a
# detector the audit did not load is refused at its file:line (exit 2).
. "$(dirname "$0")/lib.sh"
D=$DYNAUDIT
LOG="$DYNAUDIT_SRC/tests/fixtures/persistence-bashrc-cron/strace.log"
# rules_of REPORT RULE: "count max-severity" of RULE's findings
rules_of() {
  json "$1" '" ".join([str(len([f for c in r["categories"] for f in c["findings"] if f["rule"]=="'"$2"'"])), max([f["severity"] for c in r["categories"] for f in c["findings"] if f["rule"]=="'"$2"'"] or ["none"])])'
}
file_status() { json "$1" '[c["status"] for c in r["categories"] if c["id"]=="file"][0]'; }

$D replay --strace "$LOG" -o "$TMP/plain" 2>"$TMP/err"
check "without overrides: file fails ($(file_status "$TMP/plain.json" 2>/dev/null))" \
  [ "$(file_status "$TMP/plain/report.json")" = fail ]
check "without overrides: file.persistence high" \
  bash -c '[[ "$1" == "2 high" ]]' _ "$(rules_of "$TMP/plain/report.json" file.persistence)"

printf 'rules:\n  file.persistence: {severity: low}\n' >"$TMP/low.yaml"
printf '[rules]\nfile.persistence = low\n' >"$TMP/low.ini"
printf 'rules:\n  file.persistence: off\n' >"$TMP/off.yaml"
printf '[rules]\nfile.persistence = off\n' >"$TMP/off.ini"
for f in low.yaml low.ini; do
  $D replay -c "$TMP/$f" --strace "$LOG" -o "$TMP/$f.out" 2>"$TMP/err"
  got=$(rules_of "$TMP/$f.out/report.json" file.persistence)
  check "$f: file.persistence recorded as low ($got)" [ "$got" = "2 low" ]
  check "$f: file category warns" [ "$(file_status "$TMP/$f.out/report.json")" = warn ]
  check "$f: report conforms" schema_ok "$TMP/$f.out/report.json"
done
for f in off.yaml off.ini; do
  $D replay -c "$TMP/$f" --strace "$LOG" -o "$TMP/$f.out" 2>"$TMP/err"
  got=$(rules_of "$TMP/$f.out/report.json" file.persistence)
  check "$f: no file.persistence finding ($got)" [ "$got" = "0 none" ]
  check "$f: file.write_outside does not take its place" \
    [ "$(rules_of "$TMP/$f.out/report.json" file.write_outside | cut -d' ' -f1)" = \
      "$(rules_of "$TMP/plain/report.json" file.write_outside | cut -d' ' -f1)" ]
done

# A rule of a detector the audit did not load matches nothing: refused
# before anything runs, at the entry's file:line.
printf 'plugins: {file: {}}\nrules:\n  file.persistence: low\n  network.dns: off\n' >"$TMP/bad.yaml"
$D replay -c "$TMP/bad.yaml" --strace "$LOG" -o "$TMP/bad.out" >"$TMP/out" 2>&1; rc=$?
check "override of a detector not loaded: exit 2 (got $rc)" [ $rc = 2 ]
check "the error names file:line and the rule: $(cat "$TMP/out")" \
  grep -q "bad.yaml:4: rules.network.dns: no loaded detector 'network'" "$TMP/out"
printf '[plugin.file]\n[rules]\nnetwork.dns = off\n' >"$TMP/bad.ini"
$D replay -c "$TMP/bad.ini" --strace "$LOG" -o "$TMP/bad.ini.out" >"$TMP/out" 2>&1; rc=$?
check "INI: exit 2 (got $rc)" [ $rc = 2 ]
check "INI: names file:line: $(cat "$TMP/out")" grep -q "bad.ini:3: rules.network.dns" "$TMP/out"
printf 'rules:\n  process: off\n' >"$TMP/badid.yaml"
$D check -c "$TMP/badid.yaml" >"$TMP/out" 2>&1; rc=$?
check "check: a bad rule id is refused (exit $rc): $(cat "$TMP/out")" \
  bash -c '[ "$1" = 2 ] && grep -q "badid.yaml:2: rules.process: not a rule id" "$2"' _ $rc "$TMP/out"
# --set rules.ID=off and rules.ID.severity=S: the rest of the key is the
# rule id (it has a dot of its own), also over a config file's entry.
$D replay --strace "$LOG" --set rules.file.persistence=off -o "$TMP/set-off" 2>"$TMP/err"
got=$(rules_of "$TMP/set-off/report.json" file.persistence)
check "--set rules.file.persistence=off: no finding ($got; $(cat "$TMP/err"))" [ "$got" = "0 none" ]
$D replay --strace "$LOG" --set rules.file.persistence.severity=low -o "$TMP/set-low" 2>"$TMP/err"
got=$(rules_of "$TMP/set-low/report.json" file.persistence)
check "--set rules.file.persistence.severity=low: recorded low ($got; $(cat "$TMP/err"))" [ "$got" = "2 low" ]
$D replay -c "$TMP/off.yaml" --strace "$LOG" --set rules.file.persistence.severity=medium \
  -o "$TMP/set-over" 2>"$TMP/err"
got=$(rules_of "$TMP/set-over/report.json" file.persistence)
check "--set ...severity=medium over the file's off: recorded medium ($got; $(cat "$TMP/err"))" [ "$got" = "2 medium" ]
$D check --set rules.file.persistnce=off >"$TMP/out" 2>&1; rc=$?
check "--set of an undeclared id: exit 2 (got $rc), named with the closest: $(cat "$TMP/out")" \
  bash -c '[ "$1" = 2 ] && grep -q "^dynaudit: --set: rules.file.persistnce: detector .file. declares no such rule (did you mean file.persistence?)" "$2"' _ $rc "$TMP/out"

# Against the loaded detectors' declared rules (a test detector declaring
# decl.exec and decl.other): an unknown id is refused at its file:line with
# the closest declared id, in YAML and INI; a declared one is accepted.
: "${TEST_PLUGIN_DIR:?set by meson}"
printf 'plugin_path: [%s]\nplugins: {decl: {}}\nrules:\n  decl.exce: off\n' "$TEST_PLUGIN_DIR" >"$TMP/typo.yaml"
$D check -c "$TMP/typo.yaml" >"$TMP/out" 2>&1; rc=$?
check "YAML: undeclared rule id refused, exit 2 (got $rc)" [ $rc = 2 ]
check "YAML: file:line and the closest id: $(cat "$TMP/out")" \
  grep -q "typo.yaml:4: rules.decl.exce: detector 'decl' declares no such rule (did you mean decl.exec?)" "$TMP/out"
printf 'plugin_path = %s\n[plugin.decl]\n[rules]\ndecl.othr = low\n' "$TEST_PLUGIN_DIR" >"$TMP/typo.ini"
$D check -c "$TMP/typo.ini" >"$TMP/out" 2>&1; rc=$?
check "INI: undeclared rule id refused, exit 2 (got $rc)" [ $rc = 2 ]
check "INI: file:line and the closest id: $(cat "$TMP/out")" \
  grep -q "typo.ini:4: rules.decl.othr: detector 'decl' declares no such rule (did you mean decl.other?)" "$TMP/out"
printf 'plugin_path = %s\n[plugin.decl]\n[rules]\ndecl.exec = off\n' "$TEST_PLUGIN_DIR" >"$TMP/good.ini"
$D check -c "$TMP/good.ini" >"$TMP/out" 2>&1; rc=$?
check "INI: a declared id is accepted: $(cat "$TMP/out")" [ "$rc" = 0 ]
# A rule the core files (the output caps' code_integrity.output_flood) obeys
# rules: too, and an override of it is valid with no detector declaring it.
MAKE="$DYNAUDIT_SRC/tests/fixtures/benign-c-make/strace.log"
flood() { json "$1" '" ".join(f["severity"] for c in r["categories"] for f in c["findings"] if f["rule"]=="code_integrity.output_flood") or "none"'; }
$D replay --strace "$MAKE" --set report.limits.events=64K -o "$TMP/flood" 2>/dev/null
check "a capped events.jsonl gives code_integrity.output_flood low ($(flood "$TMP/flood/report.json"))" [ "$(flood "$TMP/flood/report.json")" = low ]
printf 'rules:\n  code_integrity.output_flood: {severity: medium}\n' >"$TMP/flood.yaml"
$D replay -c "$TMP/flood.yaml" --strace "$MAKE" --set report.limits.events=64K -o "$TMP/flood2" 2>"$TMP/err"
check "core rule: {severity: medium} applies ($(flood "$TMP/flood2/report.json"); $(cat "$TMP/err"))" [ "$(flood "$TMP/flood2/report.json")" = medium ]
printf '[rules]\ncode_integrity.output_flood = off\n' >"$TMP/flood.ini"
$D replay -c "$TMP/flood.ini" --strace "$MAKE" --set report.limits.events=64K -o "$TMP/flood3" 2>"$TMP/err"
check "core rule: off applies, INI ($(flood "$TMP/flood3/report.json"); $(cat "$TMP/err"))" [ "$(flood "$TMP/flood3/report.json")" = none ]
finish

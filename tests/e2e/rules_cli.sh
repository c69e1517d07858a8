#!/usr/bin/env bash
# The rules detector from the command line: rules files found relative to
# the config that names them (whatever the current directory), errors as
# file:line:column with exit 2 (also from `dynaudit check`), a missing file
# named with the config entry's file:line, and rules: overrides on rules.*.
. "$(dirname "$0")/lib.sh"
FIX="$DYNAUDIT_SRC/tests/fixtures"
mkdir -p "$TMP/course/rules" "$TMP/elsewhere"
cat > "$TMP/course/rules/ptrace.rules.yaml" <<'R'
rules:
  - id: ptrace_seen
    severity: critical
    condition: kind = ptrace and detail startswith PTRACE_
    message: "%{detail} of pid %{target_pid}"
R
cat > "$TMP/course/audit.yaml" <<'C'
plugins:
  rules:
    files: [rules/ptrace.rules.yaml]
rules:
  rules.ptrace_seen: {severity: low}
C
cd "$TMP/elsewhere"
"$DYNAUDIT" replay -c ../course/audit.yaml --strace "$FIX/privilege-attempts/strace.log" \
  -o "$TMP/out" >/dev/null 2>"$TMP/err"
rc=$?
check "a low finding passes the audit (exit $rc: $(cat "$TMP/err"))" [ "$rc" = 0 ]
got=$(json "$TMP/out/report.json" '[(f["rule"], f["severity"], f["message"]) for c in r["categories"] for f in c.get("findings", [])]')
check "the rule fired with the overridden severity: $got" \
  [ "$got" = "[('rules.ptrace_seen', 'low', 'PTRACE_ATTACH of pid 12')]" ]
check "the category is Custom Rules" \
  [ "$(json "$TMP/out/report.json" '[c["title"] for c in r["categories"] if c["id"] == "rules"][0]')" = "Custom Rules" ]

# the same from an INI config
printf '[plugin.rules]\nfiles = rules/ptrace.rules.yaml\n' > "$TMP/course/audit.ini"
"$DYNAUDIT" replay -c ../course/audit.ini --strace "$FIX/privilege-attempts/strace.log" \
  -o "$TMP/out-ini" >/dev/null 2>"$TMP/err"
check "INI: the rule fired (exit $?)" \
  grep -q '"rule": *"rules.ptrace_seen"' "$TMP/out-ini/report.json"

printf 'rules:\n  - id: x\n    severity: high\n    message: m\n    condition: pid = abc\n' \
  > "$TMP/course/rules/ptrace.rules.yaml"
"$DYNAUDIT" check -c ../course/audit.yaml >/dev/null 2>"$TMP/err"
rc=$?
check "check: a type mismatch exits 2 (got $rc)" [ "$rc" = 2 ]
check "check: the error is at file:line:column: $(cat "$TMP/err")" \
  grep -q "course/rules/ptrace.rules.yaml:5:22: type mismatch: 'pid' is a number; 'abc' is not" "$TMP/err"
"$DYNAUDIT" replay -c ../course/audit.yaml --strace "$FIX/privilege-attempts/strace.log" \
  -o "$TMP/out2" >/dev/null 2>"$TMP/err"
check "replay: a broken rules file exits 2" [ "$?" = 2 ]

rm "$TMP/course/rules/ptrace.rules.yaml"
"$DYNAUDIT" check -c ../course/audit.yaml >/dev/null 2>"$TMP/err"
check "check: a missing rules file exits 2" [ "$?" = 2 ]
check "the missing file is named with the config entry: $(cat "$TMP/err")" \
  grep -q "course/audit.yaml:3: files: .*course/rules/ptrace.rules.yaml: cannot open" "$TMP/err"
finish

#!/usr/bin/env bash
# The rules detector's category is configurable: plugins.rules.category_id
# and category_title (its declared options, read by the core when the
# detector is loaded) name the report category and prefix the rule ids;
# `rules:` overrides then use the new prefix; a malformed id or title is a
# usage error at its file:line (also in `dynaudit check`); the default stays
# rules / Custom Rules.
. "$(dirname "$0")/lib.sh"
FIX="$DYNAUDIT_SRC/tests/fixtures"
LOG="$FIX/privilege-attempts/strace.log"
cat > "$TMP/ptrace.rules.yaml" <<'R'
rules:
  - id: ptrace_seen
    severity: critical
    condition: kind = ptrace and detail startswith PTRACE_
    message: "%{detail} of pid %{target_pid}"
R
cats() { json "$1" '[(c["id"], c["title"], [f["rule"] + ":" + f["severity"] for f in c.get("findings", [])]) for c in r["categories"] if c.get("plugin") == "rules" or c["id"] in ("rules", "course")]'; }

printf 'plugins:\n  rules:\n    files: [ptrace.rules.yaml]\n' > "$TMP/default.yaml"
"$DYNAUDIT" replay -c "$TMP/default.yaml" --strace "$LOG" -o "$TMP/out-default" >/dev/null 2>"$TMP/err"
got=$(cats "$TMP/out-default/report.json")
check "default: category rules, Custom Rules: $got $(cat "$TMP/err")" \
  [ "$got" = "[('rules', 'Custom Rules', ['rules.ptrace_seen:critical'])]" ]

cat > "$TMP/course.yaml" <<'C'
plugins:
  rules:
    files: [ptrace.rules.yaml]
    category_id: course
    category_title: Course Policy
rules:
  course.ptrace_seen: {severity: medium}
C
"$DYNAUDIT" replay -c "$TMP/course.yaml" --strace "$LOG" -o "$TMP/out-course" >/dev/null 2>"$TMP/err"
got=$(cats "$TMP/out-course/report.json")
check "configured: category course, Course Policy, ids course.*, override applied: $got $(cat "$TMP/err")" \
  [ "$got" = "[('course', 'Course Policy', ['course.ptrace_seen:medium'])]" ]
check "no category 'rules' left" \
  [ "$(json "$TMP/out-course/report.json" '[c["id"] for c in r["categories"] if c["id"] == "rules"]')" = "[]" ]
check "report.md titles the category Course Policy" grep -q "Course Policy" "$TMP/out-course/report.md"

# only the id: the title is the id
printf 'plugins:\n  rules:\n    files: [ptrace.rules.yaml]\n    category_id: lab2\n' > "$TMP/idonly.yaml"
"$DYNAUDIT" replay -c "$TMP/idonly.yaml" --strace "$LOG" -o "$TMP/out-idonly" >/dev/null 2>"$TMP/err"
got=$(json "$TMP/out-idonly/report.json" '[(c["id"], c["title"]) for c in r["categories"] if c["id"] == "lab2"]')
check "id only: title is the id: $got" [ "$got" = "[('lab2', 'lab2')]" ]

# the old prefix is not a rule of the renamed detector any more
printf 'plugins:\n  rules:\n    files: [ptrace.rules.yaml]\n    category_id: course\nrules:\n  rules.ptrace_seen: off\n' > "$TMP/oldprefix.yaml"
"$DYNAUDIT" check -c "$TMP/oldprefix.yaml" >"$TMP/out" 2>&1; rc=$?
check "rules.ptrace_seen under category course: refused (exit $rc): $(cat "$TMP/out")" [ "$rc" = 2 ]

# INI
printf '[plugin.rules]\nfiles = ptrace.rules.yaml\ncategory_id = course\ncategory_title = Course Policy\n' > "$TMP/course.ini"
"$DYNAUDIT" replay -c "$TMP/course.ini" --strace "$LOG" -o "$TMP/out-ini" >/dev/null 2>"$TMP/err"
got=$(cats "$TMP/out-ini/report.json")
check "INI: $got $(cat "$TMP/err")" [ "$got" = "[('course', 'Course Policy', ['course.ptrace_seen:critical'])]" ]

# bad values: file:line, exit 2, in check and replay
bad() { # name yaml-lines expected-text
  printf 'plugins:\n  rules:\n    files: [ptrace.rules.yaml]\n%s\n' "$2" > "$TMP/$1.yaml"
  for cmd in check replay; do
    if [ $cmd = check ]; then "$DYNAUDIT" check -c "$TMP/$1.yaml" >"$TMP/out" 2>&1
    else "$DYNAUDIT" replay -c "$TMP/$1.yaml" --strace "$LOG" -o "$TMP/out-$1" >"$TMP/out" 2>&1; fi
    rc=$?
    check "$1 ($cmd): exit 2 (got $rc)" [ "$rc" = 2 ]
    check "$1 ($cmd): says '$3': $(cat "$TMP/out")" grep -qF "$3" "$TMP/out"
  done
}
bad upper "    category_id: Course" "upper.yaml:4: plugins.rules.category_id: 'Course' is not a category id"
bad dotted "    category_id: course.x" "dotted.yaml:4: plugins.rules.category_id: 'course.x' is not a category id"
bad long "    category_id: $(printf 'a%.0s' $(seq 65))" "long.yaml:4: plugins.rules.category_id:"
bad list "    category_id: [a, b]" "list.yaml:4: plugins.rules.category_id:"
bad title "    category_title: \"\\tTab\"" "title.yaml:4: plugins.rules.category_title: expected a title"
# another detector ignores the names (they are not its options)
printf 'plugins:\n  network:\n    category_id: net2\n' > "$TMP/other.yaml"
"$DYNAUDIT" check -c "$TMP/other.yaml" >"$TMP/out" 2>&1; rc=$?
check "network does not declare category_id: unknown key (exit $rc)" \
  bash -c '[ "$1" = 2 ] && grep -q "plugins.network.category_id: unknown key" "$2"' _ $rc "$TMP/out"
finish

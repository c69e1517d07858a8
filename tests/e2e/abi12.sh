#!/usr/bin/env bash
# Plugin ABI 1.2 in the core: .kinds become the subscription mask (unknown
# kinds refused), .rules are the only ids a detector may report (one owner
# per id, emit of another is -EINVAL and shown in the report), declare_rule
# works from init only, .options are checked before init in run, replay and
# check (unknown keys list the known ones, wrong types refused, file:line),
# and a 1.1-sized descriptor still loads without its tail being read.
. "$(dirname "$0")/lib.sh"
: "${TEST_PLUGIN_DIR:?set by meson}"
D=$DYNAUDIT
cat >"$TMP/exec.log" <<'LOG'
100 execve("/usr/bin/python3", ["python3", "app.py"], 0x7ffc /* 5 vars */) = 0
100 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f) = 101
101 execve("/usr/bin/ls", ["ls"], 0x7ffd /* 5 vars */) = 0
101 +++ exited with 0 +++
100 +++ exited with 0 +++
LOG
cfg() { printf 'plugin_path: [%s]\nplugins:\n%b\n' "$TEST_PLUGIN_DIR" "$1" >"$TMP/$2"; }
rule_count() { json "$1" 'sum(f.get("count",1) for c in r["categories"] for f in c["findings"] if f["rule"]=="'"$2"'")'; }

# .kinds: subscribed to exec only; both execs reported, deduplicated into one finding
cfg '  decl: {mode: plain, limit: 4, window: 2m, declare: [decl.extra], extra: {a: 1}}' ok.yaml
DECL_INIT_MARK="$TMP/okmark" $D replay -c "$TMP/ok.yaml" --strace "$TMP/exec.log" -o "$TMP/ok" 2>"$TMP/err"; rc=$?
check "init runs on a good subtree (the marker the checks below rely on)" [ -e "$TMP/okmark" ]
check "declared detector runs: exit 0/1 (got $rc: $(cat "$TMP/err"))" [ $rc -le 1 ]
check "decl.exec reported for both execs ($(rule_count "$TMP/ok/report.json" decl.exec))" \
  [ "$(rule_count "$TMP/ok/report.json" decl.exec)" = 2 ]
check "declare_rule outside init is -EPERM" \
  grep -q "late declare_rule returned -1\b" "$TMP/ok/report.md"
check "report conforms" schema_ok "$TMP/ok/report.json"

# emit of an undeclared id: -EINVAL (the detector checks) and the report says so
cfg '  decl: {undeclared: yes}' undeclared.yaml
$D replay -c "$TMP/undeclared.yaml" --strace "$TMP/exec.log" -o "$TMP/und" 2>"$TMP/err"
check "undeclared rule dropped" [ "$(rule_count "$TMP/und/report.json" decl.undeclared)" = 0 ]
check "declared rule still reported" [ "$(rule_count "$TMP/und/report.json" decl.exec)" = 2 ]
check "the report shows the error: $(json "$TMP/und/report.json" '[c.get("error") for c in r["categories"] if c["id"]=="decl"]')" \
  grep -q "reported rule 'decl.undeclared', which it does not declare" "$TMP/und/report.md"

# options checked before init, in replay and in check; init never runs on a bad subtree
mkdir -p "$TMP/sub"
for cmd in replay check run; do
  cfg '  decl:\n    mode: plain\n    colour: blue' unknown.yaml
  rm -f "$TMP/mark"
  if [ $cmd = replay ]; then
    DECL_INIT_MARK="$TMP/mark" $D replay -c "$TMP/unknown.yaml" --strace "$TMP/exec.log" -o "$TMP/u" >"$TMP/out" 2>&1; rc=$?
  elif [ $cmd = run ]; then
    DECL_INIT_MARK="$TMP/mark" $D run -c "$TMP/unknown.yaml" --target "$TMP/sub" -o "$TMP/r" -- true >"$TMP/out" 2>&1; rc=$?
  else
    DECL_INIT_MARK="$TMP/mark" $D check -c "$TMP/unknown.yaml" >"$TMP/out" 2>&1; rc=$?
  fi
  check "$cmd: unknown option exits 2 (got $rc)" [ $rc = 2 ]
  check "$cmd: file:line: plugins.decl.colour, known keys listed: $(cat "$TMP/out")" \
    grep -q "unknown.yaml:5: plugins.decl.colour: unknown key (known: mode, undeclared, limit, window, declare, extra)" "$TMP/out"
  check "$cmd: init was not called on a bad subtree" [ ! -e "$TMP/mark" ]
done
bad_type() { # KEY VALUE EXPECTED-TEXT
  printf 'plugin_path: [%s]\nplugins:\n  decl:\n    %s: %s\n' "$TEST_PLUGIN_DIR" "$1" "$2" >"$TMP/type.yaml"
  $D check -c "$TMP/type.yaml" >"$TMP/out" 2>&1; rc=$?
  check "wrong type $1: $2 refused, exit 2 (got $rc): $(cat "$TMP/out")" \
    bash -c '[ "$1" = 2 ] && grep -q "type.yaml:4: plugins.decl.$2: $3" "$4"' _ $rc "$1" "$3" "$TMP/out"
}
bad_type undeclared maybe "'maybe' is not a boolean"
bad_type limit 3.5 "'3.5' is not an integer"
bad_type window soon "'soon' is not a duration"
bad_type mode "[a, b]" "expected a single value (string), got a list"
bad_type extra 7 "'7' is not a map"
bad_type declare "{a: 1}" "expected a list of values (list), got a map"
printf '[plugin.decl]\nlimit = many\n' >"$TMP/type.ini"
printf 'plugin_path = %s\n' "$TEST_PLUGIN_DIR" | cat - "$TMP/type.ini" >"$TMP/type2.ini"
$D check -c "$TMP/type2.ini" >"$TMP/out" 2>&1; rc=$?
check "INI: wrong type refused at file:line (exit $rc): $(cat "$TMP/out")" \
  bash -c '[ "$1" = 2 ] && grep -q "type2.ini:3: plugins.decl.limit: .many. is not an integer" "$2"' _ $rc "$TMP/out"

# declare_rule from init: its ids can be overridden; another detector's id is refused
cfg '  decl: {declare: [decl.extra]}' declared.yaml
printf 'rules:\n  decl.extra: off\n  decl.exec: {severity: high}\n' >>"$TMP/declared.yaml"
$D replay -c "$TMP/declared.yaml" --strace "$TMP/exec.log" -o "$TMP/d" 2>"$TMP/err"; rc=$?
check "override of a rule declared in init accepted (exit $rc: $(cat "$TMP/err"))" [ $rc -le 1 ]
check "override {severity: high} applies to a declared rule" \
  [ "$(json "$TMP/d/report.json" '[f["severity"] for c in r["categories"] for f in c["findings"] if f["rule"]=="decl.exec"][0]')" = high ]
cfg '  decl: {declare: [decl.1bad]}' malformed.yaml
$D check -c "$TMP/malformed.yaml" >"$TMP/out" 2>&1; rc=$?
check "declare_rule of a malformed id fails init (exit $rc): $(cat "$TMP/out")" \
  bash -c '[ "$1" = 2 ] && grep -q "declare: decl.1bad" "$2"' _ $rc "$TMP/out"

# two detectors declaring one id: refused, both named
cfg '  decl: {}\n  dupe: {}' dupe.yaml
$D check -c "$TMP/dupe.yaml" >"$TMP/out" 2>&1; rc=$?
check "one id declared by two detectors: exit 2 (got $rc): $(cat "$TMP/out")" \
  bash -c '[ "$1" = 2 ] && grep -q "rule .decl.exec. is declared by both detector .decl.*and detector .dupe" "$2"' _ $rc "$TMP/out"

# an unknown kind in .kinds: refused with a message
cfg '  badkind: {}' badkind.yaml
$D check -c "$TMP/badkind.yaml" >"$TMP/out" 2>&1; rc=$?
check "unknown kind refused: exit 2 (got $rc): $(cat "$TMP/out")" \
  bash -c '[ "$1" = 2 ] && grep -q "event kind 130 in .kinds is not one this dynaudit knows" "$2"' _ $rc "$TMP/out"
$D plugins --plugin-path "$TEST_PLUGIN_DIR" >"$TMP/list" 2>&1
check "plugins flags it BROKEN" grep -Eq "^badkind.so +BROKEN.*kind 130" "$TMP/list"

# a 1.1 descriptor: loads, mask from .subscriptions, any id of its category
cfg '  old11: {}' old.yaml
$D replay -c "$TMP/old.yaml" --strace "$TMP/exec.log" -o "$TMP/old" 2>"$TMP/err"; rc=$?
check "1.1 detector runs (exit $rc: $(cat "$TMP/err"))" [ $rc -le 1 ]
check "1.1 detector's findings recorded" [ "$(rule_count "$TMP/old/report.json" old11.exec)" = 2 ]
printf 'rules:\n  old11.anything: off\n' >>"$TMP/old.yaml"
$D check -c "$TMP/old.yaml" >/dev/null 2>"$TMP/err"; rc=$?
check "override of a 1.1 detector's rule: only its prefix checked ($(cat "$TMP/err"))" [ "$rc" = 0 ]

# batch: checked once, before any submission is audited
mkdir -p "$TMP/subs/one"
printf 'target: {command: [true]}\nplugin_path: [%s]\nplugins:\n  decl: {limit: lots}\n' "$TEST_PLUGIN_DIR" >"$TMP/batch.yaml"
$D batch -c "$TMP/batch.yaml" -o "$TMP/batch.out" "$TMP/subs/one" >"$TMP/out" 2>&1; rc=$?
check "batch: a wrong option type exits 2 before auditing (got $rc): $(cat "$TMP/out")" \
  bash -c '[ "$1" = 2 ] && grep -q "batch.yaml:4: plugins.decl.limit: .lots. is not an integer" "$2" && [ ! -e "$3/one/report.json" ]' _ $rc "$TMP/out" "$TMP/batch.out"

# plugins -v lists declarations
$D plugins -v --plugin-path "$TEST_PLUGIN_DIR" >"$TMP/list" 2>&1
check "plugins -v: rule id, severity, summary" grep -Eq "^ +decl\.exec +medium +a program was executed" "$TMP/list"
check "plugins -v: option key, type, help" grep -Eq "^ +window +duration +a duration \(default: 5s\)" "$TMP/list"
check "plugins -v: a 1.1 detector declares no rules" \
  bash -c 'grep -A1 "^old11 " "$1" | grep -q "rules: none declared"' _ "$TMP/list"
finish

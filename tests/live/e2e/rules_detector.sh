#!/bin/sh
# The rules detector on a real program: a course rules file next to the
# config (named by a relative path), a plain rule, a sequence in one
# process tree (connect, then a shell within 5 s), the same sequence bound
# to one process (must not fire: the shell is a child), and a rule the
# config's rules: section turns off.  The category is "Custom Rules".
. "$(dirname "$0")/lib.sh"
mkdir -p "$tmp/cfg"
cat > "$tmp/cfg/course.rules.yaml" <<'RULES'
lists:
  shells: [sh, bash, dash]
macros:
  outbound: kind = connect and family in (inet, inet6)
  spawned_shell: kind = exec and name in (shells) and not initial_exec
rules:
  - id: reads_hostname
    severity: low
    condition: kind = open and path = /etc/hostname and not access hasbits write
    message: "%{name} reads %{path}"
  - id: connect_then_shell
    severity: high
    sequence: [outbound, spawned_shell]
    within: 5s
    message: "a shell (%{cmdline}) runs after its process tree connected out"
    recommendation: Find out what the connection delivered.
  - id: connect_then_shell_same_process
    severity: high
    sequence: [outbound, spawned_shell]
    within: 5s
    by: process
    message: "same process: %{cmdline}"
  - id: muted
    severity: critical
    condition: kind = exec
    message: "exec %{path}"
RULES
cat > "$tmp/cfg/audit.yaml" <<'CFG'
plugins:
  rules:
    files: [course.rules.yaml]
rules:
  rules.muted: off
CFG
cat > "$tmp/work/probe.sh" <<PROBE
#!/bin/bash
cat /etc/hostname > /dev/null
{ exec 3<>/dev/tcp/127.0.0.1/4444; } 2>/dev/null
sh -c 'echo spawned $MARK'
PROBE
chmod 755 "$tmp/work/probe.sh"
run_audit -c "$tmp/cfg/audit.yaml" -- bash probe.sh
assert_common
[ "$RC" -eq 1 ] || fail "the high rule did not fail the audit (exit $RC)"
cat_of() { json "[c['$1'] for c in r['categories'] if c['id']=='rules'][0]"; }
[ "$(cat_of title)" = "Custom Rules" ] || fail "category title is $(cat_of title)"
[ "$(cat_of status)" = fail ] || fail "rules category is $(cat_of status)"
rules=$(json "sorted(f['rule'] for c in r['categories'] for f in c.get('findings', []))")
echo "$rules" | grep -q "rules.reads_hostname" || fail "no reads_hostname finding: $rules"
echo "$rules" | grep -q "'rules.connect_then_shell'" || fail "no connect_then_shell finding: $rules"
echo "$rules" | grep -q "same_process" && fail "the by: process sequence fired: $rules"
echo "$rules" | grep -q "rules.muted" && fail "rules.muted: off did not silence it"
grep -q "cat reads /etc/hostname" "$OUT/report.json" || fail "message template not rendered"
grep -q "a shell (sh -c echo spawned" "$OUT/report.json" || fail "sequence message not rendered"
n=$(json "[len(f['evidence']) for c in r['categories'] for f in c.get('findings', []) if f['rule']=='rules.connect_then_shell'][0]")
[ "$n" = 2 ] || fail "the sequence finding has $n evidence lines, expected 2 (connect, exec)"
# a broken rules file stops the audit before it starts: exit 2, file:line:column
printf 'rules:\n  - id: bad\n    severity: high\n    message: m\n    condition: kind = exec and nosuch = 1\n' \
	> "$tmp/cfg/course.rules.yaml"
"$DYNAUDIT" run -c "$tmp/cfg/audit.yaml" --target "$tmp/work" -o "$tmp/out2" -- bash probe.sh \
	>"$tmp/bad.out" 2>"$tmp/bad.err"
rc=$?
[ "$rc" -eq 2 ] || fail "a broken rules file exited with $rc, expected 2"
grep -q "course.rules.yaml:5:32: unknown field 'nosuch'" "$tmp/bad.err" ||
	fail "no file:line:column error: $(cat "$tmp/bad.err")"
pass "rules detector: plain rule, tree sequence, override, exit 2 on a broken file"

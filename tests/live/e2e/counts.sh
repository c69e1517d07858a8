#!/bin/sh
# The report's numbers agree across sections (issue 11): the Process
# Spawning row and the "N child processes created" line count the same
# children, whatever the programs exec'd in them.
. "$(dirname "$0")/lib.sh"
printf 'ls >/dev/null\nid >/dev/null\necho a | cat >/dev/null\nsh -c "exec true"\n' > "$tmp/work/r.sh"
run_audit -- sh r.sh
assert_common
row=$(grep -E '^\| Process Spawning \|' "$OUT/report.md" | sed -E 's/^\| Process Spawning \| ([0-9]+) child process.*/\1/')
line=$(grep -oE '[0-9]+ child process(es)? created' "$OUT/report.md" | head -1 | grep -oE '^[0-9]+')
[ -n "$row" ] && [ -n "$line" ] || fail "no counts: row '$row', line '$line'"
[ "$row" = "$line" ] || fail "the table says $row child processes, the summary $line"
pass "counts agree ($row)"

#!/bin/sh
# The target learns nothing of the grader's context: the init's command
# line and environment, its cgroup paths, the scratch dir, the output dir,
# the dynaudit binary and a --set value given on the command line appear
# nowhere in what the target can read; it cannot change the init's OOM
# score; /dev/shm is part of the watched /tmp (a file there shows in
# fs-events.log) and POSIX shared memory still works.
#
# /proc/self/mountinfo is checked too, but its host paths (the scratch
# dir as the source of the /etc/hosts, /tmp and HOME binds) only print a
# "note:" unless LEAKS_MOUNTINFO=strict: they come from the scratch layout.
. "$(dirname "$0")/lib.sh"
SETMARK="setmark$MARK"
ENVMARK="envmark$MARK"
export DYNLEAK_SECRET="$ENVMARK"
run_audit --set report.title="$SETMARK" -- "$(prog host_leaks)" "$MARK"
assert_common
log="$OUT/stdout.log"
assert_file_contains "$log" "^self "

scratch=$(json 'r["sandbox"].get("scratch directory", "")')
[ -n "$scratch" ] || fail "report.json names no scratch directory"
bin_dir=$(dirname "$DYNAUDIT")
seen="$tmp/seen"
if [ "${LEAKS_MOUNTINFO:-note}" = strict ]; then
	cp "$log" "$seen"
else
	grep -v '^mountinfo ' "$log" >"$seen"
fi
secrets="$tmp/secrets"
printf '%s\n' "$SETMARK" "$ENVMARK" "$scratch" "$OUT" "$tmp" "$bin_dir" "dynaudit run" >"$secrets"
if grep -F -f "$secrets" "$seen" >"$tmp/hit"; then
	fail "the target saw the grader's context: $(head -n 3 "$tmp/hit")"
fi
note=""
if grep '^mountinfo ' "$log" | grep -F -f "$secrets" >"$tmp/hit"; then
	note="; note: mountinfo shows $(wc -l <"$tmp/hit") host path(s):"
	note="$note$(awk '{print " " $5 " <- " $6}' "$tmp/hit" | tr '\n' ';')"
fi

# Every cgroup line is the root of the target's own cgroup namespace.
grep '^cgroup ' "$log" >"$tmp/cg" || fail "no cgroup lines"
if grep -v ':/$' "$tmp/cg" >"$tmp/hit"; then
	fail "host cgroup paths visible: $(head -n 3 "$tmp/hit")"
fi

# The init's OOM score is not the target's to change; its own only goes up.
grep -q '^oom1 ok$' "$log" && fail "the target changed /proc/1/oom_score_adj"
grep -q '^oomself-down ok$' "$log" && fail "the target lowered its own oom_score_adj"
grep -q '^oomself-up ok$' "$log" || fail "raising its own oom_score_adj failed: $(grep oomself-up "$log")"

# /dev/shm works and is watched.
for what in shm-file shm-open sem-open; do
	grep -q "^$what ok$" "$log" || fail "$what failed: $(grep "^$what" "$log")"
done
assert_file_contains "$OUT/fs-events.log" "leakfile-$MARK"
assert_file_contains "$OUT/fs-events.log" "leakshm-$MARK"
pass "no host context visible, /proc/1 out of reach, /dev/shm watched$note"

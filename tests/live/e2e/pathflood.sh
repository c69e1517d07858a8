#!/bin/sh
# e2e: alone
# Eight processes open paths as fast as they can for the whole window
# (issue 8, attack 5: 1.7 GB of events.jsonl in ten seconds): the output
# files stay within report.limits, the cut is said (report.json, report.md,
# events.jsonl, trace.log), the flood is a finding, and the one real
# finding in the middle of the flood (a read of /etc/shadow) is in the
# report and in the kept events.  A replay of the cut events.jsonl is
# marked incomplete and still finds the read.
DUR=${DUR:-10}
. "$(dirname "$0")/lib.sh"

# py FILE EXPR: a Python expression over r = the JSON file.
py() {
	python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print($2)" "$1"
}
findings='[f["rule"] + ":" + f["severity"] + ":" + f["message"] for c in r["categories"] for f in c["findings"]]'

# check_flood CAPS_TOTAL: what every flooded audit must show.
check_flood() {
	assert_common
	size=$(du -sb "$OUT" | cut -f1)
	[ "$size" -le $(($1 + 1024 * 1024)) ] ||
		fail "the output directory is $size bytes, over its caps ($1) + 1 MiB"
	[ "$(json 'r["stats"].get("output_cut", 0)')" = 1 ] || fail "report.json does not say the output was cut"
	cut=$(json 'r["stats"].get("events_jsonl_lines_cut", 0)')
	[ "$cut" -gt 1000 ] || fail "stats.events_jsonl_lines_cut is $cut"
	json "$findings" | grep -q "code_integrity.output_flood:low:.*events.jsonl [0-9]* of [0-9]* lines left out (most: open" ||
		fail "no flood finding: $(json "$findings")"
	json "$findings" | grep -q "file.sensitive_read:high:.*/etc/shadow" ||
		fail "the read of /etc/shadow is not in report.json: $(json "$findings")"
	assert_file_contains "$OUT/report.md" "events.jsonl reached its cap"
	grep -q '"path":"/etc/shadow"' "$OUT/events.jsonl" || fail "the read of /etc/shadow is not in the kept events.jsonl"
	assert_file_contains "$OUT/trace.log" '"/etc/shadow"'
	assert_file_contains "$OUT/events.jsonl" '{"dynaudit_cut":"begin"'
	assert_file_contains "$OUT/events.jsonl" '{"dynaudit_cut":"end".*"left_out_by_kind":{"open":'
	assert_file_contains "$OUT/trace.log" '^\[dynaudit: trace.log was cut at its cap'

	# replay of the cut file: incomplete, not a silently different verdict
	timeout 120 "$DYNAUDIT" replay --events "$OUT/events.jsonl" -o "$tmp/replay" >"$tmp/replay.out" 2>&1
	rrc=$?
	[ "$rrc" -eq 1 ] || fail "replay of the cut events.jsonl exited $rrc: $(tail -n 3 "$tmp/replay.out")"
	python3 "$CHECK_REPORT" "$tmp/replay/report.json" >/dev/null 2>&1 || fail "the replay's report.json does not validate"
	[ "$(py "$tmp/replay/report.json" 'r["incomplete"]')" = True ] || fail "the replay of a cut events.jsonl is not marked incomplete"
	py "$tmp/replay/report.json" 'r["incomplete_reason"]' | grep -q "events were left out" ||
		fail "replay: incomplete for another reason: $(py "$tmp/replay/report.json" 'r["incomplete_reason"]')"
	py "$tmp/replay/report.json" "$findings" | grep -q "file.sensitive_read:high:.*/etc/shadow" ||
		fail "the replay lost the read of /etc/shadow"
	py "$tmp/replay/report.json" "$findings" | grep -q "code_integrity.output_flood" ||
		fail "the replay lost the flood finding"
	rm -rf "$tmp/replay"
}

# 1. 4,000-character paths, default caps: every event is ~12 KiB of text
# until report.limits.text shortens its strings.
run_audit -- "$(prog host_pathflood)" "$MARK" long
check_flood $(((64 + 16 + 8 + 8 + 8) * 1024 * 1024 + 3 * 1024 * 1024))
grep -q '\[\.\.\.dynaudit cut [0-9]* of 40[0-9][0-9] bytes\.\.\.\]' "$OUT/events.jsonl" ||
	fail "no shortened 4,000-character path in events.jsonl"
grep -q '\[\.\.\.dynaudit cut [0-9]* of 4[0-9]* bytes\.\.\.\]' "$OUT/trace.log" ||
	fail "no shortened line in trace.log"
[ "$(json 'r["stats"].get("strings_shortened", 0)')" -gt 0 ] || fail "stats.strings_shortened is 0"
awk 'length($0) > 4096 { bad = 1 } END { exit bad }' "$OUT/trace.log" || fail "trace.log has lines over 4 KiB"
first="exit $RC, ${ELAPSED}s, $(du -sh "$OUT" | cut -f1)"

# 2. One kind floods in numbers (failed opens of short distinct names),
# with small configured caps.
rm -rf "$OUT"
run_audit --set report.limits.events=2M --set report.limits.trace=1M \
	--set report.limits.fs_events=256K --set report.limits.snapshots=256K \
	-- "$(prog host_pathflood)" "$MARK" names
check_flood $(((2048 + 1024 + 256 + 256 + 256) * 1024 + 3 * 1024 * 1024))
[ "$(stat -c %s "$OUT/events.jsonl")" -le $((2 * 1024 * 1024)) ] || fail "events.jsonl is over its 2M cap"
[ "$(stat -c %s "$OUT/trace.log")" -le $((1024 * 1024)) ] || fail "trace.log is over its 1M cap"
pass "path flood within caps (long: $first; names: exit $RC, ${ELAPSED}s, $(du -sh "$OUT" | cut -f1))"

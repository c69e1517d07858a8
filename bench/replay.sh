#!/bin/sh
# bench/replay.sh — end-to-end replay throughput: `dynaudit replay --strace
# LOG -o DIR`, wall time and peak RSS of the whole command (parser,
# detectors, the writers of events.jsonl, trace.log and the reports).
#
#   bench/replay.sh [BUILD_DIR...]                  # default: build
#   RUNS=7 bench/replay.sh /tmp/base/build build    # before/after, alternating
#   LOGS="a.log b.log" bench/replay.sh               # other logs
#
# Default logs: the largest tests/fixtures strace.log, and when
# /work/shared/strace-logs-public/pub11_asterisk-27262.log exists, eight
# copies of it end to end (183,592 lines).  Each BUILD_DIR needs
# core/dynaudit and plugins/ (a meson build of the tree).  Printed per
# build and log: the medians over RUNS of wall seconds, lines/s (lines /
# median wall), user+sys CPU seconds and peak RSS (KiB; GNU time).  Not a
# test: the figures depend on the machine and its load.
#
# Figures (2 CPUs, load about 3, RUNS=7; issue 13 section 3), main 0ec098b
# -> h/replayspeed-5:
#   big8.log (183,592 lines)  0.46 s, 399k lines/s, 0.45 s CPU, 15.1 MiB
#                          -> 0.19 s, 966k lines/s, 0.35 s CPU, 16.2 MiB
#   largest fixture (3,288)   0.01 s -> 0.01 s (below GNU time's resolution)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
RUNS=${RUNS:-5}
[ $# -gt 0 ] || set -- "$here/../build"
for d in "$@"; do shift; set -- "$@" "$(realpath "$d")"; done
W=$(mktemp -d /tmp/dynaudit-replay.XXXXXX)
trap 'rm -rf "$W"' EXIT
[ -x /usr/bin/time ] || { echo "replay.sh: needs GNU time (/usr/bin/time)" >&2; exit 1; }

logs=${LOGS:-}
if [ -z "$logs" ]; then
	logs=$(wc -l "$here"/../tests/fixtures/*/strace.log | sort -n | awk '$2 != "total" { f = $2 } END { print f }')
	pub=/work/shared/strace-logs-public/pub11_asterisk-27262.log
	if [ -r "$pub" ]; then
		for i in 1 2 3 4 5 6 7 8; do cat "$pub"; done > "$W/big8.log"
		logs="$logs $W/big8.log"
	fi
fi

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

printf '%-36s %-28s %8s %8s %11s %8s %8s\n' build log lines wall_s lines/s cpu_s rss_kib
for log in $logs; do
	lines=$(wc -l < "$log")
	i=0
	while [ $i -lt "$RUNS" ]; do
		b=0
		for d in "$@"; do
			b=$((b + 1))
			rm -rf "$W/out"
			rc=0
			/usr/bin/time -o "$W/t" -f '%e %U %S %M' "$d/core/dynaudit" replay -q --strace "$log" \
				-o "$W/out" > /dev/null 2>&1 || rc=$?
			# 0 pass, 1 fail, 3 inconclusive: an audit; anything else is not
			case $rc in 0|1|3) ;; *) echo "replay.sh: $d on $log: exit $rc" >&2; exit 1 ;; esac
			tail -n 1 "$W/t" | awk '{ print $1 }' >> "$W/wall.$b"
			tail -n 1 "$W/t" | awk '{ print $2 + $3 }' >> "$W/cpu.$b"
			tail -n 1 "$W/t" | awk '{ print $4 }' >> "$W/rss.$b"
		done
		i=$((i + 1))
	done
	b=0
	for d in "$@"; do
		b=$((b + 1))
		wall=$(median < "$W/wall.$b")
		printf '%-36s %-28s %8s %8s %11s %8s %8s\n' "$(echo "$d" | tail -c 36)" "$(basename "$log")" \
			"$lines" "$wall" "$(awk -v l="$lines" -v w="$wall" 'BEGIN { printf "%.0f", (w > 0 ? l / w : 0) }')" \
			"$(median < "$W/cpu.$b")" "$(median < "$W/rss.$b")"
		rm -f "$W/wall.$b" "$W/cpu.$b" "$W/rss.$b"
	done
done

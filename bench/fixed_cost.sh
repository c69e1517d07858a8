#!/bin/sh
# bench/fixed_cost.sh — the fixed cost of one audit: `dynaudit run --
# /bin/true` with the default config (the full sandbox), median wall time
# of RUNS runs, and the median of each phase dynaudit reports with
# DYNAUDIT_PHASE_TIMES set (see core/engine/phase_times.h).
#
#   bench/fixed_cost.sh [DYNAUDIT...]     # default: build/core/dynaudit
#   RUNS=21 bench/fixed_cost.sh /work/main/build/core/dynaudit build/core/dynaudit
#
# With several binaries the runs alternate (A B A B ...), so a machine
# whose load changes treats them alike.  A binary that prints no phases
# (an older one) gets only its wall time.  Each run writes into a new
# output directory (the old one is removed before the clock starts), as a
# batch does: reusing one adds the unlinks of the earlier audit's files.
# Also printed: the CPU time
# (perf stat's task-clock of dynaudit and its children) per run, which a loaded
# machine inflates less than the wall time.  Not a test.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
RUNS=${RUNS:-11}
[ $# -gt 0 ] || set -- "$here/../build/core/dynaudit"
for d in "$@"; do shift; set -- "$@" "$(realpath "$d")"; done
W=$(mktemp -d /tmp/dynaudit-fixed-cost.XXXXXX)
trap 'rm -rf "$W"' EXIT
mkdir -p "$W/sub"

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

i=0
while [ $i -lt "$RUNS" ]; do
	b=0
	for d in "$@"; do
		b=$((b + 1))
		rm -rf "$W/out$b"
		# perf stat: the CPU time of the whole tree; phases on stderr
		( cd "$W/sub" && DYNAUDIT_PHASE_TIMES=1 perf stat -x, -e task-clock -o "$W/stat" \
			"$d" run -q -o "$W/out$b" -- /bin/true ) 2>"$W/err" || true
		awk -F, '/task-clock/ { printf "%.1f\n", $1 }' "$W/stat" >> "$W/cpu.$b"
		sed -n 's/^dynaudit: phases (ms): //p' "$W/err" >> "$W/phases.$b"
	done
	i=$((i + 1))
done
# a second pass for the wall time alone, with a clock of ms resolution
i=0
while [ $i -lt "$RUNS" ]; do
	b=0
	for d in "$@"; do
		b=$((b + 1))
		rm -rf "$W/out$b"
		t0=$(date +%s%N)
		( cd "$W/sub" && "$d" run -q -o "$W/out$b" -- /bin/true ) >/dev/null 2>&1 || true
		t1=$(date +%s%N)
		echo $(( (t1 - t0) / 1000 )) | awk '{ printf "%.1f\n", $1 / 1000 }' >> "$W/wall.$b"
	done
	i=$((i + 1))
done
b=0
for d in "$@"; do
	b=$((b + 1))
	printf '%s\n  wall ms (median of %s): %s   cpu ms: %s\n' "$d" "$RUNS" \
		"$(median < "$W/wall.$b")" "$(median < "$W/cpu.$b")"
	if [ -s "$W/phases.$b" ]; then
		printf '  phases, median ms:'
		# every line: name value name value ...; the median per name, in order
		awk '{ for (k = 1; k < NF; k += 2) { if (!($k in seen)) { seen[$k] = 1; order[++n] = $k }
			 vals[$k] = vals[$k] " " $(k + 1) } }
		     END { for (j = 1; j <= n; j++) print order[j], vals[order[j]] }' "$W/phases.$b" |
		while read -r name vals; do
			printf ' %s %s' "$name" "$(printf '%s\n' $vals | median)"
		done
		echo
	fi
done

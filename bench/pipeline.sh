#!/bin/sh
# bench/pipeline.sh — the per-event cost behind the tracer on workload (b)
# of bench/run.sh: its events, recorded once by `dynaudit run`, replayed
# through the detectors and writers by pipeline_bench (see
# bench/pipeline_bench.c: parsing is not timed).
#
#   bench/pipeline.sh [BUILD_DIR...]        # default: build
#   RUNS=7 bench/pipeline.sh /tmp/base/build build   # before/after, alternating
#   EVENTS=some/events.jsonl bench/pipeline.sh       # another run's events
#   CONFIG=cfg.yaml bench/pipeline.sh                 # other detectors (default: the default config)
#
# Each BUILD_DIR needs bench/pipeline_bench and plugins/ (a meson build of
# the tree).  Runs alternate between the builds; printed per build: the
# median over RUNS of ns per event with every subscriber in the
# publishing thread ("sync": the whole CPU cost of one event), what the
# publisher pays with the bus's worker on ("async publish"), and the wall
# time per event until the worker has delivered everything ("async
# drained").  Not a test: the figures depend on the machine and its load.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
RUNS=${RUNS:-5}
[ $# -gt 0 ] || set -- "$here/../build"
for d in "$@"; do shift; set -- "$@" "$(realpath "$d")"; done
W=$(mktemp -d /tmp/dynaudit-pipeline.XXXXXX)
trap 'rm -rf "$W"' EXIT

ev=${EVENTS:-}
if [ -z "$ev" ]; then
	mkdir -p "$W/sub"
	cc -O2 -o "$W/sub/workload_b" "$here/workload_b.c"
	( cd "$W/sub" && "$1/core/dynaudit" run -q -o "$W/rec" -- ./workload_b ) || true
	ev=$W/rec/events.jsonl
	[ -s "$ev" ] || { echo "pipeline.sh: no events recorded" >&2; exit 1; }
fi
echo "events: $ev ($(wc -l < "$ev") lines)"

cfg=
[ -z "${CONFIG:-}" ] || cfg="-c $(realpath "$CONFIG")"

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

i=0
while [ $i -lt "$RUNS" ]; do
	b=0
	for d in "$@"; do
		b=$((b + 1))
		# shellcheck disable=SC2086 # $cfg is empty or two words
		DYNAUDIT_PLUGIN_DIR=$d/plugins "$d/bench/pipeline_bench" -r 1 $cfg "$ev" > "$W/out" 2>&1 ||
			{ cat "$W/out" >&2; exit 1; }
		awk '/^sync/ { print $3 }' "$W/out" >> "$W/sync.$b"
		awk '/^async/ { print $4 }' "$W/out" >> "$W/pub.$b"
		awk '/^async/ { print $7 }' "$W/out" >> "$W/drain.$b"
	done
	i=$((i + 1))
done
printf '%-40s %12s %14s %14s\n' build sync_ns/ev async_publish async_drained
b=0
for d in "$@"; do
	b=$((b + 1))
	printf '%-40s %12s %14s %14s\n' "$d" "$(median < "$W/sync.$b")" "$(median < "$W/pub.$b")" \
		"$(median < "$W/drain.$b")"
done

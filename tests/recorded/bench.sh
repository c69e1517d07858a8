#!/bin/sh
# bench.sh BUILD_DIR — replay throughput on the largest fixture log
# concatenated to ~1M lines: the parser alone (strace_dump with a counting
# subscriber), then the full pipeline (`dynaudit replay`: bus, detectors,
# reports, events.jsonl and trace.log).  Prints lines/s (wall and CPU) and
# peak RSS of each.  Not a test: timings depend on the machine and its load
# (CPU seconds are the steadier figure on a shared machine).
set -eu
build=${1:-build}
fix=$(cd "$(dirname "$0")/../fixtures" && pwd)
src=$fix/benign-c-make/strace.log
big=$(mktemp /tmp/dynaudit-bench.XXXXXX)
out=$(mktemp -d /tmp/dynaudit-bench-out.XXXXXX)
trap 'rm -rf "$big" "$out"' EXIT
n=$(wc -l < "$src")
reps=$(( (1000000 + n - 1) / n ))
i=0
while [ $i -lt $reps ]; do cat "$src"; i=$((i + 1)); done > "$big"
lines=$(wc -l < "$big")
# measure NAME CMD...: one line of figures
measure() {
	name=$1; shift
	/usr/bin/time -f '%e %U %S %M' -o "$out/t" "$@" >/dev/null 2>&1 || true
	read -r wall user sys rss <<EOT
$(tail -n 1 "$out/t")
EOT
	awk -v n="$name" -v l="$lines" -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" 'BEGIN {
		cpu = u + s; if (w <= 0) w = 0.001; if (cpu <= 0) cpu = 0.001
		printf "%-9s %8d lines  wall %6.2f s  %8.0f lines/s  cpu %6.2f s  %8.0f lines/s  peak %6.1f MiB\n",
		       n, l, w, l / w, cpu, l / cpu, r / 1024 }'
}
measure parser "$build/tests/recorded/strace_dump" --quiet "$big" /home/auditor/app
if [ -x "$build/core/dynaudit" ]; then
	measure pipeline "$build/core/dynaudit" replay -c "$fix/benign-c-make/dynaudit.yaml" \
		--strace "$big" -o "$out/report"
fi

#!/bin/sh
# bench.sh BUILD_DIR — parse throughput: replays the largest fixture log
# concatenated to ~1M lines with a counting subscriber and prints lines/s.
set -eu
build=${1:-build}
src=$(cd "$(dirname "$0")/../fixtures" && pwd)/benign-c-make/strace.log
big=$(mktemp /tmp/dynaudit-bench.XXXXXX)
trap 'rm -f "$big"' EXIT
n=$(wc -l < "$src")
reps=$(( (1000000 + n - 1) / n ))
i=0
while [ $i -lt $reps ]; do cat "$src"; i=$((i + 1)); done > "$big"
"$build/tests/recorded/strace_dump" --quiet "$big" /home/auditor/app

#!/bin/bash
# Assignment-scale benchmark (a script, not a test): 40 submissions -- a
# mix of loopback servers that run the whole window, programs that exit
# early, and crashes -- audited with an 8 s window, serially (-j 1) and
# with the default -j; prints the wall times, the goal 1.5 x (40 x 8 s /
# JOBS), whether every verdict matches the serial run's, the peak memory
# of the whole batch (max RSS of the process tree, from GNU time's view of
# the reaped children: the largest single process), the sum of the
# audits' peak RSS, and the fixed cost of one audit (`dynaudit run --
# /bin/true`, median of 21).
# usage: bench/batch.sh [DYNAUDIT]   (default: build/core/dynaudit)
set -u
D=${1:-$(dirname "$0")/../build/core/dynaudit}
D=$(realpath "$D")
W=$(mktemp -d /tmp/dynaudit-bench-batch.XXXXXX)
trap 'rm -rf "$W"' EXIT
for i in $(seq -w 1 40); do
  d=$W/subs/s$i; mkdir -p "$d"
  case $((10#$i % 4)) in
  0|1) cat > "$d/main.py" <<PY ;;   # a server that stays for the whole window
import socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 5555)); s.listen(8)
time.sleep(30)
PY
  2) echo "print(sum(range(10**6)))" > "$d/main.py" ;;   # exits early
  3) echo "raise SystemExit(__import__('os').abort())" > "$d/main.py" ;;   # crashes
  esac
done
cat > "$W/cfg.yaml" <<'EOF2'
target: {command: python3 main.py, duration: 8}
plugins:
  process: {}
  network: {allow_listen: ["127.0.0.1:5555"]}
  file: {}
  privilege: {}
  code_integrity: {}
  backdoor: {}
EOF2
run() { # run LABEL JOBS-OPTION...
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$W/$label.time" "$D" batch -q -c "$W/cfg.yaml" "$@" -o "$W/$label" "$W"/subs/* 
  echo "$label: exit $? wall $(cut -d' ' -f1 "$W/$label.time") s, largest process $(( $(cut -d' ' -f2 "$W/$label.time") / 1024 )) MiB"
}
jobs=$(python3 -c 'import os
c=os.cpu_count(); m=[int(l.split()[1]) for l in open("/proc/meminfo") if l.startswith("MemAvailable")][0]
print(max(1, min(64, 4*c, m // (1536*1024))))')
echo "machine: $(nproc) CPUs, default -j $jobs"
run parallel
# peak memory of the whole batch: sample the tree's total RSS while it runs
sample_peak() {
  local peak=0 cur
  while kill -0 "$1" 2>/dev/null; do
    cur=$(ps -eo rss=,args= | awk '/dynaudit|python3 main.py|sandbox-init/ {s+=$1} END {print s+0}')
    [ "$cur" -gt "$peak" ] && peak=$cur
    sleep 0.5
  done
  echo "$peak"
}
"$D" batch -q --force -c "$W/cfg.yaml" -o "$W/parallel2" "$W"/subs/* & bp=$!
peak=$(sample_peak $bp); wait $bp
echo "parallel: peak total RSS of the batch (dynaudit + sandboxes + targets) ~$((peak / 1024)) MiB"
run serial -j 1
goal=$(python3 -c "print(round(1.5 * 40 * 8 / $jobs, 1))")
echo "goal for the default -j: <= $goal s"
python3 - "$W/serial/summary.json" "$W/parallel/summary.json" <<'PY'
import json, sys
a = {r["name"]: r["verdict"] for r in json.load(open(sys.argv[1]))["rows"]}
b = {r["name"]: r["verdict"] for r in json.load(open(sys.argv[2]))["rows"]}
diff = [n for n in a if a[n] != b.get(n)]
print("verdicts equal to the serial run's:", "yes" if not diff else "NO: " + ", ".join(diff))
PY
mkdir -p "$W/t"
for i in $(seq 21); do
  s=$(date +%s%N); "$D" run -q --force -o "$W/true" --target "$W/t" -- /bin/true; e=$(date +%s%N)
  echo $(((e - s) / 1000))
done | sort -n | sed -n 11p | awk '{printf "fixed cost of one audit (dynaudit run -- /bin/true, median of 21): %.1f ms\n", $1 / 1000}'

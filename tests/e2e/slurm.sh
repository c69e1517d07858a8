#!/bin/bash
# examples/slurm end to end on a real single-node Slurm started here:
# munged, slurmctld and slurmd (Debian's munge and slurm-wlm) on private
# sockets, ports and state directories under $TMP, then
# examples/slurm/audit-assignment.sh over a small assignment (2 shards and
# the dependent summarize job); asserts the merged summary.  Skipped (77)
# with the reason when Slurm or munge is not installed or we are not root.
. "$(dirname "$0")/lib.sh"
for p in munged slurmctld slurmd sbatch squeue sinfo; do
  command -v "$p" >/dev/null || { echo "SKIP: $p not installed (Debian: apt-get install slurm-wlm munge)"; exit 77; }
done
[ "$(id -u)" = 0 ] || { echo "SKIP: starting slurmd and munged needs root"; exit 77; }
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done
  rm -rf "$TMP"
}
trap cleanup EXIT
chmod 700 "$TMP"
M=$TMP/munge; mkdir -p "$M" && chmod 700 "$M"
dd if=/dev/urandom of="$M/key" bs=1024 count=1 status=none && chmod 400 "$M/key"
munged --force --key-file="$M/key" --socket="$M/sock" --pid-file="$M/pid" \
  --log-file="$M/log" --seed-file="$M/seed" --foreground 2>"$M/stderr" & PIDS+=($!)
for _ in $(seq 50); do [ -S "$M/sock" ] && break; sleep 0.1; done
check "munged is up" [ -S "$M/sock" ]

host=$(hostname -s)
port=$((20000 + $$ % 20000))
mkdir -p "$TMP/state" "$TMP/spool"
export SLURM_CONF=$TMP/slurm.conf
cat > "$SLURM_CONF" <<EOF2
ClusterName=dyntest
SlurmctldHost=$host
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$M/sock
StateSaveLocation=$TMP/state
SlurmdSpoolDir=$TMP/spool
SlurmctldPidFile=$TMP/slurmctld.pid
SlurmdPidFile=$TMP/slurmd.pid
SlurmctldLogFile=$TMP/slurmctld.log
SlurmdLogFile=$TMP/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SwitchType=switch/none
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
NodeName=$host CPUs=$(nproc) RealMemory=8000 State=UNKNOWN
PartitionName=test Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF2
slurmctld -D -i 2>"$TMP/slurmctld.err" & PIDS+=($!)
slurmd -D 2>"$TMP/slurmd.err" & PIDS+=($!)
up=no
for _ in $(seq 100); do
  sinfo -h -o %T 2>/dev/null | grep -qE 'idle|mixed' && { up=yes; break; }
  sleep 0.3
done
check "slurmctld + slurmd: the node is idle ($(sinfo -h -o '%N %T' 2>&1 | head -1))" [ $up = yes ]
[ $up = yes ] || { tail -5 "$TMP"/slurm*.log; finish; exit; }

S=$TMP/assignment
for n in alpha beta gamma; do mkdir -p "$S/$n"; echo "print('$n')" > "$S/$n/main.py"; done
mkdir -p "$S/shadow" "$S/nomain"
echo 'print(open("/etc/shadow").read()[:3])' > "$S/shadow/main.py"
cat > "$TMP/config.yaml" <<'EOF2'
target: {command: python3 main.py, duration: 2}
EOF2
export PATH="$(dirname "$DYNAUDIT"):$PATH"
OUT=$TMP/out
SBATCH_OPTS="--mem=1G --cpus-per-task=1" bash "$DYNAUDIT_SRC/examples/slurm/audit-assignment.sh" \
  "$TMP/config.yaml" "$S" "$OUT" 2 > "$TMP/submit.out" 2>&1
check "audit-assignment.sh submits ($(tail -1 "$TMP/submit.out"))" grep -q 'shards: job' "$TMP/submit.out"
for _ in $(seq 400); do
  [ -z "$(squeue -h 2>/dev/null)" ] && break
  sleep 0.3
done
check "every job ended" [ -z "$(squeue -h 2>/dev/null)" ]
check "shard 0 wrote its summary" [ -s "$OUT/summary.shard-0-of-2.json" ]
check "shard 1 wrote its summary" [ -s "$OUT/summary.shard-1-of-2.json" ]
check "the dependent job wrote summary.json" [ -s "$OUT/summary.json" ]
[ -s "$OUT/summary.json" ] || cat "$OUT.slurm-logs"/*.log
check "summary.json: 5 rows" [ "$(json "$OUT/summary.json" 'len(r["rows"])')" = 5 ]
check "summary.json: shadow first, FAIL" [ "$(json "$OUT/summary.json" 'r["rows"][0]["name"] + " " + r["rows"][0]["status"]')" = "shadow FAIL" ]
check "summary.json: nomain not audited" [ "$(json "$OUT/summary.json" '[x["status"] for x in r["rows"] if x["name"] == "nomain"][0]')" = "not audited" ]
check "the jobs' logs are beside OUTDIR, not in it" [ -s "$(ls "$OUT.slurm-logs"/summary-*.log)" ]
check "summary.json valid" /usr/bin/python3 "$DYNAUDIT_SRC/tests/schema/check-summary.py" "$OUT/summary.json"
finish

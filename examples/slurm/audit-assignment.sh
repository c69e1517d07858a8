#!/bin/bash
# Audit one assignment on a Slurm cluster: a job array of N shards, each
# `dynaudit batch --shard K/N` into one shared OUTDIR, then a job that runs
# `dynaudit summarize` once every shard has ended (afterany: a shard that
# was cancelled or timed out still leaves its audits, and summarize shows
# what is missing as rows "not audited").
#
# usage: audit-assignment.sh CONFIG SUBMISSIONS_DIR OUTDIR [SHARDS]
#   CONFIG           the assignment's config (target.command set), on a shared file system
#   SUBMISSIONS_DIR  one directory per submission, on a shared file system
#   OUTDIR           shared directory for the audits and the summary
#   SHARDS           array size (default 4); each task audits 1/SHARDS
# Extra sbatch options (partition, account, ...) go in $SBATCH_OPTS.
set -euo pipefail
[ $# -ge 3 ] || { sed -n '2,14p' "$0"; exit 2; }
config=$(realpath "$1") subs=$(realpath "$2") out=$3 shards=${4:-4}
mkdir -p "$out"
out=$(realpath "$out")
here=$(dirname "$(realpath "$0")")
# the jobs' logs go beside OUTDIR: the batch directory holds only audits
logs=$out.slurm-logs
mkdir -p "$logs"
export DYNAUDIT_CONFIG=$config DYNAUDIT_SUBMISSIONS=$subs DYNAUDIT_OUTDIR=$out
# shellcheck disable=SC2086 # SBATCH_OPTS is a list of options
array=$(sbatch --parsable --export=ALL ${SBATCH_OPTS:-} --array=0-$((shards - 1)) \
	--chdir="$logs" --output="$logs/shard-%A_%a.log" "$here/shard.sbatch")
array=${array%%;*}
# shellcheck disable=SC2086
summary=$(sbatch --parsable --export=ALL ${SBATCH_OPTS:-} --dependency=afterany:"$array" \
	--chdir="$logs" --output="$logs/summary-%j.log" "$here/summarize.sbatch")
echo "shards: job $array (array 0-$((shards - 1))); summary: job ${summary%%;*} -> $out/summary.md (logs in $logs)"

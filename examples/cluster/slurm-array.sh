#!/bin/bash
# Quarter-end batch as a Slurm job array: 8 tasks, one shard each, then a merge job that
# starts when every task succeeded.
#
#   bash examples/cluster/slurm-array.sh   # submits the array, then the merge after it
#
# ACCOUNTS and OUT must be on a filesystem every node sees.
#SBATCH --job-name=valuepack-q3
#SBATCH --array=1-8
#SBATCH --cpus-per-task=2
#SBATCH --mem=256M
#SBATCH --time=01:00:00
set -euo pipefail
ACCOUNTS=${ACCOUNTS:-/shared/quarter-end/accounts}
OUT=${OUT:-/shared/quarter-end/out}
SHARDS=8

if [ -z "${SLURM_ARRAY_TASK_ID:-}" ]; then
    # Submitted by hand: queue the array and the merge that depends on it.
    array=$(sbatch --parsable "$0")
    sbatch --dependency=afterok:"$array" --job-name=valuepack-merge \
        --wrap "valuepack portfolio $OUT/shard-* -o $OUT/summary"
    exit 0
fi

valuepack batch "$ACCOUNTS" -o "$OUT/shard-$SLURM_ARRAY_TASK_ID" \
    --shard "$SLURM_ARRAY_TASK_ID/$SHARDS" --date 2025-10-09 \
    --skip-unchanged -j "${SLURM_CPUS_PER_TASK:-2}"

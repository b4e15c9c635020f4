#!/usr/bin/env bash
# SKAB (valve1, 16 runs of a water-pump test bed): per run a model trained on the run's first 400 rows (normal
# operation), every row streamed through the stepper with every sensor a target; `anomalous` scored row by row
# against the `anomaly` column (F1, FAR, MAR) and its changes against the `changepoint` column (NAB standard,
# 60 s windows). Prints one line per run, then last:
#   outliers f1=... far=... mar=... changepoint=...
# Usage: bench/quality/skab.sh [DATA_DIR (../shared/data/skab/valve1)] [extra detect options, e.g. --forecaster
#        last-value]. Results in target/quality/skab/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
data="${1:-$root/../shared/data/skab/valve1}"
shift $(( $# < 1 ? $# : 1 ))
out="$root/target/quality/skab"
rm -rf "$out"
"$root/deploy/bin/flink-rnn" detect --data "$data" --train-rows 400 --label-column anomaly \
  --changepoint-column changepoint --out "$out" "$@" 2>&1 \
  | tr '\r' '\n' | grep -v '^detect  *[0-9]*%\|^detect \['

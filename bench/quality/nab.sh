#!/usr/bin/env bash
# NAB v1.1 (58 files): per file a model trained on the file's own probationary rows (min(15%, 750)), every row
# streamed through the stepper (anomaly likelihood, intervals, guard), results in NAB's layout, scored with the
# project's NAB scorer (checked against the published scores of two detectors in the tests). Prints the
# thresholds, then last:
#   nab standard=... low_fp=... low_fn=...
# Usage: bench/quality/nab.sh [DATA_DIR (../shared/data/nab/data)] [LABELS (../shared/data/nab/labels/combined_windows.json)]
#        extra detect options after them, e.g. --forecaster last-value for the baseline. Results in target/quality/nab/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
data="${1:-$root/../shared/data/nab/data}"
labels="${2:-$root/../shared/data/nab/labels/combined_windows.json}"
shift $(( $# < 2 ? $# : 2 ))
out="$root/target/quality/nab"
rm -rf "$out"
"$root/deploy/bin/flink-rnn" detect --data "$data" --probation nab --labels "$labels" --out "$out" "$@" 2>&1 \
  | tr '\r' '\n' | grep -v '^detect  *[0-9]*%\|^detect \[' | grep -v '^detect: flinkrnn_'

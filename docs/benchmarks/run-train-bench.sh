#!/usr/bin/env bash
# Training speed: samples (training windows through forward + backward) per second for an LSTM H=64,
# window 96, horizon 24, batch 32, on ETTh1's OT, at 1 and 2 threads, interleaved, ROUNDS rounds.
# Usage: docs/benchmarks/run-train-bench.sh [ROUNDS]   (from the project root; needs ../shared/data)
set -euo pipefail
rounds="${1:-2}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
for r in $(seq 1 "$rounds"); do
  for t in 1 2; do
    deploy/bin/flink-rnn train --data ../shared/data/ett/ETTh1.csv --features OT --targets OT \
      --train-rows 8640 --val-rows 2880 --test-rows 2880 --horizon 24 --window 96 --hidden 64 --batch 32 \
      --epochs 4 --patience 100 --threads "$t" --out "$out/m.avro" > /dev/null 2>&1
    echo "round=$r threads=$t $(grep -o '"samplesPerSecond": [0-9.]*' "$out/m.report.json")"
  done
done

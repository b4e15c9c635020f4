#!/usr/bin/env bash
# Does float32 backpropagation train as well as float64? bench/quality/ett.sh's recipe at one horizon, trained
# with --precision float32 and float64 for each seed, one thread (the bytes do not depend on it); one line per
# run, then the mean and median of each precision and the paired count (float32 better / equal / worse at 5
# digits of test MSE):
#   precision_seeds h=48 seed=1 float32_test_mse=... float32_val_mse=... float64_test_mse=... float64_val_mse=...
#   precision_seeds h=48 seeds=12 float32_mean=... float64_mean=... float32_median=... float64_median=... better=... equal=... worse=...
# Usage: docs/benchmarks/run-precision-seeds.sh [HORIZON (48)] [SEEDS (12)]   (from the project root; ~20 s a run)
set -euo pipefail
h="${1:-48}"
seeds="${2:-12}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
for seed in $(seq 1 "$seeds"); do
  line="precision_seeds h=$h seed=$seed"
  for p in float32 float64; do
    deploy/bin/flink-rnn train --data ../shared/data/ett/ETTh1.csv --features OT --targets OT --train-rows 8640 \
      --val-rows 2880 --test-rows 2880 --horizon "$h" --window 96 --hidden 64 --epochs 40 --patience 8 --lr 0.003 \
      --season 24 --seed "$seed" --precision "$p" --threads 1 --out "$out/m.avro" > "$out/log" 2>&1
    test=$(tr '\r' '\n' < "$out/log" | sed -nE 's/^train: test mse ([^ ]+) .*/\1/p')
    val=$(tr '\r' '\n' < "$out/log" | sed -nE 's/^train: validation mse ([^ ]+) .*/\1/p')
    line="$line ${p}_test_mse=$test ${p}_val_mse=$val"
  done
  echo "$line" | tee -a "$out/lines"
done
python3 - "$out/lines" "$h" <<'PY'
import re, statistics, sys
rows = [dict(re.findall(r"(\w+)=([^ ]+)", l)) for l in open(sys.argv[1])]
a = [float(r["float32_test_mse"]) for r in rows]
b = [float(r["float64_test_mse"]) for r in rows]
better = sum(x < y for x, y in zip(a, b))
equal = sum(x == y for x, y in zip(a, b))
print(f"precision_seeds h={sys.argv[2]} seeds={len(rows)} float32_mean={statistics.mean(a):.5f} float64_mean={statistics.mean(b):.5f}"
      f" float32_median={statistics.median(a):.5f} float64_median={statistics.median(b):.5f}"
      f" better={better} equal={equal} worse={len(rows) - better - equal}")
PY

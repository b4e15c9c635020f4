#!/usr/bin/env bash
# Training speed, ours beside PyTorch in one run: samples (training windows through forward, backward and the
# optimizer step) per second, for LSTM and GRU at hidden 64 and 128, window 96, batch 64, 24 outputs per step,
# 1 input, at 1 and 2 threads. Ours: `flink-rnn train` on ETTh1's OT (float32 unless PRECISION=float64), the
# samples/s of its report. PyTorch: docs/benchmarks/torch_train.py (same model and batch on random data, float32
# and float64; Debian's python3-torch with libopenblas0-pthread, without which its BLAS is the slow reference
# one), run three ways and the best taken: as is, with OMP_WAIT_POLICY=PASSIVE, and with that and
# OPENBLAS_NUM_THREADS=1 (OpenBLAS's own threads fight torch's on 2 cores). One line per configuration:
#   train_bench cell=lstm hidden=64 threads=1 ours_samples_per_s=... torch_fp32_samples_per_s=...
#     torch_fp64_samples_per_s=... ratio_fp32=...
# Usage: docs/benchmarks/run-train-bench.sh [EPOCHS]   (from the project root; needs ../shared/data)
set -euo pipefail
epochs="${1:-6}"
precision="${PRECISION:-float32}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
for cell in lstm gru; do
  for hidden in 64 128; do
    for t in 1 2; do
      deploy/bin/flink-rnn train --data ../shared/data/ett/ETTh1.csv --features OT --targets OT \
        --train-rows 8640 --val-rows 2880 --test-rows 2880 --horizon 24 --window 96 --hidden "$hidden" \
        --cell "$cell" --batch 64 --time-features none --epochs "$epochs" --patience 100 --threads "$t" \
        --precision "$precision" --out "$out/m.avro" > /dev/null 2>&1
      ours=$(grep -o '"samplesPerSecond": [0-9.]*' "$out/m.report.json" | awk '{printf "%.1f", $2}')
      torch=""
      for envs in "FLINK_RNN_BENCH=1" "OMP_WAIT_POLICY=PASSIVE" "OMP_WAIT_POLICY=PASSIVE OPENBLAS_NUM_THREADS=1"; do
        torch="$torch
$(env $envs /usr/bin/python3 docs/benchmarks/torch_train.py "$cell" "$hidden" "$t" 64 5)"
      done
      fp32=$(echo "$torch" | awk '/dtype=float32/ {sub("samples_per_s=", "", $NF); if ($NF > m) m = $NF} END {print m}')
      fp64=$(echo "$torch" | awk '/dtype=float64/ {sub("samples_per_s=", "", $NF); if ($NF > m) m = $NF} END {print m}')
      ratio=$(awk -v a="$ours" -v b="$fp32" 'BEGIN {printf "%.2f", a / b}')
      echo "train_bench cell=$cell hidden=$hidden threads=$t ours_samples_per_s=$ours" \
        "torch_fp32_samples_per_s=$fp32 torch_fp64_samples_per_s=$fp64 ratio_fp32=$ratio"
    done
  done
done

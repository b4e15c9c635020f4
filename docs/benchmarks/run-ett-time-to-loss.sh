#!/usr/bin/env bash
# Time to a validation loss on ETTh1, ours beside PyTorch in one run: the plain recipe both can run (OT only,
# z-score of the training rows, LSTM 1 -> 64, head to 24 outputs at every step, window 96, batch 64, Adam 1e-3,
# clipping 1, float32, 20 epochs): `flink-rnn train --scaling global --relative false --guard false
# --time-features none` and docs/benchmarks/torch_ett_time_to_loss.py, each scoring the validation rows
# [8640, 11520) after every epoch by one stateful pass. Prints both curves, then per threshold (the last value's
# validation MSE, and 0.065) the seconds of training each needed to reach it:
#   ett_time_to_loss threads=1 threshold=0.0696 ours_seconds=... ours_epoch=... torch_seconds=... torch_epoch=...
# Usage: docs/benchmarks/run-ett-time-to-loss.sh [THREADS]   (from the project root; needs ../shared/data)
set -euo pipefail
threads="${1:-1}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
deploy/bin/flink-rnn train --data ../shared/data/ett/ETTh1.csv --features OT --targets OT --train-rows 8640 \
  --val-rows 2880 --test-rows 2880 --horizon 24 --window 96 --hidden 64 --batch 64 --lr 0.001 --scaling global \
  --relative false --guard false --time-features none --epochs 20 --patience 100 --threads "$threads" \
  --out "$out/m.avro" > /dev/null 2>&1
python3 - "$out/m.report.json" > "$out/ours.txt" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
t = 0.0
for e in d["epochs"]:
    t += e["seconds"]
    print(f"ours_ett epoch={e['epoch']} seconds={t:.2f} validation_mse={e['validationMse']:.5f}")
print(f"last_value validation_mse={d['validation']['lastValue']['mse']:.5f}")
PY
OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 docs/benchmarks/torch_ett_time_to_loss.py ../shared/data/ett/ETTh1.csv \
  "$threads" 20 > "$out/torch.txt"
cat "$out/ours.txt" "$out/torch.txt"
last=$(awk -F= '/^last_value/ {print $2}' "$out/ours.txt")
for threshold in "$last" 0.065; do
  first() { awk -v t="$threshold" -v p="$2" '$1 == p {split($2, e, "="); split($3, s, "="); split($4, v, "=");
    if (v[2] + 0 <= t + 0) {print s[2], e[2]; exit}}' "$1"; }
  read -r os oe <<<"$(first "$out/ours.txt" ours_ett) "
  read -r ts te <<<"$(first "$out/torch.txt" torch_ett) "
  echo "ett_time_to_loss threads=$threads threshold=$threshold ours_seconds=${os:-never} ours_epoch=${oe:-never}" \
    "torch_seconds=${ts:-never} torch_epoch=${te:-never}"
done

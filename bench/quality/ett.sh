#!/usr/bin/env bash
# ETTh1 univariate (Informer protocol): trains the documented recipe on rows [0, 8640), stops early on the
# validation rows [8640, 11520), and scores the test rows [11520, 14400) on the z-score of the training rows,
# over every test origin and horizon step, beside the last value, the seasonal naive forecast (t - 24) and the
# linear baseline (ridge on the last 96 values relative to the last, fitted on the training rows, its
# regularisation chosen on the validation rows). One line per horizon:
#   ett h=24 test_mse=... test_mae=... last_value_mse=... seasonal_mse=... linear_mse=... train_seconds=...
# Usage: bench/quality/ett.sh [FILE (../shared/data/ett/ETTh1.csv)] [COLUMN (OT)]   Reports in target/quality/ett/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
file="${1:-$root/../shared/data/ett/ETTh1.csv}"
column="${2:-OT}"
out="$root/target/quality/ett"
mkdir -p "$out"
for h in 24 48 168; do
  start=$(date +%s)
  # The guard's linear model is kept at h=24 and h=48 and left out at h=168, on validation MSE: 0.05165 / 0.07628 /
  # 0.11063 with train's default ring (2000 rows) against 0.05184 / 0.07756 / 0.10910 without. Its ring holds every
  # training row (8640) at h=24 and h=48, as the linear baseline fits on them: validation MSE 0.05092 / 0.07560,
  # against 0.05117 / 0.07601 with 8000 rows and 0.05165 / 0.07628 with 2000 (baseline 0.05157 / 0.07521).
  linear="--guard-linear 8640"; [ "$h" = 168 ] && linear="--guard-linear 0"
  # The recipe: train's defaults (per-key scaling, forecasts relative to the last value, the guard, time features
  # from the sampling interval) with the sizes below; chosen before any test row was looked at. The loss is MSE, not
  # train's per-key default (Huber): the protocol scores MSE, and MSE training gives the lower validation MSE at
  # every horizon (docs/BENCHMARKS.md). No recent window for the guard either: with train's default (5) the
  # validation MSE is higher at every horizon (0.05199 / 0.07776 / 0.11226 against 0.05184 / 0.07756 / 0.10910).
  # Nor the guard's level (train's default 12 for steps 2 and on): validation MSE 0.05227 / 0.07847 / 0.11083
  # with it against 0.05184 / 0.07756 / 0.10910 (an hourly series with a daily cycle is not noise around a level).
  # The guard judges by squared error, train's default under --loss mse: validation MSE 0.05058 / 0.07491 / 0.10762,
  # against 0.05092 / 0.07560 / 0.10910 judging by absolute error (h=168 still without the linear model: 0.10795 with
  # it).
  "$root/deploy/bin/flink-rnn" train --data "$file" --features "$column" --targets "$column" \
      --train-rows 8640 --val-rows 2880 --test-rows 2880 --horizon "$h" --window 96 --hidden 64 \
      --epochs 40 --patience 8 --lr 0.003 --season 24 --loss mse --guard-recent 0 --guard-level 0 $linear --out "$out/h$h.avro" > "$out/h$h.log" 2>&1
  line=$(tr '\r' '\n' < "$out/h$h.log" | grep '^train: test mse')
  # train: test mse M mae A (last value LM / LA, seasonal naive SM / SA, linear RM / RA)
  read -r mse mae lm sm rm <<<"$(sed -E 's/.*test mse ([^ ]+) mae ([^ ]+) \(last value ([^ ]+) \/ [^,]+, seasonal naive ([^ ]+) \/ [^,]+, linear ([^ ]+) \/ .*/\1 \2 \3 \4 \5/' <<<"$line")"
  echo "ett h=$h test_mse=$mse test_mae=$mae last_value_mse=$lm seasonal_mse=$sm linear_mse=$rm train_seconds=$(( $(date +%s) - start ))"
done

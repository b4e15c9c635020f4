#!/usr/bin/env bash
# Multi-key real series, one global model per data set trained with per-key scaling (train's defaults), then
# `evaluate` on the last 20% of every key's rows: per key, the model beside the last value, the seasonal naive
# forecast, a moving average and the linear baseline at 1 and 6 steps (and every step in the markdown/JSON).
#   NAB realKnownCause + realTraffic + realAWSCloudwatch (one key per file), weather (Seattle and New York as
#   keys, temp_max), VIX (open/high/low/close in, close out).
# Split per key: the first 60% train, the next 20% validation (early stopping), the last 20% evaluated.
# Usage: bench/quality/multikey.sh [SHARED_DATA (../shared/data)]   Reports in target/quality/multikey/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
shared="${1:-$root/../shared/data}"
out="$root/target/quality/multikey"
cli="$root/deploy/bin/flink-rnn"
mkdir -p "$out"
nab="$out/nab-data"
rm -rf "$nab"
for c in realKnownCause realTraffic realAWSCloudwatch; do
  mkdir -p "$nab/$c"
  for f in "$shared/nab/data/$c"/*.csv; do ln -s "$(cd "$(dirname "$f")" && pwd)/$(basename "$f")" "$nab/$c/"; done
done
run() { # name, data, train options, evaluate options
  local name="$1" data="$2" topts="$3" eopts="$4" start
  start=$(date +%s)
  # shellcheck disable=SC2086
  "$cli" train --data "$data" $topts --horizon 6 --window 96 --hidden 32 --epochs 20 --patience 5 --lr 0.003 \
      --train-fraction 0.6 --val-fraction 0.2 --out "$out/$name.avro" > "$out/$name.train.log" 2>&1
  echo "== $name: trained in $(( $(date +%s) - start )) s ($(tr '\r' '\n' < "$out/$name.train.log" | grep '^train: scaling'))"
  # shellcheck disable=SC2086
  "$cli" evaluate --model "$out/$name.avro" --data "$data" $eopts --from-fraction 0.8 --out "$out/$name"
}
run nab "$nab" "--targets value --time-column timestamp" ""
run weather "$shared/weather/weather.csv" "--key-column location --time-column date --targets temp_max" \
    "--key-column location --time-column date"
run vix "$shared/vix/vix-daily.csv" "--time-column DATE --features OPEN,HIGH,LOW,CLOSE --targets CLOSE" \
    "--time-column DATE"

#!/usr/bin/env bash
# Soak check on a real multi-process cluster (cluster.sh): a fixed offered rate for SOAK_SECONDS with
# checkpoints every 10 s and one kill -9 of a TaskManager half way, sampled every 2 s (offered rate, consumer
# lag, each TaskManager's heap), then every forecast compared (read_committed) with an uninterrupted replay.
# Prints "soak: seconds=... heap_slope_mb_per_min=... checkpoint_ms_p50=... lag_peak=... lag_end=..." and
# writes deploy/target/local-cluster/run/soak-report.html (rate, lag, heap, checkpoint durations over time).
# Last line: lost=N duplicated=N mismatched=N; exit status 0 only if all are 0.
#   soak-check.sh [--state-backend hashmap|rocksdb]
#   SOAK_SECONDS (600) RATE (2000/s) KEYS (50) tune it; CI runs SOAK_SECONDS=60.
set -euo pipefail
# shellcheck source=check-common.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/check-common.sh" "$@"
SOAK_SECONDS="${SOAK_SECONDS:-600}"; RATE="${RATE:-2000}"; KEYS="${KEYS:-50}"
ROWS=$(( RATE * SOAK_SECONDS / KEYS ))
# Reading back and replaying RATE x SOAK_SECONDS records: allow about 1,000 records per second and a minute.
export VERIFY_TIMEOUT="${VERIFY_TIMEOUT:-$(( RATE * SOAK_SECONDS / 1000 + 60 ))}"

start_check
"$cluster" submit --model.uri "file://$run/model.avro" --kafka.bootstrap-servers "$kafka" \
  --checkpoint.interval 10s --job.parallelism 2 --batch.max-latency 20ms --backend.kind java "${state_settings[@]}"
rm -f "$run/soak.stop" "$run/kill.txt"
"$cli" check soak-sample --bootstrap "$kafka" --rest "$rest" --run "$run" --interval-ms 2000 \
  > "$run/log/soak-sampler.log" 2>&1 &
sampler=$!
"$cli" check produce --bootstrap "$kafka" --keys "$KEYS" --rows "$ROWS" --rate "$RATE" > "$run/log/producer.log" 2>&1 &
producer=$!
sleep $(( SOAK_SECONDS / 2 ))
victim="$("$cluster" busy-tm)"
[ -n "$victim" ] || { echo "soak-check: no TaskManager runs a task of the job" >&2; exit 1; }
date +%s%3N > "$run/kill.txt"
"$cluster" kill-tm "$victim"
sleep 3
"$cluster" start-tm "$victim"
wait "$producer"
tail -1 "$run/log/producer.log"
# The lag falls to 0 once a checkpoint after the last record completes (every 10 s).
for _ in $(seq 30); do
  lag="$("$cli" check lag --bootstrap "$kafka" | sed -n 's/^lag=//p')"
  [ "${lag:-1}" = 0 ] && break
  sleep 2
done
sleep 4
touch "$run/soak.stop"; wait "$sampler" || true
job="$("$cluster" job-id)"
curl -sf "$rest/jobs/$job/checkpoints" > "$run/checkpoints.json" || true
restarts="$(job_failures "$job")"
echo "soak-check: job $job recorded $restarts failure(s); lag after the last record: ${lag:-unknown}"
"$cli" check soak-report --run "$run"
cp "$run/soak-report.html" "$root/deploy/target/soak-report.html"
verdict "$job"

#!/usr/bin/env bash
# Rescale check on a real multi-process cluster (cluster.sh): run at parallelism 2 over the first half of a
# known stream, stop with a savepoint, restart from it at parallelism 4 for the second half, then compare
# every forecast (read_committed) with an uninterrupted replay of the same model.
# Last line: lost=N duplicated=N mismatched=N; exit status 0 only if all are 0.
#   rescale-check.sh [--state-backend hashmap|rocksdb]   (rocksdb: incremental checkpoints)
set -euo pipefail
# shellcheck source=check-common.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/check-common.sh" "$@"
KEYS="${KEYS:-20}"; ROWS="${ROWS:-1000}"; RATE="${RATE:-2000}"
half=$(( ROWS / 2 ))
settings=(--kafka.bootstrap-servers "$kafka" --checkpoint.interval 2s --batch.max-latency 20ms --backend.kind java
  "${state_settings[@]}")

start_check
"$cluster" submit --model.uri "file://$run/model.avro" --job.parallelism 2 "${settings[@]}"
"$cli" check produce --bootstrap "$kafka" --keys "$KEYS" --rows "$ROWS" --from 0 --to "$half" --rate "$RATE"
sleep 5
job="$("$cluster" job-id)"
savepoint="$("$cluster" savepoint-stop "$job")"
echo "rescale-check: job $job stopped at parallelism 2 with savepoint $savepoint"
"$cluster" flink run -d -s "$savepoint" "$root/deploy/target/flink-rnn-deploy-0.1.0-SNAPSHOT-job.jar" \
  --model.uri "file://$run/model.avro" --job.parallelism 4 "${settings[@]}"
job2="$("$cluster" job-id)"
parallelism="$(curl -sf "http://127.0.0.1:18081/jobs/$job2" | grep -o '"parallelism":[0-9]*' | sed 's/.*://' | sort -n | tail -1)"
echo "rescale-check: job $job2 restarted from the savepoint; its operators run at parallelism $parallelism"
if [ "$parallelism" != "4" ]; then
  echo "rescale-check: expected parallelism 4" >&2
  exit 1
fi
"$cli" check produce --bootstrap "$kafka" --keys "$KEYS" --rows "$ROWS" --from "$half" --to "$ROWS" --rate "$RATE"
verdict "$job2"

#!/usr/bin/env bash
# Setting-change check on a real multi-process cluster (cluster.sh): a model with train's per-key rules (scaling,
# the guard) runs at parallelism 2 with forecast intervals and anomaly scoring off over the first half of a known
# stream, stops with a savepoint, and restarts from it at parallelism 4 with both on for the second half. Every
# forecast (read_committed) is compared with a replay that switches both on at the row where each key did, so the
# scaling statistics and the guard's history must carry over bit for bit while the new parts start fresh.
# Prints the parts the job's TaskManagers logged as started fresh, which must be exactly the replay's new ones.
# Last line: lost=N duplicated=N mismatched=N; exit status 0 only if all are 0 and the parts agree.
#   setting-change-check.sh [--state-backend hashmap|rocksdb]   (rocksdb: incremental checkpoints)
set -euo pipefail
# shellcheck source=check-common.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/check-common.sh" "$@"
KEYS="${KEYS:-20}"; ROWS="${ROWS:-1000}"; RATE="${RATE:-2000}"
half=$(( ROWS / 2 ))
settings=(--kafka.bootstrap-servers "$kafka" --checkpoint.interval 2s --batch.max-latency 20ms --backend.kind java
  "${state_settings[@]}")

MODEL_ARGS="--per-key true" start_check
"$cluster" submit --model.uri "file://$run/model.avro" --job.parallelism 2 --intervals.coverage 0 \
  --anomaly.scoring off "${settings[@]}"
"$cli" check produce --bootstrap "$kafka" --keys "$KEYS" --rows "$ROWS" --from 0 --to "$half" --rate "$RATE"
sleep 5
job="$("$cluster" job-id)"
savepoint="$("$cluster" savepoint-stop "$job")"
echo "setting-change-check: job $job stopped at parallelism 2 (intervals and scoring off) with savepoint $savepoint"
"$cluster" flink run -d -s "$savepoint" "$root/deploy/target/flink-rnn-deploy-0.1.0-SNAPSHOT-job.jar" \
  --model.uri "file://$run/model.avro" --job.parallelism 4 --intervals.coverage 0.9 --anomaly.scoring on \
  "${settings[@]}"
job2="$("$cluster" job-id)"
parallelism="$(curl -sf "$rest/jobs/$job2" | grep -o '"parallelism":[0-9]*' | sed 's/.*://' | sort -n | tail -1)"
echo "setting-change-check: job $job2 restarted from the savepoint with intervals and scoring on; its operators run at parallelism $parallelism"
if [ "$parallelism" != "4" ]; then
  echo "setting-change-check: expected parallelism 4" >&2
  exit 1
fi
"$cli" check produce --bootstrap "$kafka" --keys "$KEYS" --rows "$ROWS" --from "$half" --to "$ROWS" --rate "$RATE"
VERIFY_ARGS="--switched true" verdict "$job2" fresh_parts_agree

#!/usr/bin/env bash
# Failover check on a real multi-process cluster (cluster.sh): produce a known stream, kill -9 a TaskManager
# mid-stream, let Flink restart the job from its last checkpoint (a replacement TaskManager is started too),
# then read the output topic with read_committed and compare with an uninterrupted replay of the same model.
# Last line: lost=N duplicated=N mismatched=N; exit status 0 only if all are 0.
#   failover-check.sh [--state-backend hashmap|rocksdb]   (rocksdb: incremental checkpoints)
#   KEYS (20) ROWS (1500) RATE (1500/s) tune the stream. The model has train's per-key rules, so the guard's linear
#   model and each key's history (a keyed state of its own, written once per 128 rows) go through the kill too;
#   MODEL_ARGS="" checks the bare network instead.
set -euo pipefail
# shellcheck source=check-common.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/check-common.sh" "$@"
KEYS="${KEYS:-20}"; ROWS="${ROWS:-1500}"; RATE="${RATE:-1500}"

MODEL_ARGS="${MODEL_ARGS---per-key true}" start_check
"$cluster" submit --model.uri "file://$run/model.avro" --kafka.bootstrap-servers "$kafka" \
  --checkpoint.interval 2s --job.parallelism 2 --batch.max-latency 20ms --backend.kind java "${state_settings[@]}"
# The kill must come after a checkpoint that covers part of the stream, so the restart restores state rather
# than starting over: wait for the job's first checkpoint, stream, and kill once another has completed.
job="$("$cluster" job-id)"
await_checkpoint "$job" 0 180
"$cli" check produce --bootstrap "$kafka" --keys "$KEYS" --rows "$ROWS" --rate "$RATE" &
producer=$!
sleep $(( KEYS * ROWS / RATE / 2 ))
await_checkpoint "$job" "$(checkpoints_completed "$job")" 60
victim="$("$cluster" busy-tm)"
if [ -z "$victim" ]; then
  echo "failover-check: no TaskManager runs a task of the job" >&2
  exit 1
fi
"$cluster" kill-tm "$victim"
sleep 3
"$cluster" start-tm "$victim"
wait "$producer"
restarts="$(await_failure "$job" 90)"
echo "failover-check: job $job recorded $restarts failure(s) in its exception history"
if [ "$restarts" -lt 1 ]; then
  # The check proves nothing unless the job really lost a TaskManager: fail, do not just warn.
  echo "failover-check: the kill did not reach the job (no failure recorded): the check proved nothing" >&2
  "$cluster" stop >/dev/null 2>&1 || true
  trap - EXIT
  exit 3
fi
verdict "$job"

#!/usr/bin/env bash
# SQL check on a real multi-process cluster (cluster.sh): deploy/sql/rnn-forecast.sql, run by Flink's own SQL
# client (JSON readings from Kafka, RNN_FORECAST with train's per-key rules, JSON forecasts to Kafka exactly once);
# a TaskManager is killed with -9 mid-stream, then the query is stopped with a savepoint and the same SQL restored
# from it for the second half of the stream. Every forecast (read_committed) is compared with an uninterrupted
# replay through the stepper. Last line: lost=N duplicated=N mismatched=N; exit status 0 only if all are 0.
#   sql-check.sh [--state-backend hashmap|rocksdb]   KEYS (12) ROWS (800) RATE (800/s) tune the stream.
set -euo pipefail
# shellcheck source=check-common.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/check-common.sh" "$@"
KEYS="${KEYS:-12}"; ROWS="${ROWS:-800}"; RATE="${RATE:-800}"
half=$(( ROWS / 2 ))

# The example SQL with this run's model, jar and brokers, and the state backend; $2: a savepoint to restore.
write_sql() {
  {
    case "$STATE_BACKEND" in
      rocksdb) printf "%s\n" "SET 'state.backend.type' = 'rocksdb';" "SET 'execution.checkpointing.incremental' = 'true';" ;;
      *) echo "SET 'state.backend.type' = 'hashmap';" ;;
    esac
    if [ -n "${2:-}" ]; then echo "SET 'execution.savepoint.path' = '$2';"; fi
    sed -e "s#\${JOB_JAR}#$root/deploy/target/flink-rnn-deploy-0.1.0-SNAPSHOT-job.jar#" \
        -e "s#\${KAFKA}#$kafka#" -e "s#\${MODEL_URI}#file://$run/model.avro#" "$root/deploy/sql/rnn-forecast.sql"
  } > "$1"
}

produce() {
  "$cli" check produce --bootstrap "$kafka" --keys "$KEYS" --rows "$ROWS" --from "$1" --to "$2" --rate "$RATE" \
    --format json --topic sql-readings
}

MODEL_ARGS="--per-key true" start_check
"$cli" check topics --bootstrap "$kafka" --partitions 4 --topics sql-readings,sql-forecasts
write_sql "$run/forecast.sql"
"$cluster" sql "$run/forecast.sql"
job="$("$cluster" job-id)"
echo "sql-check: the SQL client submitted job $job"
await_checkpoint "$job" 0 180
produce 0 "$half" &
producer=$!
sleep $(( KEYS * half / RATE / 2 ))
await_checkpoint "$job" "$(checkpoints_completed "$job")" 60
victim="$("$cluster" busy-tm)"
"$cluster" kill-tm "$victim"
sleep 3
"$cluster" start-tm "$victim"
wait "$producer"
restarts="$(await_failure "$job" 90)"
echo "sql-check: job $job recorded $restarts failure(s) in its exception history"
if [ "$restarts" -lt 1 ]; then
  echo "sql-check: the kill did not reach the job (no failure recorded): the check proved nothing" >&2
  exit 3
fi
await_checkpoint "$job" "$(checkpoints_completed "$job")" 120
savepoint="$("$cluster" savepoint-stop "$job")"
echo "sql-check: job $job stopped with savepoint $savepoint"
write_sql "$run/forecast-restored.sql" "$savepoint"
"$cluster" sql "$run/forecast-restored.sql"
job2="$("$cluster" job-id)"
echo "sql-check: the same SQL restored from the savepoint as job $job2"
produce "$half" "$ROWS"
VERIFY_ARGS="--format sql-json --topic sql-forecasts" verdict "$job2"

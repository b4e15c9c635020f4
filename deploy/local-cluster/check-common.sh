# Shared by failover-check.sh and rescale-check.sh (sourced, not run): paths, and the start and the verdict
# of a check on the local cluster.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cluster="$here/cluster.sh"
cli="$root/deploy/bin/flink-rnn"
run="$root/deploy/target/local-cluster/run"
kafka="127.0.0.1:19092"
rest="http://127.0.0.1:18081"

# --state-backend hashmap|rocksdb (default hashmap): where the job keeps keyed state. RocksDB runs with
# incremental checkpoints, as production does. Sets state_settings (job settings) and STATE_BACKEND.
STATE_BACKEND=hashmap
while [ $# -gt 0 ]; do
  case "$1" in
    --state-backend) STATE_BACKEND="${2:-}"; shift 2 ;;
    --state-backend=*) STATE_BACKEND="${1#*=}"; shift ;;
    *) echo "$(basename "$0"): unknown option '$1' (options: --state-backend hashmap|rocksdb)" >&2; exit 2 ;;
  esac
done
case "$STATE_BACKEND" in
  hashmap) state_settings=(--state.backend hashmap --state.incremental-checkpoints false) ;;
  rocksdb) state_settings=(--state.backend rocksdb --state.incremental-checkpoints true)
    export MANAGED_FRACTION="${MANAGED_FRACTION:-0.3}" ;;
  *) echo "$(basename "$0"): --state-backend must be hashmap or rocksdb, got '$STATE_BACKEND'" >&2; exit 2 ;;
esac

# Starts the cluster (stopped again on any exit), writes the fixed check model (MODEL_ARGS: more `check model`
# options, e.g. "--per-key true") and creates the topics.
start_check() {
  "$cluster" start
  trap '"$cluster" stop >/dev/null 2>&1 || true' EXIT
  # shellcheck disable=SC2086 # MODEL_ARGS is a list of words
  "$cli" check model --out "$run/model.avro" ${MODEL_ARGS:-}
  "$cli" check topics --bootstrap "$kafka" --partitions 4
}

# Which backend really held the state, from the TaskManagers' logs and the checkpoint statistics: one line
# "state: backend=B rocksdb_instances=N checkpoints_completed=N latest_full_bytes=N latest_uploaded_bytes=N
# incremental_restores=N checkpoint_restores=N" (RocksDB instances built fresh; RocksDB restores from an
# incremental checkpoint; job restarts from a checkpoint, per the JobManager).
# Fails when the backend that ran is not the one asked for.
state_report() {
  local job="$1"
  local opened; opened=$(cat "$run"/log/taskmanager-*.log 2>/dev/null | grep -c "Finished building RocksDB keyed state-backend" || true)
  local restores; restores=$(cat "$run"/log/taskmanager-*.log 2>/dev/null | grep -c "Finished RocksDB incremental recovery" || true)
  local from_checkpoint; from_checkpoint=$(grep -c "Restoring job .* from Checkpoint" "$run/log/jobmanager.log" 2>/dev/null || true)
  local config; config=$(curl -sf "$rest/jobs/$job/checkpoints/config" || echo '{}')
  local stats; stats=$(curl -sf "$rest/jobs/$job/checkpoints" || echo '{}')
  local backend; backend=$(echo "$config" | grep -o '"state_backend":"[^"]*"' | sed 's/.*:"\(.*\)"/\1/')
  local completed; completed=$(echo "$stats" | grep -o '"completed":[0-9]*' | head -1 | sed 's/.*://')
  local latest; latest=$(echo "$stats" | sed 's/.*"latest":{"completed":{//' | sed 's/}.*//')
  local full; full=$(echo "$latest" | grep -o '"state_size":[0-9]*' | head -1 | sed 's/.*://')
  local last; last=$(echo "$latest" | grep -o '"checkpointed_size":[0-9]*' | head -1 | sed 's/.*://')
  echo "state: backend=${backend:-unknown} rocksdb_instances=$opened checkpoints_completed=${completed:-0} latest_full_bytes=${full:-0} latest_uploaded_bytes=${last:-0} incremental_restores=$restores checkpoint_restores=$from_checkpoint"
  case "$STATE_BACKEND:$backend" in
    rocksdb:EmbeddedRocksDBStateBackend) [ "$opened" -ge 1 ] || { echo "state: no RocksDB keyed state backend was built" >&2; return 1; } ;;
    hashmap:HashMapStateBackend) [ "$opened" -eq 0 ] || { echo "state: a RocksDB keyed state backend was built" >&2; return 1; } ;;
    *) echo "state: asked for $STATE_BACKEND, the job ran on '${backend:-unknown}'" >&2; return 1 ;;
  esac
}

# Completed checkpoints of job $1 (0 while the REST API does not answer).
checkpoints_completed() {
  curl -sf "$rest/jobs/$1/checkpoints" | grep -o '"completed":[0-9]*' | head -1 | sed 's/.*://' || echo 0
}

# Failures that job $1 recorded in its exception history (0 while the REST API does not answer).
job_failures() {
  curl -sf "$rest/jobs/$1/exceptions" | grep -o '"exceptionName"' | wc -l || true
}

# Waits until job $1 has recorded a failure, at most $2 seconds (the JobManager may learn of a killed TaskManager only
# when its heartbeats time out, after the input has ended), and prints how many it recorded: 0 when none came.
await_failure() {
  local end=$((SECONDS + $2)) n
  n="$(job_failures "$1")"
  while [ "${n:-0}" -lt 1 ] && [ "$SECONDS" -lt "$end" ]; do
    sleep 1
    n="$(job_failures "$1")"
  done
  echo "${n:-0}"
}

# Waits until job $1 has completed more than $2 checkpoints (at most $3 seconds); fails the check otherwise.
await_checkpoint() {
  local end=$((SECONDS + $3))
  until [ "$(checkpoints_completed "$1")" -gt "$2" ] 2>/dev/null; do
    if [ "$SECONDS" -ge "$end" ]; then
      echo "$(basename "$0"): job $1 completed no checkpoint past $2 in $3 s" >&2; return 1
    fi
    sleep 1
  done
}

# The state parts that the job's TaskManagers logged as started fresh, and those the verify step's replay
# started fresh: one line naming both; fails unless they are the same parts.
fresh_parts_agree() {
  local logged; logged=$(cat "$run"/log/taskmanager-*.log 2>/dev/null | grep -o "statePartsStartedFresh: [^[]*" \
    | sed 's/^[^:]*: //' | tr ',' '\n' | sed 's/^ *//; s/ *$//' | grep -v '^$' | sort -u | paste -sd, - | sed 's/,/, /g')
  local replayed; replayed=$(grep -o "started fresh: .*" "$run/verify.log" | tail -1 | sed 's/^[^:]*: //' \
    | tr ',' '\n' | sed 's/^ *//; s/ *$//' | grep -v '^$' | grep -v '^none$' | sort -u | paste -sd, - | sed 's/,/, /g')
  echo "fresh parts: job=[${logged}] replay=[${replayed}]"
  [ -n "$replayed" ] && [ "$logged" = "$replayed" ]
}

# Reads the output back and judges it against a replay (of job $1; VERIFY_ARGS: more `check verify` options);
# runs the extra check $2 if given; stops the cluster first, so that lost=N duplicated=N mismatched=N is the
# last line, and exits with the verdict's status.
verdict() {
  set +e
  # shellcheck disable=SC2086 # VERIFY_ARGS is a list of words
  "$cli" check verify --bootstrap "$kafka" --model "$run/model.avro" --keys "$KEYS" --rows "$ROWS" --timeout "${VERIFY_TIMEOUT:-240}" \
    ${VERIFY_ARGS:-} > "$run/verify.log" 2>&1
  local status=$?
  # After the read-back, so the checkpoints that made the output visible are counted.
  state_report "$1" || status=4
  if [ -n "${2:-}" ]; then
    "$2" || status=5
  fi
  "$cluster" stop >/dev/null 2>&1
  trap - EXIT
  cat "$run/verify.log"
  exit $status
}

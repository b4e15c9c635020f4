# Shared by failover-check.sh and rescale-check.sh (sourced, not run): paths, and the start and the verdict
# of a check on the local cluster.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cluster="$here/cluster.sh"
cli="$root/deploy/bin/flink-rnn"
run="$root/deploy/target/local-cluster/run"
kafka="127.0.0.1:19092"

# Starts the cluster (stopped again on any exit), writes the fixed check model and creates the topics.
start_check() {
  "$cluster" start
  trap '"$cluster" stop >/dev/null 2>&1 || true' EXIT
  "$cli" check model --out "$run/model.avro"
  "$cli" check topics --bootstrap "$kafka" --partitions 4
}

# Reads the output back and judges it against a replay; stops the cluster first, so that
# lost=N duplicated=N mismatched=N is the last line, and exits with the verdict's status.
verdict() {
  set +e
  "$cli" check verify --bootstrap "$kafka" --model "$run/model.avro" --keys "$KEYS" --rows "$ROWS" --timeout 240 \
    > "$run/verify.log" 2>&1
  local status=$?
  "$cluster" stop >/dev/null 2>&1
  trap - EXIT
  cat "$run/verify.log"
  exit $status
}

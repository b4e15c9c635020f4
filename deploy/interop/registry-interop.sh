#!/usr/bin/env bash
# Interoperability with a serializer written by someone else: Confluent's own JavaScript schema-registry client
# (@confluentinc/schemaregistry, with kafkajs) produces framed readings of its own shape, {sensor_id, ts,
# temperature}, whose schema gains a field after the key half way; the flink-rnn job (input.format and
# output.format avro-registry, fields mapped by name) forecasts them; the same client reads the framed
# forecasts and dead letters back. Everything on loopback: an in-JVM Kafka broker and the testkit's loopback
# registry (LocalStack), a model trained on the spot, the job on a local Flink (deploy/bin/flink-rnn job).
# Needs Java 17, Maven and Node.js 18+ with npm (the packages install from the npm registry into
# deploy/interop/node_modules). Last line: interop sent=N forecasts=N duplicates=0 missing=0 ... verdict=ok
# Usage: deploy/interop/registry-interop.sh [KEYS (10)] [STEPS (100)]
set -euo pipefail
export KAFKAJS_NO_PARTITIONER_WARNING=1
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
keys="${1:-10}"; steps="${2:-100}"
work="$(mktemp -d "${TMPDIR:-/tmp}/flink-rnn-interop.XXXXXX")"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

(cd "$here" && { [ -d node_modules/@confluentinc/schemaregistry ] || npm ci --no-audit --no-fund --loglevel=error; })
"$root/deploy/bin/flink-rnn" job --help > /dev/null   # builds the CLI and its classpath on first use
cp="$root/cli/target/flink-rnn-cli-0.1.0-SNAPSHOT.jar:$root/cli/target/runtime-lib/*"

echo "interop: starting Kafka and the loopback registry"
java -cp "$cp" io.flinkrnn.testkit.LocalStack "$work/stack" readings:2 forecasts:2 dead-letters:1 \
  > "$work/stack.log" 2>&1 &
pids+=($!)
for _ in $(seq 120); do [ -f "$work/stack/stack.env" ] && break; sleep 0.5; done
[ -f "$work/stack/stack.env" ] || { cat "$work/stack.log"; echo "interop: the stack did not start" >&2; exit 1; }
# shellcheck disable=SC1091
source "$work/stack/stack.env"

echo "interop: training a small model on a generated history (one feature: temperature)"
awk -v keys="$keys" 'BEGIN { print "sensor,timestamp,temperature";
  for (s = 0; s < 400; s++) for (k = 0; k < keys; k++) printf "sensor-%d,%d,%.4f\n", k, 1600000000000 + s * 1000, 20 + 5 * sin(s / 7 + k) }' \
  > "$work/history.csv"
"$root/deploy/bin/flink-rnn" train --data "$work/history.csv" --key-column sensor --time-column timestamp \
  --targets temperature --horizon 3 --hidden 8 --window 16 --epochs 2 --time-features none \
  --out "$work/model.avro" > "$work/train.log" 2>&1

echo "interop: starting the job (avro-registry in and out, fields mapped by name)"
"$root/deploy/bin/flink-rnn" job --model.uri "$work/model.avro" --kafka.bootstrap-servers "$BOOTSTRAP" \
  --topics.observations readings --topics.forecasts forecasts --topics.dead-letters dead-letters \
  --input.format avro-registry --registry.url "$REGISTRY" --input.key-field sensor_id --input.time-field ts \
  --input.value-fields temperature --output.format avro-registry --checkpoint.interval 1s \
  --job.parallelism 2 > "$work/job.log" 2>&1 &
pids+=($!)

set +e
(cd "$here" && node interop.mjs "$BOOTSTRAP" "$REGISTRY" "$keys" "$steps")
rc=$?
set -e
if [ "$rc" -ne 0 ]; then
  echo "interop: job log tail:" >&2
  tail -40 "$work/job.log" >&2
fi
exit "$rc"

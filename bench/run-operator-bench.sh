#!/usr/bin/env bash
# The streaming-operator benchmarks of docs/BENCHMARKS.md, on a local MiniCluster (parallelism 2):
#  1. throughput: the RNN operator vs a keyed no-op with a same-sized ValueState<float[]> vs a 64-step
#     window re-run, 10k keys, LSTM H=64 F=1 horizon 1. Runs long enough for steady state: 384 events per
#     key for the operator and the no-op (~6-12 s of streaming, so JIT and kernel warm-up are a small part),
#     256 per key for the window re-run (its windows are full from the 64th event of a key on; the shorter
#     early windows make the baseline look faster than its steady state, never slower);
#  2. sweep: batch.size x batch.max-latency at a fixed offered rate, p50/p99 latency and throughput.
# Usage: bench/run-operator-bench.sh [REPS]   (raw lines in target/operator-bench.txt; REPS operator/no-op
# pairs after a warm-up round, REPS window runs). STATE_BACKEND=rocksdb runs every mode on RocksDB (the operator
# and the no-op alike) and only the throughput pairs.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
reps="${1:-2}"
out="$root/target/operator-bench.txt"
mkdir -p target
[ -f bench/target/classpath.txt ] || mvn -q -B -DskipTests package -pl bench -am
cp="bench/target/classes:$(cat bench/target/classpath.txt)"
export POCL_SIGFPE_HANDLER=0
run() {
  java --add-modules jdk.incubator.vector -Xmx4g -Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.flinkrnn.schemas \
    -cp "$cp" io.flinkrnn.bench.OperatorBench --state-backend "${STATE_BACKEND:-hashmap}" "$@" 2>/dev/null | grep -E '^(events_per_s|latency_p)' | tee -a "$out"
}
: > "$out"
# Operator and no-op alternate in one JVM (round 1 includes JIT warm-up for both; compare rounds 2..):
# pairs measured seconds apart drift less with this shared VM's speed than separate JVMs minutes apart.
run --mode rnn,noop --rounds "$((reps + 1))" --keys 10000 --events 3840000 --parallelism 2 --batch 512 --latency-ms 50
[ "${STATE_BACKEND:-hashmap}" = hashmap ] || exit 0
for rep in $(seq "$reps"); do
  run --mode window --keys 10000 --events 2560000 --parallelism 2 --batch 512 --latency-ms 50
done
for batch in 64 256 1024; do
  for lat in 5 20 100; do
    run --mode rnn --keys 10000 --events 240000 --rate 30000 --parallelism 2 --batch "$batch" --latency-ms "$lat"
  done
done

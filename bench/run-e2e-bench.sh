#!/usr/bin/env bash
# Kafka -> job -> Kafka, exactly-once, three modes alternated in one JVM (docs/BENCHMARKS.md):
#   avro        the job on plain Avro Observations (today's format)
#   registry    the same records in the schema registry's wire format, in and out (loopback registry)
#   passthrough a keyed job that reads, keys and writes the same records with no model: the pipeline's limit
# One in-JVM broker, one loopback registry and a MiniCluster at parallelism 2 share the machine's cores.
# Prints one line per run, e2e_events_per_s=N mode=avro|registry|passthrough round=R ..., then
# e2e_median ... registry_over_avro=X avro_over_passthrough=Y (medians of rounds 2 and on; round 1 warms up).
# After each run's line, e2e_cpu mode=M round=R total_us=... task_us=... source_us=... producer_us=... broker_us=...
# other_java_us=... jit_gc_vm_us=...: the JVM's CPU microseconds per event over the run, by kind of thread (the keyed
# task with its sink writer, the sources, the producers' senders, the broker's request handlers, any other Java
# thread, and the process's time outside Java threads: JIT, GC). It spans the whole execute call, so the cluster's
# start and stop add to other_java and jit_gc_vm but not to the net runtime.
# Usage: bench/run-e2e-bench.sh [EVENTS (1000000)] [ROUNDS (4)] [MODES (avro,registry,passthrough)]
#   raw lines: target/e2e-bench.txt. MODES may add passthrough-forecast (a diagnostic: the passthrough writing a
#   Forecast of the job's size per record, no model), to see what the job's output alone costs.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
events="${1:-1000000}"; rounds="${2:-4}"; modes="${3:-avro,registry,passthrough}"
mkdir -p target
[ -f bench/target/classpath.txt ] || mvn -q -B -DskipTests package -pl bench -am
cp="bench/target/classes:$(cat bench/target/classpath.txt)"
export POCL_SIGFPE_HANDLER=0
java --add-modules jdk.incubator.vector -Xmx4g -Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.flinkrnn.schemas \
  -cp "$cp" io.flinkrnn.bench.KafkaFormatsBench --events "$events" --rounds "$rounds" --modes "$modes" 2>/dev/null \
  | grep --line-buffered -E '^e2e_' | tee "$root/target/e2e-bench.txt"

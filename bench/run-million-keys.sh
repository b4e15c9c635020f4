#!/usr/bin/env bash
# A million keys on RocksDB (docs/BENCHMARKS.md): LSTM 2 layers H=64, incremental checkpoints every 10 s,
# state TTL, three passes over every key (create, update, after the TTL: all expired). Last line:
# million_keys keys=... pass_events_per_s=... heap_peak_mb=... rocksdb_disk_peak_mb=... checkpoint_...=...
# Usage: bench/run-million-keys.sh [KEYS (1000000)] [TTL seconds (60)] [GAP seconds (75)]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
keys="${1:-1000000}"; ttl="${2:-60}"; gap="${3:-75}"
[ -f bench/target/classpath.txt ] || mvn -q -B -DskipTests package -pl bench -am
cp="bench/target/classes:$(cat bench/target/classpath.txt)"
export POCL_SIGFPE_HANDLER=0
java --add-modules jdk.incubator.vector -Xmx2g -Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.flinkrnn.schemas \
  -Dlog4j2.level=WARN -cp "$cp" io.flinkrnn.bench.MillionKeysBench --keys "$keys" --ttl "${ttl}s" --gap "${gap}s" \
  --dir "$root/target/million-keys" 2> >(grep --line-buffered -E '^million-keys' >&2) | tee "$root/target/million-keys.txt"

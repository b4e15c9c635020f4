#!/usr/bin/env bash
# RNN_FORECAST (SQL) beside the DataStream operator, the same model (LSTM H=64, one feature), keys (10k), rows and
# settings (intervals 90 %, scoring on), alternated in one JVM on a local MiniCluster at parallelism 2. Modes: sql
# (the default call: keys kept for good) and datastream (the operator, the same), and with MODES also sql-ttl and
# datastream-ttl (idle keys expire after 7 days: Flink's TTL bookkeeping on every state access). Prints
# events_per_s=N mode=sql|sql-ttl|datastream|datastream-ttl ... per run (raw lines in
# target/sql-bench.txt); round 1 includes the JIT's warm-up, compare rounds 2 and on. STATE_BACKEND=rocksdb runs
# every mode on RocksDB; OBJECT_REUSE=false runs every mode without pipeline.object-reuse (on by default, as the job
# jar runs and the README recommends for the SQL function); RULES=train|train-no-linear puts train's per-key rules
# around the network (OperatorBench's; with the linear model, use KEYS=1000 so that each key refits). Every mode is
# timed by the job's net runtime.
# Usage: bench/run-sql-bench.sh [ROUNDS]   (default 3)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
rounds="${1:-3}"
out="$root/target/sql-bench.txt"
mkdir -p target
[ -f bench/target/classpath.txt ] || mvn -q -B -DskipTests package -pl bench -am
cp="bench/target/classes:$(cat bench/target/classpath.txt)"
java --add-modules jdk.incubator.vector -Xmx4g -Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.flinkrnn.schemas \
  -cp "$cp" io.flinkrnn.bench.SqlBench --mode "${MODES:-sql,datastream}" --rounds "$rounds" --keys "${KEYS:-10000}" \
  --events "${EVENTS:-1000000}" --state-backend "${STATE_BACKEND:-hashmap}" --object-reuse "${OBJECT_REUSE:-true}" \
  --rules "${RULES:-plain}" 2>/dev/null | grep -E '^events_per_s' | tee "$out"

#!/usr/bin/env bash
# A real Flink + Kafka cluster on this machine, from Maven artifacts (no flink-dist download, no Docker):
# one Kafka broker (KRaft), one JobManager and two TaskManagers, each its own JVM process.
#
#   cluster.sh assemble          build the job jar and copy the Flink and Kafka classpaths (once)
#   cluster.sh start             start Kafka, the JobManager and TaskManagers 1 and 2; wait until ready
#   cluster.sh submit ARGS...    flink run -d the job jar with job settings (flink-rnn job --help)
#   cluster.sh kill-tm N         kill -9 TaskManager N        cluster.sh start-tm N   start it again
#   cluster.sh savepoint-stop JOB_ID   stop the job with a savepoint; prints the savepoint path
#   cluster.sh job-id            the running job's id         cluster.sh busy-tm   N of a TaskManager with tasks
#   cluster.sh sql FILE.sql      run a SQL script with Flink's SQL client against the cluster, the job jar on its
#                                classpath (so RNN_FORECAST, the Kafka connector and Avro are there)
#   cluster.sh stop              stop everything
#
# MANAGED_FRACTION (0.05): the TaskManagers' managed memory share; RocksDB lives in it, the heap backend not.
# Ports: Kafka 19092 (controller 19093), Flink REST/web UI 18081, JobManager RPC 16123. Everything lives in
# deploy/target/local-cluster (logs in run/log).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
base="$root/deploy/target/local-cluster"
run="$base/run"
conf="$run/conf"
job_jar="$root/deploy/target/flink-rnn-deploy-0.1.0-SNAPSHOT-job.jar"
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
KAFKA="127.0.0.1:19092"
REST="http://127.0.0.1:18081"
# Every Flink JVM: the Vector API for the Java backend, Avro's trusted package, Java 17's module opens.
jvm_opts="--add-modules jdk.incubator.vector -Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.flinkrnn.schemas --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.time=ALL-UNNAMED"
export POCL_SIGFPE_HANDLER=0

log() { echo "cluster: $*" >&2; }

assemble() {
  if [ ! -f "$job_jar" ] || [ ! -d "$root/cli/target/runtime-lib" ]; then
    log "building the job jar and the CLI (mvn package, tests skipped)"
    (cd "$root" && mvn -q -B -DskipTests -pl cli -am package)
  fi
  for kind in flink kafka sql-client; do
    if [ ! -d "$base/$kind-lib" ]; then
      log "copying the $kind classpath from Maven into $base/$kind-lib"
      mvn -q -B -f "$here/$kind-lib/pom.xml" package -Dlib.dir="$base/$kind-lib"
    fi
  done
}

write_conf() {
  mkdir -p "$conf" "$run/log" "$run/tmp" "$run/checkpoints" "$run/savepoints" "$run/kafka"
  cat > "$conf/config.yaml" <<YAML
jobmanager.rpc.address: 127.0.0.1
jobmanager.rpc.port: 16123
jobmanager.bind-host: 127.0.0.1
jobmanager.memory.process.size: 1024m
taskmanager.bind-host: 127.0.0.1
taskmanager.host: 127.0.0.1
taskmanager.memory.process.size: 1536m
taskmanager.memory.managed.fraction: ${MANAGED_FRACTION:-0.05}
taskmanager.numberOfTaskSlots: 2
cluster.evenly-spread-out-slots: true
rest.address: 127.0.0.1
rest.bind-address: 127.0.0.1
rest.port: 18081
io.tmp.dirs: $run/tmp
web.upload.dir: $run/tmp
web.tmpdir: $run/tmp
state.checkpoints.dir: file://$run/checkpoints
state.savepoints.dir: file://$run/savepoints
execution.checkpointing.externalized-checkpoint-retention: RETAIN_ON_CANCELLATION
restart-strategy.type: fixed-delay
restart-strategy.fixed-delay.attempts: 20
web.checkpoints.history: 1000
restart-strategy.fixed-delay.delay: 2 s
heartbeat.timeout: 10000
heartbeat.interval: 2000
env.java.opts.all: $jvm_opts
YAML
  cat > "$conf/log4j.properties" <<'LOG'
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = file
appender.file.type = File
appender.file.name = file
appender.file.fileName = ${sys:log.file}
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = %d{HH:mm:ss,SSS} %-5p %c{1} - %m%n
logger.metricgroup.name = org.apache.flink.metrics.MetricGroup
logger.metricgroup.level = ERROR
LOG
  cp "$conf/log4j.properties" "$conf/log4j-cli.properties"
  cat > "$run/kafka/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:19093
listeners=PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093
advertised.listeners=PLAINTEXT://127.0.0.1:19092
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$run/kafka/data
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
log.cleaner.dedupe.buffer.size=4194304
auto.create.topics.enable=false
PROPS
}

# java -D options BashJavaUtils computes for a process's memory (STACK.md: "taskmanager.cpu.cores is not set").
resource_params() {
  "$java_bin" -cp "$base/flink-lib/*" org.apache.flink.runtime.util.bash.BashJavaUtils "$1" --configDir "$conf" \
    2>/dev/null | grep '^BASH_JAVA_UTILS_EXEC_RESULT:' | sed 's/^BASH_JAVA_UTILS_EXEC_RESULT://'
}

start_kafka() {
  "$java_bin" -cp "$base/kafka-lib/*" kafka.tools.StorageTool format -t "$(cat /proc/sys/kernel/random/uuid)" \
    -c "$run/kafka/server.properties" --standalone --ignore-formatted > "$run/log/kafka-format.log" 2>&1
  nohup "$java_bin" -Xmx512m -cp "$base/kafka-lib/*" kafka.Kafka "$run/kafka/server.properties" \
    > "$run/log/kafka.log" 2>&1 &
  echo $! > "$run/kafka.pid"
  log "Kafka started (pid $(cat "$run/kafka.pid")), waiting for port 19092"
  wait_for "Kafka" 60 bash -c "exec 3<>/dev/tcp/127.0.0.1/19092" 
}

start_jm() {
  local params; params=$(resource_params GET_JM_RESOURCE_PARAMS)
  # The first and last lines by expansion, not echo | head: under pipefail a head that exits first can fail the
  # start with SIGPIPE (141).
  local jvm="${params%%$'\n'*}"; local dyn="${params##*$'\n'}"
  # shellcheck disable=SC2086
  nohup "$java_bin" $jvm $jvm_opts -Dlog.file="$run/log/jobmanager.log" \
    -Dlog4j.configurationFile="file://$conf/log4j.properties" -cp "$base/flink-lib/*" \
    org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint --configDir "$conf" $dyn \
    > "$run/log/jobmanager.out" 2>&1 &
  echo $! > "$run/jobmanager.pid"
  log "JobManager started (pid $(cat "$run/jobmanager.pid")), web UI $REST"
  wait_for "the JobManager's REST API" 90 curl -sf "$REST/overview"
}

start_tm() {
  local n="$1"
  local params; params=$(resource_params GET_TM_RESOURCE_PARAMS)
  # The first and last lines by expansion, not echo | head: under pipefail a head that exits first can fail the
  # start with SIGPIPE (141).
  local jvm="${params%%$'\n'*}"; local dyn="${params##*$'\n'}"
  # shellcheck disable=SC2086
  nohup "$java_bin" $jvm $jvm_opts -Dlog.file="$run/log/taskmanager-$n.log" \
    -Dlog4j.configurationFile="file://$conf/log4j.properties" -cp "$base/flink-lib/*" \
    org.apache.flink.runtime.taskexecutor.TaskManagerRunner --configDir "$conf" $dyn \
    -D taskmanager.resource-id="tm-$n" > "$run/log/taskmanager-$n.out" 2>&1 &
  echo $! > "$run/taskmanager-$n.pid"
  log "TaskManager $n started (pid $(cat "$run/taskmanager-$n.pid"))"
}

taskmanagers() {
  curl -sf "$REST/taskmanagers" | grep -o '"id":"[^"]*"' | wc -l
}

wait_for() {
  local what="$1" seconds="$2"; shift 2
  local end=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    if [ "$SECONDS" -ge "$end" ]; then log "gave up waiting for $what after ${seconds}s (logs: $run/log)"; return 1; fi
    sleep 1
  done
}

wait_tms() {
  local want="$1"
  wait_for "$want TaskManagers to register" 90 bash -c "[ \$(curl -sf $REST/taskmanagers | grep -o '\"id\":\"[^\"]*\"' | wc -l) -ge $want ]"
  log "$want TaskManagers registered"
}

flink_cli() {
  FLINK_CONF_DIR="$conf" "$java_bin" $jvm_opts -Dlog.file="$run/log/client.log" \
    -Dlog4j.configurationFile="file://$conf/log4j-cli.properties" -cp "$base/flink-lib/*" \
    org.apache.flink.client.cli.CliFrontend "$@"
}

# Flink's SQL client (embedded gateway) on FILE, submitting to this cluster; the job jar added with --jar.
sql_client() {
  local file="$1"; shift
  if [ ! -f "$file" ]; then log "sql: no such file: $file"; return 2; fi
  FLINK_CONF_DIR="$conf" "$java_bin" $jvm_opts -Dlog.file="$run/log/sql-client.log" \
    -Dlog4j.configurationFile="file://$conf/log4j-cli.properties" -cp "$base/flink-lib/*:$base/sql-client-lib/*" \
    org.apache.flink.table.client.SqlClient embedded --jar "$job_jar" -f "$file" "$@"
}

# N of a TaskManager (resource id tm-N) that runs at least one task: the one worth killing.
busy_tm() {
  curl -sf "$REST/taskmanagers" | sed 's/{"id"/\n{"id"/g' | grep '"id":"tm-' \
    | sed 's/.*"id":"tm-\([0-9]*\)".*"slotsNumber":\([0-9]*\).*"freeSlots":\([0-9]*\).*/\1 \2 \3/' \
    | awk '$3 < $2 {print $1; exit}'
}

job_id() {
  curl -sf "$REST/jobs/overview" | grep -o '"jid":"[0-9a-f]*","name":"[^"]*","start-time":[0-9]*,"end-time":-1' \
    | head -1 | sed 's/"jid":"\([0-9a-f]*\)".*/\1/'
}

stop_all() {
  # Every TaskManager with a pid file (whatever its number), then the JobManager and Kafka.
  local pids=("$run"/taskmanager-*.pid "$run/jobmanager.pid" "$run/kafka.pid")
  for f in "${pids[@]}"; do
    if [ -f "$f" ]; then
      kill "$(cat "$f")" 2>/dev/null || true
    fi
  done
  sleep 2
  for f in "${pids[@]}"; do
    if [ -f "$f" ]; then
      kill -9 "$(cat "$f")" 2>/dev/null || true
      rm -f "$f"
    fi
  done
  log "stopped"
}

cmd="${1:-}"; shift || true
case "$cmd" in
  assemble) assemble ;;
  start)
    assemble
    if [ -f "$run/jobmanager.pid" ] && kill -0 "$(cat "$run/jobmanager.pid")" 2>/dev/null; then
      log "already running (cluster.sh stop first)"; exit 1
    fi
    # A cluster just stopped may hold its ports for a few seconds more; after 30 s a port in use is another
    # cluster's, or one a failed run left behind.
    for port in 19092 19093 18081 16123; do
      if ! wait_for "port $port to be free" 30 bash -c "! (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null"; then
        log "port $port is in use (another cluster, or one a failed run left behind?): not starting"; exit 1
      fi
    done
    rm -rf "$run"; write_conf
    # A start that fails half way stops what it started, so no Kafka or JobManager is left holding the ports.
    trap 'log "start failed: stopping what it started"; stop_all' EXIT
    start_kafka; start_jm; start_tm 1; start_tm 2; wait_tms 2
    trap - EXIT ;;
  submit)
    flink_cli run -d "$job_jar" "$@" ;;
  kill-tm)
    n="$1"; pid="$(cat "$run/taskmanager-$n.pid")"; kill -9 "$pid"; log "kill -9 TaskManager $n (pid $pid)" ;;
  start-tm) start_tm "$1" ;;
  wait-tms) wait_tms "$1" ;;
  savepoint-stop)
    flink_cli stop --savepointPath "file://$run/savepoints" "$1" | grep -o 'file:[^ ]*' | tail -1 ;;
  job-id) job_id ;;
  busy-tm) busy_tm ;;
  flink) flink_cli "$@" ;;
  sql) sql_client "$@" ;;
  stop) stop_all ;;
  *) sed -n '2,17p' "$0"; exit 2 ;;
esac

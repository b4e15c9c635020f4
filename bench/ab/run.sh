#!/usr/bin/env bash
# Builds of the Java step side by side in one JVM (BuildAb.java says how). Example, the committed build
# against a saved one, GRU (1024,16,128), 40 rounds of 0.25 s per kind:
#   cp deploy/target/flink-rnn-deploy-0.1.0-SNAPSHOT-job.jar /tmp/before.jar   # before the change
#   ... change, mvn -o -q -DskipTests -pl cli -am package ...
#   bench/ab/run.sh gru 1024 16 128 0.25 40 /tmp/before.jar deploy/target/flink-rnn-deploy-0.1.0-SNAPSHOT-job.jar
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
[ $# -ge 7 ] || { echo "usage: $0 CELL BATCH INPUT HIDDEN SECONDS ROUNDS JAR[@prop=value,...]..." >&2; exit 2; }
jar="$root/deploy/target/flink-rnn-deploy-0.1.0-SNAPSHOT-job.jar"
lib="$root/cli/target/runtime-lib"
[ -f "$jar" ] && [ -d "$lib" ] || { echo "$0: build the job jar first (mvn -q -DskipTests -pl cli -am package)" >&2; exit 2; }
classes="$(mktemp -d)"
trap 'rm -rf "$classes"' EXIT
javac -d "$classes" -cp "$jar" "$root/bench/ab/StepHarness.java" "$root/bench/ab/BuildAb.java"
java --add-modules jdk.incubator.vector ${AB_JAVA_OPTS:-} -cp "$classes" BuildAb "$1" "$2" "$3" "$4" "$5" "$6" "$lib" "${@:7}"

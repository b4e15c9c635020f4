#!/usr/bin/env bash
# Packs what a run on a lent GPU machine needs into .gpu/ (git-ignored; the device tool carries it): a
# jlink'ed JDK (the machine has no Java), the kernels jar and its tests with their runtime jars, the CLI,
# a JUnit launcher, the golden vectors and the ocl-icd loader. Aparapi's JNI jar is cut to its Linux
# x86-64 library (the full jar is 19 MB of Windows and macOS natives). Run bench/gpu/run-on-device.sh there.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
g="$root/.gpu"
rm -rf "$g"
mkdir -p "$g/lib" "$g/launcher" "$g/ocl"
mvn -q -o -B -DskipTests package dependency:build-classpath -pl cli -am \
  -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
for jar in $(tr ':' '\n' < kernels/target/test-classpath.txt); do
  case "$jar" in
    */aparapi-jni-*) cp "$jar" "$g/lib/"; zip -q -d "$g/lib/$(basename "$jar")" 'win/*' 'osx/*' \
        'linux/libaparapi_aarch64.so' 'linux/libaparapi_armhf.so' 'linux/libaparapi_x86.so' ;;
    # log4j-core needs java.desktop (java.beans), 10 MB more of JDK: slf4j-simple logs instead.
    */log4j-*) ;;
    *) cp "$jar" "$g/lib/" ;;
  esac
done
cp kernels/target/flink-rnn-kernels-*-SNAPSHOT.jar kernels/target/flink-rnn-kernels-*-tests.jar "$g/lib/"
cp cli/target/flink-rnn-cli-*-SNAPSHOT.jar stepper/target/flink-rnn-stepper-*-SNAPSHOT.jar models/target/flink-rnn-models-*-SNAPSHOT.jar deploy/target/flink-rnn-deploy-*-SNAPSHOT.jar "$g/lib/"
launcher=$(ls ~/.m2/repository/org/junit/platform/junit-platform-launcher/1.14.1/junit-platform-launcher-1.14.1.jar)
cp "$launcher" ~/.m2/repository/org/slf4j/slf4j-simple/2.0.17/slf4j-simple-2.0.17.jar "$g/lib/"
javac -d "$g/launcher" -cp "$g/lib/*" bench/gpu/GpuTestLauncher.java
cp -r ../shared/golden "$g/golden"
# An older kernels jar to compare with (run-on-device.sh tiers): OLD_KERNELS_JAR=path bench/gpu/pack.sh
if [ -n "${OLD_KERNELS_JAR:-}" ]; then
  mkdir -p "$g/old" && cp "$OLD_KERNELS_JAR" "$g/old/"
fi
cp -L /usr/lib/x86_64-linux-gnu/libOpenCL.so.1 "$g/ocl/libOpenCL.so.1"
# The fewest modules the kernels, their tests (JUnit scans the tests jar through jdk.zipfs) and slf4j load: the device tool carries 64 MiB in all.
jlink --add-modules java.base,java.logging,java.management,java.naming,java.xml,jdk.unsupported,jdk.zipfs,jdk.incubator.vector \
  --strip-debug --no-man-pages --no-header-files --compress=2 --output "$g/jdk"
strip --strip-unneeded "$g/jdk/lib/server/libjvm.so"
du -sh "$g" "$g"/*

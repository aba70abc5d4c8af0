#!/usr/bin/env bash
# JMH micro-benchmarks of hot-path pieces (test scope of gateway-engine), e.g. the balancer decision:
#   bench/jmh.sh                 all benchmarks (PickBenchmark: ~2 min)
#   bench/jmh.sh PickBenchmark   a regex of benchmark names, passed to JMH
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/jdk.sh
mkdir -p bench/work
./mvnw -B -q -pl gateway-engine -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$PWD/bench/work/jmh.classpath" -Dmdep.includeScope=test >&2
cp="gateway-engine/target/test-classes:gateway-engine/target/classes:$(cat bench/work/jmh.classpath)"
"$JAVA_HOME/bin/java" -cp "$cp" org.openjdk.jmh.Main "${1:-.*Benchmark.*}" -rf text -rff bench/work/jmh-result.txt

#!/usr/bin/env bash
# JMH micro-benchmarks of hot-path pieces (test scope of gateway-engine), e.g. the balancer decision:
#   bench/jmh.sh                 all benchmarks (PickBenchmark: ~2 min)
#   bench/jmh.sh PickBenchmark   a regex of benchmark names, then any JMH options, e.g.
#   bench/jmh.sh 'PickBenchmark.inference' -bm sample   per-call percentiles (robust on a busy machine)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/jdk.sh
mkdir -p bench/work
./mvnw -B -q -pl gateway-engine -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$PWD/bench/work/jmh.classpath" -Dmdep.includeScope=test >&2
cp="gateway-engine/target/test-classes:gateway-engine/target/classes:$(cat bench/work/jmh.classpath)"
[ $# -eq 0 ] && set -- '.*Benchmark.*'
"$JAVA_HOME/bin/java" -cp "$cp" org.openjdk.jmh.Main "$@" -rf text -rff bench/work/jmh-result.txt

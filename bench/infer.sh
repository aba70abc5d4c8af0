#!/usr/bin/env bash
# Figure 11 of the benchmark on its own: inference-aware routing over three simulated vLLM engines
# (1x, 1x, 0.4x). Builds the gateway if needed, compiles bench/infer/, runs ~6 min (--quick ~2.5 min).
#   bench/infer.sh          results in bench/results/<date>-<host>-inference.md
#   bench/infer.sh --quick  results in bench/work/results-inference-quick.md
set -euo pipefail
cd "$(dirname "$0")/.."

mode=full
case "${1:-}" in
  "") ;;
  --quick) mode=quick ;;
  -h|--help) sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "bench/infer.sh: unknown option '$1' (use --quick or nothing)" >&2; exit 2 ;;
esac

source scripts/jdk.sh

if [ ! -f gateway-engine/target/atrium-gateway.jar ] || [ -n "$(find shared-model/src gateway-engine/src -newer gateway-engine/target/atrium-gateway.jar -type f 2>/dev/null | head -n1)" ]; then
  echo "bench: building Atrium..." >&2
  ./mvnw -B -q -DskipTests package >&2
fi

mkdir -p bench/work/infer-classes
"$JAVA_HOME/bin/javac" -nowarn -d bench/work/infer-classes bench/infer/*.java
out=bench/results/$(date +%F)-$(hostname)-inference.md
[ "$mode" = quick ] && out=bench/work/results-inference-quick.md
"$JAVA_HOME/bin/java" -XX:+UseSerialGC -cp bench/work/infer-classes InferenceBench "$PWD" "$mode" "$out"

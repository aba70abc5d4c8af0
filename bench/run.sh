#!/usr/bin/env bash
# Atrium benchmark harness: builds the gateway if needed, starts stubs, nginx and Atrium on loopback,
# runs every figure and writes bench/results/<date>-<host>.md. See bench/README.md.
#   bench/run.sh           full run (~15-20 min), results committed under bench/results/
#   bench/run.sh --quick   a few seconds per figure, results in bench/work/results-quick.md
#   bench/run.sh --smoke   starts everything, a few calls through each path, < 60 s; exit 0 = fine
#   bench/run.sh --cluster figure 8 alone (cluster node on Redis vs embedded), ~3 min → bench/work/results-cluster.md
#   bench/run.sh --startup figure 6 alone (the installed package's start-up), ~1-3 min → bench/work/results-startup.md
# Figure 11 (inference-aware routing over simulated vLLM engines) runs last, also alone: bench/infer.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=full
case "${1:-}" in
  "") ;;
  --quick) mode=quick ;;
  --smoke) mode=smoke ;;
  --cluster) mode=cluster ;;
  --startup) mode=startup ;;
  -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "bench/run.sh: unknown option '$1' (use --quick, --smoke, --cluster, --startup or nothing)" >&2; exit 2 ;;
esac

missing=""
tools="wrk nginx taskset"; [ "$mode" = cluster ] && tools="$tools redis-server redis-cli"
for tool in $tools; do command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"; done
if [ -n "$missing" ]; then
  echo "bench/run.sh: missing:$missing — install with: sudo apt-get install wrk nginx-light util-linux" >&2
  exit 2
fi

source scripts/jdk.sh

if [ ! -f gateway-engine/target/atrium-gateway.jar ] || [ -n "$(find shared-model/src gateway-engine/src -newer gateway-engine/target/atrium-gateway.jar -type f 2>/dev/null | head -n1)" ]; then
  echo "bench: building Atrium..." >&2
  ./mvnw -B -q -DskipTests package >&2
fi

mkdir -p bench/work/classes bench/work/logs
"$JAVA_HOME/bin/javac" -nowarn -d bench/work/classes -cp gateway-engine/target/atrium-gateway.jar bench/java/*.java

# 10,000 streams through a proxy need ~20,000 descriptors in it: raise the limit (root may raise the hard one).
want=65536
if [ "$(ulimit -Hn)" != unlimited ] && [ "$(ulimit -Hn)" -lt "$want" ]; then ulimit -Hn "$want" 2>/dev/null || true; fi
ulimit -Sn "$( [ "$(ulimit -Hn)" = unlimited ] && echo "$want" || { h=$(ulimit -Hn); [ "$h" -lt "$want" ] && echo "$h" || echo "$want"; } )"
if [ "$(ulimit -n)" -lt 45000 ] && { [ "$mode" = full ] || [ "$mode" = quick ]; }; then
  echo "bench: warning: open-file limit $(ulimit -n); the 10,000-stream figure needs ~45,000" >&2
fi

# Figure 6 measures the installed package: the .tar.gz installer/build.sh makes (same app image and
# build-time AOT training as the .deb and .rpm). Reuse the newest one that is newer than the jars and
# the packaging sources (installer/target/jpackage from ./mvnw -P installer, or bench/work/package);
# otherwise a full run builds it (build.sh --tgz-only, ~1-2 min) and --quick uses a stale one or skips.
pkg=""; pkg_why=""; pkg_note=""
if [ "$mode" = full ] || [ "$mode" = quick ] || [ "$mode" = startup ]; then
  fresh() {
    [ -f "$1" ] && [ -f console-app/target/atrium-console.jar ] && [ -z "$(find gateway-engine/target/atrium-gateway.jar \
      gateway-engine/target/libs console-app/target/atrium-console.jar installer/build.sh installer/src/jpackage \
      installer/src/tgz installer/src/bin installer/src/deb/root -newer "$1" 2>/dev/null | head -n1)" ]
  }
  newest=$(ls -t installer/target/jpackage/atrium-*-linux-x64.tar.gz bench/work/package/atrium-*-linux-x64.tar.gz 2>/dev/null | head -n1 || true)
  if [ -n "$newest" ] && fresh "$newest"; then
    pkg=$newest
  elif [ "$mode" != quick ]; then
    [ -f console-app/target/atrium-console.jar ] || { echo "bench: building the console for the package..." >&2; ./mvnw -B -q -DskipTests package >&2; }
    echo "bench: building the .tar.gz package for figure 6 (installer/build.sh --tgz-only)..." >&2
    if installer/build.sh --tgz-only --out "$PWD/bench/work/package" > bench/work/logs/package-build.log 2>&1; then
      pkg=$(ls bench/work/package/atrium-*-linux-x64.tar.gz)
    else
      pkg_why="installer/build.sh --tgz-only failed (bench/work/logs/package-build.log)"
      echo "bench: $pkg_why" >&2
    fi
  elif [ -n "$newest" ]; then
    pkg=$newest; pkg_note="; older than the jars or packaging sources (--quick does not rebuild it)"
  else
    pkg_why="--quick found no package (installer/target/jpackage or bench/work/package) and does not build one; a full run does"
  fi
fi

# The orchestrator itself sits on the load generator's CPU (it mostly sleeps).
taskset -c 0 "$JAVA_HOME/bin/java" -XX:+UseSerialGC -Dbench.package="$pkg" -Dbench.package.why="$pkg_why" \
  -Dbench.package.note="$pkg_note" -cp bench/work/classes Bench "$mode" "$PWD"

# Figure 9: the console's live-data path under a day of 1 Hz frames (16 GPUs, 50 tenants), headless.
if { [ "$mode" = full ] || [ "$mode" = quick ]; } && [ -f console-app/target/atrium-console.jar ]; then
  cp="console-app/target/atrium-console.jar:console-app/target/libs/*"
  mkdir -p bench/work/console-classes
  "$JAVA_HOME/bin/javac" -nowarn -d bench/work/console-classes -cp "$cp" bench/console/ConsoleSoak.java
  frames=86400; [ "$mode" = quick ] && frames=7200
  out=bench/results/$(date +%F)-$(hostname)-console.md
  [ "$mode" = quick ] && out=bench/work/results-console-quick.md
  echo "[bench] figure 9: console view models under $frames frames" >&2
  {
    echo "# Atrium console under a day of live frames — $(date +%F), $(hostname)"
    echo
    echo "Figure 9 of the benchmark: $frames frames (one a second = $((frames / 3600)) h) of 16 GPUs, 50 tenants and"
    echo "20 backends through the console's LiveHub and every view model the live feed drives (dashboard,"
    echo "GPUs, live charts, routes, alerts), headless with a direct executor, taskset to CPU 1, default heap."
    echo "ChartFX rendering is not included (it redraws from the same bounded buffers)."
    echo
    taskset -c 1 "$JAVA_HOME/bin/java" -cp "bench/work/console-classes:$cp" ConsoleSoak "$frames"
  } > "$out"
  echo "[bench] figure 9 written to $out" >&2
fi

# Figure 11: inference-aware routing over three simulated vLLM engines (1x, 1x, 0.4x); ~6 min (quick ~2.5).
if [ "$mode" = full ] || [ "$mode" = quick ]; then
  echo "[bench] figure 11: inference-aware routing" >&2
  if [ "$mode" = quick ]; then bench/infer.sh --quick; else bench/infer.sh; fi
fi

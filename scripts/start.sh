#!/usr/bin/env bash
# Starts Atrium on its embedded store, building it first if needed.
# With a desktop (DISPLAY/WAYLAND_DISPLAY set): opens the console, which finds the local gateway or
# starts it in the background (data :8080, admin 127.0.0.1:8081). Without one, or with
# --gateway-only: runs the gateway in the foreground. Other arguments go to the gateway
# (e.g. --config FILE, --data-dir DIR) or, with --console, to the console.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/jdk.sh

mode=auto
args=()
for a in "$@"; do
  case "$a" in
    --gateway-only) mode=gateway ;;
    --console) mode=console ;;
    *) args+=("$a") ;;
  esac
done

stale() { # jar missing or older than any source file of its modules
  local jar=$1; shift
  [ ! -f "$jar" ] || [ -n "$(find "$@" -newer "$jar" -type f 2>/dev/null | head -n1)" ]
}
if stale gateway-engine/target/atrium-gateway.jar shared-model/src gateway-engine/src \
   || stale console-app/target/atrium-console.jar shared-model/src console-app/src; then
  echo "Building Atrium (the first build takes a few minutes)..." >&2
  ./mvnw -B -q -DskipTests -pl shared-model,gateway-engine,console-app -am package >&2
fi

if [ "$mode" = auto ]; then
  if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then mode=console; else mode=gateway; fi
fi
if [ "$mode" = console ]; then
  exec "$JAVA_HOME/bin/java" -jar console-app/target/atrium-console.jar "${args[@]}"
fi
exec "$JAVA_HOME/bin/java" -jar gateway-engine/target/atrium-gateway.jar "${args[@]}"

#!/usr/bin/env bash
# Builds Atrium if needed and starts it on the embedded store: the gateway (data :8080, admin
# 127.0.0.1:8081) in the foreground. Extra arguments go to the gateway (e.g. --config FILE).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/jdk.sh
if [ ! -f gateway-engine/target/atrium-gateway.jar ] || [ -n "$(find shared-model/src gateway-engine/src -newer gateway-engine/target/atrium-gateway.jar -type f 2>/dev/null | head -n1)" ]; then
  echo "Building Atrium (first start takes a few minutes)..." >&2
  ./mvnw -B -q -DskipTests package >&2
fi
exec "$JAVA_HOME/bin/java" -jar gateway-engine/target/atrium-gateway.jar "$@"

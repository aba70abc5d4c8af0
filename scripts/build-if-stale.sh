#!/usr/bin/env bash
# Sourced by Atrium's scripts (after jdk.sh, with ATRIUM_ROOT set): builds the gateway and the
# console jars when one is missing or older than its sources.
atrium_stale() { # jar missing or older than any source file of its modules
  local jar=$1; shift
  [ ! -f "$jar" ] || [ -n "$(find "$@" -newer "$jar" -type f 2>/dev/null | head -n1)" ]
}
atrium_build_if_stale() {
  local r=$ATRIUM_ROOT
  # Only what goes into the jars (src/main, the poms): an edited test needs no rebuild.
  if atrium_stale "$r/gateway-engine/target/atrium-gateway.jar" "$r/shared-model/src/main" "$r/gateway-engine/src/main" \
       "$r/pom.xml" "$r/shared-model/pom.xml" "$r/gateway-engine/pom.xml" \
     || atrium_stale "$r/console-app/target/atrium-console.jar" "$r/shared-model/src/main" "$r/console-app/src/main" \
       "$r/pom.xml" "$r/console-app/pom.xml"; then
    echo "Building Atrium (the first build takes a few minutes)..." >&2
    (cd "$r" && ./mvnw -B -q -DskipTests -pl shared-model,gateway-engine,console-app -am package >&2)
    # Maven keeps a jar whose content did not change, with its old time: mark both as built now.
    touch "$r/gateway-engine/target/atrium-gateway.jar" "$r/console-app/target/atrium-console.jar"
  fi
}

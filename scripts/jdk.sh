#!/usr/bin/env bash
# Sourced by Atrium's scripts: exports JAVA_HOME pointing at a JDK >= 21, or explains what to install.
atrium_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | awk -F'= ' '/java.specification.version/ {split($2, v, "."); print v[1]; exit}'
}
atrium_find_jdk() {
  local candidate major
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    major=$(atrium_java_major "$JAVA_HOME")
    if [ "${major:-0}" -ge 21 ] 2>/dev/null; then echo "$JAVA_HOME"; return; fi
  fi
  # Otherwise the newest JDK >= 21 under /usr/lib/jvm.
  for candidate in /usr/lib/jvm/*; do
    [ -x "$candidate/bin/javac" ] || continue
    major=$(atrium_java_major "$candidate")
    [ "${major:-0}" -ge 21 ] 2>/dev/null && echo "$major $candidate"
  done | sort -rn | head -n1 | cut -d' ' -f2-
}
JAVA_HOME_FOUND=$(atrium_find_jdk)
if [ -z "$JAVA_HOME_FOUND" ]; then
  cat >&2 <<'MSG'
Atrium needs a JDK 21 or newer (25 recommended) and none was found
(checked $JAVA_HOME and /usr/lib/jvm/*).
Install one, for example on Debian/Ubuntu:
    sudo apt-get install openjdk-21-jdk        # or Temurin 25 from adoptium.net
then run this command again (or set JAVA_HOME to the JDK's folder).
MSG
  exit 1
fi
export JAVA_HOME="$JAVA_HOME_FOUND"
export PATH="$JAVA_HOME/bin:$PATH"

#!/usr/bin/env bash
# Runs Atrium's whole test suite: unit, real-socket, store contract (SQLite and a real
# redis-server), robustness, console (TestFX, headless), and the installer: the .deb is built with
# jpackage and checked (metadata, maintainer scripts, unit, a gateway started from the extracted
# package). The .deb part needs fakeroot and dpkg-deb; without them it is skipped with a note.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/jdk.sh
profile=()
if command -v fakeroot >/dev/null && command -v dpkg-deb >/dev/null && [ -x "$JAVA_HOME/bin/jpackage" ]; then
  profile=(-P installer)
else
  echo "test.sh: fakeroot, dpkg-deb or jpackage missing: the .deb is not built (sudo apt-get install fakeroot binutils)" >&2
fi
exec ./mvnw -B "${profile[@]}" verify "$@"

#!/usr/bin/env bash
# Runs Atrium's whole test suite (unit, real-socket, store contract, console, installer checks).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/jdk.sh
exec ./mvnw -B verify "$@"

#!/usr/bin/env bash
# Starts Atrium on its embedded store, building it first if needed. See --help.
set -euo pipefail
ATRIUM_ROOT="$(cd "$(dirname "$0")/.." && pwd)"

usage() {
  cat <<'USAGE'
Usage: scripts/start.sh [--gateway-only | --console] [OPTIONS...]

Starts Atrium from this clone, building it first when the jars are missing or older than the
sources (the first build takes a few minutes).

  (no mode)       with a desktop (DISPLAY or WAYLAND_DISPLAY set): the console, which finds the
                  local gateway or starts it in the background; without one: the gateway
  --gateway-only  the gateway in the foreground (data :8080, admin 127.0.0.1:8081)
  --console       the console
  -h, --help      this help, without building

Every other option goes to the gateway, or with --console to the console, e.g.
  scripts/start.sh --gateway-only --config atrium.yaml --data-dir /srv/atrium
  scripts/start.sh --console --gateway http://gw.hospital.local:8081 --admin-token-file admin.token
Gateway options: --config FILE (YAML configuration), --data-dir DIR (default $ATRIUM_DATA_DIR,
else ~/.local/share/atrium). Relative paths are taken from the current folder.
USAGE
}

mode=auto
args=()
for a in "$@"; do
  case "$a" in
    -h|--help) usage; exit 0 ;;
    --gateway-only) mode=gateway ;;
    --console) mode=console ;;
    *) args+=("$a") ;;
  esac
done

source "$ATRIUM_ROOT/scripts/jdk.sh"
source "$ATRIUM_ROOT/scripts/build-if-stale.sh"
atrium_build_if_stale

if [ "$mode" = auto ]; then
  if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then mode=console; else mode=gateway; fi
fi
if [ "$mode" = console ]; then
  exec "$JAVA_HOME/bin/java" -jar "$ATRIUM_ROOT/console-app/target/atrium-console.jar" "${args[@]}"
fi
exec "$JAVA_HOME/bin/java" -jar "$ATRIUM_ROOT/gateway-engine/target/atrium-gateway.jar" "${args[@]}"

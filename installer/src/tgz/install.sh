#!/bin/sh
# Installs Atrium from this folder (the unpacked atrium-<version>-linux-x64.tar.gz) on a Linux host
# where neither the .deb nor the .rpm fits, with the same layout, service and user as the packages:
#   /opt/atrium (gateway, console, their Java runtime), /usr/bin/atrium*, /etc/atrium/atrium.yaml,
#   /var/lib/atrium (data, secrets), /var/log/atrium, the atrium-gateway systemd unit, user atrium.
# Usage (as root):
#   ./install.sh                 install, or upgrade keeping data, config and secrets
#   ./install.sh --uninstall     stop the service and remove the program; keep config, data, logs
#   ./install.sh --purge         also delete /etc/atrium, /var/lib/atrium, /var/log/atrium, the user
# --root DIR puts everything under DIR and skips users, ownership and services (staging, tests).
set -e

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=
ACTION=install
while [ $# -gt 0 ]; do
    case "$1" in
        --root) ROOT=$2; shift 2 ;;
        --uninstall) ACTION=uninstall; shift ;;
        --purge) ACTION=purge; shift ;;
        -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "install.sh: unknown option $1 (try --help)" >&2; exit 1 ;;
    esac
done
UNIT=atrium-gateway.service
SYSTEM=false
if [ -z "$ROOT" ]; then
    SYSTEM=true
    if [ "$(id -u)" -ne 0 ]; then
        echo "install.sh: run it as root (sudo ./install.sh), or with --root DIR to stage the files" >&2
        exit 1
    fi
fi
systemd_running() { $SYSTEM && [ -d /run/systemd/system ]; }

if [ "$ACTION" != install ]; then
    if systemd_running; then
        systemctl disable --now "$UNIT" >/dev/null 2>&1 || :
    fi
    rm -rf "$ROOT/opt/atrium" "$ROOT/usr/bin/atrium" "$ROOT/usr/bin/atrium-console" "$ROOT/usr/bin/atrium-gateway" \
        "$ROOT/lib/systemd/system/$UNIT" "$ROOT/usr/share/applications/atrium.desktop" \
        "$ROOT"/usr/share/icons/hicolor/*/apps/atrium.png "$ROOT/usr/share/icons/hicolor/scalable/apps/atrium.svg"
    if [ "$ACTION" = purge ]; then
        rm -rf "$ROOT/etc/atrium" "$ROOT/var/lib/atrium" "$ROOT/var/log/atrium"
        if $SYSTEM; then
            getent passwd atrium >/dev/null && userdel atrium || :
            getent group atrium >/dev/null && groupdel atrium || :
        fi
    fi
    if systemd_running; then systemctl daemon-reload || :; fi
    echo "atrium: removed$([ "$ACTION" = purge ] && echo ', with its config, data, logs and user' || echo '; config, data and logs kept (--purge deletes them)')"
    exit 0
fi

upgrade=false
[ -d "$ROOT/opt/atrium" ] && upgrade=true
if $SYSTEM; then
    getent group atrium >/dev/null || groupadd --system atrium
    getent passwd atrium >/dev/null || useradd --system --gid atrium --home-dir /var/lib/atrium --no-create-home \
        --shell "$(command -v nologin || echo /bin/false)" --comment "Atrium LLM gateway" atrium
fi

# The program: replaced as a whole (an upgrade never keeps stale jars).
rm -rf "$ROOT/opt/atrium.new"
mkdir -p "$ROOT/opt"
cp -a "$HERE/atrium" "$ROOT/opt/atrium.new"
rm -rf "$ROOT/opt/atrium"
mv "$ROOT/opt/atrium.new" "$ROOT/opt/atrium"
# Unit, commands, icons, menu entry; the configuration only when there is none (edits are kept).
(cd "$HERE/root" && find . -type d) | while read -r d; do mkdir -p "$ROOT/$d"; done
(cd "$HERE/root" && find . ! -type d ! -path ./etc/atrium/atrium.yaml) | while read -r f; do
    rm -f "$ROOT/$f"
    cp -a "$HERE/root/$f" "$ROOT/$f"
done
if [ -e "$ROOT/etc/atrium/atrium.yaml" ]; then
    cp "$HERE/root/etc/atrium/atrium.yaml" "$ROOT/etc/atrium/atrium.yaml.new"
    echo "atrium: kept your /etc/atrium/atrium.yaml; this version's default is beside it as atrium.yaml.new"
else
    cp "$HERE/root/etc/atrium/atrium.yaml" "$ROOT/etc/atrium/atrium.yaml"
fi
mkdir -p "$ROOT/var/lib/atrium" "$ROOT/var/log/atrium"
chmod 0710 "$ROOT/var/lib/atrium"
chmod 0750 "$ROOT/var/log/atrium" "$ROOT/etc/atrium"
chmod 0640 "$ROOT/etc/atrium/atrium.yaml"
if ! $SYSTEM; then
    echo "atrium: staged in $ROOT"
    exit 0
fi
chown atrium:atrium /var/lib/atrium /var/log/atrium
chown root:atrium /etc/atrium /etc/atrium/atrium.yaml
if [ -n "${SUDO_USER:-}" ] && [ "$SUDO_USER" != root ] && ! $upgrade; then
    usermod -a -G atrium "$SUDO_USER" && echo "atrium: added $SUDO_USER to group atrium (log in again to use it)"
fi
command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q /usr/share/icons/hicolor >/dev/null 2>&1 || :
if systemd_running; then
    systemctl daemon-reload
    if $upgrade; then systemctl try-restart "$UNIT" || :; else systemctl enable --now "$UNIT" || :; fi
    echo "atrium: installed; the gateway runs as $UNIT (journalctl -u atrium-gateway)"
else
    cat <<'NOSYSTEMD'
atrium: installed. systemd is not running here, so the gateway was not started.
  Run it in the foreground:   sudo -u atrium atrium gateway
  or in the background:       sudo -u atrium sh -c 'nohup atrium gateway >>/var/log/atrium/gateway.log 2>&1 &'
NOSYSTEMD
fi

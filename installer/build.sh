#!/usr/bin/env bash
# Builds Atrium's Linux packages with jpackage from the already-built application jars:
#   target/jpackage/app-image/atrium/   app-image (trimmed runtime + both launchers)
#   target/jpackage/atrium_<version>_amd64.deb, atrium-<version>-1.x86_64.rpm (when rpmbuild is
#   installed), atrium-<version>-linux-x64.tar.gz (with install.sh), sizes.txt
# Normally run by Maven: ./mvnw -P installer package   (see README.md in this folder).
# Standalone:  installer/build.sh [--version 0.1.0] [--skip-deb | --tgz-only]
#   --tgz-only: the app image and the .tar.gz only (bench/run.sh's figure 6 measures its install)
# Needs a JDK >= 21 with jpackage (JAVA_HOME), and for the .deb: fakeroot, binutils (objcopy),
# dpkg-dev tools (dpkg-deb, dpkg-shlibdeps is not needed).
set -euo pipefail
log() { echo "build.sh [${SECONDS}s]: $*" >&2; }
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(dirname "$HERE")"

VERSION=""
SKIP_DEB=false
TGZ_ONLY=false
GATEWAY_DIR="$ROOT/gateway-engine/target"
CONSOLE_DIR="$ROOT/console-app/target"
OUT="$HERE/target/jpackage"
while [ $# -gt 0 ]; do
  case "$1" in
    --version) VERSION="$2"; shift 2 ;;
    --skip-deb) SKIP_DEB=true; shift ;;
    --tgz-only) TGZ_ONLY=true; shift ;;
    --gateway-dir) GATEWAY_DIR="$2"; shift 2 ;;
    --console-dir) CONSOLE_DIR="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    *) echo "build.sh: unknown option $1" >&2; exit 64 ;;
  esac
done

source "$ROOT/scripts/jdk.sh"
for tool in jpackage jdeps; do
  [ -x "$JAVA_HOME/bin/$tool" ] || { echo "build.sh: $JAVA_HOME has no $tool (needs a full JDK >= 21)" >&2; exit 1; }
done
if [ -z "$VERSION" ]; then
  # The parent pom's own <version>, the first one after its artifactId.
  VERSION=$(awk '/<artifactId>atrium-parent<\/artifactId>/ {f=1} f && /<version>/ {gsub(/.*<version>|<\/version>.*/, ""); print; exit}' "$ROOT/pom.xml")
fi
# jpackage wants a numeric version; a snapshot build is packaged as its release number.
APP_VERSION="${VERSION%%-*}"

GATEWAY_JAR="$GATEWAY_DIR/atrium-gateway.jar"
CONSOLE_JAR="$CONSOLE_DIR/atrium-console.jar"
for jar in "$GATEWAY_JAR" "$CONSOLE_JAR"; do
  [ -f "$jar" ] || { echo "build.sh: $jar missing: run ./mvnw -DskipTests package first" >&2; exit 1; }
done

rm -rf "$OUT"
INPUT="$OUT/input"
mkdir -p "$INPUT/libs"
cp "$GATEWAY_JAR" "$CONSOLE_JAR" "$INPUT/"
# Both manifests name their libraries as libs/<file>; one shared folder, identical files once.
cp -n "$GATEWAY_DIR"/libs/*.jar "$CONSOLE_DIR"/libs/*.jar "$INPUT/libs/"
# sqlite-jdbc's native library for this machine, unpacked once here into lib/app/native: the
# gateway's launcher points org.sqlite.lib.path at it. Otherwise every start copies it out of the jar
# into java.io.tmpdir, compares it byte by byte and runs `uname -o` (~40 ms of a 1 s start), and a
# server whose /tmp is mounted noexec could not load it at all. Missing, the driver falls back to that.
case "$(uname -m)" in
  x86_64) SQLITE_ARCH=x86_64 ;;
  aarch64) SQLITE_ARCH=aarch64 ;;
  *) SQLITE_ARCH="" ;;
esac
SQLITE_JAR=$(ls "$INPUT"/libs/sqlite-jdbc-*.jar | head -n1)
SQLITE_SO="org/sqlite/native/Linux/$SQLITE_ARCH/libsqlitejdbc.so"
mkdir -p "$OUT/sqlite" "$INPUT/native"
if [ -n "$SQLITE_ARCH" ] && (cd "$OUT/sqlite" && "$JAVA_HOME/bin/jar" xf "$SQLITE_JAR" "$SQLITE_SO") \
    && mv "$OUT/sqlite/$SQLITE_SO" "$INPUT/native/libsqlitejdbc.so"; then
  log "sqlite native library: lib/app/native/libsqlitejdbc.so (Linux/$SQLITE_ARCH)"
else
  log "no sqlite native library for $(uname -m) in $SQLITE_JAR: the gateway will unpack its own at start"
fi
rm -rf "$OUT/sqlite"

# Runtime modules: what jdeps finds in both apps and their libraries, plus what is only reached
# by reflection or service loading (JNDI lookups, EC/TLS providers, sun.misc.Unsafe users,
# management beans, Chinese/English locale data, legacy charsets for upstream payloads).
log "computing runtime modules with jdeps..."
jdeps_modules() {
  "$JAVA_HOME/bin/jdeps" --print-module-deps --ignore-missing-deps -q \
    --multi-release "$("$JAVA_HOME/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')" \
    --class-path "$INPUT/libs/*" "$1"
}
MODULES="$( { jdeps_modules "$INPUT/atrium-gateway.jar"; jdeps_modules "$INPUT/atrium-console.jar"; } | tr ',' '\n' | grep -v '^$' | sort -u | tr '\n' ',')"
MODULES="$(echo "${MODULES}java.naming,jdk.crypto.ec,jdk.unsupported,jdk.management,jdk.localedata,jdk.charsets,jdk.net,jdk.zipfs" \
  | tr ',' '\n' | sort -u | paste -sd, -)"
log "modules: $MODULES"

# Native commands are kept (runtime/bin/java, keytool, jcmd: a few hundred KB): the console
# starts a gateway with java.home/bin/java when none answers, admins use keytool for TLS stores.
ICON="$ROOT/icons/png/atrium-256.png"
COMMON=(--name atrium --app-version "$APP_VERSION" --vendor "Atrium maintainers"
        --description "Atrium LLM gateway and console for hospital GPU rooms"
        --copyright "Copyright (c) 2026 the Atrium authors")

log "jpackage app-image..."
"$JAVA_HOME/bin/jpackage" --type app-image "${COMMON[@]}" \
  --dest "$OUT/app-image" --input "$INPUT" \
  --main-jar atrium-console.jar --main-class org.atrium.console.Launcher \
  --java-options '-XX:+UseG1GC --enable-native-access=ALL-UNNAMED' \
  --icon "$ICON" \
  --add-launcher atrium-gateway="$HERE/src/jpackage/atrium-gateway.properties" \
  --add-modules "$MODULES" \
  --jlink-options '--strip-debug --no-man-pages --no-header-files --include-locales=en,zh'
APP="$OUT/app-image/atrium"

# jpackage puts every jar of --input on every launcher's class path; each app must see only its
# own jar (its manifest Class-Path names its libraries), or the console would load Helidon and
# the gateway JavaFX. Keep the main jar line only.
for cfg in "$APP"/lib/app/*.cfg; do
  main=$(sed -n 's/^app.mainclass=//p' "$cfg")
  case "$main" in
    org.atrium.gateway.Main) own=atrium-gateway.jar ;;
    *) own=atrium-console.jar ;;
  esac
  sed -i -e '/^app.classpath=/d' -e "s|^app.mainclass=.*|app.classpath=\$APPDIR/$own\n&|" "$cfg"
done

# JDK AOT cache for the gateway (JEP 514/515), trained here against the package's own runtime
# and launcher: the gateway is started once with -XX:AOTCacheOutput, brought to /ready, given a
# few admin and data calls, and stopped; the JVM writes the cache on exit. The launcher then
# starts with -XX:AOTCache (AOTMode auto: a missing or stale cache only costs the speed-up).
# ATRIUM_AOT=false skips it.
train_aot_cache() {
  local app=$1 cfg="$1/lib/app/atrium-gateway.cfg" work="$OUT/aot-training" pid ports data admin token i
  rm -rf "$work"; mkdir -p "$work"
  printf 'server:\n  port: 0\n  host: 127.0.0.1\nadmin:\n  port: 0\naccess_log:\n  enabled: false\n' > "$work/atrium.yaml"
  echo 'java-options=-XX:AOTCacheOutput=$APPDIR/atrium-gateway.aot' >> "$cfg"
  "$app/bin/atrium-gateway" --config "$work/atrium.yaml" --data-dir "$work/data" > "$work/gateway.log" 2>&1 &
  pid=$!
  for i in $(seq 1 600); do
    ports=$(sed -n 's/.* ready: data on [^ ]*:\([0-9]*\), admin on [^ ]*:\([0-9]*\),.*/\1 \2/p' "$work/gateway.log")
    [ -n "$ports" ] && break
    kill -0 "$pid" 2>/dev/null || { cat "$work/gateway.log" >&2; echo "build.sh: the gateway did not start for AOT training" >&2; exit 1; }
    sleep 0.2
  done
  data=http://127.0.0.1:${ports% *}; admin=http://127.0.0.1:${ports#* }
  token="Authorization: Bearer $(cat "$work/data/admin.token")"
  for i in 1 2 3; do
    curl -s -o /dev/null "$data/ready"; curl -s -o /dev/null "$data/health"
    curl -s -o /dev/null "$data/v1/models"
    curl -s -o /dev/null -H "$token" "$admin/admin/v1/status"
    curl -s -o /dev/null -H "$token" "$admin/admin/v1/tenants"
    curl -s -o /dev/null -H "$token" -H 'Content-Type: application/json' -d "{\"id\":\"t$i\"}" "$admin/admin/v1/tenants"
    curl -s -o "$work/issued.json" -H "$token" -H 'Content-Type: application/json' \
      -d "{\"tenant\":\"t$i\",\"user\":\"u$i\"}" "$admin/admin/v1/tokens"
    curl -s -o /dev/null -H "Authorization: Bearer $(sed -E 's/.*"token":"([^"]+)".*/\1/' "$work/issued.json")" \
      -H 'Content-Type: application/json' -d '{"model":"none","messages":[]}' "$data/v1/chat/completions"
  done
  kill "$pid"; wait "$pid" || true
  sed -i 's/^java-options=-XX:AOTCacheOutput=.*/java-options=-XX:AOTCache=$APPDIR\/atrium-gateway.aot/' "$cfg"
  [ -s "$app/lib/app/atrium-gateway.aot" ] || { cat "$work/gateway.log" >&2; echo "build.sh: no AOT cache written" >&2; exit 1; }
  rm -rf "$work"
}
if [ "${ATRIUM_AOT:-true}" = true ]; then
  log "training the gateway's AOT cache..."
  train_aot_cache "$APP"
  log "AOT cache: $(du -h "$APP/lib/app/atrium-gateway.aot" | cut -f1)"
fi

# The "atrium" command (gateway, operator commands, console; finds the installed service).
install -m 0755 "$HERE/src/bin/atrium-cli" "$APP/bin/atrium-cli"
# Documentation and the icon set shipped inside the image (share/ is beside bin/ and lib/):
# README.md with docs/ beside it, so its links resolve; this folder's README as INSTALL.md.
mkdir -p "$APP/share/doc/docs" "$APP/share/icons"
cp "$ROOT/README.md" "$APP/share/doc/README.md"
cp "$ROOT"/docs/*.md "$APP/share/doc/docs/"
cp "$HERE/README.md" "$APP/share/doc/INSTALL.md"
cp "$ROOT"/icons/png/atrium-*.png "$ROOT/icons/src/atrium.svg" "$APP/share/icons/"

if $SKIP_DEB; then
  log "app-image in $APP"
  exit 0
fi
$TGZ_ONLY || for tool in fakeroot objcopy dpkg-deb; do
  command -v "$tool" >/dev/null || { echo "build.sh: $tool missing: sudo apt-get install fakeroot binutils" >&2; exit 1; }
done

# What every package puts outside /opt/atrium, under root $1: the systemd unit, the default
# configuration, the commands on PATH and the icons in the hicolor theme (16-512 px and SVG).
system_files() {
  local r=$1 png px
  cp -r "$HERE/src/deb/root/." "$r/"
  mkdir -p "$r/usr/bin"
  ln -sfn /opt/atrium/bin/atrium-cli "$r/usr/bin/atrium"
  ln -sfn /opt/atrium/bin/atrium "$r/usr/bin/atrium-console"
  ln -sfn /opt/atrium/bin/atrium-gateway "$r/usr/bin/atrium-gateway"
  for png in "$ROOT"/icons/png/atrium-*.png; do
    px=$(basename "$png" .png); px=${px#atrium-}
    install -D -m 0644 "$png" "$r/usr/share/icons/hicolor/${px}x${px}/apps/atrium.png"
  done
  install -D -m 0644 "$ROOT/icons/src/atrium.svg" "$r/usr/share/icons/hicolor/scalable/apps/atrium.svg"
  find "$r" -path "$r/DEBIAN" -prune -o -type d -exec chmod 0755 {} +
  chmod 0644 "$r/etc/atrium/atrium.yaml" "$r/lib/systemd/system/atrium-gateway.service"
}
# Sizes as built, for the docs: target/jpackage/sizes.txt (one line per package).
record_size() {
  local file=$1 installed_kib=$2
  awk -v f="$(basename "$file")" -v b="$(stat -c %s "$file")" -v k="$installed_kib" \
    'BEGIN { printf "%s: %d bytes (%.1f MB download), %d KiB installed (%.0f MB)\n", f, b, b / 1e6, k, k * 1024 / 1e6 }' \
    >> "$OUT/sizes.txt"
}

if ! $TGZ_ONLY; then
log "jpackage deb..."
# Uncompressed: it is unpacked and rebuilt below, compressing twice would double the time.
DPKG_DEB_COMPRESSOR_TYPE=none "$JAVA_HOME/bin/jpackage" --type deb "${COMMON[@]}" \
  --app-image "$APP" --dest "$OUT/deb-stage" \
  --resource-dir "$HERE/src/deb/resources" \
  --icon "$ICON" \
  --linux-package-name atrium --linux-app-release 1 --linux-app-category net \
  --linux-deb-maintainer atrium@localhost \
  --linux-package-deps "libgtk-3-0, passwd" \
  --linux-menu-group "System;Monitor;" --linux-shortcut \
  --about-url "https://atrium.invalid/" \
  --license-file "$HERE/src/deb/LICENSE.txt"
JPDEB=$(ls "$OUT"/deb-stage/*.deb)

# jpackage's .deb holds /opt/atrium only. Add what a system service needs outside it, so dpkg
# itself tracks them: the unit in /lib/systemd/system and /etc/atrium/atrium.yaml as a conffile
# (an admin's edits survive upgrades; dpkg asks before replacing them).
log "adding systemd unit and conffile..."
PKG="$OUT/deb-root"
rm -rf "$PKG"
dpkg-deb -R "$JPDEB" "$PKG"
# Everything of the app image, including what jpackage's .deb leaves out (share/, atrium-cli).
cp -rn "$APP/." "$PKG/opt/atrium/"
system_files "$PKG"
echo "/etc/atrium/atrium.yaml" > "$PKG/DEBIAN/conffiles"
chmod 0644 "$PKG/DEBIAN/conffiles"
size=$(du -sk --exclude=DEBIAN "$PKG" | cut -f1)
# One version string: the build's, as the binaries report it (no Debian revision).
sed -i -e "s/^Installed-Size:.*/Installed-Size: $size/" -e "s/^Version:.*/Version: $VERSION/" "$PKG/DEBIAN/control"
( cd "$PKG" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z | xargs -0 md5sum ) > "$PKG/DEBIAN/md5sums"
chmod 0644 "$PKG/DEBIAN/md5sums"
DEB="$OUT/atrium_${VERSION}_amd64.deb"
# xz level 2 (as the .rpm): a few percent bigger than level 6 and several times faster to build,
# which keeps CI within minutes; ATRIUM_DEB_LEVEL=6 for the smallest, ATRIUM_DEB_COMPRESSION=gzip
# for the fastest local tries.
fakeroot dpkg-deb --root-owner-group -Z"${ATRIUM_DEB_COMPRESSION:-xz}" -z"${ATRIUM_DEB_LEVEL:-2}" -b "$PKG" "$DEB" >/dev/null
rm -rf "$PKG" "$OUT/deb-stage"
record_size "$DEB" "$size"
log "$DEB ($(du -h "$DEB" | cut -f1))"

# .rpm from the same app image and system files: our own spec (src/rpm/resources/atrium.spec)
# with jpackage's desktop-menu commands filled in; the unit goes to /usr/lib/systemd/system.
if command -v rpmbuild >/dev/null; then
  log "jpackage rpm..."
  RES="$OUT/rpm-resources"
  SYS="$OUT/rpm-root"
  rm -rf "$RES" "$SYS" "$OUT/rpm-stage"
  mkdir -p "$RES" "$SYS/usr/lib"
  system_files "$SYS"
  mv "$SYS/lib/systemd" "$SYS/usr/lib/systemd"
  rmdir "$SYS/lib"
  cp "$HERE"/src/deb/resources/*.desktop "$RES/"
  sed -e "s|ATRIUM_SYSTEM_ROOT|$SYS|g" -e "s|ATRIUM_APP_IMAGE|$APP|g" "$HERE/src/rpm/resources/atrium.spec" > "$RES/atrium.spec"
  "$JAVA_HOME/bin/jpackage" --type rpm "${COMMON[@]}" \
    --app-image "$APP" --dest "$OUT/rpm-stage" --resource-dir "$RES" --icon "$ICON" \
    --linux-package-name atrium --linux-app-release 1 --linux-app-category "Applications/System" \
    --linux-package-deps "gtk3, xdg-utils" --linux-menu-group "System;Monitor;" --linux-shortcut \
    --about-url "https://atrium.invalid/" --license-file "$HERE/src/deb/LICENSE.txt"
  RPM="$OUT/$(basename "$(ls "$OUT"/rpm-stage/*.rpm)")"
  mv "$OUT"/rpm-stage/*.rpm "$RPM"
  record_size "$RPM" "$(rpm -qp --qf '%{SIZE}' "$RPM" 2>/dev/null | awk '{print int($1 / 1024)}')"
  rm -rf "$RES" "$SYS" "$OUT/rpm-stage"
  log "$RPM ($(du -h "$RPM" | cut -f1))"
else
  log "rpmbuild missing: no .rpm (sudo apt-get install rpm)"
fi
fi # TGZ_ONLY

# Plain .tar.gz for hosts where neither fits: the app image, the same system files, install.sh.
log "tar.gz..."
TGZ="atrium-${VERSION}-linux-x64"
rm -rf "$OUT/tgz-stage"
mkdir -p "$OUT/tgz-stage/$TGZ/root/usr/share/applications"
cp -a "$APP" "$OUT/tgz-stage/$TGZ/atrium"
system_files "$OUT/tgz-stage/$TGZ/root"
sed -e 's|^Exec=APPLICATION_LAUNCHER|Exec=/opt/atrium/bin/atrium|' "$HERE/src/deb/resources/atrium.desktop" \
  > "$OUT/tgz-stage/$TGZ/root/usr/share/applications/atrium.desktop"
install -m 0755 "$HERE/src/tgz/install.sh" "$OUT/tgz-stage/$TGZ/install.sh"
tar -C "$OUT/tgz-stage" --owner=0 --group=0 -czf "$OUT/$TGZ.tar.gz" "$TGZ"
record_size "$OUT/$TGZ.tar.gz" "$(du -sk "$OUT/tgz-stage/$TGZ" | cut -f1)"
rm -rf "$OUT/tgz-stage"
log "$OUT/$TGZ.tar.gz ($(du -h "$OUT/$TGZ.tar.gz" | cut -f1))"

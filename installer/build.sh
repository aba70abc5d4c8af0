#!/usr/bin/env bash
# Builds Atrium's Linux packages with jpackage from the already-built application jars:
#   target/jpackage/app-image/atrium/   app-image (trimmed runtime + both launchers)
#   target/jpackage/atrium_<version>_amd64.deb
# Normally run by Maven: ./mvnw -P installer package   (see README.md in this folder).
# Standalone:  installer/build.sh [--version 0.1.0] [--skip-deb]
# Needs a JDK >= 21 with jpackage (JAVA_HOME), and for the .deb: fakeroot, binutils (objcopy),
# dpkg-dev tools (dpkg-deb, dpkg-shlibdeps is not needed).
set -euo pipefail
log() { echo "build.sh [${SECONDS}s]: $*" >&2; }
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(dirname "$HERE")"

VERSION=""
SKIP_DEB=false
GATEWAY_DIR="$ROOT/gateway-engine/target"
CONSOLE_DIR="$ROOT/console-app/target"
OUT="$HERE/target/jpackage"
while [ $# -gt 0 ]; do
  case "$1" in
    --version) VERSION="$2"; shift 2 ;;
    --skip-deb) SKIP_DEB=true; shift ;;
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

# Documentation and the icon set shipped inside the image (share/ is beside bin/ and lib/).
mkdir -p "$APP/share/doc" "$APP/share/icons"
cp "$HERE/README.md" "$APP/share/doc/README.md"
[ -f "$ROOT/README.md" ] && cp "$ROOT/README.md" "$APP/share/doc/ATRIUM.md"
cp "$ROOT"/icons/png/atrium-*.png "$ROOT/icons/src/atrium.svg" "$APP/share/icons/"

if $SKIP_DEB; then
  log "app-image in $APP"
  exit 0
fi
for tool in fakeroot objcopy dpkg-deb; do
  command -v "$tool" >/dev/null || { echo "build.sh: $tool missing: sudo apt-get install fakeroot binutils" >&2; exit 1; }
done

log "jpackage deb..."
# Uncompressed: it is unpacked and rebuilt below, compressing twice would double the time.
DPKG_DEB_COMPRESSOR_TYPE=none "$JAVA_HOME/bin/jpackage" --type deb "${COMMON[@]}" \
  --app-image "$APP" --dest "$OUT/deb-stage" \
  --resource-dir "$HERE/src/deb/resources" \
  --icon "$ICON" \
  --linux-package-name atrium --linux-app-release 1 --linux-app-category net \
  --linux-deb-maintainer atrium@localhost \
  --linux-package-deps "libgtk-3-0, passwd" \
  --linux-menu-group "System;Monitor;Network;" --linux-shortcut \
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
cp -r "$HERE/src/deb/root/." "$PKG/"
mkdir -p "$PKG/usr/bin"
ln -s /opt/atrium/bin/atrium "$PKG/usr/bin/atrium-console"
ln -s /opt/atrium/bin/atrium-gateway "$PKG/usr/bin/atrium-gateway"
echo "/etc/atrium/atrium.yaml" > "$PKG/DEBIAN/conffiles"
find "$PKG" -path "$PKG/DEBIAN" -prune -o -type d -exec chmod 0755 {} +
chmod 0644 "$PKG/etc/atrium/atrium.yaml" "$PKG/lib/systemd/system/atrium-gateway.service" "$PKG/DEBIAN/conffiles"
size=$(du -sk --exclude=DEBIAN "$PKG" | cut -f1)
sed -i "s/^Installed-Size:.*/Installed-Size: $size/" "$PKG/DEBIAN/control"
( cd "$PKG" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z | xargs -0 md5sum ) > "$PKG/DEBIAN/md5sums"
chmod 0644 "$PKG/DEBIAN/md5sums"
DEB="$OUT/$(basename "$JPDEB")"
# xz -6 is the smallest; ATRIUM_DEB_COMPRESSION=gzip builds several times faster for local tries.
fakeroot dpkg-deb --root-owner-group -Z"${ATRIUM_DEB_COMPRESSION:-xz}" -b "$PKG" "$DEB" >/dev/null
rm -rf "$PKG" "$OUT/deb-stage"
log "$DEB ($(du -h "$DEB" | cut -f1))"

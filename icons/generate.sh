#!/usr/bin/env bash
# Regenerates every bitmap in icons/ from the hand-written SVG sources:
#   png/atrium-{16..512}.png, atrium.ico (16-256, PNG-compressed entries), atrium.icns (16-512).
# 16 and 24 px come from src/atrium-small.svg (grid-snapped, no fine detail); 32 px and up from
# src/atrium.svg. Needs Debian's librsvg2-bin (rsvg-convert), imagemagick and icnsutils (png2icns):
#   sudo apt-get install librsvg2-bin imagemagick icnsutils
set -euo pipefail
cd "$(dirname "$0")"

need() { command -v "$1" >/dev/null 2>&1 || { echo "generate.sh: $1 missing (apt-get install $2)" >&2; exit 1; }; }
need rsvg-convert librsvg2-bin
need png2icns icnsutils
# Find a real ImageMagick (a `convert` earlier on PATH may be something else).
IM=""
for c in magick convert-im6.q16 convert; do
  if command -v "$c" >/dev/null 2>&1 && "$c" -version 2>/dev/null | grep -q '^Version: ImageMagick'; then IM=$c; break; fi
done
[ -n "$IM" ] || { echo "generate.sh: ImageMagick missing (apt-get install imagemagick)" >&2; exit 1; }

mkdir -p png
for size in 16 24 32 48 64 128 256 512; do
  src=src/atrium.svg
  [ "$size" -le 24 ] && src=src/atrium-small.svg
  rsvg-convert --width "$size" --height "$size" --keep-aspect-ratio "$src" --output "png/atrium-$size.png"
done

# Windows: one .ico with the sizes Explorer and the taskbar ask for (256 stored as PNG).
"$IM" png/atrium-16.png png/atrium-24.png png/atrium-32.png png/atrium-48.png \
      png/atrium-64.png png/atrium-128.png png/atrium-256.png \
      -define png:exclude-chunks=date,time atrium.ico

# macOS: .icns with the standard 16/32/48/128/256/512 images.
png2icns atrium.icns png/atrium-16.png png/atrium-32.png png/atrium-48.png \
         png/atrium-128.png png/atrium-256.png png/atrium-512.png >/dev/null

echo "icons regenerated: $(ls png | tr '\n' ' ')atrium.ico atrium.icns"

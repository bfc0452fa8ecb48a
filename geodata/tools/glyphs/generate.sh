#!/usr/bin/env bash
# Regenerates the wall's glyph PBFs in web/public/fonts from Debian's Noto Sans (fonts-noto-core,
# SIL OFL 1.1), with the licence beside them. See README.md. Run from anywhere:
#
#   geodata/tools/glyphs/generate.sh            # Noto Sans Regular and Bold, the ranges below
#   RANGES=0-255,7680-7935 geodata/tools/glyphs/generate.sh
#
# Needs Rust and a C compiler (FreeType is built from source by the freetype crate). The tool is
# built in a temporary target directory that is removed afterwards.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
OUT="$ROOT/web/public/fonts"
FONT_DIR=${FONT_DIR:-/usr/share/fonts/truetype/noto}
FONTS=("$FONT_DIR/NotoSans-Regular.ttf" "$FONT_DIR/NotoSans-Bold.ttf")
COPYRIGHT=${COPYRIGHT:-/usr/share/doc/fonts-noto-core/copyright}
# Basic Latin + Latin-1, Latin Extended-A (ă đ ĩ ũ ơ ư), Latin Extended-B and IPA, combining
# marks (for text not in NFC), Latin Extended Additional (ạ ả ấ … ỹ), general punctuation (– …).
RANGES=${RANGES:-0-255,256-511,512-767,768-1023,7680-7935,8192-8447}

for f in "${FONTS[@]}" "$COPYRIGHT"; do
	[ -f "$f" ] || { echo "missing $f: apt-get install -y fonts-noto-core" >&2; exit 1; }
done

TARGET=$(mktemp -d "${TMPDIR:-/tmp}/switchboard-glyphs-target.XXXXXX")
trap 'rm -rf "$TARGET"' EXIT
cargo build --release --locked --manifest-path "$HERE/Cargo.toml" --target-dir "$TARGET"

rm -rf "$OUT"
mkdir -p "$OUT"
"$TARGET/release/switchboard-glyphs" --out "$OUT" --ranges "$RANGES" "${FONTS[@]}"

# The OFL asks for the copyright notice and the licence next to every copy of the font
# (the glyph PBFs are a Modified Version of it): both from Debian's copyright file.
{
	version=$(dpkg-query -W -f='${Version}' fonts-noto-core 2>/dev/null || echo '(version unknown)')
	echo "Noto Sans (NotoSans-Regular.ttf, NotoSans-Bold.ttf) from Debian's fonts-noto-core $version,"
	echo "rendered to SDF glyph PBFs by geodata/tools/glyphs (ranges $RANGES)."
	echo
	echo "Copyright 2010, 2012-2020 Google Inc.; 2015-2020 Google LLC."
	echo "This Font Software is licensed under the SIL Open Font License, Version 1.1."
	echo
	# The stand-alone `License: OFL-1.1` paragraph: indented lines, ` .` for a blank line.
	awk 'prev == "" && /^License: OFL-1.1$/ { on = 1 } { prev = $0 } on == 1 { on = 2; next }
		on && !/^ / { exit } on { sub(/^ /, ""); if ($0 == ".") $0 = ""; print }' "$COPYRIGHT"
} >"$OUT/OFL.txt"

du -b "$OUT"/*/*.pbf | sed "s|$OUT/||"

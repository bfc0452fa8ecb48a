// The fonts of every map: the text is drawn from SDF glyph PBFs that the server itself serves at
// `/fonts/{fontstack}/{start}-{end}.pbf` (src/http/web.rs), out of web/public/fonts: Noto Sans
// Regular and Bold, only the Unicode ranges Vietnamese and English need (Latin, Latin Extended
// A/B, combining marks, Latin Extended Additional ạ…ỹ, punctuation). A label using any other
// range gets a 404 for it and MapLibre leaves those characters out. To regenerate or add a
// range: geodata/tools/glyphs/generate.sh (see its README). MapLibre needs an absolute glyphs
// URL, so the page passes its origin in.

/** Font stacks the server has glyphs for (web/public/fonts). */
export const FONT_REGULAR = 'Noto Sans Regular';
export const FONT_BOLD = 'Noto Sans Bold';

/** The style's `glyphs` URL template for a page served from `origin` (e.g. `location.origin`). */
export function glyphsUrl(origin: string): string {
  return `${origin.replace(/\/$/, '')}/fonts/{fontstack}/{range}.pbf`;
}

// Diacritics-insensitive matching, the same rules as the server's place search
// (src/service/places.rs): lower case, no diacritics (đ → d), punctuation as spaces, single-spaced.
// "Chợ Hàn" and "cho han" fold alike, so operators can type without Vietnamese input methods.

/** "Đường Trần Phú" → "duong tran phu". */
export function fold(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * How well folded `name` matches folded `query` (lower is better), or null: 0 the whole name,
 * 1 its start, 2 the start of a word, 3 every query word starts a word of the name, 4 every query
 * word is inside the name.
 */
export function rank(name: string, query: string): number | null {
  if (!query) return null;
  if (name === query) return 0;
  if (name.startsWith(query)) return 1;
  if (name.includes(` ${query}`)) return 2;
  const words = name.split(' ');
  const tokens = query.split(' ');
  if (tokens.every((t) => words.some((w) => w.startsWith(t)))) return 3;
  return tokens.every((t) => name.includes(t)) ? 4 : null;
}

/**
 * The items whose names (any of them: Vietnamese, English, code…) match `query`, best first; ties
 * keep the items' order. An empty query keeps every item in order.
 */
export function search<T>(items: readonly T[], names: (item: T) => string[], query: string, limit = Infinity): T[] {
  const q = fold(query);
  if (!q) return items.slice(0, limit);
  const hits: { item: T; r: number; i: number }[] = [];
  items.forEach((item, i) => {
    const ranks = names(item).map((n) => rank(fold(n), q)).filter((r): r is number => r !== null);
    if (ranks.length) hits.push({ item, r: Math.min(...ranks), i });
  });
  hits.sort((a, b) => a.r - b.r || a.i - b.i);
  return hits.slice(0, limit).map((h) => h.item);
}

// Tracking links: the code and the secret token of a citizen's report in the page's hash, so
// the link alone shows the report's progress.

/** `#track/CODE/TOKEN` → the code and token of a tracking link. */
export function parseTrackHash(hash: string): { code: string; token: string } | null {
  const m = /^#track\/([A-Za-z0-9-]{1,32})\/([A-Za-z0-9_-]{1,64})$/.exec(hash);
  return m ? { code: decodeURIComponent(m[1]).toUpperCase(), token: m[2] } : null;
}

export function trackLink(origin: string, code: string, token: string): string {
  return `${origin}/#track/${encodeURIComponent(code)}/${token}`;
}

// What the offices' pages (display board, kiosk, counter) share: the office in the path and the
// Vietnam clock.

/** The office from the page's path: `/display/DN-HCC` or `/kiosk/DN-HCC` → `DN-HCC`. */
export function officeFromPath(path: string): string | null {
  const m = /^\/(?:display|kiosk)\/([A-Z0-9-]{2,32})\/?$/.exec(path);
  return m ? m[1] : null;
}

/** `HH:MM:SS` in Vietnam time. */
export function clock(now: Date): string {
  return new Intl.DateTimeFormat('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }).format(now);
}

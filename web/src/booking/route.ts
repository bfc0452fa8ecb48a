// Which part of the page an address names (the server sends booking.html for all of them):
// the stepper (`/dat-lich`, `/booking`, `?procedure=CODE`), one booking (`/dat-lich/{code}?token=T`)
// or today's queue of an office (`/lay-so/{office}`).

export type Route =
  | { page: 'book'; procedure: string | null }
  | { page: 'manage'; code: string; token: string | null }
  | { page: 'queue'; office: string }
  | { page: 'unknown' };

export function route(pathname: string, search: string): Route {
  const q = new URLSearchParams(search);
  if (/^\/(?:dat-lich|booking)\/?$/.test(pathname)) return { page: 'book', procedure: q.get('procedure')?.trim() || null };
  let m = /^\/(?:dat-lich|booking)\/([^/]+)\/?$/.exec(pathname);
  if (m) return { page: 'manage', code: decodeURIComponent(m[1]).toUpperCase(), token: q.get('token') };
  m = /^\/lay-so\/([^/]+)\/?$/.exec(pathname);
  if (m) return { page: 'queue', office: decodeURIComponent(m[1]) };
  return { page: 'unknown' };
}

/** The manage link of a booking (path and query; prefix with the origin to share it). */
export const manageHref = (code: string, token: string) =>
  `/dat-lich/${encodeURIComponent(code)}?token=${encodeURIComponent(token)}`;

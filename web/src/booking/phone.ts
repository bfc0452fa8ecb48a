// Vietnamese phone numbers as people type them (`0905 123 456`, `+84 905 123 456`,
// `(+84) 905.123.456`): a light check before sending — the server decides.

/** The national form (`0905123456`) of a typed number, or null when it can't be one. */
export function normalisePhone(typed: string): string | null {
  let s = typed.trim().replace(/[\s.\-()]/g, '');
  if (s.startsWith('+84')) s = `0${s.slice(3)}`;
  else if (s.startsWith('0084')) s = `0${s.slice(4)}`;
  else if (/^84\d{9}$/.test(s)) s = `0${s.slice(2)}`;
  // Mobiles have 10 digits (03x, 05x, 07x, 08x, 09x); landlines 11 (0236 …).
  return /^0\d{9,10}$/.test(s) ? s : null;
}

/** Whether a national number looks like a mobile (which can receive the SMS). */
export const isMobile = (national: string) => /^0[35789]\d{8}$/.test(national);

/** A national number grouped for reading: `0905 123 456`, `0236 3822 222`. */
export function displayPhone(national: string): string {
  if (/^0\d{9}$/.test(national)) return `${national.slice(0, 4)} ${national.slice(4, 7)} ${national.slice(7)}`;
  if (/^0\d{10}$/.test(national)) return `${national.slice(0, 4)} ${national.slice(4, 8)} ${national.slice(8)}`;
  return national;
}

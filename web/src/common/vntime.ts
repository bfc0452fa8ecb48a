// Vietnam wall time (UTC+7 all year, no daylight saving) of an instant, for the pages that show
// days and times of bookings, slots and numbers.

const VN_OFFSET_MS = 7 * 3600 * 1000;
const pad = (n: number) => String(n).padStart(2, '0');

/** The instant shifted so that its UTC fields read Vietnam wall time. */
const vn = (instant: Date | string | number) => new Date(new Date(instant).getTime() + VN_OFFSET_MS);

/** The Vietnam date (`YYYY-MM-DD`) of an instant. */
export function vnDay(instant: Date | string | number): string {
  const d = vn(instant);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** `HH:MM`, Vietnam time, of an instant. */
export function vnTime(instant: Date | string | number): string {
  const d = vn(instant);
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

// The queue number a citizen follows, kept on the device (localStorage, one per office) so a
// reload keeps following it; a number from an earlier day is forgotten.

import { vnDay } from './calendar';

export interface Followed { id: string; token: string; office: string; issued_at: string }

type Store = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
const key = (office: string) => `queue:${office}`;

/** The number followed at `office`, if it was taken today (Vietnam date at `now`). */
export function loadFollowed(store: Store, office: string, now: Date): Followed | null {
  let f: Partial<Followed> | null = null;
  try {
    f = JSON.parse(store.getItem(key(office)) ?? 'null') as Partial<Followed> | null;
  } catch {
    f = null;
  }
  if (!f || typeof f.id !== 'string' || typeof f.token !== 'string' || typeof f.issued_at !== 'string' || f.office !== office) return null;
  if (vnDay(f.issued_at) !== vnDay(now)) {
    store.removeItem(key(office));
    return null;
  }
  return f as Followed;
}

export const saveFollowed = (store: Store, f: Followed) => store.setItem(key(f.office), JSON.stringify(f));
export const forgetFollowed = (store: Store, office: string) => store.removeItem(key(office));

/** Whether a number's story is over (nothing more to follow). */
export const isFinal = (status: string) => status === 'served' || status === 'no_show';

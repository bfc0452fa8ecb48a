import { describe, expect, it } from 'vitest';
import { forgetFollowed, isFinal, loadFollowed, saveFollowed } from './queueStore';

function memory() {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), removeItem: (k: string) => void m.delete(k), m };
}

describe('the queue number kept on the device', () => {
  const f = { id: 'b1c2', token: 'tok', office: 'DN-HCC', issued_at: '2026-12-07T01:00:00Z' };

  it('is followed again after a reload the same day', () => {
    const s = memory();
    saveFollowed(s, f);
    expect(loadFollowed(s, 'DN-HCC', new Date('2026-12-07T09:00:00Z'))).toEqual(f);
    expect(loadFollowed(s, 'DN-HC-MC', new Date('2026-12-07T09:00:00Z'))).toBeNull();
  });

  it('is forgotten the next day (Vietnam date), or when broken', () => {
    const s = memory();
    saveFollowed(s, f);
    expect(loadFollowed(s, 'DN-HCC', new Date('2026-12-07T17:00:00Z'))).toBeNull();
    expect(s.m.size).toBe(0);
    s.setItem('queue:DN-HCC', '{not json');
    expect(loadFollowed(s, 'DN-HCC', new Date('2026-12-07T09:00:00Z'))).toBeNull();
    saveFollowed(s, f);
    forgetFollowed(s, 'DN-HCC');
    expect(s.m.size).toBe(0);
  });

  it('ends with served or no-show, not with a transfer', () => {
    expect(isFinal('served')).toBe(true);
    expect(isFinal('no_show')).toBe(true);
    expect(isFinal('transferred')).toBe(false);
    expect(isFinal('called')).toBe(false);
  });
});

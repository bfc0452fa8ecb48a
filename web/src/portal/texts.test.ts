import { describe, expect, it } from 'vitest';
import { EVENT_TEXT, STATUS_TEXT, TEXTS } from './texts';
import { parseTrackHash, trackLink } from './track';

describe('portal texts', () => {
  it('has every text in Vietnamese and English', () => {
    for (const [k, v] of Object.entries({ ...TEXTS, ...STATUS_TEXT, ...EVENT_TEXT })) {
      expect(v.vi.trim(), k).not.toBe('');
      expect(v.en.trim(), k).not.toBe('');
    }
  });

  it('writes Vietnamese with its diacritics, in precomposed form', () => {
    expect(TEXTS.tabTrack.vi).toBe('Tra cứu');
    for (const v of Object.values(TEXTS)) expect(v.vi).toBe(v.vi.normalize('NFC'));
  });

  it('names every status and event the server sends', () => {
    for (const s of ['received', 'assigned', 'accepted', 'in_progress', 'returned', 'resolved', 'closed', 'rejected', 'duplicate']) {
      expect(STATUS_TEXT[s], s).toBeDefined();
    }
    expect(EVENT_TEXT['ticket.reopened'].vi).toBe('Mở lại');
  });
});

describe('tracking links', () => {
  it('round-trip the code and token', () => {
    const link = trackLink('https://1022.danang.gov.vn', 'DN-2611-000123', 'aB3_-x');
    expect(link).toBe('https://1022.danang.gov.vn/#track/DN-2611-000123/aB3_-x');
    expect(parseTrackHash(new URL(link).hash)).toEqual({ code: 'DN-2611-000123', token: 'aB3_-x' });
  });

  it('refuse anything else', () => {
    for (const h of ['', '#track', '#track/DN/', '#track/DN-1/<script>', '#report']) expect(parseTrackHash(h), h).toBeNull();
  });
});

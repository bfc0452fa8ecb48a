import { describe, expect, it } from 'vitest';
import { fold, rank, search } from './fold';

describe('fold', () => {
  it('drops diacritics, case and punctuation like the server', () => {
    expect(fold('Đường Trần Phú')).toBe('duong tran phu');
    expect(fold('  Chợ   HÀN! ')).toBe('cho han');
    expect(fold('Nhà thờ Chính tòa Đà Nẵng (Nhà thờ Con Gà)')).toBe('nha tho chinh toa da nang nha tho con ga');
    expect(fold('Công viên 29/3')).toBe('cong vien 29 3');
    expect(fold('Ho\u0300a')).toBe(fold('Hòa'));
    expect(fold('Ổ gà, ngập úng')).toBe('o ga ngap ung');
  });
});

describe('rank', () => {
  it('prefers whole names, then prefixes, word starts and fragments', () => {
    expect(rank('cho han', 'cho han')).toBe(0);
    expect(rank('cho han', 'cho')).toBe(1);
    expect(rank('duong tran phu', 'tran phu')).toBe(2);
    expect(rank('duong tran phu', 'tr ph')).toBe(3);
    expect(rank('thanh khe', 'han')).toBe(4);
    expect(rank('cho con', 'han')).toBeNull();
    expect(rank('cho han', '')).toBeNull();
  });
});

describe('search', () => {
  const cats = [
    { code: 'garbage-uncollected', vi: 'Rác thải sinh hoạt không được thu gom', en: 'Household garbage not collected' },
    { code: 'beach-litter', vi: 'Rác thải trên bãi biển', en: 'Litter on the beach' },
    { code: 'pothole', vi: 'Mặt đường hư hỏng, ổ gà', en: 'Pothole or damaged road surface' },
    { code: 'noise-karaoke', vi: 'Hát karaoke gây ồn', en: 'Karaoke noise' },
  ];
  const names = (c: (typeof cats)[number]) => [c.vi, c.en, c.code];

  it('finds Vietnamese names typed without diacritics, best match first', () => {
    expect(search(cats, names, 'rac thai').map((c) => c.code)).toEqual(['garbage-uncollected', 'beach-litter']);
    // "ổ gà" is a phrase of the pothole's name; karaoke only has words starting with o and ga,
    // garbage only the letters somewhere.
    expect(search(cats, names, 'o ga').map((c) => c.code)).toEqual(['pothole', 'noise-karaoke', 'garbage-uncollected']);
    expect(search(cats, names, 'gây ồn').map((c) => c.code)).toEqual(['noise-karaoke']);
  });

  it('finds English names and codes, and keeps order for an empty query', () => {
    expect(search(cats, names, 'karaoke').map((c) => c.code)).toEqual(['noise-karaoke']);
    expect(search(cats, names, 'BEACH').map((c) => c.code)).toEqual(['beach-litter']);
    expect(search(cats, names, '', 2).map((c) => c.code)).toEqual(['garbage-uncollected', 'beach-litter']);
    expect(search(cats, names, 'xyz')).toEqual([]);
  });
});

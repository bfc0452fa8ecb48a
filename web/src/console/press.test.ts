import { describe, expect, it } from 'vitest';
import { pressBody } from './press';

describe('the console press form', () => {
  it('sends the article and the issue as a ticket at the place found', () => {
    const body = pressBody(
      { newspaper: ' Báo Đà Nẵng ', published_on: '2026-12-01', url: '', title: 'Rác ùn ứ', issue: 'Rác tại chợ', category: 'garbage-uncollected', place: 'Chợ Hàn' },
      108.22,
      16.07,
    );
    expect(body).toEqual({
      newspaper: 'Báo Đà Nẵng', published_on: '2026-12-01', url: null, title: 'Rác ùn ứ',
      ticket: { category: 'garbage-uncollected', description: 'Rác tại chợ', location: { lon: 108.22, lat: 16.07 }, address: 'Chợ Hàn' },
    });
  });
});

import { describe, expect, it } from 'vitest';
import { manageHref, route } from './route';

describe('the addresses of the booking page', () => {
  it('opens the stepper, with or without a procedure', () => {
    expect(route('/dat-lich', '')).toEqual({ page: 'book', procedure: null });
    expect(route('/booking/', '?procedure=DN-TTHC-011')).toEqual({ page: 'book', procedure: 'DN-TTHC-011' });
  });

  it('opens a booking by its code and token', () => {
    expect(route('/dat-lich/lh-7k2m9q', '?token=abc_1')).toEqual({ page: 'manage', code: 'LH-7K2M9Q', token: 'abc_1' });
    expect(route('/dat-lich/LH-7K2M9Q', '')).toEqual({ page: 'manage', code: 'LH-7K2M9Q', token: null });
    expect(manageHref('LH-7K2M9Q', 'a+b')).toBe('/dat-lich/LH-7K2M9Q?token=a%2Bb');
    const back = new URL(`https://1022.danang.gov.vn${manageHref('LH-7K2M9Q', 'a+b/c')}`);
    expect(route(back.pathname, back.search)).toEqual({ page: 'manage', code: 'LH-7K2M9Q', token: 'a+b/c' });
  });

  it('opens the queue of an office', () => {
    expect(route('/lay-so/DN-HCC', '')).toEqual({ page: 'queue', office: 'DN-HCC' });
    expect(route('/lay-so/', '')).toEqual({ page: 'unknown' });
  });
});

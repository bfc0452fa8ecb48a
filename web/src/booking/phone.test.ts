import { describe, expect, it } from 'vitest';
import { displayPhone, isMobile, normalisePhone } from './phone';

describe('Vietnamese phone numbers', () => {
  it('accepts the ways people write a number', () => {
    for (const typed of ['0905 123 456', '0905123456', '+84 905 123 456', '+84905123456', '(+84) 905.123.456', '84905123456', '0084 905 123 456', '0905-123-456'])
      expect(normalisePhone(typed), typed).toBe('0905123456');
    expect(normalisePhone('0236 3822 222')).toBe('02363822222');
  });

  it('refuses what cannot be a number', () => {
    for (const typed of ['', '12345', '0905 123', 'abc', '09051234567890', '905123456']) expect(normalisePhone(typed), typed).toBeNull();
  });

  it('tells mobiles from landlines and groups the digits for reading', () => {
    expect(isMobile('0905123456')).toBe(true);
    expect(isMobile('0323456789')).toBe(true);
    expect(isMobile('02363822222')).toBe(false);
    expect(displayPhone('0905123456')).toBe('0905 123 456');
    expect(displayPhone('02363822222')).toBe('0236 3822 222');
    expect(displayPhone('+1 555')).toBe('+1 555');
  });
});

import { describe, expect, it } from 'vitest';
import { health, overdueShare } from './health';

describe('district colour rule', () => {
  it('is grey when a district has no open tickets', () => {
    expect(health({ open: 0, overdue: 0 })).toBe('none');
    expect(health(undefined)).toBe('none');
  });
  it('is green below 5 % overdue', () => {
    expect(health({ open: 100, overdue: 4 })).toBe('good');
    expect(health({ open: 10, overdue: 0 })).toBe('good');
  });
  it('turns amber at exactly 5 % and stays amber below 15 %', () => {
    expect(health({ open: 100, overdue: 5 })).toBe('warn');
    expect(health({ open: 100, overdue: 14 })).toBe('warn');
  });
  it('is red at 15 % and above', () => {
    expect(health({ open: 100, overdue: 15 })).toBe('bad');
    expect(health({ open: 3, overdue: 3 })).toBe('bad');
  });
  it('has no share without open tickets', () => {
    expect(overdueShare({ open: 0, overdue: 0 })).toBeNull();
    expect(overdueShare({ open: 8, overdue: 2 })).toBe(0.25);
  });
});

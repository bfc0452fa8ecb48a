import { describe, expect, it } from 'vitest';
import type { WallConfig } from '../common/types';
import { grade, health, healthLabels, metric, overdueShare } from './health';

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

describe('configurable colour rules', () => {
  it('grades overdue counts with the configured thresholds', () => {
    const c: WallConfig = { rule: 'overdue_count', thresholds: [3, 10] };
    expect(health({ open: 50, overdue: 2 }, c)).toBe('good');
    expect(health({ open: 50, overdue: 3 }, c)).toBe('warn');
    expect(health({ open: 50, overdue: 10 }, c)).toBe('bad');
    expect(health({ open: 0, overdue: 0 }, c)).toBe('none');
  });

  it('grades the on-time rate with higher is better', () => {
    const c: WallConfig = { rule: 'on_time_rate', thresholds: [0.9, 0.75] };
    expect(health({ open: 1, overdue: 1 }, c, 0.95)).toBe('good');
    expect(health({ open: 1, overdue: 1 }, c, 0.9)).toBe('good');
    expect(health({ open: 1, overdue: 1 }, c, 0.8)).toBe('warn');
    expect(health({ open: 1, overdue: 1 }, c, 0.5)).toBe('bad');
    expect(health({ open: 1, overdue: 0 }, c, null)).toBe('none');
    expect(metric('on_time_rate', { open: 1, overdue: 1 }, undefined)).toBeNull();
  });

  it('moves the boundaries of the default rule with its thresholds', () => {
    const c: WallConfig = { rule: 'overdue_share', thresholds: [0.2, 0.5] };
    expect(grade(0.19, c)).toBe('good');
    expect(grade(0.2, c)).toBe('warn');
    expect(grade(0.5, c)).toBe('bad');
  });

  it('writes the thresholds into the legend in both languages', () => {
    const l = healthLabels({ rule: 'on_time_rate', thresholds: [0.9, 0.75] });
    expect(l.good.vi).toBe('Đúng hạn ≥ 90 %');
    expect(l.bad.en).toBe('on time < 75 %');
    expect(healthLabels({ rule: 'overdue_share', thresholds: [0.05, 0.15] }).warn.vi).toBe('Quá hạn 5 % – 15 %');
  });
});

import { describe, expect, it } from 'vitest';
import type { Unit } from '../common/types';
import { ACTION_ORDER, ACTIONS, buildAction, descendants, unitChoices } from './actions';

const unit = (code: string, parent: string | null): Unit => ({ code, name_vi: code, name_en: code, parent, kind: 'agency', areas: [] });
const units = [unit('DN-UBND', null), unit('DN-HC-UBND', 'DN-UBND'), unit('DN-HC-A', 'DN-HC-UBND'), unit('DN-HC-B', 'DN-HC-UBND'), unit('DN-HC-A-1', 'DN-HC-A'), unit('DN-URENCO', null)];

describe('buildAction', () => {
  it('builds each action with its required fields, trimmed, leaving out empty options', () => {
    expect(buildAction('assign', { unit: 'DN-HC-UBND', note: '  ' })).toEqual({ ok: true, body: { action: 'assign', unit: 'DN-HC-UBND' } });
    expect(buildAction('progress', { note: ' Đã cử đội ' })).toEqual({ ok: true, body: { action: 'progress', note: 'Đã cử đội' } });
    expect(buildAction('resolve', { result: 'Đã xử lý' })).toEqual({ ok: true, body: { action: 'resolve', result: 'Đã xử lý' } });
    expect(buildAction('extend', { days: '5', reason: 'Chờ giám định' })).toEqual({ ok: true, body: { action: 'extend', days: 5, reason: 'Chờ giám định' } });
    expect(buildAction('accept', {})).toEqual({ ok: true, body: { action: 'accept' } });
  });

  it('names every field at fault', () => {
    expect(buildAction('return', { reason: '' })).toEqual({ ok: false, errors: { reason: 'Bắt buộc · required' } });
    expect(buildAction('progress', {})).toMatchObject({ ok: false, errors: { note: expect.any(String) } });
    expect(buildAction('extend', { days: '61', reason: '' })).toMatchObject({ ok: false, errors: { days: expect.any(String), reason: expect.any(String) } });
    expect(buildAction('rate', { rating: '4.5' })).toMatchObject({ ok: false, errors: { rating: expect.any(String) } });
    expect(buildAction('mark_duplicate', { of: 'DN-2611-000001' })).toMatchObject({ ok: false, errors: { of: expect.any(String) } });
    expect(buildAction('mark_duplicate', { of: '019a0000-0000-7000-8000-000000000001' })).toMatchObject({ ok: true });
  });

  it('offers every action, each once', () => {
    expect([...ACTION_ORDER].sort()).toEqual(Object.keys(ACTIONS).sort());
  });
});

describe('unit choices', () => {
  it('collects sub-units at any depth', () => {
    expect([...descendants(units, ['DN-HC-UBND'])].sort()).toEqual(['DN-HC-A', 'DN-HC-A-1', 'DN-HC-B', 'DN-HC-UBND']);
  });

  it('lets the centre pick any other unit', () => {
    expect(unitChoices(units, 'operator', [], 'DN-URENCO').map((u) => u.code)).toEqual(['DN-UBND', 'DN-HC-UBND', 'DN-HC-A', 'DN-HC-B', 'DN-HC-A-1']);
  });

  it("lets an agency forward only within its own units: down to sub-units, or back to itself", () => {
    expect(unitChoices(units, 'agency', ['DN-HC-UBND'], 'DN-HC-UBND').map((u) => u.code)).toEqual(['DN-HC-A', 'DN-HC-B', 'DN-HC-A-1']);
    expect(unitChoices(units, 'agency', ['DN-HC-UBND'], 'DN-HC-A').map((u) => u.code)).toEqual(['DN-HC-UBND', 'DN-HC-B', 'DN-HC-A-1']);
  });
});

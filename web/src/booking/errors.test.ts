import { describe, expect, it } from 'vitest';
import { ApiError } from '../common/http';
import { bookingFailure, checkPerson } from './errors';

const problem = (status: number, code: string, errors: { field: string; message: string }[] = []) =>
  new ApiError(status, { status, code, title: code, errors } as never);

describe('a failed booking', () => {
  it('says the slot was just taken and asks for the slots again', () => {
    const f = bookingFailure(problem(409, 'slot_full', [{ field: 'starts_at', message: 'full' }]), 'vi');
    expect(f.reloadSlots).toBe(true);
    expect(f.fields.starts_at).toContain('vừa có người đặt');
    expect(f.retry).toBe(false);
  });

  it('says the limit per person and day next to the phone', () => {
    const f = bookingFailure(problem(409, 'person_limit', [{ field: 'phone', message: 'limit' }]), 'vi', 2);
    expect(f.fields.phone).toBe('Mỗi người chỉ được đặt tối đa 2 lịch hẹn trong một ngày tại cơ quan này.');
    expect(bookingFailure(problem(409, 'person_limit'), 'en', 1).fields.phone).toContain('at most 1 appointments');
  });

  it('puts each field error next to its field, in the page language where it knows the field', () => {
    const f = bookingFailure(problem(422, 'validation', [{ field: 'phone', message: 'not a Vietnamese number' }, { field: 'name', message: 'empty' }, { field: 'lang', message: 'unknown' }]), 'en');
    expect(f.fields.phone).toContain('phone number looks wrong');
    expect(f.fields.name).toBe('Please enter your name.');
    expect(f.fields.lang).toBe('unknown');
    expect(f.reloadSlots).toBe(false);
  });

  it('lets a network failure be sent again with the same key', () => {
    const f = bookingFailure(new TypeError('Failed to fetch'), 'vi');
    expect(f.retry).toBe(true);
    expect(f.fields.form).toContain('không bị đặt hai lần');
    expect(bookingFailure(problem(503, ''), 'vi').retry).toBe(true);
  });

  it('checks the person lightly before sending', () => {
    expect(checkPerson({ name: 'Nguyễn Thị Vân Anh', phone: '0905123456', phoneTyped: '0905 123 456', email: '' }, 'vi')).toEqual({});
    const bad = checkPerson({ name: ' ', phone: null, phoneTyped: '12', email: 'anh@' }, 'vi');
    expect(Object.keys(bad).sort()).toEqual(['email', 'name', 'phone']);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { ApiError, get, request, send, setFetch, upload } from './http';

/** Answers every request with `status` and `body` (JSON unless a string), recording the requests. */
function answer(status: number, body: unknown, statusText = '') {
  const calls: { path: string; init: RequestInit }[] = [];
  setFetch(async (path, init = {}) => {
    calls.push({ path, init });
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    return new Response(status === 204 ? null : text, { status, statusText });
  });
  return calls;
}

afterEach(() => setFetch((input, init) => fetch(input, init)));

const validation = {
  type: 'urn:switchboard:problem:validation', title: 'Invalid input', status: 422, code: 'validation',
  detail: 'location.lon: out of range; category: unknown category',
  errors: [{ field: 'location.lon', message: 'out of range' }, { field: 'category', message: 'unknown category' }],
};

describe('the HTTP client', () => {
  it('sends the session cookie and JSON, and reads JSON back', async () => {
    const calls = answer(200, { ok: 1 });
    expect(await send('POST', '/api/v1/x', { a: 'Đà Nẵng' }, { 'idempotency-key': 'k' })).toEqual({ ok: 1 });
    expect(calls[0].path).toBe('/api/v1/x');
    expect(calls[0].init).toMatchObject({ method: 'POST', credentials: 'same-origin', body: '{"a":"Đà Nẵng"}' });
    expect(calls[0].init.headers).toEqual({ 'content-type': 'application/json', 'idempotency-key': 'k' });
    expect(await get('/api/v1/y')).toEqual({ ok: 1 });
    expect(calls[1].init).toEqual({ credentials: 'same-origin' });
  });

  it('answers null for 204 No Content', async () => {
    const calls = answer(204, null);
    expect(await send('DELETE', '/api/v1/session')).toBeNull();
    expect(calls[0].init).toMatchObject({ method: 'DELETE', headers: {} });
    expect(calls[0].init.body).toBeUndefined();
  });

  it('posts multipart forms as they are', async () => {
    const calls = answer(201, { photos: [] });
    const form = new FormData();
    await upload('/api/v1/tickets/1/photos', form, { 'tracking-token': 't' });
    expect(calls[0].init).toMatchObject({ method: 'POST', body: form, headers: { 'tracking-token': 't' } });
  });
});

describe('API errors', () => {
  it('carry the problem document: status, code, title, detail and the fields at fault', async () => {
    answer(422, validation);
    const e = await request('/api/v1/tickets').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ApiError);
    const a = e as ApiError;
    expect([a.status, a.code, a.title, a.detail]).toEqual([422, 'validation', 'Invalid input', validation.detail]);
    expect(a.fields).toEqual(['location.lon', 'category']);
    expect(a.field('location')).toBe('out of range');
    expect(a.field('category')).toBe('unknown category');
    expect(a.field('description')).toBeUndefined();
    expect(a.message).toBe('location.lon: out of range; category: unknown category');
  });

  it('say the detail when no field is at fault', async () => {
    answer(409, { title: 'Conflict', status: 409, code: 'conflict', detail: 'ticket changed' });
    const e = (await get('/x').catch((x: unknown) => x)) as ApiError;
    expect([e.status, e.code, e.message, e.errors]).toEqual([409, 'conflict', 'ticket changed', []]);
    expect(String(e)).toBe('Error: ticket changed');
  });

  it('fall back to the title, then the status text, when the answer is no problem document', async () => {
    answer(500, { title: 'Internal server error', status: 500, code: 'internal' });
    expect(((await get('/x').catch((x: unknown) => x)) as ApiError).message).toBe('Internal server error');
    answer(502, '<html>Bad gateway</html>', 'Bad Gateway');
    const e = (await get('/x').catch((x: unknown) => x)) as ApiError;
    expect([e.status, e.code, e.title, e.detail, e.message]).toEqual([502, '', 'Bad Gateway', null, 'Bad Gateway']);
    answer(503, '', '');
    expect(((await get('/x').catch((x: unknown) => x)) as ApiError).message).toBe('HTTP 503');
  });
});

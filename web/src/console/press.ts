// Filing feedback published in a newspaper (phản ánh trên báo chí): the article — paper, date,
// address, title — and the issue it raised, where and in which category. The issue becomes a
// ticket on the `press` channel, handled like any other; the public list shows its result.

import { esc } from '../common/dom';
import { ApiError, get, send } from '../common/http';
import { bi } from '../common/i18n';
import type { Category, PlaceHit } from '../common/types';

export interface PressForm {
  newspaper: string; published_on: string; url: string; title: string; issue: string; category: string; place: string;
}

/** The request body of a filled form at the place found (`lon`, `lat`). */
export function pressBody(f: PressForm, lon: number, lat: number): unknown {
  return {
    newspaper: f.newspaper.trim(),
    published_on: f.published_on,
    url: f.url.trim() || null,
    title: f.title.trim(),
    ticket: { category: f.category, description: f.issue.trim(), location: { lon, lat }, address: f.place.trim() || null },
  };
}

export function setupPress(form: HTMLFormElement, categories: Category[], onFiled: (code: string, id: string) => void): void {
  const select = form.querySelector<HTMLSelectElement>('select[name=category]')!;
  select.innerHTML = categories.map((c) => `<option value="${esc(c.code)}">${esc(c.name_vi)}</option>`).join('');
  const error = form.querySelector<HTMLElement>('.error')!;
  let key = crypto.randomUUID();
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.textContent = '';
    const data = Object.fromEntries(new FormData(form)) as unknown as PressForm;
    try {
      const hits = await get<PlaceHit[]>(`/api/v1/public/places?q=${encodeURIComponent(data.place)}&limit=1`);
      if (!hits.length) {
        error.innerHTML = bi('Không tìm thấy địa điểm', 'no such place');
        return;
      }
      const { lon, lat } = hits[0].location;
      const filed = await send<{ ticket: { id: string; code: string } }>('POST', '/api/v1/press', pressBody(data, lon, lat), { 'idempotency-key': key });
      key = crypto.randomUUID();
      form.reset();
      onFiled(filed.ticket.code, filed.ticket.id);
    } catch (err) {
      error.textContent = err instanceof ApiError ? err.message : String(err);
    }
  });
}

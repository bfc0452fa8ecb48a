// "Me too" (tôi cũng gặp vấn đề này) on the report form: once the citizen has put the pin and
// picked a category, the open reports of that category within 200 m show up, and one press adds
// their support to one of them instead of filing the same problem again — with their contact if
// they filled it in and agreed, and their photos. One device counts once per report (its key is
// kept in localStorage).

import { esc } from '../common/dom';
import { ApiError, get, send, upload } from '../common/http';
import type { Lang } from '../common/i18n';
import type { Schemas } from '../common/types';

export type OpenNearby = Schemas['OpenNearby'];
export type Supported = Schemas['Supported'];

const T = {
  title: { vi: 'Có phải vấn đề này? Đã có người phản ánh gần đây', en: 'Is it this? Already reported nearby' },
  hint: { vi: 'Bấm “Tôi cũng gặp” thay vì gửi phản ánh mới: phản ánh có nhiều người cùng gặp được ưu tiên xử lý.',
    en: 'Press “Me too” instead of sending a new report: reports many people share are handled first.' },
  button: { vi: 'Tôi cũng gặp', en: 'Me too' },
  people: { vi: 'người cùng phản ánh', en: 'also reported it' },
  thanks: { vi: 'Đã ghi nhận, cảm ơn bạn!', en: 'Thank you, counted!' },
  already: { vi: 'Bạn đã ủng hộ phản ánh này rồi.', en: 'You already support this report.' },
  away: { vi: 'cách', en: 'away' },
} as const;

/** The list of open reports nearby, each with its "me too" button. */
export function metooHtml(list: OpenNearby[], lang: Lang, done: ReadonlyMap<string, string> = new Map()): string {
  if (!list.length) return '';
  const items = list
    .map((r) => {
      const category = lang === 'vi' ? r.category_name : r.category_name_en;
      const people = r.supporters ? ` · <b class="n">${r.supporters + 1}</b> ${T.people[lang]}` : '';
      const after = done.get(r.id);
      return `<li data-id="${esc(r.id)}"><b>${esc(r.code)}</b> · ${esc(category)} · ${T.away[lang]} ${Math.round(r.distance_m)} m${people}
        <p>${esc(r.description)}</p>
        ${after ? `<p class="notice" role="status">${esc(after)}</p>` : `<button type="button" class="metoo" data-metoo="${esc(r.id)}">${T.button[lang]}</button>`}</li>`;
    })
    .join('');
  return `<h3>${T.title[lang]}</h3><p class="muted">${T.hint[lang]}</p><ol>${items}</ol>`;
}

/** The device's key for "me too" on report `id`: the same device counts once. */
export function deviceKey(id: string, storage: Pick<Storage, 'getItem' | 'setItem'> = localStorage): string {
  let device = storage.getItem('metoo-device');
  if (!device) {
    device = crypto.randomUUID();
    storage.setItem('metoo-device', device);
  }
  return `${device}:${id}`;
}

export interface MeTooDeps {
  lang(): Lang;
  /** The contact the citizen filled in and agreed to share, if any. */
  contact(): { contact: Schemas['ReporterContact']; consent: true } | null;
  photos(): File[];
  /** A problem to show (a refused press). */
  error(message: string): void;
}

export function setupMeToo(box: HTMLElement, deps: MeTooDeps): { refresh(at: { lon: number; lat: number } | null, category: string): void; redraw(): void } {
  let list: OpenNearby[] = [];
  const done = new Map<string, string>();
  let asked = 0;
  const redraw = () => {
    box.innerHTML = metooHtml(list, deps.lang(), done);
    box.hidden = list.length === 0;
  };
  box.addEventListener('click', async (e) => {
    const b = (e.target as HTMLElement).closest<HTMLButtonElement>('[data-metoo]');
    if (!b) return;
    const id = b.dataset.metoo!;
    b.disabled = true;
    try {
      const r = await send<Supported>('POST', `/api/v1/tickets/${encodeURIComponent(id)}/supporters`, deps.contact() ?? {}, { 'idempotency-key': deviceKey(id) });
      const photos = deps.photos();
      if (r.token && photos.length) {
        const form = new FormData();
        for (const p of photos.slice(0, 5)) form.append('photo', p);
        await upload(`/api/v1/tickets/${encodeURIComponent(id)}/photos`, form, { 'tracking-token': r.token }).catch(() => undefined);
      }
      const lang = deps.lang();
      done.set(id, r.already ? T.already[lang] : `${T.thanks[lang]} ${r.supporters + 1} ${T.people[lang]}`);
      redraw();
    } catch (err) {
      b.disabled = false;
      deps.error(err instanceof ApiError ? err.message : String(err));
    }
  });
  return {
    refresh(at, category) {
      const n = ++asked;
      if (!at || !category) {
        list = [];
        return redraw();
      }
      const q = new URLSearchParams({ lon: at.lon.toFixed(6), lat: at.lat.toFixed(6), category, radius: '200' });
      void get<OpenNearby[]>(`/api/v1/public/nearby?${q}`)
        .then((l) => {
          if (n !== asked) return;
          list = l;
          redraw();
        })
        .catch(() => undefined);
    },
    redraw,
  };
}

// "Phản ánh trên báo chí": feedback published in newspapers, each article with how the city
// handled it and, once resolved, the published result (GET /api/v1/public/press).

import { esc } from '../common/dom';
import { get } from '../common/http';
import type { Lang } from '../common/i18n';

export interface PressItem {
  code: string; newspaper: string; published_on: string; url?: string | null; title: string; issue: string;
  category_name: string; category_name_en: string; area_name?: string | null; status: string;
  received_at: string; deadline: string; resolved_at?: string | null; result?: string | null;
}

const T = {
  none: { vi: 'Chưa có phản ánh nào từ báo chí.', en: 'No press feedback yet.' },
  resolved: { vi: 'đã giải quyết', en: 'resolved' },
  of: { vi: 'trên', en: 'of' },
  result: { vi: 'Kết quả', en: 'Result' },
  open: { vi: 'Đang xử lý', en: 'In progress' },
  done: { vi: 'Đã giải quyết', en: 'Resolved' },
  read: { vi: 'Đọc bài báo', en: 'Read the article' },
} as const;

const day = (iso: string, lang: Lang) => {
  const [y, m, d] = iso.slice(0, 10).split('-');
  return lang === 'vi' ? `${d}/${m}/${y}` : `${y}-${m}-${d}`;
};

/** The list, with a line of how many were resolved. */
export function pressHtml(items: PressItem[], lang: Lang): string {
  if (!items.length) return `<p class="muted">${T.none[lang]}</p>`;
  const resolved = items.filter((i) => i.status === 'resolved' || i.status === 'closed').length;
  const rows = items
    .map((i) => {
      const done = i.status === 'resolved' || i.status === 'closed';
      const link = i.url && /^https?:\/\//i.test(i.url) ? ` · <a href="${esc(i.url)}" rel="noopener noreferrer" target="_blank">${T.read[lang]}</a>` : '';
      return `<li><strong>${esc(i.title)}</strong>
        <small>${esc(i.newspaper)}, ${day(i.published_on, lang)}${link} · ${esc(lang === 'vi' ? i.category_name : i.category_name_en)}${i.area_name ? ` · ${esc(i.area_name)}` : ''} · ${esc(i.code)}</small>
        <p>${esc(i.issue)}</p>
        <p class="${done ? 'done' : 'open'}">${done ? T.done[lang] : T.open[lang]}${done && i.result ? ` — ${T.result[lang]}: ${esc(i.result)}` : ''}</p></li>`;
    })
    .join('');
  return `<p>${resolved} ${T.of[lang]} ${items.length} ${T.resolved[lang]}</p><ol class="press">${rows}</ol>`;
}

export const loadPress = () => get<PressItem[]>('/api/v1/public/press?limit=100');

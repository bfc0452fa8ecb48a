// The planning map's texts, Vietnamese first with English beside. Elements name their text with
// data-t="key"; inputs their placeholder with data-ph="key". The choice is shared with the portal
// (localStorage 'lang').

export type Lang = 'vi' | 'en';

export const TEXTS = {
  title: { vi: 'Bản đồ quy hoạch', en: 'Planning map' },
  back: { vi: '← Cổng phản ánh', en: '← Citizens’ portal' },
  searchPh: { vi: 'Tìm địa điểm, đường phố, phường…', en: 'Find a place, street or ward…' },
  noPlace: { vi: 'Không tìm thấy địa điểm.', en: 'No such place.' },
  hint: { vi: 'Chạm vào bản đồ để xem quy hoạch tại vị trí đó.', en: 'Tap the map to see what is planned there.' },
  legend: { vi: 'Chú giải', en: 'Legend' },
  opacity: { vi: 'Độ trong suốt lớp quy hoạch', en: 'Plan opacity' },
  layers: { vi: 'Đồ án quy hoạch', en: 'Plans' },
  zonesHere: { vi: 'Quy hoạch tại vị trí đã chọn', en: 'Planned at the chosen spot' },
  none: { vi: 'Không có khu quy hoạch nào (đang hiển thị) tại vị trí này.', en: 'No (shown) planning zone at this spot.' },
  border: { vi: 'Vị trí nằm trên ranh giới giữa các khu.', en: 'The spot lies on a border between zones.' },
  code: { vi: 'Mã khu', en: 'Zone code' },
  name: { vi: 'Tên', en: 'Name' },
  landUse: { vi: 'Chức năng sử dụng đất', en: 'Land use' },
  maxHeight: { vi: 'Chiều cao tối đa', en: 'Maximum height' },
  density: { vi: 'Mật độ xây dựng tối đa', en: 'Maximum building density' },
  far: { vi: 'Hệ số sử dụng đất tối đa', en: 'Maximum floor-area ratio' },
  decision: { vi: 'Quyết định phê duyệt', en: 'Approved by decision' },
  plan: { vi: 'Đồ án', en: 'Plan' },
  notSet: { vi: 'không quy định', en: 'not set' },
  dated: { vi: 'ngày', en: 'of' },
  zones: { vi: 'khu', en: 'zones' },
  note: {
    vi: 'Thông tin tham khảo; văn bản pháp lý là quyết định phê duyệt quy hoạch.',
    en: 'For reference; the approving decision is the legal text.',
  },
  gis: { vi: 'Dữ liệu GIS (OGC API)', en: 'GIS data (OGC API)' },
} as const satisfies Record<string, { vi: string; en: string }>;

export type TextKey = keyof typeof TEXTS;

export function applyTexts(root: ParentNode, lang: Lang): void {
  root.querySelectorAll<HTMLElement>('[data-t]').forEach((el) => {
    const t = TEXTS[el.dataset.t as TextKey];
    if (t) el.textContent = t[lang];
  });
  root.querySelectorAll<HTMLInputElement>('[data-ph]').forEach((el) => {
    const t = TEXTS[el.dataset.ph as TextKey];
    if (t) el.placeholder = t[lang];
  });
}

/** A number as the language writes it: `4,5` in Vietnamese, `4.5` in English. */
export function num(x: number, lang: Lang): string {
  return x.toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: 2 });
}

/** `2023-04-14` → `14/04/2023` (vi) or `14 Apr 2023` (en). */
export function day(iso: string, lang: Lang): string {
  const [y, m, d] = iso.split('-').map(Number);
  if (!y || !m || !d) return iso;
  if (lang === 'vi') return `${String(d).padStart(2, '0')}/${String(m).padStart(2, '0')}/${y}`;
  return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric' });
}

// The planning map's texts, Vietnamese first with English beside (the engine: common/i18n.ts,
// whose language choice the portal shares). Elements name their text with data-t="key"; inputs
// their placeholder with data-ph="key".

import type { Text } from '../common/i18n';

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
} as const satisfies Record<string, Text>;

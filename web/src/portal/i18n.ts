// The portal's texts, Vietnamese first with English beside. Elements name their text with
// data-t="key"; inputs their placeholder with data-ph="key". The choice is kept in localStorage.

export type Lang = 'vi' | 'en';

export const TEXTS = {
  title: { vi: 'Tổng đài 1022 · Phản ánh hiện trường', en: '1022 hotline · Report a problem' },
  tabReport: { vi: 'Gửi phản ánh', en: 'Report' },
  tabTrack: { vi: 'Tra cứu', en: 'Track' },
  tabResults: { vi: 'Kết quả xử lý', en: 'Results' },
  where: { vi: 'Vị trí: chạm vào bản đồ', en: 'Where: tap the map' },
  useMyLocation: { vi: 'Dùng vị trí của tôi', en: 'Use my location' },
  noLocation: { vi: 'Chưa chọn vị trí', en: 'No location yet' },
  category: { vi: 'Loại phản ánh', en: 'Category' },
  chooseCategory: { vi: '— Chọn loại phản ánh —', en: '— Choose a category —' },
  description: { vi: 'Nội dung', en: 'What is wrong' },
  descriptionPh: { vi: 'Mô tả sự việc, thời gian, địa điểm cụ thể…', en: 'Describe the problem, when and where…' },
  photos: { vi: 'Ảnh (tối đa 5)', en: 'Photos (up to 5)' },
  contact: { vi: 'Liên hệ (không bắt buộc)', en: 'Contact (optional)' },
  name: { vi: 'Họ tên', en: 'Name' },
  phone: { vi: 'Số điện thoại', en: 'Phone' },
  email: { vi: 'Email', en: 'Email' },
  consent: {
    vi: 'Tôi đồng ý để Tổng đài dùng thông tin liên hệ này để trao đổi về phản ánh. Thông tin không được công khai.',
    en: 'The centre may use this contact about this report. It is never published.',
  },
  send: { vi: 'Gửi phản ánh', en: 'Send' },
  sending: { vi: 'Đang gửi…', en: 'Sending…' },
  sent: { vi: 'Đã tiếp nhận phản ánh', en: 'Report received' },
  keepLink: {
    vi: 'Hãy lưu mã số và đường dẫn tra cứu: chỉ ai có đường dẫn mới xem được tiến độ.',
    en: 'Keep the code and the tracking link: only the link shows the progress.',
  },
  copy: { vi: 'Sao chép đường dẫn', en: 'Copy link' },
  code: { vi: 'Mã phản ánh', en: 'Report code' },
  token: { vi: 'Mã tra cứu', en: 'Tracking token' },
  track: { vi: 'Tra cứu', en: 'Track' },
  notFound: { vi: 'Không tìm thấy phản ánh. Kiểm tra mã và đường dẫn.', en: 'No such report: check the code and the link.' },
  received: { vi: 'Tiếp nhận', en: 'Received' },
  deadline: { vi: 'Hạn xử lý', en: 'Deadline' },
  area: { vi: 'Địa bàn', en: 'Area' },
  result: { vi: 'Kết quả xử lý', en: 'Result' },
  timeline: { vi: 'Tiến độ', en: 'Progress' },
  rate: { vi: 'Đánh giá kết quả', en: 'Rate the result' },
  rateHint: { vi: '1–2 sao: phản ánh sẽ được mở lại để xử lý tiếp.', en: '1–2 stars reopen the report.' },
  comment: { vi: 'Nhận xét', en: 'Comment' },
  sendRating: { vi: 'Gửi đánh giá', en: 'Send rating' },
  rated: { vi: 'Đánh giá của bạn', en: 'Your rating' },
  nearby: { vi: 'Kết quả xử lý gần vị trí trên bản đồ (90 ngày)', en: 'Results near the map centre (90 days)' },
  none: { vi: 'Chưa có kết quả nào gần đây.', en: 'No results nearby yet.' },
  staff: { vi: 'Dành cho cán bộ', en: 'Staff' },
} as const satisfies Record<string, { vi: string; en: string }>;

export type TextKey = keyof typeof TEXTS;

export const STATUS_TEXT: Record<string, { vi: string; en: string }> = {
  received: { vi: 'Đã tiếp nhận', en: 'Received' },
  assigned: { vi: 'Đã chuyển đơn vị xử lý', en: 'With the responsible unit' },
  accepted: { vi: 'Đơn vị đã nhận', en: 'Accepted by the unit' },
  in_progress: { vi: 'Đang xử lý', en: 'In progress' },
  returned: { vi: 'Đang điều phối lại', en: 'Being re-routed' },
  resolved: { vi: 'Đã xử lý', en: 'Resolved' },
  closed: { vi: 'Đã hoàn thành', en: 'Closed' },
  rejected: { vi: 'Không thuộc phạm vi xử lý', en: 'Not for the centre' },
  duplicate: { vi: 'Trùng phản ánh khác', en: 'Duplicate' },
};

export const EVENT_TEXT: Record<string, { vi: string; en: string }> = {
  'ticket.created': { vi: 'Tiếp nhận phản ánh', en: 'Received' },
  'ticket.assigned': { vi: 'Chuyển đơn vị xử lý', en: 'Sent to the unit' },
  'ticket.forwarded': { vi: 'Chuyển tiếp đơn vị', en: 'Forwarded' },
  'ticket.accepted': { vi: 'Đơn vị tiếp nhận', en: 'Accepted' },
  'ticket.started': { vi: 'Bắt đầu xử lý', en: 'Work started' },
  'ticket.progress': { vi: 'Cập nhật tiến độ', en: 'Progress' },
  'ticket.returned': { vi: 'Điều phối lại', en: 'Re-routed' },
  'ticket.resolved': { vi: 'Đã xử lý', en: 'Resolved' },
  'ticket.closed': { vi: 'Hoàn thành', en: 'Closed' },
  'ticket.rejected': { vi: 'Không thuộc phạm vi', en: 'Rejected' },
  'ticket.duplicate': { vi: 'Trùng phản ánh', en: 'Duplicate' },
  'ticket.reopened': { vi: 'Mở lại', en: 'Reopened' },
  'ticket.extended': { vi: 'Gia hạn xử lý', en: 'Deadline extended' },
  'ticket.rated': { vi: 'Người dân đánh giá', en: 'Rated' },
  'ticket.overdue': { vi: 'Quá hạn xử lý', en: 'Overdue' },
  'ticket.photo_added': { vi: 'Bổ sung hình ảnh', en: 'Photos added' },
};

/** A text in the chosen language. */
export function pick(t: { vi: string; en: string }, lang: Lang): string {
  return lang === 'vi' ? t.vi : t.en;
}

export function applyTexts(root: ParentNode, lang: Lang): void {
  root.querySelectorAll<HTMLElement>('[data-t]').forEach((el) => {
    const t = TEXTS[el.dataset.t as TextKey];
    if (t) el.textContent = t[lang];
  });
  root.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('[data-ph]').forEach((el) => {
    const t = TEXTS[el.dataset.ph as TextKey];
    if (t) el.placeholder = t[lang];
  });
}

/** `#track/CODE/TOKEN` → the code and token of a tracking link. */
export function parseTrackHash(hash: string): { code: string; token: string } | null {
  const m = /^#track\/([A-Za-z0-9-]{1,32})\/([A-Za-z0-9_-]{1,64})$/.exec(hash);
  return m ? { code: decodeURIComponent(m[1]).toUpperCase(), token: m[2] } : null;
}

export function trackLink(origin: string, code: string, token: string): string {
  return `${origin}/#track/${encodeURIComponent(code)}/${token}`;
}

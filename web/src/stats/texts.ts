// The public figures page's texts, Vietnamese first with English on the `#lang` switch (the
// engine: common/i18n.ts; the language choice is shared with the portal). Elements name their
// text with data-t="key"; what the page draws takes its texts from here through `I18n.t`.

import type { Text } from '../common/i18n';

export const TEXTS = {
  press: { vi: 'Phản ánh trên báo chí', en: 'Feedback in the press' },
  title: { vi: 'Tổng đài 1022 · Số liệu công khai', en: '1022 hotline · Public figures' },
  docTitle: { vi: 'Số liệu công khai — Tổng đài 1022', en: 'Public figures — 1022 hotline' },
  skip: { vi: 'Bỏ qua, đến nội dung chính', en: 'Skip to the content' },
  navPortal: { vi: 'Gửi phản ánh', en: 'Report a problem' },
  navStats: { vi: 'Số liệu công khai', en: 'Public figures' },
  lead: {
    vi: 'Người dân phản ánh qua đường dây nóng 1022, cổng thông tin, ứng dụng và mạng xã hội; các cơ quan, địa phương giải quyết. Đây là số liệu tổng hợp về việc giải quyết đó, cập nhật liên tục.',
    en: 'Citizens report problems through the 1022 hotline, the web portal, the app and social media; the city’s units and districts settle them. These are the aggregate figures of that work, kept up to date.',
  },

  // ---- the period ----
  period: { vi: 'Kỳ số liệu', en: 'Period' },
  last_30_days: { vi: '30 ngày qua', en: 'Last 30 days' },
  this_month: { vi: 'Tháng này', en: 'This month' },
  last_month: { vi: 'Tháng trước', en: 'Last month' },
  this_year: { vi: 'Năm nay', en: 'This year' },
  custom: { vi: 'Tùy chọn', en: 'Custom' },
  from: { vi: 'Từ ngày', en: 'From' },
  to: { vi: 'Đến ngày', en: 'To' },
  apply: { vi: 'Xem', en: 'Show' },
  badRange: { vi: 'Chọn ngày bắt đầu không sau ngày kết thúc.', en: 'The first day must not be after the last.' },
  updated: { vi: 'Cập nhật lúc', en: 'Updated at' },
  csv: { vi: 'Tải số liệu (CSV)', en: 'Download the figures (CSV)' },
  csvNote: { vi: 'mở được bằng Excel; cùng số liệu với trang này', en: 'opens in Excel; the same figures as this page' },
  loading: { vi: 'Đang tải…', en: 'Loading…' },

  // ---- figures ----
  city: { vi: 'Toàn thành phố', en: 'Whole city' },
  received: { vi: 'Phản ánh tiếp nhận', en: 'Reports received' },
  resolved: { vi: 'Đã giải quyết', en: 'Resolved' },
  on_time_rate: { vi: 'Tỷ lệ giải quyết đúng hạn', en: 'Resolved on time' },
  rating_mean: { vi: 'Điểm hài lòng của người dân', en: 'Citizens’ rating' },
  satisfaction_index: { vi: 'Chỉ số hài lòng (0–100)', en: 'Satisfaction index (0–100)' },
  receivedShort: { vi: 'Tiếp nhận', en: 'Received' },
  resolvedShort: { vi: 'Đã giải quyết', en: 'Resolved' },
  onTimeShort: { vi: 'Đúng hạn', en: 'On time' },
  ratingShort: { vi: 'Điểm đánh giá', en: 'Rating' },
  indexShort: { vi: 'Chỉ số hài lòng', en: 'Satisfaction' },
  late: { vi: 'Giải quyết trễ hạn', en: 'Resolved late' },
  week: { vi: 'Tuần bắt đầu', en: 'Week of' },

  // ---- sections ----
  byDistrict: { vi: 'Theo quận, huyện', en: 'By district' },
  districtChart: { vi: 'Tỷ lệ giải quyết đúng hạn theo quận, huyện', en: 'Share resolved on time, by district' },
  district: { vi: 'Quận, huyện', en: 'District' },
  byUnit: { vi: 'Theo đơn vị giải quyết', en: 'By handling unit' },
  unit: { vi: 'Đơn vị', en: 'Unit' },
  byField: { vi: 'Theo lĩnh vực', en: 'By field' },
  fieldChart: { vi: 'Số phản ánh tiếp nhận theo lĩnh vực', en: 'Reports received, by field' },
  field: { vi: 'Lĩnh vực', en: 'Field' },
  weekly: { vi: 'Xu hướng theo tuần (toàn thành phố)', en: 'Weekly trend (whole city)' },
  showTable: { vi: 'Xem dạng bảng', en: 'Show as a table' },
  noRows: { vi: 'Không có phản ánh nào trong kỳ này.', en: 'No reports in this period.' },
  notCharted: { vi: 'Không có trên biểu đồ (dưới 5 phản ánh hoặc chưa có phản ánh được giải quyết)', en: 'Not on the chart (fewer than 5 reports, or none resolved yet)' },

  // ---- suppression, definitions ----
  suppressed: {
    vi: '—: dưới 5 phản ánh: không công bố để bảo vệ người dân',
    en: '—: fewer than 5 reports: not published to protect privacy',
  },
  suppressedCell: { vi: 'Dưới 5 phản ánh: không công bố để bảo vệ người dân', en: 'Fewer than 5 reports: not published to protect privacy' },
  noFigure: { vi: 'Chưa có số liệu (chưa có phản ánh được giải quyết hoặc được đánh giá)', en: 'No figure yet (nothing resolved or rated)' },
  definitions: { vi: 'Cách tính các số liệu', en: 'What the figures mean' },
  defReceived: { vi: 'Phản ánh tiếp nhận: số phản ánh nhận được trong kỳ (tính theo ngày tiếp nhận, giờ Việt Nam).', en: 'Reports received: reports received in the period (by the day received, Vietnam time).' },
  defResolved: { vi: 'Đã giải quyết: trong số đó, số phản ánh đã có kết quả giải quyết.', en: 'Resolved: of those, the reports with a result.' },
  defOnTime: { vi: 'Tỷ lệ giải quyết đúng hạn: trong số đã giải quyết, tỷ lệ có kết quả trước hạn xử lý. Hạn xử lý tính theo ngày làm việc, không kể thứ Bảy, Chủ nhật và ngày lễ.', en: 'Resolved on time: of the reports resolved, the share resolved by their deadline. Deadlines count working days, leaving out weekends and public holidays.' },
  defRating: { vi: 'Điểm hài lòng: điểm trung bình người dân chấm cho kết quả, từ 1 đến 5 sao.', en: 'Citizens’ rating: the mean of the ratings citizens gave the results, 1 to 5 stars.' },
  defIndex: {
    vi: 'Chỉ số hài lòng: từ 0 đến 100, kết hợp điểm đánh giá của người dân, tỷ lệ đúng hạn, tỷ lệ kết quả không bị mở lại và số phản ánh trên số dân so với mức chung của thành phố.',
    en: 'Satisfaction index: 0 to 100, combining citizens’ ratings, the on-time rate, the share of results not reopened, and reports per resident against the city’s level.',
  },
  defUnit: { vi: 'Theo đơn vị: mỗi phản ánh được tính cho đơn vị đang giải quyết phản ánh đó.', en: 'By unit: each report counts for the unit handling it now.' },
  defWeek: { vi: 'Theo tuần: tuần bắt đầu từ thứ Hai; số đã giải quyết và trễ hạn tính theo tuần có kết quả.', en: 'By week: weeks start on Monday; resolutions and late ones count in the week of the result.' },
  defPrivacy: {
    vi: 'Không có thông tin cá nhân nào được công bố. Nhóm có dưới 5 phản ánh được ghi “—” để không thể nhận ra người phản ánh.',
    en: 'No personal data is published. A group of fewer than 5 reports is shown as “—” so that no one who reported can be recognised.',
  },

  // ---- errors ----
  error: { vi: 'Không tải được số liệu', en: 'The figures could not be loaded' },
  retry: { vi: 'Thử lại', en: 'Retry' },
  footer: { vi: 'Số liệu mở: được sử dụng lại, ghi rõ nguồn “Tổng đài 1022”.', en: 'Open data: reuse it, citing “1022 hotline” as the source.' },
} as const satisfies Record<string, Text>;

export type TextKey = keyof typeof TEXTS;

// The procedures page's texts, Vietnamese first with English beside (engine: common/i18n.ts,
// whose language choice every public page shares).

import type { Text } from '../common/i18n';

export const TEXTS = {
  title: { vi: 'Thủ tục hành chính', en: 'Administrative procedures' },
  back: { vi: '← Cổng phản ánh', en: '← Citizens’ portal' },
  searchPh: {
    vi: 'Bạn cần làm thủ tục gì? Ví dụ: cấp lại sổ đỏ, làm giấy khai sinh…',
    en: 'What do you need to do? E.g. re-issue a land-use certificate, register a birth…',
  },
  allLevels: { vi: 'Mọi cấp', en: 'All levels' },
  province: { vi: 'Cấp tỉnh/thành phố', en: 'City (province) level' },
  district: { vi: 'Cấp huyện/quận', en: 'District level' },
  commune: { vi: 'Cấp xã/phường', en: 'Ward (commune) level' },
  allFields: { vi: 'Tất cả lĩnh vực', en: 'All fields' },
  more: { vi: 'Xem thêm', en: 'Show more' },
  found: { vi: 'thủ tục', en: 'procedures' },
  none: { vi: 'Không tìm thấy thủ tục phù hợp. Hãy thử từ khác, hoặc gọi Tổng đài 1022.', en: 'No matching procedure. Try other words, or call the 1022 hotline.' },
  online: { vi: 'Nộp trực tuyến', en: 'Apply online' },
  code: { vi: 'Mã thủ tục', en: 'Procedure code' },
  field: { vi: 'Lĩnh vực', en: 'Field' },
  level: { vi: 'Cấp thực hiện', en: 'Level' },
  steps: { vi: 'Trình tự thực hiện', en: 'Steps' },
  methods: { vi: 'Cách thức thực hiện', en: 'Ways to submit' },
  channel: { vi: 'Hình thức nộp', en: 'How' },
  timeLimit: { vi: 'Thời hạn giải quyết', en: 'Time limit' },
  fee: { vi: 'Phí, lệ phí', en: 'Fee' },
  noteCol: { vi: 'Ghi chú', en: 'Note' },
  direct: { vi: 'Trực tiếp', en: 'In person' },
  onlineCh: { vi: 'Trực tuyến', en: 'Online' },
  postal: { vi: 'Qua bưu chính', en: 'By post' },
  documents: { vi: 'Thành phần hồ sơ', en: 'Documents' },
  document: { vi: 'Tên giấy tờ', en: 'Document' },
  copies: { vi: 'Số lượng', en: 'Copies' },
  applicants: { vi: 'Đối tượng thực hiện', en: 'Who may apply' },
  agency: { vi: 'Cơ quan thực hiện', en: 'Agency' },
  submitAt: { vi: 'Địa chỉ tiếp nhận hồ sơ', en: 'Where to submit' },
  result: { vi: 'Kết quả thực hiện', en: 'Result' },
  legal: { vi: 'Căn cứ pháp lý', en: 'Legal basis' },
  conditions: { vi: 'Yêu cầu, điều kiện', en: 'Conditions' },
  related: { vi: 'Thủ tục liên quan', en: 'Related procedures' },
  backToList: { vi: '← Danh sách thủ tục', en: '← All procedures' },
  demo: {
    vi: 'Nội dung mẫu của hệ thống thử nghiệm, không phải văn bản chính thức.',
    en: 'Sample content of the demo system, not an official text.',
  },
  notFound: { vi: 'Không có thủ tục với mã này.', en: 'There is no procedure with this code.' },
  failed: { vi: 'Không tải được dữ liệu. Vui lòng thử lại.', en: 'Could not load. Please try again.' },
  note: { vi: 'Thông tin tham khảo. Cần hỗ trợ, gọi Tổng đài 1022.', en: 'For reference. For help, call the 1022 hotline.' },
} as const satisfies Record<string, Text>;

export type Key = keyof typeof TEXTS;

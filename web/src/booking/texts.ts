// The booking page's texts, Vietnamese first with English beside (the engine: common/i18n.ts,
// whose language choice every public page shares). `{n}`-style holes are filled by `fill`.

import type { Text } from '../common/i18n';
import type { BookingStatus, ClosedReason, Priority, QueueStatus, ScoreKey } from './types';

export const TEXTS = {
  back: { vi: '← Cổng phản ánh', en: '← Citizens’ portal' },
  titleBook: { vi: 'Đặt lịch hẹn', en: 'Book an appointment' },
  titleManage: { vi: 'Lịch hẹn của bạn', en: 'Your appointment' },
  titleQueue: { vi: 'Lấy số thứ tự', en: 'Take a queue number' },
  loading: { vi: 'Đang tải…', en: 'Loading…' },
  failed: { vi: 'Không tải được dữ liệu. Vui lòng thử lại.', en: 'Could not load. Please try again.' },
  retry: { vi: 'Thử lại', en: 'Try again' },
  change: { vi: 'Thay đổi', en: 'Change' },
  next: { vi: 'Tiếp tục', en: 'Next' },
  stepProcedure: { vi: 'Thủ tục cần làm', en: 'The procedure' },
  stepOffice: { vi: 'Nơi làm thủ tục', en: 'The office' },
  stepDay: { vi: 'Ngày hẹn', en: 'The day' },
  stepSlot: { vi: 'Giờ hẹn', en: 'The time' },
  stepPerson: { vi: 'Thông tin người đến', en: 'Your details' },
  searchLabel: { vi: 'Tìm thủ tục', en: 'Find the procedure' },
  searchPh: { vi: 'Ví dụ: khai sinh, căn cước, sổ đỏ…', en: 'E.g. birth registration, ID card, land…' },
  noMatch: { vi: 'Không tìm thấy thủ tục phù hợp. Hãy thử từ khác.', en: 'No matching procedure. Try other words.' },
  noProcedure: { vi: 'Chưa rõ thủ tục? Chọn nơi làm và dịch vụ', en: 'Not sure? Choose the office and the service' },
  anyProcedure: { vi: 'Chưa chọn thủ tục', en: 'No procedure chosen' },
  noOffices: { vi: 'Chưa có nơi nào nhận đặt lịch cho thủ tục này. Cần hỗ trợ, gọi Tổng đài 1022.', en: 'No office takes bookings for this procedure yet. For help, call the 1022 hotline.' },
  chooseService: { vi: 'Chọn dịch vụ', en: 'Choose the service' },
  today: { vi: 'Hôm nay', en: 'Today' },
  tomorrow: { vi: 'Ngày mai', en: 'Tomorrow' },
  morning: { vi: 'Buổi sáng', en: 'Morning' },
  afternoon: { vi: 'Buổi chiều', en: 'Afternoon' },
  free: { vi: 'còn {n} chỗ', en: '{n} left' },
  full: { vi: 'Đã kín', en: 'Full' },
  noSlots: { vi: 'Không còn giờ trống trong ngày này. Hãy chọn ngày khác.', en: 'No free time left that day. Please choose another day.' },
  name: { vi: 'Họ và tên', en: 'Full name' },
  phone: { vi: 'Số điện thoại di động', en: 'Mobile number' },
  phoneHint: { vi: 'Để nhận tin nhắn xác nhận và nhắc lịch. Ví dụ: 0905 123 456', en: 'For the confirmation and reminders by SMS. E.g. 0905 123 456' },
  email: { vi: 'Email (không bắt buộc)', en: 'Email (optional)' },
  book: { vi: 'Đặt lịch', en: 'Book' },
  sending: { vi: 'Đang gửi…', en: 'Sending…' },
  booked: { vi: 'Đã đặt lịch hẹn', en: 'Appointment booked' },
  code: { vi: 'Mã lịch hẹn', en: 'Booking code' },
  qrAlt: { vi: 'Mã QR của lịch hẹn {code}', en: 'QR code of booking {code}' },
  showQr: { vi: 'Xuất trình mã QR này tại quầy tiếp đón khi đến.', en: 'Show this QR code at the reception desk when you arrive.' },
  when: { vi: 'Thời gian', en: 'When' },
  where: { vi: 'Địa điểm', en: 'Where' },
  procedure: { vi: 'Thủ tục', en: 'Procedure' },
  service: { vi: 'Dịch vụ', en: 'Service' },
  status: { vi: 'Trạng thái', en: 'Status' },
  bring: { vi: 'Giấy tờ cần mang theo', en: 'Documents to bring' },
  manageLink: { vi: 'Đường dẫn quản lý lịch hẹn', en: 'Link to manage the appointment' },
  keepLink: {
    vi: 'Hãy lưu đường dẫn này để xem, đổi hoặc hủy lịch hẹn. Đường dẫn cũng đã được gửi qua tin nhắn SMS.',
    en: 'Keep this link to see, change or cancel the appointment. It was also sent to you by SMS.',
  },
  copy: { vi: 'Sao chép đường dẫn', en: 'Copy the link' },
  copied: { vi: 'Đã sao chép.', en: 'Copied.' },
  bookAnother: { vi: 'Đặt lịch khác', en: 'Book another' },
  queueLabel: { vi: 'Số thứ tự', en: 'Queue number' },
  moved: { vi: 'Lịch hẹn đã được chuyển vì cơ quan tạm nghỉ. Giờ cũ: {from}.', en: 'Your appointment was moved because the office is closed. It was: {from}.' },
  noToken: { vi: 'Đường dẫn thiếu mã bảo mật. Hãy mở đúng đường dẫn trong tin nhắn SMS.', en: 'The link lacks its security token. Open the link from the SMS.' },
  notFound: { vi: 'Không tìm thấy lịch hẹn. Kiểm tra lại đường dẫn.', en: 'No such appointment: check the link.' },
  reschedule: { vi: 'Đổi lịch', en: 'Reschedule' },
  cancel: { vi: 'Hủy lịch', en: 'Cancel' },
  keep: { vi: 'Giữ lịch', en: 'Keep it' },
  confirmCancel: { vi: 'Bạn chắc chắn muốn hủy lịch hẹn này?', en: 'Cancel this appointment?' },
  yesCancel: { vi: 'Có, hủy lịch', en: 'Yes, cancel' },
  cancelledMsg: { vi: 'Đã hủy lịch hẹn.', en: 'The appointment is cancelled.' },
  rescheduledMsg: { vi: 'Đã đổi lịch hẹn. Tin nhắn xác nhận sẽ được gửi đến bạn.', en: 'Rescheduled. A confirmation will be sent to you.' },
  chooseNewTime: { vi: 'Chọn ngày và giờ mới', en: 'Choose the new day and time' },
  confirmReschedule: { vi: 'Xác nhận đổi lịch', en: 'Confirm the new time' },
  close: { vi: 'Đóng', en: 'Close' },
  surveyTitle: { vi: 'Đánh giá mức độ hài lòng', en: 'How satisfied were you?' },
  surveyIntro: { vi: 'Chấm điểm từ 1 (rất không hài lòng) đến 5 (rất hài lòng).', en: 'Score from 1 (very dissatisfied) to 5 (very satisfied).' },
  comment: { vi: 'Ý kiến khác (không bắt buộc)', en: 'Anything else (optional)' },
  sendSurvey: { vi: 'Gửi đánh giá', en: 'Send' },
  needScores: { vi: 'Hãy chấm điểm cả 5 câu.', en: 'Please score all five questions.' },
  thanks: { vi: 'Cảm ơn bạn đã đánh giá.', en: 'Thank you for your answer.' },
  answered: { vi: 'Bạn đã gửi đánh giá cho lượt này.', en: 'You have already answered for this visit.' },
  office: { vi: 'Cơ quan', en: 'Office' },
  queueToday: { vi: 'Không đặt lịch? Lấy số thứ tự trực tuyến cho hôm nay', en: 'No appointment? Take a queue number for today online' },
  officeNotFound: { vi: 'Không tìm thấy cơ quan này.', en: 'No such office.' },
  priority: { vi: 'Đối tượng ưu tiên (nếu có)', en: 'Priority (if any)' },
  noPriority: { vi: 'Không', en: 'None' },
  phoneOpt: { vi: 'Số điện thoại (không bắt buộc): nhắn tin khi sắp đến lượt', en: 'Phone (optional): an SMS when your turn is near' },
  take: { vi: 'Lấy số', en: 'Take a number' },
  yourNumber: { vi: 'Số của bạn', en: 'Your number' },
  ahead: { vi: 'Số người trước bạn', en: 'People ahead' },
  wait: { vi: 'Thời gian chờ dự kiến', en: 'Estimated wait' },
  minutes: { vi: '{n} phút', en: '{n} min' },
  calledTo: { vi: 'Mời đến quầy {n}', en: 'Please go to counter {n}' },
  live: { vi: 'Tự động cập nhật mỗi 5 giây.', en: 'Updates every 5 seconds.' },
  offline: { vi: 'Mất kết nối, đang thử lại…', en: 'Connection lost, retrying…' },
  takeNew: { vi: 'Lấy số mới', en: 'Take a new number' },
  note: { vi: 'Cần hỗ trợ, gọi Tổng đài 1022.', en: 'For help, call the 1022 hotline.' },
} as const satisfies Record<string, Text>;

export type Key = keyof typeof TEXTS;

/** `free` with `{n}` → 3: the holes of a text filled. */
export function fill(text: string, vars: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}

export const REASON_TEXT: Record<ClosedReason, Text> = {
  holiday: { vi: 'Ngày nghỉ lễ', en: 'Public holiday' },
  closed: { vi: 'Cơ quan không làm việc ngày này', en: 'The office is closed that day' },
  closure: { vi: 'Cơ quan tạm nghỉ ngày này', en: 'The office is closed that day (temporary closure)' },
  outside_window: { vi: 'Ngày này chưa mở nhận đặt lịch', en: 'Not open for booking yet' },
};

export const STATUS_TEXT: Record<BookingStatus, Text> = {
  booked: { vi: 'Đã đặt lịch', en: 'Booked' },
  checked_in: { vi: 'Đã đến, đang chờ', en: 'Checked in' },
  served: { vi: 'Đã được phục vụ', en: 'Served' },
  no_show: { vi: 'Không đến', en: 'Did not come' },
  cancelled: { vi: 'Đã hủy', en: 'Cancelled' },
};

export const QUEUE_STATUS_TEXT: Record<QueueStatus, Text> = {
  waiting: { vi: 'Đang chờ', en: 'Waiting' },
  called: { vi: 'Đã đến lượt', en: 'Your turn' },
  served: { vi: 'Đã phục vụ xong. Cảm ơn bạn!', en: 'Served. Thank you!' },
  no_show: { vi: 'Số đã bị bỏ qua vì bạn không có mặt khi được gọi.', en: 'The number was skipped: you were not there when called.' },
  transferred: { vi: 'Bạn được chuyển sang quầy khác, vui lòng chờ gọi.', en: 'Transferred to another counter: please wait to be called.' },
};

export const PRIORITY_TEXT: Record<Priority, Text> = {
  elderly: { vi: 'Người cao tuổi', en: 'Elderly person' },
  disability: { vi: 'Người khuyết tật', en: 'Person with a disability' },
  pregnant: { vi: 'Phụ nữ mang thai', en: 'Pregnant woman' },
};

/** The survey's five questions (tiếp cận, thủ tục, công chức, thời gian, hài lòng chung). */
export const SCORE_TEXT: Record<ScoreKey, Text> = {
  access: { vi: 'Tiếp cận dịch vụ (dễ tìm nơi, dễ đặt lịch)', en: 'Access (easy to find, easy to book)' },
  procedure: { vi: 'Thủ tục hành chính (công khai, rõ ràng)', en: 'The procedure (published, clear)' },
  staff: { vi: 'Công chức (thái độ, hướng dẫn)', en: 'The staff (courtesy, guidance)' },
  timeliness: { vi: 'Thời gian chờ và giải quyết', en: 'Timeliness (waiting and handling)' },
  overall: { vi: 'Hài lòng chung', en: 'Overall satisfaction' },
};

/** What a field at fault says (the server's own message when the field is not listed). */
export const FIELD_TEXT: Record<string, Text> = {
  name: { vi: 'Hãy nhập họ và tên.', en: 'Please enter your name.' },
  phone: { vi: 'Số điện thoại chưa đúng. Ví dụ: 0905 123 456 hoặc +84 905 123 456.', en: 'This phone number looks wrong. E.g. 0905 123 456 or +84 905 123 456.' },
  email: { vi: 'Địa chỉ email chưa đúng.', en: 'This email address looks wrong.' },
  starts_at: { vi: 'Giờ này không đặt được nữa. Hãy chọn giờ khác.', en: 'This time can no longer be booked. Please choose another.' },
  service: { vi: 'Hãy chọn dịch vụ.', en: 'Please choose the service.' },
  slotFull: { vi: 'Giờ này vừa có người đặt hết chỗ. Danh sách giờ đã được tải lại, hãy chọn giờ khác.', en: 'This time was just taken. The times are reloaded: please choose another.' },
  personLimit: { vi: 'Mỗi người chỉ được đặt tối đa {n} lịch hẹn trong một ngày tại cơ quan này.', en: 'One person may hold at most {n} appointments a day at this office.' },
  network: { vi: 'Không gửi được (mất kết nối?). Hãy bấm gửi lại: lịch sẽ không bị đặt hai lần.', en: 'Could not send (offline?). Press again: it will not be booked twice.' },
};

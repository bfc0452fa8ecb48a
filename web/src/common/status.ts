// A ticket's status as the staff pages (wall, console) name it, and which statuses are still open.

import type { Text } from './i18n';
import type { Status } from './types';

/** Statuses in which a ticket is still being handled (domain `Status::is_open`). */
export const OPEN_STATUSES: readonly Status[] = ['received', 'assigned', 'accepted', 'in_progress', 'returned'];

/** Whether a ticket of this status is still being handled. */
export const isOpenStatus = (s: Status): boolean => OPEN_STATUSES.includes(s);

export const STATUS_LABELS: Record<Status, Text> = {
  received: { vi: 'Mới tiếp nhận', en: 'received' },
  assigned: { vi: 'Đã chuyển xử lý', en: 'assigned' },
  accepted: { vi: 'Đơn vị đã nhận', en: 'accepted' },
  in_progress: { vi: 'Đang xử lý', en: 'in progress' },
  returned: { vi: 'Bị trả lại', en: 'returned' },
  resolved: { vi: 'Đã xử lý', en: 'resolved' },
  closed: { vi: 'Đã đóng', en: 'closed' },
  rejected: { vi: 'Từ chối', en: 'rejected' },
  duplicate: { vi: 'Trùng lặp', en: 'duplicate' },
};

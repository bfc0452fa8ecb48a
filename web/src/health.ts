// The colour rule of the district choropleth.
//
// Health = share of a district's OPEN tickets that are overdue:
//   no open tickets → grey ('none');  < 5 % → green ('good');  < 15 % → amber ('warn');  ≥ 15 % → red ('bad').

import type { AreaStats, Status } from './types';

export type Health = 'none' | 'good' | 'warn' | 'bad';

export const HEALTH_COLOURS: Record<Health, string> = {
  none: '#8a949e',
  good: '#2e9e5b',
  warn: '#e8a317',
  bad: '#d64545',
};

export const HEALTH_LABELS: Record<Health, { vi: string; en: string }> = {
  good: { vi: 'Quá hạn < 5 %', en: 'overdue < 5 % of open' },
  warn: { vi: 'Quá hạn 5–15 %', en: 'overdue 5–15 %' },
  bad: { vi: 'Quá hạn ≥ 15 %', en: 'overdue ≥ 15 %' },
  none: { vi: 'Không có phản ánh đang xử lý', en: 'no open tickets' },
};

export function overdueShare(stats: Pick<AreaStats, 'open' | 'overdue'>): number | null {
  return stats.open > 0 ? stats.overdue / stats.open : null;
}

export function health(stats: Pick<AreaStats, 'open' | 'overdue'> | null | undefined): Health {
  if (!stats) return 'none';
  const share = overdueShare(stats);
  if (share === null) return 'none';
  if (share < 0.05) return 'good';
  if (share < 0.15) return 'warn';
  return 'bad';
}

/** Ticket point colours by status; overdue wins over status. */
export const STATUS_COLOURS: Record<Status | 'overdue', string> = {
  received: '#3b82f6',
  assigned: '#8b5cf6',
  accepted: '#06b6d4',
  in_progress: '#14b8a6',
  returned: '#f97316',
  resolved: '#22c55e',
  closed: '#6b7280',
  rejected: '#9ca3af',
  duplicate: '#9ca3af',
  overdue: '#ef4444',
};

export const STATUS_LABELS: Record<Status, { vi: string; en: string }> = {
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

// The KPI strip: the key figures the server computes for the viewer's scope (GET /api/v1/kpis at
// load, then the live `kpis` topic). Definitions (src/service/kpi.rs, docs/live-protocol.md):
//
//  received today  tickets received today (Vietnam time)
//  resolved today  tickets resolved today
//  open / overdue  tickets being handled now, and those of them past their deadline
//  on-time rate    of the tickets resolved in the last 30 days, the share resolved by the deadline
//  median handling median time from receipt to resolution of those same tickets

import type { Kpis } from '../common/types';

export function formatRate(r: number | null): string {
  return r === null ? '—' : `${(r * 100).toFixed(1).replace('.', ',')} %`;
}

export function formatHours(h: number | null): string {
  if (h === null) return '—';
  if (h < 48) return `${h.toFixed(1).replace('.', ',')} giờ`;
  return `${(h / 24).toFixed(1).replace('.', ',')} ngày`;
}

/** The strip's cells: Vietnamese label, English label, value, optional class. */
export function kpiCells(k: Kpis | null): [string, string, string, string?][] {
  const n = (x: number | undefined) => (x === undefined ? '—' : x.toLocaleString('vi-VN'));
  return [
    ['Tiếp nhận hôm nay', 'received today', n(k?.received_today)],
    ['Đã xử lý hôm nay', 'resolved today', n(k?.resolved_today)],
    ['Đang xử lý', 'open', n(k?.open)],
    ['Quá hạn', 'overdue', n(k?.overdue), 'bad'],
    ['Đúng hạn (30 ngày)', 'on-time rate, 30 days', formatRate(k?.on_time_rate ?? null)],
    ['Thời gian xử lý (trung vị)', 'median handling time', formatHours(k?.median_handling_hours ?? null)],
  ];
}

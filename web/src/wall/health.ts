// The colour rule of the area choropleth, set on the server (`serve --wall-rule … --wall-thresholds
// warn,bad`, served at GET /api/v1/wall/config; docs/live-protocol.md, "Wall configuration"):
//
//   overdue_share  share of an area's OPEN tickets that are overdue   (higher is worse; default 5 %, 15 %)
//   overdue_count  number of an area's open tickets that are overdue  (higher is worse)
//   on_time_rate   share of the tickets resolved in the last 30 days that were on time
//                  (higher is better; from the `kpis` topic)
//
// Higher-is-worse rules: value < warn → green ('good'), < bad → amber ('warn'), else red ('bad').
// on_time_rate: value ≥ warn → green, ≥ bad → amber, else red. No value (no open tickets, nothing
// resolved) → grey ('none').

import type { Text } from '../common/i18n';
import type { AreaStats, Status, WallConfig, WallRule } from '../common/types';

export type Health = 'none' | 'good' | 'warn' | 'bad';

export const DEFAULT_WALL: WallConfig = { rule: 'overdue_share', thresholds: [0.05, 0.15] };

export const HEALTH_COLOURS: Record<Health, string> = {
  none: '#8a949e',
  good: '#2e9e5b',
  warn: '#e8a317',
  bad: '#d64545',
};

type Counts = Pick<AreaStats, 'open' | 'overdue'>;

export function overdueShare(stats: Counts): number | null {
  return stats.open > 0 ? stats.overdue / stats.open : null;
}

/** The rule's value for an area, from its live counters or (on-time rate) its key figures. */
export function metric(rule: WallRule, stats: Counts | null | undefined, onTimeRate?: number | null): number | null {
  switch (rule) {
    case 'overdue_share':
      return stats ? overdueShare(stats) : null;
    case 'overdue_count':
      return stats && stats.open > 0 ? stats.overdue : null;
    case 'on_time_rate':
      return onTimeRate ?? null;
  }
}

/** The class of a value under a configuration. */
export function grade(value: number | null, config: WallConfig): Health {
  if (value === null || Number.isNaN(value)) return 'none';
  const [warn, bad] = config.thresholds;
  if (config.rule === 'on_time_rate') return value >= warn ? 'good' : value >= bad ? 'warn' : 'bad';
  return value < warn ? 'good' : value < bad ? 'warn' : 'bad';
}

export function health(stats: Counts | null | undefined, config: WallConfig = DEFAULT_WALL, onTimeRate?: number | null): Health {
  return grade(metric(config.rule, stats, onTimeRate), config);
}

const pct = (x: number) => `${String(Math.round(x * 1000) / 10).replace('.', ',')} %`;

/** Legend texts for a configuration. */
export function healthLabels(config: WallConfig): Record<Health, Text> {
  const [a, b] = config.thresholds;
  switch (config.rule) {
    case 'overdue_share':
      return {
        good: { vi: `Quá hạn < ${pct(a)}`, en: `overdue < ${pct(a)} of open` },
        warn: { vi: `Quá hạn ${pct(a)} – ${pct(b)}`, en: `overdue ${pct(a)} – ${pct(b)}` },
        bad: { vi: `Quá hạn ≥ ${pct(b)}`, en: `overdue ≥ ${pct(b)}` },
        none: { vi: 'Không có phản ánh đang xử lý', en: 'no open tickets' },
      };
    case 'overdue_count':
      return {
        good: { vi: `Dưới ${a} phản ánh quá hạn`, en: `fewer than ${a} overdue` },
        warn: { vi: `${a} – ${b - 1} phản ánh quá hạn`, en: `${a} – ${b - 1} overdue` },
        bad: { vi: `Từ ${b} phản ánh quá hạn`, en: `${b} or more overdue` },
        none: { vi: 'Không có phản ánh đang xử lý', en: 'no open tickets' },
      };
    case 'on_time_rate':
      return {
        good: { vi: `Đúng hạn ≥ ${pct(a)}`, en: `on time ≥ ${pct(a)}` },
        warn: { vi: `Đúng hạn ${pct(b)} – ${pct(a)}`, en: `on time ${pct(b)} – ${pct(a)}` },
        bad: { vi: `Đúng hạn < ${pct(b)}`, en: `on time < ${pct(b)}` },
        none: { vi: 'Chưa có phản ánh đã xử lý (30 ngày)', en: 'nothing resolved in 30 days' },
      };
  }
}

/** What the colours measure, for the legend. */
export const RULE_CAPTIONS: Record<WallRule, Text> = {
  overdue_share: { vi: 'Tỷ lệ quá hạn trên số đang xử lý', en: 'share of open tickets that are overdue' },
  overdue_count: { vi: 'Số phản ánh quá hạn', en: 'number of overdue tickets' },
  on_time_rate: { vi: 'Tỷ lệ xử lý đúng hạn (30 ngày)', en: 'on-time rate of the last 30 days' },
};

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

// The public page's charts: the on-time rate of each district, reports by field, and the
// city's weekly trend. Apache ECharts, imported piece by piece and bundled by Vite (nothing from a
// CDN). Each chart is drawn from the very rows the tables show; groups the server suppressed are
// left off a chart (their names are listed under it) and suppressed weeks are gaps. Each chart's
// box carries a text summary (role="img" + aria-label); the tables hold every figure.

import { BarChart, LineChart, type BarSeriesOption, type LineSeriesOption } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent, type GridComponentOption, type LegendComponentOption, type TooltipComponentOption } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import type { I18n } from '../common/i18n';
import type { PublicRow, PublicWeek } from './api';
import { charted, fmtCount, fmtDay, fmtRate, rowName } from './format';
import type { TextKey } from './texts';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, AriaComponent, CanvasRenderer]);

type Option = echarts.ComposeOption<BarSeriesOption | LineSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption>;
type T = I18n<TextKey>;

const COLOURS = { received: '#1d4ed8', resolved: '#15803d', late: '#b91c1c', rate: '#0b5cad' };
const charts = new Map<HTMLElement, echarts.ECharts>();

function draw(el: HTMLElement, option: Option, summary: string): void {
  let c = charts.get(el);
  if (!c) {
    c = echarts.init(el, null, { renderer: 'canvas' });
    charts.set(el, c);
  }
  c.setOption(option, true);
  el.setAttribute('role', 'img');
  el.setAttribute('aria-label', summary);
}

export function resizeCharts(): void {
  for (const c of charts.values()) c.resize();
}

/** Horizontal bars of one figure per group, largest at the top. */
function bars(el: HTMLElement, rows: PublicRow[], value: (r: PublicRow) => number, fmt: (x: number) => string, i18n: T, colour: string, max?: number): void {
  const sorted = [...rows].sort((a, b) => value(a) - value(b));
  const names = sorted.map((r) => rowName(r, i18n.lang));
  draw(
    el,
    {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v) => fmt(Number(v)) },
      grid: { left: 8, right: 56, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: 'value', max, axisLabel: { formatter: (v: number) => fmt(v) } },
      yAxis: { type: 'category', data: names, axisLabel: { width: 170, overflow: 'truncate' } },
      series: [{ type: 'bar', data: sorted.map(value), itemStyle: { color: colour }, barMaxWidth: 22, label: { show: true, position: 'right', formatter: (p) => fmt(Number(p.value)) } }],
    },
    [...sorted].reverse().map((r) => `${rowName(r, i18n.lang)}: ${fmt(value(r))}`).join('; '),
  );
  el.style.height = `${Math.max(160, 34 * rows.length + 30)}px`;
  charts.get(el)?.resize();
}

/** The on-time rate of each district with one; returns the districts left off. */
export function districtChart(el: HTMLElement, districts: readonly PublicRow[], i18n: T): PublicRow[] {
  const shown = charted(districts, (r) => r.on_time_rate);
  bars(el, shown, (r) => r.on_time_rate ?? 0, (x) => fmtRate(x, i18n.lang), i18n, COLOURS.rate, 1);
  return districts.filter((r) => !shown.includes(r));
}

/** Reports received in each field; returns the fields left off. */
export function fieldChart(el: HTMLElement, fields: readonly PublicRow[], i18n: T): PublicRow[] {
  const shown = charted(fields, (r) => r.received);
  bars(el, shown, (r) => r.received ?? 0, (x) => fmtCount(x, i18n.lang), i18n, COLOURS.received);
  return fields.filter((r) => !shown.includes(r));
}

/** Received and resolved per week (bars), late resolutions (a line); a suppressed week is a gap. */
export function weeksChart(el: HTMLElement, weeks: readonly PublicWeek[], i18n: T): void {
  const x = weeks.map((w) => fmtDay(w.week, i18n.lang));
  const v = (k: 'received' | 'resolved' | 'late') => weeks.map((w) => (w.suppressed ? null : w[k] ?? null));
  const summary = weeks
    .map((w) => `${fmtDay(w.week, i18n.lang)}: ${w.suppressed ? '—' : `${i18n.t('receivedShort')} ${fmtCount(w.received, i18n.lang)}, ${i18n.t('resolvedShort')} ${fmtCount(w.resolved, i18n.lang)}, ${i18n.t('late')} ${fmtCount(w.late, i18n.lang)}`}`)
    .join('; ');
  draw(
    el,
    {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: x },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { type: 'bar', name: i18n.t('receivedShort'), data: v('received'), itemStyle: { color: COLOURS.received }, barMaxWidth: 18 },
        { type: 'bar', name: i18n.t('resolvedShort'), data: v('resolved'), itemStyle: { color: COLOURS.resolved }, barMaxWidth: 18 },
        { type: 'line', name: i18n.t('late'), data: v('late'), itemStyle: { color: COLOURS.late }, lineStyle: { width: 2.5 }, connectNulls: false },
      ],
    },
    `${i18n.t('weekly')}. ${summary}`,
  );
}

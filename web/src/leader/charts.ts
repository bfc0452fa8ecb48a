// The leaders' charts: weekly trends, the hour × weekday heatmap, fields and categories, the
// ratings and the age of the open tickets. Each chart is fed the very rows the API answered (the
// numbers on a chart are the numbers in the export) and redrawn in place when they change.
//
// Apache ECharts, imported piece by piece (echarts/core plus only the charts, components and
// renderer used) so that Vite bundles and tree-shakes it with the page: nothing from a CDN, it
// works offline on the wall. Why ECharts: a well-kept Apache project, bar, line and heatmap
// charts in one library (one API, one look), and a canvas renderer that stays fast on a 4K wall.
import { BarChart, HeatmapChart, LineChart, type BarSeriesOption, type HeatmapSeriesOption, type LineSeriesOption } from 'echarts/charts';
import {
  GridComponent, LegendComponent, TooltipComponent, VisualMapComponent,
  type GridComponentOption, type LegendComponentOption, type TooltipComponentOption, type VisualMapComponentOption,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import type { I18n } from '../common/i18n';
import type { StatsRow, Week } from './api';
import { fmtDay } from './format';
import { DIVERGING, SEQUENTIAL } from './scale';
import { WEEKDAYS, type TEXTS } from './texts';

echarts.use([BarChart, LineChart, HeatmapChart, GridComponent, LegendComponent, TooltipComponent, VisualMapComponent, CanvasRenderer]);

type Option = echarts.ComposeOption<
  BarSeriesOption | LineSeriesOption | HeatmapSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption | VisualMapComponentOption
>;

const COLOURS = { received: '#1d4ed8', resolved: '#16a34a', late: '#dc2626', backlog: '#f59e0b' };
const charts = new Map<HTMLElement, echarts.ECharts>();

/** Draws `option` in `el` (the chart is made once, then updated). */
function draw(el: HTMLElement, option: Option): void {
  let c = charts.get(el);
  if (!c) {
    // Twice the pixels at least: crisp when printed.
    c = echarts.init(el, null, { renderer: 'canvas', devicePixelRatio: Math.max(2, window.devicePixelRatio || 1) });
    charts.set(el, c);
  }
  c.setOption(option, true);
}

/** Fits every chart to its box again (window resized, about to print). */
export function resizeCharts(): void {
  for (const c of charts.values()) c.resize();
}

/** The text size, larger on a big screen (as the page's CSS does). */
const fontSize = () => Math.round(12 * Math.max(1, window.innerWidth / 1920));

type T = I18n<keyof typeof TEXTS>;
const name = (r: StatsRow, i18n: T, i = 0) => (i18n.lang === 'vi' ? r.key[i]?.name : r.key[i]?.name_en) ?? '';

/** Received, resolved, late resolutions and the backlog at each week's end. */
export function trendChart(el: HTMLElement, weeks: readonly Week[], i18n: T): void {
  const x = weeks.map((w) => fmtDay(w.week, i18n.lang));
  const line = (key: keyof typeof COLOURS, label: keyof typeof TEXTS, data: number[], type: 'line' | 'bar'): LineSeriesOption | BarSeriesOption =>
    type === 'bar'
      ? { type: 'bar', name: i18n.t(label), data, itemStyle: { color: COLOURS[key] }, barMaxWidth: 18 }
      : { type: 'line', name: i18n.t(label), data, itemStyle: { color: COLOURS[key] }, lineStyle: { width: 2.5 }, symbolSize: 6, smooth: false };
  draw(el, {
    textStyle: { fontSize: fontSize() },
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 48, right: 16, top: 36, bottom: 28 },
    xAxis: { type: 'category', data: x },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      line('received', 'received', weeks.map((w) => w.received), 'bar'),
      line('resolved', 'resolved', weeks.map((w) => w.resolved), 'bar'),
      line('late', 'late', weeks.map((w) => w.late), 'line'),
      line('backlog', 'backlog', weeks.map((w) => w.backlog), 'line'),
    ],
  });
}

/** Reports received by hour of day (x) and weekday (y): when they pile up. */
export function heatmapChart(el: HTMLElement, rows: readonly StatsRow[], i18n: T): void {
  const data: [number, number, number][] = [];
  let max = 1;
  for (const r of rows) {
    const hour = Number(r.key.find((k) => k.dimension === 'hour')?.value);
    const weekday = Number(r.key.find((k) => k.dimension === 'weekday')?.value);
    if (!Number.isInteger(hour) || !Number.isInteger(weekday)) continue;
    data.push([hour, weekday - 1, r.measures.received]);
    max = Math.max(max, r.measures.received);
  }
  draw(el, {
    textStyle: { fontSize: fontSize() },
    tooltip: {
      formatter: (p: unknown) => {
        const [h, d, n] = (p as { value: [number, number, number] }).value;
        return `${i18n.pick(WEEKDAYS[d])} ${String(h).padStart(2, '0')}:00–${String(h + 1).padStart(2, '0')}:00<br><b>${n}</b> ${i18n.t('tickets').toLowerCase()}`;
      },
    },
    grid: { left: 72, right: 16, top: 8, bottom: 64 },
    xAxis: { type: 'category', data: Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0')), name: i18n.t('hour'), nameLocation: 'middle', nameGap: 24, splitArea: { show: true } },
    yAxis: { type: 'category', data: WEEKDAYS.map((d) => i18n.pick(d)), inverse: true, splitArea: { show: true } },
    visualMap: { min: 0, max, calculable: true, orient: 'horizontal', left: 'center', bottom: 0, itemHeight: 120, inRange: { color: [...SEQUENTIAL] } },
    series: [{ type: 'heatmap', data, emphasis: { itemStyle: { borderColor: '#0b1a2a', borderWidth: 1 } } }],
  });
}

/** Received and resolved per group (fields, categories), the largest `top` groups, largest on top. */
export function groupBars(el: HTMLElement, rows: readonly StatsRow[], i18n: T, top = 12): void {
  const shown = [...rows].sort((a, b) => b.measures.received - a.measures.received).slice(0, top).reverse();
  draw(el, {
    textStyle: { fontSize: fontSize() },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0 },
    grid: { left: 8, right: 24, top: 30, bottom: 8, containLabel: true },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: shown.map((r) => name(r, i18n)), axisLabel: { width: 180, overflow: 'truncate' } },
    series: [
      { type: 'bar', name: i18n.t('received'), data: shown.map((r) => r.measures.received), itemStyle: { color: COLOURS.received } },
      { type: 'bar', name: i18n.t('resolved'), data: shown.map((r) => r.measures.resolved), itemStyle: { color: COLOURS.resolved } },
      { type: 'bar', name: i18n.t('overdue'), data: shown.map((r) => r.measures.overdue), itemStyle: { color: COLOURS.late } },
    ],
  });
}

/** How many tickets were rated 1★ … 5★. */
export function ratingsChart(el: HTMLElement, ratings: readonly number[], i18n: T): void {
  draw(el, {
    textStyle: { fontSize: fontSize() },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 40, right: 12, top: 12, bottom: 24 },
    xAxis: { type: 'category', data: ['1★', '2★', '3★', '4★', '5★'] },
    yAxis: { type: 'value', minInterval: 1 },
    series: [{ type: 'bar', name: i18n.t('rating'), data: [0, 1, 2, 3, 4].map((i) => ({ value: ratings[i] ?? 0, itemStyle: { color: DIVERGING[i] } })), barMaxWidth: 48 }],
  });
}

/** The open tickets by age in working days (0–2, 3–5, 6–7, 8–15, 16+): past 7 they are late. */
export function backlogChart(el: HTMLElement, backlog: readonly number[], i18n: T): void {
  const colours = [DIVERGING[4], DIVERGING[3], DIVERGING[2], DIVERGING[1], DIVERGING[0]];
  draw(el, {
    textStyle: { fontSize: fontSize() },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 40, right: 12, top: 12, bottom: 24 },
    xAxis: { type: 'category', data: ['0–2', '3–5', '6–7', '8–15', '16+'].map((b) => `${b} ${i18n.t('days')}`) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [{ type: 'bar', name: i18n.t('open'), data: [0, 1, 2, 3, 4].map((i) => ({ value: backlog[i] ?? 0, itemStyle: { color: colours[i] } })), barMaxWidth: 48 }],
  });
}

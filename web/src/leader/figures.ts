// The key figures of the chosen period and place, each with its change against the previous
// period of the same length (▲ ▼, green when better, red when worse), and the satisfaction
// index beside its four components and their weights, so that a leader sees why it is low.

import { esc } from '../common/dom';
import type { I18n } from '../common/i18n';
import type { Measures, Satisfaction, StatsReport, StatsRow, Weights } from './api';
import { change, fmtNum, fmtRate, fmtValue, type Direction, type Kind } from './format';
import { ramp, DIVERGING } from './scale';
import type { TEXTS, TextKey } from './texts';

type T = I18n<keyof typeof TEXTS>;

interface Figure {
  key: string;
  label: TextKey;
  kind: Kind;
  dir: Direction;
  value(row: StatsRow): number | null | undefined;
}

const m = (k: keyof Measures) => (r: StatsRow) => r.measures[k] as number | null | undefined;

export const FIGURES: Figure[] = [
  { key: 'received', label: 'received', kind: 'count', dir: 'neutral', value: m('received') },
  { key: 'resolved', label: 'resolved', kind: 'count', dir: 'up', value: m('resolved') },
  { key: 'on_time_rate', label: 'on_time_rate', kind: 'rate', dir: 'up', value: m('on_time_rate') },
  { key: 'lateness_rate', label: 'lateness_rate', kind: 'rate', dir: 'down', value: m('lateness_rate') },
  { key: 'overdue', label: 'overdue', kind: 'count', dir: 'down', value: m('overdue') },
  { key: 'handling_days_median', label: 'handling_days_median', kind: 'days', dir: 'down', value: m('handling_days_median') },
  { key: 'rating_mean', label: 'rating_mean', kind: 'rating', dir: 'up', value: m('rating_mean') },
  { key: 'satisfaction', label: 'satisfaction', kind: 'index', dir: 'up', value: (r) => r.satisfaction?.index },
];

/** The cards of the key figures. */
export function figuresHtml(report: StatsReport, i18n: T): string {
  const prev = report.previous?.total ?? null;
  return FIGURES.map((f) => {
    const cur = f.value(report.total);
    const before = prev ? f.value(prev) : null;
    const c = change(cur, before, f.kind, f.dir, i18n.lang);
    const title = prev ? `${i18n.t('previousWas')}: ${fmtValue(before, f.kind, i18n.lang)}` : i18n.t('noPrevious');
    const delta = c.tone === 'none'
      ? `<span class="delta none">${esc(prev ? '—' : i18n.t('noPrevious'))}</span>`
      : `<span class="delta ${c.tone}" title="${esc(title)}">${c.arrow} ${esc(c.text)} <small>${esc(i18n.t('vsPrevious'))}</small></span>`;
    return `<div class="figure" data-figure="${f.key}"><div class="label">${esc(i18n.t(f.label))}</div>
      <div class="value">${esc(fmtValue(cur, f.kind, i18n.lang))}</div>${delta}</div>`;
  }).join('');
}

const COMPONENTS: { key: keyof Weights & keyof Satisfaction; label: TextKey }[] = [
  { key: 'ratings', label: 'satRatings' },
  { key: 'on_time', label: 'satOnTime' },
  { key: 'reopen', label: 'satReopen' },
  { key: 'volume', label: 'satVolume' },
];

/** The index of `row` (the selected area or unit, or the whole scope) and its components. */
export function satisfactionHtml(place: string, row: StatsRow, weights: Weights, i18n: T): string {
  const s = row.satisfaction;
  if (!s) return `<h2>${esc(i18n.t('satTitle'))}</h2><p class="muted">${esc(i18n.t('notComputed'))}</p>`;
  const sum = COMPONENTS.reduce((a, c) => a + weights[c.key], 0) || 1;
  const bars = COMPONENTS.map((c) => {
    const v = s[c.key] as number | null | undefined;
    const w = `${i18n.t('weight')} ${fmtNum((weights[c.key] / sum) * 100, i18n.lang)}%`;
    if (v === null || v === undefined) {
      return `<li data-component="${c.key}"><span class="name">${esc(i18n.t(c.label))} <small>${esc(w)}</small></span><span class="bar none"></span><span class="v muted">${esc(i18n.t('notComputed'))}</span></li>`;
    }
    return `<li data-component="${c.key}"><span class="name">${esc(i18n.t(c.label))} <small>${esc(w)}</small></span>
      <span class="bar"><span style="width:${(Math.max(0, Math.min(1, v)) * 100).toFixed(1)}%;background:${ramp(DIVERGING, v)}"></span></span>
      <span class="v">${esc(fmtRate(v, i18n.lang))}</span></li>`;
  }).join('');
  const index = s.index ?? null;
  const people = s.population
    ? `<p class="muted">${esc(i18n.t('residents'))}: ${esc(fmtNum(s.population, i18n.lang))} · ${esc(i18n.t('per_10k'))}: ${esc(fmtValue(s.per_10k ?? null, 'per10k', i18n.lang))}</p>`
    : '';
  return `<h2>${esc(i18n.t('satTitle'))}: ${esc(place)}</h2>
    <div class="sat-index" style="border-color:${index === null ? '#cfd6dd' : ramp(DIVERGING, (index - 40) / 60)}">
      <span class="v">${esc(fmtValue(index, 'index', i18n.lang))}</span><span class="muted">/ 100 · ${esc(i18n.t('satisfaction'))}</span></div>
    <ul class="components">${bars}</ul>${people}<p class="note muted">${esc(i18n.t('satNote'))}</p>`;
}

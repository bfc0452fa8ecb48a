// The bottom of the drill-down: the tickets of a unit in an area for the period (a list), and one
// ticket's detail (status, category, area, unit, deadline, result, rating, its timeline) in a
// panel. The console opens tickets only for its desks (not for leaders) and not by URL, so the
// detail is shown here, read-only.

import { esc } from '../common/dom';
import type { I18n } from '../common/i18n';
import { STATUS_LABELS, isOpenStatus } from '../common/status';
import type { Ticket, TicketEvent } from '../common/types';
import { directionSteps, mergeTimeline, vnToday, type DirectionStep, type DirectionView } from './directions';
import { fmtDay, fmtWhen } from './format';
import { EVENTS, type TEXTS, type TextKey } from './texts';

type T = I18n<keyof typeof TEXTS>;

export interface Names {
  category(code: string): string;
  unit(code: string | null | undefined): string;
}

/** The basis instant of a ticket for the period (received, or resolved). */
const basisDay = (t: Ticket, basis: 'received' | 'resolved') => {
  const at = basis === 'resolved' ? t.resolved_at : t.received_at;
  return at ? new Date(new Date(at).getTime() + 7 * 3_600_000).toISOString().slice(0, 10) : null;
};

/**
 * The tickets of a list that fall in the period by `basis` (Vietnam dates, both ends included)
 * and match the filters the ticket list API cannot apply (channel, priority).
 */
export function inPeriod(items: readonly Ticket[], o: { basis: 'received' | 'resolved'; from: string | null; to: string | null; channel: string[]; priority: string[] }): Ticket[] {
  return items.filter((t) => {
    const d = basisDay(t, o.basis);
    if (o.from && o.to && (!d || d < o.from || d > o.to)) return false;
    if (o.channel.length && !o.channel.includes(t.channel)) return false;
    if (o.priority.length && !o.priority.includes(t.priority)) return false;
    return true;
  });
}

function statusHtml(t: Ticket, i18n: T): string {
  const label = STATUS_LABELS[t.status];
  const flag = t.overdue ? ` <b class="bad">${esc(i18n.t('overdueShort'))}</b>` : t.resolved_at ? (t.late ? ` <span class="bad">${esc(i18n.t('lateShort'))}</span>` : ` <span class="good">${esc(i18n.t('onTime'))}</span>`) : '';
  return `<span class="st st-${esc(t.status)}">${esc(label ? i18n.pick(label) : t.status)}</span>${flag}`;
}

/** The list: code, status, category, area, received, deadline; a row opens the ticket. */
export function ticketListHtml(items: readonly Ticket[], more: boolean, selected: string | null, names: Names, i18n: T): string {
  if (!items.length) return `<p class="empty">${esc(i18n.t('noRows'))}</p>`;
  const head = (['code', 'status', 'category', 'area', 'receivedAt', 'deadline'] as const).map((k) => `<th scope="col">${esc(i18n.t(k))}</th>`).join('');
  const rows = items
    .map((t) => `<tr data-key="${esc(t.id)}" tabindex="0" class="link${t.id === selected ? ' selected' : ''}">
      <td><b>${esc(t.code)}</b></td><td>${statusHtml(t, i18n)}</td><td>${esc(names.category(t.category))}</td>
      <td>${esc(t.area_name ?? t.area ?? '')}</td><td>${esc(fmtWhen(t.received_at, i18n.lang))}</td><td>${esc(fmtWhen(t.deadline, i18n.lang))}</td></tr>`)
    .join('');
  const note = more ? `<p class="muted">${esc(i18n.t('shownOf'))} ${items.length} — ${esc(i18n.t('more'))}</p>` : '';
  return `<table class="tickets"><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>${note}`;
}

const STEP_LABELS: Record<DirectionStep['kind'], TextKey> = {
  'direction.issued': 'dStepIssued',
  'direction.acknowledged': 'dStepAcknowledged',
  'direction.reported': 'dStepReported',
};

/** A step a direction adds to the timeline: issued (with its due date), acknowledged, reported (with the report). */
function stepHtml(s: DirectionStep, i18n: T): string {
  const due = s.due ? ` <span class="due${s.overdue ? ' bad' : ''}">${esc(i18n.t('dDue'))} ${esc(fmtDay(vnToday(new Date(s.due)), i18n.lang))}${s.overdue ? ` · ${esc(i18n.t('overdueShort'))}` : ''}</span>` : '';
  return `<li class="direction" data-kind="${esc(s.kind)}"><time>${esc(fmtWhen(s.at, i18n.lang))}</time> <b>${esc(i18n.t(STEP_LABELS[s.kind]))}</b>${due}
    <span class="who">${esc(s.who)}</span>${s.note ? `<div class="note">${esc(s.note)}</div>` : ''}</li>`;
}

/** One ticket and its timeline, with the directions on it; `direct` offers the button that issues one. */
export function ticketDetailHtml(t: Ticket, events: readonly TicketEvent[], names: Names, i18n: T, directions: readonly DirectionView[] = [], direct = false): string {
  const row = (label: keyof typeof TEXTS, value: string) => `<dt>${esc(i18n.t(label))}</dt><dd>${value}</dd>`;
  const rows = [
    row('status', statusHtml(t, i18n)),
    row('category', esc(names.category(t.category))),
    row('area', esc(t.area_name ?? t.area ?? '—')),
    row('address', esc(t.address ?? '—')),
    row('unit', esc(t.unit ? names.unit(t.unit) : '—')),
    row('receivedAt', esc(fmtWhen(t.received_at, i18n.lang))),
    row('deadline', esc(fmtWhen(t.deadline, i18n.lang)) + (isOpenStatus(t.status) && t.overdue ? ` <b class="bad">${esc(i18n.t('overdueShort'))}</b>` : '')),
  ];
  if (t.resolved_at) rows.push(row('resolvedAt', esc(fmtWhen(t.resolved_at, i18n.lang))));
  if (t.rating) rows.push(row('rating', `${'★'.repeat(t.rating)}${t.rating_comment ? ` — ${esc(t.rating_comment)}` : ''}`));
  const timeline = mergeTimeline(events, directionSteps(directions))
    .map((x) => {
      if ('step' in x) return stepHtml(x.step, i18n);
      const e = x.event;
      const label = EVENTS[e.kind];
      return `<li data-kind="${esc(e.kind)}"><time>${esc(fmtWhen(e.at, i18n.lang))}</time> <b>${esc(label ? i18n.pick(label) : e.kind)}</b>
        <span class="who">${esc(e.actor.replace(/^user:/, ''))}</span>${e.note ? `<div class="note">${esc(e.note)}</div>` : ''}</li>`;
    })
    .join('');
  // A direction goes to the ticket's unit: none can be given before it has one.
  const button = direct && t.unit ? `<button type="button" class="direct" data-direct-ticket="${esc(t.id)}">${esc(i18n.t('direct'))}</button>` : '';
  return `<header><h2>${esc(t.code)}</h2>${button}<button type="button" class="close" aria-label="${esc(i18n.t('close'))}">×</button></header>
    <dl>${rows.join('')}</dl>
    <p class="desc">${esc(t.description)}</p>
    ${t.result ? `<h3>${esc(i18n.t('result'))}</h3><p>${esc(t.result)}</p>` : ''}
    <h3>${esc(i18n.t('timeline'))}</h3><ol class="timeline">${timeline}</ol>`;
}

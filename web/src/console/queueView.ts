// The queue panel: the desk's queues as tabs (the centre: triage and results to publish; an
// agency: its unit's work), each ticket with its deadline counting down (red when overdue), kept
// current from the live feed. ↑/↓ move through the list, Enter opens a ticket.

import * as common from '../common/api';
import { $, esc } from '../common/dom';
import { ApiError } from '../common/http';
import { bi } from '../common/i18n';
import { STATUS_LABELS } from '../common/status';
import type { Ticket } from '../common/types';
import * as api from './api';
import { ago, countdown, type Countdown } from './format';
import type { ConsoleMap } from './map';
import { inQueue, isOpen, needsCategory, queue, statusesFor, tabsFor, type Tab } from './queue';

/** At most this many items are drawn; the rest are counted. */
const SHOWN = 200;

const TAB_LABELS: Record<Tab, { vi: string; en: string }> = {
  triage: { vi: 'Chờ phân loại', en: 'to route: new, returned, overdue' },
  publish: { vi: 'Chờ công bố', en: 'results to publish' },
  unit: { vi: 'Việc của đơn vị', en: "your unit's queue" },
};

export interface QueueDeps {
  role: string;
  map: ConsoleMap;
  categoryName(code: string): string;
  unitName(code: string | null | undefined): string;
  openTicket(id: string): void;
}

export function setupQueue(deps: QueueDeps) {
  const tabs = tabsFor(deps.role);
  const held = new Map<string, Ticket>();
  let tab: Tab = tabs[0];
  let selected: string | null = null;
  /** In the triage tab, only the tickets that still need a category ("Cần phân loại"). */
  let onlyUnsorted = false;
  const pending = new Set<string>();
  let flush: ReturnType<typeof setTimeout> | null = null;

  const list = $('queue-list');
  const tabBar = $('queue-tabs');

  function render(): void {
    const now = new Date();
    // Redrawing must not take the keyboard focus away from the list.
    const focused = (document.activeElement as HTMLElement | null)?.closest?.<HTMLElement>('#queue-list li[data-id]')?.dataset.id;
    tabBar.innerHTML = tabs
      .map((t) => {
        const n = [...held.values()].filter((x) => inQueue(x, t, now)).length;
        return `<button type="button" role="tab" data-tab="${t}" aria-selected="${t === tab}">${bi(TAB_LABELS[t].vi, TAB_LABELS[t].en)} <span class="n">${n}</span></button>`;
      })
      .join('') + (tab === 'triage' ? unsortedToggle(now) : '');
    const items = queue(held.values(), tab, now).filter((t) => !(tab === 'triage' && onlyUnsorted) || needsCategory(t));
    list.innerHTML = items.slice(0, SHOWN).map((t) => item(t, now)).join('') +
      (items.length > SHOWN ? `<li class="more">${bi(`và ${items.length - SHOWN} phiếu khác`, 'more')}</li>` : '') +
      (items.length ? '' : `<li class="more">${bi('Không có phiếu nào', 'nothing waiting')}</li>`);
    const focusable = list.querySelector<HTMLElement>(`li[data-id="${CSS.escape(selected ?? '')}"]`) ?? list.querySelector<HTMLElement>('li[data-id]');
    if (focusable) focusable.tabIndex = 0;
    if (focused) list.querySelector<HTMLElement>(`li[data-id="${CSS.escape(focused)}"]`)?.focus();
    deps.map.setQueue(items.map((t) => ({ id: t.id, code: t.code, lon: t.location.lon, lat: t.location.lat, level: timing(t, now).level })));
  }

  /** The triage tab's filter: the reports left under "other" by the category suggester. */
  function unsortedToggle(now: Date): string {
    const n = queue(held.values(), 'triage', now).filter(needsCategory).length;
    return `<button type="button" class="filter" data-unsorted aria-pressed="${onlyUnsorted}">${bi('Cần phân loại', 'needs triage')} <span class="n">${n}</span></button>`;
  }

  /** An open ticket's deadline counting down; a settled one's result, on time or late. */
  function timing(t: Ticket, now: Date): Countdown {
    if (isOpen(t)) return countdown(t.deadline, now);
    return t.late ? { vi: 'Trễ hạn', en: 'resolved late', level: 'soon' } : { vi: 'Đúng hạn', en: 'resolved on time', level: 'ok' };
  }

  function item(t: Ticket, now: Date): string {
    const cd = timing(t, now);
    const where = t.area_name ?? '';
    const unit = t.unit ? deps.unitName(t.unit) : t.suggested_unit ? `→ ${deps.unitName(t.suggested_unit)}` : '';
    return `<li data-id="${esc(t.id)}" tabindex="-1" class="${cd.level}${t.id === selected ? ' selected' : ''}" aria-label="${esc(t.code)}">
      <div class="l1"><b class="code">${esc(t.code)}</b> <span class="st st-${t.status}">${esc(STATUS_LABELS[t.status]?.vi ?? t.status)}</span>
        <span class="cd ${cd.level}" title="${esc(cd.en)}">${esc(cd.vi)}</span></div>
      <div class="l2">${needsCategory(t) ? `<span class="unsorted">${bi('Cần phân loại', 'needs triage')}</span> ` : ''}${esc(deps.categoryName(t.category))}${where ? ` — ${esc(where)}` : ''}</div>
      <div class="l3">${esc(t.description.slice(0, 120))}</div>
      <div class="l4">${esc(t.resolved_at ? `xong ${ago(t.resolved_at, now).vi}` : ago(t.received_at, now).vi)}${unit ? ` · ${esc(unit)}` : ''}</div></li>`;
  }

  /** Reloads every queue of the desk from the REST API. */
  async function load(): Promise<void> {
    const lists = await Promise.all([
      ...tabs.map((t) => api.tickets({ status: statusesFor(t) })),
      ...(tabs.includes('triage') ? [api.tickets({ overdue: true })] : []),
    ]);
    held.clear();
    for (const t of lists.flat()) held.set(t.id, t);
    render();
  }

  /** A ticket as the API just returned it (after an action, a filed call or a reload of one). */
  function upsert(t: Ticket): void {
    const had = held.get(t.id);
    if (had && had.version > t.version) return;
    if (tabs.some((x) => inQueue(t, x, new Date()))) held.set(t.id, t);
    else held.delete(t.id);
    render();
  }

  /** Re-reads the tickets live events named, a few at a time. */
  async function fetchPending(): Promise<void> {
    flush = null;
    const ids = [...pending];
    pending.clear();
    await Promise.all(ids.map(async (id) => {
      try {
        upsert(await common.ticket(id));
      } catch (e) {
        // Out of our scope now (forwarded elsewhere) or gone: it leaves the queue.
        if (e instanceof ApiError && (e.status === 403 || e.status === 404)) {
          held.delete(id);
          render();
        }
      }
    }));
  }

  function onEvent(data: Record<string, unknown>): void {
    const id = typeof data.id === 'string' ? data.id : null;
    if (!id) return;
    const held1 = held.get(id);
    if (held1 && typeof data.version === 'number' && data.version <= held1.version) return;
    const candidate = { ...(data as object), id, code: String(data.code ?? ''), deadline: String(data.deadline ?? ''), received_at: String(data.received_at ?? '') } as Ticket;
    if (!held1 && !tabs.some((x) => inQueue(candidate, x, new Date()))) return;
    pending.add(id);
    flush ??= setTimeout(() => void fetchPending(), 250);
  }

  // ---- keyboard and mouse -----------------------------------------------------------------------
  tabBar.addEventListener('click', (e) => {
    if ((e.target as HTMLElement).closest('[data-unsorted]')) {
      onlyUnsorted = !onlyUnsorted;
      render();
      return;
    }
    const b = (e.target as HTMLElement).closest<HTMLElement>('[data-tab]');
    if (b) {
      tab = b.dataset.tab as Tab;
      render();
    }
  });
  const open = (li: HTMLElement | null) => {
    if (!li?.dataset.id) return;
    selected = li.dataset.id;
    deps.openTicket(li.dataset.id);
  };
  list.addEventListener('click', (e) => open((e.target as HTMLElement).closest<HTMLElement>('li[data-id]')));
  list.addEventListener('keydown', (e) => {
    const li = (e.target as HTMLElement).closest<HTMLElement>('li[data-id]');
    if (!li) return;
    const to = e.key === 'ArrowDown' ? li.nextElementSibling : e.key === 'ArrowUp' ? li.previousElementSibling : null;
    if (to instanceof HTMLElement && to.dataset.id) {
      e.preventDefault();
      li.tabIndex = -1;
      to.tabIndex = 0;
      to.focus();
    } else if (e.key === 'Enter') {
      e.preventDefault();
      open(li);
    }
  });

  return {
    load,
    upsert,
    onEvent,
    render,
    select(id: string | null) {
      selected = id;
      render();
    },
    focus: () => (list.querySelector<HTMLElement>('li[tabindex="0"]') ?? list.querySelector<HTMLElement>('li[data-id]'))?.focus(),
  };
}

// The ticket panel: what a ticket is, where, who called (for those who may know), its deadline
// counting down, its timeline (with the leaders' directions on it), and the actions this user may take as buttons, each opening a
// small form with the fields it needs (the unit list prefilled with the routing suggestion).
// Actions are sent with If-Match, so a ticket changed by someone else meanwhile is reloaded
// rather than overwritten.

import * as common from '../common/api';
import { $, esc } from '../common/dom';
import { ApiError } from '../common/http';
import { bi } from '../common/i18n';
import { STATUS_LABELS, isOpenStatus } from '../common/status';
import type { Ticket, TicketEvent, Unit } from '../common/types';
import { ACTION_ORDER, ACTIONS, buildAction, unitChoices, type ActionKind, type FieldName, type FieldSpec } from './actions';
import * as api from './api';
import { directionSteps, dueDay, mergeTimeline, STEP_LABELS, type DirectionStep, type DirectionView } from './directions';
import { clock, countdown, formatDuration } from './format';
import type { ConsoleMap } from './map';
import { toast } from './util';

const EVENT_LABELS: Record<string, [string, string]> = {
  created: ['Tiếp nhận', 'filed'], assigned: ['Chuyển xử lý', 'forwarded to a unit'], forwarded: ['Chuyển tiếp', 'forwarded'],
  accepted: ['Đơn vị tiếp nhận', 'accepted'], started: ['Bắt đầu xử lý', 'work started'], progress: ['Cập nhật tiến độ', 'progress'],
  returned: ['Trả lại', 'returned'], resolved: ['Có kết quả', 'resolved'], closed: ['Công bố kết quả', 'published, closed'],
  rejected: ['Từ chối', 'rejected'], duplicate: ['Trùng lặp', 'duplicate'], reopened: ['Mở lại', 'reopened'],
  extended: ['Gia hạn', 'deadline extended'], rated: ['Đánh giá', 'rated'], overdue: ['Quá hạn', 'overdue'],
  photo_added: ['Thêm ảnh', 'photos added'],
  supported: ['Thêm người ủng hộ', 'a citizen supports it'],
};

export interface DetailDeps {
  role: string;
  userUnits: string[];
  units: Unit[];
  map: ConsoleMap;
  categoryName(code: string): string;
  unitName(code: string | null | undefined): string;
  /** The ticket changed through this panel. */
  onChanged(t: Ticket): void;
  onClose(): void;
}

export function setupDetail(deps: DetailDeps) {
  const box = $('detail');
  let t: Ticket | null = null;
  let events: TicketEvent[] = [];
  let directions: DirectionView[] = [];
  let call: api.CallRecord | null = null;
  let form: ActionKind | null = null;
  let stale = false;

  async function load(id: string) {
    const [ticket, evs, ds] = await Promise.all([common.ticket(id), api.events(id), api.ticketDirections(id).catch(() => [])]);
    // The call's details are personal data: the roles that may see a reporter's contact.
    const c = deps.role === 'leader' ? null : await api.ticketCall(ticket.id).catch(() => null);
    return { ticket, evs, ds, c };
  }

  async function open(id: string): Promise<void> {
    const { ticket, evs, ds, c } = await load(id);
    [t, events, directions, call, form, stale] = [ticket, evs, ds, c, null, false];
    box.hidden = false;
    render();
    deps.map.setSelected(ticket.location);
    box.querySelector<HTMLElement>('.actions button')?.focus();
  }

  // The supporters' contacts, read when asked for (personal data).
  box.addEventListener('click', (e) => {
    if (!t || !(e.target as HTMLElement).closest('[data-supporters]')) return;
    const list = box.querySelector<HTMLElement>('.sup-list');
    void api.supporters(t.id).then((all) => {
      if (!list) return;
      const shown = all.map((x) => [x.contact.name, x.contact.phone, x.contact.email].filter(Boolean).join(' · ')).filter(Boolean);
      list.innerHTML = shown.length ? shown.map((c) => `<li>${esc(c)}</li>`).join('') : `<li>${bi('Không ai để lại liên hệ', 'no contacts left')}</li>`;
    }).catch((err) => toast(esc(err instanceof Error ? err.message : err)));
  });

  function markStale(): void {
    if (!stale) box.querySelector('dl')?.insertAdjacentHTML('beforebegin', `<p class="stale" role="alert">${bi('Phiếu vừa thay đổi — sẽ tải lại khi bạn gửi', 'changed meanwhile: it reloads when you act')}</p>`);
    stale = true;
  }

  /** Reloads the open ticket after a live event. An action form opened while it loaded is
   * kept, with what is typed in it (the panel is marked stale instead); focus stays put. */
  async function refresh(id: string): Promise<void> {
    const { ticket, evs, ds, c } = await load(id);
    if (!t || t.id !== id) return;
    if (form) return markStale();
    const focused = box.contains(document.activeElement);
    [t, events, directions, call, stale] = [ticket, evs, ds, c, false];
    render();
    if (focused) box.querySelector<HTMLElement>('.actions button')?.focus();
  }

  function close(): void {
    t = null;
    box.hidden = true;
    deps.map.setSelected(null);
    deps.onClose();
  }

  function render(): void {
    if (!t) return;
    const now = new Date();
    const cd = countdown(t.deadline, now);
    const open = isOpenStatus(t.status);
    const r = t.reporter;
    const rows: [string, string, string][] = [
      ['Lĩnh vực', 'category', esc(deps.categoryName(t.category))],
      ['Địa bàn', 'area', esc(t.area_name ?? '—')],
      ['Địa chỉ', 'address', esc(t.address ?? '—')],
      ['Đơn vị xử lý', 'unit', esc(t.unit ? deps.unitName(t.unit) : '—') + (t.suggested_unit ? ` <i>(${bi('gợi ý', 'suggested')}: ${esc(deps.unitName(t.suggested_unit))})</i>` : '')],
      ['Tiếp nhận', 'received', `${esc(clock(t.received_at))} · ${esc(t.channel)}`],
      ['Hạn xử lý', 'deadline', esc(clock(t.deadline))],
    ];
    if (t.duplicate_of) rows.push(['Trùng với', 'duplicate of', `<a href="#" data-open="${esc(t.duplicate_of)}">${bi('mở phiếu gốc', 'open the original')}</a>`]);
    if (t.resolved_at) rows.push(['Xử lý xong', 'resolved', `${esc(clock(t.resolved_at))} · ${t.late ? bi('trễ hạn', 'late') : bi('đúng hạn', 'on time')}`]);
    if (r) rows.push(['Người phản ánh', 'caller', esc([r.name, r.phone, r.email].filter(Boolean).join(' · '))]);
    if (t.supporters) {
      rows.push(['Người ủng hộ', 'supporters', `<b>${t.supporters}</b>${deps.role === 'leader' ? '' : ` <button type="button" class="link" data-supporters>${bi('xem liên hệ', 'contacts')}</button><ul class="sup-list"></ul>`}`]);
    }
    if (call) {
      const parts = [clock(call.started_at), call.duration_seconds != null ? formatDuration(call.duration_seconds) : null, call.recording_ref];
      rows.push(['Cuộc gọi', 'call', esc(parts.filter(Boolean).join(' · '))]);
    }
    const photoList = t.photos ?? [];
    box.innerHTML = `<header><h2>${esc(t.code)}</h2><span class="st st-${t.status}">${bi(STATUS_LABELS[t.status]?.vi ?? t.status, STATUS_LABELS[t.status]?.en ?? '')}</span>
        <button type="button" class="close" aria-label="Đóng · close (Esc)">×</button></header>
      ${open ? `<p class="cd ${cd.level}">${bi(cd.vi, cd.en)}</p>` : ''}
      ${stale ? `<p class="stale" role="alert">${bi('Phiếu vừa thay đổi — sẽ tải lại khi bạn gửi', 'changed meanwhile: it reloads when you act')}</p>` : ''}
      <dl>${rows.map(([vi, en, v]) => `<dt>${bi(vi, en)}</dt><dd>${v}</dd>`).join('')}</dl>
      <p class="desc">${esc(t.description)}</p>
      ${t.result ? `<div class="result"><h3>${bi('Kết quả', 'result')}</h3><p>${esc(t.result)}</p></div>` : ''}
      ${t.rating ? `<p>${bi('Đánh giá', 'rating')}: ${'★'.repeat(t.rating)}${t.rating_comment ? ` — ${esc(t.rating_comment)}` : ''}</p>` : ''}
      ${photoList.length ? `<div class="photos">${photoList.map((p) => `<a href="${esc(p.url)}" target="_blank"><img src="${esc(p.thumb_url)}" alt="${esc(p.kind)}"></a>`).join('')}</div>` : ''}
      ${pendingHtml()}
      <div class="actions">${ACTION_ORDER.filter((k) => t!.allowed_actions.includes(k)).map((k) =>
        `<button type="button" data-action="${k}" class="${ACTIONS[k].tone}" aria-pressed="${form === k}">${bi(ACTIONS[k].vi, ACTIONS[k].en)}</button>`).join('')}</div>
      <div id="action-form"></div>
      <h3>${bi('Diễn biến', 'timeline')}</h3>
      <ol class="timeline">${mergeTimeline(events, directionSteps(directions)).map((x) => {
        if ('step' in x) return stepHtml(x.step);
        const e = x.event;
        const [vi, en] = EVENT_LABELS[e.kind] ?? [e.kind, ''];
        return `<li data-kind="${esc(e.kind)}"><time>${esc(clock(e.at))}</time> <b>${bi(vi, en)}</b> <span class="who">${esc(e.actor.replace(/^user:/, ''))}</span>${e.note ? `<div class="note">${esc(e.note)}</div>` : ''}</li>`;
      }).join('')}</ol>`;
    if (form) void renderForm(form);
  }

  /** A leader's direction on the ticket, in the timeline: issued (with its due date), acknowledged, reported. */
  function stepHtml(s: DirectionStep): string {
    const [vi, en] = STEP_LABELS[s.kind];
    const due = s.due ? ` <span class="due">${bi('hạn', 'due')} ${esc(dueDay(s.due))}${s.overdue ? ` · ${bi('quá hạn', 'overdue')}` : ''}</span>` : '';
    return `<li class="direction" data-kind="${esc(s.kind)}"><time>${esc(clock(s.at))}</time> <b>${bi(vi, en)}</b>${due} <span class="who">${esc(s.who)}</span>${s.note ? `<div class="note">${esc(s.note)}</div>` : ''}</li>`;
  }

  /** The directions on the ticket not yet reported on, above the actions (the unit answers them in its list). */
  function pendingHtml(): string {
    const pending = directions.filter((d) => d.status !== 'reported');
    if (!pending.length) return '';
    return `<div class="d-pending" role="note"><b>${bi('Chỉ đạo của lãnh đạo', "a leader's direction")}</b>${pending
      .map((d) => `<p>${esc(d.text)} — ${bi('hạn', 'due')} ${esc(dueDay(d.due_at))}${d.overdue ? ` · <b>${bi('quá hạn', 'overdue')}</b>` : ''}</p>`)
      .join('')}</div>`;
  }

  // ---- action forms -----------------------------------------------------------------------------
  async function suggestedUnit(kind: ActionKind): Promise<string | null> {
    if (!t) return null;
    if (kind === 'assign') return t.suggested_unit ?? null;
    if (deps.role === 'agency') {
      // The sub-unit answering for the ticket's area (a ward's station), if there is one.
      const choices = unitChoices(deps.units, deps.role, deps.userUnits, t.unit);
      return choices.find((u) => t!.area && (u.areas ?? []).includes(t!.area))?.code ?? null;
    }
    const s = await api.suggestRoute(t.category, t.location.lon, t.location.lat).catch(() => null);
    return s?.unit && s.unit !== t.unit ? s.unit : null;
  }

  function fieldHtml(f: FieldSpec, suggested: string | null): string {
    const label = `${bi(f.vi, f.en)}${f.required ? ' *' : ''}`;
    if (f.input === 'unit') {
      const opts = unitChoices(deps.units, deps.role, deps.userUnits, t?.unit)
        .map((u) => `<option value="${esc(u.code)}"${u.code === suggested ? ' selected' : ''}>${esc(u.name_vi)}${u.code === suggested ? ' ★ gợi ý · suggested' : ''}</option>`);
      return `<label>${label}<select name="unit" required><option value="">—</option>${opts.join('')}</select></label>`;
    }
    if (f.input === 'text') return `<label>${label}<textarea name="${f.name}" rows="3"></textarea></label>`;
    if (f.input === 'number') return `<label>${label}<input name="${f.name}" type="number" inputmode="numeric"></label>`;
    return `<label>${label}<input name="${f.name}"${f.input === 'ticket' ? ' placeholder="DN-2611-000123"' : ''}></label>`;
  }

  async function renderForm(kind: ActionKind): Promise<void> {
    const spec = ACTIONS[kind];
    const suggested = spec.fields.some((f) => f.input === 'unit') ? await suggestedUnit(kind) : null;
    const host = box.querySelector<HTMLElement>('#action-form');
    if (!host || form !== kind) return;
    host.innerHTML = `<form class="action" data-action="${kind}" novalidate><h3>${bi(spec.vi, spec.en)}</h3>
      ${spec.fields.map((f) => fieldHtml(f, suggested)).join('')}
      ${kind === 'resolve' ? `<label>${bi('Ảnh kết quả', 'result photos')}<input name="photos" type="file" accept="image/jpeg,image/png,image/webp" multiple></label>` : ''}
      <div class="buttons"><button type="submit" class="primary">${bi('Xác nhận', 'confirm')} <kbd>Ctrl+Enter</kbd></button>
      <button type="button" class="cancel">${bi('Hủy', 'cancel')} <kbd>Esc</kbd></button></div><p class="form-error" role="alert"></p></form>`;
    const f = host.querySelector<HTMLFormElement>('form')!;
    f.addEventListener('submit', (e) => {
      e.preventDefault();
      void submit(kind, f);
    });
    f.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        void submit(kind, f);
      }
    });
    f.querySelector('.cancel')!.addEventListener('click', () => toggle(null));
    f.querySelector<HTMLElement>('select, textarea, input')?.focus();
  }

  function showFormErrors(f: HTMLFormElement, errors: Partial<Record<string, string>>, general = ''): void {
    f.querySelectorAll('.err').forEach((x) => x.remove());
    for (const [name, msg] of Object.entries(errors)) {
      const input = f.elements.namedItem(name) as HTMLElement | null;
      const small = Object.assign(document.createElement('small'), { className: 'err', textContent: msg ?? '' });
      if (input) input.closest('label')?.append(small);
      else general += ` ${msg}`;
    }
    f.querySelector('.form-error')!.textContent = general.trim();
  }

  async function submit(kind: ActionKind, f: HTMLFormElement): Promise<void> {
    if (!t || f.getAttribute('aria-busy')) return;
    const values: Partial<Record<FieldName, string>> = {};
    for (const spec of ACTIONS[kind].fields) values[spec.name] = String(new FormData(f).get(spec.name) ?? '');
    f.setAttribute('aria-busy', 'true');
    try {
      if (values.of?.trim()) values.of = (await common.ticket(values.of.trim()).catch(() => null))?.id ?? values.of;
      const built = buildAction(kind, values);
      if (!built.ok) return showFormErrors(f, built.errors);
      const files = [...((f.elements.namedItem('photos') as HTMLInputElement | null)?.files ?? [])];
      // The photos first: a result is not published without the photos that go with it.
      if (files.length) await api.uploadPhotos(t.id, files, 'result');
      const changed = await api.act(t.id, built.body, t.version);
      deps.onChanged(changed);
      toast(`${esc(changed.code)}: ${bi(ACTIONS[kind].vi, ACTIONS[kind].en)} ✓`);
      form = null;
      await open(changed.id);
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) {
        // Someone changed it meanwhile (or the status no longer allows this): show it as it is now.
        await open(t.id);
        toast(`${bi('Phiếu đã thay đổi, đã tải lại — hãy xem rồi thử lại', 'the ticket changed meanwhile: reloaded, check and try again')}`);
      } else if (e instanceof ApiError) {
        showFormErrors(f, Object.fromEntries(e.errors.map((x) => [x.field, x.message])), e.errors.length ? '' : e.message);
      } else {
        showFormErrors(f, {}, `${bi('Chưa gửi được, hãy thử lại', 'not sent, try again')}: ${e}`);
      }
    } finally {
      f.removeAttribute('aria-busy');
    }
  }

  function toggle(kind: ActionKind | null): void {
    form = form === kind ? null : kind;
    render();
    if (!form) box.querySelector<HTMLElement>('.actions button')?.focus();
  }

  box.addEventListener('click', (e) => {
    const target = e.target as HTMLElement;
    if (target.closest('.close')) close();
    const original = target.closest<HTMLElement>('[data-open]');
    if (original) {
      e.preventDefault();
      void open(original.dataset.open!);
    }
    const b = target.closest<HTMLElement>('.actions [data-action]');
    if (b) toggle(b.dataset.action as ActionKind);
  });

  return {
    open,
    close,
    get isOpen() {
      return t !== null;
    },
    /** Esc: closes the open action form, else the panel. */
    escape(): void {
      if (form) toggle(null);
      else close();
    },
    /** A live event about a ticket: the open one is reloaded, unless an action form is being filled. */
    onEvent(id: string, version: number | undefined): void {
      if (!t || t.id !== id || (version !== undefined && version <= t.version)) return;
      // Keep what is being typed; the action's If-Match will bring the fresh ticket.
      if (form) markStale();
      else void refresh(id).catch(() => undefined);
    },
    /** Redraws the countdown. */
    tick: () => {
      const el = box.querySelector('.cd');
      if (!t || !el) return;
      const cd = countdown(t.deadline, new Date());
      el.className = `cd ${cd.level}`;
      el.innerHTML = bi(cd.vi, cd.en);
    },
  };
}

// The call form: a phone call into a ticket, fast and from the keyboard.
//
// The call starts (its time is taken, its length starts counting) at the first key typed. Tab
// goes name → number → category → place → address → description → priority → call details →
// File. Enter files from any one-line field (Ctrl+Enter from the description); Esc closes an open
// suggestion list, else clears the form for the next call (with an undo). While the category and
// the location are set, open tickets of that category within 200 m from the last 7 days are listed,
// each with a button that files this call as its duplicate.

import { attachChips } from '../common/categoryChips';
import { $, debounce, esc } from '../common/dom';
import { ApiError } from '../common/http';
import { bi } from '../common/i18n';
import { STATUS_LABELS } from '../common/status';
import type { Category, PlaceHit, Ticket } from '../common/types';
import * as api from './api';
import { combobox } from './combobox';
import { search } from './fold';
import { ago, formatDuration, parseDuration } from './format';
import type { ConsoleMap } from './map';
import { localInput, toast } from './util';

export interface IntakeDeps {
  map: ConsoleMap;
  categories: Category[];
  /** A call was filed: the new ticket (also for the queue). */
  onFiled(t: Ticket): void;
  openTicket(id: string): void;
}

interface State {
  started: Date | null;
  key: string | null;
  category: Category | null;
  at: { lon: number; lat: number } | null;
  durationEdited: boolean;
  nearby: api.NearbyTicket[];
  busy: boolean;
}

/** Where a server error about each field is shown. */
const FIELD_INPUT: Record<string, string> = {
  'reporter.name': 'name', 'reporter.phone': 'phone', category: 'category', location: 'place', address: 'address',
  description: 'description', priority: 'priority', 'call.started_at': 'started_at', 'call.duration_seconds': 'duration',
  'call.recording_ref': 'recording',
};

export function setupIntake(form: HTMLFormElement, deps: IntakeDeps) {
  const el = <T extends HTMLElement = HTMLInputElement>(name: string) => form.elements.namedItem(name) as unknown as T;
  const s: State = { started: null, key: null, category: null, at: null, durationEdited: false, nearby: [], busy: false };
  const catName = (c: Category) => `${c.name_vi} · ${c.name_en}`;

  // ---- errors next to their fields ------------------------------------------------------------
  const clearErrors = () => {
    form.querySelectorAll('.err').forEach((e) => e.remove());
    form.querySelectorAll('[aria-invalid]').forEach((e) => e.removeAttribute('aria-invalid'));
    $('call-error').textContent = '';
  };
  const showErrors = (errors: Record<string, string>) => {
    let first: HTMLElement | null = null;
    for (const [field, message] of Object.entries(errors)) {
      const input = el<HTMLElement>(FIELD_INPUT[field] ?? FIELD_INPUT[field.split('.')[0]] ?? '');
      if (!input) {
        $('call-error').textContent += `${message} `;
        continue;
      }
      input.setAttribute('aria-invalid', 'true');
      const small = document.createElement('small');
      small.className = 'err';
      small.textContent = message;
      input.closest('label')?.append(small);
      first ??= input;
    }
    first?.focus();
  };

  // ---- the call's clock -----------------------------------------------------------------------
  const begin = () => {
    if (s.started) return;
    // A call put through by the phone system (the screen pop, desk.ts) began when it rang.
    const rang = el('started_at').value;
    s.started = rang ? new Date(rang) : new Date();
    s.key = crypto.randomUUID();
    el('started_at').value = localInput(s.started);
  };
  setInterval(() => {
    if (s.started && !s.durationEdited) el('duration').value = formatDuration((Date.now() - s.started.getTime()) / 1000);
  }, 1000);
  form.addEventListener('input', (e) => {
    begin();
    if ((e.target as HTMLElement).getAttribute('name') === 'duration') s.durationEdited = true;
  });

  // ---- category -------------------------------------------------------------------------------
  const catInput = el('category');
  const catCombo = combobox<Category>(catInput, $('category-list'), (c) => bi(c.name_vi, c.name_en), (c) => setCategory(c));
  catInput.addEventListener('input', () => {
    s.category = null;
    refresh();
    catCombo.show(search(deps.categories, (c) => [c.name_vi, c.name_en, c.code], catInput.value, 8), 'Không có lĩnh vực này · no such category');
  });
  catInput.addEventListener('focus', () => {
    if (!s.category) catCombo.show(search(deps.categories, (c) => [c.name_vi, c.name_en, c.code], catInput.value, 8));
  });
  function setCategory(c: Category | null) {
    s.category = c;
    catInput.value = c ? catName(c) : '';
    refresh();
  }
  // Suggested categories while the description is typed (issue 14); a click sets the category.
  attachChips(el<HTMLTextAreaElement>('description'), $('category-chips'),
    (code) => setCategory(deps.categories.find((c) => c.code === code) ?? null), () => s.category?.code ?? null);

  // ---- location: place search or the map ------------------------------------------------------
  const placeInput = el('place');
  const placeCombo = combobox<PlaceHit>(placeInput, $('place-list'), (p) =>
    `${bi(p.name, p.name_en)}<small>${esc(p.area_name ?? '')}</small>`, (p) => {
      placeInput.value = p.name;
      if (!el('address').value.trim()) el('address').value = p.name;
      setLocation(p.location.lon, p.location.lat, true);
    });
  const findPlaces = debounce(async (q: string) => {
    if (!q.trim() || document.activeElement !== placeInput) return;
    try {
      const hits = await api.places(q);
      if (placeInput.value === q) placeCombo.show(hits, 'Không tìm thấy — bấm vào bản đồ · not found: click the map');
    } catch {
      /* the map still works */
    }
  }, 150);
  placeInput.addEventListener('input', () => findPlaces(placeInput.value));

  function setLocation(lon: number, lat: number, fly = false) {
    begin();
    s.at = { lon, lat };
    deps.map.setPick(s.at, fly);
    refresh();
  }

  // ---- where it goes and what is near ---------------------------------------------------------
  const refresh = debounce(async () => {
    const { category, at } = s;
    $('where').innerHTML = at ? `${at.lat.toFixed(5)}, ${at.lon.toFixed(5)}` : bi('Chưa chọn vị trí', 'no location yet: search a place or click the map');
    if (!at) {
      renderNearby(null);
      $('route').innerHTML = '';
      return;
    }
    const code = category?.code ?? 'other';
    const [route, near] = await Promise.allSettled([api.suggestRoute(code, at.lon, at.lat), category ? api.nearby(category.code, at.lon, at.lat) : Promise.resolve(null)]);
    if (s.at !== at || s.category !== category) return; // changed meanwhile: a newer refresh follows
    if (route.status === 'fulfilled') {
      const r = route.value;
      const areas = r.areas.filter((a) => a.level !== 'city').map((a) => a.name).join(', ');
      $('where').innerHTML = `${esc(areas || 'Ngoài địa bàn thành phố · outside the city')} <span class="en">${at.lat.toFixed(5)}, ${at.lon.toFixed(5)}</span>`;
      $('route').innerHTML = category && r.unit ? `Chuyển đến · <span class="en">routes to</span> <b>${esc(r.unit_name_vi ?? r.unit)}</b>` : '';
    }
    renderNearby(near.status === 'fulfilled' ? near.value : []);
  }, 120);

  function renderNearby(list: api.NearbyTicket[] | null) {
    s.nearby = list ?? [];
    deps.map.setNearby(s.nearby.map((t) => ({ id: t.id, code: t.code, lon: t.location.lon, lat: t.location.lat, level: 'ok' })));
    const box = $('dups');
    if (list === null || !s.category) {
      box.innerHTML = `<p class="hint">${bi('Chọn lĩnh vực và vị trí để kiểm tra trùng lặp', 'pick a category and a location to check for duplicates')}</p>`;
      return;
    }
    const now = new Date();
    box.innerHTML = `<h3>${bi('Phản ánh tương tự gần đây', 'open tickets of this category within 200 m, last 7 days')} (${list.length})</h3>` +
      (list.length ? '' : `<p class="hint">${bi('Không có', 'none')}</p>`) +
      `<ul>${list.map((t) => `<li data-id="${esc(t.id)}">
        <a href="#" class="open" data-id="${esc(t.id)}"><b>${esc(t.code)}</b></a> · ${Math.round(t.distance_m)} m · ${esc(STATUS_LABELS[t.status]?.vi ?? t.status)} · ${esc(ago(t.received_at, now).vi)}
        <div class="desc">${esc(t.description.slice(0, 140))}</div>
        ${t.supporters ? `<div><b>${t.supporters}</b> ${bi('người ủng hộ', 'supporters')}</div>` : ''}
        <button type="button" class="dup" data-id="${esc(t.id)}">${bi('Trùng phiếu này', 'file as duplicate of this')}</button>
        <button type="button" class="support" data-id="${esc(t.id)}">${bi('Thêm làm người ủng hộ', 'add as supporter')}</button></li>`).join('')}</ul>`;
  }
  $('dups').addEventListener('click', (e) => {
    const target = e.target as HTMLElement;
    const dup = target.closest<HTMLElement>('button.dup');
    const supporter = target.closest<HTMLElement>('button.support');
    const open = target.closest<HTMLElement>('a.open');
    if (dup) void file(dup.dataset.id!);
    if (supporter) void support(supporter.dataset.id!);
    if (open) {
      e.preventDefault();
      deps.openTicket(open.dataset.id!);
    }
  });

  /** The caller's problem is that ticket's: they are counted as its supporter (with their name
   * and number), no new ticket is filed, and the form clears for the next call. */
  async function support(id: string) {
    if (s.busy) return;
    s.busy = true;
    begin();
    const text = (n: string) => el(n).value.trim() || null;
    const contact = { name: text('name'), phone: text('phone'), email: null };
    try {
      const r = await api.support(id, contact.name || contact.phone ? { contact } : {}, `${s.key}:${id}`);
      toast(`${bi('Đã thêm người ủng hộ cho phiếu', 'added as a supporter of')} <b>${esc(r.code)}</b> (${r.supporters})`);
      reset();
    } catch (e) {
      if (e instanceof ApiError && e.errors.length) showErrors(Object.fromEntries(e.errors.map((x) => [x.field.replace('contact.', 'reporter.'), x.message])));
      else $('call-error').textContent = `${bi('Chưa thêm được', 'not added')}: ${e instanceof Error ? e.message : e}`;
    } finally {
      s.busy = false;
    }
  }

  // ---- filing -----------------------------------------------------------------------------------
  async function file(duplicateOf?: string) {
    if (s.busy) return;
    clearErrors();
    const missing: Record<string, string> = {};
    if (!s.category) missing.category = 'Chọn lĩnh vực · pick a category';
    if (!s.at) missing.location = 'Tìm địa điểm hoặc bấm vào bản đồ · search a place or click the map';
    if (!el<HTMLTextAreaElement>('description').value.trim()) missing.description = 'Nhập nội dung · describe the problem';
    const typed = el('duration').value;
    const duration = s.durationEdited ? parseDuration(typed) : Math.round((Date.now() - (s.started ?? new Date()).getTime()) / 1000);
    if (duration === null && typed.trim()) missing['call.duration_seconds'] = 'Dạng phút:giây, ví dụ 3:05 · m:ss';
    if (Object.keys(missing).length) return showErrors(missing);
    begin();
    const started = el('started_at').value ? new Date(el('started_at').value) : s.started!;
    const text = (n: string) => el(n).value.trim() || null;
    const input: api.CallInput = {
      category: s.category!.code,
      description: el<HTMLTextAreaElement>('description').value,
      location: s.at!,
      address: text('address'),
      priority: el<HTMLSelectElement>('priority').value as api.CallInput['priority'],
      reporter: { name: text('name'), phone: text('phone'), email: null },
      call: { started_at: started.toISOString(), duration_seconds: duration, recording_ref: text('recording'), call_id: text('call_id') },
      duplicate_of: duplicateOf ?? null,
    };
    s.busy = true;
    form.setAttribute('aria-busy', 'true');
    try {
      const t = await api.takeCall(input, s.key!);
      deps.onFiled(t);
      const dupOf = duplicateOf ? s.nearby.find((n) => n.id === duplicateOf)?.code : null;
      addFiled(t, dupOf ?? null);
      toast(`${bi('Đã tạo phiếu', 'filed')} <b class="code">${esc(t.code)}</b>${dupOf ? ` — ${bi('trùng với', 'duplicate of')} ${esc(dupOf)}` : ''}`);
      reset();
    } catch (e) {
      if (e instanceof ApiError && e.errors.length) {
        showErrors(Object.fromEntries(e.errors.map((x) => [x.field, x.message])));
      } else {
        // Nothing is lost: the form stays, and Enter retries with the same key (the same ticket).
        $('call-error').textContent = `Chưa lưu được, hãy thử lại (Enter) · not saved, try again: ${e instanceof Error ? e.message : e}`;
      }
    } finally {
      s.busy = false;
      form.removeAttribute('aria-busy');
    }
  }

  function addFiled(t: Ticket, dupOf: string | null) {
    const li = document.createElement('li');
    li.innerHTML = `<a href="#" data-id="${esc(t.id)}"><b>${esc(t.code)}</b></a> ${esc(s.category?.name_vi ?? '')}${dupOf ? ` · <i>${bi('trùng', 'duplicate')} ${esc(dupOf)}</i>` : ''}`;
    li.querySelector('a')!.addEventListener('click', (e) => {
      e.preventDefault();
      deps.openTicket(t.id);
    });
    $('filed-list').prepend(li);
    while ($('filed-list').children.length > 10) $('filed-list').lastElementChild!.remove();
  }

  // ---- clearing (Esc), with an undo -----------------------------------------------------------
  function reset() {
    form.reset();
    el('call_id').value = '';
    Object.assign(s, { started: null, key: null, category: null, at: null, durationEdited: false, nearby: [] });
    el('duration').value = '';
    clearErrors();
    deps.map.setPick(null);
    refresh();
    el('name').focus();
  }
  function clearWithUndo() {
    const values = new FormData(form);
    const saved = { ...s };
    reset();
    if (![...values.values()].some((v) => String(v).trim() && v !== 'normal')) return;
    toast(bi('Đã xóa biểu mẫu', 'form cleared'), {
      label: bi('Hoàn tác', 'undo'),
      run: () => {
        for (const [k, v] of values) el<HTMLInputElement>(k).value = String(v);
        Object.assign(s, saved);
        deps.map.setPick(s.at);
        refresh();
      },
    }, 10_000);
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void file();
  });
  form.addEventListener('keydown', (e) => {
    const target = e.target as HTMLElement;
    if (e.key === 'Escape') {
      e.preventDefault();
      clearWithUndo();
    } else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && target.tagName === 'TEXTAREA') {
      e.preventDefault();
      void file();
    }
  });
  $('call-clear').addEventListener('click', clearWithUndo);
  refresh();

  return {
    setLocation,
    focus: () => el('name').focus(),
    /** A live event: a new or changed ticket of this category may change what is near. */
    onEvent(data: Record<string, unknown>) {
      if (s.at && s.category && data.category === s.category.code) refresh();
    },
  };
}

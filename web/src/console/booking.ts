// Booking an appointment for a caller on the phone (docs/appointments.md): the procedure (from
// the procedures panel, or typed) → the office serving it → its service for that procedure → a
// day of the office's booking window → a slot with its free places → the caller's name and
// number (from the call on the line) → POST /api/v1/bookings. The answer's code, time, office,
// address and documents to bring are shown in large type for the operator to read out. The
// office's bookings of the chosen day are listed below.
//
// The pure parts (days, slot grouping, the form's input, the server's errors, the confirmation)
// are exported and tested (booking.test.ts); `setupBooking` wires them to the <dialog> of
// console.html.

import { esc } from '../common/dom';
import { ApiError, get, send } from '../common/http';
import { bi } from '../common/i18n';
import type { SchemaOr } from '../common/types';
import { vnDay, vnTime } from '../common/vntime';

// ---- the server's types (generated once api.gen.d.ts has them) ----------------------------------

export type OfficeService = SchemaOr<'OfficeService', {
  id: string; name: string; name_en?: string | null; procedures?: string[]; slot_minutes: number; capacity: number;
}>;
export type Closure = SchemaOr<'Closure', { from: string; to: string; reason: string }>;
export type PublicOffice = SchemaOr<'PublicOffice', {
  id: string; name: string; name_en?: string | null; address: string; lon: number; lat: number; area?: string | null;
  counters: number; hours: Record<string, unknown>; days_ahead: number; per_person_per_day: number;
  services: OfficeService[]; closures: Closure[];
}>;
export type FreeSlot = SchemaOr<'FreeSlot', { starts_at: string; ends_at: string; free: number }>;
export type DaySlots = SchemaOr<'DaySlots', {
  day: string; open: boolean; reason?: 'holiday' | 'closed' | 'closure' | 'outside_window' | null; slots: FreeSlot[];
}>;
export type BookingInput = SchemaOr<'BookingInput', {
  office: string; service: string; starts_at: string; name?: string | null; phone?: string | null;
  email?: string | null; procedure?: string | null; lang?: string | null;
}>;
export type BookingView = SchemaOr<'BookingView', {
  code: string; status: 'booked' | 'checked_in' | 'served' | 'no_show' | 'cancelled'; office: string; office_name: string;
  address: string; service: string; service_name: string; procedure?: string | null; procedure_name?: string | null;
  starts_at: string; ends_at: string; documents: { name: string; copies?: string | null; note?: string | null }[];
  name: string; phone: string; email?: string | null; moved_from?: string | null; channel: string; token?: string | null;
}>;

const enc = encodeURIComponent;
export const offices = (procedure?: string) => get<PublicOffice[]>(`/api/v1/public/offices${procedure ? `?procedure=${enc(procedure)}` : ''}`);
export const slots = (office: string, service: string, day: string) =>
  get<DaySlots>(`/api/v1/public/offices/${enc(office)}/slots?${new URLSearchParams({ service, day })}`);
export const dayBookings = (office: string, day: string) => get<BookingView[]>(`/api/v1/offices/${enc(office)}/bookings?day=${enc(day)}`);
/** Books for the caller; `key` (one per dialog) makes a retry after a lost answer the same booking. */
export const book = (input: BookingInput, key: string) => send<BookingView>('POST', '/api/v1/bookings', input, { 'idempotency-key': key });

// ---- days and times (Vietnam time, UTC+7 all year) ----------------------------------------------

const pad = (n: number) => String(n).padStart(2, '0');
export { vnDay, vnTime };

const WEEKDAY_VI = ['CN', 'T2', 'T3', 'T4', 'T5', 'T6', 'T7'];
const WEEKDAY_VI_LONG = ['Chủ nhật', 'Thứ Hai', 'Thứ Ba', 'Thứ Tư', 'Thứ Năm', 'Thứ Sáu', 'Thứ Bảy'];
const WEEKDAY_EN = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** The days one may book: today and `daysAhead` after, each with its short label ("T2 07/12", "Mon"). */
export function bookingDays(today: string, daysAhead: number): { day: string; vi: string; en: string }[] {
  const [y, m, d] = today.split('-').map(Number);
  return Array.from({ length: Math.max(0, daysAhead) + 1 }, (_, i) => {
    const t = new Date(Date.UTC(y, m - 1, d + i));
    const day = `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
    const wd = t.getUTCDay();
    return { day, vi: `${WEEKDAY_VI[wd]} ${pad(t.getUTCDate())}/${pad(t.getUTCMonth() + 1)}`, en: WEEKDAY_EN[wd] };
  });
}

/** "11:00–11:15, Thứ Hai 07/12/2026" (Vietnam time), to read out. */
export function whenText(startsAt: string, endsAt: string): { vi: string; en: string } {
  const [y, m, d] = vnDay(startsAt).split('-').map(Number);
  const wd = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  const date = `${pad(d)}/${pad(m)}/${y}`;
  const time = `${vnTime(startsAt)}–${vnTime(endsAt)}`;
  return { vi: `${time}, ${WEEKDAY_VI_LONG[wd]} ${date}`, en: `${time}, ${WEEKDAY_EN[wd]} ${date}` };
}

// ---- offices, services, slots ---------------------------------------------------------------------

/** The office's service handling `procedure`, or null (the operator chooses) when none or no procedure. */
export function serviceFor(office: PublicOffice, procedure: string | null): OfficeService | null {
  if (!procedure) return office.services.length === 1 ? office.services[0] : null;
  return office.services.find((s) => (s.procedures ?? []).includes(procedure)) ?? null;
}

export interface SlotChoice { starts_at: string; ends_at: string; time: string; free: number; full: boolean }
export interface SlotGroup { vi: string; en: string; slots: SlotChoice[] }

/** A day's slots in the morning and the afternoon (Vietnam time); a group without slots is left out. */
export function groupSlots(list: readonly FreeSlot[]): SlotGroup[] {
  const groups: SlotGroup[] = [
    { vi: 'Buổi sáng', en: 'morning', slots: [] },
    { vi: 'Buổi chiều', en: 'afternoon', slots: [] },
  ];
  for (const s of [...list].sort((a, b) => Date.parse(a.starts_at) - Date.parse(b.starts_at))) {
    const time = vnTime(s.starts_at);
    groups[time < '12:00' ? 0 : 1].slots.push({ starts_at: s.starts_at, ends_at: s.ends_at, time, free: s.free, full: s.free <= 0 });
  }
  return groups.filter((g) => g.slots.length);
}

const CLOSED: Record<string, [string, string]> = {
  holiday: ['Ngày nghỉ lễ', 'a public holiday'],
  closed: ['Văn phòng không làm việc ngày này', 'the office is closed that day'],
  closure: ['Văn phòng tạm đóng cửa', 'the office is temporarily closed'],
  outside_window: ['Ngoài thời gian nhận đặt lịch', 'outside the booking window'],
};

/** Why a day offers no slot to book, in both languages (escaped HTML). */
export function noSlotsHtml(day: DaySlots, closures: readonly Closure[] = []): string {
  if (day.open) {
    return day.slots.length ? bi('Đã hết chỗ trong ngày', 'every slot of the day is taken') : bi('Không còn giờ nào trong ngày', 'no time left that day');
  }
  const [vi, en] = CLOSED[day.reason ?? 'closed'] ?? CLOSED.closed;
  const why = day.reason === 'closure'
    ? closures.filter((c) => vnDay(c.from) <= day.day && day.day <= vnDay(c.to)).map((c) => c.reason).join('; ')
    : '';
  return `${bi(vi, en)}${why ? `: ${esc(why)}` : ''}`;
}

// ---- the caller's details and the server's answer -----------------------------------------------

/** A phone number as typed ("0905 123 456", "0905.123.456") with the separators taken out. */
export const cleanPhone = (s: string) => s.replace(/[\s.\-()]/g, '');

/** The booking to send, or what the operator must fix first (field → message). */
export function bookingInput(v: {
  office: string; service: string; starts_at: string; name: string; phone: string; procedure?: string | null;
}): { input: BookingInput; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const name = v.name.trim().replace(/\s+/g, ' ').normalize('NFC');
  const phone = cleanPhone(v.phone);
  if (!v.office) errors.office = 'Chọn văn phòng · choose an office';
  if (!v.service) errors.service = 'Chọn dịch vụ · choose a service';
  if (!v.starts_at) errors.starts_at = 'Chọn giờ hẹn · choose a time';
  if (!name) errors.name = 'Nhập họ tên người gọi · the caller’s name';
  if (!/^\+?\d{3,15}$/.test(phone)) errors.phone = 'Số điện thoại 3–15 chữ số · a phone number of 3–15 digits';
  const input: BookingInput = {
    office: v.office, service: v.service, starts_at: v.starts_at, name, phone, procedure: v.procedure?.trim() || null, lang: 'vi',
  };
  return { input, errors };
}

export type BookingFailure =
  | { kind: 'slot_full'; html: string }
  | { kind: 'person_limit'; html: string }
  | { kind: 'fields'; html: string; fields: Record<string, string> }
  | { kind: 'network'; html: string }
  | { kind: 'other'; html: string };

/** What the operator is told when a booking fails; `limit` is the office's bookings per person per day. */
export function bookingFailure(err: unknown, limit?: number): BookingFailure {
  if (!(err instanceof ApiError)) {
    return { kind: 'network', html: bi('Mất kết nối, chưa rõ đã đặt được chưa — bấm “Đặt lịch” lần nữa (không bị đặt trùng)', 'connection lost: press “Book” again (it cannot book twice)') };
  }
  if (err.code === 'slot_full') {
    return { kind: 'slot_full', html: bi('Giờ này vừa hết chỗ. Đã tải lại các giờ còn trống — mời chọn giờ khác.', 'that time was just taken; the free times are reloaded, choose another') };
  }
  if (err.code === 'person_limit') {
    const n = limit ? ` (${limit})` : '';
    return { kind: 'person_limit', html: bi(`Số điện thoại này đã có đủ số lịch hẹn tối đa${n} tại văn phòng trong ngày — chọn ngày khác hoặc hủy một lịch cũ.`, `this number already holds the most bookings allowed${n} at this office that day: pick another day`) };
  }
  if (err.status === 422 && err.errors.length) {
    return { kind: 'fields', html: bi('Kiểm tra lại các ô được đánh dấu', 'check the marked fields'), fields: Object.fromEntries(err.errors.map((e) => [e.field, e.message])) };
  }
  if (err.status === 401) return { kind: 'other', html: bi('Phiên đăng nhập đã hết — hãy tải lại trang', 'signed out: reload the page') };
  if (err.status === 403) return { kind: 'other', html: bi('Tài khoản này không được đặt lịch', 'this account may not book') };
  return { kind: 'other', html: `${bi('Chưa đặt được lịch', 'not booked')}: ${esc(err.message)}` };
}

/** The booking made, in large type, with what to read out to the caller. */
export function confirmationHtml(b: BookingView): string {
  const when = whenText(b.starts_at, b.ends_at);
  const docs = b.documents
    .map((d) => `<li>${esc(d.name)}${d.copies ? ` <small>— ${esc(d.copies)}</small>` : ''}${d.note ? ` <small class="note">(${esc(d.note)})</small>` : ''}</li>`)
    .join('');
  return `<p class="bk-label">${bi('Mã lịch hẹn', 'booking code')}</p>
    <p class="bk-code" data-code="${esc(b.code)}">${esc(b.code)}</p>
    <p class="bk-when"><b>${esc(when.vi)}</b> <span class="en">${esc(when.en)}</span></p>
    <p><b>${esc(b.office_name)}</b><br>${esc(b.address)}</p>
    <p>${bi('Dịch vụ', 'service')}: ${esc(b.service_name)}${b.procedure_name ? ` · ${esc(b.procedure_name)}` : ''}</p>
    <p>${bi('Người hẹn', 'for')}: ${esc(b.name)} · ${esc(b.phone)}</p>
    <p><b>${bi('Giấy tờ cần mang theo', 'documents to bring')}</b></p>
    ${docs ? `<ol class="bk-docs">${docs}</ol>` : `<p class="muted">${bi('Không có danh sách giấy tờ — hỏi văn phòng', 'no list of documents: ask the office')}</p>`}
    <p class="muted">${bi('Tin nhắn xác nhận kèm mã được gửi tới số điện thoại trên; khi đến, đưa mã cho cán bộ tiếp nhận.', 'an SMS with the code confirms it to that number; give the code at the office')}</p>`;
}

const STATUS: Record<string, [string, string]> = {
  booked: ['Đã hẹn', 'booked'],
  checked_in: ['Đã đến', 'checked in'],
  served: ['Đã phục vụ', 'served'],
  no_show: ['Không đến', 'no-show'],
  cancelled: ['Đã hủy', 'cancelled'],
};

/** The office's bookings of a day, by time (rows of a table). */
export function dayBookingsHtml(list: readonly BookingView[]): string {
  if (!list.length) return `<p class="muted">${bi('Chưa có lịch hẹn nào trong ngày', 'no bookings that day')}</p>`;
  const rows = [...list]
    .sort((a, b) => Date.parse(a.starts_at) - Date.parse(b.starts_at) || a.code.localeCompare(b.code))
    .map((b) => {
      const [vi, en] = STATUS[b.status] ?? [b.status, b.status];
      return `<tr class="st-${esc(b.status)}"><td>${esc(vnTime(b.starts_at))}</td><td><b>${esc(b.code)}</b></td>
        <td>${esc(b.name)}<br><small>${esc(b.phone)}</small></td><td>${esc(b.service_name)}</td>
        <td>${esc(vi)} <span class="en">${esc(en)}</span></td></tr>`;
    })
    .join('');
  const live = list.filter((b) => b.status !== 'cancelled').length;
  return `<p class="muted">${live} ${bi('lịch hẹn', 'bookings')}</p><table class="bk-day"><thead><tr>
      <th>${bi('Giờ', 'time')}</th><th>${bi('Mã', 'code')}</th><th>${bi('Người hẹn', 'caller')}</th><th>${bi('Dịch vụ', 'service')}</th><th>${bi('Trạng thái', 'status')}</th>
    </tr></thead><tbody>${rows}</tbody></table>`;
}

// ---- the dialog ---------------------------------------------------------------------------------

export interface BookingDialog {
  /** Opens the dialog (F9), with the procedure filled when one is given. */
  open(procedure?: { code: string; name?: string }): void;
}

interface CallPop { calls: { caller_phone?: string | null; state: string }[] }

/** Wires the <dialog id="booking"> of console.html; `toast` shows a short message. */
export function setupBooking(dialog: HTMLDialogElement, toast: (html: string) => void): BookingDialog {
  const form = dialog.querySelector<HTMLFormElement>('form')!;
  const q = <T extends HTMLElement>(sel: string) => dialog.querySelector<T>(sel)!;
  const input = (name: string) => form.elements.namedItem(name) as HTMLInputElement;
  const procInput = input('procedure');
  const officeSel = form.elements.namedItem('office') as HTMLSelectElement;
  const serviceSel = form.elements.namedItem('service') as HTMLSelectElement;
  const [procNote, address, dayList, slotList, errorBox, done, steps] =
    ['.bk-proc', '.bk-address', '.bk-daylist', '.bk-slotlist', '.error', '.bk-done', '.bk-steps'].map((s) => q(s));
  const dayTitle = q('.bk-today-h');
  const dayTable = q('.bk-today-list');
  let list: PublicOffice[] = [];
  let office: PublicOffice | null = null;
  let day = '';
  /** One Idempotency-Key per booking being made: kept through a network retry, new once answered. */
  let key = crypto.randomUUID();
  let slotSeq = 0;
  let daySeq = 0;
  let busy = false;
  /** The name of the procedure given by the procedures panel, shown under its code. */
  let procName = { code: '', name: '' };

  const clearErrors = () => {
    form.querySelectorAll('small.err').forEach((x) => x.remove());
    form.querySelectorAll('[aria-invalid]').forEach((x) => x.removeAttribute('aria-invalid'));
    errorBox.innerHTML = '';
  };
  const markField = (name: string, message: string) => {
    const where = name === 'starts_at' ? slotList : (form.elements.namedItem(name) as HTMLElement | null);
    if (!where || !(where instanceof HTMLElement)) {
      errorBox.append(`${name}: ${message} `);
      return;
    }
    where.setAttribute('aria-invalid', 'true');
    const small = document.createElement('small');
    small.className = 'err';
    small.textContent = message;
    (where.closest('label, fieldset') ?? where).append(small);
  };

  const loadOffices = async () => {
    const code = procInput.value.trim();
    officeSel.innerHTML = `<option value="">${esc('Đang tải… · loading')}</option>`;
    let found = await offices(code || undefined);
    const warn = code && !found.length;
    if (warn) found = await offices();
    procNote.innerHTML = (code && procName.code === code ? esc(procName.name) : '') + (warn
      ? ` <b>${bi('Chưa văn phòng nào nhận đặt lịch cho thủ tục này — chọn văn phòng và dịch vụ phù hợp.', 'no office takes bookings for this procedure: choose one')}</b>`
      : '');
    list = found;
    const before = office?.id;
    officeSel.innerHTML = list.map((o) => `<option value="${esc(o.id)}">${esc(o.name)}</option>`).join('');
    if (before && list.some((o) => o.id === before)) officeSel.value = before;
    onOffice();
  };

  const onOffice = () => {
    office = list.find((o) => o.id === officeSel.value) ?? null;
    address.textContent = office ? `${office.address}${office.name_en ? ` · ${office.name_en}` : ''}` : '';
    const code = procInput.value.trim() || null;
    const preferred = office ? serviceFor(office, code) : null;
    serviceSel.innerHTML = (preferred ? '' : `<option value="">— Chọn dịch vụ · choose a service —</option>`) +
      (office?.services ?? []).map((s) => `<option value="${esc(s.id)}">${esc(s.name)}${s.name_en ? ` · ${esc(s.name_en)}` : ''}</option>`).join('');
    if (preferred) serviceSel.value = preferred.id;
    const days = office ? bookingDays(vnDay(Date.now()), office.days_ahead) : [];
    if (!days.some((d) => d.day === day)) day = days[0]?.day ?? '';
    dayList.innerHTML = days
      .map((d) => `<label class="chip"><input type="radio" name="day" value="${d.day}"${d.day === day ? ' checked' : ''}>${esc(d.vi)} <span class="en">${esc(d.en)}</span></label>`)
      .join('');
    void loadSlots();
    void loadDay();
  };

  const loadSlots = async () => {
    const n = ++slotSeq;
    const service = serviceSel.value;
    if (!office || !service || !day) {
      slotList.innerHTML = `<p class="muted">${bi('Chọn văn phòng, dịch vụ và ngày', 'choose the office, service and day')}</p>`;
      return;
    }
    slotList.innerHTML = `<p class="muted">${bi('Đang tải giờ trống…', 'loading free times…')}</p>`;
    try {
      const d = await slots(office.id, service, day);
      if (n !== slotSeq) return;
      const groups = groupSlots(d.slots);
      const anyFree = groups.some((g) => g.slots.some((s) => !s.full));
      slotList.innerHTML = (groups.length ? groups.map((g) => `<div class="bk-group"><b>${bi(g.vi, g.en)}</b><div class="bk-times">${g.slots
        .map((s) => `<label class="slot${s.full ? ' full' : ''}"><input type="radio" name="starts_at" value="${esc(s.starts_at)}" data-ends="${esc(s.ends_at)}"${s.full ? ' disabled' : ''}>
          ${esc(s.time)} <small>${s.full ? bi('hết chỗ', 'full') : bi(`còn ${s.free}`, 'free')}</small></label>`)
        .join('')}</div></div>`).join('') : '') + (anyFree ? '' : `<p class="bk-closed">${noSlotsHtml(d, office.closures)}</p>`);
    } catch (e) {
      if (n === slotSeq) slotList.innerHTML = `<p class="error">${esc(e instanceof Error ? e.message : e)}</p>`;
    }
  };

  const loadDay = async () => {
    const n = ++daySeq;
    if (!office || !day) return;
    dayTitle.innerHTML = `${esc(office.name)} · ${esc(day.split('-').reverse().join('/'))}`;
    try {
      const rows = await dayBookings(office.id, day);
      if (n === daySeq) dayTable.innerHTML = dayBookingsHtml(rows);
    } catch (e) {
      if (n === daySeq) dayTable.innerHTML = `<p class="error">${esc(e instanceof Error ? e.message : e)}</p>`;
    }
  };

  /** The caller on the line (the screen pop of desk.ts asks the same route), else what the call forms hold. */
  const prefillCaller = async () => {
    const name = input('name');
    const phone = input('phone');
    const fromForms = (sel: string) => document.querySelector<HTMLInputElement>(sel)?.value.trim() ?? '';
    if (!name.value) name.value = fromForms('#call-form [name=name]') || fromForms('#inquiry-form [name=caller_name]');
    if (phone.value) return;
    try {
      const pop = await get<CallPop>('/api/v1/desk/calls');
      const call = pop.calls[0];
      if (call?.caller_phone && (call.state === 'answered' || call.state === 'ringing') && !phone.value) phone.value = call.caller_phone;
    } catch {
      /* no phone system: the forms below */
    }
    if (!phone.value) phone.value = fromForms('#call-form [name=phone]') || fromForms('#inquiry-form [name=caller_phone]');
  };

  const reset = () => {
    form.reset();
    clearErrors();
    key = crypto.randomUUID();
    done.hidden = true;
    done.innerHTML = '';
    steps.hidden = false;
  };

  const submit = async () => {
    if (busy) return;
    clearErrors();
    const chosen = form.querySelector<HTMLInputElement>('input[name=starts_at]:checked');
    const { input: body, errors } = bookingInput({
      office: office?.id ?? '', service: serviceSel.value, starts_at: chosen?.value ?? '',
      name: input('name').value, phone: input('phone').value, procedure: procInput.value,
    });
    if (Object.keys(errors).length) {
      for (const [f, m] of Object.entries(errors)) markField(f, m);
      return;
    }
    busy = true;
    form.setAttribute('aria-busy', 'true');
    try {
      let made: BookingView;
      try {
        made = await book(body, key);
      } catch (e) {
        if (e instanceof ApiError) throw e;
        await new Promise((r) => setTimeout(r, 1500)); // one retry, with the same key: never a second booking
        made = await book(body, key);
      }
      key = crypto.randomUUID();
      steps.hidden = true;
      done.innerHTML = `${confirmationHtml(made)}<p class="buttons"><button type="button" data-bk="again">${bi('Đặt lịch khác', 'book another')}</button>
        <button type="button" data-bk="close" class="primary">${bi('Xong', 'done')}</button></p>`;
      done.hidden = false;
      toast(`${bi('Đã đặt lịch', 'booked')} <b>${esc(made.code)}</b> · ${esc(vnTime(made.starts_at))} ${esc(made.office_name)}`);
      void loadDay();
    } catch (e) {
      const f = bookingFailure(e, office?.per_person_per_day);
      if (f.kind !== 'network') key = crypto.randomUUID(); // answered: nothing was made under this key
      errorBox.innerHTML = f.html;
      if (f.kind === 'slot_full') void loadSlots();
      if (f.kind === 'person_limit') markField('phone', 'Đã đủ số lịch hẹn tối đa trong ngày · limit reached');
      if (f.kind === 'fields') for (const [field, m] of Object.entries(f.fields)) markField(field, m);
    } finally {
      busy = false;
      form.removeAttribute('aria-busy');
    }
  };

  officeSel.addEventListener('change', onOffice);
  serviceSel.addEventListener('change', () => void loadSlots());
  procInput.addEventListener('change', () => void loadOffices().catch((e) => (errorBox.textContent = String(e instanceof Error ? e.message : e))));
  form.addEventListener('change', (e) => {
    const t = e.target as HTMLInputElement;
    if (t.name !== 'day') return;
    day = t.value;
    void loadSlots();
    void loadDay();
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void submit();
  });
  dialog.addEventListener('click', (e) => {
    const act = (e.target as HTMLElement).closest<HTMLElement>('[data-bk]')?.dataset.bk;
    if (act === 'close') dialog.close();
    else if (act === 'again') {
      const keep = { procedure: procInput.value, office: officeSel.value };
      reset();
      procInput.value = keep.procedure;
      officeSel.value = keep.office;
      onOffice();
      input('name').focus();
    } else if (act === 'refresh') void loadDay();
  });

  // The procedures panel's card (procedures.ts) has a "book for this procedure" button.
  const card = document.querySelector<HTMLElement>('#procs .card');
  if (card) {
    card.addEventListener('click', (e) => {
      const b = (e.target as HTMLElement).closest<HTMLElement>('button[data-book]');
      if (!b) return;
      const h = card.querySelector('h4')?.firstChild?.textContent?.trim();
      open({ code: b.dataset.book!, name: h });
    });
  }

  function open(procedure?: { code: string; name?: string }): void {
    if (!done.hidden) reset();
    clearErrors();
    if (procedure) {
      procInput.value = procedure.code;
      procName = { code: procedure.code, name: procedure.name ?? '' };
    }
    if (!dialog.open) dialog.showModal();
    void prefillCaller();
    loadOffices()
      .then(() => {
        // The first step still to take: the procedure, the service, else the day.
        const next = !procInput.value ? procInput : !serviceSel.value ? serviceSel : form.querySelector<HTMLInputElement>('input[name=day]:checked');
        next?.focus();
      })
      .catch((e) => (errorBox.textContent = String(e instanceof Error ? e.message : e)));
  }
  return { open };
}

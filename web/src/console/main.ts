// The console (/console): the call centre's desk (admins, operators: take calls, triage, forward,
// publish results, book a caller an appointment at an office — F9, booking.ts) and the agencies' desk (their unit's queue: accept or return, progress,
// resolve, forward to a sub-unit; the leaders' directions to act on, acknowledged and reported
// back on). Leaders are pointed to the wall.

import './console.css';
import * as common from '../common/api';
import { $, esc } from '../common/dom';
import { bi } from '../common/i18n';
import { LiveClient, liveUrl } from '../common/live';
import { signedIn } from '../common/signin';
import * as api from './api';
import { setupDetail } from './detail';
import { setupDirections } from './directionsView';
import { setupIntake } from './intake';
import { setupCallbacks } from './callbacks';
import { setupConversations } from './conversations';
import { setupBooking } from './booking';
import { setupDesk } from './desk';
import { setupPress } from './press';
import { setupProcedures } from './procedures';
import { ConsoleMap } from './map';
import { setupQueue } from './queueView';
import { toast } from './util';

/** The queues are reloaded from the REST API this often anyway (the live feed only adds). */
const RELOAD_MS = 60_000;
/** Countdowns are redrawn this often. */
const TICK_MS = 15_000;

async function main(): Promise<void> {
  const user = await signedIn();
  const desk = user.role === 'agency' ? 'agency' : user.role === 'admin' || user.role === 'operator' ? 'centre' : null;
  document.body.dataset.desk = desk ?? 'none';
  $('who').textContent = user.display_name || user.name;
  $('signout').addEventListener('click', () => void common.signOut().finally(() => location.reload()));
  if (!desk) {
    $('main').innerHTML = `<p class="nodesk">${bi('Bàn làm việc này dành cho điện thoại viên và cán bộ đơn vị xử lý.', 'This desk is for call-centre operators and agency staff.')}
      <a href="/wall">${bi('Mở bản đồ điều hành', 'open the operations wall')}</a></p>`;
    document.body.dataset.ready = 'true';
    return;
  }
  $('desk-name').innerHTML = desk === 'centre' ? bi('Bàn tiếp nhận', 'call desk') : bi('Bàn xử lý của đơn vị', 'unit desk');

  const [{ categories, fields }, units, districts, wards] = await Promise.all([common.categories(), api.units(), common.areas('district'), common.areas('ward')]);
  const categoryNames = new Map(categories.map((c) => [c.code, c.name_vi]));
  const unitNames = new Map(units.map((u) => [u.code, u.name_vi]));
  const categoryName = (code: string) => categoryNames.get(code) ?? code;
  const unitName = (code: string | null | undefined) => (code ? unitNames.get(code) ?? code : '');
  const areaNames = new Map([...districts.features, ...wards.features].map((f) => [f.properties.code, f.properties.name]));
  const fieldNames = new Map<string, string>(fields.map((f) => [f.code, f.name_vi]));

  const map = new ConsoleMap($('map'), (lon, lat) => intake?.setLocation(lon, lat), (id) => openTicket(id));
  (window as unknown as { consoleMap: unknown }).consoleMap = map.map;
  await map.ready;
  map.setAreas(districts, wards);

  const queue = setupQueue({ role: user.role, map, categoryName, unitName, openTicket });
  const detail = setupDetail({
    role: user.role, userUnits: user.units, units, map, categoryName, unitName,
    onChanged: (t) => queue.upsert(t),
    onClose: () => queue.select(null),
  });
  function openTicket(id: string): void {
    queue.select(id);
    detail.open(id).catch((e) => toast(`${bi('Không mở được phiếu', 'cannot open the ticket')}: ${esc(e instanceof Error ? e.message : e)}`));
  }
  const intake = desk === 'centre'
    ? setupIntake($<HTMLFormElement>('call-form'), { map, categories, onFiled: (t) => queue.upsert(t), openTicket })
    : null;
  $('intake').hidden = desk !== 'centre';
  const procedures = desk === 'centre' ? setupProcedures($('procs')) : null;
  let hotline: ReturnType<typeof setupDesk> | null = null;
  // Booking an appointment for the caller (F9, or from a procedure's card).
  const booking = desk === 'centre' ? setupBooking($<HTMLDialogElement>('booking'), toast) : null;
  if (booking) $('booking-open').addEventListener('click', () => booking.open());
  if (desk === 'centre') {
    $('callbacks').hidden = false;
    const callbacks = setupCallbacks($('callbacks'), user.name, toast);
    hotline = setupDesk({ openTicket, onSaved: () => void callbacks.load().catch(() => undefined) });
    $('conversations').hidden = false;
    setupConversations($('conversations'), user.name, toast);
    setupPress($<HTMLFormElement>('press-form'), categories, (code, id) => {
      toast(`${bi('Đã tạo phiếu báo chí', 'press ticket filed')} ${esc(code)}`);
      openTicket(id);
    });
  }
  // The unit's desk: the leaders' directions to act on, above its queue.
  const directions = desk === 'agency'
    ? setupDirections({ unitName, areaName: (c) => areaNames.get(c) ?? c, fieldName: (c) => fieldNames.get(c) ?? c, openTicket })
    : null;
  void directions?.load();

  await queue.load();
  const live = new LiveClient({
    url: liveUrl(location),
    topics: ['tickets'],
    onEvent: (e) => {
      queue.onEvent(e.data);
      detail.onEvent(String(e.data.id ?? ''), typeof e.data.version === 'number' ? e.data.version : undefined);
      intake?.onEvent(e.data);
    },
    onResync: () => queue.load(),
    onStatus: (s) => {
      $('live').dataset.state = s;
      $('live').innerHTML = s === 'live' ? bi('● Trực tiếp', 'live') : s === 'connecting' ? bi('○ Đang kết nối…', 'connecting') : bi('○ Mất kết nối', 'offline: reloading every minute');
    },
  });
  live.start();
  setInterval(() => void queue.load().catch(() => undefined), RELOAD_MS);
  setInterval(() => {
    queue.render();
    detail.tick();
  }, TICK_MS);

  $('find').addEventListener('submit', (e) => {
    e.preventDefault();
    const code = $<HTMLInputElement>('find-code').value.trim();
    if (code) openTicket(code);
  });
  document.addEventListener('keydown', (e) => {
    if (e.key === 'F2' && intake) {
      e.preventDefault();
      intake.focus();
    } else if (e.key === 'F4') {
      e.preventDefault();
      queue.focus();
    } else if (e.key === 'F6' && procedures) {
      e.preventDefault();
      procedures.focus();
    } else if (e.key === 'F7' && hotline) {
      e.preventDefault();
      hotline.focusInquiry();
    } else if (e.key === 'F9' && booking) {
      e.preventDefault();
      booking.open();
    } else if (e.key === 'F8') {
      e.preventDefault();
      $<HTMLInputElement>('find-code').select();
    } else if (e.key === 'Escape' && !e.defaultPrevented && detail.isOpen && !(e.target as HTMLElement).closest('#call-form, dialog')) {
      e.preventDefault();
      detail.escape();
    }
  });
  document.body.dataset.ready = 'true';
  intake?.focus();
}

main().catch((e) => {
  $('live').textContent = `Lỗi · error: ${e instanceof Error ? e.message : String(e)}`;
  document.body.dataset.ready = 'error';
});

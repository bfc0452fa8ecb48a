// The office's kiosk (`/kiosk/{office}`): a touch screen at the door. One big button per service,
// a priority choice (the elderly, people with disabilities, pregnant women); pressing a service
// takes a number (`POST …/queue` with `kiosk: true` and a fresh `Idempotency-Key` per press),
// shows it large, prints the ticket (@media print in kiosk.css), and returns to the start after
// 15 s (or at "Xong · Done"). The kiosk is the office's device: a clerk of the office signs it
// in once, so the numbers it gives are not counted against the office's one network address (as
// the public's requests are) and are recorded as the kiosk's.

import { $, esc } from '../common/dom';
import { get, send } from '../common/http';
import { officeFromPath } from '../common/offices';
import { signedIn } from '../common/signin';
import { failureText, findOffice, priorityOf, PRIORITIES, queuePath, RESET_SECONDS, takeBody, ticketTexts } from './ticket';
import type { PublicOffice, QueueNumber } from './types';
import './kiosk.css';

const officeId = officeFromPath(location.pathname);
let countdown: number | undefined;
let busy = false;

function setBusy(yes: boolean): void {
  busy = yes;
  document.querySelectorAll<HTMLButtonElement>('#services button').forEach((b) => (b.disabled = yes));
  $('wait-note').hidden = !yes;
}

function back(): void {
  clearInterval(countdown);
  countdown = undefined;
  $('ticket').hidden = true;
  $('choose').hidden = false;
  $('error').textContent = '';
  ($('priority').querySelector('input[value=""]') as HTMLInputElement).checked = true;
}

function show(o: PublicOffice, n: QueueNumber): void {
  const t = ticketTexts(o, n, priorityOf(($('priority').querySelector('input:checked') as HTMLInputElement | null)?.value));
  $('t-office').textContent = t.office;
  $('t-office-en').textContent = t.officeEn;
  $('label').textContent = t.label;
  $('service-name').textContent = t.service;
  $('service-en').textContent = t.serviceEn;
  $('t-priority').textContent = t.priority;
  $('ahead').textContent = t.ahead;
  $('wait').textContent = t.wait;
  $('issued').textContent = t.time;
  $('choose').hidden = true;
  $('ticket').hidden = false;
  let left = RESET_SECONDS;
  const say = () => ($('countdown').textContent = `Quay lại sau ${left} giây · Back in ${left} s`);
  say();
  clearInterval(countdown);
  countdown = window.setInterval(() => {
    left -= 1;
    if (left <= 0) back();
    else say();
  }, 1000);
  // Print once the ticket is drawn (a kiosk browser in kiosk-printing mode prints silently).
  requestAnimationFrame(() => setTimeout(() => window.print(), 50));
}

async function take(o: PublicOffice, service: string): Promise<void> {
  if (busy) return;
  const priority = priorityOf(($('priority').querySelector('input:checked') as HTMLInputElement | null)?.value);
  $('error').textContent = '';
  setBusy(true);
  try {
    const n = await send<QueueNumber>('POST', queuePath(o.id), takeBody(service, priority), { 'Idempotency-Key': crypto.randomUUID() });
    show(o, n);
  } catch (e) {
    $('error').textContent = failureText(e);
  } finally {
    setBusy(false);
  }
}

function draw(o: PublicOffice): void {
  $('office').textContent = o.name;
  $('office-en').textContent = o.name_en ? `${o.name_en} — Take a queue number` : 'Take a queue number';
  document.title = `${o.name} — Lấy số thứ tự`;
  $('priority-options').innerHTML = PRIORITIES.map(
    (p) => `<label><input type="radio" name="priority" value="${esc(p.id)}"> ${esc(p.vi)} <span class="en">${esc(p.en)}</span></label>`,
  ).join('');
  $('services').innerHTML = o.services.length
    ? o.services.map((s) => `<button type="button" data-service="${esc(s.id)}">${esc(s.name)}${s.name_en ? `<span class="en">${esc(s.name_en)}</span>` : ''}</button>`).join('')
    : '<p class="muted">Văn phòng chưa có dịch vụ lấy số · No service takes numbers here</p>';
  $('services').addEventListener('click', (e) => {
    const b = (e.target as HTMLElement).closest<HTMLElement>('button[data-service]');
    if (b) void take(o, b.dataset.service!);
  });
}

async function start(): Promise<void> {
  if (!officeId) {
    $('office').textContent = 'Không rõ văn phòng · Unknown office';
    return;
  }
  await signedIn('Sai tên đăng nhập hoặc mật khẩu của cán bộ văn phòng · wrong clerk name or password');
  for (let attempt = 0; ; attempt++) {
    try {
      const o = findOffice(await get<PublicOffice[]>('/api/v1/public/offices'), officeId);
      if (!o) {
        $('office').textContent = `Không tìm thấy văn phòng ${officeId} · Unknown office`;
        return;
      }
      draw(o);
      $('error').textContent = '';
      return;
    } catch {
      $('error').textContent = 'Đang kết nối… · Connecting…';
      await new Promise((r) => setTimeout(r, Math.min(10_000, 1000 * 2 ** attempt)));
    }
  }
}

$('done').addEventListener('click', back);
void start();

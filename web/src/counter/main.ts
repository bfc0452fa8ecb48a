// The clerk's counter page (`/counter`): today's queue of the office (every 3 s and after each
// action), the number called at this counter, "call next", served / no-show / transfer, and
// check-in of a booking by its code — typed, or read from its QR code with the camera. The office
// and the counter are kept on this device. Every request goes through the common HTTP client.

import { $, esc } from '../common/dom';
import { ApiError, get, send } from '../common/http';
import { signedIn } from '../common/signin';
import { bookingCode, checkedInText, counterKey, finishBody, OFFICE_KEY, officesFor, paths, pickCounter, pickOffice, problemText, transferTargets } from './desk';
import { current, currentHtml, queueHtml, type ServiceNames } from './queue';
import { QrScanner } from './scan';
import type { CheckedIn, NumberView, Office, Outcome } from './types';
import './counter.css';

const REFRESH_MS = 3000;

const officeSel = $<HTMLSelectElement>('office');
const counterSel = $<HTMLSelectElement>('counter');
const toSel = $<HTMLSelectElement>('to-counter');
const scanner = new QrScanner($<HTMLVideoElement>('video'));
let offices: Office[] = [];
let list: NumberView[] = [];
let busy = false;
/** Only the answer to the latest queue request is drawn. */
let asked = 0;

const office = () => officeSel.value;
const counter = () => Number(counterSel.value);
const services = (): ServiceNames =>
  Object.fromEntries((offices.find((o) => o.id === office())?.services ?? []).map((s) => [s.id, s.name]));

function say(kind: 'error' | 'notice', text: string): void {
  $('error').textContent = kind === 'error' ? text : '';
  $('notice').textContent = kind === 'notice' ? text : '';
}

/** A session that ended (401) brings the sign-in back; anything else is said. */
function failed(e: unknown): void {
  if (e instanceof ApiError && e.status === 401) location.reload();
  else say('error', problemText(e));
}

function fillCounters(): void {
  const o = offices.find((x) => x.id === office());
  const n = o?.counters ?? 1;
  counterSel.innerHTML = Array.from({ length: n }, (_, i) => `<option value="${i + 1}">${i + 1}</option>`).join('');
  counterSel.value = String(pickCounter(localStorage.getItem(counterKey(office())), n));
  fillTargets();
  $<HTMLAnchorElement>('board-link').href = `/display/${encodeURIComponent(office())}`;
  $<HTMLAnchorElement>('kiosk-link').href = `/kiosk/${encodeURIComponent(office())}`;
}

function fillTargets(): void {
  const n = offices.find((x) => x.id === office())?.counters ?? 1;
  const targets = transferTargets(n, counter());
  toSel.innerHTML = targets.map((c) => `<option value="${c}">${c}</option>`).join('');
}

function draw(): void {
  const now = current(list, counter());
  $('queue').innerHTML = queueHtml(list, services());
  $('current').innerHTML = currentHtml(now, services());
  $<HTMLButtonElement>('served').disabled = busy || !now;
  $<HTMLButtonElement>('no-show').disabled = busy || !now;
  $<HTMLButtonElement>('transfer').disabled = busy || !now || !toSel.options.length;
  $<HTMLButtonElement>('next').disabled = busy;
}

async function refresh(): Promise<void> {
  if (!office()) return;
  const n = ++asked;
  try {
    const got = await get<NumberView[]>(paths.queue(office()));
    if (n !== asked) return; // a newer request (or another office) was asked meanwhile
    list = got;
    $('stale').hidden = true;
    draw();
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) location.reload();
    else if (e instanceof ApiError) say('error', problemText(e));
    else if (n === asked) $('stale').hidden = false; // keep the last list, say it may be old
  }
}

/** Runs one action of the clerk (buttons off meanwhile), then reloads the queue. */
async function act(run: () => Promise<void>): Promise<void> {
  if (busy) return;
  busy = true;
  say('notice', '');
  draw();
  try {
    await run();
  } catch (e) {
    failed(e);
  } finally {
    busy = false;
    await refresh();
    draw();
  }
}

async function callNext(): Promise<void> {
  const n = await send<NumberView | null>('POST', paths.next(office(), counter()));
  say('notice', n ? `Mời số ${n.label} đến quầy ${counter()} · Calling ${n.label}` : 'Không còn ai chờ · Nobody is waiting');
}

async function finish(outcome: Outcome): Promise<void> {
  const n = current(list, counter());
  if (!n) return;
  const to = outcome === 'transferred' ? Number(toSel.value) : undefined;
  await send('POST', paths.finish(office(), n.id), finishBody(outcome, to));
  const done = { served: 'đã phục vụ · served', no_show: 'vắng mặt · no-show', transferred: `chuyển quầy ${to} · sent to counter ${to}` };
  say('notice', `${n.label}: ${done[outcome]}`);
}

async function checkIn(raw: string): Promise<void> {
  const code = bookingCode(raw);
  const input = $<HTMLInputElement>('code');
  if (!code) {
    say('error', 'Mã đặt lịch có dạng LH-XXXXXX · A booking code looks like LH-XXXXXX');
    input.focus();
    return;
  }
  input.value = code;
  await act(async () => {
    const r = await send<CheckedIn>('POST', paths.checkin(office()), { code });
    const p = document.createElement('p');
    p.className = 'checked';
    p.textContent = `✔ ${checkedInText(r)}`;
    $('checked').replaceChildren(p);
    input.value = '';
    say('notice', `Đã tiếp nhận, số ${r.number.label} · Checked in, number ${r.number.label}`);
  });
}

function stopScan(): void {
  scanner.stop();
  $('camera').hidden = true;
}

async function scan(): Promise<void> {
  say('notice', '');
  $('camera').hidden = false;
  try {
    await scanner.start((code) => {
      $('camera').hidden = true;
      void checkIn(code);
    });
  } catch (e) {
    $('camera').hidden = true;
    say('error', e instanceof Error ? e.message : String(e));
  }
}

function wire(): void {
  officeSel.addEventListener('change', () => {
    localStorage.setItem(OFFICE_KEY, office());
    list = [];
    fillCounters();
    draw();
    void refresh();
  });
  counterSel.addEventListener('change', () => {
    localStorage.setItem(counterKey(office()), counterSel.value);
    fillTargets();
    draw();
  });
  $('next').addEventListener('click', () => void act(callNext));
  $('served').addEventListener('click', () => void act(() => finish('served')));
  $('no-show').addEventListener('click', () => void act(() => finish('no_show')));
  $('transfer').addEventListener('click', () => void act(() => finish('transferred')));
  $('checkin').addEventListener('submit', (e) => {
    e.preventDefault();
    void checkIn($<HTMLInputElement>('code').value);
  });
  $('code').addEventListener('blur', () => {
    const input = $<HTMLInputElement>('code');
    input.value = bookingCode(input.value) ?? input.value.trim().toUpperCase();
  });
  $('scan').addEventListener('click', () => void scan());
  $('stop-scan').addEventListener('click', stopScan);
  document.addEventListener('visibilitychange', () => {
    if (document.hidden) stopScan();
    else void refresh();
  });
}

async function start(): Promise<void> {
  const user = await signedIn();
  $('who').textContent = `${user.display_name} (${user.name})`;
  try {
    offices = officesFor(user, await get<Office[]>('/api/v1/offices'));
  } catch (e) {
    failed(e);
    return;
  }
  if (!offices.length) {
    say('error', 'Tài khoản chưa được giao văn phòng nào · This account works at no office');
    return;
  }
  officeSel.innerHTML = offices.map((o) => `<option value="${esc(o.id)}">${esc(o.name)} (${esc(o.id)})</option>`).join('');
  officeSel.value = pickOffice(offices, localStorage.getItem(OFFICE_KEY));
  fillCounters();
  wire();
  draw();
  await refresh();
  setInterval(() => {
    if (!document.hidden && !busy) void refresh();
  }, REFRESH_MS);
}

void start().catch(failed);
